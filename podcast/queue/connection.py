"""What a queue URL is: its checks, `redact`-ed display, `remote()` error mapping and the handle
`Queue` (made by `broker.connect`). It imports nothing of the queue, so the tasks and the status
keys can name `Queue` without an import circle.

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
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..errors import EngineError, InputError
from ..net import redact

DEFAULT_DEAD_AFTER = 30.0
"""Seconds without a heartbeat after which a worker's unfinished messages go back to the queue."""
NAMESPACE = "podcast"
"""Prefix of every key we write (our status keys) ..."""
DRAMATIQ_NAMESPACE = "podcast.dramatiq"
"""... and of Dramatiq's own (queues, acks, heartbeats)."""
SCHEMES = ("redis", "rediss", "unix")
CONNECT_TIMEOUT = 5.0
PING_TIMEOUT = 10.0
SOCKET_TIMEOUT = 60.0


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
    # redis-py reads a path that is not a number as database 0: a typo would share another queue.
    if parts.scheme != "unix" and not re.fullmatch(r"/?(\d+/?)?", parts.path):
        raise InputError(f"bad queue URL {redact(url)!r}: the path must be a database number (redis://HOST:PORT/0)")
    return url


class QueueError(EngineError):
    """The queue itself failed (Redis unreachable, refused, erroring): exit 3, like any remote."""


@contextlib.contextmanager
def remote(url: str) -> Iterator[None]:
    """Redis failures become an EngineError naming the queue (exit 3), never a traceback."""
    import dramatiq.errors
    import redis

    try:
        yield
    except redis.AuthenticationError as exc:
        # Redis's own words for a missing password ("HELLO must be called with the client already
        # authenticated...") do not say what to do.
        given = urlsplit(url).password is not None
        raise QueueError(
            f"queue {redact(url)}: the server refused the password ({exc})"
            if given
            else f"queue {redact(url)}: the server needs a password: redis://:PASSWORD@HOST:PORT/DB"
        ) from None
    except (redis.RedisError, dramatiq.errors.BrokerConnectionError) as exc:
        raise QueueError(f"queue {redact(url)}: {exc}") from None


def check_reachable(url: str) -> None:
    """Reach the server, or EngineError naming it, within seconds: the working connection's long read
    timeout would make a wrong URL (rediss:// to a plain server, a firewall eating packets) a minute's
    silence."""
    import redis

    probe = redis.Redis.from_url(url, socket_connect_timeout=CONNECT_TIMEOUT, socket_timeout=PING_TIMEOUT)
    try:
        with remote(url):
            probe.ping()
    except QueueError as exc:
        if urlsplit(url).scheme == "rediss" and "Timeout" in str(exc):  # a plain server never answers TLS
            raise QueueError(f"{exc} (rediss:// is Redis over TLS: does this server speak TLS?)") from None
        raise
    finally:
        probe.close()


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
