"""Atomic writes and safe file names: nothing half-written is ever left under a final name."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import socket
import sys
import tempfile
import threading
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
"""Seconds after which a leftover temp file whose owner cannot be told (an older version's, another
machine's) is taken for a killed run's and removed. Temps naming a live owner are never removed."""
JOURNAL_SUFFIX = ".commit"
"""A FileGroup's list of renames, kept while they run: a killed commit is finished by the next reader."""
# .podcast-tmp-<pid>.<start ticks>.<machine>-<random>: who made it, so a sweep can ask if it still runs.
_OWNED = re.compile(re.escape(TEMP_PREFIX) + r"(\d+)\.(\d+)\.([0-9a-f]{8})-")

# Names Windows refuses as files, whatever the extension (episodes get copied around).
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


SLUG_MAX = 80
"""Longest slug (file names are `<slug>.chapters.json` and the like: well under any file system's limit)."""


def slugify(title: str, *, max_length: int = SLUG_MAX, fallback: str = "episode") -> str:
    """A file-system-safe, ASCII, lower-case slug; never empty, never a path, never a reserved name.

    Accented Latin folds as it always has (published slugs must not move); other letters are
    transliterated by anyascii (Путин -> putin, 北京 -> bei-jing). A title with nothing to spell
    gets `episode-<hash of the title>`, so two such titles never share a slug.
    """
    text = _ascii(title).lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    text = text[:max_length].rstrip("-")
    if text in _RESERVED:
        text = f"{text}-{fallback}"
    return text or f"{fallback}-{title_hash(title)}"


def title_hash(title: str) -> str:
    """Six hex digits of the title: a short, stable suffix that tells two titles apart."""
    return hashlib.sha256(title.encode("utf-8", "surrogatepass")).hexdigest()[:6]


def _ascii(title: str) -> str:
    """The title in ASCII: what NFKD folds (é -> e) as before; other letters spelled by anyascii."""
    out: list[str] = []
    run: list[str] = []

    def spell() -> None:
        if run:
            from anyascii import anyascii

            text = unicodedata.normalize("NFC", "".join(run))
            spelled = anyascii(text)
            if not all(unicodedata.name(c, "").startswith("LATIN") for c in text if unicodedata.category(c)[0] == "L"):
                # Another script: its own word (Путин -> " Putin "), syllables apart (BeiJing -> "Bei Jing").
                spelled = " " + re.sub(r"(?<=[a-z])(?=[A-Z])", " ", spelled) + " "
            out.append(spelled)
            run.clear()

    for char in unicodedata.normalize("NFKD", title):
        category = unicodedata.category(char)
        if char.isascii():
            spell()
            out.append(char)
        elif (category[0] in "LN" and category != "Lm") or (category[0] == "M" and run):
            run.append(char)  # ß, œ, Cyrillic, Han...: letters NFKD does not fold
        else:
            spell()  # accents on folded letters, symbols, emoji: dropped, as slugs always did
    spell()
    return "".join(out)


def is_temp(path: str | os.PathLike) -> bool:
    """True for our in-progress (or killed-run) temp files: scans must never list them."""
    return Path(path).name.startswith(TEMP_PREFIX)


class FileGroup:
    """Files written under temp names beside their final names, then committed together (renamed into place).

    `commit()` fsyncs every temp first and only then renames them in the order they were
    added, the `main` file last (an MP3 after the manifest and captions that describe it), so
    the files of one episode appear within microseconds of each other; a journal lets the next
    reader finish renames a SIGKILL cut short. Temps not committed are removed.
    """

    def __init__(self, main: str | os.PathLike | None = None) -> None:
        self._pending: list[tuple[Path, Path]] = []
        self.main = Path(main) if main is not None else None
        """Committed last, after every file that describes it (an MP3 after its manifest)."""

    def path(self, final: str | os.PathLike, suffix: str = "") -> Path:
        """A new temp file beside `final`, renamed onto it by `commit()`."""
        final = Path(final)
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(), suffix=suffix or final.suffix, dir=final.parent)
            os.close(fd)
            # mkstemp makes 0600; committed files should get the usual umask-based mode.
            os.chmod(tmp_name, 0o666 & ~_umask())
        except OSError as exc:
            raise OutputError(f"cannot write: {exc.strerror or exc}", path=final) from exc
        self._pending.append((Path(tmp_name), final))
        return Path(tmp_name)

    def write_text(self, final: str | os.PathLike, text: str) -> None:
        """Text (UTF-8, LF) for `final`, renamed onto it by `commit()`."""
        tmp = self.path(final)
        try:
            with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        except OSError as exc:
            raise OutputError(f"cannot write: {exc.strerror or exc}", path=final) from exc

    def retarget(self, old: str | os.PathLike, new: str | os.PathLike) -> None:
        """Commit the temp meant for `old` under `new` instead (a slug decided at commit time)."""
        old, new = Path(old), Path(new)
        self._pending = [(tmp, new if final == old else final) for tmp, final in self._pending]
        if self.main == old:
            self.main = new

    def commit(self) -> None:
        """Sync every temp, then rename them, the main file last, under a journal.

        The journal (a temp file listing the renames, synced before the first one) makes the
        renames one step: if the process dies between two of them, the next render, feed or
        scan of the folder finishes them (`finish_commits`), so an MP3 never stays beside
        another render's manifest.
        """
        for tmp, final in self._pending:
            try:
                with open(tmp, "rb+") as fh:
                    os.fsync(fh.fileno())
            except OSError as exc:
                raise OutputError(f"cannot write: {exc.strerror or exc}", path=final) from exc
        order = sorted(self._pending, key=lambda pair: pair[1] == self.main)  # stable: main last
        journal = self._journal(order) if len(order) > 1 else None
        try:
            for tmp, final in order:
                try:
                    os.replace(tmp, final)
                except OSError as exc:
                    raise OutputError(f"cannot write: {exc.strerror or exc}", path=final) from exc
            for folder in dict.fromkeys(final.parent for _, final in order):
                _fsync_dir(folder)
        finally:
            if journal is not None:
                with contextlib.suppress(OSError):
                    journal.unlink()
        self._pending = []

    def _journal(self, order: list[tuple[Path, Path]]) -> Path | None:
        """Write and sync the list of renames beside the main file; None when they span folders."""
        folder = order[-1][1].parent
        if any(final.parent != folder or tmp.parent != folder for tmp, final in order):
            return None
        renames = [[tmp.name, final.name] for tmp, final in order]
        try:
            fd, name = tempfile.mkstemp(prefix=temp_prefix(), suffix=JOURNAL_SUFFIX, dir=folder)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"renames": renames}, fh)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            raise OutputError(f"cannot write: {exc.strerror or exc}", path=order[-1][1]) from exc
        _fsync_dir(folder)
        return Path(name)

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
    group = FileGroup(main)
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
    """Remove temp files a killed run left behind; returns the count.

    A temp whose name records its owner (`temp_prefix`) goes only once that process has ended,
    however old it is (a long render's temps stay untouched for hours); other temps (an older
    version's, another machine's) once older than `max_age`. An interrupted commit is finished
    first. `matches` tells a temp's name (ours by default; the clip cache has its own).
    """
    folder = os.fspath(folder)
    finish_commits(folder)
    cutoff = time.time() - max_age
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if not matches(entry.name):
            continue
        with contextlib.suppress(OSError):
            if not entry.is_file(follow_symlinks=False):
                continue
            alive = owner_alive(entry.name)
            if alive is False or (alive is None and entry.stat(follow_symlinks=False).st_mtime < cutoff):
                os.unlink(entry.path)
                removed += 1
    return removed


def temp_prefix() -> str:
    """The start of this process's temp names: TEMP_PREFIX, then who owns the temp.

    The owner is the pid, the process's start time (a reused pid is another process) and a
    digest of the machine (boot id and pid namespace: a pid means nothing on another host,
    after a reboot or in another container sharing the folder).
    """
    pid = os.getpid()
    return f"{TEMP_PREFIX}{pid}.{_start_ticks(pid) or 0}.{_machine()}-"


def owner_alive(name: str) -> bool | None:
    """Whether the process that made temp `name` still runs; None when the name cannot tell."""
    found = _OWNED.match(name)
    if not found or found.group(3) != _machine():
        return None
    pid, start = int(found.group(1)), int(found.group(2))
    if pid == os.getpid():
        return start in (0, _start_ticks(pid) or 0)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        pass
    except OSError:
        return None
    if start:
        now = _start_ticks(pid)
        if now is not None and now != start:
            return False  # the pid now belongs to another process
        if now is not None and _is_zombie(pid):
            return False
    return True


def finish_commits(folder: str | os.PathLike) -> int:
    """Complete the renames of FileGroup commits whose process died midway; returns how many.

    Every temp a journal lists was complete and synced before the first rename, so rolling
    forward commits the whole episode its process was committing. A journal that cannot be
    read was cut short before any rename: it is dropped, and its temps with it.
    """
    folder = Path(folder)
    try:
        journals = [e.name for e in os.scandir(folder) if is_temp(e.name) and e.name.endswith(JOURNAL_SUFFIX)]
    except OSError:
        return 0
    if not journals:
        return 0
    finished = 0
    with folder_lock(folder):
        for name in journals:
            alive = owner_alive(name)
            journal = folder / name
            try:
                if alive or (alive is None and journal.stat().st_mtime > time.time() - STALE_AFTER):
                    continue
                renames = _read_journal(journal)
                for tmp, final in renames:
                    with contextlib.suppress(FileNotFoundError):
                        os.replace(folder / tmp, folder / final)
                _fsync_dir(folder)
                journal.unlink()
            except OSError:
                continue
            finished += bool(renames)
    return finished


def _read_journal(journal: Path) -> list[tuple[str, str]]:
    """The (temp, final) names a journal lists; [] when it is damaged or names anything but plain files."""
    try:
        data = json.loads(journal.read_text("utf-8"))
        renames = [(str(tmp), str(final)) for tmp, final in data["renames"]]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError):
        return []
    for tmp, final in renames:
        for name in (tmp, final):
            if not name or name != Path(name).name or name in (".", ".."):
                return []
        if not is_temp(tmp) or is_temp(final):
            return []
    return renames


_held = threading.local()


@contextlib.contextmanager
def folder_lock(folder: str | os.PathLike) -> Iterator[None]:
    """Hold an exclusive lock on `folder` while its shared files change (an episode's commit, feed, page).

    Two renders committing at once would otherwise interleave: one's MP3 beside the other's
    manifest, two episodes with one number, a feed missing an episode. POSIX flock on the
    folder itself, so no lock file is left behind; where flock is missing (Windows) it does
    nothing. Re-entrant within a thread (a commit step may rebuild the feed).
    """
    try:
        import fcntl
    except ImportError:
        yield
        return
    key = os.path.realpath(folder)
    held: set[str] = _held.__dict__.setdefault("folders", set())
    if key in held:
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # a missing folder: the caller reports it
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        held.add(key)
        try:
            yield
        finally:
            held.discard(key)
    finally:
        os.close(fd)  # releases the lock


@functools.lru_cache(maxsize=1)
def _machine() -> str:
    ids = []
    for source in ("/proc/sys/kernel/random/boot_id", "/proc/self/ns/pid"):
        with contextlib.suppress(OSError):
            ids.append(os.readlink(source) if source.endswith("/pid") else Path(source).read_text().strip())
    ids.append(socket.gethostname())
    return hashlib.sha256("\0".join(ids).encode("utf-8", "replace")).hexdigest()[:8]


def _proc_stat(pid: int) -> list[str] | None:
    """/proc/PID/stat's fields after the command name (Linux); None elsewhere or when gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text("ascii", "replace")
    except OSError:
        return None
    return text[text.rfind(")") + 2 :].split()


@functools.lru_cache(maxsize=64)
def _own_start(pid: int) -> int | None:
    fields = _proc_stat(pid)
    return int(fields[19]) if fields and len(fields) > 19 else None


def _start_ticks(pid: int) -> int | None:
    """When process `pid` started, in clock ticks since boot (Linux); None where it cannot be read."""
    if pid == os.getpid():
        return _own_start(pid)
    fields = _proc_stat(pid)
    return int(fields[19]) if fields and len(fields) > 19 else None


def _is_zombie(pid: int) -> bool:
    fields = _proc_stat(pid)
    return fields is not None and bool(fields) and fields[0] in ("Z", "X")


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
    except RecursionError:
        raise InputError("malformed TOML: nested too deeply", path=path) from None


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
