"""Hostile answers from the speech endpoint (issue 14, items 4 and 24), against the local fake Google.

A trickling answer, a huge one, a redirect to plain http, and TLS without the right CA.
Hangs are detected by a bounded join on the request's thread, never by timing it.
"""

from __future__ import annotations

import dataclasses
import ssl
import subprocess
import sys
import threading

import pytest

from podcast.errors import EngineError
from podcast.types import Chunk, Script
from podcast.voice import gtts as gtts_module
from podcast.voice.engine import choose_engine
from podcast.voice.gtts import GttsEngine
from podcast.voice.synth import synthesize
from tests.support.fakegoogle import FakeGoogle, mp3_for

TEXT = "Un morceau court, dit par la fausse voix de Google."
HANG = 60.0
"""Seconds after which a request still running counts as hung (the deadline under test is 2 s)."""


@pytest.fixture(autouse=True)
def _answer_ready():
    mp3_for(TEXT)


def _policy(**changes) -> gtts_module.RetryPolicy:
    """The fixture's fast policy with a short deadline (where the engine has one)."""
    known = {f.name for f in dataclasses.fields(gtts_module.RetryPolicy)}
    return dataclasses.replace(gtts_module.DEFAULT_RETRY, **{k: v for k, v in changes.items() if k in known})


def _speak(texts: list[str]) -> list[bytes] | BaseException:
    """Synthesize on a thread; its result, its exception, or a failure when it does not end (a hang)."""
    outcome: list = []

    def work() -> None:
        try:
            with GttsEngine() as engine:
                script = Script("Essai", [Chunk(text, 0, i, 0.3) for i, text in enumerate(texts)])
                outcome.append([clip.data for _, clip in synthesize(script, engine, jobs=1)])
        except BaseException as exc:  # handed to the test
            outcome.append(exc)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(HANG)
    assert not thread.is_alive(), f"the request still runs after {HANG:.0f} s: no deadline"
    return outcome[0]


@pytest.mark.slow
def test_trickling_answer_is_cut_at_the_deadline_and_retried(fake_google, monkeypatch):
    monkeypatch.setattr(gtts_module, "DEFAULT_RETRY", _policy(deadline=2.0))
    fake_google.trickle_interval = 0.2  # each read sees a byte long before the 2 s read timeout
    fake_google.fail_next("trickle")
    assert _speak([TEXT]) == [mp3_for(TEXT)]  # the retry got the whole answer
    first, second = fake_google.posts()
    assert first.outcome == "trickle" and second.outcome == "ok"
    assert 0 < first.sent < 1000  # cut mid-answer: the client left


@pytest.mark.slow
def test_answer_that_always_trickles_fails_in_bounded_time(fake_google, monkeypatch):
    monkeypatch.setattr(gtts_module, "DEFAULT_RETRY", _policy(deadline=2.0, attempts=2))
    fake_google.trickle_interval = 0.2
    fake_google.down = "trickle"
    error = _speak([TEXT])
    assert isinstance(error, EngineError), error
    assert "no complete answer within 2 s" in str(error) and "--engine espeak" in str(error)


@pytest.mark.parametrize("fault", ["huge", "endless"])
def test_huge_answer_is_refused_without_reading_it_all(fake_google, fault):
    fake_google.huge_bytes = 64 * 1024 * 1024
    fake_google.fail_next(fault)
    error = _speak([TEXT])
    assert isinstance(error, EngineError), error
    assert "answer over 8 MB" in str(error)
    [post] = fake_google.posts()  # not retried: a huge answer is not a passing fault
    assert post.sent < fake_google.huge_bytes


def test_redirect_is_not_followed(fake_google):
    fake_google.fail_next("redirect")
    error = _speak([TEXT])
    assert isinstance(error, EngineError), error
    assert "redirect (HTTP 307" in str(error)
    # The article's text went to Google's address only, never re-posted where the 307 pointed.
    assert [post.path for post in fake_google.posts()] == ["/_/TranslateWebserverUi/data/batchexecute"]


# --- TLS without the right CA (item 24) ---------------------------------------------------------


@pytest.fixture
def tls_google(monkeypatch, tmp_path):
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    monkeypatch.setattr(gtts_module, "DEFAULT_RETRY", gtts_module.RetryPolicy(attempts=2, base_delay=0.01))
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    with FakeGoogle(tls=context) as fake:
        monkeypatch.setenv("PODCAST_GTTS_URL", fake.url)
        yield fake


def _bundles(tmp_path):
    other = tmp_path / "other-ca.pem"
    pytest.importorskip("trustme").CA().cert_pem.write_to_path(str(other))
    empty = tmp_path / "empty.pem"
    empty.write_text("")
    return {"another CA": str(other), "an empty file": str(empty), "a missing file": str(tmp_path / "absent.pem")}


@pytest.mark.slow
@pytest.mark.parametrize("which", ["another CA", "an empty file", "a missing file", "the system store"])
def test_untrusted_certificate_is_named_on_every_path(tls_google, monkeypatch, tmp_path, which):
    bundle = _bundles(tmp_path).get(which)
    if bundle:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", bundle)
    else:
        monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    # The availability probe (--engine gtts, and auto's choice)...
    with pytest.raises(EngineError) as info:
        choose_engine("gtts", {})
    assert "not trusted" in str(info.value) and "REQUESTS_CA_BUNDLE" in str(info.value), info.value
    _, notice = choose_engine("auto", {})
    assert "not trusted" in notice and "REQUESTS_CA_BUNDLE" in notice, notice
    # ... and the request itself.
    error = _speak([TEXT])
    assert isinstance(error, EngineError), error
    assert "not trusted" in str(error) and "REQUESTS_CA_BUNDLE" in str(error)
    assert tls_google.posts() == []  # nothing was sent to the untrusted server


def test_cli_says_the_certificate_is_not_trusted(tls_google, monkeypatch, tmp_path):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", _bundles(tmp_path)["another CA"])
    article = tmp_path / "a.txt"
    article.write_text("Titre\n\nUn paragraphe assez court pour ce test.\n", "utf-8")
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "podcast", "render", "--engine", "gtts", "-o", str(out), str(article)],
        capture_output=True,
        text=True,
        timeout=HANG,
    )
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 3 and len(lines) == 1, result.stderr
    assert "not trusted" in lines[0] and "REQUESTS_CA_BUNDLE" in lines[0] and "cannot reach" not in lines[0]
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.slow
def test_trickling_probe_answer_is_cut_at_its_deadline(fake_google, monkeypatch):
    monkeypatch.setattr(gtts_module, "PROBE_DEADLINE", 2.0, raising=False)
    fake_google.head_trickle = True
    fake_google.trickle_interval = 0.5  # the status line alone takes 30 s; each read sees a byte in 0.5 s
    found: list = []
    thread = threading.Thread(target=lambda: found.append(GttsEngine.availability()), daemon=True)
    thread.start()
    thread.join(HANG)
    assert not thread.is_alive(), f"the probe still runs after {HANG:.0f} s"
    [(ok, reason)] = found
    assert not ok and "no answer from" in reason and "within 2 s" in reason
