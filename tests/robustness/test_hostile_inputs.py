"""Hostile inputs through `podcast render` and `podcast script`, each in a fresh output folder.

Every case either makes a valid episode (decoded with ffmpeg to prove it) or exits non-zero
with exactly one stderr line naming the file and the problem: never a traceback, never a
file left in the output folder. The table in README.md (this folder) lists the outcomes.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from mutagen.id3 import ID3

from podcast.text.article import MAX_TITLE
from podcast.voice.espeak import EspeakEngine
from tests.support.hostile import (
    FIVE_MB,
    SHORT_ARTICLE,
    as_plain_user,
    assert_one_line_error,
    assert_valid_mp3,
    cli_env,
    espeak_render_argv,
    five_mb_line,
    only_episode,
    png_bytes,
    run_cli,
    stray_files,
    temp_files,
)

pytestmark = pytest.mark.slow  # every hostile input through the CLI in a subprocess, script and render

LONG_TITLE = ("Un titre interminable sur l'été à Besançon, " * 250)[:9_999] + "!"
ACCENTED = "Le café de la gare est très apprécié des élèves. Où est-il ? À côté de l'hôtel.\n"


@dataclass
class Case:
    """One hostile input: how to make it, and what the user must get."""

    make: Callable[[Path], Path]
    error: str | None = None
    """Expected words of the one-line error; None when a valid episode is expected."""
    spoken: list[str] = field(default_factory=list)
    """Words `podcast script` must print (proves the decoding was right, not just 'some text')."""
    not_spoken: list[str] = field(default_factory=list)
    args: list[str] = field(default_factory=list)
    preexec: Callable[[], Callable[[], None] | None] | None = None
    """Returns the preexec_fn the CLI's subprocess needs (or skips the test)."""
    title: str | None = None
    """The title the episode's ID3 tag must carry (its first MAX_TITLE characters)."""


def _file(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return make


def _directory(folder: Path) -> Path:
    path = folder / "chapitre.txt"
    path.mkdir()
    (path / "inside.txt").write_text(SHORT_ARTICLE, "utf-8")
    return path


def _missing(folder: Path) -> Path:
    return folder / "absent" / "article.txt"


def _mode_000(folder: Path) -> Path:
    path = folder / "secret.txt"
    path.write_text(SHORT_ARTICLE, "utf-8")
    path.chmod(0)
    return path


def _read_fails(folder: Path) -> Path:
    # Reading /proc/self/mem at offset 0 fails with EIO: a file that opens but cannot be read,
    # as on a failing disk or a dropped network share.
    path = folder / "disque-abime.txt"
    path.symlink_to("/proc/self/mem")
    return path


CASES: dict[str, Case] = {
    "empty": Case(_file("vide.txt", b""), error="nothing to read"),
    "whitespace only": Case(
        _file("blancs.txt", " \n\t\r\n   \u00a0\u2003\u3000\n".encode("utf-8")), error="nothing to read"
    ),
    "NUL bytes": Case(_file("zeros.txt", b"\0" * 4096), error="not text"),
    "PNG renamed .txt": Case(_file("photo.txt", png_bytes()), error="not text"),
    "invalid UTF-8": Case(  # the bad bytes are dropped; the rest stays UTF-8 (issue 13, class 10)
        _file("casse.txt", ACCENTED.encode("utf-8")[:40] + b"\xff\xfe\xc3\x28" + ACCENTED.encode("utf-8")[40:]),
        spoken=["café", "très", "apprécié", "élèves", "côté", "hôtel"],
        not_spoken=["Ã", "þ", "ÿ"],
    ),
    "Latin-1": Case(
        _file("latin1.txt", ACCENTED.encode("latin-1")),
        spoken=["café", "très", "apprécié", "élèves", "côté", "hôtel"],
        not_spoken=["Ã", "\ufffd"],
    ),
    "UTF-16 LE without BOM": Case(
        _file("utf16le.txt", ACCENTED.encode("utf-16-le")), spoken=["café", "très", "élèves", "côté"]
    ),
    "UTF-16 BE without BOM": Case(
        _file("utf16be.txt", ACCENTED.encode("utf-16-be")), spoken=["café", "très", "élèves", "côté"]
    ),
    "only punctuation": Case(
        _file("ponctuation.txt", "!!! ... ??? ;;; --- ,,, « » ( ) … — / * #\n".encode()), error="nothing to read"
    ),
    "only emoji": Case(_file("emoji.txt", "😀🎉🔥 👍🏽 🇫🇷 ❤️‍🔥 🫠\n".encode()), error="nothing to read"),
    "a directory": Case(_directory, error="directory"),
    "a missing path": Case(_missing, error="no such file"),
    "unreadable (mode 000)": Case(_mode_000, error="permission denied", preexec=as_plain_user),
    "unreadable (read fails with EIO)": Case(_read_fails, error="Input/output error"),
    "HTML all scripts": Case(
        _file(
            "scripts.html",
            (
                b"<!doctype html><html><head><title></title><script>var titre = 'Bonjour le monde';</script>"
                b"<style>body { color: red }</style></head><body><script>document.write('Voici un texte')</script>"
                b'<noscript></noscript><script type=\'application/ld+json\'>{"headline": "Un titre"}</script>'
                b"</body></html>"
            ),
        ),
        error="nothing to read",
    ),
    "Markdown only code blocks": Case(
        _file(
            "code.md",
            (
                "```python\nprint('Bonjour le monde')\n```\n\n~~~\nrm -rf /tmp/exemple\n~~~\n\n"
                "    indenté aussi du code\n"
            ).encode(),
        ),
        error="nothing to read",
    ),
    "title of 10,000 characters (--title)": Case(
        _file("court.txt", SHORT_ARTICLE.encode()),
        args=["--title", LONG_TITLE],
        spoken=["café", "habitués"],
        title=LONG_TITLE,
    ),
    "title of 10,000 characters (front matter)": Case(
        _file("long-titre.md", (f'---\ntitle: "{LONG_TITLE}"\n---\n\n' + SHORT_ARTICLE).encode()),
        spoken=["café", "habitués"],
    ),
    "title of 10,000 characters (heading)": Case(
        _file("long-titre-h1.md", (f"# {LONG_TITLE}\n\n" + SHORT_ARTICLE).encode()), spoken=["café", "habitués"]
    ),
}


@pytest.fixture(params=list(CASES), ids=list(CASES))
def case(request, tmp_path):
    spec = CASES[request.param]
    inputs = tmp_path / "in"
    inputs.mkdir()
    return spec, spec.make(inputs)


def test_script(case, tmp_path):
    spec, path = case
    run = run_cli(
        "script", "--engine", "espeak", *spec.args, path, preexec_fn=spec.preexec and spec.preexec(), cwd=tmp_path
    )
    if spec.error:
        assert_one_line_error(run, 1, str(path), spec.error)
        assert run.stdout == ""
        return
    assert run.code == 0 and "Traceback" not in run.stderr, run.stderr
    spoken = run.stdout
    for word in spec.spoken:
        assert word in spoken, (word, spoken[:300])
    for junk in spec.not_spoken:
        assert junk not in spoken, (junk, spoken[:300])


def test_render(case, tmp_path):
    spec, path = case
    out = tmp_path / "audio"
    run = run_cli(
        "-q",
        "render",
        "--engine",
        "espeak",
        "-o",
        out,
        "--cache-dir",
        tmp_path / "cache",
        *spec.args,
        path,
        preexec_fn=spec.preexec and spec.preexec(),
        cwd=tmp_path,
    )
    if spec.error:
        assert_one_line_error(run, 1, str(path), spec.error)
        assert stray_files(out) == []
        return
    assert run.code == 0 and run.stderr == "", run.stderr
    mp3 = only_episode(out)
    assert_valid_mp3(mp3)
    assert temp_files(out) == []
    # Every name stays short enough for any file system, whatever the title.
    assert all(len(p.name.encode()) <= 255 for p in out.iterdir())
    if spec.title:
        # Titles are kept up to MAX_TITLE characters, cut at a word (README "Limits").
        tag = str(ID3(mp3)["TIT2"])
        assert len(tag) <= MAX_TITLE and tag.endswith("…") and spec.title.startswith(tag[:-1])
        assert len(mp3.stem) <= 80


@pytest.fixture(scope="module", autouse=True)
def five_mb_runs(tmp_path_factory):
    """Start `podcast script` and `podcast render` on the 5 MB line when this module starts.

    The French front end takes several CPU-seconds per megabyte, so both run in the
    background while the other cases run; a watcher Ctrl-C's the render as soon as its
    first clip is in the cache, and the two 5 MB tests at the end check the outcomes.
    """
    folder = tmp_path_factory.mktemp("five-mb")
    path = folder / "enorme.txt"
    path.write_bytes(five_mb_line())
    out, cache = folder / "audio", folder / "cache"
    env = cli_env(PODCAST_CACHE_DIR=str(cache), PODCAST_GTTS_URL="http://127.0.0.1:9/batchexecute")
    script_out = open(folder / "script.out", "wb+")
    script = subprocess.Popen(
        [sys.executable, "-m", "podcast", "script", "--engine", "espeak", "--no-title-read", str(path)],
        env=env,
        cwd=folder,
        stdout=script_out,
        stderr=subprocess.PIPE,
    )
    render = subprocess.Popen(
        espeak_render_argv(out, cache, path),
        env=env,
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    outcome: dict = {}

    def interrupt_after_first_clip() -> None:
        deadline = time.monotonic() + 600
        while not _cached_clips(cache) and render.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        outcome["running"] = render.poll() is None
        outcome["clips"] = len(_cached_clips(cache))
        if outcome["running"]:
            os.killpg(render.pid, signal.SIGINT)
        outcome["stdout"], outcome["stderr"] = render.communicate(timeout=120)
        outcome["code"] = render.returncode

    watcher = threading.Thread(target=interrupt_after_first_clip, daemon=True)
    watcher.start()
    yield {"path": path, "out": out, "script": script, "script_out": script_out, "watcher": watcher, "render": outcome}
    for proc in (script, render):
        if proc.poll() is None:
            proc.kill()
    script.communicate()
    watcher.join(timeout=130)
    script_out.close()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(render.pid, signal.SIGKILL)


def test_five_mb_single_line_script_is_complete(five_mb_runs):
    """The whole 5 MB line becomes engine-sized chunks, every word kept."""
    path, proc, output = five_mb_runs["path"], five_mb_runs["script"], five_mb_runs["script_out"]
    assert path.stat().st_size > FIVE_MB - 100
    _, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 0, stderr
    assert stderr == b""
    output.seek(0)
    spoken = output.read().decode("utf-8")
    chunks = [line for line in spoken.splitlines() if line]
    assert len(chunks) > 10_000
    assert max(len(c) for c in chunks) <= EspeakEngine.max_chars
    assert spoken.split() == path.read_text("utf-8").split()


def test_five_mb_single_line_render_starts_and_stops_cleanly(five_mb_runs):
    """A full render would be ~80 hours of speech: we check that the render accepts the file and
    synthesizes (clips land in the cache), then Ctrl-C it: exit 130, one line, nothing left."""
    five_mb_runs["watcher"].join(timeout=700)
    outcome = five_mb_runs["render"]
    assert outcome.get("running"), outcome
    assert outcome["clips"] > 0
    assert outcome["code"] == 130, outcome
    assert outcome["stderr"].decode().splitlines() == ["podcast: interrupted"]
    assert stray_files(five_mb_runs["out"]) == []


def _cached_clips(cache: Path) -> list[Path]:
    return [p for p in cache.rglob("*.wav") if not p.name.startswith(".")] if cache.exists() else []


def test_stdin_empty_and_stdin_article(tmp_path):
    """`-` reads stdin: empty stdin is one line naming <stdin>; an article on stdin renders."""
    run = run_cli("script", "-", cwd=tmp_path)
    assert_one_line_error(run, 1, "<stdin>", "nothing to read")
    out = tmp_path / "audio"
    run = run_cli("-q", "render", "--engine", "espeak", "-o", out, "-", cwd=tmp_path, input=SHORT_ARTICLE.encode())
    assert run.code == 0, run.stderr
    assert_valid_mp3(only_episode(out))
