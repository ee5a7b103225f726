"""Options declared once: the library (InputError) and the CLI (usage error, exit 2) enforce the same ranges."""

from __future__ import annotations

import pytest

from podcast import cli as cli_module
from podcast.api import RenderOptions
from podcast.cli import cli
from podcast.errors import InputError
from podcast.options import Option, OptionError, resolve
from podcast.sound.settings import MixSettings
from podcast.text.script import Pauses
from podcast.types import Clip
from podcast.voice.engine import Engine, choose_engine, engine_classes, register, unregister

ENGINES = {name: info.cls for name, info in sorted(engine_classes().items()) if info.cls}
EXPECTED = {"espeak": {"voice", "rate", "pitch"}, "gtts": {"tld", "slow"}, "piper": {"voice", "rate"}}


def _bad_values(option: Option) -> list[object]:
    """Values just outside what `option` accepts (none for a free text or a flag)."""
    step = 1 if option.type is int else 0.5
    bad: list[object] = []
    if option.min is not None:
        bad.append(option.type(option.min - step))
    if option.max is not None:
        bad.append(option.type(option.max + step))
    if option.pattern:
        bad.append("not a/domain!")
    if option.choices:
        bad.append("no-such-choice")
    return bad


def _library_checks():
    """(label, option, value, how the library is told) for every declared option of every owner."""
    for name, cls in ENGINES.items():
        for option in cls.options:
            for value in _bad_values(option):
                yield f"{name}-{option.name}-{value}", option, value, lambda o, v, n=name: choose_engine(n, {o.name: v})
    owners = (
        (MixSettings, lambda o, v: MixSettings(**{o.name: v}).validate()),
        (Pauses, lambda o, v: Pauses(**{o.name: v}).validate()),
        (RenderOptions, lambda o, v: RenderOptions(**{o.name: v})),
    )
    for owner, tell in owners:
        for option in owner.options:
            for value in _bad_values(option):
                yield f"{owner.__name__}-{option.name}-{value}", option, value, tell


CHECKS = list(_library_checks())


def test_every_engine_declares_its_options():
    for name, names in EXPECTED.items():
        assert {option.name for option in ENGINES[name].options} == names, name
    for cls in ENGINES.values():
        for option in cls.options:
            assert option.help and option.flag == "--" + option.name
            if option.default is not None:
                assert option.check(option.default) == option.default  # defaults obey their own ranges


def test_every_range_is_covered():
    """The loop below reaches every bounded option of every owner (a new one is tested by itself)."""
    labels = {label.rsplit("-", 1)[0] for label, *_ in CHECKS}
    for expected in (
        "espeak-rate",
        "espeak-pitch",
        "gtts-tld",
        "piper-rate",
        "MixSettings-speed",
        "MixSettings-loudness",
        "MixSettings-bitrate",
        "MixSettings-crossfade",
        "Pauses-sentence",
        "Pauses-heading",
        "RenderOptions-jobs",
    ):
        assert any(label.startswith(expected) for label in labels), expected


@pytest.mark.parametrize("label, option, value, tell", CHECKS, ids=[c[0] for c in CHECKS])
def test_library_and_cli_refuse_the_same_values(runner, tmp_path, label, option, value, tell):
    with pytest.raises(OptionError) as caught:
        tell(option, value)
    library = caught.value
    assert isinstance(library, InputError) and str(library) == f"{option.label} {library.reason}"
    if not option.flag:
        return  # library only (crossfade)
    out = tmp_path / "out"
    result = runner.invoke(cli, ["render", option.flag, str(value), "-o", str(out), str(tmp_path / "a.txt")])
    assert result.exit_code == 2, result.stderr
    assert "Usage:" in result.stderr and "Traceback" not in result.stderr
    assert f"Invalid value for '{option.flag}': {library.reason}" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "flag, value",
    [
        ("--speed", "5"),
        ("--rate", "500"),
        ("--pitch", "101"),
        ("--jobs", "0"),
        ("--pause-heading", "-1"),
        ("--rate", "vite"),
    ],
)
def test_out_of_range_flags_exit_2(runner, tmp_path, flag, value):
    result = runner.invoke(cli, ["render", "--engine", "espeak", flag, value, str(tmp_path / "a.txt")])
    assert result.exit_code == 2 and "Usage:" in result.stderr and flag in result.stderr, result.stderr


def test_messages_say_flag_and_range():
    rate = next(o for o in ENGINES["espeak"].options if o.name == "rate")
    with pytest.raises(InputError, match="^--rate 500 is outside 80-450 words per minute$"):
        rate.check(500)
    with pytest.raises(InputError, match="^--speed 5 is outside 0.5-2.0$"):
        MixSettings(speed=5).validate()
    with pytest.raises(InputError, match="^--loudness -31 is outside -30 to -10 LUFS$"):
        MixSettings(loudness=-31).validate()
    with pytest.raises(InputError, match="^--tld 'x/y' is not a Google domain ending such as com, fr or ca$"):
        choose_engine("gtts", {"tld": "x/y"})
    with pytest.raises(InputError, match="^--jobs 0 is outside 1-32$"):
        RenderOptions(jobs=0)


def test_conversion_and_defaults():
    flag = Option("slow", bool, False)
    assert flag.check("yes") is True and flag.check(False) is False
    whole = Option("n", int, 3, min=1, max=5)
    assert whole.check("4") == 4 and whole.check(2.0) == 2
    for bad in ("4.5", True, None, 4.5):
        with pytest.raises(InputError, match="^--n "):
            whole.check(bad)
    with pytest.raises(InputError, match="outside"):
        Option("x", float, min=0, max=1).check("nan")
    assert resolve((whole, flag), {"n": "5"}) == {"n": 5, "slow": False}
    with pytest.raises(InputError, match="unknown option for thing: colour"):
        resolve((whole,), {"colour": 1}, owner="thing")
    assert resolve((whole,), {"colour": 1}, ignore={"colour"}) == {"n": 3}


def test_options_of_other_engines_are_ignored_unknown_ones_refused():
    engine, _ = choose_engine("espeak", {"tld": "fr", "slow": True, "rate": 200})
    assert engine.settings == {"voice": "fr", "rate": 200, "pitch": 50}
    with pytest.raises(InputError, match="unknown engine option colour"):
        choose_engine("espeak", {"colour": "blue"})


def test_auto_checks_what_either_engine_would_use():
    with pytest.raises(InputError, match="--rate"):
        choose_engine("auto", {"rate": 500})


def test_cache_identity_is_unchanged_for_the_same_settings():
    """Existing caches stay valid: the same keys and value types as before options were declared."""
    from podcast.voice.espeak import EspeakEngine
    from podcast.voice.gtts import GttsEngine

    assert EspeakEngine().cache_identity() == {
        "engine": "espeak",
        "voice": "fr",
        "language": "fr",
        "rate": 165,
        "pitch": 50,
    }
    assert EspeakEngine({"voice": "fr-be", "rate": "200"}).cache_identity()["rate"] == 200
    assert GttsEngine({"tld": "ca", "slow": True}).cache_identity() == {
        "engine": "gtts",
        "voice": "fr-ca-slow",
        "language": "fr",
        "tld": "ca",
        "slow": True,
    }


def test_only_given_flags_reach_the_library(runner, tmp_path, monkeypatch):
    import podcast.api

    seen = []
    monkeypatch.setattr(podcast.api, "render", lambda sources, options, **kw: seen.append(options) or [])
    article = str(tmp_path / "a.txt")
    assert runner.invoke(cli, ["-q", "render", article]).exit_code == 0
    assert (
        runner.invoke(
            cli,
            [
                "-q",
                "render",
                article,
                "--rate",
                "200",
                "--slow",
                "--speed",
                "1.5",
                "--pause-heading",
                "2",
                "--jobs",
                "3",
            ],
        ).exit_code
        == 0
    )
    plain, given = seen
    assert plain.engine_options == {} and plain.mix == MixSettings() and plain.pauses == Pauses() and plain.jobs == 4
    assert given.engine_options == {"rate": 200, "slow": True} and given.jobs == 3
    assert given.mix.speed == 1.5 and given.pauses == Pauses(heading=2.0)


class _Shared(Engine):
    name = "shared-a"
    options = (Option("rate", int, 165, "a test rate", min=80, max=450),)

    def synthesize(self, text: str) -> Clip:
        return Clip(b"", "pcm", 16000, 2, 1)


def test_engines_sharing_a_flag_must_agree():
    class Agrees(_Shared):
        name = "shared-b"

    class Disagrees(_Shared):
        name = "shared-c"
        options = (Option("rate", int, 165, "another rate", min=50, max=450),)

    try:
        register(Agrees)
        rate = next(f for f in cli_module._engine_flags() if f.name == "engine__rate")
        assert "shared-b: a test rate" in rate.help and "espeak: words per minute" in rate.help
        register(Disagrees)
        with pytest.raises(TypeError, match="'rate'"):
            cli_module._engine_flags()
    finally:
        unregister("shared-b")
        unregister("shared-c")


def test_render_help_is_built_from_the_declarations(runner):
    result = runner.invoke(cli, ["render", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert (
        "espeak: words per minute; kokoro: relative to 165 (the model's speed = rate / 165); "
        "piper: relative to 165. [80-450 words per minute; default: 165]"
    ) in text
    for flag in (
        "--voice",
        "--tld",
        "--slow",
        "--pitch",
        "--jobs",
        "--speed",
        "--loudness",
        "--bitrate",
        "--pause-sentence",
        "--pause-paragraph",
        "--pause-section",
        "--pause-heading",
    ):
        assert flag in text
    assert "espeak, gtts, kokoro, piper" in text  # --engine lists the registered engines


def test_podcast_engines_lists_each_engines_options(runner):
    result = runner.invoke(cli, ["engines"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    espeak = next(i for i, line in enumerate(lines) if line.startswith("espeak"))
    block = "\n".join(lines[espeak : espeak + 6])
    assert "--rate" in block and "80-450 words per minute, default 165" in block and "--pitch" in block


def test_choices_are_checked_by_value_and_listed_in_messages_and_help(runner):
    """A value between two accepted ones is refused, never moved to the nearest (issue 14, item 19)."""
    bitrate = Option("bitrate", int, None, "Constant bitrate.", choices=(32, 40, 48), unit="kbps")
    assert bitrate.check("40") == 40 and bitrate.check(48.0) == 48
    with pytest.raises(OptionError, match="^--bitrate 41 is not one of 32, 40, 48 kbps$"):
        bitrate.check(41)
    assert bitrate.describe() == "32, 40, 48 kbps"
    acl = Option("acl", str, "private", "Who may read.", choices=("public-read", "private"))
    with pytest.raises(OptionError, match="^--acl 'public' is not one of public-read, private$"):
        acl.check("public")
    assert acl.describe() == "public-read, private, default private"
    for bad in (100, 33):
        with pytest.raises(OptionError, match=f"^--bitrate {bad} is not one of 32, 40, .*, 320 kbps$"):
            MixSettings(bitrate=bad).validate()
    help_text = " ".join(runner.invoke(cli, ["render", "--help"]).output.split())
    assert "Constant MP3 bitrate. [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320 kbps;" in help_text
