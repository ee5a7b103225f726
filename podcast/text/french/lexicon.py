"""Lexicons: written form -> spoken form, applied before every rule (a lexicon entry beats them
all), compiled once, read from a user's TOML file."""

from __future__ import annotations

import functools
import heapq
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from ...errors import InputError
from ...files import read_toml
from .cleanup import PH_FIRST, preclean
from .loanwords import loanword_entries

_WORD_CHAR = re.compile(r"\w")
_WORD_RUN = re.compile(r"\w+")


class Lexicon:
    """A lexicon (written form -> spoken form) compiled once into one matcher.

    Keys are folded as the text is (see cleanup.preclean). Matching is what one regex alternation
    of all keys, longest first, between non-word characters would give (leftmost, then
    longest), but done with a dict lookup per candidate length: linear in the text whatever
    the number of entries, where a 100k-key alternation took minutes.
    """

    def __init__(self, entries: Mapping[str, str]):
        self.spoken: dict[str, str] = {}
        for key, value in entries.items():
            folded = preclean(key).strip()
            if folded:
                self.spoken[folded] = " ".join(value.split())
        # Candidates: a key starts at a word (its first run of word characters, looked up in
        # a dict), or, for the few keys that start with a mark, at that mark.
        lengths: dict[str, set[int]] = {}
        for key in self.spoken:
            head = _WORD_RUN.match(key)
            lengths.setdefault(head.group(0) if head else key[0], set()).add(len(key))
        self.lengths = {head: sorted(ls, reverse=True) for head, ls in lengths.items()}
        marks = "".join(sorted({re.escape(h) for h in self.lengths if not _WORD_CHAR.match(h)}))
        self.marks = re.compile(rf"(?<!\w)[{marks}]") if marks else None

    def __len__(self) -> int:
        return len(self.spoken)

    def _candidates(self, text: str) -> Iterator[tuple[int, str]]:
        words = ((m.start(), m.group(0)) for m in _WORD_RUN.finditer(text) if m.group(0) in self.lengths)
        if self.marks is None:
            return words
        marks = ((m.start(), m.group(0)) for m in self.marks.finditer(text))
        return heapq.merge(words, marks)

    def find(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, spoken) of each match, left to right, never overlapping."""
        if not self.spoken:
            return
        end = 0
        for start, head in self._candidates(text):
            if start < end:
                continue
            for length in self.lengths[head]:
                key = text[start : start + length]
                if key in self.spoken and not _WORD_CHAR.match(text, start + length):
                    end = start + length
                    yield start, end, self.spoken[key]
                    break


@functools.lru_cache(maxsize=1)
def _default_lexicon() -> Lexicon:
    return Lexicon(loanword_entries())


def compile_lexicon(user: Mapping[str, str] | Lexicon | None = None) -> Lexicon:
    """The default lexicon (words.ENGLISH) overridden by the user's entries, compiled once.

    Pass the result to `normalize` for every paragraph of an article: compiling a large
    lexicon costs far more than applying it.
    """
    if isinstance(user, Lexicon):
        return user
    if not user:
        return _default_lexicon()
    return Lexicon({**loanword_entries(), **user})


# Placeholders: private-use characters of planes 15 and 16, which no rule touches. Index i
# (counted per text, in order of first use) is one plane-15 character, or a plane-16 character
# (i // _PH_SPAN) followed by one plane-15 character beyond the first _PH_SPAN entries.
_PH_SPAN = 0xFFFFE - 0xF0000
_PLACEHOLDER = re.compile("[\U00100000-\U0010fffd]?[\U000f0000-\U000ffffd]")


def _placeholder(i: int) -> str:
    high, low = divmod(i, _PH_SPAN)
    return (chr(0x100000 + high) if high else "") + chr(PH_FIRST + low)


def protect(text: str, lexicon: Lexicon) -> tuple[str, list[str]]:
    """Replace lexicon words by placeholders so that no rule rewrites what the user chose."""
    spoken: list[str] = []
    index: dict[str, int] = {}
    out: list[str] = []
    last = 0
    for start, end, said in lexicon.find(text):
        i = index.get(said)
        if i is None:
            i = index[said] = len(spoken)
            spoken.append(said)
        out.append(text[last:start])
        out.append(_placeholder(i))
        last = end
    if not spoken:
        return text, spoken
    out.append(text[last:])
    return "".join(out), spoken


def restore(text: str, spoken: list[str]) -> str:
    """Put back the spoken forms of the placeholders `protect` made."""
    if not spoken:
        return text

    def said(m: re.Match[str]) -> str:
        s = m.group(0)
        high = ord(s[0]) - 0x100000 if len(s) == 2 else 0
        i = high * _PH_SPAN + ord(s[-1]) - PH_FIRST
        return spoken[i] if i < len(spoken) else ""

    return _PLACEHOLDER.sub(said, text)


def load_lexicon(path: str | Path) -> dict[str, str]:
    """A TOML file of `word = "spoken form"`; anything else is an InputError naming file and key."""
    path = Path(path)
    data = read_toml(path, "lexicon")
    lexicon: dict[str, str] = {}
    for key, value in data.items():
        if not isinstance(value, str):
            raise InputError(
                f"lexicon key {key!r}: the spoken form must be a string, not {type(value).__name__}", path=path
            )
        if not key.strip() or not value.strip():
            raise InputError(f"lexicon key {key!r}: word and spoken form must not be empty", path=path)
        lexicon[key] = value
    return lexicon
