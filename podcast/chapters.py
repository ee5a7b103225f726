"""Chapters from the measured chunk times: one per section, or one per paragraph without headings."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .episode import Episode

CHAPTERS_VERSION = "1.2.0"
"""Podcasting 2.0 JSON chapters format version written."""
TITLE_WORDS = 8
OPENING_TITLE = "Introduction"
"""Title of the untitled opening of an article that has headings later."""


@dataclass(frozen=True)
class Chapter:
    """A titled stretch of the episode (seconds)."""

    title: str
    start: float
    end: float


def episode_chapters(episode: "Episode") -> list[Chapter]:
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
    chapters = []
    for index, (_, title, start) in enumerate(groups):
        start = 0.0 if index == 0 else start
        end = groups[index + 1][2] if index + 1 < len(groups) else episode.duration
        chapters.append(Chapter(" ".join(title.split()), round(start, 3), round(max(start, end), 3)))
    return chapters


def short_title(text: str, words: int = TITLE_WORDS) -> str:
    """The first words of a paragraph, as a chapter title."""
    parts = text.split()
    title = " ".join(parts[:words]).strip(" ,;:«»\"")
    return f"{title}…" if len(parts) > words else title


def chapters_json(episode: "Episode", chapters: list[Chapter]) -> str:
    """The Podcasting 2.0 JSON chapters document (application/json+chapters)."""
    document = {
        "version": CHAPTERS_VERSION,
        "title": episode.title,
        "podcastName": episode.show,
        "author": episode.author,
        "chapters": [{"startTime": c.start, "endTime": c.end, "title": c.title} for c in chapters],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
