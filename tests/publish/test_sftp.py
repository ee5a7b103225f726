"""`podcast publish` to an SSH host: Debian's OpenSSH sshd on 127.0.0.1, a static HTTP server as its public side."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import requests

from podcast.publish import PublishOptions, publish_to
from podcast.publish.plan import INDEX_NAME
from podcast.show.settings import Show
from podcast.show.site import write_site
from tests.conftest import ROOT
from tests.support.hosts import (
    PUBLIC_DOMAIN,
    SECOND,
    Sshd,
    StaticServer,
    feed_urls,
    fetch_feed_and_probe,
    find_sshd,
    loopback_names,
    publish_killed_halfway,
    show_folder,
)
from tests.support.shows import render_articles

pytestmark = pytest.mark.slow  # a real sshd

PUBLIC = "https://podcast.example.org/pod/"


@pytest.fixture(scope="module")
def sshd(tmp_path_factory):
    if find_sshd() is None:
        print("SKIP reason: no sshd (apt-get install openssh-server)", file=sys.stderr)
        pytest.skip("no sshd: install Debian's openssh-server (.ci/run does)")
    server = Sshd.start(tmp_path_factory.mktemp("ssh"))
    yield server
    server.stop()


@pytest.fixture
def ssh_home(sshd, monkeypatch):
    """The fake HOME with the user key, its known_hosts holding the server's key; no agent."""
    sshd.trust()
    for key, value in sshd.env().items():
        monkeypatch.setenv(key, value)
    loopback_names(monkeypatch)
    return sshd.home


@pytest.fixture
def site(tmp_path):
    """The SFTP target folder, served over HTTP with ranges as a web server on the host would."""
    server = StaticServer(tmp_path / "www")
    yield server, tmp_path / "www"
    server.stop()


def _public(site_server) -> str:
    return site_server.url.replace("127.0.0.1", f"files.{PUBLIC_DOMAIN}")


def _target(sshd, folder) -> str:
    return f"sftp://{sshd.user}@127.0.0.1:{sshd.port}{folder}"


def _options(public, **changes) -> PublishOptions:
    fields = {"public_url": public, "show": Show(base_url=public)}
    fields.update(changes)
    return PublishOptions(**fields)


def test_publish_the_seed_over_sftp_then_apps_can_fetch_and_seek(seed_episode, tmp_path, sshd, ssh_home, site):
    server, www = site
    public = _public(server)
    folder = show_folder(seed_episode, tmp_path / "show", public)
    report = publish_to(folder, _target(sshd, www), _options(public))
    local = sorted(p.name for p in folder.iterdir() if not (p.suffix == ".json" and "." not in p.stem))
    assert sorted(report.uploaded) == local
    assert report.uploaded[-2:] == ["index.html", "feed.xml"]
    assert report.verified and all(v.ok for v in report.verdicts) and len(report.verdicts) == 1
    for name in local:
        assert (www / name).read_bytes() == (folder / name).read_bytes(), name
        assert (www / name).stat().st_mode & 0o044 == 0o044  # a web server as another user can read it
    assert not [p for p in www.iterdir() if p.name.startswith(".podcast-tmp-")]
    assert (www / INDEX_NAME).is_file()
    episodes, feed = fetch_feed_and_probe(public)
    assert len(episodes) == 1
    for url in feed_urls(feed):
        assert requests.head(url, timeout=10).status_code == 200, url

    again = publish_to(folder, _target(sshd, www), _options(public))
    assert again.uploaded == [] and again.bytes_sent == 0 and all(v.ok for v in again.verdicts)


def test_a_missing_folder_is_created(seed_episode, tmp_path, sshd, ssh_home):
    folder = show_folder(seed_episode, tmp_path / "show", PUBLIC)
    deep = tmp_path / "srv" / "a" / "b"
    report = publish_to(folder, _target(sshd, deep), _options(PUBLIC, verify=False))
    assert sorted(p.name for p in deep.iterdir() if p.name != INDEX_NAME) == sorted(report.uploaded)


def _cli(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "podcast", *args], capture_output=True, text=True, env=env, timeout=120, stdin=None
    )


def _one_line(done, code):
    assert done.returncode == code, (done.returncode, done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("podcast: error: "), done.stderr
    return lines[0]


def test_unknown_host_refused_unless_accept_new_then_remembered(seed_episode, tmp_path, sshd, site):
    server, www = site
    folder = show_folder(seed_episode, tmp_path / "show", PUBLIC)
    (folder / "podcast.toml").write_text(f'base_url = "{PUBLIC}"\n')
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_ed25519").write_bytes(sshd.user_key.read_bytes())
    os.chmod(home / ".ssh" / "id_ed25519", 0o600)
    env = {**os.environ, "HOME": str(home), "SSH_AUTH_SOCK": "", "PYTHONPATH": str(ROOT)}
    args = ["publish", str(folder), "--to", _target(sshd, www), "--public-url", PUBLIC, "--no-verify"]
    line = _one_line(_cli(*args, env=env), 1)
    assert "unknown SSH host" in line and "--accept-new-host-key" in line and "SHA256:" in line
    assert list(www.iterdir()) == []
    done = _cli(*args, "--accept-new-host-key", env=env)
    assert done.returncode == 0, done.stderr
    assert sshd.host_key_line.split()[2] in (home / ".ssh" / "known_hosts").read_text()
    done = _cli(*args, env=env)  # now known: no flag needed
    assert done.returncode == 0, done.stderr
    assert " 0 uploaded" in done.stdout

    # A changed key (another server on that address) is refused even with the flag.
    (home / ".ssh" / "known_hosts").write_text(
        sshd.host_key_line.split()[0]
        + " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq0K0cPl+eJ1d2kIvH5hG8vnYbJ0f2b0t0v4c3n2m1x\n"
    )
    line = _one_line(_cli(*args, "--accept-new-host-key", env=env), 3)
    assert "CHANGED" in line
    # The exact command that forgets the old key ([host]:port is how known_hosts names a non-22 port).
    assert f"ssh-keygen -R '{sshd.host_key_line.split()[0]}'" in line


def test_faults_give_one_line_and_never_prompt(seed_episode, tmp_path, sshd, site):
    server, www = site
    folder = show_folder(seed_episode, tmp_path / "show", PUBLIC)
    (folder / "podcast.toml").write_text(f'base_url = "{PUBLIC}"\n')
    sshd.trust()
    env = {**os.environ, **sshd.env(), "PYTHONPATH": str(ROOT)}
    common = ["--public-url", PUBLIC, "--no-verify"]

    # No key the server accepts: refused at once, never a password prompt (stdin is closed).
    stranger = tmp_path / "stranger"
    (stranger / ".ssh").mkdir(parents=True)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(stranger / ".ssh" / "id_ed25519")])
    (stranger / ".ssh" / "known_hosts").write_text(sshd.host_key_line)
    denied = subprocess.run(
        [sys.executable, "-m", "podcast", "publish", str(folder), "--to", _target(sshd, www), *common],
        capture_output=True,
        text=True,
        env={**env, "HOME": str(stranger)},
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert "authentication failed" in _one_line(denied, 3)

    # Nothing listens there.
    closed = f"sftp://{sshd.user}@127.0.0.1:9{www}"
    assert "cannot connect to 127.0.0.1 port 9 (Connection refused)" in _one_line(
        _cli("publish", str(folder), "--to", closed, *common, env=env), 3
    )

    # Permission denied: a folder the user cannot write (sysfs refuses even root).
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    refused = "/sys/podcast-test/x" if os.geteuid() == 0 else f"{locked}/x"
    line = _one_line(_cli("publish", str(folder), "--to", _target(sshd, refused), *common, env=env), 3)
    assert "permission denied" in line

    # A file where the folder should be.
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    line = _one_line(_cli("publish", str(folder), "--to", _target(sshd, blocker), *common, env=env), 3)
    assert "is not a folder" in line
    # A password in the URL is refused before any connection.
    with_password = f"sftp://{sshd.user}:hunter2@127.0.0.1:{sshd.port}{www}"
    line = _one_line(_cli("publish", str(folder), "--to", with_password, *common, env=env), 1)
    assert "hunter2" not in line and "password" in line
    assert list(www.iterdir()) == []

    # The user's private key never shows, even in --debug's library logs.
    debug = _cli("--debug", "publish", str(folder), "--to", _target(sshd, www), *common, env=env)
    assert debug.returncode == 0, debug.stderr
    secret = "".join(sshd.user_key.read_text().splitlines()[1:-1])
    for text in (debug.stdout, debug.stderr, denied.stderr):
        assert secret[20:60] not in text.replace("\n", "")


def test_a_publish_killed_halfway_never_leaves_a_feed_listing_a_missing_file(
    seed_episode, tmp_path, sshd, ssh_home, site
):
    server, www = site
    public = _public(server)
    folder = show_folder(seed_episode, tmp_path / "show", public)
    target = _target(sshd, www)
    publish_to(folder, target, _options(public, verify=False))
    render_articles(folder, [SECOND], Show(base_url=public))
    write_site(folder, Show(base_url=public))
    marker = tmp_path / "stalled"
    env = {**os.environ, **sshd.env(), "PYTHONPATH": str(ROOT)}
    publish_killed_halfway(folder, target, public, "podcast.publish.sftp:SftpPublisher", env, marker)
    assert (www / "un-second.mp3").is_file()  # it did get halfway
    feed = requests.get(public + "feed.xml", timeout=10).content
    assert b"un-second" not in feed
    for url in feed_urls(feed):
        assert requests.head(url, timeout=10).status_code == 200, url

    rerun = publish_to(folder, target, _options(public))
    assert "un-second.mp3" not in rerun.uploaded and "un-second.vtt" in rerun.uploaded
    assert rerun.uploaded[-2:] == ["index.html", "feed.xml"]
    assert len(rerun.verdicts) == 2 and all(v.ok for v in rerun.verdicts), rerun.verdicts
    episodes, _ = fetch_feed_and_probe(public)
    assert len(episodes) == 2
    assert publish_to(folder, target, _options(public, verify=False)).uploaded == []
