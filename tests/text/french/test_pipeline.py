"""The pipeline: the run order is data (pipeline.RULES), every rule a family module defines is
in it once, normalize runs exactly it in its order, and an order that matters shows in what is
said; then properties of normalize on any text."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import types
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from podcast.text import french
from podcast.text.french import (
    GLUE,
    abbreviations,
    acronyms,
    addresses,
    cleanup,
    dates,
    homographs,
    money,
    normalize,
    numbers,
    pipeline,
    punctuation,
    units,
)
from podcast.text.french.rule import Pass, Rule

FAMILY_MODULES = (abbreviations, acronyms, addresses, cleanup, dates, homographs, money, numbers, punctuation, units)
SHARED_MODULES = {"lexicon", "loanwords", "pipeline", "rule", "spoken"}  # define no step of the pipeline


def golden_tables() -> dict[str, list[tuple[str, str]]]:
    """Each family's golden table (written, spoken), by the name of its test module."""
    names = sorted(
        name
        for name in (info.name for info in pkgutil.iter_modules(importlib.import_module("tests.text.french").__path__))
        if name.startswith("test_")
    )
    modules = [importlib.import_module(f"tests.text.french.{name}") for name in names]
    return {module.__name__: module.GOLDEN for module in modules if hasattr(module, "GOLDEN")}


def _defined_steps() -> list[tuple[str, Rule | Pass]]:
    return [
        (f"{module.__name__}.{name}", value)
        for module in FAMILY_MODULES
        for name, value in vars(module).items()
        if isinstance(value, (Rule, Pass))
    ]


def _code_names(function) -> set[str]:
    """Global names a function and the functions inside it use."""
    names: set[str] = set()
    stack = [function.__code__]
    while stack:
        code = stack.pop()
        names |= set(code.co_names)
        stack += [c for c in code.co_consts if isinstance(c, types.CodeType)]
    return names


# ---------------------------------------------------------------- the order is data


def test_every_module_is_a_family_or_shared():
    found = {info.name for info in pkgutil.iter_modules(french.__path__)}
    families = {module.__name__.rsplit(".", 1)[-1] for module in FAMILY_MODULES}
    assert found == families | SHARED_MODULES


def test_the_declared_rules_have_unique_names():
    names = [step.name for step in pipeline.RULES]
    assert len(names) == len(set(names)) > 100
    assert len({id(step) for step in pipeline.RULES}) == len(pipeline.RULES)
    assert all(isinstance(step, (Rule, Pass)) for step in pipeline.RULES)


def test_no_rule_is_forgotten():
    """Every rule a family module defines is declared, and only those run."""
    declared = {id(step) for step in pipeline.RULES}
    defined = _defined_steps()
    assert [name for name, step in defined if id(step) not in declared] == []
    assert {id(step) for _, step in defined} == declared


def test_no_rule_function_is_forgotten():
    """A function of a match that says something is a declared rule's, or used by one."""
    replacements = {id(s.replacement) for s in pipeline.RULES if isinstance(s, Rule)}
    used: set[str] = set()
    for step in pipeline.RULES:
        function = step.replacement if isinstance(step, Rule) else step.run
        if inspect.isfunction(function):
            used |= _code_names(function)
    orphans = []
    for module in FAMILY_MODULES:
        for name, function in vars(module).items():
            if not inspect.isfunction(function) or function.__module__ != module.__name__:
                continue
            hints = function.__annotations__
            takes_a_match = any(hint == "re.Match[str]" for key, hint in hints.items() if key != "return")
            if takes_a_match and hints.get("return") == "str":
                if id(function) not in replacements and name not in used:
                    orphans.append(f"{module.__name__}.{name}")
    assert orphans == []


def test_normalize_runs_the_declared_rules_in_their_order(monkeypatch):
    ran: list[str] = []

    def spying(step: Rule | Pass) -> Pass:
        def run(text: str) -> str:
            ran.append(step.name)
            return step.apply(text)

        return Pass(step.name, run)

    monkeypatch.setattr(pipeline, "RULES", tuple(spying(step) for step in pipeline.RULES))
    assert normalize("Le 14 juillet 1789, M. Dupont a payé 3,50 €.") == (
        "Le quatorze juillet mille sept cent quatre-vingt-neuf, Monsieur Dupont a payé trois euros cinquante."
    )
    assert ran == [step.name for step in pipeline.RULES]


# (earlier, later, written, spoken in the declared order): each pair runs in this order for a reason.
ORDERS = [
    # A cup round before dates, which would take "1/8" for the 1st of August.
    ("finale", "day_month", "Le 1/8e de finale.", "Le huitième de finale."),
    # A season before a range, which would say "2024 à 25".
    ("year_span", "range", "La saison 2024-25.", "La saison deux mille vingt-quatre - deux mille vingt-cinq."),
    # Units and money before bare numbers, which would leave "km" and "€" unsaid.
    ("measure", "number", "Il court 10 km.", "Il court dix kilomètres."),
    ("amount_after", "number", "Il paie 3,50 €.", "Il paie trois euros cinquante."),
    ("written_date", "number", "le 1er mars 2024", "le premier mars deux mille vingt-quatre"),
    # An initial after a first name before "M." is taken for "Monsieur".
    ("middle_initial", "monsieur", "Selon Richard M. Stallman, non.", "Selon Richard M Stallman, non."),
    # A race time before its mark is taken for a quote.
    ("race_time", "straight_quote", 'Il court en 9"86.', "Il court en neuf secondes quatre-vingt-six."),
    # The table's readings before a letter and a digit are parted.
    ("table_acronym", "letter_digit", "Le commerce B2B progresse.", "Le commerce bi tou bi progresse."),
    # A model's dash before its number is said alone.
    ("model_dash", "number", "Le GPT-4 arrive.", "Le G P T quatre arrive."),
]


@pytest.mark.parametrize("earlier, later, written, spoken", ORDERS, ids=[f"{a}<{b}" for a, b, _, _ in ORDERS])
def test_an_order_that_matters(monkeypatch, earlier, later, written, spoken):
    names = [step.name for step in pipeline.RULES]
    i, j = names.index(earlier), names.index(later)
    assert i < j
    assert normalize(written) == spoken
    swapped = list(pipeline.RULES)
    swapped[i], swapped[j] = swapped[j], swapped[i]
    monkeypatch.setattr(pipeline, "RULES", tuple(swapped))
    assert normalize(written) != spoken


def test_the_golden_tables_are_large():
    tables = golden_tables()
    assert len(tables) >= 10 and all(tables.values())
    assert sum(map(len, tables.values())) >= 465


# ---------------------------------------------------------------- properties of normalize


def test_glue_keeps_a_number_together():
    glued = normalize("en 1984 et M. Dupont", keep_glue=True)
    assert f"mille{GLUE}neuf{GLUE}cent{GLUE}quatre-vingt-quatre" in glued
    assert f"Monsieur{GLUE}Dupont" in glued
    assert GLUE not in normalize("en 1984")


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
