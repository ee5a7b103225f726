"""Render 1 hour and 10 hours of French text offline; compare with the bare espeak -> ffmpeg baseline.

For each length it writes a generated French article (varied paragraphs, a section heading every
25 paragraphs), then runs, each in its own process tree:
  - ours:     `podcast -q render ARTICLE --engine espeak --no-cache` (fresh output folder)
  - baseline: benchmarks/espeak_baseline.py (libespeak-ng via ctypes | bundled ffmpeg -> MP3)
and prints wall time, peak RSS of the whole process tree (summed, sampled from /proc every 50 ms),
the largest single process's ru_maxrss, the audio length, and time per audio-hour.

    python benchmarks/bench_scale.py              # 1 h and 10 h (about 25 min on 2 cores)
    python benchmarks/bench_scale.py --hours 0.1  # a quick look
    python benchmarks/bench_scale.py --render-args "--jobs 1"  # espeak in-process, no worker pool
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORDS_PER_HOUR = 9900  # espeak-ng at 165 wpm, with our pauses (measured: 8600 words gave 0.87 h)

OPENINGS = [
    "Ce matin",
    "Hier soir",
    "Depuis le début de l'année",
    "Au cours de la semaine",
    "Selon nos informations",
    "Dans la région lyonnaise",
    "À Marseille",
    "Du côté de Bordeaux",
    "Sur le plateau de Saclay",
    "À Lille",
]
SUBJECTS = [
    "une équipe de chercheurs",
    "la municipalité",
    "un collectif d'habitants",
    "une jeune entreprise",
    "le conseil régional",
    "une association de quartier",
    "un groupe d'ingénieurs",
    "la rédaction",
]
ACTIONS = [
    "a présenté un projet ambitieux de rénovation des bâtiments publics",
    "a lancé une expérimentation autour des transports partagés",
    "a publié un rapport détaillé sur la qualité de l'air et de l'eau",
    "a ouvert ses portes au public pour expliquer sa démarche",
    "a signé un accord avec plusieurs partenaires européens",
    "a dévoilé un prototype de batterie plus légère et plus durable",
]
DETAILS = [
    "Les premiers résultats sont encourageants, même si tout reste à confirmer.",
    "Le budget prévu atteint {n} millions d'euros, réparti sur {k} ans.",
    "Plus de {n} personnes ont déjà participé aux réunions d'information.",
    "Les responsables espèrent une mise en service avant l'été {y}.",
    "Certains observateurs restent prudents et demandent davantage de transparence.",
    "Le calendrier pourrait toutefois glisser de quelques mois, selon les syndicats.",
    "L'initiative s'inspire d'exemples menés au Danemark et aux Pays-Bas.",
    "Une consultation publique sera organisée en ligne puis dans les mairies.",
    "« Nous voulons avancer vite, mais sans brûler les étapes », résume la porte-parole.",
    "La question du financement à long terme n'est pas encore tranchée.",
]


def french_article(hours: float, seed: int = 5) -> str:
    """Markdown with varied French paragraphs, long enough for about `hours` of espeak speech."""
    rng = random.Random(seed)
    words_needed = int(hours * WORDS_PER_HOUR)
    lines = ["# Le grand livre des nouvelles", ""]
    words = 0
    paragraph = 0
    while words < words_needed:
        if paragraph % 25 == 0:
            lines += [f"## Partie {paragraph // 25 + 1}", ""]
        sentences = [f"{rng.choice(OPENINGS)}, {rng.choice(SUBJECTS)} {rng.choice(ACTIONS)}."]
        for template in rng.sample(DETAILS, 4):
            sentences.append(template.format(n=rng.randint(2, 900), k=rng.randint(2, 9), y=rng.randint(2026, 2031)))
        text = " ".join(sentences)
        lines += [text, ""]
        words += len(text.split())
        paragraph += 1
    return "\n".join(lines)


def tree_rss(pid: int) -> int:
    """Resident bytes of `pid` and all its descendants, from /proc."""
    total = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo += [int(child) for child in handle.read().split()]
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return total


def measure(cmd: list[str]) -> dict:
    """Run `cmd`, sampling its process tree's RSS; wall time, peak tree RSS, peak single-process RSS."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss(proc.pid))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    stages = [line for line in err.decode(errors="replace").splitlines() if "pass " in line or "synth:" in line]
    wall = time.perf_counter() - start
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err.decode(errors='replace')[-2000:]}")
    # ru_maxrss of children is the largest single descendant (KiB), and only grows across runs.
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    single = usage.ru_maxrss
    # CPU seconds of the whole tree: less swayed than wall time by other work on the machine.
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    return {
        "wall": wall,
        "cpu": cpu,
        "tree_mb": peak / 2**20,
        "single_mb": single / 1024 if single > before else None,
        "stages": stages,
    }


def duration(mp3: Path) -> float:
    import mutagen.mp3

    return mutagen.mp3.MP3(mp3).info.length


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, nargs="+", default=[1.0, 10.0])
    parser.add_argument("--keep", type=Path, help="Keep the outputs in this folder.")
    parser.add_argument("--render-args", default="", help="Extra `podcast render` options, e.g. '--jobs 1'.")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    rows = []
    try:
        for hours in args.hours:
            article = work / f"livre-{hours:g}h.md"
            article.write_text(french_article(hours), encoding="utf-8")
            base_mp3 = work / f"baseline-{hours:g}h.mp3"
            base = measure([sys.executable, str(HERE / "espeak_baseline.py"), str(article), str(base_mp3)])
            base["audio_h"] = duration(base_mp3) / 3600
            base_mp3.unlink()
            out = work / f"out-{hours:g}h"
            ours = measure(
                [
                    sys.executable,
                    "-m",
                    "podcast",
                    "--debug",
                    "render",
                    str(article),
                    "-o",
                    str(out),
                    "--engine",
                    "espeak",
                    "--no-cache",
                    *args.render_args.split(),
                ]
            )
            mp3 = next(out.glob("*.mp3"))
            ours["audio_h"] = duration(mp3) / 3600
            [manifest_path] = [p for p in out.glob("*.json") if p.name.count(".") == 1]  # not .chapters.json
            manifest = json.loads(manifest_path.read_text())
            ours["chunks"] = len(manifest["chunks"])
            if args.keep:
                shutil.copytree(out, args.keep / out.name, dirs_exist_ok=True)
            shutil.rmtree(out)
            for name, row in (("baseline", base), ("podcast", ours)):
                row.update(
                    name=name,
                    hours=hours,
                    per_audio_h=row["wall"] / row["audio_h"],
                    cpu_per_audio_h=row["cpu"] / row["audio_h"],
                )
                rows.append(row)
                single = f"{row['single_mb']:.0f}" if row["single_mb"] else "-"
                print(
                    f"{hours:>5g} h  {name:9} wall {row['wall']:8.1f} s  audio {row['audio_h']:6.2f} h  "
                    f"{row['per_audio_h']:7.1f} s/audio-h  cpu {row['cpu_per_audio_h']:6.1f} s/audio-h  "
                    f"peak tree RSS {row['tree_mb']:6.0f} MB  "
                    f"largest process {single} MB",
                    flush=True,
                )
                for line in row["stages"]:
                    print(f"{'':17}{line}", flush=True)
            print(
                f"{hours:>5g} h  ratio podcast/baseline wall {ours['wall'] / base['wall']:.2f} "
                f"(goal <= 1.5); chunks {ours['chunks']}",
                flush=True,
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ours = [r for r in rows if r["name"] == "podcast"]
    if len(ours) >= 2:
        first, last = ours[0], ours[-1]
        drift = last["per_audio_h"] / first["per_audio_h"] - 1
        print(
            f"time per audio-hour: {first['per_audio_h']:.1f} s at {first['hours']:g} h, "
            f"{last['per_audio_h']:.1f} s at {last['hours']:g} h ({drift:+.0%}; goal within 20%)"
        )
        cpu_drift = last["cpu_per_audio_h"] / first["cpu_per_audio_h"] - 1
        print(
            f"cpu per audio-hour: {first['cpu_per_audio_h']:.1f} s at {first['hours']:g} h, "
            f"{last['cpu_per_audio_h']:.1f} s at {last['hours']:g} h ({cpu_drift:+.0%})"
        )
        print(f"peak tree RSS at {last['hours']:g} h: {last['tree_mb']:.0f} MB (goal <= 250 MB)")


if __name__ == "__main__":
    main()
