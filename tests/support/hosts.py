"""Helpers for the publish tests: a real S3 endpoint (moto's server), a real sshd, a static server.

All of them listen on 127.0.0.1 on a free port and are started and stopped by the tests.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from podcast.show.serve import make_server
from podcast.show.settings import Show
from podcast.show.site import write_site
from podcast.types import Article, Section

SECOND = Article(title="Un second", source="second.txt", sections=[Section(None, ["Deux phrases. Pas plus."])])
"""A short second episode (its files are named un-second.*), rendered into a show folder by a test."""

SECRET_KEY = "s3cr3t-Xq9vTz7wKp2mLr8N-never-shown"
ACCESS_KEY = "AKIAPODCASTTESTKEY01"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


PUBLIC_DOMAIN = "example.net"
"""The public side's host names end here and resolve to 127.0.0.1 in the test process (see
`loopback_names`): a feed's base_url may not be a loopback address, and a host name is what a
real bucket or web server is reached by anyway."""


def loopback_names(monkeypatch) -> None:
    """Names under PUBLIC_DOMAIN resolve to 127.0.0.1 (this process only); every other name as usual."""
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if isinstance(host, str) and host.endswith("." + PUBLIC_DOMAIN):
            host = "127.0.0.1"
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def s3_env(tmp: Path) -> dict[str, str]:
    """Fake credentials through boto3's standard chain (the environment), nothing else of the host's."""
    return {
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(tmp / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp / "no-aws-credentials"),
    }


class Moto:
    """moto's standalone S3 server on 127.0.0.1 (a real HTTP endpoint)."""

    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer

        self.port = free_port()
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()
        wait_for_port(self.port)
        self.endpoint = f"http://127.0.0.1:{self.port}"

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name="us-east-1",
        )

    def new_bucket(self, name: str) -> str:
        self.client().create_bucket(Bucket=name)
        return name

    def keys(self, bucket: str, prefix: str = "") -> dict[str, int]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        return {obj["Key"]: obj["Size"] for page in pages for obj in page.get("Contents", ())}

    def stop(self) -> None:
        self.server.stop()


def show_folder(rendered: Path, dest: Path, base_url: str) -> Path:
    """A copy of a rendered show folder whose feed and page are rebuilt for `base_url`.

    The Show is built here rather than read from podcast.toml, whose checks refuse a loopback
    base_url (a feed for the world must not point at 127.0.0.1); the test servers live there.
    """
    shutil.copytree(rendered, dest)
    for leftover in ("feed.xml", "index.html", "podcast.toml"):
        (dest / leftover).unlink(missing_ok=True)
    write_site(dest, Show(base_url=base_url))
    return dest


def fetch_feed_and_probe(public_url: str) -> tuple[list[dict], bytes]:
    """The feed as an app gets it, parsed by podcastparser and feedparser, and a range request per
    enclosure (206, right length, right type). Returns podcastparser's episodes and the feed bytes."""
    import io

    import feedparser
    import podcastparser

    response = requests.get(public_url + "feed.xml", timeout=10)
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"].startswith("application/rss+xml")
    parsed = podcastparser.parse(public_url + "feed.xml", io.BytesIO(response.content))
    assert parsed["episodes"], parsed
    fp = feedparser.parse(response.content)
    assert not fp.bozo, fp.bozo_exception
    assert len(fp.entries) == len(parsed["episodes"])
    for episode in parsed["episodes"]:
        [enclosure] = episode["enclosures"]
        url, size = enclosure["url"], enclosure["file_size"]
        assert url.startswith(public_url)
        assert enclosure["mime_type"] == "audio/mpeg"
        ranged = requests.get(url, headers={"Range": "bytes=100-1123"}, timeout=10)
        assert ranged.status_code == 206, (url, ranged.status_code)
        assert ranged.headers["Content-Range"] == f"bytes 100-1123/{size}"
        assert len(ranged.content) == 1024
        assert ranged.headers["Content-Type"] == "audio/mpeg"
        head = requests.head(url, timeout=10)
        assert head.status_code == 200 and int(head.headers["Content-Length"]) == size
    return parsed["episodes"], response.content


def feed_urls(feed: bytes) -> list[str]:
    """Every file URL a feed points at (enclosures, images, transcripts, chapters)."""
    from lxml import etree

    root = etree.fromstring(feed)
    urls = [e.get("url") for e in root.iter("enclosure")]
    urls += [e.get("href") for e in root.iter("{http://www.itunes.com/dtds/podcast-1.0.dtd}image")]
    urls += [e.get("url") for e in root.iter("{https://podcastindex.org/namespace/1.0}transcript")]
    urls += [e.get("url") for e in root.iter("{https://podcastindex.org/namespace/1.0}chapters")]
    return [url for url in urls if url]


class StaticServer:
    """`podcast serve`'s range-capable server over a folder: the public side of an SFTP target."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.server = make_server(folder, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def find_sshd() -> str | None:
    for candidate in (shutil.which("sshd"), "/usr/sbin/sshd", "/usr/local/sbin/sshd"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@dataclass
class Sshd:
    """OpenSSH's sshd on 127.0.0.1, with a throwaway host key and a user key in a fake HOME."""

    home: Path
    port: int
    user: str
    host_key_line: str
    """The known_hosts line for this server."""
    process: subprocess.Popen
    user_key: Path

    @classmethod
    def start(cls, root: Path, start_folder: Path | None = None) -> Sshd:
        """`start_folder`: where SFTP sessions start (their "home", for sftp://host/~/ paths);
        the login's real home by default."""
        import getpass

        sshd = find_sshd()
        assert sshd
        keygen = shutil.which("ssh-keygen")
        assert keygen, "ssh-keygen (openssh-client) is needed"
        home = root / "home"
        (home / ".ssh").mkdir(parents=True)
        os.chmod(home / ".ssh", 0o700)
        etc = root / "sshd"
        etc.mkdir()
        host_key = etc / "host_ed25519"
        user_key = home / ".ssh" / "id_ed25519"
        for key in (host_key, user_key):
            subprocess.run([keygen, "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
        authorized = etc / "authorized_keys"
        shutil.copy(user_key.with_suffix(".pub"), authorized)
        os.chmod(authorized, 0o600)
        if os.geteuid() == 0:
            Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation folder
        port = free_port()
        config = etc / "sshd_config"
        config.write_text(
            f"Port {port}\nListenAddress 127.0.0.1\nHostKey {host_key}\nPidFile {etc / 'sshd.pid'}\n"
            f"AuthorizedKeysFile {authorized}\nStrictModes no\nUsePAM no\nPasswordAuthentication no\n"
            "KbdInteractiveAuthentication no\nPubkeyAuthentication yes\nPermitRootLogin prohibit-password\n"
            f"Subsystem sftp internal-sftp{f' -d {start_folder}' if start_folder else ''}\nLogLevel ERROR\n"
        )
        process = subprocess.Popen(
            [sshd, "-D", "-e", "-f", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            wait_for_port(port)
        except OSError:
            process.kill()
            raise AssertionError(f"sshd did not start: {process.communicate()[1].decode(errors='replace')}") from None
        algo, blob = host_key.with_suffix(".pub").read_text().split()[:2]
        return cls(home, port, getpass.getuser(), f"[127.0.0.1]:{port} {algo} {blob}\n", process, user_key)

    def trust(self) -> None:
        """Record the host key in the fake HOME's known_hosts, as a user who checked it would."""
        (self.home / ".ssh" / "known_hosts").write_text(self.host_key_line)

    def env(self) -> dict[str, str]:
        return {"HOME": str(self.home), "SSH_AUTH_SOCK": ""}

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stderr:
            self.process.stderr.close()


_STALLING_DRIVER = """
import importlib, json, sys, time
from pathlib import Path
from podcast.show.settings import Show
from podcast.publish import PublishOptions, publish_to, register

folder, target, public, marker, publisher, target_options = sys.argv[1:]
module, name = publisher.split(":")
base = getattr(importlib.import_module(module), name)


class Stalling(base):
    name = "stalling-" + base.name

    def put(self, item, sent):
        if item.name == "un-second.vtt":
            Path(marker).write_text("un-second.mp3")
            time.sleep(600)  # killed here: the new MP3 and cover sent, captions and feed not yet
        super().put(item, sent)


register(Stalling)
options = PublishOptions(
    public_url=public, show=Show(base_url=public), target_options=json.loads(target_options), verify=False
)
publish_to(folder, target, options)
"""


def publish_killed_halfway(
    folder: Path, target: str, public: str, publisher: str, env: dict, marker: Path, target_options: dict | None = None
) -> None:
    """Publish with `publisher` ("module:Class") in another process, SIGKILLed once the new MP3 and
    cover are up (it writes `marker` and stalls there)."""
    args = [str(folder), target, public, str(marker), publisher, json.dumps(target_options or {})]
    process = subprocess.Popen([sys.executable, "-c", _STALLING_DRIVER, *args], env=env)
    try:
        while not marker.exists():
            assert process.poll() is None, "the publish ended before its stall point"
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait()
