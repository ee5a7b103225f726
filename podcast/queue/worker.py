"""The working side: a Dramatiq worker in this process (threads), until the cancel token says stop."""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable

from ..cancel import CancelToken
from ..options import Option
from .broker import connect
from .connection import DEFAULT_DEAD_AFTER, DRAMATIQ_NAMESPACE, Queue, redact, remote
from .tasks import DEFAULT_ONLINE_RATE

log = logging.getLogger(__name__)

POLL_MS = 100
"""Longest nap of an idle or full consumer between fetches (Dramatiq's default, 1 s, left a worker
waiting on its own consumer between short chunks: an hour of espeak speech took twice as long to
store). Idle, a worker makes ~40 small Redis calls a second."""
CONCURRENCY = Option("concurrency", int, 2, "Tasks run at once (threads).", min=1, max=64, metavar="N")
DEAD_AFTER = Option(
    "dead_after",
    float,
    DEFAULT_DEAD_AFTER,
    "Seconds without a heartbeat before a worker's unfinished tasks go to another worker.",
    min=1.0,
    max=3600.0,
    unit="s",
    metavar="SECONDS",
)
ONLINE_RATE = Option(
    "online_rate",
    int,
    DEFAULT_ONLINE_RATE,
    "Requests a second to an online engine (gTTS) across all workers: give every worker the same.",
    min=1,
    max=1000,
    metavar="N",
)
OPTIONS = (CONCURRENCY, DEAD_AFTER, ONLINE_RATE)
"""A worker's options, declared once: `run_worker` checks them, the CLI builds its flags from them."""
STOP_SECONDS = 30.0
"""On stop, how long running tasks may finish; a task still running then is delivered again
elsewhere once this worker's heartbeat has lapsed."""


def run_worker(
    url: str,
    *,
    concurrency: int = CONCURRENCY.default,
    dead_after: float = DEAD_AFTER.default,
    online_rate: int = ONLINE_RATE.default,
    cancel: CancelToken | None = None,
    notify: Callable[[str], None] | None = None,
) -> None:
    """Take tasks from the queue at `url` with `concurrency` threads until `cancel` is cancelled.

    Prefetched messages go back to the queue at once on stop; a worker killed outright has its
    unfinished messages delivered again `dead_after` seconds later.
    """
    from dramatiq import Worker

    concurrency, dead_after = CONCURRENCY.check(concurrency), DEAD_AFTER.check(dead_after)
    online_rate = ONLINE_RATE.check(online_rate)
    cancel = cancel or CancelToken()
    say = notify or log.info
    queue = connect(url, dead_after=dead_after)
    queue.runtime.online_rate = online_rate
    queue.runtime.notify = say
    queue.runtime.cancel = cancel  # a stop reaches the render a final task is running (its ffmpeg)
    me = queue.broker.broker_id
    record = {"pid": os.getpid(), "host": socket.gethostname(), "threads": concurrency, "started": time.time()}
    with remote(url):
        # Who works, for `podcast status` and for tests that need a worker's Dramatiq id.
        queue.redis.hset(queue.key("workers"), me, json.dumps(record))
    queue.broker.emit_after("process_boot")  # starts Dramatiq's time-limit watcher
    worker = Worker(queue.broker, worker_threads=concurrency, worker_timeout=POLL_MS)
    quiet = _ConsumerLines(url)
    consumers = [logging.getLogger(name) for name in _consumer_loggers()]
    for each in consumers:
        each.addFilter(quiet)
    worker.start()
    say(f"worker {record['host']}:{record['pid']} on {redact(url)}, {concurrency} threads; Ctrl-C to stop")
    try:
        while not cancel.wait(1.0):
            pass
    finally:
        for each in consumers:
            each.removeFilter(quiet)
        worker.stop(timeout=int(STOP_SECONDS * 1000))
        try:
            with remote(url):
                queue.redis.hdel(queue.key("workers"), me)
        finally:
            queue.close()


def _consumer_loggers() -> list[str]:
    """Dramatiq's consumer threads' loggers: one per queue and per delay queue."""
    from .tasks import CHUNK_QUEUE, EPISODE_QUEUE

    return [
        f"dramatiq.worker.ConsumerThread({name}{suffix})"
        for name in (CHUNK_QUEUE, EPISODE_QUEUE)
        for suffix in ("", ".DQ")
    ]


class _ConsumerLines(logging.Filter):
    """While Redis is away each consumer says so every second or two, forever (a traceback for an
    unexpected error): here one line naming the queue, each distinct one once a minute; the worker
    keeps retrying, so it carries on by itself once Redis is back."""

    EVERY = 60.0

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = redact(url)
        self.last: dict[str, float] = {}
        self.lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING or logging.getLogger().isEnabledFor(logging.DEBUG):
            return True  # --debug shows Dramatiq as it is
        detail = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            detail = f"{detail} {type(record.exc_info[1]).__name__}: {record.exc_info[1]}"
        detail = " ".join(detail.replace("Consumer encountered a connection error: ", "").split())
        now = time.monotonic()
        with self.lock:
            if now - self.last.get(detail, -self.EVERY) < self.EVERY:
                return False
            self.last[detail] = now
        record.msg, record.args, record.exc_info, record.exc_text = (
            f"queue {self.url}: {detail} (retrying; said once a minute)",
            (),
            None,
            None,
        )
        return True


def workers(queue: Queue) -> dict[str, dict]:
    """The workers registered on the queue by Dramatiq id, each with `alive` (its heartbeat is
    recent). One killed outright is listed as not alive until Dramatiq forgets it, then dropped."""
    beats_key = f"{DRAMATIQ_NAMESPACE}:__heartbeats__"
    with remote(queue.url):
        raw = queue.redis.hgetall(queue.key("workers"))
        beats = {key.decode(): score for key, score in queue.redis.zrange(beats_key, 0, -1, withscores=True)}
        now_ms = time.time() * 1000
        found = {}
        for key, value in raw.items():
            name = key.decode()
            if name not in beats:
                queue.redis.hdel(queue.key("workers"), name)
                continue
            found[name] = {**json.loads(value), "alive": now_ms - beats[name] < queue.dead_after * 1000}
    return found
