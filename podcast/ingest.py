"""`podcast ingest`: a site's RSS or Atom feed of articles -> one episode per new entry.

Each new entry's page is fetched (TLS verified, time-limited, size-capped), its main text
extracted by the HTML path, and rendered here or submitted to the queue. Entries done are
remembered by id in OUTPUT/ingest.state.json, written atomically under the folder's lock, so a
second run renders nothing new. A page that fails is reported on one line and skipped; it is
not remembered, so the next run tries it again.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from .api import RenderOptions, preflight
from .cancel import Cancelled, CancelToken
from .errors import EngineError, InputError, OutputError, PodcastError
from .files import folder_lock, write_text
from .types import Article
from .version import __version__

if TYPE_CHECKING:
    from .queue import Queue

log = logging.getLogger(__name__)

STATE_FILE = "ingest.state.json"
"""Not a manifest name (`<slug>.json` has no dot in its stem), so the feed never reads it."""
MAX_FEED_BYTES = 16 * 1024 * 1024
MAX_PAGE_BYTES = 8 * 1024 * 1024
TIMEOUT = (10.0, 30.0)
"""Seconds to connect, and between bytes received."""
DEADLINE = 120.0
"""Seconds a whole download may take: a server trickling a byte at a time is cut off there."""
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass
class Entry:
    """One article the feed lists."""

    id: str
    title: str
    link: str
    date: date | None = None


@dataclass
class IngestReport:
    """What a run did: entries rendered (or submitted), already done before, failed with why."""

    rendered: list[tuple[Entry, str]] = field(default_factory=list)
    """Each with its MP3 path, or its queue id when submitted."""
    already: int = 0
    failed: list[tuple[Entry, str]] = field(default_factory=list)


def _session():
    import requests

    session = requests.Session()
    session.headers["User-Agent"] = f"podcast/{__version__} (feed ingest)"
    return session


def _get(session, url: str, limit: int, what: str) -> tuple[bytes, str]:
    """GET `url` (http or https only): (body, content type). Fails on a status error or a body over `limit`."""
    import requests

    if urlsplit(url).scheme not in ("http", "https"):
        raise InputError(f"not an http(s) URL: {url!r}")
    try:
        with session.get(url, timeout=TIMEOUT, stream=True) as response:
            if response.status_code >= 400:
                raise EngineError(f"{url}: HTTP {response.status_code} {response.reason or ''}".rstrip())
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise InputError(f"{url}: {what} larger than {_size(limit)}")
            body = bytearray()
            ends = time.monotonic() + DEADLINE
            for piece in response.iter_content(64 * 1024):
                if time.monotonic() > ends:
                    raise EngineError(f"{url}: the {what} took over {DEADLINE:.0f} s to download")
                body += piece
                if len(body) > limit:
                    raise InputError(f"{url}: {what} larger than {_size(limit)}")
            return bytes(body), response.headers.get("Content-Type", "")
    except requests.RequestException as exc:
        raise EngineError(f"{url}: cannot fetch the {what}: {_reason(exc)}") from None


def _size(limit: int) -> str:
    return f"{limit / 2**20:g} MB" if limit >= 2**20 else f"{limit:,} bytes"


def _reason(exc: Exception) -> str:
    # requests nests the cause (urllib3 -> socket); its innermost message is the readable one.
    inner: BaseException = exc
    while inner.__context__ is not None and not isinstance(inner, OSError):
        inner = inner.__context__
    return str(inner or exc).replace("\n", " ")[:200]


def read_feed(source: str, *, session=None) -> list[Entry]:
    """The entries of an RSS or Atom feed at `source`: an http(s) URL or a file."""
    import feedparser

    if urlsplit(source).scheme in ("http", "https"):
        raw, _ = _get(session or _session(), source, MAX_FEED_BYTES, "feed")
        base = source
    else:
        path = Path(source)
        try:
            if path.stat().st_size > MAX_FEED_BYTES:
                raise InputError(f"feed larger than {MAX_FEED_BYTES // 1024 // 1024} MB", path=source)
            raw = path.read_bytes()
        except FileNotFoundError:
            raise InputError("feed not found", path=source) from None
        except OSError as exc:
            raise InputError(f"cannot read the feed: {exc.strerror or exc}", path=source) from None
        base = ""
    parsed = feedparser.parse(raw)
    if not parsed.get("version") and not parsed.entries:
        why = parsed.get("bozo_exception")
        raise InputError(f"not an RSS or Atom feed{f' ({why})' if why else ''}", path=source)
    entries = []
    for item in parsed.entries:
        link = item.get("link") or ""
        if base and link:
            link = urljoin(base, link)
        ident = item.get("id") or item.get("guid") or link
        if not ident:
            continue  # nothing to remember it by, nor to fetch
        when = item.get("published_parsed") or item.get("updated_parsed")
        entries.append(Entry(ident, (item.get("title") or "").strip(), link, date(*when[:3]) if when else None))
    return entries


def fetch_article(entry: Entry, *, session=None) -> Article:
    """The entry's page, fetched, its main text extracted."""
    from .text.article import decode, parse_article

    if not entry.link:
        raise InputError("the entry has no link")
    raw, kind = _get(session or _session(), entry.link, MAX_PAGE_BYTES, "page")
    mime = kind.split(";")[0].strip().lower()
    if mime and mime not in HTML_TYPES:
        raise InputError(f"{entry.link}: not an HTML page ({mime})")
    text = decode(raw, entry.link)
    article = parse_article(text, name=entry.link, kind="html", title=entry.title or None)
    if article.date is None and entry.date is not None:
        article.date = entry.date
    return article


def load_state(folder: Path) -> dict[str, Any]:
    """Entries done, by id (empty when the folder has none yet)."""
    path = Path(folder) / STATE_FILE
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:  # RecursionError: absurd nesting
        raise InputError(f"unreadable ingest state: {exc}", path=path) from None
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        raise InputError("malformed ingest state (no 'entries' table)", path=path)
    return entries


def _remember(folder: Path, entry: Entry, result: str) -> None:
    """Add one entry to the state file: re-read under the folder lock, so runs side by side keep both."""
    with folder_lock(folder):
        entries = load_state(folder)
        entries[entry.id] = {
            "title": entry.title,
            "link": entry.link,
            "result": result,
            "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        write_text(folder / STATE_FILE, json.dumps({"entries": entries}, ensure_ascii=False, indent=1) + "\n")


def ingest(
    feed: str,
    options: RenderOptions,
    *,
    queue: Queue | None = None,
    limit: int | None = None,
    cancel: CancelToken | None = None,
    report: Callable[[str], None] | None = None,
) -> IngestReport:
    """Render (or, with `queue`, submit) each entry of `feed` not done before, oldest first.

    `limit` caps how many new entries this run takes. A failing entry is told to `report` in one
    line and skipped. The feed and page of the show are rebuilt once at the end (local renders).
    """
    cancel = cancel or CancelToken()
    say = report or log.warning
    folder = Path(options.output_dir)
    preflight(options)  # a bad cache folder, show cover or manifest fails once, before any page is fetched
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder: {exc.strerror or exc}", path=folder) from None
    session = _session()
    entries = read_feed(feed, session=session)
    done = load_state(folder)
    result = IngestReport(already=sum(1 for e in entries if e.id in done))
    # Feeds list the newest first; episodes are numbered in publication order.
    fresh = list(reversed([e for e in entries if e.id not in done]))
    fresh.sort(key=lambda e: e.date or date.max)
    if limit is not None:
        fresh = fresh[:limit]
    if not fresh:
        return result
    with _renderer(options, queue, cancel) as render_one:
        for entry in fresh:
            cancel.check()
            try:
                made = render_one(fetch_article(entry, session=session))
            except Cancelled:
                raise
            except PodcastError as exc:
                name = entry.link or entry.id
                reason = str(exc)
                say(f"{name}: skipped: {reason[len(name) + 2 :] if reason.startswith(name + ': ') else reason}")
                result.failed.append((entry, str(exc)))
                continue
            _remember(folder, entry, made)
            result.rendered.append((entry, made))
    if result.rendered and queue is None:
        from .publish.site import write_site

        for warning in write_site(folder, options.show):
            options.notify(warning)
    return result


@contextlib.contextmanager
def _renderer(options: RenderOptions, queue: Queue | None, cancel: CancelToken) -> Iterator[Callable[[Article], str]]:
    """A function rendering one article (returns the MP3 path) or submitting it (returns its queue id)."""
    if queue is not None:
        from .queue import submit

        yield lambda article: submit([article], options, queue)[0][0]
        return
    from .api import render_article
    from .voice.engine import choose_engine

    engine, notice = choose_engine(options.engine, options.engine_options, options.language)
    if notice:
        options.notify(notice)
    try:
        yield lambda article: str(
            Path(options.output_dir) / render_article(article, engine, options, cancel=cancel).mp3
        )
    finally:
        engine.close()
