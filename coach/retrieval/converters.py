"""Text out of PDF (pypdf) and DOCX (python-docx) files, for `coach corpus add`. Each returns the
document's own title, author and date when it has them, and the body as Markdown-ish text. Also finds
the text an HTML page hides from its reader, which conversion would otherwise make visible."""

import logging
import re
import warnings
import zipfile
from contextlib import contextmanager
from pathlib import Path

from pydantic import BaseModel

from coach.errors import CorpusError

MAX_PDF_PAGES = 2000  # a 10,000-page PDF is refused up front instead of read for minutes
# A DOCX is a zip: a small file can unpack to gigabytes of XML (a "zip bomb"), so the sizes its
# directory declares are checked before anything is parsed. zipfile never yields more than declared.
MAX_UNPACKED_BYTES = 100_000_000
MAX_COMPRESSION_RATIO = 100  # Word's XML packs about 5-20 to 1; a bomb packs hundreds to 1
RATIO_CHECKED_FROM = 1_000_000  # tiny parts can have any ratio harmlessly


class Extracted(BaseModel):
    title: str = ""
    author: str = ""
    date: str = ""
    body: str


def from_pdf(path: Path) -> Extracted:
    try:
        with _quiet_pypdf():
            text, title, author = _read_pdf(path)
    except CorpusError:
        raise
    except Exception as error:  # pypdf meets hostile files with many exception types; each means "unreadable"
        raise CorpusError(f"it is not a readable PDF ({error.__class__.__name__}); "
                          "open it and save or print it to a new PDF") from None
    if not text.strip():
        raise CorpusError("it has no extractable text (a scanned PDF needs OCR first)")
    return Extracted(title=title, author=author, body=text)


def _read_pdf(path: Path) -> tuple[str, str, str]:
    from pypdf import PdfReader

    reader = PdfReader(path)
    pages = len(reader.pages)
    if pages > MAX_PDF_PAGES:
        raise CorpusError(f"it has {pages:,} pages; the limit is {MAX_PDF_PAGES:,}, so split it into parts")
    text = "\n\n".join((page.extract_text() or "").strip() for page in reader.pages)
    info = reader.metadata or {}
    return text, str(info.get("/Title") or ""), str(info.get("/Author") or "")


@contextmanager
def _quiet_pypdf():
    """pypdf logs and warns about every flaw it repairs; a trainer gets one sentence or none instead."""
    logger = logging.getLogger("pypdf")
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.CRITICAL + 1)
    logger.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)
        logger.propagate = propagate


def from_docx(path: Path) -> Extracted:
    check_zip_sizes(path, "DOCX")
    try:
        return _read_docx(path)
    except Exception as error:  # python-docx and lxml meet broken files with many exception types
        raise CorpusError(f"it is not a readable DOCX ({error.__class__.__name__}); "
                          "open it in Word or LibreOffice and save it again") from None


def _read_docx(path: Path) -> Extracted:
    import docx

    document = docx.Document(str(path))
    lines = [_markdown_line(p.style.name if p.style is not None else "", p.text.strip())
             for p in document.paragraphs if p.text.strip()]
    core = document.core_properties
    return Extracted(title=core.title or "", author=core.author or "",
                     date=core.created.date().isoformat() if core.created else "", body="\n\n".join(lines))


def check_zip_sizes(path: Path, kind: str) -> None:
    """Refuse a zip-based file (DOCX and the like) that would unpack to too much, before parsing it."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise CorpusError(f"it is not a readable {kind} ({error.__class__.__name__}); "
                          "open it and save it again") from None
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        raise CorpusError(f"it unpacks to {unpacked / 1e6:,.0f} MB; the limit is "
                          f"{MAX_UNPACKED_BYTES // 1_000_000} MB, so split the {kind} or save it without large media")
    for part in parts:
        if part.file_size > RATIO_CHECKED_FROM and part.file_size > MAX_COMPRESSION_RATIO * max(part.compress_size, 1):
            raise CorpusError(f"its part {part.filename} unpacks {part.file_size // max(part.compress_size, 1):,} "
                              f"times larger than stored, which is how a zip bomb looks; open and re-save the {kind}")


def _markdown_line(style: str, text: str) -> str:
    """Word headings become Markdown headings, so the chunker can follow the sections."""
    if style.startswith("Heading") and style.removeprefix("Heading").strip().isdigit():
        return "#" * min(6, int(style.removeprefix("Heading").strip())) + " " + text
    if style == "Title":
        return "# " + text
    return text


# A page can hide text from its reader (font-size:0, white on white, off-screen) that trafilatura still
# turns into plain Markdown, where the style is gone; so the styles are checked on the HTML itself.
HIDDEN_REASON = "contains hidden HTML text (styled so a reader of the page would not see it)"
MIN_HIDDEN_CHARS = 20  # a stray hidden "Menu" is not worth a quarantine; a hidden sentence is
OFF_SCREEN_PX = -500
CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
SIMPLE_SELECTOR = re.compile(r"^([a-z][a-z0-9]*|\*)?((?:[.#][\w-]+)*)$", re.I)
LENGTH = re.compile(r"^(-?\d*\.?\d+)\s*(px|pt|em|rem|%)?$")
NAMED_COLOURS = {"white": (255, 255, 255), "snow": (255, 250, 250), "ghostwhite": (248, 248, 255),
                 "whitesmoke": (245, 245, 245), "ivory": (255, 255, 240), "black": (0, 0, 0)}
PX_PER_UNIT = {"px": 1.0, "pt": 4 / 3, "em": 16.0, "rem": 16.0, "%": 0.16, None: 1.0}


def hidden_html_text(raw: str, body: str) -> str:
    """The page's hidden text that the conversion kept in `body`, or "" when there is none worth flagging."""
    root = _parse_html(raw)
    if root is None:
        return ""
    rules, visible = _stylesheet(root), _flat(body)
    kept = [text for text in _hidden_texts(root, rules) if _flat(text) and _flat(text) in visible]
    return " … ".join(kept) if sum(len(text) for text in kept) >= MIN_HIDDEN_CHARS else ""


def _parse_html(raw: str):
    import lxml.html
    from lxml import etree

    try:
        return lxml.html.document_fromstring(raw.encode("utf-8", "replace"),
                                             parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


def _flat(text: str) -> str:
    """Text without Markdown marks or line breaks, so hidden HTML text can be found in the Markdown."""
    return " ".join(re.sub(r"[*_#>`|\[\]()\\]", " ", text).lower().split())


def _hidden_texts(root, rules: list) -> list[str]:
    hidden, texts = set(), []
    for element in root.iter():
        if element.getparent() in hidden:
            hidden.add(element)  # its text is already part of the hidden ancestor's
        elif isinstance(element.tag, str) and _hides(element, _style(element, rules), rules):
            hidden.add(element)
            texts.append(" ".join(element.text_content().split()))
    return texts


def _stylesheet(root) -> list[tuple[str, dict]]:
    """(simple selector, declarations) from the page's <style> blocks; @media wrappers are ignored,
    which errs towards flagging."""
    rules = []
    for style in root.iter("style"):
        for selectors, body in CSS_RULE.findall(style.text_content()):
            rules += [(selector.split()[-1], _declarations(body)) for selector in selectors.split(",")
                      if selector.split() and ":" not in selector]
    return rules


def _declarations(css: str) -> dict[str, str]:
    pairs = (part.split(":", 1) for part in css.split(";") if ":" in part)
    return {name.strip().lower(): value.lower().replace("!important", "").strip() for name, value in pairs}


def _style(element, rules: list) -> dict[str, str]:
    style = {}
    for selector, declarations in rules:
        if _matches(element, selector):
            style |= declarations
    return style | _declarations(element.get("style") or "")


def _matches(element, selector: str) -> bool:
    """A compound selector such as p, .note, #id or span.x; the last part of a descendant selector
    stands for the whole (wider than CSS, so hidden text is flagged rather than missed)."""
    match = SIMPLE_SELECTOR.match(selector.split(">")[-1].split("+")[-1].split("~")[-1])
    if not match or not selector:
        return False
    tag, parts = match.group(1), re.findall(r"[.#][\w-]+", match.group(2))
    classes = (element.get("class") or "").split()
    return ((not tag or tag == "*" or tag.lower() == element.tag)
            and all(p[1:] in classes if p[0] == "." else p[1:] == element.get("id") for p in parts))


def _hides(element, style: dict, rules: list) -> bool:
    return (style.get("display") == "none" or style.get("visibility") in ("hidden", "collapse")
            or element.get("hidden") is not None or _px(style.get("font-size"), 16) < 2
            or _number(style.get("opacity"), 1) < 0.1 or _collapsed(style) or _off_screen(style)
            or _invisible_colour(element, style, rules))


def _collapsed(style: dict) -> bool:
    clipped = style.get("overflow", style.get("overflow-y", "")) in ("hidden", "clip")
    sizes = [_px(style.get(name), 99) for name in ("height", "max-height", "width", "max-width")]
    zero_clip = "rect(" in style.get("clip", "") and not re.search(r"[1-9]", style["clip"])
    return (clipped and min(sizes) <= 1) or zero_clip or "scale(0)" in style.get("transform", "")


def _off_screen(style: dict) -> bool:
    return any(_px(style.get(name), 0) <= OFF_SCREEN_PX for name in ("left", "top", "text-indent", "margin-left"))


def _invisible_colour(element, style: dict, rules: list) -> bool:
    """White (or transparent) text on no declared background, or text the colour of its background."""
    value = style.get("color", "")
    colour = _rgb(value)
    if value == "transparent" or (colour and len(colour) == 4 and colour[3] == 0):
        return True
    if colour is None:
        return False
    background = _background(element, rules)
    if background is None:
        return min(colour[:3]) >= 240
    return background != "image" and sum(abs(a - b) for a, b in zip(colour[:3], background[:3])) < 30


def _background(element, rules: list):
    """The nearest declared background colour; "image" when it is a picture (its colour is unknown)."""
    while element is not None:
        style = _style(element, rules)
        for value in (style.get("background-color"), style.get("background"), element.get("bgcolor")):
            if value:
                colours = [c for c in map(_rgb, re.split(r"\s+(?![^(]*\))", value.lower().strip())) if c]
                if colours or "url(" in value:
                    return colours[0] if colours else "image"
        element = element.getparent()
    return None


def _rgb(value: str | None) -> tuple | None:
    value = (value or "").strip().lower()
    if value in NAMED_COLOURS:
        return NAMED_COLOURS[value]
    if re.fullmatch(r"#[0-9a-f]{3,4}", value):
        return tuple(int(c * 2, 16) for c in value[1:4]) + ((int(value[4] * 2, 16),) if len(value) == 5 else ())
    if re.fullmatch(r"#[0-9a-f]{6}([0-9a-f]{2})?", value):
        return tuple(int(value[i:i + 2], 16) for i in range(1, len(value), 2))
    if found := re.fullmatch(r"rgba?\(([^)]*)\)", value):
        parts = [p for p in re.split(r"[\s,/]+", found.group(1)) if p]
        numbers = [_number(p.rstrip("%"), -1) * (2.55 if p.endswith("%") else 1) for p in parts[:3]]
        alpha = [_number(parts[3].rstrip("%"), 1) / (100 if parts[3].endswith("%") else 1)] if len(parts) > 3 else []
        return tuple(round(n) for n in numbers) + tuple(alpha) if len(numbers) == 3 and min(numbers) >= 0 else None
    return None


def _px(value: str | None, default: float) -> float:
    match = LENGTH.match((value or "").strip())
    return float(match.group(1)) * PX_PER_UNIT[match.group(2)] if match else default


def _number(value: str | None, default: float) -> float:
    try:
        return float(value) if value else default
    except ValueError:
        return default
