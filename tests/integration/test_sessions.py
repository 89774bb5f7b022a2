"""The SQLite session store: branches, time-outs, debriefs, migrations and crash safety."""

import sqlite3

import pytest

from coach.errors import CoachError
from coach.sessions.migrations import MIGRATIONS
from coach.sessions.store import SessionStore


@pytest.fixture
def store(tmp_path):
    return SessionStore(tmp_path / "sessions.db")


def test_turns_form_a_transcript_and_rewound_branches_are_kept(store):
    session = store.create_session("favourite-worry", "smollm2-135m")
    first = store.add_turn(session.id, "mentee", "Thanks for making time.")
    dismissive = store.add_turn(session.id, "mentor", "Don't worry about them.")
    store.add_turn(session.id, "mentee", "Okay...")
    store.rewind(session.id, dismissive.id)
    store.add_turn(session.id, "mentor", "What have you noticed?")
    store.add_turn(session.id, "mentee", "Someone stopped inviting me to lunch.")
    assert [t.text for t in store.transcript(session.id)] == [
        "Thanks for making time.", "What have you noticed?", "Someone stopped inviting me to lunch."]
    everything = [t.text for t in store.all_turns(session.id)]
    assert "Don't worry about them." in everything and "Okay..." in everything
    assert store.transcript(session.id)[1].parent_id == first.id


def test_timeouts_debrief_state_and_delete(store):
    session = store.create_session("quiet-mentee", "m")
    store.add_turn(session.id, "mentee", "Hi.")
    store.add_timeout(session.id, "How do I handle silence?", "Wait [1].", [{"n": 1, "title": "Quiet"}])
    store.save_state(session.id, {"open_questions": 2})
    store.save_debrief(session.id, {"scores": {"asked-open-questions": 2}})
    assert store.timeouts(session.id)[0].citations == [{"n": 1, "title": "Quiet"}]
    assert store.session(session.id).state == {"open_questions": 2} and store.session(session.id).ended_at
    assert store.debrief(session.id) == {"scores": {"asked-open-questions": 2}}
    store.delete(session.id)
    assert store.sessions() == []
    with pytest.raises(CoachError, match="There is no session"):
        store.session(session.id)


def test_deleting_a_session_deletes_the_drills_that_quote_it(store):
    from coach.sessions.store import DrillAttempt

    kept, gone = store.create_session("quiet-mentee", "m"), store.create_session("quiet-mentee", "m")
    for session, words in ((kept, "Just do it."), (gone, "You should tell HR.")):
        store.add_drill_attempt(DrillAttempt(drill_id="d1", session_id=session.id, skill="asked-open-questions",
                                             original=words, attempt="What do you think?", passed=True))
    store.delete(gone.id)
    assert [a.original for a in store.drill_attempts()] == ["Just do it."]


def test_migrations_are_recorded_once(tmp_path):
    path = tmp_path / "s.db"
    SessionStore(path).close()
    SessionStore(path).close()
    rows = sqlite3.connect(path).execute("SELECT version, name FROM schema_migrations").fetchall()
    assert [r[0] for r in rows] == list(range(1, len(MIGRATIONS) + 1))
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"






