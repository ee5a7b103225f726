"""Ctrl-C, SIGTERM and SIGHUP at chosen steps of a real render (`tests/support/signalling.py`):
while the CLI loads, while temps are made and renamed, when ffmpeg starts, and when the cover,
the feed and the page begin. Every stop ends the same way: the one line `podcast: interrupted`,
exit 130, no traceback, no death by signal, and no temp file anywhere (output, cache, cwd)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from podcast.files import tomllib
from tests.support.hostile import ROOT, SHORT_ARTICLE, cli_env

pytestmark = pytest.mark.slow  # signals at chosen steps of real renders

EARLY = ("import podcast.cli", "import click", "import click.core", "import podcast.options")
"""Steps while the CLI is loading, before any handler of its own is set."""
STAGES = ("import PIL", "import podcast.show.feed", "import podcast.show.page", "import podcast.api")
"""The first import of a stage: the render, the cover, the feed, the page."""


def _run(tmp_path: Path, signal_name: str, step: int, *, group: bool = False, entry: str = "", listing: bool = False):
    work = tmp_path / f"{signal_name}-{step}-{'group' if group else 'one'}-{entry or 'module'}"
    work.mkdir()
    (work / "article.txt").write_text(SHORT_ARTICLE, "utf-8")
    extra = {"PODCAST_CACHE_DIR": str(work / "cache"), "PODCAST_STEPS_FILE": str(work / "steps")}
    if group:
        extra["PODCAST_SIGNAL_GROUP"] = "1"
    if entry:
        extra["PODCAST_ENTRY"] = entry
    proc = subprocess.run(
        [sys.executable, "-m", "tests.support.signalling", signal_name, str(step)]
        + ["render", "--engine", "espeak", "-o", str(work / "out"), str(work / "article.txt")],
        cwd=work,
        env={**cli_env(**extra), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        timeout=120,
        start_new_session=True,  # a group signal reaches this run and its ffmpeg, never pytest
    )
    steps = (work / "steps").read_text("utf-8").splitlines() if listing else []
    return proc, work, steps


@pytest.fixture(scope="module")
def steps(tmp_path_factory) -> list[str]:
    """The steps of one uninterrupted render, in order."""
    proc, _, found = _run(tmp_path_factory.mktemp("listing"), "SIGTERM", 0, listing=True)
    assert proc.returncode == 0, proc.stderr
    return found


def _index(steps: list[str], name: str) -> int:
    return steps.index(name) + 1  # steps count from 1


def _assert_stopped_cleanly(proc: subprocess.CompletedProcess, work: Path) -> None:
    stderr = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    assert proc.returncode == 130, (proc.returncode, stderr)
    lines = stderr.splitlines()
    assert lines and lines[-1] == "podcast: interrupted", stderr
    assert all(line.startswith("podcast: ") for line in lines), stderr  # notices before it, one line each
    temps = sorted(str(p.relative_to(work)) for p in work.rglob("*") if ".podcast-tmp-" in p.name or ".tmp-" in p.name)
    assert temps == [], temps


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM", "SIGHUP"])
@pytest.mark.parametrize("name", EARLY)
def test_a_stop_while_the_cli_loads_ends_in_one_line(tmp_path, steps, signal_name, name):
    proc, work, _ = _run(tmp_path, signal_name, _index(steps, name))
    _assert_stopped_cleanly(proc, work)


def test_the_console_script_entry_handles_an_early_ctrl_c_too(tmp_path, steps):
    """The `podcast` command pip installs imports the entry pyproject.toml names, then calls it."""
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]
    entry = scripts["podcast"]
    listing, _, entry_steps = _run(tmp_path, "SIGTERM", 0, entry=entry, listing=True)
    assert listing.returncode == 0, listing.stderr
    for signal_name in ("SIGINT", "SIGTERM"):
        proc, work, _ = _run(tmp_path, signal_name, _index(entry_steps, "import click"), entry=entry)
        _assert_stopped_cleanly(proc, work)


def _render_steps(steps: list[str]) -> list[tuple[int, str]]:
    chosen = [
        (number, what)
        for number, what in enumerate(steps, 1)
        if what.startswith(("temp ", "rename ", "spawn ")) or what in STAGES
    ]
    assert len(chosen) > 15, steps  # temps, renames, ffmpeg runs and stages were all seen
    return chosen


def test_sigterm_at_every_temp_rename_and_stage_leaves_nothing(tmp_path, steps):
    """Including a clip-cache write still running in a worker thread when the stop comes: the
    worker is held there (as on a slow disk) while the process ends. Every other step of the
    list (about 35 in all) and every clip-cache write, to keep the run near a minute."""
    chosen = _render_steps(steps)
    chosen = sorted(set(chosen[::2]) | {(n, what) for n, what in chosen if what.startswith("temp .tmp-")})
    for number, what in chosen:
        proc, work, _ = _run(tmp_path, "SIGTERM", number)
        try:
            _assert_stopped_cleanly(proc, work)
        except AssertionError as exc:
            raise AssertionError(f"SIGTERM at step {number} ({what}): {exc}") from None


def test_sighup_to_the_whole_group_is_an_interrupt_not_an_ffmpeg_failure(tmp_path, steps):
    """A closed terminal signals every process of the group: ffmpeg dies of it too, and the
    user is told `interrupted` (130), not that ffmpeg failed (4)."""
    chosen = [(n, what) for n, what in _render_steps(steps) if what.startswith("spawn ")]
    assert any(what.startswith("spawn ") for _, what in chosen)
    for number, what in chosen:
        proc, work, _ = _run(tmp_path, "SIGHUP", number, group=True)
        try:
            _assert_stopped_cleanly(proc, work)
        except AssertionError as exc:
            raise AssertionError(f"SIGHUP to the group at step {number} ({what}): {exc}") from None
