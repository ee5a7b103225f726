"""Captions beside each MP3: WebVTT and SRT, read back with webvtt-py, and the written text they show."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
import webvtt
from mutagen.mp3 import MP3

from podcast.cli import cli
from podcast.episode.captions import to_srt, to_vtt
from podcast.episode.manifest import load_episodes
from podcast.types import Episode, TimedChunk

SLUG = "chapitres-sections"


def _manifest(folder: Path, slug: str = SLUG) -> dict:
    return json.loads((folder / f"{slug}.json").read_text("utf-8"))


def _hms(stamp: str) -> float:
    h, m, s = stamp.replace(",", ".").split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


@pytest.mark.slow
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


@pytest.mark.slow
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
