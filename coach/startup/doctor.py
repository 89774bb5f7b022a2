"""`coach doctor`: versions, model files and their hashes, the index, threads and paths, in one report."""

import platform
from importlib.metadata import PackageNotFoundError, version

from pydantic import BaseModel

from coach import paths
from coach.assets.catalog import find_entry
from coach.assets.pull import is_pulled
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
    checks += _session_checks(services)
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
    """Asked of the chat backend, so a local file, a scripted or a remote backend all report."""
    source = services.backend_source
    try:
        health = source.health()
    except CoachError as error:  # an unknown catalog name, say
        return [Check(name="chat model", value=str(error), ok=False)]
    where = source.location() if hasattr(source, "location") else ""
    value = f"{source.name} ({where})" if where else source.name
    checks = [Check(name="chat model", value=value if health.ok else f"{value}: {health.problem}", ok=health.ok)]
    if health.ok and hasattr(source, "version"):  # a model server: what it says it runs
        checks.append(Check(name="model server", value=f"reachable, {source.version()} ({where})"))
    integrity = getattr(source, "integrity", None)  # only a local file can be hashed
    if health.ok and verify_hashes and integrity is not None:
        verdict = integrity()
        checks.append(Check(name="chat model sha256", value="matches the catalog" if verdict.ok else verdict.problem,
                            ok=verdict.ok))
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
    checks = [Check(name="index", value=f"{documents} documents, {chunks} passages ({store.location})", ok=chunks > 0)]
    if hasattr(services.index, "version"):  # a Chroma server: reachable (the counts came from it), and its version
        checks.append(Check(name="index server", value=f"reachable, Chroma {services.index.version()} ({store.location})"))
    return checks


def _session_checks(services: Services) -> list[Check]:
    """sessions.db opened and given SQLite's quick_check, so a damaged history is caught here."""
    path = services.settings.data_dir / "sessions.db"
    if not path.exists():
        return [Check(name="sessions", value=f"none yet ({path})")]
    try:
        store = services.session_store
        verdict, count = store.quick_check(), len(store.sessions())
    except CoachError as error:
        return [Check(name="sessions", value=str(error), ok=False)]
    if verdict != "ok":
        return [Check(name="sessions", value=f"{path} is damaged ({verdict[:120]}); move it aside and "
                      "coach will start a new one", ok=False)]
    return [Check(name="sessions", value=f"{count} saved ({path})")]
