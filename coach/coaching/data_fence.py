"""Retrieved or typed text goes into prompts inside a data fence with a random boundary per request,
so the model can tell material from instructions, and text that forges a fence is neutralised."""

import re
import secrets

FORGED_FENCE = re.compile(r"<<\s*/?\s*data\b[^>]*>>", re.I)
NEUTRALISED = "[fence removed]"


def new_boundary() -> str:
    return secrets.token_hex(6)


def neutralise(text: str) -> str:
    return FORGED_FENCE.sub(NEUTRALISED, text)


def fence(text: str, boundary: str) -> str:
    """`text` between an opening and closing marker nobody could have guessed."""
    return f"<<data-{boundary}>>\n{neutralise(text)}\n<</data-{boundary}>>"
