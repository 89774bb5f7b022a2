"""For each scored skill, the guidance passage that says what good looks like, cited by title and source."""

from pydantic import BaseModel

from coach.coaching.rubric import Skill
from coach.coaching.scenarios import Scenario
from coach.retrieval.passage import Retriever

PASSAGES_PER_SKILL = 1
PHRASING_PASSAGES = 6


class GuidanceCitation(BaseModel):
    skill: str
    doc_id: str
    chunk_id: str
    title: str
    source: str
    score: float
    heading: str = ""
    text: str


def guidance_for(skill: Skill, scenario: Scenario, store: Retriever) -> list[GuidanceCitation]:
    """Search the notes tagged for this skill or scenario; fall back to the whole corpus."""
    tags = sorted(set(skill.guidance_tags) | set(scenario.guidance_tags))
    passages = (store.search(skill.good_looks_like, PASSAGES_PER_SKILL, tags=tags)
                or store.search(skill.good_looks_like, PASSAGES_PER_SKILL))
    return [GuidanceCitation(skill=skill.id, doc_id=p.doc_id, chunk_id=p.chunk_id, title=p.title,
                             source=p.source, score=p.score, heading=p.heading, text=p.text) for p in passages]


def phrasings_for(skill: Skill, scenario: Scenario | None, store: Retriever) -> list[GuidanceCitation]:
    """Passages likely to hold a note's "What to say" for this skill, for when no draft passes."""
    tags = sorted(set(skill.guidance_tags) | set(scenario.guidance_tags if scenario else ()))
    passages = store.search(f"What to say: {skill.good_looks_like}", PHRASING_PASSAGES, tags=tags)
    return [GuidanceCitation(skill=skill.id, doc_id=p.doc_id, chunk_id=p.chunk_id, title=p.title, source=p.source,
                             score=p.score, heading=p.heading, text=p.text) for p in passages]
