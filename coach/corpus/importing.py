"""`coach corpus add`: bring files into the corpus folder as Markdown notes with front matter.
A file that cannot come in is skipped with one reason; the rest still go in."""

import getpass
from datetime import date
from pathlib import Path

import frontmatter
from pydantic import BaseModel, Field

from coach.corpus.workspace import CorpusWorkspace
from coach.errors import CorpusError
from coach.retrieval.converters import Extracted, from_docx, from_pdf
from coach.retrieval.documents import load_document, slug

MAX_IMPORT_BYTES = 20_000_000  # checked before reading: a 50 MB file is refused at once
TEXT_SUFFIXES = {".md", ".markdown", ".txt", ".html", ".htm"}
SUPPORTED = TEXT_SUFFIXES | {".pdf", ".docx"}
SNIFF_BYTES = 8192


class NoteInfo(BaseModel):
    """What the trainer says about the files being added (flags win over the documents' own)."""

    title: str | None = None
    tags: list[str] = Field(default_factory=list)
    source: str | None = None
    added_by: str = Field(default_factory=lambda: _user())


class Imported(BaseModel):
    source_path: str
    doc_id: str
    note_path: str
    replaced: bool


class Skipped(BaseModel):
    source_path: str
    reason: str


class ImportReport(BaseModel):
    imported: list[Imported] = Field(default_factory=list)
    skipped: list[Skipped] = Field(default_factory=list)


def import_paths(paths: list[Path], workspace: CorpusWorkspace, info: NoteInfo) -> ImportReport:
    report = ImportReport()
    for path in expand(paths, report):
        try:
            report.imported.append(import_file(path, workspace, info))
        except CorpusError as error:
            report.skipped.append(Skipped(source_path=str(path), reason=str(error)))
    return report


def expand(paths: list[Path], report: ImportReport) -> list[Path]:
    files = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.parts))
        elif path.is_file():
            files.append(path)
        else:
            report.skipped.append(Skipped(source_path=str(path), reason="there is no such file or folder"))
    return files


def import_file(path: Path, workspace: CorpusWorkspace, info: NoteInfo) -> Imported:
    extracted, own_tags, own_source = _extract(_checked(path))
    title = info.title or extracted.title or path.stem.replace("-", " ").replace("_", " ").capitalize()
    doc_id = slug(title if info.title else path.stem)
    target = workspace.guidance_dir / f"{doc_id}.md"
    replaced = target.exists()
    meta = {"title": title, "source": info.source or own_source or path.name, "date": extracted.date or date.today().isoformat(),
            "tags": sorted(set(own_tags) | set(info.tags)), "author": extracted.author or None,
            "added_by": info.added_by, "added": date.today().isoformat()}
    note = frontmatter.dumps(frontmatter.Post(extracted.body.strip(), **{k: v for k, v in meta.items() if v}))
    workspace.guidance_dir.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".md.tmp")
    temporary.write_text(note + "\n", encoding="utf-8")
    temporary.replace(target)  # a note is either wholly there or not at all
    return Imported(source_path=str(path), doc_id=doc_id, note_path=str(target), replaced=replaced)


def _checked(path: Path) -> Path:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise CorpusError(f"{suffix or 'no extension'} is not supported; use Markdown, text, HTML, PDF or DOCX")
    try:
        size = path.stat().st_size
        head = path.open("rb").read(SNIFF_BYTES)
    except OSError as error:
        raise CorpusError(f"it could not be read ({error.strerror})") from None
    if size == 0:
        raise CorpusError("it is empty")
    if size > MAX_IMPORT_BYTES:
        raise CorpusError(f"it is {size / 1e6:,.0f} MB; the limit is {MAX_IMPORT_BYTES // 1_000_000} MB, so split it")
    if suffix in TEXT_SUFFIXES and (b"\x00" in head or not _utf8_prefix(head)):
        raise CorpusError("it looks binary or is not UTF-8 text")
    return path


def _utf8_prefix(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start >= len(head) - 3  # a character cut by the sniff window is fine
    return True


def _extract(path: Path) -> tuple[Extracted, list[str], str]:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return from_pdf(path), [], ""
    if suffix == ".docx":
        return from_docx(path), [], ""
    document = load_document(path)  # Markdown, text and HTML clean-up as at sync time
    own_source = document.source if document.source.startswith("http") else ""
    return (Extracted(title=document.title, author=document.author, date=document.date, body=document.body),
            document.tags, own_source)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
