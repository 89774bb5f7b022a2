"""Which passages the model reads for a question it has partly read ahead.

While a question is typed, the model reads the passages for the words so far. On 2 cores it reads
about 60 tokens a second, so four passages (600 tokens) take longer than most questions take to type,
and the last word often brings in a note that was not read: answering from the final top 4 then
leaves hundreds of tokens to read after Enter. Instead, the prompt keeps what the model has read
in full, as long as each note is still relevant to the whole question (among the wider top list),
and adds the final question's best note if it lacks it. The answer may then draw on notes ranked
fifth rather than second, but never without the best; the key guidance still quotes the top notes."""

from collections.abc import Callable, Sequence

from coach.coaching.ask_models import NumberedPassage

MUST_HAVE = 1  # the whole question's best note: always in the prompt, read or not
# Tokens a note's end may lack and still count as read: the tokenizer may merge its last characters
# with what follows ("." and "\n\n"), so a prompt cut at the note's end can differ in a token or two.
READ_SLACK = 2
WIDER = 2  # a note read ahead stays while it ranks within WIDER × top_k for the whole question


def still_relevant(read_before: Sequence[NumberedPassage], wider: Sequence[NumberedPassage]) -> list[NumberedPassage]:
    """The notes read ahead, in the order read, up to the first that the whole question no longer
    wants (the cache holds a prefix: whatever follows a dropped note would be read again)."""
    scores = {p.doc_id: p.score for p in wider}
    kept = []
    for read in read_before:
        if read.doc_id not in scores:
            break
        kept.append(read.model_copy(update={"score": scores[read.doc_id]}))
    return kept


def fully_read(relevant: Sequence[NumberedPassage], uncached: Callable[[list[NumberedPassage]], int]) -> int:
    """How many of the relevant notes the cache holds to their end: `uncached(notes)` counts the tokens
    of the prompt up to those notes that the model has not read. Counted up from the first, since
    each check renders and tokenizes a prompt and on Enter the first unread note is usually early."""
    for count in range(1, len(relevant) + 1):
        if uncached(list(relevant[:count])) > READ_SLACK:
            return count - 1
    return len(relevant)


def settled(ranked: Sequence[NumberedPassage], relevant: Sequence[NumberedPassage], read_count: int,
            limit: int) -> list[NumberedPassage]:
    """The prompt's passages, numbered: the notes read in full, then a note half read if it is one of
    the best, then the best notes still missing. Notes read but not needed give way, latest first,
    when there are more than `limit`."""
    best = {p.doc_id for p in ranked[:MUST_HAVE]}
    kept = list(relevant[:read_count])
    if read_count < len(relevant) and relevant[read_count].doc_id in best:
        kept.append(relevant[read_count])  # its first part is cached already
    present = {p.doc_id for p in kept}
    missing = [p for p in ranked[:MUST_HAVE] if p.doc_id not in present]
    while len(kept) + len(missing) > limit and kept and kept[-1].doc_id not in best:
        kept.pop()
    return [p.model_copy(update={"n": n}) for n, p in enumerate(kept + missing, start=1)]


def filled(chosen: Sequence[NumberedPassage], ranked: Sequence[NumberedPassage],
           limit: int) -> list[NumberedPassage]:
    """What to read while the question is still typed: the settled passages, then the next notes by
    rank up to `limit` (read if time allows; a note that slips from 4th to 6th as words arrive is
    kept rather than read again after the ones that displaced it)."""
    present = {p.doc_id for p in chosen}
    more = [p for p in ranked if p.doc_id not in present][: max(0, limit - len(chosen))]
    return [p.model_copy(update={"n": n}) for n, p in enumerate([*chosen, *more], start=1)]
