"""Citation markers like [1] or [2, 3] in model answers: keep the valid ones, drop invented ones."""

import re

# A number list, or a hex id: pressed not to copy, the small model once cited the prompt's data
# fence id ("[56c79888360f]") as if it were a passage; it is removed like any invented number.
MARKER = re.compile(r"( ?)\[(\d+(?:\s*,\s*\d+)*|[0-9a-f]{8,16})\]")
# Longest text that could still become a marker; anything longer after "[" is plain text.
MAX_PENDING = 16


def cited_numbers(answer: str) -> list[int]:
    """Distinct passage numbers in order of first citation."""
    seen: list[int] = []
    for match in MARKER.finditer(answer):
        for number in _numbers(match):
            if number >= 0 and number not in seen:
                seen.append(number)
    return seen


def _numbers(match: re.Match) -> list[int]:
    """The passage numbers a marker cites; a hex id is none, and counts as one invented citation."""
    parts = match.group(2).split(",")
    return [int(part) for part in parts] if all(part.strip().isdigit() for part in parts) else [-1]


def filter_citations(text: str, allowed: set[int]) -> tuple[str, int]:
    """Remove numbers outside `allowed` from every marker; returns the text and how many were removed."""
    removed = 0

    def keep_valid(match: re.Match) -> str:
        nonlocal removed
        numbers = _numbers(match)
        valid = [n for n in numbers if n in allowed]
        removed += len(numbers) - len(valid)
        return match.group(1) + "[" + ", ".join(map(str, valid)) + "]" if valid else ""

    return MARKER.sub(keep_valid, text), removed


class CitationStreamFilter:
    """Filters a streamed answer piece by piece, holding back only a possible unfinished marker."""

    def __init__(self, allowed: set[int]) -> None:
        self.allowed = allowed
        self.removed = 0
        self._pending = ""

    def feed(self, piece: str) -> str:
        text = self._pending + piece
        cut = self._hold_from(text)
        text, self._pending = text[:cut], text[cut:]
        return self._emit(text)

    @staticmethod
    def _hold_from(text: str) -> int:
        """Where a possible unfinished marker (with the space before it) starts, else the end."""
        cut = text.rfind("[")
        if cut != -1 and "]" not in text[cut:] and len(text) - cut <= MAX_PENDING:
            return cut - 1 if cut > 0 and text[cut - 1] == " " else cut
        # A trailing space may belong to a marker that arrives in the next piece.
        return len(text) - 1 if text.endswith(" ") else len(text)

    def flush(self) -> str:
        text, self._pending = self._pending, ""
        return self._emit(text)

    def _emit(self, text: str) -> str:
        cleaned, removed = filter_citations(text, self.allowed)
        self.removed += removed
        return cleaned


class CitationGate:
    """Holds an answer back until it cites a passage, so words that cite nothing are never shown as
    grounded advice. Feed it text whose invented markers are already removed."""

    def __init__(self) -> None:
        self.opened = False
        self._held: list[str] = []

    def feed(self, text: str) -> str:
        if self.opened:
            return text
        self._held.append(text)
        held = "".join(self._held)
        if MARKER.search(held):
            self.opened, self._held = True, []
            return held
        return ""
