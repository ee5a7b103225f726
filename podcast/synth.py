"""Script -> clips in order: cache first, then the engine, concurrently where it allows."""

from __future__ import annotations

import logging
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable, Iterator

from .cache import ClipCache, clip_key
from .engines import Audio, Engine
from .errors import EngineError
from .script import Script, Segment

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


class SynthStats:
    """Counts for the manifest and tests: how many clips came from the cache vs the engine."""

    def __init__(self) -> None:
        self.cached = 0
        self.synthesized = 0


def synthesize(
    script: Script,
    engine: Engine,
    *,
    cache: ClipCache | None = None,
    jobs: int = 4,
    progress: Progress | None = None,
    stats: SynthStats | None = None,
) -> Iterator[tuple[Segment, Audio]]:
    """Yield (segment, audio) in script order; at most a bounded window of clips is in memory."""
    stats = stats or SynthStats()
    identity = engine.cache_identity()
    total = len(script.segments)
    workers = max(1, jobs if engine.parallel else 1)

    def one(segment: Segment) -> Audio:
        key = clip_key(identity, segment.text)
        if cache is not None:
            hit = cache.get(key)
            if hit is not None:
                stats.cached += 1
                return hit
        try:
            audio = engine.synthesize(segment.text)
        except EngineError as exc:
            raise EngineError(f"{exc} (chunk: {segment.text[:50]!r})") from exc.__cause__
        stats.synthesized += 1
        if cache is not None:
            cache.put(key, audio)
        return audio

    done = 0
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="synth") as pool:
        window: deque[tuple[Segment, Future]] = deque()
        pending = iter(script.segments)
        try:
            for segment in pending:
                window.append((segment, pool.submit(one, segment)))
                if len(window) >= workers * 4:
                    seg, fut = window.popleft()
                    yield seg, fut.result()
                    done += 1
                    if progress:
                        progress(done, total)
            while window:
                seg, fut = window.popleft()
                yield seg, fut.result()
                done += 1
                if progress:
                    progress(done, total)
        finally:
            for _, fut in window:
                fut.cancel()
