"""Run `podcast` with a hook at the renames that publish an episode, to force the windows of issue 14.

    python -m tests.support.racing SPEC_JSON ARGS...

runs `python -m podcast ARGS...` in this process after wrapping `os.replace` (what
`podcast.files` publishes with). Only the renames of an episode's own files in SPEC's `out`
folder count (`<slug>.mp3`, `.vtt`, `.srt`, `.chapters.json`, `.json`; not the cover, feed or
page). SPEC (JSON):

- `{"kill": K, "out": DIR}`: SIGKILL this process right after the K-th such rename.
- `{"role": "first"|"second", "sync": DIR, "out": DIR}`: two processes racing to publish.
  `first` makes its first rename, then waits until `second` has finished or is blocked on a
  lock; `second` waits, before its first rename, until `first` has made one or is blocked on a
  lock. Without a lock around publishing, `second` publishes all its files between `first`'s
  first rename and the rest; with one, each waits for the other's lock instead.

Waiting is polling for files in `sync`, and for `/proc/locks` to show the other process as a
waiter (Linux); a cap of two minutes keeps a broken run from hanging the suite.
"""

from __future__ import annotations

import json
import os
import runpy
import signal
import sys
import time
from pathlib import Path

EPISODE_SUFFIXES = (".mp3", ".vtt", ".srt", ".chapters.json", ".json")
NOT_EPISODES = ("feed.xml", "index.html")
CAP = 120.0


def blocked_on_a_lock(pid: int) -> bool:
    """Whether process `pid` waits for a file lock (a `->` line of /proc/locks names it)."""
    try:
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return False
    for line in lines:
        fields = line.split()
        if len(fields) > 5 and fields[1] == "->" and fields[5] == str(pid):
            return True
    return False


def wait_for(condition) -> None:
    deadline = time.monotonic() + CAP
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)


def main() -> None:
    spec = json.loads(sys.argv[1])
    out = Path(spec["out"]).resolve()
    sync = Path(spec["sync"]) if "sync" in spec else None
    role = spec.get("role")
    other = {"first": "second", "second": "first"}.get(role or "")
    if sync is not None:
        (sync / f"{role}.pid").write_text(str(os.getpid()))

    def other_pid() -> int:
        path = sync / f"{other}.pid" if sync is not None else None
        return int(path.read_text()) if path is not None and path.exists() else -1

    real_replace = os.replace
    renames = 0

    def replace(src, dst, *args, **kwargs):
        nonlocal renames
        dst_path = Path(dst)
        ours = (
            dst_path.parent.resolve() == out
            and dst_path.name.endswith(EPISODE_SUFFIXES)
            and not dst_path.name.startswith(".")
            and dst_path.name not in NOT_EPISODES
        )
        if ours and role == "second" and renames == 0:
            wait_for(lambda: (sync / "first.renamed").exists() or blocked_on_a_lock(other_pid()))
        result = real_replace(src, dst, *args, **kwargs)
        if not ours:
            return result
        renames += 1
        if spec.get("kill") == renames:
            os.kill(os.getpid(), signal.SIGKILL)
        if role == "first" and renames == 1:
            (sync / "first.renamed").touch()
            wait_for(lambda: (sync / "second.done").exists() or blocked_on_a_lock(other_pid()))
        return result

    os.replace = replace
    sys.argv = ["podcast", *sys.argv[2:]]
    try:
        runpy.run_module("podcast", run_name="__main__", alter_sys=True)
    finally:
        if sync is not None:
            (sync / f"{role}.done").touch()


if __name__ == "__main__":
    main()
