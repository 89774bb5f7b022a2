"""Split a document's Markdown into passages that follow headings and paragraphs.

Passages aim at about 120-220 tokens, never end inside a sentence, and carry the previous passage's
last sentence as a small overlap so an idea that straddles a boundary is still found.
"""

import re
from collections.abc import Callable, Iterator

from pydantic import BaseModel

TARGET_MIN_TOKENS = 120
TARGET_MAX_TOKENS = 200
OVERLAP_MAX_TOKENS = 30
HARD_MAX_TOKENS = 300  # only a run-on "sentence" with no full stop is ever split inside itself

HEADING_MARK = ":"  # a packed-in section title becomes a line like "What to say:"
HEADING = re.compile(r"^(#{1,6})\s+(.*\S)\s*$")
LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
TOKEN = re.compile(r"\w+|[^\w\s]")

TokenCounter = Callable[[str], int]


def estimate_tokens(text: str) -> int:
    """Words and punctuation marks: close to what a WordPiece tokenizer counts for English prose."""
    return len(TOKEN.findall(text))


class Chunk(BaseModel):
    heading: str
    body: str  # this passage's own text
    overlap: str = ""  # repeated tail of the previous passage in the same section

    @property
    def text(self) -> str:
        joiner = "\n" if LIST_ITEM.match(self.body) else " "
        return f"{self.overlap}{joiner}{self.body}".strip()


def chunk_markdown(markdown: str, count: TokenCounter = estimate_tokens) -> list[Chunk]:
    """Passages in document order. A heading starts a new passage once the current one is big
    enough; short sections are packed together (their headings kept as lines) instead."""
    chunks: list[Chunk] = []
    heading, units = "", []
    for section_heading, blocks in _sections(markdown):
        section_units = [u for block in blocks for u in _units(block, count)]
        if units and count(" ".join(units)) >= TARGET_MIN_TOKENS:
            chunks.extend(_pack(heading, units, count, chunks))
            heading, units = section_heading, []
        if not units:
            heading = section_heading
        elif section_heading:
            section_units.insert(0, section_heading + HEADING_MARK)
        units.extend(section_units)
    if units:
        chunks.extend(_pack(heading, units, count, chunks))
    return chunks


def _sections(markdown: str) -> Iterator[tuple[str, list[str]]]:
    heading, lines = "", []
    for line in markdown.splitlines():
        match = HEADING.match(line)
        if match:
            if blocks := _blocks(lines):
                yield heading, blocks
            heading, lines = match.group(2).strip(), []
        else:
            lines.append(line)
    if blocks := _blocks(lines):
        yield heading, blocks


def _blocks(lines: list[str]) -> list[str]:
    text = "\n".join(lines)
    return [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]


def _units(block: str, count: TokenCounter) -> Iterator[str]:
    """The pieces a passage may end after: list items, then sentences, never less."""
    lines = block.splitlines()
    items = _list_items(lines) if any(LIST_ITEM.match(line) for line in lines) else [" ".join(lines)]
    for item in items:
        item = " ".join(item.split())
        if count(item) <= TARGET_MAX_TOKENS:
            yield item
            continue
        for sentence in SENTENCE_END.split(item):
            yield from _split_run_on(sentence, count)


def _list_items(lines: list[str]) -> list[str]:
    items: list[str] = []
    for line in lines:
        if LIST_ITEM.match(line) or not items:
            items.append(line.strip())
        else:
            items[-1] += " " + line.strip()  # a wrapped continuation of the item above
    return items


def _split_run_on(sentence: str, count: TokenCounter) -> Iterator[str]:
    if count(sentence) <= HARD_MAX_TOKENS:
        yield sentence
        return
    words, piece = sentence.split(), []
    for word in words:
        if piece and count(" ".join(piece + [word])) > TARGET_MAX_TOKENS:
            yield " ".join(piece)
            piece = []
        piece.append(word)
    if piece:
        yield " ".join(piece)


def _pack(heading: str, units: list[str], count: TokenCounter, earlier: list[Chunk]) -> list[Chunk]:
    chunks: list[Chunk] = []
    current: list[str] = []
    for unit in units:
        if current and count(" ".join(current + [unit])) > TARGET_MAX_TOKENS:
            # A section title must open the passage it introduces, never end the previous one.
            carried = [current.pop()] if len(current) > 1 and current[-1].endswith(HEADING_MARK) else []
            chunks.append(_make_chunk(heading, current, earlier + chunks, count))
            current = carried
        current.append(unit)
    if current:
        chunks.append(_make_chunk(heading, current, earlier + chunks, count))
    return chunks


def _make_chunk(heading: str, units: list[str], earlier: list[Chunk], count: TokenCounter) -> Chunk:
    overlap = _last_sentence(earlier[-1].body) if earlier else ""
    if count(overlap) > OVERLAP_MAX_TOKENS:
        overlap = ""
    return Chunk(heading=heading, body="\n".join(units) if _is_list(units) else " ".join(units),
                 overlap=overlap)


def _is_list(units: list[str]) -> bool:
    return any(LIST_ITEM.match(unit) for unit in units)


def _last_sentence(text: str) -> str:
    last_line = text.splitlines()[-1]
    return SENTENCE_END.split(last_line)[-1].strip()
