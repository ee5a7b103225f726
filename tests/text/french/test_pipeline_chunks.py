"""What the rules glue, the chunker never cuts: a date, a name and its version, a number and what
it counts, a fixed expression, a title and its name; and a chunk never ends on a function word
when another cut is in reach."""

from __future__ import annotations

import re

import pytest

from podcast.text.french import FUNCTION_WORDS, GLUE, normalize
from podcast.text.script import chunk_text


@pytest.mark.parametrize(
    "written, glued",
    [
        ("le 4 mars 2024", "quatre mars deux mille vingt-quatre"),
        ("au 1er février 2025", "premier février deux mille vingt-cinq"),
        ("en mars 2024", "mars deux mille vingt-quatre"),
        ("au T3 2024", "troisième trimestre deux mille vingt-quatre"),
        ("en PCIe 4.0", "P C I E quatre point zéro"),
        ("sous Windows 11", "Windows onze"),
        ("le cycle WLTP", "double vé L T P"),
        ("la saison 2023-2024", "deux mille vingt-trois - deux mille vingt-quatre"),  # one season
        ("entre 10-15 km", "dix et quinze kilomètres"),
    ],
)
def test_words_said_in_one_breath_are_glued(written, glued):
    # A date, a name and its version, a spelled W: the chunker never cuts inside them.
    assert glued.replace(" ", GLUE) in normalize(written, keep_glue=True)


@pytest.mark.parametrize(
    ("written", "glued"),
    [
        ("la saison 2023/24", "deux mille vingt-trois - deux mille vingt-quatre"),
        ("un SP95-E10", "S P quatre-vingt-quinze E dix"),
        ("le 01 23 45 67 89", "zéro un vingt-trois quarante-cinq soixante-sept quatre-vingt-neuf"),
        ("300M utilisateurs", "trois cents millions d'utilisateurs"),
        ("à J-3", "J moins trois"),
    ],
)
def test_said_in_one_breath(written, glued):
    # The chunker never cuts inside these (GLUE joins their words).
    assert glued.replace(" ", GLUE) in normalize(written, keep_glue=True)


# ---------------------------------------------------------------- cuts a listener does not hear

# Fixed expressions and noun phrases, none of them from the list.
UNITS = [
    "afin qu'elles",
    "dès que",
    "bien qu'il",
    "alors que",
    "sans qu'on",
    "tandis que",
    "base de données",
    "mot de passe",
    "moteur de recherche",
    "carte bancaire",
    "logiciel libre",
    "réseau informatique",
    "serveur mandataire",
    "politique monétaire",
    "mise à jour",
    "jusqu'à ce que",
    "intelligence artificielle",
    "énergie nucléaire",
]
FILLER = (
    "Les administrateurs ont longtemps expliqué aux nouveaux venus de cette distribution "
    "comme de bien d'autres encore que le projet avance lentement"
).split()


@pytest.mark.parametrize("unit", UNITS)
def test_no_cut_inside_a_unit(unit):
    first, second = unit.replace("'", "' ").split()[:2]
    first = first.rstrip("'")
    for drop in range(len(FILLER) // 2):
        for pad in range(0, 12, 3):
            words = FILLER[: len(FILLER) - drop] + ["x" * pad] if pad else FILLER[: len(FILLER) - drop]
            text = " ".join(words) + f" et {unit} dans la journée, sans jamais dire pourquoi."
            chunks = chunk_text(normalize(text, keep_glue=True), 100)
            assert all(len(c) <= 100 for c in chunks)
            for left, right in zip(chunks, chunks[1:]):
                assert not (left.split()[-1].rstrip("'") == first and right.split()[0].startswith(second)), chunks


# Names, fixed expressions and negations, with no cheap cut ("et") right before them.
UNITS_WITHOUT_LINK = [
    "Emmanuel Macron",
    "Jean-Luc Mélenchon",
    "Donald Trump",
    "Los Angeles",
    "Mistral AI",
    "Union européenne",
    "Premier ministre",
    "code source",
    "grâce à",
    "machine à laver",
    "prise en charge",
    "mise en œuvre",
    "tout à fait",
    "ne sont plus",
    "n'ont jamais",
    "ne viennent pas",
    "peut-être que",
    "il faut que",
]


@pytest.mark.parametrize("unit", UNITS_WITHOUT_LINK)
def test_no_cut_inside_a_name_or_expression(unit):
    said = normalize(unit).split()
    for drop in range(len(FILLER)):
        for pad in range(0, 10, 3):
            words = FILLER[: len(FILLER) - drop] + (["x" * pad] if pad else [])
            text = " ".join(words) + f" {unit} dans la journée sans jamais dire pourquoi ni comment."
            chunks = chunk_text(normalize(text, keep_glue=True), 100)
            for left, right in zip(chunks, chunks[1:]):
                left_words, right_words = left.split(), right.split()
                for k in range(1, len(said)):
                    assert not (left_words[-k:] == said[:k] and right_words[: len(said) - k] == said[k:]), chunks


def test_no_cut_after_an_abbreviated_title():
    text = "Selon les informations recueillies auprès de plusieurs sources concordantes hier soir, Mr. Smith a dit oui."
    for limit in range(60, 101, 4):
        chunks = chunk_text(normalize(text, keep_glue=True), limit)
        assert not any(c.endswith("Monsieur") for c in chunks), chunks


# ---------------------------------------------------------------- no chunk ends on a function word

_LONG_SENTENCES = [
    "Il a expliqué que son équipe travaillait sur le projet depuis plusieurs années et que chaque version "
    "apportait des améliorations importantes pour tous les utilisateurs.",
    "Les habitants de la commune attendent depuis des mois une réponse claire de la préfecture sur le "
    "calendrier des travaux prévus dans leur quartier.",
    "Chaque semaine, les bénévoles de l'association distribuent des repas aux familles les plus modestes du "
    "département grâce aux dons de quelques entreprises locales.",
    "La direction a confirmé lors d'une réunion avec les représentants du personnel que certains sites "
    "seraient fermés avant la fin de l'année prochaine.",
    "Les chercheurs ont observé durant toute la campagne de mesures une baisse nette des émissions de "
    "particules fines dans la plupart des grandes villes.",
]


# Words a phrase never ends on (spelled out here so that the test does not lean on the code's list).
NEVER_LAST = frozenset(
    "le la les l un une des du de d au aux à en ce cet cette ces son sa ses leur leurs notre votre nos vos "
    "se que qu sur sous dans par pour avec sans chez entre vers chaque plusieurs quelques certains certaines "
    "selon parmi durant dès via malgré pendant depuis lors".split()
)


def _last_word(chunk: str) -> str:
    return "'" if chunk.endswith(("'", "’")) else re.split(r"[\s'’]", chunk.lower())[-1]


@pytest.mark.parametrize("limit", [30, 40, 50, 60, 80, 100])
@pytest.mark.parametrize("text", _LONG_SENTENCES, ids=lambda t: t[:20])
def test_no_chunk_ends_on_a_function_word(text, limit):
    chunks = chunk_text(normalize(text, keep_glue=True), limit)
    assert all(len(c) <= limit for c in chunks)
    ends = [_last_word(c) for c in chunks[:-1]]
    assert not [(c, e) for c, e in zip(chunks, ends) if e in NEVER_LAST or e == "'"], chunks


def test_a_preposition_waits_for_its_date_or_number():
    text = (
        "Les députés ont voté malgré les protestations de plusieurs syndicats une hausse de 3,5 % du budget "
        "alloué à la recherche publique pour l'année 2026."
    )
    for limit in (40, 50, 60, 80):
        chunks = chunk_text(normalize(text, keep_glue=True), limit)
        assert not [c for c in chunks[:-1] if _last_word(c) in NEVER_LAST], chunks


@pytest.mark.parametrize(
    "word",
    "le la les un une des du au aux ce son sa ses leur chaque plusieurs quelques selon malgré pendant depuis".split(),
)
def test_function_words_listed(word):
    assert word in FUNCTION_WORDS and word in NEVER_LAST


def test_a_number_stays_with_what_it_counts():
    text = "les ventes ont atteint des sommets dans les 27 pays de l'Union européenne au cours du semestre"
    chunks = chunk_text(normalize(text, keep_glue=True), 60)
    assert not any(c.endswith("vingt-sept") for c in chunks[:-1]), chunks
