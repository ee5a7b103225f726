"""What the final task of an episode needs, as JSON: the article as read and the render options.

Workers may run on other machines, so the article travels as parsed text (the source file need not
exist there). Paths (output folder, clip store, music, cover) travel as absolute paths: every
machine must see the shared folders at the same place.
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from datetime import date
from pathlib import Path
from typing import Any

from ..api import RenderOptions
from ..show.settings import Show
from ..sound.settings import MixSettings
from ..text.script import Pauses
from ..types import Article, Section


def engine_spec(name: str, options: dict[str, Any], language: str) -> dict[str, Any]:
    """Which engine speaks, with its options: part of every chunk message."""
    return {"name": name, "options": dict(options), "language": language}


def encode_article(article: Article) -> dict[str, Any]:
    data = asdict(article)
    data["date"] = article.date.isoformat() if article.date else None
    # Front matter may hold values JSON lacks (YAML dates...); the render only reads them as text.
    data["meta"] = json.loads(json.dumps(article.meta, default=str))
    return data


def decode_article(data: dict[str, Any]) -> Article:
    values = dict(data)
    values["sections"] = [Section(s["heading"], list(s["paragraphs"])) for s in data["sections"]]
    values["date"] = date.fromisoformat(data["date"]) if data.get("date") else None
    return Article(**values)


def _absolute(path: Path | None) -> str | None:
    return None if path is None else str(Path(path).resolve())


def encode_options(options: RenderOptions, engine: str, cache_dir: Path) -> dict[str, Any]:
    mix = asdict(options.mix)
    mix["intro"], mix["outro"] = _absolute(options.mix.intro), _absolute(options.mix.outro)
    return {
        "output_dir": _absolute(options.output_dir),
        "engine": engine,
        "engine_options": dict(options.engine_options),
        "language": options.language,
        "jobs": options.jobs,
        "mix": mix,
        "pauses": asdict(options.pauses),
        "lexicon": options.lexicon,
        "cache_dir": _absolute(cache_dir),
        "show": asdict(options.show),
        "cover": _absolute(options.cover),
    }


def decode_options(data: dict[str, Any]) -> RenderOptions:
    mix = dict(data["mix"])
    mix["intro"] = Path(mix["intro"]) if mix.get("intro") else None
    mix["outro"] = Path(mix["outro"]) if mix.get("outro") else None
    show_fields = {f.name for f in fields(Show)}
    return RenderOptions(
        output_dir=Path(data["output_dir"]),
        engine=data["engine"],
        engine_options=data["engine_options"],
        language=data["language"],
        jobs=data["jobs"],
        mix=MixSettings(**mix),
        pauses=Pauses(**data["pauses"]),
        lexicon=data["lexicon"],
        cache_dir=Path(data["cache_dir"]),
        use_cache=True,
        show=Show(**{k: v for k, v in data["show"].items() if k in show_fields}),
        cover=Path(data["cover"]) if data.get("cover") else None,
        feed=False,  # the final task rebuilds the feed itself, under the queue's lock
    )
