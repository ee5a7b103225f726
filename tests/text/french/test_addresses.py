"""Addresses: URLs and bare domains (the domain), e-mail addresses (the whole address), paths
and file names."""

from __future__ import annotations

import pytest

from podcast.text.french import normalize

# written                                      spoken
GOLDEN = [
    # URLs and e-mail addresses: the domain
    ("https://www.lemonde.fr/article/123", "lemonde point fr"),
    ("voir openai.com/blog.", "voir openai point com."),
    ("écrire à contact@exemple.fr", "écrire à contact arobase exemple point fr"),
    ("Voir le site (https://fr.wikipedia.org/wiki/Paris).", "Voir le site (fr point wikipedia point org)."),
    ("Voir https://www.debian.org/doc/ pour la doc.", "Voir debian point org pour la doc."),
    # e-mail addresses (the whole address) and URLs (the domain)
    ("Écrivez à redaction@lemonde.fr.", "Écrivez à redaction arobase lemonde point fr."),
    ("Contact : jean.dupont@exemple.org", "Contact : jean point dupont arobase exemple point org"),
    (
        "Le support via support-technique@societe.fr répond.",
        "Le support via support tiret technique arobase societe point fr répond.",
    ),
    (
        "Adresse : prenom_nom+tag@mail.example.com.",
        "Adresse : prenom tiret bas nom plus tag arobase mail point example point com.",
    ),
    (
        "Un mail à contact.presse@ville-paris.fr suffit.",
        "Un mail à contact point presse arobase ville-paris point fr suffit.",
    ),
    ("Ou <jean@ex.fr> directement.", "Ou jean arobase ex point fr directement."),
    ("Écrire à mailto:info@ex.com.", "Écrire à info arobase ex point com."),
    # paths and file names
    (
        "Le fichier /etc/apt/sources.list liste les dépôts.",
        "Le fichier slash etc slash apt slash sources point list liste les dépôts.",
    ),
    ("Éditez ~/.bashrc puis relancez.", "Éditez tilde slash point bashrc puis relancez."),
    ("Le paquet hello_2.10.deb est installé.", "Le paquet hello deux point dix point deb est installé."),
    ("Voir /usr/share/doc/apt/.", "Voir slash usr slash share slash doc slash apt slash."),
]


@pytest.mark.parametrize("written, spoken", GOLDEN, ids=[w for w, _ in GOLDEN])
def test_golden(written, spoken):
    assert normalize(written) == spoken
