"""Our gTTS engine vs gTTS's own sequential save(), both against the local fake at 300 ms a request.

    python benchmarks/bench_gtts.py [--latency 0.3] [--jobs 4] [--repeat 3] [ARTICLE]

Ours renders the whole episode (synthesis, mixing, loudness, MP3, tags, sidecars, covers,
feed and page) with the default --jobs 4 and no clip cache, --repeat times into fresh
folders (the median is compared); gTTS synthesizes the same article text one request after
another (`gTTS(text, lang='fr').save()`), pointed at the fake by patching its URL builder here
only. The fake's audio is prepared beforehand, so both sides wait only for the latency.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from podcast.api import RenderOptions, render  # noqa: E402
from podcast.text.article import read_article  # noqa: E402
from podcast.text.script import build_script  # noqa: E402
from podcast.voice.gtts import GttsEngine  # noqa: E402
from podcast.voice.synth import synthesize  # noqa: E402
from tests.support.fakegoogle import FakeGoogle, decode_request, mp3_for  # noqa: E402

SEED = ROOT / "seeds" / "openai-ouvre-ses-modeles.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", nargs="?", type=Path, default=SEED)
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--jobs", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3, help="full renders of ours; the median is compared")
    args = parser.parse_args()

    import gtts.tts
    from gtts import gTTS

    article = read_article(args.article)
    plain = "\n".join([article.title, *article.paragraphs])
    script = build_script(article, max_chars=GttsEngine.max_chars)

    with FakeGoogle() as fake, tempfile.TemporaryDirectory() as tmp:
        os.environ["PODCAST_GTTS_URL"] = fake.url
        gtts.tts._translate_url = lambda tld="com", path="": fake.url  # gTTS posts to the fake

        # Prepare the fake's answers for both tokenizations, outside the timings.
        theirs = [decode_request(body)[0] for body in gTTS(plain, lang="fr").get_bodies()]
        for text in {*theirs, *(s.text for s in script.chunks)}:
            mp3_for(text)
        fake.latency = args.latency

        started = time.perf_counter()
        with GttsEngine() as engine:
            for _ in synthesize(script, engine, jobs=args.jobs):
                pass
        ours_synth = time.perf_counter() - started
        fake.reset()
        fake.latency = args.latency

        times = []
        for run in range(args.repeat):  # each into a fresh folder: covers and feed are made anew
            started = time.perf_counter()
            [episode] = render(
                [args.article],
                RenderOptions(
                    output_dir=Path(tmp) / f"ours{run}",
                    engine="gtts",
                    jobs=args.jobs,
                    use_cache=False,
                    feed=True,
                    notify=lambda message: None,
                ),
            )
            times.append(time.perf_counter() - started)
            ours_requests = len(fake.posts())
            fake.reset()
            fake.latency = args.latency
        ours = statistics.median(times)

        started = time.perf_counter()
        gTTS(plain, lang="fr").save(str(Path(tmp) / "gtts.mp3"))
        sequential = time.perf_counter() - started
        their_requests = len(fake.posts())

    print(f"article: {args.article.name}, fake latency {args.latency * 1000:.0f} ms per request")
    print(
        f"ours  (--jobs {args.jobs}, full render):   {ours:6.2f} s  {ours_requests} requests, "
        f"{episode.duration:.0f} s of audio (median of {', '.join(f'{t:.2f}' for t in times)}; "
        f"synthesis alone {ours_synth:.2f} s)"
    )
    print(f"gTTS  (sequential save()):      {sequential:6.2f} s  {their_requests} requests")
    print(f"ratio: {sequential / ours:.1f}x faster (synthesis alone: {sequential / ours_synth:.1f}x)")


if __name__ == "__main__":
    main()
