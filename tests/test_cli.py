"""`podcast render` end to end: the seed becomes a tagged, audible French MP3, offline."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from podcast.cli import cli
from podcast.text.article import read_article
from podcast.text.script import build_script
from tests.conftest import SEED
from tests.support.audio import decode, rms, stream_info


def _only_episode(folder: Path) -> Path:
    mp3s = sorted(folder.glob("*.mp3"))
    assert len(mp3s) == 1, mp3s
    return mp3s[0]


def test_seed_mp3_decodes_is_long_audible_and_44k(seed_episode):
    mp3 = _only_episode(seed_episode)
    assert mp3.name == "openai-ouvre-ses-modeles-l-open-source-a-la-sauce-maison.mp3"
    info = stream_info(mp3)
    assert info["codec"] == "mp3" and info["rate"] == 44100 and info["channels"] in (1, 2)
    samples = decode(mp3)
    seconds = len(samples) / 16000
    assert seconds > 60
    assert rms(samples[::7]) > 300  # speech, not silence (16-bit full scale is 32767)


def test_seed_tags_read_back(seed_episode):
    tags = ID3(_only_episode(seed_episode))
    assert str(tags["TIT2"]) == "OpenAI ouvre ses modèles : l'open source à la sauce maison"
    assert str(tags["TPE1"]) == "La rédaction"
    assert str(tags["TALB"])  # the show name
    assert str(tags["TLAN"]) == "fra"
    assert str(tags["TCON"]) == "Podcast"
    # The article's day; the time is the one the manifest and the feed use (noon, or the render time).
    date = json.loads(_only_episode(seed_episode).with_suffix(".json").read_text("utf-8"))["date"]
    assert date.startswith("2025-04-01T") and str(tags["TDRC"]) == f"2025-04-01 {date[11:16]}:00"
    assert tags.version[:2] == (2, 3)
    engine = {f.desc: str(f) for f in tags.getall("TXXX")}
    assert engine["podcast:engine"] == "espeak" and engine["podcast:voice"]


def test_every_paragraph_is_spoken(seed_episode):
    """Per paragraph: as many clips as script chunks, and speech time in line with its length."""
    manifest = json.loads(next(seed_episode.glob("*.json")).read_text())
    article = read_article(SEED)
    script = build_script(article, max_chars=400)  # the espeak engine's limit
    spoken = {}
    for chunk in manifest["chunks"]:
        if not chunk["is_heading"]:
            key = (chunk["section"], chunk["paragraph"])
            spoken.setdefault(key, []).append(chunk)
    expected = {}
    for seg in script.chunks:
        if not seg.is_heading:
            expected.setdefault((seg.section, seg.paragraph), []).append(seg)
    assert len(spoken) == len(article.paragraphs) == len(expected)
    for key, segs in expected.items():
        chunks = spoken[key]
        assert [c["text"] for c in chunks] == [s.text for s in segs]
        chars = sum(len(s.text) for s in segs)
        seconds = sum(c["end"] - c["start"] for c in chunks)
        # French speech runs at roughly 10-20 characters a second; a dropped or cut
        # clip would fall far outside this band.
        assert chars / 25 < seconds < chars / 7, (key, chars, seconds)
    mp3 = MP3(_only_episode(seed_episode))
    assert manifest["chunks"][-1]["end"] <= mp3.info.length + 0.05


def test_render_given_file_into_folder_and_reports_it(runner, tmp_path):
    article = tmp_path / "court.txt"
    article.write_text("Premier paragraphe, assez court.\n\nDeuxième paragraphe, lui aussi.\n", "utf-8")
    out = tmp_path / "sortie"
    result = runner.invoke(cli, ["render", str(article), "-o", str(out), "--engine", "espeak"])
    assert result.exit_code == 0, result.output
    mp3 = out / "court.mp3"
    assert str(mp3) in result.output
    assert len(decode(mp3)) > 16000  # more than a second of audio


@pytest.mark.slow
def test_auto_falls_back_to_the_offline_voice_with_a_visible_warning(runner, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Bonjour à toutes et à tous.", "utf-8")
    result = runner.invoke(cli, ["render", str(article), "-o", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "Google" in warnings[0] and "Kokoro" in warnings[0]
    recorded = {f.desc: str(f) for f in ID3(tmp_path / "o" / "a.mp3").getall("TXXX")}
    assert recorded["podcast:engine"] == "kokoro"


@pytest.mark.slow
def test_quiet_prints_nothing_on_success(runner, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Bonjour.", "utf-8")
    result = runner.invoke(cli, ["-q", "render", str(article), "-o", str(tmp_path / "o")])
    assert result.exit_code == 0
    assert result.output == ""


def test_render_without_argument_uses_seeds_folder(runner, tmp_path, monkeypatch):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "x.txt").write_text("Un petit article.", "utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["-q", "render", "--engine", "espeak"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "audio" / "x.mp3").is_file()


def test_python_dash_m_runs_the_cli():
    proc = subprocess.run([sys.executable, "-m", "podcast", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and "podcast" in proc.stdout


BAD_INPUTS = {
    "missing": (None, "no such file"),
    "directory": ("dir", "directory"),
    "empty": (b"", "nothing to read"),
    "whitespace": (b"  \n\t\n   \n", "nothing to read"),
    "binary": (bytes(range(256)) * 4, "not text"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_one_line_nonzero_and_writes_nothing(runner, tmp_path, case):
    content, problem = BAD_INPUTS[case]
    path = tmp_path / f"{case}.txt"
    if content == "dir":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    out = tmp_path / "audio"
    result = runner.invoke(cli, ["render", str(path), "-o", str(out), "--engine", "espeak"])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0] and problem in lines[0]
    assert "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())


def test_a_bad_file_among_good_ones_writes_nothing(runner, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Un texte correct.", "utf-8")
    out = tmp_path / "audio"
    result = runner.invoke(cli, ["render", str(good), str(tmp_path / "absent.txt"), "-o", str(out)])
    assert result.exit_code == 1
    assert "absent.txt" in result.stderr
    assert not out.exists() or not any(out.iterdir())


def _render_with_stderr(tmp_path: Path, stderr_is_tty: bool, *extra: str) -> str:
    import os
    import pty

    article = tmp_path / "p.txt"
    article.write_text("Une phrase. " * 30 + "\n\nEt une autre phrase pour finir.", "utf-8")
    cmd = [
        sys.executable,
        "-m",
        "podcast",
        *extra,
        "render",
        str(article),
        "-o",
        str(tmp_path / "o"),
        "--engine",
        "espeak",
    ]
    if not stderr_is_tty:
        return subprocess.run(cmd, capture_output=True, text=True, check=True).stderr
    master, slave = pty.openpty()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO once the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait() == 0
    return b"".join(chunks).decode()


@pytest.mark.slow
def test_progress_shows_clips_done_on_a_terminal_only(tmp_path):
    on_tty = _render_with_stderr(tmp_path, True)
    assert "clips" in on_tty
    total = on_tty.rsplit("/", 1)[1].split()[0]
    assert f"{total}/{total} clips" in on_tty
    assert "clips" not in _render_with_stderr(tmp_path, False)
    assert _render_with_stderr(tmp_path, True, "-q") == ""


@pytest.mark.slow
def test_episodes_finished_before_a_failure_are_in_the_feed(runner, tmp_path, monkeypatch):
    """A later article's failure does not leave the earlier, complete episode out of feed.xml."""
    import importlib

    import feedparser

    render_module = importlib.import_module("podcast.api")  # `podcast.render` the attribute is the function

    first = tmp_path / "premier.txt"
    first.write_text("Premier article, tout à fait correct.", "utf-8")
    second = tmp_path / "second.txt"
    second.write_text("Second article.", "utf-8")
    real = render_module.render_job

    def failing_second(job, engine, **kwargs):
        if job.article.source == str(second):
            from podcast.errors import EngineError

            raise EngineError("the engine gave up", path=second)
        return real(job, engine, **kwargs)

    monkeypatch.setattr(render_module, "render_job", failing_second)
    out = tmp_path / "audio"
    result = runner.invoke(cli, ["-q", "render", str(first), str(second), "-o", str(out), "--engine", "espeak"])
    assert result.exit_code == 3
    assert result.stderr.strip() == f"podcast: error: {second}: the engine gave up"
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert [e.title for e in feed.entries] == ["Premier"]
