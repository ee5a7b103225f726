"""French spoken-form normalization: a golden table, the lexicon, and properties on any text."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from podcast.errors import InputError
from podcast.text.french import GLUE, load_lexicon, normalize

# written                                      spoken
GOLDEN = [
    # numbers: cardinals, thousands with a space or a (narrow) no-break space, decimal commas
    ("1 000 habitants", "mille habitants"),
    ("1\u00a0000 habitants", "mille habitants"),
    ("1\u202f000\u202f000 de personnes", "un million de personnes"),
    ("3,14", "trois virgule quatorze"),
    ("0,5", "zéro virgule cinq"),
    ("3,05", "trois virgule zéro cinq"),
    ("en 2019", "en deux mille dix-neuf"),
    ("en 1984", "en mille neuf cent quatre-vingt-quatre"),
    ("80 ans", "quatre-vingts ans"),
    ("21 voitures", "vingt et une voitures"),
    ("71 jours", "soixante et onze jours"),
    ("10-15 personnes", "dix à quinze personnes"),
    (
        "Charles de Gaulle (1890-1970)",
        "Charles de Gaulle (mille huit cent quatre-vingt-dix à mille neuf cent soixante-dix)",
    ),
    ("3/4 des votes", "trois quarts des votes"),
    ("Score : 3-2.", "Score : trois à deux."),
    ("dix fois plus, x2", "dix fois plusse, fois deux"),  # [plys] at the end of a clause
    # ordinals
    ("le 1er janvier", "le premier janvier"),
    ("la 1re fois", "la première fois"),
    ("le 2e jour", "le deuxième jour"),
    ("le 3ème", "le troisième"),
    ("le 2nd tour", "le second tour"),
    ("le 80e anniversaire", "le quatre-vingtième anniversaire"),
    ("les 1ers arrivés", "les premiers arrivés"),
    ("le XIXe siècle", "le dix-neuvième siècle"),
    ("le XIXᵉ siècle", "le dix-neuvième siècle"),
    ("la Ve République", "la cinquième République"),
    # roman numerals after names
    ("Louis XIV", "Louis quatorze"),
    ("Louis XVI", "Louis seize"),
    ("Jean-Paul II", "Jean-Paul deux"),
    ("François Ier", "François premier"),
    # times
    ("à 14h30", "à quatorze heures trente"),
    ("à 14 h 30", "à quatorze heures trente"),
    ("à 8h05", "à huit heures cinq"),
    ("à 21h", "à vingt et une heures"),
    ("à 1 h du matin", "à une heure du matin"),
    ("à 9:15", "à neuf heures quinze"),
    ("de 14h-16h", "de quatorze heures à seize heures"),
    ("ouvert 24h/24", "ouvert vingt-quatre heures sur vingt-quatre"),
    # dates
    ("le 24/11/2026", "le vingt-quatre novembre deux mille vingt-six"),
    ("le 01/02/2024", "le premier février deux mille vingt-quatre"),
    ("le 2026-11-24", "le vingt-quatre novembre deux mille vingt-six"),
    ("le 14 juillet 1789", "le quatorze juillet mille sept cent quatre-vingt-neuf"),
    ("jeudi 12/06 à 20 h", "jeudi douze juin à vingt heures"),
    # currency
    ("3,50 €", "trois euros cinquante"),
    ("1 €", "un euro"),
    ("0,99 €", "quatre-vingt-dix-neuf centimes"),
    ("10 $", "dix dollars"),
    ("$15", "quinze dollars"),
    ("1,50 $", "un dollar cinquante"),
    ("5 M€", "cinq millions d'euros"),
    ("2 Md€", "deux milliards d'euros"),
    ("10 k€", "dix mille euros"),
    ("1 890 €", "mille huit cent quatre-vingt-dix euros"),
    ("20 £", "vingt livres"),
    # percentages
    ("12 %", "douze pour cent"),
    ("12\u00a0%", "douze pour cent"),
    ("12,5 %", "douze virgule cinq pour cent"),
    ("-3 %", "moins trois pour cent"),
    ("3.5 %", "trois virgule cinq pour cent"),
    ("+4,5 %", "plus quatre virgule cinq pour cent"),
    # units
    ("10 km", "dix kilomètres"),
    ("1 km", "un kilomètre"),
    ("130 km/h", "cent trente kilomètres-heure"),
    ("-5 °C", "moins cinq degrés Celsius"),
    ("20 °C", "vingt degrés Celsius"),
    ("3 kg", "trois kilos"),
    ("500 g", "cinq cents grammes"),
    ("45 min", "quarante-cinq minutes"),
    ("10 m²", "dix mètres carrés"),
    ("16 Go", "seize gigaoctets"),
    # abbreviations
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
    # acronyms and model names
    ("l'IA générative", "l'I A générative"),
    ("l’IA", "l’I A"),
    ("VP recherche", "V P recherche"),
    ("GPT-2", "G P T deux"),
    ("GPT-4o", "G P T quatre o"),
    ("GPT-3.5", "G P T trois point cinq"),
    ("COVID-19", "COVID dix-neuf"),
    ("la SNCF", "la S N C F"),
    ("la NASA", "la NASA"),
    ("l'OTAN", "l'OTAN"),
    ("les U.S.A. et nous", "les U S A et nous"),
    ("OpenAI", "Open A I"),
    ("la 5G", "la cinq G"),
    # URLs and e-mail addresses: the domain
    ("https://www.lemonde.fr/article/123", "lemonde point fr"),
    ("voir openai.com/blog.", "voir openai point com."),
    ("écrire à contact@exemple.fr", "écrire à contact arobase exemple point fr"),
    # emoji and symbols
    ("Bravo 🎉🚀 !", "Bravo !"),
    ("™ Marque® déposée ©", "Marque déposée"),
    ("Rock & roll", "Rock et roll"),
    ("➡️ Suite ★★★", "Suite"),
    # quotes, dashes, ellipses
    ("“Bonjour”", "« Bonjour »"),
    ('il a dit "oui"', "il a dit « oui »"),
    ("«Bonjour»", "« Bonjour »"),
    ("Attendre... puis partir", "Attendre… puis partir"),
    ("le patron — parfois incompris — a reconnu", "le patron, parfois incompris, a reconnu"),
    ("Quoi ?!!", "Quoi ?"),
    ("« Je [...] viens »", "« Je… viens »"),
]


def test_the_table_is_large():
    assert len(GOLDEN) >= 60


@pytest.mark.parametrize("written, spoken", GOLDEN, ids=[w for w, _ in GOLDEN])
def test_golden(written, spoken):
    assert normalize(written) == spoken


def test_glue_keeps_a_number_together():
    glued = normalize("en 1984 et M. Dupont", keep_glue=True)
    assert f"mille{GLUE}neuf{GLUE}cent{GLUE}quatre-vingt-quatre" in glued
    assert f"Monsieur{GLUE}Dupont" in glued
    assert GLUE not in normalize("en 1984")


def test_lexicon_overrides_every_rule():
    lexicon = {"IA": "intelligence artificielle", "GPT-4o": "gépété quatre o", "14h30": "l'heure du thé"}
    assert (
        normalize("l'IA de GPT-4o à 14h30", lexicon)
        == "l'intelligence artificielle de gépété quatre o à l'heure du thé"
    )
    # whole words only
    assert normalize("IAS", {"IA": "x"}) == "I A S"


def test_load_lexicon(tmp_path):
    good = tmp_path / "lex.toml"
    good.write_text('IA = "intelligence artificielle"\n"GPT-4o" = "gépété quatre o"\n', encoding="utf-8")
    assert load_lexicon(good) == {"IA": "intelligence artificielle", "GPT-4o": "gépété quatre o"}


@pytest.mark.parametrize(
    "content, words",
    [
        ('IA = "ok"\nVP = 3\n', ["lex.toml", "'VP'", "string"]),
        ('IA = "ok"\n[section]\nx = "y"\n', ["lex.toml", "'section'"]),
        ("IA = \n", ["lex.toml", "malformed"]),
        ('"" = "rien"\n', ["lex.toml", "empty"]),
    ],
)
def test_bad_lexicon_names_file_and_key(tmp_path, content, words):
    bad = tmp_path / "lex.toml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_lexicon(bad)
    for word in words:
        assert word in str(info.value)


def test_missing_lexicon(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_lexicon(tmp_path / "absent.toml")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalize_any_text(text):
    """Never raises; no digit, emoji or other symbol survives; spacing is single and plain."""
    out = normalize(text)
    assert not any(c.isdigit() and c.isascii() for c in out)
    assert not any(unicodedata.category(c) in ("So", "Sm", "Sc", "Co", "Cc", "Cf") for c in out)
    assert out == out.strip() and "  " not in out and GLUE not in out


french_bits = st.sampled_from(
    [
        "M.",
        "Dupont",
        "1 000",
        "3,5",
        "%",
        "€",
        "$",
        "km",
        "h",
        "14h30",
        "1er",
        "XIXe",
        "Louis",
        "XIV",
        "IA",
        "GPT-2",
        "«",
        "»",
        "—",
        "...",
        "!",
        "?",
        ";",
        ":",
        ",",
        ".",
        "etc.",
        "https://a.fr/x",
        "n°",
        "😀",
        "/",
        "24/11/2026",
        "-",
        "+",
        "(",
        ")",
        "\u00a0",
        "\u202f",
        "l’",
        "Mme",
        "U.S.A.",
        "av. J.-C.",
        "cf.",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(french_bits, max_size=30), st.lists(st.sampled_from([" ", "", "\u00a0"]), min_size=30, max_size=30))
def test_normalize_french_soup(bits, seps):
    out = normalize("".join(b + s for b, s in zip(bits, seps)))
    assert not any(c.isdigit() for c in out)
