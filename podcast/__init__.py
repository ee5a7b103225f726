"""podcast: turn a written French article into a podcast episode."""

from .api import RenderOptions, render
from .errors import EngineError, InputError, OutputError, PodcastError

__all__ = ["render", "RenderOptions", "PodcastError", "InputError", "EngineError", "OutputError"]
from .version import __version__
