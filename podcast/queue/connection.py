"""The queue's connection settings and its handle, `Queue` (made by `podcast.queue.broker.connect`).

One Redis URL gives the Dramatiq broker and our status keys.

Dramatiq's Redis broker acknowledges a message only after its task returns, and each worker
process beats a heartbeat on every fetch (its delay-queue consumer fetches at least once a second).
When a worker has not beaten for `dead_after` seconds, the next live fetch moves the messages it
held back to the queue: that is how a SIGKILLed worker's chunk is delivered again. Dramatiq's
defaults (60 s, and that check on 1 fetch in 1000) would leave a dead worker's chunks waiting for
many minutes; we check on every fetch (a small sorted-set read while nobody is dead) and call a
worker dead after DEFAULT_DEAD_AFTER seconds. A live worker wrongly taken for dead (stalled longer
than that) only costs a chunk spoken twice: every task is idempotent.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..errors import EngineError, InputError

DEFAULT_DEAD_AFTER = 30.0
"""Seconds without a heartbeat after which a worker's unfinished messages go back to the queue."""
NAMESPACE = "podcast"
"""Prefix of every key we write (our status keys) ..."""
DRAMATIQ_NAMESPACE = "podcast.dramatiq"
"""... and of Dramatiq's own (queues, acks, heartbeats)."""
SCHEMES = ("redis", "rediss", "unix")
CONNECT_TIMEOUT = 5.0
SOCKET_TIMEOUT = 60.0


def redact(url: str) -> str:
    """The URL without its password, for messages and status lines."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparsable URL>"
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def check_url(url: str) -> str:
    """A queue URL we can use, or InputError naming the problem."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError on a bad port)
    except ValueError as exc:
        raise InputError(f"bad queue URL {redact(url)!r}: {exc}") from None
    if parts.scheme not in SCHEMES:
        raise InputError(f"bad queue URL {redact(url)!r}: expected redis://HOST:PORT/DB (or rediss://, unix://)")
    if parts.scheme != "unix" and not parts.hostname:
        raise InputError(f"bad queue URL {redact(url)!r}: no host")
    return url


@contextlib.contextmanager
def remote(url: str) -> Iterator[None]:
    """Redis failures become an EngineError naming the queue (exit 3), never a traceback."""
    import dramatiq.errors
    import redis

    try:
        yield
    except (redis.RedisError, dramatiq.errors.BrokerConnectionError) as exc:
        raise EngineError(f"queue {redact(url)}: {exc}") from None


@dataclass
class Queue:
    """A connection to the queue: the Redis client, the Dramatiq broker and our two actors."""

    url: str
    redis: Any
    broker: Any
    chunk_actor: Any
    episode_actor: Any
    dead_after: float
    runtime: Any = None
    """The worker side's state (engines, clip stores): podcast.queue.tasks.Runtime."""

    def key(self, *parts: str) -> str:
        return ":".join((NAMESPACE, *parts))

    def close(self) -> None:
        if self.runtime is not None:
            self.runtime.close()
        with contextlib.suppress(Exception):  # closing a connection already lost
            self.broker.close()
        with contextlib.suppress(Exception):
            self.redis.close()
