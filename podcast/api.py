"""The library API: `render()` turns article files into finished episodes in a folder."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field
from datetime import date as _date
from pathlib import Path
from typing import Callable, Sequence

from .errors import InputError, OutputError, PodcastError
from .files import atomic_path, interrupts_deferred, remove_stale_temps, slugify
from .publish.cover import check_cover, draw_ahead, episode_cover, generated_show_cover
from .publish.manifest import carry_over, file_digest, write_sidecars
from .publish.show import Show
from .publish.tags import tag_episode
from .sound.ffmpeg import pydub
from .sound.mix import assemble, check_music
from .sound.settings import MixSettings
from .text.article import read_article
from .text.script import Pauses, build_script
from .types import Article, Episode, Script, TimedChunk
from .voice.cache import ClipCache, default_cache_dir
from .voice.engine import Engine, VoiceSettings, choose_engine
from .voice.synth import Progress, SynthStats, synthesize

log = logging.getLogger(__name__)

SEEDS_DIR = Path("seeds")
ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")


@dataclass
class RenderOptions:
    """Everything `podcast render` can be told; defaults are what a podcaster wants."""

    output_dir: Path = Path("audio")
    engine: str = "auto"
    voice: VoiceSettings = field(default_factory=VoiceSettings)
    mix: MixSettings = field(default_factory=MixSettings)
    pauses: Pauses = field(default_factory=Pauses)
    title: str | None = None
    lexicon: dict[str, str] | None = None
    cache_dir: Path | None = None
    use_cache: bool = True
    show: Show = field(default_factory=Show)
    cover: Path | None = None
    """Episode cover image (square JPEG/PNG, 1400-3000 px); None: one is drawn from the titles."""
    publish: bool = True
    """Rebuild feed.xml and index.html in the output folder afterwards."""
    progress: Callable[[str], Progress | None] | None = None
    """Given the episode title, returns a (done, total) callback or None."""
    notify: Callable[[str], None] = lambda message: log.warning(message)


def seed_articles(folder: Path = SEEDS_DIR) -> list[Path]:
    """The article files in `seeds/`, sorted."""
    if not folder.is_dir():
        raise InputError("no article given and no seeds/ folder here", path=folder)
    found = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
    if not found:
        raise InputError("no .txt, .md or .html article in the folder", path=folder)
    return found


def render(sources: Sequence[str | Path], options: RenderOptions = RenderOptions()) -> list[Episode]:
    """Render each source (a path or '-') into `options.output_dir`; return the episodes."""
    options.mix.validate()
    check_music(options.mix)
    # Read everything first: a bad file fails the run before any audio is made.
    articles = [read_article(source, title=options.title) for source in sources]
    if options.cover:
        check_cover(options.cover)
    engine, notice = choose_engine(options.engine, options.voice)
    if notice:
        options.notify(notice)
    episodes: list[Episode] = []
    try:
        for article in articles:
            episodes.append(render_article(article, engine, options))
    except Exception:
        # A later article failed: still list the finished ones in the feed, then report the failure.
        if episodes:
            _publish(options, quiet=True)
        raise
    finally:
        engine.close()
    _publish(options)
    return episodes


def _publish(options: RenderOptions, quiet: bool = False) -> None:
    """Rebuild feed.xml and index.html over every manifest in the output folder."""
    if not options.publish:
        return
    from .publish.site import publish

    if quiet:
        with contextlib.suppress(PodcastError):  # the original failure is what the user must see
            publish(options.output_dir, options.show)
        return
    for warning in publish(options.output_dir, options.show):
        options.notify(warning)


def render_article(article: Article, engine: Engine, options: RenderOptions) -> Episode:
    """One article -> MP3 + tags + sidecars, each written atomically."""
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
    covers = [] if options.cover else [(options.show.title, article.title)]
    if options.publish and not options.show.cover and not generated_show_cover(folder, options.show.title).exists():
        covers.append((options.show.title, None))
    covers_drawn = draw_ahead(covers)
    # pydub's import (namedtuple evals, a bare `except:`) can swallow a Ctrl-C: do it before speech starts.
    pydub()
    with contextlib.ExitStack() as publishing:
        with atomic_path(mp3) as tmp:
            clips = synthesize(script, engine, cache=cache, jobs=options.voice.jobs, progress=progress, stats=stats,
                               decode=True)
            mixdown = assemble(clips, tmp, options.mix)
            episode = _episode(article, script, engine, options, slug, mixdown, stats)
            carry_over(episode, folder, keep_date=article.date is None)
            covers_drawn()
            cover = episode_cover(options.cover, folder, slug, options.show.title, episode.title)
            episode.cover = cover.path.name
            tag_episode(tmp, episode, cover=cover, copyright=options.show.copyright_notice)
            episode.size, episode.sha256 = file_digest(tmp)
            # From the MP3's rename to the manifest, Ctrl-C waits: never a new MP3 with an old manifest.
            publishing.enter_context(interrupts_deferred())
        write_sidecars(episode, folder)
    return episode


def _episode(article: Article, script: Script, engine: Engine, options: RenderOptions, slug: str,
             mixdown, stats: SynthStats) -> Episode:
    chunks = [
        TimedChunk(seg.text, seg.section, seg.paragraph, round(p.start, 3), round(p.end, 3), seg.is_heading,
              seg.written)
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
        language=options.voice.language,
        sections=script.section_titles,
        chunks=chunks,
        stats={"clips": len(chunks), "cached": stats.cached, "synthesized": stats.synthesized,
               "loudness_in": mixdown.loudness_in, "gain_db": round(mixdown.gain_db, 2),
               "encodes": mixdown.encodes},
    )
