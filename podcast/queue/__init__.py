"""Rendering on a Redis task queue (Dramatiq): many machines, one clip store, one feed.

The unit of work is one chunk's synthesis into the shared content-addressed clip cache; once an
episode's clips are all there, one task renders it with the ordinary library render (every clip a
cache hit, so it only assembles), tags it and rebuilds the feed under a lock held in Redis.
`submit` and `wait` are the submitting side, `run_worker` the working side, `list_episodes` the
status. This package sits above `podcast.api`: it calls the library, the library never calls it.
"""

from __future__ import annotations

from .broker import connect
from .connection import DEFAULT_DEAD_AFTER, Queue
from .status import EpisodeStatus, list_episodes
from .submit import submit, wait
from .worker import run_worker

__all__ = [
    "DEFAULT_DEAD_AFTER",
    "EpisodeStatus",
    "Queue",
    "connect",
    "list_episodes",
    "run_worker",
    "submit",
    "wait",
]
