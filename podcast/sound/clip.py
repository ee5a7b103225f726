"""One clip at a time: the one decoder (any engine clip -> 16-bit mono PCM) and trimming.

Compressed clips go through the ffmpeg boundary; everything after works on PCM with pydub,
which is good at clip-level work (silence detection, slicing, resampling) and never runs
ffmpeg here: it only ever gets raw samples.
"""

from __future__ import annotations

import functools
import logging
import struct
import warnings
from types import ModuleType
from typing import TYPE_CHECKING

from ..cancel import CancelToken
from ..errors import EngineError
from ..types import Clip
from . import ffmpeg
from .graph import decode_args

if TYPE_CHECKING:
    from pydub import AudioSegment

log = logging.getLogger(__name__)

DECODE_TIMEOUT = 120.0
"""Seconds one clip may take to decode (a second or less in practice) before it counts as undecodable."""


@functools.lru_cache(maxsize=1)
def pydub() -> ModuleType:
    """The pydub module, imported once, its globals untouched (it is never given our ffmpeg)."""
    with warnings.catch_warnings():
        # pydub warns at import when no ffmpeg is on PATH: it never needs one here.
        warnings.simplefilter("ignore", RuntimeWarning)
        import pydub as _pydub
        from pydub import silence  # noqa: F401  (a submodule: loaded now, under the same filter)
    return _pydub


def decode_clip(clip: Clip, *, cancel: CancelToken | None = None, timeout: float | None = DECODE_TIMEOUT) -> Clip:
    """The clip as 16-bit mono PCM at its own rate; EngineError if it is not audio."""
    if clip.format != "pcm":

        def undecodable(why: str) -> EngineError:
            log.debug("undecodable %s clip: %s", clip.format, why)
            return EngineError(f"the engine returned undecodable {clip.format} audio")

        wav = ffmpeg.output(decode_args(clip.format), input=clip.data, fail=undecodable, cancel=cancel, timeout=timeout)
        try:
            clip = _read_wav(wav)
        except (ValueError, struct.error) as exc:
            raise undecodable(str(exc)) from None
    if clip.channels == 1 and clip.sample_width == 2:
        return clip
    seg = _segment(clip).set_channels(1).set_sample_width(2)
    return Clip(seg.raw_data, "pcm", seg.frame_rate, 2, 1)


def trim_clip(clip: Clip, threshold: float, margin_ms: int = 20, rate: int | None = None) -> tuple[Clip, int, int]:
    """Decode a clip and cut its own leading and trailing silence, keeping a short margin for soft consonants.

    Returns (16-bit mono PCM at `rate`, or the clip's own rate, kept leading margin ms, kept
    trailing margin ms); the caller counts the margins as part of the pause around the clip.
    """
    seg, lead_ms, tail_ms = trim(_segment(decode_clip(clip)), threshold, margin_ms)
    if rate is not None and seg.frame_rate != rate:
        seg = seg.set_frame_rate(rate)
    return Clip(seg.raw_data, "pcm", seg.frame_rate, 2, 1), lead_ms, tail_ms


def trim(seg: AudioSegment, threshold: float, margin_ms: int = 20) -> tuple[AudioSegment, int, int]:
    """Cut a pydub AudioSegment's leading and trailing silence; returns (segment, lead ms, tail ms) kept."""
    silence = pydub().silence
    lead = silence.detect_leading_silence(seg, silence_threshold=threshold, chunk_size=5)
    if lead >= len(seg):
        return seg[:0], 0, 0
    tail = silence.detect_leading_silence(seg.reverse(), silence_threshold=threshold, chunk_size=5)
    start = max(0, lead - margin_ms)
    end = min(len(seg), len(seg) - tail + margin_ms)
    return seg[start:end], lead - start, end - (len(seg) - tail)


def _segment(clip: Clip) -> AudioSegment:
    return pydub().AudioSegment(
        data=clip.data, sample_width=clip.sample_width, frame_rate=clip.sample_rate, channels=clip.channels
    )


def _read_wav(data: bytes) -> Clip:
    """The PCM in the WAV ffmpeg streamed out (its sizes unset: the samples run to the end)."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError("no WAV header in ffmpeg's output")
    position, fmt = 12, None
    while position + 8 <= len(data):
        name, size = data[position : position + 4], struct.unpack_from("<I", data, position + 4)[0]
        body = position + 8
        if name == b"fmt ":
            fmt = struct.unpack_from("<HHIIHH", data, body)
        elif name == b"data":
            if fmt is None:
                break
            _, channels, rate, _, _, bits = fmt
            width = bits // 8
            samples = data[body:]
            samples = samples[: len(samples) - len(samples) % (width * channels)]
            return Clip(samples, "pcm", rate, width, channels)
        position = body + size + size % 2
    raise ValueError("no audio in ffmpeg's output")
