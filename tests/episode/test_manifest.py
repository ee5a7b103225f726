"""The manifest beside each MP3: the files it describes, numbers and guids kept, tampering refused."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from mutagen.mp3 import MP3

from podcast.episode.manifest import carry_over, load_episodes
from podcast.errors import InputError
from podcast.files import TEMP_PREFIX
from podcast.types import Episode
from tests.support.shows import HOSTILE, SECTIONED, render_articles, show

SLUG = "chapitres-sections"


def _manifest(folder: Path, slug: str = SLUG) -> dict:
    return json.loads((folder / f"{slug}.json").read_text("utf-8"))


def test_manifest_describes_the_files(published):
    manifest = _manifest(published)
    mp3 = published / manifest["mp3"]
    data = mp3.read_bytes()
    assert manifest["size"] == len(data)
    assert manifest["sha256"] == hashlib.sha256(data).hexdigest()
    assert abs(manifest["duration"] - MP3(mp3).info.length) < 0.2
    assert manifest["title"] == SECTIONED.title and manifest["description"] == SECTIONED.description
    assert manifest["engine"] == "espeak" and manifest["voice"]
    assert manifest["date"] and manifest["guid"] and manifest["number"] >= 1
    assert (published / manifest["cover"]).is_file()
    offsets = [(c["start"], c["end"]) for c in manifest["chunks"]]
    assert offsets == sorted(offsets) and all(a < b for a, b in offsets)


def test_no_temporary_files_are_left(published):
    assert not [p for p in published.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_hostile_title_gives_a_safe_file_name(published):
    names = [p.name for p in published.iterdir()]
    assert all("/" not in n and ".." not in n and "<" not in n and "\x00" not in n for n in names)
    hostile = [e for e in load_episodes(published) if e.title.startswith("</title>")]
    assert len(hostile) == 1
    assert hostile[0].slug == "title-script-alert-x-script-quotes-x-fin"
    assert hostile[0].title == HOSTILE  # the manifest keeps the title as written


@pytest.mark.slow
def test_rerender_keeps_guid_number_and_date(tmp_path):
    from podcast.types import Article, Section

    article = Article(title="Deux fois", source="x.txt", sections=[Section(None, ["Bonjour à tous."])])
    other = Article(title="Autre", source="y.txt", sections=[Section(None, ["Encore un."])])
    render_articles(tmp_path, [article, other], show())
    first = {e.slug: e for e in load_episodes(tmp_path)}
    manifest = tmp_path / "deux-fois.json"
    data = json.loads(manifest.read_text("utf-8"))
    data["date"] = "2020-02-02"  # as if rendered long ago; the article has no date of its own
    manifest.write_text(json.dumps(data), "utf-8")
    render_articles(tmp_path, [article], show())
    again = {e.slug: e for e in load_episodes(tmp_path)}
    assert again["deux-fois"].guid == first["deux-fois"].guid
    assert again["deux-fois"].number == first["deux-fois"].number == 1
    assert again["autre"].number == 2
    assert again["deux-fois"].date == "2020-02-02"


def test_new_episode_gets_the_next_number(tmp_path):
    base = dict(
        title="t",
        mp3="",
        duration=1.0,
        size=0,
        sha256="",
        engine="e",
        voice="v",
        date="2025-01-01",
        author="a",
        show="s",
    )
    (tmp_path / "a.json").write_text(Episode(slug="a", number=7, **base).to_json(), "utf-8")
    episode = Episode(slug="b", **base)
    episode = carry_over(episode, tmp_path, keep_date=True)
    assert episode.number == 8 and episode.guid


@pytest.mark.parametrize(
    "key, value",
    [
        ("slug", "../../etc"),
        ("mp3", "../secret.mp3"),
        ("cover", "/etc/x.jpg"),
        ("duration", "long"),
        ("number", -1),
        ("title", None),
        ("chunks", [dict(text="a", section=0, paragraph=0, start=0, end=1, written=3)]),
    ],
)
def test_tampered_manifest_is_refused_naming_the_key(tmp_path, key, value):
    from podcast.episode.manifest import read_manifest

    base = dict(
        slug="ok",
        title="t",
        mp3="ok.mp3",
        duration=1.0,
        size=1,
        sha256="",
        engine="e",
        voice="v",
        date="2025-01-01",
        author="a",
        show="s",
    )
    data = json.loads(Episode(**base).to_json())
    data[key] = value
    (tmp_path / "ok.json").write_text(json.dumps(data), "utf-8")
    with pytest.raises(InputError, match=f"'{key}'"):
        read_manifest(tmp_path / "ok.json")
