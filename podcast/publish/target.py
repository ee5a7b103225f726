"""Publishers: one abstract `Publisher`, and a registry fed by the `podcast.publishers` entry points.

A publisher moves finished files to one kind of host. The built-ins (s3, sftp) register through
the same entry-point group as third-party ones. The interface, for a new host:

- class attributes `name`, `description`, `schemes` (the URL schemes of `--to` it accepts) and
  `options` (declared once: the library checks them, the CLI builds flags, podcast.toml's
  [publish] table may set them);
- `connect()` opens the session and checks the target exists and the credentials are accepted;
- `list_files()` returns {name: size} of the files under the target (names relative to it);
- `read(name)` returns a small file's bytes, or None when it does not exist;
- `put(item, sent)` makes `item` appear whole under its name (a temp name then a rename, or one
  atomic request), calling `sent(n)` as bytes go out;
- `delete(name)` removes one file; `close()` releases the session;
- `default_public_url()` says where the files can be fetched from when the user does not.

Errors: InputError (exit 1) for what the user must set, RemoteError (exit 3) for what the host
refused or a network failure; credentials never appear in a message. A host API that is not a
file store (Transistor, Buzzsprout: authorize, presigned upload, create episode) implements the
same calls over its own objects: `list_files`/`read` over what it holds, `put` per file.
"""

from __future__ import annotations

import hashlib
import io
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, BinaryIO, ClassVar
from urllib.parse import urlsplit

from ..errors import InputError
from ..net import redact
from ..options import Option, resolve

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "podcast.publishers"


@dataclass(frozen=True)
class Item:
    """One file to send: its remote name, what it holds, and the headers it is served with."""

    name: str
    """Name under the target (a plain file name: the show folder is flat)."""
    size: int
    sha256: str
    content_type: str
    cache_control: str
    path: Path | None = None
    """The local file; None when `data` holds the bytes."""
    data: bytes | None = None

    def open(self) -> BinaryIO:
        if self.path is None:
            return io.BytesIO(self.data or b"")
        try:
            return open(self.path, "rb")
        except OSError as exc:  # gone or unreadable since the plan: the user's side, not the host's
            raise InputError(f"cannot read: {exc.strerror or exc}", path=self.path) from None

    @classmethod
    def from_bytes(cls, name: str, data: bytes, content_type: str, cache_control: str) -> Item:
        return cls(name, len(data), hashlib.sha256(data).hexdigest(), content_type, cache_control, data=data)


class Publisher(ABC):
    """A host files are published to. Subclasses set the class attributes and the file calls."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    schemes: ClassVar[tuple[str, ...]] = ()
    options: ClassVar[tuple[Option, ...]] = ()

    def __init__(self, target: str, options: Mapping[str, object] | None = None):
        self.target = target
        self.settings: Mapping[str, Any] = resolve(type(self).options, options or {}, owner=f"publisher {self.name!r}")

    def default_public_url(self) -> str:
        """Where the published files can be fetched, when the target alone says it; "" when it cannot."""
        return ""

    def connect(self) -> None:
        """Open the session; check the target exists and the credentials are accepted."""

    @abstractmethod
    def list_files(self) -> dict[str, int]:
        """{name: size} of the files under the target."""

    @abstractmethod
    def read(self, name: str) -> bytes | None:
        """A small file's bytes, None when it does not exist."""

    @abstractmethod
    def put(self, item: Item, sent: Callable[[int], None]) -> None:
        """Make `item` appear whole under its name; call `sent(n)` as bytes go out."""

    @abstractmethod
    def delete(self, name: str) -> None:
        """Remove one file (missing already: fine)."""

    def close(self) -> None:
        """Release the connection."""

    def __enter__(self) -> Publisher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def split_target(target: str) -> tuple[str, str, str]:
    """(scheme, host part, path without surrounding slashes) of a target URL."""
    parts = urlsplit(target)
    return parts.scheme.lower(), parts.netloc, parts.path.strip("/")


@dataclass
class PublisherInfo:
    name: str
    cls: type[Publisher] | None
    error: str = ""


_registry: dict[str, type[Publisher]] = {}


def register(cls: type[Publisher]) -> type[Publisher]:
    """Register a publisher class at run time (tests and scripts; entry points are the usual way)."""
    _registry[cls.name] = cls
    return cls


def publisher_classes() -> dict[str, PublisherInfo]:
    """Every publisher: entry points, then run-time registrations (which win)."""
    found: dict[str, PublisherInfo] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            found[ep.name] = PublisherInfo(ep.name, ep.load())
        except Exception as exc:  # a broken plugin must not break the tool
            found[ep.name] = PublisherInfo(ep.name, None, error=f"cannot load: {exc}")
    for name, cls in _registry.items():
        found[name] = PublisherInfo(name, cls)
    return found


def declared_options() -> tuple[Option, ...]:
    """Every option the registered publishers declare, once per name (for the CLI's flags)."""
    seen: dict[str, Option] = {}
    for _, info in sorted(publisher_classes().items()):
        for option in info.cls.options if info.cls else ():
            seen.setdefault(option.name, option)
    return tuple(seen.values())


def make_publisher(target: str, options: Mapping[str, object] | None = None) -> Publisher:
    """The publisher for `target`'s URL scheme, given only the options it declares."""
    scheme = split_target(target)[0]
    infos = publisher_classes()
    # A run-time registration for a scheme wins over the entry point that also handles it.
    for info in sorted(infos.values(), key=lambda info: info.cls is not _registry.get(info.name)):
        if info.cls is not None and scheme in info.cls.schemes:
            cls = info.cls
            given = options or {}
            own = {option.name for option in cls.options}
            others = {option.name for option in declared_options()}
            unknown = sorted(set(given) - own - others)
            if unknown:
                raise InputError(f"unknown publish option(s): {', '.join(unknown)}")
            return cls(target, {key: value for key, value in given.items() if key in own})
    schemes = sorted({s for info in infos.values() if info.cls for s in info.cls.schemes})
    broken = [f"{info.name} ({info.error})" for info in infos.values() if info.cls is None]
    hint = f"; broken publishers: {', '.join(broken)}" if broken else ""
    shown = redact(target)
    shown = shown if len(shown) <= 80 else shown[:79] + "…"
    raise InputError(
        f"cannot publish to {shown!r}: unknown scheme (known: {', '.join(f'{s}://' for s in schemes)}){hint}"
    )
