"""A saved session as one record, and its Markdown and JSON exports: the briefing, the transcript
(the branch that was played), the time-outs with their citations, and the debrief."""

from pydantic import BaseModel

from coach.coaching.debrief.markdown import debrief_markdown
from coach.formats.display import display_safe
from coach.sessions.store import Session, SessionStore, TimeOut, Turn


class SessionRecord(BaseModel):
    session: Session
    title: str
    briefing: str
    mentee: str
    transcript: list[Turn]
    branches: int  # turns kept from rewound or regenerated branches, not in the transcript
    timeouts: list[TimeOut]
    debrief: dict | None

    @property
    def score(self) -> tuple[int, int] | None:
        if not self.debrief:
            return None
        scores = self.debrief.get("scores", [])
        return sum(s["score"] for s in scores), sum(s["max_score"] for s in scores)


def load_record(store: SessionStore, session_id: str, title: str, briefing: str, mentee: str) -> SessionRecord:
    transcript = store.transcript(session_id)
    return SessionRecord(session=store.session(session_id), title=title, briefing=briefing.strip(), mentee=mentee,
                         transcript=transcript, branches=len(store.all_turns(session_id)) - len(transcript),
                         timeouts=store.timeouts(session_id), debrief=store.debrief(session_id))


def to_json(record: SessionRecord) -> dict:
    return {"id": record.session.id, "scenario": record.session.scenario_id, "title": record.title,
            "model": record.session.model, "started_at": record.session.started_at,
            "ended_at": record.session.ended_at, "briefing": record.briefing,
            "transcript": [t.model_dump(include={"id", "speaker", "text", "retries"}) for t in record.transcript],
            "branch_turns": record.branches,
            "timeouts": [t.model_dump(include={"after_turn_id", "question", "answer", "citations"}) for t in record.timeouts],
            "debrief": record.debrief}


def to_markdown(record: SessionRecord) -> str:
    parts = [f"# {record.title}", "",
             f"Practised {record.session.started_at} with {record.session.model}. Session `{record.session.id}`.", "",
             "## Briefing", "", record.briefing, "", "## Transcript", ""]
    parts += [_turn_line(turn, record.mentee) for turn in record.transcript]
    if record.branches:
        parts += ["", f"_{record.branches} more turn(s) from rewound or regenerated branches are kept in the session._"]
    if record.timeouts:
        parts += ["", "## Time-outs", ""]
        for timeout in record.timeouts:
            parts += _timeout_lines(timeout)
    parts += ["", *(debrief_markdown(record.debrief) if record.debrief else ["## Debrief", "", "_Not debriefed yet._"])]
    # Sessions saved before text was cleaned on the way in may still hold escape codes.
    return display_safe("\n".join(parts).rstrip() + "\n")


def _turn_line(turn: Turn, mentee: str) -> str:
    if turn.speaker == "note":
        return f"_{turn.text}_\n"
    speaker = "You" if turn.speaker == "mentor" else mentee
    return f"**{speaker}:** {turn.text}\n"


def _timeout_lines(timeout: TimeOut) -> list[str]:
    lines = [f"**Question:** {timeout.question}", "", timeout.answer, ""]
    lines += [f"- [{c.get('n', '')}] {c['title']} ({c['source']})" for c in timeout.citations]
    return lines + [""]
