"""Sentences of a mentee reply, found as the reply streams in, so each can be checked (and shown)
as soon as it is complete; and the normal form two sentences are compared in for repeats."""

import re

# A sentence ends at . ! ? or … (a closing quote or bracket stays with it) where white space follows;
# a line break ends one too, since a small model puts labels and asides on lines of their own.
END = re.compile(r"(?<=[.!?…])([\"'”’)\]]*)[ \t]+|([\"'”’)\]]*)\s*\n\s*")
WORD = re.compile(r"[a-z0-9']+")


def split_sentences(text: str) -> list[str]:
    return _pieces(text.strip())


def normal_form(sentence: str) -> str:
    """Lower case words only: "I'll do that!" and "i'll do that." are the same sentence."""
    return " ".join(WORD.findall(sentence.lower().replace("’", "'")))


def _pieces(text: str) -> list[str]:
    parts = END.split(text)
    # split() interleaves each sentence with the closing marks its end kept (two groups, one unused).
    joined = [parts[i] + (parts[i + 1] or "") + (parts[i + 2] or "") for i in range(0, len(parts) - 1, 3)]
    return [s.strip() for s in [*joined, parts[-1]] if s.strip()]


class SentenceStream:
    """Feed text pieces in; complete sentences come out. A sentence is complete once white space
    follows its end mark, or when the reply ends (flush)."""

    def __init__(self) -> None:
        self._pending = ""

    def feed(self, piece: str) -> list[str]:
        self._pending += piece
        if not END.search(self._pending):
            return []
        *complete, self._pending = self._split_keeping_tail(self._pending)
        return complete

    def flush(self) -> list[str]:
        """Whatever is left once the reply has ended (it may lack an end mark)."""
        rest, self._pending = self._pending.strip(), ""
        return [rest] if rest else []

    @staticmethod
    def _split_keeping_tail(text: str) -> list[str]:
        """Complete sentences, then the unfinished tail (possibly empty) as the last item."""
        last_end = list(END.finditer(text))[-1]
        return [*_pieces(text[:last_end.start()] + last_end.group(0).strip()), text[last_end.end():]]
