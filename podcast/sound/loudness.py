"""Loudness decisions, as pure functions: what ebur128 said, and the gain the episode gets from it."""

from __future__ import annotations

import re
from dataclasses import dataclass

SILENT_LUFS = -70.0
"""ebur128's floor: anything quieter is silence and gets no gain."""
HOLD_SECONDS = 30.0
"""Speech measured before the streamed encode starts: its loudness sets the episode's gain."""
LOUDNESS_TOLERANCE = 0.3
"""LU the whole may differ from that opening before the MP3 is encoded again at the exact gain."""
CALIBRATION_SECONDS = 30.0
"""Speech encoded and measured back to learn what the limiter and codec take off."""
MAX_CODEC_CORRECTION = 2.0
"""dB the codec-loss correction may add or take off: more means the measure went wrong, not the codec."""


def parse_ebur128(stderr: str) -> dict[str, float]:
    """Integrated loudness (I), range (LRA) and peaks from the ebur128 filter's summary."""
    summary = stderr[stderr.rfind("Summary:") :]
    values: dict[str, float] = {}
    for key, pattern in (
        ("I", r"I:\s+(-?[\d.]+|-inf) LUFS"),
        ("LRA", r"LRA:\s+(-?[\d.]+) LU"),
        ("peak", r"Peak:\s+(-?[\d.]+|-inf) dBFS"),
    ):
        found = re.search(pattern, summary)
        if found:
            values[key] = float(found.group(1))
    return values


def integrated(stderr: bytes) -> float:
    """Integrated loudness (LUFS) from an ebur128 log, SILENT_LUFS for silence or no summary."""
    measured = parse_ebur128(stderr.decode("utf-8", "replace")).get("I")
    return SILENT_LUFS if measured is None else max(SILENT_LUFS, measured)


def codec_correction(target: float, measured: float) -> float:
    """dB to add so the encoded speech lands on `target`, from an encoded excerpt measured at `measured`."""
    if measured <= SILENT_LUFS:
        return 0.0
    return max(-MAX_CODEC_CORRECTION, min(MAX_CODEC_CORRECTION, target - measured))


@dataclass(frozen=True)
class GainDecision:
    """The episode's gain, and whether the MP3 must be encoded (again) from the lossless file."""

    gain: float
    encode: bool
    calibrate: bool = False
    """Add the codec loss, measured on an excerpt, to `gain` before encoding."""


def decide_gain(
    whole: float | None, target: float, opening: float | None = None, streamed_gain: float = 0.0
) -> GainDecision:
    """Keep the streamed encode, correct its gain, or set one from the whole.

    `whole` is the speech's integrated loudness (None: no summary), `target` where the mono
    speech is aimed; `opening` and `streamed_gain` describe the encode streamed beside pass one
    (None: there was none, as with an outro).
    """
    if whole is None or whole <= SILENT_LUFS:  # silence: nothing to aim, keep what was streamed
        return GainDecision(streamed_gain if opening is not None else 0.0, encode=opening is None)
    if opening is not None and abs(whole - opening) <= LOUDNESS_TOLERANCE:
        return GainDecision(streamed_gain, encode=False)
    if opening is not None and opening > SILENT_LUFS:
        # The opening misled the gain by exactly how far the whole is from it; its codec loss still holds.
        return GainDecision(streamed_gain - (whole - opening), encode=True)
    return GainDecision(target - whole, encode=True, calibrate=True)
