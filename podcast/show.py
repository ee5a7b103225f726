"""Show settings: `podcast.toml` (or defaults) describing the podcast every episode belongs to."""

from __future__ import annotations

import sys
from dataclasses import dataclass, fields
from pathlib import Path

from .errors import InputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SETTINGS_FILE = "podcast.toml"


@dataclass
class Show:
    """The podcast (channel) as hosts and apps see it."""

    title: str = "L'actu tech à voix haute"
    author: str = "podcast"
    email: str = "podcast@example.com"
    description: str = "Des articles d'actualité en français, lus à voix haute."
    language: str = "fr"
    category: str = "Technology"
    explicit: bool = False
    base_url: str = ""
    cover: str = ""
    copyright: str = ""
    website: str = ""


def load_show(path: str | Path | None = None) -> Show:
    """Read `podcast.toml` from `path` (or the current folder); defaults when it is absent."""
    path = Path(path) if path else Path(SETTINGS_FILE)
    if not path.exists():
        return Show()
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"malformed TOML: {exc}", path=path) from None
    section = data.get("show", data)
    known = {f.name: f.type for f in fields(Show)}
    values = {}
    for key, value in section.items():
        if key not in known:
            raise InputError(f"unknown key {key!r} (known: {', '.join(known)})", path=path)
        expected = bool if key == "explicit" else str
        if not isinstance(value, expected):
            raise InputError(f"key {key!r} must be a {expected.__name__}", path=path)
        values[key] = value
    return Show(**values)
