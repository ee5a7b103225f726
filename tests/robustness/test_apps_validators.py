"""What podcast apps, hosts and validators see (issue 14, items 10-14 and 16).

A small show is rendered once for real (espeak) and read back the way apps and hosts read it:
chapters after a host's `ffmpeg -i x.mp3 -c:a aac x.m4a`, every URL of feed.xml, pubDate against
the render's clock, captions through webvtt-py, descriptions through feedparser and podcastparser.
"""

from __future__ import annotations

import email.utils
import html
import io
import json
import re
import shutil
import subprocess
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import feedparser
import podcastparser
import pytest
import webvtt
from lxml import etree
from lxml import html as lxml_html
from mutagen.id3 import ID3
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4

from podcast.cli import cli
from podcast.episode.chapters import Chapter
from podcast.episode.manifest import load_episodes
from podcast.episode.tags import write_tags
from podcast.show.settings import Show, load_show
from podcast.show.site import write_site
from podcast.sound.ffmpeg import ffmpeg_exe
from podcast.types import Article, Episode, Section, TimedChunk
from tests.conftest import make_runner
from tests.support.shows import render_articles, show

# Shortest title last but one, longest second: mutagen's size order is not the time order.
TITLES = [
    "Introduction",
    "Une première partie au titre nettement plus long que les autres",
    "Court",
    "Conclusion",
]
DESCRIPTION = "Un bilan <chiffré> des vélos en ville & <b>le reste</b>."
LONG = (
    "Les intelligences artificielles, c’est comme la mayonnaise maison : c’est toujours meilleur quand "
    "c’est ouvert, mais attention aux œufs cassés, car le modèle publié hier soir par l’entreprise "
    "californienne pèse plus de cent milliards de paramètres et demande, pour tourner, une machine que "
    "peu de laboratoires universitaires peuvent se payer aujourd’hui, sans parler de l’électricité."
)
CHAPTERED = Article(
    title="Le vélo en ville : bilan 2025",
    source="velo.md",
    description=DESCRIPTION,
    sections=[
        Section(None, ["Bonjour à toutes et à tous."]),
        Section(TITLES[1], [LONG]),
        Section(TITLES[2], ["Un mot."]),
        Section(TITLES[3], ["Merci de votre écoute, à bientôt."]),
    ],
)
DATED_DAY = date(2024, 3, 10)
DATED = Article(
    title="Un article daté", source="date.txt", date=DATED_DAY, sections=[Section(None, ["Court et daté."])]
)
# Spaces, accents, an apostrophe, an existing escape and a stray "%" in the path; an accented host.
BASE_URL = "https://Émissions.exemple.fr/mes podcasts/l'été 2025/100%/a%20b/"
BASE_ENCODED = "https://xn--missions-90a.exemple.fr/mes%20podcasts/l'%C3%A9t%C3%A9%202025/100%25/a%20b/"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("apps")
    before = datetime.now(timezone.utc).replace(microsecond=0)
    render_articles(out, [CHAPTERED, DATED], show(base_url=BASE_URL), cache=tmp_path_factory.mktemp("cache"))
    after = datetime.now(timezone.utc)
    (out / "clock.json").write_text(json.dumps([before.isoformat(), after.isoformat()]), "utf-8")
    return out


def _render_window(folder: Path) -> tuple[datetime, datetime]:
    before, after = json.loads((folder / "clock.json").read_text("utf-8"))
    return datetime.fromisoformat(before), datetime.fromisoformat(after)


def _slug(folder: Path, title: str) -> str:
    return next(e.slug for e in load_episodes(folder) if e.title == title)


def _items(folder: Path) -> dict[str, etree._Element]:
    root = etree.parse(str(folder / "feed.xml")).getroot()
    return {item.findtext("title"): item for item in root.iterfind("channel/item")}


# --- 10. ID3 chapters in time order, and through a host's transcode to M4A ---------------------------


def _m4a(mp3: Path, tmp_path: Path) -> Path:
    m4a = tmp_path / (mp3.stem + ".m4a")
    # A host's command; -vn: the .m4a muxer takes no re-encoded cover picture (true of any MP3 with art).
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-i", str(mp3), "-vn", "-c:a", "aac", str(m4a)], check=True)
    return m4a


def _ffmpeg_chapters(path: Path) -> list[tuple[float, str]]:
    """Chapters as `ffmpeg -i` lists them, in its order (not sorted)."""
    err = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(path)], capture_output=True, text=True).stderr
    found = re.findall(r"Chapter #0:\d+: start ([\d.]+), end [\d.]+\s*\n\s*Metadata:\s*\n\s*title\s*: (.*)", err)
    return [(float(start), title.strip()) for start, title in found]


@pytest.mark.slow
def test_chapters_survive_a_transcode_to_m4a_in_time_order(folder, tmp_path):
    mp3 = folder / f"{_slug(folder, CHAPTERED.title)}.mp3"
    tagged = ID3(mp3).getall("CHAP")  # mutagen keeps the file's frame order
    assert [c.start_time for c in tagged] == sorted(c.start_time for c in tagged)
    assert [str(c.sub_frames["TIT2"]) for c in tagged] == TITLES
    assert [title for _, title in _ffmpeg_chapters(mp3)] == TITLES
    m4a = _m4a(mp3, tmp_path)
    chapters = MP4(m4a).chapters
    assert [c.title for c in chapters] == TITLES
    starts = [c.start for c in chapters]
    assert starts == sorted(set(starts))
    # The M4A's chapters start where the MP3's do (AAC priming shifts them by a frame or two at most).
    for chapter, frame in zip(chapters, tagged):
        assert abs(chapter.start - frame.start_time / 1000) < 0.1
    assert [title for _, title in _ffmpeg_chapters(m4a)] == TITLES


def test_many_chapters_of_any_title_length_stay_in_time_order(tmp_path):
    """Twelve chapters (chp10 sorts before chp2 as text) with title lengths in no order."""
    mp3 = tmp_path / "x.mp3"
    cmd = [ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "anullsrc=r=22050:cl=mono", "-t", "24"]
    subprocess.run([*cmd, "-c:a", "libmp3lame", "-b:a", "32k", str(mp3)], check=True)
    titles = [f"Chapitre {n} " + "x" * (1 + (n * 7) % 11) for n in range(12)]
    chapters = [Chapter(title, n * 2.0, n * 2.0 + 2.0) for n, title in enumerate(titles)]
    episode = Episode("x", "Titre", "x.mp3", 24.0, 0, "", "e", "v", "2025-01-01", "a", "s", description="d")
    write_tags(mp3, episode, chapters=chapters, transcript="t " * 500)
    assert [str(c.sub_frames["TIT2"]) for c in ID3(mp3).getall("CHAP")] == titles
    assert [title for _, title in _ffmpeg_chapters(mp3)] == titles
    assert [c.title for c in MP4(_m4a(mp3, tmp_path)).chapters] == titles
    assert MP3(mp3).info.length > 23  # the audio is intact after the tag was rewritten in place


# --- 11. base_url validated and percent-encoded ---------------------------------------------------


def _urls(folder: Path) -> list[str]:
    root = etree.parse(str(folder / "feed.xml")).getroot()
    urls = [e.get(a) for e in root.iter() if isinstance(e.tag, str) for a in ("url", "href") if e.get(a)]
    urls += [e.text for e in root.iter("link", "url") if e.text]
    return urls


def test_every_feed_url_is_a_valid_encoded_url(folder):
    urls = _urls(folder)
    assert len(urls) >= 10
    for url in urls:
        assert url.isascii() and not re.search(r"\s", url), url
        assert urlunsplit(urlsplit(url)) == url, url
        assert not re.search(r"%(?![0-9A-F]{2})", url), url
        parts = urlsplit(url)
        assert parts.scheme == "https" and parts.hostname == "xn--missions-90a.exemple.fr", url
        assert url.startswith(BASE_ENCODED), url
    # Each URL names its file: decoded, the path is the base folder's plus the file name.
    base_path = unquote(urlsplit(BASE_ENCODED).path)
    enclosures = [url for url in urls if url.endswith(".mp3")]
    assert enclosures
    for url in enclosures:
        path = unquote(urlsplit(url).path)
        assert path.startswith(base_path) and (folder / path[len(base_path) :]).is_file(), url
    parsed = feedparser.parse(str(folder / "feed.xml"))
    assert not parsed.bozo, parsed.get("bozo_exception")
    for entry in parsed.entries:
        assert all(link.href.startswith(BASE_ENCODED) for link in entry.enclosures)


def test_base_url_from_podcast_toml_is_stored_encoded(tmp_path):
    path = tmp_path / "podcast.toml"
    path.write_text(f'title = "t"\nemail = "a@exemple.fr"\nbase_url = "{BASE_URL}"\n', "utf-8")
    assert load_show(path).base_url == BASE_ENCODED


NOT_PUBLIC = [
    "ftp://exemple.fr/podcast/",
    "exemple.fr/podcast/",
    "//exemple.fr/podcast/",
    "https://moi:secret@exemple.fr/podcast/",
    "https://moi@exemple.fr/podcast/",
    "https:///podcast/",
    "http://localhost:8000/podcast/",
    "http://127.0.0.1/podcast/",
    "http://192.168.1.10/podcast/",
    "http://[::1]/podcast/",
    "https://nas.local/podcast/",
    "https://intranet/podcast/",
    "https://exemple.fr/podcast/?page=2",
    "https://exemple.fr/podcast/#top",
    "https://exa mple.fr/podcast/",
    "https://exemple.fr:99999/podcast/",
    "https://exemple.fr/pod\tcast/",
    "javascript:alert(1)//exemple.fr/",
    "file:///srv/podcast/",
]


@pytest.mark.parametrize("url", NOT_PUBLIC)
def test_base_url_that_cannot_be_public_is_refused_in_one_line(tmp_path, url):
    (tmp_path / "audio").mkdir()
    path = tmp_path / "podcast.toml"
    path.write_text(f'title = "t"\nemail = "a@exemple.fr"\nbase_url = {json.dumps(url)}\n', "utf-8")
    result = make_runner().invoke(cli, ["feed", str(tmp_path / "audio"), "--show", str(path)])
    assert result.exit_code == 1, (result.exit_code, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and "'base_url'" in lines[0], result.stderr
    assert not (tmp_path / "audio" / "feed.xml").exists()


# --- 12. pubDate: the render time, in the show's time zone, never in the future --------------------


def _pubdate(item) -> datetime:
    return email.utils.parsedate_to_datetime(item.findtext("pubDate"))


def test_undated_article_is_published_at_its_render_time_in_paris(folder):
    before, after = _render_window(folder)
    when = _pubdate(_items(folder)[CHAPTERED.title])
    assert before <= when <= after  # the moment it was rendered, not noon UTC
    assert when.utcoffset() == when.astimezone(ZoneInfo("Europe/Paris")).utcoffset()  # written in Paris time
    page = (folder / "index.html").read_text("utf-8")
    assert when.astimezone(ZoneInfo("Europe/Paris")).date().isoformat() in page


def test_dated_article_keeps_its_day_at_noon_in_the_show_zone(folder):
    when = _pubdate(_items(folder)[DATED.title])
    assert when == datetime(2024, 3, 10, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert "+0100" in _items(folder)[DATED.title].findtext("pubDate")


@pytest.mark.slow
def test_article_dated_today_or_later_is_never_in_the_future(tmp_path):
    from podcast.show.settings import episode_date

    paris = ZoneInfo("Europe/Paris")
    early = datetime(2025, 6, 2, 6, 30, tzinfo=paris)  # a French morning: noon is still ahead
    the_show = Show(timezone="Europe/Paris")
    assert datetime.fromisoformat(episode_date(None, the_show, early)) == early
    assert datetime.fromisoformat(episode_date(date(2025, 6, 2), the_show, early)) == early
    assert datetime.fromisoformat(episode_date(date(2025, 6, 9), the_show, early)) == early
    late = datetime(2025, 6, 2, 18, 0, tzinfo=paris)
    assert datetime.fromisoformat(episode_date(date(2025, 6, 2), the_show, late)) == late.replace(hour=12)
    # Rendered now, really: no pubDate after the clock.
    article = Article(title="Aujourd'hui", source="a.txt", date=date.today() + timedelta(days=3), sections=[])
    article.sections.append(Section(None, ["Bonjour."]))
    render_articles(tmp_path, [article], show())
    after = datetime.now(timezone.utc)
    for item in _items(tmp_path).values():
        assert _pubdate(item) <= after


def test_time_zone_comes_from_podcast_toml(folder, tmp_path, runner):
    copy = tmp_path / "audio"
    shutil.copytree(folder, copy)
    settings = tmp_path / "podcast.toml"
    settings.write_text('title = "t"\nemail = "a@exemple.fr"\ntimezone = "America/Montreal"\n', "utf-8")
    assert runner.invoke(cli, ["-q", "feed", str(copy), "--show", str(settings)]).exit_code == 0
    item = _items(copy)[DATED.title]
    assert item.findtext("pubDate").endswith("-0400") or item.findtext("pubDate").endswith("-0500")
    # Same instant as in Paris: the zone changes how it is written, not when it happened.
    assert _pubdate(item) == _pubdate(_items(folder)[DATED.title])
    # An old manifest holding a bare day: noon in the show's zone.
    manifest = copy / f"{_slug(copy, DATED.title)}.json"
    data = json.loads(manifest.read_text("utf-8"))
    data["date"] = "2023-11-05"
    manifest.write_text(json.dumps(data), "utf-8")
    assert runner.invoke(cli, ["-q", "feed", str(copy), "--show", str(settings)]).exit_code == 0
    noon = datetime(2023, 11, 5, 12, 0, data["number"], tzinfo=ZoneInfo("America/Montreal"))  # + number in seconds
    assert _pubdate(_items(copy)[DATED.title]) == noon
    # A manifest edited by hand to a future date: published now, not in the future.
    data["date"] = "2099-01-01T08:00:00+01:00"
    manifest.write_text(json.dumps(data), "utf-8")
    assert runner.invoke(cli, ["-q", "feed", str(copy), "--show", str(settings)]).exit_code == 0
    assert _pubdate(_items(copy)[DATED.title]) <= datetime.now(timezone.utc)


@pytest.mark.parametrize("zone", ["Mars/Olympus", "../../etc/passwd", "", "UTC+2", "Europe", "x" * 5000])
def test_unknown_time_zone_is_refused_in_one_line(tmp_path, runner, zone):
    (tmp_path / "audio").mkdir()
    settings = tmp_path / "podcast.toml"
    settings.write_text(f'title = "t"\nemail = "a@exemple.fr"\ntimezone = {json.dumps(zone)}\n', "utf-8")
    result = runner.invoke(cli, ["feed", str(tmp_path / "audio"), "--show", str(settings)])
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(settings) in lines[0] and "'timezone'" in lines[0], result.stderr


# --- 13. Captions cut as captioning guides do ------------------------------------------------------


def _seconds(stamp: str) -> float:
    h, m, s = stamp.replace(",", ".").split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def _check_cues(captions, written: str, duration: float) -> None:
    times = [(_seconds(c.start), _seconds(c.end)) for c in captions]
    for caption, (start, end) in zip(captions, times):
        lines = caption.text.split("\n")
        assert 1 <= len(lines) <= 2, caption.text
        assert all(len(line) <= 42 or " " not in line for line in lines), caption.text
        assert end - start <= 7.0 + 1e-3 or " " not in caption.text, (start, end, caption.text)
        assert start < end <= duration + 1e-3
    for (_, end), (start, _) in zip(times, times[1:]):
        assert end <= start  # in order, never overlapping
    for (start, end), following in zip(times, [t[0] for t in times[1:]] + [duration]):
        # At least a second on screen, unless the next cue (or the end) comes first.
        assert end - start >= 1.0 - 1e-3 or abs(end - following) < 2e-3, (start, end, following)
    # Nothing lost, nothing added: the cues read the written text, in order.
    assert " ".join(c.text.replace("\n", " ") for c in captions).split() == written.split()


def test_captions_are_at_most_two_lines_of_42_and_seven_seconds(folder):
    slug = _slug(folder, CHAPTERED.title)
    duration = MP3(folder / f"{slug}.mp3").info.length
    vtt = webvtt.read(str(folder / f"{slug}.vtt"))
    manifest = json.loads((folder / f"{slug}.json").read_text("utf-8"))
    written = " ".join(c["written"] for c in manifest["chunks"] if c["written"])
    _check_cues(vtt, written, duration)
    assert max(len(c.text) for c in vtt) <= 85 and len(vtt) > len(CHAPTERED.sections) + 4
    # The long paragraph is cut into several cues, each timed inside its own chunks.
    long_chunks = [c for c in manifest["chunks"] if c["written"] == LONG]
    assert len(long_chunks) == 1
    start = long_chunks[0]["start"]
    inside = [c for c in vtt if start - 1e-3 <= _seconds(c.start) < start + 60 and c.text.split()[0] in LONG]
    assert len(inside) >= len(LONG) // 84
    srt = webvtt.from_srt(str(folder / f"{slug}.srt"))
    assert [(c.start, c.end, c.text) for c in srt] == [(c.start, c.end, c.text) for c in vtt]


def test_a_long_slow_paragraph_gets_short_cues_timed_from_its_chunks(tmp_path):
    from podcast.episode.captions import to_srt, to_vtt

    text = " ".join([LONG] * 3)
    # Spoken in three chunks at 8 characters a second, with pauses between them.
    thirds = [text[: len(text) // 3], text[len(text) // 3 : 2 * len(text) // 3], text[2 * len(text) // 3 :]]
    chunks, clock = [], 0.0
    for index, piece in enumerate(thirds):
        chunks.append(TimedChunk(piece, 0, 0, clock, clock + len(piece) / 8, written="" if index else text))
        clock += len(piece) / 8 + 0.4
    chunks.append(TimedChunk("Oui.", 0, 1, clock, clock + 0.3, written="Oui."))
    chunks.append(TimedChunk("Non.", 0, 2, clock + 0.9, clock + 1.2, written="Non."))
    episode = Episode("x", "t", "x.mp3", clock + 1.5, 0, "", "e", "v", "2025-01-01", "a", "s", chunks=chunks)
    (tmp_path / "x.vtt").write_text(to_vtt(episode), "utf-8")
    (tmp_path / "x.srt").write_text(to_srt(episode), "utf-8")
    vtt = webvtt.read(str(tmp_path / "x.vtt"))
    _check_cues(vtt, text + " Oui. Non.", episode.duration)
    assert len(vtt) >= len(text) / 8 / 7
    # Timed from the chunks: a cue's words are said between its start and end.
    for caption in vtt[:-2]:
        first = caption.text.split()[0]
        assert _seconds(caption.start) <= chunks[-1].start
        assert first in text
    assert [c.text for c in vtt[-2:]] == ["Oui.", "Non."]
    assert _seconds(vtt[-2].end) == pytest.approx(chunks[-1].start, abs=2e-3)  # held until "Non." begins
    srt = webvtt.from_srt(str(tmp_path / "x.srt"))
    assert [(c.start, c.end, c.text) for c in srt] == [(c.start, c.end, c.text) for c in vtt]


@pytest.mark.parametrize(
    "text",
    [
        "Le voile se lève sur la nouvelle lubie d'OpenAI : l'ouverture, vraiment ? Oui, et voilà le bilan chiffré !",
        "Il l'a dit sans détour : « Nous publierons les poids » ; puis il a ajouté : « mais pas tout » ! Vraiment ?",
        "Une phrase avec des espaces\u00a0: insécables déjà\u202f; et d'autres qui ne le sont pas : du tout ? Non !",
    ],
)
def test_a_caption_line_never_starts_with_french_closing_punctuation(text):
    """Typed French often has a plain space before ; : ! ? » (and after «): a line breaks there
    no more than at a no-break space, as on the cover."""
    from podcast.episode.captions import caption_cues

    for width in range(30, 200, 7):  # every cut the text's length allows
        cues = caption_cues(text * (width // 30), [(0.0, width / 5, len(text) * (width // 30))])
        for _, _, lines in cues:
            for line in lines:
                assert not re.match(r"[;:!?»]", line.strip()), lines
                assert not line.rstrip().endswith("«"), lines


# --- 14 and 16. Descriptions: text stays text; chapter timestamps apps read -----------------------


def _podcastparser(folder: Path) -> dict:
    with open(folder / "feed.xml", "rb") as fh:
        return {
            e["title"]: e for e in podcastparser.parse(BASE_ENCODED + "feed.xml", io.BytesIO(fh.read()))["episodes"]
        }


def _text_of(fragment: str) -> str:
    return lxml_html.fragment_fromstring(fragment, create_parent="div").text_content()


def test_angle_brackets_in_a_description_stay_text(folder):
    parsed = feedparser.parse(str(folder / "feed.xml"))
    entry = next(e for e in parsed.entries if e.title == CHAPTERED.title)
    assert DESCRIPTION in _text_of(entry.summary)
    assert DESCRIPTION in _text_of(entry.content[0].value)
    episode = _podcastparser(folder)[CHAPTERED.title]
    assert DESCRIPTION in episode["description"]
    assert DESCRIPTION in _text_of(episode["description_html"])
    # The description is HTML of the few tags apps accept; the article's "<b>" is text in it.
    item = _items(folder)[CHAPTERED.title]
    for tag in ("description", "{http://purl.org/rss/1.0/modules/content/}encoded"):
        fragment = item.findtext(tag)
        tags = {e.tag for e in lxml_html.fragment_fromstring(fragment, create_parent="div").iter()} - {"div"}
        assert tags <= {"p", "br"}, (tag, fragment)
    page = (folder / "index.html").read_text("utf-8")
    assert html.escape(DESCRIPTION, quote=False) in page and "<chiffré>" not in page


def test_description_lists_the_chapters_as_timestamps(folder):
    episode = _podcastparser(folder)[CHAPTERED.title]
    lines = [line.strip() for line in episode["description"].splitlines() if re.match(r"\s*\d\d:\d\d ", line)]
    chapters = json.loads((folder / f"{_slug(folder, CHAPTERED.title)}.chapters.json").read_text("utf-8"))
    expected = [
        f"{int(c['startTime']) // 60:02d}:{int(c['startTime']) % 60:02d} {c['title']}" for c in chapters["chapters"]
    ]
    assert lines == expected and len(lines) >= 3 and lines[0].startswith("00:00 ")
    entry = next(e for e in feedparser.parse(str(folder / "feed.xml")).entries if e.title == CHAPTERED.title)
    summary = _text_of(entry.summary.replace("<br>", "\n").replace("<br />", "\n"))
    assert all(line in summary.splitlines() for line in expected)
    # An episode with fewer than three chapters lists none (YouTube ignores a shorter list).
    assert not re.search(r"\d\d:\d\d ", _podcastparser(folder)[DATED.title]["description"])


def test_an_hour_long_episode_lists_hours(folder, tmp_path):
    copy = tmp_path / "audio"
    shutil.copytree(folder, copy)
    manifest = copy / f"{_slug(copy, CHAPTERED.title)}.json"
    data = json.loads(manifest.read_text("utf-8"))
    for chunk in data["chunks"]:
        chunk["start"], chunk["end"] = chunk["start"] * 100, chunk["end"] * 100
    data["duration"] *= 100
    manifest.write_text(json.dumps(data), "utf-8")
    write_site(copy, show(base_url=BASE_URL))
    description = _podcastparser(copy)[CHAPTERED.title]["description"]
    stamps = re.findall(r"^(\d\d:\d\d:\d\d) ", description, re.M)
    assert len(stamps) == len(TITLES) and stamps[0] == "00:00:00" and stamps == sorted(stamps)


def test_a_show_built_in_code_is_checked_when_the_feed_is_built(folder, tmp_path):
    from podcast.errors import InputError

    copy = tmp_path / "audio"
    shutil.copytree(folder, copy)
    before = (copy / "feed.xml").read_bytes()
    with pytest.raises(InputError, match="'timezone'"):
        write_site(copy, show(base_url=BASE_URL, timezone="Mars/Olympus"))
    with pytest.raises(InputError, match="'base_url'"):
        write_site(copy, show(base_url="http://moi:secret@localhost/podcast/"))
    assert (copy / "feed.xml").read_bytes() == before  # nothing half-written
