"""The project's exceptions; the CLI maps each to a one-line message and an exit code."""

from __future__ import annotations


class PodcastError(Exception):
    """Base of every error the tool reports to a user."""

    exit_code = 1

    def __init__(self, message: str, *, path: object = None):
        self.path = None if path is None else str(path)
        super().__init__(message)

    def __str__(self) -> str:
        message = super().__str__()
        if self.path and not message.startswith(self.path):
            return f"{self.path}: {message}"
        return message


class InputError(PodcastError):
    """The article, an option or a settings file is unusable (exit 1)."""

    exit_code = 1


class EngineError(PodcastError):
    """A speech engine failed or could not be reached (exit 3)."""

    exit_code = 3


class RemoteError(PodcastError):
    """A publishing host refused, failed or could not be reached (exit 3)."""

    exit_code = 3


class OutputError(PodcastError):
    """Something could not be written (exit 4)."""

    exit_code = 4


# Documented exit codes (README, tests/robustness).
EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_ENGINE = 3
EXIT_OUTPUT = 4
EXIT_INTERRUPTED = 130
EXIT_INTERNAL = 70
"""A bug (an exception that is not a PodcastError): one line, --debug for the traceback."""
EXIT_BROKEN_PIPE = 141
"""stdout closed by the reader (`podcast script x | head`): silent, as Unix tools are."""
