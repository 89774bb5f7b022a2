"""Flag text that tries to instruct the model (OWASP LLM01 prompt injection, LLM08): a flagged
document is quarantined, kept out of retrieval until a trainer approves it.

Two signals: phrase patterns, read after folding disguised letters (injection_normalise), and, when
an embedder is at hand, a classifier that scores each sentence for addressing the model rather than
the mentor (injection_classifier), because phrase lists always miss the next wording."""

import re

from pydantic import BaseModel

from coach.retrieval.injection_classifier import SentenceEmbedder, sentences, shipped_classifier
from coach.retrieval.injection_normalise import normalise
from coach.retrieval.injection_verdicts import Verdict, VerdictCache

SNIPPET_CHARS = 60
INSTRUCTION_PATTERNS = {
    "asks the model to ignore its instructions": re.compile(
        r"\b(ignore|disregard|forget|override)\b[^.\n]{0,40}\b(previous|prior|above|earlier|all|your|the)\b"
        r"[^.\n]{0,20}\b(instructions?|prompts?|rules|messages|directions)\b"
        r"|\b(ignore|disregard|forget)\s+(everything|anything|all)\s+(above|before|earlier|previously|you were told)\b",
        re.I),
    "speaks to the AI directly": re.compile(
        r"\b(note|message|instructions?|reminder|request)\s+(for|to)\s+(the\s+|any\s+|an\s+|whichever\s+)?"
        r"(ai|assistant|language model|llm|chatbot|bot|summari[sz]er)\b"
        r"|\bif you are (an?|the) (ai|language model|llm|chatbot|bot|assistant)\b", re.I),
    "makes demands of every reply or summary": re.compile(
        r"\b(in|into|to|at the (start|end|top|bottom) of)\s+(every|all( of)?( your| the)?)\s+"
        r"(repl(y|ies)|answers?|responses?|summar(y|ies)|outputs?)\b"
        r"|\b(your|every|each|any) (summary|reply|answer|response)\b[^.\n]{0,30}\b(must|has to|needs to)\b", re.I),
    "points readers at a program to download": re.compile(
        r"\b(download|install|run|open)\b[^\n]{0,80}\.(exe|msi|bat|cmd|scr|ps1|apk|dmg|jar|vbs)\b", re.I),
    "tells the model who it is now": re.compile(
        r"\byou are now\b|\bfrom now on,? you (are|will|must|speak)\b"
        r"|\bpretend (you are|to be) (an?|the) (ai|assistant|language model|chatbot|bot|different (ai|assistant|model))\b"
        r"|\b(assume|take on|adopt) the (identity|persona|voice) of\b|\bspeak in the voice of\b"
        r"|\banswer as if you were\b|\bbreak character\b|\bdeveloper mode\b", re.I),
    "refers to the model's own instructions": re.compile(
        r"\byour (system (prompt|message)|prompt|configuration|operator)\b"
        r"|\byour (original|earlier|previous|usual|real) (instructions|rules|task|directions)\b"
        r"|\b(discard|erase|drop|wipe)\b[^.\n]{0,40}\b(context|conversation|instructions|directions|memory)\b"
        r"|\b(content|safety) filters\b", re.I),
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


def scan(raw: str, cleaned: str, embedder: SentenceEmbedder | None = None,
         verdicts: VerdictCache | None = None) -> list[Flag]:
    """Every reason to quarantine: instructions in the cleaned text (by phrase, and by the classifier
    when an embedder is given, its verdict remembered in `verdicts`), hidden text in the raw file."""
    text = normalise(cleaned)
    flags = [_flag(reason, match.group(0)) for reason, pattern in INSTRUCTION_PATTERNS.items()
             if (match := pattern.search(text))]
    if embedder is not None and (found := _classifier_verdict(text, embedder, verdicts)):
        flags.append(_flag(f"reads as an instruction to the AI, not the mentor (classifier {found[1]:.2f})", found[0]))
    if match := HIDDEN_CHARACTERS.search(raw):
        flags.append(Flag(reason="contains zero-width or direction-changing characters",
                          snippet=f"U+{ord(match.group(0)):04X}"))
    if match := HIDDEN_HTML.search(raw):
        flags.append(_flag("contains hidden HTML text", match.group(0)))
    if match := BASE64_BLOB.search(raw):
        flags.append(_flag("contains a long base64 blob", match.group(0)))
    return flags


def _classifier_verdict(text: str, embedder: SentenceEmbedder, verdicts: VerdictCache | None) -> Verdict:
    def classify(text: str) -> Verdict:
        return shipped_classifier().strongest(sentences(text), embedder)

    return verdicts.verdict(text, classify) if verdicts is not None else classify(text)


def _flag(reason: str, text: str) -> Flag:
    flat = " ".join(text.split())
    return Flag(reason=reason, snippet=flat[:SNIPPET_CHARS] + ("…" if len(flat) > SNIPPET_CHARS else ""))


def describe(flags: list[Flag]) -> str:
    return "; ".join(f"{flag.reason} (“{flag.snippet}”)" for flag in flags)
