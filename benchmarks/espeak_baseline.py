"""The bare baseline for bench_scale.py: libespeak-ng (espeakng-loader wheel) piped into ffmpeg.

No espeak-ng binary is installed, so this drives the same shared library our engine uses,
through a minimal ctypes loop, one paragraph per call, writing raw PCM into the bundled
ffmpeg's stdin; ffmpeg resamples and encodes the same MP3 format we publish (44.1 kHz
mono CBR 96 kbps). No trimming, pauses, loudness or tags: the floor for the same text.

    python benchmarks/espeak_baseline.py TEXT_FILE OUT.mp3
"""

from __future__ import annotations

import ctypes
import subprocess
import sys

import espeakng_loader

from podcast.sound.ffmpeg import ffmpeg_exe

CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


def main(text_file: str, mp3: str) -> None:
    lib = ctypes.CDLL(espeakng_loader.get_library_path())
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_Synth.argtypes = [
        ctypes.c_void_p,
        ctypes.c_size_t,
        ctypes.c_uint,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.c_uint,
        ctypes.c_void_p,
        ctypes.c_void_p,
    ]
    rate = lib.espeak_Initialize(2, 0, espeakng_loader.get_data_path().encode(), 0)  # synchronous
    lib.espeak_SetVoiceByName(b"fr")
    lib.espeak_SetParameter(1, 165, 0)  # same words per minute as the podcast default
    encoder = subprocess.Popen(
        [
            ffmpeg_exe(),
            "-hide_banner",
            "-nostdin",
            "-v",
            "error",
            "-y",
            "-f",
            "s16le",
            "-ar",
            str(rate),
            "-ac",
            "1",
            "-i",
            "pipe:0",
            "-ar",
            "44100",
            "-ac",
            "1",
            "-c:a",
            "libmp3lame",
            "-b:a",
            "96k",
            mp3,
        ],
        stdin=subprocess.PIPE,
    )
    out = encoder.stdin

    def collect(wav, count, events):
        if count > 0:
            out.write(ctypes.string_at(wav, count * 2))
        return 0

    callback = CALLBACK(collect)
    lib.espeak_SetSynthCallback(callback)
    with open(text_file, encoding="utf-8") as handle:
        for line in handle:
            line = line.strip().lstrip("#").strip()
            if line:
                data = line.encode("utf-8") + b"\0"
                lib.espeak_Synth(data, len(data), 0, 1, 0, 1, None, None)  # POS_CHARACTER, CHARS_UTF8
                lib.espeak_Synchronize()
    out.close()
    sys.exit(encoder.wait())


if __name__ == "__main__":
    main(*sys.argv[1:3])
