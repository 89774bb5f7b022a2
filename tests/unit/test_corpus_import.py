"""Loaders and `coach corpus add` on small real files made here: DOCX (python-docx), PDF (fpdf2),
HTML with boilerplate; and every way a file is skipped with one reason."""

import os

import docx
import frontmatter
import pytest
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.corpus.importing import NoteInfo, import_file, import_paths
from coach.errors import CorpusError
from coach.retrieval import converters
from coach.retrieval.converters import from_docx, from_pdf
from tests.conftest import ARTICLE


def make_docx(path, title="Handbook: first meetings"):
    document = docx.Document()
    document.core_properties.title = title
    document.add_heading("Before the first meeting", level=1)
    document.add_paragraph(ARTICLE)
    document.add_heading("Agreeing how you will work", level=2)
    document.add_paragraph("Agree how often you will meet and what stays confidential.")
    document.save(str(path))
    return path


def make_pdf(path, pages=2, title="Mentoring handbook"):
    pdf = FPDF()
    pdf.set_title(title)
    pdf.set_font("helvetica", size=11)
    for n in range(pages):
        pdf.add_page()
        pdf.multi_cell(0, 6, f"Page {n + 1}. {ARTICLE}")
    pdf.output(str(path))
    return path


def test_docx_headings_become_markdown_sections(tmp_path):
    extracted = from_docx(make_docx(tmp_path / "h.docx"))
    assert extracted.title == "Handbook: first meetings"
    assert "# Before the first meeting" in extracted.body and "## Agreeing how you will work" in extracted.body
    assert "mentee sets the agenda" in extracted.body


def test_pdf_text_and_title_come_out(tmp_path):
    extracted = from_pdf(make_pdf(tmp_path / "h.pdf"))
    assert extracted.title == "Mentoring handbook"
    assert "Page 2." in extracted.body and "listen before offering any advice" in extracted.body


def test_a_10000_page_pdf_is_refused_before_its_text_is_read(tmp_path):
    pdf = FPDF()
    pdf.set_font("helvetica", size=8)
    for n in range(10_000):  # about 4 s to write; refusing it takes about 1 s (page count only)
        pdf.add_page()
        pdf.cell(0, 5, f"page {n}")
    pdf.output(str(tmp_path / "huge.pdf"))
    with pytest.raises(CorpusError, match=f"it has 10,000 pages; the limit is {converters.MAX_PDF_PAGES:,}"):
        from_pdf(tmp_path / "huge.pdf")


def test_html_keeps_the_article_and_drops_navigation_and_comments(tmp_path, workspace):
    page = tmp_path / "post.html"
    page.write_text(f"""<html><head><title>Listening first</title></head><body>
      <nav><a href="/">Home</a> <a href="/about">About us</a> <a href="/shop">Shop</a></nav>
      <article><h1>Listening first</h1><p>{ARTICLE}</p></article>
      <div class="comments"><h3>Leave a Reply</h3><p>Log in to post a comment. Powered by Akismet.</p></div>
      </body></html>""")
    imported = import_file(page, workspace, NoteInfo(tags=["listening"], added_by="trainer"))
    note = frontmatter.load(imported.note_path)
    assert note["title"] == "Listening first" and note["tags"] == ["listening"] and note["added_by"] == "trainer"
    assert "mentee sets the agenda" in note.content
    assert "Akismet" not in note.content and "About us" not in note.content


def test_add_copies_documents_as_notes_and_skips_the_rest_with_reasons(tmp_path, workspace):
    folder = tmp_path / "incoming"
    folder.mkdir()
    make_docx(folder / "first-meetings.docx")
    make_pdf(folder / "handbook.pdf")
    (folder / "notes.md").write_text(f"---\ntitle: Notes on listening\ntags: [listening]\n---\n{ARTICLE}")
    (folder / "empty.txt").write_text("")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    (folder / "binary.txt").write_bytes(b"abc\x00\x01\x02" * 100)
    (folder / "latin1.md").write_bytes("caf\xe9 ".encode("latin-1") * 50)
    huge = folder / "huge.md"
    with huge.open("wb") as handle:  # sparse: 50 MB on paper, refused by size before any read
        handle.truncate(50_000_000)
    report = import_paths([folder, tmp_path / "missing.md"], workspace, NoteInfo(tags=["handbook"]))
    assert sorted(i.doc_id for i in report.imported) == ["first-meetings", "handbook", "notes"]
    reasons = {os.path.basename(s.source_path): s.reason for s in report.skipped}
    assert reasons["empty.txt"] == "it is empty"
    assert "not supported" in reasons["photo.png"]
    assert reasons["binary.txt"] == "it looks binary or is not UTF-8 text"
    assert reasons["latin1.md"] == "it looks binary or is not UTF-8 text"
    assert reasons["huge.md"].startswith("it is 50 MB; the limit is 20 MB")
    assert reasons["missing.md"] == "there is no such file or folder"
    notes = {p.stem: frontmatter.load(p) for p in workspace.guidance_dir.glob("*.md")}
    assert notes["notes"]["tags"] == ["handbook", "listening"] and notes["handbook"]["source"] == "handbook.pdf"


def test_adding_the_same_file_again_updates_the_note(tmp_path, workspace):
    source = tmp_path / "tips.md"
    source.write_text(ARTICLE)
    first = import_file(source, workspace, NoteInfo())
    source.write_text(ARTICLE + " Also: end on time.")
    second = import_file(source, workspace, NoteInfo())
    assert not first.replaced and second.replaced and first.note_path == second.note_path
    assert "end on time" in frontmatter.load(second.note_path).content


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=st.binary(max_size=3000), suffix=st.sampled_from([".md", ".txt", ".html", ".pdf", ".docx"]))
def test_random_bytes_are_imported_or_skipped_with_a_reason(tmp_path, workspace, payload, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(payload)
    try:
        imported = import_file(path, workspace, NoteInfo())
    except CorpusError as error:
        assert str(error).strip()  # one reason, never another exception
    else:
        assert frontmatter.load(imported.note_path).content.strip()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=2000), suffix=st.sampled_from([".md", ".txt", ".html"]))
def test_random_text_is_imported_or_skipped_with_a_reason(tmp_path, workspace, text, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_text(text, encoding="utf-8")
    try:
        import_file(path, workspace, NoteInfo())
    except CorpusError as error:
        assert str(error).strip()
