"""`podcast serve`: HEAD, byte ranges (206 + Content-Range), 416, If-Range, types, no listings."""

from __future__ import annotations

import email.utils
import http.client
import threading
from pathlib import Path

import pytest

from podcast.errors import InputError
from podcast.show.serve import make_server


@pytest.fixture
def server(tmp_path):
    """A live server on a free port over a folder with a known 'MP3' and a feed."""
    data = bytes(range(256)) * 40  # 10240 bytes, every offset distinguishable
    (tmp_path / "episode.mp3").write_bytes(data)
    (tmp_path / "feed.xml").write_text("<rss/>", "utf-8")
    (tmp_path / "episode.vtt").write_text("WEBVTT\n", "utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.txt").write_text("x", "utf-8")
    srv = make_server(tmp_path, "127.0.0.1", 0)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield srv.server_address[1], data, tmp_path
    finally:
        srv.shutdown()
        srv.server_close()


def _request(port: int, method: str, path: str, headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(method, path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response, body


@pytest.mark.parametrize(
    "header, first, last",
    [
        ("bytes=100-199", 100, 199),
        ("bytes=10000-", 10000, 10239),
        ("bytes=-50", 10190, 10239),
        ("bytes=10200-99999", 10200, 10239),  # a last byte past the end is cut to the end
        ("bytes=0-0", 0, 0),
    ],
)
def test_range_request_returns_206_with_the_right_bytes(server, header, first, last):
    port, data, _ = server
    response, body = _request(port, "GET", "/episode.mp3", {"Range": header})
    assert response.status == 206
    assert response.getheader("Content-Range") == f"bytes {first}-{last}/{len(data)}"
    assert int(response.getheader("Content-Length")) == last - first + 1
    assert body == data[first : last + 1]
    assert response.getheader("Content-Type") == "audio/mpeg"


def test_head_answers_size_type_and_accept_ranges_without_a_body(server):
    port, data, _ = server
    response, body = _request(port, "HEAD", "/episode.mp3")
    assert response.status == 200 and body == b""
    assert int(response.getheader("Content-Length")) == len(data)
    assert response.getheader("Accept-Ranges") == "bytes"
    ranged, body = _request(port, "HEAD", "/episode.mp3", {"Range": "bytes=0-1"})
    assert ranged.status == 206 and body == b"" and ranged.getheader("Content-Range") == f"bytes 0-1/{len(data)}"


def test_whole_file_without_range(server):
    port, data, _ = server
    response, body = _request(port, "GET", "/episode.mp3")
    assert response.status == 200 and body == data


def test_unsatisfiable_range_is_416(server):
    port, data, _ = server
    response, body = _request(port, "GET", "/episode.mp3", {"Range": f"bytes={len(data)}-"})
    assert response.status == 416
    assert response.getheader("Content-Range") == f"bytes */{len(data)}"


def test_multiple_ranges_and_stale_if_range_get_the_whole_file(server):
    port, data, folder = server
    response, body = _request(port, "GET", "/episode.mp3", {"Range": "bytes=0-1,5-6"})
    assert response.status == 200 and body == data
    stale = email.utils.formatdate(0, usegmt=True)
    response, body = _request(port, "GET", "/episode.mp3", {"Range": "bytes=0-9", "If-Range": stale})
    assert response.status == 200 and body == data
    current = email.utils.formatdate((folder / "episode.mp3").stat().st_mtime, usegmt=True)
    response, body = _request(port, "GET", "/episode.mp3", {"Range": "bytes=0-9", "If-Range": current})
    assert response.status == 206 and body == data[:10]


def test_types_for_feed_and_captions(server):
    port, _, _ = server
    assert _request(port, "GET", "/feed.xml")[0].getheader("Content-Type").startswith("application/rss+xml")
    assert _request(port, "GET", "/episode.vtt")[0].getheader("Content-Type").startswith("text/vtt")


def test_no_directory_listing_and_nothing_outside_the_folder(server):
    port, _, _ = server
    assert _request(port, "GET", "/sub/")[0].status == 404
    assert _request(port, "GET", "/../../etc/passwd")[0].status == 404
    assert _request(port, "GET", "/missing.mp3", {"Range": "bytes=0-1"})[0].status == 404


def test_serving_a_missing_folder_is_an_input_error(tmp_path: Path):
    with pytest.raises(InputError, match="no such folder"):
        make_server(tmp_path / "nope", "127.0.0.1", 0)


def test_one_kept_alive_connection_serves_many_requests(server):
    """Players seek with many range requests on one HTTP/1.1 connection; none may hang or desync."""
    port, data, _ = server
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        for method, path, headers, status, body in [
            ("GET", "/episode.mp3", {"Range": "bytes=5-9"}, 206, data[5:10]),
            ("HEAD", "/episode.mp3", {}, 200, b""),
            ("GET", "/episode.mp3", {"Range": "bytes=99999-"}, 416, b""),
            ("GET", "/missing", {}, 404, None),
            ("GET", "/episode.mp3", {}, 200, data),
        ]:
            conn.request(method, path, headers=headers)
            response = conn.getresponse()
            got = response.read()
            assert response.status == status
            if body is not None:
                assert got == body
    finally:
        conn.close()
