"""Corrupt, truncated or wrong model files, and a damaged index: each is one sentence naming the
file and what to do."""

import shutil
import struct

import pytest

from coach.errors import InvalidModelFile, ModelNotFound
from coach.llm.gguf_check import check_gguf
from coach.llm.llama_backend import LlamaBackend
from coach.retrieval.embeddings import MiniLMEmbedding
from tests.reliability.cli import run_coach


def test_missing_file(tmp_path):
    with pytest.raises(ModelNotFound, match="No model file"):
        check_gguf(tmp_path / "nope.gguf")


def test_truncated_gguf_fails_with_one_sentence(tmp_path, tiny_model_path):
    cut = tmp_path / "cut.gguf"
    with tiny_model_path.open("rb") as source:
        cut.write_bytes(source.read(5_000_000))
    with pytest.raises(InvalidModelFile, match="could not load"):
        LlamaBackend(cut, n_ctx=512, n_threads=2)


def test_cli_bad_model_file_is_one_sentence_and_non_zero(tmp_path, isolated_dirs):
    fake = tmp_path / "model.gguf"
    fake.write_text("<html><body>Sign in to download</body></html>")
    result = run_coach("ask", "how do I handle favoritism?", env={"COACH_MODEL": str(fake)})
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "not a GGUF model file" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def _header(version: int = 3) -> bytes:
    return b"GGUF" + struct.pack("<IQQ", version, 1, 1)


@pytest.mark.parametrize("content, expected_size, reason", [
    (b"", None, "empty"),
    (b"<!DOCTYPE html><html><body>404 Not Found</body></html>", None, "web page"),
    (b"GGUF\x03\x00", None, "truncated"),
    (_header() + b"\0" * 100, 10_000, "truncated"),
    (_header(version=99), None, "version 99"),
], ids=["empty", "web-page", "header-cut-short", "shorter-than-catalog", "unknown-version"])
def test_a_bad_gguf_is_one_sentence(tmp_path, content, expected_size, reason):
    model = tmp_path / "model.gguf"
    model.write_bytes(content)
    with pytest.raises(InvalidModelFile, match=reason):
        check_gguf(model, expected_size=expected_size)


def test_a_folder_is_not_a_model(tmp_path):
    with pytest.raises(InvalidModelFile, match="folder"):
        check_gguf(tmp_path)


def test_plausible_header_passes(tmp_path):
    good = tmp_path / "good.gguf"
    good.write_bytes(_header() + b"\0" * 64)
    check_gguf(good, expected_size=good.stat().st_size)


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_a_corrupt_embedding_model_is_one_sentence(tmp_path, embedding_dir, damage):
    copy = tmp_path / "onnx"
    shutil.copytree(embedding_dir, copy)
    model = copy / "model.onnx"
    model.write_bytes(model.read_bytes()[:100_000] if damage == "truncated" else b"not a model" * 1000)
    with pytest.raises(InvalidModelFile, match="could not be loaded.*pull"):
        MiniLMEmbedding(copy)


def test_a_missing_tokenizer_is_one_sentence(tmp_path, embedding_dir):
    copy = tmp_path / "onnx"
    shutil.copytree(embedding_dir, copy)
    (copy / "tokenizer.json").unlink()
    with pytest.raises(ModelNotFound, match="coach models pull all-minilm-l6-v2-int8"):
        MiniLMEmbedding(copy)


def test_a_damaged_index_is_one_sentence_that_says_how_to_rebuild(isolated_dirs):
    assert run_coach("corpus", "sync").returncode == 0
    index = isolated_dirs / "data" / "index"
    for database in index.rglob("chroma.sqlite3"):
        database.write_bytes(b"garbage" * 5000)
    for command in (["corpus", "list"], ["corpus", "search", "favouritism"], ["doctor"]):
        done = run_coach(*command)
        assert done.returncode != 0 and "Traceback" not in done.stderr, command
        assert "Something went wrong" not in done.stderr + done.stdout, command
        assert "rebuild" in done.stderr + done.stdout, command
