"""Type-ahead: while a question is typed, retrieval runs on the words so far; once two looks in a
row bring back the same passages (or the typing has paused), the model reads the system prompt, those passages and the
question so far into its KV cache, so Enter leaves only the last words and the instructions."""

import re
from enum import Enum
from threading import Event, Lock

from coach.coaching.ask import AskService, passage_key
from coach.formats.display import display_safe
from coach.llm.base import ChatMessage, prompt_prefill

MIN_WORDS = 3  # "how do" finds nothing worth reading yet
UNFINISHED_WORD = re.compile(r"\S+$")


class ReadAhead(Enum):
    SUPERSEDED = "newer typing came first"
    TOO_SHORT = "too few words yet"
    OFF_TOPIC = "nothing relevant yet"
    UNSTABLE = "passages still changing"
    NO_CACHE = "the model keeps no cache here"
    READ = "passages read ahead"


class TypeAhead:
    """One per Ask box. `typed()` is called from a worker after a pause in typing; a later call's
    `stop` is the earlier one's signal to give way, and calls run one at a time."""

    def __init__(self, ask: AskService) -> None:
        self.ask = ask
        self.tokens_read = 0
        self._last: tuple[str, ...] = ()
        self._last_words = ""
        self._one_at_a_time = Lock()

    def typed(self, text: str, stop: Event) -> ReadAhead:
        with self._one_at_a_time:
            if stop.is_set():
                return ReadAhead.SUPERSEDED
            words = display_safe(text).lstrip()
            if len(words.split()) < MIN_WORDS:
                return ReadAhead.TOO_SHORT
            return self._read_ahead(words, stop)

    def _read_ahead(self, words: str, stop: Event) -> ReadAhead:
        """`words` may end in a half-typed word, or in a space after a whole one."""
        passages = self.ask.passages_for(words)
        key = passage_key(passages)
        # Stable: the same passages twice in a row, or the same words after a longer pause.
        stable = bool(key) and (key == self._last or words == self._last_words)
        self._last, self._last_words = key, words
        if not key:
            return ReadAhead.OFF_TOPIC
        if self.ask.sentences:  # the key guidance is then instant too
            self.ask.sentences.warm([p.text for p in passages])
        cache = prompt_prefill(self.ask.backend)
        if not stable or cache is None:
            return ReadAhead.UNSTABLE if cache else ReadAhead.NO_CACHE
        # Up to the last whole word: a half-typed word would tokenize differently once finished.
        typed = (words if words[-1].isspace() else UNFINISHED_WORD.sub("", words)).rstrip()
        kept, messages = self.ask.messages_for(typed, passages)
        self.ask.prefilled = passage_key(kept)
        self.tokens_read += cache.prefill(_up_to_question(messages, typed), stop)
        return ReadAhead.READ


def _up_to_question(messages: list[ChatMessage], question: str) -> list[ChatMessage]:
    """The messages with the last one cut right after the question: the instructions that follow
    it are read after Enter, when the question is complete."""
    last = messages[-1].content
    end = last.rfind(question) + len(question)
    return [*messages[:-1], ChatMessage(role=messages[-1].role, content=last[:end])]
