"""A damaged or truncated sessions.db: one sentence everywhere, `coach doctor` says so, and the
History screen never claims there are no sessions."""

import os
import sqlite3

import pytest

from coach import paths
from coach.errors import DamagedFile
from coach.sessions.store import SessionStore
from tests.reliability.cli import run_coach
from tests.ui.driving import started


def _history_file(sessions: int = 120):
    path = paths.default_data_dir() / "sessions.db"
    store = SessionStore(path)
    for n in range(sessions):
        session = store.create_session("favourite-worry", "tiny")
        store.add_turn(session.id, "mentor", f"Line {n}: " + "how are things going for you? " * 20)
    store.close()
    with sqlite3.connect(path) as db:  # fold the WAL in, so the damage lands in the one file
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def _truncate(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])


def _damage_pages(path):
    data = bytearray(path.read_bytes())
    data[len(data) // 2: len(data) // 2 + 8192] = os.urandom(8192)  # data pages, not the schema
    path.write_bytes(bytes(data))




@pytest.mark.parametrize("damage", [_truncate, _damage_pages], ids=["truncated", "page-damage"])
def test_a_damaged_history_is_one_sentence_and_doctor_says_so(damage):
    damage(_history_file())
    listed = run_coach("sessions", "list")
    assert listed.returncode != 0 and "Something went wrong" not in listed.stderr
    assert "sessions.db is damaged" in listed.stderr
    doctor = run_coach("doctor")
    assert doctor.returncode != 0
    assert any(line.startswith("!!") and "sessions" in line and "damaged" in line for line in doctor.stdout.splitlines())


def test_doctor_is_happy_with_an_intact_history():
    _history_file(3)
    doctor = run_coach("doctor")
    assert any(line.startswith("ok") and "sessions" in line and "3 saved" in line for line in doctor.stdout.splitlines())


def test_reading_a_damaged_page_is_a_damaged_file_error():
    path = _history_file()
    _damage_pages(path)
    with pytest.raises(DamagedFile, match="is damaged"):
        store = SessionStore(path)
        for session in store.sessions():
            store.transcript(session.id)


async def test_the_history_screen_says_it_could_not_read_rather_than_no_sessions(make_services):
    from textual.widgets import Markdown


    services, _ = make_services()
    _truncate(_history_file())
    async with started(services) as (app, pilot):
        await pilot.press("f7")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = app.screen.query_one("#session-view", Markdown).source
        assert "could not be read" in shown and "No practice sessions yet" not in shown
        assert app.is_running
