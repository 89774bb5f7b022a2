import struct

import pytest

from coach.errors import InvalidModelFile, ModelNotFound
from coach.llm.gguf_check import check_gguf


def _header(version: int = 3) -> bytes:
    return b"GGUF" + struct.pack("<IQQ", version, 1, 1)


def test_missing_file(tmp_path):
    with pytest.raises(ModelNotFound, match="No model file"):
        check_gguf(tmp_path / "nope.gguf")


def test_zero_byte_file(tmp_path):
    empty = tmp_path / "empty.gguf"
    empty.touch()
    with pytest.raises(InvalidModelFile, match="empty"):
        check_gguf(empty)


def test_html_page_saved_as_gguf(tmp_path):
    page = tmp_path / "model.gguf"
    page.write_text("<!DOCTYPE html><html><body>404 Not Found</body></html>")
    with pytest.raises(InvalidModelFile, match="web page"):
        check_gguf(page)


def test_truncated_catalog_file(tmp_path):
    short = tmp_path / "short.gguf"
    short.write_bytes(_header() + b"\0" * 100)
    with pytest.raises(InvalidModelFile, match="truncated"):
        check_gguf(short, expected_size=10_000)


def test_header_cut_short_and_unknown_version(tmp_path):
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(b"GGUF\x03\x00")
    with pytest.raises(InvalidModelFile, match="truncated"):
        check_gguf(cut)
    future = tmp_path / "future.gguf"
    future.write_bytes(_header(version=99))
    with pytest.raises(InvalidModelFile, match="version 99"):
        check_gguf(future)


def test_a_folder_is_not_a_model(tmp_path):
    with pytest.raises(InvalidModelFile, match="folder"):
        check_gguf(tmp_path)


def test_plausible_header_passes(tmp_path):
    good = tmp_path / "good.gguf"
    good.write_bytes(_header() + b"\0" * 64)
    check_gguf(good, expected_size=good.stat().st_size)
