"""Bad settings and bad TOML files: each is one sentence and a non-zero exit, never a traceback or
"Something went wrong", and a broken scenario card never hides the good ones."""

import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach import paths
from coach.coaching.scenarios import read_scenarios
from coach.config import load_settings
from coach.errors import ConfigError, CorpusError
from coach.formats.toml_files import read_toml
from coach.retrieval.evaluation import load_questions
from tests.conftest import REPO
from tests.reliability.cli import run_coach

LATIN_1 = 'title = "Caf\xe9 talk"\n'.encode("latin-1")




def assert_one_sentence(done: subprocess.CompletedProcess, *needles: str) -> None:
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in done.stderr and "Something went wrong" not in done.stderr, done.stderr
    for needle in needles:
        assert needle in done.stderr, done.stderr


def test_a_latin_1_config_file_is_one_sentence():
    paths.config_dir().mkdir(parents=True)
    paths.config_file().write_bytes(LATIN_1)
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_settings()
    assert_one_sentence(run_coach("config", "show"), "config.toml", "not UTF-8")


def test_a_config_folder_that_is_a_file_is_one_sentence(tmp_path, monkeypatch):
    not_a_folder = tmp_path / "settings-file"
    not_a_folder.write_text("x")
    monkeypatch.setenv("COACH_CONFIG_DIR", str(not_a_folder))
    for command in (["config", "show"], ["models", "use", "qwen2.5-coder-0.5b"], ["doctor"]):
        assert_one_sentence(run_coach(*command), "is a file, not a folder")


def test_every_invalid_setting_is_reported_at_once(monkeypatch):
    monkeypatch.setenv("COACH_TOP_K", "lots")
    monkeypatch.setenv("COACH_N_CTX", "12")
    with pytest.raises(ConfigError, match="2 settings are invalid") as caught:
        load_settings()
    assert "top_k" in str(caught.value) and "n_ctx" in str(caught.value)
    assert_one_sentence(run_coach("config", "show"), "top_k", "n_ctx")


def test_a_latin_1_scenario_card_is_skipped_and_named(tmp_path):
    cards = tmp_path / "scenarios"
    shutil.copytree(REPO / "corpus" / "scenarios", cards)
    (cards / "latin.toml").write_bytes(LATIN_1)
    read = read_scenarios(cards)
    assert len(read.cards) == len(list((REPO / "corpus" / "scenarios").glob("*.toml")))
    assert any("latin.toml" in p and "not UTF-8" in p for p in read.problems)


def test_scenario_commands_survive_a_latin_1_card(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    (corpus / "scenarios" / "latin.toml").write_bytes(LATIN_1)
    listed = run_coach("--corpus", str(corpus), "scenarios", "list")
    assert listed.returncode == 0 and "favourite-worry" in listed.stdout
    assert "Something went wrong" not in listed.stderr
    validated = run_coach("--corpus", str(corpus), "scenarios", "validate")
    assert validated.returncode != 0 and "latin.toml" in validated.stdout + validated.stderr
    assert "Something went wrong" not in validated.stderr
    assert_one_sentence(run_coach("--corpus", str(corpus), "scenarios", "show", "latin"), "not UTF-8")


def test_latin_1_golden_questions_are_one_sentence(tmp_path):
    questions = tmp_path / "questions.toml"
    questions.write_bytes(LATIN_1)
    with pytest.raises(CorpusError, match="not UTF-8"):
        load_questions(questions)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_any_bytes_read_as_toml_give_a_table_or_one_sentence(tmp_path, data):
    target = tmp_path / "fuzz.toml"
    target.write_bytes(data)
    try:
        assert isinstance(read_toml(target, CorpusError), dict)
    except CorpusError as error:
        assert str(target) in str(error) and "\n" not in str(error).split(")")[-1]


def test_latin_1_approvals_are_one_sentence(tmp_path):
    from coach.corpus.workspace import CorpusWorkspace

    workspace = CorpusWorkspace(tmp_path / "corpus")
    workspace.guidance_dir.mkdir(parents=True)
    workspace.approvals_file.write_bytes(b'[approved]\nnote = "caf\xe9"\n')
    with pytest.raises(CorpusError, match="approvals.toml is not UTF-8"):
        workspace.approvals()
