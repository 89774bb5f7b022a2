"""What Ask decides and returns: numbered passages, the plan made before the model is called, and
the result (key guidance, the model's advice, citations, timings)."""

from pydantic import BaseModel, Field

from coach.coaching.contact_details import QuotedContact
from coach.coaching.key_guidance import KeySentence
from coach.llm.base import ChatMessage, GenerationStats


class Citation(BaseModel):
    n: int
    doc_id: str
    title: str
    source: str


class NumberedPassage(BaseModel):
    n: int
    doc_id: str
    title: str
    source: str
    heading: str = ""
    text: str
    score: float
    chunk_id: str = ""


class AskPlan(BaseModel):
    """Everything decided before the model is called: the passages, the key guidance, the messages."""

    question: str
    passages: list[NumberedPassage]
    grounded: bool
    key_guidance: list[KeySentence] = Field(default_factory=list)
    messages: list[ChatMessage] = Field(default_factory=list)
    started: float = 0.0  # perf_counter when the question arrived
    retrieval_seconds: float = 0.0
    key_guidance_seconds: float = 0.0
    in_prompt: int = 0  # the first this many passages are the model's; any after them only the key guidance quotes
    prefilled: bool = False  # the passages read while the question was typed are these ones
    first_token_at: float = 0.0  # perf_counter of the model's first piece, once it streams
    removed_citations: int = 0  # filled in while the answer streams
    asked_again: bool = False  # likewise: the first reply cited nothing, so the model was asked once more
    advice_withheld: bool = False  # likewise: the model cited nothing, so its words were not shown
    quoted_contacts: list[QuotedContact] = Field(default_factory=list)  # likewise
    stats: GenerationStats = Field(default_factory=GenerationStats)  # the reply's own, once streamed


class AskResult(BaseModel):
    question: str
    answer: str  # the model's advice, or the note saying why it was left out
    grounded: bool
    key_guidance: list[KeySentence] = Field(default_factory=list)
    citations: list[Citation]
    passages: list[NumberedPassage]
    advice_withheld: bool = False
    removed_citations: int = 0
    quoted_contacts: list[QuotedContact] = Field(default_factory=list)  # passed on as one note's words
    timings: dict[str, float | int] = Field(default_factory=dict)
