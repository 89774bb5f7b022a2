"""Fixtures for the import and document reliability cases: an empty corpus workspace, an index for
it, and small real DOCX and PDF files written into the test's own temporary folder."""

import docx
import pytest
from fpdf import FPDF

from coach.corpus.service import CorpusService
from coach.retrieval.store import local_store
from tests.conftest import ARTICLE  # noqa: F401  re-exported for the import tests


@pytest.fixture
def corpus_service(workspace, embedder, tmp_path) -> CorpusService:
    return CorpusService(workspace, local_store(tmp_path / "index", embedder))


def write_docx(path, text=ARTICLE, title="First meetings"):
    document = docx.Document()
    document.core_properties.title = title
    document.add_heading("Before the first meeting", level=1)
    document.add_paragraph(text)
    document.save(str(path))
    return path


def write_pdf(path, text=ARTICLE):
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, text)
    pdf.output(str(path))
    return path


from tests.ui.conftest import make_services  # noqa: E402,F401  the app with a scripted chat backend
