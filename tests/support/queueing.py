"""Real parts for the queue tests: a redis-server and `podcast worker` processes, started here."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 30.0
"""A guard against hanging, not a timing claim: how long a server or worker may take to come up."""


def redis_server_exe() -> str | None:
    """Debian's redis-server (installed by .ci/run), wherever PATH or the package put it."""
    return shutil.which("redis-server") or next(
        (p for p in ("/usr/bin/redis-server", "/usr/sbin/redis-server") if os.access(p, os.X_OK)), None
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def redis_server(folder: Path, password: str | None = None) -> Iterator[str]:
    """A throwaway redis-server on 127.0.0.1 (no persistence, its files in `folder`); yields its URL
    (with `password`, the server requires it and the URL holds it)."""
    import redis

    exe = redis_server_exe()
    if exe is None:
        pytest.skip("redis-server not found (Debian package redis-server; .ci/run installs it)")
    folder.mkdir(parents=True, exist_ok=True)
    for _attempt in range(3):  # a free port may be taken between our check and the server's bind
        port = _free_port()
        proc = subprocess.Popen(
            [exe, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(folder), "--save", "", "--appendonly", "no"]
            + ["--logfile", str(folder / "redis.log")]
            + (["--requirepass", password] if password else []),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"redis://{f':{password}@' if password else ''}127.0.0.1:{port}/0"
        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        deadline = time.monotonic() + STARTUP_SECONDS
        while proc.poll() is None and time.monotonic() < deadline:
            with contextlib.suppress(redis.ConnectionError):
                client.ping()
                break
            time.sleep(0.05)
        if proc.poll() is None:
            break
    else:
        raise RuntimeError(f"redis-server did not start: {(folder / 'redis.log').read_text(errors='replace')}")
    try:
        yield url
    finally:
        client.close()
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Worker:
    """A `python -m podcast worker` process."""

    def __init__(self, url: str, log: Path, *, concurrency: int = 1, dead_after: float = 3.0):
        self.url = url
        self.log = log
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        command = [sys.executable, "-m", "podcast", "worker", "--queue", url]
        command += ["--concurrency", str(concurrency), "--dead-after", str(dead_after)]
        with open(log, "wb") as out:
            self.proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        self.broker_id = ""

    def wait_ready(self) -> str:
        """Its Dramatiq id, once it has registered on the queue."""
        import json

        import redis

        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + STARTUP_SECONDS
        try:
            while time.monotonic() < deadline:
                assert self.proc.poll() is None, self.output()
                for key, value in client.hgetall("podcast:workers").items():
                    if json.loads(value)["pid"] == self.proc.pid:
                        self.broker_id = key.decode()
                        return self.broker_id
                time.sleep(0.05)
        finally:
            client.close()
        raise AssertionError(f"worker did not start: {self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self) -> int:
        """SIGTERM: the worker stops taking tasks and exits (130: interrupted, as documented)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def wait_for_episodes(queue, episodes: list[str], seconds: float = 180.0):
    """The episodes' final statuses (a guard against hanging: fails after `seconds`, never times a result)."""
    from podcast.cancel import CancelToken
    from podcast.queue import wait

    token = CancelToken()
    timer = __import__("threading").Timer(seconds, token.cancel)
    timer.start()
    try:
        return wait(queue, episodes, cancel=token)
    finally:
        timer.cancel()
