"""Slugs (issue 14, item 6): different articles never share a file name, and a re-render keeps its own.

Real renders (espeak) of in-memory articles; the folder is read back through the manifests.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from podcast.episode.manifest import load_episodes
from podcast.files import slugify
from podcast.types import Article, Section
from tests.support.shows import render_articles, show


def _article(title: str, source: str, words: str = "Un paragraphe très court.") -> Article:
    return Article(title=title, source=source, sections=[Section(None, [words])])


def _episodes(folder: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text("utf-8")) for p in folder.glob("*.json") if "." not in p.stem}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


LONG = "Une histoire de la ville de Besançon racontée par ceux qui y vivent depuis toujours et pour longtemps "
COLLIDING = [
    # punctuation only: one slug
    ("L'été, enfin !", "L'été enfin ?"),
    # the same first 80 characters
    (LONG + "partie un", LONG + "partie deux"),
    # no letter a slug can spell
    ("🎉🎉", "🚀"),
    # nothing but case
    ("Le Vélo", "LE VELO"),
]


@pytest.mark.slow
@pytest.mark.parametrize("first_title, second_title", COLLIDING)
def test_different_titles_sharing_a_slug_get_their_own_episodes(tmp_path, first_title, second_title):
    first, second = _article(first_title, "premier.txt"), _article(second_title, "second.txt", "Un autre texte.")
    render_articles(tmp_path, [first], show())
    [(first_slug, first_manifest)] = _episodes(tmp_path).items()
    first_mp3 = _digest(tmp_path / f"{first_slug}.mp3")

    render_articles(tmp_path, [second], show())
    episodes = _episodes(tmp_path)
    assert len(episodes) == 2, sorted(episodes)
    assert episodes[first_slug] == first_manifest  # untouched: not overwritten, guid and number its own
    assert _digest(tmp_path / f"{first_slug}.mp3") == first_mp3
    [second_slug] = set(episodes) - {first_slug}
    second_manifest = episodes[second_slug]
    assert second_manifest["title"] == second_title
    assert second_manifest["guid"] != first_manifest["guid"]
    assert {first_manifest["number"], second_manifest["number"]} == {1, 2}
    for slug in episodes:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) and len(slug) <= 80

    # Re-rendering either replaces its own episode, with its guid and number.
    render_articles(tmp_path, [second, first], show())
    again = _episodes(tmp_path)
    assert sorted(again) == sorted(episodes)
    for slug in episodes:
        assert (again[slug]["guid"], again[slug]["number"], again[slug]["title"]) == (
            episodes[slug]["guid"],
            episodes[slug]["number"],
            episodes[slug]["title"],
        )
    assert len(load_episodes(tmp_path)) == 2


def test_same_source_with_an_edited_title_replaces_its_episode(tmp_path):
    """ "Le vélo en ville" edited to "Le vélo, en ville" in the same file: one slug, one episode."""
    render_articles(tmp_path, [_article("Le vélo en ville", "velo.md")], show())
    before = _episodes(tmp_path)["le-velo-en-ville"]
    render_articles(tmp_path, [_article("Le vélo, en ville", "velo.md", "Texte revu.")], show())
    after = _episodes(tmp_path)
    assert list(after) == ["le-velo-en-ville"]
    assert after["le-velo-en-ville"]["title"] == "Le vélo, en ville"
    assert (after["le-velo-en-ville"]["guid"], after["le-velo-en-ville"]["number"]) == (before["guid"], 1)


NON_LATIN = {
    "Путин и Макрон": "putin-i-makron",
    "Ελληνικά νέα": "ellinika-nea",
    "北京欢迎你": "bei-jing-huan-ying-ni",
    "Ёлка в Москве": "elka-v-moskve",
}


@pytest.mark.parametrize("title, slug", NON_LATIN.items())
def test_non_latin_titles_are_spelled_in_latin_letters(title, slug):
    assert slugify(title) == slug


@pytest.mark.slow
def test_non_latin_titles_do_not_all_become_episode(tmp_path):
    titles = [*NON_LATIN, "مرحبا بالعالم", "שלום עולם", "東京オリンピック", "서울 여행", "🎉", "🚀"]
    render_articles(tmp_path, [_article(t, f"{i}.txt") for i, t in enumerate(titles)], show())
    episodes = _episodes(tmp_path)
    assert len(episodes) == len(titles)
    assert "episode" not in episodes
    assert sorted(e["title"] for e in episodes.values()) == sorted(titles)


def _old_slugify(title: str) -> str:
    """The slug rule published episodes were named by (Latin titles must keep their file names)."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80].rstrip("-")


def _folds(char: str) -> bool:
    """ASCII once NFKD has taken accents off, or not a letter or digit (dropped, as always)."""
    return all(
        c.isascii() or unicodedata.category(c)[0] not in "LN" or unicodedata.category(c) == "Lm"
        for c in unicodedata.normalize("NFKD", char)
    )


# Latin letters NFKD folds (é, ç, ñ...), ASCII, and what is dropped (punctuation, symbols, emoji).
FOLDABLE = st.characters(codec="utf-8", exclude_categories=("Cs",)).filter(_folds)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.text(FOLDABLE, max_size=120))
def test_titles_slugs_always_named_keep_their_slug(title):
    old = _old_slugify(title)
    if old and old not in {"con", "prn", "aux", "nul"} and not re.fullmatch(r"(com|lpt)\d", old):
        assert slugify(title) == old


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_every_slug_is_a_safe_file_name(title):
    slug = slugify(title)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), slug
    assert len(slug) <= 80
    assert slugify(title) == slug  # stable: a re-render finds its episode
