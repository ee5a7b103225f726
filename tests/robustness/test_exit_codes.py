"""The documented exit codes (podcast.errors) and --debug: users never see a traceback unless they ask.

0 success, 1 bad input, 2 usage, 3 engine or network, 4 output, 130 interrupted;
70 is a bug (an exception that is not the project's own), still one line.
"""

from __future__ import annotations

import importlib
import json
import os
import signal

import pytest

from podcast import errors
from podcast.cli import cli
from tests.conftest import make_runner as cli_runner  # stdout and stderr apart on every Click
from tests.support.hostile import SHORT_ARTICLE, assert_one_line_error, only_episode, run_cli, sha256, stray_files


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(SHORT_ARTICLE, "utf-8")
    return path


def test_documented_codes():
    assert (
        errors.EXIT_OK,
        errors.EXIT_INPUT,
        errors.EXIT_USAGE,
        errors.EXIT_ENGINE,
        errors.EXIT_OUTPUT,
        errors.EXIT_INTERRUPTED,
    ) == (0, 1, 2, 3, 4, 130)
    assert (errors.InputError.exit_code, errors.EngineError.exit_code, errors.OutputError.exit_code) == (1, 3, 4)


@pytest.mark.slow
@pytest.mark.parametrize(
    "args, words",
    [
        (["render", "--jobs", "0", "x.txt"], "--jobs"),
        (["render", "--speed", "vite", "x.txt"], "--speed"),
        (["nosuchcommand"], "No such command"),
        (["script"], "Missing argument"),
        (["--nosuchflag"], "No such option"),
    ],
)
def test_usage_errors_exit_2_with_clicks_usage_text(tmp_path, args, words):
    run = run_cli(*args, cwd=tmp_path)
    assert run.code == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert "Usage:" in run.stderr and words in run.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("option", [["-o", ""], ["--output="]])
def test_empty_output_folder_is_a_usage_error(tmp_path, article, option):
    """`-o ""` (an unset shell variable) would be the current folder: a usage error instead."""
    here = tmp_path / "here"
    here.mkdir()
    run = run_cli("render", "--engine", "espeak", *option, article, cwd=here)
    assert run.code == 2, run.stderr
    assert "Traceback" not in run.stderr and "Usage:" in run.stderr
    assert [line for line in run.lines if line.startswith("Error:")] == [
        "Error: Invalid value for '-o' / '--output': the folder name is empty (leave the option out for the default)"
    ]
    assert list(here.iterdir()) == []  # nothing rendered into the current folder


@pytest.mark.parametrize(
    "command", [["render", "--cache-dir", ""], ["cache", "info", "--cache-dir", ""], ["feed", ""], ["serve", ""]]
)
def test_empty_folder_arguments_are_usage_errors(tmp_path, article, command):
    """Every folder parameter refuses an empty value rather than meaning the current folder."""
    here = tmp_path / "here"
    here.mkdir()
    run = run_cli(*command, *([article, "--engine", "espeak"] if command[0] == "render" else []), cwd=here)
    assert run.code == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert any(line.startswith("Error:") and "the folder name is empty" in line for line in run.lines), run.stderr
    assert list(here.iterdir()) == []


@pytest.mark.slow
def test_engine_unreachable_exits_3_in_one_line(tmp_path, article):
    # conftest points PODCAST_GTTS_URL at a closed local port.
    out = tmp_path / "audio"
    run = run_cli("render", "--engine", "gtts", "-o", out, article, cwd=tmp_path)
    assert_one_line_error(run, 3, "gtts")
    assert stray_files(out) == []


def test_unknown_engine_is_bad_input(tmp_path, article):
    run = run_cli("script", "--engine", "nosuchengine", article, cwd=tmp_path)
    assert_one_line_error(run, 1, "nosuchengine")


def test_output_folder_under_a_file_exits_4(tmp_path, article):
    blocker = tmp_path / "fichier"
    blocker.write_text("pas un dossier")
    run = run_cli("render", "--engine", "espeak", "-o", blocker / "audio", article, cwd=tmp_path)
    assert_one_line_error(run, 4, str(blocker / "audio"))
    assert blocker.read_text() == "pas un dossier"


@pytest.mark.slow
def test_unwritable_output_folder_exits_4(tmp_path, article):
    from tests.support.hostile import as_plain_user

    preexec = as_plain_user()
    out = tmp_path / "audio"
    out.mkdir()
    out.chmod(0o555)
    try:
        run = run_cli("render", "--engine", "espeak", "-o", out, article, cwd=tmp_path, preexec_fn=preexec)
    finally:
        out.chmod(0o755)
    assert_one_line_error(run, 4, str(out))
    assert stray_files(out) == []


@pytest.mark.slow
def test_debug_shows_the_traceback_and_still_the_one_line(tmp_path):
    missing = tmp_path / "absent.txt"
    plain = run_cli("script", missing, cwd=tmp_path)
    assert_one_line_error(plain, 1, str(missing), "no such file")
    debug = run_cli("--debug", "script", missing, cwd=tmp_path)
    assert debug.code == 1
    assert "Traceback (most recent call last)" in debug.stderr
    assert "InputError" in debug.stderr
    assert debug.lines[-1] == plain.lines[0]


def test_a_bug_is_one_line_exit_70_and_debug_shows_where(monkeypatch, article):
    """An exception that is not a PodcastError is a bug: one line pointing at --debug, never a traceback."""
    import podcast.api

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero\nsecond line of the message")

    monkeypatch.setattr(podcast.api, "read_article", broken)  # the front door reads every article
    runner = cli_runner()
    result = runner.invoke(cli, ["script", str(article)])
    assert result.exit_code == errors.EXIT_INTERNAL == 70
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "internal error: ZeroDivisionError" in lines[0] and "--debug" in lines[0]
    assert "Traceback" not in result.stderr

    result = runner.invoke(cli, ["--debug", "script", str(article)])
    assert result.exit_code == 70
    assert "Traceback (most recent call last)" in result.stderr
    assert "in broken" in result.stderr


def test_full_disk_errors_not_wrapped_by_the_library_still_exit_4(monkeypatch, article, tmp_path):
    """The net under any write the library forgot to wrap: ENOSPC is an output error, one line."""
    import errno

    import podcast.api

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "x"))

    monkeypatch.setattr(podcast.api, "read_article", full)  # the front door reads every article
    result = cli_runner().invoke(cli, ["script", str(article)])
    assert result.exit_code == 4
    assert result.stderr.splitlines() == [f"podcast: error: {tmp_path / 'x'}: cannot write: No space left on device"]


def test_error_message_with_a_newline_stays_one_line(tmp_path):
    weird = tmp_path / "deux\nlignes.txt"
    run = run_cli("script", weird, cwd=tmp_path)
    assert_one_line_error(run, 1, "deux\\nlignes.txt", "no such file")


@pytest.mark.slow
def test_ctrl_c_while_publishing_waits_until_the_manifest_matches_the_mp3(monkeypatch, tmp_path, article):
    """Ctrl-C landing between the MP3's rename and the manifest's write is held until both are there."""
    # The module, not the function `podcast.render` that the package exports under the same name.
    render_module = importlib.import_module("podcast.api")

    out = tmp_path / "audio"
    runner = cli_runner()
    assert runner.invoke(cli, ["-q", "render", "--engine", "espeak", "-o", str(out), str(article)]).exit_code == 0
    mp3 = only_episode(out)
    before = sha256(mp3)

    article.write_text(SHORT_ARTICLE.replace("lundi matin", "mardi soir"), "utf-8")
    real = render_module.write_sidecars

    def interrupted_then_write(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)  # as if the user pressed Ctrl-C right now
        return real(*args, **kwargs)

    monkeypatch.setattr(render_module, "write_sidecars", interrupted_then_write)
    result = runner.invoke(cli, ["-q", "render", "--engine", "espeak", "-o", str(out), str(article)])
    assert result.exit_code == 130, result.stderr
    assert result.stderr.splitlines() == ["podcast: interrupted"]
    after = sha256(mp3)
    assert after != before
    manifest = json.loads(mp3.with_suffix(".json").read_text("utf-8"))
    assert manifest["sha256"] == after
    assert "mardi soir" in json.dumps(manifest, ensure_ascii=False)


@pytest.mark.slow
def test_other_commands_fail_in_one_line(tmp_path):
    """feed and serve on bad folders, a broken manifest, a port in use: one line, documented code."""
    import socket

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "episode.json").write_text('{"manifest_version": 1, "slug": ', "utf-8")
    assert_one_line_error(run_cli("feed", tmp_path / "absent", cwd=tmp_path), 1, "absent", "no such folder")
    assert_one_line_error(run_cli("feed", broken, cwd=tmp_path), 1, "episode.json", "manifest")
    assert_one_line_error(run_cli("serve", tmp_path / "absent", cwd=tmp_path), 1, "absent")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        run = run_cli("serve", tmp_path, "--port", port, cwd=tmp_path, timeout=30)
    assert_one_line_error(run, 4, str(port))


def test_stdout_closed_by_the_reader_is_silent(tmp_path, article):
    """`podcast script x | head`: when the reader has gone, no error line, exit 141 as Unix tools."""
    import subprocess
    import sys

    from tests.support.hostile import cli_env

    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line is written
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "podcast", "script", str(article)],
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=cli_env(),
            cwd=tmp_path,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert proc.returncode == errors.EXIT_BROKEN_PIPE == 141
    assert proc.stderr == b""
