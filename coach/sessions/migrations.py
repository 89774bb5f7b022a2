"""Schema changes, applied in order and recorded in schema_migrations. Append; never edit one that shipped."""

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime


def _initial(db: sqlite3.Connection) -> None:
    db.executescript("""
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            scenario_id TEXT NOT NULL,
            model TEXT NOT NULL,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            head_turn_id INTEGER,            -- last turn of the branch being played
            state_json TEXT NOT NULL DEFAULT '{}'
        );
        CREATE TABLE turns (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            parent_id INTEGER REFERENCES turns(id),  -- earlier turn on the same branch; rewinds fork here
            speaker TEXT NOT NULL CHECK (speaker IN ('mentor', 'mentee', 'note')),
            text TEXT NOT NULL,
            retries INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        CREATE INDEX turns_by_session ON turns(session_id);
        CREATE TABLE timeouts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            after_turn_id INTEGER REFERENCES turns(id),
            question TEXT NOT NULL,
            answer TEXT NOT NULL,
            citations_json TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL
        );
        CREATE TABLE debriefs (
            session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
            debrief_json TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
    """)


def _drill_attempts(db: sqlite3.Connection) -> None:
    # No foreign key to sessions: a drill result stays on the progress chart after its session is deleted.
    db.executescript("""
        CREATE TABLE drill_attempts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            drill_id TEXT NOT NULL,          -- one sitting of about five lines
            session_id TEXT NOT NULL,        -- where the original line was said
            skill TEXT NOT NULL,
            original TEXT NOT NULL,
            attempt TEXT NOT NULL,
            passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
            labels_json TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL
        );
        CREATE INDEX drill_attempts_by_skill ON drill_attempts(skill);
    """)


MIGRATIONS: list[tuple[str, Callable[[sqlite3.Connection], None]]] = [
    ("initial schema: sessions, turns with branches, time-outs, debriefs", _initial),
    ("drill attempts: a mentor's own weak lines said again, and whether the labeller passed them", _drill_attempts),
]


def migrate(db: sqlite3.Connection) -> list[str]:
    """Apply every migration not yet recorded, each in its own transaction; returns their names."""
    db.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
               "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
    done = {row[0] for row in db.execute("SELECT version FROM schema_migrations")}
    applied = []
    for version, (name, apply) in enumerate(MIGRATIONS, start=1):
        if version in done:
            continue
        with db:
            apply(db)
            db.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)",
                       (version, name, datetime.now(UTC).isoformat()))
        applied.append(name)
    return applied
