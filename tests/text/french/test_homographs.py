"""Homographs: "l'est", verbs in -ent ("ils président"), "fils" (threads), "plus" at a clause's end."""

from __future__ import annotations

import pytest

from podcast.text.french import normalize

# written                                      spoken
GOLDEN = [
    # homographs
    ("Les poules du couvent couvent.", "Les poules du couvent couve."),
    ("Elles couvent leurs œufs.", "Elles couve leurs œufs."),
    ("Ils président la séance.", "Ils préside la séance."),
    ("Les juges président les audiences.", "Les juges préside les audiences."),
    ("Le vent souffle de l'est.", "Le vent souffle de l'este."),
    ("Il vit dans le nord-est.", "Il vit dans le nord-este."),
    ("Il est venu à l'Est.", "Il est venu à l'este."),
    ("Les fils électriques sont coupés.", "Les fil électriques sont coupés."),
    ("Lisez les fils de discussion.", "Lisez les fil de discussion."),
    ("Son fils est là.", "Son fils est là."),
    ("Il en veut plus.", "Il en veut plusse."),
    ("Il n'en veut plus.", "Il n'en veut plus."),
    ("Moi non plus.", "Moi non plus."),
    ("De plus, il pleut.", "De plusse, il pleut."),
    ("Il travaille plus, dit-il.", "Il travaille plusse, dit-il."),
    ("Il vaut 3.5 % de plus.", "Il vaut trois virgule cinq pour cent de plusse."),
    ("Elles résident à Lyon.", "Elles réside à Lyon."),
    ("Les grévistes qui violent la loi.", "Les grévistes qui viole la loi."),
    ("Ils ne président plus.", "Ils ne préside plus."),
    ("On en veut toujours plus.", "On en veut toujours plusse."),
]


@pytest.mark.parametrize("written, spoken", GOLDEN, ids=[w for w, _ in GOLDEN])
def test_golden(written, spoken):
    assert normalize(written) == spoken
