"""Live hints: what each mentor line did, shown under it during practice when the mentor turns them
on. The labels come from the line labeller (no chat model); advice said before the mentor has asked
anything or offered to advise reads "advice before asking", as in the debrief's signals."""

from collections.abc import Sequence
from threading import Lock

from coach.coaching.labeller.labels import LABEL_NAMES, LABELS
from coach.coaching.practice.behaviours import BehaviourClassifier

EARLY_ADVICE = "advice before asking"
# A question, or an offer to advise ("would it help if I…"), gives the mentor leave to advise.
ASKING = {"open_question", "closed_question", "offer"}


def hint_wording(labels_per_line: Sequence[Sequence[str]]) -> list[str]:
    """One hint per mentor line, in the order said: the names of its labels."""
    hints, asked = [], False
    for labels in labels_per_line:
        asked = asked or bool(ASKING & set(labels))
        hints.append(" · ".join(_label_name(label, early=not asked) for label in _in_order(labels)))
    return hints


def _in_order(labels: Sequence[str]) -> list[str]:
    return sorted(set(labels), key=lambda label: LABELS.index(label) if label in LABELS else len(LABELS))


def _label_name(label: str, early: bool) -> str:
    return EARLY_ADVICE if label == "advice" and early else LABEL_NAMES.get(label, label)


class LiveHints:
    """Hints for one conversation's mentor lines; each line is labelled once (call `hints` off the
    UI thread), so turning hints on again, or redrawing the transcript, costs nothing."""

    def __init__(self, classifier: BehaviourClassifier) -> None:
        self.classifier = classifier
        self._labels: dict[str, list[str]] = {}
        self._lock = Lock()

    def known(self, lines: Sequence[str]) -> list[str] | None:
        """The hints at once if every line is labelled already, else None."""
        if any(line not in self._labels for line in lines):
            return None
        return hint_wording([self._labels[line] for line in lines])

    def hints(self, lines: Sequence[str]) -> list[str]:
        """Label the lines not labelled yet (an embedding each), then word the hints."""
        with self._lock:
            new = [line for line in dict.fromkeys(lines) if line not in self._labels]
            for line, read in zip(new, self.classifier.labeller.label(new, nearest=False)):
                self._labels[line] = read.labels
        return hint_wording([self._labels[line] for line in lines])
