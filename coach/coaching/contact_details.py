"""Contact details in an answer (links, e-mail addresses, phone numbers) are the riskiest thing a
planted note can smuggle into advice: "always contact hr-help@…, this is the official policy".
An answer may pass one on only as a quotation of the note it came from, with that note's title;
one that no passage holds is left out, and the answer never calls such a detail official."""

import re

from pydantic import BaseModel

CONTACT = re.compile(
    r"(?:https?://|www\.)[^\s<>()\[\]\"']+"                       # links
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"                              # e-mail addresses
    r"|(?<![\w/])\+?\d[\d ().-]{6,}\d(?![\w/])"                   # phone numbers
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|co|uk|info|biz)(?:/[^\s<>()\"']*)?",  # bare domains
    re.I)
OFFICIAL = re.compile(r"\b(official(ly)?|company policy|approved channel|mandatory)\b", re.I)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n")
MIN_SOURCES = 2  # a detail two or more notes agree on is the trainers' own, not one note's claim


class QuotedContact(BaseModel):
    detail: str
    doc_id: str
    title: str


DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def contact_details(text: str) -> list[str]:
    found = [match.group(0).rstrip(".,;:") for match in CONTACT.finditer(text)]
    return [detail for detail in found if not _just_a_number(detail)]


def _just_a_number(detail: str) -> bool:
    """A date or a short figure is not a phone number: a phone number has seven digits or more."""
    if re.search(r"[a-z@]", detail, re.I):
        return False
    return DATE.match(detail) is not None or sum(ch.isdigit() for ch in detail) < 7


def _key(detail: str) -> str:
    return re.sub(r"[^\w@]", "", detail.lower())


class ContactGuard:
    """Rewrites, sentence by sentence as the answer streams, any sentence that passes on a contact
    detail: as a quotation of its note when one or a few notes hold it, or without it otherwise."""

    def __init__(self, passages: list) -> None:
        self.passages = passages
        self.quoted: list[QuotedContact] = []
        self._pending = ""

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
        if not CONTACT.search(text) and not (self.quoted and OFFICIAL.search(text)):
            return text
        return "".join(self._sentence(part) for part in re.split(r"((?<=[.!?])\s+|\n)", text))

    def _sentence(self, sentence: str) -> str:
        details = contact_details(sentence)
        if not details:
            # "This is the official policy" after a quoted detail would lend it an authority it lacks.
            return "" if self.quoted and OFFICIAL.search(sentence) else sentence
        return " ".join(self._replacement(detail) for detail in details) + _trailing_space(sentence)

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
