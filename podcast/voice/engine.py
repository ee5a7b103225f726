"""Speech engines: one abstract `Engine`, and a registry fed by the `podcast.engines` entry points.

Built-in engines register through the same entry-point group as third-party ones, so
`podcast engines` lists both the same way.
"""

from __future__ import annotations

import functools
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any, ClassVar

from ..errors import EngineError, InputError
from ..options import Option, resolve
from ..types import Clip

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "podcast.engines"


NORMAL_RATE = 165
"""Words per minute of a voice at its own speed: every engine's --rate is read against it."""


def rate_option(help: str) -> Option:
    """The --rate every local voice declares, in words per minute (80-450)."""
    return Option("rate", int, NORMAL_RATE, help, min=80, max=450, unit="words per minute", metavar="WPM")


class Engine(ABC):
    """A text-to-speech backend. Subclasses set the capability attributes."""

    name: str = ""
    description: str = ""
    online: bool = False
    max_chars: int = 500
    """Longest text one request may carry."""
    languages: tuple[str, ...] = ("fr",)
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

    def voice_language(self) -> str | None:
        """The language the chosen voice speaks ('en', 'fr-be'); None when the engine cannot tell."""
        return None

    def language_warning(self) -> str | None:
        """One notice line when the voice does not speak the text's language (French read in English)."""
        spoken = self.voice_language()
        if not spoken or spoken.lower().replace("_", "-").split("-")[0] == self.language.lower().split("-")[0]:
            return None
        return (
            f"warning: the {self.name} voice {self.voice_name!r} speaks {spoken}, "
            f"not the text's language ({self.language}); its reading will sound wrong"
        )

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


def unregister(name: str) -> None:
    """Forget an engine registered at run time (a test's fake, once the test is done)."""
    _registry.pop(name, None)


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


def _warns_on_language(choose: Callable[..., tuple[Engine, str | None]]) -> Callable[..., tuple[Engine, str | None]]:
    """`choose`'s notice, with a warning added when the voice does not speak the text's language."""

    @functools.wraps(choose)
    def choose_and_check(*args: Any, **kwargs: Any) -> tuple[Engine, str | None]:
        engine, notice = choose(*args, **kwargs)
        try:
            warning = engine.language_warning()
        except AttributeError:  # a settings-only engine that needs its setup to tell (espeak asks its library)
            warning = None
        if warning:
            notice = f"{notice}; {warning.removeprefix('warning: ')}" if notice else warning
        return engine, notice

    return choose_and_check


@dataclass(frozen=True)
class EngineChoice:
    """Which engine speaks, with its own options checked: decided once per run, carried by every job."""

    name: str
    options: dict[str, Any] = field(default_factory=dict)
    language: str = "fr"

    def settings_only(self) -> Engine:
        """The engine's settings without its setup: name, limits, voice; no model loaded, no connection."""
        return settings_only(get_engine_class(self.name), self.options, self.language)

    def start(self) -> Engine:
        """The engine, ready to speak (a neural voice loads its model), or EngineError saying why not."""
        cls = get_engine_class(self.name)
        ok, reason = cls.availability()
        if not ok:
            raise EngineError(f"engine {self.name!r} is unavailable: {reason}")
        return cls(self.options, self.language)


def settings_only(cls: type[Engine], values: Mapping[str, Any], language: str) -> Engine:
    """An instance set up by the base class alone (settings, language): what a choice needs to know."""
    made = cls.__new__(cls)
    Engine.__init__(made, values, language)
    return made


def choice_of(engine: Engine) -> EngineChoice:
    """The choice `engine` was made from (JSON-safe, for the queue)."""
    return EngineChoice(engine.name, dict(engine.settings), engine.language)


@_warns_on_language
def choose_engine(
    name: str,
    options: Mapping[str, object] | None = None,
    language: str = "fr",
    *,
    cached: Callable[[Engine], bool] | None = None,
    keep: Sequence[str] = (),
    start: bool = True,
) -> tuple[Engine, str | None]:
    """The one engine policy: the engine to use; 'auto' prefers gTTS when Google answers, else
    kokoro, else espeak.

    `options` are checked against the chosen engine's declarations; names only other engines
    declare are ignored (auto may pick either), a name no engine declares is an InputError.
    `cached(engine)` tells whether the cache holds every clip the render needs from that engine:
    such an engine needs no availability probe (an offline re-render of a gTTS episode works).
    `keep` names the engines of the episodes being re-rendered: 'auto' keeps the first whose
    clips are all cached rather than re-voicing an episode with another engine.
    `start=False` decides without setting the engine up (no model, no connection): a named engine
    is not probed, `auto` asks availability only, and the engine returned is settings-only (see
    `settings_only`): for a queue, whose workers start it, or for its limits alone.
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
        made = _made_if_cached(cls, values, language, cached, start)
        if made is not None:
            return made, None
        if not start:
            return settings_only(cls, values, language), None
        ok, reason = cls.availability()
        if not ok:
            raise EngineError(f"engine {name!r} is unavailable: {reason}")
        return cls(values, language), None
    # Any of them may speak: a bad value fails now, whichever answers.
    checked = {n: own_options(info.cls, given) for n, info in infos.items() if n in AUTO_ORDER and info.cls}
    for kept in dict.fromkeys(keep):
        kept_cls = infos[kept].cls if kept in infos else None
        if kept_cls is None:
            continue
        values = checked.get(kept) or own_options(kept_cls, given)
        made = _made_if_cached(kept_cls, values, language, cached, start)
        if made is not None:
            return made, f"engine: {kept} (every clip is cached: the published episode keeps its voice)"
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
        values = checked[candidate]
        try:
            engine = auto_cls(values, language) if start else settings_only(auto_cls, values, language)
        except EngineError as exc:  # available, yet failed to start (a damaged model found late)
            why.append(f"{candidate}: {exc}")
            continue
        if candidate == "gtts":
            return engine, "engine: gtts (Google answered)"
        voice = AUTO_VOICES.get(candidate, candidate)
        return engine, f"warning: {'; '.join(why)}; speaking with the offline {voice} voice"
    raise EngineError(f"no engine available: {'; '.join(why)}")


def _made_if_cached(
    cls: type[Engine],
    values: Mapping[str, Any],
    language: str,
    cached: Callable[[Engine], bool] | None,
    start: bool,
) -> Engine | None:
    """The engine, made without probing it, when the cache holds every clip it would speak; else None.

    The cache is asked with a settings-only instance, so no model is loaded and no connection
    opened for an engine that is not used.
    """
    if cached is None:
        return None
    candidate = settings_only(cls, values, language)
    try:
        complete = cached(candidate)
    except AttributeError:  # its cache identity needs its full setup (piper hashes its model file)
        return None
    if not complete:
        return None
    if not start:
        return candidate
    try:
        return cls(values, language)
    except EngineError:  # a damaged model: the usual choice says why
        return None


AUTO_ORDER = ("gtts", "kokoro", "espeak")
"""What `auto` tries: Google's voice when it answers, the neural voice offline, espeak-ng last."""
AUTO_VOICES = {"kokoro": "Kokoro neural", "espeak": "espeak-ng"}


def own_options(cls: type[Engine], given: Mapping[str, object]) -> dict[str, Any]:
    """The values of `cls`'s declared options among `given`, checked, defaults filled."""
    names = {option.name for option in cls.options}
    return resolve(
        cls.options, {key: value for key, value in given.items() if key in names}, owner=f"engine {cls.name!r}"
    )
