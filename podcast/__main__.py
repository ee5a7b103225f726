"""`python -m podcast`, and the `podcast` console script (`podcast.__main__:run`).

Loading the CLI takes a moment (Click, our modules) before its own signal handling starts; a
Ctrl-C, SIGTERM or SIGHUP in that moment must end like one during a command: one line, exit
130, no traceback, no death by signal.
"""

import signal
import sys


def run() -> None:
    # Until cli.main() sets its handlers, every stop signal raises KeyboardInterrupt, caught below.
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.default_int_handler)
    try:
        from .cli import main

        main()
    except KeyboardInterrupt:
        # Only what came before the CLI's own handling gets here (it turns a stop into 130 itself).
        try:
            sys.stderr.write("podcast: interrupted\n")
            sys.stderr.flush()
        except (OSError, ValueError, KeyboardInterrupt):  # stderr gone, or a second signal
            pass
        raise SystemExit(130) from None


if __name__ == "__main__":
    run()
