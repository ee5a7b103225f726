"""Run `podcast ARGS...` in this process, sending it a signal at the N-th step of interest.

    python -m tests.support.signalling SIGNAL N ARGS...

Steps are the moments files appear or move, and the moments a stage starts: each temp file
made (`tempfile.mkstemp`, which `podcast.files` and the clip cache use), each rename
(`os.replace`), each process started (ffmpeg, right after it starts), and the first import of
each module (the cover, the feed and the page load their modules when they start).
With PODCAST_SIGNAL_GROUP=1 the whole process group is signalled, children included, as a
closed terminal does (run the command in a session of its own).

The command runs as `python -m podcast` does, or, with PODCAST_ENTRY=MODULE:FUNC, as the
console script does. Counting starts once the entry module (`podcast.__main__`, or
`podcast.cli` for an entry there) is being loaded: what comes before is the interpreter's and
the package's own start. With N = 0 nothing is sent and
the steps are written, one a line, to the file PODCAST_STEPS_FILE names, so a test can choose
steps to try. The signal goes to this process with `os.kill`, as `kill(1)` or a service manager
sends it.
"""

from __future__ import annotations

import importlib
import importlib.abc
import os
import runpy
import signal
import subprocess
import sys
import tempfile
import threading
import time

ENTRY_MODULES = ("import podcast.__main__", "import podcast.cli")
HOLD = 3.0
"""Seconds a worker thread stays inside the step where the signal was sent."""


def main() -> None:
    signum = getattr(signal, sys.argv[1])
    target = int(sys.argv[2])
    steps: list[str] = []
    counting = False

    def step(what: str) -> None:
        nonlocal counting
        if not counting:
            counting = what in ENTRY_MODULES
            return
        steps.append(what)
        if len(steps) == target:
            if to_group:
                os.killpg(os.getpgid(0), signum)  # a closed terminal signals ffmpeg too
            else:
                os.kill(os.getpid(), signum)
            if threading.current_thread() is not threading.main_thread():
                # A worker (writing a clip to the cache) is slow to finish its step, as on a
                # busy disk: the stop must not leave its temp file behind.
                time.sleep(HOLD)

    to_group = os.environ.get("PODCAST_SIGNAL_GROUP") == "1"
    real_mkstemp, real_replace, real_popen = tempfile.mkstemp, os.replace, subprocess.Popen

    def mkstemp(*args, **kwargs):
        made = real_mkstemp(*args, **kwargs)
        step(f"temp {os.path.basename(made[1])}")
        return made

    def replace(src, dst, *args, **kwargs):
        step(f"rename {os.path.basename(dst)}")
        return real_replace(src, dst, *args, **kwargs)

    class Imports(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            step(f"import {name}")
            return None

    class Popen(real_popen):  # type: ignore[misc,valid-type]
        def __init__(self, args, *rest, **kwargs):
            super().__init__(args, *rest, **kwargs)
            step(f"spawn {os.path.basename(str(args[0]))}")

    tempfile.mkstemp, os.replace, subprocess.Popen = mkstemp, replace, Popen
    sys.meta_path.insert(0, Imports())
    sys.argv = ["podcast", *sys.argv[3:]]
    try:
        entry = os.environ.get("PODCAST_ENTRY")
        if entry:  # as the console script pip writes: `from MODULE import FUNC; sys.exit(FUNC())`
            module, func = entry.split(":")
            sys.exit(getattr(importlib.import_module(module), func)())
        runpy.run_module("podcast", run_name="__main__", alter_sys=True)
    finally:
        count_file = os.environ.get("PODCAST_STEPS_FILE")
        if count_file and target == 0:
            with open(count_file, "w", encoding="utf-8") as fh:
                fh.write("".join(f"{what}\n" for what in steps))


if __name__ == "__main__":
    main()
