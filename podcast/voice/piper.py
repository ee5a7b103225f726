"""Neural voices with Piper (`pip install 'podcast[piper]'`): `--engine piper --voice PATH.onnx`.

piper-tts is GPL-licensed, so it stays an optional extra and is imported only here. French
voices are downloaded by the user (e.g. fr_FR-siwis-medium from rhasspy/piper-voices): a
model file `NAME.onnx` with its `NAME.onnx.json` config beside it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from ..errors import EngineError, InputError
from ..options import Option
from ..types import Clip
from .engine import NORMAL_RATE, Engine, rate_option

log = logging.getLogger(__name__)

VOICES_ENV = "PODCAST_PIPER_VOICES"
DEFAULT_RATE = NORMAL_RATE
FRENCH_HINT = (
    "French voices: download fr_FR-siwis-medium.onnx and its .onnx.json from rhasspy/piper-voices on Hugging Face"
)


def voices_dir() -> Path:
    """Where `podcast engines` looks for voice models: $PODCAST_PIPER_VOICES or the user data folder."""
    env = os.environ.get(VOICES_ENV)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("podcast", appauthor=False)) / "piper-voices"


@lru_cache(maxsize=8)
def _model_digest(path: str, size: int, mtime: float) -> str:
    """Content hash of a model, for the cache key (a replaced file with the same name is a new voice)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


class PiperEngine(Engine):
    """Piper neural TTS (ONNX), offline, with a voice model the user supplies."""

    name = "piper"
    description = "Piper neural voices, offline (optional extra, GPL)"
    online = False
    max_chars = 400
    languages = ("fr",)  # and any other its voice model speaks
    parallel = False  # one ONNX session per voice; its phonemizer (espeak-ng) is not reentrant
    options = (
        Option("voice", str, None, "PATH to a .onnx voice model", metavar="PATH"),
        rate_option(f"relative to {DEFAULT_RATE}"),
    )

    def __init__(self, options: Mapping[str, object] | None = None, language: str = "fr"):
        super().__init__(options, language)
        if not self.settings["voice"]:
            raise InputError(f"--engine piper needs --voice PATH.onnx ({FRENCH_HINT})")
        model = Path(str(self.settings["voice"])).expanduser()
        config = model.with_name(model.name + ".json")
        for needed in (model, config):
            if not needed.is_file():
                raise InputError(f"piper voice file not found ({FRENCH_HINT})", path=needed)
        try:
            from piper import PiperVoice, SynthesisConfig
        except ImportError as exc:
            raise EngineError("piper is not installed: pip install 'podcast[piper]'") from exc
        try:
            self._voice = PiperVoice.load(model, config_path=config)
        except Exception as exc:  # onnxruntime and json errors alike mean an unusable model
            raise InputError(f"not a usable piper voice: {exc}", path=model) from exc
        self._model = model
        self._lock = threading.Lock()
        # Piper has no words-per-minute; length_scale stretches time, so 165/rate keeps --rate's meaning.
        self._config = SynthesisConfig(length_scale=DEFAULT_RATE / int(self.settings["rate"]))
        stat = model.stat()
        self._digest = _model_digest(str(model), stat.st_size, stat.st_mtime)

    @classmethod
    def availability(cls) -> tuple[bool, str]:
        try:
            import piper  # noqa: F401
        except ImportError:
            return False, "not installed (pip install 'podcast[piper]'; GPL, hence optional)"
        return True, ""

    @classmethod
    def voices(cls) -> list[str]:
        folder = voices_dir()
        found = sorted(str(p) for p in folder.glob("*.onnx")) if folder.is_dir() else []
        return found or [f"none in {folder}; pass --voice PATH.onnx ({FRENCH_HINT})"]

    @property
    def voice_name(self) -> str:
        return self._model.stem

    def voice_language(self) -> str | None:
        # The model's config names the espeak-ng voice its phonemes come from: 'en-us', 'fr'.
        return getattr(self._voice.config, "espeak_voice", None) or None

    def cache_identity(self) -> dict:
        return {**super().cache_identity(), "model": self._digest, "rate": self.settings["rate"]}

    def synthesize(self, text: str) -> Clip:
        pieces: list[bytes] = []
        rate, width, channels = self._voice.config.sample_rate, 2, 1
        with self._lock:
            try:
                for chunk in self._voice.synthesize(text, syn_config=self._config):
                    rate, width, channels = chunk.sample_rate, chunk.sample_width, chunk.sample_channels
                    pieces.append(chunk.audio_int16_bytes)
            except Exception as exc:  # onnxruntime raises its own types
                raise EngineError(f"piper could not speak {text[:40]!r}: {exc}") from exc
        return Clip(b"".join(pieces), "pcm", rate, width, channels)
