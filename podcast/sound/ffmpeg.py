"""The bundled ffmpeg (imageio-ffmpeg wheel), resolved once, and pydub pointed at it explicitly."""

from __future__ import annotations

import contextlib
import functools
import re
import signal
import subprocess
import warnings

from ..errors import EngineError


@functools.lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    """Path of the ffmpeg binary shipped in the imageio-ffmpeg wheel."""
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except Exception as exc:  # the wheel raises RuntimeError when its binary is missing
        raise EngineError(f"the bundled ffmpeg is missing: {exc}") from exc


@functools.lru_cache(maxsize=1)
def pydub():
    """Import pydub with its converter set to the bundled ffmpeg (pydub guesses at import)."""
    with warnings.catch_warnings():
        # pydub warns at import when no ffmpeg is on PATH; we never use PATH.
        warnings.simplefilter("ignore", RuntimeWarning)
        import pydub as _pydub
    _pydub.AudioSegment.converter = ffmpeg_exe()
    _pydub.AudioSegment.ffmpeg = ffmpeg_exe()
    return _pydub


def run(args: list[str], *, what: str, input: bytes | None = None) -> subprocess.CompletedProcess:
    """Run the bundled ffmpeg quietly; an EngineError carries its last error line."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", *args]
    proc = subprocess.run(cmd, input=input, capture_output=True)
    if proc.returncode != 0:
        raise EngineError(f"ffmpeg failed to {what}: {last_error_line(proc.stderr)}")
    return proc


# What the system said when a write failed; ffmpeg prints it mid-log, often before summaries.
_OS_ERRORS = ("No space left on device", "File too large", "Disk quota exceeded", "Read-only file system",
              "Permission denied", "Input/output error")


def last_error_line(stderr: bytes, returncode: int | None = None) -> str:
    """The line of ffmpeg's log that says why it failed, for a one-line error message."""
    if returncode is not None and returncode < 0:
        # Killed: the log says nothing. SIGXFSZ is a file-size limit (ulimit -f) being reached.
        if -returncode == getattr(signal, "SIGXFSZ", None):
            return "file too large (the file size limit, ulimit -f, was reached)"
        with contextlib.suppress(ValueError):
            return f"ffmpeg was killed ({signal.Signals(-returncode).name})"
    # Without ffmpeg's "[out#0/flac @ 0x55d9...]" context tags, which mean nothing to a user.
    lines = [re.sub(r"^(\[[^\]]* @ 0x[0-9a-f]+\]\s*)+", "", l.strip())
             for l in stderr.decode("utf-8", "replace").splitlines() if l.strip()]
    for line in reversed(lines):
        if any(error in line for error in _OS_ERRORS):
            return line
    return lines[-1] if lines else "unknown error"


def parse_ebur128(stderr: str) -> dict[str, float]:
    """Integrated loudness (I), range (LRA) and peaks from the ebur128 filter's summary."""
    summary = stderr[stderr.rfind("Summary:"):]
    values: dict[str, float] = {}
    for key, pattern in (("I", r"I:\s+(-?[\d.]+|-inf) LUFS"), ("LRA", r"LRA:\s+(-?[\d.]+) LU"),
                         ("peak", r"Peak:\s+(-?[\d.]+|-inf) dBFS")):
        found = re.search(pattern, summary)
        if found:
            values[key] = float(found.group(1))
    return values
