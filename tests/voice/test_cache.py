"""The clip cache: unchanged reruns cost nothing, edits cost only their chunks, renders can share it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from podcast.cli import cli
from podcast.text.article import read_article
from podcast.text.script import build_script
from podcast.types import Clip
from podcast.voice.cache import ClipCache, clip_key, default_cache_dir
from tests.support.audio import decode, rms

ARTICLE = """# Le cache des clips

Premier paragraphe : il parle du temps qu'il fait. Le ciel est bleu sur Paris.

Deuxième paragraphe, qui sera modifié. Il parle de la mer et des bateaux.

Troisième paragraphe, pour finir. Merci de votre écoute.
"""


def render(runner, article: Path, out: Path, cache: Path, *extra: str):
    result = runner.invoke(
        cli, ["-q", "render", str(article), "-o", str(out), "--engine", "gtts", "--cache-dir", str(cache), *extra]
    )
    return result


def manifest(out: Path) -> dict:
    [path] = [p for p in out.glob("*.json") if "." not in p.stem]
    return json.loads(path.read_text("utf-8"))


def chunks(article: Path) -> list[str]:
    return [s.text for s in build_script(read_article(article), max_chars=100).chunks]


@pytest.fixture
def article(tmp_path) -> Path:
    path = tmp_path / "article.md"
    path.write_text(ARTICLE, "utf-8")
    return path


@pytest.mark.slow
def test_unchanged_rerun_makes_no_request_and_edit_redoes_only_its_paragraph(fake_google, runner, article, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = render(runner, article, out, cache)
    assert first.exit_code == 0, first.output
    before = chunks(article)
    assert sorted(fake_google.texts()) == sorted(set(before))
    stats = manifest(out)["stats"]
    assert stats["synthesized"] == len(before) and stats["cached"] == 0
    episode = decode(next(out.glob("*.mp3")))

    fake_google.reset()
    again = render(runner, article, out, cache)
    assert again.exit_code == 0, again.output
    assert fake_google.posts() == []  # zero synthesis requests
    stats = manifest(out)["stats"]
    assert stats["cached"] == len(before) and stats["synthesized"] == 0
    assert decode(next(out.glob("*.mp3"))) == episode  # same clips, same episode

    article.write_text(ARTICLE.replace("la mer et des bateaux", "la montagne et des randonnées"), "utf-8")
    fake_google.reset()
    edited = render(runner, article, out, cache)
    assert edited.exit_code == 0, edited.output
    after = chunks(article)
    changed = set(after) - set(before)
    assert changed and all("montagne" in text or "Deuxième" in text for text in changed)
    assert sorted(fake_google.texts()) == sorted(changed)
    assert manifest(out)["stats"]["synthesized"] == len(changed)


@pytest.mark.slow
def test_failed_render_resumes_where_it_stopped(fake_google, runner, article, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    fake_google.fail_text("Troisième", *["503"] * 50)
    failed = render(runner, article, out, cache)
    assert failed.exit_code == 3
    assert "retry later" in failed.stderr and "Traceback" not in failed.stderr
    assert len(failed.stderr.strip().splitlines()) == 1
    assert not list(out.glob("*.mp3"))  # nothing half-made under the final name
    done_before = set(fake_google.texts())
    assert done_before

    fake_google.reset()
    resumed = render(runner, article, out, cache)
    assert resumed.exit_code == 0, resumed.output
    assert sorted(fake_google.texts()) == sorted(set(chunks(article)) - done_before)
    assert any("Troisième" in text for text in fake_google.texts())


@pytest.mark.slow
def test_no_cache_synthesizes_everything_and_stores_nothing(fake_google, runner, article, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert render(runner, article, out, cache, "--no-cache").exit_code == 0
    assert render(runner, article, out, cache, "--no-cache").exit_code == 0
    assert len(fake_google.posts()) == 2 * len(set(chunks(article)))
    assert ClipCache(cache).stats().clips == 0


@pytest.mark.slow
def test_two_concurrent_renders_sharing_one_cache_both_make_valid_episodes(fake_google, article, tmp_path):
    cache = tmp_path / "cache"
    env = {**os.environ, "PODCAST_GTTS_URL": fake_google.url}
    fake_google.latency = 0.05  # keep both renders in flight together
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "podcast",
                "-q",
                "render",
                str(article),
                "-o",
                str(tmp_path / f"out{i}"),
                "--engine",
                "gtts",
                "--jobs",
                "3",
                "--cache-dir",
                str(cache),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for i in (1, 2)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    lengths = []
    for i in (1, 2):
        samples = decode(next((tmp_path / f"out{i}").glob("*.mp3")))
        assert rms(samples) > 300
        lengths.append(len(samples))
    assert abs(lengths[0] - lengths[1]) < 1600  # the same speech, within 0.1 s
    entries = [p for p in cache.rglob("*") if p.is_file()]
    assert len(entries) == len(set(chunks(article)))
    assert not [p for p in entries if p.name.startswith(".tmp-")]


def test_cache_cli_info_and_clear(fake_google, runner, article, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert render(runner, article, out, cache).exit_code == 0
    keep = cache / "notes.txt"
    keep.write_text("not a clip")
    info = runner.invoke(cli, ["cache", "info", "--cache-dir", str(cache)])
    assert info.exit_code == 0 and str(cache) in info.output
    assert f"{len(set(chunks(article)))} clips" in info.output
    cleared = runner.invoke(cli, ["cache", "clear", "--cache-dir", str(cache)])
    assert cleared.exit_code == 0 and f"removed {len(set(chunks(article)))} clips" in cleared.output
    assert ClipCache(cache).stats().clips == 0 and keep.read_text() == "not a clip"  # only its own files
    assert "0 clips" in runner.invoke(cli, ["cache", "info", "--cache-dir", str(cache)]).output


def test_default_location_follows_platform_conventions(monkeypatch):
    import platformdirs

    monkeypatch.delenv("PODCAST_CACHE_DIR")
    assert default_cache_dir() == Path(platformdirs.user_cache_dir("podcast", appauthor=False)) / "clips"


def test_key_covers_engine_voice_settings_and_text():
    base = {"engine": "espeak", "voice": "fr", "language": "fr", "rate": 165, "pitch": 50}
    key = clip_key(base, "Bonjour.")
    assert key == clip_key(dict(base), "Bonjour.")
    for changed in ({"engine": "gtts"}, {"voice": "fr-be"}, {"rate": 170}, {"pitch": 40}):
        assert clip_key({**base, **changed}, "Bonjour.") != key
    assert clip_key(base, "Bonjour !") != key


def test_damaged_entries_read_as_misses(tmp_path):
    cache = ClipCache(tmp_path)
    pcm = Clip(b"\x01\x02" * 800, "pcm", 16000, 2, 1)
    cache.put("a" * 64, pcm)
    assert cache.get("a" * 64) == pcm
    path = tmp_path / "aa" / ("a" * 64 + ".wav")
    path.write_bytes(path.read_bytes()[:100])  # a torn write from some other tool
    assert cache.get("a" * 64) is None
    (tmp_path / "bb").mkdir()
    (tmp_path / "bb" / ("b" * 64 + ".mp3")).write_bytes(b"<html>not audio</html>")
    assert cache.get("b" * 64) is None
    cache.put("a" * 64, pcm)  # the next put replaces it
    assert cache.get("a" * 64) == pcm
    assert not list(tmp_path.rglob(".tmp-*"))


def test_unwritable_cache_never_fails_the_render(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cache = ClipCache(blocker)  # a file where the folder should be
    cache.put("c" * 64, Clip(b"\0\0" * 10, "pcm", 16000))
    assert cache.get("c" * 64) is None


def _temp(folder: Path, age: float) -> Path:
    """A temp clip as put() makes them, last written `age` seconds ago (a killed render's leftover if old)."""
    import tempfile
    import time

    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    os.write(fd, b"RIFF half a clip")
    os.close(fd)
    then = time.time() - age
    os.utime(name, (then, then))
    return Path(name)


def test_stale_temps_are_removed_and_temps_in_flight_kept(runner, tmp_path):
    from podcast.voice.cache import STALE_TEMP_SECONDS

    root = tmp_path / "cache"
    ClipCache(root).put("d" * 64, Clip(b"\x01\x02" * 800, "pcm", 16000, 2, 1))
    clip_bytes = (root / "dd" / ("d" * 64 + ".wav")).stat().st_size
    stale = _temp(root, 2 * STALE_TEMP_SECONDS)
    in_flight = _temp(root, 0)
    almost = _temp(root, STALE_TEMP_SECONDS - 60)
    stale_old_layout = _temp(root / "dd", 2 * STALE_TEMP_SECONDS)  # where earlier versions wrote temps
    fresh_old_layout = _temp(root / "ee", 0)
    not_ours = root / ".tmp-notes.txt"
    not_ours.write_text("a user's file")
    os.utime(not_ours, (0, 0))

    cache = ClipCache(root)  # opening sweeps ROOT only
    assert not stale.exists()
    assert in_flight.exists() and almost.exists() and stale_old_layout.exists() and not_ours.exists()
    stats = cache.stats()
    assert (stats.clips, stats.bytes) == (1, clip_bytes)  # temps are neither clips nor their size
    assert "1 clips" in runner.invoke(cli, ["cache", "info", "--cache-dir", str(root)]).output

    cleared = runner.invoke(cli, ["cache", "clear", "--cache-dir", str(root)])
    assert cleared.exit_code == 0 and "removed 1 clips" in cleared.output
    assert not stale_old_layout.exists() and not (root / "dd").exists()
    assert in_flight.exists() and almost.exists() and fresh_old_layout.exists()  # a running render's
    assert not_ours.read_text() == "a user's file"
    assert cache.get("d" * 64) is None
