"""Ask: answer a mentor's question from retrieved guidance passages, with checked citations."""

import time
from collections.abc import Iterator
from threading import Event

from pydantic import BaseModel, Field

from coach.coaching.citations import CitationStreamFilter, cited_numbers
from coach.coaching.contact_details import ContactGuard, QuotedContact
from coach.coaching.data_fence import fence, new_boundary
from coach.coaching.prompts import PromptTemplate
from coach.errors import CoachError
from coach.formats.display import display_safe
from coach.llm.base import ChatBackend, ChatMessage, GenerationStats, prompt_cache
from coach.retrieval.passage import Passage, Retriever


class Citation(BaseModel):
    n: int
    doc_id: str
    title: str
    source: str


class NumberedPassage(BaseModel):
    n: int
    doc_id: str
    title: str
    source: str
    heading: str = ""
    text: str
    score: float


class AskPlan(BaseModel):
    """Everything decided before the model is called: the passages and the messages."""

    question: str
    passages: list[NumberedPassage]
    grounded: bool
    messages: list[ChatMessage] = Field(default_factory=list)
    retrieval_seconds: float = 0.0
    removed_citations: int = 0  # filled in while the answer streams
    quoted_contacts: list[QuotedContact] = Field(default_factory=list)  # likewise
    stats: GenerationStats = Field(default_factory=GenerationStats)  # the reply's own, once streamed


class AskResult(BaseModel):
    question: str
    answer: str
    grounded: bool
    citations: list[Citation]
    passages: list[NumberedPassage]
    removed_citations: int = 0
    quoted_contacts: list[QuotedContact] = Field(default_factory=list)  # passed on as one note's words
    timings: dict[str, float | int] = Field(default_factory=dict)


class AskService:
    def __init__(self, retriever: Retriever, backend: ChatBackend, prompt: PromptTemplate, *,
                 top_k: int, min_relevance: float, max_tokens: int, max_question_chars: int) -> None:
        self.retriever, self.backend, self.prompt = retriever, backend, prompt
        self.top_k, self.min_relevance = top_k, min_relevance
        self.max_tokens, self.max_question_chars = max_tokens, max_question_chars

    def warm_up(self) -> None:
        """Evaluate the fixed system prompt now, so each question pays only for its own tokens
        (a backend without a prompt cache of its own, such as a server, skips this)."""
        if cache := prompt_cache(self.backend):
            cache.warm_up(self.prompt.render(passages="", question="")[:1])

    def plan(self, question: str) -> AskPlan:
        question = self._clean(question)
        started = time.perf_counter()
        found = self.retriever.search(question, self.top_k)
        elapsed = time.perf_counter() - started
        grounded = bool(found) and found[0].score >= self.min_relevance
        passages = [_numbered(n, p) for n, p in enumerate(found, start=1)] if grounded else []
        plan = AskPlan(question=question, passages=passages, grounded=grounded, retrieval_seconds=elapsed)
        if grounded:
            plan.passages, plan.messages = self._fit_to_context(question, passages)
        return plan

    def stream(self, plan: AskPlan, stop: Event | None = None) -> Iterator[str]:
        """Yield the answer's text as it is written, with invented citations already removed."""
        if not plan.grounded:
            yield self.prompt.no_guidance.strip()
            return
        citation_filter = CitationStreamFilter({p.n for p in plan.passages})
        contacts = ContactGuard(plan.passages)
        reply = self.backend.stream(plan.messages, self.max_tokens, stop)
        plan.stats = reply.stats
        try:
            for piece in reply:  # display_safe: a model can emit escape codes too
                if text := contacts.feed(citation_filter.feed(display_safe(piece))):
                    yield text
            if text := contacts.feed(citation_filter.flush()) + contacts.flush():
                yield text
        finally:
            reply.close()  # a reader that stops early must stop the model too
            plan.removed_citations, plan.quoted_contacts = citation_filter.removed, contacts.quoted

    def result(self, plan: AskPlan, answer: str) -> AskResult:
        by_number = {p.n: p for p in plan.passages}
        citations = [Citation(n=n, doc_id=by_number[n].doc_id, title=by_number[n].title,
                              source=by_number[n].source)
                     for n in cited_numbers(answer) if n in by_number]
        return AskResult(question=plan.question, answer=answer.strip(), grounded=plan.grounded,
                         citations=citations, passages=plan.passages, removed_citations=plan.removed_citations,
                         quoted_contacts=plan.quoted_contacts,
                         timings=self._timings(plan))

    def ask(self, question: str, stop: Event | None = None) -> Iterator[str | AskResult]:
        """Convenience for the CLI: yields text pieces, then the final AskResult."""
        plan = self.plan(question)
        pieces: list[str] = []
        for piece in self.stream(plan, stop):
            pieces.append(piece)
            yield piece
        yield self.result(plan, "".join(pieces))

    def _clean(self, question: str) -> str:
        question = display_safe(question).strip()  # the same cleaning as every other text
        if not question:
            raise CoachError("The question is empty; type what you would like to know.")
        if len(question) > self.max_question_chars:
            raise CoachError(f"The question is {len(question):,} characters long; the limit is "
                             f"{self.max_question_chars:,}, so shorten it to its core.")
        return question

    def _fit_to_context(self, question: str, passages: list[NumberedPassage]
                        ) -> tuple[list[NumberedPassage], list[ChatMessage]]:
        """Drop the weakest passages until prompt + answer fit the context window."""
        budget = self.backend.n_ctx - self.max_tokens
        kept = list(passages)
        boundary = new_boundary()  # one per request: a passage cannot guess it to close the fence early
        while True:
            messages = self.prompt.render(passages=format_passages(kept, boundary), question=question)
            if self.backend.count_tokens(messages) <= budget:
                return kept, messages
            if len(kept) > 1:
                kept.pop()
            elif len(kept[0].text) > 200:  # a lone huge passage: keep its first half
                kept[0] = kept[0].model_copy(update={"text": _first_half(kept[0].text)})
            else:
                return kept, messages  # the backend shortens the answer to whatever room is left

    def _timings(self, plan: AskPlan) -> dict[str, float | int]:
        timings = {"retrieval_seconds": round(plan.retrieval_seconds, 4)}
        if plan.grounded:
            stats = plan.stats
            timings |= {"first_token_seconds": round(stats.first_token_seconds, 3),
                        "total_seconds": round(stats.total_seconds, 3),
                        "prompt_tokens": stats.prompt_tokens,
                        "evaluated_prompt_tokens": stats.evaluated_prompt_tokens,
                        "completion_tokens": stats.completion_tokens,
                        "tokens_per_second": round(stats.tokens_per_second, 2)}
        return timings


def format_passages(passages: list[NumberedPassage], boundary: str | None = None) -> str:
    # Titles are left out on purpose: the small default model copied "title — heading" lines into
    # its answers, and it paraphrased better with the bare text (tried by hand on the golden set).
    return fence("\n\n".join(f"[{p.n}] {p.text}" for p in passages), boundary or new_boundary())


def _first_half(text: str) -> str:
    cut = text.rfind(". ", 0, len(text) // 2)
    return text[: cut + 1] if cut > 0 else text[: len(text) // 2]


def _numbered(n: int, passage: Passage) -> NumberedPassage:
    return NumberedPassage(n=n, doc_id=passage.doc_id, title=passage.title, source=passage.source,
                           heading=passage.heading, text=passage.text, score=passage.score)
