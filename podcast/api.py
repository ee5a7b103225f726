"""The library API and its front door.

`prepare()` is the one way in: it checks the options, music, covers and output folder, reads every
source, picks the engine once and scripts each article into a `Job`, raising before any audio is
made. `render()` (here), `render --queue` and the queue's final task (`podcast.queue`), `ingest`
and `podcast script` only drive it; `render_job()` turns one job into a finished episode.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

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
from .job import JOBS, Job, RenderOptions
from .show.settings import episode_date
from .show.site import write_site
from .sound.assemble import assemble
from .sound.ffmpeg import ffmpeg_exe
from .sound.music import check_music
from .text.article import read_article
from .text.script import build_script
from .types import Article, Episode, Script, TimedChunk
from .voice.cache import ClipCache, clip_key, default_cache_dir
from .voice.engine import Engine, choice_of, choose_engine
from .voice.synth import SynthStats, synthesize

log = logging.getLogger(__name__)

__all__ = ["JOBS", "Job", "Preparation", "RenderOptions", "prepare", "render", "render_job", "seed_articles"]

SEEDS_DIR = Path("seeds")
ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
NOTHING_TO_READ = "nothing to read (no words after normalization)"


def seed_articles(folder: Path = SEEDS_DIR) -> list[Path]:
    """The article files in `seeds/`, sorted."""
    if not folder.is_dir():
        raise InputError("no article given and no seeds/ folder here", path=folder)
    found = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
    if not found:
        raise InputError("no .txt, .md or .html article in the folder", path=folder)
    return found


@dataclass
class Preparation:
    """What `prepare` made: a job per article, and the engine that will speak them all.

    `add()` prepares one more article with the same engine (ingest takes a feed's entries one at a
    time). Close it (or use it as a context manager) to release the engine it started.
    """

    options: RenderOptions
    start: bool = True
    """False: the engine is decided but not set up (a queue's workers start it)."""
    jobs: list[Job] = field(default_factory=list)
    engine: Engine | None = None
    notice: str | None = None
    """The one-line notice of the engine choice (which engine speaks, and why), once."""

    def add(self, source: str | Path | Article) -> Job:
        """Read (unless parsed already), choose the engine if not yet, and script one more article."""
        article = _read(source, self.options)
        engine = self.engine if self.engine is not None else self._choose([article], {})
        job = self._job(engine, article, None)
        self.jobs.append(job)
        return job

    def _choose(self, articles: Sequence[Article], scripts: dict[tuple[int, int], Script]) -> Engine:
        options = self.options
        engine, self.notice = choose_engine(
            options.engine,
            options.engine_options,
            options.language,
            cached=lambda candidate: _all_cached(articles, candidate, options, scripts),
            keep=_previous_engines(articles, options),
            start=self.start,
        )
        self.engine = engine
        if self.notice:
            options.notify(self.notice)
        return engine

    def _job(self, engine: Engine, article: Article, script: Script | None) -> Job:
        script = script if script is not None else _script(article, engine.max_chars, self.options)
        if not script.chunks:
            raise InputError(NOTHING_TO_READ, path=article.source)
        return Job(article, script, choice_of(engine), self.options)

    def close(self) -> None:
        if self.engine is not None and self.start:
            self.engine.close()

    def __enter__(self) -> Preparation:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def prepare(
    sources: Sequence[str | Path | Article], options: RenderOptions | None = None, *, start: bool = True
) -> Preparation:
    """The front door: check everything, read every source, choose the engine once, script each article.

    Raises before any audio is made: a bad option, music, cover, output folder or article, no engine,
    or an article with nothing to read. With no sources it only checks (the engine is chosen by the
    first `Preparation.add`). `start=False` decides the engine without setting it up.
    """
    options = options if options is not None else RenderOptions()
    options.mix.validate()
    check_music(options.mix)
    if options.cover:
        check_cover(options.cover)
    _preflight(options)
    # Read everything first: a bad file fails the run before any audio is made.
    articles = [_read(source, options) for source in sources]
    preparation = Preparation(options, start=start)
    if not articles:
        return preparation
    scripts: dict[tuple[int, int], Script] = {}
    engine = preparation._choose(articles, scripts)
    try:
        for article in articles:
            made = scripts.pop((id(article), engine.max_chars), None)  # made by the cache check
            preparation.jobs.append(preparation._job(engine, article, made))
    except BaseException:
        preparation.close()
        raise
    return preparation


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
    _find_ffmpeg(cancel)
    episodes: list[Episode] = []
    with prepare(sources, options) as preparation:
        engine = preparation.engine
        try:
            for job in preparation.jobs:
                cancel.check()
                episodes.append(render_job(job, engine, cancel=cancel))
        except Exception:
            # A later article failed: still list the finished ones in the feed, then report the failure.
            if episodes:
                _write_site(options, quiet=True)
            raise
    _write_site(options)
    return episodes


def _read(source: str | Path | Article, options: RenderOptions) -> Article:
    return source if isinstance(source, Article) else read_article(source, title=options.title)


def _preflight(options: RenderOptions) -> None:
    """Check before any audio is made what writing the episode and the feed would otherwise refuse after it."""
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


def _script(article: Article, max_chars: int, options: RenderOptions) -> Script:
    return build_script(
        article,
        max_chars=max_chars,
        pauses=options.pauses,
        lexicon=options.lexicon,
        read_title=options.read_title,
    )


def _all_cached(
    articles: Sequence[Article], engine: Engine, options: RenderOptions, scripts: dict[tuple[int, int], Script]
) -> bool:
    """Whether the clip cache holds every chunk `engine` would speak: then it needs no probe.

    The scripts it builds are kept in `scripts` (by article and chunk size) for the jobs.
    """
    if not options.use_cache:
        return False
    cache = ClipCache(options.cache_dir or default_cache_dir())
    identity = engine.cache_identity()
    for article in articles:
        key = (id(article), engine.max_chars)
        if key not in scripts:
            scripts[key] = _script(article, engine.max_chars, options)
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
    """Rebuild feed.xml and index.html over every manifest in the output folder (when asked)."""
    if not options.feed:
        return
    if quiet:
        with contextlib.suppress(PodcastError):  # the original failure is what the user must see
            write_site(options.output_dir, options.show)
        return
    for warning in write_site(options.output_dir, options.show):
        options.notify(warning)


def render_job(job: Job, engine: Engine | None = None, *, cancel: CancelToken | None = None) -> Episode:
    """One prepared article -> MP3 + tags + sidecars, each written atomically.

    `engine` speaks the clips the cache lacks; it must be the job's choice (None: a settings-only
    engine, for a job whose every clip is cached, as on a queue's final task).
    """
    cancel = cancel or CancelToken()
    article, script, options = job.article, job.script, job.options
    engine = engine if engine is not None else job.engine.settings_only()
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
            cover = episode_cover(options.cover, folder, slug, options.show.title, article.title)
            tagged = carry_over(
                _episode(job, engine, slug, mixdown, stats, cover.path.name), folder, keep_date=article.date is None
            )
            tag_episode(tmp, tagged, cover=cover, copyright=options.show.copyright_notice)
            size, sha256 = file_digest(tmp)  # of the tagged file: what the feed's length and the host's check see
            episode = dataclasses.replace(tagged, size=size, sha256=sha256)
            cancel.check()  # the last point to stop: the episode's files are then committed together
            write_sidecars(episode, folder, files)
            files.commit()
    return episode


def _episode(job: Job, engine: Engine, slug: str, mixdown, stats: SynthStats, cover: str) -> Episode:
    """The episode as tagged: everything but its file's size and digest, known once it is tagged."""
    article, script, options = job.article, job.script, job.options
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
        cover=cover,
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
