"""Past practice sessions: summaries for the History screen and `coach sessions`, full records,
exports and deletion. Scenario details come from the cards; a card removed since still lists."""

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from coach.coaching.scenarios import Scenario, load_scenarios
from coach.coaching.session_export import SessionRecord, load_record, to_json, to_markdown
from coach.errors import CoachError
from coach.sessions.store import SessionStore

ExportFormat = Literal["md", "json"]


class SessionSummary(BaseModel):
    id: str
    scenario_id: str
    title: str
    started_at: str
    mentor_lines: int
    score: int | None
    max_score: int | None


class History:
    def __init__(self, sessions: SessionStore, scenarios_dir: Path | None = None) -> None:
        self.sessions, self.scenarios_dir = sessions, scenarios_dir

    def summaries(self, cards: dict[str, Scenario] | None = None) -> list[SessionSummary]:
        cards = self.cards() if cards is None else cards
        return [self._summary(self.record(s.id, cards)) for s in self.sessions.sessions()]

    def record(self, session_id: str, cards: dict[str, Scenario] | None = None) -> SessionRecord:
        session = self.sessions.session(_clean_id(session_id))
        card = (cards if cards is not None else self.cards()).get(session.scenario_id)
        return load_record(self.sessions, session.id, title=card.title if card else session.scenario_id,
                           briefing=card.briefing if card else "(This scenario card is no longer in the corpus.)",
                           mentee=card.mentee.name if card else "Mentee")

    def export(self, session_id: str, fmt: ExportFormat) -> str:
        record = self.record(session_id)
        return to_markdown(record) if fmt == "md" else json.dumps(to_json(record), indent=2, ensure_ascii=False)

    def delete(self, session_id: str) -> None:
        self.sessions.delete(_clean_id(session_id))

    def cards(self) -> dict[str, Scenario]:
        """Every scenario card by id: read it once and pass it on, rather than once per record."""
        return {card.id: card for card in load_scenarios(self.scenarios_dir)}

    @staticmethod
    def _summary(record: SessionRecord) -> SessionSummary:
        score = record.score
        return SessionSummary(id=record.session.id, scenario_id=record.session.scenario_id, title=record.title,
                              started_at=record.session.started_at,
                              mentor_lines=sum(1 for t in record.transcript if t.speaker == "mentor"),
                              score=score[0] if score else None, max_score=score[1] if score else None)


def _clean_id(session_id: str) -> str:
    cleaned = session_id.strip()
    if not cleaned or len(cleaned) > 64:
        raise CoachError("Give a session id from `coach sessions list`.")
    return cleaned
