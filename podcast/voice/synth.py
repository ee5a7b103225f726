"""Script -> clips in order: cache first, then the engine, concurrently where it allows.

Threads drive the work: `jobs` of them for engines that take concurrent calls (gTTS's HTTP
requests), one for engines that serialize (espeak-ng in-process). Engines that declare
`processes` run in a pool of worker processes instead, one engine per process, when the
script is long enough to repay starting them. Clips go into the cache the moment they are
made, so an interrupted or failed render resumes where it stopped. At most a bounded window
of clips is in memory, whatever the length of the book.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
from collections import deque
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterator

from ..errors import EngineError
from ..types import Chunk, Clip, Script
from .cache import ClipCache, clip_key
from .engine import Engine, VoiceSettings

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

PROCESS_MIN_SEGMENTS = 200
"""Below this, starting worker processes costs more than it saves (espeak-ng speaks ~1000x real time)."""
WINDOW_PER_WORKER = 4


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


def synthesize(
    script: Script,
    engine: Engine,
    *,
    cache: ClipCache | None = None,
    jobs: int = 4,
    progress: Progress | None = None,
    stats: SynthStats | None = None,
    decode: bool = False,
) -> Iterator[tuple[Chunk, Clip]]:
    """Yield (chunk, audio) in script order, whatever order the clips finish in.

    With `decode`, compressed clips (gTTS's MP3) come back as PCM, decoded by a pool of its
    own (one thread per core) while requests stay in flight, rather than one by one in the mixer.
    """
    stats = stats if stats is not None else SynthStats()
    identity = engine.cache_identity()
    total = len(script.chunks)
    jobs = max(1, jobs)
    # Local CPU-bound speech gains nothing past one process per core, and each costs ~30 MB.
    cpu_jobs = min(jobs, os.cpu_count() or 1)
    use_processes = engine.processes and cpu_jobs > 1 and total >= PROCESS_MIN_SEGMENTS
    workers = cpu_jobs if use_processes else jobs if engine.parallel else 1
    processes = _process_pool(engine, cpu_jobs) if use_processes else None
    speak = _remote(processes) if processes else engine.synthesize

    failed: list[EngineError] = []

    def one(chunk: Chunk) -> Future:
        if failed:  # the render has failed: queued clips are not started
            raise EngineError(str(failed[0]))
        try:
            audio = fetch(chunk)
        except EngineError as exc:
            failed.append(exc)
            raise
        if not decode or audio.format == "pcm":
            return _finished(audio)
        # Decoding elsewhere frees this thread for its next request at once.
        return decoder.submit(decoded, chunk, audio)

    def decoded(chunk: Chunk, audio: Clip) -> Clip:
        try:
            return to_pcm(audio)
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
            audio = speak(chunk.text)
        except EngineError as exc:
            raise EngineError(f"{exc} (chunk: {chunk.text[:50]!r})") from exc
        stats.count(cached=False)
        if cache is not None:
            cache.put(key, audio)  # at once: a later failure keeps this clip
        return audio

    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="synth")
    decoder = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="decode")
    window: deque[tuple[Chunk, Future]] = deque()
    interrupted = False
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
            yield chunk, future.result().result()
            done += 1
            if progress:
                progress(done, total)
    except BaseException as exc:
        interrupted = not isinstance(exc, Exception)
        raise
    finally:
        for _, future in window:
            future.cancel()
        # On Ctrl-C do not wait for requests in flight; on errors let running clips land in the cache.
        pool.shutdown(wait=not interrupted, cancel_futures=True)
        decoder.shutdown(wait=not interrupted, cancel_futures=True)
        if processes is not None:
            processes.shutdown(wait=not interrupted, cancel_futures=True)


def _finished(audio: Clip) -> Future:
    future: Future = Future()
    future.set_result(audio)
    return future


def to_pcm(audio: Clip) -> Clip:
    """Decode a compressed clip with the bundled ffmpeg (through pydub) into 16-bit PCM."""
    from io import BytesIO

    from ..sound.ffmpeg import pydub

    try:
        # Naming the decoder spares pydub its ffprobe call (the wheel ships ffmpeg only).
        seg = pydub().AudioSegment.from_file(BytesIO(audio.data), format=audio.format,
                                             codec={"mp3": "mp3float"}.get(audio.format))
    except Exception as exc:  # pydub raises CouldntDecodeError or IndexError on garbage
        raise EngineError(f"the engine returned undecodable {audio.format} audio") from exc
    seg = seg.set_sample_width(2)
    return Clip(seg.raw_data, "pcm", seg.frame_rate, 2, seg.channels)


def _process_pool(engine: Engine, jobs: int) -> Executor:
    # forkserver/spawn: a fork of this threaded process could inherit a held lock.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    log.debug("synth: %d %s worker processes for %s", jobs, context.get_start_method(), engine.name)
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                               initializer=_start_worker, initargs=(type(engine), engine.settings))


def _remote(pool: Executor) -> Callable[[str], Clip]:
    def speak(text: str) -> Clip:
        try:
            return pool.submit(_worker_synthesize, text).result()
        except BrokenProcessPool as exc:
            raise EngineError("a speech worker process died (out of memory, or killed); "
                              "rerun, or use --jobs 1 to speak in-process") from exc

    return speak


_worker_engine: Engine | None = None


def _start_worker(cls: type[Engine], settings: VoiceSettings) -> None:
    global _worker_engine
    # A terminal's Ctrl-C reaches the whole process group; the parent handles it and stops the
    # pool. In a worker it would land inside espeak's ctypes callback and print noise.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_engine = cls(settings)


def _worker_synthesize(text: str) -> Clip:
    if _worker_engine is None:
        raise EngineError("speech worker started without its engine")
    return _worker_engine.synthesize(text)
