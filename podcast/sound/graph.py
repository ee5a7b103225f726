"""What ffmpeg is asked to do: the episode's layout, every filter graph and every command line, as pure code.

Nothing here starts a process, so all of it is tested without ffmpeg; `music`, `clip` and
`assemble` hand these arguments to the `ffmpeg` module. Offsets are counted in samples.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .loudness import CALIBRATION_SECONDS, SILENT_LUFS
from .settings import MixSettings

RAMP = 0.25
"""Seconds for the music to dip under the voice or come back up."""


@dataclass(frozen=True)
class MusicBed:
    """An intro or outro file, probed (by `music.load_bed`): its length at the output rate and its loudness."""

    path: Path
    samples: int
    loudness: float | None
    channels: int


@dataclass(frozen=True)
class Placement:
    """Where one chunk's speech sits in the finished episode (seconds)."""

    start: float
    end: float


@dataclass
class Layout:
    """Where everything goes in the output, in output samples."""

    lead: int
    speech_samples: int
    placements: list[Placement]
    duration: float
    intro: MusicBed | None = None
    intro_overlap: int = 0
    outro: MusicBed | None = None
    outro_start: int = 0
    outro_overlap: int = 0


def make_layout(
    rate: int,
    offsets: list[tuple[int, int]],
    total: int,
    settings: MixSettings,
    intro: MusicBed | None,
    outro: MusicBed | None,
) -> Layout:
    """Place the speech (`offsets` and `total` in samples at `rate`) and the beds in the output."""
    out_rate = settings.sample_rate
    scale = out_rate / rate / settings.speed  # native speech sample -> output sample
    lead = overlap_in = 0
    if intro is not None:
        overlap_in = min(round(settings.crossfade * out_rate), intro.samples // 2)
        lead = intro.samples - overlap_in
    speech = round(total * scale)
    placements = [
        Placement((lead + round(a * scale)) / out_rate, (lead + round(b * scale)) / out_rate) for a, b in offsets
    ]
    end = lead + speech
    layout = Layout(lead, speech, placements, 0.0, intro, overlap_in)
    if outro is not None:
        # The outro starts under the last words, so it is placed from the last non-empty clip.
        spoken = [b for a, b in offsets if b > a]
        last_word = lead + round((spoken[-1] if spoken else 0) * scale)
        layout.outro = outro
        layout.outro_overlap = min(round(settings.crossfade * out_rate), outro.samples // 2, last_word)
        layout.outro_start = last_word - layout.outro_overlap
        end = max(end, layout.outro_start + outro.samples)
    layout.duration = end / out_rate
    return layout


# --- filter chains ---------------------------------------------------------------------------


def bed_format(channels: int, rate: int) -> str:
    """Conversion of a music bed, the same for measuring and mixing so the measured loudness is what gets mixed."""
    layout = "stereo" if channels == 2 else "mono"
    return f"aresample={rate},aformat=sample_fmts=fltp:channel_layouts={layout}"


def bed_chain(bed: MusicBed, target: float, settings: MixSettings) -> str:
    """Format conversion and gain that put a music bed at the episode's loudness."""
    gain = 0.0 if bed.loudness is None or bed.loudness <= SILENT_LUFS else target - bed.loudness
    return f"{bed_format(bed.channels, settings.sample_rate)},volume={gain:.2f}dB"


def speech_chain(gain: float, settings: MixSettings) -> list[str]:
    """Gain, tempo, output rate and channels for the mono speech."""
    chain = [f"volume={gain:.2f}dB"]
    if settings.speed != 1.0:
        chain.append(f"atempo={settings.speed:.4f}")
    chain.append(f"aresample={settings.sample_rate}")
    if settings.stereo:
        chain.append("pan=stereo|c0=c0|c1=c0")  # unity in both channels (aformat would lower it 3 dB)
    return chain


def limiter(settings: MixSettings) -> str:
    # Sample peaks held 1 dB under the ceiling leave room for MP3 inter-sample overs.
    limit = 10 ** ((settings.true_peak - 1.0) / 20)
    return f"alimiter=limit={limit:.4f}:attack=5:release=50:level=disabled:latency=1"


def mp3_args(settings: MixSettings) -> list[str]:
    """CBR MP3 with a Xing/LAME header (exact duration in players) and no ID3 tag of ffmpeg's own."""
    return [
        "-ar",
        str(settings.sample_rate),
        "-ac",
        str(settings.channels),
        "-c:a",
        "libmp3lame",
        "-b:a",
        f"{settings.kbps}k",
        "-id3v2_version",
        "0",
        "-write_xing",
        "1",
        "-f",
        "mp3",
    ]


def filter_complex(gain: float, settings: MixSettings, layout: Layout) -> tuple[list[str], str]:
    """The encode's graph over input 0 (the speech): (extra inputs for the beds, the graph)."""
    rate = settings.sample_rate
    duck = 10 ** (settings.duck_db / 20)
    speech = speech_chain(gain, settings)
    if layout.lead:
        speech.append(f"adelay=delays={layout.lead}S:all=1")
    inputs: list[str] = []
    graph = [f"[0:a]{','.join(speech)}[speech]"]
    mixed = ["[speech]"]
    target = settings.target_lufs
    if layout.intro is not None:
        bed = layout.intro
        fade_in = min(0.5, bed.samples / rate / 4)
        lead_s = layout.lead / rate
        overlap_s = layout.intro_overlap / rate
        chain = [bed_chain(bed, target, settings), f"afade=t=in:d={fade_in:.3f}"]
        if overlap_s > 0:
            # Crossfade: the music dips under the first words and fades out by the intro's end.
            chain.append(f"afade=t=out:st={max(0.0, lead_s - RAMP):.3f}:d={RAMP}:silence={duck:.4f}")
            chain.append(f"afade=t=out:st={lead_s:.3f}:d={overlap_s:.3f}")
        inputs += ["-i", str(bed.path)]
        graph.append(f"[{len(mixed)}:a]{','.join(chain)}[intro]")
        mixed.append("[intro]")
    if layout.outro is not None:
        bed = layout.outro
        length = bed.samples / rate
        overlap_s = layout.outro_overlap / rate
        fade_out = min(3.0, length / 3)
        chain = [bed_chain(bed, target, settings)]
        if overlap_s > 0:
            # Fades in under the last words at the ducked level, comes up once the voice stops.
            chain.append(f"afade=t=in:d={overlap_s:.3f}")
            chain.append(f"afade=t=in:st={overlap_s:.3f}:d={RAMP}:silence={duck:.4f}")
        chain.append(f"afade=t=out:st={length - fade_out:.3f}:d={fade_out:.3f}")
        if layout.outro_start:
            chain.append(f"adelay=delays={layout.outro_start}S:all=1")
        inputs += ["-i", str(bed.path)]
        graph.append(f"[{len(mixed)}:a]{','.join(chain)}[outro]")
        mixed.append("[outro]")
    if len(mixed) > 1:
        graph.append(f"{''.join(mixed)}amix=inputs={len(mixed)}:normalize=0:duration=longest,{limiter(settings)}[out]")
    else:
        graph.append(f"[speech]{limiter(settings)}[out]")
    return inputs, ";".join(graph)


# --- command lines (without the binary) ------------------------------------------------------


def pcm_input(rate: int) -> list[str]:
    """Input 0 as 16-bit mono PCM on stdin."""
    return ["-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "pipe:0"]


def pass_one_args(rate: int, flac: Path) -> list[str]:
    """Speech on stdin -> ebur128 in the log, lossless FLAC at the engine's own rate."""
    return [
        "-hide_banner",
        "-nostdin",
        "-nostats",
        "-y",
        *pcm_input(rate),
        "-af",
        "ebur128=framelog=quiet",
        "-c:a",
        "flac",
        "-compression_level",
        "0",
        "-f",
        "flac",
        str(flac),
    ]


def loudness_args(source: list[str]) -> list[str]:
    return ["-hide_banner", "-nostats", *source, "-af", "ebur128=framelog=quiet", "-f", "null", "-"]


def calibration_excerpt(total: int, rate: int, flac: Path) -> list[str]:
    """CALIBRATION_SECONDS from the middle of the speech in the FLAC, as an input."""
    return [
        "-ss",
        f"{max(0.0, total / rate / 2 - CALIBRATION_SECONDS / 2):.3f}",
        "-t",
        f"{CALIBRATION_SECONDS}",
        "-i",
        str(flac),
    ]


def calibration_args(source: list[str], gain: float, settings: MixSettings, probe: Path) -> list[str]:
    """Speech through the episode's chain and limiter into an MP3 `probe`, to be measured back."""
    chain = ",".join([*speech_chain(gain, settings), limiter(settings)])
    return ["-hide_banner", "-nostats", "-y", *source, "-af", chain, *mp3_args(settings), str(probe)]


def encode_args(source: list[str], output: Path, gain: float, settings: MixSettings, layout: Layout) -> list[str]:
    """The episode's encode: speech from `source` (input 0), the beds, the limiter, into `output`."""
    beds, graph = filter_complex(gain, settings, layout)
    return [
        "-hide_banner",
        "-nostdin",
        "-nostats",
        "-y",
        *source,
        *beds,
        "-filter_complex",
        graph,
        "-map",
        "[out]",
        *mp3_args(settings),
        str(output),
    ]


def probe_args(path: Path, channels: int, rate: int) -> list[str]:
    """A music bed, converted as it will be mixed: its loudness and its length in samples, in the log."""
    return [
        "-hide_banner",
        "-nostdin",
        "-nostats",
        "-i",
        str(path),
        "-vn",
        "-map",
        "0:a:0",
        "-af",
        f"{bed_format(channels, rate)},ebur128=framelog=quiet,"
        "astats=measure_overall=Number_of_samples:measure_perchannel=none",
        "-f",
        "null",
        "-",
    ]


# The decoder pydub named for MP3 (the float one): the samples stay what they were.
_DECODERS = {"mp3": "mp3float"}


def decode_args(fmt: str) -> list[str]:
    """An engine's compressed clip on stdin -> 16-bit WAV (its own rate and channels) on stdout."""
    decoder = ["-c:a", _DECODERS[fmt]] if fmt in _DECODERS else []
    return [
        "-hide_banner",
        "-nostdin",
        "-nostats",
        "-f",
        fmt,
        *decoder,
        "-i",
        "pipe:0",
        "-vn",
        "-c:a",
        "pcm_s16le",
        "-f",
        "wav",
        "pipe:1",
    ]
