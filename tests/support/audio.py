"""Probes that measure real audio with the bundled ffmpeg: decode, loudness, silences."""

from __future__ import annotations

import re
import subprocess
from array import array
from pathlib import Path

from podcast.sound.ffmpeg import ffmpeg_exe
from podcast.sound.loudness import parse_ebur128


def decode(path: Path, rate: int = 16000) -> array:
    """Decode a file to mono signed 16-bit samples at `rate`; fails on any decode error."""
    proc = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-xerror", "-i", str(path), "-f", "s16le", "-ac", "1", "-ar", str(rate), "-"],
        capture_output=True,
    )
    assert proc.returncode == 0 and not proc.stderr.strip(), proc.stderr.decode()
    samples = array("h")
    samples.frombytes(proc.stdout)
    return samples


def stream_info(path: Path) -> dict:
    """Codec, rate and channels as ffmpeg reports them (no ffprobe needed)."""
    err = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-i", str(path)], capture_output=True, text=True, errors="replace"
    ).stderr
    found = re.search(r"Audio: (\w+).*?, (\d+) Hz, (mono|stereo)", err)
    assert found, err
    return {
        "codec": found.group(1),
        "rate": int(found.group(2)),
        "channels": 1 if found.group(3) == "mono" else 2,
        "stderr": err,
    }


def loudness(path: Path) -> dict:
    """Integrated loudness (I, LUFS) and true peak (peak, dBTP) by ffmpeg's ebur128 filter."""
    err = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostats", "-i", str(path), "-af", "ebur128=peak=true", "-f", "null", "-"],
        capture_output=True,
        text=True,
        errors="replace",
    ).stderr
    return parse_ebur128(err)


def silences(path: Path, noise_db: float = -45, min_len: float = 0.2) -> list[tuple[float, float]]:
    """(start, end) of each silence silencedetect finds."""
    err = subprocess.run(
        [
            ffmpeg_exe(),
            "-hide_banner",
            "-nostats",
            "-i",
            str(path),
            "-af",
            f"silencedetect=noise={noise_db}dB:d={min_len}",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        errors="replace",
    ).stderr
    starts = [float(x) for x in re.findall(r"silence_start: (-?[\d.]+)", err)]
    ends = [float(x) for x in re.findall(r"silence_end: ([\d.]+)", err)]
    return list(zip(starts, ends))


def rms(samples: array) -> float:
    if not samples:
        return 0.0
    return (sum(s * s for s in samples) / len(samples)) ** 0.5
