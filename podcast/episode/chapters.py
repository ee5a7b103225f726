"""Chapters from the measured chunk times: one per section, or groups of paragraphs without headings.

Without headings, consecutive paragraphs are grouped so that every chapter lasts at least
`min_chapter_seconds(duration)` = max(MIN_CHAPTER_SECONDS, duration / MAX_CHAPTERS):
- 30 s floor: a chapter shorter than one press of a player's skip-forward button (30 s in
  most apps) is no help for finding one's way, and a list of them is noise;
- at most 50 chapters: a 10-hour book gets one about every 12 minutes, a list that fits a
  few screens of a podcast app (and one ID3 table of contents).
A new chapter opens at the first paragraph that starts once the current one has lasted the
minimum; a shorter remainder at the end joins the last chapter. So every chapter reaches the
minimum unless the whole episode is shorter, and an article whose paragraphs already last
30 s each keeps one chapter per paragraph. A chapter's title is the first words of its first
paragraph.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..types import Episode

CHAPTERS_VERSION = "1.2.0"
"""Podcasting 2.0 JSON chapters format version written."""
TITLE_WORDS = 8
OPENING_TITLE = "Introduction"
"""Title of the untitled opening of an article that has headings later."""
MIN_CHAPTER_SECONDS = 30.0
MAX_CHAPTERS = 50
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Chapter:
    """A titled stretch of the episode (seconds)."""

    title: str
    start: float
    end: float


def min_chapter_seconds(duration: float) -> float:
    """Shortest chapter made from paragraphs of an episode of `duration` seconds (see module doc)."""
    return max(MIN_CHAPTER_SECONDS, duration / MAX_CHAPTERS)


def episode_chapters(episode: Episode) -> list[Chapter]:
    """Chapters timed from the chunks' real offsets; the first starts at 0, the last ends at the end."""
    by_section = any(episode.sections)
    groups: list[tuple[tuple[int, int], str, float]] = []
    for chunk in episode.chunks:
        key = (chunk.section, 0) if by_section else (chunk.section, chunk.paragraph)
        if groups and groups[-1][0] == key:
            continue
        if by_section:
            heading = episode.sections[chunk.section] if chunk.section < len(episode.sections) else None
            title = heading or (OPENING_TITLE if not groups else f"Partie {len(groups) + 1}")
        else:
            title = short_title(chunk.written or chunk.text)
        groups.append((key, title, chunk.start))
    starts = [(title, 0.0 if index == 0 else start) for index, (_, title, start) in enumerate(groups)]
    if not by_section:
        starts = _grouped(starts, episode.duration)
    chapters = []
    for index, (title, start) in enumerate(starts):
        end = starts[index + 1][1] if index + 1 < len(starts) else episode.duration
        title = " ".join(_CONTROL.sub(" ", title).split())  # no NUL or escape sequence in tags, JSON, feed
        chapters.append(Chapter(title, round(start, 3), round(max(start, end), 3)))
    return chapters


def _grouped(paragraphs: list[tuple[str, float]], duration: float) -> list[tuple[str, float]]:
    """Keep only the paragraph starts that open a chapter of at least the minimum length."""
    shortest = min_chapter_seconds(duration)
    kept: list[tuple[str, float]] = []
    for title, start in paragraphs:
        if not kept or start - kept[-1][1] >= shortest:
            kept.append((title, start))
    if len(kept) > 1 and duration - kept[-1][1] < shortest:
        kept.pop()  # a short remainder joins the chapter before it
    return kept


def short_title(text: str, words: int = TITLE_WORDS) -> str:
    """The first words of a paragraph, as a chapter title."""
    parts = text.split()
    title = " ".join(parts[:words]).strip(' ,;:«»"')
    return f"{title}…" if len(parts) > words else title


def chapters_json(episode: Episode, chapters: list[Chapter]) -> str:
    """The Podcasting 2.0 JSON chapters document (application/json+chapters)."""
    document = {
        "version": CHAPTERS_VERSION,
        "title": episode.title,
        "podcastName": episode.show,
        "author": episode.author,
        "chapters": [{"startTime": c.start, "endTime": c.end, "title": c.title} for c in chapters],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
