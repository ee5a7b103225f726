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

import click

from . import __version__
from .errors import (
    EXIT_BROKEN_PIPE,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OUTPUT,
    InputError,
    PodcastError,
)

log = logging.getLogger("podcast")


class State:
    debug = False
    quiet = False


def _fail(exc: BaseException) -> None:
    """Print one line for `exc` and exit with its documented code (podcast.errors)."""
    if isinstance(exc, BrokenPipeError) and _stdout_gone():
        # `podcast script x | head`: the reader left; say nothing, as Unix tools do.
        sys.exit(EXIT_BROKEN_PIPE)
    if State.debug:
        traceback.print_exception(type(exc), exc, exc.__traceback__)
    if isinstance(exc, PodcastError):
        _say(f"podcast: error: {_one_line(exc, limit=None)}", exc.exit_code)
    if isinstance(exc, KeyboardInterrupt):
        _say("podcast: interrupted", EXIT_INTERRUPTED)
    if isinstance(exc, OSError) and exc.errno in _DISK_FULL:
        # Library code wraps its writes; this is the net under anything it missed.
        where = f"{exc.filename}: " if exc.filename else ""
        _say(f"podcast: error: {where}cannot write: {exc.strerror or exc}", EXIT_OUTPUT)
    _say(f"podcast: internal error: {type(exc).__name__}: {_one_line(exc)} (rerun with --debug for details)",
         EXIT_INTERNAL)


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
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort, SystemExit):
            raise
        except (Exception, KeyboardInterrupt) as exc:
            _fail(exc)


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

    def show(done: int, total: int) -> None:
        end = "\n" if done == total else ""
        click.echo(f"\r{short}: {done}/{total} clips", err=True, nl=False)
        if end:
            click.echo("", err=True)

    return show


class _Folder(click.Path):
    """A folder parameter where an empty value (`-o ""`, an unset shell variable) is a usage error:
    Path("") would be the current folder."""

    def convert(self, value, param, ctx):
        if isinstance(value, str) and not value:
            self.fail("the folder name is empty (leave the option out for the default)", param, ctx)
        return super().convert(value, param, ctx)


@cli.command()
@click.argument("articles", nargs=-1, type=click.Path(path_type=str, readable=False))
@click.option("-o", "--output", "output_dir", type=_Folder(file_okay=False, path_type=Path),
              default=Path("audio"), show_default=True, help="Folder for episodes and the feed.")
@click.option("--engine", default="auto", show_default=True,
              help="Speech engine: auto (gTTS if Google answers, else espeak), gtts, espeak, piper.")
@click.option("--title", help="Episode title (overrides front matter and headings).")
@click.option("--no-cache", is_flag=True, help="Synthesize every clip again.")
@click.option("--cache-dir", type=_Folder(file_okay=False, path_type=Path), help="Clip cache folder.")
@click.option("--jobs", type=click.IntRange(1, 32), default=4, show_default=True,
              help="Concurrent gTTS requests (engines that run in worker processes: processes).")
@click.option("--voice", help="espeak: fr, fr-be or fr-ch; piper: PATH to a .onnx voice model.")
@click.option("--tld", default="com", show_default=True, help="gTTS accent, by Google domain: com, fr, ca...")
@click.option("--slow", is_flag=True, help="gTTS: slower reading.")
@click.option("--rate", type=click.IntRange(80, 450), default=165, show_default=True,
              help="espeak: words per minute (piper: relative to 165).")
@click.option("--pitch", type=click.IntRange(0, 100), default=50, show_default=True, help="espeak: pitch 0-100.")
@click.option("--lexicon", type=click.Path(dir_okay=False, path_type=Path, readable=False),
              help="TOML file of word = \"spoken form\"; overrides every normalization rule.")
@click.option("--pause-sentence", type=click.FloatRange(0, 30), help="Seconds after a sentence [0.35].")
@click.option("--pause-paragraph", type=click.FloatRange(0, 30), help="Seconds after a paragraph [0.9].")
@click.option("--pause-section", type=click.FloatRange(0, 30), help="Seconds before a section heading [1.6].")
@click.option("--pause-heading", type=click.FloatRange(0, 30), help="Seconds after a section heading [0.8].")
@click.option("--loudness", type=float, help="Target loudness in LUFS, -30 to -10 [-19 mono, -16 stereo].")
@click.option("--speed", type=float, default=1.0, show_default=True,
              help="Tempo factor 0.5-2.0; the pitch is unchanged.")
@click.option("--intro", type=click.Path(path_type=Path, readable=False), help="Music before the speech (mp3, wav, flac, ogg, m4a...).")
@click.option("--outro", type=click.Path(path_type=Path, readable=False), help="Music after the speech.")
@click.option("--stereo", is_flag=True, help="Two-channel MP3 (speech is mono; default is mono).")
@click.option("--bitrate", type=int, help="Constant MP3 bitrate in kbps, 32-320 [96 mono, 128 stereo].")
@click.option("--cover", type=click.Path(path_type=Path, readable=False),
              help="Episode cover: square JPEG/PNG, 1400-3000 px, RGB [drawn from the titles].")
@click.option("--show", "show_file", type=click.Path(path_type=Path, readable=False),
              help="Show settings file [./podcast.toml, else OUTPUT/podcast.toml, else defaults].")
def render(articles, output_dir, engine, title, no_cache, cache_dir, jobs, voice, tld, slow, rate, pitch, lexicon,
           pause_sentence, pause_paragraph,
           pause_section, pause_heading, loudness, speed, intro, outro, stereo, bitrate, cover, show_file) -> None:
    """Render ARTICLES (txt, md, html, or - for stdin) into MP3 episodes; no argument: seeds/."""
    from .api import RenderOptions, seed_articles
    from .api import render as render_episodes
    from .publish.show import find_show
    from .sound.settings import MixSettings
    from .text.french import load_lexicon
    from .text.script import Pauses
    from .voice.engine import VoiceSettings

    sources = list(articles) or [str(p) for p in seed_articles()]
    options = RenderOptions(
        show=find_show(show_file, output_dir),
        cover=cover,
        output_dir=output_dir,
        engine=engine,
        voice=VoiceSettings(jobs=jobs, voice=voice, tld=tld, slow=slow, rate=rate, pitch=pitch),
        title=title,
        lexicon=load_lexicon(lexicon) if lexicon else None,
        use_cache=not no_cache,
        cache_dir=cache_dir,
        mix=MixSettings(loudness=loudness, speed=speed, intro=intro, outro=outro, stereo=stereo, bitrate=bitrate),
        pauses=Pauses(**{name: value for name, value in (
            ("sentence", pause_sentence), ("paragraph", pause_paragraph),
            ("section", pause_section), ("heading", pause_heading)) if value is not None}),
        progress=_progress,
        notify=_notify,
    )
    for episode in render_episodes(sources, options):
        if not State.quiet:
            minutes, seconds = divmod(round(episode.duration), 60)
            click.echo(f"{output_dir / episode.mp3}  {minutes}:{seconds:02d}  {episode.engine}/{episode.voice}")


@cli.command()
@click.argument("article", type=click.Path(path_type=str, readable=False))
@click.option("--engine", default="gtts", show_default=True, help="Use this engine's chunk size limit.")
@click.option("--title", help="Episode title.")
@click.option("--json", "as_json", is_flag=True, help="Chunks as JSON with section, paragraph and pause.")
@click.option("--lexicon", type=click.Path(dir_okay=False, path_type=Path, readable=False),
              help="TOML file of word = \"spoken form\"; overrides every normalization rule.")
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
    """List speech engines, whether each is available, and its voices."""
    from .voice.engine import describe_engines

    for info in describe_engines():
        status = "available" if info.available else "unavailable"
        click.echo(f"{info.name:8} {status:12} {info.description}".rstrip())
        if not info.available:
            click.echo(f"         why: {info.reason}")
        if info.voices:
            click.echo(f"         voices: {', '.join(info.voices)}")


@cli.group()
def cache() -> None:
    """The clip cache: unchanged chunks are never synthesized twice."""


_cache_dir_option = click.option("--cache-dir", type=_Folder(file_okay=False, path_type=Path),
                                 help="Clip cache folder [platform cache folder, or $PODCAST_CACHE_DIR].")


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
@click.option("--show", "show_file", type=click.Path(path_type=Path, readable=False),
              help="Show settings file [./podcast.toml, else FOLDER/podcast.toml, else defaults].")
def feed(folder, show_file) -> None:
    """Rebuild FOLDER/feed.xml and FOLDER/index.html from the episode manifests in FOLDER."""
    from .publish.feed import FEED_FILE
    from .publish.show import find_show
    from .publish.site import publish

    for warning in publish(folder, find_show(show_file, folder)):
        _notify(warning)
    if not State.quiet:
        click.echo(f"{folder / FEED_FILE}")


@cli.command()
@click.argument("folder", type=_Folder(file_okay=False, path_type=Path), default="audio")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 lets podcast apps on the same network in.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="TCP port.")
def serve(folder, host, port) -> None:
    """Serve FOLDER (feed, page, audio) over HTTP with byte ranges, for preview and podcast apps."""
    from .publish.serve import make_server, server_url

    server = make_server(folder, host, port)
    url = server_url(server)
    if not State.quiet:
        logging.getLogger("podcast.serve").setLevel(logging.INFO)
        click.echo(f"Serving {folder} at {url} (feed: {url}feed.xml); Ctrl-C to stop", err=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


INTERRUPT_GRACE = 2.0
"""Seconds a Ctrl-C'd run waits for work in flight (a request to Google, an espeak chunk)."""


def main() -> None:
    try:
        cli(prog_name="podcast")
    except SystemExit as exc:
        if exc.code == EXIT_INTERRUPTED:
            _leave_within(INTERRUPT_GRACE, EXIT_INTERRUPTED)
        _forget_caught_interrupt()
        raise


def _forget_caught_interrupt() -> None:
    """Exit with the code we chose, even if the Ctrl-C was raised inside a string exec/eval.

    CPython marks a KeyboardInterrupt that leaves a string exec/eval (namedtuple and dataclasses
    build methods that way: pydub's import right after the first clip does) as unhandled, even
    when it is caught later. Under `python -m podcast`, Py_RunMain then ends the process by
    re-raising SIGINT (-2) instead of exiting 130. Every string exec clears that mark first.
    """
    exec("pass", {})


def _leave_within(seconds: float, code: int) -> None:
    """Exit with `code` even if worker threads stay blocked (a read from a slow server).

    Python joins every worker thread before it exits, so a Ctrl-C'd render would otherwise wait
    out requests in flight (up to the read timeout). Files are safe by then: every temp file
    was removed while the interrupt unwound. Only the real program arms this, never the tests'
    in-process runner.
    """
    def leave() -> None:
        time.sleep(seconds)
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)

    # A second Ctrl-C while leaving would only print Python's noise from the thread joins.
    # signal.signal() first raises a Ctrl-C already pending: then set it again.
    for _ in range(2):
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            break
        except KeyboardInterrupt:
            continue
        except ValueError:  # not the main thread
            break
    threading.Thread(target=leave, name="podcast-exit", daemon=True).start()
