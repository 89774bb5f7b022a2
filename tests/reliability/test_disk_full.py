"""A full disk is told as a full disk (free space, nothing was lost), never as damage or "Something
went wrong", and following the advice never hides the user's history or index."""

import shutil
import subprocess

import pytest

from coach.errors import DiskFull
from coach.retrieval.store import local_store
from coach.retrieval.sync import load_corpus, sync_corpus
from coach.sessions.store import SessionStore
from tests.conftest import REPO
from tests.reliability.cli import run_coach
from tests.reliability.disk import fill, small_disk


def assert_disk_full_sentence(done: subprocess.CompletedProcess) -> None:
    assert done.returncode != 0
    for wrong in ("Traceback", "Something went wrong", "damaged", "move it aside", "delete that folder"):
        assert wrong not in done.stderr, done.stderr
    assert "is full" in done.stderr and "free some space" in done.stderr, done.stderr


def _session_store_with_one_session(folder):
    store = SessionStore(folder / "sessions.db")
    session = store.create_session("favourite-worry", "tiny")
    store.add_turn(session.id, "mentor", "How are things going?")
    store.close()
    return session.id


def test_practice_turn_on_a_full_disk_is_disk_full_and_earlier_turns_survive(tmp_path):
    with small_disk(tmp_path / "disk") as disk:
        session_id = _session_store_with_one_session(disk)
        store = SessionStore(disk / "sessions.db")
        fill(disk)
        with pytest.raises(DiskFull, match="is full; free some space"):
            for _ in range(200):  # the WAL may have a page or two spare
                store.add_turn(session_id, "mentee", "Fine, I suppose. " * 200)
        store.close()
        (disk / "filler").unlink()
        assert SessionStore(disk / "sessions.db").transcript(session_id)[0].text == "How are things going?"


def test_sessions_list_on_a_full_disk_does_not_call_the_file_damaged(tmp_path, monkeypatch):
    with small_disk(tmp_path / "disk") as disk:
        _session_store_with_one_session(disk)
        # a fresh process must open the file (WAL and shared-memory files) with no room left
        for leftover in ("sessions.db-wal", "sessions.db-shm"):
            (disk / leftover).unlink(missing_ok=True)
        fill(disk)
        env = {**__import__("os").environ, "COACH_DATA_DIR": str(disk)}
        listed = run_coach("sessions", "list", env=env)
        if listed.returncode == 0:  # SQLite could read without writing: fine, and the session is there
            assert "favourite-worry" in listed.stdout or "Priya" in listed.stdout
        else:
            assert_disk_full_sentence(listed)
        assert (disk / "sessions.db").stat().st_size > 0


def test_corpus_sync_onto_a_full_disk_is_one_sentence(tmp_path, embedder):
    with small_disk(tmp_path / "disk", size_kb=8192) as disk:
        corpus = tmp_path / "corpus"
        shutil.copytree(REPO / "corpus", corpus)
        fill(disk)
        env = {**__import__("os").environ, "COACH_DATA_DIR": str(disk)}
        synced = run_coach("--corpus", str(corpus), "corpus", "sync", env=env)
        assert_disk_full_sentence(synced)
        for command in (["corpus", "list"], ["corpus", "search", "favouritism"]):
            done = run_coach("--corpus", str(corpus), *command, env=env)
            if done.returncode != 0:
                assert_disk_full_sentence(done)


def test_the_store_reports_a_full_disk_during_a_sync(tmp_path, embedder):
    with small_disk(tmp_path / "disk", size_kb=8192) as disk:
        store = local_store(disk / "index", embedder)
        documents = load_corpus(REPO / "corpus" / "guidance")
        sync_corpus(store, documents[:2])
        fill(disk)
        with pytest.raises(DiskFull, match="is full"):
            sync_corpus(store, documents)
