"""Script -> clips in order: cache first, then the engine, concurrently where it allows.

`jobs` threads drive engines that take concurrent calls (gTTS's HTTP requests); one thread
drives engines that serialize (espeak-ng in-process). Clips go into the cache the moment they
are made, so an interrupted or failed render resumes where it stopped. At most a bounded window
of clips is in memory, whatever the length of the book.

The worker threads are daemon threads: a cancelled render abandons requests in flight instead
of waiting out their network timeouts, and the process can exit at once.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout  # not the builtin before Python 3.11

from ..cancel import CancelToken
from ..errors import EngineError
from ..sound.clip import decode_clip
from ..types import Chunk, Clip, Script
from .cache import ClipCache, clip_key
from .engine import Engine

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

WINDOW_PER_WORKER = 4
POLL_SECONDS = 0.1
"""How often a wait for a clip looks at the cancel token."""


class SynthStats:
    """Counts for the manifest and tests: how many clips came from the cache vs the engine."""

    def __init__(self) -> None:
        self.cached = 0
        self.synthesized = 0
        self._lock = threading.Lock()

    def count(self, cached: bool) -> None:
        with self._lock:
            if cached:
                self.cached += 1
            else:
                self.synthesized += 1


class _Workers:
    """A fixed set of daemon threads running submitted calls (see the module docstring for why daemon)."""

    def __init__(self, count: int, name: str):
        self._tasks: queue.SimpleQueue = queue.SimpleQueue()
        self._closed = False
        self._busy = 0
        self._idle = threading.Condition()
        for index in range(count):
            threading.Thread(target=self._run, name=f"{name}-{index}", daemon=True).start()
        self._count = count

    def submit(self, fn: Callable, *args) -> Future:
        future: Future = Future()
        self._tasks.put((future, fn, args))
        return future

    def _run(self) -> None:
        while (task := self._tasks.get()) is not None:
            future, fn, args = task
            if self._closed or not future.set_running_or_notify_cancel():
                continue
            with self._idle:
                self._busy += 1
            try:
                future.set_result(fn(*args))
            except BaseException as exc:  # delivered to whoever waits on the future
                future.set_exception(exc)
            finally:
                with self._idle:
                    self._busy -= 1
                    self._idle.notify_all()

    def close(self, wait: Callable[[], bool] | None = None) -> None:
        """Drop queued calls. Running ones finish on their own; with `wait`, they are waited
        for (polling `wait()` for a reason to stop waiting)."""
        self._closed = True
        for _ in range(self._count):
            self._tasks.put(None)
        if wait is not None:
            with self._idle:
                while self._busy and wait():
                    self._idle.wait(POLL_SECONDS)


def synthesize(
    script: Script,
    engine: Engine,
    *,
    cache: ClipCache | None = None,
    jobs: int = 4,
    progress: Progress | None = None,
    stats: SynthStats | None = None,
    decode: bool = False,
    cancel: CancelToken | None = None,
) -> Iterator[tuple[Chunk, Clip]]:
    """Yield (chunk, clip) in script order, whatever order the clips finish in.

    With `decode`, compressed clips (gTTS's MP3) come back as PCM, decoded by workers of their
    own (one per core) while requests stay in flight, rather than one by one in the mixer.
    Raises `Cancelled` soon after `cancel` is cancelled.
    """
    cancel = cancel or CancelToken()
    stats = stats if stats is not None else SynthStats()
    identity = engine.cache_identity()
    total = len(script.chunks)
    workers = max(1, jobs) if engine.parallel else 1
    failed: list[EngineError] = []

    def one(chunk: Chunk) -> Future:
        if failed:  # the render has failed: queued clips are not started
            raise EngineError(str(failed[0]))
        cancel.check()
        try:
            clip = fetch(chunk)
        except EngineError as exc:
            failed.append(exc)
            raise
        if not decode or clip.format == "pcm":
            done: Future = Future()
            done.set_result(clip)
            return done
        # Decoding elsewhere frees this thread for its next request at once.
        return decoder.submit(decoded, chunk, clip)

    def decoded(chunk: Chunk, clip: Clip) -> Clip:
        try:
            return decode_clip(clip, cancel=cancel)  # a cancel kills its ffmpeg
        except EngineError as exc:
            failed.append(exc)
            raise EngineError(f"{exc} (chunk: {chunk.text[:50]!r})") from exc

    def fetch(chunk: Chunk) -> Clip:
        key = clip_key(identity, chunk.text)
        if cache is not None:
            hit = cache.get(key)
            if hit is not None:
                stats.count(cached=True)
                return hit
        try:
            clip = engine.synthesize(chunk.text)
        except EngineError as exc:
            cancel.check()  # an engine stopped by the cancel reports that, not its own failure
            raise EngineError(f"{exc} (chunk: {chunk.text[:50]!r})") from exc
        stats.count(cached=False)
        if cache is not None:
            cache.put(key, clip)  # at once: a later failure keeps this clip
        return clip

    pool = _Workers(workers, "synth")
    decoder = _Workers(os.cpu_count() or 1, "decode")
    stop_engine = cancel.on_cancel(engine.cancel)
    window: deque[tuple[Chunk, Future]] = deque()
    failing = False
    try:
        done = 0
        pending = iter(script.chunks)
        while True:
            for chunk in pending:
                window.append((chunk, pool.submit(one, chunk)))
                if len(window) >= workers * WINDOW_PER_WORKER:
                    break
            if not window:
                break
            chunk, future = window.popleft()
            yield chunk, _wait(_wait(future, cancel), cancel)
            done += 1
            if progress:
                progress(done, total)
    except Exception:
        failing = True
        raise
    finally:
        stop_engine()
        for _, future in window:
            future.cancel()
        # On a failure, clips being made still land in the cache for the rerun; on a cancel
        # (or the consumer's own interrupt) nothing is waited for.
        still = (lambda: not cancel.cancelled) if failing else None
        pool.close(wait=still)
        decoder.close(wait=still)


def _wait(future: Future, cancel: CancelToken):
    """The future's result, or `Cancelled` within POLL_SECONDS of a cancel."""
    while True:
        cancel.check()
        try:
            return future.result(timeout=POLL_SECONDS)
        except FutureTimeout:
            continue
