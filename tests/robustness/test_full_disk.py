"""A full disk or a file-size limit: one clear line, exit 4, and nothing partial under a final name.

Three real limits, no mocks:
- RLIMIT_FSIZE in the CLI's subprocess (SIGXFSZ ignored, as Python does): every write past the
  limit fails with EFBIG, ffmpeg's included;
- a small tmpfs as the output folder (root only; skipped where mounting is not allowed):
  ENOSPC at whichever write runs out first;
- RLIMIT_FSIZE in this process around one atomic write, for the small files (manifest, feed).
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import subprocess
import uuid
from pathlib import Path

import pytest

from podcast.errors import OutputError
from podcast.files import TEMP_PREFIX, write_text
from tests.support.hostile import (
    SHORT_ARTICLE,
    assert_one_line_error,
    assert_valid_mp3,
    only_episode,
    run_cli,
    sha256,
    stray_files,
)

pytestmark = pytest.mark.slow  # renders against a file-size limit and small tmpfs


def _file_size_limit(limit: int):
    def preexec() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    return preexec


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(SHORT_ARTICLE * 2, "utf-8")
    return path


@pytest.mark.parametrize("limit", [4096, 200_000])
def test_file_size_limit_keeps_the_previous_episode(tmp_path, article, limit):
    out, cache = tmp_path / "audio", tmp_path / "cache"
    assert run_cli("-q", "render", "--engine", "espeak", "-o", out, "--cache-dir", cache, article).code == 0
    mp3 = only_episode(out)
    before = {p.name: sha256(p) for p in out.iterdir()}

    article.write_text(SHORT_ARTICLE * 3, "utf-8")  # a longer new version, not in the cache
    run = run_cli(
        "-q",
        "render",
        "--engine",
        "espeak",
        "-o",
        out,
        "--cache-dir",
        cache,
        article,
        preexec_fn=_file_size_limit(limit),
    )
    line = assert_one_line_error(run, 4, str(out))
    assert "file too large" in line.lower() or "size limit" in line
    assert {p.name: sha256(p) for p in out.iterdir()} == before  # untouched, no temp file left
    assert_valid_mp3(mp3)


def _mount_tmpfs(where: Path, kilobytes: int) -> None:
    where.mkdir()
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={kilobytes}k,mode=0755", f"podcast-{uuid.uuid4().hex[:8]}", str(where)],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({proc.stderr.strip() or proc.returncode})")


@contextlib.contextmanager
def small_filesystem(where: Path, kilobytes: int):
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root; the RLIMIT_FSIZE tests cover the rest")
    _mount_tmpfs(where, kilobytes)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


# The lossless intermediate of pass one (~400 KB here) does not fit; the MP3 of pass two does
# not fit beside it; roomy enough to finish. Later writes are small and come after the
# intermediate is deleted: the in-process limit test below covers them.
@pytest.mark.parametrize("kilobytes", [64, 500, 6000])
def test_full_disk_is_one_line_and_leaves_nothing_partial(tmp_path, article, kilobytes):
    with small_filesystem(tmp_path / "disk", kilobytes) as disk:
        out = disk / "audio"
        run = run_cli("-q", "render", "--engine", "espeak", "-o", out, "--cache-dir", tmp_path / "cache", article)
        assert "Traceback" not in run.stderr
        if run.code == 0:
            mp3 = only_episode(out)
            assert_valid_mp3(mp3, min_seconds=5)
            assert json.loads(mp3.with_suffix(".json").read_text("utf-8"))["sha256"] == sha256(mp3)
        else:
            assert_one_line_error(run, 4, str(out), "No space left on device")
            assert TEMP_PREFIX not in run.stderr  # the message names the folder, not a temp file
            assert stray_files(out) == []
        if out.exists():
            assert not list(out.rglob(TEMP_PREFIX + "*"))
    if kilobytes == 6000:
        assert run.code == 0, run.stderr
    if kilobytes == 64:
        assert run.code == 4


def test_atomic_write_past_the_limit_keeps_the_old_file(tmp_path):
    """The small files (manifest, sidecars, feed) go through atomic writes: a failed one raises
    OutputError naming the file and leaves the previous version and no temp file."""
    target = tmp_path / "feed.xml"
    write_text(target, "<rss>ancien</rss>\n")
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1000, hard))
    try:
        with pytest.raises(OutputError) as caught:
            write_text(target, "<rss>" + "x" * 50_000 + "</rss>\n")
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert str(target) in str(caught.value) and "File too large" in str(caught.value)
    assert target.read_text() == "<rss>ancien</rss>\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed.xml"]
