"""Dates and times: written dates, numeric dates, hours and time slots, race times, spans of
years that name one season, quarters and halves of a year."""

from __future__ import annotations

import pytest

from podcast.text.french import normalize

# written                                      spoken
GOLDEN = [
    # times
    ("à 14h30", "à quatorze heures trente"),
    ("à 14 h 30", "à quatorze heures trente"),
    ("à 8h05", "à huit heures cinq"),
    ("à 21h", "à vingt et une heures"),
    ("à 1 h du matin", "à une heure du matin"),
    ("à 9:15", "à neuf heures quinze"),
    ("de 14h-16h", "de quatorze heures à seize heures"),
    ("ouvert 24h/24", "ouvert vingt-quatre heures sur vingt-quatre"),
    ("Ouvert 24/7.", "Ouvert vingt-quatre heures sur vingt-quatre, sept jours sur sept."),
    (
        "Les horaires : 8h-12h / 14h-18h.",
        "Les horaires : huit heures à douze heures, quatorze heures à dix-huit heures.",
    ),
    (
        "Ouvert de 9h00-12h00 / 14h00-19h00.",
        "Ouvert de neuf heures à douze heures, quatorze heures à dix-neuf heures.",
    ),
    ("Il roule 24h / 24.", "Il roule vingt-quatre heures sur vingt-quatre."),
    (
        "Le guichet est ouvert de 9h30-12h.",
        "Le guichet est ouvert de neuf heures trente à douze heures.",
    ),
    # dates
    ("le 24/11/2026", "le vingt-quatre novembre deux mille vingt-six"),
    ("le 01/02/2024", "le premier février deux mille vingt-quatre"),
    ("le 2026-11-24", "le vingt-quatre novembre deux mille vingt-six"),
    ("le 14 juillet 1789", "le quatorze juillet mille sept cent quatre-vingt-neuf"),
    ("jeudi 12/06 à 20 h", "jeudi douze juin à vingt heures"),
    # dates, at a sentence end too
    ("Rendez-vous du 03/03/2025.", "Rendez-vous du trois mars deux mille vingt-cinq."),
    ("Rendez-vous le 24.11.2026.", "Rendez-vous le vingt-quatre novembre deux mille vingt-six."),
    ("Il est né le 5/7/1990.", "Il est né le cinq juillet mille neuf cent quatre-vingt-dix."),
    ("Réunion le 01.02.24.", "Réunion le premier février deux mille vingt-quatre."),
    ("Fin prévue au 31/12/2030!", "Fin prévue au trente et un décembre deux mille trente !"),
    ("Elle arrive le 15/08/2025, puis repart.", "Elle arrive le quinze août deux mille vingt-cinq, puis repart."),
    ("Le 7.3.2023, tout change.", "Le sept mars deux mille vingt-trois, tout change."),
    ("Un test le 12/01/2026.", "Un test le douze janvier deux mille vingt-six."),
    ("Le 3/3/2025.", "Le trois mars deux mille vingt-cinq."),
    ("Au 31.12.2025 !", "Au trente et un décembre deux mille vingt-cinq !"),
    ("Du 03/03 au 05/03.", "Du trois mars au cinq mars."),
    # quarters and halves of a year
    ("Au T3 2024, il progresse.", "Au troisième trimestre deux mille vingt-quatre, il progresse."),
    ("Le chiffre du Q1 2025.", "Le chiffre du premier trimestre deux mille vingt-cinq."),
    ("Au S1 2024.", "Au premier semestre deux mille vingt-quatre."),
    ("Au T2, la marge baisse.", "Au deuxième trimestre, la marge baisse."),
    ("Un T3 à Lyon.", "Un T trois à Lyon."),
    # race times
    ('Il court le 100 m en 9"86.', "Il court le cent mètres en neuf secondes quatre-vingt-six."),
    ("Elle nage en 1'45\"30 au total.", "Elle nage en une minute quarante-cinq secondes trente au total."),
    ("Il finit en 2'05 devant.", "Il finit en deux minutes cinq devant."),
    (
        "Il a couru le marathon en 2h03'45.",
        "Il a couru le marathon en deux heures trois minutes quarante-cinq secondes.",
    ),
    ("Il a couru en 2 h 01' 09\".", "Il a couru en deux heures une minute neuf secondes."),
    # a span of years that names one season or one fiscal year: both years in full
    ("La saison 2023/24 commence.", "La saison deux mille vingt-trois - deux mille vingt-quatre commence."),
    ("La saison 2023/2024 est finie.", "La saison deux mille vingt-trois - deux mille vingt-quatre est finie."),
    ("La saison 2024-25 commence.", "La saison deux mille vingt-quatre - deux mille vingt-cinq commence."),
    ("l'exercice 2024/2025 est clos.", "l'exercice deux mille vingt-quatre - deux mille vingt-cinq est clos."),
    (
        "L'année scolaire 2024-2025 débute.",
        "L'année scolaire deux mille vingt-quatre - deux mille vingt-cinq débute.",
    ),
    ("Le budget 1999/00.", "Le budget mille neuf cent quatre-vingt-dix-neuf - deux mille."),
    ("La saison 2023–2024.", "La saison deux mille vingt-trois - deux mille vingt-quatre."),
    ("En 2019/20, il pleut.", "En deux mille dix-neuf - deux mille vingt, il pleut."),
    (
        "La saison 1998-99 fut bonne.",
        "La saison mille neuf cent quatre-vingt-dix-huit - mille neuf cent quatre-vingt-dix-neuf fut bonne.",
    ),
    ("La promo 2019-2020 se retrouve.", "La promo deux mille dix-neuf - deux mille vingt se retrouve."),
    ("Pour la saison 2024 - 2025.", "Pour la saison deux mille vingt-quatre - deux mille vingt-cinq."),
    # ... and a range of years stays a range; a fraction stays a fraction
    ("Entre 2020-2022, les ventes montent.", "Entre deux mille vingt et deux mille vingt-deux, les ventes montent."),
    ("Les années 2020-25 seront dures.", "Les années deux mille vingt à deux mille vingt-cinq seront dures."),
    ("Il a marqué 2024/5 points.", "Il a marqué deux mille vingt-quatre sur cinq points."),
]


@pytest.mark.parametrize("written, spoken", GOLDEN, ids=[w for w, _ in GOLDEN])
def test_golden(written, spoken):
    assert normalize(written) == spoken
