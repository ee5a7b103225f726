"""The two tasks: speak one chunk into the shared clip store, and finish one episode.

Both are idempotent, so a message delivered twice (a worker killed mid-task, a retry) does no
harm: a chunk whose clip is already stored costs a file lookup, and an episode already done is
left alone. An episode is finished under a per-episode lock held in Redis (a duplicate final task
waits, then sees it done); the feed is rebuilt under a lock on the output folder held in Redis, so
it holds across machines, where the folder's flock (on a network file system) may not.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from ..cancel import Cancelled, CancelToken
from ..errors import InputError, OutputError
from ..job import decode, encode
from ..voice.cache import ClipCache, clip_key
from ..voice.engine import Engine
from . import status

if TYPE_CHECKING:
    from .connection import Queue

log = logging.getLogger(__name__)

CHUNK_QUEUE = "podcast-chunks"
EPISODE_QUEUE = "podcast-episodes"
CHUNK_TIME_LIMIT = 10 * 60_000
"""Milliseconds one chunk may take (the neural voice speaks a 500-character chunk in ~10 s here)."""
EPISODE_TIME_LIMIT = 3 * 3600_000
"""Milliseconds the final task may take: assembling, loudness and encoding a 10-hour book."""
MAX_RETRIES = 5
MIN_BACKOFF = 2_000
MAX_BACKOFF = 300_000
LOCK_TTL = 60.0
"""Seconds a lock outlives a killed holder; a live holder renews it every LOCK_TTL / 3."""
DEFAULT_ONLINE_RATE = 10
"""Requests a second to an online engine (gTTS), across all workers sharing the queue."""


def declare(queue: Queue) -> tuple[Any, Any]:
    """The chunk and episode actors, bound to `queue` (no global Dramatiq broker is set)."""
    import dramatiq

    runtime = Runtime(queue)
    queue.runtime = runtime

    def actor(fn, name: str, queue_name: str, time_limit: int) -> Any:
        retries = {"max_retries": MAX_RETRIES, "min_backoff": MIN_BACKOFF, "max_backoff": MAX_BACKOFF}
        options = {**retries, "time_limit": time_limit}
        return dramatiq.Actor(
            fn, broker=queue.broker, actor_name=name, queue_name=queue_name, priority=0, options=options
        )

    chunk = actor(runtime.speak_chunk, "podcast_speak_chunk", CHUNK_QUEUE, CHUNK_TIME_LIMIT)
    episode = actor(runtime.finish_episode, "podcast_finish_episode", EPISODE_QUEUE, EPISODE_TIME_LIMIT)
    return chunk, episode


class Runtime:
    """What a worker process keeps between tasks: one engine per setting, open clip stores."""

    def __init__(self, queue: Queue):
        self.queue = queue
        self.online_rate = DEFAULT_ONLINE_RATE
        self.online_bucket_ms = 1000
        self.notify: Callable[[str], None] = log.info
        self.cancel = CancelToken()
        """The worker's: cancelled on stop, it ends a running render (its ffmpeg) soon."""
        self._engines: dict[str, tuple[Engine, threading.Lock | None]] = {}
        self._caches: dict[str, ClipCache] = {}
        self._lock = threading.Lock()

    # --- the tasks ---------------------------------------------------------------------------

    def speak_chunk(self, episode: str, index: int, text: str, engine: dict, cache_dir: str) -> None:
        """Put chunk `index` of `episode` in the clip store; the last one queues the final task."""
        with self._guard(episode):
            if status.state(self.queue, episode) not in (status.PENDING, status.RUNNING):
                return  # failed (or finished, or forgotten): nothing left to do for it
            status.start(self.queue, episode)
            self.make_clip(engine, cache_dir, text)
            added, counted, total = status.chunk_done(self.queue, episode, index)
            # The chunk that completes the set queues the final task; so does a chunk delivered
            # again once the set is complete (its first delivery may have died before queuing).
            if counted >= total and (added or status.state(self.queue, episode) != status.DONE):
                self.queue.episode_actor.send(episode)

    def finish_episode(self, episode: str) -> None:
        """Render the episode from the stored clips, tag and write it, rebuild the feed."""
        from ..api import render_job
        from ..job import Job
        from ..show.site import write_site

        with self._guard(episode):
            data = status.job(self.queue, episode)
            if data is None:
                return  # done already (its job is deleted then) or forgotten
            with hold(self.queue, self.queue.key("lock", "episode", episode)):
                if status.state(self.queue, episode) != status.RUNNING:
                    return
                job = Job.from_json(data)
                # The feed is rebuilt below, under the queue's lock; the submitter's callbacks stayed there.
                options = dataclasses.replace(job.options, feed=False, use_cache=True, notify=self.notify)
                job = dataclasses.replace(job, options=options)
                spec = encode(job.engine)
                # A clip the store lost since is made again here, so the render only assembles the
                # very chunks that were queued.
                for chunk in job.script.chunks:
                    self.cancel.check()
                    self.make_clip(spec, str(options.cache_dir), chunk.text)
                made, _ = self.engine(spec)
                done = render_job(job, made, cancel=self.cancel)
                folder = str(options.output_dir)
                feed_lock = self.queue.key("lock", "feed", hashlib.sha256(folder.encode()).hexdigest()[:32])
                with hold(self.queue, feed_lock):
                    for warning in write_site(options.output_dir, options.show):
                        log.info("%s", warning)
                status.finish(
                    self.queue, episode, mp3=str(options.output_dir / done.mp3), slug=done.slug, duration=done.duration
                )
            self.notify(f"done: {options.output_dir / done.mp3} ({done.title})")

    # --- the parts -------------------------------------------------------------------------

    def engine(self, spec: dict) -> tuple[Engine, threading.Lock | None]:
        """This process's engine for `spec` (an encoded EngineChoice), made on first use (a neural
        voice loads once)."""
        from ..voice.engine import EngineChoice

        key = repr(sorted((k, repr(v)) for k, v in spec.items()))
        with self._lock:
            if key not in self._engines:
                made = decode(EngineChoice, spec).start()  # chosen by the submitter's front door
                # An engine that is not thread-safe speaks one chunk at a time in this process.
                self._engines[key] = (made, None if made.parallel else threading.Lock())
            return self._engines[key]

    def cache(self, folder: str) -> ClipCache:
        with self._lock:
            if folder not in self._caches:
                self._caches[folder] = ClipCache(folder)
            return self._caches[folder]

    def make_clip(self, spec: dict, cache_dir: str, text: str) -> None:
        """The clip of `text` into the store, unless it is there already."""
        made, serial = self.engine(spec)
        cache = self.cache(cache_dir)
        key = clip_key(made.cache_identity(), text)
        if key in cache:
            return
        with serial or contextlib.nullcontext():
            if key in cache:  # another thread of this process made it meanwhile
                return
            if made.online:
                self.wait_turn(made.name)
            clip = made.synthesize(text)
        cache.put(key, clip)
        if key not in cache:
            raise OutputError("cannot store a clip in the shared clip store", path=cache.root)

    def wait_turn(self, name: str, stop: Callable[[], bool] | None = None) -> None:
        """Block until the queue-wide rate of requests to the online engine `name` allows one more
        (or `stop()` says to give up)."""
        limiter = rate_limiter(self.queue, name, self.online_rate, bucket_ms=self.online_bucket_ms)
        while not (stop and stop()):
            with limiter.acquire(raise_on_failure=False) as acquired:
                if acquired:
                    return
            # The bucket refills at the next boundary: wait for it (in short naps, so `stop` is
            # heard), spread a little so workers do not all ask at the same instant.
            bucket = self.online_bucket_ms / 1000
            time.sleep(min(0.25, bucket - time.time() % bucket + random.uniform(0, 0.05)))

    @contextlib.contextmanager
    def _guard(self, episode: str) -> Iterator[None]:
        """A task's failure: retried with backoff while that can help, else recorded on the episode."""
        from dramatiq.middleware import TimeLimitExceeded

        try:
            yield
        except Cancelled:
            raise  # the worker is stopping: the message is delivered again, not failed
        except (InputError, OutputError) as exc:  # the same input fails the same way: no retry
            if status.fail(self.queue, episode, str(exc)):
                self.notify(f"failed: {episode}: {exc}")
        except (Exception, TimeLimitExceeded) as exc:
            if not _last_attempt():
                raise
            reason = str(exc) or type(exc).__name__
            if status.fail(self.queue, episode, reason):
                self.notify(f"failed: {episode}: {reason}")

    def close(self) -> None:
        with self._lock:
            for made, _ in self._engines.values():
                with contextlib.suppress(Exception):
                    made.close()
            self._engines.clear()


def _last_attempt() -> bool:
    from dramatiq.middleware import CurrentMessage

    message = CurrentMessage.get_current_message()
    if message is None:
        return True
    return int(message.options.get("retries", 0)) >= MAX_RETRIES


def rate_limiter(queue: Queue, name: str, limit: int, *, bucket_ms: int = 1000) -> Any:
    """Dramatiq's bucket rate limiter in Redis: at most `limit` acquisitions per `bucket_ms` of clock
    time (a second by default), counted across every process using this queue."""
    from dramatiq.rate_limits import BucketRateLimiter
    from dramatiq.rate_limits.backends import RedisBackend

    backend = RedisBackend(client=queue.redis)
    return BucketRateLimiter(backend, queue.key("rate", name), limit=max(1, int(limit)), bucket=bucket_ms)


@contextlib.contextmanager
def hold(queue: Queue, name: str, ttl: float = LOCK_TTL) -> Iterator[None]:
    """A Redis lock held across machines; renewed while held, so a long render keeps it, and a
    killed holder's lock lapses after `ttl` seconds."""
    import redis

    lock = queue.redis.lock(name, timeout=ttl, thread_local=False)
    lock.acquire(blocking=True)
    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(ttl / 3):
            with contextlib.suppress(redis.RedisError):
                lock.reacquire()

    keeper = threading.Thread(target=renew, name="podcast-lock", daemon=True)
    keeper.start()
    try:
        yield
    finally:
        stop.set()
        keeper.join()
        with contextlib.suppress(redis.RedisError):
            lock.release()
