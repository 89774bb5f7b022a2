"""Drills from the mentor's own weak lines in the 24-session history: checked at once by the real
labeller (no chat model), the guidance's example for a miss, results saved and charted, and
`coach drill --json` end to end."""

import json
import subprocess
import sys

import pytest

from coach.coaching.practice.behaviours import BehaviourClassifier
from coach.coaching.progress.service import DrillService
from coach.coaching.rubric import load_rubric
from coach.sessions.store import SessionStore
from tests.progress_history import install_history, shared_history
from tests.reliability.cli import run_coach

OPEN = "asked-open-questions"
GOOD = "What has been on your mind most since we last met?"
TELLING = "You should just talk to your manager about it this week."


@pytest.fixture
def history(isolated_dirs, tmp_path_factory, embedder, shipped_store):
    return install_history(isolated_dirs / "data", shared_history(tmp_path_factory, embedder, shipped_store))


@pytest.fixture
def drills(history, isolated_dirs, embedder, shipped_store):
    store = SessionStore(isolated_dirs / "data" / "sessions.db")
    yield DrillService(store, load_rubric(), BehaviourClassifier(embedder.embed), shipped_store)
    store.close()


def said_in_history(store: SessionStore) -> set[str]:
    return {t.text for s in store.sessions() for t in store.transcript(s.id) if t.speaker == "mentor"}


def test_a_drill_is_about_five_of_the_mentors_own_costly_lines(drills):
    sitting = drills.start()
    assert len(sitting.drill.lines) == 5
    assert {line.text for line in sitting.drill.lines} <= said_in_history(drills.store)
    for line in sitting.drill.lines:
        assert line.ask.startswith(f"You said: “{line.text}”. Say it again so that it ")
        assert sitting.examples[line.skill].text  # ready before the first answer, so a check needs no search


def test_the_labeller_passes_a_better_line_and_answers_a_miss_with_the_guidance(drills):
    sitting = drills.start(OPEN)
    line = sitting.drill.lines[0]
    assert line.wanted == ["open_question"]
    good, telling, again = (drills.check(sitting, line, said) for said in (GOOD, TELLING, line.text))
    assert good.passed and good.feedback == "Yes: that asks an open question." and good.example is None
    assert not telling.passed and "advice" in telling.labels and telling.example is not None
    assert telling.example.source != "the rubric"  # a quoted "What to say" from a guidance note
    assert drills.checker.passes(["open_question"], telling.example.text)  # the example itself does what is asked
    assert not again.passed and "much the same line" in again.feedback
    saved = drills.store.drill_attempts()
    assert [(a.attempt, a.passed) for a in saved] == [(GOOD, True), (TELLING, False), (line.text, False)]


def test_drill_results_show_on_the_progress_chart_as_their_own_series(drills):
    from coach.coaching.progress.service import ProgressService
    from coach.coaching.scenarios import load_scenarios

    sitting = drills.start(OPEN)
    for line, said in zip(sitting.drill.lines, (GOOD, TELLING)):
        drills.check(sitting, line, said)
    skill = next(s for s in ProgressService(drills.store, load_scenarios(), load_rubric()).report().skills if s.skill == OPEN)
    assert [(d.passed, d.tried, d.score) for d in skill.drills] == [(1, 2, 1.0)]


def run_drill(*args: str, answers: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coach", "drill", *args], input="\n".join(answers) + "\n",
                          capture_output=True, text=True, timeout=300)


def test_coach_drill_json_end_to_end(history):
    done = run_drill("--skill", OPEN, "--json", answers=[GOOD, TELLING])
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["tried"], result["passed"]) == (2, 1)  # the answers ran out after two lines: the drill ends there
    first, second = result["lines"]
    assert first["said"] == GOOD and first["passed"] and first["ask"].startswith("You said: “")
    assert not second["passed"] and second["example"]["text"]
    progress = json.loads(run_coach("progress", "--json").stdout)
    charted = next(s for s in progress["skills"] if s["skill"] == OPEN)
    assert [(d["passed"], d["tried"]) for d in charted["drills"]] == [(1, 2)]


def test_coach_drill_in_the_terminal_and_its_bad_input(history):
    done = run_drill("--skill", OPEN, answers=[GOOD])
    assert done.returncode == 0 and "Say it again so that it asks an open question." in done.stdout
    assert "Yes: that asks an open question." in done.stdout and "1 of 1 passed" in done.stdout
    wrong = run_drill("--skill", "listening", answers=[])
    assert wrong.returncode != 0 and "Unknown skill 'listening'" in wrong.stderr and "Traceback" not in wrong.stderr


def test_with_no_debriefs_there_is_nothing_to_drill():
    done = run_drill("--json", answers=[])
    empty = json.loads(done.stdout)
    assert done.returncode == 0 and empty["lines"] == [] and "No weak lines to drill yet" in empty["note"]
    plain = run_drill(answers=[])
    assert plain.returncode == 0 and "No weak lines to drill yet" in plain.stdout
