"""One mentee reply, streamed sentence by sentence through the guard: each sentence is shown as soon
as it passes; the first one that fails ends the reply there (it is never shown, so nothing is ever
taken off the screen). If not even the first sentence passes, the reply is generated once more, and
after that the fixed in-character line stands."""

import time
from collections.abc import Callable, Sequence
from contextlib import closing
from threading import Event

from pydantic import BaseModel

from coach.coaching.practice.guard import MAX_SENTENCES, GuardContext, MenteeGuard
from coach.coaching.practice.sentences import SentenceStream, normal_form, split_sentences
from coach.formats.display import display_safe
from coach.llm.base import ChatBackend, ChatMessage, GenerationStats, Sampling, continues_replies

Progress = Callable[[str], None]  # told the reply as shown so far: the sentences that have passed
END_MARKS = (".", "!", "?", "…", '"', "'", "”", "’", ")")


class Spoken(BaseModel):
    text: str
    retries: int  # 1 when the first attempt was thrown away
    problems: list[str]  # everything the guard caught: a rejected first attempt, a dropped sentence
    rejected: list[str] = []  # the sentences the guard caught, as the model wrote them (for the bench)
    clean_first_try: bool  # the first attempt passed whole, with nothing rejected or dropped
    first_shown_seconds: float  # from `started` to the first sentence on screen
    opener: str = ""  # the words the reply was begun with for the model, if any
    stats: GenerationStats  # the first attempt's (its prompt evaluation shows the KV reuse)


class _Attempt(BaseModel):
    sentences: list[str] = []
    problems: list[str] = []
    rejected: str = ""


class GuardedSpeaker:
    def __init__(self, backend: ChatBackend, guard: MenteeGuard, sampling: Sampling, max_tokens: int,
                 fallback: str) -> None:
        self.backend, self.guard, self.sampling = backend, guard, sampling
        self.max_tokens = max_tokens
        self.fallbacks = [line.strip() for line in fallback.splitlines() if line.strip()] or ["…"]

    def speak(self, messages: Sequence[ChatMessage], context: GuardContext, stop: Event,
              progress: Progress | None, started: float, opener: str = "") -> Spoken | None:
        """The reply as shown; None if stopped first. `opener` is the reply's first words, written for
        the model, when the backend can go on from them (base.continues_replies)."""
        if opener and continues_replies(self.backend):
            messages = [*messages, ChatMessage(role="assistant", content=opener)]
        else:
            opener = ""
        shown_at: list[float] = []

        def show(text: str) -> None:
            if not shown_at:
                shown_at.append(time.perf_counter() - started)
            if progress:
                progress(text)

        first, stats = self._attempt(messages, context, stop, show, opener)
        attempts = [first]
        if not first.sentences and not stop.is_set():
            attempts.append(self._attempt(messages, context, stop, show, opener)[0])
        if stop.is_set():
            return None
        text = " ".join(attempts[-1].sentences)
        if not text:
            text = self._fallback(context)
            show(text)
        return Spoken(text=text, retries=len(attempts) - 1, problems=[p for a in attempts for p in a.problems],
                      rejected=[a.rejected for a in attempts if a.rejected],
                      clean_first_try=not first.problems, first_shown_seconds=shown_at[0], stats=stats,
                      opener=opener)

    def _attempt(self, messages: Sequence[ChatMessage], context: GuardContext, stop: Event,
                 show: Progress, opener: str) -> tuple[_Attempt, GenerationStats]:
        attempt, said, stream = _Attempt(), set(context.said), SentenceStream()
        reply = self.backend.stream(messages, self.max_tokens, stop, sampling=self.sampling)
        with closing(reply):  # an error or an early end must not leave the model's lock held
            # The opener is a whole sentence: checked like the model's own words and shown at once.
            self._take(stream.feed(opener + " " if opener else ""), attempt, said, context, show)
            for piece in reply:
                if self._take(stream.feed(display_safe(piece)), attempt, said, context, show):
                    break
            else:
                if not stop.is_set():
                    self._take(self._finished(stream.flush(), attempt), attempt, said, context, show)
        return attempt, reply.stats

    def _take(self, sentences: list[str], attempt: _Attempt, said: set[str], context: GuardContext,
              show: Progress) -> bool:
        """Check and show each new sentence; True once the reply is over (a failure, or enough said)."""
        for raw in sentences:
            # Spaces collapsed: an opener fed with its space, then a token that starts with one, left two.
            sentence = " ".join(self.guard.without_own_label(raw).split())
            problems = self.guard.check_sentence(sentence, context.model_copy(update={"said": said})) if sentence else []
            if problems:
                attempt.problems += problems
                attempt.rejected = sentence
                return True
            if sentence:
                attempt.sentences.append(sentence)
                said.add(normal_form(sentence))
                show(" ".join(attempt.sentences))
            if len(attempt.sentences) >= MAX_SENTENCES:
                return True
        return False

    def _fallback(self, context: GuardContext) -> str:
        """The first fixed line not said yet this session, so the last resort does not loop either."""
        unsaid = [line for line in self.fallbacks if normal_form(split_sentences(line)[0]) not in context.said]
        return (unsaid or self.fallbacks)[0]

    @staticmethod
    def _finished(tail: list[str], attempt: _Attempt) -> list[str]:
        """A sentence cut off by the token limit is dropped, unless it is all there is."""
        if tail and attempt.sentences and not tail[0].endswith(END_MARKS):
            return []
        return tail
