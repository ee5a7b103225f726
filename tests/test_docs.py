"""The docs say what the CLI does: docs/cli.md is its --help, every command and flag is documented,
every link leads somewhere, and the README stays a landing page whose set-up commands CI runs."""

from __future__ import annotations

import ast
import difflib
import importlib.util
import re
from pathlib import Path

import click
import pytest

import podcast

from .conftest import ROOT

DOCS = ROOT / "docs"
README = (ROOT / "README.md").read_text("utf-8")
PAGES = sorted(DOCS.glob("*.md"))
CLI_MD = DOCS / "cli.md"


def _generator():
    spec = importlib.util.spec_from_file_location("cli_reference", DOCS / "cli_reference.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATOR = _generator()
COMMANDS = GENERATOR.commands()
IDS = [name for name, _ in COMMANDS]


def _text(paths) -> str:
    return "\n".join(path.read_text("utf-8") for path in paths)


def _flags(command: click.Command) -> list[str]:
    """Every spelling of every visible option (`--verify` and `--no-verify`, `-o` and `--output`)."""
    return [
        opt
        for param in command.params
        if isinstance(param, click.Option) and not param.hidden
        for opt in (*param.opts, *param.secondary_opts)
    ]


def _mentions(flag: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", text) is not None


def _names(command: str, text: str) -> bool:
    """`text` has `command` in code, as itself (`podcast cache` is not `podcast cache info`)."""
    return re.search(rf"`{re.escape(command)}(?![\w-])", text) is not None


def _without_code_blocks(text: str) -> str:
    return re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)


def test_cli_reference_is_what_the_cli_says():
    stale = GENERATOR.stale_entry_points()
    if stale:
        pytest.skip(
            "the installed package's entry points are older than pyproject.toml, so its CLI lacks "
            f"flags a fresh install has ({'; '.join(stale)}): reinstall with python -m pip install -e '.[test]'"
        )
    expected = GENERATOR.reference()
    actual = CLI_MD.read_text("utf-8") if CLI_MD.exists() else ""
    diff = "\n".join(list(difflib.unified_diff(actual.splitlines(), expected.splitlines(), lineterm=""))[:40])
    assert actual == expected, f"docs/cli.md is out of date: run `{GENERATOR.REGENERATE}`\n{diff}"


@pytest.mark.parametrize("name,command", COMMANDS, ids=IDS)
def test_command_has_help(name, command):
    assert (command.help or "").strip(), f"{name} has no help text"


@pytest.mark.parametrize("name,command", COMMANDS, ids=IDS)
def test_every_option_has_help(name, command):
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert (param.help or "").strip(), f"{name} {param.opts[0]} has no help text"


@pytest.mark.parametrize("name,command", COMMANDS, ids=IDS)
def test_command_and_its_flags_are_in_the_docs(name, command):
    docs = _text(PAGES)
    assert _names(name, docs), f"{name} is not in docs/"
    missing = [flag for flag in _flags(command) if not _mentions(flag, docs)]
    assert not missing, f"{name}: flags missing from docs/: {missing}"


def test_global_options_are_in_the_readme():
    cli, root = GENERATOR.contexts()[0].command, GENERATOR.contexts()[0]
    flags = [*_flags(cli), *root.help_option_names]
    missing = [flag for flag in flags if not _mentions(flag, README)]
    assert not missing, f"global options missing from README.md: {missing}"


def test_every_command_is_in_the_readme_table():
    section = README.split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    table = "\n".join(line for line in section.splitlines() if line.startswith("|"))
    missing = [name for name, _ in COMMANDS if not _names(name, table)]
    assert not missing, f"commands missing from the README's commands table: {missing}"


def test_render_flags_are_explained_beyond_the_generated_reference():
    """Each `podcast render` flag is explained in the README or a topic page, not only listed in cli.md."""
    prose = _text([ROOT / "README.md", *(page for page in PAGES if page != CLI_MD)])
    render = dict(COMMANDS)["podcast render"]
    missing = [
        param.opts[-1]
        for param in render.params
        if isinstance(param, click.Option)
        and not param.hidden
        and not any(f"`{opt}" in prose for opt in (*param.opts, *param.secondary_opts))
    ]
    assert not missing, f"render flags explained nowhere but docs/cli.md: {missing}"


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = _without_code_blocks(path.read_text("utf-8"))
    return {_anchor(match) for match in re.findall(r"^#+ (.+)$", text, flags=re.M)}


@pytest.mark.parametrize("page", [ROOT / "README.md", *PAGES], ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_lead_somewhere(page):
    text = _without_code_blocks(page.read_text("utf-8"))
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
            continue
        path, _, fragment = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists():
            broken.append(target)
        elif fragment and file.suffix == ".md" and fragment not in _anchors(file):
            broken.append(f"{target} (no such heading)")
    assert not broken, f"{page.name}: broken links: {broken}"


def test_readme_set_up_commands_are_verbatim():
    blocks = re.findall(r"```sh\n(.*?)\n```", README, flags=re.S)
    assert "python -m pip install . && python -m podcast render" in blocks
    assert "python -m pip install -e '.[test]' && python -m pytest -q" in blocks


def test_readme_test_command_is_what_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    command = re.search(r"```sh\n(python -m pip install -e '\.\[test\]'[^\n]*)\n```", README).group(1)
    assert command in ci


def test_readme_python_example_imports_what_podcast_exports():
    code = re.search(r"```python\n(.*?)```", README, flags=re.S).group(1)
    tree = ast.parse(code)
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names]
    assert imported, "the README's Python example imports nothing from podcast"
    assert not set(imported) - set(podcast.__all__)


def test_readme_is_a_landing_page():
    lines = len(README.splitlines())
    assert lines < 250, f"README.md has {lines} lines: move the reference to docs/"
