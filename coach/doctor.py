"""`coach doctor`: versions, model files and their hashes, the index, threads and paths, in one report."""

import platform
from importlib.metadata import PackageNotFoundError, version

from pydantic import BaseModel

from coach import paths
from coach.assets.catalog import find_entry
from coach.assets.pull import is_pulled, sha256_of
from coach.errors import CoachError
from coach.services import Services


class Check(BaseModel):
    name: str
    value: str
    ok: bool = True


def run_doctor(services: Services, verify_hashes: bool = True) -> list[Check]:
    s = services.settings
    checks = [Check(name="python", value=platform.python_version())]
    checks += [Check(name=pkg, value=_version(pkg)) for pkg in ("llama-cpp-python", "chromadb", "textual")]
    checks += _chat_model_checks(services, verify_hashes)
    checks += _embedding_checks(services)
    checks += _index_checks(services)
    checks += [Check(name="threads", value=str(s.n_threads)), Check(name="n_ctx", value=str(s.n_ctx)),
               Check(name="config file", value=str(paths.config_file())),
               Check(name="models dir", value=str(s.models_dir)), Check(name="data dir", value=str(s.data_dir)),
               Check(name="corpus dir", value=str(s.corpus_path), ok=(s.corpus_path / "guidance").is_dir())]
    return checks


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def _chat_model_checks(services: Services, verify_hashes: bool) -> list[Check]:
    model = services.chat_model()
    checks = [Check(name="chat model", value=f"{model.name} ({model.path})", ok=model.pulled)]
    if model.pulled and model.expected_size is not None and verify_hashes:
        expected = find_entry(model.name).files[0].sha256
        actual = sha256_of(model.path)
        checks.append(Check(name="chat model sha256", value="matches the catalog" if actual == expected
                            else f"MISMATCH ({actual[:16]}…); pull again", ok=actual == expected))
    elif not model.pulled:
        checks[0].value += f": not found; run `coach models pull {services.settings.model}`"
    return checks


def _embedding_checks(services: Services) -> list[Check]:
    entry = find_entry(services.settings.embedding_model)
    pulled = is_pulled(entry, services.settings.models_dir)
    where = entry.folder(services.settings.models_dir)
    return [Check(name="embedding files", value=f"{entry.name} ({where})" if pulled
                  else f"missing; run `coach models pull {entry.name}`", ok=pulled)]


def _index_checks(services: Services) -> list[Check]:
    try:
        store = services.store
        documents, chunks = len(store.document_hashes()), store.chunk_count()
    except CoachError as error:
        return [Check(name="index", value=str(error), ok=False)]
    return [Check(name="index", value=f"{documents} documents, {chunks} passages ({store.index_dir})",
                  ok=chunks > 0)]
