"""`podcast serve` against hostile and careless clients: symlinks out of the folder, idle and
held-open connections, malformed paths and ranges, clients hanging up, cache validation, and the
URL printed for `--host 0.0.0.0`. Real servers on real sockets; the CLI where output matters."""

from __future__ import annotations

import email.utils
import http.client
import os
import queue
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from podcast.show.serve import make_server, server_url
from tests.support.hostile import cli_env

DATA = bytes(range(256)) * 40  # 10240 bytes, every offset distinguishable


@contextmanager
def serving(folder: Path, host: str = "127.0.0.1", **options):
    srv = make_server(folder, host, 0, **options)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()


@pytest.fixture
def site(tmp_path):
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "episode.mp3").write_bytes(DATA)
    (folder / "feed.xml").write_text("<rss/>", "utf-8")
    return folder


def get(port: int, path: str, headers: dict | None = None, method: str = "GET", host: str = "127.0.0.1"):
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


def test_symlinks_leading_out_of_the_folder_are_not_followed(site, tmp_path):
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "secret.txt").write_text("mot de passe", "utf-8")
    (site / "leak.txt").symlink_to(outside / "secret.txt")
    (site / "door").symlink_to(outside, target_is_directory=True)
    (site / "etc").symlink_to("/etc", target_is_directory=True)
    (site / "alias.mp3").symlink_to(site / "episode.mp3")  # a link that stays inside is fine
    with serving(site) as srv:
        port = srv.server_address[1]
        for path in ("/leak.txt", "/door/secret.txt", "/etc/hostname", "/etc/passwd"):
            for headers in ({}, {"Range": "bytes=0-3"}):
                response, body = get(port, path, headers)
                assert response.status == 404, (path, headers, response.status)
                assert b"mot de passe" not in body
        response, body = get(port, "/alias.mp3")
        assert response.status == 200 and body == DATA


@pytest.mark.slow
def test_idle_and_half_sent_requests_are_closed_and_300_held_open_block_nobody(site):
    """Each connection has a timeout; 300 sockets left open neither block a request nor stay forever."""
    with serving(site, timeout=1.0) as srv:
        port = srv.server_address[1]
        held = []
        try:
            for index in range(300):
                sock = socket.create_connection(("127.0.0.1", port), timeout=30)
                if index % 3 == 0:
                    sock.sendall(b"GET /episode.mp3 HTTP/1.1\r\nHost: x\r\n")  # never finished
                held.append(sock)
            response, body = get(port, "/feed.xml")
            assert response.status == 200 and body == b"<rss/>"
            for sock in held:
                # The server hangs up on its own (recv returns b"" at the close); only a hang
                # past the client's 30 s would fail here.
                reply = b""
                while chunk := sock.recv(65536):
                    reply += chunk
                assert b"200 OK" not in reply
        finally:
            for sock in held:
                sock.close()


@pytest.mark.parametrize("path", ["/%00", "/episode.mp3%00.txt", "/%ED%A0%80", "/a%00/b"])
def test_nul_and_undecodable_paths_are_answered_400_or_404(site, path):
    with serving(site) as srv:
        response, _ = get(srv.server_address[1], path)
        assert response.status in (400, 404), response.status


HUGE = "9" * 5000


@pytest.mark.parametrize(
    "header, status, first, last",
    [
        (f"bytes={HUGE}-", 416, None, None),
        (f"bytes={HUGE}-{HUGE}", 416, None, None),
        (f"bytes=0-{HUGE}", 206, 0, len(DATA) - 1),
        (f"bytes=-{HUGE}", 206, 0, len(DATA) - 1),
        (f"bytes={'0' * 5000}7-9", 206, 7, 9),
        ("bytes=12x-", 200, None, None),  # not a range: the whole file
    ],
    ids=["huge-start", "huge-both", "huge-end", "huge-suffix", "zero-padded", "not-a-range"],
)
def test_absurd_range_numbers_get_a_proper_answer(site, header, status, first, last):
    with serving(site) as srv:
        response, body = get(srv.server_address[1], "/episode.mp3", {"Range": header})
        assert response.status == status
        if status == 206:
            assert body == DATA[first : last + 1]
            assert response.getheader("Content-Range") == f"bytes {first}-{last}/{len(DATA)}"
        elif status == 416:
            assert response.getheader("Content-Range") == f"bytes */{len(DATA)}"
        else:
            assert body == DATA


def test_etag_and_last_modified_give_304(site):
    with serving(site) as srv:
        port = srv.server_address[1]
        first, body = get(port, "/episode.mp3")
        etag, modified = first.getheader("ETag"), first.getheader("Last-Modified")
        assert first.status == 200 and body == DATA and etag and etag.startswith('"') and modified
        for headers in (
            {"If-None-Match": etag},
            {"If-None-Match": f'"other", W/{etag}'},
            {"If-None-Match": "*"},
            {"If-Modified-Since": modified},
            {"If-None-Match": etag, "Range": "bytes=0-9"},
        ):
            response, body = get(port, "/episode.mp3", headers)
            assert response.status == 304 and body == b"", headers
            assert response.getheader("ETag") == etag
        # If-None-Match decides when both are given (RFC 9110 §13.2.2).
        response, body = get(port, "/episode.mp3", {"If-None-Match": '"other"', "If-Modified-Since": modified})
        assert response.status == 200 and body == DATA
        response, body = get(port, "/episode.mp3", {"Range": "bytes=0-9", "If-Range": etag})
        assert response.status == 206 and body == DATA[:10]
        # A new file is a new tag: the old one no longer matches.
        (site / "episode.mp3").write_bytes(DATA[::-1])
        os.utime(site / "episode.mp3", ns=(10**18, 10**18))
        response, body = get(port, "/episode.mp3", {"If-None-Match": etag})
        assert response.status == 200 and body == DATA[::-1]
        assert response.getheader("ETag") != etag
        response, body = get(port, "/episode.mp3", {"Range": "bytes=0-9", "If-Range": etag})
        assert response.status == 200 and body == DATA[::-1]
        response, _ = get(port, "/episode.mp3", {"If-Modified-Since": email.utils.formatdate(0, usegmt=True)})
        assert response.status == 200


@pytest.mark.parametrize("wildcard", ["0.0.0.0", "::"])
def test_all_interfaces_print_an_address_a_phone_can_open(site, wildcard):
    if wildcard == "::" and not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    with serving(site, wildcard) as srv:
        url = server_url(srv)
        host = urlsplit(url).hostname
        assert host not in ("0.0.0.0", "::", "localhost", "127.0.0.1"), url
        assert re.fullmatch(r"http://\S+:\d+/", url), url
        # The printed address reaches this very server.
        response, body = get(srv.server_address[1], "/feed.xml", host=host)
        assert response.status == 200 and body == b"<rss/>"


@pytest.mark.slow
def test_clients_hanging_up_mid_file_print_no_traceback(tmp_path):
    """A player that skips away resets its connection: at most one quiet line, never a traceback."""
    folder = tmp_path / "site"
    folder.mkdir()
    with open(folder / "big.mp3", "wb") as big:
        big.truncate(64 * 1024 * 1024)  # far more than socket buffers hold
    proc = subprocess.Popen(
        [sys.executable, "-m", "podcast", "--debug", "serve", str(folder), "--port", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(),
    )
    lines: queue.Queue = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in proc.stderr], daemon=True)
    reader.start()
    seen: list[str] = []
    try:
        found = re.search(r":(\d+)/", lines.get(timeout=60))
        assert found
        port = int(found.group(1))
        for _ in range(3):
            sock = socket.create_connection(("127.0.0.1", port), timeout=30)
            sock.sendall(b"GET /big.mp3 HTTP/1.1\r\nHost: x\r\n\r\n")
            assert sock.recv(4096).startswith(b"HTTP/1.1 200")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset
            sock.close()
            # Wait for the server's verdict on that connection: one line, or a traceback's first.
            while True:
                line = lines.get(timeout=60)
                seen.append(line)
                if "went away" in line or "Traceback" in line or "Exception" in line:
                    break
            assert "went away" in seen[-1], "".join(seen)
        response, _ = get(port, "/big.mp3", {"Range": "bytes=0-0"})
        assert response.status == 206
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    reader.join(timeout=30)
    while not lines.empty():
        seen.append(lines.get())
    assert "Traceback" not in "".join(seen), "".join(seen)
