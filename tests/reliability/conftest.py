"""Fixtures for the import and document reliability cases: an empty corpus workspace, an index for
it, and small real DOCX and PDF files written into the test's own temporary folder."""

import docx
import pytest
from fpdf import FPDF

from coach.corpus.service import CorpusService
from coach.corpus.workspace import CorpusWorkspace
from coach.retrieval.store import local_store

ARTICLE = ("Mentoring works best when the mentee sets the agenda. Ask what they want from each meeting, "
           "listen before offering any advice, and agree one small next step before you part. ") * 3


@pytest.fixture
def workspace(tmp_path) -> CorpusWorkspace:
    space = CorpusWorkspace(tmp_path / "corpus")
    space.guidance_dir.mkdir(parents=True)
    return space


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
