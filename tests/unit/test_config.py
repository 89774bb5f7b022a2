import pytest

from coach import paths
from coach.assets.inventory import use_model
from coach.config import load_settings
from coach.errors import ConfigError, InvalidModelFile


def test_defaults_then_file_then_environment(monkeypatch):
    assert load_settings().top_k == 4
    paths.config_file().parent.mkdir(parents=True)
    paths.config_file().write_text("top_k = 6\nn_ctx = 2048\n")
    assert (load_settings().top_k, load_settings().n_ctx) == (6, 2048)
    monkeypatch.setenv("COACH_TOP_K", "3")
    assert load_settings().top_k == 3


def test_every_setting_is_documented():
    from coach.config import Settings

    assert all(field.description for field in Settings.model_fields.values())


def test_bad_value_gives_one_sentence(monkeypatch):
    monkeypatch.setenv("COACH_TOP_K", "lots")
    with pytest.raises(ConfigError, match="top_k"):
        load_settings()


def test_models_use_saves_catalog_name_and_checks_paths(tmp_path):
    use_model("qwen2.5-coder-0.5b")
    assert load_settings().model == "qwen2.5-coder-0.5b"
    fake = tmp_path / "fake.gguf"
    fake.write_text("<html>not a model</html>")
    with pytest.raises(InvalidModelFile):
        use_model(str(fake))
    assert load_settings().model == "qwen2.5-coder-0.5b"  # a bad file never becomes the default
