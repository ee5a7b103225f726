"""Atomic writes and safe file names: nothing half-written is ever left under a final name."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import IO, Iterator

from .errors import OutputError

TEMP_PREFIX = ".podcast-tmp-"


def slugify(title: str, *, max_length: int = 80, fallback: str = "episode") -> str:
    """A file-system-safe, ASCII, lower-case slug; never empty, never a path."""
    text = unicodedata.normalize("NFKD", title)
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    text = text[:max_length].rstrip("-")
    return text or fallback


@contextlib.contextmanager
def atomic_path(final: str | os.PathLike, suffix: str = "") -> Iterator[Path]:
    """Yield a temp path beside `final`; on success fsync and rename it into place."""
    final = Path(final)
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=suffix or final.suffix, dir=final.parent)
        os.close(fd)
        # mkstemp makes 0600; published files should get the usual umask-based mode.
        os.chmod(tmp_name, 0o666 & ~_umask())
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=final) from exc
    tmp = Path(tmp_name)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, final)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=final) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


@contextlib.contextmanager
def atomic_open(final: str | os.PathLike, mode: str = "w", **kwargs) -> Iterator[IO]:
    """Open a temp file beside `final` for writing; it replaces `final` only on success."""
    if "b" not in mode:
        kwargs.setdefault("encoding", "utf-8")
        kwargs.setdefault("newline", "\n")
    with atomic_path(final) as tmp:
        with open(tmp, mode, **kwargs) as fh:
            yield fh


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(final: str | os.PathLike, text: str) -> None:
    """Write text atomically (UTF-8, LF)."""
    with atomic_open(final, "w") as fh:
        fh.write(text)


def write_bytes(final: str | os.PathLike, data: bytes) -> None:
    """Write bytes atomically."""
    with atomic_open(final, "wb") as fh:
        fh.write(data)


def remove_stale_temps(folder: str | os.PathLike) -> None:
    """Remove temp files a killed run left behind (older than an hour, so live runs are safe)."""
    import time

    cutoff = time.time() - 3600
    for path in Path(folder).glob(TEMP_PREFIX + "*"):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < cutoff:
                path.unlink()
