"""Publishing integrity (issue 14, items 5, 7, 8, 15): each window forced, none left to luck.

- a disk that fills up exactly while the captions or the manifest are written;
- SIGKILL after each rename of the publish step (the next reader of the folder finishes it);
- two renders of one slug whose publish steps would interleave, and two renders of different
  articles whose episode numbers would collide (`tests/support/racing.py` holds one process inside its
  publish step until the other has finished or waits for the lock);
- the stale-temp sweep of one render meeting another render's temp files, aged two hours;
- the manifest's record of the source.

Real renders (espeak, bundled ffmpeg) through the real CLI; nothing is mocked.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import feedparser
import pytest

from podcast.files import TEMP_PREFIX, FileGroup, remove_stale_temps
from tests.conftest import make_runner
from tests.robustness.test_full_disk import small_filesystem
from tests.support.hostile import (
    SHORT_ARTICLE,
    assert_valid_mp3,
    cli_env,
    espeak_render_argv,
    only_episode,
    run_cli,
    sha256,
    temp_files,
)

pytestmark = pytest.mark.slow  # kills and races inside the publish step

NEW_WORDS = "mardi soir"


def _render(*args, **kwargs):
    return run_cli("-q", "render", "--engine", "espeak", *args, **kwargs)


def _article(folder: Path, name: str = "article.txt", title: str = "Titre court", words: str = "lundi matin") -> Path:
    path = folder / name
    path.write_text(SHORT_ARTICLE.replace("Titre court", title).replace("lundi matin", words), "utf-8")
    return path


def _assert_consistent(out: Path, words: str | None = None) -> dict:
    """The one episode in `out`: its manifest describes its MP3, and its captions are that render's."""
    mp3 = only_episode(out)
    manifest = json.loads(mp3.with_suffix(".json").read_text("utf-8"))
    assert manifest["sha256"] == sha256(mp3) and manifest["size"] == mp3.stat().st_size
    assert_valid_mp3(mp3, min_seconds=3)
    spoken = " ".join(chunk["text"] for chunk in manifest["chunks"])
    vtt = mp3.with_suffix(".vtt").read_text("utf-8")
    srt = mp3.with_suffix(".srt").read_text("utf-8")
    for version in ("lundi matin", "mardi soir"):
        # captions and manifest are from the same render as the MP3
        assert (version in vtt) == (version in srt) == (version in spoken), version
    if words is not None:
        assert words in spoken
    assert temp_files(out) == []
    return manifest


# --- item 5: disk full while the sidecars are written ------------------------------------------


@contextlib.contextmanager
def _no_space_left(target: str, how: str, disk: Path | None):
    """Make the write of the sidecar ending in `target` fail: the disk fills up just before it."""
    real = FileGroup.write_text

    def write_text(self, final, text):
        name = Path(final).name
        if name.endswith(target) and not (target == ".json" and name.endswith(".chapters.json")):
            if how == "fsize":
                soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
                resource.setrlimit(resource.RLIMIT_FSIZE, (16, hard))
                try:
                    return real(self, final, text)
                finally:
                    resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
            assert disk is not None
            with open(disk / "filler", "ab") as fh:  # fill the disk to the last byte
                with contextlib.suppress(OSError):
                    while True:
                        fh.write(b"\0" * 4096)
                        fh.flush()
            with contextlib.suppress(OSError), open(disk / "filler2", "ab", buffering=0) as fh:
                while fh.write(b"\0"):
                    pass
        return real(self, final, text)

    FileGroup.write_text = write_text  # type: ignore[method-assign]
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        yield
    finally:
        FileGroup.write_text = real  # type: ignore[method-assign]
        signal.signal(signal.SIGXFSZ, previous)


@pytest.mark.parametrize("how", ["fsize", "tmpfs"])
@pytest.mark.parametrize("target", [".vtt", ".json"])
def test_disk_full_while_writing_the_sidecars_keeps_the_previous_episode(tmp_path, how, target):
    from podcast.cli import cli

    article = _article(tmp_path)
    stack = contextlib.ExitStack()
    disk = stack.enter_context(small_filesystem(tmp_path / "disk", 4000)) if how == "tmpfs" else None
    with stack:
        out = (disk or tmp_path) / "audio"
        args = ["-q", "render", "--engine", "espeak", "-o", str(out), "--cache-dir", str(tmp_path / "cache")]
        assert make_runner().invoke(cli, [*args, str(article)]).exit_code == 0
        before = {p.name: sha256(p) for p in out.iterdir()}
        _article(tmp_path, words=NEW_WORDS)
        with _no_space_left(target, how, disk):
            result = make_runner().invoke(cli, [*args, str(article)])
        assert result.exit_code == 4, (result.exit_code, result.stderr)
        line = result.stderr.strip()
        assert "\n" not in line and ("No space left" in line or "too large" in line), line
        assert {p.name: sha256(p) for p in out.iterdir()} == before  # the old episode, whole; no temp
        _assert_consistent(out, "lundi matin")


# --- item 5: SIGKILL between the renames of the publish step ----------------------------------


def _racing(spec: dict, *args) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.support.racing",
            json.dumps(spec),
            "-q",
            "render",
            "--engine",
            "espeak",
            *args,
        ],
        env=cli_env(),
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.parametrize("kill_after", [1, 2, 4])
def test_sigkill_between_the_renames_is_finished_by_the_next_reader(tmp_path, kill_after):
    """Killed after the K-th of the five renames, the folder is one render's episode once anything reads it."""
    out, cache = tmp_path / "audio", tmp_path / "cache"
    article = _article(tmp_path)
    assert _render("-o", out, "--cache-dir", cache, article).code == 0
    _article(tmp_path, words=NEW_WORDS)
    proc = _racing({"kill": kill_after, "out": str(out)}, "-o", str(out), "--cache-dir", str(cache), str(article))
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL, err.decode()

    run = run_cli("-q", "feed", out, cwd=tmp_path)  # any reader of the folder: feed, render, load_episodes
    assert run.code == 0, run.stderr
    manifest = _assert_consistent(out, NEW_WORDS)  # the killed render had made every file: it is finished
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert [int(e.enclosures[0].length) for e in feed.entries] == [manifest["size"]]


# --- items 5 and 7: two renders publishing at once --------------------------------------------


def _race(tmp_path: Path, first: Path, second: Path, out: Path) -> None:
    sync = tmp_path / "sync"
    sync.mkdir()
    common = ["-o", str(out), "--cache-dir", str(tmp_path / "cache")]
    procs = [
        _racing({"role": role, "sync": str(sync), "out": str(out)}, *common, str(article))
        for role, article in (("first", first), ("second", second))
    ]
    results = [(p.wait(timeout=240), p.communicate()[1].decode()) for p in procs]
    assert results == [(0, ""), (0, "")], results


def test_two_renders_of_one_slug_never_leave_one_mp3_with_the_others_manifest(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = _article(tmp_path / "a", words="lundi matin")
    second = _article(tmp_path / "b", words=NEW_WORDS)
    out = tmp_path / "audio"
    _race(tmp_path, first, second, out)
    manifest = _assert_consistent(out)
    assert manifest["number"] == 1


def test_concurrent_renders_get_distinct_episode_numbers(tmp_path):
    out = tmp_path / "audio"
    first = _article(tmp_path, "premier.txt", title="Article premier")
    second = _article(tmp_path, "second.txt", title="Article second")
    _race(tmp_path, first, second, out)
    numbers = sorted(
        json.loads((out / f"{slug}.json").read_text("utf-8"))["number"]
        for slug in ("article-premier", "article-second")
    )
    assert numbers == [1, 2]
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert sorted(int(e.itunes_episode) for e in feed.entries) == [1, 2]


# --- item 8: the stale-temp sweep and a live render --------------------------------------------


def test_a_live_renders_old_temp_files_survive_another_renders_sweep(tmp_path):
    """Render A is paused mid-synthesis; its temp MP3 is aged two hours; render B publishes into the
    same folder (sweeping it); A then resumes and must publish a whole episode."""
    out, cache = tmp_path / "audio", tmp_path / "cache"
    long = tmp_path / "long.txt"
    long.write_text("Un long article\n\n" + "\n\n".join([SHORT_ARTICLE.split("\n\n", 1)[1]] * 30), "utf-8")
    short = _article(tmp_path, "court.txt", title="Un article court")
    a = subprocess.Popen(
        espeak_render_argv(out, cache, long),
        env=cli_env(),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        while not [p for p in (out.glob(TEMP_PREFIX + "*.mp3") if out.exists() else []) if p.stat().st_size == 0]:
            assert a.poll() is None, a.communicate()[1].decode()
            time.sleep(0.005)
        os.killpg(a.pid, signal.SIGSTOP)
        temps = list(out.glob(TEMP_PREFIX + "*.mp3"))  # the episode's MP3, being made
        assert temps
        two_hours_ago = time.time() - 7200
        for temp in temps:
            os.utime(temp, (two_hours_ago, two_hours_ago))
        assert _render("-o", out, "--cache-dir", cache, short).code == 0  # its sweep sees A's temps
        assert all(temp.exists() for temp in temps)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(a.pid, signal.SIGCONT)
    _, err = a.communicate(timeout=300)
    assert a.returncode == 0, err.decode()
    manifest = json.loads((out / "un-long-article.json").read_text("utf-8"))
    assert manifest["sha256"] == sha256(out / "un-long-article.mp3")
    assert temp_files(out) == []


def test_the_sweep_removes_temps_whose_owner_is_gone_and_keeps_the_rest(tmp_path):
    """A dead render's temp goes at once; a live process's stays however old; one that names no
    owner (an older version's, another machine's) goes after an hour."""
    made = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from podcast.files import FileGroup; print(FileGroup().path(sys.argv[1]))",
            str(tmp_path / "x.mp3"),
        ],
        env=cli_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    dead = Path(made.stdout.strip())
    mine = FileGroup().path(tmp_path / "y.mp3")
    unowned_old = tmp_path / f"{TEMP_PREFIX}abcd1234.mp3"
    unowned_new = tmp_path / f"{TEMP_PREFIX}efgh5678.mp3"
    for path in (unowned_old, unowned_new):
        path.write_bytes(b"")
    two_hours_ago = time.time() - 7200
    for path in (mine, unowned_old):
        os.utime(path, (two_hours_ago, two_hours_ago))
    assert dead.exists()
    assert remove_stale_temps(tmp_path) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, unowned_new.name])


# --- item 15: the manifest does not record where the article lives ---------------------------


def test_the_manifest_records_the_source_file_name_only(tmp_path):
    home = tmp_path / "home" / "jeanne" / "Documents privés"
    home.mkdir(parents=True)
    article = _article(home)
    out = tmp_path / "audio"
    assert _render("-o", out, article.resolve()).code == 0
    manifest = json.loads((out / "titre-court.json").read_text("utf-8"))
    assert manifest["source"] == "article.txt"
    for path in out.iterdir():  # nothing uploaded with the folder names the user's folders
        data = path.read_bytes()
        for private in (str(home), "jeanne", "Documents priv"):
            assert private.encode("utf-8") not in data, (path.name, private)


def test_a_journal_only_ever_renames_temps_onto_plain_names_beside_it(tmp_path):
    """A dead render's journal is finished, but one naming paths elsewhere (tampered) is dropped unused."""
    folder = tmp_path / "audio"
    folder.mkdir()
    (tmp_path / "secret.txt").write_text("à garder", "utf-8")
    made = subprocess.run(  # a dead owner's temps, as a killed render leaves them
        [
            sys.executable,
            "-c",
            "import sys; from podcast.files import FileGroup; g = FileGroup(); "
            "print(g.path(sys.argv[1] + '/a.json')); print(g.path(sys.argv[1] + '/b.json'))",
            str(folder),
        ],
        env=cli_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    good_tmp, bad_tmp = (Path(line) for line in made.stdout.split())
    good_tmp.write_text("{}", "utf-8")
    prefix = good_tmp.name[: good_tmp.name.rindex("-") + 1]  # the dead owner's
    (folder / f"{prefix}good.commit").write_text(json.dumps({"renames": [[good_tmp.name, "a.json"]]}), "utf-8")
    (folder / f"{prefix}evil.commit").write_text(json.dumps({"renames": [[bad_tmp.name, "../secret.txt"]]}), "utf-8")
    (folder / f"{prefix}torn.commit").write_text('{"renames": [["', "utf-8")  # cut short: no rename began
    assert remove_stale_temps(folder) >= 1
    assert sorted(p.name for p in folder.iterdir()) == ["a.json"]
    assert (tmp_path / "secret.txt").read_text("utf-8") == "à garder"
