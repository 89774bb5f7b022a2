"""What a trainer does to the corpus, as one library the CLI and the Trainer screen share:
sync, list with status, show a document's chunks, add, remove, approve."""

from typing import Literal

from pydantic import BaseModel

from coach.corpus.workspace import CorpusWorkspace
from coach.errors import CorpusError
from coach.retrieval.chunking import chunk_markdown
from coach.retrieval.documents import Document, load_document
from coach.retrieval.quarantine import describe
from coach.retrieval.store import GuidanceStore, index_hash
from coach.retrieval.sync import CorpusRead, SyncProgress, SyncReport, is_quarantined, read_corpus, sync_corpus
from coach.retrieval.sync_manifest import SyncManifest

# The quarantine classifier's verdict per note (see injection_verdicts). It lives in the workspace, which
# is always a local folder (the index may be a remote one); a dot-file, so no corpus scan ever reads it.
VERDICT_FILE = ".quarantine-verdicts.json"
Status = Literal["indexed", "stale", "quarantined", "error"]


class DocumentStatus(BaseModel):
    doc_id: str
    title: str
    path: str
    source: str
    tags: list[str]
    chunks: int
    status: Status
    reason: str = ""


class ChunkView(BaseModel):
    position: int
    heading: str
    tokens: int
    text: str


def chunk_views(document: Document, count_tokens) -> list[ChunkView]:
    return [ChunkView(position=n, heading=c.heading, tokens=count_tokens(c.text), text=c.text)
            for n, c in enumerate(chunk_markdown(document.body))]


class CorpusService:
    def __init__(self, workspace: CorpusWorkspace, store: GuidanceStore) -> None:
        self.workspace, self.store = workspace, store

    def sync(self, progress: SyncProgress | None = None) -> SyncReport:
        read = self._read(self.store.document_hashes())
        # A shared index holds other trainers' notes too: only what this folder put there may go.
        manifest = SyncManifest(self.workspace.root, self.store.location) if self.store.connection.shared else None
        report = sync_corpus(self.store, read.documents, progress, self.workspace.approvals(), manifest)
        report.problems = read.problems
        return report

    def documents(self) -> list[Document]:
        return self._read(self.store.document_hashes()).documents

    def status(self) -> list[DocumentStatus]:
        stored, counts, approvals = self.store.document_hashes(), self.store.chunk_counts(), self.workspace.approvals()
        read = self._read(stored)
        rows = [self._status(d, stored.get(d.doc_id), counts.get(d.doc_id, 0), approvals) for d in read.documents]
        rows += [DocumentStatus(doc_id="", title="", path=path, source=path, tags=[], chunks=0, status="error",
                                reason=problem) for path, problem in read.problems.items()]
        return sorted(rows, key=lambda row: row.path)

    def _read(self, indexed: dict[str, set[str]]) -> CorpusRead:
        """The guidance folder, read with the store's embedder so the quarantine classifier runs."""
        return read_corpus(self.workspace.guidance_dir, indexed, embedder=self.store.embedder,
                           verdict_file=self.workspace.root / VERDICT_FILE)

    def _status(self, document: Document, hashes: set[str] | None, chunks: int, approvals: dict) -> DocumentStatus:
        if is_quarantined(document, approvals):
            status, reason = "quarantined", describe(document.flags)
        elif hashes == {index_hash(document)}:
            status, reason = "indexed", ""
        else:
            status, reason = "stale", "changed since the last sync" if hashes else "not synced yet"
        return DocumentStatus(doc_id=document.doc_id, title=document.title, path=document.path, source=document.source,
                              tags=document.tags, chunks=chunks, status=status, reason=reason)

    def find(self, doc_id: str) -> Document:
        for document in self.documents():
            if document.doc_id == doc_id:
                return document
        raise CorpusError(f"There is no document '{doc_id}' in {self.workspace.guidance_dir}; "
                          "see `coach corpus list`.")

    def document_at(self, path: str) -> Document:
        """One note by its corpus-relative path (as `status()` lists it), without reading the rest."""
        return load_document(self.workspace.root / path, root=self.workspace.root, embedder=self.store.embedder)

    def chunks(self, doc_id: str, count_tokens) -> list[ChunkView]:
        """The passages retrieval sees for a document (as the chunker makes them if not indexed)."""
        return chunk_views(self.find(doc_id), count_tokens)

    def remove(self, doc_id: str) -> Document:
        """Delete the file and its passages; it is never retrieved again."""
        document = self.find(doc_id)
        with self.store.writer():
            self.store.remove_document(doc_id)
        (self.workspace.root / document.path).unlink(missing_ok=True)
        self.workspace.set_approval(doc_id, None)
        return document

    def approve(self, doc_id: str) -> SyncReport:
        """Let a quarantined document into retrieval, in exactly its current version."""
        document = self.find(doc_id)
        if not document.flags:
            raise CorpusError(f"'{doc_id}' is not quarantined; nothing to approve.")
        self.workspace.set_approval(doc_id, document.content_hash)
        return self.sync()
