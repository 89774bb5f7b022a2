"""A command that did only part of its job says so with a non-zero exit, so scripts notice."""

from tests.conftest import ARTICLE
from tests.reliability.cli import run_coach


def test_corpus_add_exits_non_zero_when_any_file_was_skipped(tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "good.md").write_text(f"# Listening\n\n{ARTICLE}", encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"\xff\xfe\x00\x81" * 100)
    (folder / "slides.pptx").write_bytes(b"PK\x03\x04")
    done = run_coach("corpus", "add", str(folder))
    assert done.returncode != 0, done.stdout
    assert "added  good" in done.stdout and "skipped" in done.stdout
    assert "2 of 3 files were skipped" in done.stderr and "Traceback" not in done.stderr
    listed = run_coach("corpus", "list")
    assert "good" in listed.stdout  # what could come in, came in
