"""Punctuation: quotes (curly, straight, paired), ellipses, cuts in a quotation, dashes."""

from __future__ import annotations

import pytest

from podcast.text.french import normalize

# written                                      spoken
GOLDEN = [
    # quotes, dashes, ellipses
    ("“Bonjour”", "« Bonjour »"),
    ('il a dit "oui"', "il a dit « oui »"),
    ("«Bonjour»", "« Bonjour »"),
    ("Attendre... puis partir", "Attendre… puis partir"),
    ("le patron — parfois incompris — a reconnu", "le patron, parfois incompris, a reconnu"),
    ("Quoi ?!!", "Quoi ?"),
    ("« Je [...] viens »", "« Je… viens »"),
    ('Il dit "oui" puis "non".', "Il dit « oui » puis « non »."),
    ('Il a dit "2" puis "3".', "Il a dit « deux » puis « trois »."),
]


@pytest.mark.parametrize("written, spoken", GOLDEN, ids=[w for w, _ in GOLDEN])
def test_golden(written, spoken):
    assert normalize(written) == spoken
