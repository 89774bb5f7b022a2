"""The domain's view of retrieval: a Passage and the Retriever protocol. No vector store here, so
the coaching layer can depend on it without loading ChromaDB."""

from collections.abc import Collection
from typing import Protocol

from pydantic import BaseModel


class Passage(BaseModel):
    """One retrieved chunk, with where it came from."""

    rank: int
    score: float  # cosine similarity, 1 = same meaning
    chunk_id: str
    doc_id: str
    title: str
    source: str
    heading: str = ""
    text: str


class Retriever(Protocol):
    def search(self, query: str, k: int, tags: Collection[str] = ()) -> list[Passage]:
        """The k most relevant passages, best first; with `tags`, only notes carrying one of them."""
        ...
