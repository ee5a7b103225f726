"""Quotes, ellipses, brackets and dashes: the marks that carry the phrasing."""

from __future__ import annotations

import re

from .rule import GLUE, Pass, Rule


def _free_quote_mark(text: str) -> str:
    # "\x00" marks a straight quote until the quotes are paired: none may come from the text.
    return text.replace("\x00", " ")


FREE_QUOTE_MARK = Pass("free_quote_mark", _free_quote_mark)

ELLIPSIS = Rule("ellipsis", r"\.{3,}|\.\s\.\s\.", "…", needs=".")
# A cut in a quotation: a pause, not a bracket.
CUT_IN_QUOTE = Rule("cut_in_quote", r"[\[(]\s*…\s*[\])]", "…", needs="…")
OPENING_QUOTE = Rule("opening_quote", r"[“„‟«‹]\s*", "« ", needs="“„‟«‹")
CLOSING_QUOTE = Rule("closing_quote", r"\s*[”»›]", " »", needs="”»›")
FOOTNOTE_CALL = Rule("footnote_call", r"\[\d+\]|\[réf\. nécessaire\]", "", needs="[")
OPENING_BRACKET = Rule("opening_bracket", r"\s*[\[{]\s*", " (", needs="[{")
CLOSING_BRACKET = Rule("closing_bracket", r"\s*[\]}]", ")", needs="]}")


def _straight_quote(m: re.Match[str]) -> str:
    # Paired straight quotes become « » (see _pair_straight_quotes).
    return "\x00"


STRAIGHT_QUOTE = Rule("straight_quote", r"\"", _straight_quote, needs='"')


def _pair_straight_quotes(text: str) -> str:
    # Even ones open, odd ones close; an odd count pairs nothing.
    marks = text.count("\x00")
    if not marks:
        return text
    if marks % 2:
        return text.replace("\x00", " ")
    out, opening = [], True
    for piece in text.split("\x00"):
        out.append(piece)
        out.append("« " if opening else " »")
        opening = not opening
    return "".join(out[:-1])


PAIR_STRAIGHT_QUOTES = Pass("pair_straight_quotes", _pair_straight_quotes)

# An em/en dash or a spaced hyphen is a pause, as a comma is; one opening a line is dropped.
LEADING_DASH = Rule("leading_dash", r"(?:^|(?<=\n))\s*[—–-]+\s+", "", needs="—–-")
# A glued dash stays: one season, "2023 - 2024" (dates.YEAR_SPAN).
DASH_PAUSE = Rule("dash_pause", rf"\s*[—–―]+\s*|(?!{GLUE}-{GLUE})\s+[-‐‑]+\s+", ", ", needs="—–―-‐‑")
