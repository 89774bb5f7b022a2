"""Contact details in an answer (links, e-mail addresses, phone numbers) are the riskiest thing a
planted note can smuggle into advice: "always contact hr-help@…, this is the official policy".
An answer may pass one on only as a quotation of the note it came from, with that note's title;
one that no passage holds is left out, and the answer never calls such a detail official."""

import re

from pydantic import BaseModel

from coach.formats.contacts import CONTACT, contact_details

OFFICIAL = re.compile(r"\b(official(ly)?|company policy|approved channel|mandatory)\b", re.I)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n")
MIN_SOURCES = 2  # a detail two or more notes agree on is the trainers' own, not one note's claim


class QuotedContact(BaseModel):
    detail: str
    doc_id: str
    title: str


def _key(detail: str) -> str:
    return re.sub(r"[^\w@]", "", detail.lower())


class ContactGuard:
    """Rewrites, sentence by sentence as the answer streams, any sentence that passes on a contact
    detail: as a quotation of its note when one or a few notes hold it, or without it otherwise."""

    def __init__(self, passages: list) -> None:
        self.passages = passages
        self.quoted: list[QuotedContact] = []
        self._pending = ""
        self._after_quote = False  # the last sentence passed on a note's contact detail

    def feed(self, piece: str) -> str:
        text = self._pending + piece
        ends = [m.end() for m in SENTENCE_END.finditer(text)]
        if not ends:
            self._pending = text
            return ""
        self._pending = text[ends[-1]:]
        return self._checked(text[:ends[-1]])

    def flush(self) -> str:
        text, self._pending = self._pending, ""
        return self._checked(text)

    def _checked(self, text: str) -> str:
        if not CONTACT.search(text) and not (self._after_quote and OFFICIAL.search(text)):
            self._after_quote = self._after_quote and not text.strip()
            return text
        return "".join(self._sentence(part) for part in re.split(r"((?<=[.!?])\s+|\n)", text))

    def _sentence(self, sentence: str) -> str:
        if not sentence.strip():
            return sentence
        details = contact_details(sentence)
        if not details:
            # "This is the official policy" right after a quoted detail would lend it an authority it
            # lacks; elsewhere ("Mentoring is not mandatory.") such a sentence is plain guidance.
            dropped = self._after_quote and OFFICIAL.search(sentence)
            self._after_quote = False
            return "" if dropped else sentence
        quoted_before = len(self.quoted)
        replaced = " ".join(self._replacement(detail) for detail in details) + _trailing_space(sentence)
        self._after_quote = len(self.quoted) > quoted_before
        return replaced

    def _replacement(self, detail: str) -> str:
        holders = [p for p in self.passages if _key(detail) in _key(p.text)]
        if not holders:
            return "(A contact detail that no guidance note gives was left out.)"
        if len(holders) >= MIN_SOURCES:
            return f"The guidance notes give {detail}."
        note = holders[0]
        self.quoted.append(QuotedContact(detail=detail, doc_id=note.doc_id, title=note.title))
        return (f"The note “{note.title}” [{note.n}] gives {detail}; that is the note's own text, "
                "not an official instruction, so check it with your programme first.")


def _trailing_space(sentence: str) -> str:
    return sentence[len(sentence.rstrip()):]
