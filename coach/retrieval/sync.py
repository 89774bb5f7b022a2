"""`coach corpus sync`: make the index match a corpus folder, re-embedding only what changed."""

from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field

from coach.errors import CorpusError
from coach.retrieval.chunking import chunk_markdown
from coach.retrieval.documents import Document, find_documents, load_document
from coach.retrieval.store import GuidanceStore, index_hash

# Called with (documents done, documents total, current document id).
SyncProgress = Callable[[int, int, str], None]


class SyncReport(BaseModel):
    added: list[str] = Field(default_factory=list)
    changed: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    unchanged: list[str] = Field(default_factory=list)
    chunks_embedded: int = 0

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.changed)} changed, {len(self.removed)} removed, "
                f"{len(self.unchanged)} unchanged ({self.chunks_embedded} passages embedded)")


def load_corpus(folder: Path) -> list[Document]:
    documents, seen = [], {}
    for path in find_documents(folder):
        try:
            document = load_document(path, root=folder.parent)
        except CorpusError as error:
            raise CorpusError(f"{path}: {error}" if str(path) not in str(error) else str(error)) from None
        if document.doc_id in seen:
            raise CorpusError(f"{path} and {seen[document.doc_id]} share the id '{document.doc_id}'; "
                              "give one of them another file name or id.")
        seen[document.doc_id] = path
        documents.append(document)
    return documents


def sync_corpus(store: GuidanceStore, documents: list[Document],
                on_progress: SyncProgress | None = None) -> SyncReport:
    report, progress = SyncReport(), on_progress or (lambda done, total, doc: None)
    with store.writer():
        stored = store.document_hashes()
        for done, document in enumerate(documents, start=1):
            progress(done - 1, len(documents), document.doc_id)
            hashes = stored.get(document.doc_id)
            if hashes == {index_hash(document)}:
                report.unchanged.append(document.doc_id)
                continue
            report.chunks_embedded += store.replace_document(document, chunk_markdown(document.body))
            (report.changed if hashes else report.added).append(document.doc_id)
        for doc_id in sorted(set(stored) - {d.doc_id for d in documents}):
            store.remove_document(doc_id)
            report.removed.append(doc_id)
        progress(len(documents), len(documents), "")
    return report
