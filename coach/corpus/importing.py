"""`coach corpus add`: bring files into the corpus folder as Markdown notes with front matter.
A file that cannot come in is skipped with one reason; the rest still go in."""

import getpass
from datetime import date
from pathlib import Path

import frontmatter
import yaml
from pydantic import BaseModel, Field

from coach.corpus.workspace import CorpusWorkspace
from coach.errors import CorpusError
from coach.retrieval.converters import HIDDEN_REASON, Extracted, from_docx, from_pdf
from coach.retrieval.documents import MAX_FILE_BYTES, find_documents, inside_folder, load_document, slug
from coach.retrieval.quarantine import Flag

MAX_IMPORT_BYTES = 20_000_000  # checked before reading: a 50 MB file is refused at once
TEXT_SUFFIXES = {".md", ".markdown", ".txt", ".html", ".htm"}
SUPPORTED = TEXT_SUFFIXES | {".pdf", ".docx"}
SNIFF_BYTES = 8192
OUTSIDE_LINK = "it is a link that leads outside its folder; copy the file itself in instead"


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

    def problem(self) -> str | None:
        """One sentence when anything was skipped (the CLI then exits non-zero), else None."""
        if not self.skipped:
            return None
        if not self.imported:
            return "Nothing was added; see the reasons above."
        total = len(self.imported) + len(self.skipped)
        return (f"{len(self.skipped)} of {total} files were skipped; "
                "see the reasons above, fix them and add those files again.")


class IdClaims:
    """Which note ids are taken, so a file never overwrites a note it did not make: ids held by the
    corpus's notes now, and ids this import gave out already."""

    def __init__(self, workspace: CorpusWorkspace) -> None:
        self.notes, self.batch = note_owners(workspace.guidance_dir), {}

    def claim(self, doc_id: str, path: Path) -> bool:
        """True if the note is an earlier import of this same file (an update); refuses any other clash."""
        if doc_id in self.batch:
            raise CorpusError(f"it would become the note '{doc_id}', like {self.batch[doc_id]}; "
                              "rename one of them and add it again")
        held_by, made_from = self.notes.get(doc_id, (None, ""))
        if held_by is not None and made_from != path.name:
            raise CorpusError(f"the note '{doc_id}' ({held_by.name}) already exists and came from another file; "
                              f"rename this file, or remove that note with `coach corpus remove {doc_id}` first")
        self.batch[doc_id] = path
        return held_by is not None


def note_owners(guidance_dir: Path) -> dict[str, tuple[Path, str]]:
    """doc_id -> (the note file, the file name it was imported from, "" if written by hand)."""
    owners = {}
    for note in find_documents(guidance_dir) if guidance_dir.is_dir() else []:
        if not inside_folder(note, guidance_dir):
            continue  # sync refuses such a link; it holds no id
        try:
            meta = {} if note.suffix.lower() in (".html", ".htm") else frontmatter.load(note).metadata
        except (yaml.YAMLError, UnicodeDecodeError, OSError, ValueError):
            meta = {}  # sync reports the broken file; its name still holds its id here
        made_from = meta.get("imported_from") or meta.get("source") or ""
        owners[str(meta.get("id") or slug(note.stem))] = (note, str(made_from))
    return owners


def import_paths(paths: list[Path], workspace: CorpusWorkspace, info: NoteInfo) -> ImportReport:
    report, claims = ImportReport(), IdClaims(workspace)
    for path in expand(paths, report):
        try:
            report.imported.append(import_file(path, workspace, info, claims))
        except CorpusError as error:
            report.skipped.append(Skipped(source_path=str(path), reason=str(error)))
    return report


def expand(paths: list[Path], report: ImportReport) -> list[Path]:
    """The files to import; links that lead out of their folder are skipped, never followed."""
    files = []
    for path in paths:
        if path.is_symlink() and not inside_folder(path, path.parent):
            report.skipped.append(Skipped(source_path=str(path), reason=OUTSIDE_LINK))
        elif path.is_dir():
            files += _folder_files(path, report)
        elif path.is_file():
            files.append(path)
        else:
            report.skipped.append(Skipped(source_path=str(path), reason="there is no such file or folder"))
    return list(dict.fromkeys(files))  # a file named twice (or inside a named folder too) comes in once


def _folder_files(folder: Path, report: ImportReport) -> list[Path]:
    files = []
    for path in sorted(folder.rglob("*")):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if not inside_folder(path, folder):
            report.skipped.append(Skipped(source_path=str(path), reason=OUTSIDE_LINK))
        elif path.is_file():
            files.append(path)
    return files


def import_file(path: Path, workspace: CorpusWorkspace, info: NoteInfo, claims: IdClaims | None = None) -> Imported:
    extracted, own_tags, own_source, flags = _extract(_checked(path))
    title = info.title or extracted.title or path.stem.replace("-", " ").replace("_", " ").capitalize()
    doc_id = slug(title if info.title else path.stem)
    meta = {"title": title, "source": info.source or own_source or path.name, "date": extracted.date or date.today().isoformat(),
            "tags": sorted(set(own_tags) | set(info.tags)), "author": extracted.author or None,
            "added_by": info.added_by, "added": date.today().isoformat(), "imported_from": path.name,
            "import_flags": [flag.model_dump() for flag in flags]}
    note = frontmatter.dumps(frontmatter.Post(extracted.body.strip(), **{k: v for k, v in meta.items() if v})) + "\n"
    if len(note.encode("utf-8")) > MAX_FILE_BYTES:  # sync would refuse the note on every run
        raise CorpusError(f"its text is {len(note.encode('utf-8')) / 1e6:,.0f} MB, more than the "
                          f"{MAX_FILE_BYTES // 1_000_000} MB a note may hold; split it into parts")
    replaced = (claims or IdClaims(workspace)).claim(doc_id, path)
    target = _write_note(workspace.guidance_dir, doc_id, note)
    return Imported(source_path=str(path), doc_id=doc_id, note_path=str(target), replaced=replaced)


def _write_note(folder: Path, doc_id: str, note: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target, temporary = folder / f"{doc_id}.md", folder / f"{doc_id}.md.tmp"
    temporary.unlink(missing_ok=True)  # a planted link there must not be written through
    temporary.write_text(note, encoding="utf-8")
    temporary.replace(target)  # a note is either wholly there or not at all
    return target


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


def _extract(path: Path) -> tuple[Extracted, list[str], str, list[Flag]]:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return from_pdf(path), [], "", []
    if suffix == ".docx":
        return from_docx(path), [], "", []
    document = load_document(path)  # Markdown, text and HTML clean-up as at sync time
    # No embedder here on purpose: only the hidden-text flag is carried into the note (below); the
    # classifier reads the written note at the sync that follows every add, where its verdict is cached.
    own_source = document.source if document.source.startswith("http") else ""
    # Hidden HTML text is visible in the note, where no later scan can tell it was hidden: the note
    # carries the flag, so it stays quarantined until a trainer approves it.
    carried = [flag for flag in document.flags if flag.reason == HIDDEN_REASON]
    return (Extracted(title=document.title, author=document.author, date=document.date, body=document.body),
            document.tags, own_source, carried)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
