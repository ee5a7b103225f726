"""`connect`: a Redis URL -> `Queue`, with the Dramatiq broker built and our actors declared on it.

Apart from `connection.py` because it imports the tasks, and the tasks import `Queue`.
"""

from __future__ import annotations

import re

from ..errors import InputError
from .connection import (
    CONNECT_TIMEOUT,
    DEFAULT_DEAD_AFTER,
    DRAMATIQ_NAMESPACE,
    SOCKET_TIMEOUT,
    Queue,
    check_reachable,
    check_url,
    redact,
    remote,
)


def connect(url: str, *, dead_after: float = DEFAULT_DEAD_AFTER, ping: bool = True) -> Queue:
    """Connect to the queue at `url` (redis://HOST:PORT/DB) and declare our actors on it."""
    import redis
    from dramatiq.brokers.redis import MAINTENANCE_SCALE, RedisBroker
    from dramatiq.middleware import CurrentMessage, default_middleware

    from .tasks import declare

    check_url(url)
    if not dead_after > 0:
        raise InputError(f"dead-after must be positive seconds, got {dead_after}")
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=CONNECT_TIMEOUT, socket_timeout=SOCKET_TIMEOUT)
        # redis-py hands ?query options to each connection it makes, later: make one now (no socket
        # yet), so an unknown option is this line rather than a TypeError on first use.
        pool = client.connection_pool
        pool.connection_class(**pool.connection_kwargs)
    except TypeError as exc:
        name = re.search(r"argument '(\w+)'", str(exc))
        raise InputError(f"bad queue URL {redact(url)!r}: unknown option {name.group(1) if name else exc}") from None
    except ValueError as exc:
        raise InputError(f"bad queue URL {redact(url)!r}: {exc}") from None
    if ping:
        check_reachable(url)
    with remote(url):
        broker = RedisBroker(
            client=client,
            namespace=DRAMATIQ_NAMESPACE,
            middleware=[cls() for cls in default_middleware] + [CurrentMessage()],
            heartbeat_timeout=int(dead_after * 1000),
            maintenance_chance=MAINTENANCE_SCALE,
        )
    queue = Queue(url, client, broker, None, None, dead_after)
    queue.chunk_actor, queue.episode_actor = declare(queue)
    return queue
