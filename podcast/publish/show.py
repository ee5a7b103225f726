"""Show settings: `podcast.toml` (or defaults) describing the podcast every episode belongs to."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import InputError
from ..files import read_toml, write_text

SETTINGS_FILE = "podcast.toml"

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
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise InputError("no such settings file", path=path)
        return load_show(path)
    for folder in (Path("."), *folders):
        candidate = Path(folder) / SETTINGS_FILE
        if candidate.is_file():
            return load_show(candidate)
    return Show()


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
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise bad(key, f"must be an absolute http(s) URL: {url[:60]!r}")
    if show.type not in ("episodic", "serial"):
        raise bad("type", "must be 'episodic' or 'serial'")
    if show.guid and not re.fullmatch(r"[0-9a-fA-F-]{36}", show.guid):
        raise bad("guid", "must be a UUID")


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
}
