"""What makes a suggested phrasing a real rewrite: not the old line handed back, and without the
lead-in a model wraps around it ("You could say: '…'")."""

import re

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


def stitched(rewrite: str, lines: list[str]) -> bool:
    """True when nearly every word of the rewrite is already in the mentor's own lines: a mash of
    what was said, not new words."""
    said = {w.strip(".,!?;:'\"“”‘’").lower() for line in lines for w in line.split()}
    words = [w.strip(".,!?;:'\"“”‘’").lower() for w in rewrite.split()]
    words = [w for w in words if w]
    return bool(words) and sum(w not in said for w in words) / len(words) < 1 - COPIED_SHARE - 0.05
