"""Load corpus files (Markdown with front matter, plain text, HTML) into clean, typed documents."""

import hashlib
import html
import re
import unicodedata
from datetime import date
from pathlib import Path

import frontmatter
import justext
import trafilatura
import yaml
from pydantic import BaseModel, Field, ValidationError

from coach.errors import CorpusError
from coach.formats.display import display_safe
from coach.retrieval.converters import HIDDEN_REASON, hidden_html_text
from coach.retrieval.injection_classifier import SentenceEmbedder
from coach.retrieval.injection_verdicts import VerdictCache
from coach.retrieval.quarantine import SNIPPET_CHARS, Flag, scan

SUPPORTED_SUFFIXES = {".md", ".markdown", ".txt", ".html", ".htm"}
MAX_FILE_BYTES = 5_000_000
DOC_ID_CHARS = re.compile(r"[^a-z0-9._-]+")


class FrontMatter(BaseModel):
    """The fields a guidance note may declare at its top, between --- lines."""

    id: str | None = None
    title: str | None = None
    source: str | None = None  # "coach team" for notes the series does not cover
    source_url: str | None = None
    source_title: str | None = None
    author: str | None = None
    date: str | None = None
    tags: list[str] = Field(default_factory=list)
    # Questions the note answers, in a mentor's words: retrieval matches a question against these as
    # well as the note's own wording (the note says "visible arrangement", the mentor asks about "pets").
    questions: list[str] = Field(default_factory=list)
    added_by: str | None = None  # who brought the note in with `coach corpus add`
    added: str | None = None  # when
    imported_from: str | None = None  # the file name it was added from: adding that file again updates it
    # Found when the note was imported but no longer visible in it (hidden HTML text): quarantined until approved.
    import_flags: list[Flag] = Field(default_factory=list)


class Document(BaseModel):
    doc_id: str
    title: str
    source: str  # the URL the ideas come from, else the file path
    source_title: str = ""
    author: str = ""
    date: str = ""
    tags: list[str] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)
    path: str
    body: str  # Markdown-ish text, headings kept for chunking
    content_hash: str
    flags: list[Flag] = Field(default_factory=list)  # reasons to quarantine it (text that instructs the model)


def load_document(path: Path, root: Path | None = None, embedder: SentenceEmbedder | None = None,
                  verdicts: VerdictCache | None = None) -> Document:
    """Read one corpus file; any problem becomes a CorpusError naming the file. With an embedder,
    the quarantine check also runs its classifier over the text's sentences (or takes its remembered
    verdict from `verdicts`)."""
    if root is not None and not inside_folder(path, root):
        raise CorpusError(f"{path} is a link to a file outside the corpus folder; copy the file in instead of linking it.")
    raw = _read_text(path)
    loader = {".html": _from_html, ".htm": _from_html, ".txt": _from_text}.get(path.suffix.lower(), _from_markdown)
    meta, body = loader(raw)
    body = display_safe(body)  # escape codes in a note must never reach a terminal, nor the model
    if not body.strip():
        raise CorpusError(f"{path} has no readable text after cleaning; check the file or remove it.")
    relative = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
    safe = display_safe  # front matter too: YAML's "\e" writes an escape code as easily as the body can
    return Document(
        doc_id=meta.id or slug(path.stem), title=safe(meta.title or _title_from(body, path)),
        source=safe(meta.source_url or relative), source_title=safe(meta.source_title or (meta.source or "")),
        author=safe(meta.author or ""), date=safe(meta.date or ""), tags=[safe(t) for t in meta.tags],
        questions=[safe(q) for q in meta.questions if q.strip()], path=relative, body=body,
        content_hash=hashlib.sha256(raw.encode("utf-8")).hexdigest(), flags=scan(raw, body, embedder, verdicts) + meta.import_flags,
    )


def find_documents(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise CorpusError(f"The corpus folder {folder} does not exist; check the path or set corpus_dir.")
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                  and not p.name.startswith("."))


def inside_folder(path: Path, folder: Path) -> bool:
    """Whether the file really lives in the folder, links resolved: a link out of it is never followed."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a link loop
        return False


def slug(text: str) -> str:
    """A document id Chroma and humans both accept: lower-case [a-z0-9._-]. Accents are dropped
    (café → cafe) and other letters cannot be spelled, so when that loses anything a short hash of the
    whole name is added: café.md and cafe.md, 日本語.md and 中文.md never share an id."""
    name = unicodedata.normalize("NFC", text).casefold()
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    readable = DOC_ID_CHARS.sub("-", ascii_name).strip("-._")
    if ascii_name == name and readable:
        return readable  # plain ASCII names keep their ids, so existing notes are not re-indexed
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return f"{readable or 'note'}-{digest}"


def _read_text(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise CorpusError(f"{path} is larger than {MAX_FILE_BYTES // 1_000_000} MB; split it into smaller notes.")
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise CorpusError(f"{path} is not UTF-8 text; save it as UTF-8 and sync again.") from None
    except OSError as error:
        raise CorpusError(f"Could not read {path} ({error.strerror}); check the path and permissions.") from None


def _from_markdown(raw: str) -> tuple[FrontMatter, str]:
    try:
        post = frontmatter.loads(raw)
        return FrontMatter.model_validate(_stringify_dates(post.metadata)), post.content
    except yaml.YAMLError as error:
        raise CorpusError(f"The front matter is not valid YAML ({error.__class__.__name__}).") from None
    except ValidationError as error:
        first = error.errors()[0]
        raise CorpusError(f"Front matter field '{first['loc'][0]}' is invalid: {first['msg']}.") from None


def _from_text(raw: str) -> tuple[FrontMatter, str]:
    meta, text = _from_markdown(raw)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    page = "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in lines) + "</body></html>"
    # Copied web pages carry comment forms and share prompts; jusText (trafilatura's fallback) drops them.
    paragraphs = justext.justext(page.encode("utf-8"), justext.get_stoplist("English"),
                                 length_low=100, length_high=200)
    kept = [p.text for p in paragraphs if not p.is_boilerplate]
    if not meta.title:
        meta.title = _leading_title(lines, kept)
    return meta, "\n\n".join(kept)


def _from_html(raw: str) -> tuple[FrontMatter, str]:
    # trafilatura keeps the article and drops navigation, share buttons and comment forms.
    body = trafilatura.extract(raw, output_format="markdown", include_comments=False, include_tables=True)
    found = trafilatura.extract_metadata(raw)
    meta = FrontMatter() if found is None else FrontMatter(
        title=found.title, author=found.author, date=found.date, source_url=found.url,
        tags=[t for t in (found.tags or []) if t])
    meta.import_flags = _hidden_text_flags(raw, body or "")
    return meta, body or ""


def _hidden_text_flags(raw: str, body: str) -> list[Flag]:
    hidden = hidden_html_text(raw, body)
    snippet = hidden[:SNIPPET_CHARS] + ("…" if len(hidden) > SNIPPET_CHARS else "")
    return [Flag(reason=HIDDEN_REASON, snippet=snippet)] if hidden else []


def _leading_title(lines: list[str], kept: list[str]) -> str | None:
    """For a copied page: the longest short line above the main text is usually the headline."""
    first_kept = lines.index(kept[0]) if kept and kept[0] in lines else 0
    candidates = [line for line in lines[:first_kept] if len(line) <= 150]
    return max(candidates, key=len) if candidates else None


def _title_from(body: str, path: Path) -> str:
    for line in body.splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip()
    return path.stem.replace("-", " ").replace("_", " ").capitalize()


def _stringify_dates(metadata: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in metadata.items()}
