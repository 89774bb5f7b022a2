import pytest

from coach.coaching.prompts import load_prompt
from coach.errors import PromptError


def test_shipped_ask_prompt_renders_system_then_user():
    messages = load_prompt("ask").render(passages="[1] A passage", question="How?")
    assert [m.role for m in messages] == ["system", "user"]
    assert "[1] A passage" in messages[1].content and "How?" in messages[1].content
    assert "{" not in messages[0].content  # the fixed system prompt has no per-question parts


def test_missing_or_unknown_variable_is_an_error():
    prompt = load_prompt("ask")
    with pytest.raises(PromptError, match="missing: \\['question'\\]"):
        prompt.render(passages="x")
    with pytest.raises(PromptError, match="unknown: \\['mood'\\]"):
        prompt.render(passages="x", question="y", mood="z")


def test_undeclared_placeholder_in_a_file_is_rejected(tmp_path):
    (tmp_path / "bad.toml").write_text(
        'name="bad"\ndescription="d"\nvariables=["question"]\nsystem="s"\nuser="{question} {passages}"\n')
    with pytest.raises(PromptError, match="differ from declared"):
        load_prompt("bad", tmp_path)


def test_unknown_field_and_missing_file_are_clear(tmp_path):
    (tmp_path / "extra.toml").write_text(
        'name="x"\ndescription="d"\nvariables=[]\nsystem="s"\nuser="u"\ncolour="red"\n')
    with pytest.raises(PromptError, match="colour"):
        load_prompt("extra", tmp_path)
    with pytest.raises(PromptError, match="missing"):
        load_prompt("nope", tmp_path)


def test_braces_in_values_are_not_reinterpreted():
    messages = load_prompt("ask").render(passages="{question} [bold]", question="q")
    assert "{question} [bold]" in messages[1].content


def test_mentee_prompt_renders_a_scenario_without_its_hidden_layer_and_has_every_note():
    from coach.coaching.practice.notes import NOTE_NAMES
    from coach.coaching.scenarios import find_scenario

    prompt = load_prompt("mentee")
    scenario = find_scenario("favourite-worry")
    m = scenario.mentee
    system, user = prompt.render(name=m.name, role=m.role, situation=m.situation, manner=m.manner, voice=m.voice,
                                 wants=m.wants, mentor_line="What have you noticed?",
                                 stage_note=prompt.stage_notes["neutral"])
    assert "You are Priya" in system.content and m.voice in system.content
    assert scenario.hidden.concern not in system.content and scenario.hidden.hint not in system.content
    assert scenario.hidden.in_own_words not in system.content
    assert user.content.startswith("What have you noticed?") and prompt.stage_notes["neutral"] in user.content
    assert set(prompt.stage_notes) == set(NOTE_NAMES)
