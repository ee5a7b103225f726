"""The library as a Python user sees it: only `from podcast import ...`, never Click nor a submodule."""

from __future__ import annotations

import signal
import threading

import mutagen.mp3
import pytest

import podcast
from podcast import (
    Article,
    Cancelled,
    CancelToken,
    Episode,
    InputError,
    MixSettings,
    Pauses,
    PodcastError,
    RenderOptions,
    parse_article,
    read_article,
    render,
)

ARTICLE = """# Le port de Marseille

Le port de Marseille a accueilli trois cent mille passagers en mars.

## La suite

Les travaux du quai reprendront lundi matin, a indiqué la direction.
"""


def _options(tmp_path, **changes) -> RenderOptions:
    base = dict(output_dir=tmp_path / "audio", engine="espeak", cache_dir=tmp_path / "cache")
    base.update(changes)
    return RenderOptions(**base)


def _files(folder):
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_public_names_are_exported():
    for name in podcast.__all__:
        assert getattr(podcast, name) is not None, name
    assert podcast.__version__
    with pytest.raises(AttributeError):
        podcast.no_such_name  # noqa: B018


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:Couldn't find ffmpeg:RuntimeWarning")  # pydub's own import, as a host's
def test_render_a_file_into_a_folder_with_no_side_effects(tmp_path, seed):
    import pydub

    converter = pydub.AudioSegment.converter
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}

    [episode] = render([seed], _options(tmp_path))

    assert isinstance(episode, Episode)
    out = tmp_path / "audio"
    mp3 = out / episode.mp3
    audio = mutagen.mp3.MP3(mp3)
    assert 120 < audio.info.length < 400 and abs(audio.info.length - episode.duration) < 0.5
    assert str(audio.tags["TIT2"]) == episode.title and episode.engine == "espeak"
    # No feed unless asked, no signal handlers taken, pydub's globals left as the host set them.
    assert "feed.xml" not in _files(out) and "index.html" not in _files(out)
    assert {signum: signal.getsignal(signum) for signum in handlers} == handlers
    assert pydub.AudioSegment.converter == converter


def test_render_text_held_in_memory(tmp_path):
    article = parse_article(ARTICLE, kind="md", name="marseille")
    assert isinstance(article, Article) and article.title == "Le port de Marseille"
    assert [s.heading for s in article.sections] == [None, "La suite"]

    [episode] = render([article], _options(tmp_path, feed=True))

    assert episode.title == "Le port de Marseille"
    assert episode.sections == [None, "La suite"]
    assert {"feed.xml", "index.html", episode.mp3, f"{episode.slug}.json"} <= set(_files(tmp_path / "audio"))
    spoken = " ".join(chunk.text for chunk in episode.chunks)
    assert "trois cent mille" in spoken and "mars" in spoken
    assert episode.chunks[-1].end <= episode.duration


def test_defaults_are_fresh_for_every_call(tmp_path):
    one, two = RenderOptions(), RenderOptions()
    assert one.mix == MixSettings() and one.pauses == Pauses()
    assert one.engine_options is not two.engine_options
    assert one.feed is False


def test_errors_are_podcast_errors_naming_the_file(tmp_path):
    missing = tmp_path / "absent.txt"
    with pytest.raises(InputError) as caught:
        render([missing], _options(tmp_path))
    assert isinstance(caught.value, PodcastError) and str(missing) in str(caught.value)
    with pytest.raises(InputError, match="--speed"):
        render([missing], _options(tmp_path, mix=MixSettings(speed=5)))
    with pytest.raises(InputError, match="--rate"):
        render([parse_article("Bonjour.")], _options(tmp_path, engine_options={"rate": 500}))
    with pytest.raises(InputError):
        read_article(missing)
    assert _files(tmp_path / "audio") == []


@pytest.mark.slow
def test_cancel_from_another_thread_stops_cleanly(tmp_path, seed):
    token = CancelToken()
    seen: list[int] = []

    def progress(title):
        def step(done, total):
            seen.append(done)
            if done == 3:  # as a web app or a queue worker would, from its own thread
                threading.Thread(target=token.cancel).start()

        return step

    with pytest.raises(Cancelled):
        render([seed], _options(tmp_path, progress=progress), cancel=token)
    assert 3 <= max(seen) < 40
    out = tmp_path / "audio"
    assert not [name for name in _files(out) if name.endswith(".mp3") or name.startswith(".")]
    # The same token stays cancelled; a new one renders the same article to the end.
    with pytest.raises(Cancelled):
        render([seed], _options(tmp_path), cancel=token)
    [episode] = render([seed], _options(tmp_path), cancel=CancelToken())
    assert (out / episode.mp3).exists()


@pytest.mark.slow
def test_every_driver_speaks_the_same_chunks_without_the_title(tmp_path):
    """One front door: the same page with --no-title-read gives the same chunks rendered here,
    through the queue (a real redis-server and worker) and through ingest."""
    import json
    from pathlib import Path

    from podcast.cli import cli
    from tests.conftest import ROOT, make_runner
    from tests.support.queueing import Worker, redis_server
    from tests.support.sites import Site

    page = (ROOT / "tests" / "data" / "articles" / "page.html").read_text("utf-8")
    article = tmp_path / "page.html"
    article.write_text(page, "utf-8")
    common = ["--engine", "espeak", "--no-title-read", "--cache-dir", str(tmp_path / "clips")]
    runner = make_runner()
    outputs = {}

    local = runner.invoke(cli, ["render", str(article), "-o", str(tmp_path / "local"), *common])
    assert local.exit_code == 0, local.stderr
    outputs["local"] = tmp_path / "local"

    with redis_server(tmp_path / "redis") as url:
        worker = Worker(url, tmp_path / "worker.log")
        try:
            worker.wait_ready()
            queued = runner.invoke(
                cli, ["render", str(article), "-o", str(tmp_path / "queue"), *common, "--queue", url]
            )
            assert queued.exit_code == 0, queued.stderr + worker.output()
        finally:
            worker.stop()
    outputs["queue"] = tmp_path / "queue"

    site = Site()
    try:
        link = site.add("/a/page.html", "text/html; charset=utf-8", page)
        feed = (
            "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Le Courrier</title>"
            f"<link>{site.url}/</link><description>Les articles</description><item><guid>page</guid>"
            f"<title>Une page</title><link>{link}</link></item></channel></rss>"
        )
        feed_url = site.add("/feed.xml", "application/rss+xml", feed)
        ingested = runner.invoke(cli, ["ingest", feed_url, "-o", str(tmp_path / "ingest"), *common])
        assert ingested.exit_code == 0, ingested.stderr
    finally:
        site.close()
    outputs["ingest"] = tmp_path / "ingest"

    spoken = {}
    for driver, folder in outputs.items():
        [mp3] = Path(folder).glob("*.mp3")
        spoken[driver] = [chunk["text"] for chunk in json.loads(mp3.with_suffix(".json").read_text("utf-8"))["chunks"]]
    assert spoken["local"] and not any(chunk == "Une page" for chunk in spoken["local"])
    assert spoken["queue"] == spoken["local"], "the queue spoke other chunks"
    assert spoken["ingest"] == spoken["local"], "ingest spoke other chunks"


FRONT_DOOR_ONLY = {
    "build_script": "podcast.text",
    "check_music": "podcast.sound",
    "check_cover": "podcast.episode",
    "choose_engine": "podcast.voice",
}
"""What only the front door (podcast.api) calls outside the package that defines it."""


def test_only_the_front_door_scripts_checks_music_and_covers_and_chooses_the_engine():
    """Drivers (cli, queue, ingest) go through `prepare`: one preparation, one engine policy."""
    from tests.test_layout import PACKAGE, _calls, _module_name

    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        for name in set(_calls(path)):
            called = name.rsplit(".", 1)[-1]
            home = FRONT_DOOR_ONLY.get(called)
            if home and module != "podcast.api" and not module.startswith(home):
                found.append((module, called))
    assert found == []
    # The `auto` preference is written once, in voice/.
    users = [
        _module_name(p)
        for p in PACKAGE.rglob("*.py")
        if "AUTO_ORDER" in p.read_text("utf-8") and "/voice/" not in str(p)
    ]
    assert users == []


def test_a_queued_render_is_checked_like_a_local_one_before_anything_is_queued(tmp_path):
    """`render --queue` goes through the same front door: a broken show cover or manifest in the
    output folder fails at once, before the queue is even reached (no worker writes an MP3 first)."""
    from podcast.queue import connect, submit
    from podcast.show.settings import Show

    out = tmp_path / "audio"
    out.mkdir()
    (out / "broken.json").write_text("{not json", "utf-8")
    article = tmp_path / "a.md"
    article.write_text(ARTICLE, "utf-8")
    queue = connect("redis://127.0.0.1:9/0", ping=False)  # nothing listens there: it must not be asked
    try:
        with pytest.raises(InputError, match="broken.json"):
            submit([article], _options(tmp_path, feed=True), queue)
        bad_cover = tmp_path / "cover.png"
        bad_cover.write_bytes(b"not an image")
        with pytest.raises(InputError, match="cover.png"):
            submit(
                [article],
                _options(tmp_path, feed=True, output_dir=tmp_path / "new", show=Show(cover=str(bad_cover))),
                queue,
            )
    finally:
        queue.close()


def test_nothing_to_read_in_a_later_article_fails_before_any_audio(tmp_path):
    first, empty = tmp_path / "a.md", tmp_path / "vide.md"
    first.write_text(ARTICLE, "utf-8")
    empty.write_text("# Vide\n\n```\ncode seulement\n```\n", "utf-8")
    with pytest.raises(InputError, match="nothing to read"):
        render([first, empty], _options(tmp_path, read_title=False))
    assert not (tmp_path / "audio").exists() or not list((tmp_path / "audio").glob("*.mp3"))
