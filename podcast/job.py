"""What a driver hands on: `RenderOptions` (what a render may be told) and `Job` (one article made
ready to speak by the front door, `api.prepare`), with the JSON that carries a job to a queue worker.

The JSON codec is driven by the dataclasses' own field types, so a field added to the options is
carried without anyone remembering to: `tests/test_job.py` round-trips every field.
"""

from __future__ import annotations

import dataclasses
import logging
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from .options import Option
from .show.settings import Show
from .sound.settings import MixSettings
from .text.script import Pauses
from .types import Article, Script
from .voice.engine import EngineChoice
from .voice.synth import Progress

log = logging.getLogger(__name__)

JOBS = Option(
    "jobs",
    int,
    4,
    "Concurrent synthesis calls: gTTS requests at once (espeak and piper speak one chunk at a time).",
    min=1,
    max=32,
    metavar="N",
)
CALLBACKS = ("progress", "notify")
"""RenderOptions fields that are functions of the caller's process: they never travel."""


@dataclass
class RenderOptions:
    """Everything `podcast render` can be told; defaults are what a podcaster wants."""

    output_dir: Path = Path("audio")
    options: ClassVar[tuple[Option, ...]] = (JOBS,)
    """Options of the render itself, declared once (the CLI builds --jobs from it)."""

    engine: str = "auto"
    engine_options: Mapping[str, object] = field(default_factory=dict)
    """The engine's own options by name (voice, rate, tld...: `podcast engines` lists them); names
    only other engines declare are ignored, so one mapping suits `auto`."""
    language: str = "fr"
    """ISO 639-1 language of the text."""
    jobs: int = JOBS.default
    """Synthesis concurrency: chunks being spoken at once (for engines that take concurrent calls)."""
    mix: MixSettings = field(default_factory=MixSettings)
    pauses: Pauses = field(default_factory=Pauses)
    title: str | None = None
    lexicon: dict[str, str] | None = None
    read_title: bool = True
    """Speak the title first, as a newscast opens (`--no-title-read` turns it off)."""
    cache_dir: Path | None = None
    use_cache: bool = True
    show: Show = field(default_factory=Show)
    cover: Path | None = None
    """Episode cover image (square JPEG/PNG, 1400-3000 px); None: one is drawn from the titles."""
    feed: bool = False
    """Rebuild feed.xml and index.html over every episode in the output folder afterwards."""
    progress: Callable[[str], Progress | None] | None = None
    """Given the episode title, returns a (done, total) callback or None."""
    notify: Callable[[str], None] = lambda message: log.warning(message)

    def __post_init__(self) -> None:
        self.jobs = JOBS.check(self.jobs)

    def absolute(self) -> RenderOptions:
        """The same options with every path absolute: a worker elsewhere sees the shared folders there."""

        def whole(path: Path | None) -> Path | None:
            return None if path is None else Path(path).resolve()

        return dataclasses.replace(
            self,
            output_dir=Path(self.output_dir).resolve(),
            cache_dir=whole(self.cache_dir),
            cover=whole(self.cover),
            mix=dataclasses.replace(self.mix, intro=whole(self.mix.intro), outro=whole(self.mix.outro)),
        )


@dataclass
class Job:
    """One article made ready to speak: every driver renders (or queues) exactly this."""

    article: Article
    script: Script
    """The chunks to speak, in order: a queue's final task speaks exactly these."""
    engine: EngineChoice
    options: RenderOptions

    def to_json(self) -> dict[str, Any]:
        return encode(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Job:
        return decode(cls, data)


def encode(value: Any) -> Any:
    """A dataclass (at any depth) as JSON values: paths and dates as text, callbacks left out."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        skip = CALLBACKS if isinstance(value, RenderOptions) else ()
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name not in skip}
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): encode(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(item) for item in value]
    return value


def decode(kind: Any, data: Any) -> Any:
    """`data` (from `encode`) back as `kind`, read from the dataclasses' type hints."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        if data is None:
            return None
        (inner,) = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        return decode(inner, data)
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        hints = typing.get_type_hints(kind)
        values = {
            f.name: decode(hints[f.name], data[f.name]) for f in dataclasses.fields(kind) if f.init and f.name in data
        }
        return kind(**values)
    if kind is Path:
        return Path(data)
    if kind is date:
        return date.fromisoformat(data)
    if origin is list:
        (inner,) = typing.get_args(kind) or (Any,)
        return [decode(inner, item) for item in data]
    if origin in (dict, Mapping) or kind is dict:
        return dict(data)
    return data
