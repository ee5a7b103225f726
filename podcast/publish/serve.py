"""`podcast serve`: a static file server that answers HEAD and byte ranges (206), as podcast apps need.

Python's `http.server` ignores `Range`, so players cannot seek and Apple's checks fail. This
subclass adds single byte ranges (RFC 9110 §14): `bytes=a-b`, `bytes=a-`, `bytes=-n`, with
`If-Range` honoured; other or multiple ranges get the whole file (200), as the RFC allows.
"""

from __future__ import annotations

import email.utils
import logging
import os
import re
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..errors import InputError, OutputError

log = logging.getLogger(__name__)

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


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
        path = self.translate_path(self.path)
        if os.path.isdir(path) or "Range" not in self.headers:
            return super().send_head()
        try:
            fh = open(path, "rb")
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        try:
            stat = os.fstat(fh.fileno())
            size = stat.st_size
            modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
            wanted = self._range(size, modified)
            if wanted is None:  # not a range we serve partially: the whole file
                fh.close()
                return super().send_head()
            if wanted == "unsatisfiable":
                fh.close()
                self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            start, end = wanted
            fh.seek(start)
            self.send_response(HTTPStatus.PARTIAL_CONTENT)
            self.send_header("Content-Type", self.guess_type(path))
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
            self.send_header("Content-Length", str(end - start + 1))
            self.send_header("Last-Modified", modified)
            self.end_headers()
            return _Slice(fh, end - start + 1)
        except Exception:
            fh.close()
            raise

    def _range(self, size: int, modified: str):
        """(first, last) byte to send, 'unsatisfiable', or None to send everything."""
        if_range = self.headers.get("If-Range")
        if if_range and if_range.strip() != modified:
            return None
        match = _RANGE.match(self.headers["Range"].strip())
        if not match or match.group(1) == match.group(2) == "":
            return None
        first, last = match.groups()
        if first == "":  # suffix: the last n bytes
            n = int(last)
            if n == 0:
                return "unsatisfiable"
            return max(0, size - n), size - 1
        start = int(first)
        end = size - 1 if last == "" else min(int(last), size - 1)
        if start >= size or (last != "" and int(last) < start):
            return "unsatisfiable"
        return start, end

    def end_headers(self):
        self.send_header("Accept-Ranges", "bytes")
        # Previews must show the files just rendered, not a cached copy.
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:
        log.info("%s %s", self.address_string(), format % args)


def make_server(folder: str | Path, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """A ready (bound) server for `folder`; call serve_forever() on it."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError("no such folder to serve", path=folder)
    handler = partial(RangeRequestHandler, directory=str(folder))
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        raise OutputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    server.daemon_threads = True
    return server


def server_url(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    host = host.decode() if isinstance(host, bytes) else host
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    return f"http://{shown}:{port}/"
