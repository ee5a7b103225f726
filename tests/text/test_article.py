"""Reading articles: encodings, formats, titles, front matter, and bad input."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podcast.cli import cli
from podcast.errors import InputError
from podcast.text.article import read_article
from podcast.text.script import build_script, format_script
from tests.conftest import SEED

DATA = Path(__file__).resolve().parents[1] / "data" / "articles"

# A French article with what legacy encodings make hard: œ, €, ’, « », …, and NBSPs.
FRENCH = (
    "Le cœur du problème\n"
    "\n"
    "Mme Lœwy a payé 3,50\u00a0€ son café\u00a0: «\u00a0C’est cher\u00a0!\u00a0» Elle attendait… mieux.\n"
    "À Noël, l’œuvre coûtera 1\u00a0000\u00a0€, soit 12\u00a0% de plus qu’en 2019.\n"
)


def _script(path: Path, **kwargs) -> str:
    return format_script(build_script(read_article(path, **kwargs), max_chars=100))


# ---------------------------------------------------------------- encodings


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_encodings_give_the_same_script(tmp_path, encoding, newline):
    reference = tmp_path / "ref.txt"
    reference.write_bytes(FRENCH.encode("utf-8"))
    other = tmp_path / "other.txt"
    other.write_bytes(FRENCH.replace("\n", newline).encode(encoding))
    if encoding == "utf-16":
        assert other.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")
    assert read_article(other).title == "Le cœur du problème"
    assert _script(other) == _script(reference)
    assert "Madame Lœwy a payé trois euros cinquante son café" in _script(other)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "cp1252"])
def test_seed_in_other_encodings(tmp_path, encoding):
    copy = tmp_path / "seed.txt"
    copy.write_bytes(SEED.read_text("utf-8").replace("\n", "\r\n").encode(encoding))
    assert _script(copy) == _script(SEED)


def test_latin1_text_is_read(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Élève à l'école, déjà reçu à l'été ; ça coûte très cher, hélas.".encode("latin-1"))
    assert read_article(path).paragraphs == ["Élève à l'école, déjà reçu à l'été ; ça coûte très cher, hélas."]


def test_french_spaces_are_spaces(tmp_path):
    scripts = set()
    for name, space in (("plain", " "), ("nbsp", "\u00a0"), ("narrow", "\u202f")):
        path = tmp_path / f"{name}.txt"
        path.write_text(FRENCH.replace("\u00a0", space), encoding="utf-8")
        scripts.add(_script(path))
    assert len(scripts) == 1
    assert "mille euros, soit douze pour cent" in scripts.pop()


# ---------------------------------------------------------------- formats


def test_html_page_yields_only_the_article():
    article = read_article(DATA / "page.html")
    assert article.title == "Le vélo électrique séduit les campagnes"
    assert article.author == "Claire Martin"
    assert article.date == date(2026, 3, 14)
    assert article.image == "https://courrier.example.fr/img/velo.jpg"
    assert [s.heading for s in article.sections] == [None, "Des aides qui changent tout"]
    paragraphs = article.paragraphs
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("Dans les villages du Limousin")
    assert paragraphs[1].startswith("« Je fais mes 12 km")
    assert paragraphs[2].startswith("Depuis le 1er janvier")
    assert paragraphs[3].endswith("parfois trois mois.")
    everything = " ".join(paragraphs)
    for boilerplate in (
        "Politique",
        "S’abonner",
        "Rechercher",
        "cookies",
        "Publicité",
        "dataLayer",
        "font-family",
        "À lire aussi",
        "Creuse",
        "droits réservés",
        "Mentions légales",
        "Le Courrier du Matin",
    ):
        assert boilerplate not in everything


def test_html_wrapper_with_a_boilerplate_name_keeps_the_article(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        '<html><body><div class="layout has-sidebar"><h1>Titre</h1><p>'
        + "Un texte assez long. " * 20
        + '</p><div class="ad-slot">Achetez maintenant !</div></div></body></html>',
        encoding="utf-8",
    )
    article = read_article(path)
    assert article.title == "Titre"
    assert article.paragraphs == [("Un texte assez long. " * 20).strip()]


def test_html_line_breaks_separate_words(tmp_path):
    path = tmp_path / "court.html"
    path.write_text("<html><body><h1>T</h1><p>Première ligne<br>seconde ligne.</p></body></html>", encoding="utf-8")
    assert read_article(path).paragraphs == ["Première ligne seconde ligne."]


@pytest.mark.parametrize(
    "body,paragraphs",
    [
        # A page of bare divs: each block is a paragraph, never "SportLe vélo".
        (
            "<div><div>Sport</div><div>Le vélo séduit les campagnes.</div><div>Les ventes doublent.</div></div>",
            ["Sport", "Le vélo séduit les campagnes.", "Les ventes doublent."],
        ),
        ("<section><div>Un</div><section>Deux</section></section><article>Trois</article>", ["Un", "Deux", "Trois"]),
        # Blocks inside a paragraph-like block are words apart; inline markup joins as a browser shows it.
        (
            "<ul><li><div>Premier point</div><div>second point</div></li></ul>"
            "<p>Un <b>gras</b>mot, <span>un</span><span>ique</span>.</p>",
            ["Premier point second point", "Un grasmot, unique."],
        ),
        (
            "<table><tr><td><div>Paris</div><div>12 °C</div></td></tr></table>",
            ["Paris 12 °C"],
        ),
    ],
)
def test_html_blocks_are_never_glued_into_one_word(tmp_path, body, paragraphs):
    path = tmp_path / "blocs.html"
    path.write_text(f"<html><head><title>T</title></head><body>{body}</body></html>", encoding="utf-8")
    assert read_article(path).paragraphs == paragraphs


@pytest.mark.parametrize("marks", ['class="site-menu"', 'id="navigation"', 'class="navbar"', 'class="page-footer"'])
def test_html_menus_and_footers_named_by_class_are_not_read(tmp_path, marks):
    path = tmp_path / "menu.html"
    path.write_text(
        f"<html><body><div {marks}><a href='/'>Accueil</a> <a href='/s'>Sport</a></div>"
        "<h1>Titre</h1><div>Le vélo séduit les campagnes.</div></body></html>",
        encoding="utf-8",
    )
    assert read_article(path).paragraphs == ["Le vélo séduit les campagnes."]


def test_markdown_sections_and_spoken_text():
    article = read_article(DATA / "article.md")
    assert article.title == "Les abeilles reviennent en ville"
    assert [s.heading for s in article.sections] == [None, "Un miel au goût de tilleul", "Trop de ruches ?"]
    text = "\n".join(article.paragraphs)
    assert "plus de 700 à Paris, selon l’Observatoire français d’apidologie et la mairie." in text
    assert "Une ruche sur un toit de Paris" in text  # image alt text
    assert "Installer la ruche au calme. Prévoir un point d'eau. Déclarer la ruche en mairie." in text
    assert "Paris, 700. Lyon, 300." in text
    assert "(voir abeilles.csv)" in text
    for unsaid in (
        "**",
        "](",
        "http",
        "ruches =",
        "print",
        "code indenté",
        "Note de la rédaction",
        "meilleur",
        "<!--",
        "|",
    ):
        assert unsaid not in text


def test_front_matter_in_markdown_and_text(tmp_path):
    head = "---\ntitle: Le titre\nauthor: Ana\ndate: 2026-01-02\ndescription: Court.\nimage: cover.jpg\n---\n"
    for name, body in (("a.md", "# Autre titre\n\nTexte du corps.\n"), ("a.txt", "Texte du corps.\n")):
        path = tmp_path / name
        path.write_text(head + body, encoding="utf-8")
        article = read_article(path)
        assert (article.title, article.author, article.date, article.description, article.image) == (
            "Le titre",
            "Ana",
            date(2026, 1, 2),
            "Court.",
            "cover.jpg",
        )
        assert article.paragraphs == ["Texte du corps."]


def test_plain_text_headings_and_wrapped_lines(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text(
        "Mon titre\n\nUne phrase coupée\nen deux lignes.\nUne autre ligne.\n\nUne partie\n\nSon texte.\n",
        encoding="utf-8",
    )
    article = read_article(path)
    assert article.title == "Mon titre"
    assert [(s.heading, s.paragraphs) for s in article.sections] == [
        (None, ["Une phrase coupée en deux lignes.", "Une autre ligne."]),
        ("Une partie", ["Son texte."]),
    ]


@pytest.mark.parametrize(
    "name, content, option, expected",
    [
        ("a.md", "---\ntitle: Front\n---\n# H1\n\nTexte.\n", "Option", "Option"),
        ("a.md", "---\ntitle: Front\n---\n# H1\n\nTexte.\n", None, "Front"),
        ("a.md", "# H1\n\nTexte.\n", None, "H1"),
        ("a.html", "<html><head><title>Titre HTML</title></head><body><p>Texte.</p></body></html>", None, "Titre HTML"),
        ("a.html", "<html><body><h1>Titre H1</h1><p>Texte.</p></body></html>", None, "Titre H1"),
        ("a.txt", "Première ligne courte\nTexte qui suit.\n", None, "Première ligne courte"),
        ("mon-article_2.txt", "Une seule phrase qui se termine par un point.\nEt une autre.\n", None, "Mon article 2"),
        ("a.md", "Texte sans titre.\n", None, "A"),
    ],
)
def test_title_precedence(tmp_path, name, content, option, expected):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert read_article(path, title=option).title == expected


def test_short_first_line_stays_text_when_a_better_title_exists(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Bonjour à tous\nVoici la suite.\n", encoding="utf-8")
    assert read_article(path).title == "Bonjour à tous"
    assert read_article(path).paragraphs == ["Voici la suite."]
    assert read_article(path, title="Autre").paragraphs == ["Bonjour à tous", "Voici la suite."]


def test_stdin(runner):
    result = runner.invoke(cli, ["script", "-"], input="# Titre\n\nBonjour M. Dupont.\n")
    assert result.exit_code == 0
    assert result.output == "# Titre\n\nBonjour Monsieur Dupont.\n"  # the title is read first
    result = runner.invoke(cli, ["script", "--json", "-"], input="<html><body><h1>T</h1><p>Salut.</p></body></html>")
    assert [c["text"] for c in json.loads(result.output)["chunks"]] == ["T", "Salut."]


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"", "nothing to read"),
        (b"  \n\t\r\n  ", "nothing to read"),
        ("\ufeff \n".encode("utf-8"), "nothing to read"),
        (bytes(range(256)) * 4, "not text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not text"),
        (b"\xff\xfe\x00\xd8a\x00", "undecodable"),  # UTF-16 with a lone surrogate
        (b"\xef\xbb\xbfCaf\xe9 cr\xe8me", "undecodable"),  # a UTF-8 BOM, then Latin-1 bytes
        (b"---\ntitle: [oops\n---\nTexte.\n", "front matter"),
        (b"<html><body><script>x()</script></body></html>", "nothing to read"),
    ],
)
def test_bad_input_is_one_line_naming_the_file(runner, tmp_path, content, problem):
    path = tmp_path / "mauvais.txt"
    if b"<html>" in content:
        path = tmp_path / "mauvais.html"
    path.write_bytes(content)
    with pytest.raises(InputError):
        read_article(path)
    result = runner.invoke(cli, ["script", str(path)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert path.name in lines[0] and problem in lines[0]
    assert result.output == ""


def test_missing_file_and_directory(runner, tmp_path):
    for target, problem in ((tmp_path / "absent.txt", "no such file"), (tmp_path, "directory")):
        result = runner.invoke(cli, ["script", str(target)])
        assert result.exit_code == 1 and problem in result.stderr and str(target) in result.stderr


# ---------------------------------------------------------------- properties


def _front_end(path: Path) -> None:
    try:
        article = read_article(path)
    except InputError:
        return
    build_script(article, max_chars=100)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(), suffix=st.sampled_from([".txt", ".md", ".html", ""]))
def test_front_end_only_raises_input_error_on_any_text(tmp_path, text, suffix):
    path = tmp_path / f"any{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _front_end(path)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_front_end_only_raises_input_error_on_any_bytes(tmp_path, data, suffix):
    path = tmp_path / f"any{suffix}"
    path.write_bytes(data)
    _front_end(path)


markup = st.sampled_from(
    [
        "# ",
        "## ",
        "---\n",
        "title: x\n",
        "```\n",
        "<!-- ",
        " -->",
        "<p>",
        "</p>",
        "<script>",
        "*",
        "_",
        "[a](b)",
        "![i](j)",
        "\n",
        "\n\n",
        "- ",
        "| a | b |\n",
        "> ",
        "\ufeff",
        "\r\n",
        "Texte. ",
        "M. ",
        "12 %",
        "«",
        "»",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(markup, max_size=25), suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_front_end_on_markup_soup(tmp_path, parts, suffix):
    path = tmp_path / f"soup{suffix}"
    path.write_text("".join(parts), encoding="utf-8")
    _front_end(path)


def test_seed_reads_with_its_front_matter():
    article = read_article(SEED)
    assert article.title == "OpenAI ouvre ses modèles : l'open source à la sauce maison"
    assert article.author == "La rédaction" and article.date == date(2025, 4, 1)
    assert len(article.paragraphs) == 9


# --- Issue 14: limits, YAML aliases, control characters -------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("mot " * 100, ("mot " * 50).strip() + "…"),  # cut at a word
        ("x" * 300, "x" * 199 + "…"),  # no word to cut at
        ("Court", "Court"),
    ],
)
def test_titles_are_kept_up_to_the_limit(tmp_path, title, expected):
    from podcast.text.article import MAX_TITLE

    path = tmp_path / "a.txt"
    path.write_text("Un paragraphe de texte.\n", "utf-8")
    got = read_article(path, title=title).title
    assert got == expected and len(got) <= MAX_TITLE


def test_author_and_description_are_capped_too(tmp_path):
    from podcast.text.article import MAX_AUTHOR, MAX_DESCRIPTION

    path = tmp_path / "a.md"
    path.write_text(f"---\nauthor: {'a' * 5000}\ndescription: {'mot ' * 3000}\n---\n\nTexte.\n", "utf-8")
    article = read_article(path)
    assert len(article.author) <= MAX_AUTHOR and len(article.description) <= MAX_DESCRIPTION
    assert article.description.endswith("mot…")


@pytest.mark.parametrize(
    "yaml",
    ["x: &x Bonjour\ntitle: *x", "base: &b {a: 1}\nautre:\n  <<: *b", "t: &t [1]\ntags: [*t, *t]"],
)
def test_any_yaml_alias_is_refused(tmp_path, yaml):
    path = tmp_path / "a.md"
    path.write_text(f"---\n{yaml}\n---\n\nTexte.\n", "utf-8")
    with pytest.raises(InputError, match="alias"):
        read_article(path)


def test_anchors_without_aliases_and_list_keys_are_fine(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: &t Le titre\ntags: [a, b]\n---\n\nTexte.\n", "utf-8")
    article = read_article(path)
    assert article.title == "Le titre" and article.meta["tags"] == ["a", "b"]


def test_control_characters_are_stripped_from_what_is_shown_or_stored(tmp_path):
    hostile = "\x1b[31mRouge\x9b2J\u202eexe\u2066\x07"
    path = tmp_path / "a.md"
    text = f'---\nauthor: "Ana\\e[8m\\x9b"\ndescription: "Desc\\u202e"\n---\n\n# {hostile}\n\nTexte {hostile}.\n'
    path.write_text(text, "utf-8")
    article = read_article(path)
    for value in (article.title, article.author, article.description, *article.paragraphs):
        assert not any(ch in value for ch in "\x1b\x9b\u202e\u2066\x07"), repr(value)
    # Escape sequences go whole (their parameters are not words), lone controls one by one.
    assert article.title == "Rougeexe" and article.author == "Ana"
    assert read_article(path, title="\x1b]0;pwn\x07Titre\x9b").title == "Titre"
