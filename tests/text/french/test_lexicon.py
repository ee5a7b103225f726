"""Lexicons: an entry beats every rule, whole words only, longest first; a user's TOML file
read or refused with its file and key named; 100k entries compiled once."""

from __future__ import annotations

import pytest

from podcast.errors import InputError
from podcast.text.french import compile_lexicon, load_lexicon, normalize
from podcast.text.script import build_script
from podcast.types import Article, Section


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


# ---------------------------------------------------------------- a large lexicon (issue 14, item 3)


def test_a_hundred_thousand_entry_lexicon_is_applied_whole():
    lexicon = {f"mot{i:06d}": f"entrée numéro {i}" for i in range(100_000)}
    # Far past the 65,534 placeholders a per-entry scheme allowed; build_script compiles it once.
    text = "Début mot070000 puis mot099999, et mot000001. " * 40
    article = Article(title="Lexique", sections=[Section(None, [text] * 3)], source="x.txt")
    script = build_script(article, lexicon=lexicon, read_title=False)
    said = " ".join(c.text for c in script.chunks)
    assert said.count("entrée numéro 70000") == 120 and said.count("entrée numéro 99999") == 120
    assert "mot0" not in said


def test_lexicon_matches_longest_whole_words_first():
    lexicon = compile_lexicon({"Debian": "débiane", "Debian GNU": "débiane gnou", "GNU": "gnu"})
    assert normalize("Debian GNU/Linux et Debianisme, GNU.", lexicon) == "débiane gnou Linux et Debianisme, gnu."


def test_many_distinct_lexicon_words_in_one_text():
    # More distinct matches than one private-use plane has placeholders (65,534).
    lexicon = {f"w{i}": f"x{chr(97 + i % 26)}" for i in range(65_600)}
    said = normalize(" ".join(lexicon), lexicon)
    assert said.split() == list(lexicon.values())
