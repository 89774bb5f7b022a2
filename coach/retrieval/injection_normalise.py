"""Fold disguised text to plain letters before the injection check, so full-width forms, Cyrillic or
Greek look-alikes and zero-width characters cannot hide a phrase the check knows ("Ｉｇｎｏｒｅ", "Іgnore")."""

import re
import unicodedata

from confusable_homoglyphs import confusables

# Invisible format characters: zero-width space/joiners, word joiner and friends, soft hyphen,
# bidirectional controls and the byte-order mark. Removing them rejoins a split word ("Ig\u200bnore").
INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u2060-\u2064\u202a-\u202e\u2066-\u2069\ufeff]")
# Scripts whose letters are already what the phrase patterns read; everything else may be a disguise.
NATIVE_SCRIPTS = ["latin", "common"]


def normalise(text: str) -> str:
    """The text as the injection check should read it: invisible characters gone, NFKC applied
    (full-width and other compatibility forms become plain letters), look-alikes mapped to ASCII."""
    text = unicodedata.normalize("NFKC", INVISIBLE.sub("", text))
    table = look_alike_table(text)
    return text.translate(table) if table else text


def look_alike_table(text: str) -> dict[int, str]:
    """For each non-Latin letter in the text that Unicode's confusables data (UTS #39, as shipped by
    confusable_homoglyphs) says looks like an ASCII letter or digit, that ASCII character."""
    foreign = "".join({char for char in text if ord(char) > 127})
    found = confusables.is_confusable(foreign, greedy=True, preferred_aliases=NATIVE_SCRIPTS) if foreign else False
    table = {}
    for entry in found or []:
        ascii_glyphs = [g["c"] for g in entry["homoglyphs"] if len(g["c"]) == 1 and g["c"].isascii() and g["c"].isalnum()]
        if ascii_glyphs:
            table[ord(entry["character"])] = _keep_case(entry["character"], ascii_glyphs[0])
    return table


def _keep_case(character: str, glyph: str) -> str:
    # UTS #39 uses "l" as the prototype for I, l and 1; an upper-case look-alike (Cyrillic "І",
    # Greek "Ι") stands for "I", or "Іgnore" would read "lgnore" and slip past the patterns.
    if glyph == "l" and character.isupper():
        return "I"
    return glyph
