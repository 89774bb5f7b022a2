"""The servers' secrets come from the environment only: a config file holding one is refused in
one sentence, and neither is ever shown in full."""

import pytest

from coach import paths
from coach.config import load_settings
from coach.errors import ConfigError


@pytest.mark.parametrize("key", ["model_api_key", "index_token"])
def test_a_secret_in_the_config_file_is_refused(isolated_dirs, key):
    paths.config_file().parent.mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text(f'{key} = "s3cret"\nmodel_url = "http://gpu:8080"\n')
    with pytest.raises(ConfigError) as refused:
        load_settings()
    assert str(refused.value) == (f"{paths.config_file()} sets {key}, which coach reads only from the environment; "
                                  f"remove it from the file and set COACH_{key.upper()} instead.")


@pytest.mark.parametrize("spelt", ["MODEL_API_KEY", "Index_Token"])
def test_a_secret_spelt_in_another_case_is_refused_too(isolated_dirs, spelt):
    """Settings match names case-insensitively, so `MODEL_API_KEY = ...` in the file would be read."""
    paths.config_file().parent.mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text(f'{spelt} = "s3cret"\n')
    with pytest.raises(ConfigError, match=f"sets {spelt}, which coach reads only from the environment; "
                                          f"remove it from the file and set COACH_{spelt.upper()} instead"):
        load_settings()


def test_secrets_from_the_environment_are_used_but_never_shown(isolated_dirs, monkeypatch):
    monkeypatch.setenv("COACH_MODEL_API_KEY", "s3cret-key")
    monkeypatch.setenv("COACH_INDEX_TOKEN", "s3cret-token")
    settings = load_settings()
    assert settings.model_api_key.get_secret_value() == "s3cret-key"
    assert settings.index_token.get_secret_value() == "s3cret-token"
    assert "s3cret" not in repr(settings) and str(settings.model_api_key) == "**********"


def test_the_local_mode_is_still_the_default(isolated_dirs):
    from coach.assets.local_chat import LocalModelSource
    from coach.retrieval.index_connection import LocalIndex
    from coach.services import build_services

    services = build_services(load_settings())
    assert isinstance(services.index, LocalIndex) and isinstance(services.backend_source, LocalModelSource)
