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
