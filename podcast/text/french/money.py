"""Amounts of money: 3,50 €, $15, 5 M€, 1.299 € (a dot grouping thousands), 9,99 €/mois."""

from __future__ import annotations

import re

from .rule import DIGITS, GLUE, Rule
from .spoken import NUM_DOT, NUM_START, cardinal, decimal, only_digits
from .units import PER_SUFFIX, per

# symbol -> (singular, plural, feminine, cents word)
CURRENCIES = {
    "€": ("euro", "euros", False, "centimes"),
    "EUR": ("euro", "euros", False, "centimes"),
    "$": ("dollar", "dollars", False, "cents"),
    "USD": ("dollar", "dollars", False, "cents"),
    "£": ("livre", "livres", True, "pence"),
    "GBP": ("livre", "livres", True, "pence"),
    "¥": ("yen", "yens", False, ""),
    "CHF": ("franc suisse", "francs suisses", False, "centimes"),
}
_MAGNITUDES = {"k": 1000, "K": 1000, "M": 10**6, "Md": 10**9, "Mds": 10**9, "Mrd": 10**9, "Mrds": 10**9, "G": 10**9}

_CUR_SYMBOLS = "|".join(re.escape(c) for c in sorted(CURRENCIES, key=len, reverse=True))
_MAG = "|".join(sorted(_MAGNITUDES, key=len, reverse=True))


def money(int_part: str, frac: str | None, mag: str | None, cur: str) -> str:
    """An amount in words: ("3", "50", None, "€") -> "trois euros cinquante"."""
    one, many, fem, cents_word = CURRENCIES[cur]
    digits = only_digits(int_part)
    if mag:
        factor = _MAGNITUDES[mag]
        if factor >= 10**6:
            big = {10**6: ("million", "millions"), 10**9: ("milliard", "milliards")}[factor]
            value = float(f"{digits}.{frac or 0}")
            amount = decimal(digits, frac) if frac else cardinal(digits)
            elide = "d'" if one[0] in "aeiouyéè" else "de" + GLUE
            return GLUE.join([amount, big[value >= 2]]) + GLUE + elide + many
        total = int(digits) * factor + (int((frac or "0")[:3].ljust(3, "0")) * factor // 1000 if frac else 0)
        return cardinal(total) + GLUE + (one if total < 2 else many)
    units = int(digits)
    if frac and len(frac) > 2:  # 0,636 €/km: no cents, a decimal
        return decimal(digits, frac) + GLUE + (one if units < 2 else many)
    cents = int((frac or "0")[:2].ljust(2, "0"))
    if units == 0 and cents and cents_word:
        return cardinal(cents) + GLUE + cents_word
    spoken = cardinal(digits, feminine=fem)
    if re.search(r"(million|milliard)s?$", spoken):
        spoken += GLUE + ("d'" if one[0] in "aeiouyéè" else "de" + GLUE) + many
    else:
        spoken += GLUE + (one if units < 2 else many)
    if cents:
        spoken += GLUE + cardinal(cents, feminine=fem)
    return spoken


def _amount_after(m: re.Match[str]) -> str:
    return money(m["int"], m["frac"], m["mag"], m["cur"]) + per(m)


AMOUNT_AFTER = Rule(
    "amount_after",
    NUM_START + NUM_DOT + rf"\s?(?:(?P<mag>{_MAG})\s?)?(?P<cur>{_CUR_SYMBOLS})(?![\w$€£¥])" + PER_SUFFIX,
    _amount_after,
    needs=DIGITS,
)


def _amount_before(m: re.Match[str]) -> str:
    mag = {"bn": "Md", "mn": "M"}.get(m["mag"] or "", m["mag"])
    return money(m["int"], m["frac"], mag, m["cur"])


AMOUNT_BEFORE = Rule(
    "amount_before",
    r"(?P<cur>[$€£])\s?(?P<int>\d{1,3}(?:[ .,]\d{3}){1,6}(?!\d)|\d+)(?:[.,](?P<frac>\d+))?"
    + rf"(?:\s?(?P<mag>{_MAG}|bn|mn)\b)?",
    _amount_before,
    needs=DIGITS,
)
