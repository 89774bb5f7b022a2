"""`coach corpus lint`: problems a trainer should fix, as errors (exit non-zero) and warnings."""

from typing import Literal

import numpy as np
from pydantic import BaseModel

from coach.corpus.service import CorpusService, chunk_views
from coach.retrieval.evaluation import GoldenQuestion, check

NEAR_DUPLICATE = 0.95
MAX_CHUNK_TOKENS = 256  # the embedding model reads no further; the rest of a longer chunk is invisible


class Finding(BaseModel):
    severity: Literal["error", "warning"]
    doc: str
    problem: str


def lint(corpus: CorpusService, embedder, questions: list[GoldenQuestion], k: int) -> list[Finding]:
    rows = corpus.status()
    findings = [Finding(severity="error", doc=row.path, problem=row.reason) for row in rows if row.status == "error"]
    findings += [Finding(severity="error", doc=row.doc_id, problem=f"quarantined: {row.reason}")
                 for row in rows if row.status == "quarantined"]
    documents = corpus.documents()
    for document in documents:
        findings += _front_matter(document)
    findings += _oversized_chunks(embedder, documents)
    findings += _near_duplicates(embedder, documents)
    if questions:
        report = check(corpus.store, questions, k)
        findings += [Finding(severity="warning", doc=d.doc_id, problem=f"no golden question retrieves it in the top {k}")
                     for d in documents if d.doc_id not in report.retrieved]
    return findings


def _front_matter(document) -> list[Finding]:
    problems = []
    if not document.tags:
        problems.append("has no tags, so scenarios and the debrief cannot find it by topic")
    if document.source == document.path and not document.source_title:
        problems.append("front matter names no source (source_url, or source: coach team)")
    if not document.date:
        problems.append("front matter has no date")
    return [Finding(severity="warning", doc=document.doc_id, problem=p) for p in problems]


def _oversized_chunks(embedder, documents) -> list[Finding]:
    findings = []
    for document in documents:
        for chunk in chunk_views(document, embedder.count_tokens):
            if chunk.tokens > MAX_CHUNK_TOKENS:
                findings.append(Finding(severity="error", doc=document.doc_id, problem=(
                    f"chunk {chunk.position} has {chunk.tokens} tokens; the embedding model reads only "
                    f"{MAX_CHUNK_TOKENS}, so split the paragraph")))
    return findings


def _near_duplicates(embedder, documents) -> list[Finding]:
    """Passages of different notes that say the same thing (cosine > 0.95 of the plain text)."""
    owners, texts = [], []
    for document in documents:
        for chunk in chunk_views(document, len):
            owners.append(document.doc_id)
            texts.append(chunk.text)
    if len(texts) < 2:
        return []
    vectors = embedder.embed(texts)
    similar = np.triu(vectors @ vectors.T, k=1)
    findings, seen = [], set()
    for i, j in zip(*np.nonzero(similar > NEAR_DUPLICATE)):
        pair = tuple(sorted((owners[i], owners[j])))
        if owners[i] != owners[j] and pair not in seen:
            seen.add(pair)
            findings.append(Finding(severity="warning", doc=pair[0], problem=(
                f"a passage is a near-duplicate (cosine {similar[i, j]:.2f}) of one in {pair[1]}")))
    return findings
