"""A better phrasing of the mentor's weakest line. The model only drafts; the labeller decides: a
draft is kept when it carries a label the skill wants, none of the labels that cost points, and is
not the old line handed back. If no draft passes, the cited guidance's own "What to say" is shown,
marked as coming from the guidance."""

import re
from collections.abc import Iterator
from threading import Event
from typing import Literal

from pydantic import BaseModel

from coach.coaching.debrief.guidance import GuidanceCitation
from coach.coaching.debrief.phrasing import bare_words, copies, stitched
from coach.coaching.debrief.scoring import Evidence
from coach.coaching.labeller.labels import LABEL_NAMES
from coach.coaching.practice.behaviours import BehaviourClassifier
from coach.coaching.prompts import PromptTemplate
from coach.formats.display import display_safe
from coach.llm.base import ChatBackend

DRAFTS = 3
DRAFT_TOKENS = 56  # two short sentences; every token is time on 2 cores
GOOD_ENOUGH = 0.8  # a passing draft this sure of a wanted label ends the search early
MAX_CHARS = 320
COSTLY = ("dismiss", "advice")  # labels that lose points wherever they appear
# Each draft is asked for a different opening, so drafts differ even at a low temperature.
APPROACHES = {
    "open_question": ["Ask one open question (what or how) about their situation.",
                      "Invite them to say more, in one open question.",
                      "Ask what matters most to them here, as an open question."],
    "acknowledge": ["Say that their feeling makes sense, then ask what happened.",
                    "Name how they seem to feel, in one sentence.",
                    "Thank them for telling you and say it sounds hard."],
    "reflection": ["Play back in your own words what they just told you.",
                   "Sum up what they are worried about, in your own words."],
    "offer": ["Ask whether they would like to hear an idea, before giving any.",
              "Offer to share what worked for you, as a question they can decline."],
    "next_step": ["Ask what one thing they will try before you next meet.",
                  "Suggest a time to meet again and ask if it suits them."],
}


class Rewrite(BaseModel):
    line: int
    original: str
    text: str
    source: Literal["model", "guidance"]
    labels: list[str] = []  # the labeller's labels for the rewrite
    guidance_title: str = ""  # where a guidance phrasing came from
    drafts_tried: int = 0


class RewriteDrafter:
    def __init__(self, backend: ChatBackend, prompt: PromptTemplate, classifier: BehaviourClassifier) -> None:
        self.backend, self.prompt, self.classifier = backend, prompt, classifier

    def drafts(self, weakest: Evidence, wanted: list[str], mentee: str, mentee_said: str, stop: Event) -> Iterator[str]:
        for approach in _approaches(wanted)[:DRAFTS]:
            if stop.is_set():
                return
            messages = self.prompt.render(mentee=mentee, mentee_said=mentee_said or "(nothing yet)", line=weakest.text,
                                          aim=", or ".join(LABEL_NAMES[w] for w in wanted), approach=approach)
            yield bare_words(display_safe(self.backend.stream(messages, DRAFT_TOKENS, stop=stop).text()).strip())

    def rewrite(self, weakest: Evidence, wanted: list[str], mentee: str, mentee_said: str,
                guidance: list[GuidanceCitation], mentor_lines: list[str], stop: Event | None = None) -> Rewrite | None:
        best, tried = None, 0
        for draft in self.drafts(weakest, wanted, mentee, mentee_said, stop or Event()):
            tried += 1
            verdict = self.judge(draft, mentor_lines or [weakest.text], weakest.text, wanted)
            if verdict is not None and (best is None or verdict[0] > best[0]):
                best = (verdict[0], draft, verdict[1])
            if best is not None and best[0] >= GOOD_ENOUGH:
                break
        if best is not None:
            return Rewrite(line=weakest.line, original=weakest.text, text=best[1], source="model", labels=best[2], drafts_tried=tried)
        return from_guidance(weakest, guidance, tried)

    def judge(self, draft: str, mentor_lines: list[str], original: str, wanted: list[str]) -> tuple[float, list[str]] | None:
        """(how sure the labeller is of a wanted label, the draft's labels), or None if it fails."""
        if not draft or len(draft) > MAX_CHARS or copies(draft, original) or stitched(draft, mentor_lines):
            return None
        read = self.classifier.label([draft])[0]
        costly = set(COSTLY) - ({"advice"} if "offer" in read.behaviours else set())
        if not set(read.behaviours) & set(wanted) or set(read.behaviours) & costly:
            return None
        return max(read.scores.get(w, 0.0) for w in wanted), read.behaviours


def _approaches(wanted: list[str]) -> list[str]:
    pools = [APPROACHES.get(w, []) for w in wanted]
    mixed = [a for group in zip(*pools) for a in group] if len(pools) > 1 else pools[0] if pools else []
    return mixed or ["Say it so the mentee feels heard."]


WHAT_TO_SAY = re.compile(r"What to say:?\s*(.*)", re.S | re.I)
QUOTED = re.compile(r"[\"“]([^\"”]{8,300})[\"”]")


def from_guidance(weakest: Evidence, guidance: list[GuidanceCitation], tried: int) -> Rewrite | None:
    """The first quoted phrasing under a "What to say" heading in the cited guidance."""
    for citation in guidance:
        section = citation.text if citation.heading.lower().startswith("what to say") else \
            (match.group(1) if (match := WHAT_TO_SAY.search(citation.text)) else "")
        if quoted := QUOTED.search(section):
            return Rewrite(line=weakest.line, original=weakest.text, text=quoted.group(1).strip(), source="guidance",
                           guidance_title=citation.title, drafts_tried=tried)
    return None
