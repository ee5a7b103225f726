"""The sound stage's pure parts, without ffmpeg: layout, filter graphs, command lines, gain decisions.

The golden command lines were printed by the code before the sound package was split
(sound/mix.py): the arguments, and so the audio, must stay the same.
"""

from __future__ import annotations

import signal
import struct
from pathlib import Path

import pytest

from podcast.cancel import Cancelled
from podcast.errors import EngineError, InputError, OutputError
from podcast.sound import graph
from podcast.sound.clip import _read_wav
from podcast.sound.ffmpeg import failed, last_error_line
from podcast.sound.graph import MusicBed
from podcast.sound.loudness import (
    LOUDNESS_TOLERANCE,
    SILENT_LUFS,
    GainDecision,
    codec_correction,
    decide_gain,
    integrated,
    parse_ebur128,
)
from podcast.sound.settings import MixSettings

LIMITER = "alimiter=limit=0.7943:attack=5:release=50:level=disabled:latency=1"
MP3_MONO = [
    "-ar",
    "44100",
    "-ac",
    "1",
    "-c:a",
    "libmp3lame",
    "-b:a",
    "96k",
    "-id3v2_version",
    "0",
    "-write_xing",
    "1",
    "-f",
    "mp3",
]
SPEECH_IN = ["-f", "s16le", "-ar", "22050", "-ac", "1", "-i", "pipe:0"]
# Native samples at 22050 Hz: two clips of 1 s with a 0.5 s pause, then an empty clip.
OFFSETS = [(0, 22050), (33075, 55125), (60000, 60000)]
TOTAL = 66150


def _bed(seconds: float, loudness: float | None, channels: int = 1, name: str = "intro.mp3") -> MusicBed:
    return MusicBed(Path("/music") / name, round(seconds * 44100), loudness, channels)


# --- the layout ---------------------------------------------------------------------------------------


def test_placements_at_speed_one_point_five():
    layout = graph.make_layout(22050, OFFSETS, TOTAL, MixSettings(speed=1.5), None, None)
    # 22050 native samples are 1 s; at 1.5x they take 2/3 s; the 0.5 s pause shrinks with them.
    assert [(round(p.start, 6), round(p.end, 6)) for p in layout.placements] == [
        (0.0, 0.666667),
        (1.0, 1.666667),
        (1.814059, 1.814059),
    ]
    assert layout.lead == 0 and layout.speech_samples == 88200 and layout.duration == 2.0


def test_intro_overlaps_the_first_words_by_the_crossfade():
    layout = graph.make_layout(22050, OFFSETS, TOTAL, MixSettings(speed=1.5), _bed(4.0, -22.2), None)
    assert layout.intro_overlap == 44100 and layout.lead == 132300  # 4 s of music, its last 1 s under the words
    assert layout.placements[0].start == 3.0 and layout.duration == 5.0


def test_crossfade_is_at_most_half_the_music():
    layout = graph.make_layout(22050, OFFSETS, TOTAL, MixSettings(crossfade=3.0), _bed(2.0, -20.0), None)
    assert layout.intro_overlap == 44100 and layout.lead == 44100


def test_outro_starts_under_the_last_spoken_words():
    settings = MixSettings(speed=0.8)
    layout = graph.make_layout(22050, OFFSETS, TOTAL, settings, _bed(4.0, -22.2), _bed(5.0, -25.0, name="outro.wav"))
    # The last clip with speech ends at native sample 55125 -> 137812 at 44.1 kHz and 0.8x, after the intro's lead.
    assert layout.outro_overlap == 44100
    assert layout.outro_start == 132300 + 137812 - 44100 == 226012
    assert layout.duration == pytest.approx((226012 + 220500) / 44100)


def test_outro_without_speech_starts_at_zero():
    layout = graph.make_layout(22050, [(0, 0)], 0, MixSettings(), None, _bed(5.0, -25.0))
    assert layout.outro_overlap == 0 and layout.outro_start == 0 and layout.duration == 5.0


# --- filter chains ------------------------------------------------------------------------------


def test_speech_chain_mono_and_stereo():
    assert graph.speech_chain(3.6, MixSettings()) == ["volume=3.60dB", "aresample=44100"]
    assert graph.speech_chain(-1.234, MixSettings(stereo=True, speed=1.5)) == [
        "volume=-1.23dB",
        "atempo=1.5000",
        "aresample=44100",
        "pan=stereo|c0=c0|c1=c0",
    ]


def test_limiter_sits_one_db_under_the_true_peak_ceiling():
    assert graph.limiter(MixSettings()) == LIMITER
    assert graph.limiter(MixSettings(true_peak=-2.0)).startswith("alimiter=limit=0.7079:")


def test_mp3_args():
    assert graph.mp3_args(MixSettings()) == MP3_MONO
    stereo = graph.mp3_args(MixSettings(stereo=True))
    assert stereo[stereo.index("-ac") + 1] == "2" and stereo[stereo.index("-b:a") + 1] == "128k"
    low = graph.mp3_args(MixSettings(bitrate=64))
    assert low[low.index("-b:a") + 1] == "64k"


def test_bed_chain_brings_the_music_to_the_target():
    settings = MixSettings(stereo=True)
    assert graph.bed_chain(_bed(4.0, -22.2, 2), -16.0, settings) == (
        "aresample=44100,aformat=sample_fmts=fltp:channel_layouts=stereo,volume=6.20dB"
    )
    # Silent or unmeasured music gets no gain.
    assert graph.bed_chain(_bed(4.0, SILENT_LUFS), -19.0, MixSettings()).endswith(",volume=0.00dB")
    assert graph.bed_chain(_bed(4.0, None), -19.0, MixSettings()).endswith(",volume=0.00dB")


# --- command lines (goldens from the code before the split) -------------------------------------------


def test_encode_of_speech_alone():
    layout = graph.make_layout(1, [], 0, MixSettings(), None, None)
    assert graph.encode_args(SPEECH_IN, Path("/out/x.mp3"), 3.6, MixSettings(), layout) == [
        "-hide_banner",
        "-nostdin",
        "-nostats",
        "-y",
        *SPEECH_IN,
        "-filter_complex",
        f"[0:a]volume=3.60dB,aresample=44100[speech];[speech]{LIMITER}[out]",
        "-map",
        "[out]",
        *MP3_MONO,
        "/out/x.mp3",
    ]


def test_encode_with_intro_and_outro():
    settings = MixSettings(speed=0.8, intro=Path("/music/intro.mp3"), outro=Path("/music/outro.wav"))
    layout = graph.make_layout(22050, OFFSETS, TOTAL, settings, _bed(4.0, -22.2), _bed(5.0, -25.0, name="outro.wav"))
    args = graph.encode_args(["-i", "/out/x.flac"], Path("/out/x.mp3"), 3.6, settings, layout)
    assert args == [
        "-hide_banner",
        "-nostdin",
        "-nostats",
        "-y",
        "-i",
        "/out/x.flac",
        "-i",
        "/music/intro.mp3",
        "-i",
        "/music/outro.wav",
        "-filter_complex",
        "[0:a]volume=3.60dB,atempo=0.8000,aresample=44100,adelay=delays=132300S:all=1[speech];"
        "[1:a]aresample=44100,aformat=sample_fmts=fltp:channel_layouts=mono,volume=3.20dB,afade=t=in:d=0.500,"
        "afade=t=out:st=2.750:d=0.25:silence=0.1778,afade=t=out:st=3.000:d=1.000[intro];"
        "[2:a]aresample=44100,aformat=sample_fmts=fltp:channel_layouts=mono,volume=6.00dB,afade=t=in:d=1.000,"
        "afade=t=in:st=1.000:d=0.25:silence=0.1778,afade=t=out:st=3.333:d=1.667,adelay=delays=226012S:all=1[outro];"
        f"[speech][intro][outro]amix=inputs=3:normalize=0:duration=longest,{LIMITER}[out]",
        "-map",
        "[out]",
        *MP3_MONO,
        "/out/x.mp3",
    ]


def test_encode_stereo_with_intro_only_numbers_the_outro_input_right():
    settings = MixSettings(stereo=True, speed=1.5, intro=Path("/music/intro.mp3"))
    layout = graph.make_layout(22050, OFFSETS, TOTAL, settings, _bed(4.0, -22.2, 2), None)
    beds, complex_ = graph.filter_complex(2.99, settings, layout)
    assert beds == ["-i", "/music/intro.mp3"]
    assert complex_ == (
        "[0:a]volume=2.99dB,atempo=1.5000,aresample=44100,pan=stereo|c0=c0|c1=c0,adelay=delays=132300S:all=1[speech];"
        "[1:a]aresample=44100,aformat=sample_fmts=fltp:channel_layouts=stereo,volume=6.20dB,afade=t=in:d=0.500,"
        "afade=t=out:st=2.750:d=0.25:silence=0.1778,afade=t=out:st=3.000:d=1.000[intro];"
        f"[speech][intro]amix=inputs=2:normalize=0:duration=longest,{LIMITER}[out]"
    )
    outro_only = graph.make_layout(22050, OFFSETS, TOTAL, settings, None, _bed(5.0, -25.0, 2, "outro.wav"))
    assert "[1:a]aresample" in graph.filter_complex(0.0, settings, outro_only)[1]


def test_measuring_command_lines():
    flac = Path("/out/.podcast-tmp-X.flac")
    assert graph.pass_one_args(22050, flac) == [
        "-hide_banner",
        "-nostdin",
        "-nostats",
        "-y",
        *SPEECH_IN,
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
    assert graph.loudness_args(SPEECH_IN) == [
        "-hide_banner",
        "-nostats",
        *SPEECH_IN,
        "-af",
        "ebur128=framelog=quiet",
        "-f",
        "null",
        "-",
    ]
    assert graph.calibration_excerpt(round(137.218 * 22050), 22050, flac) == [
        "-ss",
        "53.609",
        "-t",
        "30.0",
        "-i",
        str(flac),
    ]
    assert graph.calibration_excerpt(22050 * 10, 22050, flac)[:2] == ["-ss", "0.000"]
    assert graph.calibration_args(SPEECH_IN, 3.1, MixSettings(), Path("/out/p.mp3")) == [
        "-hide_banner",
        "-nostats",
        "-y",
        *SPEECH_IN,
        "-af",
        f"volume=3.10dB,aresample=44100,{LIMITER}",
        *MP3_MONO,
        "/out/p.mp3",
    ]
    assert graph.probe_args(Path("/music/intro.mp3"), 2, 44100) == [
        "-hide_banner",
        "-nostdin",
        "-nostats",
        "-i",
        "/music/intro.mp3",
        "-vn",
        "-map",
        "0:a:0",
        "-af",
        "aresample=44100,aformat=sample_fmts=fltp:channel_layouts=stereo,ebur128=framelog=quiet,"
        "astats=measure_overall=Number_of_samples:measure_perchannel=none",
        "-f",
        "null",
        "-",
    ]


def test_decode_names_the_float_mp3_decoder():
    args = graph.decode_args("mp3")
    assert args[args.index("-c:a") : args.index("-i")] == ["-c:a", "mp3float"]  # a decoder: before the input
    assert args[-6:] == ["-vn", "-c:a", "pcm_s16le", "-f", "wav", "pipe:1"]
    assert "mp3float" not in graph.decode_args("wav")


# --- loudness decisions -------------------------------------------------------------------------


def test_streamed_encode_kept_within_the_tolerance():
    assert LOUDNESS_TOLERANCE == 0.3
    assert decide_gain(-20.2, -19.0, opening=-20.0, streamed_gain=1.4) == GainDecision(1.4, encode=False)
    assert decide_gain(-19.8, -19.0, opening=-20.0, streamed_gain=1.4) == GainDecision(1.4, encode=False)


def test_streamed_encode_redone_when_the_whole_differs_by_half_a_lu():
    louder = decide_gain(-19.5, -19.0, opening=-20.0, streamed_gain=1.4)
    assert louder.encode and not louder.calibrate and louder.gain == pytest.approx(0.9)
    quieter = decide_gain(-20.5, -19.0, opening=-20.0, streamed_gain=1.4)
    assert quieter.encode and quieter.gain == pytest.approx(1.9)


def test_silent_speech_keeps_the_streamed_encode_or_gets_no_gain():
    assert decide_gain(SILENT_LUFS, -19.0, opening=-20.0, streamed_gain=1.4) == GainDecision(1.4, encode=False)
    assert decide_gain(None, -19.0, opening=SILENT_LUFS, streamed_gain=0.0) == GainDecision(0.0, encode=False)
    assert decide_gain(-75.0, -19.0) == GainDecision(0.0, encode=True, calibrate=False)


def test_without_a_streamed_encode_the_gain_comes_from_the_whole_and_is_calibrated():
    assert decide_gain(-23.0, -19.0) == GainDecision(4.0, encode=True, calibrate=True)
    # A silent opening set no gain: the whole sets it, as if nothing had been streamed.
    assert decide_gain(-23.0, -22.01, opening=SILENT_LUFS) == GainDecision(pytest.approx(0.99), True, True)


def test_codec_correction_is_clamped_and_ignores_silence():
    assert codec_correction(-19.0, -19.4) == pytest.approx(0.4)
    assert codec_correction(-19.0, -18.7) == pytest.approx(-0.3)
    assert codec_correction(-19.0, -25.0) == 2.0
    assert codec_correction(-19.0, -12.0) == -2.0
    assert codec_correction(-19.0, SILENT_LUFS) == 0.0


EBUR128_LOG = """[Parsed_ebur128_0 @ 0x7f2234001980] Summary:

  Integrated loudness:
    I:         -22.4 LUFS
    Threshold: -32.6 LUFS

  Loudness range:
    LRA:         3.1 LU
    Threshold: -42.5 LUFS

  True peak:
    Peak:       -1.7 dBFS
"""


def test_ebur128_summary_parsing():
    assert parse_ebur128("t: 1.2  M: -30.1 S: -29.0  I: -99.0 LUFS\n" + EBUR128_LOG) == {
        "I": -22.4,
        "LRA": 3.1,
        "peak": -1.7,
    }
    assert integrated(EBUR128_LOG.encode()) == -22.4
    assert integrated(EBUR128_LOG.replace("-22.4", "-inf").encode()) == SILENT_LUFS
    assert integrated(b"Output file is empty, nothing was encoded") == SILENT_LUFS


# --- failures ---------------------------------------------------------------------------------


def test_one_failure_message_with_the_callers_error_class():
    error = failed("to encode the MP3", OutputError, "/out")("No space left on device")
    assert isinstance(error, OutputError) and error.exit_code == 4
    assert str(error) == "/out: ffmpeg failed to encode the MP3: No space left on device"
    assert failed("while assembling")("x").exit_code == 4
    assert failed("to decode", EngineError)("x").exit_code == 3
    assert failed("to probe", InputError)("x").exit_code == 1
    assert Cancelled("interrupted").exit_code == 130


def test_last_error_line_prefers_the_system_error_and_drops_context_tags():
    log = (
        b"[out#0/flac @ 0x55d9ab] Error writing trailer: No space left on device\n"
        b"[out#0/flac @ 0x55d9ab] Conversion failed!\n"
    )
    assert last_error_line(log, 1) == "Error writing trailer: No space left on device"
    opening = b"[in#0 @ 0x5591] Error opening input: Invalid data\n"
    assert last_error_line(opening, 183) == "Error opening input: Invalid data"
    assert last_error_line(b"", -signal.SIGXFSZ) == "file too large (the file size limit, ulimit -f, was reached)"
    assert last_error_line(b"", -signal.SIGKILL) == "ffmpeg was killed (SIGKILL)"
    assert last_error_line(b"", 1) == "unknown error"


# --- the decoder's WAV reader -------------------------------------------------------------------


def _wav(samples: bytes, rate: int = 24000, channels: int = 1, bits: int = 16, extra: bytes = b"") -> bytes:
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * channels * bits // 8, channels * bits // 8, bits)
    # ffmpeg streaming to a pipe cannot go back to fill in the sizes: they stay unset.
    return (
        b"RIFF\xff\xff\xff\xffWAVE"
        + b"fmt "
        + struct.pack("<I", len(fmt))
        + fmt
        + extra
        + b"data\xff\xff\xff\xff"
        + samples
    )


def test_read_wav_takes_the_samples_to_the_end():
    info = b"LIST" + struct.pack("<I", 5) + b"INFOx" + b"\0"  # an odd chunk, padded
    clip = _read_wav(_wav(b"\x01\x00\x02\x00\x03", extra=info))
    assert (clip.format, clip.sample_rate, clip.sample_width, clip.channels) == ("pcm", 24000, 2, 1)
    assert clip.data == b"\x01\x00\x02\x00"  # a torn last frame is dropped
    assert _read_wav(_wav(b"\0" * 8, 44100, 2)).channels == 2


@pytest.mark.parametrize("data", [b"", b"garbage" * 10, b"RIFF\0\0\0\0WAVE"])
def test_read_wav_refuses_what_is_not_wav(data):
    with pytest.raises(ValueError):
        _read_wav(data)
