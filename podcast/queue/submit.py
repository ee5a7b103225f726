"""The submitting side: prepare the articles here (the front door), queue one task per chunk, then wait."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

from ..api import prepare
from ..cancel import CancelToken
from ..errors import InputError, OutputError
from ..job import Job, RenderOptions, encode
from ..types import Article
from ..voice.cache import default_cache_dir
from . import status
from .connection import Queue, check_reachable, remote

POLL_SECONDS = 0.5


def submit(sources: Sequence[str | Path | Article], options: RenderOptions, queue: Queue) -> list[tuple[str, str]]:
    """Queue the rendering of `sources`; returns (episode id, title) for each, in order.

    Everything the front door checks is checked here, before anything is queued: unreadable
    article, bad option, missing music or cover, a bad output folder, no engine, nothing to read.
    The clip store is `options.cache_dir` (default: the platform cache folder), given to the
    workers as an absolute path: on several machines it must be a shared folder mounted at the
    same place everywhere, as must `options.output_dir`.
    """
    options = queue_options(options)
    with prepare(sources, options, start=False) as preparation:
        jobs = preparation.jobs
    check_reachable(queue.url)  # the articles are fine: now the queue must answer (soon, or one line says why)
    return [queue_job(queue, job) for job in jobs]


def queue_options(options: RenderOptions) -> RenderOptions:
    """`options` as workers need them: with the clip store, every path absolute, the folders made."""
    if not options.use_cache:
        raise InputError("the queue needs the clip cache (workers pass clips through it): drop --no-cache")
    store = Path(options.cache_dir or default_cache_dir()).resolve()
    options = dataclasses.replace(options, cache_dir=store).absolute()
    for folder in (store, options.output_dir):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot create the folder: {exc.strerror or exc}", path=folder) from None
    return options


def queue_job(queue: Queue, job: Job) -> tuple[str, str]:
    """Record one prepared job and queue its chunks: (episode id, title). An identical job still on
    its way is not queued twice: its id is returned."""
    episode = uuid.uuid4().hex
    data = job.to_json()
    title = job.article.title
    with remote(queue.url):
        twin = status.claim(queue, episode, data)
        if twin is not None:
            # The same article with the same settings is still on its way: one render of it is
            # enough (a second would only overwrite the first's files with the same ones).
            job.options.notify(f"already queued: {title} ({twin[:12]})")
            return twin, title
        chunks = job.script.chunks
        status.create(queue, episode, title=title, total=len(chunks), output=str(job.options.output_dir), job=data)
        spec = encode(job.engine)
        for index, chunk in enumerate(chunks):
            queue.chunk_actor.send(episode, index, chunk.text, spec, str(job.options.cache_dir))
    return episode, title


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
