"""The value types every stage shares: article, section, chunk, script, clip, episode.

One name per thing: a `Chunk` is the spoken unit (one engine call), its audio is a `Clip`,
and a `TimedChunk` is a chunk placed in the finished MP3. This module imports nothing of ours,
so any stage can use it without an import circle.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

MANIFEST_VERSION = 1


@dataclass
class Section:
    """A run of paragraphs under one heading (None for the article's untitled opening)."""

    heading: str | None
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Article:
    """What was read: the metadata and the text, before any spoken-form rewriting."""

    title: str
    sections: list[Section]
    source: str
    author: str | None = None
    date: date | None = None
    description: str | None = None
    image: str | None = None
    meta: dict = field(default_factory=dict)

    @property
    def paragraphs(self) -> list[str]:
        return [p for s in self.sections for p in s.paragraphs]


@dataclass(frozen=True)
class Chunk:
    """The spoken unit: what an engine is asked to say in one call, and where it sits."""

    text: str
    section: int
    paragraph: int
    pause_after: float
    is_heading: bool = False
    written: str = ""
    """The article's own text of the whole sentences that start in this chunk; "" when the chunk
    goes on with a sentence an earlier chunk started. Transcripts show one cue per non-empty
    `written`, from its chunk's start to the end of the last chunk before the next one."""


@dataclass
class Script:
    """Everything that will be spoken, in order."""

    title: str
    chunks: list[Chunk]
    section_titles: list[str | None] = field(default_factory=list)


@dataclass(frozen=True)
class Clip:
    """The audio of one chunk as an engine produced it; carries its own format (as piper does)."""

    data: bytes
    format: str
    """'pcm' (signed little-endian) or a container pydub/ffmpeg can decode: 'mp3', 'wav'."""
    sample_rate: int = 0
    sample_width: int = 2
    channels: int = 1


@dataclass
class TimedChunk:
    """A spoken chunk as the manifest keeps it: its text and where it sits in the MP3 (seconds)."""

    text: str
    section: int
    paragraph: int
    start: float
    end: float
    is_heading: bool = False
    written: str | None = None
    """The article's text (see `Chunk.written`): "" continues the previous chunk's
    sentence; None (manifests from before it existed) means show `text`."""


@dataclass
class Episode:
    """Everything known about one rendered episode; the manifest is its JSON form."""

    slug: str
    title: str
    mp3: str
    """File name of the MP3, relative to the manifest's folder."""
    duration: float
    size: int
    sha256: str
    engine: str
    voice: str
    date: str
    author: str
    show: str
    description: str = ""
    source: str = ""
    language: str = "fr"
    sections: list[str | None] = field(default_factory=list)
    chunks: list[TimedChunk] = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    guid: str = ""
    """Feed item guid; kept from the previous manifest so apps never see a re-render as new."""
    number: int = 0
    """itunes:episode; kept across re-renders, next free number for a new episode."""
    cover: str = ""
    """File name of the episode's cover image, beside the MP3."""

    def manifest_path(self, folder: Path) -> Path:
        return Path(folder) / f"{self.slug}.json"

    @property
    def vtt(self) -> str:
        return f"{self.slug}.vtt"

    @property
    def srt(self) -> str:
        return f"{self.slug}.srt"

    @property
    def chapters_file(self) -> str:
        return f"{self.slug}.chapters.json"

    def to_json(self) -> str:
        return json.dumps({"manifest_version": MANIFEST_VERSION, **asdict(self)}, ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str) -> Episode:
        data = json.loads(text)
        data.pop("manifest_version", None)
        data["chunks"] = [TimedChunk(**c) for c in data.get("chunks", [])]
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})
