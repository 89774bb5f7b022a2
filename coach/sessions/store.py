"""SessionStore: sessions, turns (rewound branches kept), time-outs and debriefs in SQLite (WAL).

Every write commits at once, so a kill -9 loses at most the reply still being generated.
"""

import json
import sqlite3
import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from coach.errors import CoachError, DamagedFile, disk_full, disk_nearly_full, is_disk_full
from coach.sessions.migrations import migrate

Speaker = Literal["mentor", "mentee", "note"]


class Turn(BaseModel):
    id: int
    session_id: str
    parent_id: int | None
    speaker: Speaker
    text: str
    retries: int = 0
    created_at: str


class TimeOut(BaseModel):
    id: int
    after_turn_id: int | None
    question: str
    answer: str
    citations: list[dict]
    created_at: str


class Session(BaseModel):
    id: str
    scenario_id: str
    model: str
    started_at: str
    ended_at: str | None = None
    head_turn_id: int | None = None
    state: dict = {}


class DrillAttempt(BaseModel):
    drill_id: str
    session_id: str  # the session the original line came from
    skill: str
    original: str
    attempt: str
    passed: bool
    labels: list[str] = []
    created_at: str = ""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SessionStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()  # the app writes from worker threads
        try:
            self._db = sqlite3.connect(path, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            migrate(self._db)
        except (sqlite3.Error, OSError) as error:
            raise session_file_problem(path, error) from None

    def create_session(self, scenario_id: str, model: str, started_at: str | None = None) -> Session:
        """`started_at` (ISO) is for sessions brought in from elsewhere, such as a test's history."""
        session = Session(id=uuid.uuid4().hex[:12], scenario_id=scenario_id, model=model, started_at=started_at or _now())
        self._write("INSERT INTO sessions (id, scenario_id, model, started_at) VALUES (?, ?, ?, ?)",
                    (session.id, scenario_id, model, session.started_at))
        return session

    def add_turn(self, session_id: str, speaker: Speaker, text: str, retries: int = 0) -> Turn:
        """Append to the branch being played (after the session's head) and move the head."""
        with self._transaction():
            head = self._db.execute("SELECT head_turn_id FROM sessions WHERE id = ?", (session_id,)).fetchone()
            if head is None:
                raise CoachError(f"There is no session '{session_id}'; see `coach sessions list`.")
            created = _now()
            cursor = self._db.execute(
                "INSERT INTO turns (session_id, parent_id, speaker, text, retries, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (session_id, head[0], speaker, text, retries, created))
            self._db.execute("UPDATE sessions SET head_turn_id = ? WHERE id = ?", (cursor.lastrowid, session_id))
        return Turn(id=cursor.lastrowid, session_id=session_id, parent_id=head[0], speaker=speaker,
                    text=text, retries=retries, created_at=created)

    def rewind(self, session_id: str, before_turn_id: int) -> None:
        """Play on from just before `before_turn_id`; the abandoned branch stays stored."""
        parent = self._read("SELECT parent_id FROM turns WHERE id = ? AND session_id = ?", (before_turn_id, session_id))
        if not parent:
            raise CoachError(f"Turn {before_turn_id} is not part of session '{session_id}'.")
        self._write("UPDATE sessions SET head_turn_id = ? WHERE id = ?", (parent[0][0], session_id))

    def transcript(self, session_id: str) -> list[Turn]:
        """The branch being played, oldest first."""
        by_id = {t.id: t for t in self.all_turns(session_id)}
        head = self.session(session_id).head_turn_id
        path = []
        while head is not None:
            path.append(by_id[head])
            head = by_id[head].parent_id
        return path[::-1]

    def all_turns(self, session_id: str) -> list[Turn]:
        rows = self._read("SELECT id, session_id, parent_id, speaker, text, retries, created_at FROM turns "
                          "WHERE session_id = ? ORDER BY id", (session_id,))
        return [Turn(**dict(zip(Turn.model_fields, row))) for row in rows]

    def add_timeout(self, session_id: str, question: str, answer: str, citations: list[dict]) -> None:
        head = self.session(session_id).head_turn_id
        self._write("INSERT INTO timeouts (session_id, after_turn_id, question, answer, citations_json, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)", (session_id, head, question, answer, json.dumps(citations), _now()))

    def timeouts(self, session_id: str) -> list[TimeOut]:
        rows = self._read("SELECT id, after_turn_id, question, answer, citations_json, created_at FROM timeouts "
                          "WHERE session_id = ? ORDER BY id", (session_id,))
        return [TimeOut(id=r[0], after_turn_id=r[1], question=r[2], answer=r[3], citations=json.loads(r[4]),
                        created_at=r[5]) for r in rows]

    def save_debrief(self, session_id: str, debrief: dict) -> None:
        with self._transaction():
            self._db.execute("INSERT OR REPLACE INTO debriefs VALUES (?, ?, ?)", (session_id, json.dumps(debrief), _now()))
            self._db.execute("UPDATE sessions SET ended_at = COALESCE(ended_at, ?) WHERE id = ?", (_now(), session_id))

    def debrief(self, session_id: str) -> dict | None:
        rows = self._read("SELECT debrief_json FROM debriefs WHERE session_id = ?", (session_id,))
        return json.loads(rows[0][0]) if rows else None

    def add_drill_attempt(self, attempt: DrillAttempt) -> DrillAttempt:
        saved = attempt.model_copy(update={"created_at": attempt.created_at or _now()})
        self._write("INSERT INTO drill_attempts (drill_id, session_id, skill, original, attempt, passed, labels_json, "
                    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (saved.drill_id, saved.session_id, saved.skill, saved.original, saved.attempt, int(saved.passed),
                     json.dumps(saved.labels), saved.created_at))
        return saved

    def drill_attempts(self) -> list[DrillAttempt]:
        """Every drill line ever said, oldest first."""
        rows = self._read("SELECT drill_id, session_id, skill, original, attempt, passed, labels_json, created_at "
                          "FROM drill_attempts ORDER BY id", ())
        return [DrillAttempt(drill_id=r[0], session_id=r[1], skill=r[2], original=r[3], attempt=r[4], passed=bool(r[5]),
                             labels=json.loads(r[6]), created_at=r[7]) for r in rows]

    def session(self, session_id: str) -> Session:
        rows = self._read("SELECT id, scenario_id, model, started_at, ended_at, head_turn_id, state_json "
                          "FROM sessions WHERE id = ?", (session_id,))
        if not rows:
            raise CoachError(f"There is no session '{session_id}'; see `coach sessions list`.")
        return _session(rows[0])

    def sessions(self) -> list[Session]:
        rows = self._read("SELECT id, scenario_id, model, started_at, ended_at, head_turn_id, state_json "
                          "FROM sessions ORDER BY started_at DESC, rowid DESC", ())
        return [_session(row) for row in rows]

    def save_state(self, session_id: str, state: dict) -> None:
        self._write("UPDATE sessions SET state_json = ? WHERE id = ?", (json.dumps(state), session_id))

    def delete(self, session_id: str) -> None:
        self.session(session_id)
        with self._transaction():
            self._db.execute("UPDATE sessions SET head_turn_id = NULL WHERE id = ?", (session_id,))
            self._db.execute("DELETE FROM timeouts WHERE session_id = ?", (session_id,))
            self._db.execute("DELETE FROM debriefs WHERE session_id = ?", (session_id,))
            # A drill quotes the session's own words, so deleting the session takes them too.
            self._db.execute("DELETE FROM drill_attempts WHERE session_id = ?", (session_id,))
            self._db.execute("DELETE FROM turns WHERE session_id = ?", (session_id,))
            self._db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))

    def close(self) -> None:
        self._db.close()

    def quick_check(self) -> str:
        """SQLite's quick_check: "ok", or what is damaged (for `coach doctor`)."""
        return self._read("PRAGMA quick_check", ())[0][0]

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One committed write (or none at all), with SQLite's errors told as one sentence."""
        with self._lock:
            try:
                with self._db:
                    yield
            except sqlite3.Error as error:
                raise session_file_problem(self.path, error) from None

    def _write(self, sql: str, params: tuple) -> None:
        with self._transaction():
            self._db.execute(sql, params)

    def _read(self, sql: str, params: tuple) -> list[tuple]:
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.Error as error:
                raise session_file_problem(self.path, error) from None


def session_file_problem(path: Path, error: Exception) -> CoachError:
    """A full disk is not a damaged file: telling someone to move an intact history aside hides it."""
    if is_disk_full(error) or (isinstance(error, (sqlite3.OperationalError, OSError)) and disk_nearly_full(path)):
        return disk_full(path)
    if isinstance(error, sqlite3.DatabaseError) and not isinstance(error, sqlite3.OperationalError):
        return DamagedFile(f"The session file {path} is damaged ({error}); move it aside and coach will "
                           "start a new one (the old file can still be sent for recovery).")
    return CoachError(f"The session file {path} could not be used ({error}); check that its folder is "
                      "writable and that no other program has it open.")


def _session(row: tuple) -> Session:
    return Session(id=row[0], scenario_id=row[1], model=row[2], started_at=row[3], ended_at=row[4],
                   head_turn_id=row[5], state=json.loads(row[6]))


@contextmanager
def scratch_session_store(prefix: str = "coach-scratch-") -> Iterator[SessionStore]:
    """A session store in a temporary folder, gone afterwards: for sessions that must not reach the
    user's History (the bench's scripted sessions, `coach scenarios try`)."""
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        store = SessionStore(Path(folder) / "sessions.db")
        try:
            yield store
        finally:
            store.close()
