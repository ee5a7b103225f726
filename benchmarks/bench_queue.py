"""A book on the task queue: 1 worker process, then 2, against a local render in the same run.

It writes a book-length French text (bench_scale.py's generator: varied sentences, so chunks do
not repeat), then renders it three ways, each with a fresh clip store and output folder:
  - local:    podcast.api.render in this process (synthesis and encoding overlap);
  - queue x1: a real redis-server and 1 `podcast worker --concurrency 1` process; this process
              submits (podcast.queue.submit) and waits;
  - queue x2: the same with 2 worker processes.
It prints wall time (and, for the queue, when the last clip was stored: the rest is the one final
task that assembles, encodes and tags), the speedup of 2 workers over 1, and the overhead of the
queue against the local render. Worker start-up is not counted (workers are long-lived).

    python benchmarks/bench_queue.py                   # 1 hour of espeak speech
    python benchmarks/bench_queue.py --hours 0.1       # a quick look
    python benchmarks/bench_queue.py --engine kokoro --hours 0.05
    python benchmarks/bench_queue.py --engine gtts --fake-google 0.3 --concurrency 4 --hours 0.25
      (gTTS against tests/support/fakegoogle.py answering each request in 0.3 s; never the real Google)
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from bench_scale import french_article  # noqa: E402

from podcast.api import RenderOptions, render  # noqa: E402
from podcast.queue import connect, submit, wait  # noqa: E402
from tests.support.queueing import Worker, redis_server  # noqa: E402


def local(book: Path, folder: Path, engine: str) -> dict:
    started = time.perf_counter()
    [episode] = render([book], RenderOptions(output_dir=folder / "out", cache_dir=folder / "clips", engine=engine))
    return {"seconds": time.perf_counter() - started, "audio": episode.duration, "clips": len(episode.chunks)}


def queued(book: Path, folder: Path, engine: str, workers: int, concurrency: int) -> dict:
    with redis_server(folder / "redis") as url:
        procs = [Worker(url, folder / f"worker{i}.log", concurrency=concurrency, dead_after=30) for i in range(workers)]
        try:
            for proc in procs:
                proc.wait_ready()
            queue = connect(url)
            clips_stored = []

            def progress(done: int, total: int) -> None:
                if done == total and not clips_stored:
                    clips_stored.append(time.perf_counter())

            started = time.perf_counter()
            ids = [episode for episode, _ in submit([book], options(folder, engine), queue)]
            submitted = time.perf_counter()
            [status] = wait(queue, ids, progress=progress)
            ended = time.perf_counter()
            queue.close()
            if status.state != "done":
                raise SystemExit(f"queue x{workers}: {status.error}\n{procs[0].output()}")
        finally:
            for proc in procs:
                proc.stop()
    return {
        "seconds": ended - started,
        "submit": submitted - started,
        "clips_stored": (clips_stored[0] if clips_stored else ended) - started,
        "final": ended - (clips_stored[0] if clips_stored else ended),
        "clips": status.total,
    }


def options(folder: Path, engine: str) -> RenderOptions:
    return RenderOptions(output_dir=folder / "out", cache_dir=folder / "clips", engine=engine)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hours", type=float, default=1.0, help="length of the book, in hours of espeak speech")
    parser.add_argument("--engine", default="espeak", help="espeak (default), kokoro, gtts...")
    parser.add_argument("--concurrency", type=int, default=1, help="threads per worker process (default 1)")
    parser.add_argument(
        "--fake-google", type=float, metavar="SECONDS", help="serve gTTS from the local fake with this latency"
    )
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        if args.fake_google is not None:
            from tests.support.fakegoogle import FakeGoogle

            fake = stack.enter_context(FakeGoogle())
            fake.latency = args.fake_google
            os.environ["PODCAST_GTTS_URL"] = fake.url  # this process and the workers it starts
        run(args)


def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-queue-") as tmp:
        base = Path(tmp)
        book = base / "book.md"
        book.write_text(french_article(args.hours), encoding="utf-8")
        print(f"book: {len(book.read_text('utf-8').split())} words, engine {args.engine}", flush=True)
        here = local(book, base / "local", args.engine)
        audio_h = here["audio"] / 3600
        print(f"local     {here['seconds']:7.1f} s  ({here['clips']} clips, {here['audio'] / 60:.1f} min of audio)")
        runs = {}
        for workers in (1, 2):
            run = runs[workers] = queued(book, base / f"queue{workers}", args.engine, workers, args.concurrency)
            print(
                f"queue x{workers}  {run['seconds']:7.1f} s  (submit {run['submit']:.1f} s, all clips stored at "
                f"{run['clips_stored']:.1f} s, final task {run['final']:.1f} s)",
                flush=True,
            )
        one, two = runs[1]["seconds"], runs[2]["seconds"]
        print(f"speedup, 2 workers over 1: {one / two:.2f}x")
        print(f"overhead of the queue (1 worker) over local: {(one / here['seconds'] - 1) * 100:+.0f}%")
        for name, seconds in (("local", here["seconds"]), ("queue x1", one), ("queue x2", two)):
            print(f"per audio hour, {name}: {seconds / audio_h / 60:.1f} min")


if __name__ == "__main__":
    main()
