"""Sidecars beside each MP3: WebVTT and SRT captions, JSON chapters, and the manifest."""

from __future__ import annotations

import hashlib
import html
import json
from pathlib import Path

import pytest
import webvtt
from mutagen.mp3 import MP3

from podcast.cli import cli
from podcast.episode.captions import to_srt, to_vtt
from podcast.episode.chapters import short_title
from podcast.episode.manifest import carry_over, load_episodes
from podcast.errors import InputError
from podcast.files import TEMP_PREFIX
from podcast.types import Episode, TimedChunk

from .publishing import HOSTILE, SECTION_TITLES, SECTIONED, render_articles, show

SLUG = "chapitres-sections"


def _manifest(folder: Path, slug: str = SLUG) -> dict:
    return json.loads((folder / f"{slug}.json").read_text("utf-8"))


def _hms(stamp: str) -> float:
    h, m, s = stamp.replace(",", ".").split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


@pytest.mark.parametrize("slug", [SLUG, None])
def test_vtt_parses_with_increasing_cues_inside_the_audio(published, seed_episode, slug):
    folder = published if slug else seed_episode
    slug = slug or next(seed_episode.glob("*.mp3")).stem
    manifest = _manifest(folder, slug)
    captions = webvtt.read(str(folder / f"{slug}.vtt"))
    times = [(_hms(c.start), _hms(c.end)) for c in captions]
    # Caption-sized cues (two lines of 42 at most): each written sentence group opens one at its first
    # chunk's start; its cues read its text in order (tests/robustness/test_apps_validators.py: the rest).
    groups = [c for c in manifest["chunks"] if c["written"]]
    assert len(times) >= len(groups)
    starts = [start for start, _ in times]
    assert starts == sorted(set(starts))
    assert all(start < end for start, end in times)
    assert all(end <= start for (_, end), (start, _) in zip(times, times[1:]))
    assert {c["start"] for c in groups} <= {round(s, 3) for s in starts}
    duration = MP3(folder / f"{slug}.mp3").info.length
    assert times[-1][1] <= duration
    assert all(len(c.lines) <= 2 for c in captions)
    read = " ".join(html.unescape(c.text).replace("\n", " ") for c in captions)  # webvtt-py leaves &amp; as is
    assert read.split() == " ".join(c["written"] for c in groups).split()


def test_srt_parses_and_matches_the_vtt(published):
    srt = webvtt.from_srt(str(published / f"{SLUG}.srt"))
    vtt = webvtt.read(str(published / f"{SLUG}.vtt"))
    # The same cues; VTT escapes "&" and "<" (webvtt-py returns them escaped), SRT has no escapes.
    assert [(c.start, c.end, c.text) for c in srt] == [(c.start, c.end, html.unescape(c.text)) for c in vtt]


def test_caption_text_is_escaped_for_vtt():
    episode = Episode(
        slug="x",
        title="t",
        mp3="x.mp3",
        duration=3.0,
        size=0,
        sha256="",
        engine="e",
        voice="v",
        date="2025-01-01",
        author="a",
        show="s",
        chunks=[TimedChunk("a --> b <i>c</i> & d", 0, 0, 0.0, 1.0), TimedChunk("e\x00f", 0, 1, 1.5, 2.5)],
    )
    vtt = to_vtt(episode)
    assert "a --&gt; b &lt;i&gt;c&lt;/i&gt; &amp; d" in vtt and "\x00" not in vtt
    assert "a → b <i>c</i> & d" in to_srt(episode)


WRITTEN = "OpenAI a publié GPT-2 en 2019 pour 3,50 € avec M. Dupont."


def test_transcripts_show_the_written_text(runner, tmp_path):
    article = tmp_path / "ecrit.md"
    # The second sentence is longer than espeak's 400-character chunks: spoken in several, one cue.
    long = "Puis, une phrase qui s'allonge" + ", et encore un peu plus loin sur le chemin" * 10 + ", en 2020."
    article.write_text(f"# Écrit\n\n## Le GPT-2\n\n{WRITTEN}\n\n{long} Fin.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["-q", "render", "--engine", "espeak", "-o", str(out), str(article)])
    assert result.exit_code == 0, result.stderr
    manifest = _manifest(out, "ecrit")
    assert any(c["written"] == "" for c in manifest["chunks"])  # the long sentence spans several chunks
    captions = webvtt.read(str(out / "ecrit.vtt"))
    duration = MP3(out / "ecrit.mp3").info.length
    times = [(_hms(c.start), _hms(c.end)) for c in captions]
    assert all(start < end for start, end in times)
    assert all(end <= start for (_, end), (start, _) in zip(times, times[1:]))
    assert times[-1][1] <= duration
    texts = [c.text for c in captions]
    assert [t.replace("\n", " ") for t in texts[:3]] == ["Écrit", "Le GPT-2", WRITTEN]  # the title is read first
    # "Fin." is spoken in the same chunk as the long sentence's end: cut into caption-sized cues with it.
    assert " ".join(t.replace("\n", " ") for t in texts[3:]) == f"{long} Fin."
    assert len(texts) > 4 and all(len(line) <= 42 for t in texts for line in t.split("\n"))
    uslt = MP3(out / "ecrit.mp3").tags.getall("USLT")[0].text
    page = (out / "index.html").read_text("utf-8")
    srt = (out / "ecrit.srt").read_text("utf-8")
    for transcript in (uslt, page, srt):
        assert "OpenAI" in transcript and "GPT-2" in transcript and "2019" in transcript
        assert "3,50 €" in transcript and "M. Dupont" in transcript
        assert "Open A I" not in transcript and "deux mille dix-neuf" not in transcript
    assert uslt == f"Écrit\n\nLe GPT-2\n\n{WRITTEN}\n\n{long} Fin."
    chapters = json.loads((out / "ecrit.chapters.json").read_text("utf-8"))["chapters"]
    assert [c["title"] for c in chapters] == ["Le GPT-2"]


def test_chapter_titles_from_paragraphs_are_written(tmp_path):
    from podcast.types import Article, Section

    article = Article(
        title="Le 1er mai 2019", source="x.txt", sections=[Section(None, [WRITTEN, "Le 1er mai 2019, à 14h30."])]
    )
    render_articles(tmp_path, [article], show())
    chapters = json.loads(next(tmp_path.glob("*.chapters.json")).read_text("utf-8"))["chapters"]
    # The title (read first) and both paragraphs are far shorter than a chapter's minimum: one
    # chapter, named by what opens it, as written.
    assert [c["title"] for c in chapters] == ["Le 1er mai 2019"]


def test_manifest_without_written_text_shows_the_spoken_text(published, tmp_path):
    data = _manifest(published)
    for chunk in data["chunks"]:
        del chunk["written"]
    (tmp_path / f"{SLUG}.json").write_text(json.dumps(data), "utf-8")
    episode = load_episodes(tmp_path)[0]
    assert all(c.written is None for c in episode.chunks)
    (tmp_path / "old.vtt").write_text(to_vtt(episode), "utf-8")
    cues = [c.text.replace("\n", " ") for c in webvtt.read(str(tmp_path / "old.vtt"))]
    assert " ".join(cues).split() == " ".join(c["text"] for c in data["chunks"]).split()


def test_chapters_json_is_podcasting20_format(published):
    document = json.loads((published / f"{SLUG}.chapters.json").read_text("utf-8"))
    assert document["version"] == "1.2.0"
    chapters = document["chapters"]
    assert [c["title"] for c in chapters] == SECTION_TITLES
    starts = [c["startTime"] for c in chapters]
    assert starts[0] == 0 and starts == sorted(set(starts))
    assert chapters[-1]["endTime"] <= _manifest(published)["duration"]


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
    carry_over(episode, tmp_path, keep_date=True)
    assert episode.number == 8 and episode.guid


def test_short_chapter_title():
    assert short_title("Un deux trois quatre cinq six sept huit neuf dix") == "Un deux trois quatre cinq six sept huit…"
    assert short_title("« Court. »") == "Court."


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
