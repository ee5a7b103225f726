"""The gTTS engine against a local fake of Google's endpoint: retries, order, errors, TLS."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from podcast.errors import EngineError, InputError
from podcast.types import Chunk, Script
from podcast.voice import gtts as gtts_module
from podcast.voice.cache import ClipCache, clip_key
from podcast.voice.engine import choose_engine
from podcast.voice.gtts import GttsEngine, endpoint_url, parse_audio, request_bodies
from podcast.voice.synth import SynthStats, synthesize
from tests.support.audio import decode, rms
from tests.support.fakegoogle import FakeGoogle, batchexecute_answer, decode_request, mp3_for

TEXTS = [
    "Premier paragraphe, une phrase courte.",
    "Deuxième phrase du même paragraphe.",
    "Le troisième morceau parle d'autre chose.",
    "Quatrième : des chiffres, vingt-quatre.",
    "Cinquième, presque la fin.",
    "Sixième et avant-dernier.",
    "Septième, on y est presque.",
    "Huitième et dernier morceau.",
]


@pytest.fixture(autouse=True)
def _answers_ready():
    """The fake's audio for TEXTS made up front, so answer times are the injected ones only."""
    for text in TEXTS:
        mp3_for(text)


def script_of(texts: list[str]) -> Script:
    return Script("Essai", [Chunk(text, 0, i, 0.3) for i, text in enumerate(texts)])


def run(texts, *, jobs=4, cache=None, stats=None, settings=None) -> list[bytes]:
    with GttsEngine(settings) as engine:
        return [audio.data for _, audio in synthesize(script_of(texts), engine, cache=cache, jobs=jobs, stats=stats)]


def test_bodies_come_from_gtts_and_the_fake_decodes_them():
    [body] = request_bodies("Bonjour, M. Dupont.", slow=True)
    assert body.startswith("f.req=")
    # No English pre-processing: the text reaches Google exactly as our French front end wrote it.
    assert decode_request(body) == ("Bonjour, M. Dupont.", "fr", True)
    assert len(request_bodies("mot " * 60)) == 3  # gTTS's 100-character cap


def test_answer_parsing_matches_the_batchexecute_framing():
    mp3 = mp3_for("Bonjour.")
    assert parse_audio(batchexecute_answer(mp3)) == mp3
    for garbled in (batchexecute_answer(mp3)[:200], "<html>unusual traffic</html>", ")]}'\n\n[]"):
        with pytest.raises(EngineError, match="without audio"):
            parse_audio(garbled)


@pytest.mark.slow
def test_clip_is_real_mp3_speech_in_text_order(fake_google, tmp_path):
    # Earlier chunks answer later, so they finish out of order under 4 concurrent requests.
    for i, text in enumerate(TEXTS):
        fake_google.delays[text] = (len(TEXTS) - i) * 0.05
    clips = run(TEXTS, jobs=4)
    assert clips == [mp3_for(text) for text in TEXTS]
    finished = list(dict.fromkeys(r.text for r in sorted(fake_google.posts(), key=lambda r: r.finished)))
    assert finished != TEXTS and sorted(finished) == sorted(TEXTS)
    # One pooled session: connections are reused, never more than --jobs of them.
    assert len({r.client_port for r in fake_google.posts()}) <= 4
    (tmp_path / "clip.mp3").write_bytes(clips[0])
    assert rms(decode(tmp_path / "clip.mp3")) > 300


@pytest.mark.slow
def test_injected_faults_are_retried_and_audio_equals_a_fault_free_run(fake_google):
    clean = run(TEXTS[:4])
    fake_google.reset()
    faults = ("429", "500", "503", "timeout", "drop", "garble", "html")
    fake_google.fail_next(*faults)
    faulty = run(TEXTS[:4])
    assert faulty == clean
    outcomes = [r.outcome for r in fake_google.posts()]
    assert sorted(o for o in outcomes if o != "ok") == sorted(faults)
    assert sorted(fake_google.texts()) == sorted(TEXTS[:4])  # each chunk succeeded exactly once


@pytest.mark.slow
def test_retry_after_is_honoured_by_every_worker(fake_google, monkeypatch):
    waits: list[float] = []
    real_sleep = GttsEngine._sleep

    def recording_sleep(self, delay):
        waits.append(delay)
        real_sleep(self, delay)

    monkeypatch.setattr(GttsEngine, "_sleep", recording_sleep)
    fake_google.retry_after = "1"
    fake_google.fail_next("429")
    assert run(TEXTS[:2], jobs=2) == [mp3_for(t) for t in TEXTS[:2]]
    assert waits and max(waits) >= 1.0 - 0.05  # the server's word, not our 20 ms backoff
    assert gtts_module._retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert gtts_module._retry_after("7") == 7.0


def test_endpoint_down_gives_a_clear_error_within_bounds_and_keeps_finished_clips(fake_google, tmp_path):
    cache = ClipCache(tmp_path / "cache")
    broken = TEXTS[4]
    fake_google.fail_text(broken, *["503"] * 50)  # this chunk's requests never succeed
    policy = gtts_module.DEFAULT_RETRY
    started = time.monotonic()
    with pytest.raises(EngineError) as info:
        run(TEXTS, cache=cache)
    elapsed = time.monotonic() - started
    message = str(info.value)
    assert "HTTP 503" in message and "retry later" in message and "--jobs" in message and "--engine espeak" in message
    assert broken[:30] in message  # names the chunk
    tries = [r for r in fake_google.posts() if r.text == broken]
    assert len(tries) == policy.attempts
    assert elapsed < policy.total + policy.read_timeout + 10  # bounded: no hang, no endless retry
    identity = GttsEngine().cache_identity()
    cached = {t for t in TEXTS if clip_key(identity, t) in cache}
    assert set(TEXTS[:4]) <= cached and broken not in cached

    # Google is back: the rerun asks only for what is missing, and the episode is whole.
    fake_google.reset()
    stats = SynthStats()
    clips = run(TEXTS, cache=cache, stats=stats)
    assert clips == [mp3_for(t) for t in TEXTS]
    assert sorted(fake_google.texts()) == sorted(set(TEXTS) - cached)
    assert stats.cached == len(cached) and stats.synthesized == len(TEXTS) - len(cached)


def test_whole_endpoint_down_stops_all_workers_quickly(fake_google):
    fake_google.down = "drop"
    with pytest.raises(EngineError, match="kept failing: cannot reach it"):
        run(TEXTS, jobs=4)
    # The first chunk to give up stops the others: far fewer than attempts x chunks.
    assert len(fake_google.posts()) <= gtts_module.DEFAULT_RETRY.attempts * 4 + 4


def test_unreachable_google_says_what_to_do(monkeypatch):
    monkeypatch.setattr(gtts_module, "DEFAULT_RETRY", gtts_module.RetryPolicy(attempts=2, base_delay=0.01))
    with pytest.raises(EngineError) as info:
        run(TEXTS[:1])  # conftest points at a closed local port
    assert "Connection refused" in str(info.value) and "--engine espeak" in str(info.value)


def test_refusals_are_not_retried(fake_google):
    fake_google.fail_next("403")
    with pytest.raises(EngineError, match="refused the request: HTTP 403"):
        run(TEXTS[:1])
    assert len(fake_google.posts()) == 1


def test_tld_and_slow_reach_google(fake_google, monkeypatch):
    settings = {"tld": "ca", "slow": True}
    assert run(TEXTS[:1], settings=settings) == [mp3_for(TEXTS[0], slow=True)]
    assert fake_google.posts()[0].slow is True
    engine = GttsEngine(settings)
    assert engine.voice_name == "fr-ca-slow" and engine.cache_identity()["tld"] == "ca"
    monkeypatch.delenv("PODCAST_GTTS_URL")
    assert endpoint_url("ca") == "https://translate.google.ca/_/TranslateWebserverUi/data/batchexecute"


@pytest.mark.parametrize("bad", ["evil.example/x", "com:8080", "", "fr/../"])
def test_tld_cannot_change_the_host(bad):
    with pytest.raises(InputError, match="--tld"):
        GttsEngine({"tld": bad})
    with pytest.raises(InputError, match="--tld"):
        choose_engine("auto", {"tld": bad})


def test_unspeakable_chunk_is_a_short_silence(fake_google):
    with GttsEngine() as engine:
        audio = engine.synthesize("… !")
    assert audio.format == "pcm" and set(audio.data) == {0}
    assert fake_google.posts() == []


def test_auto_prefers_google_when_it_answers(fake_google):
    engine, notice = choose_engine("auto", {})
    assert engine.name == "gtts" and "gtts" in notice
    assert [r.method for r in fake_google.log] == ["HEAD"]


@pytest.mark.slow
def test_auto_falls_back_to_the_neural_voice_with_a_warning():
    engine, notice = choose_engine("auto", {})  # conftest: a closed port
    assert engine.name == "kokoro" and notice.startswith("warning: Google unreachable")
    assert notice.endswith("speaking with the offline Kokoro neural voice")


# --- TLS ------------------------------------------------------------------------------------


@pytest.fixture
def tls_google(monkeypatch, tmp_path):
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    context = __import__("ssl").create_default_context(__import__("ssl").Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setattr(gtts_module, "DEFAULT_RETRY", gtts_module.RetryPolicy(attempts=3, base_delay=0.01))
    with FakeGoogle(tls=context) as fake:
        monkeypatch.setenv("PODCAST_GTTS_URL", fake.url)
        yield fake, bundle


def test_untrusted_certificate_is_refused_then_accepted_with_its_ca(tls_google, monkeypatch):
    fake, bundle = tls_google
    assert fake.url.startswith("https://")
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    with pytest.raises(EngineError) as info:
        run(TEXTS[:1])
    assert "CERTIFICATE_VERIFY_FAILED" in str(info.value) and "REQUESTS_CA_BUNDLE" in str(info.value)
    assert fake.posts() == []  # refused at the handshake, never retried into the untrusted server

    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    assert run(TEXTS[:1]) == [mp3_for(TEXTS[0])]
    assert len(fake.posts()) == 1


def test_no_switch_disables_verification():
    root = Path(__file__).resolve().parents[2] / "podcast"
    for path in root.rglob("*.py"):
        source = path.read_text("utf-8")
        assert "verify=False" not in source and "CERT_NONE" not in source, path


def test_decoded_clips_are_pcm_of_the_same_speech(fake_google, tmp_path):
    with GttsEngine() as engine:
        clips = [audio for _, audio in synthesize(script_of(TEXTS[:3]), engine, decode=True)]
    for text, audio in zip(TEXTS[:3], clips):
        assert audio.format == "pcm" and audio.sample_rate == 24000 and audio.channels == 1
        (tmp_path / "c.mp3").write_bytes(mp3_for(text))
        reference = decode(tmp_path / "c.mp3", rate=24000)
        assert abs(len(audio.data) // 2 - len(reference)) < 2400  # within 0.1 s


def _render(runner, tmp_path, *extra):
    from podcast.cli import cli

    article = tmp_path / "a.txt"
    article.write_text("Titre\n\nUn paragraphe assez court pour ce test.\n", "utf-8")
    return runner.invoke(cli, ["render", str(article), "-o", str(tmp_path / "out"), *extra])


def _engine_tags(tmp_path) -> dict:
    from mutagen.id3 import ID3

    [mp3] = (tmp_path / "out").glob("*.mp3")
    return {f.desc: str(f) for f in ID3(mp3).getall("TXXX")}


@pytest.mark.slow
def test_auto_render_records_google_with_cli_voice_options(fake_google, runner, tmp_path):
    result = _render(runner, tmp_path, "--tld", "fr", "--slow", "--jobs", "2")
    assert result.exit_code == 0, result.stderr
    assert "engine: gtts" in result.stderr
    tags = _engine_tags(tmp_path)
    assert tags["podcast:engine"] == "gtts" and tags["podcast:voice"] == "fr-fr-slow"
    assert all(r.slow for r in fake_google.posts())


@pytest.mark.slow
def test_auto_render_without_google_speaks_offline_and_says_so(runner, tmp_path):
    result = _render(runner, tmp_path)
    assert result.exit_code == 0, result.stderr
    assert "warning: Google unreachable" in result.stderr and "Kokoro" in result.stderr
    assert _engine_tags(tmp_path)["podcast:engine"] == "kokoro"


def test_bad_tld_on_the_command_line_is_a_usage_error(runner, tmp_path):
    result = _render(runner, tmp_path, "--tld", "evil.example/x")
    assert result.exit_code == 2 and "--tld" in result.stderr and "Traceback" not in result.stderr
    assert "Usage:" in result.stderr and "is not a Google domain ending" in result.stderr
