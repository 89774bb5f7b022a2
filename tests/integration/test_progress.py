"""`coach progress` over a history of 24 sessions by the scripted mentor styles, scored by the real
debrief scoring: JSON per skill, the terminal table, --since, the exports, and bad input."""

import csv
import io
import json

import pytest

from tests.progress_history import SESSIONS, install_history, shared_history
from tests.reliability.cli import run_coach


@pytest.fixture
def history(isolated_dirs, tmp_path_factory, embedder, shipped_store):
    return install_history(isolated_dirs / "data", shared_history(tmp_path_factory, embedder, shipped_store))


def test_json_gives_every_debriefed_session_per_skill_with_average_and_trend(history):
    done = run_coach("progress", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    seen = {p["session_id"] for skill in report["skills"] for p in skill["points"]}
    assert seen == set(history) and len(seen) == SESSIONS  # the session never debriefed is left out
    for skill in report["skills"]:
        starts = [p["started"] for p in skill["points"]]
        assert starts == sorted(starts) and len(skill["moving_average"]) == len(skill["points"]) == skill["sessions"]
        assert set(skill["points"][0]) == {"session_id", "started", "scenario", "score"}
        assert skill["trend"] in ("improving", "steady", "slipping", "too few sessions")
    # The styles come dismissive first and listener last: the listening skills must show it.
    open_questions = next(s for s in report["skills"] if s["skill"] == "asked-open-questions")
    assert open_questions["trend"] == "improving"
    assert report["next"]["scenario_id"] and report["next"]["reason"].endswith(".")


def test_the_table_names_each_skill_and_the_next_scenario(history):
    done = run_coach("progress")
    assert done.returncode == 0, done.stderr
    assert "Asked open questions" in done.stdout and "Acknowledged the concern" in done.stdout
    assert "Next: " in done.stdout


def test_since_keeps_only_later_sessions(history):
    report = json.loads(run_coach("progress", "--json", "--since", "2026-10-19").stdout)
    assert report["since"] == "2026-10-19"
    assert {p["started"][:10] for s in report["skills"] for p in s["points"]} == \
        {f"2026-10-{day}" for day in range(19, 25)}


def test_markdown_and_csv_exports_are_written_where_asked(history, tmp_path):
    done = run_coach("progress", "--format", "csv", "-o", str(tmp_path / "progress.csv"))
    assert done.returncode == 0 and "Wrote the progress report" in done.stdout
    rows = list(csv.DictReader(io.StringIO((tmp_path / "progress.csv").read_text())))
    assert {r["id"] for r in rows if r["series"] == "session"} == set(history)
    run_coach("progress", "--format", "md", "-o", str(tmp_path / "progress.md"))
    markdown = (tmp_path / "progress.md").read_text()
    assert markdown.startswith("# Practice progress") and "## Asked open questions" in markdown


@pytest.mark.parametrize("args, says", [
    (("--since", "31/10/2026"), "'31/10/2026' is not a date"),
    (("--format", "pdf"), "Unknown format 'pdf'"),
    (("--format", "md", "-o", "/proc/no/such/folder/progress.md"), "Could not write"),
    (("--json", "--format", "csv"), "Give --json or --format, not both."),
])
def test_bad_input_is_one_sentence_and_a_failing_exit(args, says):
    done = run_coach("progress", *args)
    assert done.returncode != 0
    assert says in done.stderr and "Traceback" not in done.stderr
