"""The finished episode and the files beside its MP3: the manifest (and later transcripts, chapters)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .files import write_text

MANIFEST_VERSION = 1


@dataclass
class Chunk:
    """One spoken chunk and where it sits in the MP3 (seconds)."""

    text: str
    section: int
    paragraph: int
    start: float
    end: float
    is_heading: bool = False


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
    chunks: list[Chunk] = field(default_factory=list)
    stats: dict = field(default_factory=dict)

    def manifest_path(self, folder: Path) -> Path:
        return Path(folder) / f"{self.slug}.json"

    def to_json(self) -> str:
        return json.dumps({"manifest_version": MANIFEST_VERSION, **asdict(self)}, ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str) -> "Episode":
        data = json.loads(text)
        data.pop("manifest_version", None)
        data["chunks"] = [Chunk(**c) for c in data.get("chunks", [])]
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})


def file_digest(path: Path) -> tuple[int, str]:
    """(byte size, sha256 hex) read in blocks."""
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
            size += len(block)
    return size, h.hexdigest()


def write_sidecars(episode: Episode, folder: Path) -> list[Path]:
    """Write the manifest (last, so a manifest always points at complete files)."""
    path = episode.manifest_path(folder)
    write_text(path, episode.to_json() + "\n")
    return [path]
