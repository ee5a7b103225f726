"""Atomic writes and safe file names: nothing half-written is ever left under a final name."""

from __future__ import annotations

import contextlib
import functools
import os
import re
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from .errors import InputError, OutputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

TEMP_PREFIX = ".podcast-tmp-"
STALE_AFTER = 3600
"""Seconds after which a leftover temp file is taken for a killed run's and removed."""

# Names Windows refuses as files, whatever the extension (episodes get copied around).
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def slugify(title: str, *, max_length: int = 80, fallback: str = "episode") -> str:
    """A file-system-safe, ASCII, lower-case slug; never empty, never a path, never a reserved name."""
    text = unicodedata.normalize("NFKD", title)
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    text = text[:max_length].rstrip("-")
    if text in _RESERVED:
        text = f"{text}-{fallback}"
    return text or fallback


def is_temp(path: str | os.PathLike) -> bool:
    """True for our in-progress (or killed-run) temp files: scans must never publish them."""
    return Path(path).name.startswith(TEMP_PREFIX)


class FileGroup:
    """Files written under temp names beside their final names, then published together.

    `commit()` fsyncs every temp first and only then renames them in the order they were
    added, so the files of one episode appear within microseconds of each other: a SIGKILL
    can no longer fall between a new MP3 and the manifest that describes it (a rename is all
    that separates them). Temps not committed are removed.
    """

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []

    def path(self, final: str | os.PathLike, suffix: str = "") -> Path:
        """A new temp file beside `final`, renamed onto it by `commit()`."""
        final = Path(final)
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=suffix or final.suffix, dir=final.parent)
            os.close(fd)
            # mkstemp makes 0600; published files should get the usual umask-based mode.
            os.chmod(tmp_name, 0o666 & ~_umask())
        except OSError as exc:
            raise OutputError(f"cannot write: {exc.strerror or exc}", path=final) from exc
        self._pending.append((Path(tmp_name), final))
        return Path(tmp_name)

    def write_text(self, final: str | os.PathLike, text: str) -> None:
        """Text (UTF-8, LF) for `final`, published by `commit()`."""
        tmp = self.path(final)
        try:
            with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        except OSError as exc:
            raise OutputError(f"cannot write: {exc.strerror or exc}", path=final) from exc

    def commit(self) -> None:
        for tmp, final in self._pending:
            try:
                with open(tmp, "rb+") as fh:
                    os.fsync(fh.fileno())
            except OSError as exc:
                raise OutputError(f"cannot write: {exc.strerror or exc}", path=final) from exc
        for tmp, final in self._pending:
            try:
                os.replace(tmp, final)
            except OSError as exc:
                raise OutputError(f"cannot write: {exc.strerror or exc}", path=final) from exc
        for folder in dict.fromkeys(final.parent for _, final in self._pending):
            _fsync_dir(folder)
        self._pending = []

    def discard(self) -> None:
        for tmp, _ in self._pending:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        self._pending = []


@contextlib.contextmanager
def file_group(main: str | os.PathLike) -> Iterator[FileGroup]:
    """A `FileGroup` committed when the block ends normally, discarded on any exception (Ctrl-C too).

    An OSError inside the block becomes an OutputError naming `main`, the file the group is for.
    """
    group = FileGroup()
    try:
        yield group
        group.commit()
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=main) from exc
    finally:
        group.discard()


@contextlib.contextmanager
def atomic_path(final: str | os.PathLike, suffix: str = "") -> Iterator[Path]:
    """Yield a temp path beside `final`; on success fsync and rename it into place.

    On any exception (Ctrl-C included) the temp file is removed and `final` is untouched.
    """
    with file_group(final) as group:
        yield group.path(final, suffix)


@contextlib.contextmanager
def atomic_open(final: str | os.PathLike, mode: str = "w", **kwargs) -> Iterator[IO]:
    """Open a temp file beside `final` for writing; it replaces `final` only on success."""
    if "b" not in mode:
        kwargs.setdefault("encoding", "utf-8")
        kwargs.setdefault("newline", "\n")
    with atomic_path(final) as tmp:
        with open(tmp, mode, **kwargs) as fh:
            yield fh


def write_text(final: str | os.PathLike, text: str) -> None:
    """Write text atomically (UTF-8, LF)."""
    with atomic_open(final, "w") as fh:
        fh.write(text)


def write_bytes(final: str | os.PathLike, data: bytes) -> None:
    """Write bytes atomically."""
    with atomic_open(final, "wb") as fh:
        fh.write(data)


def remove_stale_temps(
    folder: str | os.PathLike, max_age: float = STALE_AFTER, matches: Callable[[str], object] = is_temp
) -> int:
    """Remove temp files a killed run left behind (old ones only, so a concurrent live run is safe).

    `matches` tells a temp's name (ours by default; the clip cache has its own). Returns the count.
    """
    cutoff = time.time() - max_age
    removed = 0
    try:
        entries = list(os.scandir(os.fspath(folder)))
    except OSError:
        return 0
    for entry in entries:
        if matches(entry.name):
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < cutoff:
                    os.unlink(entry.path)
                    removed += 1
    return removed


@contextlib.contextmanager
def folder_lock(folder: str | os.PathLike) -> Iterator[None]:
    """Hold an exclusive lock on `folder` while a shared file in it is rebuilt (feed, page).

    Two renders publishing at once would otherwise each rebuild the feed from the manifests
    they saw, and the last writer could drop the other's episode. POSIX flock on the folder
    itself, so no lock file is left behind; where flock is missing (Windows) it does nothing.
    """
    try:
        import fcntl
    except ImportError:
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # a missing folder: the caller reports it
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


@functools.lru_cache(maxsize=1)
def _umask() -> int:
    # os.umask can only be read by setting it, which races with threads creating
    # folders (they would get 0777); Linux shows it in /proc, so read it there when possible.
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable across a power cut (not possible, and not needed, on Windows)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def read_toml(path: str | os.PathLike, what: str) -> dict:
    """Parse a TOML settings file (a UTF-8 byte-order mark, as Notepad writes, is accepted).

    `what` names the file in errors ("lexicon", "show settings"); a syntax error names the key
    on the line where the parser stopped.
    """
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{what} not found", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the {what}: {exc}", path=path) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"malformed TOML: {exc}{_near_key(text, str(exc))}", path=path) from None


def _near_key(text: str, message: str) -> str:
    """' (key 'x')' for the line tomllib stopped at, so the user sees which setting is broken."""
    found = re.search(r"at line (\d+)", message)
    if not found:
        return ""
    lines = text.splitlines()
    number = int(found.group(1))
    line = lines[number - 1] if 0 < number <= len(lines) else ""
    key = re.match(r"\s*([A-Za-z0-9_.\"-]+)\s*=", line)
    return f" (key {key.group(1).strip(chr(34))!r})" if key else ""
