"""Re-rendering a fully cached episode offline (issue 14, item 9): no probe, and the same voice.

A gTTS episode is rendered against the local fake Google (tests/support/fakegoogle.py); Google is then
unreachable (a closed local port). The re-render needs no request: `--engine gtts` must not
fail on its probe, and `auto` must not re-voice the published episode with another engine.
"""

from __future__ import annotations

import json

import pytest

from podcast import RenderOptions, render
from tests.support.hostile import SHORT_ARTICLE, assert_one_line_error, cli_env, run_cli

pytestmark = pytest.mark.slow  # gTTS renders then offline re-renders, in subprocesses

OFFLINE = "http://127.0.0.1:9/batchexecute"


@pytest.fixture
def published(tmp_path, fake_google, monkeypatch):
    """An article, and its episode rendered with gTTS into `audio/`; then Google goes away."""
    article = tmp_path / "article.txt"
    article.write_text(SHORT_ARTICLE, "utf-8")
    out = tmp_path / "audio"
    [episode] = render([article], RenderOptions(output_dir=out, engine="gtts", jobs=2))
    assert episode.engine == "gtts" and episode.stats["synthesized"] > 0
    monkeypatch.setenv("PODCAST_GTTS_URL", OFFLINE)
    return article, out, episode


@pytest.mark.parametrize("engine", ["gtts", "auto"])
def test_offline_rerender_of_a_cached_gtts_episode_keeps_its_voice(published, engine):
    article, out, first = published
    notices: list[str] = []
    [again] = render([article], RenderOptions(output_dir=out, engine=engine, notify=notices.append))
    assert (again.engine, again.voice) == (first.engine, first.voice)
    assert again.stats["cached"] == again.stats["clips"] and again.stats["synthesized"] == 0
    assert (again.guid, again.number, again.slug) == (first.guid, first.number, first.slug)
    assert not any("warning" in notice for notice in notices), notices


@pytest.mark.parametrize("engine", ["gtts", "auto"])
def test_offline_rerender_through_the_cli(published, engine):
    article, out, first = published
    run = run_cli("-q", "render", "--engine", engine, "-o", out, article, env=cli_env(PODCAST_GTTS_URL=OFFLINE))
    assert (run.code, run.stderr) == (0, "")
    manifest = json.loads((out / f"{first.slug}.json").read_text("utf-8"))
    assert (manifest["engine"], manifest["voice"]) == ("gtts", first.voice)


def test_an_uncached_chunk_still_needs_google(published):
    """One edited sentence is not in the cache: `--engine gtts` offline fails as before (exit 3)."""
    article, out, _ = published
    article.write_text(SHORT_ARTICLE.replace("lundi matin", "mardi soir"), "utf-8")
    run = run_cli("-q", "render", "--engine", "gtts", "-o", out, article, env=cli_env(PODCAST_GTTS_URL=OFFLINE))
    assert_one_line_error(run, 3, "gtts")
