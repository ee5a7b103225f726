"""How an episode is mastered and encoded: the settings every sound module reads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from ..options import Option

STEREO_GAIN_DB = 3.01
"""A mono voice copied to both channels measures this much louder (BS.1770 sums channels)."""

SPEED = Option("speed", float, 1.0, "Tempo factor; the pitch is unchanged.", min=0.5, max=2.0, metavar="FACTOR")
LOUDNESS = Option(
    "loudness",
    float,
    None,
    "Target integrated loudness.",
    min=-30,
    max=-10,
    unit="LUFS",
    default_text="-19 mono, -16 stereo",
    metavar="LUFS",
)
BITRATE = Option(
    "bitrate",
    int,
    None,
    "Constant MP3 bitrate.",
    min=32,
    max=320,
    unit="kbps",
    default_text="96 mono, 128 stereo",
    metavar="KBPS",
)
CROSSFADE = Option(
    "crossfade", float, 1.0, "Seconds the music overlaps the words.", min=0, max=10, unit="s", flag=""
)  # library only: no CLI flag


@dataclass(frozen=True)
class MixSettings:
    """How the episode is mastered and encoded."""

    options: ClassVar[tuple[Option, ...]] = (SPEED, LOUDNESS, BITRATE, CROSSFADE)
    """The user-set ranges, declared once: `validate` and the CLI's flags both use them."""

    sample_rate: int = 44100
    """Output sample rate (Hz); podcast hosts expect 44.1 kHz."""
    stereo: bool = False
    """Two channels; speech is mono, so this mostly doubles the size (music beds keep their stereo)."""
    bitrate: int | None = BITRATE.default
    """Constant bitrate in kbps; None: 96 mono, 128 stereo."""
    loudness: float | None = LOUDNESS.default
    """Integrated loudness target in LUFS; None: -19 mono (plays as -16 on two speakers), -16 stereo."""
    true_peak: float = -1.0
    """Ceiling in dBTP."""
    speed: float = SPEED.default
    """Tempo factor (see SPEED for the range), pitch unchanged; pauses keep their configured length."""
    trim_threshold: float = -50.0
    """Clip edges quieter than this (dBFS) are trimmed, so pauses are what was asked."""
    trim_margin: float = 0.02
    """Seconds kept at each trimmed edge (soft consonants); counted as part of the pause."""
    intro: Path | None = None
    """Music played before the speech (any format the bundled ffmpeg decodes)."""
    outro: Path | None = None
    """Music played after the speech."""
    crossfade: float = CROSSFADE.default
    """Seconds the intro (outro) overlaps the first (last) words, at most half the music."""
    duck_db: float = -15.0
    """Music level under speech, relative to the bed's own level."""

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

    @property
    def speech_lufs(self) -> float:
        """Where the mono speech is aimed before any copy to two channels (BS.1770 sums them)."""
        return self.target_lufs - (STEREO_GAIN_DB if self.stereo else 0.0)

    def validate(self) -> None:
        """Raise InputError on an out-of-range option (music files are checked by `sound.music.check_music`)."""
        SPEED.check(self.speed)
        LOUDNESS.check(self.target_lufs)
        BITRATE.check(self.kbps)
        CROSSFADE.check(self.crossfade)
