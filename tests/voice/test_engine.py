"""Engine interface and registry, `podcast engines`, and the embedded espeak-ng voice."""

from __future__ import annotations

import threading
import time
from importlib.metadata import entry_points

import pytest

from podcast.cli import cli
from podcast.errors import EngineError, InputError
from podcast.types import Chunk, Clip, Script
from podcast.voice.engine import (
    ENTRY_POINT_GROUP,
    Engine,
    choose_engine,
    describe_engines,
    get_engine_class,
    register,
    unregister,
)
from podcast.voice.espeak import EspeakEngine
from podcast.voice.synth import POLL_SECONDS, synthesize

# Lengths grow with n, so a clip in the wrong place is visible by its duration.
SENTENCES = [f"Phrase {'très ' * n}longue, lue par la voix embarquée." for n in range(12)]


def same_speech(a: bytes, b: bytes) -> bool:
    """espeak-ng varies a few samples from call to call; the same sentence stays within 2%."""
    return bool(a) and abs(len(a) - len(b)) <= 0.02 * len(b)


class ToneEngine(Engine):
    """A third-party engine registered at run time: a beep per character, deterministic."""

    name = "tone"
    description = "test tones"
    max_chars = 80

    @classmethod
    def voices(cls):
        return ["beep"]

    def synthesize(self, text: str) -> Clip:
        import math

        rate = 16000
        samples = [int(8000 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(rate // 50 * len(text))]
        return Clip(b"".join(s.to_bytes(2, "little", signed=True) for s in samples), "pcm", rate, 2, 1)


@pytest.fixture
def tone_engine():
    register(ToneEngine)
    yield ToneEngine
    unregister("tone")


def test_builtins_register_through_entry_points():
    names = {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}
    assert names["espeak"] == "podcast.voice.espeak:EspeakEngine"
    assert names["gtts"] == "podcast.voice.gtts:GttsEngine"
    assert names["piper"] == "podcast.voice.piper:PiperEngine"
    for name in ("espeak", "gtts", "piper"):
        cls = get_engine_class(name)
        assert cls.name == name and cls.max_chars > 0
        assert isinstance(cls.online, bool) and cls.languages and "fr" in cls.languages


def test_capabilities_say_what_each_engine_is():
    gtts, espeak = get_engine_class("gtts"), get_engine_class("espeak")
    assert gtts.online and gtts.max_chars == 100 and gtts.parallel
    assert not espeak.online and not espeak.parallel


def test_a_registered_engine_renders_like_a_builtin(tone_engine, runner, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Titre\n\nUn court paragraphe de test.\n", "utf-8")
    result = runner.invoke(cli, ["-q", "render", str(article), "-o", str(tmp_path / "out"), "--engine", "tone"])
    assert result.exit_code == 0, result.stderr
    [manifest] = [p for p in (tmp_path / "out").glob("*.json") if "." not in p.stem]
    assert '"engine": "tone"' in manifest.read_text("utf-8")


def test_podcast_engines_lists_availability_voices_and_reasons(tone_engine, runner):
    result = runner.invoke(cli, ["engines"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    espeak = next(i for i, line in enumerate(lines) if line.startswith("espeak"))
    assert "available" in lines[espeak] and "fr-be" in lines[espeak + 1]
    gtts = next(i for i, line in enumerate(lines) if line.startswith("gtts"))
    # conftest points gTTS at a closed port: unavailable, and why.
    assert "unavailable" in lines[gtts] and "why: cannot reach 127.0.0.1:9" in lines[gtts + 1]
    assert any(line.startswith("tone") for line in lines)
    assert "piper" in result.output
    infos = {i.name: i for i in describe_engines()}
    assert infos["tone"].available and infos["tone"].voices == ["beep"]


def test_unknown_engine_and_bad_settings_are_input_errors():
    with pytest.raises(InputError, match="unknown engine 'nope'.*espeak"):
        choose_engine("nope", {})
    for bad, option in (({"rate": 20}, "--rate"), ({"pitch": 101}, "--pitch"), ({"tld": "x/y"}, "--tld")):
        with pytest.raises(InputError, match=option):
            choose_engine("espeak" if "tld" not in bad else "gtts", bad)
    with pytest.raises(InputError, match="no voice 'nope'"):
        choose_engine("espeak", {"voice": "nope"})
    with pytest.raises(InputError, match="unknown engine option colour"):
        choose_engine("espeak", {"colour": "blue"})


def test_espeak_rate_and_pitch_change_the_voice():
    text = "Une phrase assez longue pour mesurer la vitesse de lecture."
    normal = EspeakEngine().synthesize(text)
    fast = EspeakEngine({"rate": 300}).synthesize(text)
    high = EspeakEngine({"pitch": 90}).synthesize(text)
    assert normal.format == "pcm" and normal.sample_rate == 22050
    assert len(fast.data) < len(normal.data) * 0.7
    assert high.data != normal.data
    identities = {str(EspeakEngine(s).cache_identity()) for s in ({}, {"rate": 300}, {"pitch": 90}, {"voice": "fr-be"})}
    assert len(identities) == 4


def test_espeak_is_safe_from_many_threads():
    engine = EspeakEngine()
    serial = [engine.synthesize(s).data for s in SENTENCES]
    results: dict[int, bytes] = {}

    def speak(i: int) -> None:
        other = EspeakEngine({"rate": 200 if i % 2 else 165})
        results[i] = (other if i % 2 else engine).synthesize(SENTENCES[i]).data

    threads = [threading.Thread(target=speak, args=(i,)) for i in range(len(SENTENCES))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i in range(0, len(SENTENCES), 2):  # same settings: the same speech, not a mix of two
        assert same_speech(results[i], serial[i]), i
    for i in range(1, len(SENTENCES), 2):  # rate 200 in the other engine: shorter, not garbled into ours
        assert 0.6 * len(serial[i]) < len(results[i]) < 0.95 * len(serial[i]), i


def test_engine_errors_name_the_chunk(tone_engine):
    class Broken(ToneEngine):
        # Only the first chunk breaks: the engine is parallel, so a second failure could be seen first.
        def synthesize(self, text):
            if text == "Bonjour.":
                raise EngineError("the voice broke")
            return super().synthesize(text)

    script = Script("t", [Chunk("Bonjour.", 0, 0, 0.3), Chunk("Encore une.", 0, 1, 0.3)])
    with pytest.raises(EngineError, match=r"the voice broke \(chunk: 'Bonjour.'\)"):
        list(synthesize(script, Broken()))


@pytest.mark.slow
@pytest.mark.parametrize("parallel", [False, True])
def test_a_voice_slower_than_the_poll_interval_is_waited_for(tone_engine, parallel):
    # Before Python 3.11 a future's timeout is not the builtin TimeoutError: the wait must still loop.
    class Slow(ToneEngine):
        def synthesize(self, text):
            time.sleep(3 * POLL_SECONDS)
            return super().synthesize(text)

    Slow.parallel = parallel
    script = Script("t", [Chunk("Bonjour.", 0, 0, 0.3), Chunk("Encore une.", 0, 1, 0.3)])
    clips = [clip for _, clip in synthesize(script, Slow())]
    assert [len(c.data) for c in clips] == [len(ToneEngine().synthesize(t).data) for t in ("Bonjour.", "Encore une.")]
