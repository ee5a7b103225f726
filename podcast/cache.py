"""Content-addressed clip cache: unchanged chunks are never synthesized twice."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from .engines import Audio

CACHE_VERSION = 1


def default_cache_dir() -> Path:
    """Platform convention (platformdirs), overridable with PODCAST_CACHE_DIR."""
    env = os.environ.get("PODCAST_CACHE_DIR")
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

    def _path(self, key: str, fmt: str) -> Path:
        return self.root / key[:2] / f"{key}.{'wav' if fmt == 'pcm' else fmt}"

    def get(self, key: str) -> Audio | None:
        folder = self.root / key[:2]
        for fmt in ("pcm", "mp3", "wav"):
            path = self._path(key, fmt)
            try:
                data = path.read_bytes()
            except (FileNotFoundError, NotADirectoryError):
                continue
            except OSError:
                return None
            if path.suffix == ".wav":
                try:
                    with wave.open(io.BytesIO(data)) as w:
                        return Audio(w.readframes(w.getnframes()), "pcm", w.getframerate(), w.getsampwidth(), w.getnchannels())
                except (wave.Error, EOFError):
                    return None  # a damaged entry is a miss; the next put replaces it
            return Audio(data, path.suffix[1:]) if data else None
        del folder
        return None

    def put(self, key: str, audio: Audio) -> None:
        path = self._path(key, audio.format)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
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
            # A cache that cannot be written only costs speed, never the episode.
            with contextlib.suppress(Exception):
                os.unlink(tmp)

    def stats(self) -> CacheStats:
        clips = size = 0
        if self.root.is_dir():
            for path in self.root.rglob("*"):
                if path.is_file() and not path.name.startswith(".tmp-"):
                    clips += 1
                    size += path.stat().st_size
        return CacheStats(self.root, clips, size)

    def clear(self) -> int:
        count = self.stats().clips
        shutil.rmtree(self.root, ignore_errors=True)
        return count
