"""Golden-question checks of retrieval: recall@k, MRR and the misses (what came back instead)."""

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from coach.errors import CorpusError
from coach.formats.toml_files import load_toml_as
from coach.retrieval.store import GuidanceStore


class GoldenQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid")
    q: str = Field(min_length=1)
    expect: list[str] = Field(min_length=1)  # note ids, any of which counts as a hit


class QuestionFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    questions: list[GoldenQuestion] = Field(min_length=1)
    off_topic: list[dict] = Field(default_factory=list)  # used to calibrate min_relevance, not checked here


class Miss(BaseModel):
    question: str
    expected: list[str]
    got: list[str]


class CheckReport(BaseModel):
    k: int
    questions: int
    recall: float
    recall_at_1: float = 0.0
    mrr: float
    misses: list[Miss]
    retrieved: dict[str, int]  # doc_id -> how many questions brought it back


def load_questions(path: Path) -> list[GoldenQuestion]:
    return load_toml_as(path, QuestionFile, CorpusError).questions


def first_hit_rank(expected: list[str], got: list[str]) -> int | None:
    """1-based rank of the first expected note among the results, None if absent."""
    return next((rank for rank, doc in enumerate(got, start=1) if doc in expected), None)


def recall_and_mrr(results: list[tuple[list[str], list[str]]]) -> tuple[float, float]:
    """Over (expected, got) pairs: share with any hit, and mean reciprocal rank of the first hit."""
    if not results:
        return 0.0, 0.0
    ranks = [first_hit_rank(expected, got) for expected, got in results]
    return (sum(r is not None for r in ranks) / len(ranks),
            sum(1 / r for r in ranks if r is not None) / len(ranks))


def check(store: GuidanceStore, questions: list[GoldenQuestion], k: int) -> CheckReport:
    results, retrieved = [], {}
    for item in questions:
        got = [p.doc_id for p in store.search(item.q, k)]
        results.append((item.expect, got))
        for doc in got:
            retrieved[doc] = retrieved.get(doc, 0) + 1
    recall, mrr = recall_and_mrr(results)
    at_1, _ = recall_and_mrr([(expected, got[:1]) for expected, got in results])
    misses = [Miss(question=item.q, expected=expected, got=got)
              for item, (expected, got) in zip(questions, results) if first_hit_rank(expected, got) is None]
    return CheckReport(k=k, questions=len(questions), recall=round(recall, 4),
                       recall_at_1=round(at_1, 4), mrr=round(mrr, 4),
                       misses=misses, retrieved=retrieved)
