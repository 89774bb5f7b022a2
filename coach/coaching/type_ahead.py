"""Type-ahead: while a question is typed, retrieval runs on the words so far (after a pause in typing),
and the model reads the system prompt and those passages into its KV cache. A read-ahead is
interrupted only when the passages change, or by `stop()` (Enter, a role-play turn); new typing that
finds the same passages leaves it running. Enter then leaves only the question and the instruction."""

import re
from collections.abc import Callable
from enum import Enum
from threading import Event, Lock

from coach.coaching.ask import AskService, passage_key
from coach.coaching.ask_models import NumberedPassage
from coach.formats.display import display_safe
from coach.llm.base import prompt_prefill

MIN_WORDS = 3  # "how do" finds nothing worth reading yet
UNFINISHED_WORD = re.compile(r"\S*[^\s.?!,;:)]$")  # a last word with no space or punctuation after it


class ReadAhead(Enum):
    SUPERSEDED = "newer typing or Enter came first"
    TOO_SHORT = "too few words yet"
    OFF_TOPIC = "nothing relevant yet"
    NO_CACHE = "the model keeps no cache here"
    UNCHANGED = "same passages: the read-ahead already under way or done stands"
    INTERRUPTED = "stopped before the end (other passages, Enter, or a reply wanted the model)"
    READ = "passages read ahead"


def whole_words(text: str) -> str:
    """The text up to its last whole word: a half-typed word would find other passages."""
    return UNFINISHED_WORD.sub("", text).rstrip()


class TypeAhead:
    """One per question box. `typed()` runs in a worker, possibly several at once; only the newest
    look decides, and one read-ahead runs at a time."""

    def __init__(self, ask: AskService, before_reading: Callable[[], None] = lambda: None) -> None:
        self.ask = ask
        self.before_reading = before_reading  # runs (in the worker) before each read-ahead touches the model
        self.tokens_read = 0
        self.completed = 0  # read-aheads that reached the end of their passages
        self.looked = 0  # looks at the words typed so far
        self.started = 0  # read-aheads started (a change of passages starts another)
        self._state = Lock()
        self._one_read = Lock()
        self._looks = 0  # numbers each look, so an older one that finishes late is ignored
        self._decided = 0
        self._target: tuple[str, ...] = ()  # the passages being read, or read in full
        self._reading = Event()  # set to make the running read-ahead give way

    def typed(self, text: str) -> ReadAhead:
        with self._state:
            self._looks += 1
            look = self._looks
            self.looked += 1
        words = display_safe(text).strip()
        if len(words.split()) < MIN_WORDS:
            return ReadAhead.TOO_SHORT
        passages = self.ask.to_read_ahead(words)
        if not passages:
            return ReadAhead.OFF_TOPIC
        if self.ask.sentences:  # the key guidance is then instant too
            self.ask.sentences.warm([p.text for p in passages])
        if prompt_prefill(self.ask.backend) is None:
            return ReadAhead.NO_CACHE
        refused, stop = self._claim(look, passage_key(passages))
        return refused or self._read(words, passages, stop)

    def stop(self) -> None:
        """Enter, a role-play turn or leaving the box: stop reading ahead, and let later typing start
        afresh (the model may read other things meanwhile; re-reading what is still cached is free)."""
        with self._state:
            self._reading.set()
            self._decided = self._looks = self._looks + 1
            self._target = ()

    def _claim(self, look: int, key: tuple[str, ...]) -> tuple[ReadAhead | None, Event]:
        """The stop signal of a new read-ahead of these passages, or why there is none: a newer look
        (or stop()) came first, or these passages are already being read or have been read."""
        with self._state:
            if look < self._decided:
                return ReadAhead.SUPERSEDED, self._reading
            self._decided = look
            if key == self._target:
                return ReadAhead.UNCHANGED, self._reading
            self._reading.set()  # other passages: the read-ahead under way gives way
            self._reading, self._target = Event(), key
            self.ask.prefilled = ()
            self.started += 1
            return None, self._reading

    def _read(self, words: str, passages: list[NumberedPassage], stop: Event) -> ReadAhead:
        kept, _ = self.ask.messages_for(words, passages)
        with self._one_read:  # the read-ahead it replaces ends within one slice
            if stop.is_set():
                return ReadAhead.INTERRUPTED
            self.before_reading()
            self.ask.read_before = list(kept)  # even a read cut short leaves its start cached
            self.ask.read_ahead_started = True
            done = prompt_prefill(self.ask.backend).prefill(self.ask.before_question(kept), stop)
        self.tokens_read += done.evaluated
        with self._state:
            if not done.complete:
                if stop is self._reading:  # a reply took the model: a later look may start again
                    self._target = ()
                return ReadAhead.INTERRUPTED
            self.completed += 1
            self.ask.prefilled = passage_key(kept)
        return ReadAhead.READ
