"""What to send, in which order, with which headers; and what the host already holds.

The files are those the feed and page point at: each episode's MP3, cover, captions and
chapters (from its manifest), the show cover, then index.html and feed.xml last, so a feed
on the host never lists a file that is not there yet. Manifests are not published: they
hold local paths and are only the record the plan is built from.

The host keeps a small index (INDEX_NAME: name -> sha256 and size), written after the files;
a file whose sha256 and size match it is not sent again, and only files it lists are ever
deleted (with `delete=True`), so files of other origin on the host are never touched.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from ..episode.manifest import file_digest, load_episodes
from ..errors import InputError
from ..files import folder_lock, is_temp
from ..show.feed import FEED_FILE, ITUNES_NS, PODCAST_NS
from .target import Item

INDEX_NAME = ".podcast-index.json"
PAGE_FILE = "index.html"

SHORT_CACHE = "public, max-age=300"
"""Feed and page: apps and browsers see a new episode within minutes."""
MEDIA_CACHE = "public, max-age=604800"
"""Episode files: a week; a re-render under the same name is rare, and apps refetch from the feed."""
IMMUTABLE_CACHE = "public, max-age=31536000, immutable"
"""Names that carry their content's hash (the show cover): never change under that name."""

_TYPES = {
    ".mp3": "audio/mpeg",
    ".vtt": "text/vtt",
    ".srt": "application/x-subrip",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
_HASHED_NAME = re.compile(r"\.[0-9a-f]{8,}\.[a-z]+$")


def content_type(name: str) -> str:
    if name.endswith(".chapters.json"):
        return "application/json+chapters"  # Podcasting 2.0's type for chapters
    if name == FEED_FILE:
        return "application/rss+xml; charset=utf-8"
    if name.endswith(".html"):
        return "text/html; charset=utf-8"
    suffix = Path(name).suffix.lower()
    if suffix in _TYPES:
        return _TYPES[suffix]
    return "application/json" if suffix == ".json" else "application/octet-stream"


def cache_control(name: str) -> str:
    if name in (FEED_FILE, PAGE_FILE):
        return SHORT_CACHE
    return IMMUTABLE_CACHE if _HASHED_NAME.search(name) else MEDIA_CACHE


@dataclass
class UploadPlan:
    """Uploads in order (media, then page, then feed), files already there, and remote-only files."""

    uploads: list[Item] = field(default_factory=list)
    unchanged: list[Item] = field(default_factory=list)
    deletes: list[str] = field(default_factory=list)
    """Files the index lists that are no longer local: deleted only with delete=True."""
    local: list[Item] = field(default_factory=list)

    @property
    def upload_bytes(self) -> int:
        return sum(item.size for item in self.uploads)


def local_items(folder: Path, public_url: str) -> list[Item]:
    """Every file to publish from `folder`, media first, index.html and feed.xml last.

    The feed and page are read once here, under the folder's lock, so a render finishing
    meanwhile cannot publish half of a new state.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError("no such folder", path=folder)
    with folder_lock(folder):
        feed_path = folder / FEED_FILE
        try:
            feed = feed_path.read_bytes()
            page = (folder / PAGE_FILE).read_bytes()
        except FileNotFoundError as exc:
            raise InputError(
                f"no {Path(exc.filename).name}: render an episode or run `podcast feed {folder}` first",
                path=folder,
            ) from None
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", path=exc.filename or folder) from None
        names: list[str] = []
        sha: dict[str, tuple[int, str]] = {}
        for episode in load_episodes(folder):
            mp3 = folder / episode.mp3
            if not mp3.is_file():
                continue  # left out of the feed too (podcast feed says so)
            size = mp3.stat().st_size
            if episode.sha256 and episode.size == size:
                sha[episode.mp3] = (size, episode.sha256)  # the manifest's, not read again
            names.append(episode.mp3)
            for name in (episode.cover, episode.vtt, episode.srt, episode.chapters_file):
                if name and (folder / name).is_file():
                    names.append(name)
        referenced = feed_references(feed, feed_path, public_url)
        missing = sorted(set(referenced) - set(names) - {FEED_FILE, PAGE_FILE})
        for name in missing:
            if not (folder / name).is_file() or is_temp(name) or "/" in name:
                raise InputError(
                    f"feed.xml lists {name!r}, which is not in the folder: run `podcast feed {folder}` first",
                    path=feed_path,
                )
            names.append(name)  # the show cover, and anything else the feed points at
        items = []
        for name in dict.fromkeys(names):
            path = folder / name
            try:
                size, digest = sha.get(name) or file_digest(path)
            except OSError as exc:
                raise InputError(f"cannot read: {exc.strerror or exc}", path=path) from None
            items.append(Item(name, size, digest, content_type(name), cache_control(name), path=path))
        items.append(Item.from_bytes(PAGE_FILE, page, content_type(PAGE_FILE), SHORT_CACHE))
        items.append(Item.from_bytes(FEED_FILE, feed, content_type(FEED_FILE), SHORT_CACHE))
    return items


def feed_references(feed: bytes, path: Path, public_url: str) -> list[str]:
    """File names the feed points at (enclosures, images, transcripts, chapters), each under `public_url`.

    A URL elsewhere means feed.xml was built for another base_url: refused, naming the fix.
    """
    try:
        root = etree.fromstring(feed, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise InputError(f"not a readable feed: {exc}", path=path) from None
    urls = [e.get("url") for e in root.iter("enclosure")]
    urls += [e.text for e in root.iter("url") if e.getparent() is not None and e.getparent().tag == "image"]
    urls += [e.get("href") for e in root.iter(f"{{{ITUNES_NS}}}image")]
    urls += [e.get("url") for e in root.iter(f"{{{PODCAST_NS}}}transcript", f"{{{PODCAST_NS}}}chapters")]
    names = []
    for url in urls:
        if not url:
            continue
        url = url.strip()
        if not url.startswith(public_url):
            raise InputError(
                f"feed.xml points at {url[:80]!r}, not under the public URL {public_url}: "
                f"set base_url = {public_url!r} in podcast.toml, then run `podcast feed {path.parent}`",
                path=path,
            )
        names.append(unquote(urlsplit(url[len(public_url) :]).path))
    return names


@dataclass
class RemoteState:
    """What the host holds: sizes listed now, and the sha256 the index vouches for."""

    sizes: dict[str, int]
    index: dict[str, dict]

    def holds(self, item: Item) -> bool:
        known = self.index.get(item.name) or {}
        return self.sizes.get(item.name) == item.size and known.get("sha256") == item.sha256


def parse_index(data: bytes | None) -> dict[str, dict]:
    """The host's index; an unreadable one counts as empty (every file is then sent again)."""
    if not data:
        return {}
    try:
        parsed = json.loads(data)
        files = parsed.get("files", {}) if isinstance(parsed, dict) else {}
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: absurd nesting
        return {}
    return {k: v for k, v in files.items() if isinstance(k, str) and isinstance(v, dict)}


def index_item(entries: dict[str, dict]) -> Item:
    data = json.dumps({"version": 1, "files": dict(sorted(entries.items()))}, indent=1).encode() + b"\n"
    return Item.from_bytes(INDEX_NAME, data, "application/json", "no-cache")


def plan_upload(local: Iterable[Item], remote: RemoteState) -> UploadPlan:
    plan = UploadPlan(local=list(local))
    for item in plan.local:
        (plan.unchanged if remote.holds(item) else plan.uploads).append(item)
    names = {item.name for item in plan.local}
    plan.deletes = sorted(name for name in remote.index if name not in names and name in remote.sizes)
    return plan
