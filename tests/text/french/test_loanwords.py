"""Loanwords: English words said as a French reader says them, entry by entry, and a user's
lexicon over them."""

from __future__ import annotations

import pytest

from podcast.text.french import normalize
from podcast.text.words import ENGLISH

# written                                      spoken
GOLDEN = [
    # English words
    ("Un logiciel open source.", "Un logiciel opeune source."),
    ("Le week-end dernier.", "Le ouikènde dernier."),
    ("Une startup de la French Tech.", "Une starteupe de la French Tech."),
    ("Le machine learning progresse.", "Le machine leurningue progresse."),
    ("Les données sont dans le cloud.", "Les données sont dans le claoude."),
    ("Une newsletter sur le deep learning.", "Une niouzlèteur sur le dipe leurningue."),
    ("Un bug dans le framework.", "Un beugue dans le frèmeoueurk."),
    ("Le hardware et le software.", "Le hardouère et le softouère."),
    ("Les données en open data.", "Les données en opeune data."),
]


@pytest.mark.parametrize("written, spoken", GOLDEN, ids=[w for w, _ in GOLDEN])
def test_golden(written, spoken):
    assert normalize(written) == spoken


@pytest.mark.parametrize("written", sorted(ENGLISH))
def test_every_english_word(written):
    spoken = ENGLISH[written]
    assert normalize(f"Un {written} ici.") == f"Un {spoken} ici."
    capital = written[0].upper() + written[1:]
    assert normalize(f"{capital} ici.") == f"{spoken[0].upper() + spoken[1:]} ici."


def test_user_lexicon_overrides_the_defaults():
    assert normalize("le week-end", {"week-end": "fin de semaine"}) == "le fin de semaine"
    assert normalize("le week-end") == "le ouikènde"
