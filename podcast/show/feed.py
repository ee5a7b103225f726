"""`feed.xml` (RSS 2.0 + itunes + Podcasting 2.0) over every manifest in a folder, built with feedgen.

feedgen's podcast extension writes the itunes tags; `PodcastIndexExtension` below adds the
`podcast:` namespace (guid, locked, transcript, chapters) and Apple's current true/false
`itunes:explicit`, which feedgen 1.0 only knows as yes/no/clean.
"""

from __future__ import annotations

import html
import logging
import re
import uuid
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote, urljoin

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import (
    FeedGenerator,  # before feedgen.util, which uses lxml.etree without importing it
)
from feedgen.util import xml_elem
from lxml.etree import CDATA

from ..episode.chapters import Chapter, episode_chapters
from ..episode.cover import Cover
from ..errors import InputError
from ..types import Episode
from ..version import __version__
from .settings import PUBLISH_HOUR, SETTINGS_FILE, Show, public_url

log = logging.getLogger(__name__)

FEED_FILE = "feed.xml"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
"""podcast:guid is uuid5(this, feed URL without scheme and trailing slashes), per the namespace spec
(its test vector: mp3s.nashownotes.com/pc20rss.xml -> 917393e3-1b1e-5cef-ace4-edaa54e1f810)."""
NO_BASE_URL = (
    "no base_url in podcast.toml: feed.xml uses relative URLs (fine for `podcast serve`), but podcast "
    "hosts and apps need absolute URLs: set base_url to where the folder is published"
)
MIN_LISTED_CHAPTERS = 3
"""Fewest chapters listed in a description: YouTube ignores a list of fewer."""
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def podcast_guid(feed_url: str) -> str:
    """The Podcasting 2.0 channel guid for a feed URL."""
    bare = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", feed_url.strip()).rstrip("/")
    return str(uuid.uuid5(GUID_NAMESPACE, bare))


def xml_text(text: str) -> str:
    """Drop characters XML 1.0 cannot carry (NUL, other controls); lxml escapes the rest."""
    return _NOT_XML.sub("", text or "")


class PodcastIndexExtension(BaseExtension):
    """Channel-level `podcast:` tags and itunes:explicit true/false."""

    def __init__(self):
        self.guid: str | None = None
        self.locked: tuple[bool, str] | None = None
        self.explicit: bool | None = None

    def extend_ns(self):
        return {"podcast": PODCAST_NS}

    def extend_rss(self, rss_feed):
        channel = rss_feed[0]
        if self.explicit is not None:
            xml_elem(f"{{{ITUNES_NS}}}explicit", channel).text = "true" if self.explicit else "false"
        if self.locked is not None:
            locked, owner = self.locked
            element = xml_elem(f"{{{PODCAST_NS}}}locked", channel)
            element.text = "yes" if locked else "no"
            element.attrib["owner"] = owner
        if self.guid:
            xml_elem(f"{{{PODCAST_NS}}}guid", channel).text = self.guid
        return rss_feed


class PodcastIndexEntryExtension(BaseEntryExtension):
    """Item-level `podcast:transcript` (one per format) and `podcast:chapters`."""

    def __init__(self):
        self.transcripts: list[dict[str, str]] = []
        self.chapters: str | None = None

    def extend_rss(self, entry):
        for attrs in self.transcripts:
            xml_elem(f"{{{PODCAST_NS}}}transcript", entry).attrib.update(attrs)
        if self.chapters:
            element = xml_elem(f"{{{PODCAST_NS}}}chapters", entry)
            element.attrib.update({"url": self.chapters, "type": "application/json+chapters"})
        return entry


def feed_url(show: Show) -> str:
    return urljoin(_base(show), FEED_FILE) if show.base_url else ""


def _base(show: Show) -> str:
    # Settings read from podcast.toml are checked already; a Show built in code is checked here.
    try:
        base = public_url(show.base_url, folder=True)
    except ValueError as exc:
        raise InputError(f"key 'base_url' {exc}: {show.base_url[:60]!r}", path=SETTINGS_FILE) from None
    return base if base.endswith("/") else base + "/"


def file_url(show: Show, name: str) -> str:
    """Absolute URL under base_url, or the bare (relative) file name without one."""
    name = quote(name)
    return urljoin(_base(show), name) if show.base_url else name


def itunes_duration(seconds: float) -> str:
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"


def chapter_stamp(seconds: float, hours: bool) -> str:
    """00:00 (or 00:00:00 in an episode of an hour or more): the form apps read in descriptions."""
    total = max(0, int(seconds))  # floor: a stamp never points past the chapter's start
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}:{s:02d}" if hours else f"{m:02d}:{s:02d}"


def _html_text(text: str) -> str:
    # Numeric references: gPodder's podcastparser decodes named ones with a regex that also
    # swallows a neighbouring "&amp; &lt;" pair; every HTML reader decodes these.
    return html.escape(text, quote=False).replace("&amp;", "&#38;").replace("&lt;", "&#60;").replace("&gt;", "&#62;")


def description_html(episode: Episode, chapters: list[Chapter]) -> str:
    """The item description as HTML: its paragraphs as text, then the chapter list.

    RSS readers (feedparser, the W3C validator, Apple) read <description> as HTML, so text is
    HTML-escaped here and the XML layer escapes it again (a CDATA section): "<chiffré>" stays text.
    Spotify, YouTube and Apple find chapters in "00:00 Titre" lines; YouTube wants three or more.
    """
    text = xml_text(episode.description) or xml_text(episode.title)
    blocks = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    out = [f"<p>{_html_text(block)}</p>" for block in blocks if block]
    if len(chapters) >= MIN_LISTED_CHAPTERS:
        hours = episode.duration >= 3600
        lines = [_html_text(f"{chapter_stamp(c.start, hours)} {xml_text(c.title)}") for c in chapters]
        out.append("<p>" + "<br>\n".join(lines) + "</p>")
    return "\n".join(out)


def publication_time(episode: Episode, show: Show, now: datetime | None = None) -> datetime:
    """pubDate, in the show's zone: the date the render recorded (see `episode_date`). A bare day (a
    manifest from before render times, or hand-edited) is taken at noon there, plus its number in
    seconds so same-day episodes keep their order. Never later than now (apps hide such episodes)."""
    text = episode.date.strip()
    try:
        when = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        where = f"{episode.slug}.json"
        raise InputError(f"episode date is not an ISO 8601 date: {episode.date[:40]!r}", path=where) from None
    zone = show.zone
    if when.tzinfo is None:
        if len(text) <= 10:
            when = when.replace(hour=PUBLISH_HOUR, second=min(episode.number, 59))
        when = when.replace(tzinfo=zone)
    return min(when, (now or datetime.now(timezone.utc)).replace(microsecond=0)).astimezone(zone)


def build_feed(episodes: list[Episode], show: Show, cover: Cover, folder: Path) -> bytes:
    """RSS bytes for `episodes` (newest first in the file)."""
    fg = FeedGenerator()
    fg.load_extension("podcast")
    fg.register_extension("podcastindex", PodcastIndexExtension, PodcastIndexEntryExtension, atom=False)
    url = feed_url(show)
    page = show.website or file_url(show, "index.html")
    fg.title(xml_text(show.title))
    fg.description(xml_text(show.description) or xml_text(show.title))
    if url:
        fg.link(href=url, rel="self", type="application/rss+xml")
    fg.link(href=page, rel="alternate")  # last: feedgen uses the last link as the RSS <link>
    fg.language(show.language)
    fg.copyright(xml_text(show.copyright_notice))
    fg.generator("podcast", __version__)
    cover_url = file_url(show, cover.path.name)
    fg.image(url=cover_url, title=xml_text(show.title), link=page)
    fg.podcast.itunes_author(xml_text(show.author))
    fg.podcast.itunes_owner(name=xml_text(show.owner_name), email=xml_text(show.email))
    fg.podcast.itunes_image(cover_url)
    category, sub = show.apple_category
    fg.podcast.itunes_category({"cat": category, "sub": sub} if sub else {"cat": category})
    fg.podcast.itunes_type(show.type)
    fg.podcast.itunes_summary(xml_text(show.description))
    fg.podcastindex.explicit = show.explicit
    fg.podcastindex.locked = (show.locked, xml_text(show.email))
    guid = show.guid or (podcast_guid(url) if url else "")
    fg.podcastindex.guid = guid or None
    for episode in episodes:  # feedgen prepends: add oldest first, the file lists newest first
        _add_item(fg, episode, show, folder)
    return fg.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)


def _add_item(fg, episode: Episode, show: Show, folder: Path) -> None:
    entry = fg.add_entry()
    entry.title(xml_text(episode.title))
    entry.guid(episode.guid or episode.slug, permalink=False)
    description = description_html(episode, episode_chapters(episode))
    entry.description(CDATA(description))
    entry.content(description, type="CDATA")
    entry.link(href=(show.website or file_url(show, "index.html")) + "#" + quote(episode.slug))
    entry.pubDate(publication_time(episode, show))
    mp3 = folder / episode.mp3
    size = mp3.stat().st_size if mp3.exists() else episode.size
    entry.enclosure(file_url(show, episode.mp3), str(size), "audio/mpeg")
    entry.podcast.itunes_duration(itunes_duration(episode.duration))
    if episode.number:
        entry.podcast.itunes_episode(episode.number)
    entry.podcast.itunes_episode_type("full")
    entry.podcast.itunes_author(xml_text(episode.author))
    if episode.cover and (folder / episode.cover).exists():
        entry.podcast.itunes_image(file_url(show, episode.cover))
    language = show.language
    for name, mime in ((episode.vtt, "text/vtt"), (episode.srt, "application/x-subrip")):
        if (folder / name).exists():
            entry.podcastindex.transcripts.append(
                {"url": file_url(show, name), "type": mime, "language": language, "rel": "captions"}
            )
    if (folder / episode.chapters_file).exists():
        entry.podcastindex.chapters = file_url(show, episode.chapters_file)
