"""Cancellation: the caller owns a `CancelToken`; work in flight checks it and stops cleanly.

The library never installs signal handlers. The CLI turns SIGINT, SIGTERM and SIGHUP into
`token.cancel()`; a queue worker or a web app cancels the same token from its own code. Code
that blocks (waiting on a clip, an ffmpeg process, a retry backoff) waits on the token, and
things that cannot check it (a child process, a network request) register a callback that
stops them. A cancelled render raises `Cancelled`, after removing its temp files.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from .errors import EXIT_INTERRUPTED, PodcastError


class Cancelled(PodcastError):
    """The render was cancelled (Ctrl-C, SIGTERM, or the caller's own `token.cancel()`)."""

    exit_code = EXIT_INTERRUPTED


class CancelToken:
    """A thread-safe, one-way switch with callbacks; cancelling twice does nothing more."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[], object]] = []
        self.reason = ""

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def cancel(self, reason: str = "interrupted") -> None:
        """Ask all work to stop. Safe from a signal handler: it only sets flags and calls stoppers."""
        with self._lock:
            if self._event.is_set():
                return
            self.reason = reason
            self._event.set()
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            try:
                callback()
            except Exception:  # a stopper that fails must not keep the others from running
                pass

    def check(self) -> None:
        """Raise `Cancelled` if the token was cancelled."""
        if self._event.is_set():
            raise Cancelled(self.reason or "interrupted")

    def wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`, waking at once on cancel; True when cancelled."""
        return self._event.wait(seconds)

    def on_cancel(self, callback: Callable[[], object]) -> Callable[[], None]:
        """Call `callback` on cancel (at once if already cancelled); returns a function that unregisters it."""
        with self._lock:
            if not self._event.is_set():
                self._callbacks.append(callback)

                def forget() -> None:
                    with self._lock:
                        if callback in self._callbacks:
                            self._callbacks.remove(callback)

                return forget
        callback()
        return lambda: None
