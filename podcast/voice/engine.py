"""Speech engines: one abstract `Engine`, and a registry fed by the `podcast.engines` entry points.

Built-in engines register through the same entry-point group as third-party ones, so
`podcast engines` lists both the same way.
"""

from __future__ import annotations

import logging
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from importlib.metadata import entry_points

from ..errors import EngineError, InputError
from ..types import Clip

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "podcast.engines"


@dataclass(frozen=True)
class VoiceSettings:
    """What the user asked of the voice; every engine takes the fields it understands."""

    language: str = "fr"
    """ISO 639-1 language of the text."""
    voice: str | None = None
    """Engine-specific voice name or model path; None for the engine's French default."""
    rate: int = 165
    """Words per minute (espeak-ng)."""
    pitch: int = 50
    """0-100 (espeak-ng)."""
    tld: str = "com"
    """Google Translate domain, which picks the accent (gTTS): com, fr, ca..."""
    slow: bool = False
    """Slower reading (gTTS)."""
    jobs: int = 4
    """Concurrent requests or worker processes."""

    def validate(self) -> None:
        """Reject settings no engine could honour, naming the option."""
        if not 80 <= self.rate <= 450:
            raise InputError(f"--rate {self.rate} is outside 80-450 words per minute")
        if not 0 <= self.pitch <= 100:
            raise InputError(f"--pitch {self.pitch} is outside 0-100")
        # The tld becomes part of a host name: letters and one dot only (com, fr, ca, com.au).
        if not re.fullmatch(r"[a-z]{2,3}(\.[a-z]{2,3})?", self.tld):
            raise InputError(f"--tld {self.tld!r} is not a Google domain ending such as com, fr or ca")
        if not 1 <= self.jobs <= 32:
            raise InputError(f"--jobs {self.jobs} is outside 1-32")


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
    processes: bool = False
    """True when the engine may run in worker processes, one instance each (for engines that
    serialize in-process, like espeak-ng); the class and its settings must pickle."""

    def __init__(self, settings: VoiceSettings = VoiceSettings()):
        self.settings = settings

    @classmethod
    def availability(cls) -> tuple[bool, str]:
        """(usable now, why not). Must be quick: probes use a short timeout."""
        return True, ""

    @classmethod
    def voices(cls) -> list[str]:
        return []

    @property
    def voice_name(self) -> str:
        """The voice as recorded in tags and the manifest."""
        return self.settings.voice or "default"

    def cache_identity(self) -> dict:
        """Everything besides the text that changes the audio; part of the clip cache key."""
        return {"engine": self.name, "voice": self.voice_name, "language": self.settings.language}

    @abstractmethod
    def synthesize(self, text: str) -> Clip:
        """Speak one chunk of at most `max_chars` characters."""

    def close(self) -> None:
        """Release connections, processes or libraries."""

    def __enter__(self) -> "Engine":
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

    @property
    def online(self) -> bool:
        return bool(self.cls and self.cls.online)


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


def choose_engine(name: str, settings: VoiceSettings) -> tuple[Engine, str | None]:
    """Make the engine to use; 'auto' prefers gTTS when Google answers, else espeak.

    Returns the engine and, for 'auto', the one-line notice saying which engine speaks.
    """
    settings.validate()
    if name != "auto":
        cls = get_engine_class(name)
        ok, reason = cls.availability()
        if not ok:
            raise EngineError(f"engine {name!r} is unavailable: {reason}")
        return cls(settings), None
    gtts = get_engine_class("gtts")
    ok, reason = gtts.availability()
    if ok:
        return gtts(settings), "engine: gtts (Google answered)"
    espeak = get_engine_class("espeak")
    ok2, reason2 = espeak.availability()
    if not ok2:
        raise EngineError(f"no engine available: gtts: {reason}; espeak: {reason2}")
    return espeak(settings), f"warning: Google unreachable ({reason}); speaking with the offline espeak-ng voice"
