"""How long `podcast feed` takes over many episodes, and how big the published files are.

Renders one short article with espeak, clones its manifest N times (each clone a distinct
episode pointing at the same MP3), then times publish() (feed.xml + index.html). Prints figures.

    python benchmarks/bench_publish.py [N ...]
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from podcast.episode.cover import draw_cover, tag_picture
from podcast.show.settings import Show
from podcast.show.site import write_site
from podcast.types import Article, Section

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.support.shows import render_articles  # noqa: E402


def main(counts: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "one"
        article = Article(
            title="Épisode de mesure",
            source="bench.txt",
            sections=[Section(None, ["Un premier paragraphe pour mesurer.", "Un second, pour avoir deux chapitres."])],
        )
        show = Show(base_url="https://example.org/podcast/", email="bench@example.org")
        started = time.perf_counter()
        render_articles(base, [article], show)
        print(f"render + publish of one short episode: {time.perf_counter() - started:.2f} s")
        for path in sorted(base.iterdir()):
            print(f"  {path.name:45} {path.stat().st_size:>9} bytes")
        started = time.perf_counter()
        draw_cover("Mon émission", "Un titre d'épisode assez long pour tenir sur trois lignes au moins")
        print(f"draw a 3000x3000 cover: {time.perf_counter() - started:.3f} s")
        cover = next(base.glob("episode-de-mesure.jpg"))
        from podcast.episode.cover import Cover

        print(f"APIC picture for that cover: {len(tag_picture(Cover(cover, 'image/jpeg'))[0])} bytes")
        manifest = json.loads((base / "episode-de-mesure.json").read_text("utf-8"))
        for count in counts:
            folder = Path(tmp) / f"n{count}"
            shutil.copytree(base, folder)
            for i in range(count):
                clone = dict(manifest, slug=f"clone-{i}", title=f"Clone {i}", guid=f"guid-{i}", number=i + 2)
                (folder / f"clone-{i}.json").write_text(json.dumps(clone), "utf-8")
            started = time.perf_counter()
            write_site(folder, show)
            elapsed = time.perf_counter() - started
            print(
                f"publish {count + 1:>5} episodes: {elapsed:.2f} s; feed.xml {(folder / 'feed.xml').stat().st_size} "
                f"bytes, index.html {(folder / 'index.html').stat().st_size} bytes"
            )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10, 100, 500])
