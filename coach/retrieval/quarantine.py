"""Flag text that tries to instruct the model (OWASP LLM01 prompt injection, LLM08): a flagged
document is quarantined, kept out of retrieval until a trainer approves it."""

import re

from pydantic import BaseModel

SNIPPET_CHARS = 60
INSTRUCTION_PATTERNS = {
    "asks the model to ignore its instructions": re.compile(
        r"\b(ignore|disregard|forget|override)\b[^.\n]{0,40}\b(previous|prior|above|earlier|all|your|the)\b"
        r"[^.\n]{0,20}\b(instructions?|prompts?|rules|messages|directions)\b", re.I),
    "tells the model who it is now": re.compile(r"\byou are now\b|\bfrom now on,? you (are|will|must)\b", re.I),
    "carries a chat role tag": re.compile(
        r"^\s*(system|assistant|developer)\s*:|<\|(im_start|im_end|system|user|assistant|eot_id)\|>|\[/?INST\]|<</?SYS>>",
        re.I | re.M),
    "forges a data delimiter": re.compile(r"<</?\s*data\b|<\s*/?\s*(passages?|context|documents?)\s*>", re.I),
    "reveals or asks for the system prompt": re.compile(r"\b(reveal|print|show|repeat)\b[^.\n]{0,30}\bsystem prompt\b", re.I),
}
HIDDEN_CHARACTERS = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069]")
HIDDEN_HTML = re.compile(
    r"<[^>]+(style\s*=\s*[\"'][^\"']*(display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0)"
    r"|\shidden(\s|>|=))[^>]*>\s*[^<\s]", re.I)
BASE64_BLOB = re.compile(r"[A-Za-z0-9+/]{200,}={0,2}")


class Flag(BaseModel):
    reason: str
    snippet: str


def scan(raw: str, cleaned: str) -> list[Flag]:
    """Every reason to quarantine: instructions in the cleaned text, hidden text in the raw file."""
    flags = [_flag(reason, match.group(0)) for reason, pattern in INSTRUCTION_PATTERNS.items()
             if (match := pattern.search(cleaned))]
    if match := HIDDEN_CHARACTERS.search(raw):
        flags.append(Flag(reason="contains zero-width or direction-changing characters",
                          snippet=f"U+{ord(match.group(0)):04X}"))
    if match := HIDDEN_HTML.search(raw):
        flags.append(_flag("contains hidden HTML text", match.group(0)))
    if match := BASE64_BLOB.search(raw):
        flags.append(_flag("contains a long base64 blob", match.group(0)))
    return flags


def _flag(reason: str, text: str) -> Flag:
    flat = " ".join(text.split())
    return Flag(reason=reason, snippet=flat[:SNIPPET_CHARS] + ("…" if len(flat) > SNIPPET_CHARS else ""))


def describe(flags: list[Flag]) -> str:
    return "; ".join(f"{flag.reason} (“{flag.snippet}”)" for flag in flags)
