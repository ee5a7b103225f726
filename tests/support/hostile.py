"""Shared tools of the robustness suite: run the real CLI in a subprocess, build hostile inputs,
and check what a user would see (one stderr line, an exit code, a clean output folder)."""

from __future__ import annotations

import ctypes
import hashlib
import os
import struct
import subprocess
import sys
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from podcast.files import TEMP_PREFIX
from tests.support.audio import decode

ROOT = Path(__file__).resolve().parents[2]

# Short enough to render in well under a second with espeak; two paragraphs, accents.
SHORT_ARTICLE = (
    "Titre court\n\n"
    "Le café de la gare a rouvert ses portes lundi matin, après trois mois de travaux.\n\n"
    "Les habitués sont revenus très tôt. « Enfin ! » a dit une cliente.\n"
)


@dataclass
class Run:
    """What a user sees after one command."""

    code: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stderr.splitlines()


def run_cli(
    *args: str | os.PathLike,
    cwd: Path | None = None,
    env: dict | None = None,
    preexec_fn=None,
    timeout: float = 120,
    input: bytes | None = None,
) -> Run:
    """`python -m podcast ARGS` in a fresh interpreter, exactly as a user runs it.

    Without `cwd` it runs in a throwaway folder, never in the repository.
    """
    with tempfile.TemporaryDirectory() as scratch:
        proc = subprocess.run(
            [sys.executable, "-m", "podcast", *map(str, args)],
            cwd=cwd or scratch,
            env=env or cli_env(),
            preexec_fn=preexec_fn,
            capture_output=True,
            timeout=timeout,
            input=input if input is not None else b"",
        )
    return Run(proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))


def espeak_render_argv(out: Path, cache: Path, article: Path) -> list[str]:
    """`podcast -q render` with espeak into `out`, caching in `cache`: the render the fault tests interrupt."""
    cmd = ["-q", "render", "--engine", "espeak", "-o", str(out), "--cache-dir", str(cache), str(article)]
    return [sys.executable, "-m", "podcast", *cmd]


def cli_env(**extra: str) -> dict:
    """The test process's environment (isolated cache, unreachable Google) plus `extra`."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("PYTHONWARNINGS", None)
    env.update(extra)
    return env


def assert_one_line_error(run: Run, code: int, *fragments: str) -> str:
    """Exit `code`, nothing on stdout, exactly one stderr line containing every fragment."""
    assert "Traceback" not in run.stderr, run.stderr
    assert run.code == code, (run.code, run.stderr)
    assert len(run.lines) == 1, run.stderr
    line = run.lines[0]
    assert line.startswith("podcast: "), line
    for fragment in fragments:
        assert fragment in line, (fragment, line)
    return line


def stray_files(folder: Path) -> list[str]:
    """Anything in `folder` (recursively); an output folder after a failure must have none."""
    if not folder.exists():
        return []
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(TEMP_PREFIX + "*")) if folder.exists() else []


def only_episode(folder: Path) -> Path:
    mp3s = sorted(p for p in folder.glob("*.mp3") if not p.name.startswith("."))
    assert len(mp3s) == 1, stray_files(folder)
    return mp3s[0]


def assert_valid_mp3(path: Path, min_seconds: float = 0.5) -> float:
    """Decode the whole file with ffmpeg (any error fails) and return its duration in seconds."""
    samples = decode(path, rate=8000)
    seconds = len(samples) / 8000
    assert seconds >= min_seconds, (path, seconds)
    assert max(abs(s) for s in samples[::7]) > 1000, f"{path} is silent"
    return seconds


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_cache_intact(cache: Path) -> int:
    """Every clip in the cache decodes; returns how many there are."""
    clips = [p for p in cache.rglob("*") if p.is_file() and not p.name.startswith(".")] if cache.exists() else []
    for clip in clips:
        decode(clip, rate=8000)
    return len(clips)


# --- hostile inputs -----------------------------------------------------------------------------


def png_bytes() -> bytes:
    """A real 1x1 PNG (signature, IHDR, IDAT, IEND)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = chunk(b"IDAT", zlib.compress(b"\0\xff\0\0"))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + idat + chunk(b"IEND", b"")


FIVE_MB = 5 * 1024 * 1024
BIG_SENTENCE = "Le chat de la voisine dort au soleil sur le rebord de la fenêtre. "


def five_mb_line() -> bytes:
    """5 MiB of French sentences on one line, no newline at all."""
    unit = BIG_SENTENCE.encode("utf-8")
    return (unit * (FIVE_MB // len(unit) + 1))[:FIVE_MB].rsplit(b" ", 1)[0]


def drop_read_permission_bypass() -> None:
    """preexec_fn: this child (even as root) obeys file modes, as any user's process would.

    Root bypasses modes through CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH; dropping both
    from the bounding set before exec removes them from the child. Linux only.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 24, 1, 2
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def can_drop_read_bypass() -> bool:
    """Whether this machine lets a child drop its capabilities (containers may forbid prctl)."""
    try:
        subprocess.run(["true"], preexec_fn=drop_read_permission_bypass, check=True)
    except (subprocess.SubprocessError, OSError):
        return False
    return True


def as_plain_user():
    """preexec_fn making the CLI obey file modes, or skip the test where that is impossible."""
    import pytest

    if os.geteuid() != 0:
        return None  # a plain user already obeys chmod
    if not can_drop_read_bypass():
        pytest.skip("running as root without the right to drop capabilities: chmod cannot deny root")
    return drop_read_permission_bypass
