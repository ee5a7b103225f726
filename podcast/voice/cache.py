"""Content-addressed clip cache: unchanged chunks are never synthesized twice.

A clip's key is the SHA-256 of everything that changes its audio: the engine, its voice and
settings, and the chunk text. Files live at ROOT/ab/<key>.wav (PCM engines) or .mp3, each
written to a temp file in ROOT and renamed into place, so two renders sharing the cache never
see half a clip; a damaged entry reads as a miss and is simply made again.

A render killed mid-write (SIGKILL, power cut) leaves its temp file behind. Temps older than
STALE_TEMP_SECONDS are removed when a ClipCache opens (cheap: temps sit in ROOT, so this lists
one folder of at most 256 subfolders, never the clips) and by `clear`. A live render holds a
temp for well under a second, so an hour never touches one in flight; were it to happen (a
process suspended for hours mid-write), its `put` fails quietly and only that clip goes uncached.

A stopped render (Ctrl-C, SIGTERM, SIGHUP) does not wait for its worker threads (they are
daemon threads, see synth.py), so the process may end while one is mid-`put`: the temps being
written are removed at exit instead, and no new one is started after that.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import io
import json
import os
import re
import tempfile
import threading
import wave
from dataclasses import dataclass
from pathlib import Path

from ..files import remove_stale_temps
from ..types import Clip

CACHE_VERSION = 1
CACHE_ENV = "PODCAST_CACHE_DIR"
_ENTRY = re.compile(r"[0-9a-f]{64}\.(wav|mp3)")
_FOLDER = re.compile(r"[0-9a-f]{2}")
_TMP_PREFIX = ".tmp-"
_TEMP = re.compile(r"\.tmp-[a-z0-9_]{8}")  # what mkstemp(prefix=_TMP_PREFIX) names, nothing else
STALE_TEMP_SECONDS = 3600

_writing: set[str] = set()
"""Temps of puts in progress, in any cache of this process."""
_writing_lock = threading.Lock()
_exiting = False
_hooked = False
"""Whether `_remove_unfinished_temps` is registered: on the first put, not at import (no global
side effect for a process that only imports the library)."""


def _hook_exit() -> None:
    """Register `_remove_unfinished_temps` (once; the caller holds `_writing_lock`)."""
    global _hooked
    atexit.register(_remove_unfinished_temps)
    _hooked = True


def _remove_unfinished_temps() -> None:
    """At exit, the temps of puts still running in abandoned worker threads (they would stay)."""
    global _exiting
    with _writing_lock:
        _exiting = True
        unfinished = list(_writing)
    for name in unfinished:
        with contextlib.suppress(OSError):
            os.unlink(name)  # the worker's rename then fails, quietly: only that clip goes uncached


def default_cache_dir() -> Path:
    """Platform convention (platformdirs), overridable with PODCAST_CACHE_DIR."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("podcast", appauthor=False)) / "clips"


def clip_key(identity: dict, text: str) -> str:
    """Hash of everything that changes the audio: engine, voice, settings and the chunk text."""
    payload = json.dumps({"v": CACHE_VERSION, **identity, "text": text}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass
class CacheStats:
    path: Path
    clips: int
    bytes: int


class ClipCache:
    """Clips on disk, one file per key; writes are atomic so concurrent renders can share it."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self.remove_stale_temps()

    def _path(self, key: str, fmt: str) -> Path:
        return self.root / key[:2] / f"{key}.{'wav' if fmt == 'pcm' else fmt}"

    def get(self, key: str) -> Clip | None:
        """The clip, or None when absent or unreadable."""
        for fmt in ("pcm", "mp3"):
            path = self._path(key, fmt)
            try:
                data = path.read_bytes()
            except (FileNotFoundError, NotADirectoryError):
                continue
            except OSError:
                return None
            return _decode(data, fmt)
        return None

    def put(self, key: str, audio: Clip) -> None:
        """Store a clip; a cache that cannot be written only costs speed, never the episode."""
        if audio.format not in ("pcm", "mp3"):
            return
        path = self._path(key, audio.format)
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with _writing_lock:
                if _exiting:
                    return
                if not _hooked:  # before the first temp exists
                    _hook_exit()
                fd, tmp = tempfile.mkstemp(prefix=_TMP_PREFIX, dir=self.root)
                _writing.add(tmp)
            with os.fdopen(fd, "wb") as fh:
                if audio.format == "pcm":
                    with wave.open(fh, "wb") as w:
                        w.setnchannels(audio.channels)
                        w.setsampwidth(audio.sample_width)
                        w.setframerate(audio.sample_rate)
                        w.writeframes(audio.data)
                else:
                    fh.write(audio.data)
            os.replace(tmp, path)
        except OSError:
            if tmp:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
        finally:
            if tmp:
                with _writing_lock:
                    _writing.discard(tmp)

    def __contains__(self, key: str) -> bool:
        return any(self._path(key, fmt).is_file() for fmt in ("pcm", "mp3"))

    def _subfolders(self) -> list[Path]:
        try:
            return [p for p in self.root.iterdir() if _FOLDER.fullmatch(p.name) and p.is_dir()]
        except OSError:
            return []

    def _clips(self):
        for folder in self._subfolders():
            with contextlib.suppress(OSError):
                yield from (p for p in folder.iterdir() if _ENTRY.fullmatch(p.name))

    def remove_stale_temps(self, *, everywhere: bool = False) -> int:
        """Delete temps left by killed renders (ROOT only, or in subfolders too, where older versions wrote them)."""
        folders = [self.root, *(self._subfolders() if everywhere else [])]
        return sum(remove_stale_temps(folder, STALE_TEMP_SECONDS, _TEMP.fullmatch) for folder in folders)

    def stats(self) -> CacheStats:
        """Clips and their bytes; temps (in flight or stale) are not clips."""
        clips = size = 0
        for path in self._clips():
            with contextlib.suppress(OSError):
                size += path.stat().st_size
                clips += 1
        return CacheStats(self.root, clips, size)

    def clear(self) -> int:
        """Delete the cache's own files only (never anything else a --cache-dir may hold, nor a temp in flight)."""
        count = 0
        for path in list(self._clips()):
            with contextlib.suppress(OSError):
                path.unlink()
                count += 1
        self.remove_stale_temps(everywhere=True)
        for folder in self._subfolders():
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty
        return count


def _decode(data: bytes, fmt: str) -> Clip | None:
    if fmt == "pcm":
        try:
            with wave.open(io.BytesIO(data)) as w:
                frames = w.readframes(w.getnframes())
                if len(frames) != w.getnframes() * w.getsampwidth() * w.getnchannels():
                    return None  # truncated
                return Clip(frames, "pcm", w.getframerate(), w.getsampwidth(), w.getnchannels())
        except (wave.Error, EOFError):
            return None
    if len(data) > 4 and (data[:3] == b"ID3" or (data[0] == 0xFF and data[1] & 0xE0 == 0xE0)):
        return Clip(data, "mp3")
    return None
