"""Where French text may break a line, for every wrapped display (cover, captions)."""

from __future__ import annotations

import re

NO_BREAK_SPACES = "\u00a0\u202f\u2007\u2060"
BREAKABLE = re.compile(rf"[^\S{NO_BREAK_SPACES}]+")
"""Runs of white space a line may break at: all but the no-break ones French puts in "ville : bilan"."""
NO_BREAK = re.compile(rf"[{NO_BREAK_SPACES}]")
# French typography: a plain space before ; : ! ? » or after « does not break either.
_GLUED = re.compile(r" (?=[;:!?»])|(?<=«) ")


def glue(text: str) -> str:
    """`text` with one plain space between words, and a no-break space wherever French keeps
    punctuation with its word (typed texts often have a plain space there)."""
    return _GLUED.sub("\u00a0", " ".join(BREAKABLE.split(text)).strip())


def line_words(text: str) -> list[str]:
    """The units a line may hold or break between: words, each with the punctuation glued to it."""
    glued = glue(text)
    return glued.split(" ") if glued else []
