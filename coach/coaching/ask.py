"""Ask: answer a mentor's question from retrieved guidance. The key guidance (sentences quoted from
the passages) is ready before the model starts; the model's advice follows, and is shown only once it
cites a passage, so words that cite nothing never pass as grounded."""

import time
import zlib
from collections.abc import Iterator
from threading import Event

from coach.coaching.ask_models import AskPlan, AskResult, Citation, NumberedPassage
from coach.coaching.citations import CitationGate, CitationStreamFilter, cited_numbers
from coach.coaching.contact_details import ContactGuard
from coach.coaching.data_fence import fence, neutralise, new_boundary
from coach.coaching.key_guidance import KeySentence, SentenceVectors, key_guidance
from coach.coaching.prompts import PromptTemplate
from coach.coaching.settling import WIDER, filled, fully_read, settled, still_relevant
from coach.errors import CoachError
from coach.formats.display import display_safe
from coach.llm.base import ChatBackend, ChatMessage, Sampling, prompt_cache, prompt_prefill
from coach.retrieval.passage import Passage, Retriever

__all__ = ["AskPlan", "AskResult", "AskService", "Citation", "NumberedPassage", "format_passages", "in_reading_order"]

# Stands in for the question while the prompt is rendered, to find where the question starts: the
# prompt before it (system, passages, "Question:") is the same whatever the question will be.
QUESTION_SLOT = "\x00question\x00"
UNCITED_NOTE = ("The model's own summary is left out: it cited none of the passages, so nothing showed "
                "it came from the guidance. The trainers' guidance above stands on its own.")


class AskService:
    def __init__(self, retriever: Retriever, backend: ChatBackend, prompt: PromptTemplate, *,
                 sentences: SentenceVectors | None = None, top_k: int, min_relevance: float, max_tokens: int,
                 max_question_chars: int) -> None:
        self.retriever, self.backend, self.prompt = retriever, backend, prompt
        self.sentences = sentences  # None: no key guidance (callers that want only the model's answer)
        self.top_k, self.min_relevance = top_k, min_relevance
        self.max_tokens, self.max_question_chars = max_tokens, max_question_chars
        # One fence boundary per service, not per question: the passages read ahead while a question
        # is typed must be the very tokens of the final prompt. A note still cannot guess it.
        self.boundary = new_boundary()
        self.prefilled: tuple[str, ...] = ()  # the passages the model last read ahead of Enter
        # The passages the model last began to read, in order: its KV cache holds them (or the start
        # of them), so the next prompt puts those still wanted first (in_reading_order).
        self.read_before: list[NumberedPassage] = []
        # Set when a read-ahead starts for the question being typed, cleared by plan(): only then is
        # the prompt settled on what was read (a pasted question gets the top notes, as `coach ask`).
        self.read_ahead_started = False

    def warm_up(self) -> None:
        """Evaluate the fixed system prompt now, so each question pays only for its own tokens
        (a backend without a prompt cache of its own, such as a server, skips this)."""
        if cache := prompt_cache(self.backend):
            cache.warm_up(self.prompt.render(passages="", question="")[:1])

    def plan(self, question: str) -> AskPlan:
        started = time.perf_counter()
        question = self._clean(question)
        ranked = self.passages_for(question)
        plan = AskPlan(question=question, passages=ranked, grounded=bool(ranked), started=started,
                       retrieval_seconds=time.perf_counter() - started)
        if not plan.grounded:
            return plan
        # From the whole question's top notes, before the model's passages are settled.
        found = key_guidance(question, [(p.n, p.text) for p in ranked], self.sentences) if self.sentences else []
        in_prompt, plan.messages = self.messages_for(question, self._for_prompt(question, ranked))
        self.read_ahead_started = False
        plan.passages, plan.key_guidance = _shown_with_quotes(in_prompt, ranked, found)
        plan.in_prompt = len(in_prompt)
        self.read_before = list(in_prompt)
        plan.prefilled = bool(self.prefilled) and self.prefilled == passage_key(in_prompt)
        # Everything before the screen can show the key guidance, settling included.
        plan.key_guidance_seconds = time.perf_counter() - started - plan.retrieval_seconds
        return plan

    def _for_prompt(self, question: str, ranked: list[NumberedPassage]) -> list[NumberedPassage]:
        """The passages the model reads. With nothing read ahead, the top notes; after a read-ahead,
        what the model read in full while it is still relevant, plus the best note if it lacks it
        (coaching.settling)."""
        if not self.read_ahead_started or not self.read_before or prompt_prefill(self.backend) is None:
            return in_reading_order(ranked, self.read_before)
        return self._settled(question, ranked)

    def to_read_ahead(self, words: str) -> list[NumberedPassage]:
        """The passages to read while the question is typed (words so far): what the model has read
        in full and is still relevant, the best note next, then the others by rank."""
        ranked = self.passages_for(words)
        if not ranked or prompt_prefill(self.backend) is None:
            return in_reading_order(ranked, self.read_before)
        return filled(self._settled(words, ranked), ranked, self.top_k)

    def _settled(self, question: str, ranked: list[NumberedPassage]) -> list[NumberedPassage]:
        prefill = prompt_prefill(self.backend)
        wider = [p for p in _numbered_all(self.retriever.search(question, WIDER * self.top_k))
                 if p.score >= self.min_relevance]
        relevant = still_relevant(self.read_before, [*wider, *ranked])
        read_count = fully_read(relevant, lambda notes: prefill.uncached(self.through_passages(notes)))
        return settled(ranked, relevant, read_count, self.top_k)

    def before_question(self, passages: list[NumberedPassage]) -> list[ChatMessage]:
        """The prompt up to where the question goes (system, passages, "Question:"): what can be read
        ahead; the question and the instruction after it are read after Enter."""
        messages = self.prompt.render(passages=format_passages(passages, self.boundary), question=QUESTION_SLOT)
        last = messages[-1].content
        before = last[: last.index(QUESTION_SLOT)].rstrip()
        return [*messages[:-1], ChatMessage(role=messages[-1].role, content=before)]

    def through_passages(self, passages: list[NumberedPassage]) -> list[ChatMessage]:
        """The prompt up to the end of the last passage's text: a read-ahead of more passages holds it
        too (what follows, the fence's end and "Question:", comes only after the last one read)."""
        messages = self.before_question(passages)
        last, tail = messages[-1].content, f"[{passages[-1].n}] {neutralise(passages[-1].text)}"
        end = last.rfind(tail)
        if end < 0:  # not expected; then only a read that reached "Question:" counts as read in full
            return messages
        return [*messages[:-1], ChatMessage(role=messages[-1].role, content=last[: end + len(tail)])]

    def passages_for(self, question: str) -> list[NumberedPassage]:
        """The numbered passages for a question, or none when even the best is not relevant enough."""
        found = self.retriever.search(question, self.top_k)
        if not found or max(p.score for p in found) < self.min_relevance:
            return []
        return _numbered_all(found)

    def stream(self, plan: AskPlan, stop: Event | None = None) -> Iterator[str]:
        """Yield the model's advice as it is written, invented citations removed, held back until it
        cites a passage. An answer that cites nothing is asked for once more, with the rule repeated
        at the very end of the prompt; if that one cites nothing either, the note that it was left out."""
        if not plan.grounded:
            yield self.prompt.no_guidance.strip()
            return
        stop = stop or Event()
        cited = yield from self._attempt(plan, plan.messages, stop)
        if not cited and not stop.is_set() and self.prompt.cite_again:
            last = plan.messages[-1]
            again = [*plan.messages[:-1], last.model_copy(update={"content": f"{last.content}\n{self.prompt.cite_again.strip()}"})]
            plan.asked_again = True
            cited = yield from self._attempt(plan, again, stop)
        if not cited and not stop.is_set():
            plan.advice_withheld = True
            yield UNCITED_NOTE

    def _attempt(self, plan: AskPlan, messages: list[ChatMessage], stop: Event) -> Iterator[str]:
        """One reply, streamed through the filters; returns whether it cited a passage."""
        given = plan.passages[: plan.in_prompt]
        citation_filter, contacts, gate = CitationStreamFilter({p.n for p in given}), ContactGuard(given), CitationGate()
        # The mentor has the passages' key sentences word for word already: the model may not copy.
        advise = Sampling(avoid_copying_from=tuple(p.text for p in given))
        reply = self.backend.stream(messages, self.max_tokens, stop, sampling=advise)
        plan.stats = plan.stats if plan.first_token_at else reply.stats  # the first reply's timings count
        try:
            for piece in reply:  # display_safe: a model can emit escape codes too
                plan.first_token_at = plan.first_token_at or time.perf_counter()
                if text := gate.feed(contacts.feed(citation_filter.feed(display_safe(piece)))):
                    yield text
            if text := gate.feed(contacts.feed(citation_filter.flush()) + contacts.flush()):
                yield text
        finally:
            reply.close()  # a reader that stops early must stop the model too
            if gate.opened:  # a reply never shown has nothing to report
                plan.removed_citations += citation_filter.removed
                plan.quoted_contacts += contacts.quoted
        return gate.opened

    def result(self, plan: AskPlan, answer: str) -> AskResult:
        by_number = {p.n: p for p in plan.passages}
        cited = cited_numbers(answer) + [k.n for k in plan.key_guidance]
        citations = [Citation(n=n, doc_id=by_number[n].doc_id, title=by_number[n].title, source=by_number[n].source)
                     for n in dict.fromkeys(cited) if n in by_number]
        return AskResult(question=plan.question, answer=answer.strip(), grounded=plan.grounded,
                         key_guidance=plan.key_guidance, citations=citations, passages=plan.passages,
                         advice_withheld=plan.advice_withheld, removed_citations=plan.removed_citations,
                         quoted_contacts=plan.quoted_contacts, timings=self._timings(plan))

    def ask(self, question: str, stop: Event | None = None) -> Iterator[str | AskResult]:
        """For callers that only stream text (a time-out): the key guidance as Markdown, then the
        advice, then the final AskResult."""
        plan = self.plan(question)
        if plan.key_guidance:
            yield key_guidance_markdown(plan.key_guidance) + "\n\n"
        pieces: list[str] = []
        for piece in self.stream(plan, stop):
            pieces.append(piece)
            yield piece
        yield self.result(plan, "".join(pieces))

    def messages_for(self, question: str, passages: list[NumberedPassage]
                     ) -> tuple[list[NumberedPassage], list[ChatMessage]]:
        """Drop the weakest passages until prompt + answer fit the context window."""
        budget = self.backend.n_ctx - self.max_tokens
        kept = list(passages)
        while True:
            messages = self.prompt.render(passages=format_passages(kept, self.boundary), question=question)
            if self.backend.count_tokens(messages) <= budget:
                return kept, messages
            if len(kept) > 1:
                kept.pop()
            elif len(kept[0].text) > 200:  # a lone huge passage: keep its first half
                kept[0] = kept[0].model_copy(update={"text": _first_half(kept[0].text)})
            else:
                return kept, messages  # the backend shortens the answer to whatever room is left

    def _clean(self, question: str) -> str:
        question = display_safe(question).strip()  # the same cleaning as every other text
        if not question:
            raise CoachError("The question is empty; type what you would like to know.")
        if len(question) > self.max_question_chars:
            raise CoachError(f"The question is {len(question):,} characters long; the limit is "
                             f"{self.max_question_chars:,}, so shorten it to its core.")
        return question

    def _timings(self, plan: AskPlan) -> dict[str, float | int]:
        timings: dict[str, float | int] = {"retrieval_seconds": round(plan.retrieval_seconds, 4)}
        if plan.grounded:
            stats = plan.stats
            after_question = plan.first_token_at - plan.started if plan.first_token_at else 0.0
            timings |= {"key_guidance_seconds": round(plan.retrieval_seconds + plan.key_guidance_seconds, 4),
                        "first_token_seconds": round(stats.first_token_seconds, 3),
                        "first_token_after_question_seconds": round(after_question, 3),
                        "total_seconds": round(stats.total_seconds, 3),
                        "prompt_tokens": stats.prompt_tokens,
                        "evaluated_prompt_tokens": stats.evaluated_prompt_tokens,
                        "completion_tokens": stats.completion_tokens,
                        "tokens_per_second": round(stats.tokens_per_second, 2),
                        "prefilled": int(plan.prefilled)}
        return timings


def _shown_with_quotes(in_prompt: list[NumberedPassage], ranked: list[NumberedPassage], found: list[KeySentence]
                       ) -> tuple[list[NumberedPassage], list[KeySentence]]:
    """The passages listed for an answer, numbered: the model's own first, as in its prompt, then any
    top note it was not given. Each key sentence (numbered by rank) is renumbered to the passage
    that holds it; where the model read another chunk of that note, the ranked chunk is listed too."""
    shown = list(in_prompt)
    by_rank = {p.n: p for p in ranked}
    for passage in ranked:
        if passage.doc_id not in {p.doc_id for p in shown}:
            shown.append(passage)
    quotes = []
    for sentence in found:
        source = by_rank[sentence.n]
        holder = next((p for p in shown if p.doc_id == source.doc_id and _holds(p.text, sentence.text)), None)
        if holder is None:
            holder = source
            shown.append(source)
        quotes.append((sentence, holder))
    numbered = [p.model_copy(update={"n": n}) for n, p in enumerate(shown, start=1)]
    number = {id(p): n for n, p in enumerate(shown, start=1)}
    return numbered, [s.model_copy(update={"n": number[id(h)]}) for s, h in quotes]


def _holds(text: str, sentence: str) -> bool:
    """Whether a passage holds a key sentence (which may be prefixed by its heading, "What to say: …")."""
    flat = " ".join(text.split())
    return " ".join(sentence.split()).split(": ")[-1][-60:] in flat


def _numbered_all(found: list[Passage]) -> list[NumberedPassage]:
    return [_numbered(n, p) for n, p in enumerate(found, start=1)]


def key_guidance_markdown(sentences: list[KeySentence]) -> str:
    """The key guidance as a Markdown quote, each sentence with its passage number."""
    lines = [f"> {s.text} [{s.n}]" for s in sentences]
    return "**From the trainers' guidance**\n\n" + "\n>\n".join(lines)


def passage_key(passages: list[NumberedPassage]) -> tuple[str, ...]:
    """What identifies a prompt's passages, in order. The text's checksum is part of it: the top note
    is widened with its other close chunks, so one chunk id can stand for two texts."""
    return tuple(f"{p.chunk_id or p.doc_id}:{zlib.crc32(p.text.encode('utf-8')):08x}" for p in passages)


def in_reading_order(ranked: list[NumberedPassage], read_before: list[NumberedPassage]) -> list[NumberedPassage]:
    """The passages renumbered for the prompt: first the notes the model has just read, in the order
    and the very words it read them, for as long as each note is still among those wanted; then the
    other notes by rank. llama.cpp reuses the longest prompt prefix it already holds, so notes that
    stay relevant while a question is typed are read once, and each new word costs only the notes
    it brings in. (A note's best chunk may shift as words arrive; the chunk already read stays.)"""
    first = still_relevant(read_before, ranked)
    kept = {p.doc_id for p in first}
    rest = [p for p in ranked if p.doc_id not in kept]
    return [p.model_copy(update={"n": n}) for n, p in enumerate(first + rest, start=1)]


def format_passages(passages: list[NumberedPassage], boundary: str | None = None) -> str:
    # Titles are left out on purpose: the small default model copied "title — heading" lines into
    # its answers, and it paraphrased better with the bare text (tried by hand on the golden set).
    return fence("\n\n".join(f"[{p.n}] {p.text}" for p in passages), boundary or new_boundary())


def _first_half(text: str) -> str:
    cut = text.rfind(". ", 0, len(text) // 2)
    return text[: cut + 1] if cut > 0 else text[: len(text) // 2]


def _numbered(n: int, passage: Passage) -> NumberedPassage:
    return NumberedPassage(n=n, doc_id=passage.doc_id, title=passage.title, source=passage.source,
                           heading=passage.heading, text=passage.text, score=passage.score,
                           chunk_id=passage.chunk_id)
