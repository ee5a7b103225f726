"""The library API: `render()` turns article files into finished episodes in a folder."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date as _date
from pathlib import Path
from typing import ClassVar

from .cancel import CancelToken
from .errors import EngineError, InputError, OutputError, PodcastError
from .files import file_group, remove_stale_temps, slugify
from .options import Option
from .publish.cover import check_cover, draw_ahead, episode_cover, generated_show_cover
from .publish.manifest import carry_over, file_digest, write_sidecars
from .publish.show import Show
from .publish.site import write_site
from .publish.tags import tag_episode
from .sound.assemble import assemble
from .sound.ffmpeg import ffmpeg_exe
from .sound.music import check_music
from .sound.settings import MixSettings
from .text.article import read_article
from .text.script import Pauses, build_script
from .types import Article, Episode, Script, TimedChunk
from .voice.cache import ClipCache, default_cache_dir
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
    leaving no temp file; episodes finished by then stay published.
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
    _find_ffmpeg(cancel)
    engine, notice = choose_engine(options.engine, options.engine_options, options.language)
    if notice:
        options.notify(notice)
    episodes: list[Episode] = []
    try:
        for article in articles:
            cancel.check()
            episodes.append(render_article(article, engine, options, cancel=cancel))
    except Exception:
        # A later article failed: still list the finished ones in the feed, then report the failure.
        if episodes:
            _publish(options, quiet=True)
        raise
    finally:
        engine.close()
    _publish(options)
    return episodes


def _find_ffmpeg(cancel: CancelToken) -> None:
    """Resolve the bundled ffmpeg before any work: the wheel checks it by running `ffmpeg -version`,
    and a Ctrl-C sent to the process group mid-render would kill that check and read as 'missing'."""
    try:
        ffmpeg_exe()
    except EngineError:
        cancel.check()  # the check was killed by the user's own interrupt
        raise


def _publish(options: RenderOptions, quiet: bool = False) -> None:
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
    article: Article, engine: Engine, options: RenderOptions, *, cancel: CancelToken | None = None
) -> Episode:
    """One article -> MP3 + tags + sidecars, each written atomically."""
    cancel = cancel or CancelToken()
    script = build_script(article, max_chars=engine.max_chars, pauses=options.pauses, lexicon=options.lexicon)
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
        episode = _episode(article, script, engine, options, slug, mixdown, stats)
        carry_over(episode, folder, keep_date=article.date is None)
        covers_drawn()
        cover = episode_cover(options.cover, folder, slug, options.show.title, episode.title)
        episode.cover = cover.path.name
        tag_episode(tmp, episode, cover=cover, copyright=options.show.copyright_notice)
        episode.size, episode.sha256 = file_digest(tmp)
        cancel.check()  # the last point to stop: the episode's files are then published together
        write_sidecars(episode, folder, files)
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
        date=(article.date or _date.today()).isoformat(),
        author=article.author or options.show.author,
        show=options.show.title,
        description=article.description or article.paragraphs[0][:300],
        source=article.source,
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
