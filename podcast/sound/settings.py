"""How an episode is mastered and encoded: the settings every sound module reads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

STEREO_GAIN_DB = 3.01
"""A mono voice copied to both channels measures this much louder (BS.1770 sums channels)."""

@dataclass(frozen=True)
class MixSettings:
    """How the episode is mastered and encoded."""

    sample_rate: int = 44100
    """Output sample rate (Hz); podcast hosts expect 44.1 kHz."""
    stereo: bool = False
    """Two channels; speech is mono, so this mostly doubles the size (music beds keep their stereo)."""
    bitrate: int | None = None
    """Constant bitrate in kbps; None: 96 mono, 128 stereo."""
    loudness: float | None = None
    """Integrated loudness target in LUFS; None: -19 mono (plays as -16 on two speakers), -16 stereo."""
    true_peak: float = -1.0
    """Ceiling in dBTP."""
    speed: float = 1.0
    """Tempo factor (0.5-2.0), pitch unchanged; pauses keep their configured length."""
    trim_threshold: float = -50.0
    """Clip edges quieter than this (dBFS) are trimmed, so pauses are what was asked."""
    trim_margin: float = 0.02
    """Seconds kept at each trimmed edge (soft consonants); counted as part of the pause."""
    intro: Path | None = None
    """Music played before the speech (any format the bundled ffmpeg decodes)."""
    outro: Path | None = None
    """Music played after the speech."""
    crossfade: float = 1.0
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
        """Raise InputError on an out-of-range option (music files are checked by `sound.mix.check_music`)."""
        if not 0.5 <= self.speed <= 2.0:
            raise InputError(f"--speed {self.speed:g} is outside 0.5-2.0")
        if not -30.0 <= self.target_lufs <= -10.0:
            raise InputError(f"--loudness {self.target_lufs:g} is outside -30 to -10 LUFS")
        if not 32 <= self.kbps <= 320:
            raise InputError(f"--bitrate {self.kbps} is outside 32-320 kbps")
        if not 0.0 <= self.crossfade <= 10.0:
            raise InputError(f"crossfade {self.crossfade:g} s is outside 0-10 s")
