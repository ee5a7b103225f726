"""Abbreviations: titles, Latin and reference forms, the table's short forms (months, weekdays,
editors' notes), codes of law; the tables entry by entry."""

from __future__ import annotations

import pytest

from podcast.text.french import normalize
from podcast.text.words import ABBREVIATIONS, DAY_ABBREVIATIONS, TITLES

# written                                      spoken
GOLDEN = [
    # titles, Latin and reference forms
    ("M. Dupont", "Monsieur Dupont"),
    ("MM. Dupont et Durand", "Messieurs Dupont et Durand"),
    ("M. le ministre", "Monsieur le ministre"),
    ("Mme Curie", "Madame Curie"),
    ("Mlle Martin", "Mademoiselle Martin"),
    ("le Dr House", "le Docteur House"),
    ("le Pr Martin", "le Professeur Martin"),
    ("St-Malo", "Saint-Malo"),
    ("Ste-Anne", "Sainte-Anne"),
    ("le n° 5", "le numéro cinq"),
    ("du pain, etc. Ensuite", "du pain, et cetera. Ensuite"),
    ("cf. chapitre 2", "confer chapitre deux"),
    ("p. ex. ceci", "par exemple ceci"),
    ("en 300 av. J.-C.", "en trois cents avant Jésus-Christ"),
    ("voir p. 12", "voir page douze"),
    ("aux É.-U. Puis", "aux États-Unis. Puis"),
    ("Tél. : 01 23", "téléphone : zéro un vingt-trois"),
    ("Le no 5 mondial.", "Le numéro cinq mondial."),
    # the table: months, titles, editors' notes
    ("Le 14 juil. 2024 à Paris.", "Le quatorze juillet deux mille vingt-quatre à Paris."),
    ("Le 3 févr. 2020, il pleut.", "Le trois février deux mille vingt, il pleut."),
    ("En janv. 2021 et en déc. 2022.", "En janvier deux mille vingt et un et en décembre deux mille vingt-deux."),
    ("Ils étaient sept. Ensuite ils partent.", "Ils étaient sept. Ensuite ils partent."),
    ("Me Dupond-Moretti plaide.", "Maître Dupond-Moretti plaide."),
    ("Selon Mr. Smith, tout va bien.", "Selon Monsieur Smith, tout va bien."),
    ("Le 2 sept. 2025, il pleut.", "Le deux septembre deux mille vingt-cinq, il pleut."),
    ("En oct. 2024.", "En octobre deux mille vingt-quatre."),
    ("Me Martin et Me Durand.", "Maître Martin et Maître Durand."),
    ("Mr Smith arrive.", "Monsieur Smith arrive."),
    ("Le texte (N.d.T. : voir plus haut) continue.", "Le texte (note du traducteur : voir plus haut) continue."),
    ("Janv. 2024 a été froid.", "Janvier deux mille vingt-quatre a été froid."),
    ("Début févr. 2025, rien.", "Début février deux mille vingt-cinq, rien."),
    ("e.g. un exemple.", "par exemple un exemple."),
    # an abbreviated month is a month wherever the context says so; "sept." ending a sentence is seven
    ("Il est arrivé en sept. dernier.", "Il est arrivé en septembre dernier."),
    ("La loi votée en déc. prochain.", "La loi votée en décembre prochain."),
    ("Le 1er oct. au soir, tout change.", "Le premier octobre au soir, tout change."),
    ("Les soldes de fin janv., enfin.", "Les soldes de fin janvier, enfin."),
    ("Depuis sept., les prix montent.", "Depuis septembre, les prix montent."),
    ("De sept. à nov. 2025.", "De septembre à novembre deux mille vingt-cinq."),
    ("Le bilan de mi-avr. est bon.", "Le bilan de mi-avril est bon."),
    ("Jusqu'en févr. prochain.", "Jusqu'en février prochain."),
    ("Le 2 juil. Puis plus rien.", "Le deux juillet. Puis plus rien."),
    ("Il reviendra fin sept.", "Il reviendra fin septembre."),
    ("Le chapitre sept.", "Le chapitre sept."),
    ("Le gâteau est coupé en sept. Chacun mange.", "Le gâteau est coupé en sept. Chacun mange."),
    ("Le départ est le 5 juill. à Lille.", "Le départ est le cinq juillet à Lille."),
    # abbreviated weekdays before a date, an hour or another weekday
    ("Le mar. 14 mai au soir.", "Le mardi quatorze mai au soir."),
    ("Ouvert lun.-ven. 9h-18h.", "Ouvert du lundi au vendredi neuf heures à dix-huit heures."),
    ("Fermé le sam. 3 juin.", "Fermé le samedi trois juin."),
    ("Au bord de la mer. 3 bateaux.", "Au bord de la mer. trois bateaux."),
    ("La nuit du jeu. 7 au ven. 8 mars.", "La nuit du jeudi sept au vendredi huit mars."),
    ("Une sauvegarde chaque dim. à 2h.", "Une sauvegarde chaque dimanche à deux heures."),
    # codes of law cited anywhere, titles, references
    (
        "Les articles R. 412-1 à R. 412-3 du Code.",
        "Les articles R quatre cent douze tiret un à R quatre cent douze tiret trois du Code.",
    ),
    (
        "Selon les articles L. 121-1 et L. 121-2, c'est illégal.",
        "Selon les articles L cent vingt et un tiret un et L cent vingt et un tiret deux, c'est illégal.",
    ),
    ("M. et Mme Dupont sont là.", "Monsieur et Madame Dupont sont là."),
    ("Les Drs Durand et Petit.", "Les Docteurs Durand et Petit."),
    ("Vol. 3, chap. 4, fig. 2.", "Volume trois, chapitre quatre, figure deux."),
    ("Chap. 7 : la fin.", "Chapitre sept : la fin."),
    ("Des fruits, p. ex. des pommes, etc.", "Des fruits, par exemple des pommes, et cetera."),
    ("Cf. le chapitre 3.", "confer le chapitre trois."),
    ("La loi n° 2024-120.", "La loi numéro deux mille vingt-quatre tiret cent vingt."),
]


@pytest.mark.parametrize("written, spoken", GOLDEN, ids=[w for w, _ in GOLDEN])
def test_golden(written, spoken):
    assert normalize(written) == spoken


_MONTH_NAMES = {"janvier", "février", "avril", "juillet", "septembre", "octobre", "novembre", "décembre"}


@pytest.mark.parametrize("written", sorted(ABBREVIATIONS))
def test_every_abbreviation(written):
    spoken = ABBREVIATIONS[written]
    # Month abbreviations need a number next to them; titles a name after them.
    sample = f"le 3 {written} 2020" if spoken in _MONTH_NAMES else f"voir {written} Dupont"
    said = normalize(sample)
    assert spoken in said and written not in said.split()


@pytest.mark.parametrize("written", sorted(DAY_ABBREVIATIONS))
def test_every_day_abbreviation(written):
    spoken = DAY_ABBREVIATIONS[written]
    assert normalize(f"le {written} 3 mai") == f"le {spoken} trois mai"
    assert normalize(f"Ouvert le {written} 9h.") == f"Ouvert le {spoken} neuf heures."
    # Alone, "mer." and "sam." may be words: kept.
    assert normalize(f"le mot {written} Puis") == f"le mot {written} Puis"


@pytest.mark.parametrize("written", sorted(TITLES))
def test_every_title(written):
    assert normalize(f"{written} Dupont parle.") == f"{TITLES[written]} Dupont parle."


def test_month_abbreviation_needs_a_number():
    assert normalize("Ils étaient sept. Puis huit.") == "Ils étaient sept. Puis huit."
    assert normalize("le 3 sept. Puis rien.") == "le trois septembre. Puis rien."
