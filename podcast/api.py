"""The library API: `render()` turns article files into finished episodes in a folder."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from .cancel import CancelToken
from .episode.cover import check_cover, draw_ahead, episode_cover, generated_show_cover
from .episode.manifest import (
    carry_over,
    claim_slug,
    file_digest,
    load_episodes,
    previous_episode,
    source_name,
    write_sidecars,
)
from .episode.tags import tag_episode
from .errors import EngineError, InputError, OutputError, PodcastError
from .files import file_group, folder_lock, remove_stale_temps, slugify
from .options import Option
from .show.settings import Show, episode_date
from .show.site import write_site
from .sound.assemble import assemble
from .sound.ffmpeg import ffmpeg_exe
from .sound.music import check_music
from .sound.settings import MixSettings
from .text.article import read_article
from .text.script import Pauses, build_script
from .types import Article, Episode, Script, TimedChunk
from .voice.cache import ClipCache, clip_key, default_cache_dir
from .voice.engine import Engine, choose_engine
from .voice.synth import Progress, SynthStats, synthesize

log = logging.getLogger(__name__)

SEEDS_DIR = Path("seeds")
ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
JOBS = Option(
    "jobs",
    int,
    4,
    "Concurrent synthesis calls: gTTS requests at once (espeak and piper speak one chunk at a time).",
    min=1,
    max=32,
    metavar="N",
)


@dataclass
class RenderOptions:
    """Everything `podcast render` can be told; defaults are what a podcaster wants."""

    output_dir: Path = Path("audio")
    options: ClassVar[tuple[Option, ...]] = (JOBS,)
    """Options of the render itself, declared once (the CLI builds --jobs from it)."""

    engine: str = "auto"
    engine_options: Mapping[str, object] = field(default_factory=dict)
    """The engine's own options by name (voice, rate, tld...: `podcast engines` lists them); names
    only other engines declare are ignored, so one mapping suits `auto`."""
    language: str = "fr"
    """ISO 639-1 language of the text."""
    jobs: int = JOBS.default
    """Synthesis concurrency: chunks being spoken at once (for engines that take concurrent calls)."""
    mix: MixSettings = field(default_factory=MixSettings)
    pauses: Pauses = field(default_factory=Pauses)
    title: str | None = None
    lexicon: dict[str, str] | None = None
    read_title: bool = True
    """Speak the title first, as a newscast opens (`--no-title-read` turns it off)."""
    cache_dir: Path | None = None
    use_cache: bool = True
    show: Show = field(default_factory=Show)
    cover: Path | None = None
    """Episode cover image (square JPEG/PNG, 1400-3000 px); None: one is drawn from the titles."""
    feed: bool = False
    """Rebuild feed.xml and index.html over every episode in the output folder afterwards."""
    progress: Callable[[str], Progress | None] | None = None
    """Given the episode title, returns a (done, total) callback or None."""
    notify: Callable[[str], None] = lambda message: log.warning(message)

    def __post_init__(self) -> None:
        self.jobs = JOBS.check(self.jobs)


def seed_articles(folder: Path = SEEDS_DIR) -> list[Path]:
    """The article files in `seeds/`, sorted."""
    if not folder.is_dir():
        raise InputError("no article given and no seeds/ folder here", path=folder)
    found = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
    if not found:
        raise InputError("no .txt, .md or .html article in the folder", path=folder)
    return found


def render(
    sources: Sequence[str | Path | Article], options: RenderOptions | None = None, *, cancel: CancelToken | None = None
) -> list[Episode]:
    """Render each source into `options.output_dir` and return the episodes.

    A source is a path, '-' for stdin, or an `Article` already parsed (`parse_article` reads text
    held in memory). Cancelling `cancel` from any thread stops the render soon with `Cancelled`,
    leaving no temp file; episodes finished by then stay in the folder.
    """
    options = options if options is not None else RenderOptions()
    cancel = cancel or CancelToken()
    options.mix.validate()
    check_music(options.mix)
    # Read everything first: a bad file fails the run before any audio is made.
    articles = [
        source if isinstance(source, Article) else read_article(source, title=options.title) for source in sources
    ]
    if options.cover:
        check_cover(options.cover)
    preflight(options)
    _find_ffmpeg(cancel)
    scripts: dict[tuple[int, int], Script] = {}
    engine, notice = choose_engine(
        options.engine,
        options.engine_options,
        options.language,
        cached=lambda candidate: _all_cached(articles, candidate, options, scripts),
        keep=_previous_engines(articles, options),
    )
    if notice:
        options.notify(notice)
    episodes: list[Episode] = []
    try:
        for article in articles:
            cancel.check()
            script = scripts.pop((id(article), engine.max_chars), None)  # made by the cache check
            episodes.append(render_article(article, engine, options, cancel=cancel, script=script))
    except Exception:
        # A later article failed: still list the finished ones in the feed, then report the failure.
        if episodes:
            _write_site(options, quiet=True)
        raise
    finally:
        engine.close()
    _write_site(options)
    return episodes


def preflight(options: RenderOptions) -> None:
    """Check before any audio is made what publishing would otherwise refuse after it."""
    folders = [Path(options.output_dir)]
    if options.use_cache and options.cache_dir is not None:
        folders.append(Path(options.cache_dir))
    for path in folders:
        if path.exists() and not path.is_dir():
            raise OutputError("not a folder (a file has this name)", path=path)
    folder = folders[0]
    if not options.feed:
        return
    if options.show.cover:
        check_cover(options.show.cover)
    if folder.is_dir():
        load_episodes(folder)  # a broken manifest (or a stray bad .json) fails the feed: say so now


def _script(article: Article, engine: Engine, options: RenderOptions) -> Script:
    return build_script(
        article,
        max_chars=engine.max_chars,
        pauses=options.pauses,
        lexicon=options.lexicon,
        read_title=options.read_title,
    )


def _all_cached(
    articles: Sequence[Article], engine: Engine, options: RenderOptions, scripts: dict[tuple[int, int], Script]
) -> bool:
    """Whether the clip cache holds every chunk `engine` would speak: then it needs no probe.

    The scripts it builds are kept in `scripts` (by article and chunk size) for the render itself.
    """
    if not options.use_cache:
        return False
    cache = ClipCache(options.cache_dir or default_cache_dir())
    identity = engine.cache_identity()
    for article in articles:
        key = (id(article), engine.max_chars)
        if key not in scripts:
            scripts[key] = _script(article, engine, options)
        chunks = scripts[key].chunks
        if not chunks or any(clip_key(identity, chunk.text) not in cache for chunk in chunks):
            return False
    return True


def _previous_engines(articles: Sequence[Article], options: RenderOptions) -> list[str]:
    """The engines that spoke the episodes these articles re-render."""
    folder = Path(options.output_dir)
    if not folder.is_dir():
        return []
    engines = []
    for article in articles:
        previous = previous_episode(folder, slugify(article.title), article.title, article.source)
        if previous is not None and previous.engine:
            engines.append(previous.engine)
    return engines


def _find_ffmpeg(cancel: CancelToken) -> None:
    """Resolve the bundled ffmpeg before any work: the wheel checks it by running `ffmpeg -version`,
    and a Ctrl-C sent to the process group mid-render would kill that check and read as 'missing'."""
    try:
        ffmpeg_exe()
    except EngineError:
        cancel.check()  # the check was killed by the user's own interrupt
        raise


def _write_site(options: RenderOptions, quiet: bool = False) -> None:
    """Rebuild feed.xml and index.html over every manifest in the output folder."""
    if not options.feed:
        return
    if quiet:
        with contextlib.suppress(PodcastError):  # the original failure is what the user must see
            write_site(options.output_dir, options.show)
        return
    for warning in write_site(options.output_dir, options.show):
        options.notify(warning)


def render_article(
    article: Article,
    engine: Engine,
    options: RenderOptions,
    *,
    cancel: CancelToken | None = None,
    script: Script | None = None,
) -> Episode:
    """One article -> MP3 + tags + sidecars, each written atomically (`script`: already built for `engine`)."""
    cancel = cancel or CancelToken()
    script = script if script is not None else _script(article, engine, options)
    if not script.chunks:
        raise InputError("nothing to read (no words after normalization)", path=article.source)
    folder = Path(options.output_dir)
    slug = slugify(article.title)
    cache = ClipCache(options.cache_dir or default_cache_dir()) if options.use_cache else None
    stats = SynthStats()
    progress = options.progress(article.title) if options.progress else None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder: {exc.strerror or exc}", path=folder) from None
    remove_stale_temps(folder)
    mp3 = folder / f"{slug}.mp3"
    # Covers are drawn while the voice speaks, not after.
    covers: list[tuple[str, str | None]] = [] if options.cover else [(options.show.title, article.title)]
    if options.feed and not options.show.cover and not generated_show_cover(folder, options.show.title).exists():
        covers.append((options.show.title, None))
    covers_drawn = draw_ahead(covers)
    with file_group(mp3) as files:
        tmp = files.path(mp3)
        clips = synthesize(
            script, engine, cache=cache, jobs=options.jobs, progress=progress, stats=stats, decode=True, cancel=cancel
        )
        mixdown = assemble(clips, tmp, options.mix, cancel=cancel)
        covers_drawn()
        # One render at a time per folder, from claiming the slug to the last rename: two
        # renders can neither share a slug or an episode number nor interleave their files.
        with folder_lock(folder):
            slug = claim_slug(folder, slug, article.title, article.source)
            files.retarget(mp3, folder / f"{slug}.mp3")
            episode = _episode(article, script, engine, options, slug, mixdown, stats)
            carry_over(episode, folder, keep_date=article.date is None)
            cover = episode_cover(options.cover, folder, slug, options.show.title, episode.title)
            episode.cover = cover.path.name
            tag_episode(tmp, episode, cover=cover, copyright=options.show.copyright_notice)
            episode.size, episode.sha256 = file_digest(tmp)
            cancel.check()  # the last point to stop: the episode's files are then committed together
            write_sidecars(episode, folder, files)
            files.commit()
    return episode


def _episode(
    article: Article, script: Script, engine: Engine, options: RenderOptions, slug: str, mixdown, stats: SynthStats
) -> Episode:
    chunks = [
        TimedChunk(
            seg.text, seg.section, seg.paragraph, round(p.start, 3), round(p.end, 3), seg.is_heading, seg.written
        )
        for seg, p in zip(script.chunks, mixdown.placements)
    ]
    return Episode(
        slug=slug,
        title=article.title,
        mp3=f"{slug}.mp3",
        duration=round(mixdown.duration, 3),
        size=0,
        sha256="",
        engine=engine.name,
        voice=engine.voice_name,
        date=episode_date(article.date, options.show),
        author=article.author or options.show.author,
        show=options.show.title,
        description=article.description or article.paragraphs[0][:300],
        source=source_name(article.source),  # the file name: a manifest is uploaded, home paths are private
        language=options.language,
        sections=script.section_titles,
        chunks=chunks,
        stats={
            "clips": len(chunks),
            "cached": stats.cached,
            "synthesized": stats.synthesized,
            "loudness_in": mixdown.loudness_in,
            "gain_db": round(mixdown.gain_db, 2),
            "encodes": mixdown.encodes,
        },
    )
