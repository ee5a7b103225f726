"""Every CLI command has help text and is documented in the README (as sqlite-utils checks)."""

from __future__ import annotations

import re

import click
import pytest

from podcast.cli import cli

from .conftest import ROOT

README = (ROOT / "README.md").read_text("utf-8")


def _commands(group: click.Group, prefix: str = "podcast"):
    for name, command in group.commands.items():
        full = f"{prefix} {name}"
        yield full, command
        if isinstance(command, click.Group):
            yield from _commands(command, full)


COMMANDS = sorted(_commands(cli), key=lambda pair: pair[0])


@pytest.mark.parametrize("name,command", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_has_help_and_is_in_readme(name, command):
    assert (command.help or "").strip(), f"{name} has no help text"
    assert f"`{name}" in README, f"{name} is not documented in README.md"


@pytest.mark.parametrize("name,command", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_option_has_help(name, command):
    for param in command.params:
        if isinstance(param, click.Option):
            assert (param.help or "").strip(), f"{name} {param.opts[0]} has no help text"


def test_render_options_are_in_readme():
    render = cli.commands["render"]
    missing = [
        p.opts[-1]
        for p in render.params
        if isinstance(p, click.Option) and not any(f"`{opt}" in README for opt in p.opts) and p.opts[-1] != "--help"
    ]
    assert not missing, f"render options missing from README.md: {missing}"


def test_readme_test_command_is_what_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    command = re.search(r"```sh\n(python -m pip install -e '\.\[test\]'[^\n]*)\n```", README).group(1)
    assert command in ci
