"""The text before and after the rules: folded first (NFKC, digits of other scripts, spaces),
then symbols without a sound dropped and spacing and punctuation tidied."""

from __future__ import annotations

import re
import unicodedata

from .rule import GLUE, Pass

PH_FIRST = 0xF0000
"""First of the private-use characters (planes 15 and 16) that stand for lexicon entries: no step
touches them (see lexicon.protect)."""

_OTHER_DIGIT = re.compile(r"(?![0-9])\d")


def preclean(text: str) -> str:
    """Fold what is written several ways into one, as every rule expects it."""
    text = re.sub("[™®©℠\U000f0000-\U0010fffd]", "", text)
    text = text.replace("№", "n°")
    # NFKC folds ligatures, full-width digits, superscript ordinals (1ᵉʳ), NBSPs and "…";
    # square and cubic units keep their ² and ³.
    parts = re.split(r"([²³])", text)
    text = "".join(p if p in ("²", "³") else unicodedata.normalize("NFKC", p) for p in parts)
    text = re.sub(r"(?<![\w²³])([²³])", "", text)
    # Digits of other scripts are said as numbers too, and the number rules look for ASCII ones.
    text = _OTHER_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group(0))), text)
    return re.sub(r"[ \t\u00a0]+", " ", text)


_KEEP_PUNCT = set(".,;:!?…'’«»()-")
# Characters kept as they are (Latin letters, digits, spaces, marks with a pause): only runs
# of others are looked at one by one.
_SURELY_KEPT = re.compile(rf"[^A-Za-z0-9À-ÖØ-öø-ɏ \n{GLUE}.,;:!?…'’«»()-]+")


def drop_symbols(text: str) -> str:
    """Emoji and symbols have no sound: drop them (private-use placeholders are kept)."""
    return _SURELY_KEPT.sub(_drop_run, text)


def _drop_run(m: re.Match[str]) -> str:
    start = m.start()
    out = [m.string[start - 1]] if start else []
    for ch in m.group(0):
        cat = unicodedata.category(ch)
        if cat[0] in "LN" or ch in " \n" or ch == GLUE or ch in _KEEP_PUNCT:
            out.append(ch)
        elif cat == "Co" and PH_FIRST <= ord(ch) <= 0x10FFFD:
            out.append(ch)
        elif cat[0] == "Z":
            out.append(" ")
        elif cat[0] == "P" and cat in ("Pd",):
            out.append("-")
        elif cat[0] == "M" and out and out[-1].isalpha():
            out.append(ch)  # accents written as combining marks stay on their letter
        else:
            out.append(" ")
    return "".join(out[1:] if start else out)


DROP_SYMBOLS = Pass("drop_symbols", drop_symbols)

_SPACE_BEFORE = re.compile(rf"[ {GLUE}]+(?=[,.…)])")
_GLUE_BEFORE = re.compile(rf"[ {GLUE}]*([;:!?»])")
_GLUE_AFTER = re.compile(rf"«[ {GLUE}]*")
_OPEN_PAREN = re.compile(rf"\([ {GLUE}]+")
_SPACE_RUN = re.compile(r"[ \t\n\r\f\v]{2,}|[\t\n\r\f\v]")  # a lone space is already right
_BLANKS = re.compile(rf"[ {GLUE}][ {GLUE}]+")
_REPEATED = re.compile(rf"([,;:!?.…])(?:[ {GLUE}]*[,;:.]+)+")
_EMPTY_PAIRS = re.compile(rf"\([ {GLUE},;:.]*\)|«[ {GLUE},;:.]*»")
_WORDLESS = re.compile(r"[^\w\U000F0000-\U0010FFFD]{5,}")  # shorter runs hold at most 4 marks: kept


def _has(text: str, marks: str) -> bool:
    return any(mark in text for mark in marks)


def tidy(text: str) -> str:
    """One space between words, none before a comma, GLUE before a high mark (; : ! ? »)."""
    # Each step only where its marks are (a scan for a character is far cheaper than a regex).
    text = _SPACE_RUN.sub(" ", text)
    if _has(text, "(«"):
        for _ in range(2):
            text = _EMPTY_PAIRS.sub(" ", text)
    text = _REPEATED.sub(lambda m: m.group(1), text)
    if _has(text, "!?"):
        text = re.sub(r"([!?])(?:[ ]*[!?])+", lambda m: m.group(0)[0], text)
    if _has(text, ",.…)"):
        text = _SPACE_BEFORE.sub("", text)
    if _has(text, ";:!?»"):
        text = _GLUE_BEFORE.sub(GLUE + r"\1", text)
    text = _GLUE_AFTER.sub("«" + GLUE, text)
    text = _OPEN_PAREN.sub("(", text)
    text = _BLANKS.sub(lambda m: GLUE if GLUE in m.group(0) else " ", text)
    text = _WORDLESS.sub(_shorten_wordless, text)
    # Nothing to say before the first word but an opening mark.
    text = re.sub(r"^[^\w«(\U000F0000-\U0010FFFD]+", "", text)
    return text.strip(" " + GLUE)


def _shorten_wordless(m: re.Match[str]) -> str:
    """A long run of marks between words says nothing: keep its strongest pause only."""
    s = m.group(0)
    if len(s.replace(" ", "").replace(GLUE, "")) <= 4:
        return s
    for marks in (".!?…", ";:", ","):
        for ch in s:
            if ch in marks:
                return GLUE + ch + " " if ch in "!?;:" else ch + " "
    return " "


TIDY = Pass("tidy", tidy)
