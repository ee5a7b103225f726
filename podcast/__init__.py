"""podcast: turn a written French article into a podcast episode."""

from .errors import EngineError, InputError, OutputError, PodcastError
from .render import RenderOptions, render

__all__ = ["render", "RenderOptions", "PodcastError", "InputError", "EngineError", "OutputError"]
__version__ = "0.1.0"
