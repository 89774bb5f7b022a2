"""Fuzz the importers: whatever bytes or text arrive as .md, .txt, .html, .docx or .pdf, loading or
converting them ends in a document or in one CorpusError, never in another exception."""

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.corpus.importing import NoteInfo, import_file
from coach.errors import CorpusError
from coach.retrieval.converters import from_docx, from_pdf, hidden_html_text
from coach.retrieval.documents import load_document
from tests.reliability.conftest import write_docx, write_pdf

FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SUFFIXES = [".md", ".txt", ".html", ".docx", ".pdf"]
STYLE_WORDS = ["font-size:0", "color:#fff", "color:rgb(300,-1,x)", "opacity:", "left:-9e9px", "background:url(",
               "height:0;overflow:hidden", "clip:rect(0 0 0 0)", ":::", "color:#ffff", "font-size:.px"]


def ends_well(action) -> None:
    try:
        action()
    except CorpusError as error:
        assert str(error).strip()


class Samples(dict):
    def __repr__(self) -> str:  # a failing example names the damage, not 40 kB of bytes
        return "<a real DOCX and PDF>"


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> Samples:
    folder = tmp_path_factory.mktemp("samples")
    return Samples({".docx": write_docx(folder / "s.docx").read_bytes(), ".pdf": write_pdf(folder / "s.pdf").read_bytes()})


@FUZZ
@given(payload=st.binary(max_size=2000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_import_or_fail_with_a_reason(tmp_path, workspace, payload, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(payload)
    ends_well(lambda: import_file(path, workspace, NoteInfo()))


@FUZZ
@given(text=st.text(max_size=1500), suffix=st.sampled_from([".md", ".txt", ".html"]))
def test_random_text_loads_or_fails_with_a_reason(tmp_path, text, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_text(text, encoding="utf-8")
    ends_well(lambda: load_document(path, root=tmp_path))


@settings(FUZZ, max_examples=60)
@given(kind=st.sampled_from([".docx", ".pdf"]), data=st.data())
def test_damaged_real_documents_convert_or_fail_with_a_reason(tmp_path, samples, kind, data):
    damaged = bytearray(samples[kind])
    for _ in range(data.draw(st.integers(1, 8))):
        damaged[data.draw(st.integers(0, len(damaged) - 1))] = data.draw(st.integers(0, 255))
    path = tmp_path / f"damaged{kind}"
    path.write_bytes(bytes(damaged[: data.draw(st.integers(1, len(damaged)))]))
    ends_well(lambda: (from_docx if kind == ".docx" else from_pdf)(path))


@FUZZ
@given(styles=st.lists(st.sampled_from(STYLE_WORDS) | st.text(max_size=20), max_size=4), text=st.text(max_size=80))
def test_odd_styles_never_break_the_hidden_text_check(styles, text):
    spans = "".join(f'<span style="{style}">{text}</span><div class="{style}">{text}</div>' for style in styles)
    page = f"<html><head><style>{' '.join(styles)} {{ {';'.join(styles)} }}</style></head><body><p>{spans}</p></body></html>"
    assert isinstance(hidden_html_text(page, text), str)


def test_a_docx_with_damaged_compressed_text_fails_with_a_reason(tmp_path, samples):
    """The case the fuzz found first: zlib's own error escaped from python-docx."""
    data = bytearray(samples[".docx"])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        part = archive.getinfo("word/document.xml")
    start = part.header_offset + 30 + len(part.filename) + len(part.extra)  # the compressed bytes
    data[start:start + 16] = bytes(16)
    (tmp_path / "damaged.docx").write_bytes(bytes(data))
    with pytest.raises(CorpusError, match="not a readable DOCX"):
        from_docx(tmp_path / "damaged.docx")
