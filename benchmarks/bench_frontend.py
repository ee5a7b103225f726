"""Front-end figures: requests for the seed (ours vs gTTS's own tokenizer) and chunking speed.

Run: python benchmarks/bench_frontend.py

Times are CPU seconds of this process (time.process_time), so that they do not depend on what
else the machine is running.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from podcast.text.article import parse_article, read_article, split_front_matter
from podcast.text.french import compile_lexicon, normalize
from podcast.text.script import build_script, chunk_text
from podcast.types import Article, Section

SEED = Path(__file__).resolve().parent.parent / "seeds" / "openai-ouvre-ses-modeles.txt"


def _timed(fn, *args, repeat: int = 3):
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.process_time()
        result = fn(*args)
        best = min(best, time.process_time() - started)
    return best, result


def main() -> None:
    seconds, script = _timed(lambda: build_script(read_article(SEED), max_chars=100))
    chunks = [s.text for s in script.chunks]
    print(
        f"seed, ours (gTTS limit 100): {len(chunks)} chunks, longest {max(map(len, chunks))} chars, "
        f"shortest {min(map(len, chunks))}, built in {seconds * 1000:.0f} ms"
    )
    try:
        from gtts import gTTS

        _, body = split_front_matter(SEED.read_text("utf-8"), str(SEED))
        theirs = gTTS(body, lang="fr")._tokenize(body)
        lone = [c for c in theirs if not any(ch.isalnum() for ch in c)]
        print(f"seed, gTTS's tokenizer: {len(theirs)} chunks ({len(lone)} without a word: {lone})")
    except ImportError:
        print("gTTS not installed")
    random.seed(0)
    words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor".split()
    paragraph = " ".join(random.choice(words) for _ in range(9000))
    seconds, spoken = _timed(lambda: normalize(paragraph, keep_glue=True))
    print(f"{len(paragraph) / 1000:.0f} KB paragraph, no punctuation: normalize {seconds * 1000:.0f} ms", end=", ")
    seconds, chunked = _timed(lambda: chunk_text(spoken, 100))
    print(f"chunk {seconds * 1000:.0f} ms -> {len(chunked)} chunks (lower bound {len(paragraph) // 100 + 1})")
    passages = sorted((SEED.parent.parent / "tests" / "data" / "passages").glob("*.txt"))
    prose = "\n\n".join(p.read_text("utf-8") for p in passages) * 4
    seconds, _ = _timed(lambda: build_script(parse_article(prose, name="prose.txt")))
    print(
        f"{len(prose.encode()) / 1000:.0f} KB of real prose (tests/data/passages x 4): "
        f"build_script {seconds * 1000:.0f} ms"
    )
    # A user's lexicon of 100k entries (issue 14): compiled once, then a 4 KB article.
    lexicon = {f"mot{i:06d}": f"entrée {i}" for i in range(100_000)}
    article_4k = " ".join(["Le mot070000 et le mot099999 sont dans le lexique, comme mot000001."] * 60)
    seconds, compiled = _timed(lambda: compile_lexicon(lexicon), repeat=1)
    print(f"100k-entry lexicon: compiled in {seconds * 1000:.0f} ms", end=", ")
    article = Article(title="Lexique", sections=[Section(None, [article_4k])], source="x.txt")
    seconds, _ = _timed(lambda: build_script(article, lexicon=lexicon), repeat=1)
    print(f"a {len(article_4k) / 1000:.0f} KB article with it: build_script {seconds * 1000:.0f} ms")
    for name, text in (
        ("one 50 KB word", "a" * 50_000),
        ("50 KB of digits", "7" * 50_000),
        ("'123 ' x 12 500", "123 " * 12_500),
        ("'a.' x 25 000", "a." * 25_000),
    ):
        seconds, out = _timed(lambda text=text: chunk_text(normalize(text, keep_glue=True), 100), repeat=1)
        print(f"{name}: normalize + chunk {seconds * 1000:.0f} ms -> {len(out)} chunks")


if __name__ == "__main__":
    main()
