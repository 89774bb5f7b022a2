"""`coach corpus sync`: make the index match a corpus folder, re-embedding only what changed.
Quarantined documents (text that tries to instruct the model) stay out until approved."""

from collections.abc import Callable, Mapping
from pathlib import Path

from pydantic import BaseModel, Field

from coach.errors import CorpusError
from coach.retrieval.chunking import chunk_markdown
from coach.retrieval.documents import Document, find_documents, load_document, slug
from coach.retrieval.injection_classifier import SentenceEmbedder
from coach.retrieval.injection_verdicts import VerdictCache
from coach.retrieval.store import GuidanceStore, index_hash
from coach.retrieval.sync_manifest import SyncManifest

# Called with (documents done, documents total, current document id).
SyncProgress = Callable[[int, int, str], None]


class CorpusRead(BaseModel):
    documents: list[Document] = Field(default_factory=list)
    problems: dict[str, str] = Field(default_factory=dict)  # file path -> why it could not be read


class SyncReport(BaseModel):
    added: list[str] = Field(default_factory=list)
    changed: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    unchanged: list[str] = Field(default_factory=list)
    quarantined: list[str] = Field(default_factory=list)
    problems: dict[str, str] = Field(default_factory=dict)
    chunks_embedded: int = 0
    not_in_folder: list[str] = Field(default_factory=list)  # on a shared index from another folder: left alone

    def summary(self) -> str:
        text = (f"{len(self.added)} added, {len(self.changed)} changed, {len(self.removed)} removed, "
                f"{len(self.unchanged)} unchanged ({self.chunks_embedded} passages embedded)")
        if self.quarantined:
            text += f"; {len(self.quarantined)} quarantined (see `coach corpus list`)"
        if self.problems:
            text += f"; {len(self.problems)} could not be read"
        if self.not_in_folder:
            text += f"; {len(self.not_in_folder)} on the server from other folders left as they are"
        return text


def read_corpus(folder: Path, indexed: Mapping[str, set[str]] | None = None,
                embedder: SentenceEmbedder | None = None, verdict_file: Path | None = None) -> CorpusRead:
    """Every readable document; a broken file is recorded with its reason and the rest still load.
    Two files claiming one id: the note already indexed under it keeps it (see `_claim_order`).
    With an embedder the quarantine classifier reads each note, its verdicts kept in `verdict_file`."""
    read, loaded = CorpusRead(), []
    verdicts = VerdictCache(verdict_file)
    for path in find_documents(folder):
        try:
            loaded.append((path, load_document(path, root=folder.parent, embedder=embedder, verdicts=verdicts)))
        except CorpusError as error:
            read.problems[str(path)] = str(error)
    verdicts.save()  # only this read's notes are kept: deleted and edited ones drop out
    keepers = _keepers(loaded, indexed or {})
    for path, document in loaded:
        keeper = keepers[document.doc_id]
        if keeper[1] is document:
            read.documents.append(document)
        else:
            read.problems[str(path)] = (f"{path} claims the id '{document.doc_id}', which {keeper[0]} already has; "
                                        "give it another id or file name and sync again.")
    return read


def _keepers(loaded: list[tuple[Path, Document]], indexed: Mapping[str, set[str]]) -> dict[str, tuple]:
    claimants: dict[str, list] = {}
    for entry in loaded:
        claimants.setdefault(entry[1].doc_id, []).append(entry)
    return {doc_id: min(entries, key=lambda entry: _claim_order(*entry, indexed))
            for doc_id, entries in claimants.items()}


def _claim_order(path: Path, document: Document, indexed: Mapping[str, set[str]]) -> tuple:
    """Who keeps a contested id, best first: the version already indexed under it, the file named
    after it, the older file. A newcomer copying an id never takes over an existing note."""
    try:
        modified = path.stat().st_mtime
    except OSError:
        modified = 0.0
    return (index_hash(document) not in indexed.get(document.doc_id, set()),
            slug(path.stem) != document.doc_id, modified, str(path))


def load_corpus(folder: Path, embedder: SentenceEmbedder | None = None) -> list[Document]:
    """All documents, or the first problem as an error (for callers that need the whole corpus)."""
    read = read_corpus(folder, embedder=embedder)
    if read.problems:
        path, problem = next(iter(read.problems.items()))
        raise CorpusError(problem if path in problem else f"{path}: {problem}")
    return read.documents


def is_quarantined(document: Document, approvals: Mapping[str, str]) -> bool:
    """Flagged, and not approved in exactly this version (an edit needs a fresh approval)."""
    return bool(document.flags) and approvals.get(document.doc_id) != document.content_hash


def sync_corpus(store: GuidanceStore, documents: list[Document], on_progress: SyncProgress | None = None,
                approvals: Mapping[str, str] | None = None, manifest: SyncManifest | None = None) -> SyncReport:
    """Each document is replaced as a unit; a kill -9 part-way is repaired by the next sync.
    With a `manifest` (a shared index), only notes this folder proves removed are deleted."""
    report, progress, approvals = SyncReport(), on_progress or (lambda done, total, doc: None), approvals or {}
    with store.writer():
        stored = store.document_hashes()
        report.quarantined = [d.doc_id for d in documents if is_quarantined(d, approvals)]
        indexable = [d for d in documents if d.doc_id not in report.quarantined]
        for done, document in enumerate(indexable, start=1):
            progress(done - 1, len(indexable), document.doc_id)
            hashes = stored.get(document.doc_id)
            if hashes == {index_hash(document)}:
                report.unchanged.append(document.doc_id)
                continue
            report.chunks_embedded += store.replace_document(document, chunk_markdown(document.body))
            (report.changed if hashes else report.added).append(document.doc_id)
        gone = set(stored) - {d.doc_id for d in indexable}
        removable = gone & (manifest.synced_ids() | {d.doc_id for d in documents}) if manifest else gone
        for doc_id in sorted(removable):
            store.remove_document(doc_id)  # deleted files, and documents that became quarantined
            report.removed.append(doc_id)
        report.not_in_folder = sorted(gone - removable)
        if manifest:
            manifest.save({d.doc_id for d in indexable})
        progress(len(indexable), len(indexable), "")
    return report
