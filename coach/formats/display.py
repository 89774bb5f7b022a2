"""Text from the corpus or a model, made safe for a terminal or a widget.

A note or a reply may hold terminal control sequences (ESC [2J clears the screen, OSC 0 renames
the window, OSC 8 forges links) or bidirectional overrides that make text read differently from
what it is. Every path from corpus or model text to a screen goes through `display_safe`.
"""

import re
from typing import Annotated

from pydantic import AfterValidator

# CSI (ESC [ … final byte), OSC (ESC ] … BEL or ESC \), other two-byte escapes, and the C1 forms.
ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"          # CSI: colours, cursor moves, clear screen
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window title, hyperlinks
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"    # DCS, SOS, PM, APC strings
    r"|\x1b[@-Z\\-_]?"                   # any other escape, or a lone ESC
    r"|\x9b[0-?]*[ -/]*[@-~]|\x9d[^\x07\x9c]*(?:\x07|\x9c)?"  # 8-bit CSI and OSC
)
# Controls other than tab and newline, C1 controls, and the bidi overrides and isolates.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def display_safe(text: str) -> str:
    """`text` without escape sequences or control characters; tabs and newlines stay."""
    text = text.replace("\r\n", "\n")
    return CONTROL_CHARACTERS.sub("", ESCAPE_SEQUENCE.sub("", text))


def display_safe_data(value):
    """`display_safe` applied to every string inside parsed JSON (dicts, lists, strings)."""
    if isinstance(value, str):
        return display_safe(value)
    if isinstance(value, dict):
        return {key: display_safe_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [display_safe_data(item) for item in value]
    return value


# A pydantic string field that holds model-written text: made display-safe as it is parsed.
DisplayText = Annotated[str, AfterValidator(display_safe)]
