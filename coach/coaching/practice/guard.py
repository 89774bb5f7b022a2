"""A cheap check on every mentee reply before it is shown: speaker labels, narration, advice or
mentor-like lines, leaked instructions, and length. A failing reply is regenerated once."""

import re

from pydantic import BaseModel

from coach.coaching.practice.behaviours import BehaviourClassifier

MAX_SENTENCES = 4
SPEAKER_LABEL = r"^\s*(mentor|mentee|coach|assistant|user|system|me|you|{name})\s*:"
NARRATION = re.compile(r"\*[^*\n]+\*|^\s*\([^)]*\)\s*$|^\s*\[[^\]]*\]\s*$", re.M)
LEAKS = re.compile(r"\b(hidden concern|stage note|these instructions|my instructions|system prompt|"
                   r"role-?play|as an ai|language model|i am an ai|i'm an ai|the script)\b", re.I)
SECOND_PERSON = re.compile(r"\b(you|your)\b", re.I)
SENTENCE = re.compile(r"(?<=[.!?])\s+")


class GuardVerdict(BaseModel):
    ok: bool
    problems: list[str]


class MenteeGuard:
    def __init__(self, mentee_name: str, classifier: BehaviourClassifier) -> None:
        self.speaker_label = re.compile(SPEAKER_LABEL.format(name=re.escape(mentee_name)), re.I | re.M)
        self.classifier = classifier

    def check(self, reply: str) -> GuardVerdict:
        problems = self._surface_problems(reply)
        if reply.strip() and self._gives_advice(reply):
            problems.append("gave the mentor advice")
        return GuardVerdict(ok=not problems, problems=problems)

    def _surface_problems(self, reply: str) -> list[str]:
        text = reply.strip()
        if not text:
            return ["empty reply"]
        checks = [(self.speaker_label.search(text), "speaker label"), (NARRATION.search(text), "narration"),
                  (LEAKS.search(text), "mentioned its instructions"),
                  (len(sentences(text)) > MAX_SENTENCES, f"more than {MAX_SENTENCES} sentences")]
        return [problem for failed, problem in checks if failed]

    def _gives_advice(self, reply: str) -> bool:
        # Only advice aimed at the listener counts: "I should talk to my lead" is a mentee thinking aloud.
        aimed = [s for s in sentences(reply) if SECOND_PERSON.search(s) or not re.match(r"\s*I\b", s)]
        return any("advice" in label.behaviours for label in self.classifier.label(aimed)) if aimed else False


def sentences(text: str) -> list[str]:
    return [part for part in SENTENCE.split(text.strip()) if part]
