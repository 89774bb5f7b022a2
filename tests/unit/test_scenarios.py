import json
import subprocess
import sys

import pytest

from coach.coaching.scenarios import load_scenario, load_scenarios
from coach.errors import CorpusError
from tests.conftest import REPO

GOOD = (REPO / "corpus" / "scenarios" / "favourite-worry.toml").read_text()


def _card(tmp_path, text: str):
    path = tmp_path / "card.toml"
    path.write_text(text)
    return path


def test_shipped_cards_cover_three_difficulties_and_real_corpus_tags():
    scenarios = load_scenarios()
    assert len(scenarios) >= 8 and {s.difficulty for s in scenarios} == {1, 2, 3}
    corpus_tags = set()
    for note in (REPO / "corpus" / "guidance").glob("*.md"):
        front = note.read_text().split("---")[1]
        corpus_tags |= set(next(line for line in front.splitlines() if line.startswith("tags:"))[6:].strip("[] ").split(", "))
    for scenario in scenarios:
        assert set(scenario.guidance_tags) <= corpus_tags, scenario.id
        assert scenario.hidden.concern not in scenario.briefing


def test_bad_difficulty_names_file_and_field(tmp_path):
    path = _card(tmp_path, GOOD.replace("difficulty = 1", "difficulty = 5"))
    with pytest.raises(CorpusError, match=r"card\.toml: field 'difficulty' is invalid"):
        load_scenario(path)


def test_unknown_skill_and_missing_mentee_field_are_explained(tmp_path):
    with pytest.raises(CorpusError, match="unknown skill"):
        load_scenario(_card(tmp_path, GOOD.replace('"acknowledged-concern"', '"juggling"')))
    without_opening = "\n".join(line for line in GOOD.splitlines() if not line.startswith("opening_line"))
    with pytest.raises(CorpusError, match="mentee.opening_line"):
        load_scenario(_card(tmp_path, without_opening))


def test_unknown_field_and_broken_toml(tmp_path):
    with pytest.raises(CorpusError, match="colour"):
        load_scenario(_card(tmp_path, 'colour = "red"\n' + GOOD))
    with pytest.raises(CorpusError, match="not valid TOML"):
        load_scenario(_card(tmp_path, GOOD + "\n[[["))


def test_cli_lists_and_shows_without_the_hidden_layer():
    def run(*args):
        return subprocess.run([sys.executable, "-m", "coach", "scenarios", *args], capture_output=True, text=True)

    listed = json.loads(run("list", "--json").stdout)
    assert {"favourite-worry", "senior-mentee"} <= {s["id"] for s in listed}
    shown = json.loads(run("show", "favourite-worry", "--json").stdout)
    assert shown["mentee"]["name"] == "Priya" and "hidden" not in shown
    trainer = json.loads(run("show", "favourite-worry", "--json", "--trainer").stdout)
    assert "stretch project" in trainer["hidden"]["concern"]
    missing = run("show", "nope")
    assert missing.returncode == 1 and "There is no scenario 'nope'" in missing.stderr


def test_validate_lists_every_problem_with_a_card(tmp_path):
    from coach.coaching.authoring import check_card, new_scenario

    template = new_scenario(tmp_path, "kite-flying")
    assert check_card(template, {"listening", "questions"}).problems == []
    assert check_card(template, {"listening"}).problems == ["field 'guidance_tags': no corpus note carries questions"]
    broken = tmp_path / "broken.toml"
    broken.write_text(template.read_text().replace('difficulty = 1', 'difficulty = 7')
                      .replace('"acknowledged-concern"', '"juggling"')
                      .replace('opening_line = "The first thing they say."', ''))
    problems = check_card(broken, {"listening", "questions"}).problems
    assert len(problems) == 3 and any("difficulty" in p for p in problems)
    assert any("juggling" in p for p in problems) and any("mentee.opening_line" in p for p in problems)
    with pytest.raises(CorpusError, match="already exists"):
        new_scenario(tmp_path, "kite-flying")


def test_a_broken_card_is_skipped_and_named_while_the_others_load(tmp_path):
    from coach.coaching.scenarios import find_scenario, read_scenarios

    (tmp_path / "favourite-worry.toml").write_text(GOOD)
    (tmp_path / "broken.toml").write_text(GOOD.replace('id = "favourite-worry"', 'id = "broken"').replace("difficulty = 1", "difficulty = 9"))
    read = read_scenarios(tmp_path)
    assert [c.id for c in read.cards] == ["favourite-worry"] and "broken.toml" in read.problems[0]
    with pytest.raises(CorpusError, match="difficulty"):
        find_scenario("broken", tmp_path)
