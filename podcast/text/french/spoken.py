"""How numbers and letters are said, for every family of rules: whole numbers, ordinals,
decimals, letters spelled, roman numerals; and how a number is written (patterns)."""

from __future__ import annotations

import functools
import re

from num2words import num2words

from .rule import GLUE, glue

_DIGIT_WORDS = ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"]


def digit_by_digit(s: str) -> str:
    return GLUE.join(_DIGIT_WORDS[int(d)] for d in s)


@functools.lru_cache(maxsize=4096)
def _cardinal_words(n: int, feminine: bool = False) -> str:
    words = num2words(n, lang="fr")
    if feminine:
        words = re.sub(r"\bun$", "une", words)
    return words


def cardinal(n: int | str, feminine: bool = False) -> str:
    """A whole number as French words, glued; very long or zero-padded numbers digit by digit."""
    s = str(n)
    if not s.isdigit():
        return s
    if len(s) > 1 and s.startswith("0") or len(s) > 15:
        return digit_by_digit(s)
    return glue(_cardinal_words(int(s), feminine))


def ordinal(n: int, feminine: bool = False) -> str:
    """1 -> premier/première, 2 -> deuxième, 80 -> quatre-vingtième."""
    if n == 1:
        return "première" if feminine else "premier"
    if n > 10**15:
        return cardinal(n)
    words = num2words(n, lang="fr", to="ordinal")
    # num2words keeps the plural s of "vingts"/"cents" before -ième.
    words = re.sub(r"(vingt|cent)sième", r"\1ième", words)
    return glue(words)


def decimal(int_part: str, frac: str, word: str = "virgule") -> str:
    """3,14 -> trois virgule quatorze; 3,05 -> trois virgule zéro cinq."""
    zeros = len(frac) - len(frac.lstrip("0"))
    rest = frac.lstrip("0")
    spoken = [cardinal(only_digits(int_part)), word] + ["zéro"] * zeros
    if rest:
        spoken.append(cardinal(rest) if len(rest) <= 3 else digit_by_digit(rest))
    return GLUE.join(spoken)


def only_digits(s: str) -> str:
    """Its digits only: "1 000" -> "1000" ("0" when there is none)."""
    return re.sub(r"\D", "", s) or "0"


def number(int_part: str, frac: str | None = None, feminine: bool = False) -> str:
    """A written number ("1 000", "3,14") as words."""
    digits = only_digits(int_part)
    if frac:
        return decimal(digits, frac)
    if set(digits) == {"0"}:
        return "zéro"
    return cardinal(digits, feminine)


# A number as written in French: "1 000 000", "12", "3,14" (grouping by plain spaces: NBSPs
# have been made spaces by then).
# Groups are bounded so that a long run of "123 123 123" stays linear to scan.
NUM = r"(?P<int>\d{1,3}(?: \d{3}){1,6}(?!\d)|\d+)(?:,(?P<frac>\d+))?"
NUM_START = r"(?<![\w,.])"
# A number where a dot may group thousands (1.299 €: digit groups of three before a currency or a
# unit in French text) or mark decimals (1.5 M€: any other group).
NUM_DOT = r"(?P<int>\d{1,3}(?:[ .]\d{3}){1,6}(?![\d])|\d+)(?:[,.](?P<frac>\d+))?"

_LETTER_NAMES = {"Y": "i grec", "W": "double vé"}


def spell(letters: str) -> str:
    """IA -> 'I A' (glued): each capital said as a letter."""
    return GLUE.join(glue(_LETTER_NAMES.get(c, c)) for c in letters)


_ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_value(s: str) -> int | None:
    if not s or not _ROMAN.match(s):
        return None
    total = 0
    for i, c in enumerate(s):
        v = _ROMAN_VALUES[c]
        total += -v if i + 1 < len(s) and _ROMAN_VALUES[s[i + 1]] > v else v
    return total or None
