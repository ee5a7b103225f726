"""Show settings: `podcast.toml` (or defaults) describing the podcast every episode belongs to."""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timezone
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import InputError
from ..files import read_toml, write_text

SETTINGS_FILE = "podcast.toml"
PUBLISH_HOUR = 12
"""A dated article's time of day in the show's zone: noon is the same calendar day from UTC-11 to UTC+12."""

# Apple Podcasts categories (English names, the only ones Apple accepts), parent -> subcategories.
APPLE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": ("Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"),
    "Business": ("Careers", "Entrepreneurship", "Investing", "Management", "Marketing", "Non-Profit"),
    "Comedy": ("Comedy Interviews", "Improv", "Stand-Up"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Fiction": ("Comedy Fiction", "Drama", "Science Fiction"),
    "Government": (),
    "History": (),
    "Health & Fitness": ("Alternative Health", "Fitness", "Medicine", "Mental Health", "Nutrition", "Sexuality"),
    "Kids & Family": ("Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"),
    "Leisure": (
        "Animation & Manga",
        "Automotive",
        "Aviation",
        "Crafts",
        "Games",
        "Hobbies",
        "Home & Garden",
        "Video Games",
    ),
    "Music": ("Music Commentary", "Music History", "Music Interviews"),
    "News": (
        "Business News",
        "Daily News",
        "Entertainment News",
        "News Commentary",
        "Politics",
        "Sports News",
        "Tech News",
    ),
    "Religion & Spirituality": ("Buddhism", "Christianity", "Hinduism", "Islam", "Judaism", "Religion", "Spirituality"),
    "Science": (
        "Astronomy",
        "Chemistry",
        "Earth Sciences",
        "Life Sciences",
        "Mathematics",
        "Natural Sciences",
        "Nature",
        "Physics",
        "Social Sciences",
    ),
    "Society & Culture": ("Documentary", "Personal Journals", "Philosophy", "Places & Travel", "Relationships"),
    "Sports": (
        "Baseball",
        "Basketball",
        "Cricket",
        "Fantasy Sports",
        "Football",
        "Golf",
        "Hockey",
        "Rugby",
        "Running",
        "Soccer",
        "Swimming",
        "Tennis",
        "Volleyball",
        "Wilderness",
        "Wrestling",
    ),
    "Technology": (),
    "True Crime": (),
    "TV & Film": ("After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"),
}


MAX_FIELD = 200
"""Characters allowed in the show's title, author and e-mail (feed, page, cover and ID3 carry them)."""
MAX_DESCRIPTION = 4000


@dataclass
class Show:
    """The podcast (channel) as hosts and apps see it."""

    title: str = "L'actu tech à voix haute"
    """Show name (channel title)."""
    author: str = "La rédaction"
    """Who makes it (itunes:author)."""
    owner: str = ""
    """Owner's name for hosts and directories; empty: the author."""
    email: str = "podcast@example.com"
    """Owner's e-mail: Apple and Spotify send ownership checks there."""
    description: str = "Des articles d'actualité en français, lus à voix haute."
    language: str = "fr"
    """RSS language code (ISO 639-1, optionally with a region: fr, fr-CA)."""
    category: str = "Technology"
    """An Apple Podcasts category or subcategory, in English ("Technology", "Tech News")."""
    explicit: bool = False
    base_url: str = ""
    """Absolute URL of the folder the audio/ files are uploaded to; empty: relative URLs (local preview)."""
    cover: str = ""
    """Show cover image (JPEG/PNG, square, 1400-3000 px); empty: one is generated."""
    copyright: str = ""
    """Empty: "© <author>"."""
    website: str = ""
    """Channel link; empty: the show page (base_url + index.html)."""
    locked: bool = False
    """podcast:locked: yes forbids other hosts to import the feed."""
    guid: str = ""
    """podcast:guid; empty: derived from the feed URL (uuid5, as the Podcasting 2.0 spec says)."""
    type: str = "episodic"
    """Apple's itunes:type: episodic (newest first) or serial (oldest first)."""
    timezone: str = "Europe/Paris"
    """IANA time zone of the show's publication dates (pubDate, page)."""

    @property
    def zone(self) -> ZoneInfo:
        """The `timezone`; InputError naming podcast.toml if it is no IANA zone name."""
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # checked in _validate for podcast.toml
            problem = f"key 'timezone' is not a time zone name like 'Europe/Paris': {self.timezone[:40]!r}"
            raise InputError(problem, path=SETTINGS_FILE) from None

    @property
    def owner_name(self) -> str:
        return self.owner or self.author

    @property
    def copyright_notice(self) -> str:
        return self.copyright or f"© {self.author}"

    @property
    def apple_category(self) -> tuple[str, str | None]:
        """(category, subcategory) in Apple's spelling."""
        return resolve_category(self.category)


_BOOL_KEYS = {"explicit", "locked"}


def resolve_category(name: str) -> tuple[str, str | None]:
    """'technology' -> ('Technology', None); 'Tech News' or 'News/Tech News' -> ('News', 'Tech News')."""
    wanted = name.split("/")[-1].strip().casefold()
    for parent, subs in APPLE_CATEGORIES.items():
        if parent.casefold() == wanted:
            return parent, None
        for sub in subs:
            if sub.casefold() == wanted:
                return parent, sub
    raise ValueError(name)


def find_show(explicit: str | Path | None = None, *folders: Path) -> Show:
    """Settings from `explicit` (must exist), else the first podcast.toml in ., then `folders`, else defaults."""
    path = settings_file(explicit, *folders)
    return load_show(path) if path is not None else Show()


def settings_file(explicit: str | Path | None = None, *folders: Path) -> Path | None:
    """The podcast.toml to read: `explicit` (must exist), else the first in ., then `folders`; None if none."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise InputError("no such settings file", path=path)
        return path
    for folder in (Path("."), *folders):
        candidate = Path(folder) / SETTINGS_FILE
        if candidate.is_file():
            return candidate
    return None


def load_show(path: str | Path | None = None) -> Show:
    """Read `podcast.toml` from `path` (or the current folder); defaults when it is absent."""
    path = Path(path) if path else Path(SETTINGS_FILE)
    if not path.exists():
        return Show()
    data = read_toml(path, "show settings")
    section = data.get("show", data)
    if not isinstance(section, dict):
        raise InputError("key 'show' must be a table", path=path)
    known = [f.name for f in fields(Show)]
    values: dict = {}
    for key, value in section.items():
        if key == "publish" and isinstance(value, dict):  # `podcast publish`'s own table (publish_settings)
            continue
        if key not in known:
            raise InputError(f"unknown key {key!r} (known: {', '.join(known)})", path=path)
        expected = bool if key in _BOOL_KEYS else str
        if not isinstance(value, expected):
            raise InputError(f"key {key!r} must be a {'boolean' if expected is bool else 'string'}", path=path)
        values[key] = value.strip() if isinstance(value, str) else value
    show = Show(**values)
    _validate(show, path)
    if show.cover and not Path(show.cover).is_absolute():
        # A relative cover is relative to the settings file, not to wherever the command runs.
        show.cover = str((path.parent / show.cover).resolve())
    return show


def _validate(show: Show, path: Path) -> None:
    def bad(key: str, problem: str) -> InputError:
        return InputError(f"key {key!r} {problem}", path=path)

    for key in ("title", "author", "email"):
        if not getattr(show, key):
            raise bad(key, "must not be empty")
        if len(getattr(show, key)) > MAX_FIELD:
            raise bad(key, f"is longer than {MAX_FIELD} characters")
    if len(show.description) > MAX_DESCRIPTION:
        raise bad("description", f"is longer than {MAX_DESCRIPTION} characters (Apple's limit)")
    if not re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+", show.email):
        raise bad("email", f"is not an e-mail address: {show.email[:60]!r}")
    if not re.fullmatch(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*", show.language):
        raise bad("language", f"is not a language code like 'fr' or 'fr-CA': {show.language[:20]!r}")
    try:
        resolve_category(show.category)
    except ValueError:
        raise bad(
            "category",
            f"{show.category[:40]!r} is not an Apple Podcasts category "
            "(English names, e.g. 'Technology', 'News', 'Tech News')",
        ) from None
    for key in ("base_url", "website"):
        url = getattr(show, key)
        if url:
            try:
                setattr(show, key, public_url(url, folder=key == "base_url"))
            except ValueError as exc:
                raise bad(key, f"{exc}: {url[:60]!r}") from None
    try:
        ZoneInfo(show.timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder, a name too long
        raise bad("timezone", f"is not a time zone name like 'Europe/Paris': {show.timezone[:40]!r}") from None
    if show.type not in ("episodic", "serial"):
        raise bad("type", "must be 'episodic' or 'serial'")
    if show.guid and not re.fullmatch(r"[0-9a-fA-F-]{36}", show.guid):
        raise bad("guid", "must be a UUID")


# RFC 3986 characters a path, query or fragment may hold as they are; "%" keeps escapes already made.
_URL_SAFE = "/%:@!$&'()*+,;=~-._?"
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# Top-level names no public host has: reserved (RFC 2606, 6761, 6762; "internal", "home.arpa") and LAN habits.
_NOT_PUBLIC = {"localhost", "local", "internal", "lan", "home", "arpa", "test", "example", "invalid"}


def _encoded(part: str) -> str:
    return _LONE_PERCENT.sub("%25", quote(part, safe=_URL_SAFE))


def public_url(url: str, *, folder: bool = False) -> str:
    """`url` as apps can fetch it from anywhere: host in ASCII (IDNA), path percent-encoded (spaces,
    accents); ValueError saying why it cannot be a public http(s) URL. `folder`: no query or fragment
    (file names are joined to it)."""
    if re.search(r"[\x00-\x1f\x7f]", url):
        raise ValueError("has control characters in it")  # urlsplit would silently drop tabs and newlines
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        raise ValueError("is not a URL") from None
    try:
        port = parts.port
    except ValueError:
        raise ValueError("has a port that is not a number from 1 to 65535") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError("must be an absolute http(s) URL (https://host/path/)")
    if "@" in parts.netloc:
        raise ValueError("must not hold a user name or password (the feed is public)")
    if folder and (parts.query or parts.fragment or "?" in url or "#" in url):
        raise ValueError("must be a folder URL, without ?query or #fragment")
    host = parts.hostname or ""
    if not host:
        raise ValueError("has no host name")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None:
        if not address.is_global:
            raise ValueError(f"host {host} is not a public address (loopback, private or reserved)")
        ascii_host = f"[{host}]" if address.version == 6 else host
    else:
        import idna

        try:
            ascii_host = idna.encode(host, uts46=True).decode("ascii").rstrip(".")
        except idna.IDNAError:
            raise ValueError("has no valid host name") from None
        labels = ascii_host.split(".")
        if len(labels) < 2 or labels[-1] in _NOT_PUBLIC or labels[-1].isdigit():
            raise ValueError(f"host {ascii_host} is not a public domain name")
    if port == 0:
        raise ValueError("has a port that is not a number from 1 to 65535")
    netloc = ascii_host if port is None else f"{ascii_host}:{port}"
    return urlunsplit(
        (parts.scheme.lower(), netloc, _encoded(parts.path) or "/", _encoded(parts.query), _encoded(parts.fragment))
    )


def episode_date(article_date: date | None, show: Show, now: datetime | None = None) -> str:
    """An episode's date (ISO 8601 with offset), set at render: the render time for an undated article;
    a dated one keeps its day at noon in the show's zone, but never later than the render (apps hide
    episodes dated in the future)."""
    zone = show.zone
    now = (now or datetime.now(timezone.utc)).astimezone(zone).replace(microsecond=0)
    if article_date is None:
        return now.isoformat()
    return min(datetime.combine(article_date, time(PUBLISH_HOUR), zone), now).isoformat()


def _toml_string(value: str) -> str:
    # JSON string escapes are valid TOML basic-string escapes; DEL must be escaped too in TOML.
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def show_toml(show: Show) -> str:
    """`podcast.toml` text for `show`, every key with its meaning as a comment."""
    lines = ["# Show settings for `podcast` (podcast render / feed read this file).", ""]
    for f in fields(Show):
        doc = _FIELD_DOCS.get(f.name)
        if doc:
            lines.append(f"# {doc}")
        value = getattr(show, f.name)
        lines.append(f"{f.name} = {'true' if value is True else 'false' if value is False else _toml_string(value)}")
    return "\n".join(lines) + "\n"


def write_show(path: str | Path, show: Show | None = None, *, force: bool = False) -> Path:
    """Write a `podcast.toml`; refuses to replace an existing one unless `force`."""
    path = Path(path)
    if path.exists() and not force:
        raise InputError("already exists (use --force to overwrite)", path=path)
    show = show or Show()
    _validate(show, path)
    write_text(path, show_toml(show))
    return path


_FIELD_DOCS = {
    "title": "Show name.",
    "author": "Who makes the show (itunes:author).",
    "owner": "Owner's name for directories; empty: the author.",
    "email": "Owner's e-mail (Apple and Spotify verify ownership with it): use a real address.",
    "description": "What the show is about.",
    "language": "RSS language code: fr, fr-CA, ...",
    "category": "Apple Podcasts category or subcategory, in English: Technology, News, Tech News, ...",
    "explicit": "Explicit content?",
    "base_url": "Absolute URL where the audio/ folder is published, e.g. https://example.org/podcast/ "
    "(empty: relative URLs, fine for `podcast serve`, not for hosts).",
    "cover": "Show cover (square JPEG/PNG, 1400-3000 px, RGB), relative to this file; empty: generated.",
    "copyright": 'Empty: "© <author>".',
    "website": "Show website; empty: the generated show page.",
    "locked": "podcast:locked: true stops other platforms from importing this feed.",
    "guid": "podcast:guid; empty: derived from the feed URL (keep it if the feed ever moves).",
    "type": "episodic (newest first) or serial (oldest first).",
    "timezone": "Time zone of publication dates (IANA name: Europe/Paris, America/Montreal, ...).",
}


@dataclass
class PublishSettings:
    """podcast.toml's [publish] table; the command line overrides each value."""

    to: str = ""
    public_url: str = ""
    delete: bool = False
    verify: bool | None = None
    target_options: dict = field(default_factory=dict)
    """Every other key: the publisher's own options (endpoint_url, region, acl, accept_new_host_key)."""


def publish_settings(show_file: str | Path | None, folder: str | Path) -> PublishSettings:
    """The [publish] table of the settings file found as for the show: `show_file`, else
    ./podcast.toml, else FOLDER/podcast.toml; defaults when there is none."""
    path = settings_file(show_file, Path(folder))
    if path is None:
        return PublishSettings()
    table = read_toml(path, "show settings").get("publish", {})
    if not isinstance(table, dict):
        raise InputError("key 'publish' must be a table", path=path)
    settings = PublishSettings(target_options=dict(table))
    for key, kind in (("to", str), ("public_url", str), ("delete", bool), ("verify", bool)):
        if key in table:
            value = settings.target_options.pop(key)
            if not isinstance(value, kind):
                raise InputError(
                    f"[publish] key {key!r} must be {'a string' if kind is str else 'true or false'}", path=path
                )
            setattr(settings, key, value)
    return settings
