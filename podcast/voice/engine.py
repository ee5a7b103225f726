"""Speech engines: one abstract `Engine`, and a registry fed by the `podcast.engines` entry points.

Built-in engines register through the same entry-point group as third-party ones, so
`podcast engines` lists both the same way.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any, ClassVar

from ..errors import EngineError, InputError
from ..options import Option, resolve
from ..types import Clip

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "podcast.engines"


class Engine(ABC):
    """A text-to-speech backend. Subclasses set the capability attributes."""

    name: str = ""
    description: str = ""
    online: bool = False
    max_chars: int = 500
    """Longest text one request may carry."""
    languages: tuple[str, ...] = ("fr",)
    output_format: str = "pcm"
    parallel: bool = True
    """True when `synthesize` may be called from several threads at once."""

    options: ClassVar[tuple[Option, ...]] = ()
    """What the user may set (voice, rate...), declared once: the library checks them, the CLI builds flags."""

    def __init__(self, options: Mapping[str, object] | None = None, language: str = "fr"):
        self.language = language
        """ISO 639-1 language of the text."""
        self.settings: Mapping[str, Any] = resolve(type(self).options, options or {}, owner=f"engine {self.name!r}")
        """Every declared option's value, checked, defaults filled (a plain dict: it pickles)."""

    @classmethod
    def availability(cls) -> tuple[bool, str]:
        """(usable now, why not). Must be quick: probes use a short timeout."""
        return True, ""

    @classmethod
    def voices(cls) -> list[str]:
        return []

    @classmethod
    def model(cls) -> str:
        """The model a neural voice runs, for `podcast engines`; "" for other engines."""
        return ""

    @property
    def voice_name(self) -> str:
        """The voice as recorded in tags and the manifest."""
        return str(self.settings.get("voice") or "default")

    def cache_identity(self) -> dict:
        """Everything besides the text that changes the audio; part of the clip cache key."""
        return {"engine": self.name, "voice": self.voice_name, "language": self.language}

    @abstractmethod
    def synthesize(self, text: str) -> Clip:
        """Speak one chunk of at most `max_chars` characters."""

    def cancel(self) -> None:
        """Stop work in flight soon (called from another thread when the render is cancelled).

        Calls to `synthesize` that are stopped may raise EngineError; the caller reports the cancel.
        """

    def close(self) -> None:
        """Release connections, processes or libraries."""

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@dataclass
class EngineInfo:
    name: str
    cls: type[Engine] | None
    error: str = ""
    available: bool = False
    reason: str = ""
    voices: list[str] = field(default_factory=list)

    @property
    def description(self) -> str:
        return self.cls.description if self.cls else ""


def _load_entry_points() -> dict[str, EngineInfo]:
    found: dict[str, EngineInfo] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            cls = ep.load()
        except Exception as exc:  # a broken plugin must not break the tool
            found[ep.name] = EngineInfo(ep.name, None, error=f"cannot load: {exc}")
            continue
        found[ep.name] = EngineInfo(ep.name, cls)
    return found


_registry: dict[str, type[Engine]] = {}


def register(cls: type[Engine]) -> type[Engine]:
    """Register an engine class at run time (tests use this for fakes)."""
    _registry[cls.name] = cls
    return cls


def engine_classes() -> dict[str, EngineInfo]:
    """All engines: entry points, then run-time registrations (which win)."""
    infos = _load_entry_points()
    for name, cls in _registry.items():
        infos[name] = EngineInfo(name, cls)
    return infos


def describe_engines() -> list[EngineInfo]:
    """Engines with availability, reason and voices, for `podcast engines`."""
    infos = list(engine_classes().values())
    for info in infos:
        if info.cls is None:
            info.reason = info.error
            continue
        try:
            info.available, info.reason = info.cls.availability()
            info.voices = info.cls.voices()
        except Exception as exc:
            info.available, info.reason = False, str(exc)
    return infos


def get_engine_class(name: str) -> type[Engine]:
    infos = engine_classes()
    info = infos.get(name)
    if info is None:
        known = ", ".join(sorted(infos)) or "none"
        raise InputError(f"unknown engine {name!r} (known: {known})")
    if info.cls is None:
        raise EngineError(f"engine {name!r} {info.error}")
    return info.cls


def choose_engine(
    name: str, options: Mapping[str, object] | None = None, language: str = "fr"
) -> tuple[Engine, str | None]:
    """Make the engine to use; 'auto' prefers gTTS when Google answers, else kokoro, else espeak.

    `options` are checked against the chosen engine's declarations; names only other engines
    declare are ignored (auto may pick either), a name no engine declares is an InputError.
    Returns the engine and, for 'auto', the one-line notice saying which engine speaks.
    """
    given = dict(options or {})
    infos = engine_classes()
    declared = {option.name for info in infos.values() if info.cls for option in info.cls.options}
    unknown = sorted(set(given) - declared)
    if unknown:
        raise InputError(
            f"unknown engine option{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} "
            f"(known: {', '.join(sorted(declared)) or 'none'})"
        )
    if name != "auto":
        cls = get_engine_class(name)
        values = own_options(cls, given)
        ok, reason = cls.availability()
        if not ok:
            raise EngineError(f"engine {name!r} is unavailable: {reason}")
        return cls(values, language), None
    # Any of them may speak: a bad value fails now, whichever answers.
    checked = {n: own_options(info.cls, given) for n, info in infos.items() if n in AUTO_ORDER and info.cls}
    why: list[str] = []
    for candidate in AUTO_ORDER:
        auto_cls = infos[candidate].cls if candidate in infos else None
        if auto_cls is None:
            why.append(f"{candidate}: not installed")
            continue
        ok, reason = auto_cls.availability()
        if not ok:
            why.append(f"Google unreachable ({reason})" if candidate == "gtts" else f"{candidate}: {reason}")
            continue
        try:
            engine = auto_cls(checked[candidate], language)
        except EngineError as exc:  # available, yet failed to start (a damaged model found late)
            why.append(f"{candidate}: {exc}")
            continue
        if candidate == "gtts":
            return engine, "engine: gtts (Google answered)"
        voice = AUTO_VOICES.get(candidate, candidate)
        return engine, f"warning: {'; '.join(why)}; speaking with the offline {voice} voice"
    raise EngineError(f"no engine available: {'; '.join(why)}")


AUTO_ORDER = ("gtts", "kokoro", "espeak")
"""What `auto` tries: Google's voice when it answers, the neural voice offline, espeak-ng last."""
AUTO_VOICES = {"kokoro": "Kokoro neural", "espeak": "espeak-ng"}


def own_options(cls: type[Engine], given: Mapping[str, object]) -> dict[str, Any]:
    """The values of `cls`'s declared options among `given`, checked, defaults filled."""
    names = {option.name for option in cls.options}
    return resolve(
        cls.options, {key: value for key, value in given.items() if key in names}, owner=f"engine {cls.name!r}"
    )
