"""Network faults against the local fake Google endpoint (tests/support/fakegoogle.py), through the CLI.

- 30% of requests failing at random (throttling, server errors, dropped connections, garbled
  and captcha pages) still gives byte for byte the episode of a clean run;
- an endpoint that dies mid-render gives one clear line and exit 3, and keeps the clips it
  finished in the cache;
- the rerun completes and requests only the chunks that were missing.

The fake speaks each text with espeak and remembers its MP3, so two runs of the same text get
the same audio and the episodes can be compared by sha256.
"""

from __future__ import annotations

import json
import random
import threading
from collections import Counter
from pathlib import Path

import pytest

from podcast.cli import cli
from tests.conftest import SEED
from tests.robustness.test_exit_codes import cli_runner
from tests.support.hostile import assert_cache_intact, assert_valid_mp3, only_episode, sha256, stray_files

pytestmark = pytest.mark.slow  # whole renders through a faulty fake Google

RATE = 0.3
FAULTS = ("429", "500", "503", "drop", "garble", "html")


@pytest.fixture
def article(tmp_path) -> Path:
    """The seed's first third: about fifteen requests of at most 100 characters."""
    path = tmp_path / "article.txt"
    path.write_text("\n".join(SEED.read_text("utf-8").splitlines()[:11]) + "\n", "utf-8")
    return path


def random_faults(fake, rate: float, seed: str, *, before_success: int = 4) -> None:
    """Fail each request with probability `rate`, with a fault drawn from FAULTS.

    Draws depend on (text, attempt number), not on arrival order, so concurrent requests see
    the same faults on every run. At most `before_success` failures in a row per text (the
    fixture's retry policy makes 5 attempts), so the run can always finish.
    """
    attempts: Counter[str] = Counter()
    lock = threading.Lock()
    planned = fake._fault_for

    def fault_for(text: str | None) -> str | None:
        fault = planned(text)
        if fault or text is None:
            return fault
        with lock:
            attempt = attempts[text]
            attempts[text] += 1
        draw = random.Random(f"{seed}:{text}:{attempt}")
        if attempt < before_success and draw.random() < rate:
            return draw.choice(FAULTS)
        return None

    fake._fault_for = fault_for


def dies_after(fake, answers: int, fault: str = "drop") -> None:
    """After `answers` good answers the endpoint is gone: every request fails with `fault`."""
    served = Counter()
    lock = threading.Lock()
    planned = fake._fault_for

    def fault_for(text: str | None) -> str | None:
        fault_now = planned(text)
        if fault_now or text is None:
            return fault_now
        with lock:
            if served["ok"] >= answers:
                fake.down = fault
                return fault
            served["ok"] += 1
        return None

    fake._fault_for = fault_for


def render(out: Path, cache: Path, article: Path):
    return cli_runner().invoke(
        cli,
        ["-q", "render", "--engine", "gtts", "--jobs", "4", "-o", str(out), "--cache-dir", str(cache), str(article)],
    )


def test_thirty_percent_failures_give_the_clean_episode(fake_google, tmp_path, article):
    fake_google.retry_after = None  # 429 without Retry-After: the engine's own short backoff
    clean = render(tmp_path / "clean", tmp_path / "cache-clean", article)
    assert clean.exit_code == 0, clean.stderr
    clean_mp3 = only_episode(tmp_path / "clean")
    texts = set(fake_google.texts())
    fake_google.reset()
    fake_google.retry_after = None

    random_faults(fake_google, RATE, seed="flaky")
    flaky = render(tmp_path / "flaky", tmp_path / "cache-flaky", article)
    assert flaky.exit_code == 0, flaky.stderr
    assert flaky.stderr == ""
    posts = fake_google.posts()
    failed = [p for p in posts if p.outcome != "ok"]
    assert len(failed) >= 0.15 * len(posts), Counter(p.outcome for p in posts)  # the faults did happen
    assert set(fake_google.texts()) == texts

    flaky_mp3 = only_episode(tmp_path / "flaky")
    assert flaky_mp3.name == clean_mp3.name
    assert sha256(flaky_mp3) == sha256(clean_mp3)
    assert_valid_mp3(flaky_mp3, min_seconds=30)


def test_endpoint_dying_mid_render_then_rerun_requests_only_the_missing(fake_google, tmp_path, article):
    reference = render(tmp_path / "reference", tmp_path / "cache-reference", article)
    assert reference.exit_code == 0, reference.stderr
    reference_mp3 = only_episode(tmp_path / "reference")
    all_texts = fake_google.texts()
    assert len(all_texts) >= 8
    fake_google.reset()

    out, cache = tmp_path / "audio", tmp_path / "cache"
    dies_after(fake_google, answers=len(all_texts) // 2)
    dead = render(out, cache, article)
    assert dead.exit_code == 3, (dead.exit_code, dead.stderr)
    lines = dead.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("podcast: error: "), dead.stderr
    assert "Google" in lines[0] and "--engine espeak" in lines[0]
    assert stray_files(out) == []

    finished = set(fake_google.texts())
    assert 0 < len(finished) < len(set(all_texts))
    assert assert_cache_intact(cache) == len(finished)  # every finished clip was kept

    del fake_google._fault_for  # the endpoint is back (the class's own fault plan again)
    fake_google.reset()
    rerun = render(out, cache, article)
    assert rerun.exit_code == 0, rerun.stderr
    requested = fake_google.texts()
    assert sorted(requested) == sorted(set(all_texts) - finished)  # only the missing, each once
    assert fake_google.texts("drop") == []

    mp3 = only_episode(out)
    assert sha256(mp3) == sha256(reference_mp3)
    stats = json.loads(mp3.with_suffix(".json").read_text("utf-8"))["stats"]
    assert stats["synthesized"] == len(requested)
