"""ID3 tags read back with mutagen and seen by ffmpeg: text frames, transcript, cover, chapters."""

from __future__ import annotations

import io
import json
import re
import subprocess
from pathlib import Path

import pytest
from mutagen.id3 import ID3, CTOCFlags
from mutagen.mp3 import MP3
from PIL import Image

from podcast.cli import cli
from podcast.episode.cover import TAG_MAX_BYTES
from podcast.episode.tags import write_tags
from podcast.sound.ffmpeg import ffmpeg_exe
from podcast.types import Episode
from tests.support.audio import silences
from tests.support.shows import SECTION_TITLES, SECTIONED

SLUG = "chapitres-sections"


def _manifest(folder: Path, slug: str) -> dict:
    return json.loads((folder / f"{slug}.json").read_text("utf-8"))


def _chapters(tags: ID3) -> list:
    return sorted(tags.getall("CHAP"), key=lambda c: c.start_time)


def test_text_frames_are_id3v23_with_episode_metadata(published):
    tags = ID3(published / f"{SLUG}.mp3")
    assert tags.version[:2] == (2, 3)
    assert str(tags["TIT2"]) == SECTIONED.title
    assert str(tags["TPE1"]) == "Jeanne Testeuse"
    assert str(tags["TALB"]) == "Émission d'essai & <co>"
    assert str(tags["TCON"]) == "Podcast"
    assert str(tags["TLAN"]) == "fra"
    date = _manifest(published, SLUG)["date"]
    # v2.3 keeps the day and the local time to the minute (TYER, TDAT, TIME).
    assert str(tags["TDRC"]) == date[:10] + " " + date[11:16] + ":00"
    # On disk, v2.3 frames: no TDRC, the date is split into TYER (YYYY) and TDAT (DDMM).
    head = (published / f"{SLUG}.mp3").read_bytes()[: tags.size]
    assert head[:4] == b"ID3\x03" and b"TDRC" not in head and b"TYER" in head and b"TDAT" in head and b"TIME" in head
    assert tags.getall("COMM")[0].text[0] == SECTIONED.description


def test_uslt_holds_the_whole_transcript(published):
    lyrics = ID3(published / f"{SLUG}.mp3").getall("USLT")
    assert len(lyrics) == 1 and lyrics[0].lang == "fra"
    text = lyrics[0].text
    for chunk in _manifest(published, SLUG)["chunks"]:
        assert (chunk["written"] if chunk["paragraph"] == -2 else chunk["text"]) in text  # -2: the title, read first
    assert text.count("\n\n") >= len(SECTIONED.paragraphs) - 1


def test_apic_cover_is_a_small_decodable_front_cover(published):
    pictures = ID3(published / f"{SLUG}.mp3").getall("APIC")
    assert len(pictures) == 1
    picture = pictures[0]
    assert picture.type == 3 and picture.mime == "image/jpeg"
    assert len(picture.data) <= TAG_MAX_BYTES
    with Image.open(io.BytesIO(picture.data)) as image:
        assert image.size[0] == image.size[1] >= 1000


def test_one_chap_per_section_titled_increasing_within_duration(published):
    mp3 = published / f"{SLUG}.mp3"
    tags = ID3(mp3)
    duration_ms = MP3(mp3).info.length * 1000
    chapters = _chapters(tags)
    assert [str(c.sub_frames["TIT2"]) for c in chapters] == SECTION_TITLES
    starts = [c.start_time for c in chapters]
    assert starts[0] == 0 and starts == sorted(set(starts))
    for chapter, following in zip(chapters, chapters[1:]):
        assert chapter.end_time == following.start_time
    assert chapters[-1].end_time <= duration_ms + 60  # MP3 frame granularity


def test_ctoc_is_top_level_ordered_titled_and_lists_every_chapter(published):
    tags = ID3(published / f"{SLUG}.mp3")
    tocs = tags.getall("CTOC")
    assert len(tocs) == 1
    toc = tocs[0]
    assert toc.flags & CTOCFlags.TOP_LEVEL and toc.flags & CTOCFlags.ORDERED
    assert str(toc.sub_frames["TIT2"]) == SECTIONED.title
    assert list(toc.child_element_ids) == [c.element_id for c in _chapters(tags)]


def test_chapter_starts_come_from_the_real_audio(published):
    """Each chapter after the first begins where a section pause (measured silence) ends."""
    mp3 = published / f"{SLUG}.mp3"
    silence_ends = [end for _, end in silences(mp3, noise_db=-45, min_len=0.6)]
    for chapter in _chapters(ID3(mp3))[1:]:
        start = chapter.start_time / 1000
        assert any(abs(start - end) < 0.15 for end in silence_ends), (start, silence_ends)


def _ffmpeg_chapters(mp3: Path) -> list[tuple[float, float, str]]:
    # ffmpeg cuts long tags (the transcript) at a byte count, possibly inside a UTF-8 character.
    err = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-i", str(mp3)], capture_output=True, text=True, errors="replace"
    ).stderr
    found = re.findall(r"Chapter #0:\d+: start ([\d.]+), end ([\d.]+)\s*\n\s*Metadata:\s*\n\s*title\s*: (.*)", err)
    # In ffmpeg's order, which is the CHAP frames' order in the file: time order (see tags.py).
    return [(float(a), float(b), title.strip()) for a, b, title in found]


def test_ffmpeg_sees_the_chapters(published):
    mp3 = published / f"{SLUG}.mp3"
    chapters = _ffmpeg_chapters(mp3)
    assert [title for _, _, title in chapters] == SECTION_TITLES
    tagged = _chapters(ID3(mp3))
    assert [(round(s, 3), round(e, 3)) for s, e, _ in chapters] == [
        (c.start_time / 1000, c.end_time / 1000) for c in tagged
    ]


def test_seed_without_headings_gets_chapters_of_whole_paragraphs(seed_episode):
    from podcast.episode.chapters import MIN_CHAPTER_SECONDS

    mp3 = next(seed_episode.glob("*.mp3"))
    manifest = json.loads(mp3.with_suffix(".json").read_text("utf-8"))
    paragraph_starts = {}
    for c in manifest["chunks"]:
        paragraph_starts.setdefault((c["section"], c["paragraph"]), round(c["start"] * 1000))
    chapters = _chapters(ID3(mp3))
    # Its paragraphs last 2-30 s: grouped into fewer chapters of at least the minimum, each opening a paragraph.
    assert 1 < len(chapters) < len(paragraph_starts)
    starts = [c.start_time for c in chapters]
    assert starts == sorted(set(starts)) and set(starts) <= {0, *paragraph_starts.values()}
    assert all(c.end_time - c.start_time >= MIN_CHAPTER_SECONDS * 1000 for c in chapters)
    assert len(_ffmpeg_chapters(mp3)) == len(chapters)
    # Titles are the paragraphs' first words, as written; the opening one is the title, read first.
    first = next(c["written"] for c in manifest["chunks"] if (c["section"], c["paragraph"]) == (0, -2))
    assert first.lstrip("« ").startswith(str(chapters[0].sub_frames["TIT2"]).rstrip("…"))


@pytest.mark.slow
def test_markdown_headings_become_chapters_end_to_end(tmp_path, runner):
    article = tmp_path / "article.md"
    article.write_text(
        "---\ntitle: Trois parties\n---\nUne introduction rapide.\n\n## Les chats\n\nIls dorment.\n\n"
        "## Les chiens\n\nIls aboient.\n\n## Les oiseaux\n\nIls chantent.\n",
        "utf-8",
    )
    out = tmp_path / "out"
    result = runner.invoke(cli, ["-q", "render", str(article), "-o", str(out), "--engine", "espeak"])
    assert result.exit_code == 0, result.output
    mp3 = out / "trois-parties.mp3"
    expected = ["Introduction", "Les chats", "Les chiens", "Les oiseaux"]
    assert [str(c.sub_frames["TIT2"]) for c in _chapters(ID3(mp3))] == expected
    assert [title for _, _, title in _ffmpeg_chapters(mp3)] == expected
    assert [
        c["title"] for c in json.loads((out / "trois-parties.chapters.json").read_text("utf-8"))["chapters"]
    ] == expected


@pytest.mark.parametrize("clock", ["21:00", "00:30", "00:00", "09:07", "23:59"])
def test_the_local_time_survives_v23_at_every_hour_and_minute(tmp_path, clock):
    # mutagen's v2.3 conversion drops TIME when the hour or the minute is 0: a clock-dependent loss.
    mp3 = tmp_path / "e.mp3"
    mp3.write_bytes(b"")
    episode = Episode(
        slug="e", title="E", mp3="e.mp3", duration=1.0, size=0, sha256="", engine="espeak", voice="fr",
        date=f"2026-12-01T{clock}:00+01:00", author="", show="", sections=[None], chunks=[],
    )  # fmt: skip
    write_tags(mp3, episode)
    tags = ID3(mp3)
    assert str(tags["TDRC"]) == f"2026-12-01 {clock}:00"
    assert str(ID3(mp3, translate=False)["TIME"]) == clock.replace(":", "")
