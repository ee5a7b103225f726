"""Acronyms and codes: spelled (SNCF, U.S.A.) or said as words (NASA), the table's readings
(COP28, JSON), capitals with a tail (IPv4, NVMe), codes and model names (USB-C, GPT-4, H.264,
HTTP/2, Node.js), and initials (J. K. Rowling)."""

from __future__ import annotations

import re

from ..words import ACRONYMS
from .rule import APOS, CAPITALS, DIGITS, FUNCTION_WORDS, GLUE, LOW, UP, Rule, alternation, first_chars, glue
from .spoken import cardinal, roman_value, spell

# All-caps words read as words, not spelled; anything else up to 5 capitals is spelled.
_SAID_AS_WORDS = {
    "OUI",
    "NON",
    "ENA",
    "BAC",
    "OTAN",
    "NASA",
    "UNESCO",
    "UNICEF",
    "SIDA",
    "OVNI",
    "INSEE",
    "CNIL",
    "COVID",
    "OPEP",
    "CAC",
    "ONU",
    "AFNOR",
    "INSERM",
    "DARES",
    "IFOP",
    "MEDEF",
    "SMIC",
    "CAF",
    "ZAD",
    "FIFA",
    "UEFA",
    "LOL",
    "STOP",
    "PARIS",
    "FRANCE",
    "EUROPE",
    "ALERTE",
    "FIN",
    "LE",
    "LA",
    "LES",
    "UN",
    "UNE",
    "DE",
    "DES",
    "DU",
    "ET",
    "OU",
    "EN",
    "AU",
    "AUX",
    "IL",
    "ELLE",
    "ON",
    "NOUS",
    "VOUS",
    "EST",
    "PAS",
    "PLUS",
    "MAX",
    "PRO",
    "ULTRA",
    "MINI",
    "AIR",
    "NEO",
}
_SPELLED_ANYWAY = {"ONU"}

_VOWELS = set("AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜ")


def _pronounceable(word: str) -> bool:
    if len(word) < 4:
        return False
    if not any(c in _VOWELS for c in word):
        return False
    runs = re.findall(r"[^AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜ]+", word)
    if any(len(r) >= 3 for r in runs):
        return False
    return not re.search(r"[^AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜ]{2}$", word)


def _say_caps(w: str) -> str:
    if (w in _SAID_AS_WORDS or _pronounceable(w)) and w not in _SPELLED_ANYWAY:
        return w
    return glue(ACRONYMS.get(w, spell(w)))


# ---------------------------------------------------------------- the table, and capitals with a tail


def _table_acronym(m: re.Match[str]) -> str:
    return glue(ACRONYMS[m.group(0)])


# Table acronyms are whole words; digits may follow (COP28: "cop vingt-huit", ISO-9001: "iso neuf mille un").
TABLE_ACRONYM = Rule(
    "table_acronym",
    rf"(?<![\w-])(?:{alternation(ACRONYMS)})(?![^\W\d_]|-[^\W\d_])",
    _table_acronym,
    needs=first_chars(ACRONYMS),
)


def _caps_and_tail(m: re.Match[str]) -> str:
    # IPv4, GPLv3, ARMv8, PCIe, NVMe: capitals spelled (or as the table says), then the letter.
    if m["tail"] == "e" and roman_value(m["caps"]):
        return m.group(0)  # XIXe: an ordinal
    caps = ACRONYMS.get(m["caps"]) or spell(m["caps"])
    return glue(caps) + GLUE + m["tail"].upper() + (GLUE if m["tail"] == "v" else "")


CAPS_AND_TAIL = Rule(
    "caps_and_tail", r"(?<![\w-])(?P<caps>[A-Z]{2,5})(?P<tail>v(?=\d)|e\b)", _caps_and_tail, needs=CAPITALS
)

# ---------------------------------------------------------------- codes and model names, around numbers


def _model_dash(m: re.Match[str]) -> str:
    # GPT-4, CVE-2024-3094, SP95-E10, A4-B3: an identifier's dashes are not said (ranges were
    # taken before).
    return GLUE


MODEL_DASH = Rule(
    "model_dash", r"(?<=[A-Za-z])-(?=\d)|(?<=\d)-(?=\d)|(?<=\d)-(?=[A-Z]{1,5}\d*(?!\w))", _model_dash, needs=DIGITS
)

# A name and its version numbers: "HTTP/2", "Windows 10/11", "PHP 7.4/8.1".
_VERSION = r"\d+(?:\.\d+)*(?![\w/]|\.\d)"
# Capitalized words that count things rather than name them: "Seuls 2/3 des votants".
_NOT_NAMES = FUNCTION_WORDS | {"seuls", "seules", "environ", "près", "presque", "quelque", "soit", "avec"}


def _after_a_name(m: re.Match[str]) -> bool:
    before = m.string[max(0, m.start() - 40) : m.start()].rsplit(" ", 1)[-1].strip(GLUE)
    return any(c.isupper() for c in before) and before.lower() not in _NOT_NAMES


def _letter_dot_number(m: re.Match[str]) -> str:
    return m["l"] + GLUE  # H.264, H.265: a codec's name, no dot said


LETTER_DOT_NUMBER = Rule("letter_dot_number", r"\b(?P<l>[A-Z])\.(?=\d)", _letter_dot_number, needs=DIGITS)


def _name_slash_version(m: re.Match[str]) -> str:
    # HTTP/2 is "H T T P deux", one name, never "H T T P ou deux".
    return GLUE if _after_a_name(m) else m.group(0)


NAME_SLASH_VERSION = Rule("name_slash_version", rf"(?<=[\w+#])/(?={_VERSION})", _name_slash_version, gate="/")


def _name_versions(m: re.Match[str]) -> str:
    return GLUE + m["a"] + " ou " + m["b"] if _after_a_name(m) else m.group(0)


NAME_VERSIONS = Rule(
    "name_versions", rf"(?<=[\w+#])[ ](?P<a>\d+(?:\.\d+)*)/(?P<b>{_VERSION})", _name_versions, gate="/"
)


def _name_number(m: re.Match[str]) -> str:
    # "PCIe 4.0", "Thunderbolt 4", "Linux 6.8": a name and its number, never cut apart.
    return GLUE if _after_a_name(m) else m.group(0)


NAME_NUMBER = Rule("name_number", r"(?<=[\w+#])[ ](?=[+-]?\d)", _name_number, needs=DIGITS)


def _letter_digit(m: re.Match[str]) -> str:
    return GLUE  # 5G, H5N1: one code


LETTER_DIGIT = Rule("letter_digit", r"(?<=\d)(?=[A-Za-z])|(?<=[A-Za-z])(?=\d)", _letter_digit, needs=DIGITS)

# ---------------------------------------------------------------- letters and dots


def _dotted_name(m: re.Match[str]) -> str:
    # Node.js, Vue.js, Socket.IO: a name with a dot inside, said "point"; never a raw dot.
    if m["b"] in FUNCTION_WORDS:
        return m["a"] + " " + m["b"]  # a missing space: "sorti.le lendemain"
    tail = spell(m["b"].upper()) if len(m["b"]) <= 2 else m["b"]
    return m["a"] + GLUE + "point" + GLUE + tail


DOTTED_NAME = Rule(
    "dotted_name",
    r"(?<![\w.])(?P<a>[A-Za-z][\w+-]*[A-Za-z0-9])\.(?P<b>[a-z]{2,}|[A-Z]{2,})\b(?!\.\w)",
    _dotted_name,
    gate=r"\w\.\w",
    needs=".",
)


def _dotted_acronym(m: re.Match[str]) -> str:
    return spell(m.group(0).replace(".", ""))


DOTTED_ACRONYM = Rule("dotted_acronym", r"\b(?:[A-Z]\.){2,}(?![\w])", _dotted_acronym, needs=".")


def _initial(m: re.Match[str]) -> str:
    # "J. K. Rowling", but not "le plan B. Ensuite", where the period ends a sentence.
    before = m.string[max(0, m.start() - 30) : m.start()].split()
    next_is_initial = re.match(r"[A-Z]\.", m.string[m.end() : m.end() + 2])
    if not next_is_initial and before and before[-1].isalpha() and before[-1].islower():
        return m.group(0)
    return m[1] + GLUE


INITIAL = Rule("initial", rf"\b([A-Z])\.\s+(?=[{UP}])", _initial, needs=".")


def _camel_acronym(m: re.Match[str]) -> str:
    return m["head"] + GLUE + spell(m["caps"])


CAMEL_ACRONYM = Rule(
    "camel_acronym", rf"\b(?P<head>[{UP}][{LOW}]+)(?P<caps>[A-Z]{{2,4}})\b", _camel_acronym, needs=CAPITALS
)


def _letter_code(m: re.Match[str]) -> str:
    # USB-C, RER-B, PS-LR: a code's letters, each part spelled or said as the acronym rule does
    # (longer parts are words of an all-caps heading: "SAINT-DENIS").
    return GLUE.join(_say_caps(part) for part in m.group(0).split("-"))


LETTER_CODE = Rule(
    "letter_code",
    r"(?<![\w-])(?:[A-Z]{1,5}(?:-[A-Z]{1,2})+|[A-Z]{1,3}(?:-[A-Z]{1,3})+)(?![\w-])",
    _letter_code,
    needs="-",
)


def _acronym(m: re.Match[str]) -> str:
    w = m["w"]
    value = roman_value(w) if re.fullmatch("[IVX]+", w) else None
    if value:
        return cardinal(value)  # acte III
    if (w in _SAID_AS_WORDS or _pronounceable(w)) and w not in _SPELLED_ANYWAY:
        return m.group(0)
    return spell(w)


ACRONYM = Rule("acronym", rf"(?<![\w-])(?P<w>[{UP}]{{2,5}})(?P<pl>s)?\b(?![{APOS}-])", _acronym, needs=CAPITALS)
