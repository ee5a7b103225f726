"""The queue as a new user and a hostile tester use it: bad URLs, passwords, TLS, a second submit,
waiting with no worker, and a lost Redis in a worker's log.

Real parts only: a redis-server on 127.0.0.1, started here.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from podcast.cli import cli
from tests.conftest import ROOT, make_runner


@pytest.mark.parametrize(
    "url,message",
    [
        ("redis://127.0.0.1:6379/abc", "the path must be a database number"),
        ("redis://127.0.0.1:6379/0/extra", "the path must be a database number"),
        ("redis://127.0.0.1:6379/0?colour=blue", "unknown option colour"),
        ("redis://:pw@127.0.0.1:6379/0?socket_timeout=soon", "Invalid value for 'socket_timeout'"),
    ],
)
def test_a_bad_queue_url_is_a_one_line_input_error(url, message):
    result = make_runner().invoke(cli, ["status", "--queue", url])
    assert result.exit_code == 1, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert message in line and "pw" not in line, line


@pytest.mark.slow
def test_queue_password_status_and_a_second_submit(tmp_path):
    from tests.support.queueing import redis_server

    article = tmp_path / "article.md"
    article.write_text("# Un titre\n\nUne phrase courte pour la file.\n", "utf-8")
    with redis_server(tmp_path / "redis", password="pa55-word") as url:
        bare = url.replace(":pa55-word@", "")
        result = make_runner().invoke(cli, ["status", "--queue", bare])
        assert result.exit_code == 3
        assert result.stderr.strip().endswith("the server needs a password: redis://:PASSWORD@HOST:PORT/DB")
        result = make_runner().invoke(cli, ["status", "--queue", url.replace("pa55-word", "wrong")])
        assert result.exit_code == 3 and "refused the password" in result.stderr
        assert "wrong" not in result.stderr and "pa55" not in result.stderr

        tls = make_runner().invoke(cli, ["status", "--queue", url.replace("redis://", "rediss://")])
        assert tls.exit_code == 3
        [line] = tls.stderr.strip().splitlines()
        assert line.endswith("(rediss:// is Redis over TLS: does this server speak TLS?)") and "pa55" not in line

        empty = make_runner().invoke(cli, ["status", "--queue", url])
        assert empty.exit_code == 0 and empty.output == ""
        assert "no episodes" in empty.stderr and "pa55" not in empty.stderr

        submit = ["render", "--queue", url, "--detach", str(article), "-o", str(tmp_path / "out"), "--engine", "espeak"]
        first, second = make_runner().invoke(cli, submit), make_runner().invoke(cli, submit)
        assert first.exit_code == second.exit_code == 0, first.stderr + second.stderr
        assert first.output == second.output and first.output.split()[1:] == ["Un", "titre"]
        assert "already queued: Un titre" in second.stderr
        status = make_runner().invoke(cli, ["status", "--queue", url])
        assert len(status.output.splitlines()) == 1, status.output

        # Waiting with no worker anywhere says so, rather than looking like a hang; Ctrl-C leaves.
        waiting = subprocess.Popen(
            [sys.executable, "-m", "podcast", "render", "--queue", url, str(article), "-o", str(tmp_path / "out")]
            + ["--engine", "espeak"],
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        try:
            lines = []
            for line in waiting.stderr:
                lines.append(line)
                if "no worker is running yet" in line:
                    break
            waiting.send_signal(signal.SIGINT)
            rest = waiting.communicate(timeout=60)[1]
        finally:
            waiting.kill()
        assert lines[-1].startswith(
            "podcast: no worker is running yet: start one with `podcast worker --queue redis://:***@"
        )
        assert waiting.returncode == 130 and "pa55" not in "".join(lines) + rest


def test_a_lost_redis_is_one_line_per_reason_in_a_workers_log_not_one_a_second(monkeypatch):
    import logging

    from podcast.queue.worker import _consumer_loggers, _ConsumerLines

    monkeypatch.setattr(logging.getLogger(), "level", logging.WARNING)  # not --debug
    seen: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = seen.append  # type: ignore[method-assign]
    quiet = _ConsumerLines("redis://:pa55@queue.example:6379/0")
    loggers = [logging.getLogger(name) for name in _consumer_loggers()]
    for logger in loggers:
        logger.addFilter(quiet)
        logger.addHandler(handler)
    try:
        for _ in range(20):  # what Dramatiq's four consumers say while Redis restarts
            for logger in loggers:
                logger.critical(
                    "Consumer encountered a connection error: %s", "Error 111 connecting. Connection refused."
                )
        try:
            raise RuntimeError("READONLY You can't write against a read only replica.")
        except RuntimeError:
            loggers[0].critical("Consumer encountered an unexpected error.", exc_info=True)
    finally:
        for logger in loggers:
            logger.removeFilter(quiet)
            logger.removeHandler(handler)
    lines = [logging.Formatter().format(record) for record in seen]
    assert lines == [
        "queue redis://:***@queue.example:6379/0: Error 111 connecting. Connection refused. "
        "(retrying; said once a minute)",
        "queue redis://:***@queue.example:6379/0: Consumer encountered an unexpected error. RuntimeError: READONLY "
        "You can't write against a read only replica. (retrying; said once a minute)",
    ]
