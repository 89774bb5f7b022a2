"""`coach bench` figures for the trainer's corpus: sync throughput on a 500-document synthetic
corpus, a no-change re-sync, and a one-file change, each against the full sync in the same run."""

import tempfile
import time
from pathlib import Path

from coach.corpus.service import CorpusService
from coach.corpus.workspace import CorpusWorkspace
from coach.retrieval.documents import find_documents
from coach.retrieval.store import local_store
from coach.services import Services

SYNTHETIC_DOCUMENTS = 500


def corpus_figures(services: Services) -> dict:
    root = Path(tempfile.mkdtemp(prefix="coach-bench-corpus-"))
    workspace = CorpusWorkspace(root / "corpus")
    _write_synthetic_corpus(workspace.guidance_dir, services.workspace.guidance_dir)
    corpus = CorpusService(workspace, local_store(root / "index", services.embedder))
    first, first_seconds = _timed_sync(corpus)
    embedded_before = services.embedder.texts_embedded
    again, again_seconds = _timed_sync(corpus)
    embedded_by_resync = services.embedder.texts_embedded - embedded_before  # texts, not just passages
    changed_file = sorted(workspace.guidance_dir.glob("*.md"))[0]
    changed_file.write_text(changed_file.read_text() + "\nOne more thought: end each meeting on time.\n")
    one, one_seconds = _timed_sync(corpus)
    return {
        "sync_documents": SYNTHETIC_DOCUMENTS - len(first.problems), "sync_chunks": first.chunks_embedded,
        "sync_first_seconds": round(first_seconds, 1),
        "sync_chunks_per_s": round(first.chunks_embedded / first_seconds, 1),
        "resync_no_change_seconds": round(again_seconds, 2),
        "resync_no_change_embedded": embedded_by_resync,
        "resync_speedup": round(first_seconds / again_seconds, 1),
        "one_file_change_seconds": round(one_seconds, 2),
        "one_file_change_embedded": one.chunks_embedded,
        "one_file_change_over_full": round(one_seconds / first_seconds, 4),
    }


def _timed_sync(corpus: CorpusService):
    started = time.perf_counter()
    report = corpus.sync()
    return report, time.perf_counter() - started


def _write_synthetic_corpus(target: Path, shipped: Path) -> None:
    """500 notes built from the shipped ones, each with its own title and a numbered closing line."""
    notes = [path.read_text(encoding="utf-8") for path in find_documents(shipped)]
    target.mkdir(parents=True, exist_ok=True)
    for n in range(SYNTHETIC_DOCUMENTS):
        text = notes[n % len(notes)].replace("title: ", f"title: Team handbook {n} - ", 1)
        (target / f"synthetic-{n:03d}.md").write_text(f"{text}\nHandbook entry {n} for team {n % 17}.\n",
                                                      encoding="utf-8")
