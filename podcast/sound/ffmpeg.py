"""The one ffmpeg boundary: every process the package starts is started, fed, timed out, killed and named here.

The binary is the one the imageio-ffmpeg wheel ships, resolved once; PATH is never searched,
and no other library (pydub) is pointed at it. Callers pass the arguments (the binary is added
here) and say which error a failure becomes, through `failed()` or their own `Failure`.

- `run(args, fail=...)` runs ffmpeg to its end and returns its log (where measurements go);
  `output(...)` returns what it wrote to stdout instead.
- `Process(args, fail=...)` is a streaming encoder fed through stdin, its log in a temp file;
  used as a context manager it is killed and reaped on any exception (Ctrl-C included).

Given a `CancelToken`, a process is killed the moment the token is cancelled, and the call
waiting on it raises `Cancelled` rather than ffmpeg's failure.
"""

from __future__ import annotations

import contextlib
import functools
import re
import signal
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from typing import IO, cast

from ..cancel import Cancelled, CancelToken
from ..errors import EngineError, OutputError, PodcastError

Failure = Callable[[str], PodcastError]
"""Makes the error a failed ffmpeg raises, from ffmpeg's own one-line reason."""


@functools.lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    """Path of the ffmpeg binary shipped in the imageio-ffmpeg wheel."""
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except Exception as exc:  # the wheel raises RuntimeError when its binary is missing
        raise EngineError(f"the bundled ffmpeg is missing: {exc}") from exc


def failed(what: str, error: type[PodcastError] = OutputError, path: object = None) -> Failure:
    """The usual failure: `error("ffmpeg failed <what>: <reason>")`, e.g. what="to encode the MP3"."""
    return lambda why: error(f"ffmpeg failed {what}: {why}", path=path)


def run(
    args: Sequence[str],
    *,
    fail: Failure,
    input: bytes | None = None,
    cancel: CancelToken | None = None,
    timeout: float | None = None,
) -> bytes:
    """Run ffmpeg to its end, `input` on its stdin; return its log (stderr)."""
    return _complete(args, fail, input, cancel, timeout, capture=False)[1]


def output(
    args: Sequence[str],
    *,
    fail: Failure,
    input: bytes | None = None,
    cancel: CancelToken | None = None,
    timeout: float | None = None,
) -> bytes:
    """Run ffmpeg to its end, `input` on its stdin; return what it wrote to stdout."""
    return _complete(args, fail, input, cancel, timeout, capture=True)[0]


def _complete(
    args: Sequence[str],
    fail: Failure,
    data: bytes | None,
    cancel: CancelToken | None,
    timeout: float | None,
    capture: bool,
) -> tuple[bytes, bytes]:
    if cancel is not None:
        cancel.check()
    proc = _start(
        args,
        fail,
        stdin=subprocess.DEVNULL if data is None else subprocess.PIPE,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    with proc:  # closes the pipes and reaps it, whatever happens
        forget = cancel.on_cancel(functools.partial(_kill, proc)) if cancel is not None else _nothing
        try:
            out, err = proc.communicate(data, timeout=timeout)
        except BaseException as exc:
            _kill(proc)
            proc.wait()
            if isinstance(exc, subprocess.TimeoutExpired):
                raise fail(f"no result after {timeout:g} s") from None
            raise
        finally:
            forget()
    if proc.returncode != 0:
        if cancel is not None and cancel.cancelled:
            raise Cancelled(cancel.reason or "interrupted")
        raise fail(last_error_line(err, proc.returncode))
    return out or b"", err or b""


class Process:
    """A running ffmpeg fed through stdin; its log goes to a temp file.

    A pipe nobody reads until the end could fill and stall ffmpeg, hence the file. Leaving the
    `with` block kills ffmpeg if it still runs; so does cancelling the token, after which
    `write` and `finish` raise `Cancelled`.
    """

    def __init__(self, args: Sequence[str], *, fail: Failure, cancel: CancelToken | None = None):
        if cancel is not None:
            cancel.check()
        self._fail, self._cancel = fail, cancel
        try:
            self._log = tempfile.TemporaryFile()
        except OSError as exc:
            raise fail(f"cannot write its log: {exc.strerror or exc}") from exc
        try:
            self._proc = _start(args, fail, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._log)
        except BaseException:
            self._log.close()
            raise
        self._stdin = cast(IO[bytes], self._proc.stdin)  # a pipe: stdin=PIPE above
        # on_cancel kills at once if the token was cancelled since the check above.
        self._forget = cancel.on_cancel(self.kill) if cancel is not None else _nothing

    def __enter__(self) -> Process:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def write(self, data: bytes) -> None:
        """Feed ffmpeg; raises its failure (or Cancelled) if it died."""
        try:
            self._stdin.write(data)
        except OSError:  # a broken pipe: ffmpeg died (a full disk) or was killed
            self._proc.wait()
            raise self._failure() from None

    def finish(self, timeout: float | None = None) -> bytes:
        """Close stdin and wait for ffmpeg to end; return its log, or raise its failure (or Cancelled)."""
        with contextlib.suppress(OSError):  # a broken pipe while flushing: the exit code says why
            self._stdin.close()
        try:
            self._proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise self._fail(f"no result after {timeout:g} s") from None
        if self._proc.returncode != 0:
            raise self._failure()
        return self._read_log()

    def kill(self) -> None:
        """Stop ffmpeg now (safe from another thread or a cancel callback)."""
        _kill(self._proc)

    def close(self) -> None:
        """Kill ffmpeg if it still runs, reap it, and drop its log and cancel hook."""
        try:
            if self._proc.poll() is None:
                self.kill()
            self._proc.wait()
        finally:
            self._forget()
            with contextlib.suppress(OSError):
                self._stdin.close()
            self._log.close()

    def _failure(self) -> PodcastError:
        if self._cancel is not None and self._cancel.cancelled:
            return Cancelled(self._cancel.reason or "interrupted")
        return self._fail(last_error_line(self._read_log(), self._proc.returncode))

    def _read_log(self) -> bytes:
        self._log.seek(0)
        return self._log.read()


def _start(args: Sequence[str], fail: Failure, **streams) -> subprocess.Popen:
    try:
        return subprocess.Popen([ffmpeg_exe(), *args], **streams)
    except OSError as exc:
        raise fail(f"cannot start it: {exc.strerror or exc}") from exc


def _kill(proc: subprocess.Popen) -> None:
    with contextlib.suppress(OSError):
        proc.kill()


def _nothing() -> None:
    pass


# What the system said when a write failed; ffmpeg prints it mid-log, often before summaries.
_OS_ERRORS = (
    "No space left on device",
    "File too large",
    "Disk quota exceeded",
    "Read-only file system",
    "Permission denied",
    "Input/output error",
)


def last_error_line(stderr: bytes, returncode: int | None = None) -> str:
    """The line of ffmpeg's log that says why it failed, for a one-line error message."""
    if returncode is not None and returncode < 0:
        # Killed: the log says nothing. SIGXFSZ is a file-size limit (ulimit -f) being reached.
        if -returncode == getattr(signal, "SIGXFSZ", None):
            return "file too large (the file size limit, ulimit -f, was reached)"
        with contextlib.suppress(ValueError):
            return f"ffmpeg was killed ({signal.Signals(-returncode).name})"
    # Without ffmpeg's "[out#0/flac @ 0x55d9...]" context tags, which mean nothing to a user.
    lines = [
        re.sub(r"^(\[[^\]]* @ 0x[0-9a-f]+\]\s*)+", "", line.strip())
        for line in stderr.decode("utf-8", "replace").splitlines()
        if line.strip()
    ]
    for line in reversed(lines):
        if any(error in line for error in _OS_ERRORS):
            return line
    return lines[-1] if lines else "unknown error"
