"""The last stage: a finished show folder (audio/) sent to a host, then checked as apps see it.

    from podcast import publish_to, PublishOptions

    report = publish_to("audio", "s3://my-bucket/podcast", PublishOptions(public_url="https://cdn.example.org/podcast/"))

Order: media and sidecars, then index.html, then feed.xml, then the host's index (plan.py);
deletions (only with `delete=True`) come after the new feed. A publish killed at any point
leaves the previous feed, or the new one with every file it lists, and a rerun completes it.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..cancel import CancelToken
from ..errors import InputError, RemoteError
from ..net import redact
from ..show.feed import FEED_FILE
from ..show.settings import Show, find_show
from ..show.settings import public_url as encoded_url
from .plan import INDEX_NAME, RemoteState, UploadPlan, index_item, local_items, parse_index, plan_upload
from .target import Item, Publisher, make_publisher, register

log = logging.getLogger(__name__)

__all__ = [
    "PublishOptions",
    "PublishReport",
    "Publisher",
    "publish_to",
    "PublishSettings",
    "publish_settings",
    "register",
]

Progress = Callable[[int, int, str], None]
"""progress(bytes sent so far, bytes to send in all, name of the file being sent)."""

_INDEX_FLUSH_BYTES = 1 << 20
"""After each MP3 and each file this large the host's index is rewritten, so a killed run's rerun
does not send it again; small files are recorded at the end (sending them again costs little)."""


@dataclass
class PublishOptions:
    """How to publish; every field may also come from podcast.toml's [publish] table."""

    public_url: str = ""
    """Where apps fetch the published files; "": what the target says (S3), else refused."""
    show: Show | None = None
    """The show whose base_url must equal the public URL; None: found as `podcast feed` finds it."""
    delete: bool = False
    """Remove from the host the files a previous publish sent that are no longer local."""
    dry_run: bool = False
    """List what would be sent or deleted; send nothing."""
    verify: bool | None = None
    """Fetch the feed and each enclosure afterwards; None: when the public URL answers."""
    target_options: Mapping[str, object] = field(default_factory=dict)
    """The publisher's own options (endpoint_url, region, acl, accept_new_host_key...)."""
    notify: Callable[[str], None] | None = None
    """Called with one-line notices (verify skipped, remote-only files kept)."""


@dataclass
class PublishReport:
    plan: UploadPlan
    public_url: str
    uploaded: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    bytes_sent: int = 0
    verdicts: list = field(default_factory=list)
    """verify.Verdict per episode; empty when not verified."""
    verified: bool = False

    @property
    def failures(self) -> list:
        """The verdicts that failed (the CLI prints every verdict, then exits 3 if any failed)."""
        return [verdict for verdict in self.verdicts if not verdict.ok]


def _base(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def _same_place(url: str) -> tuple[str, str, str]:
    """What makes two folder URLs the same place: scheme and host are case-insensitive, and a path
    typed with spaces or accents equals its percent-encoded form (base_url is stored encoded)."""
    with contextlib.suppress(ValueError):  # not a public URL: compare it as typed
        url = encoded_url(url, folder=True)
    parts = urlsplit(_base(url))
    return parts.scheme.lower(), parts.netloc.lower(), parts.path


def check_base_url(show: Show, public_url: str) -> None:
    """The feed's URLs are built from base_url: it must be where the files go."""
    if not show.base_url:
        raise InputError(
            f"base_url is not set: the feed would not point at the host; "
            f'set base_url = "{public_url}" in podcast.toml, then run `podcast feed`'
        )
    if _same_place(show.base_url) != _same_place(public_url):
        raise InputError(
            f"base_url is {show.base_url} but the files go to {public_url}: "
            f'set base_url = "{public_url}" in podcast.toml and run `podcast feed`, '
            "or give --public-url if the files are served from elsewhere"
        )


def publish_to(
    folder: str | Path,
    target: str,
    options: PublishOptions | None = None,
    *,
    cancel: CancelToken | None = None,
    progress: Progress | None = None,
) -> PublishReport:
    """Send `folder`'s episodes, page and feed to `target` (s3://bucket/prefix, sftp://user@host/path)."""
    options = options or PublishOptions()
    cancel = cancel or CancelToken()
    folder = Path(folder)
    if not folder.is_dir():  # before the target and base_url checks, which would blame the settings
        raise InputError("no such folder", path=folder)
    publisher = make_publisher(target, options.target_options)
    public_url = _base(options.public_url or publisher.default_public_url())
    if public_url == "/":
        raise InputError(
            f"no public URL for {publisher.name} target: give --public-url (or public_url in "
            "podcast.toml's [publish] table), the http(s) address the folder is served at"
        )
    parts = urlsplit(public_url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise InputError(f"the public URL must be an http(s) URL: {redact(public_url)[:80]!r}")
    if parts.query or parts.fragment or "@" in parts.netloc:
        # File names are appended to it, and it is printed: no query, fragment or credentials.
        raise InputError(
            "the public URL must be a folder URL (https://host/path/), without ?query, #fragment or user@: "
            f"{redact(options.public_url or public_url)[:80]!r}"
        )
    show = options.show or find_show(None, folder)
    check_base_url(show, public_url)
    with contextlib.suppress(ValueError):  # as the feed spells it: spaces and accents encoded, host lowercased
        public_url = _base(encoded_url(public_url, folder=True))
    local = local_items(folder, public_url)
    cancel.check()
    with publisher:
        publisher.connect()
        sizes = publisher.list_files()
        remote = RemoteState(sizes, parse_index(publisher.read(INDEX_NAME)))
        plan = plan_upload(local, remote)
        report = PublishReport(plan, public_url)
        if options.dry_run:
            return report
        if plan.deletes and not options.delete and options.notify:
            options.notify(f"{len(plan.deletes)} file(s) on the host are no longer local (kept; --delete removes them)")
        _send(publisher, plan, remote, report, options.delete, cancel, progress)
    if options.verify is not False:
        _verify(report, options, cancel)
    return report


def _send(
    publisher: Publisher,
    plan: UploadPlan,
    remote: RemoteState,
    report: PublishReport,
    delete: bool,
    cancel: CancelToken,
    progress: Progress | None,
) -> None:
    # The index keeps only what is really there: entries whose file was listed with the same size.
    index = {name: entry for name, entry in remote.index.items() if remote.sizes.get(name) == entry.get("size")}
    total = plan.upload_bytes
    done = 0

    def flush() -> None:
        publisher.put(index_item(index), lambda _n: None)

    for item in plan.uploads:
        cancel.check()
        sent_before = done

        def sent(n: int, item: Item = item) -> None:
            nonlocal done
            done += n
            cancel.check()  # raised inside the transfer: it stops, its temp is removed
            if progress:
                progress(done, total, item.name)

        publisher.put(item, sent)
        done = sent_before + item.size  # protocols that report no bytes still advance
        if progress:
            progress(done, total, item.name)
        report.uploaded.append(item.name)
        report.bytes_sent = done
        index[item.name] = {"sha256": item.sha256, "size": item.size}
        if item.size >= _INDEX_FLUSH_BYTES or item.content_type == "audio/mpeg":
            flush()
    if delete:
        for name in plan.deletes:
            cancel.check()
            publisher.delete(name)
            index.pop(name, None)
            report.deleted.append(name)
    if report.uploaded or report.deleted or set(index) != set(remote.index):
        flush()


def _verify(report: PublishReport, options: PublishOptions, cancel: CancelToken) -> None:
    from .verify import Verdict, feed_reachable, verify_feed

    if options.verify is None:
        reachable, why = feed_reachable(report.public_url)
        if not reachable:
            if options.notify:
                options.notify(f"not verified: {report.public_url} does not answer ({why}); --verify to insist")
            return
    mp3s = [item for item in report.plan.local if item.name.endswith(".mp3")]
    try:
        report.verdicts = verify_feed(report.public_url, mp3s, cancel)
    except RemoteError as exc:
        # The files are up: say so (the caller prints what was sent), then this verdict, then fails.
        report.verdicts = [Verdict(FEED_FILE, report.public_url + FEED_FILE, False, str(exc).removeprefix("verify: "))]
    report.verified = True
