"""Shared fixtures: an isolated cache per test, the seed, a CLI runner, and audio probes.

Two tiers. `python -m pytest -q` runs everything; `python -m pytest -m "not slow" -q` is the quick
loop (about 40 s on 2 cores). A test is marked `slow` when it sends signals or kills, needs a
server (moto's S3, sshd, redis-server, Chromium), runs Kokoro, renders at length, or took over
0.5 s in a full run; a file whose tests all are says so once (`pytestmark = pytest.mark.slow`).
Helpers live in tests/support/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "openai-ouvre-ses-modeles.txt"


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """Each test gets its own clip cache, and Google is never reached by accident."""
    monkeypatch.setenv("PODCAST_CACHE_DIR", str(tmp_path / "cache"))
    # A closed local port: 'auto' falls back to espeak at once unless a test sets a fake.
    monkeypatch.setenv("PODCAST_GTTS_URL", "http://127.0.0.1:9/batchexecute")


@pytest.fixture
def seed(tmp_path) -> Path:
    """A copy of the seed article, safe to edit."""
    dest = tmp_path / "article.txt"
    shutil.copy(SEED, dest)
    return dest


def make_runner() -> CliRunner:
    """A runner that keeps stderr apart (Click 8.1 needs mix_stderr=False; 8.2 always does)."""
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:
        return CliRunner()


@pytest.fixture
def runner() -> CliRunner:
    return make_runner()


@pytest.fixture(scope="session")
def seed_episode(tmp_path_factory):
    """The seed rendered once offline (espeak) for the tests that only read the result."""
    from podcast.cli import cli

    out = tmp_path_factory.mktemp("audio")
    cache = tmp_path_factory.mktemp("cache")
    result = make_runner().invoke(
        cli, ["-q", "render", str(SEED), "-o", str(out), "--engine", "espeak", "--cache-dir", str(cache)]
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def published(tmp_path_factory):
    """A show folder with two short episodes rendered once (espeak): one with headings, one hostile."""
    from tests.support.shows import HOSTILE_ARTICLE, SECTIONED, render_articles, show

    out = tmp_path_factory.mktemp("published")
    render_articles(out, [SECTIONED, HOSTILE_ARTICLE], show(), cache=tmp_path_factory.mktemp("cache"))
    return out


@pytest.fixture
def fake_google(monkeypatch):
    """A local fake of Google's TTS endpoint (tests/support/fakegoogle.py) with fast, bounded retries."""
    from podcast.voice import gtts
    from tests.support.fakegoogle import FakeGoogle

    monkeypatch.setattr(
        gtts,
        "DEFAULT_RETRY",
        gtts.RetryPolicy(attempts=5, base_delay=0.02, max_delay=2.0, total=8.0, connect_timeout=2.0, read_timeout=2.0),
    )
    with FakeGoogle() as fake:
        monkeypatch.setenv("PODCAST_GTTS_URL", fake.url)
        yield fake
