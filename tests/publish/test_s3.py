"""`podcast publish` to S3, against moto's standalone server (a real S3 HTTP endpoint on 127.0.0.1)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from podcast.errors import InputError
from podcast.publish import PublishOptions, check_base_url, publish_to
from podcast.publish.plan import MEDIA_CACHE, SHORT_CACHE
from podcast.show.settings import Show
from podcast.show.site import write_site
from tests.conftest import ROOT
from tests.support.hosts import (
    ACCESS_KEY,
    PUBLIC_DOMAIN,
    SECOND,
    SECRET_KEY,
    Moto,
    feed_urls,
    fetch_feed_and_probe,
    loopback_names,
    publish_killed_halfway,
    s3_env,
    show_folder,
)
from tests.support.shows import render_articles

pytest.importorskip("moto.server")

PUBLIC = "https://podcast.example.org/pod/"
"""For CLI runs: podcast.toml refuses a loopback base_url, so the CLI declares a public one (not verified)."""


@pytest.fixture(scope="module")
def moto():
    server = Moto()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _credentials(tmp_path, monkeypatch):
    for key, value in s3_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    loopback_names(monkeypatch)


_buckets = iter(range(10_000))


@pytest.fixture
def bucket(moto):
    return moto.new_bucket(f"show-{next(_buckets)}")


def _folder(seed_episode, tmp_path, moto, bucket, prefix="pod") -> tuple[Path, str]:
    # The bucket's virtual-hosted URL, as AWS gives it; moto serves it by the Host header.
    public = f"http://{bucket}.s3.{PUBLIC_DOMAIN}:{moto.port}/{prefix}/"
    return show_folder(seed_episode, tmp_path / "show", public), public


def _options(moto, public, **changes) -> PublishOptions:
    fields = {
        "public_url": public,
        "show": Show(base_url=public),
        "target_options": {"endpoint_url": moto.endpoint, "acl": "public-read"},
    }
    fields.update(changes)
    return PublishOptions(**fields)


@pytest.mark.slow
def test_publish_the_seed_then_apps_can_fetch_and_seek(seed_episode, tmp_path, moto, bucket):
    folder, public = _folder(seed_episode, tmp_path, moto, bucket)
    sent: list[tuple[int, int, str]] = []
    options = _options(moto, public)
    report = publish_to(folder, f"s3://{bucket}/pod", options, progress=lambda *a: sent.append(a))

    local = sorted(p.name for p in folder.iterdir() if not (p.suffix == ".json" and "." not in p.stem))
    assert sorted(report.uploaded) == local  # everything but the manifests
    assert report.uploaded[-2:] == ["index.html", "feed.xml"]  # media and sidecars first
    assert report.public_url == public
    assert sent[-1][0] == sent[-1][1] == sum((folder / name).stat().st_size for name in local)
    assert report.verified and report.verdicts and all(v.ok for v in report.verdicts), report.verdicts

    episodes, feed = fetch_feed_and_probe(public)
    assert len(episodes) == 1
    client = moto.client()
    for url in feed_urls(feed):
        assert requests.head(url, timeout=10).status_code == 200, url
    for name in local:
        head = client.head_object(Bucket=bucket, Key=f"pod/{name}")
        data = (folder / name).read_bytes()
        assert head["ContentLength"] == len(data)
        assert head["Metadata"]["sha256"] == hashlib.sha256(data).hexdigest()
        expected = {
            ".mp3": "audio/mpeg",
            ".vtt": "text/vtt",
            ".srt": "application/x-subrip",
            ".jpg": "image/jpeg",
            ".xml": "application/rss+xml; charset=utf-8",
            ".html": "text/html; charset=utf-8",
        }.get(Path(name).suffix, "application/json+chapters")
        assert head["ContentType"] == expected, name
        short = name in ("feed.xml", "index.html")
        assert (head["CacheControl"] == SHORT_CACHE) == short, (name, head["CacheControl"])
        if name.endswith(".mp3"):
            assert head["CacheControl"] == MEDIA_CACHE


@pytest.mark.slow
def test_a_second_publish_sends_nothing_and_a_change_sends_only_what_changed(seed_episode, tmp_path, moto, bucket):
    folder, public = _folder(seed_episode, tmp_path, moto, bucket)
    target = f"s3://{bucket}/pod"
    first = publish_to(folder, target, _options(moto, public, verify=False))
    again = publish_to(folder, target, _options(moto, public, verify=False))
    assert first.uploaded and again.uploaded == [] and again.bytes_sent == 0
    assert len(again.plan.unchanged) == len(first.uploaded)

    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    write_site(folder, Show(base_url=public, title="Un autre titre"))  # feed, page and show cover change
    changed = sorted(p.name for p in folder.iterdir() if before.get(p.name) != p.read_bytes())
    third = publish_to(folder, target, _options(moto, public, verify=False))
    assert sorted(third.uploaded) == changed and "feed.xml" in changed
    assert not any(name.endswith(".mp3") for name in third.uploaded)


@pytest.mark.slow
def test_dry_run_lists_and_sends_nothing(seed_episode, tmp_path, moto, bucket, runner, monkeypatch):
    folder, _ = _folder(seed_episode, tmp_path, moto, bucket)
    write_site(folder, Show(base_url=PUBLIC))
    (folder / "podcast.toml").write_text(f'base_url = "{PUBLIC}"\n\n[publish]\nto = "s3://{bucket}/pod"\n')
    from podcast.cli import cli

    args = ["publish", str(folder), "--endpoint-url", moto.endpoint, "--public-url", PUBLIC, "--dry-run"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output + result.stderr
    assert "upload  feed.xml" in result.output and ".mp3" in result.output
    assert moto.keys(bucket) == {}


@pytest.mark.slow
def test_removed_episodes_stay_unless_delete_and_foreign_files_always_stay(seed_episode, tmp_path, moto, bucket):
    folder, public = _folder(seed_episode, tmp_path, moto, bucket)
    target = f"s3://{bucket}/pod"
    publish_to(folder, target, _options(moto, public, verify=False))
    moto.client().put_object(Bucket=bucket, Key="pod/notes.txt", Body=b"not ours")
    render_articles(folder, [SECOND], Show(base_url=public))
    publish_to(folder, target, _options(moto, public, verify=False))
    second = [p for p in folder.iterdir() if p.name.startswith("un-second")]
    assert second
    for path in second:
        path.unlink()
    write_site(folder, Show(base_url=public))
    notices: list[str] = []
    kept = publish_to(folder, target, _options(moto, public, verify=False, notify=notices.append))
    keys = moto.keys(bucket)
    assert "pod/un-second.mp3" in keys and kept.deleted == []
    assert any("--delete" in line for line in notices)
    removed = publish_to(folder, target, _options(moto, public, delete=True))
    keys = moto.keys(bucket)
    assert sorted(removed.deleted) == sorted(p.name for p in second if p.suffix != ".json" or "." in p.stem)
    assert not any(key.startswith("pod/un-second") for key in keys)
    assert "pod/notes.txt" in keys  # never uploaded by us: never deleted
    assert all(v.ok for v in removed.verdicts) and len(removed.verdicts) == 1


def test_the_default_public_url_is_the_buckets():
    from podcast.publish.s3 import S3Publisher

    r2 = S3Publisher("s3://show/pod", {"endpoint_url": "https://acct.r2.cloudflarestorage.com/"})
    assert r2.default_public_url() == "https://acct.r2.cloudflarestorage.com/show/pod/"
    aws = S3Publisher("s3://show", {"region": "eu-west-3"})
    assert aws.default_public_url() == "https://show.s3.eu-west-3.amazonaws.com/"


def _cli(runner, *args):
    from podcast.cli import cli

    return runner.invoke(cli, list(args))


def _one_line(result, code):
    assert result.exit_code == code, (result.exit_code, result.output, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("podcast: error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


@pytest.mark.slow
def test_faults_give_one_line_and_their_exit_code(seed_episode, tmp_path, moto, bucket, runner, monkeypatch):
    folder, _ = _folder(seed_episode, tmp_path, moto, bucket)
    write_site(folder, Show(base_url=PUBLIC))
    (folder / "podcast.toml").write_text(f'base_url = "{PUBLIC}"\n')
    common = ["--endpoint-url", moto.endpoint, "--public-url", PUBLIC, "--no-verify"]

    line = _one_line(_cli(runner, "publish", str(folder), "--to", "ftp://me:pa55word@h/x", *common), 1)
    assert "unknown scheme" in line and "pa55word" not in line
    line = _one_line(_cli(runner, "publish", str(folder), "--to", "s3://no-such-bucket/pod", *common), 3)
    assert "no such bucket" in line
    closed = ["--endpoint-url", "http://127.0.0.1:9", "--public-url", PUBLIC, "--no-verify"]
    assert "cannot reach" in _one_line(_cli(runner, "publish", str(folder), "--to", f"s3://{bucket}/p", *closed), 3)
    line = _one_line(_cli(runner, "publish", str(folder), "--to", f"s3://{bucket}/p", *common[:2], "--no-verify"), 1)
    assert "base_url" in line and moto.endpoint in line  # the bucket's own URL is not where the feed points
    other = ["--public-url", "https://elsewhere.example.org/"]
    line = _one_line(_cli(runner, "publish", str(folder), "--to", f"s3://{bucket}/p", *common[:2], *other), 1)
    assert 'set base_url = "https://elsewhere.example.org/"' in line
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(key)
    assert "no S3 credentials" in _one_line(
        _cli(runner, "publish", str(folder), "--to", f"s3://{bucket}/p", *common), 1
    )
    (folder / "podcast.toml").write_text('title = "Sans adresse"\n')
    line = _one_line(_cli(runner, "publish", str(folder), "--to", f"s3://{bucket}/p", *common), 1)
    assert "base_url is not set" in line
    assert moto.keys(bucket) == {}


@pytest.mark.slow
def test_credentials_never_appear_in_output_logs_or_files(seed_episode, tmp_path, moto, bucket):
    folder, _ = _folder(seed_episode, tmp_path, moto, bucket)
    write_site(folder, Show(base_url=PUBLIC))
    (folder / "podcast.toml").write_text(f'base_url = "{PUBLIC}"\n[publish]\nto = "s3://{bucket}/pod"\n')
    env = {**os.environ, **s3_env(tmp_path), "PYTHONPATH": str(ROOT)}
    outputs = []
    for before, after in (([], []), (["--debug"], []), ([], ["--dry-run"])):
        args = [*before, "publish", str(folder), "--endpoint-url", moto.endpoint, "--public-url", PUBLIC, *after]
        done = subprocess.run(
            [sys.executable, "-m", "podcast", *args, "--no-verify"],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout + done.stderr)
    failed = subprocess.run(
        [sys.executable, "-m", "podcast", "--debug", "publish", str(folder), "--to", "s3://nope/x"]
        + ["--endpoint-url", moto.endpoint, "--public-url", PUBLIC],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert failed.returncode == 3
    outputs.append(failed.stdout + failed.stderr)
    assert "feed.xml: 8 uploaded" in outputs[0] and "Authorization" in outputs[1]  # --debug logs requests
    for text in outputs:
        assert SECRET_KEY not in text
    for text in (outputs[0], outputs[2]):
        assert ACCESS_KEY not in text
    client = moto.client()
    for key in moto.keys(bucket):
        assert SECRET_KEY.encode() not in client.get_object(Bucket=bucket, Key=key)["Body"].read(), key
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert SECRET_KEY.encode() not in path.read_bytes(), path


@pytest.mark.slow
def test_a_publish_killed_halfway_never_leaves_a_feed_listing_a_missing_file(seed_episode, tmp_path, moto, bucket):
    folder, public = _folder(seed_episode, tmp_path, moto, bucket)
    target = f"s3://{bucket}/pod"
    publish_to(folder, target, _options(moto, public, verify=False))
    render_articles(folder, [SECOND], Show(base_url=public))
    marker = tmp_path / "stalled"
    env = {**os.environ, **s3_env(tmp_path), "PYTHONPATH": str(ROOT)}
    publish_killed_halfway(
        folder,
        target,
        public,
        "podcast.publish.s3:S3Publisher",
        env,
        marker,
        {"endpoint_url": moto.endpoint, "acl": "public-read"},
    )
    assert f"pod/{marker.read_text()}" in moto.keys(bucket)  # it did get halfway
    feed = requests.get(public + "feed.xml", timeout=10).content
    assert b"un-second" not in feed  # still the old feed...
    for url in feed_urls(feed):  # ...and everything it lists is there
        assert requests.head(url, timeout=10).status_code == 200, url

    rerun = publish_to(folder, target, _options(moto, public))
    assert rerun.uploaded[-2:] == ["index.html", "feed.xml"]
    assert f"{marker.read_text()}" not in rerun.uploaded  # the index recorded the MP3 sent before the kill
    assert len(rerun.verdicts) == 2 and all(v.ok for v in rerun.verdicts), rerun.verdicts
    episodes, feed = fetch_feed_and_probe(public)
    assert len(episodes) == 2
    assert publish_to(folder, target, _options(moto, public, verify=False)).uploaded == []


@pytest.mark.slow
def test_a_cancelled_publish_stops_before_the_feed_and_a_rerun_completes(seed_episode, tmp_path, moto, bucket):
    from podcast.cancel import Cancelled, CancelToken

    folder, public = _folder(seed_episode, tmp_path, moto, bucket)
    token = CancelToken()

    def progress(done, total, name):
        if name.endswith(".mp3") and done > 0:
            token.cancel()  # as Ctrl-C does through the CLI's signal handler

    with pytest.raises(Cancelled):
        publish_to(folder, f"s3://{bucket}/pod", _options(moto, public), cancel=token, progress=progress)
    assert not any(key.endswith(("feed.xml", "index.html")) for key in moto.keys(bucket))
    rerun = publish_to(folder, f"s3://{bucket}/pod", _options(moto, public))
    assert rerun.uploaded[-2:] == ["index.html", "feed.xml"] and all(v.ok for v in rerun.verdicts)


@pytest.mark.slow
def test_render_does_not_import_the_upload_libraries(tmp_path):
    script = (
        "import sys; from podcast.cli import cli; from click.testing import CliRunner; "
        f"r = CliRunner().invoke(cli, ['-q', 'render', {str(ROOT / 'seeds' / 'openai-ouvre-ses-modeles.txt')!r}, "
        f"'-o', {str(tmp_path / 'out')!r}, '--engine', 'espeak']); assert r.exit_code == 0, r.output; "
        "print(sorted(m for m in ('boto3', 'botocore', 'paramiko', 'podcast.publish') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.slow
def test_a_local_file_gone_halfway_is_one_error_and_the_feed_stays_unsent(seed_episode, tmp_path, moto, bucket):
    from podcast.errors import InputError

    folder, public = _folder(seed_episode, tmp_path, moto, bucket)
    [vtt] = folder.glob("*.vtt")

    def progress(done, total, name):
        if name.endswith(".mp3"):
            vtt.unlink(missing_ok=True)  # deleted by someone while the MP3 is on its way

    with pytest.raises(InputError, match="cannot read") as caught:
        publish_to(folder, f"s3://{bucket}/pod", _options(moto, public), progress=progress)
    assert caught.value.exit_code == 1 and str(vtt) in str(caught.value)
    keys = moto.keys(bucket)
    assert any(key.endswith(".mp3") for key in keys) and not any(key.endswith("feed.xml") for key in keys)


def test_the_publish_table_sits_beside_the_show_settings(tmp_path):
    from podcast.errors import InputError
    from podcast.publish.target import make_publisher
    from podcast.show.settings import load_show, publish_settings

    settings = tmp_path / "podcast.toml"
    settings.write_text(
        f'title = "Mon émission"\nbase_url = "{PUBLIC}"\n\n[publish]\nto = "s3://b/p"\nregion = "fr-par"\n'
        'delete = true\npublic_url = "https://cdn.example.org/p/"\n'
    )
    assert load_show(settings).title == "Mon émission"  # the show settings still load
    table = publish_settings(settings, tmp_path)
    assert (table.to, table.delete, table.public_url, table.verify) == (
        "s3://b/p",
        True,
        "https://cdn.example.org/p/",
        None,
    )
    assert make_publisher(table.to, table.target_options).settings["region"] == "fr-par"
    settings.write_text('[publish]\ndelete = "yes"\n')
    with pytest.raises(InputError, match="'delete' must be true or false"):
        publish_settings(settings, tmp_path)
    with pytest.raises(InputError, match="unknown publish option"):
        make_publisher("s3://b/p", {"regoin": "fr-par"})
    with pytest.raises(InputError, match="endpoint-url"):
        make_publisher("s3://b/p", {"endpoint_url": "not a url"})


def test_a_public_url_typed_with_spaces_matches_the_encoded_base_url():
    show = Show(base_url="https://podcast.example.org/mon%20podcast/%C3%A9t%C3%A9/")
    check_base_url(show, "https://podcast.example.org/mon podcast/été/")  # the same place: no error
    with pytest.raises(InputError, match="base_url is"):
        check_base_url(show, "https://podcast.example.org/autre/")
