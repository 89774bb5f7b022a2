"""A saved session as one record, and its Markdown and JSON exports: the briefing, the transcript
(the branch that was played), the time-outs with their citations, and the debrief."""

from pydantic import BaseModel

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
    return "\n".join(parts).rstrip() + "\n"


def _turn_line(turn: Turn, mentee: str) -> str:
    if turn.speaker == "note":
        return f"_{turn.text}_\n"
    speaker = "You" if turn.speaker == "mentor" else mentee
    return f"**{speaker}:** {turn.text}\n"


def _timeout_lines(timeout: TimeOut) -> list[str]:
    lines = [f"**Question:** {timeout.question}", "", timeout.answer, ""]
    lines += [f"- [{c.get('n', '')}] {c['title']} ({c['source']})" for c in timeout.citations]
    return lines + [""]


def debrief_markdown(debrief: dict) -> list[str]:
    return scores_markdown(debrief) + narrative_markdown(debrief)


def scores_markdown(debrief: dict) -> list[str]:
    """The part of a debrief that needs no model: scores, why, and the mentor's own words."""
    total = sum(s["score"] for s in debrief["scores"])
    best = sum(s["max_score"] for s in debrief["scores"])
    lines = ["## Debrief", "", f"Total: {total}/{best}.", "", "| skill | score | why |", "|---|---|---|"]
    lines += [f"| {s['name']} | {s['score']}/{s['max_score']} | {_why(s)} |" for s in debrief["scores"]]
    lines += ["", "### Your words", ""]
    lines += [f"- {hit['says']} ({hit['points']:+d}): \"{e['text']}\" (line {e['line']})"
              for s in debrief["scores"] for hit in s["hits"] for e in hit["evidence"]]
    return lines


def narrative_markdown(debrief: dict) -> list[str]:
    """The model's write-up, the concern the mentee held back, and the cited guidance."""
    lines = _narrative_lines(debrief)
    surfaced = "came out" if debrief.get("concern_surfaced") else "did not come out"
    lines += ["", "### What the mentee had not said", "", f"{debrief['hidden_concern']} (It {surfaced} in this session.)"]
    lines += ["", "### Guidance", ""]
    lines += [f"- {g['title']} ({g['source']}): {' '.join(g['text'].split())}" for g in debrief["guidance"]]
    return lines


def _why(score: dict) -> str:
    return "; ".join(f"{h['says']} ({h['points']:+d})" for h in score["hits"]) or "no signal"


def _narrative_lines(debrief: dict) -> list[str]:
    narrative = debrief.get("narrative")
    if not narrative:
        return ["", f"_{debrief.get('narrative_note') or 'No write-up.'}_"]
    lines = ["", "### Strengths", ""] + [f"- {p['point']} (line {p['line']})" for p in narrative["strengths"]]
    lines += ["", "### Try next time", ""] + [f"- {p['point']} (line {p['line']})" for p in narrative["tries"]]
    weakest = debrief.get("weakest") or {}
    if not narrative.get("rewrite"):
        return lines + ["", f"_{debrief.get('narrative_note', '')}_"]
    return lines + ["", "### A rewrite", "", f"Instead of \"{weakest.get('text', '')}\", you could say:", "",
                    f"> {narrative['rewrite']}"]
