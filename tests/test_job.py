"""A job survives its trip to a queue worker: every field of the options, the article, the script
and the engine choice come back equal from JSON."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import date
from pathlib import Path

import pytest

from podcast.api import prepare
from podcast.job import CALLBACKS, Job, RenderOptions, decode, encode
from podcast.show.settings import Show
from podcast.sound.settings import MixSettings
from podcast.text.script import Pauses
from podcast.types import Article, Section
from podcast.voice.engine import EngineChoice


def _other(value: object, kind: object, name: str) -> object:
    """A value of `kind` that differs from `value` (the field's default)."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        return _other(None, inner, name)
    if dataclasses.is_dataclass(kind):
        return _changed(kind())
    if kind is bool:
        return not value
    if kind is int:
        return (value or 0) + 3 if name != "bitrate" else 192
    if kind is float:
        return round((value or 0.0) + 0.25, 3)
    if kind is str:
        return f"autre {name}"
    if kind is Path:
        return Path(f"/srv/podcast/{name}")
    if kind is date:
        return date(2025, 4, 1)
    if origin in (dict, typing.get_origin(typing.Mapping)) or kind is dict:
        return {"voice": "ff_siwis"} if name == "engine_options" else {"IA": "intelligence artificielle"}
    if origin is list:
        return ["un", "deux"]
    raise AssertionError(f"no other value for field {name!r} of type {kind!r}: teach this test the type")


def _changed(instance: object) -> object:
    """`instance` with every init field set to a value other than its default."""
    hints = typing.get_type_hints(type(instance))
    values = {}
    for f in dataclasses.fields(instance):  # type: ignore[arg-type]
        if not f.init or f.name in CALLBACKS:
            continue
        values[f.name] = _other(getattr(instance, f.name), hints[f.name], f.name)
    return dataclasses.replace(instance, **values)  # type: ignore[type-var]


def test_every_option_field_survives_the_json_round_trip():
    """Fails the day a field is added to RenderOptions (or to the mix, pauses or show) that the
    job's JSON loses or changes: each gets a non-default value here, found from its type."""
    options = _changed(RenderOptions())
    assert isinstance(options, RenderOptions)
    for nested, cls in (("mix", MixSettings), ("pauses", Pauses), ("show", Show)):
        default, given = getattr(RenderOptions(), nested), getattr(options, nested)
        assert isinstance(given, cls)
        differing = [
            f.name for f in dataclasses.fields(cls) if f.init and getattr(given, f.name) != getattr(default, f.name)
        ]
        assert len(differing) == len([f for f in dataclasses.fields(cls) if f.init]), (nested, differing)
    back = decode(RenderOptions, json.loads(json.dumps(encode(options))))
    for f in dataclasses.fields(RenderOptions):
        if f.name not in CALLBACKS:
            assert getattr(back, f.name) == getattr(options, f.name), f.name
            assert type(getattr(back, f.name)) is type(getattr(options, f.name)), f.name


def test_a_job_with_its_script_comes_back_equal(tmp_path):
    article = Article(
        "Le vélo à Lyon",
        [Section(None, ["Premier paragraphe, assez long pour deux morceaux."]), Section("Suite", ["Fin."])],
        source=str(tmp_path / "velo.md"),
        author="Jeanne",
        date=date(2025, 4, 1),
        description="Résumé",
        image="https://example.org/i.jpg",
        meta={"tags": ["vélo", "Lyon"], "when": "2025-04-01"},
    )
    options = RenderOptions(output_dir=tmp_path / "out", engine="espeak", read_title=False, use_cache=False)
    with prepare([article], options, start=False) as preparation:
        [job] = preparation.jobs
    assert job.engine == EngineChoice("espeak", job.engine.options, "fr") and job.engine.options["rate"]
    back = Job.from_json(json.loads(json.dumps(job.to_json())))
    assert back.article == job.article and back.script == job.script and back.engine == job.engine
    assert back.options.read_title is False and back.options.output_dir == tmp_path / "out"
    assert not any(chunk.paragraph == -2 for chunk in back.script.chunks)  # the title is not read


def test_callbacks_never_travel():
    data = encode(RenderOptions(notify=print, progress=lambda title: None))
    assert not set(CALLBACKS) & set(data)
    json.dumps(data)  # JSON-safe as it is


@pytest.mark.parametrize("kind", [int, str, float])
def test_an_unknown_type_is_a_test_failure_not_a_silent_pass(kind):
    """The helper above refuses a type it cannot vary, so a new field type makes the round trip fail loudly."""
    with pytest.raises(AssertionError):
        _other(None, tuple[kind, ...], "x")
