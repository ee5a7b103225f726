"""A web site on 127.0.0.1 for the tests that fetch pages and feeds (ingest, publish's verify)."""

from __future__ import annotations

import ssl
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class Site:
    """A site on 127.0.0.1 (https with `tls`: a certificate from a CA the client does not know).

    pages: path -> (content type, body as str or bytes); `on_get(path)` is called before each answer;
    hits counts the GETs per path."""

    def __init__(self, tls: bool = False) -> None:
        self.pages: dict[str, tuple[str, str | bytes]] = {}
        self.hits: Counter[str] = Counter()
        self.on_get = lambda path: None
        self.serve_with: dict = {}
        """path -> function(handler) answering it itself (a slow answer)."""
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
                site.hits[self.path] += 1
                site.on_get(self.path)
                if self.path in site.serve_with:
                    site.serve_with[self.path](self)
                    return
                found = site.pages.get(self.path)
                if found is None:
                    self.send_error(404)
                    return
                kind, text = found
                body = text.encode("utf-8") if isinstance(text, str) else text
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        scheme = "http"
        if tls:
            trustme = pytest.importorskip("trustme")
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            trustme.CA().issue_cert("127.0.0.1").configure_cert(context)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        self.url = f"{scheme}://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def add(self, path: str, kind: str, body: str | bytes) -> str:
        self.pages[path] = (kind, body)
        return self.url + path

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
