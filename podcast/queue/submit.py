"""The submitting side: read and script the articles here, queue one task per chunk, then wait."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

from ..api import RenderOptions
from ..cancel import CancelToken
from ..episode.cover import check_cover
from ..errors import EngineError, InputError, OutputError
from ..sound.music import check_music
from ..text.article import read_article
from ..text.script import build_script
from ..types import Article
from ..voice.cache import default_cache_dir
from ..voice.engine import AUTO_ORDER, engine_classes, get_engine_class, own_options
from . import status
from .connection import Queue, check_reachable, remote
from .job import encode_article, encode_options, engine_spec

POLL_SECONDS = 0.5


def resolve_engine(name: str, given: dict, language: str) -> str:
    """The engine workers will use. `auto` is decided here, once, by the same preference as a local
    render (`choose_engine`: every chunk of an episode must come from one voice), without loading any model."""
    if name != "auto":
        cls = get_engine_class(name)
        own_options(cls, given)  # a bad value fails here, not on a worker
        return name
    infos = engine_classes()
    why = []
    for candidate in AUTO_ORDER:
        found = infos[candidate].cls if candidate in infos else None
        if found is None:
            continue
        ok, reason = found.availability()
        if ok:
            own_options(found, given)
            return candidate
        why.append(f"{candidate}: {reason}")
    raise EngineError(f"no engine available: {'; '.join(why)}")


def submit(sources: Sequence[str | Path | Article], options: RenderOptions, queue: Queue) -> list[tuple[str, str]]:
    """Queue the rendering of `sources`; returns (episode id, title) for each, in order.

    Everything that can be checked here is, before anything is queued: unreadable article, bad
    option, missing music or cover. The clip store is `options.cache_dir` (default: the platform
    cache folder), given to the workers as an absolute path: on several machines it must be a
    shared folder mounted at the same place everywhere, as must `options.output_dir`.
    """
    if not options.use_cache:
        raise InputError("the queue needs the clip cache (workers pass clips through it): drop --no-cache")
    options.mix.validate()
    check_music(options.mix)
    articles = [s if isinstance(s, Article) else read_article(s, title=options.title) for s in sources]
    if options.cover:
        check_cover(options.cover)
    name = resolve_engine(options.engine, dict(options.engine_options), options.language)
    cls = get_engine_class(name)
    spec = engine_spec(name, own_options(cls, options.engine_options), options.language)
    cache_dir = Path(options.cache_dir or default_cache_dir()).resolve()
    output = Path(options.output_dir).resolve()
    for folder in (cache_dir, output):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot create the folder: {exc.strerror or exc}", path=folder) from None
    scripts = []
    for article in articles:
        script = build_script(article, max_chars=cls.max_chars, pauses=options.pauses, lexicon=options.lexicon)
        if not script.chunks:
            raise InputError("nothing to read (no words after normalization)", path=article.source)
        scripts.append((article, script))
    job_options = encode_options(options, name, cache_dir)
    check_reachable(queue.url)  # the articles are fine: now the queue must answer (soon, or one line says why)
    submitted = []
    with remote(queue.url):
        for article, script in scripts:
            episode = uuid.uuid4().hex
            job = {"article": encode_article(article), "options": job_options, "engine": spec}
            twin = status.claim(queue, episode, job)
            if twin is not None:
                # The same article with the same settings is still on its way: one render of it is
                # enough (a second would only overwrite the first's files with the same ones).
                options.notify(f"already queued: {article.title} ({twin[:12]})")
                submitted.append((twin, article.title))
                continue
            status.create(queue, episode, title=article.title, total=len(script.chunks), output=str(output), job=job)
            for index, chunk in enumerate(script.chunks):
                queue.chunk_actor.send(episode, index, chunk.text, spec, str(cache_dir))
            submitted.append((episode, article.title))
    return submitted


def wait(
    queue: Queue,
    episodes: Sequence[str],
    *,
    progress: Callable[[int, int], None] | None = None,
    finished: Callable[[status.EpisodeStatus], None] | None = None,
    cancel: CancelToken | None = None,
) -> list[status.EpisodeStatus]:
    """Wait until every episode is done or failed; `progress(clips done, clips in all)` as they go,
    `finished(status)` once per episode as it ends. Cancelling stops the wait, not the work."""
    cancel = cancel or CancelToken()
    told: set[str] = set()
    while True:
        with remote(queue.url):
            statuses = status.get(queue, list(episodes))
        if progress:
            progress(sum(s.done for s in statuses), sum(s.total for s in statuses))
        for each in statuses:
            if each.over and each.id not in told:
                told.add(each.id)
                if finished:
                    finished(each)
        if all(s.over for s in statuses):
            return statuses
        cancel.wait(POLL_SECONDS)
        cancel.check()
