"""Loanwords: English words said as a French reader says them (words.ENGLISH). They are lexicon
entries, not rules, so that no rule rewrites them and a user's lexicon overrides them."""

from __future__ import annotations

from ..words import ENGLISH


def loanword_entries() -> dict[str, str]:
    """Each word as written and capitalized (it may open a sentence) -> its spoken form."""
    entries: dict[str, str] = {}
    for key, value in ENGLISH.items():
        entries[key] = value
        entries[key[0].upper() + key[1:]] = value[0].upper() + value[1:]
    return entries
