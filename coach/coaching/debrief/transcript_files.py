"""Transcripts a trainer brings: a JSON list of {"speaker": "mentor"|"mentee", "text": …}, or plain
text with "Mentor:" / "Mentee:" at the start of each turn (a line without a prefix continues the
turn above it). Each problem is one sentence that names the file."""

import json
import re
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from coach.coaching.debrief.signals import Line
from coach.errors import CoachError
from coach.formats.display import display_safe

MAX_BYTES = 2_000_000  # a long meeting transcript is a few hundred kilobytes
SPEAKER = re.compile(r"^\s*(mentor|mentee)\s*:\s*(.*)$", re.I)


class TranscriptFileError(CoachError):
    """A transcript file could not be read as either format."""


def read_transcript_file(path: Path) -> list[Line]:
    text = _read(path)
    lines = _from_json(path, text) if text.lstrip().startswith("[") else _from_plain_text(path, text)
    if not any(line.speaker == "mentor" for line in lines):
        raise TranscriptFileError(f"{path}: has no mentor lines, so there is nothing to score.")
    return lines


def _read(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise TranscriptFileError(f"{path}: is larger than {MAX_BYTES // 1_000_000} MB; split it into meetings.")
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise TranscriptFileError(f"{path}: no such file; check the path.") from None
    except IsADirectoryError:
        raise TranscriptFileError(f"{path}: is a folder; name the transcript files in it.") from None
    except UnicodeDecodeError:
        raise TranscriptFileError(f"{path}: is not UTF-8 text; save it as UTF-8 and try again.") from None
    except OSError as error:
        raise TranscriptFileError(f"{path}: could not be read ({error.strerror}).") from None


def _from_json(path: Path, text: str) -> list[Line]:
    try:
        raw = json.loads(text)
        turns = TypeAdapter(list[Line]).validate_python(raw)
    except json.JSONDecodeError as error:
        raise TranscriptFileError(f"{path}: is not valid JSON (line {error.lineno}: {error.msg}).") from None
    except ValidationError:
        raise TranscriptFileError(f"{path}: must be a list of {{\"speaker\": \"mentor\" or \"mentee\", \"text\": …}} objects.") from None
    wrong = next((t.speaker for t in turns if t.speaker not in ("mentor", "mentee")), None)
    if wrong is not None:
        raise TranscriptFileError(f"{path}: speaker '{display_safe(wrong)[:40]}' is neither mentor nor mentee.")
    return [Line(speaker=t.speaker, text=display_safe(t.text)) for t in turns if t.text.strip()]


def _from_plain_text(path: Path, text: str) -> list[Line]:
    turns: list[Line] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        if match := SPEAKER.match(raw):
            turns.append(Line(speaker=match.group(1).lower(), text=match.group(2).strip()))
        elif turns:
            turns[-1] = Line(speaker=turns[-1].speaker, text=f"{turns[-1].text} {raw.strip()}".strip())
        else:
            raise TranscriptFileError(f"{path}: line {number} does not start with 'Mentor:' or 'Mentee:'.")
    return [Line(speaker=t.speaker, text=display_safe(t.text)) for t in turns if t.text]
