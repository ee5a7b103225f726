"""The `podcast` command: a thin Click layer over the library (`podcast.render`, ...)."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import select
import signal
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from .cancel import Cancelled, CancelToken
from .errors import (
    EXIT_BROKEN_PIPE,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OUTPUT,
    InputError,
    PodcastError,
)
from .options import Option, OptionError
from .version import __version__

log = logging.getLogger("podcast")


class State:
    debug = False
    quiet = False
    cancel = CancelToken()
    """Cancelled by SIGINT, SIGTERM or SIGHUP while a command runs; the library stops on it."""


def _fail(exc: BaseException) -> None:
    """Print one line for `exc` and exit with its documented code (podcast.errors)."""
    if isinstance(exc, BrokenPipeError) and _stdout_gone():
        # `podcast script x | head`: the reader left; say nothing, as Unix tools do.
        sys.exit(EXIT_BROKEN_PIPE)
    if State.debug:
        traceback.print_exception(type(exc), exc, exc.__traceback__)
    if isinstance(exc, (Cancelled, KeyboardInterrupt)):
        _say("podcast: interrupted", EXIT_INTERRUPTED)
    if isinstance(exc, PodcastError):
        _say(f"podcast: error: {_one_line(exc, limit=None)}", exc.exit_code)
    if isinstance(exc, OSError) and exc.errno in _DISK_FULL:
        # Library code wraps its writes; this is the net under anything it missed.
        where = f"{exc.filename}: " if exc.filename else ""
        _say(f"podcast: error: {where}cannot write: {exc.strerror or exc}", EXIT_OUTPUT)
    _say(
        f"podcast: internal error: {type(exc).__name__}: {_one_line(exc)} (rerun with --debug for details)",
        EXIT_INTERNAL,
    )


_DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS}


def _say(line: str, code: int) -> None:
    with contextlib.suppress(OSError):  # stderr itself may be gone
        click.echo(line, err=True)
    sys.exit(code)


def _one_line(exc: BaseException, limit: int | None = 300) -> str:
    # A newline in a file name or an engine's message must not make a second line.
    text = str(exc).replace("\r", "\\r").replace("\n", "\\n")
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def _stdout_gone() -> bool:
    """Whether the broken pipe is stdout's (its reader has left), not one of ours to ffmpeg."""
    try:
        sys.stdout.flush()
        fd = sys.stdout.fileno()
        poller = select.poll()  # a pipe whose reader is gone polls as an error on Linux and BSDs
        poller.register(fd, select.POLLOUT)
        gone = any(event & (select.POLLERR | select.POLLHUP) for _, event in poller.poll(0))
    except BrokenPipeError:
        gone = True
    except (OSError, ValueError, AttributeError):  # no real file (tests' runner) or no poll (Windows)
        return False
    if gone:
        # Point stdout at /dev/null so the interpreter's final flush stays quiet.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return gone


class Group(click.Group):
    """Turns the library's errors into one line and an exit code; --debug shows the traceback."""

    def make_context(self, *args, **kwargs):
        # Ctrl-C while Click parses the command line: same line and code as during a render.
        try:
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt as exc:
            _fail(exc)

    def invoke(self, ctx):
        State.cancel = CancelToken()
        try:
            with _signals_cancel(State.cancel):
                result = super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort, SystemExit):
            raise
        except (Exception, KeyboardInterrupt) as exc:
            _fail(exc)
        if State.cancel.cancelled:  # the signal came too late to stop the work: still say so
            _fail(Cancelled("interrupted"))
        return result


_STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextlib.contextmanager
def _signals_cancel(token: CancelToken):
    """While a command runs, Ctrl-C, SIGTERM and SIGHUP cancel `token` instead of raising.

    The work then stops at its next check and cleans up; a second signal changes nothing.
    Outside the main thread (no handlers can be set there) signals keep Python's behaviour.
    """
    previous = {}
    try:
        for signum in _STOP_SIGNALS:
            previous[signum] = signal.signal(signum, lambda _signum, _frame: token.cancel())
    except ValueError:  # not the main thread
        pass
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="podcast")
@click.option("--debug", is_flag=True, help="Show full tracebacks (for bug reports).")
@click.option("-q", "--quiet", is_flag=True, help="No progress or notices; errors only.")
def cli(debug: bool, quiet: bool) -> None:
    """Turn written French articles into podcast episodes."""
    State.debug, State.quiet = debug, quiet
    # Our own notices at the chosen level; other libraries' log lines (trafilatura's "discarding
    # data", ...) would be a second stderr line a user cannot act on, so only --debug shows them.
    logging.basicConfig(level=logging.DEBUG if debug else logging.CRITICAL, format="podcast: %(message)s")
    logging.getLogger("podcast").setLevel(logging.DEBUG if debug else logging.ERROR if quiet else logging.WARNING)


def _notify(message: str) -> None:
    if not State.quiet:
        click.echo(f"podcast: {message}", err=True)


def _progress(title: str):
    """A clips-done counter on a terminal; nothing when piped or quiet."""
    if State.quiet or not sys.stderr.isatty():
        return None
    short = title if len(title) <= 40 else title[:39] + "…"
    started = time.monotonic()

    def show(done: int, total: int) -> None:
        elapsed = time.monotonic() - started
        # The rate so far says when the rest will be spoken (a neural voice takes minutes).
        left = f", {_clock(elapsed / done * (total - done))} left" if 0 < done < total and elapsed > 2 else ""
        line = f"{short}: {done}/{total} clips, {_clock(elapsed)}{left}"
        click.echo(f"\r{line:<{len(short) + 40}}", err=True, nl=done == total)

    return show


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes // 60}:{minutes % 60:02d}:{secs:02d}" if minutes >= 60 else f"{minutes}:{secs:02d}"


class _Folder(click.Path):
    """A folder parameter where an empty value (`-o ""`, an unset shell variable) is a usage error:
    Path("") would be the current folder."""

    def convert(self, value, param, ctx):
        if isinstance(value, str) and not value:
            self.fail("the folder name is empty (leave the option out for the default)", param, ctx)
        return super().convert(value, param, ctx)


# --- Flags built from the library's declarations (podcast.options) ---------------------------


class _Checked(click.ParamType):
    """A declared option's own check, reported as Click's usage error (exit 2)."""

    def __init__(self, option: Option):
        self.option = option
        self.name = {int: "integer", float: "float"}.get(option.type, "text")  # Click's own metavars

    def convert(self, value, param, ctx):
        try:
            return self.option.check(value)
        except OptionError as exc:
            self.fail(exc.reason, param, ctx)


def _flag(group: str, option: Option, help: str) -> click.Option:
    """One Click option for a declaration, named GROUP__NAME so `_given` finds it.

    No default reaches Click: what the user did not give is not passed on, so the library's
    declaration stays the one default.
    """
    assert option.flag, option.name
    name = f"{group}__{option.name}"
    if option.type is bool:
        decl = option.flag if not option.default else f"{option.flag}/--no-{option.flag[2:]}"
        return click.Option([decl, name], is_flag=True, default=bool(option.default), help=help)
    return click.Option([option.flag, name], type=_Checked(option), metavar=option.metavar, help=help)


def _help(text: str, option: Option, default: bool = True) -> str:
    default = default and option.type is not bool and bool(option.default_shown())
    bits = [option.range_text(), f"default: {option.default_shown()}" if default else ""]
    suffix = "; ".join(bit for bit in bits if bit)
    return f"{text} [{suffix}]" if suffix else text


def _flags(group: str, options: tuple[Option, ...]) -> list[click.Option]:
    return [_flag(group, option, _help(option.help, option)) for option in options if option.flag]


def _engine_flags() -> list[click.Option]:
    """One flag per option name across the registered engines; its help gives each engine's meaning."""
    from .voice.engine import engine_classes

    by_name: dict[str, list[tuple[str, Option]]] = {}
    for engine, info in sorted(engine_classes().items()):
        for option in info.cls.options if info.cls else ():
            by_name.setdefault(option.name, []).append((engine, option))
    return [_engine_flag(pairs) for pairs in by_name.values()]


def _engine_flag(pairs: list[tuple[str, Option]]) -> click.Option:
    first_engine, first = pairs[0]
    shape = (first.type, first.flag, first.min, first.max, first.choices, first.pattern)
    for engine, option in pairs[1:]:
        # One flag checks one way: engines sharing a name must agree on what it accepts.
        if (option.type, option.flag, option.min, option.max, option.choices, option.pattern) != shape:
            raise TypeError(
                f"engines {first_engine!r} and {engine!r} declare option {first.name!r} "
                "with different types, flags or ranges"
            )
    shared = len({option.default_shown() for _, option in pairs}) == 1
    parts = [
        f"{engine}: {option.help}"
        if shared or not option.default_shown()
        else f"{engine}: {option.help} (default: {option.default_shown()})"
        for engine, option in pairs
    ]
    text = "; ".join(parts)
    return _flag("engine", first, _help(text if text.endswith(".") else f"{text}.", first, default=shared))


def _engine_names() -> str:
    from .voice.engine import engine_classes

    return ", ".join(sorted(engine_classes()))


class _Slot(click.Option):
    """Where flags built on first use go in a `_Declared` command's list."""

    def __init__(self, param_decls, build, **attrs):
        super().__init__(param_decls, hidden=True, expose_value=False, **attrs)
        self.build = build


def _declared(name: str, build):
    """Put the options `build()` returns here; they are made on first use (see `_Declared`)."""
    return click.option(f"--declared-{name}", cls=_Slot, build=build)


class _Declared(click.Command):
    """A command whose declared flags are built on first use: the modules declaring them
    (engines, the text stage) are not imported just to start `podcast feed` or `podcast --help`.
    They are built once a process: an engine registered later gets no flags of its own."""

    _params: list[click.Parameter]
    _built: list[click.Parameter] | None

    @property
    def params(self) -> list[click.Parameter]:
        if self._built is None:
            self._built = [
                made for param in self._params for made in (param.build() if isinstance(param, _Slot) else [param])
            ]
        return self._built

    @params.setter
    def params(self, value: list[click.Parameter]) -> None:
        self._params, self._built = value, None


def _given(ctx: click.Context, group: str) -> dict[str, Any]:
    """The GROUP__NAME options the user actually gave, by NAME (defaults stay the library's)."""
    prefix = f"{group}__"
    return {
        key[len(prefix) :]: value
        for key, value in ctx.params.items()
        if key.startswith(prefix) and ctx.get_parameter_source(key) not in (None, ParameterSource.DEFAULT)
    }


def _engine_option(default: str, help: str):
    """--engine, its help listing the registered engines (built on first use)."""
    return _declared(
        "engine",
        lambda: [
            click.Option(["--engine"], default=default, show_default=True, help=help.format(engines=_engine_names()))
        ],
    )


def _mix_flags() -> list[click.Option]:
    from .sound.settings import MixSettings

    return _flags("mix", MixSettings.options)


def _pause_flags() -> list[click.Option]:
    from .text.script import Pauses

    return _flags("pauses", Pauses.options)


def _render_flags() -> list[click.Option]:
    from .api import RenderOptions

    return _flags("render", RenderOptions.options)


@cli.command(cls=_Declared)
@click.argument("articles", nargs=-1, type=click.Path(path_type=str, readable=False))
@click.option(
    "-o",
    "--output",
    "output_dir",
    type=_Folder(file_okay=False, path_type=Path),
    default=Path("audio"),
    show_default=True,
    help="Folder for episodes and the feed.",
)
@_engine_option("auto", "Speech engine: auto (gTTS if Google answers, else kokoro, else espeak), {engines}.")
@_declared("engine-options", _engine_flags)
@_declared("render", _render_flags)
@click.option("--title", help="Episode title (overrides front matter and headings).")
@click.option("--no-cache", is_flag=True, help="Synthesize every clip again.")
@click.option("--cache-dir", type=_Folder(file_okay=False, path_type=Path), help="Clip cache folder.")
@click.option(
    "--lexicon",
    type=click.Path(dir_okay=False, path_type=Path, readable=False),
    help='TOML file of word = "spoken form"; overrides every normalization rule.',
)
@_declared("pauses", _pause_flags)
@_declared("mix", _mix_flags)
@click.option(
    "--intro",
    type=click.Path(path_type=Path, readable=False),
    help="Music before the speech (mp3, wav, flac, ogg, m4a...).",
)
@click.option("--outro", type=click.Path(path_type=Path, readable=False), help="Music after the speech.")
@click.option("--stereo", is_flag=True, help="Two-channel MP3 (speech is mono; default is mono).")
@click.option(
    "--cover",
    type=click.Path(path_type=Path, readable=False),
    help="Episode cover: square JPEG/PNG, 1400-3000 px, RGB [drawn from the titles].",
)
@click.option(
    "--show",
    "show_file",
    type=click.Path(path_type=Path, readable=False),
    help="Show settings file [./podcast.toml, else OUTPUT/podcast.toml, else defaults].",
)
@click.pass_context
def render(
    ctx,
    articles,
    output_dir,
    engine,
    title,
    no_cache,
    cache_dir,
    lexicon,
    intro,
    outro,
    stereo,
    cover,
    show_file,
    **declared,
) -> None:
    """Render ARTICLES (txt, md, html, or - for stdin) into MP3 episodes; no argument: seeds/."""
    from .api import RenderOptions, seed_articles
    from .api import render as render_episodes
    from .publish.show import find_show
    from .sound.settings import MixSettings
    from .text.french import load_lexicon
    from .text.script import Pauses

    sources = list(articles) or [str(p) for p in seed_articles()]
    options = RenderOptions(
        show=find_show(show_file, output_dir),
        cover=cover,
        output_dir=output_dir,
        engine=engine,
        engine_options=_given(ctx, "engine"),
        **_given(ctx, "render"),
        title=title,
        lexicon=load_lexicon(lexicon) if lexicon else None,
        use_cache=not no_cache,
        cache_dir=cache_dir,
        mix=MixSettings(intro=intro, outro=outro, stereo=stereo, **_given(ctx, "mix")),
        pauses=Pauses(**_given(ctx, "pauses")),
        progress=_progress,
        notify=_notify,
        feed=True,
    )
    for episode in render_episodes(sources, options, cancel=State.cancel):
        if not State.quiet:
            minutes, seconds = divmod(round(episode.duration), 60)
            click.echo(f"{output_dir / episode.mp3}  {minutes}:{seconds:02d}  {episode.engine}/{episode.voice}")


@cli.command(cls=_Declared)
@click.argument("article", type=click.Path(path_type=str, readable=False))
@_engine_option("gtts", "Use this engine's chunk size limit: {engines}.")
@click.option("--title", help="Episode title.")
@click.option("--json", "as_json", is_flag=True, help="Chunks as JSON with section, paragraph and pause.")
@click.option(
    "--lexicon",
    type=click.Path(dir_okay=False, path_type=Path, readable=False),
    help='TOML file of word = "spoken form"; overrides every normalization rule.',
)
def script(article, engine, title, as_json, lexicon) -> None:
    """Print exactly what will be spoken: one chunk a line, blank line between paragraphs, '## ' headings."""
    from .text.article import read_article
    from .text.french import load_lexicon
    from .text.script import build_script, format_script
    from .voice.engine import get_engine_class

    limit = get_engine_class(engine).max_chars
    words = load_lexicon(lexicon) if lexicon else None
    built = build_script(read_article(article, title=title), max_chars=limit, lexicon=words)
    if not built.chunks:  # same verdict as `podcast render` on the same file
        raise InputError("nothing to read (no words after normalization)", path=article)
    click.echo(format_script(built, as_json=as_json), nl=False)


@cli.command()
def engines() -> None:
    """List speech engines, whether each is available, its voices and its options."""
    from .voice.engine import describe_engines

    for info in describe_engines():
        status = "available" if info.available else "unavailable"
        click.echo(f"{info.name:8} {status:12} {info.description}".rstrip())
        if not info.available:
            click.echo(f"         why: {info.reason}")
        if info.cls and info.cls.model():
            click.echo(f"         model: {info.cls.model()}")
        if info.voices:
            click.echo(f"         voices: {', '.join(info.voices)}")
        for option in info.cls.options if info.cls else ():
            click.echo(f"         {option.flag or option.name:8} {option.help}; {option.describe()}")


@cli.group()
def cache() -> None:
    """The clip cache: unchanged chunks are never synthesized twice."""


_cache_dir_option = click.option(
    "--cache-dir",
    type=_Folder(file_okay=False, path_type=Path),
    help="Clip cache folder [platform cache folder, or $PODCAST_CACHE_DIR].",
)


@cache.command("info")
@_cache_dir_option
def cache_info(cache_dir) -> None:
    """Where the clip cache is, how many clips it holds and their size."""
    from .voice.cache import ClipCache, default_cache_dir

    stats = ClipCache(cache_dir or default_cache_dir()).stats()
    click.echo(f"{stats.path}\n{stats.clips} clips, {stats.bytes / 1e6:.1f} MB")


@cache.command("clear")
@_cache_dir_option
def cache_clear(cache_dir) -> None:
    """Delete every cached clip (only the cache's own files)."""
    from .voice.cache import ClipCache, default_cache_dir

    removed = ClipCache(cache_dir or default_cache_dir()).clear()
    if not State.quiet:
        click.echo(f"removed {removed} clips")


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), default="podcast.toml")
@click.option("--title", help="Show title.")
@click.option("--author", help="Author (itunes:author).")
@click.option("--email", help="Owner e-mail (hosts verify ownership with it).")
@click.option("--base-url", help="Absolute URL where the audio/ folder will be published.")
@click.option("--category", help="Apple Podcasts category in English (Technology, News, Tech News, ...).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(file, title, author, email, base_url, category, force) -> None:
    """Write a podcast.toml with the show settings (defaults suit the seed)."""
    from dataclasses import replace

    from .publish.show import Show, write_show

    given = {"title": title, "author": author, "email": email, "base_url": base_url, "category": category}
    show = replace(Show(), **{key: value for key, value in given.items() if value is not None})
    write_show(file, show, force=force)
    if not State.quiet:
        click.echo(f"{file}: written; edit it, then `podcast render` or `podcast feed`")


@cli.command()
@click.argument("folder", type=_Folder(file_okay=False, path_type=Path), default="audio")
@click.option(
    "--show",
    "show_file",
    type=click.Path(path_type=Path, readable=False),
    help="Show settings file [./podcast.toml, else FOLDER/podcast.toml, else defaults].",
)
def feed(folder, show_file) -> None:
    """Rebuild FOLDER/feed.xml and FOLDER/index.html from the episode manifests in FOLDER."""
    from .publish.feed import FEED_FILE
    from .publish.show import find_show
    from .publish.site import write_site

    for warning in write_site(folder, find_show(show_file, folder)):
        _notify(warning)
    if not State.quiet:
        click.echo(f"{folder / FEED_FILE}")


@cli.command()
@click.argument("folder", type=_Folder(file_okay=False, path_type=Path), default="audio")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 lets podcast apps on the same network in.",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="TCP port.")
def serve(folder, host, port) -> None:
    """Serve FOLDER (feed, page, audio) over HTTP with byte ranges, for preview and podcast apps."""
    from .publish.serve import make_server, server_url

    server = make_server(folder, host, port)
    url = server_url(server)
    if not State.quiet:
        logging.getLogger("podcast.serve").setLevel(logging.INFO)
        click.echo(f"Serving {folder} at {url} (feed: {url}feed.xml); Ctrl-C to stop", err=True)
    # serve_forever() returns once shutdown() is called from another thread.
    State.cancel.on_cancel(lambda: threading.Thread(target=server.shutdown, daemon=True).start())
    try:
        server.serve_forever()
    finally:
        server.server_close()


def main() -> None:
    cli(prog_name="podcast")
