"""podcast: turn a written French article into a podcast episode.

    from podcast import render, RenderOptions

    [episode] = render(["article.md"], RenderOptions(output_dir="audio", engine="espeak"))
    print(episode.mp3, episode.duration)

Everything a caller needs is importable from here; the stage packages (text, voice, sound,
episode, show, publish) are the implementation. `prepare` is the front door every driver uses: it
checks and scripts articles into `Job`s, and `render_job` turns one into an episode. Importing and
calling it has no global side effects: no signal handlers, no feed unless `RenderOptions(feed=True)`,
no change to other libraries.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from .version import __version__

if TYPE_CHECKING:
    from .api import Preparation, prepare, render, render_job, seed_articles
    from .cancel import Cancelled, CancelToken
    from .episode.manifest import load_episodes
    from .errors import EngineError, InputError, OutputError, PodcastError, RemoteError
    from .job import Job, RenderOptions
    from .publish import PublishOptions, PublishReport, publish_to
    from .show.settings import Show, load_show
    from .show.site import write_site
    from .sound.settings import MixSettings
    from .text.article import parse_article, read_article
    from .text.script import Pauses
    from .types import Article, Chunk, Clip, Episode, Section, TimedChunk
    from .voice.engine import Engine, describe_engines, register

# Loaded on first use, so `import podcast` (and the CLI's start) stays quick.
_LAZY = {
    "Article": ".types",
    "CancelToken": ".cancel",
    "Cancelled": ".cancel",
    "Chunk": ".types",
    "Clip": ".types",
    "Engine": ".voice.engine",
    "EngineError": ".errors",
    "Episode": ".types",
    "InputError": ".errors",
    "MixSettings": ".sound.settings",
    "OutputError": ".errors",
    "Pauses": ".text.script",
    "PodcastError": ".errors",
    "PublishOptions": ".publish",
    "PublishReport": ".publish",
    "RemoteError": ".errors",
    "Job": ".job",
    "Preparation": ".api",
    "RenderOptions": ".job",
    "Section": ".types",
    "Show": ".show.settings",
    "TimedChunk": ".types",
    "describe_engines": ".voice.engine",
    "load_episodes": ".episode.manifest",
    "load_show": ".show.settings",
    "parse_article": ".text.article",
    "prepare": ".api",
    "publish_to": ".publish",
    "read_article": ".text.article",
    "register": ".voice.engine",
    "render": ".api",
    "render_job": ".api",
    "seed_articles": ".api",
    "write_site": ".show.site",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'podcast' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "Article",
    "CancelToken",
    "Cancelled",
    "Chunk",
    "Clip",
    "Engine",
    "EngineError",
    "Episode",
    "InputError",
    "Job",
    "MixSettings",
    "OutputError",
    "Pauses",
    "PodcastError",
    "Preparation",
    "PublishOptions",
    "PublishReport",
    "RemoteError",
    "RenderOptions",
    "Section",
    "Show",
    "TimedChunk",
    "__version__",
    "describe_engines",
    "load_episodes",
    "load_show",
    "parse_article",
    "prepare",
    "publish_to",
    "read_article",
    "register",
    "render",
    "render_job",
    "seed_articles",
    "write_site",
]
