"""A local stand-in for Google Translate's batchexecute endpoint, with fault injection.

It decodes the real `f.req` form body that gTTS builds, speaks the requested text with the
embedded espeak-ng voice, encodes it to MP3 with the bundled ffmpeg, and answers in the
batchexecute framing gTTS parses (the `jQ1olc` line carrying base64 MP3). Faults are injected
per request: latency, 429 with Retry-After, 500/503, timeouts, dropped connections, garbled bodies,
400/403 (refusals that must not be retried), and hostile answers: a good answer trickled a byte
at a time ("trickle"), a huge body with its length declared ("huge") or without ("endless"), and
a 307 redirect to plain http ("redirect"; a client that follows re-posts to /elsewhere, logged).

Use it through the `fake_google` fixture (tests/conftest.py):

    fake_google.fail_next("429", "drop")        # the next two requests fail that way
    fake_google.fail_text("Bonjour", "500")     # the first request for a text containing 'Bonjour'
    fake_google.down = "503"                    # every request fails until set to None
    fake_google.latency = 0.3                   # seconds before each answer
    fake_google.texts()                         # texts requested with a good answer, in order
    fake_google.log                             # every request: text, outcome, client port, times
"""

from __future__ import annotations

import base64
import contextlib
import json
import socket
import ssl
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

FAULTS = (
    "429",
    "500",
    "503",
    "timeout",
    "drop",
    "garble",
    "html",
    "400",
    "403",
    "trickle",
    "huge",
    "endless",
    "redirect",
)

_audio_cache: dict[tuple[str, str, bool], bytes] = {}
_audio_lock = threading.Lock()


def mp3_for(text: str, lang: str = "fr", slow: bool = False) -> bytes:
    """The MP3 the fake answers for `text`: espeak-ng speech, 24 kHz mono like Google's (cached)."""
    key = (text, lang, slow)
    with _audio_lock:
        if key in _audio_cache:
            return _audio_cache[key]
    from podcast.sound.ffmpeg import ffmpeg_exe
    from podcast.voice.espeak import EspeakEngine

    audio = EspeakEngine({"rate": 110 if slow else 170}).synthesize(text)
    proc = subprocess.run(
        [
            ffmpeg_exe(),
            "-hide_banner",
            "-v",
            "error",
            "-f",
            "s16le",
            "-ar",
            str(audio.sample_rate),
            "-ac",
            "1",
            "-i",
            "pipe:0",
            "-ar",
            "24000",
            "-c:a",
            "libmp3lame",
            "-b:a",
            "32k",
            "-f",
            "mp3",
            "pipe:1",
        ],
        input=audio.data,
        capture_output=True,
        check=True,
    )
    with _audio_lock:
        _audio_cache[key] = proc.stdout
    return proc.stdout


def batchexecute_answer(mp3: bytes) -> str:
    """The framing Google uses: an anti-JSON prefix, then length-prefixed JSON envelopes."""
    inner = json.dumps([base64.b64encode(mp3).decode("ascii")])
    first = json.dumps(
        [
            ["wrb.fr", "jQ1olc", inner, None, None, None, "generic"],
            ["di", 42],
            ["af.httprm", 41, "-1234567890123456789", 7],
        ],
        separators=(",", ":"),
    )
    second = json.dumps([["e", 4, None, None, len(first) + 40]], separators=(",", ":"))
    return f")]}}'\n\n{len(first)}\n{first}\n{len(second)}\n{second}\n"


def decode_request(body: str) -> tuple[str, str, bool]:
    """(text, lang, slow) from the `f.req` form field gTTS builds."""
    freq = parse_qs(body)["f.req"][0]
    rpc = json.loads(freq)
    name, params = rpc[0][0][0], rpc[0][0][1]
    if name != "jQ1olc":
        raise ValueError(f"unknown rpc {name}")
    text, lang, speed, _ = json.loads(params)
    return text, lang, bool(speed)


@dataclass
class Request:
    """One request as the fake saw it."""

    method: str
    text: str | None
    lang: str | None
    slow: bool
    outcome: str
    """'ok', a fault name, or 'bad-request'."""
    client_port: int
    started: float
    finished: float = 0.0
    headers: dict = field(default_factory=dict)
    path: str = ""
    sent: int = 0
    """Body bytes written (for the hostile answers: how much the client took before leaving)."""


class FakeGoogle:
    """The server and its controls; start() binds 127.0.0.1 on a free port."""

    def __init__(self, tls: ssl.SSLContext | None = None):
        self.latency = 0.0
        self.delays: dict[str, float] = {}
        """Extra latency for requests whose text contains the key."""
        self.retry_after: str | None = "1"
        """Retry-After header sent with 429 (None: no header)."""
        self.timeout_sleep = 3.0
        """How long a 'timeout' fault holds the request before giving up on it."""
        self.trickle_interval = 0.5
        """Seconds between the bytes of a 'trickle' answer (each read sees data long before a timeout)."""
        self.huge_bytes = 300 * 1024 * 1024
        """Size of a 'huge' or 'endless' answer."""
        self.redirect_to: str | None = None
        self.head_trickle = False
        """The availability probe (HEAD) gets its answer a byte every `trickle_interval`."""
        """Where a 'redirect' points (None: this fake's /elsewhere over plain http)."""
        self.down: str | None = None
        """A fault every request gets while set ('stay down')."""
        self.log: list[Request] = []
        self._queue: list[str] = []
        self._by_text: list[tuple[str, list[str]]] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._tls = tls
        self.server: ThreadingHTTPServer | None = None
        self.url = ""

    # --- controls -------------------------------------------------------------------------
    def fail_next(self, *faults: str) -> None:
        """The next len(faults) requests fail with these faults, in order."""
        _check(faults)
        with self._lock:
            self._queue.extend(faults)

    def fail_text(self, fragment: str, *faults: str) -> None:
        """The next requests for a text containing `fragment` fail with these faults, in order."""
        _check(faults)
        with self._lock:
            self._by_text.append((fragment, list(faults)))

    def texts(self, outcome: str = "ok") -> list[str]:
        """Texts of the requests with this outcome, in arrival order."""
        with self._lock:
            return [r.text for r in self.log if r.outcome == outcome and r.text is not None]

    def posts(self) -> list[Request]:
        with self._lock:
            return [r for r in self.log if r.method == "POST"]

    def reset(self) -> None:
        with self._lock:
            self.log.clear()
            self._queue.clear()
            self._by_text.clear()
        self.down = None
        self.latency = 0.0
        self.delays.clear()

    def _fault_for(self, text: str | None) -> str | None:
        with self._lock:
            if self.down:
                return self.down
            if text is not None:
                for fragment, faults in self._by_text:
                    if fragment in text and faults:
                        return faults.pop(0)
            if self._queue:
                return self._queue.pop(0)
        return None

    # --- life cycle -----------------------------------------------------------------------
    def start(self) -> FakeGoogle:
        fake = self

        class Handler(_Handler):
            owner = fake

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        if self._tls is not None:
            # Handshake in the handler thread, so a refused client cannot stall accept().
            self.server.socket = self._tls.wrap_socket(
                self.server.socket, server_side=True, do_handshake_on_connect=False
            )
        scheme = "https" if self._tls else "http"
        self.url = f"{scheme}://127.0.0.1:{self.server.server_address[1]}/_/TranslateWebserverUi/data/batchexecute"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-google", daemon=True
        ).start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def __enter__(self) -> FakeGoogle:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _check(faults) -> None:
    for fault in faults:
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r} (known: {', '.join(FAULTS)})")


class _QuietServer(ThreadingHTTPServer):
    """A client that hangs up (a cancelled or failed render abandons its requests) is normal here:
    socketserver would print a traceback to sys.stderr, which a CliRunner test may be capturing."""

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], (ConnectionError, ssl.SSLError, TimeoutError)):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    owner: FakeGoogle
    protocol_version = "HTTP/1.1"  # keep-alive, so connection reuse is visible in the log
    # TCP_NODELAY, as Google's front ends do: headers and body go out in two writes, and with
    # Nagle on, the body would wait for the client's delayed ACK (~40 ms) on a kept-alive connection.
    disable_nagle_algorithm = True

    def log_message(self, format, *args) -> None:  # quiet test output
        pass

    def do_HEAD(self) -> None:  # the availability probe
        entry = self._record("HEAD", None, None, False, "trickle" if self.owner.head_trickle else "ok")
        if self.owner.head_trickle:
            self.close_connection = True
            with contextlib.suppress(OSError):
                for byte in b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n":
                    if self.owner._stopping.wait(self.owner.trickle_interval):
                        break
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    entry.sent += 1
            entry.finished = time.monotonic()
            return
        entry.finished = time.monotonic()
        self.send_response(405)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self) -> None:
        fake = self.owner
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace")
        try:
            text, lang, slow = decode_request(body)
        except (KeyError, ValueError, IndexError, TypeError):
            entry = self._record("POST", None, None, False, "bad-request")
            self._send(400, b"bad request", "text/plain")
            entry.finished = time.monotonic()
            return
        fault = fake._fault_for(text) if self.path != "/elsewhere" else None
        entry = self._record("POST", text, lang, slow, fault or "ok")
        delay = fake.latency + sum(v for k, v in fake.delays.items() if k in text)
        if delay:
            fake._stopping.wait(delay)
        try:
            self._answer(fault, text, lang, slow, entry)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            self.close_connection = True  # the client gave up (a timeout fault): nothing to tell it
        entry.finished = time.monotonic()

    def _answer(self, fault: str | None, text: str, lang: str, slow: bool, entry: Request) -> None:
        fake = self.owner
        if fault == "redirect":
            port = self.server.server_address[1]
            where = fake.redirect_to or f"http://127.0.0.1:{port}/elsewhere"
            self._send(307, b"", "text/plain", {"Location": where})
            return
        if fault == "trickle":
            payload = batchexecute_answer(mp3_for(text, lang, slow)).encode()
            self._headers(200, "application/json; charset=utf-8", len(payload))
            for byte in payload:
                if fake._stopping.wait(fake.trickle_interval):
                    break
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                entry.sent += 1
            self.close_connection = True
            return
        if fault in ("huge", "endless"):
            self._headers(200, "application/json; charset=utf-8", fake.huge_bytes if fault == "huge" else None)
            block = b"A" * (1024 * 1024)
            while entry.sent < fake.huge_bytes and not fake._stopping.is_set():
                self.wfile.write(block)
                entry.sent += len(block)
            self.close_connection = True
            return
        if fault == "drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault == "timeout":
            fake._stopping.wait(fake.timeout_sleep)
            self.close_connection = True
            return
        if fault == "429":
            headers = {"Retry-After": fake.retry_after} if fake.retry_after else {}
            self._send(429, b"Too Many Requests", "text/plain", headers)
            return
        if fault in ("500", "503", "400", "403"):
            self._send(int(fault), b"Error", "text/plain")
            return
        if fault == "garble":
            good = batchexecute_answer(mp3_for(text, lang, slow)).encode()
            self._send(200, good[: len(good) // 3], "application/json; charset=utf-8")
            return
        if fault == "html":
            self._send(200, b"<html><body>Our systems have detected unusual traffic</body></html>", "text/html")
            return
        payload = batchexecute_answer(mp3_for(text, lang, slow)).encode()
        self._send(200, payload, "application/json; charset=utf-8")

    def _send(self, status: int, body: bytes, ctype: str, headers: dict | None = None) -> None:
        self._headers(status, ctype, len(body), headers)
        self.wfile.write(body)

    def _headers(self, status: int, ctype: str, length: int | None, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if length is None:  # the body ends when the connection closes
            self.send_header("Connection", "close")
        else:
            self.send_header("Content-Length", str(length))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()

    def _record(self, method, text, lang, slow, outcome) -> Request:
        entry = Request(
            method,
            text,
            lang,
            slow,
            outcome,
            self.client_address[1],
            time.monotonic(),
            headers=dict(self.headers),
            path=self.path,
        )
        with self.owner._lock:
            self.owner.log.append(entry)
        return entry
