"""Two renders of the same article into the same folder and cache at once: both succeed, and the
folder holds one valid episode and a valid feed."""

from __future__ import annotations

import json
import subprocess

import feedparser
import pytest

from podcast.files import TEMP_PREFIX
from tests.support.hostile import (
    SHORT_ARTICLE,
    assert_cache_intact,
    assert_valid_mp3,
    cli_env,
    espeak_render_argv,
    only_episode,
    sha256,
)

pytestmark = pytest.mark.slow  # two real renders at once


def test_two_renders_of_the_same_article_at_once(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(SHORT_ARTICLE * 3, "utf-8")
    out, cache = tmp_path / "audio", tmp_path / "cache"
    cmd = espeak_render_argv(out, cache, article)
    procs = [
        subprocess.Popen(cmd, env=cli_env(), cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    results = [(p.wait(timeout=120), p.stderr.read().decode()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert results == [(0, ""), (0, "")], results

    mp3 = only_episode(out)
    assert_valid_mp3(mp3, min_seconds=5)
    manifest = json.loads(mp3.with_suffix(".json").read_text("utf-8"))
    assert manifest["sha256"] == sha256(mp3)
    assert not [p for p in out.iterdir() if p.name.startswith(TEMP_PREFIX)]
    assert assert_cache_intact(cache) > 0

    feed = out / "feed.xml"
    if feed.exists():  # the feed appears with the publishing work (issue of helper D)
        parsed = feedparser.parse(feed.read_bytes())
        assert not parsed.bozo, parsed.bozo_exception
        assert len(parsed.entries) == 1
        enclosure = parsed.entries[0].enclosures[0]
        assert enclosure.href.endswith(mp3.name)
        assert int(enclosure.length) == mp3.stat().st_size


def test_two_different_articles_at_once_both_reach_the_feed(tmp_path):
    """Each render rebuilds the feed from every manifest; the last one to publish must see both."""
    out, cache = tmp_path / "audio", tmp_path / "cache"
    procs = []
    for name in ("premier", "second"):
        article = tmp_path / f"{name}.txt"
        article.write_text(SHORT_ARTICLE.replace("Titre court", f"Article {name}"), "utf-8")
        procs.append(
            subprocess.Popen(
                espeak_render_argv(out, cache, article),
                env=cli_env(),
                cwd=tmp_path,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        )
    results = [(p.wait(timeout=120), p.communicate()[1].decode()) for p in procs]
    assert results == [(0, ""), (0, "")], results
    mp3s = sorted(p.name for p in out.glob("*.mp3"))
    assert mp3s == ["article-premier.mp3", "article-second.mp3"]
    for name in mp3s:
        assert_valid_mp3(out / name, min_seconds=3)
    feed = out / "feed.xml"
    if feed.exists():
        parsed = feedparser.parse(feed.read_bytes())
        assert not parsed.bozo, parsed.bozo_exception
        assert sorted(e.enclosures[0].href.rsplit("/", 1)[-1] for e in parsed.entries) == mp3s
