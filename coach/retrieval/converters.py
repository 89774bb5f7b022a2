"""Text out of PDF (pypdf) and DOCX (python-docx) files, for `coach corpus add`. Each returns the
document's own title, author and date when it has them, and the body as Markdown-ish text."""

import zipfile
from pathlib import Path

from pydantic import BaseModel

from coach.errors import CorpusError

MAX_PDF_PAGES = 2000  # a 10,000-page PDF is refused up front instead of read for minutes


class Extracted(BaseModel):
    title: str = ""
    author: str = ""
    date: str = ""
    body: str


def from_pdf(path: Path) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(path)
        pages = len(reader.pages)
        if pages > MAX_PDF_PAGES:
            raise CorpusError(f"it has {pages:,} pages; the limit is {MAX_PDF_PAGES:,}, so split it into parts")
        text = "\n\n".join((page.extract_text() or "").strip() for page in reader.pages)
        info = reader.metadata or {}
    except (PyPdfError, ValueError, KeyError, OSError) as error:
        raise CorpusError(f"it is not a readable PDF ({error.__class__.__name__})") from None
    if not text.strip():
        raise CorpusError("it has no extractable text (a scanned PDF needs OCR first)")
    return Extracted(title=str(info.get("/Title") or ""), author=str(info.get("/Author") or ""), body=text)


def from_docx(path: Path) -> Extracted:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise CorpusError(f"it is not a readable DOCX ({error.__class__.__name__})") from None
    lines = [_markdown_line(p.style.name if p.style is not None else "", p.text.strip())
             for p in document.paragraphs if p.text.strip()]
    core = document.core_properties
    return Extracted(title=core.title or "", author=core.author or "",
                     date=core.created.date().isoformat() if core.created else "", body="\n\n".join(lines))


def _markdown_line(style: str, text: str) -> str:
    """Word headings become Markdown headings, so the chunker can follow the sections."""
    if style.startswith("Heading") and style.removeprefix("Heading").strip().isdigit():
        return "#" * min(6, int(style.removeprefix("Heading").strip())) + " " + text
    if style == "Title":
        return "# " + text
    return text
