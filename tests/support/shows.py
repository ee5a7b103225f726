"""Build small published shows for the feed/page/tag tests: Articles rendered for real with espeak."""

from __future__ import annotations

from pathlib import Path

from podcast.api import RenderOptions, prepare, render_job
from podcast.show.settings import Show
from podcast.show.site import write_site
from podcast.types import Article, Section

BASE_URL = "https://example.org/mon-podcast/"
HOSTILE = "</title><script>alert(\"x\")</script> & 'quotes' ../../x \x00fin"

SECTIONED = Article(
    title="Chapitres & sections",
    source="sectioned.md",
    author="Jeanne Testeuse",
    description="Un article court avec des intertitres.",
    sections=[
        Section(None, ["Voici une courte introduction."]),
        Section("Première partie", ["Le premier paragraphe parle de chats.", "Un second paragraphe suit."]),
        Section("Deuxième partie", ["Ici on parle de chiens, brièvement."]),
        Section("Troisième partie", ["Et pour finir, quelques mots sur les oiseaux."]),
    ],
)
SECTION_TITLES = ["Introduction", "Première partie", "Deuxième partie", "Troisième partie"]

# No headings: chapters of whole paragraphs. Hostile text everywhere it can reach.
HOSTILE_ARTICLE = Article(
    title=HOSTILE,
    source="hostile.txt",
    description=HOSTILE + " <b>gras</b>",
    sections=[Section(None, ["Premier paragraphe & <i>balise</i>.", "Deuxième paragraphe, court."])],
)


def show(**changes) -> Show:
    base = dict(
        title="Émission d'essai & <co>",
        author="Jeanne Testeuse",
        email="jeanne@example.org",
        base_url=BASE_URL,
        category="Tech News",
    )
    base.update(changes)
    return Show(**base)


def render_articles(folder: Path, articles: list[Article], the_show: Show, cache: Path | None = None) -> None:
    """Render `articles` into `folder` with espeak, then rebuild feed.xml and index.html."""
    options = RenderOptions(output_dir=folder, engine="espeak", show=the_show, cache_dir=cache, jobs=2)
    with prepare(articles, options) as preparation:
        for job in preparation.jobs:
            render_job(job, preparation.engine)
    write_site(folder, the_show)
