"""feed.xml parsed by real parsers: podcastparser (gPodder), feedparser, and lxml for the raw XML."""

from __future__ import annotations

import email.utils
import os
import re
import shutil
import subprocess
import sys
import uuid
from datetime import datetime
from pathlib import Path

import feedparser
import podcastparser
import pytest
from lxml import etree

from podcast.cli import cli
from podcast.episode.manifest import load_episodes
from podcast.show.feed import GUID_NAMESPACE, PODCAST_NS, podcast_guid
from podcast.show.settings import write_show
from podcast.show.site import write_site
from tests.support.shows import BASE_URL, HOSTILE, show

NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": PODCAST_NS,
    "atom": "http://www.w3.org/2005/Atom",
}
RFC2822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$"
)


def _xml(folder: Path):
    return etree.parse(str(folder / "feed.xml"))  # raises on anything not well formed


def test_feed_is_well_formed_rss2_with_the_namespaces(published):
    root = _xml(published).getroot()
    assert root.tag == "rss" and root.get("version") == "2.0"
    assert root.nsmap["itunes"] == NS["itunes"] and root.nsmap["podcast"] == PODCAST_NS


def test_podcastparser_finds_every_episode_with_enclosure_size_and_duration(published):
    with open(published / "feed.xml", "rb") as fh:
        parsed = podcastparser.parse(BASE_URL + "feed.xml", fh)
    episodes = {e.slug: e for e in load_episodes(published)}
    assert len(parsed["episodes"]) == len(episodes) == 2
    for item in parsed["episodes"]:
        episode = next(e for e in episodes.values() if e.guid == item["guid"])
        (enclosure,) = item["enclosures"]
        assert enclosure["url"] == BASE_URL + episode.mp3
        assert enclosure["file_size"] == (published / episode.mp3).stat().st_size
        assert enclosure["mime_type"] == "audio/mpeg"
        assert item["total_time"] == round(episode.duration)
        assert item["number"] == episode.number
        assert item["title"] == episode.title.replace("\x00", "")
    assert parsed["title"] == "Émission d'essai & <co>"
    assert parsed["cover_url"].startswith(BASE_URL) and parsed["cover_url"].endswith(".jpg")


def test_feedparser_finds_transcript_and_chapters_links(published):
    parsed = feedparser.parse(str(published / "feed.xml"))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert len(parsed.entries) == 2
    for entry in parsed.entries:
        slug = next(link.href for link in entry.links if link.rel == "enclosure").rsplit("/", 1)[1][:-4]
        assert entry.podcast_chapters["url"] == f"{BASE_URL}{slug}.chapters.json"
        assert entry.podcast_chapters["type"] == "application/json+chapters"
        # feedparser keeps the last of the repeated tags; lxml below checks both.
        assert entry.podcast_transcript["url"].startswith(f"{BASE_URL}{slug}.")
        assert (published / entry.podcast_transcript["url"][len(BASE_URL) :]).is_file()
        assert entry.itunes_duration and entry.itunes_episode
        assert entry.published_parsed is not None
    assert parsed.feed.podcast_locked["owner"] == "jeanne@example.org"


def test_items_link_both_transcripts(published):
    for item in _xml(published).getroot().iterfind("channel/item"):
        found = {t.get("type"): t.get("url") for t in item.iterfind("podcast:transcript", NS)}
        assert set(found) == {"text/vtt", "application/x-subrip"}
        for url in found.values():
            assert (published / url[len(BASE_URL) :]).is_file()
        assert all(t.get("language") == "fr" for t in item.iterfind("podcast:transcript", NS))


def test_channel_has_apple_required_and_recommended_tags(published):
    channel = _xml(published).getroot().find("channel")

    def text(path: str) -> str:
        element = channel.find(path, NS)
        assert element is not None, path
        return (element.text or "").strip()

    assert text("title") and text("description") and text("language") == "fr"
    assert text("link") == BASE_URL + "index.html"
    assert channel.find("itunes:image", NS).get("href").startswith(BASE_URL)
    category = channel.find("itunes:category", NS)
    assert category.get("text") == "News" and category.find("itunes:category", NS).get("text") == "Tech News"
    assert text("itunes:explicit") == "false"
    assert text("itunes:author") == "Jeanne Testeuse"
    assert text("itunes:owner/itunes:email") == "jeanne@example.org"
    assert text("itunes:owner/itunes:name") == "Jeanne Testeuse"
    assert text("itunes:type") == "episodic"
    assert text("copyright") == "© Jeanne Testeuse"
    assert channel.find("atom:link[@rel='self']", NS).get("href") == BASE_URL + "feed.xml"
    assert text("podcast:guid") == str(uuid.uuid5(GUID_NAMESPACE, "example.org/mon-podcast/feed.xml"))
    assert text("podcast:locked") == "no"


def test_items_have_stable_guid_pubdate_enclosure_and_itunes_tags(published):
    episodes = {e.guid: e for e in load_episodes(published)}
    for item in _xml(published).getroot().iterfind("channel/item"):
        guid = item.find("guid")
        assert guid.get("isPermaLink") == "false" and guid.text in episodes
        episode = episodes[guid.text]
        assert RFC2822.match(item.findtext("pubDate")), item.findtext("pubDate")
        recorded = datetime.fromisoformat(episode.date)  # the render time, with its offset
        assert email.utils.parsedate_to_datetime(item.findtext("pubDate")) == recorded.replace(microsecond=0)
        enclosure = item.find("enclosure")
        assert enclosure.get("type") == "audio/mpeg"
        assert int(enclosure.get("length")) == (published / episode.mp3).stat().st_size
        assert item.findtext("itunes:episode", namespaces=NS) == str(episode.number)
        hours, minutes, seconds = map(int, item.findtext("itunes:duration", namespaces=NS).split(":"))
        assert hours * 3600 + minutes * 60 + seconds == round(episode.duration)
        assert item.find("itunes:image", NS).get("href") == BASE_URL + episode.cover


def test_podcast_guid_follows_the_spec_vector():
    assert podcast_guid("https://mp3s.nashownotes.com/pc20rss.xml") == "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    assert podcast_guid("podnews.net/rss////") == podcast_guid("http://podnews.net/rss")


def test_hostile_text_is_escaped_in_the_xml(published):
    raw = (published / "feed.xml").read_bytes()
    assert b"<script>" not in raw and b"\x00" not in raw
    titles = [t.text for t in _xml(published).getroot().iterfind("channel/item/title")]
    assert HOSTILE.replace("\x00", "") in titles
    descriptions = [d.text for d in _xml(published).getroot().iterfind("channel/item/description")]
    # The description is HTML (as readers take it): the article's "<b>" is escaped text there, not markup.
    assert any("&#60;b&#62;gras&#60;/b&#62;" in d for d in descriptions)
    assert not any("<b>" in d or "<script>" in d for d in descriptions)


def _french_locale(tmp: Path) -> dict | None:
    """An environment whose C library really runs in French (a locale compiled into `tmp` if needed)."""

    def french(env: dict) -> bool:
        probe = subprocess.run(
            [
                sys.executable,
                "-c",
                "import locale, time; locale.setlocale(locale.LC_ALL, '');"
                "print(time.strftime('%a %b', time.gmtime(0)))",
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        return probe.returncode == 0 and probe.stdout.strip() == "jeu. janv."

    env = {**os.environ, "LC_ALL": "fr_FR.UTF-8", "LANG": "fr_FR.UTF-8"}
    if french(env):
        return env
    localedef = shutil.which("localedef")
    if localedef is None:
        return None
    subprocess.run([localedef, "-i", "fr_FR", "-f", "UTF-8", str(tmp / "fr_FR.UTF-8")], capture_output=True)
    env["LOCPATH"] = str(tmp)
    return env if french(env) else None


@pytest.mark.slow
def test_pubdate_is_english_rfc2822_under_a_french_locale(published, tmp_path):
    env = _french_locale(tmp_path)
    if env is None:
        pytest.skip("no French locale can be built here (localedef / locale sources missing)")
    folder = tmp_path / "audio"
    shutil.copytree(published, folder)
    write_show(tmp_path / "podcast.toml", show())
    code = "import locale; locale.setlocale(locale.LC_ALL, ''); from podcast.cli import main; main()"
    run = subprocess.run(
        [sys.executable, "-c", code, "-q", "feed", str(folder), "--show", str(tmp_path / "podcast.toml")],
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    dates = [d.text for d in _xml(folder).getroot().iterfind("channel/item/pubDate")]
    assert dates and all(RFC2822.match(d) for d in dates), dates
    parsed = feedparser.parse(str(folder / "feed.xml"))
    assert all(entry.published_parsed for entry in parsed.entries)


def test_feed_command_without_base_url_warns_and_uses_relative_urls(published, tmp_path, runner):
    folder = tmp_path / "audio"
    shutil.copytree(published, folder)
    write_show(tmp_path / "podcast.toml", show(base_url=""))
    result = runner.invoke(cli, ["feed", str(folder), "--show", str(tmp_path / "podcast.toml")])
    assert result.exit_code == 0, result.output
    assert "base_url" in result.stderr and "absolute" in result.stderr
    root = _xml(folder).getroot()
    for enclosure in root.iterfind("channel/item/enclosure"):
        assert "://" not in enclosure.get("url") and (folder / enclosure.get("url")).is_file()
    assert root.find("channel/podcast:guid", NS) is None  # no feed URL, nothing to derive it from


def test_feed_rebuild_leaves_out_episodes_whose_mp3_is_gone(published, tmp_path):
    folder = tmp_path / "audio"
    shutil.copytree(published, folder)
    victim = load_episodes(folder)[0]
    (folder / victim.mp3).unlink()
    warnings = write_site(folder, show())
    assert any(victim.mp3 in w for w in warnings)
    assert len(list(_xml(folder).getroot().iterfind("channel/item"))) == 1


def test_render_updates_the_feed(seed_episode):
    parsed = feedparser.parse(str(seed_episode / "feed.xml"))
    assert len(parsed.entries) == 1
    assert (seed_episode / "index.html").is_file()
