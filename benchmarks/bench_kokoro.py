"""The neural voice's cost: our full render against a bare kokoro-onnx loop, in the same run.

    python benchmarks/bench_kokoro.py                 # the seed: ours vs the bare loop (~3 min on 2 cores)
    python benchmarks/bench_kokoro.py --hours 1       # then a generated 1-hour text, ours only
    python benchmarks/bench_kokoro.py --skip-seed --hours 0.25 1
    python benchmarks/bench_kokoro.py --skip-baseline --hours 0.25   # ours only: seed, 19 minutes

- ours: `podcast -q render ARTICLE --engine kokoro --no-cache` in a fresh folder (front end,
  synthesis, trimming, pauses, loudness, MP3, tags, sidecars, covers, feed, page).
- baseline: kokoro-onnx (`pip install kokoro-onnx`), the library most Kokoro tools use, with the
  same model and voice, synthesizing the same paragraphs one after another and writing a WAV:
  no MP3, no loudness, no tags. It needs the model and voice as files, so they are written to a
  temp folder first (not timed).

Each run is its own process tree; printed: wall time, audio seconds per wall second, CPU
seconds, peak RSS of the tree (sampled from /proc every 50 ms).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_scale import duration, french_article, measure  # noqa: E402

SEED = HERE.parent / "seeds" / "openai-ouvre-ses-modeles.txt"
KOKORO_WORDS_PER_HOUR = 8600  # the voice reads ~150 words a minute with our pauses

BASELINE = r"""
import sys, time, wave
import numpy as np
from kokoro_onnx import Kokoro

model, voices, text_file, out = sys.argv[1:5]
paragraphs = [p.strip() for p in open(text_file, encoding="utf-8").read().split("\n\n") if p.strip()]
tts = Kokoro(model, voices)
pieces = []
for paragraph in paragraphs:
    samples, rate = tts.create(paragraph, voice="ff_siwis", speed=1.0, lang="fr-fr")
    pieces.append(samples)
audio = np.concatenate(pieces)
with wave.open(out, "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(rate)
    w.writeframes((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())
print(len(audio) / rate)
"""


def _files_for_kokoro_onnx(folder: Path) -> tuple[Path, Path]:
    """kokoro-onnx wants the model as a file and the voices as an .npz: write them once."""
    import numpy as np

    from podcast.voice.kokoro import load_voice, model_bytes

    model = folder / "kokoro-v1.0.int8.onnx"
    model.write_bytes(model_bytes())
    voices = folder / "voices.npz"
    np.savez(voices, ff_siwis=np.asarray(load_voice("ff_siwis")))
    return model, voices


def _paragraphs(article: Path, folder: Path) -> Path:
    """The article's title and paragraphs as we read them, one per block, for the baseline."""
    from podcast import read_article

    read = read_article(article)
    path = folder / "paragraphs.txt"
    path.write_text("\n\n".join([read.title, *read.paragraphs]), "utf-8")
    return path


def ours(article: Path, folder: Path) -> tuple[dict, float]:
    out = folder / "audio"
    cmd = [sys.executable, "-m", "podcast", "-q", "render", str(article), "--engine", "kokoro"]
    result = measure([*cmd, "--no-cache", "-o", str(out), "--cache-dir", str(folder / "cache")])
    mp3 = next(out.glob("*.mp3"))
    manifest = json.loads(mp3.with_suffix(".json").read_text("utf-8"))
    assert manifest["engine"] == "kokoro", manifest["engine"]
    return result, duration(mp3)


def baseline(article: Path, folder: Path) -> tuple[dict, float]:
    model, voices = _files_for_kokoro_onnx(folder)
    wav = folder / "baseline.wav"
    script = folder / "baseline.py"
    script.write_text(BASELINE, "utf-8")
    result = measure(
        [sys.executable, str(script), str(model), str(voices), str(_paragraphs(article, folder)), str(wav)]
    )
    import wave

    with wave.open(str(wav)) as w:
        return result, w.getnframes() / w.getframerate()


def show(label: str, result: dict, audio: float) -> None:
    print(
        f"{label:9} wall {result['wall']:7.1f} s  audio {audio:7.1f} s  {audio / result['wall']:5.2f} audio-s per s  "
        f"cpu {result['cpu']:7.1f} s  peak tree RSS {result['tree_mb']:6.0f} MB",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, nargs="*", default=[])
    parser.add_argument("--skip-seed", action="store_true")
    parser.add_argument("--skip-baseline", action="store_true", help="Do not run the bare kokoro-onnx loop.")
    args = parser.parse_args()
    try:
        import kokoro_onnx  # noqa: F401
    except ImportError:
        kokoro_onnx = None
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if not args.skip_seed:
            print(f"seed: {SEED.name}")
            ours_result, ours_audio = ours(SEED, root / "ours")
            show("ours", ours_result, ours_audio)
            if args.skip_baseline:
                pass
            elif kokoro_onnx is None:
                print("baseline: skipped (pip install kokoro-onnx)")
            else:
                (root / "base").mkdir()
                base_result, base_audio = baseline(SEED, root / "base")
                show("baseline", base_result, base_audio)
                print(f"ratio ours/baseline wall: {ours_result['wall'] / base_result['wall']:.2f} (goal <= 1.1)")
        for hours in args.hours:
            folder = root / f"h{hours}"
            folder.mkdir()
            article = folder / "book.md"
            article.write_text(french_article(hours * 9900 / KOKORO_WORDS_PER_HOUR), "utf-8")
            result, audio = ours(article, folder)
            show(f"{hours:g} h", result, audio)
            hour = audio / 3600
            print(f"          {result['wall'] / hour:.0f} s and {result['cpu'] / hour:.0f} CPU-s per audio-hour")


if __name__ == "__main__":
    main()
