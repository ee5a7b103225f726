"""Cleanup: emoji and symbols without a sound are dropped, and the fast path that drops them
keeps what a look at every character kept."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from podcast.text.french import GLUE, normalize
from podcast.text.french.cleanup import drop_symbols

# written                                      spoken
GOLDEN = [
    # emoji and symbols have no sound
    ("Bravo 🎉🚀 !", "Bravo !"),
    ("™ Marque® déposée ©", "Marque déposée"),
    ("➡️ Suite ★★★", "Suite"),
]


@pytest.mark.parametrize("written, spoken", GOLDEN, ids=[w for w, _ in GOLDEN])
def test_golden(written, spoken):
    assert normalize(written) == spoken


def _drop_symbols_one_by_one(text: str) -> str:
    # What drop_symbols did before its fast path: every character looked at.
    out: list[str] = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat[0] in "LN" or ch in " \n" or ch == GLUE or ch in ".,;:!?…'’«»()-":
            out.append(ch)
        elif cat == "Co" and 0xF0000 <= ord(ch) <= 0x10FFFD:
            out.append(ch)
        elif cat[0] == "Z":
            out.append(" ")
        elif cat == "Pd":
            out.append("-")
        elif cat[0] == "M" and out and out[-1].isalpha():
            out.append(ch)
        else:
            out.append(" ")
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.sampled_from("aé e1 \n\u00a0.,«»-–—_#@€$%*/\u0301\u0327😀🇫🇷\u200b\u2009\U000f0001ŒœΩж٣"),
            st.characters(),
        )
    )
)
def test_dropping_symbols_keeps_what_it_kept(text):
    assert drop_symbols(text) == _drop_symbols_one_by_one(text)
