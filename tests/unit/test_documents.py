import pytest

from coach.errors import CorpusError
from coach.retrieval.chunking import chunk_markdown
from coach.retrieval.documents import load_document
from tests.conftest import TEST_PAGE

FOUR_BULLETS = [
    "Give the colleagues you hope will mentor a good experience of being mentored first",
    "Back your new mentors when they raise worries",
    "Write mentoring into role descriptions and calendars",
    "Show it from the top",
]
BOILERPLATE = ["Leave a Reply", "Log Out", "Akismet", "bloggers like this", "Fill in your details",
               "Click to share", "Previous post", "Blog at WordPress", "Home | About"]


def test_front_matter_fields_are_read(tmp_path):
    note = tmp_path / "a-note.md"
    note.write_text("---\ntitle: A note\nsource_url: https://example.org/x\nsource_title: X\n"
                    "author: Ann\ndate: 2026-01-02\ntags: [favouritism, team]\n---\n# A note\n\nBody text here.\n")
    document = load_document(note)
    assert (document.doc_id, document.title, document.source) == ("a-note", "A note", "https://example.org/x")
    assert document.date == "2026-01-02" and document.tags == ["favouritism", "team"]
    assert "Body text here." in document.body and "source_url" not in document.body


def test_bad_front_matter_names_the_file_and_field(tmp_path):
    note = tmp_path / "bad.md"
    note.write_text("---\ntags: 7\n---\nText\n")
    with pytest.raises(CorpusError, match="tags"):
        load_document(note)


def test_binary_file_is_refused_with_one_sentence(tmp_path):
    blob = tmp_path / "blob.txt"
    blob.write_bytes(b"\xff\xfe\x00\x81" * 100)
    with pytest.raises(CorpusError, match="not UTF-8"):
        load_document(blob)


def test_copied_page_keeps_the_bullets_and_drops_the_comment_form():
    document = load_document(TEST_PAGE)
    text = "\n".join(chunk.text for chunk in chunk_markdown(document.body))
    for bullet in FOUR_BULLETS:
        assert bullet in text
    assert "Mentors are fellow colleagues who offer what they know" in text
    for line in BOILERPLATE:
        assert line not in text
    assert document.title.startswith("Growing the next mentors – part 3")


def test_html_page_loses_navigation_and_comments(tmp_path):
    page = tmp_path / "page.html"
    article = " ".join(["Mentors should listen to the concerns of their mentees before giving advice."] * 6)
    page.write_text(
        "<html><head><title>Listening first</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/about'>About us</a></nav>"
        f"<article><h1>Listening first</h1><p>{article}</p><p>{article}</p></article>"
        "<div id='comments' class='comments'><h3>Leave a Reply</h3><form><input name='author'></form>"
        "<p>You are commenting using your account. Log Out</p></div>"
        "<footer>Share this: Twitter Facebook</footer></body></html>")
    document = load_document(page)
    assert "Mentors should listen" in document.body
    for junk in ("Leave a Reply", "Log Out", "About us", "Share this"):
        assert junk not in document.body
