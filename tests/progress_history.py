"""A practice history for the progress tests: 24 sessions, one a day, played by the scripted mentor
styles (tests/calibration: dismissive, interrogator, fixer and listener transcripts for every
scenario) and scored by the real debrief scoring (labeller, rubric, guidance), with no chat model.
The styles come in that order, so the mentor gets better over the month, as a real one might."""

import shutil
import tomllib
from datetime import date, timedelta
from pathlib import Path

from coach.coaching.debrief.service import DebriefService
from coach.coaching.debrief.signals import Line
from coach.coaching.debrief.transcript_scoring import TranscriptScorer
from coach.coaching.practice.behaviours import BehaviourClassifier
from coach.coaching.rubric import load_rubric
from coach.coaching.scenarios import find_scenario
from coach.sessions.store import SessionStore

CALIBRATION = Path(__file__).parent / "calibration"
STYLE_ORDER = ("dismissive", "interrogator", "fixer", "listener")
SESSIONS = 24
FIRST_DAY = date(2026, 10, 1)


def scripted_cases() -> list[dict]:
    """Six sessions per style, each style starting two scenarios further on, so all nine appear."""
    cases = [case for p in sorted(CALIBRATION.glob("*.toml"))
             if p.stem == f"{(case := tomllib.loads(p.read_text()))['scenario']}-{case['style']}"]
    per_style = SESSIONS // len(STYLE_ORDER)
    chosen = []
    for offset, style in enumerate(STYLE_ORDER):
        of_style = [c for c in cases if c["style"] == style]
        chosen += [of_style[(2 * offset + k) % len(of_style)] for k in range(per_style)]
    return chosen


def write_history(path: Path, embedder, guidance_store) -> list[str]:
    """Sessions with saved debriefs in the store at `path`, plus one never debriefed; their ids."""
    store = SessionStore(path)
    classifier = BehaviourClassifier(embedder.embed)
    debriefs = DebriefService(load_rubric(), TranscriptScorer(load_rubric(), classifier), guidance_store, None, store)
    ids = []
    for day, case in enumerate(scripted_cases()):
        scenario = find_scenario(case["scenario"])
        started = (FIRST_DAY + timedelta(days=day)).isoformat() + "T18:30:00+00:00"
        session = store.create_session(scenario.id, f"scripted {case['style']}", started)
        for speaker, text in case["turns"]:
            store.add_turn(session.id, speaker, text)
        debrief, _ = debriefs.score(session.id, scenario, [Line(speaker=s, text=t) for s, t in case["turns"]])
        store.save_debrief(session.id, debrief.model_dump())
        ids.append(session.id)
    store.create_session("quiet-mentee", "scripted", (FIRST_DAY + timedelta(days=SESSIONS)).isoformat() + "T09:00:00+00:00")
    store.close()
    return ids


_BUILT: dict[str, tuple[Path, list[str]]] = {}


def shared_history(tmp_path_factory, embedder, guidance_store) -> tuple[Path, list[str]]:
    """The history written once per test run (it takes most of a minute on two cores), for every
    module that needs it; each test copies the file, so none sees another's changes."""
    if "history" not in _BUILT:
        path = tmp_path_factory.mktemp("progress-history") / "sessions.db"
        _BUILT["history"] = (path, write_history(path, embedder, guidance_store))
    return _BUILT["history"]


def install_history(data_dir: Path, built: tuple[Path, list[str]]) -> list[str]:
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(built[0], data_dir / "sessions.db")
    return built[1]
