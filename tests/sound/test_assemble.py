"""Mastering, measured on the rendered MP3 itself: loudness, true peak, pauses, duration, music beds, tempo."""

from __future__ import annotations

import json
import math
import os
import subprocess
import threading
import time
from array import array
from pathlib import Path

import mutagen.mp3
import pytest

from podcast.cancel import Cancelled, CancelToken
from podcast.cli import cli
from podcast.errors import EngineError, InputError, OutputError
from podcast.sound import ffmpeg
from podcast.sound.assemble import assemble
from podcast.sound.clip import decode_clip
from podcast.sound.ffmpeg import ffmpeg_exe
from podcast.sound.music import load_bed
from podcast.sound.settings import MixSettings
from podcast.types import Chunk, Clip
from tests.support.audio import decode, loudness, rms, silences, stream_info

PARAGRAPHS = [
    "Bonjour à tous, et bienvenue dans ce court essai.",
    "Le deuxième paragraphe parle de la météo, qui sera douce demain.",
    "Enfin, le troisième paragraphe conclut cette petite démonstration.",
]


@pytest.fixture
def article(tmp_path) -> Path:
    path = tmp_path / "essai.txt"
    path.write_text("\n\n".join(PARAGRAPHS) + "\n", encoding="utf-8")
    return path


def render(runner, article: Path, out: Path, *options: str):
    """Render offline, without the title read first (these tests count paragraphs); return (mp3 path, manifest dict)."""
    args = ["-q", "render", str(article), "-o", str(out), "--engine", "espeak", "--no-title-read", *options]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    manifest = read_manifest(out)
    return out / manifest["mp3"], manifest


def read_manifest(folder: Path) -> dict:
    """The episode manifest (NAME.json, not the NAME.chapters.json sidecar)."""
    [path] = [p for p in folder.glob("*.json") if p.name.count(".") == 1]
    return json.loads(path.read_text("utf-8"))


def music(path: Path, seconds: float, freq: int = 440, *codec: str) -> Path:
    """A tone as a music bed, made by the bundled ffmpeg in the format the suffix names."""
    subprocess.run(
        [
            ffmpeg_exe(),
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"sine=f={freq}:d={seconds}:r=44100",
            "-ac",
            "2",
            *codec,
            str(path),
        ],
        check=True,
    )
    return path


def tone_level(samples: array, rate: int, freq: float) -> float:
    """Amplitude of one frequency in `samples` (Goertzel), in sample units."""
    if not samples:
        return 0.0
    coeff = 2 * math.cos(2 * math.pi * freq / rate)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + coeff * s1 - s2, s1
    power = s1 * s1 + s2 * s2 - coeff * s1 * s2
    return 2 * math.sqrt(max(power, 0.0)) / len(samples)


def db(value: float) -> float:
    return 20 * math.log10(max(value, 1e-9) / 32768)


# --- loudness ---------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "options, target, channels, kbps",
    [
        ((), -19.0, 1, 96),
        (("--stereo",), -16.0, 2, 128),
        (("--loudness", "-24", "--bitrate", "64"), -24.0, 1, 64),
    ],
)
def test_loudness_and_true_peak_measured_on_the_mp3(runner, article, tmp_path, options, target, channels, kbps):
    mp3, manifest = render(runner, article, tmp_path / "out", *options)
    measured = loudness(mp3)
    assert abs(measured["I"] - target) <= 1.0, measured
    assert measured["peak"] <= -1.0, measured  # ebur128=peak=true: dBTP
    info = stream_info(mp3)
    assert (info["codec"], info["rate"], info["channels"]) == ("mp3", 44100, channels)
    header = mutagen.mp3.MP3(mp3).info
    assert header.bitrate_mode == mutagen.mp3.BitrateMode.CBR and header.bitrate == kbps * 1000


@pytest.mark.slow
def test_seed_loudness_and_true_peak(seed_episode):
    measured = loudness(next(seed_episode.glob("*.mp3")))
    assert abs(measured["I"] - -19.0) <= 1.0, measured
    assert measured["peak"] <= -1.0, measured


# --- pauses ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_paragraph_pauses_are_the_configured_length(runner, article, tmp_path):
    mp3, manifest = render(runner, article, tmp_path / "out", "--pause-paragraph", "1.4", "--pause-sentence", "0.3")
    gaps = [round(end - start, 3) for start, end in silences(mp3, min_len=0.8) if end < manifest["duration"] - 0.05]
    assert len(gaps) == len(PARAGRAPHS) - 1, gaps
    assert all(abs(gap - 1.4) <= 0.1 for gap in gaps), gaps
    # The chunk offsets handed on match where speech really resumes.
    starts = [chunk["start"] for chunk in manifest["chunks"][1:]]
    ends = [end for _, end in silences(mp3, min_len=0.8)]
    assert all(abs(s - e) <= 0.05 for s, e in zip(starts, ends)), (starts, ends)


def test_section_and_heading_pauses_are_configurable(runner, tmp_path):
    article = tmp_path / "sections.md"
    article.write_text(
        "# Essai\n\nLe premier paragraphe est court.\n\nLe deuxième aussi.\n\n"
        "## La suite\n\nLe troisième paragraphe ouvre la section.\n",
        encoding="utf-8",
    )
    mp3, manifest = render(
        runner,
        article,
        tmp_path / "out",
        "--pause-paragraph",
        "0.7",
        "--pause-section",
        "2.2",
        "--pause-heading",
        "1.1",
    )
    chunks = manifest["chunks"]
    assert [c["is_heading"] for c in chunks] == [False, False, True, False]
    found = silences(mp3, min_len=0.5)
    for chunk, expected in zip(chunks[1:], (0.7, 2.2, 1.1)):  # after a paragraph, before and after the heading
        near = [end - start for start, end in found if abs(end - chunk["start"]) <= 0.05]
        assert near and abs(near[0] - expected) <= 0.1, (chunk["text"], near, expected)


def test_seed_paragraph_pauses_at_the_default_length(seed_episode):
    mp3 = next(seed_episode.glob("*.mp3"))
    manifest = read_manifest(seed_episode)
    chunks = manifest["chunks"]
    # Where one paragraph ends and the next begins, the silence found is the default 0.9 s.
    boundaries = [
        nxt["start"]
        for cur, nxt in zip(chunks, chunks[1:])
        if (cur["section"], cur["paragraph"]) != (nxt["section"], nxt["paragraph"])
        and not cur["is_heading"]
        and not nxt["is_heading"]
    ]
    assert len(boundaries) >= 5
    found = {round(end, 2): end - start for start, end in silences(mp3, min_len=0.5)}
    for start in boundaries:
        near = [length for end, length in found.items() if abs(end - start) <= 0.05]
        assert near and abs(near[0] - 0.9) <= 0.1, (start, near)


# --- duration and header ---------------------------------------------------------------------------


def test_header_duration_equals_full_decode(seed_episode):
    mp3 = next(seed_episode.glob("*.mp3"))
    header = mutagen.mp3.MP3(mp3).info
    decoded = len(decode(mp3)) / 16000
    assert abs(header.length - decoded) <= 0.1, (header.length, decoded)
    frames = xing_frames(mp3)
    assert frames is not None, "no Xing/Info header"
    # The frame count players read covers the audio plus the encoder's delay and padding (< 0.1 s).
    assert 0 <= frames * 1152 / 44100 - decoded <= 0.1
    manifest = read_manifest(seed_episode)
    assert abs(manifest["duration"] - decoded) <= 0.1


def xing_frames(mp3: Path) -> int | None:
    """Frame count from the Xing/Info header in the first MPEG frame (after the ID3v2 tag), if any."""
    data = mp3.read_bytes()[: 1 << 20]
    start = 0
    if data[:3] == b"ID3":
        size = data[6] << 21 | data[7] << 14 | data[8] << 7 | data[9]
        start = 10 + size
    mono = (data[start + 3] >> 6) == 3
    tag = start + 4 + (17 if mono else 32)
    if data[tag : tag + 4] not in (b"Xing", b"Info") or not data[tag + 7] & 1:
        return None
    return int.from_bytes(data[tag + 8 : tag + 12], "big")


@pytest.mark.slow
@pytest.mark.parametrize("options", [(), ("--stereo",), ("--speed", "1.3", "--outro", "MUSIC")])
def test_header_duration_equals_full_decode_for_each_mode(runner, article, tmp_path, options):
    options = tuple(str(music(tmp_path / "m.flac", 3.0)) if o == "MUSIC" else o for o in options)
    mp3, manifest = render(runner, article, tmp_path / "out", *options)
    decoded = len(decode(mp3)) / 16000
    assert abs(mutagen.mp3.MP3(mp3).info.length - decoded) <= 0.1
    assert abs(manifest["duration"] - decoded) <= 0.1
    assert xing_frames(mp3) is not None


# --- music beds ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_intro_plays_first_then_speech_starts(runner, article, tmp_path):
    intro = music(tmp_path / "intro.mp3", 4.0, 440)
    mp3, manifest = render(runner, article, tmp_path / "out", "--intro", str(intro))
    start = manifest["chunks"][0]["start"]
    assert abs(start - 3.0) <= 0.05  # 4 s intro, the last 1 s crossfaded under the first words
    samples = decode(mp3, 8000)
    head = samples[int(0.6 * 8000) : int(2.6 * 8000)]
    assert db(tone_level(head, 8000, 440)) > -30  # the music, at full level
    assert db(rms(head)) - db(tone_level(head, 8000, 440)) < 1.5  # and nothing but the tone
    under = samples[int((start + 0.3) * 8000) : int((start + 0.9) * 8000)]
    # Speech has begun, and the music under it is ducked well below its solo level.
    assert db(rms(under)) > -40
    assert db(tone_level(under, 8000, 440)) < db(tone_level(head, 8000, 440)) - 10
    assert manifest["duration"] > 4.0 + 5


@pytest.mark.slow
def test_outro_follows_the_last_words(runner, article, tmp_path):
    outro = music(tmp_path / "outro.wav", 5.0, 660)
    _, plain = render(runner, article, tmp_path / "plain")
    mp3, manifest = render(runner, article, tmp_path / "out", "--outro", str(outro))
    last_end = manifest["chunks"][-1]["end"]
    assert abs(manifest["duration"] - (last_end - 1.0 + 5.0)) <= 0.05  # the last 1 s of words crossfades
    samples = decode(mp3, 8000)
    assert abs(len(samples) / 8000 - manifest["duration"]) <= 0.1
    tail = samples[int((last_end + 0.5) * 8000) : int((last_end + 2.0) * 8000)]
    assert db(tone_level(tail, 8000, 660)) > -30  # the music, up to full level once the voice stops
    under = samples[int((last_end - 0.6) * 8000) : int((last_end - 0.1) * 8000)]
    assert db(tone_level(under, 8000, 660)) < db(tone_level(tail, 8000, 660)) - 10  # ducked under the words
    # Before its crossfade the episode is the same as one rendered without music.
    alone = decode(tmp_path / "plain" / plain["mp3"], 8000)
    window = slice(int((last_end - 3.0) * 8000), int((last_end - 2.0) * 8000))
    difference = array("h", (a - b for a, b in zip(samples[window], alone[window])))
    assert db(rms(difference)) < db(rms(alone[window])) - 30


@pytest.mark.parametrize(
    "suffix, codec",
    [
        (".mp3", ()),
        (".wav", ()),
        (".flac", ()),
        (".ogg", ("-c:a", "libvorbis")),
        (".m4a", ("-c:a", "aac")),
    ],
)
def test_music_formats_accepted(tmp_path, suffix, codec):
    bed = load_bed(music(tmp_path / f"bed{suffix}", 2.0, 440, *codec), "intro", 1)
    assert abs(bed.samples / 44100 - 2.0) <= 0.06
    assert bed.loudness is not None and -30 < bed.loudness < 0


# --- streamed encode ---------------------------------------------------------------------------


def _tone_episode(levels: list[float], seconds: float = 4.0):
    """One tone clip per level (its amplitude factor), a short pause after each."""
    base = _tone_clip(seconds, rate=24000).data
    clips = []
    for index, level in enumerate(levels):
        scaled = array("h", base)
        for i, value in enumerate(scaled):
            scaled[i] = int(value * level)
        clips.append((Chunk(f"clip {index}", 0, index, 0.3), Clip(scaled.tobytes(), "pcm", 24000, 2, 1)))
    return clips


@pytest.mark.slow
def test_streamed_encode_hits_the_target_when_the_level_is_steady(tmp_path):
    # 96 s: the encode starts after the opening minute and runs while the rest arrives.
    out = tmp_path / "steady.mp3"
    levels = [1.0, 0.9, 1.1, 0.95] * 6
    mix = assemble(iter(_tone_episode(levels)), out, MixSettings())
    assert mix.encodes == 1  # encoded once, while the clips came in
    measured = loudness(out)
    assert abs(measured["I"] - -19.0) <= 0.5, measured
    assert measured["peak"] <= -1.0, measured
    assert abs(len(decode(out, 8000)) / 8000 - mix.duration) <= 0.1


@pytest.mark.slow
def test_streamed_encode_is_redone_when_the_opening_misleads_the_gain(tmp_path):
    # A quiet first minute, then 16 dB louder: the gain the opening suggests is far too high.
    out = tmp_path / "uneven.mp3"
    mix = assemble(iter(_tone_episode([0.1] * 16 + [0.63] * 16)), out, MixSettings())
    assert mix.encodes == 2
    measured = loudness(out)
    assert abs(measured["I"] - -19.0) <= 0.5, (measured, mix.gain_db)
    assert measured["peak"] <= -1.0, measured


# --- tempo -------------------------------------------------------------------------------------------


def _tone_clip(seconds: float, freq: float = 440.0, rate: int = 22050) -> Clip:
    samples = array("h", (int(8000 * math.sin(2 * math.pi * freq * i / rate)) for i in range(int(seconds * rate))))
    return Clip(samples.tobytes(), "pcm", rate, 2, 1)


def test_speed_changes_tempo_not_pitch(tmp_path):
    clips = [(Chunk("un", 0, 0, 1.0), _tone_clip(2.0)), (Chunk("deux", 0, 1, 0.5), _tone_clip(2.0))]
    out = tmp_path / "fast.mp3"
    mix = assemble(iter(clips), out, MixSettings(speed=2.0))
    first, second = mix.placements
    assert abs((first.end - first.start) - 1.0) <= 0.02  # 2 s of tone now lasts 1 s
    assert abs((second.start - first.end) - 1.0) <= 0.02  # the pause keeps its configured length
    samples = decode(out, 8000)
    assert abs(len(samples) / 8000 - mix.duration) <= 0.1
    body = samples[int((first.start + 0.2) * 8000) : int((first.end - 0.2) * 8000)]
    assert db(tone_level(body, 8000, 440)) > db(tone_level(body, 8000, 880)) + 20  # still A440, not A880
    assert abs(db(rms(body)) - db(tone_level(body, 8000, 440) / math.sqrt(2))) < 1.5


@pytest.mark.slow
def test_speed_option_shortens_speech_and_scales_offsets(runner, article, tmp_path):
    _, normal = render(runner, article, tmp_path / "a")
    mp3, fast = render(runner, article, tmp_path / "b", "--speed", "1.5")
    spoken = [c["end"] - c["start"] for c in normal["chunks"]]
    quick = [c["end"] - c["start"] for c in fast["chunks"]]
    assert all(abs(q - s / 1.5) <= 0.05 for q, s in zip(quick, spoken)), (quick, spoken)
    header = mutagen.mp3.MP3(mp3).info
    assert abs(header.length - len(decode(mp3)) / 16000) <= 0.1


# --- bad input -------------------------------------------------------------------------------------


def _fails(runner, article, tmp_path, *options: str, exit_code: int = 1) -> str:
    out = tmp_path / "out"
    result = runner.invoke(cli, ["render", str(article), "-o", str(out), "--engine", "espeak", *options])
    assert result.exit_code == exit_code, result.output
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("podcast: error: "), result.stderr
    assert not list(out.glob("*.mp3"))
    return result.stderr


@pytest.mark.parametrize(
    "make, why",
    [
        (lambda d: d / "absent.mp3", "not found"),
        (lambda d: d, "folder"),
        (lambda d: (d / "notes.mp3").write_text("pas de musique ici") and d / "notes.mp3", "not an audio file"),
        (lambda d: (d / "empty.wav").write_bytes(b"") or d / "empty.wav", "not an audio file"),
    ],
)
@pytest.mark.parametrize("role", ["intro", "outro"])
def test_bad_music_file_is_one_line_naming_it(runner, article, tmp_path, make, why, role):
    folder = tmp_path / "music"
    folder.mkdir()
    path = make(folder)
    message = _fails(runner, article, tmp_path, f"--{role}", str(path))
    assert str(path) in message and why in message and role in message


def test_unreadable_music_file(article, tmp_path):
    import subprocess
    import sys

    from tests.support.hostile import as_plain_user

    path = music(tmp_path / "intro.wav", 1.0)
    path.chmod(0)
    out = tmp_path / "out"
    # As root, the child drops the capabilities that let root ignore file modes.
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "podcast",
            "render",
            str(article),
            "-o",
            str(out),
            "--engine",
            "espeak",
            "--intro",
            str(path),
        ],
        capture_output=True,
        text=True,
        preexec_fn=as_plain_user(),
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.count("\n") == 1 and str(path) in proc.stderr and "cannot read" in proc.stderr
    assert not list(out.glob("*.mp3"))


def test_unreadable_music_file_even_as_root(runner, article, tmp_path):
    # A file that exists but fails on read for any user: address 0 of this process's memory (EIO).
    path = Path("/proc/self/mem")
    message = _fails(runner, article, tmp_path, "--intro", str(path))
    assert str(path) in message and "cannot read the intro file" in message


@pytest.mark.parametrize(
    "options, words",
    [
        (("--speed", "0.4"), "--speed 0.4 is outside 0.5-2.0"),
        (("--speed", "2.5"), "--speed 2.5 is outside 0.5-2.0"),
        (("--loudness", "-31"), "--loudness -31 is outside -30 to -10"),
        (("--loudness", "-9"), "--loudness -9 is outside -30 to -10"),
        (("--bitrate", "8"), "--bitrate 8 is outside 32-320"),
    ],
)
def test_out_of_range_options_are_usage_errors(runner, article, tmp_path, options, words):
    """The library's InputError and the CLI's usage error (exit 2) say the same thing."""
    flag, value = options
    with pytest.raises(InputError, match=words):
        MixSettings(**{flag[2:]: float(value)}).validate()
    out = tmp_path / "out"
    result = runner.invoke(cli, ["render", str(article), "-o", str(out), "--engine", "espeak", *options])
    assert result.exit_code == 2 and "Usage:" in result.stderr, result.stderr
    assert f"Invalid value for '{flag}': {words.split(' ', 1)[1]}" in result.stderr
    assert not out.exists()


# --- the ffmpeg boundary: decoding, failures, cancel, Ctrl-C, timeouts --------------------------------


def _ffmpeg_children() -> list[int]:
    """This process's ffmpeg children, zombies included: after any exit there must be none."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name, rest = text[text.index("(") + 1 : text.rindex(")")], text[text.rindex(")") + 2 :].split()
        if int(rest[1]) == os.getpid() and "ffmpeg" in name:
            found.append(int(stat.parent.name))
    return found


def _endless_speech(rate: int = 24000, stop=None):
    """Tone clips for as long as asked: pass one and the streamed encode are busy when a test strikes."""
    clip = _tone_clip(4.0, rate=rate)
    for index in range(10_000):
        if stop is not None and stop(index):
            return
        yield Chunk(f"clip {index}", 0, index, 0.3), clip


def test_decode_clip_matches_the_engine_mp3(tmp_path):
    mp3 = subprocess.run(
        [
            ffmpeg_exe(),
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "sine=f=300:d=1.5:r=24000",
            "-c:a",
            "libmp3lame",
            "-b:a",
            "32k",
            "-f",
            "mp3",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    pcm = decode_clip(Clip(mp3, "mp3"))
    assert (pcm.format, pcm.sample_rate, pcm.sample_width, pcm.channels) == ("pcm", 24000, 2, 1)
    assert abs(len(pcm.data) / 2 / 24000 - 1.5) < 0.1
    # What the decoder pydub was told to use gives, sample for sample.
    reference = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-f", "mp3", "-c:a", "mp3float", "-i", "pipe:0", "-f", "s16le", "-"],
        input=mp3,
        capture_output=True,
        check=True,
    ).stdout
    assert pcm.data == reference


@pytest.mark.parametrize("data", [b"", b"pas du son" * 50])
def test_decode_clip_refuses_garbage_with_the_engine_error(data):
    with pytest.raises(EngineError) as caught:
        decode_clip(Clip(data, "mp3"))
    assert str(caught.value) == "the engine returned undecodable mp3 audio" and caught.value.exit_code == 3


def test_stereo_pcm_becomes_mono_without_ffmpeg():
    frames = array("h", [1000, 3000] * 100).tobytes()
    clip = decode_clip(Clip(frames, "pcm", 16000, 2, 2))
    assert (clip.channels, clip.sample_width, clip.sample_rate) == (1, 2, 16000)
    assert array("h", clip.data)[:3].tolist() == [2000, 2000, 2000]


def test_pydub_is_never_pointed_at_our_ffmpeg(tmp_path):
    assemble(iter([(Chunk("un", 0, 0, 0.2), _tone_clip(1.0))]), tmp_path / "one.mp3", MixSettings())
    from podcast.sound.clip import pydub

    assert pydub().AudioSegment.converter != ffmpeg_exe()


def test_a_failed_ffmpeg_names_what_it_was_doing_and_why(tmp_path):
    with pytest.raises(InputError) as caught:
        ffmpeg.run(
            ["-hide_banner", "-i", str(tmp_path / "absent.wav"), "-f", "null", "-"],
            fail=ffmpeg.failed("to read the music", InputError, tmp_path),
        )
    assert str(caught.value).startswith(f"{tmp_path}: ffmpeg failed to read the music: ")
    assert "No such file or directory" in str(caught.value)


def _left(folder: Path) -> list[str]:
    """What assembly left in `folder`, but the output itself: a caller's temp name, the caller removes it."""
    return sorted(p.name for p in folder.iterdir() if p.name != "episode.mp3")


def _timer(seconds: float, action) -> threading.Timer:
    timer = threading.Timer(seconds, action)
    timer.start()
    return timer


LONG_RUN = ["-hide_banner", "-nostdin", "-re", "-f", "lavfi", "-i", "sine=d=120", "-f", "null", "-"]


def test_cancel_kills_a_running_ffmpeg_and_raises_cancelled():
    token = CancelToken()
    _timer(0.3, token.cancel)
    began = time.monotonic()
    with pytest.raises(Cancelled):
        ffmpeg.run(LONG_RUN, fail=ffmpeg.failed("to play"), cancel=token)
    assert time.monotonic() - began < 3
    assert _ffmpeg_children() == []
    with pytest.raises(Cancelled):  # nothing starts once cancelled
        ffmpeg.run(["-version"], fail=ffmpeg.failed("to start"), cancel=token)


def test_cancel_unblocks_a_write_to_a_slow_encoder():
    token = CancelToken()
    slow = [
        "-hide_banner",
        "-nostdin",
        "-re",
        "-f",
        "s16le",
        "-ar",
        "8000",
        "-ac",
        "1",
        "-i",
        "pipe:0",
        "-f",
        "null",
        "-",
    ]
    began = time.monotonic()
    with ffmpeg.Process(slow, fail=ffmpeg.failed("to play"), cancel=token) as process:
        _timer(0.3, token.cancel)
        with pytest.raises(Cancelled):
            process.write(b"\0" * 8_000_000)  # eight minutes at real time: blocks on the full pipe
    assert time.monotonic() - began < 3
    assert _ffmpeg_children() == []


@pytest.mark.slow
def test_a_run_past_its_timeout_is_killed_and_named():
    with pytest.raises(OutputError) as caught:
        ffmpeg.run(LONG_RUN, fail=ffmpeg.failed("to play"), timeout=0.5)
    assert str(caught.value) == "ffmpeg failed to play: no result after 0.5 s"
    assert _ffmpeg_children() == []


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.05, 0.6, 2.0])
@pytest.mark.parametrize("outro", [False, True])
def test_cancel_mid_assembly_returns_promptly_and_leaves_nothing(tmp_path, delay, outro):
    # Early: pass one only; later: the streamed encode is measuring or encoding, or the feeder waits on it.
    out = tmp_path / "audio"
    out.mkdir()
    settings = MixSettings(outro=music(tmp_path / "outro.wav", 3.0) if outro else None)
    token = CancelToken()
    timer = _timer(delay, token.cancel)
    began = time.monotonic()
    with pytest.raises(Cancelled):
        assemble(_endless_speech(), out / "episode.mp3", settings, cancel=token)
    timer.join()
    assert time.monotonic() - began < delay + 3
    assert _left(out) == []
    assert _ffmpeg_children() == []


@pytest.mark.slow
def test_cancel_during_the_final_encode(tmp_path, monkeypatch):
    # With an outro the MP3 is encoded after pass one: cancel once that encode has started.
    token = CancelToken()
    real_run = ffmpeg.run

    def run(args, **kwargs):
        if "-filter_complex" in args:
            _timer(0.2, token.cancel)
            args = [*args[:4], "-re", *args[4:]]  # at real time: still running at the cancel
        return real_run(args, **kwargs)

    monkeypatch.setattr(ffmpeg, "run", run)
    out = tmp_path / "audio"
    out.mkdir()
    settings = MixSettings(outro=music(tmp_path / "outro.wav", 3.0))
    with pytest.raises(Cancelled):
        assemble(_endless_speech(stop=lambda i: i == 3), out / "episode.mp3", settings, cancel=token)
    assert _left(out) == []
    assert _ffmpeg_children() == []


@pytest.mark.parametrize("at_clip", [1, 12])
def test_ctrl_c_in_the_host_cleans_temps_and_children(tmp_path, at_clip):
    # A KeyboardInterrupt raised by the host's own code (here the clip iterator), no token involved.
    def stop(index: int) -> bool:
        if index == at_clip:
            raise KeyboardInterrupt
        return False

    out = tmp_path / "audio"
    out.mkdir()
    with pytest.raises(KeyboardInterrupt):
        assemble(_endless_speech(stop=stop), out / "episode.mp3", MixSettings())
    assert _left(out) == []
    assert _ffmpeg_children() == []
