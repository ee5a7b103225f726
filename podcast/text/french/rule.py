"""What every French rule shares: the Rule type, GLUE, character classes and function words."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TypeAlias

GLUE = "\u00a0"
"""Joins words the chunker must never separate."""

UP = "A-ZÀ-ÖØ-Þ"
LOW = "a-zß-öø-ÿœæ"
APOS = "'’"
DIGITS = "0123456789"
"""`needs` of a rule that only matches around a digit (other decimal digits are made ASCII first)."""
CAPITALS = "ABCDEFGHIJKLMNOPQRSTUVWXYZÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞ"

# Function words a phrase never ends on (articles, determiners, clitics, prepositions): the
# chunker cuts after one only when no other cut is within the limit.
FUNCTION_WORDS = frozenset(
    "le la les l un une des du de d au aux à a en ce cet cette ces son sa ses mon ma mes ton ta tes "
    "leur leurs notre votre nos vos ne n se s je j tu il elle on nous vous ils elles qu que très plus "
    "sur sous dans par pour avec sans chez entre vers y et ou "
    "me m te t lui quel quelle quels quelles chaque plusieurs quelques aucun aucune certains certaines "
    "toute toutes tout tous selon parmi durant dès via hors sauf lors envers malgré pendant depuis contre "
    "jusqu jusque outre dont".split()
)


def glue(words: str) -> str:
    """Words said in one breath: their spaces become GLUE."""
    return words.replace(" ", GLUE)


def alternation(keys: Iterable[str]) -> str:
    """A regex alternation of these keys, longest first (a longer key wins over its prefix)."""
    return "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))


def first_chars(keys: Iterable[str]) -> str:
    """`needs` of an alternation of these keys: a match starts with one of their first characters."""
    return "".join(sorted({k[0] for k in keys}))


Replacement: TypeAlias = "str | Callable[[re.Match[str]], str]"
Needs: TypeAlias = "str | tuple[str, ...]"


class Gated:
    """A pattern tried only when a cheap search finds its mark in the text (a rule for e-mail
    addresses needs an "@"): most rules never match, and scanning is what costs.

    `gate` is a regex searched for; `needs` is a string of characters (or a tuple of strings)
    one of which must occur, checked with `in` (a memchr-fast scan): most paragraphs hold no
    digit, and then some forty number rules are skipped.
    """

    def __init__(self, pattern: str, flags: int, gate: str | None = None, needs: Needs = ""):
        self.pattern = re.compile(pattern, flags)
        self.gate = re.compile(gate, flags) if gate else None
        self.needs = needs
        # One character of a set, found by one regex scan: on a paragraph, cheaper than a loop of
        # `in` (one memchr per mark), which wins on long texts.
        self.marks = re.compile(f"[{re.escape(needs)}]") if isinstance(needs, str) and needs else None

    def sub(self, replacement: Replacement, text: str) -> str:
        if self.marks is not None and len(text) < 4096:
            if not self.marks.search(text):
                return text
        elif self.needs and not any(mark in text for mark in self.needs):
            return text
        if self.gate is not None and not self.gate.search(text):
            return text
        return self.pattern.sub(replacement, text)


class Rule:
    """One named rewrite: every match of `pattern` becomes `replacement` (a string or a function).

    `needs` and `gate` (see Gated) skip the rule on a text where it cannot match. Where a rule
    runs is not said here: pipeline.RULES lists every rule in its order.
    """

    __slots__ = ("name", "replacement", "compiled")

    def __init__(
        self,
        name: str,
        pattern: str,
        replacement: Replacement,
        flags: int = 0,
        *,
        gate: str | None = None,
        needs: Needs = "",
    ) -> None:
        self.name = name
        self.replacement = replacement
        # Ungated rules are plain patterns: one call less on every paragraph.
        self.compiled: re.Pattern[str] | Gated = (
            re.compile(pattern, flags) if gate is None and not needs else Gated(pattern, flags, gate, needs)
        )

    def apply(self, text: str) -> str:
        return self.compiled.sub(self.replacement, text)

    def __repr__(self) -> str:
        return f"Rule({self.name!r})"


class Pass:
    """One named step over the whole text that is no single pattern (pairing quotes, tidying)."""

    __slots__ = ("name", "run")

    def __init__(self, name: str, run: Callable[[str], str]) -> None:
        self.name = name
        self.run = run

    def apply(self, text: str) -> str:
        return self.run(text)

    def __repr__(self) -> str:
        return f"Pass({self.name!r})"
