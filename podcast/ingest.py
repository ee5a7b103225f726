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
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

from .api import Preparation, prepare
from .cancel import Cancelled, CancelToken
from .errors import EngineError, InputError, OutputError, PodcastError
from .files import folder_lock, write_text
from .job import RenderOptions
from .net import network_reason, redact
from .options import Option
from .types import Article
from .version import __version__

if TYPE_CHECKING:
    from .queue import Queue

log = logging.getLogger(__name__)

STATE_FILE = "ingest.state.json"
"""Not a manifest name (`<slug>.json` has no dot in its stem), so the feed never reads it."""
LOCK_FILE = ".podcast-ingest.lock"
"""Held (flock) while an ingest runs in the folder; never published (the feed does not list it)."""
MAX_FEED_BYTES = 16 * 1024 * 1024
MAX_PAGE_BYTES = 8 * 1024 * 1024
TIMEOUT = (10.0, 30.0)
"""Seconds to connect, and between bytes received."""
DEADLINE = 120.0
"""Seconds a whole download may take: a server trickling a byte at a time is cut off there."""
HTML_TYPES = ("text/html", "application/xhtml+xml")
LIMIT = Option("limit", int, None, "Take at most N new entries this run (oldest first).", min=1, metavar="N")
"""`podcast ingest`'s own option, declared once (the CLI builds --limit from it)."""


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


def _get(session, url: str, limit: int, what: str, cancel: CancelToken | None = None) -> tuple[bytes, str, str]:
    """GET `url` (http or https only): (body, content type, URL after redirects). Fails on a status error, a body over
    `limit` or a download over DEADLINE; a cancel is heard at once, even mid-download."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise InputError(f"not an http(s) URL: {redact(url)!r}")
    cancel = cancel or CancelToken()
    # The download runs in a thread so that Ctrl-C and the deadline do not wait for a server that
    # answers slowly (requests blocks until a whole 64 KB piece or its read timeout). An abandoned
    # download stops at its next piece, or at its read timeout.
    stop = threading.Event()
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["value"] = _download(session, url, limit, what, stop)
        except BaseException as exc:  # handed to the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="podcast-ingest-fetch", daemon=True)
    ends = time.monotonic() + DEADLINE
    worker.start()
    try:
        while worker.is_alive():
            left = ends - time.monotonic()
            if left <= 0:
                raise EngineError(f"{redact(url)}: the {what} took over {DEADLINE:.0f} s to download")
            cancel.wait(min(left, 0.1))
            cancel.check()
    finally:
        stop.set()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _download(session, url: str, limit: int, what: str, stop: threading.Event) -> tuple[bytes, str, str]:
    import requests

    shown = redact(url)  # a private feed's URL may hold a password: never in a message
    try:
        with session.get(url, timeout=TIMEOUT, stream=True) as response:
            if response.status_code >= 400:
                raise EngineError(f"{shown}: HTTP {response.status_code} {response.reason or ''}".rstrip())
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise InputError(f"{shown}: {what} larger than {_size(limit)}")
            body = bytearray()
            for piece in response.iter_content(64 * 1024):
                if stop.is_set():
                    break  # the caller has given up on it
                body += piece
                if len(body) > limit:
                    raise InputError(f"{shown}: {what} larger than {_size(limit)}")
            return bytes(body), response.headers.get("Content-Type", ""), response.url or url
    except requests.RequestException as exc:
        raise EngineError(f"{shown}: cannot fetch the {what}: {network_reason(exc, TIMEOUT)}") from None


def _size(limit: int) -> str:
    return f"{limit / 2**20:g} MB" if limit >= 2**20 else f"{limit:,} bytes"


def _feed_file(source: str) -> Path | None:
    """The local file `source` names (a path or a file:// URL); None for an http(s) URL."""
    parts = urlsplit(source)
    shown = redact(source)
    if parts.scheme in ("http", "https"):
        return None
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise InputError(f"a file:// feed must be on this machine, not on {parts.netloc!r}", path=shown)
        return Path(url2pathname(parts.path))
    if "://" in source:  # a drive letter (C:\feed.xml) has a scheme too, but no "//"
        raise InputError(f"unsupported feed URL scheme {parts.scheme!r}: give an http(s) URL or a file", path=shown)
    return Path(source)


def read_feed(source: str, *, session=None, cancel: CancelToken | None = None) -> list[Entry]:
    """The entries of an RSS or Atom feed at `source`: an http(s) URL, a file:// URL or a file.

    An entry's identity is its id (guid), else its page's URL; an id listed twice is one entry
    (the first, newest one), so a feed that repeats an item never renders it twice.
    """
    import feedparser

    path = _feed_file(source)
    shown = redact(source)  # a private feed's URL may hold a password
    headers = {}
    if path is None:
        raw, kind, base = _get(session or _session(), source, MAX_FEED_BYTES, "feed", cancel)
        # A charset given only in the header counts. (No content-location: feedparser would then
        # resolve ids too, and an entry's id must stay what the feed says.)
        headers = {"content-type": kind} if kind else {}
    else:
        try:
            if path.stat().st_size > MAX_FEED_BYTES:
                raise InputError(f"feed larger than {MAX_FEED_BYTES // 1024 // 1024} MB", path=shown)
            raw = path.read_bytes()
        except FileNotFoundError:
            raise InputError("feed not found", path=shown) from None
        except OSError as exc:
            raise InputError(f"cannot read the feed: {exc.strerror or exc}", path=shown) from None
        base = ""
    parsed = feedparser.parse(raw, response_headers=headers)
    if not parsed.get("version") and not parsed.entries:
        named = _named_feed(raw, base)
        if named:  # a site's home page, given instead of its feed
            raise InputError(f"not an RSS or Atom feed but a web page; its feed is {named}: give that", path=shown)
        why = parsed.get("bozo_exception")
        raise InputError(f"not an RSS or Atom feed{f' ({_shortened(str(why))})' if why else ''}", path=shown)
    if not base:
        # A feed saved to a file: relative links are taken as relative to the site it names.
        site = parsed.feed.get("link") or ""
        base = site if urlsplit(site).scheme in ("http", "https") else ""
    entries: dict[str, Entry] = {}
    for item in parsed.entries:
        link = _page_link(item, base)
        ident = (item.get("id") or item.get("guid") or "").strip() or link
        if not ident or ident in entries:
            continue  # nothing to remember it by, nor to fetch; or listed twice
        when = item.get("published_parsed") or item.get("updated_parsed")
        entries[ident] = Entry(ident, _title(item), link, date(*when[:3]) if when else None)
    return list(entries.values())


def _named_feed(raw: bytes, base: str) -> str:
    """The feed an HTML page announces (<link rel="alternate" type="application/rss+xml">), or ""."""
    import lxml.etree
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(raw[:MAX_PAGE_BYTES])
    except (ValueError, lxml.etree.ParserError):
        return ""
    for link in tree.iter("link"):
        kind = (link.get("type") or "").lower()
        if "alternate" in (link.get("rel") or "").lower().split() and kind.split(";")[0].strip() in (
            "application/rss+xml",
            "application/atom+xml",
            "application/rdf+xml",
        ):
            href = (link.get("href") or "").strip()
            found = urljoin(base, href) if base else href
            if urlsplit(found).scheme in ("http", "https"):
                return found
    return ""


def _page_link(item, base: str) -> str:
    """The entry's web page: its alternate link (an Atom entry may also list enclosures and
    comments), resolved against the feed's URL; "" when it has none that is http(s)."""
    candidates = [link.get("href", "") for link in item.get("links", ()) if link.get("rel", "alternate") == "alternate"]
    candidates.append(item.get("link") or "")  # RSS <link>, or a guid that is a permalink
    for link in filter(None, (c.strip() for c in candidates)):
        link = urljoin(base, link) if base else link
        if urlsplit(link).scheme in ("http", "https"):
            return link
    return ""


def _title(item) -> str:
    """The entry's title as plain text: an HTML title (escaped markup, CDATA) loses its tags."""
    title = item.get("title") or ""
    kind = (item.get("title_detail") or {}).get("type", "")
    if "html" in kind and "<" in title:
        import lxml.html

        with contextlib.suppress(ValueError, lxml.etree.ParserError):
            title = lxml.html.fragment_fromstring(title, create_parent="div").text_content()
    return " ".join(title.split())


def _shortened(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:199] + "…"


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _declared_charset(raw: bytes, content_type: str) -> str | None:
    """The page's declared encoding: the HTTP header's, else its <meta> tag's (as browsers do)."""
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    found = _META_CHARSET.search(raw[:4096])
    return found.group(1).decode("ascii") if found else None


def _page_text(raw: bytes, content_type: str, name: str) -> str:
    """The page as text. Valid UTF-8 is UTF-8 whatever the header says (a server's default
    "ISO-8859-1" is often wrong); otherwise the declared encoding beats guessing, which cannot
    tell Latin-9's € from Windows-1252's ¤."""
    import codecs

    from .text.article import decode

    declared = _declared_charset(raw, content_type)
    if declared:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            try:
                if codecs.lookup(declared).name != "utf-8":
                    raw = raw.decode(declared).encode("utf-8")
            except (LookupError, UnicodeDecodeError):
                pass  # unknown or wrong: the guess below decides
    return decode(raw, name)


def fetch_article(entry: Entry, *, session=None, cancel: CancelToken | None = None) -> Article:
    """The entry's page, fetched, its main text extracted."""
    from .text.article import parse_article

    if not entry.link:
        raise InputError("the entry has no link to a web page", path=entry.id)
    raw, kind, _ = _get(session or _session(), entry.link, MAX_PAGE_BYTES, "page", cancel)
    mime = kind.split(";")[0].strip().lower()
    if mime and mime not in HTML_TYPES:
        raise InputError(f"{entry.link}: not an HTML page ({mime})")
    text = _page_text(raw, kind, entry.link)
    article = parse_article(text, name=entry.link, kind="html", title=entry.title or None)
    if entry.date is not None:
        # The feed's date wins, as its title does: a page's date is a guess among every date it shows.
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
    limit = None if limit is None else LIMIT.check(limit)
    folder = Path(options.output_dir)
    if queue is not None:
        from .queue.submit import queue_options

        options = queue_options(options)
    # Options, music, covers, cache folder and manifests are checked once, before any page is fetched.
    checked = prepare([], options, start=queue is None)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder: {exc.strerror or exc}", path=folder) from None
    with _one_run(folder) as alone:
        if not alone:
            # cron started us while the previous run still works: it takes the new entries.
            options.notify(f"another `podcast ingest` is running in {folder}: leaving the new entries to it")
            return IngestReport()
        with checked:
            return _ingest(feed, checked, folder, queue, limit, cancel, say)


def _ingest(
    feed: str,
    preparation: Preparation,
    folder: Path,
    queue: Queue | None,
    limit: int | None,
    cancel: CancelToken,
    say: Callable[[str], None],
) -> IngestReport:
    from .queue.connection import QueueError

    options = preparation.options
    session = _session()
    entries = read_feed(feed, session=session, cancel=cancel)
    done = load_state(folder)
    if queue is not None:
        # Submitted on an earlier run, then failed on the queue: not done after all.
        for ident, error in _failed_on_queue(queue, done).items():
            say(f"{done[ident].get('link') or ident}: failed on the queue ({error}); submitting it again")
            del done[ident]
    result = IngestReport(already=sum(1 for e in entries if e.id in done))
    # Feeds list the newest first; episodes are numbered in publication order.
    fresh = list(reversed([e for e in entries if e.id not in done]))
    fresh.sort(key=lambda e: e.date or date.max)
    if limit is not None:
        fresh = fresh[:limit]
    finished = False
    try:
        if fresh:
            render_one = _renderer(preparation, queue, cancel)
            for entry in fresh:
                cancel.check()
                try:
                    made = render_one(fetch_article(entry, session=session, cancel=cancel))
                except (Cancelled, OutputError, QueueError):
                    raise  # the user's stop, a full disk, the queue gone: no later entry would fare better
                except PodcastError as exc:
                    name = redact(entry.link) if entry.link else entry.id
                    reason = str(exc)
                    say(f"{name}: skipped: {reason[len(name) + 2 :] if reason.startswith(name + ': ') else reason}")
                    result.failed.append((entry, str(exc)))
                    continue
                _remember(folder, entry, made)
                result.rendered.append((entry, made))
        finished = True
    finally:
        # Episodes rendered before a Ctrl-C or a failure are listed too; and a run killed between
        # an episode and the feed (the state is newer than feed.xml) has its feed rebuilt by the next.
        if queue is None and (result.rendered or _feed_behind(folder)):
            _write_site(options, quiet=not finished)
    return result


@contextlib.contextmanager
def _one_run(folder: Path) -> Iterator[bool]:
    """Whether this is the only ingest working in `folder` (an flock on LOCK_FILE, held for the
    run): two runs at once would fetch and render the same new entries twice."""
    try:
        import fcntl
    except ImportError:  # no flock (Windows): runs are not serialized
        yield True
        return
    path = folder / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OutputError(f"cannot create the ingest lock: {exc.strerror or exc}", path=path) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


_QUEUE_ID = re.compile(r"[0-9a-f]{32}")


def _failed_on_queue(queue: Queue, done: dict[str, Any]) -> dict[str, str]:
    """Entries whose recorded result is a queue episode that failed there, with its error. An
    episode the queue has forgotten (finished a week ago) stays done."""
    from .queue.connection import remote
    from .queue.status import FAILED, get

    ids = {}
    for ident, entry in done.items():
        made = str(entry.get("result", "")) if isinstance(entry, dict) else ""
        if _QUEUE_ID.fullmatch(made):
            ids[made] = ident
    if not ids:
        return {}
    with remote(queue.url):
        statuses = get(queue, list(ids))
    return {
        ids[s.id]: s.error or "no reason given"
        for s in statuses
        if s.state == FAILED and not s.error.startswith("unknown to the queue")
    }


def _feed_behind(folder: Path) -> bool:
    """Whether entries were rendered since feed.xml was last written."""
    from .show.feed import FEED_FILE

    try:
        state = (folder / STATE_FILE).stat().st_mtime_ns
    except OSError:
        return False
    try:
        return (folder / FEED_FILE).stat().st_mtime_ns < state
    except OSError:
        return True


def _write_site(options: RenderOptions, *, quiet: bool) -> None:
    from .show.site import write_site

    if quiet:  # an error is already on its way out: it is the one the user must see
        with contextlib.suppress(PodcastError):
            write_site(options.output_dir, options.show)
        return
    for warning in write_site(options.output_dir, options.show):
        options.notify(warning)


def _renderer(preparation: Preparation, queue: Queue | None, cancel: CancelToken) -> Callable[[Article], str]:
    """A function that prepares one article through the front door (the engine is chosen at the first)
    and renders it (returns the MP3 path) or submits it (returns its queue id)."""
    from .api import render_job

    if queue is not None:
        from .queue.submit import queue_job

        return lambda article: queue_job(queue, preparation.add(article))[0]

    def render_one(article: Article) -> str:
        job = preparation.add(article)
        return str(Path(job.options.output_dir) / render_job(job, preparation.engine, cancel=cancel).mp3)

    return render_one
