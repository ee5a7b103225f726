"""Clips -> one MP3, streamed: pydub shapes each clip, ffmpeg measures and encodes the whole.

Pass 1 pipes every trimmed clip and its pause, in order, into one ffmpeg process that
resamples, measures loudness (ebur128) and writes a lossless FLAC beside the output.
Pass 2 encodes that FLAC once to CBR MP3 with the gain that hits the loudness target,
a true-peak limiter, and the optional tempo change. Memory stays flat: only one clip is
ever decoded at a time, and offsets are counted in samples, not re-measured.
"""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Iterable, Iterator

from .engines import Audio
from .errors import EngineError, InputError, OutputError
from .ffmpeg import ffmpeg_exe, last_error_line, parse_ebur128, pydub
from .files import TEMP_PREFIX
from .script import Segment

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MixSettings:
    """How the episode is mastered and encoded."""

    sample_rate: int = 44100
    """Output sample rate (Hz); podcast hosts expect 44.1 kHz."""
    stereo: bool = False
    """Two channels; speech is mono, so this only doubles the size."""
    bitrate: int | None = None
    """Constant bitrate in kbps; None: 96 mono, 128 stereo."""
    loudness: float | None = None
    """Integrated loudness target in LUFS; None: -19 mono (plays as -16 on two speakers), -16 stereo."""
    true_peak: float = -1.0
    """Ceiling in dBTP."""
    speed: float = 1.0
    """Tempo factor (0.5-2.0), pitch unchanged."""
    trim_threshold: float = -50.0
    """Clip edges quieter than this (dBFS) are trimmed, so pauses are what was asked."""
    intro: Path | None = None
    outro: Path | None = None

    @property
    def channels(self) -> int:
        return 2 if self.stereo else 1

    @property
    def kbps(self) -> int:
        return self.bitrate or (128 if self.stereo else 96)

    @property
    def target_lufs(self) -> float:
        if self.loudness is not None:
            return self.loudness
        return -16.0 if self.stereo else -19.0

    def validate(self) -> None:
        if not 0.5 <= self.speed <= 2.0:
            raise InputError(f"--speed {self.speed} is outside 0.5-2.0")
        if not -30.0 <= self.target_lufs <= -10.0:
            raise InputError(f"--loudness {self.target_lufs} is outside -30 to -10 LUFS")
        if not 32 <= self.kbps <= 320:
            raise InputError(f"--bitrate {self.kbps} is outside 32-320 kbps")


@dataclass(frozen=True)
class Placement:
    """Where one segment's speech sits in the finished episode (seconds)."""

    start: float
    end: float


@dataclass
class Mixdown:
    """What assembly measured: final duration, every segment's place, and the loudness reached."""

    duration: float
    placements: list[Placement] = field(default_factory=list)
    loudness_in: float | None = None
    gain_db: float = 0.0


def clip_to_segment(audio: Audio):
    """Decode one engine clip into a pydub AudioSegment (mono, 16-bit)."""
    AudioSegment = pydub().AudioSegment
    if audio.format == "pcm":
        seg = AudioSegment(data=audio.data, sample_width=audio.sample_width,
                           frame_rate=audio.sample_rate, channels=audio.channels)
    else:
        try:
            # Naming the decoder spares pydub its ffprobe call (the wheel ships ffmpeg only).
            seg = AudioSegment.from_file(BytesIO(audio.data), format=audio.format,
                                         codec={"mp3": "mp3float", "wav": "pcm_s16le"}.get(audio.format))
        except Exception as exc:  # pydub raises CouldntDecodeError or IndexError on garbage
            raise EngineError(f"the engine returned undecodable {audio.format} audio") from exc
    return seg.set_channels(1).set_sample_width(2)


def trim(seg, threshold: float, margin_ms: int = 30):
    """Cut a clip's own leading and trailing silence, keeping a short margin for soft consonants."""
    silence = pydub().silence
    lead = silence.detect_leading_silence(seg, silence_threshold=threshold, chunk_size=5)
    tail = silence.detect_leading_silence(seg.reverse(), silence_threshold=threshold, chunk_size=5)
    start = max(0, lead - margin_ms)
    end = min(len(seg), len(seg) - tail + margin_ms)
    return seg[start:end] if end > start else seg[:0]


def assemble(clips: Iterable[tuple[Segment, Audio]], output: Path, settings: MixSettings) -> Mixdown:
    """Stream clips into `output` (an MP3 path); return each segment's placement."""
    settings.validate()
    output = Path(output)
    with _temp_beside(output, ".flac") as flac, _temp_beside(output, ".log") as log1:
        rate, offsets, total = _pass_one(clips, flac, log1, settings)
        measured = parse_ebur128(log1.read_text("utf-8", "replace"))
        loudness_in = measured.get("I")
        gain = 0.0 if loudness_in is None or loudness_in < -70 else settings.target_lufs - loudness_in
        _pass_two(flac, output, gain, settings)
    scale = settings.sample_rate / rate / settings.speed
    placements = [Placement(a * scale / settings.sample_rate, b * scale / settings.sample_rate) for a, b in offsets]
    duration = total * scale / settings.sample_rate
    return Mixdown(duration=duration, placements=placements, loudness_in=loudness_in, gain_db=gain)


@contextlib.contextmanager
def _temp_beside(path: Path, suffix: str) -> Iterator[Path]:
    try:
        fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=suffix, dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=path.parent) from exc
    try:
        yield Path(name)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)


def _pass_one(clips, flac: Path, log_path: Path, settings: MixSettings):
    """Pipe clips + pauses into ffmpeg (resample, ebur128, FLAC). Returns (rate, sample offsets, total)."""
    proc = None
    rate = 0
    position = 0
    offsets: list[tuple[int, int]] = []
    try:
        with open(log_path, "wb") as errlog:
            for segment, audio in clips:
                seg = trim(clip_to_segment(audio), settings.trim_threshold)
                if proc is None:
                    rate = seg.frame_rate
                    proc = _start_pass_one(rate, flac, errlog, settings)
                elif seg.frame_rate != rate:
                    seg = seg.set_frame_rate(rate)
                pcm = seg.raw_data
                start = position
                position += len(pcm) // 2
                offsets.append((start, position))
                pause = int(round(segment.pause_after * rate))
                position += pause
                proc.stdin.write(pcm)
                proc.stdin.write(b"\0\0" * pause)
            if proc is None:
                raise InputError("nothing to speak")
            proc.stdin.close()
            code = proc.wait()
            proc = None
    except BrokenPipeError:
        code = proc.wait() if proc else 1
        proc = None
    finally:
        if proc is not None:  # an exception (or Ctrl-C) mid-stream: stop the encoder
            proc.kill()
            proc.wait()
    if code != 0:
        raise OutputError(f"ffmpeg failed while assembling: {last_error_line(log_path.read_bytes())}", path=flac.parent)
    return rate, offsets, position


def _start_pass_one(rate: int, flac: Path, errlog, settings: MixSettings) -> subprocess.Popen:
    cmd = [
        ffmpeg_exe(), "-hide_banner", "-nostdin", "-y",
        "-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "pipe:0",
        "-af", f"aresample={settings.sample_rate},ebur128=peak=sample",
        "-c:a", "flac", "-compression_level", "0", "-f", "flac", str(flac),
    ]
    return subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errlog)


def _pass_two(flac: Path, output: Path, gain: float, settings: MixSettings) -> None:
    """Encode once: gain to target, tempo, true-peak-safe limiter, CBR MP3 with a Xing/LAME header."""
    # Sample peaks held 1 dB under the ceiling leave room for MP3 inter-sample overs.
    limit = 10 ** ((settings.true_peak - 1.0) / 20)
    filters = [f"volume={gain:.2f}dB"]
    if settings.speed != 1.0:
        filters.append(f"atempo={settings.speed:.4f}")
    filters.append(f"alimiter=limit={limit:.4f}:attack=5:release=50:level=disabled")
    if settings.stereo:
        filters.append("pan=stereo|c0=c0|c1=c0")
    cmd = [
        ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", "-i", str(flac),
        "-af", ",".join(filters),
        "-ar", str(settings.sample_rate), "-ac", str(settings.channels),
        "-c:a", "libmp3lame", "-b:a", f"{settings.kbps}k",
        "-id3v2_version", "0", "-write_xing", "1", "-f", "mp3", str(output),
    ]
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        raise OutputError(f"ffmpeg failed to encode the MP3: {last_error_line(proc.stderr)}", path=output)
