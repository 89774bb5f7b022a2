"""The narrative part of a debrief, written by the model under a JSON-schema grammar and parsed into
pydantic. Line numbers come from a schema enum, and any that is not a real mentor line is dropped."""

import re
from threading import Event

import pydantic_core
from pydantic import BaseModel, Field, ValidationError

from coach.coaching.data_fence import fence, new_boundary
from coach.coaching.debrief.guidance import GuidanceCitation
from coach.coaching.debrief.scoring import SkillScore
from coach.coaching.debrief.signals import Line
from coach.coaching.prompts import PromptTemplate
from coach.formats.display import DisplayText, display_safe_data
from coach.llm.base import ChatBackend, Reply

POINTS = 2
POINT_CHARS = 160  # with the rewrite's 320, the longest JSON the schema allows fits MAX_TOKENS
GUIDANCE_CHARS = 200  # each cited passage is shortened in the prompt: every token costs time here
# Worst case a token per character: 4 × 160 + 320 characters plus the JSON around them. A cut-off
# reply is invalid JSON, so the budget covers the longest reply the schema allows, not a typical one.
MAX_TOKENS = 1100


class Point(BaseModel):
    line: int  # mentor line number, from 1
    point: DisplayText = Field(min_length=1, max_length=POINT_CHARS)


class Narrative(BaseModel):
    strengths: list[Point]
    tries: list[Point]
    rewrite: DisplayText = Field(default="", max_length=POINT_CHARS * 2)  # "" when the model only copied the line


def narrative_schema(line_numbers: list[int]) -> dict:
    point = {"type": "object", "properties": {
        "line": {"type": "integer", "enum": line_numbers},
        "point": {"type": "string", "minLength": 1, "maxLength": POINT_CHARS}}, "required": ["line", "point"]}
    points = {"type": "array", "items": point, "minItems": POINTS, "maxItems": POINTS}
    return {"type": "object", "properties": {
        "strengths": points, "tries": points,
        "rewrite": {"type": "string", "minLength": 1, "maxLength": POINT_CHARS * 2}},
        "required": ["strengths", "tries", "rewrite"]}


def parse_narrative(text: str, line_numbers: list[int], weakest_line: str = "") -> Narrative | None:
    """The model's JSON as a Narrative, keeping only points about real mentor lines; None if invalid."""
    try:
        narrative = Narrative.model_validate_json(text)
    except (ValidationError, ValueError):
        return None
    real = set(line_numbers)
    kept = narrative.model_copy(update={
        "strengths": [p for p in narrative.strengths if p.line in real],
        "tries": [p for p in narrative.tries if p.line in real],
        # Handing the weak line back, or most of it, is not a rewrite.
        "rewrite": "" if copies(narrative.rewrite, weakest_line) else bare_words(narrative.rewrite)})
    return kept if kept.strengths or kept.tries else None


def partial_narrative(text: str) -> dict:
    """What can be read from a reply still being written (for streaming it onto the screen)."""
    try:
        partial = pydantic_core.from_json(text, allow_partial="trailing-strings") if text.strip() else {}
    except ValueError:
        return {}
    return display_safe_data(partial)  # decoded JSON escapes may hold control characters


class NarrativeWriter:
    def __init__(self, backend: ChatBackend, prompt: PromptTemplate, max_tokens: int = MAX_TOKENS) -> None:
        self.backend, self.prompt, self.max_tokens = backend, prompt, max_tokens

    def messages(self, scenario_title: str, mentee: str, lines: list[Line], scores: list[SkillScore],
                 guidance: list[GuidanceCitation], weakest: int):
        boundary = new_boundary()  # typed lines and corpus passages are fenced as data, never instructions
        guidance_text = "\n".join(f"- {g.title}: {_shorten(g.text)}" for g in _unique(guidance)) or "- (none found)"
        return self.prompt.render(
            scenario=scenario_title, mentee=mentee, transcript=fence(numbered_transcript(lines, mentee), boundary),
            scores="\n".join(_score_line(s) for s in scores),
            guidance=fence(guidance_text, boundary),
            weakest_number=str(weakest))

    def stream(self, messages, line_numbers: list[int], stop: Event | None = None) -> Reply:
        return self.backend.stream(messages, self.max_tokens, stop=stop, json_schema=narrative_schema(line_numbers))


def numbered_transcript(lines: list[Line], mentee: str) -> str:
    out, number = [], 0
    for line in lines:
        if line.speaker == "mentor":
            number += 1
            out.append(f"[{number}] You: {line.text}")
        elif line.speaker == "mentee":
            out.append(f"{mentee}: {line.text}")
    return "\n".join(out)


def _shorten(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= GUIDANCE_CHARS else flat[:GUIDANCE_CHARS].rsplit(" ", 1)[0] + "…"


def _score_line(score: SkillScore) -> str:
    # Line numbers go in as a bracketed list: written as "(line 2)" the model copied them into its points.
    signals = "; ".join(f"{hit.says.lower()} [{', '.join(str(e.line) for e in hit.evidence)}]" if hit.evidence
                        else hit.says.lower() for hit in score.hits) or "no signal"
    return f"- {score.name}: {score.score}. {signals}"


COPIED_SHARE = 0.7
ECHOED_INSTRUCTIONS = re.compile(r"\b(instead of (your )?line|line \d+|you could say to)\b", re.I)


def copies(rewrite: str, line: str) -> bool:
    """True when most of the line's words reappear in the rewrite and it adds little of its own
    ("You could say: '<the line>'"), unlike a rewrite that keeps a few words and adds a question."""
    def words(text: str) -> list[str]:
        return [w for w in (w.strip(".,!?;:'\"“”‘’").lower() for w in text.split()) if w]
    line_words, rewrite_words = words(line), words(rewrite)
    if not line_words or not rewrite_words:
        return False
    if len(line_words) >= 4 and " ".join(line_words) in " ".join(rewrite_words):
        return True  # the whole line, quoted inside whatever else was written
    if ECHOED_INSTRUCTIONS.search(rewrite):
        return True  # the prompt's own wording handed back
    kept = sum(w in set(rewrite_words) for w in line_words) / len(line_words)
    new = sum(w not in set(line_words) for w in rewrite_words) / len(rewrite_words)
    return kept >= COPIED_SHARE and new < 1 - COPIED_SHARE + 0.2


LEAD_IN = re.compile(r"^\s*(instead,?\s+)?you (could|might|can) (have )?(say|said)( something like)?\s*:?\s*", re.I)


def bare_words(rewrite: str) -> str:
    """The suggested words without a lead-in ("You could have said: '…'") or wrapping quotes."""
    words = LEAD_IN.sub("", rewrite.strip()).strip().lstrip(",;: ")
    if len(words) > 1 and words[0] in "'\"“‘" and words[-1] in "'\"”’":
        words = words[1:-1].strip()
    return words[:1].upper() + words[1:]


def _unique(guidance: list[GuidanceCitation]) -> list[GuidanceCitation]:
    """Each passage once, even when it serves several skills."""
    return list({g.chunk_id: g for g in reversed(guidance)}.values())[::-1]
