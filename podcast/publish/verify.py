"""After a publish: the feed as apps fetch it, and each enclosure as players seek in it.

The feed is fetched from the public URL and parsed (lxml, as our own feed is plain RSS);
each enclosure gets a HEAD and a byte-range GET, which must answer 206 with the length
and type the feed gives. One verdict per episode.
"""

from __future__ import annotations

from dataclasses import dataclass

import requests
from lxml import etree

from ..cancel import CancelToken
from ..errors import RemoteError
from ..net import network_reason
from ..show.feed import FEED_FILE
from .target import Item

TIMEOUT = (10, 30)
"""(connect, read) seconds for each request."""
_PROBE = 1024
"""Bytes asked for by the range request."""


@dataclass
class Verdict:
    title: str
    url: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'} {self.title}: {self.detail}"


def feed_reachable(public_url: str) -> tuple[bool, str]:
    """Whether the public URL's feed answers at all (any HTTP status counts as an answer)."""
    try:
        requests.head(public_url + FEED_FILE, timeout=(5, 10), allow_redirects=True).close()
    except requests.exceptions.SSLError:
        return True, ""  # it answers, with a certificate apps will refuse too: verify says so
    except requests.RequestException as exc:
        return False, network_reason(exc, (5, 10))
    return True, ""


def _get(session: requests.Session, method: str, url: str, **kwargs) -> requests.Response:
    try:
        return session.request(method, url, timeout=TIMEOUT, allow_redirects=True, **kwargs)
    except requests.RequestException as exc:
        raise RemoteError(f"verify: {method} {url} failed: {network_reason(exc, TIMEOUT)}") from None


def verify_feed(public_url: str, local_mp3s: list[Item], cancel: CancelToken | None = None) -> list[Verdict]:
    """Fetch and parse the published feed, then probe each enclosure; RemoteError if the feed itself fails."""
    url = public_url + FEED_FILE
    with requests.Session() as session:
        response = _get(session, "GET", url)
        if response.status_code in (401, 403):
            raise RemoteError(
                f"verify: {url} answered {response.status_code}: the files are not public "
                "(S3: --acl public-read, or a bucket policy allowing s3:GetObject to everyone)"
            )
        if response.status_code != 200:
            raise RemoteError(f"verify: {url} answered {response.status_code}, not 200")
        try:
            root = etree.fromstring(response.content, parser=etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError as exc:
            raise RemoteError(f"verify: {url} is not a readable feed: {exc}") from None
        items = root.findall("./channel/item")
        expected = {public_url + item.name: item for item in local_mp3s}
        verdicts = []
        for item in items:
            if cancel:
                cancel.check()
            title = (item.findtext("title") or "").strip() or "(untitled)"
            enclosure = item.find("enclosure")
            if enclosure is None:
                verdicts.append(Verdict(title, "", False, "no enclosure"))
                continue
            verdicts.append(_probe(session, title, enclosure.get("url", ""), enclosure, expected))
        if len(items) != len(local_mp3s):
            verdicts.append(
                Verdict("feed", url, False, f"lists {len(items)} episode(s), the folder has {len(local_mp3s)}")
            )
    return verdicts


def _probe(session: requests.Session, title: str, url: str, enclosure, expected: dict[str, Item]) -> Verdict:
    def fail(detail: str) -> Verdict:
        return Verdict(title, url, False, detail)

    try:
        length = int(enclosure.get("length", ""))
    except ValueError:
        return fail(f"enclosure length {enclosure.get('length')!r} is not a number")
    kind = enclosure.get("type", "")
    local = expected.get(url)
    if local is None:
        return fail(f"{url} is not one of the folder's MP3s")
    if length != local.size:
        return fail(f"feed says {length} bytes, the MP3 has {local.size}")
    head = _get(session, "HEAD", url)
    if head.status_code != 200:
        return fail(f"HEAD answered {head.status_code}")
    if head.headers.get("Content-Length") != str(length):
        return fail(f"HEAD length {head.headers.get('Content-Length')}, feed says {length}")
    served = head.headers.get("Content-Type", "").split(";")[0].strip()
    if served != kind:
        return fail(f"served as {served or 'no type'}, feed says {kind}")
    last = min(_PROBE, length) - 1
    ranged = _get(session, "GET", url, headers={"Range": f"bytes=0-{last}"})
    if ranged.status_code != 206:
        return fail(f"range request answered {ranged.status_code}, not 206 (players cannot seek)")
    if ranged.headers.get("Content-Range") != f"bytes 0-{last}/{length}" or len(ranged.content) != last + 1:
        return fail(f"range answer is {ranged.headers.get('Content-Range')!r}, {len(ranged.content)} bytes")
    with local.open() as fh:
        if fh.read(last + 1) != ranged.content:
            return fail("the bytes served differ from the local MP3")
    return Verdict(title, url, True, f"{length / 1e6:.1f} MB {kind}, HEAD 200, range 206")
