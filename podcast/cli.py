"""The `podcast` command: a thin Click layer over the library (`podcast.render`, ...)."""

from __future__ import annotations

import contextlib
import difflib
import errno
import logging
import os
import re
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
        _say(f"podcast: error: {_error_text(exc, limit=None)}", exc.exit_code)
    if isinstance(exc, OSError) and exc.errno in _DISK_FULL:
        # Library code wraps its writes; this is the net under anything it missed.
        where = f"{exc.filename}: " if exc.filename else ""
        _say(f"podcast: error: {where}cannot write: {exc.strerror or exc}", EXIT_OUTPUT)
    _say(
        f"podcast: internal error: {type(exc).__name__}: {_error_text(exc)} (rerun with --debug for details)",
        EXIT_INTERNAL,
    )


_DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS}


def _say(line: str, code: int) -> None:
    with contextlib.suppress(OSError):  # stderr itself may be gone
        click.echo(_printable(line), err=True)
    sys.exit(code)


def _error_text(exc: BaseException, limit: int | None = 300) -> str:
    # A newline in a file name or an engine's message must not make a second line.
    text = str(exc).replace("\r", "\\r").replace("\n", "\\n")
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


_CONTROLS = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _printable(text: str) -> str:
    """`text` with control characters shown as escapes: a title or a file name cannot drive the terminal."""
    return _CONTROLS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


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


class _Commands(click.Group):
    """Subcommands accept the global options too (`podcast render -q`), and a typo gets a hint."""

    def resolve_command(self, ctx, args):
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None and not ctx.resilient_parsing:
            # Close spellings, case aside ("Render", "rendr"); whatever Click's version suggests.
            names = self.list_commands(ctx)
            close = difflib.get_close_matches(name.lower(), names, n=3, cutoff=0.6)
            hint = f" Did you mean {' or '.join(map(repr, close))}?" if close else f" Commands: {', '.join(names)}."
            ctx.fail(f"No such command {name!r}.{hint}")
        cmd_name, cmd, rest = super().resolve_command(ctx, args)
        if cmd is not None:
            _accept_global_options(cmd)
        return cmd_name, cmd, rest


class _SubGroup(_Commands):
    """A command group under `podcast` (`podcast cache ...`)."""

    group_class = type  # nested groups: the same class


def _accept_global_options(cmd: click.Command) -> None:
    """Give `cmd` the global --debug and -q/--quiet, so they work after the command name too."""
    taken = {opt for param in cmd.params for opt in param.opts}
    for option in _global_options():
        if not taken & set(option.opts):
            cmd.params.append(option)


def _global_options() -> list[click.Option]:
    return [
        click.Option(
            ["--debug"],
            is_flag=True,
            is_eager=True,  # set before any other value is checked
            expose_value=False,
            callback=lambda _ctx, _param, on: _set_globals(debug=True) if on else None,
            help="Show full tracebacks (for bug reports).",
        ),
        click.Option(
            ["-q", "--quiet"],
            is_flag=True,
            is_eager=True,
            expose_value=False,
            callback=lambda _ctx, _param, on: _set_globals(quiet=True) if on else None,
            help="No progress or notices; errors only.",
        ),
    ]


def _set_globals(debug: bool | None = None, quiet: bool | None = None) -> None:
    """Record the global options (before or after the command name) and set the log levels."""
    if debug is not None:
        State.debug = debug
    if quiet is not None:
        State.quiet = quiet
    # Our own notices at the chosen level; other libraries' log lines (trafilatura's "discarding
    # data", ...) would be a second stderr line a user cannot act on, so only --debug shows them.
    logging.basicConfig(level=logging.DEBUG if State.debug else logging.CRITICAL, format="podcast: %(message)s")
    if State.debug:  # given after the command: basicConfig has already run
        logging.getLogger().setLevel(logging.DEBUG)
    level = logging.DEBUG if State.debug else logging.ERROR if State.quiet else logging.WARNING
    logging.getLogger("podcast").setLevel(level)


class Group(_Commands):
    """Turns the library's errors into one line and an exit code; --debug shows the traceback."""

    group_class = _SubGroup

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
            if State.cancel.cancelled and not isinstance(exc, Cancelled):
                # The failure is the stop's doing (a closed terminal's SIGHUP also killed ffmpeg).
                if State.debug:
                    traceback.print_exception(type(exc), exc, exc.__traceback__)
                exc = Cancelled("interrupted")
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
    """Turn written French articles into podcast episodes.

    --debug and -q/--quiet may also follow the command: `podcast render -q ARTICLE`.
    """
    _set_globals(debug=debug, quiet=quiet)


def _notify(message: str) -> None:
    if not State.quiet:
        click.echo(f"podcast: {_printable(message)}", err=True)


def _progress(title: str):
    """A clips-done counter on a terminal; nothing when piped or quiet."""
    if State.quiet or not sys.stderr.isatty():
        return None
    title = _printable(title)
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
    bits = [option.choices_text() or option.range_text(), f"default: {option.default_shown()}" if default else ""]
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


def _output_option(help: str):
    # An existing file here is an output error (exit 4), said by the library, not Click's usage error.
    folder = _Folder(path_type=Path)
    default = Path("audio")
    return click.option("-o", "--output", "output_dir", type=folder, default=default, show_default=True, help=help)


def _show_option(folder: str, defaults: bool = True):
    where = f"./podcast.toml, else {folder}/podcast.toml" + (", else defaults" if defaults else "")
    return click.option(
        "--show", "show_file", type=click.Path(path_type=Path, readable=False), help=f"Show settings file [{where}]."
    )


def _render_flags() -> list[click.Option]:
    from .api import RenderOptions

    return _flags("render", RenderOptions.options)


def _speech_options(command):
    """The options of what is said and how it sounds, declared once for `render` and `ingest`."""
    decorators = [
        _engine_option("auto", "Speech engine: auto (gTTS if Google answers, else kokoro, else espeak), {engines}."),
        _declared("engine-options", _engine_flags),
        _declared("render", _render_flags),
        click.option("--no-title-read", is_flag=True, help="Do not speak the title at the start of the episode."),
        click.option("--no-cache", is_flag=True, help="Synthesize every clip again."),
        click.option("--cache-dir", type=_Folder(path_type=Path), help="Clip cache folder."),  # a file: exit 4
        click.option(
            "--lexicon",
            type=click.Path(dir_okay=False, path_type=Path, readable=False),
            help='TOML file of word = "spoken form"; overrides every normalization rule.',
        ),
        _declared("pauses", _pause_flags),
        _declared("mix", _mix_flags),
        click.option(
            "--intro",
            type=click.Path(path_type=Path, readable=False),
            help="Music before the speech (mp3, wav, flac, ogg, m4a...).",
        ),
        click.option("--outro", type=click.Path(path_type=Path, readable=False), help="Music after the speech."),
        click.option("--stereo", is_flag=True, help="Two-channel MP3 (speech is mono; default is mono)."),
        _show_option("OUTPUT"),
    ]
    for decorate in reversed(decorators):
        command = decorate(command)
    return command


def _render_options(ctx: click.Context, params: dict[str, Any]):
    """RenderOptions from the `_speech_options` flags (and render's own, when given)."""
    from .api import RenderOptions
    from .show.settings import find_show
    from .sound.settings import MixSettings
    from .text.french import load_lexicon
    from .text.script import Pauses

    output_dir, lexicon = params["output_dir"], params["lexicon"]
    return RenderOptions(
        show=find_show(params["show_file"], output_dir),
        cover=params.get("cover"),
        output_dir=output_dir,
        engine=params["engine"],
        engine_options=_given(ctx, "engine"),
        **_given(ctx, "render"),
        title=params.get("title"),
        read_title=not params["no_title_read"],
        lexicon=load_lexicon(lexicon) if lexicon else None,
        use_cache=not params["no_cache"],
        cache_dir=params["cache_dir"],
        mix=MixSettings(intro=params["intro"], outro=params["outro"], stereo=params["stereo"], **_given(ctx, "mix")),
        pauses=Pauses(**_given(ctx, "pauses")),
        progress=_progress,
        notify=_notify,
        feed=True,
    )


@cli.command(cls=_Declared)
@click.argument("articles", nargs=-1, type=click.Path(path_type=str, readable=False))
@_output_option("Folder for episodes and the feed.")
@_speech_options
@click.option("--title", help="Episode title (overrides front matter and headings).")
@click.option(
    "--cover",
    type=click.Path(path_type=Path, readable=False),
    help="Episode cover: square JPEG/PNG, 1400-3000 px, RGB [drawn from the titles].",
)
@click.option(
    "--queue",
    "queue_url",
    metavar="URL",
    help="Submit to the task queue at redis://HOST:PORT/DB instead of rendering here (see `podcast worker`).",
)
@click.option("--detach", is_flag=True, help="With --queue: return once submitted instead of waiting.")
@click.pass_context
def render(ctx, articles, queue_url, detach, **params) -> None:
    """Render ARTICLES (txt, md, html, or - for stdin) into MP3 episodes; no argument: seeds/."""
    from .api import render as render_episodes
    from .api import seed_articles

    sources = list(articles) or [str(p) for p in seed_articles()]
    options = _render_options(ctx, params)
    if queue_url or detach:
        _render_on_queue(queue_url, detach, sources, options)
        return
    for episode in render_episodes(sources, options, cancel=State.cancel):
        if not State.quiet:
            click.echo(_episode_line(options.output_dir, episode))


def _episode_line(folder: Path, episode) -> str:
    """What a finished render prints, here or on the queue: `audio/slug.mp3  2:49  espeak/fr`."""
    minutes, seconds = divmod(round(episode.duration), 60)
    return f"{Path(folder) / episode.mp3}  {minutes}:{seconds:02d}  {episode.engine}/{episode.voice}"


@cli.command(cls=_Declared)
@click.argument("article", type=click.Path(path_type=str, readable=False))
@_engine_option("gtts", "Use this engine's chunk size limit: {engines}.")
@click.option("--title", help="Episode title.")
@click.option("--no-title-read", is_flag=True, help="Do not speak the title first.")
@click.option("--json", "as_json", is_flag=True, help="Chunks as JSON with section, paragraph and pause.")
@click.option(
    "--lexicon",
    type=click.Path(dir_okay=False, path_type=Path, readable=False),
    help='TOML file of word = "spoken form"; overrides every normalization rule.',
)
def script(article, engine, title, no_title_read, as_json, lexicon) -> None:
    """Print exactly what will be spoken: one chunk a line, blank line between paragraphs, '#' title, '##' headings."""
    from .api import RenderOptions, prepare
    from .text.french import load_lexicon
    from .text.script import format_script

    options = RenderOptions(
        engine=engine,
        title=title,
        read_title=not no_title_read,
        lexicon=load_lexicon(lexicon) if lexicon else None,
        use_cache=False,  # what will be said does not depend on the cache: leave it untouched
    )
    # The same front door as `podcast render`: the same chunks, the same verdict on a bad file.
    with prepare([article], options, start=False) as preparation:
        [job] = preparation.jobs
    click.echo(format_script(job.script, as_json=as_json), nl=False)


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

    from .show.settings import Show, write_show

    given = {"title": title, "author": author, "email": email, "base_url": base_url, "category": category}
    show = replace(Show(), **{key: value for key, value in given.items() if value is not None})
    write_show(file, show, force=force)
    if not State.quiet:
        click.echo(f"{file}: written; edit it, then `podcast render` or `podcast feed`")


@cli.command()
@click.argument("folder", type=_Folder(file_okay=False, path_type=Path), default="audio")
@_show_option("FOLDER")
def feed(folder, show_file) -> None:
    """Rebuild FOLDER/feed.xml and FOLDER/index.html from the episode manifests in FOLDER."""
    from .show.feed import FEED_FILE
    from .show.settings import find_show
    from .show.site import write_site

    for warning in write_site(folder, find_show(show_file, folder)):
        _notify(warning)
    if not State.quiet:
        click.echo(f"{folder / FEED_FILE}")


def _serve_flags() -> list[click.Option]:
    from .show.serve import OPTIONS

    return _flags("serve", OPTIONS)


@cli.command(cls=_Declared)
@click.argument("folder", type=_Folder(file_okay=False, path_type=Path), default="audio")
@_declared("serve", _serve_flags)
@click.pass_context
def serve(ctx, folder, **declared) -> None:
    """Serve FOLDER (feed, page, audio) over HTTP with byte ranges, for preview and podcast apps."""
    from .show.serve import make_server, server_url

    server = make_server(folder, **_given(ctx, "serve"))
    url = server_url(server)
    if not State.quiet:
        click.echo(f"Serving {folder} at {url} (feed: {url}feed.xml); Ctrl-C to stop", err=True)
    # serve_forever() returns once shutdown() is called from another thread.
    State.cancel.on_cancel(lambda: threading.Thread(target=server.shutdown, daemon=True).start())
    try:
        server.serve_forever()
    finally:
        server.server_close()


def _publisher_flags() -> list[click.Option]:
    from .publish.target import declared_options

    return _flags("target", declared_options())


def _upload_progress():
    """Bytes sent, rate and time left on a terminal; nothing when piped or quiet."""
    if State.quiet or not sys.stderr.isatty():
        return None
    started = time.monotonic()

    def show(done: int, total: int, name: str) -> None:
        elapsed = max(time.monotonic() - started, 1e-6)
        rate = done / elapsed
        left = f", {_clock((total - done) / rate)} left" if rate > 0 and done < total and elapsed > 1 else ""
        short = name if len(name) <= 30 else name[:29] + "…"
        line = f"{done / 1e6:.1f}/{total / 1e6:.1f} MB, {rate / 1e6:.1f} MB/s{left}  {short}"
        click.echo(f"\r{line:<80}", err=True, nl=False)

    return show


@cli.command(cls=_Declared)
@click.argument("folder", type=_Folder(file_okay=False, path_type=Path), default="audio")
@click.option("--to", "target", help="Where to: s3://bucket/prefix or sftp://user@host[:port]/path [podcast.toml].")
@click.option("--public-url", help="The http(s) URL the files are served at [podcast.toml; S3: the bucket's URL].")
@_declared("publishers", _publisher_flags)
@click.option("--delete", is_flag=True, default=None, help="Remove remote files of episodes no longer in FOLDER.")
@click.option("--dry-run", is_flag=True, help="List what would be uploaded or deleted; send nothing.")
@click.option(
    "--verify/--no-verify",
    default=None,
    help="Fetch the feed and range-request each MP3 afterwards [on when the public URL answers].",
)
@_show_option("FOLDER", defaults=False)
@click.pass_context
def publish(ctx, folder, target, public_url, delete, dry_run, verify, show_file, **declared) -> None:
    """Upload FOLDER (feed, page, episodes) to a host, unchanged files skipped, then check it as apps will."""
    from .publish import PublishOptions, publish_to
    from .show.settings import find_show, publish_settings

    table = publish_settings(show_file, folder)
    target = target or table.to
    if not target:
        raise InputError("no target: give --to s3://bucket/prefix or sftp://user@host/path (or `to` under [publish])")
    options = PublishOptions(
        public_url=public_url or table.public_url,
        show=find_show(show_file, folder),
        delete=delete if ctx.get_parameter_source("delete") == ParameterSource.COMMANDLINE else table.delete,
        dry_run=dry_run,
        verify=verify if ctx.get_parameter_source("verify") == ParameterSource.COMMANDLINE else table.verify,
        target_options={**table.target_options, **_given(ctx, "target")},
        notify=_notify,
    )
    report = publish_to(folder, target, options, cancel=State.cancel, progress=_upload_progress())
    plan = report.plan
    if dry_run:
        for item in plan.uploads:
            click.echo(f"upload  {item.name}  {item.size} bytes")
        for name in plan.deletes:
            click.echo(f"delete  {name}" if options.delete else f"keep    {name}  (not local; --delete removes it)")
        click.echo(f"{len(plan.uploads)} to upload ({plan.upload_bytes / 1e6:.1f} MB), {len(plan.unchanged)} unchanged")
        return
    if report.uploaded and _upload_progress() is not None:
        click.echo("", err=True)  # end the progress line
    if not State.quiet:
        deleted = f", {len(report.deleted)} deleted" if report.deleted else ""
        click.echo(
            f"{report.public_url}feed.xml: {len(report.uploaded)} uploaded "
            f"({report.bytes_sent / 1e6:.1f} MB), {len(plan.unchanged)} unchanged{deleted}"
        )
        for verdict in report.verdicts:
            click.echo(verdict.line())
    if report.failures:
        from .errors import RemoteError

        raise RemoteError(f"verify: {len(report.failures)} of {len(report.verdicts)} check(s) failed")


# --- The task queue (podcast.queue) and feed ingestion (podcast.ingest) -------------------------


def _queue_option(required: bool):
    return click.option(
        "--queue",
        "queue_url",
        metavar="URL",
        required=required,
        help="The task queue: redis://HOST:PORT/DB (Redis 5 or later)."
        if required
        else "Submit to the task queue at redis://HOST:PORT/DB instead of rendering here.",
    )


def _render_on_queue(queue_url, detach, sources, options) -> None:
    """`podcast render --queue`: submit, then wait with a clips-done display unless --detach."""
    from .queue import connect, submit
    from .queue.connection import redact

    if not queue_url:
        raise click.UsageError("--detach needs --queue URL")
    queue = connect(queue_url, ping=False)  # the articles are checked before the queue is reached
    try:
        submitted = submit(sources, options, queue)
        _notify(f"submitted {len(submitted)} episode(s) to {redact(queue_url)}")
        if detach:
            for episode, title in submitted:
                click.echo(f"{episode}  {title}")
            return
        from .queue.worker import workers

        if not any(info["alive"] for info in workers(queue).values()):
            # Otherwise the wait below looks like a hang.
            _notify(f"no worker is running yet: start one with `podcast worker --queue {redact(queue_url)}`")
        _wait_for(queue, [episode for episode, _ in submitted], options.output_dir)
    finally:
        queue.close()


def _wait_for(queue, episodes: list[str], output_dir: Path) -> None:
    from .episode.manifest import read_manifest
    from .errors import EngineError
    from .queue import wait

    failed = []
    shown = {"line": ""}

    def progress(done: int, total: int) -> None:
        if State.quiet or not sys.stderr.isatty():
            return
        line = f"queue: {done}/{total} clips"
        if line != shown["line"]:
            shown["line"] = line
            click.echo(f"\r{line:<40}", err=True, nl=False)

    def finished(status) -> None:
        if shown["line"]:
            click.echo("", err=True)
            shown["line"] = ""
        if status.state == "done":
            if not State.quiet:
                # The worker's manifest, in the shared output folder: the same line as a local render.
                try:
                    episode = read_manifest(Path(status.mp3).with_suffix(".json"))
                except PodcastError:
                    episode = None
                click.echo(_episode_line(output_dir, episode) if episode else status.mp3)
        else:
            failed.append(status)
            _notify_always(f"failed: {status.title}: {status.error}")

    statuses = wait(queue, episodes, progress=progress, finished=finished, cancel=State.cancel)
    if failed:
        first = failed[0]
        raise EngineError(f"{len(failed)} of {len(statuses)} episode(s) failed; first: {first.title}: {first.error}")


def _worker_flags() -> list[click.Option]:
    from .queue.worker import OPTIONS

    return _flags("worker", OPTIONS)


@cli.command(cls=_Declared)
@_queue_option(required=True)
@_declared("worker", _worker_flags)
@click.pass_context
def worker(ctx, queue_url, **declared) -> None:
    """Run a worker for the task queue: speak chunks and finish episodes until Ctrl-C or SIGTERM."""
    from .queue import run_worker

    run_worker(queue_url, **_given(ctx, "worker"), cancel=State.cancel, notify=_notify)


@cli.command()
@_queue_option(required=True)
def status(queue_url) -> None:
    """List the queue's episodes (pending, running, done, failed, with errors) and its workers."""
    from .queue import connect, list_episodes
    from .queue.connection import redact
    from .queue.worker import workers

    queue = connect(queue_url)
    try:
        episodes, running = list_episodes(queue), workers(queue)
        if not episodes and not running:  # an empty answer would read as a hang or a wrong URL
            _notify(f"queue {redact(queue_url)}: no episodes (finished ones are kept 7 days), no workers")
        for each in episodes:
            error = f"  {each.error}" if each.error and each.state == "failed" else ""
            click.echo(f"{each.state:8} {each.done:>5}/{each.total:<5} {each.id[:12]}  {each.title}{error}")
        for name, info in sorted(running.items()):
            alive = "alive" if info["alive"] else "silent"
            click.echo(f"worker   {alive:6} {info['host']}:{info['pid']}  {info['threads']} threads  {name[:12]}")
    finally:
        queue.close()


def _ingest_flags() -> list[click.Option]:
    from .ingest import LIMIT

    return _flags("ingest", (LIMIT,))


@cli.command(cls=_Declared)
@click.argument("feed_source", metavar="FEED")
@_output_option("Folder for episodes, the feed, and the record of entries done.")
@_speech_options
@_declared("ingest", _ingest_flags)
@_queue_option(required=False)
@click.pass_context
def ingest(ctx, feed_source, queue_url, **params) -> None:
    """Render each new entry of an RSS or Atom feed (URL or file) as an episode; entries done are remembered."""
    from .errors import EngineError
    from .ingest import ingest as ingest_feed

    options = _render_options(ctx, params)
    queue = None
    if queue_url:
        from .queue import connect

        queue = connect(queue_url)
    try:
        report = ingest_feed(
            feed_source, options, queue=queue, **_given(ctx, "ingest"), cancel=State.cancel, report=_notify_always
        )
    finally:
        if queue is not None:
            queue.close()
    if not State.quiet:
        for _, made in report.rendered:
            click.echo(made)
        verb = "submitted" if queue_url else "rendered"
        click.echo(
            f"ingest: {len(report.rendered)} {verb}, {report.already} done before, {len(report.failed)} failed",
            err=True,
        )
    if report.failed:
        raise EngineError(f"{len(report.failed)} entr{'y' if len(report.failed) == 1 else 'ies'} failed (see above)")


def _notify_always(message: str) -> None:
    """A failure line: shown even with --quiet (errors only)."""
    click.echo(f"podcast: {message}", err=True)


def main() -> None:
    # From here to the exit, a stop signal outside a command's own handling (Click starting, the
    # exit) gives the same line and code as during a render: no traceback, no death by signal.
    # Commands swap in their cancel handlers (`_signals_cancel`) while they run.
    with contextlib.suppress(ValueError):  # not the main thread: Python's defaults stay
        for signum in _STOP_SIGNALS:
            signal.signal(signum, _interrupted)
    cli(prog_name="podcast")


def _interrupted(_signum, _frame) -> None:
    _say("podcast: interrupted", EXIT_INTERRUPTED)
