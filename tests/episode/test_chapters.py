"""Chapters without headings: paragraphs grouped into navigable chapters, however long the article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from podcast.cli import cli
from podcast.episode.chapters import (
    MAX_CHAPTERS,
    MIN_CHAPTER_SECONDS,
    episode_chapters,
    min_chapter_seconds,
    short_title,
)
from podcast.types import Episode, TimedChunk
from tests.support.shows import SECTION_TITLES, render_articles, show

PAUSE = 0.5


def episode(
    paragraph_seconds: list[float], *, chunks_per_paragraph: int = 1, sections: list[str | None] | None = None
) -> Episode:
    """An episode of back-to-back paragraphs lasting the given seconds each (pause included)."""
    chunks, t = [], 0.0
    for index, seconds in enumerate(paragraph_seconds):
        part = (seconds - PAUSE) / chunks_per_paragraph
        for n in range(chunks_per_paragraph):
            written = f"Paragraphe {index} morceau {n} : un, deux, trois, quatre, cinq, six."
            section = index if sections else 0
            chunks.append(
                TimedChunk(
                    text=written.replace(":", "deux-points"),
                    section=section,
                    paragraph=0 if sections else index,
                    start=round(t, 3),
                    end=round(t + part, 3),
                    written=written,
                )
            )
            t += part
        t += PAUSE
    return Episode(
        slug="test",
        title="Test",
        mp3="test.mp3",
        duration=round(t, 3),
        size=0,
        sha256="",
        engine="espeak",
        voice="fr",
        date="2025-01-01",
        author="",
        show="",
        sections=sections or [None],
        chunks=chunks,
    )


def check_contiguous(chapters, duration: float) -> None:
    assert chapters[0].start == 0
    assert all(a.end == b.start for a, b in zip(chapters, chapters[1:]))
    assert chapters[-1].end == duration


def paragraph_starts(ep: Episode) -> dict[float, str]:
    """Start time of each paragraph -> the title its chapter would get."""
    firsts = {}
    for chunk in ep.chunks:
        firsts.setdefault((chunk.section, chunk.paragraph), chunk)
    return {c.start: short_title(c.written) for c in firsts.values()}


def test_ten_hour_book_of_short_paragraphs_gets_a_navigable_list():
    ep = episode([6.0] * 6000)  # 10 hours, 6000 paragraphs
    assert ep.duration == 36000
    chapters = episode_chapters(ep)
    assert 40 <= len(chapters) <= MAX_CHAPTERS
    assert min(c.end - c.start for c in chapters) >= ep.duration / MAX_CHAPTERS  # 12 minutes
    check_contiguous(chapters, ep.duration)
    starts = paragraph_starts(ep)
    assert [c.title for c in chapters] == [starts[c.start] for c in chapters]  # each opens on a paragraph


@pytest.mark.parametrize("seconds", [[7.0] * 40, [3.0, 45.0, 2.0, 2.0, 31.0, 12.0] * 20, [29.9] * 30, [1.0] * 200])
def test_short_paragraphs_are_grouped_to_the_minimum(seconds):
    ep = episode(seconds, chunks_per_paragraph=2)
    chapters = episode_chapters(ep)
    shortest = min_chapter_seconds(ep.duration)  # 30 s, or duration / 50 beyond 25 minutes
    assert 1 < len(chapters) < len(seconds)
    assert min(c.end - c.start for c in chapters) >= shortest
    check_contiguous(chapters, ep.duration)
    starts = paragraph_starts(ep)
    assert chapters[0].title == starts[0.0] == "Paragraphe 0 morceau 0 : un, deux, trois…"
    assert all(c.title == starts[c.start] for c in chapters)
    # Greedy: a chapter closes at the first paragraph start once it has lasted the minimum.
    bounds = sorted(starts)
    for chapter in chapters[:-1]:
        inside = [s for s in bounds if chapter.start < s < chapter.end]
        assert all(s - chapter.start < shortest for s in inside)


def test_paragraphs_long_enough_keep_one_chapter_each():
    ep = episode([31.0, 45.0, 30.5, 60.0, 33.0], chunks_per_paragraph=3)
    chapters = episode_chapters(ep)
    assert [c.title for c in chapters] == [f"Paragraphe {i} morceau 0 : un, deux, trois…" for i in range(5)]
    assert [round(c.end - c.start, 3) for c in chapters] == [31.0, 45.0, 30.5, 60.0, 33.0]
    check_contiguous(chapters, ep.duration)


def test_short_ending_joins_the_last_chapter():
    ep = episode([40.0, 40.0, 5.0])  # e.g. a closing "Source : ..." line
    chapters = episode_chapters(ep)
    assert [(c.start, c.end) for c in chapters] == [(0.0, 40.0), (40.0, 85.0)]


def test_episode_shorter_than_the_minimum_is_one_chapter():
    ep = episode([5.0, 6.0, 7.0])
    chapters = episode_chapters(ep)
    assert [(c.title, c.start, c.end) for c in chapters] == [("Paragraphe 0 morceau 0 : un, deux, trois…", 0.0, 18.0)]


def test_headings_still_make_one_chapter_each_however_short():
    ep = episode([5.0, 6.0, 7.0], sections=["Un", "Deux", "Trois"])
    assert [(c.title, c.start, c.end) for c in episode_chapters(ep)] == [
        ("Un", 0.0, 5.0),
        ("Deux", 5.0, 11.0),
        ("Trois", 11.0, 18.0),
    ]


@pytest.mark.slow
def test_headingless_article_renders_grouped_chapters_end_to_end(tmp_path, runner):
    sentences = ["Le chat dort au soleil.", "La pluie tombe sur Lyon.", "Un train part à midi.", "Le café est chaud."]
    paragraphs = [f"Paragraphe numéro {i + 1}. {sentences[i % 4]}" for i in range(40)]
    article = tmp_path / "sans-titres.txt"
    article.write_text("\n\n".join(paragraphs) + "\n", "utf-8")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["-q", "render", str(article), "-o", str(out), "--engine", "espeak"])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "sans-titres.json").read_text("utf-8"))
    chapters = json.loads((out / "sans-titres.chapters.json").read_text("utf-8"))["chapters"]
    paragraph_firsts = {}
    for chunk in manifest["chunks"]:
        paragraph_firsts.setdefault((chunk["section"], chunk["paragraph"]), chunk)
    title = paragraph_firsts.pop((0, -2))  # the title, read first (from the file name here)
    assert title["text"] == "Sans titres" and title["start"] == 0
    assert len(paragraph_firsts) == 40 and manifest["duration"] > 2 * MIN_CHAPTER_SECONDS
    assert 1 < len(chapters) < 40
    lengths = [c["endTime"] - c["startTime"] for c in chapters]
    assert min(lengths) >= MIN_CHAPTER_SECONDS
    assert chapters[0]["startTime"] == 0 and chapters[-1]["endTime"] == round(manifest["duration"], 3)
    assert all(a["endTime"] == b["startTime"] for a, b in zip(chapters, chapters[1:]))
    opening = {round(c["start"], 3): c["written"] for c in paragraph_firsts.values()}
    assert [c["title"] for c in chapters[1:]] == [short_title(opening[c["startTime"]]) for c in chapters[1:]]
    assert chapters[0]["title"] == "Sans titres"  # the opening chapter is named by the title read there


# --- the chapters sidecar (NAME.chapters.json) and chapter titles ----------------------------

SLUG = "chapitres-sections"
WRITTEN = "OpenAI a publié GPT-2 en 2019 pour 3,50 € avec M. Dupont."


def _manifest(folder: Path, slug: str = SLUG) -> dict:
    return json.loads((folder / f"{slug}.json").read_text("utf-8"))


def test_chapter_titles_from_paragraphs_are_written(tmp_path):
    from podcast.types import Article, Section

    article = Article(
        title="Le 1er mai 2019", source="x.txt", sections=[Section(None, [WRITTEN, "Le 1er mai 2019, à 14h30."])]
    )
    render_articles(tmp_path, [article], show())
    chapters = json.loads(next(tmp_path.glob("*.chapters.json")).read_text("utf-8"))["chapters"]
    # The title (read first) and both paragraphs are far shorter than a chapter's minimum: one
    # chapter, named by what opens it, as written.
    assert [c["title"] for c in chapters] == ["Le 1er mai 2019"]


def test_chapters_json_is_podcasting20_format(published):
    document = json.loads((published / f"{SLUG}.chapters.json").read_text("utf-8"))
    assert document["version"] == "1.2.0"
    chapters = document["chapters"]
    assert [c["title"] for c in chapters] == SECTION_TITLES
    starts = [c["startTime"] for c in chapters]
    assert starts[0] == 0 and starts == sorted(set(starts))
    assert chapters[-1]["endTime"] <= _manifest(published)["duration"]


def test_short_chapter_title():
    assert short_title("Un deux trois quatre cinq six sept huit neuf dix") == "Un deux trois quatre cinq six sept huit…"
    assert short_title("« Court. »") == "Court."
