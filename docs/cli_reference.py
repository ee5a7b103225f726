"""Write docs/cli.md: every `podcast` command's --help, as Click prints it, in one Markdown page.

    python docs/cli_reference.py           # rewrite docs/cli.md
    python docs/cli_reference.py --check   # exit 1 if docs/cli.md is not what the CLI says today

The help is formatted by Click itself at a fixed width (100 columns), so the page is the same on
every terminal; tests/test_docs.py fails when the page and the CLI disagree.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import click

HERE = Path(__file__).resolve().parent
TARGET = HERE / "cli.md"
WIDTH = 100
REGENERATE = "python docs/cli_reference.py"


def stale_entry_points() -> list[str]:
    """The entry points pyproject.toml declares that the installed metadata lacks or names otherwise.

    Engines and publishers come from the installed package's entry points, and so do the flags
    they declare: an install older than pyproject.toml (a renamed module) drops those flags, and
    a reference made from it would be wrong. Reinstalling (`pip install -e .`) fixes it.
    """
    from importlib.metadata import entry_points

    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib

    project = tomllib.loads((HERE.parent / "pyproject.toml").read_text("utf-8"))["project"]
    stale = []
    for group, declared in project.get("entry-points", {}).items():
        installed = {point.name: point.value for point in entry_points(group=group)}
        for name, value in declared.items():
            if installed.get(name) != value:
                stale.append(f"[{group}] {name} = {value!r}, installed: {installed.get(name)!r}")
    return stale


def _root() -> tuple[click.Group, click.Context]:
    from podcast.cli import cli

    settings = {"terminal_width": WIDTH, "max_content_width": WIDTH, **cli.context_settings}
    return cli, click.Context(cli, info_name="podcast", **settings)


def _walk(group: click.Group, ctx: click.Context) -> Iterator[click.Context]:
    for name in group.list_commands(ctx):
        # resolve_command, as a command line does: `podcast` gives each command the global options.
        _, command, _ = group.resolve_command(ctx, [name])
        assert command is not None, name
        sub = click.Context(command, info_name=name, parent=ctx, **command.context_settings)
        yield sub
        if isinstance(command, click.Group):
            yield from _walk(command, sub)


def contexts() -> list[click.Context]:
    """`podcast` and each of its commands (subcommands after their group), by name."""
    cli, root = _root()
    return [root, *_walk(cli, root)]


def commands() -> list[tuple[str, click.Command]]:
    """Each command's full name (`podcast cache info`) and its Click command, `podcast` itself excluded."""
    return [(ctx.command_path, ctx.command) for ctx in contexts()[1:]]


def _anchor(title: str) -> str:
    return title.lower().replace(" ", "-")


def reference() -> str:
    """The text of docs/cli.md, made from the CLI as it is now."""
    pages = [(ctx.command_path, ctx.get_help()) for ctx in contexts()]
    lines = [
        "# Command-line reference",
        "",
        f"<!-- Generated from each command's --help by docs/cli_reference.py: do not edit; run `{REGENERATE}`. -->",
        "",
        f"Every command's `--help`, as it prints at {WIDTH} columns. The topic pages explain the",
        "options at length: see [the table of contents](index.md).",
        "",
    ]
    lines += [f"- [`{path}`](#{_anchor(path)})" for path, _ in pages]
    for path, text in pages:
        lines += ["", f"## {path}", "", "```text", text.rstrip(), "```"]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    os.environ.pop("COLUMNS", None)  # the width is fixed anyway; nothing else may depend on the terminal
    stale = stale_entry_points()
    if stale:
        click.echo(
            "the installed package is older than pyproject.toml, so some flags are missing: "
            + "; ".join(stale)
            + "\nreinstall it (python -m pip install -e '.[test]'), then run this again",
            err=True,
        )
        return 1
    text = reference()
    if argv == ["--check"]:
        if TARGET.exists() and TARGET.read_text("utf-8") == text:
            return 0
        click.echo(f"{TARGET} is out of date: run `{REGENERATE}`", err=True)
        return 1
    if argv:
        click.echo(__doc__, err=True)
        return 2
    TARGET.write_text(text, "utf-8", newline="\n")
    click.echo(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))  # this checkout's package, installed or not
    sys.exit(main(sys.argv[1:]))
