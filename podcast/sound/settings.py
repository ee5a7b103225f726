"""How an episode is mastered and encoded: the settings every sound module reads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from ..options import Option, OptionError

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
MPEG1_BITRATES = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
"""The constant bitrates MP3 has at 32, 44.1 and 48 kHz (MPEG-1 Layer III); LAME rounds any other."""
MPEG2_BITRATES = (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)
"""The bitrates at 8-24 kHz (MPEG-2 and 2.5 Layer III)."""
MP3_SAMPLE_RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)

BITRATE = Option(
    "bitrate",
    int,
    None,
    "Constant MP3 bitrate.",
    min=32,
    max=320,
    choices=MPEG1_BITRATES,
    unit="kbps",
    default_text="96 mono, 128 stereo",
    metavar="KBPS",
)
SAMPLE_RATE = Option(
    "sample_rate", int, 44100, "Output sample rate.", choices=MP3_SAMPLE_RATES, unit="Hz", flag=""
)  # library only: hosts expect 44.1 kHz; MP3 has no other rates (ffmpeg would resample or fail)
CROSSFADE = Option(
    "crossfade", float, 1.0, "Seconds the music overlaps the words.", min=0, max=10, unit="s", flag=""
)  # library only: no CLI flag


@dataclass(frozen=True)
class MixSettings:
    """How the episode is mastered and encoded."""

    options: ClassVar[tuple[Option, ...]] = (SPEED, LOUDNESS, BITRATE, SAMPLE_RATE, CROSSFADE)
    """The user-set ranges, declared once: `validate` and the CLI's flags both use them."""

    sample_rate: int = SAMPLE_RATE.default
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
        SAMPLE_RATE.check(self.sample_rate)
        if self.sample_rate >= 32000:
            BITRATE.check(self.kbps)
        elif self.kbps not in MPEG2_BITRATES:  # below 32 kHz MP3 has another set of bitrates
            allowed = ", ".join(map(str, MPEG2_BITRATES))
            raise OptionError(BITRATE, f"{self.kbps} is not one of {allowed} kbps at {self.sample_rate} Hz")
        CROSSFADE.check(self.crossfade)
