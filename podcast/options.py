"""Options declared once (name, type, range, default, help): the library checks them, the CLI builds its flags.

Engines, the mix, the pauses and the render each declare their options as `Option`s; the same
declaration gives the library's InputError and the CLI's usage error, so a range cannot drift.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import InputError

_KINDS = {int: "whole number", float: "number", str: "text", bool: "on/off"}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class OptionError(InputError):
    """A value an `Option` refuses; `reason` is the message without the flag (for Click's own prefix)."""

    def __init__(self, option: Option, reason: str):
        self.option = option
        self.reason = reason
        super().__init__(f"{option.label} {reason}")


@dataclass(frozen=True)
class Option:
    """One user-settable value: what it is, what it accepts, and its flag."""

    name: str
    """Key in the options mapping (and, with dashes, the default flag)."""
    type: type
    """int, float, str or bool."""
    default: Any = None
    """None: no default (the owner decides, e.g. piper's voice is required)."""
    help: str = ""
    min: float | None = None
    """Smallest accepted value; written as declared in messages (2.0 stays 2.0)."""
    max: float | None = None
    choices: tuple[Any, ...] = ()
    """The only values accepted (of `type`), e.g. the MP3 bitrates; listed in help and messages."""
    pattern: str | None = None
    """A regular expression the whole value must match (str options)."""
    pattern_help: str = ""
    """What a matching value looks like, for the error message."""
    unit: str = ""
    """Said after the range: 'words per minute', 'LUFS', 's'."""
    default_text: str = ""
    """The default as shown in help when it is computed (default None): '96 mono, 128 stereo'."""
    metavar: str | None = None
    flag: str | None = field(default=None)
    """The CLI flag; None: --<name with dashes>; '' for an option with no flag."""

    def __post_init__(self) -> None:
        if self.type not in (int, float, str, bool):
            raise TypeError(f"option {self.name!r}: type must be int, float, str or bool, not {self.type!r}")
        if self.flag is None:
            object.__setattr__(self, "flag", "--" + self.name.replace("_", "-"))

    @property
    def label(self) -> str:
        """How messages name the option: its flag, or its name when it has none."""
        return self.flag or self.name

    def range_text(self) -> str:
        """'80-450 words per minute', '-30 to -10 LUFS', '' when unbounded."""
        if self.min is None and self.max is None:
            return ""
        if self.max is None:
            text = f"at least {self.min!r}"
        elif self.min is None:
            text = f"at most {self.max!r}"
        else:
            # A dash between negative numbers reads as a minus sign.
            sep = " to " if self.min < 0 or self.max < 0 else "-"
            text = f"{self.min!r}{sep}{self.max!r}"
        return f"{text} {self.unit}" if self.unit else text

    def choices_text(self) -> str:
        """'32, 40, 48 kbps', '' without choices."""
        if not self.choices:
            return ""
        text = ", ".join(_show(choice) for choice in self.choices)
        return f"{text} {self.unit}" if self.unit else text

    def default_shown(self) -> str:
        """The default as help shows it; '' when there is none."""
        if self.default_text:
            return self.default_text
        return "" if self.default is None else str(self.default)

    def describe(self) -> str:
        """What it accepts and its default, for listings: '80-450 words per minute, default 165'."""
        parts = [self.choices_text() or self.range_text() or self.pattern_help or _KINDS[self.type]]
        if self.type is bool:
            parts.append(f"default {'on' if self.default else 'off'}")
        elif self.default_shown():
            parts.append(f"default {self.default_shown()}")
        return ", ".join(parts)

    def check(self, value: object) -> Any:
        """The value converted to `type` and checked; OptionError (an InputError) naming the flag if not."""
        if value is None and self.default is None:
            return None  # unset, where unset is the default (piper's voice, the computed loudness)
        value = self._convert(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            low = self.min if self.min is not None else value
            high = self.max if self.max is not None else value
            if not low <= value <= high:  # NaN fails too
                raise OptionError(self, f"{_show(value)} is outside {self.range_text()}")
        if self.choices and value not in self.choices:
            # A value the encoder would round to its nearest neighbour is refused, never changed.
            shown = repr(value) if isinstance(value, str) else _show(value)
            raise OptionError(self, f"{shown} is not one of {self.choices_text()}")
        if self.pattern is not None and not re.fullmatch(self.pattern, str(value)):
            raise OptionError(self, f"{value!r} is not {self.pattern_help or 'of the form ' + self.pattern}")
        return value

    def _convert(self, value: object) -> Any:
        kind = self.type
        if kind is bool:
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
                return value.strip().lower() in _TRUE
            raise OptionError(self, f"{value!r} is not true or false")
        if kind is str:
            if isinstance(value, str):
                return value
            raise OptionError(self, f"{value!r} is not text")
        if isinstance(value, bool):  # bool is an int subclass, never a number the user meant
            raise OptionError(self, f"{value!r} is not a number")
        if kind is int:
            if isinstance(value, float) and value.is_integer():
                return int(value)
            if isinstance(value, (int, str)):
                try:
                    return int(value)
                except ValueError:
                    pass
            raise OptionError(self, f"{value!r} is not a whole number")
        if isinstance(value, (int, float, str)):
            try:
                return float(value)
            except ValueError:
                pass
        raise OptionError(self, f"{value!r} is not a number")


def _show(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def resolve(
    declared: tuple[Option, ...], given: Mapping[str, object], *, ignore: Collection[str] = (), owner: str = ""
) -> dict[str, Any]:
    """Every declared option's value: given ones checked, the rest their defaults.

    A given name not declared is an InputError unless it is in `ignore` (names other owners declare).
    """
    by_name = {option.name: option for option in declared}
    unknown = sorted(name for name in given if name not in by_name and name not in ignore)
    if unknown:
        where = f" for {owner}" if owner else ""
        known = ", ".join(sorted(by_name)) or "none"
        raise InputError(
            f"unknown option{'s' if len(unknown) > 1 else ''}{where}: {', '.join(unknown)} (known: {known})"
        )
    return {name: option.check(given[name]) if name in given else option.default for name, option in by_name.items()}
