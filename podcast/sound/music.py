"""Intro and outro music beds: checked early, naming the file, and probed once (length and loudness)."""

from __future__ import annotations

import re
import threading
from pathlib import Path

from ..cancel import CancelToken
from ..errors import InputError
from . import ffmpeg
from .graph import MusicBed, probe_args
from .loudness import parse_ebur128
from .settings import MixSettings


def check_music(settings: MixSettings, *, cancel: CancelToken | None = None) -> None:
    """Fail early, naming the file, when the intro or outro is not audio ffmpeg can decode."""
    for role, path in (("intro", settings.intro), ("outro", settings.outro)):
        if path is not None:
            load_bed(path, role, settings.channels, settings.sample_rate, cancel=cancel)


def load_bed(path: Path, role: str, channels: int, rate: int = 44100, *, cancel: CancelToken | None = None) -> MusicBed:
    """Check a music file is readable audio and measure it; InputError names the file otherwise."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{role} file not found", path=path)
    if path.is_dir():
        raise InputError(f"{role} is a folder, not an audio file", path=path)
    try:
        with open(path, "rb") as handle:
            handle.read(1)
        stat = path.stat()
    except OSError as exc:
        raise InputError(f"cannot read the {role} file: {exc.strerror or exc}", path=path) from exc
    # Size and mtime are in the key: a replaced file is probed again.
    key = (path.resolve(), channels, rate, stat.st_size, stat.st_mtime_ns)
    with _lock:
        bed = _probed.get(key)
    if bed is None:
        bed = _probe(key[0], role, channels, rate, cancel)
        with _lock:
            while len(_probed) >= _KEEP:
                del _probed[next(iter(_probed))]
            _probed[key] = bed
    return bed


# check_music() and assemble() both load the beds: the second load is free.
_KEEP = 8
_probed: dict[tuple, MusicBed] = {}
_lock = threading.Lock()


def _probe(path: Path, role: str, channels: int, rate: int, cancel: CancelToken | None) -> MusicBed:
    def not_audio(why: str) -> InputError:
        return InputError(f"the {role} is not an audio file ffmpeg can decode ({why})", path=path)

    log = ffmpeg.run(probe_args(path, channels, rate), fail=not_audio, cancel=cancel).decode("utf-8", "replace")
    found = re.findall(r"Number of samples: (\d+)", log)
    if not found or int(found[-1]) == 0:
        raise not_audio("no audio in it")
    return MusicBed(path, int(found[-1]), parse_ebur128(log).get("I"), channels)
