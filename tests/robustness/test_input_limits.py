"""Hostile inputs found in hardening round 2 (issue 14, items 1, 2, 3, 20 and 23), through the real CLI.

Every case runs `python -m podcast` in a subprocess. A `timeout=` on the subprocess is the hang
detector (the cases finish in seconds); nothing is timed. Errors are one stderr line and leave
no MP3 behind.
"""

from __future__ import annotations

import json
import os
import pty
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from mutagen.id3 import ID3

from podcast.text.article import MAX_BYTES, MAX_HTML_CHARS, MAX_PARAGRAPHS, MAX_TITLE

HANG = 120
"""Seconds after which a command counts as hung."""
ARTICLE = (
    "Le café de la gare rouvre ses portes après deux ans de travaux. Les habitués sont revenus dès "
    "le premier matin, et la terrasse était pleine avant neuf heures.\n"
)
LONG_WORD = "x" * 10_000
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def podcast(*args: str, cwd: Path, input: bytes | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "podcast", *args],
        cwd=cwd,
        input=input,
        capture_output=True,
        timeout=HANG,
        **kwargs,
    )


def render(tmp_path: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return podcast("-q", "render", "--engine", "espeak", "-o", str(tmp_path / "out"), *args, cwd=tmp_path, **kwargs)


def one_line(result: subprocess.CompletedProcess, code: int, *words: str) -> str:
    stderr = result.stderr.decode("utf-8", "replace")
    lines = stderr.strip().splitlines()
    assert result.returncode == code and len(lines) == 1, (result.returncode, stderr[:2000])
    assert "Traceback" not in stderr and all(word in lines[0] for word in words), lines[0]
    return lines[0]


def mp3s(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "out").glob("*.mp3")) if (tmp_path / "out").is_dir() else []


def write(path: Path, text: str | bytes) -> Path:
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


# --- 1. A long title with no spaces -----------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "source",
    ["--title", "front matter", "html <title>", "markdown heading"],
)
def test_title_of_10000_characters_without_spaces_renders_within_the_limits(tmp_path, source):
    if source == "--title":
        args = ["--title", LONG_WORD, str(write(tmp_path / "a.txt", ARTICLE))]
    elif source == "front matter":
        args = [str(write(tmp_path / "a.md", f"---\ntitle: {LONG_WORD}\n---\n\n{ARTICLE}"))]
    elif source == "html <title>":
        page = f"<html><head><title>{LONG_WORD}</title></head><body><p>{ARTICLE}</p></body></html>"
        args = [str(write(tmp_path / "a.html", page))]
    else:
        args = [str(write(tmp_path / "a.md", f"# {LONG_WORD}\n\n{ARTICLE}"))]
    result = render(tmp_path, *args)
    assert result.returncode == 0, result.stderr.decode()
    [mp3] = mp3s(tmp_path)
    title = str(ID3(mp3)["TIT2"])
    assert len(title) <= MAX_TITLE and title.endswith("…") and title.startswith("x" * 100)
    manifest = json.loads(mp3.with_suffix(".json").read_text("utf-8"))
    assert manifest["title"] == title
    assert len(mp3.stem) <= 80
    feed = (tmp_path / "out" / "feed.xml").read_text("utf-8")
    assert LONG_WORD not in feed and title in feed


@pytest.mark.slow
@pytest.mark.parametrize("length", [10_000, 2_000_000])
def test_show_title_over_the_limit_is_refused_before_any_audio(tmp_path, length):
    write(tmp_path / "podcast.toml", f'title = "{"S" * length}"\n')
    result = render(tmp_path, "--show", str(tmp_path / "podcast.toml"), str(write(tmp_path / "a.txt", ARTICLE)))
    one_line(result, 1, "podcast.toml", "longer than 200")
    assert not mp3s(tmp_path)


@pytest.mark.slow
def test_show_title_at_the_limit_without_spaces_draws_a_cover(tmp_path):
    write(tmp_path / "podcast.toml", f'title = "{"S" * 200}"\n')
    result = render(tmp_path, "--show", str(tmp_path / "podcast.toml"), str(write(tmp_path / "a.txt", ARTICLE)))
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(mp3s(tmp_path)) == 1 and list((tmp_path / "out").glob("show.*.jpg"))


# --- 2. YAML front matter: alias bombs, non-scalar values, size ------------------------------


def _bomb(levels: int, key: str) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [{','.join([f'*a{level - 1}'] * 9)}]")
    lines.append(f"{key}: *a{levels - 1}")
    return "---\n" + "\n".join(lines) + f"\n---\n\n{ARTICLE}"


def _limit_memory() -> None:
    # On a build without the fix the full bomb would take the machine's memory: stop it at 2 GB.
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("alias bomb under date (430 bytes)", _bomb(9, "date"), ["alias", "line"]),
        ("small alias bomb under title", _bomb(5, "title"), ["alias"]),
        ("one plain alias", f"---\nx: &x Bonjour\ntitle: *x\n---\n\n{ARTICLE}", ["alias"]),
        ("a list as the title", f"---\ntitle: [un, deux]\n---\n\n{ARTICLE}", ["'title' must be a single value"]),
        ("a mapping as the author", f"---\nauthor: {{nom: X}}\n---\n\n{ARTICLE}", ["'author' must be a single"]),
        ("a list as the date", f"---\ndate: [2025-01-01]\n---\n\n{ARTICLE}", ["'date' must be a single value"]),
        ("front matter over 64 KB", "---\n" + "cle: valeur\n" * 6000 + f"---\n\n{ARTICLE}", ["too long"]),
    ],
)
def test_hostile_front_matter_is_refused_in_one_line(tmp_path, name, text, words):
    article = write(tmp_path / "a.md", text)
    result = podcast("script", "--engine", "espeak", str(article), cwd=tmp_path, preexec_fn=_limit_memory)
    one_line(result, 1, "a.md", "front matter", *words)


def test_front_matter_lists_other_keys_still_read(tmp_path):
    article = write(tmp_path / "a.md", f"---\ntitle: Le café\ntags: [ville, café]\n---\n\n{ARTICLE}")
    result = podcast("script", "--engine", "espeak", str(article), cwd=tmp_path)
    assert result.returncode == 0 and "habitués" in result.stdout.decode()


# --- 3. Big inputs: one documented limit per kind, the same clear error --------------------------


def test_stdin_over_the_limit_is_refused_not_cut(tmp_path):
    data = b"Bonjour. " + b" " * MAX_BYTES + b"fin."
    result = podcast("script", "--engine", "espeak", "-", cwd=tmp_path, input=data)
    one_line(result, 1, "<stdin>", "too large", f"{MAX_BYTES // (1024 * 1024)} MB")


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html"])
def test_every_file_kind_over_the_limit_gets_the_same_error(tmp_path, suffix):
    article = tmp_path / f"gros{suffix}"
    with open(article, "wb") as fh:
        fh.write(b"<html><body><p>Bonjour le monde.</p>" if suffix == ".html" else b"Bonjour le monde.\n")
        fh.write(b" " * MAX_BYTES)
    result = render(tmp_path, str(article))
    one_line(result, 1, f"gros{suffix}", "too large", f"{MAX_BYTES // (1024 * 1024)} MB")
    assert not mp3s(tmp_path)


def test_html_page_over_its_limit_is_refused(tmp_path):
    # A page is mostly markup: a comment is cheap to parse, so only the limit can refuse this one.
    page = "<html><body><p>Bonjour le monde, voici un article.</p><!-- " + "x" * MAX_HTML_CHARS + " --></body></html>"
    result = podcast("script", "--engine", "espeak", str(write(tmp_path / "page.html", page)), cwd=tmp_path)
    one_line(result, 1, "page.html", "too large", "HTML page")


@pytest.mark.parametrize("suffix", [".txt", ".html"])
def test_too_many_tiny_paragraphs_are_refused_before_the_front_end(tmp_path, suffix):
    count = MAX_PARAGRAPHS + 1
    if suffix == ".html":
        text = "<html><body>" + "".join(f"<p>Mot {i}.</p>" for i in range(count)) + "</body></html>"
    else:
        text = "".join(f"Mot {i}.\n\n" for i in range(count))
    result = podcast("script", "--engine", "espeak", str(write(tmp_path / f"miettes{suffix}", text)), cwd=tmp_path)
    one_line(result, 1, f"miettes{suffix}", "too many paragraphs", "split it")


# --- 20. Exit codes at every input boundary, and the show's files checked before any audio -----


def test_output_that_is_a_file_is_an_output_error(tmp_path):
    article = write(tmp_path / "a.txt", ARTICLE)
    result = podcast("-q", "render", "--engine", "espeak", "-o", str(article), str(article), cwd=tmp_path)
    one_line(result, 4, "a.txt", "not a folder")
    assert article.read_text("utf-8") == ARTICLE


@pytest.mark.parametrize(
    "args",
    [
        ("render", "--engine", "espeak", "-o", "{out}", "--cache-dir", "{file}", "{article}"),
        ("ingest", "{feed}", "-o", "{file}"),
        ("ingest", "{feed}", "-o", "{out}", "--cache-dir", "{file}"),
    ],
    ids=["render --cache-dir", "ingest -o", "ingest --cache-dir"],
)
def test_every_output_folder_that_is_a_file_is_an_output_error(tmp_path, args):
    """The class of `-o FILE`: any folder the command writes into, given as a file, is exit 4."""
    article = write(tmp_path / "a.txt", ARTICLE)
    taken = write(tmp_path / "taken", "déjà là\n")
    feed = write(tmp_path / "feed.xml", "<rss version='2.0'><channel><title>t</title></channel></rss>\n")
    names = {"out": str(tmp_path / "out"), "file": str(taken), "article": str(article), "feed": str(feed)}
    result = podcast("-q", *(arg.format(**names) for arg in args), cwd=tmp_path)
    one_line(result, 4, "taken", "not a folder")
    assert taken.read_text("utf-8") == "déjà là\n" and not mp3s(tmp_path)


def test_closed_stdin_is_an_input_error(tmp_path):
    result = podcast("script", "-", cwd=tmp_path, preexec_fn=lambda: os.close(0))
    one_line(result, 1, "<stdin>", "stdin is closed")


@pytest.mark.parametrize("option", ["--show", "--lexicon"])
def test_deeply_nested_toml_is_an_input_error(tmp_path, option):
    settings = write(tmp_path / "deep.toml", "a = " + "[" * 100_000 + "]" * 100_000 + "\n")
    result = render(tmp_path, option, str(settings), str(write(tmp_path / "a.txt", ARTICLE)))
    one_line(result, 1, "deep.toml", "TOML")
    assert not mp3s(tmp_path)


def _published(tmp_path: Path) -> Path:
    """One real episode in tmp_path/out, to be tampered with."""
    result = render(tmp_path, str(write(tmp_path / "a.txt", "Premier épisode\n\n" + ARTICLE)))
    assert result.returncode == 0, result.stderr.decode()
    [manifest] = [p for p in (tmp_path / "out").glob("*.json") if "." not in p.stem]
    return manifest


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "tamper"),
    [
        ("number 1e400", lambda text: re.sub(r'"number": \d+', '"number": 1e400', text)),
        ("duration NaN", lambda text: re.sub(r'"duration": [\d.]+', '"duration": NaN', text)),
        ("nested 100,000 deep", lambda text: text[:-2] + ', "x": ' + "[" * 100_000 + "]" * 100_000 + "}\n"),
    ],
)
def test_tampered_manifest_is_an_input_error(tmp_path, name, tamper):
    manifest = _published(tmp_path)
    manifest.write_text(tamper(manifest.read_text("utf-8")), "utf-8")
    result = podcast("feed", str(tmp_path / "out"), cwd=tmp_path)
    one_line(result, 1, manifest.name, "manifest")


def test_stray_bad_json_fails_before_any_audio(tmp_path):
    (tmp_path / "out").mkdir()
    write(tmp_path / "out" / "notes.json", '{"a": ')
    result = render(tmp_path, str(write(tmp_path / "a.txt", ARTICLE)))
    one_line(result, 1, "notes.json")
    assert not mp3s(tmp_path) and not list((tmp_path / "cache").rglob("*.*"))


def test_bad_show_cover_fails_before_any_audio(tmp_path):
    from PIL import Image

    Image.new("RGB", (500, 500), "red").save(tmp_path / "petite.png")
    write(tmp_path / "podcast.toml", 'cover = "petite.png"\n')
    result = render(tmp_path, "--show", str(tmp_path / "podcast.toml"), str(write(tmp_path / "a.txt", ARTICLE)))
    one_line(result, 1, "petite.png", "1400-3000")
    assert not mp3s(tmp_path) and not list((tmp_path / "cache").rglob("*.*"))


# --- 23. Control characters never reach the terminal nor the files -------------------------------

ESCAPES = "\x1b]0;pwned\x07\x1b[31mRouge\x9b2J\u202etxt.exe"


def _tty_render(tmp_path: Path, *args: str) -> bytes:
    """Render with stderr on a pseudo-terminal, so the progress line is shown; all it printed."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "podcast", "render", "--engine", "espeak", "-o", str(tmp_path / "out"), *args],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave,
    )
    os.close(slave)
    shown = b""
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        shown += data
    stdout, _ = proc.communicate(timeout=HANG)
    os.close(master)
    assert proc.returncode == 0, shown
    return shown + stdout


@pytest.mark.slow
@pytest.mark.parametrize("source", ["--title", "front matter"])
def test_escape_sequences_in_a_title_reach_neither_terminal_nor_files(tmp_path, source):
    if source == "--title":
        args = ["--title", ESCAPES, str(write(tmp_path / "a.txt", ARTICLE))]
    else:  # YAML double quotes turn \e, \a and \x9b into the control characters themselves
        yaml_title = ESCAPES.encode("unicode_escape").decode().replace("\\x1b", "\\e").replace("\\x07", "\\a")
        text = f'---\ntitle: "{yaml_title}"\nauthor: "Ana\\e[8m"\ndescription: "Texte\\e[2J"\n---\n\n{ARTICLE}'
        args = [str(write(tmp_path / "a.md", text))]
    shown = _tty_render(tmp_path, *args)
    assert b"clips" in shown  # the progress line was shown
    for byte in (b"\x1b", b"\x07", "\x9b".encode(), "\u202e".encode()):
        assert byte not in shown, shown
    [mp3] = mp3s(tmp_path)
    manifest = json.loads(mp3.with_suffix(".json").read_text("utf-8"))
    for key in ("title", "author", "description"):
        assert not CONTROL_CHARS.search(manifest[key]), (key, manifest[key])
    assert manifest["title"] == "Rougetxt.exe"  # escape sequences go whole
    assert not CONTROL_CHARS.search(str(ID3(mp3)["TIT2"]))
    feed = (tmp_path / "out" / "feed.xml").read_text("utf-8")
    assert not CONTROL_CHARS.search(feed)
