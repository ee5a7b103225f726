"""Distributed rendering on a real redis-server with real `podcast worker` processes (espeak).

No stub broker: the workers are separate processes found through Redis, one of them is killed
with SIGKILL while it holds chunk messages, and the episodes must still all come out, once each.
"""

from __future__ import annotations

import json
import os
import re
import signal
import threading
import time
from pathlib import Path

import feedparser
import podcastparser
import pytest

from podcast.api import RenderOptions, render
from podcast.cli import cli
from podcast.queue import connect, list_episodes, submit
from podcast.queue.connection import DRAMATIQ_NAMESPACE
from podcast.queue.tasks import CHUNK_QUEUE, Runtime, rate_limiter
from tests.conftest import make_runner
from tests.support.audio import decode
from tests.support.queueing import Worker, redis_server, wait_for_episodes

TOPICS = [
    ("Les tramways de Lyon", "tramway", "Lyon"),
    ("Le vélo à Bordeaux", "vélo", "Bordeaux"),
    ("Les ferries de Marseille", "ferry", "Marseille"),
    ("Le métro de Lille", "métro", "Lille"),
]


def _article(folder: Path, title: str, thing: str, city: str) -> Path:
    """A short article of six paragraphs: six chunks or more for espeak."""
    paragraphs = [
        f"À {city}, le {thing} transporte chaque jour des milliers de voyageurs.",
        f"La ville a commandé de nouvelles rames de {thing} pour l'an prochain.",
        f"Les habitants de {city} attendent surtout des horaires plus réguliers.",
        f"Un rapport publié mardi chiffre le coût du {thing} à douze millions d'euros.",
        "Les élus de l'opposition demandent un débat public avant le vote.",
        f"Le premier essai du nouveau {thing} aura lieu en septembre.",
    ]
    path = folder / f"{thing}.md"
    path.write_text(f"# {title}\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def _articles(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [_article(folder, *topic) for topic in TOPICS]


@pytest.fixture(scope="module")
def distributed(tmp_path_factory):
    """4 articles on 2 worker processes; one is SIGKILLed while it holds chunk messages."""
    import redis

    base = tmp_path_factory.mktemp("distributed")
    articles = _articles(base / "articles")
    with redis_server(base / "redis") as url:
        victim = Worker(url, base / "victim.log", dead_after=3)
        survivor = Worker(url, base / "survivor.log", dead_after=3)
        victim.wait_ready()
        survivor.wait_ready()
        queue = connect(url)
        client = redis.Redis.from_url(url)
        try:
            options = RenderOptions(output_dir=base / "out", engine="espeak", cache_dir=base / "clips")
            episodes = [episode for episode, _ in submit(articles, options, queue)]
            acks = f"{DRAMATIQ_NAMESPACE}:__acks__.{victim.broker_id}.{CHUNK_QUEUE}"
            held: set[bytes] = set()
            while not held:
                assert victim.proc.poll() is None, victim.output()
                assert not all(s.over for s in list_episodes(queue)), "the victim never held a chunk"
                # Frozen, its holding cannot change under us: kill it only while it holds messages.
                os.kill(victim.proc.pid, signal.SIGSTOP)
                held = client.smembers(acks)
                if held:
                    os.kill(victim.proc.pid, signal.SIGKILL)
                else:
                    os.kill(victim.proc.pid, signal.SIGCONT)
                    time.sleep(0.01)
            victim.proc.wait()
            statuses = wait_for_episodes(queue, episodes)
            # What it held went back to the queue and was acknowledged by the survivor.
            deadline = time.monotonic() + 60
            while client.exists(acks) or client.hmget(f"{DRAMATIQ_NAMESPACE}:{CHUNK_QUEUE}.msgs", *held) != [
                None
            ] * len(held):
                assert time.monotonic() < deadline, "the killed worker's messages never came back"
                time.sleep(0.1)
            status_out = make_runner().invoke(cli, ["status", "--queue", url])
            stopped = survivor.stop()
        finally:
            client.close()
            queue.close()
            survivor.stop()
    return {
        "articles": articles,
        "out": base / "out",
        "clips": base / "clips",
        "statuses": statuses,
        "held": held,
        "status_out": status_out,
        "survivor_exit": stopped,
        "survivor_log": survivor.output(),
    }


@pytest.mark.slow
def test_a_killed_worker_costs_nothing_every_episode_completes_once(distributed):
    statuses = distributed["statuses"]
    assert [s.state for s in statuses] == ["done"] * 4, [(s.title, s.error) for s in statuses]
    assert distributed["held"], "the victim was killed holding messages"
    out = distributed["out"]
    mp3s = sorted(out.glob("*.mp3"))
    assert len(mp3s) == 4 and sorted(Path(s.mp3) for s in statuses) == mp3s
    for mp3 in mp3s:
        assert len(decode(mp3)) > 16000, mp3  # over a second of audio, decoded without error
    titles = sorted(title for title, _, _ in TOPICS)
    with open(out / "feed.xml", "rb") as fh:
        parsed = podcastparser.parse("https://example.org/feed.xml", fh)
    assert sorted(e["title"] for e in parsed["episodes"]) == titles
    assert len({e["guid"] for e in parsed["episodes"]}) == 4
    entries = feedparser.parse((out / "feed.xml").read_bytes()).entries
    assert sorted(e.title for e in entries) == titles


@pytest.mark.slow
def test_status_lists_the_finished_episodes_and_the_worker_stops_on_sigterm(distributed):
    result = distributed["status_out"]
    assert result.exit_code == 0, result.output + result.stderr
    lines = [line for line in result.output.splitlines() if not line.startswith("worker")]
    assert len(lines) == 4 and all(line.split()[0] == "done" for line in lines), result.output
    assert {title for title, _, _ in TOPICS} == {line.split(maxsplit=3)[3] for line in lines}
    assert any(line.startswith("worker   alive") for line in result.output.splitlines()), result.output
    assert distributed["survivor_exit"] == 130, distributed["survivor_log"]


@pytest.mark.slow
def test_queue_renders_equal_local_renders(distributed, tmp_path):
    """The same clips give the same decoded audio: a local render from a copy of the queue's clip
    store finds every clip under the key it would use itself, and assembles the same episode.

    (Not from clips made afresh: espeak-ng carries state from one utterance to the next in a
    process, so a clip's last samples depend on what that process said before.)
    """
    import shutil

    local, local_clips = tmp_path / "local", tmp_path / "clips"
    shutil.copytree(distributed["clips"], local_clips)
    stored = sorted(p.name for p in local_clips.rglob("*.wav"))
    episodes = render(
        distributed["articles"], RenderOptions(output_dir=local, engine="espeak", cache_dir=local_clips, feed=True)
    )
    assert len(episodes) == 4
    assert all(e.stats["cached"] == e.stats["clips"] and not e.stats["synthesized"] for e in episodes)
    assert sorted(p.name for p in local_clips.rglob("*.wav")) == stored  # nothing made, nothing missing
    # One clip per distinct text (a sentence the four articles share is spoken once), none extra.
    assert len({chunk.text for e in episodes for chunk in e.chunks}) == len(stored)
    for episode in episodes:
        queued = distributed["out"] / episode.mp3
        ours = json.loads((local / f"{episode.slug}.json").read_text("utf-8"))
        theirs = json.loads(queued.with_suffix(".json").read_text("utf-8"))
        assert ours["chunks"] == theirs["chunks"] and ours["duration"] == theirs["duration"]
        assert decode(local / episode.mp3, rate=44100) == decode(queued, rate=44100), episode.mp3


@pytest.fixture
def redis_url(tmp_path):
    with redis_server(tmp_path / "redis") as url:
        yield url


@pytest.mark.slow
def test_the_online_rate_limit_holds_across_connections(redis_url):
    """Dramatiq's bucket limiter in the real Redis: two workers' connections share one budget."""
    first, second = connect(redis_url), connect(redis_url)
    try:
        # An hour-long bucket so the count cannot straddle two buckets during the test.
        if time.time() % 3600 > 3590:
            time.sleep(3600 - time.time() % 3600 + 0.1)
        limiters = [rate_limiter(q, "gtts", 5, bucket_ms=3_600_000) for q in (first, second)]
        got = []
        lock = threading.Lock()

        def take(limiter) -> None:
            for _ in range(6):
                with limiter.acquire(raise_on_failure=False) as ok:
                    with lock:
                        got.append(ok)

        threads = [threading.Thread(target=take, args=(limiter,)) for limiter in limiters * 2]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(got) == 24 and got.count(True) == 5
    finally:
        first.close()
        second.close()


@pytest.mark.slow
def test_a_worker_waits_its_turn_for_the_online_engine(redis_url):
    queue = connect(redis_url)
    try:
        runtime = Runtime(queue)
        runtime.online_rate, runtime.online_bucket_ms = 2, 3_600_000
        if time.time() % 3600 > 3590:
            time.sleep(3600 - time.time() % 3600 + 0.1)
        runtime.wait_turn("gtts")
        runtime.wait_turn("gtts")  # two turns this hour...
        stop = threading.Event()
        third = threading.Thread(target=runtime.wait_turn, args=("gtts",), kwargs={"stop": stop.is_set})
        third.start()
        third.join(1.5)
        assert third.is_alive()  # ...the third waits for the next bucket
        stop.set()
        third.join(5)
        assert not third.is_alive()
    finally:
        queue.close()


@pytest.mark.slow
def test_a_failed_episode_reports_its_error_and_render_exits_3(redis_url, tmp_path):
    """Music deleted after submission: the final task fails for good (no retry can help); the
    waiting `render --queue` says so with exit code 3, and `status` names the error."""
    import redis

    articles = _articles(tmp_path / "articles")[:1]
    music = tmp_path / "intro.wav"
    _write_tone(music)
    args = ["render", "--queue", redis_url, "--engine", "espeak", "-o", str(tmp_path / "out")]
    args += ["--cache-dir", str(tmp_path / "clips"), "--intro", str(music), str(articles[0])]
    results = []
    waiting = threading.Thread(target=lambda: results.append(make_runner().invoke(cli, args)))
    waiting.start()
    client = redis.Redis.from_url(redis_url)
    try:
        while not client.zcard("podcast:episodes"):  # submitted: the music was checked
            assert waiting.is_alive(), results[0].stderr
            time.sleep(0.02)
    finally:
        client.close()
    music.unlink()
    worker = Worker(redis_url, tmp_path / "worker.log")
    try:
        worker.wait_ready()
        waiting.join(120)
        [result] = results
        assert result.exit_code == 3, result.output + result.stderr
        assert "Traceback" not in result.stderr, result.stderr
        last = result.stderr.strip().splitlines()[-1]
        assert last.startswith("podcast: error: 1 of 1 episode(s) failed") and "intro file not found" in last, last
        status = make_runner().invoke(cli, ["status", "--queue", redis_url])
        [failed] = [line for line in status.output.splitlines() if line.startswith("failed")]
        assert "intro file not found" in failed and "Les tramways de Lyon" in failed, status.output
        assert not list((tmp_path / "out").glob("*.mp3"))
    finally:
        worker.stop()


def _write_tone(path: Path) -> None:
    import math
    import struct
    import wave

    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(22050)
        w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(i / 10))) for i in range(22050)))


@pytest.mark.slow
def test_render_on_the_queue_waits_and_prints_the_episode(redis_url, tmp_path):
    articles = _articles(tmp_path / "articles")[:2]
    worker = Worker(redis_url, tmp_path / "worker.log")
    worker.wait_ready()
    try:
        args = ["render", "--queue", redis_url, "--engine", "espeak", "-o", str(tmp_path / "out")]
        result = make_runner().invoke(cli, [*args, "--cache-dir", str(tmp_path / "clips"), *map(str, articles)])
        assert result.exit_code == 0, result.output + result.stderr
        # The line a local render prints: `OUT/slug.mp3  0:07  espeak/fr`.
        lines = result.output.splitlines()
        assert all(re.fullmatch(r"\S+\.mp3  \d+:\d\d  espeak/fr", line) for line in lines), lines
        printed = sorted(Path(line.split()[0]).resolve() for line in lines)
        assert printed == sorted((tmp_path / "out").resolve().glob("*.mp3")) and len(printed) == 2
    finally:
        worker.stop()


@pytest.mark.parametrize(
    "args,code,message",
    [
        (["status", "--queue", "http://127.0.0.1:1/"], 1, "bad queue URL"),
        (["status", "--queue", "redis://127.0.0.1:9/0"], 3, "queue redis://127.0.0.1:9/0"),
        (["render", "--detach", "x.md"], 2, "--detach needs --queue"),
        (["worker", "--queue", "redis://127.0.0.1:9/0"], 3, "queue redis://127.0.0.1:9/0"),
        (["worker", "--queue", "redis://user:secret@127.0.0.1:9/0"], 3, "queue redis://user:***@127.0.0.1:9/0"),
        (["ingest", "--queue", "redis://127.0.0.1:9/0", "x.md"], 3, "queue redis://127.0.0.1:9/0"),
        (["render", "--queue", "redis://127.0.0.1:9/0", "x.md"], 3, "queue redis://127.0.0.1:9/0"),
        (["render", "--queue", "redis://127.0.0.1:9/0", "--no-cache", "x.md"], 1, "drop --no-cache"),
    ],
)
def test_queue_usage_errors_are_one_line(args, code, message, tmp_path):
    (tmp_path / "x.md").write_text("# Titre\n\nUn paragraphe.\n", encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = make_runner().invoke(cli, args)
    finally:
        os.chdir(cwd)
    assert result.exit_code == code, result.output + result.stderr
    lines = result.stderr.strip().splitlines()
    assert message in lines[-1] and "Traceback" not in result.stderr, result.stderr
    assert "secret" not in result.stderr  # a password in the URL is never printed
    # Click's usage errors show the usage line too; the engine notice (which voice the workers use) may precede.
    errors = [line for line in lines if not line.startswith("podcast: warning:")]
    assert len(errors) == 1 or code == 2, result.stderr


@pytest.mark.slow
def test_only_online_engines_spend_the_shared_rate(redis_url, tmp_path, fake_google):
    """Each gTTS request a worker makes takes one turn from the Redis budget; espeak takes none,
    and a clip already stored costs no request and no turn."""
    import redis

    from podcast.job import encode
    from podcast.voice.engine import EngineChoice

    queue = connect(redis_url)
    client = redis.Redis.from_url(redis_url)
    try:
        runtime = Runtime(queue)
        runtime.online_rate, runtime.online_bucket_ms = 100, 3_600_000
        if time.time() % 3600 > 3590:
            time.sleep(3600 - time.time() % 3600 + 0.1)
        gtts, espeak = encode(EngineChoice("gtts")), encode(EngineChoice("espeak"))
        for text in ("Premier morceau.", "Deuxième morceau.", "Premier morceau."):
            runtime.make_clip(gtts, str(tmp_path / "clips"), text)
        runtime.make_clip(espeak, str(tmp_path / "clips"), "Troisième morceau.")
        [bucket] = client.keys("podcast:rate:gtts@*")
        assert int(client.get(bucket)) == len(fake_google.texts()) == 2
        assert not client.keys("podcast:rate:espeak@*")
        runtime.close()
    finally:
        client.close()
        queue.close()


def _descendants(pid: int) -> dict[int, str]:
    """The processes below `pid` (children, grandchildren...), by pid, with their command names."""
    parents: dict[int, tuple[int, str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        state, ppid = stat[stat.rindex(")") + 2 :].split()[:2]
        if state != "Z":
            parents[int(entry.name)] = (int(ppid), name)
    found: dict[int, str] = {}
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        for child, (ppid, name) in parents.items():
            if ppid == parent and child not in found:
                found[child] = name
                frontier.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process tree from /proc")
def test_sigterm_to_a_worker_stops_the_final_tasks_ffmpeg_and_the_episode_is_finished_later(tmp_path):
    """The worker's cancel token reaches the render its final task runs: no ffmpeg is left within
    2 s of the SIGTERM, the episode is not failed, and the next worker finishes it."""
    paragraphs = [
        f"Le paragraphe numéro {n} raconte une longue histoire de tramways, de vélos et de ferries, "
        f"avec des chiffres, des horaires et des rames commandées pour l'année {1990 + n}."
        for n in range(1, 121)
    ]
    article = tmp_path / "long.md"
    article.write_text("# Une longue histoire\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    with redis_server(tmp_path / "redis") as url:
        queue = connect(url)
        first = Worker(url, tmp_path / "first.log")
        try:
            first.wait_ready()
            options = RenderOptions(output_dir=tmp_path / "out", engine="espeak", cache_dir=tmp_path / "clips")
            [(episode, _)] = submit([article], options, queue)
            seen: dict[int, str] = {}
            deadline = time.monotonic() + 300  # a guard against hanging, not a timing claim
            while not seen:
                assert time.monotonic() < deadline and first.proc.poll() is None, first.output()
                [state] = [s.state for s in list_episodes(queue) if s.id == episode]
                assert state in ("pending", "running"), first.output()
                seen = {pid: name for pid, name in _descendants(first.proc.pid).items() if name.startswith("ffmpeg")}
                time.sleep(0.02)
            first.proc.send_signal(signal.SIGTERM)
            stopped = time.monotonic()
            while any(_alive(pid) for pid in seen) and time.monotonic() - stopped < 2.0:
                time.sleep(0.02)
            assert not any(_alive(pid) for pid in seen), f"ffmpeg still running 2 s after SIGTERM: {seen}"
            first.stop()
            [status] = [s for s in list_episodes(queue) if s.id == episode]
            assert status.state != "failed", status.error
            second = Worker(url, tmp_path / "second.log")
            try:
                second.wait_ready()
                [final] = wait_for_episodes(queue, [episode])
                assert final.state == "done", (final.error, second.output())
            finally:
                second.stop()
        finally:
            first.stop()
            queue.close()
    assert len(list((tmp_path / "out").glob("*.mp3"))) == 1
