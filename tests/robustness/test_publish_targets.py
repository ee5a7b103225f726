"""`podcast publish` as a new user and a hostile tester use it: public URLs with spaces and accents,
secrets never shown, SFTP paths and host aliases, settings the store refuses, and verify's answers.

Real parts only: moto's S3 server and OpenSSH's sshd, on 127.0.0.1 and started here.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from podcast.cli import cli
from tests.conftest import ROOT, make_runner
from tests.support.sites import Site


def _rss(items: str, link: str = "") -> str:
    head = "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Le Courrier</title>"
    return f"{head}{link}{items}</channel></rss>"


@pytest.mark.slow
def test_s3_public_url_typed_with_spaces_and_accents_publishes_and_verifies(tmp_path, monkeypatch):
    pytest.importorskip("moto.server")
    from podcast.publish import PublishOptions, publish_to
    from podcast.show.settings import Show
    from tests.support.hosts import PUBLIC_DOMAIN, SECOND, Moto, loopback_names, s3_env, show_folder
    from tests.support.shows import render_articles

    for key, value in s3_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    loopback_names(monkeypatch)
    moto = Moto()
    try:
        bucket = moto.new_bucket("accents")
        rendered = tmp_path / "rendered"
        render_articles(rendered, [SECOND], Show())
        # As a user types it (and as podcast.toml may hold it): spaces, accents, an upper-case host.
        typed = f"http://{bucket}.S3.{PUBLIC_DOMAIN.upper()}:{moto.port}/mon podcast/été/"
        folder = show_folder(rendered, tmp_path / "show", typed)
        options = PublishOptions(
            public_url=typed,
            show=Show(base_url=typed),
            target_options={"endpoint_url": moto.endpoint, "acl": "public-read"},
        )
        report = publish_to(folder, f"s3://{bucket}/mon podcast/été", options)
        assert report.verified and report.verdicts and not report.failures, [v.line() for v in report.verdicts]
        assert f"mon podcast/été/{SECOND_MP3}" in moto.keys(bucket)
        again = publish_to(folder, f"s3://{bucket}/mon podcast/été", options)
        assert again.uploaded == []
    finally:
        moto.stop()


SECOND_MP3 = "un-second.mp3"


@pytest.mark.slow
def test_debug_output_never_shows_the_s3_secret_key_nor_the_session_token(tmp_path):
    pytest.importorskip("moto.server")
    from podcast.show.settings import Show
    from tests.support.hosts import SECOND, SECRET_KEY, Moto, s3_env, show_folder
    from tests.support.shows import render_articles

    token = "FwoGZXIvYXdzEXAMPLE-session-token-never-shown"
    moto = Moto()
    try:
        bucket = moto.new_bucket("debug-secrets")
        public = "https://podcast.example.org/pod/"
        rendered = tmp_path / "rendered"
        render_articles(rendered, [SECOND], Show())
        folder = show_folder(rendered, tmp_path / "show", public)
        (folder / "podcast.toml").write_text(f'base_url = "{public}"\n', "utf-8")
        env = {**os.environ, **s3_env(tmp_path), "AWS_SESSION_TOKEN": token, "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", "podcast", "--debug", "publish", str(folder), "--to", f"s3://{bucket}/pod"]
        command += ["--endpoint-url", moto.endpoint, "--public-url", public, "--no-verify"]
        done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    finally:
        moto.stop()
    assert done.returncode == 0, done.stderr[-2000:]
    assert "x-amz-security-token:***" in done.stderr  # botocore's signed request, as --debug shows it
    assert token not in done.stdout + done.stderr and SECRET_KEY not in done.stdout + done.stderr


@pytest.fixture
def login_sshd(tmp_path, monkeypatch):
    """A throwaway sshd whose login starts in tmp_path/login-home, trusted by the client env."""
    from tests.support.hosts import Sshd, find_sshd

    if find_sshd() is None:
        pytest.skip("no sshd: install Debian's openssh-server (.ci/run does)")
    start = tmp_path / "login-home"
    start.mkdir()
    sshd = Sshd.start(tmp_path / "ssh", start_folder=start)
    try:
        sshd.trust()
        for key, value in sshd.env().items():
            monkeypatch.setenv(key, value)
        yield sshd, start
    finally:
        sshd.stop()


@pytest.mark.slow
def test_sftp_tilde_path_is_under_the_login_home(tmp_path, monkeypatch, login_sshd):
    from podcast.publish import PublishOptions, publish_to
    from podcast.show.settings import Show
    from tests.support.hosts import PUBLIC_DOMAIN, SECOND, free_port, loopback_names, show_folder
    from tests.support.shows import render_articles

    sshd, start = login_sshd
    loopback_names(monkeypatch)
    public = f"http://files.{PUBLIC_DOMAIN}:{free_port()}/pod/"  # nothing listens there
    rendered = tmp_path / "rendered"
    render_articles(rendered, [SECOND], Show())
    folder = show_folder(rendered, tmp_path / "show", public)
    options = PublishOptions(public_url=public, show=Show(base_url=public), verify=False)
    report = publish_to(folder, f"sftp://{sshd.user}@127.0.0.1:{sshd.port}/~/www/pod", options)
    assert SECOND_MP3 in report.uploaded
    assert (start / "www" / "pod" / SECOND_MP3).is_file()
    assert (start / "www" / "pod" / "feed.xml").is_file()
    assert not os.path.exists("/~")  # not a folder named "~" at the server's root

    # A public URL that does not serve the files: what was sent is still reported, then the
    # verdict (never a bare error that hides the upload).
    (folder / "index.html").write_text("<html><body>Nouvelle page</body></html>", "utf-8")
    options.verify = True
    report = publish_to(folder, f"sftp://{sshd.user}@127.0.0.1:{sshd.port}/~/www/pod", options)
    assert report.uploaded == ["index.html"]
    [verdict] = report.failures
    assert verdict.title == "feed.xml" and verdict.url == public + "feed.xml" and public in verdict.detail


@pytest.mark.parametrize(
    "public,message",
    [
        ("https://cdn.example.org/p/?v=2", "must be a folder URL"),
        ("https://cdn.example.org/p/#top", "must be a folder URL"),
        ("https://deploy:hunter2@cdn.example.org/p/", "must be a folder URL"),
        ("ftp://cdn.example.org/p/", "must be an http(s) URL"),
    ],
)
def test_a_public_url_that_is_no_folder_is_refused_before_anything_is_sent(tmp_path, public, message):
    folder = tmp_path / "show"
    folder.mkdir()
    result = make_runner().invoke(cli, ["publish", str(folder), "--to", "s3://bucket/p", "--public-url", public])
    assert result.exit_code == 1, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert message in line and "hunter2" not in line, line


@pytest.mark.parametrize("target", ["sftp://deploy@example.org", "sftp://deploy@example.org/", "sftp://h:2222//"])
def test_an_sftp_target_without_a_folder_is_refused_not_the_servers_root(tmp_path, target):
    folder = tmp_path / "show"
    folder.mkdir()
    result = make_runner().invoke(
        cli, ["publish", str(folder), "--to", target, "--public-url", "https://podcast.example.org/p/"]
    )
    assert result.exit_code == 1, result.stderr
    assert result.stderr.startswith(f"podcast: error: sftp target has no folder: {target!r}; give one")


@pytest.mark.parametrize(
    "options,message",
    [
        (["--to", "s3://My_Bucket!/p"], "s3://My_Bucket!/p: invalid bucket name 'My_Bucket!'"),
        (["--to", "s3://show/p", "--region", "eu west"], "region_name 'eu west' doesn't match a supported format"),
    ],
)
def test_an_s3_setting_no_store_takes_is_a_settings_error(tmp_path, monkeypatch, options, message):
    from tests.support.hosts import s3_env

    for key, value in s3_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    folder = tmp_path / "show"
    folder.mkdir()
    (folder / "feed.xml").write_text("<rss version='2.0'><channel><title>t</title></channel></rss>", "utf-8")
    (folder / "index.html").write_text("<html></html>", "utf-8")
    public = "https://podcast.example.org/p/"
    (folder / "podcast.toml").write_text(f'base_url = "{public}"\n', "utf-8")
    # The endpoint is a closed port: the settings are refused before any request.
    result = make_runner().invoke(
        cli, ["publish", str(folder), *options, "--public-url", public, "--endpoint-url", "http://127.0.0.1:9"]
    )
    assert result.exit_code == 1, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert message in line, line


def test_a_missing_folder_is_named_first(tmp_path):
    result = make_runner().invoke(cli, ["publish", str(tmp_path / "nowhere"), "--to", "s3://bucket/p"])
    assert result.exit_code == 1
    assert result.stderr == f"podcast: error: {tmp_path / 'nowhere'}: no such folder\n"


@pytest.mark.slow
def test_a_public_url_with_an_untrusted_certificate_is_verified_and_fails_naming_it():
    from podcast.publish.verify import feed_reachable, verify_feed

    tls = Site(tls=True)
    try:
        tls.add("/pod/feed.xml", "application/rss+xml", _rss(""))
        public = f"{tls.url}/pod/"
        # It answers (apps reach it and refuse the certificate): the default verify runs, and fails.
        assert feed_reachable(public) == (True, "")
        with pytest.raises(Exception, match="unable to get local issuer certificate") as failed:
            verify_feed(public, [])
    finally:
        tls.close()
    assert str(failed.value) == (
        f"verify: GET {public}feed.xml failed: TLS certificate not trusted (unable to get local issuer certificate)"
    )


@pytest.mark.slow
def test_an_sftp_host_alias_from_ssh_config_works_as_it_does_for_ssh(tmp_path, login_sshd):
    from podcast.publish import PublishOptions, publish_to
    from podcast.show.settings import Show
    from tests.support.hosts import SECOND, show_folder
    from tests.support.shows import render_articles

    sshd, start = login_sshd
    # The key under a name ssh would not try by itself: only the config's IdentityFile finds it.
    sshd.user_key.rename(sshd.home / ".ssh" / "show_key")
    (sshd.home / ".ssh" / "config").write_text(
        f"Host myshow\n  HostName 127.0.0.1\n  Port {sshd.port}\n  User {sshd.user}\n  IdentityFile ~/.ssh/show_key\n",
        "utf-8",
    )
    public = "https://podcast.example.org/pod/"
    rendered = tmp_path / "rendered"
    render_articles(rendered, [SECOND], Show())
    folder = show_folder(rendered, tmp_path / "show", public)
    options = PublishOptions(public_url=public, show=Show(base_url=public), verify=False)
    report = publish_to(folder, "sftp://myshow/~/pod", options)
    assert SECOND_MP3 in report.uploaded and (start / "pod" / SECOND_MP3).is_file()


def test_verify_says_why_the_public_url_failed_not_the_exception_name():
    import socket

    from podcast.errors import RemoteError
    from podcast.publish.verify import feed_reachable, verify_feed

    with socket.socket() as closed:  # a port that was free a moment ago: nothing listens there
        closed.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{closed.getsockname()[1]}/show/"
    assert feed_reachable(url) == (False, "Connection refused")
    with pytest.raises(RemoteError) as failed:
        verify_feed(url, [])
    assert str(failed.value).endswith("failed: Connection refused") and "Error" not in str(failed.value)
