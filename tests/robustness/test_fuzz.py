"""Fuzzing the front end and the CLI options with hypothesis: only the project's own errors escape.

The library may raise only PodcastError subclasses; the CLI may end only with a documented exit
code, one stderr line for errors (Click's usage text for exit 2), and never a traceback.
Examples are few by default to keep the suite fast; PODCAST_FUZZ_EXAMPLES=500 digs deeper.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podcast.cli import cli
from podcast.errors import PodcastError
from podcast.text.article import read_article
from podcast.text.script import build_script, format_script
from tests.robustness.test_exit_codes import cli_runner
from tests.support.hostile import SHORT_ARTICLE, png_bytes

pytestmark = pytest.mark.slow  # hypothesis over the front end and the CLI

SCALE = int(os.environ.get("PODCAST_FUZZ_EXAMPLES", "0"))


def fuzz_settings(examples: int):
    return settings(
        max_examples=SCALE or examples,
        deadline=None,
        database=None,
        derandomize=not SCALE,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
    )


# Text that looks like articles: French letters, digits, punctuation, markup and control characters.
ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzéèêàâçîïôûùœæÉÀÇ ABCDEFGHIJ0123456789")
    + list(" \n\n\t.,;:!?…«»\"'’()[]{}-–—/\\*_#`~<>&%$€@+=|^°§")
    + ["\r", "\x00", "\x0b", "\u00a0", "\u200b", "\ufeff", "😀", "\U0001f1eb", "\u202e", "\U000f0001"]
)
FRAGMENTS = st.sampled_from(
    [
        "---\ntitle: Titre\n---\n",
        "---\ndate: pas une date\n---\n",
        "---\n: [\n---\n",
        "---\n- liste\n---\n",
        "# Titre\n",
        "## Section\n",
        "```\ncode\n```\n",
        "<html><body><p>",
        "</p></body></html>",
        "<script>x()</script>",
        "<h1>Titre</h1>",
        "<!-- commentaire -->",
        "&nbsp;&eacute;&#233;&#xFFFFFF;",
        "1 234,56 €",
        "12/03/2024",
        "M. Dupont",
        "XXIe siècle",
        "https://exemple.fr/a?b=c",
        "3 km/h",
        "Mme",
        "n°5",
        "1er",
        "50 %",
        "14h30",
        "Le café est très bon. ",
        "\n\n",
        "   ",
        "…",
        "« Bonjour ! »",
        "-- ",
        "* ",
        "1. ",
        "| a | b |\n|---|---|\n",
    ]
)
ARTICLE_TEXT = st.lists(st.one_of(st.text(ALPHABET, max_size=80), FRAGMENTS), max_size=25).map("".join)
SUFFIXES = st.sampled_from([".txt", ".md", ".markdown", ".html", ".htm", "", ".TXT", ".xhtml"])
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1252"])


def _write(folder: Path, suffix: str, data: bytes) -> Path:
    path = folder / f"article{suffix}"
    path.write_bytes(data)
    return path


@fuzz_settings(150)
@given(
    text=ARTICLE_TEXT,
    suffix=SUFFIXES,
    encoding=ENCODINGS,
    title=st.none() | st.text(ALPHABET, max_size=40),
    max_chars=st.integers(20, 500),
    as_json=st.booleans(),
)
def test_front_end_raises_only_input_errors(text, suffix, encoding, title, max_chars, as_json):
    data = text.encode(encoding, "replace")
    with tempfile.TemporaryDirectory() as folder:
        path = _write(Path(folder), suffix, data)
        try:
            article = read_article(path, title=title)
        except PodcastError as exc:
            assert exc.exit_code == 1 and str(path) in str(exc), exc
            return
        script = build_script(article, max_chars=max_chars)
    for segment in script.chunks:
        assert segment.text.strip() and len(segment.text) <= max_chars, segment
        assert segment.pause_after >= 0
    out = format_script(script, as_json=as_json)
    if as_json:
        assert len(json.loads(out)["chunks"]) == len(script.chunks)


@fuzz_settings(150)
@given(
    data=st.binary(max_size=3000)
    | st.builds(
        lambda a, b: a + b,
        st.sampled_from(
            [png_bytes(), b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"%PDF-1.4\n", b"PK\x03\x04", b"\x1f\x8b"]
        ),
        st.binary(max_size=500),
    ),
    suffix=SUFFIXES,
)
def test_front_end_on_arbitrary_bytes(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = _write(Path(folder), suffix, data)
        try:
            article = read_article(path)
        except PodcastError as exc:
            assert exc.exit_code == 1 and str(path) in str(exc), exc
            return
        build_script(article, max_chars=100)


# --- the CLI ------------------------------------------------------------------------------------

WORDS = st.text(ALPHABET, max_size=12)
ODD_VALUES = st.sampled_from(
    [
        "",
        "0",
        "-1",
        "1e9",
        "nan",
        "inf",
        "-inf",
        "abc",
        "1,5",
        "0x10",
        "∞",
        "--",
        "-",
        "2.0",
        "0.5",
        "-20",
        "999999999999999999999",
    ]
)


def _check_cli_outcome(result, allowed_codes=(0, 1, 2, 3, 4)) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__}: {result.exception}"
    )
    assert result.exit_code in allowed_codes, (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr
    if result.exit_code in (1, 3, 4):
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("podcast: error: "), result.stderr
    if result.exit_code == 2:
        assert "Usage:" in result.stderr or "Error:" in result.stderr


@fuzz_settings(80)
@given(
    target=st.sampled_from(["good", "empty", "binary", "missing", "folder", "markdown", "weird", "stdin"]),
    stdin=st.binary(max_size=300) | ARTICLE_TEXT.map(str.encode),
    engine=st.none() | st.sampled_from(["gtts", "espeak", "auto", "piper", "nope", ""]),
    title=st.none() | st.text(ALPHABET, max_size=60),
    as_json=st.booleans(),
    extra=st.lists(
        st.one_of(WORDS, st.sampled_from(["--json", "--title", "--engine", "-h", "--debug", "-q"])), max_size=2
    ),
)
def test_script_command_options(target, engine, title, as_json, extra, stdin):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = {
            "good": ("article.txt", SHORT_ARTICLE.encode()),
            "empty": ("vide.txt", b""),
            "binary": ("image.txt", png_bytes()),
            "markdown": ("a.md", b"# Titre\n\n```\ncode\n```\nTexte.\n"),
            "weird": ("nom \n\t«»*?.txt", SHORT_ARTICLE.encode("utf-16")),
        }
        if target in files:
            name, data = files[target]
            path = folder / name
            path.write_bytes(data)
        elif target == "folder":
            path = folder
        elif target == "stdin":
            path = "-"
        else:
            path = folder / "absent.txt"
        args = ["script", str(path)]
        if engine is not None:
            args += ["--engine", engine]
        if title is not None:
            args += ["--title", title]
        if as_json:
            args.append("--json")
        result = cli_runner().invoke(cli, args + extra, input=stdin)
    _check_cli_outcome(result)


NUMBERS = [
    "--jobs",
    "--speed",
    "--loudness",
    "--bitrate",
    "--rate",
    "--pitch",
    "--pause-sentence",
    "--pause-paragraph",
    "--pause-section",
    "--pause-heading",
]
PATHS = ["-o", "--cache-dir", "--intro", "--outro", "--cover", "--lexicon", "--show"]
PATH_VALUES = ["", ".", "sub/dir", "article.txt", "article.txt/sous", "\x01odd", "ça va", "-", "bad.toml", "c"]


@fuzz_settings(25)
@given(
    options=st.lists(
        st.one_of(
            st.tuples(st.sampled_from(NUMBERS), ODD_VALUES),
            st.tuples(st.just("--title"), st.text(ALPHABET, max_size=40)),
            st.tuples(
                st.sampled_from(["--voice", "--tld"]), st.sampled_from(["fr", "fr-be", "zz", "", "../x", "fr+f3", "ca"])
            ),
            st.tuples(st.just("--engine"), st.sampled_from(["espeak", "gtts", "nope", "auto"])),
            st.tuples(st.sampled_from(PATHS), st.sampled_from(PATH_VALUES)),
            st.tuples(st.sampled_from(["--stereo", "--no-cache", "--slow"])),
        ),
        max_size=3,
    )
)
def test_render_command_options(options):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "article.txt").write_text("Titre\n\nBonjour à tous.\n", "utf-8")
        (folder / "bad.toml").write_text("title = [\n", "utf-8")
        args = ["-q", "render", "--engine", "espeak", "-o", str(folder / "audio"), "--cache-dir", str(folder / "c")]
        for name, *value in options:
            if name in PATHS and value and value[0] not in ("", "-"):
                value = [str(folder / value[0])]  # relative paths stay inside the temp folder
            args += [name, *value]
        runner = cli_runner()
        # Inside the temp folder: `-o ""` or `--cache-dir -` are relative to the working folder.
        with runner.isolated_filesystem(temp_dir=folder):
            result = runner.invoke(cli, [*args, str(folder / "article.txt")])
    _check_cli_outcome(result)
