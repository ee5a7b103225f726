"""Each episode's state in Redis: pending -> running -> done | failed, with its error.

Keys (prefix `podcast:`): `episodes` (sorted set of ids by submit time), `episode:ID` (a hash:
title, state, total, error, mp3, ...), `episode:ID:chunks` (the set of chunk indexes whose clip is
in the store; a set, so a chunk delivered twice counts once), `episode:ID:job` (what the final
task needs: the article and the render options, as JSON) and `job:SHA256` (the episode rendering that
job, so the same article submitted twice meanwhile is rendered once).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .connection import Queue

PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"
STATES = (PENDING, RUNNING, DONE, FAILED)
KEEP_FINISHED = 7 * 86400
"""Seconds a finished episode's status stays listed."""

# Only a pending episode becomes running: a chunk delivered again after the episode finished
# must not move it back.
_START = """
if redis.call('hget', KEYS[1], 'state') == 'pending' then
    redis.call('hset', KEYS[1], 'state', 'running', 'started', ARGV[1])
    return 1
end
return 0
"""
# Failed stays failed and done stays done: the first verdict is the one reported.
_FAIL = """
local state = redis.call('hget', KEYS[1], 'state')
if state == 'pending' or state == 'running' then
    redis.call('hset', KEYS[1], 'state', 'failed', 'error', ARGV[1], 'finished', ARGV[2])
    redis.call('expire', KEYS[1], ARGV[3])
    return 1
end
return 0
"""


@dataclass
class EpisodeStatus:
    """One submitted episode as `podcast status` shows it."""

    id: str
    title: str
    state: str
    done: int
    total: int
    error: str = ""
    mp3: str = ""
    submitted: float = 0.0
    finished: float = 0.0

    @property
    def finished_ok(self) -> bool:
        return self.state == DONE

    @property
    def over(self) -> bool:
        return self.state in (DONE, FAILED)


def episode_key(queue: Queue, episode: str) -> str:
    return queue.key("episode", episode)


def create(queue: Queue, episode: str, *, title: str, total: int, output: str, job: dict[str, Any]) -> None:
    """Record a new episode and what its final task needs, before any of its chunks is queued."""
    now = time.time()
    with queue.redis.pipeline(transaction=True) as pipe:
        pipe.set(queue.key("episode", episode, "job"), json.dumps(job, ensure_ascii=False))
        pipe.hset(
            episode_key(queue, episode),
            mapping={"title": title, "state": PENDING, "total": total, "output": output, "submitted": now},
        )
        pipe.zadd(queue.key("episodes"), {episode: now})
        pipe.execute()


def claim(queue: Queue, episode: str, job: dict[str, Any]) -> str | None:
    """Record `episode` as the one rendering `job`; or, when an identical job is pending or running
    already, return that episode's id instead (two submits of one article render it once)."""
    digest = hashlib.sha256(json.dumps(job, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    key = queue.key("job", digest)
    if queue.redis.set(key, episode, nx=True, ex=KEEP_FINISHED):
        return None
    raw = queue.redis.get(key)
    twin = raw.decode() if raw is not None else None
    if twin is not None and state(queue, twin) in (PENDING, RUNNING):
        return twin
    queue.redis.set(key, episode, ex=KEEP_FINISHED)  # the earlier one is over: this is a new render
    return None


def job(queue: Queue, episode: str) -> dict[str, Any] | None:
    raw = queue.redis.get(queue.key("episode", episode, "job"))
    return None if raw is None else json.loads(raw)


def state(queue: Queue, episode: str) -> str | None:
    value = queue.redis.hget(episode_key(queue, episode), "state")
    return None if value is None else value.decode()


def start(queue: Queue, episode: str) -> None:
    queue.redis.eval(_START, 1, episode_key(queue, episode), time.time())


def chunk_done(queue: Queue, episode: str, index: int) -> tuple[bool, int, int]:
    """Count chunk `index` as in the store: (newly counted, chunks counted, chunks in all)."""
    with queue.redis.pipeline(transaction=True) as pipe:
        pipe.sadd(queue.key("episode", episode, "chunks"), index)
        pipe.scard(queue.key("episode", episode, "chunks"))
        pipe.hget(episode_key(queue, episode), "total")
        added, count, total = pipe.execute()
    return bool(added), int(count), int(total or 0)


def finish(queue: Queue, episode: str, **fields: Any) -> None:
    """Done: the episode is published. Its job and chunk set are no longer needed."""
    with queue.redis.pipeline(transaction=True) as pipe:
        pipe.hset(episode_key(queue, episode), mapping={**fields, "state": DONE, "finished": time.time()})
        pipe.hdel(episode_key(queue, episode), "error")
        pipe.expire(episode_key(queue, episode), KEEP_FINISHED)
        pipe.delete(queue.key("episode", episode, "job"), queue.key("episode", episode, "chunks"))
        pipe.execute()


def fail(queue: Queue, episode: str, error: str) -> bool:
    """Failed with `error` (one line), unless already finished; True when this call decided it."""
    one_line = error.replace("\r", " ").replace("\n", " ")[:500]
    decided = bool(queue.redis.eval(_FAIL, 1, episode_key(queue, episode), one_line, time.time(), KEEP_FINISHED))
    for key in (queue.key("episode", episode, "job"), queue.key("episode", episode, "chunks")):
        queue.redis.expire(key, KEEP_FINISHED)
    return decided


def get(queue: Queue, episodes: list[str]) -> list[EpisodeStatus]:
    """The status of each id, in order; an id Redis no longer knows reads as failed."""
    with queue.redis.pipeline(transaction=False) as pipe:
        for episode in episodes:
            pipe.hgetall(episode_key(queue, episode))
            pipe.scard(queue.key("episode", episode, "chunks"))
        replies = pipe.execute()
    found = []
    for episode, fields, counted in zip(episodes, replies[::2], replies[1::2]):
        values = {key.decode(): value.decode() for key, value in fields.items()}
        total = int(values.get("total") or 0)
        state_ = values.get("state", FAILED)
        found.append(
            EpisodeStatus(
                id=episode,
                title=values.get("title", "?"),
                state=state_,
                done=total if state_ == DONE else int(counted),
                total=total,
                error=values.get("error", "" if fields else "unknown to the queue (expired or never submitted)"),
                mp3=values.get("mp3", ""),
                submitted=float(values.get("submitted") or 0),
                finished=float(values.get("finished") or 0),
            )
        )
    return found


def list_episodes(queue: Queue) -> list[EpisodeStatus]:
    """Every episode the queue knows, oldest first (finished ones stay listed KEEP_FINISHED seconds)."""
    from .connection import remote

    with remote(queue.url):
        ids = [raw.decode() for raw in queue.redis.zrange(queue.key("episodes"), 0, -1)]
        statuses = get(queue, ids)
        gone = [s.id for s in statuses if s.error.startswith("unknown to the queue")]
        if gone:
            queue.redis.zrem(queue.key("episodes"), *gone)
    return [s for s in statuses if s.id not in gone]
