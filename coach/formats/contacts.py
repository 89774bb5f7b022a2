"""Contact details in text (links, e-mail addresses, phone numbers, bare domains): found the same
way by Ask's contact guard and by the injection classifier, which reads past them to the intent."""

import re

CONTACT = re.compile(
    r"(?:https?://|www\.)[^\s<>()\[\]\"']+"                       # links
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"                              # e-mail addresses
    r"|(?<![\w/])\+?\d[\d ().-]{6,}\d(?![\w/])"                   # phone numbers
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|co|uk|info|biz|example)(?:/[^\s<>()\"']*)?",  # bare domains
    re.I)
PLACEHOLDER = "the contact address"


DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def contact_details(text: str) -> list[str]:
    found = [match.group(0).rstrip(".,;:") for match in CONTACT.finditer(text)]
    return [detail for detail in found if not _just_a_number(detail)]


def _just_a_number(detail: str) -> bool:
    """A date or a short figure is not a phone number: a phone number has seven digits or more."""
    if re.search(r"[a-z@]", detail, re.I):
        return False
    return DATE.match(detail) is not None or sum(ch.isdigit() for ch in detail) < 7


def without_contact_details(text: str) -> str:
    """The text with each contact detail replaced by a neutral phrase: genuine guidance names a
    programme office as often as a planted note pushes an address, so the address says nothing."""
    return CONTACT.sub(lambda match: PLACEHOLDER if not _just_a_number(match.group(0)) else match.group(0), text)
