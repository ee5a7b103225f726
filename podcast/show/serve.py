"""`podcast serve`: a static file server that answers HEAD and byte ranges (206), as podcast apps need.

Python's `http.server` ignores `Range`, so players cannot seek and Apple's checks fail. This
subclass adds single byte ranges (RFC 9110 §14): `bytes=a-b`, `bytes=a-`, `bytes=-n`, with
`If-Range` honoured; other or multiple ranges get the whole file (200), as the RFC allows.
It also validates caches (ETag, Last-Modified, 304), stays inside the folder (symlinks
included), drops idle connections, and answers malformed requests with 400 or 416.
"""

from __future__ import annotations

import contextlib
import email.utils
import logging
import os
import re
import socket
import stat
import sys
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import InputError, OutputError
from ..options import Option

log = logging.getLogger(__name__)

HOST = Option(
    "host",
    str,
    "127.0.0.1",
    "Address to listen on; 0.0.0.0 lets podcast apps on the same network in.",
    metavar="ADDRESS",
)
PORT = Option("port", int, 8000, "TCP port.", min=0, max=65535, metavar="PORT")
OPTIONS = (HOST, PORT)
"""`podcast serve`'s options, declared once (the CLI builds its flags from them)."""
IDLE_TIMEOUT = 30.0
"""Seconds a connection may stay silent (between or inside requests) before it is closed."""

_RANGE = re.compile(r"bytes=([0-9]*)-([0-9]*)", re.ASCII)
_HUGE = sys.maxsize  # a byte offset with more digits than any file has bytes
_WILDCARDS = ("0.0.0.0", "::", "")


def _offset(digits: str) -> int:
    # int() refuses more than 4300 digits (CVE-2020-10735); no file is that big anyway.
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) <= 18 else _HUGE


class _Slice:
    """A read-only view of `length` bytes of an open file, for copyfile()."""

    def __init__(self, fh, length: int):
        self.fh, self.left = fh, length

    def read(self, size: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        size = self.left if size < 0 else min(size, self.left)
        data = self.fh.read(size)
        self.left -= len(data)
        return data

    def close(self) -> None:
        self.fh.close()


class RangeRequestHandler(SimpleHTTPRequestHandler):
    """Static files with Accept-Ranges, 206 partial content and 416; no directory listings."""

    server_version = "podcast-serve"
    protocol_version = "HTTP/1.1"  # keep-alive: players seek with many small range requests
    timeout = IDLE_TIMEOUT  # StreamRequestHandler puts it on the socket: every read may wait this long
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".mp3": "audio/mpeg",
        ".vtt": "text/vtt; charset=utf-8",
        ".srt": "application/x-subrip; charset=utf-8",
        ".json": "application/json",
        ".xml": "application/rss+xml; charset=utf-8",
        ".html": "text/html; charset=utf-8",
    }

    def list_directory(self, path):
        self.send_error(HTTPStatus.NOT_FOUND, "No index here")
        return None

    def send_head(self):
        path = self._local_file()
        if path is None:
            return None
        try:
            fh = open(path, "rb")
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        try:
            return self._send_file_head(fh, path)
        except Exception:
            fh.close()
            raise

    def _local_file(self) -> str | None:
        """The regular file inside the folder that the URL names, or None once an error is sent."""
        try:
            path = self.translate_path(self.path)
            if "\0" in path:
                raise ValueError("NUL in path")
            root = os.path.realpath(self.directory)
            if os.path.isdir(path):
                if not urlsplit(self.path).path.endswith("/"):
                    # As http.server does: a folder's URL ends with a slash, so relative links work.
                    parts = urlsplit(self.path)
                    self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                    self.send_header("Location", parts._replace(path=parts.path + "/").geturl())
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                path = os.path.join(path, "index.html")
            elif urlsplit(self.path).path.endswith("/"):
                raise OSError("a file's URL has no trailing slash")  # as http.server: 404
            real = os.path.realpath(path)
            # A symlink may point anywhere: only what really lies inside the folder is served.
            inside = real == root or real.startswith(root.rstrip(os.sep) + os.sep)
            regular = inside and stat.S_ISREG(os.stat(real).st_mode)  # no FIFOs, devices or folders
        except ValueError:  # NUL byte, lone surrogate from a bad %-escape
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad path")
            return None
        except OSError:
            regular = False
        if not regular:
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        return real

    def _send_file_head(self, fh, path: str):
        info = os.fstat(fh.fileno())
        size = info.st_size
        modified = email.utils.formatdate(info.st_mtime, usegmt=True)
        etag = f'"{size:x}-{info.st_mtime_ns:x}"'
        if self._not_modified(etag, int(info.st_mtime)):
            fh.close()
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", modified)
            self.end_headers()
            return None
        wanted = self._range(size, etag, modified) if "Range" in self.headers else None
        if wanted == "unsatisfiable":
            fh.close()
            self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if wanted is None:
            self.send_response(HTTPStatus.OK)
            start, end = 0, size - 1
        else:
            start, end = wanted
            fh.seek(start)
            self.send_response(HTTPStatus.PARTIAL_CONTENT)
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Last-Modified", modified)
        self.send_header("ETag", etag)
        self.end_headers()
        return _Slice(fh, end - start + 1)

    def _not_modified(self, etag: str, mtime: int) -> bool:
        """Whether the client's copy is current (RFC 9110 §13.1.2-3: If-None-Match wins)."""
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
            return "*" in tags or etag in tags
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                when = email.utils.parsedate_to_datetime(since)
            except (TypeError, ValueError, IndexError, OverflowError):
                return False  # an unreadable date is ignored, as the RFC says
            return when.tzinfo is not None and mtime <= when.timestamp()
        return False

    def _range(self, size: int, etag: str, modified: str):
        """(first, last) byte to send, 'unsatisfiable', or None to send everything."""
        if_range = self.headers.get("If-Range")
        if if_range and if_range.strip() not in (etag, modified):
            return None
        match = _RANGE.fullmatch(self.headers["Range"].strip())
        if not match or match.group(1) == match.group(2) == "":
            return None
        first, last = match.groups()
        if first == "":  # suffix: the last n bytes
            n = _offset(last)
            if n == 0 or size == 0:
                return "unsatisfiable"
            return max(0, size - n), size - 1
        start = _offset(first)
        if start >= size or (last != "" and _offset(last) < start):
            return "unsatisfiable"
        end = size - 1 if last == "" else min(_offset(last), size - 1)
        return start, end

    def end_headers(self):
        self.send_header("Accept-Ranges", "bytes")
        # Previews must show the files just rendered: a cache asks again (ETag makes that cheap).
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:
        log.info("%s %s", self.address_string(), format % args)


class _Server(ThreadingHTTPServer):
    """One thread per connection, so idle ones cannot hold others up; errors in one line."""

    daemon_threads = True
    request_queue_size = 128  # a burst of connections (a player opening many) is not refused

    def handle_error(self, request, client_address) -> None:
        # socketserver prints a full traceback for every failed request; a client that hangs up
        # mid-file is normal, and anything else still deserves one line, not twenty.
        exc = sys.exc_info()[1]
        host = client_address[0] if client_address else "?"
        if isinstance(exc, (ConnectionError, TimeoutError)):
            log.debug("%s went away (%s)", host, type(exc).__name__)
        else:
            log.warning("%s: request failed: %s: %s", host, type(exc).__name__, exc)


def make_server(
    folder: str | Path, host: str = HOST.default, port: int = PORT.default, *, timeout: float = IDLE_TIMEOUT
) -> ThreadingHTTPServer:
    """A ready (bound) server for `folder`; call serve_forever() on it.

    `timeout`: seconds a connection may stay silent before the server closes it.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError("no such folder to serve", path=folder)
    handler_class = type("Handler", (RangeRequestHandler,), {"timeout": timeout})
    handler = partial(handler_class, directory=str(folder))
    # An IPv6 address (`::`, `::1`) needs an IPv6 socket; `::` also takes IPv4 on Linux.
    server_class = type("Server6", (_Server,), {"address_family": socket.AF_INET6}) if ":" in host else _Server
    try:
        server = server_class((host, port), handler)
    except OSError as exc:
        raise OutputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return server


def server_url(server: ThreadingHTTPServer) -> str:
    """The URL to open: localhost for the loopback, the LAN address for all interfaces."""
    host, port = server.server_address[:2]
    host = host.decode() if isinstance(host, (bytes, bytearray)) else str(host)
    if host in ("127.0.0.1", "::1"):
        shown = "localhost"
    elif host in _WILDCARDS:
        shown = lan_address()  # 0.0.0.0 is no address a phone can open
    else:
        shown = host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def lan_address() -> str:
    """This machine's address on its local network, found without sending anything.

    Connecting a UDP socket only chooses the route (no packet leaves); the address the system
    picks for a private destination is the LAN one. Without a route: the host name.
    """
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("10.255.255.254", 9))
        address = probe.getsockname()[0]
        if address and not address.startswith("127.") and address != "0.0.0.0":
            return address
    return socket.gethostname()
