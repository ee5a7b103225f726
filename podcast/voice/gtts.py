"""Google Translate's voice: gTTS builds the requests, we send them (pooled, verified, retried).

gTTS knows Google's private batchexecute protocol; we keep that knowledge (`gTTS.get_bodies()`
and the `jQ1olc` answer format) and replace its transport, which posts with verification off,
opens a connection per request, and fails a whole book on one refusal.
"""

from __future__ import annotations

import base64
import contextlib
import email.utils
import functools
import logging
import os
import random
import re
import socket
import ssl
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..errors import EngineError
from ..options import Option
from ..types import Clip
from .engine import Engine

log = logging.getLogger(__name__)

URL_ENV = "PODCAST_GTTS_URL"
PROBE_TIMEOUT = 3.0
PROBE_DEADLINE = 10.0
"""The longest the availability probe takes, however slowly an answer trickles in."""
RETRY_STATUS = frozenset({408, 429, 500, 502, 503, 504})
_AUDIO_RE = re.compile(r'jQ1olc","\[\\"(.*?)\\"]')
WHAT_TO_DO = "retry later, lower --jobs, or use --engine espeak (offline)"
POOL_SIZE = 32
"""Connections kept for reuse: the most --jobs allows; they open only as workers need them."""
MAX_ANSWER_BYTES = 8 * 1024 * 1024
"""The largest answer read: a 100-character chunk's MP3 answer is about 40 KB."""


@dataclass(frozen=True)
class RetryPolicy:
    """How hard we try before telling the user Google is not answering."""

    attempts: int = 6
    """Tries per request, the first included."""
    base_delay: float = 1.0
    """First backoff wait (seconds); it doubles on each retry, with jitter."""
    max_delay: float = 30.0
    """Longest single wait, also the most of a Retry-After we accept before giving up."""
    total: float = 120.0
    """No new try starts once this much time has passed since a request's first try."""
    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    """Longest wait for any one read (the timeouts apply to each socket operation, not to the whole)."""
    deadline: float = 60.0
    """Longest one try may take from connecting to the answer's last byte: a trickling answer is cut there."""


DEFAULT_RETRY = RetryPolicy()


def endpoint_url(tld: str = "com") -> str:
    """Google's batchexecute endpoint, or `PODCAST_GTTS_URL` (proxies, tests)."""
    override = os.environ.get(URL_ENV)
    if override:
        return override
    from gtts.utils import _translate_url

    return _translate_url(tld=tld, path="_/TranslateWebserverUi/data/batchexecute")


def request_bodies(text: str, *, language: str = "fr", tld: str = "com", slow: bool = False) -> list[str]:
    """The exact form bodies gTTS would post for `text` (one per 100 characters; [] if unspeakable)."""
    from gtts import gTTS

    # No pre-processors: gTTS's are English (abbreviations); our French front end ran already.
    tts = gTTS(text, lang=language, tld=tld, slow=slow, lang_check=False, pre_processor_funcs=[])
    try:
        return tts.get_bodies()
    except AssertionError:  # gTTS asserts when only punctuation or spaces remain
        return []


def parse_audio(payload: str) -> bytes:
    """Extract the MP3 from a batchexecute answer, as gTTS does; EngineError when absent."""
    for line in payload.splitlines():
        if "jQ1olc" in line:
            found = _AUDIO_RE.search(line)
            if found:
                try:
                    data = base64.b64decode(found.group(1).encode("ascii"), validate=True)
                except (ValueError, UnicodeEncodeError):
                    break
                if _looks_like_mp3(data):
                    return data
            break
    raise EngineError("Google answered without audio (garbled or unexpected response)")


def _looks_like_mp3(data: bytes) -> bool:
    return len(data) > 4 and (data[:3] == b"ID3" or (data[0] == 0xFF and data[1] & 0xE0 == 0xE0))


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class _Retryable(Exception):
    """One failed try worth another, with what to tell the user if tries run out."""

    def __init__(self, cause: str, wait: float | None = None):
        super().__init__(cause)
        self.cause = cause
        self.wait = wait


class GttsEngine(Engine):
    """Google Translate text-to-speech through gTTS's request format."""

    name = "gtts"
    description = "Google Translate voice via gTTS (online)"
    online = True
    max_chars = 100
    languages = ("fr",)
    parallel = True
    options = (
        # The tld becomes part of a host name: letters and one dot only (com, fr, ca, com.au).
        Option(
            "tld",
            str,
            "com",
            "accent, by Google domain: com, fr, ca...",
            pattern=r"[a-z]{2,3}(\.[a-z]{2,3})?",
            pattern_help="a Google domain ending such as com, fr or ca",
            metavar="DOMAIN",
        ),
        Option("slow", bool, False, "slower reading"),
    )

    def __init__(
        self, options: Mapping[str, object] | None = None, language: str = "fr", retry: RetryPolicy | None = None
    ):
        super().__init__(options, language)
        import requests
        from gtts import gTTS

        self._requests = requests
        self.retry = retry or DEFAULT_RETRY
        self._url = endpoint_url(str(self.settings["tld"]))
        self._host = urlsplit(self._url).netloc or self._url
        self._headers = dict(gTTS.GOOGLE_TTS_HEADERS)
        # One connection pool shared by every worker thread; a Session per thread because
        # requests does not promise a Session is thread-safe, while urllib3's pool is.
        self._adapter = _watched_adapter()(pool_connections=2, pool_maxsize=POOL_SIZE, max_retries=0)
        self._local = threading.local()
        self._sessions: list = []
        self._lock = threading.Condition()
        self._hold_until = 0.0  # a Retry-After pauses every worker, not just the refused one
        self._gave_up: EngineError | None = None  # sticky: once Google has won, every worker stops

    @classmethod
    def availability(cls) -> tuple[bool, str]:
        import requests

        url = endpoint_url()
        host = urlsplit(url).netloc or url
        with requests.Session() as session, _deadline(PROBE_DEADLINE) as watch:
            adapter = _watched_adapter()(max_retries=0)
            session.mount("https://", adapter)
            session.mount("http://", adapter)
            try:
                session.head(url, timeout=PROBE_TIMEOUT, allow_redirects=False)
            except (requests.RequestException, OSError) as exc:  # OSError: REQUESTS_CA_BUNDLE names no file
                untrusted = _untrusted(exc)
                if untrusted:
                    return False, _untrusted_message(host, untrusted)
                if watch.expired:
                    return False, f"no answer from {host} within {PROBE_DEADLINE:.0f} s"
                return False, f"cannot reach {host} ({_reason(exc)})"
        return True, ""

    @classmethod
    def voices(cls) -> list[str]:
        return ["fr (--tld com)", "fr (--tld fr)", "fr (--tld ca)", "add --slow for slower reading"]

    @property
    def voice_name(self) -> str:
        return f"fr-{self.settings['tld']}" + ("-slow" if self.settings["slow"] else "")

    def cache_identity(self) -> dict:
        return {**super().cache_identity(), "tld": self.settings["tld"], "slow": self.settings["slow"]}

    def _session(self):
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._requests.Session()
            session.headers.update(self._headers)
            session.mount("https://", self._adapter)
            session.mount("http://", self._adapter)
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def close(self) -> None:
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()
        self._adapter.close()

    def synthesize(self, text: str) -> Clip:
        bodies = request_bodies(
            text, language=self.language, tld=str(self.settings["tld"]), slow=bool(self.settings["slow"])
        )
        if not bodies:  # nothing speakable: a breath of silence keeps the timeline honest
            return Clip(b"\0\0" * 2400, "pcm", 24000, 2, 1)
        # Longer texts take several requests; MP3 frames concatenate into one stream.
        return Clip(b"".join(self._post(body) for body in bodies), "mp3")

    def _post(self, body: str) -> bytes:
        started = time.monotonic()
        policy = self.retry
        cause = ""
        for attempt in range(1, policy.attempts + 1):
            self._wait_turn()
            try:
                return self._try(body)
            except _Retryable as exc:
                cause = exc.cause
                elapsed = time.monotonic() - started
                if attempt == policy.attempts:
                    break
                backoff = min(policy.max_delay, policy.base_delay * 2 ** (attempt - 1))
                delay = backoff / 2 + random.uniform(0, backoff / 2)
                if exc.wait is not None:
                    if exc.wait > policy.max_delay or elapsed + exc.wait > policy.total:
                        cause += f", and asked us to wait {exc.wait:.0f} s"
                        break
                    delay = max(delay, exc.wait)
                    with self._lock:
                        self._hold_until = max(self._hold_until, time.monotonic() + delay)
                if elapsed + delay > policy.total:
                    break
                log.info("gtts: %s; try %d/%d in %.1f s", cause, attempt + 1, policy.attempts, delay)
                self._sleep(delay)
        error = EngineError(
            f"Google TTS ({self._host}) kept failing: {cause} after {attempt} tries "
            f"over {time.monotonic() - started:.0f} s; {WHAT_TO_DO}"
        )
        self._give_up(error)
        raise error

    def _try(self, body: str) -> bytes:
        with _deadline(self.retry.deadline) as watch:
            return self._exchange(body, watch)

    def _exchange(self, body: str, watch: _Watch) -> bytes:
        requests = self._requests
        timeout = (self.retry.connect_timeout, self.retry.read_timeout)
        try:
            # verify stays at requests' default (on): REQUESTS_CA_BUNDLE and proxies still apply.
            # No redirect is followed: a 307 would re-send the article's text wherever it points.
            response = self._session().post(self._url, data=body, timeout=timeout, allow_redirects=False, stream=True)
        except (requests.RequestException, OSError) as exc:  # OSError: REQUESTS_CA_BUNDLE names no file
            raise self._failure(exc, watch) from exc
        try:
            return self._answer(response, watch)
        except (requests.RequestException, OSError) as exc:
            raise self._failure(exc, watch) from exc
        finally:
            response.close()

    def _failure(self, exc: BaseException, watch: _Watch) -> Exception:
        """What a failed try means: an untrusted certificate gives up at once; the rest is retried."""
        requests = self._requests
        untrusted = _untrusted(exc)
        if untrusted:
            error = EngineError(_untrusted_message(self._host, untrusted))
            self._give_up(error)
            return error
        if watch.expired:
            return _Retryable(f"no complete answer within {self.retry.deadline:.0f} s")
        if isinstance(exc, requests.exceptions.Timeout):
            return _Retryable(f"timed out ({type(exc).__name__})")
        if isinstance(exc, requests.exceptions.ConnectionError):
            return _Retryable(f"cannot reach it ({_reason(exc)})")
        return _Retryable(f"request failed ({type(exc).__name__})")

    def _answer(self, response, watch: _Watch) -> bytes:
        status = response.status_code
        if 300 <= status < 400:
            where = response.headers.get("Location", "")
            error = EngineError(
                f"Google TTS ({self._host}) answered with a redirect (HTTP {status} to {where[:100]!r}), "
                f"which is not followed (it would send the text elsewhere); {WHAT_TO_DO}"
            )
            self._give_up(error)
            raise error
        if status in RETRY_STATUS:
            raise _Retryable(
                f"HTTP {status} {response.reason or ''}".rstrip(), _retry_after(response.headers.get("Retry-After"))
            )
        if status >= 400:
            error = EngineError(
                f"Google TTS ({self._host}) refused the request: HTTP {status} {response.reason or ''}; {WHAT_TO_DO}"
            )
            self._give_up(error)
            raise error
        content = self._read_capped(response)
        if watch.expired:  # an answer without a length ends where the deadline shut its connection
            raise _Retryable(f"no complete answer within {self.retry.deadline:.0f} s")
        try:
            # The answer is ASCII JSON: decoding it directly spares requests its charset guessing.
            return parse_audio(content.decode("utf-8", "replace"))
        except EngineError as exc:
            raise _Retryable("answer without audio (garbled)") from exc

    def _read_capped(self, response) -> bytes:
        """The answer's bytes, refusing (before reading them) more than MAX_ANSWER_BYTES."""
        declared = response.headers.get("Content-Length", "")
        parts: list[bytes] = []
        size = int(declared) if declared.isdigit() and len(declared) < 20 else 0
        if size <= MAX_ANSWER_BYTES:
            size = 0
            for part in response.iter_content(64 * 1024):
                parts.append(part)
                size += len(part)
                if size > MAX_ANSWER_BYTES:
                    break
        if size > MAX_ANSWER_BYTES:
            error = EngineError(
                f"Google TTS ({self._host}) sent an answer over {MAX_ANSWER_BYTES // (1024 * 1024)} MB "
                f"(an answer is about 40 KB); {WHAT_TO_DO}"
            )
            self._give_up(error)
            raise error
        return b"".join(parts)

    def _wait_turn(self) -> None:
        """Honour a pause another worker was told to take; stop if the render has failed."""
        while True:
            self._check_abandoned()
            delay = self._hold_until - time.monotonic()
            if delay <= 0:
                return
            self._sleep(delay)

    def _sleep(self, delay: float) -> None:
        with self._lock:
            self._lock.wait_for(lambda: self._gave_up is not None, timeout=delay)
        self._check_abandoned()

    def _check_abandoned(self) -> None:
        # Once one request has given up the render fails: the others stop at once, with its reason.
        if self._gave_up is not None:
            raise EngineError(str(self._gave_up))

    def cancel(self) -> None:
        # Requests in flight are abandoned by the synthesis threads; waits and retries stop here.
        self._give_up(EngineError("cancelled"))

    def _give_up(self, error: EngineError) -> None:
        with self._lock:
            if self._gave_up is None:
                self._gave_up = error
            self._lock.notify_all()


class _Watch:
    """One try's connections, which its deadline shuts: each socket read has its own timeout, but
    an answer trickling a byte at a time never trips one."""

    def __init__(self) -> None:
        self.connections: list = []
        self.expired = False

    def expire(self) -> None:
        self.expired = True
        for connection in list(self.connections):
            sock = getattr(connection, "sock", None)
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)  # the blocked read returns at once, as a closed connection
                except OSError:
                    pass


_watching = threading.local()
"""The current try's `_Watch`, per synthesis thread."""


@contextlib.contextmanager
def _deadline(seconds: float):
    """Within the block, this thread's requests are cut (their sockets shut) after `seconds`."""
    watch = _Watch()
    _watching.current = watch
    timer = threading.Timer(seconds, watch.expire)
    timer.daemon = True
    timer.start()
    try:
        yield watch
    finally:
        timer.cancel()
        _watching.current = None


def _watch(connection) -> None:
    watch = getattr(_watching, "current", None)
    if watch is not None and connection not in watch.connections:
        watch.connections.append(connection)


@functools.cache
def _watched_adapter() -> type:
    """requests' HTTPAdapter whose connections report to the current try's `_Watch` (built on first use:
    importing this module does not import requests)."""
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
    from urllib3.poolmanager import ProxyManager

    def watched(base: type) -> type:
        class Watched(base):
            def connect(self):
                _watch(self)
                return super().connect()

            def request(self, *args, **kwargs):
                _watch(self)
                return super().request(*args, **kwargs)

        return Watched

    class WatchedHTTPPool(HTTPConnectionPool):
        ConnectionCls = watched(HTTPConnection)

    class WatchedHTTPSPool(HTTPSConnectionPool):
        ConnectionCls = watched(HTTPSConnection)

    pools = {"http": WatchedHTTPPool, "https": WatchedHTTPSPool}

    class WatchedAdapter(HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = pools

        def proxy_manager_for(self, proxy, **kwargs):
            manager = super().proxy_manager_for(proxy, **kwargs)
            if isinstance(manager, ProxyManager):  # not SOCKS, whose pools are its own
                manager.pool_classes_by_scheme = pools
            return manager

    return WatchedAdapter


_TRUST_MARKERS = (
    "CERTIFICATE_VERIFY_FAILED",
    "NO_CERTIFICATE_OR_CRL_FOUND",
    "certificate verify failed",
    "CA certificate bundle",
)


def _untrusted(exc: BaseException) -> str | None:
    """Why TLS refused the server's certificate, or None when `exc` is not that.

    requests wraps the ssl module's error in urllib3's, in MaxRetryError, in its own SSLError or
    ConnectionError (behind a proxy: ProxyError), so the whole chain is searched.
    """
    seen: set[int] = set()
    stack: list[object] = [exc]
    while stack:
        error = stack.pop()
        if not isinstance(error, BaseException) or id(error) in seen:
            continue
        seen.add(id(error))
        if isinstance(error, ssl.SSLCertVerificationError):
            return "CERTIFICATE_VERIFY_FAILED"
        text = str(error)
        for marker in _TRUST_MARKERS:
            if marker in text:
                return "no usable CA file" if marker == "CA certificate bundle" else marker
        stack.extend([error.__cause__, error.__context__, getattr(error, "reason", None), *error.args])
    return None


def _untrusted_message(host: str, why: str) -> str:
    return (
        f"the TLS certificate of {host} is not trusted ({why}); behind a proxy that re-signs traffic, "
        "set REQUESTS_CA_BUNDLE to its CA file, or use --engine espeak"
    )


def _reason(exc: BaseException) -> str:
    """The innermost cause of a requests error, short (e.g. 'CERTIFICATE_VERIFY_FAILED')."""
    text = str(exc)
    for marker in (
        "CERTIFICATE_VERIFY_FAILED",
        "Connection refused",
        "RemoteDisconnected",
        "Connection reset",
        "Name or service not known",
        "Temporary failure in name resolution",
        "timed out",
    ):
        if marker in text:
            return marker
    return type(exc).__name__
