"""What a question box does while the mentor types (the Ask screen and the time-out box share it):
after a pause in typing, a worker looks up the passages for the words so far and lets the model read
them ahead (coach.coaching.type_ahead). Keystrokes only reset the pause timer; they never stop a
read-ahead, which gives way only to other passages, Enter, or a reply that wants the model."""

from collections.abc import Callable

from textual.screen import Screen
from textual.timer import Timer

from coach.coaching.type_ahead import TypeAhead, whole_words

# After this much quiet, look at the whole words typed so far: a steady typist (5 characters a
# second) triggers it between keys, and a look runs only when a new word is complete.
TYPING_PAUSE_SECONDS = 0.15
# After a longer pause, look at everything typed, the last word too (it may be the one that matters).
LONG_PAUSE_SECONDS = 0.6


class ReadingAhead:
    """One per question box; `make` builds its TypeAhead once the model is there."""

    def __init__(self, screen: Screen, make: Callable[[], TypeAhead]) -> None:
        self.screen, self._make = screen, make
        self._type_ahead: TypeAhead | None = None
        self._pauses: list[Timer] = []
        self._looked = ""  # the last text looked up: the same words are never looked up twice

    @property
    def type_ahead(self) -> TypeAhead:
        """The box's one TypeAhead: its AskService answers on Enter too, so that the fence boundary
        in the prompt read ahead is the one in the final prompt."""
        if self._type_ahead is None:
            self._type_ahead = self._make()
        return self._type_ahead

    def typed(self, text: str) -> None:
        """Called on every change in the box."""
        self._cancel_pauses()
        if not text.strip():
            return
        self._pauses = [self.screen.set_timer(TYPING_PAUSE_SECONDS, lambda: self._look(whole_words(text))),
                        self.screen.set_timer(LONG_PAUSE_SECONDS, lambda: self._look(text.strip()))]

    def stop(self) -> None:
        """Enter, or leaving the box: stop looking and reading."""
        self._cancel_pauses()
        self._looked = ""
        if self._type_ahead is not None:
            self._type_ahead.stop()

    def _cancel_pauses(self) -> None:
        for pause in self._pauses:
            pause.stop()
        self._pauses = []

    def _look(self, text: str) -> None:
        if not text or text == self._looked:
            return
        self._looked = text
        self.screen.run_worker(lambda: self._read(text), thread=True, group="read-ahead", exit_on_error=False)

    def _read(self, text: str) -> None:
        try:
            self.type_ahead.typed(text)
        except Exception:  # reading ahead is only a head start; Enter reports any real error
            return
