"""The embedded offline voice: espeak-ng's shared library and data from the espeakng-loader wheel."""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Mapping

from ..errors import EngineError, InputError
from ..options import Option
from ..types import Clip
from .engine import Engine, rate_option

AUDIO_OUTPUT_SYNCHRONOUS = 2
ESPEAK_CHARS_UTF8 = 1
ESPEAK_RATE = 1
ESPEAK_PITCH = 3
POS_CHARACTER = 1
EE_OK = 0
PHONEMES_IPA_TIED = 0x02 | (1 << 7) | (0x0361 << 8)
"""espeak_TextToPhonemes mode: IPA, with multi-letter phonemes joined by U+0361 (a tie)."""
DEFAULT_VOICE = "fr"

_SYNTH_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


class _Voice(ctypes.Structure):
    """espeak_VOICE (speak_lib.h), as far as `languages`."""

    _fields_ = [("name", ctypes.c_char_p), ("languages", ctypes.c_void_p), ("identifier", ctypes.c_char_p)]


class _Library:
    """One loaded libespeak-ng per process. The library keeps global state, so calls are serialized."""

    _instance: _Library | None = None
    _create_lock = threading.Lock()

    def __init__(self) -> None:
        import espeakng_loader

        self.lock = threading.Lock()
        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self.lib.espeak_Initialize.restype = ctypes.c_int
        self.lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        self.lib.espeak_Synth.argtypes = [
            ctypes.c_void_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.POINTER(ctypes.c_uint),
            ctypes.c_void_p,
        ]
        self.lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        self.lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        self.lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
        self.lib.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_char_p), ctypes.c_int, ctypes.c_int]
        data = espeakng_loader.get_data_path().encode()
        self.sample_rate = self.lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, data, 0)
        if self.sample_rate <= 0:
            raise EngineError("espeak-ng failed to initialize (its data folder may be missing)")
        self._buffer = bytearray()
        # Keep a reference: ctypes callbacks are freed when the Python object dies.
        self._callback = _SYNTH_CALLBACK(self._collect)
        self.lib.espeak_SetSynthCallback(self._callback)
        self._voice: tuple | None = None

    @classmethod
    def get(cls) -> _Library:
        with cls._create_lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    def _collect(self, wav, numsamples, events) -> int:
        if numsamples > 0:
            self._buffer += ctypes.string_at(wav, numsamples * 2)
        return 0

    def has_voice(self, voice: str) -> bool:
        with self.lock:
            self._voice = None  # the next speak() sets its own voice again
            return self.lib.espeak_SetVoiceByName(voice.encode()) == EE_OK

    def voice_language(self, voice: str) -> str | None:
        """The first language `voice` declares ('en-gb', 'fr'), from espeak-ng's own voice data."""
        with self.lock:
            self._voice = None  # the next speak() sets its own voice again
            if self.lib.espeak_SetVoiceByName(voice.encode()) != EE_OK:
                return None
            self.lib.espeak_GetCurrentVoice.restype = ctypes.POINTER(_Voice)
            current = self.lib.espeak_GetCurrentVoice()
            if not current or not current.contents.languages:
                return None
            # A priority byte, then the language: b"\x05fr\0..."
            entry = ctypes.string_at(current.contents.languages)
            return entry[1:].decode("ascii", "replace") or None

    def phonemes(self, texts: list[str], voice: str = DEFAULT_VOICE) -> list[str]:
        """IPA of each text, multi-letter phonemes tied with U+0361 (the neural voice's front end).

        Shares the library and its lock with speech: libespeak-ng keeps one voice per process.
        """
        with self.lock:
            self._voice = None  # the next speak() sets its own voice again
            if self.lib.espeak_SetVoiceByName(voice.encode()) != EE_OK:
                raise EngineError(f"espeak-ng has no voice {voice!r}")
            out = []
            for text in texts:
                pointer = ctypes.pointer(ctypes.c_char_p(text.encode("utf-8")))
                clauses = []
                while pointer.contents.value:  # one clause per call; espeak advances the pointer
                    found = self.lib.espeak_TextToPhonemes(pointer, ESPEAK_CHARS_UTF8, PHONEMES_IPA_TIED)
                    if found:
                        clauses.append(found.decode("utf-8"))
                out.append(" ".join(clauses))
            return out

    def speak(self, text: str, voice: str, rate: int, pitch: int) -> bytes:
        with self.lock:
            if self._voice != (voice, rate, pitch):
                if self.lib.espeak_SetVoiceByName(voice.encode()) != EE_OK:
                    raise EngineError(f"espeak-ng has no voice {voice!r}")
                self.lib.espeak_SetParameter(ESPEAK_RATE, rate, 0)
                self.lib.espeak_SetParameter(ESPEAK_PITCH, pitch, 0)
                self._voice = (voice, rate, pitch)
            self._buffer = bytearray()
            data = text.encode("utf-8") + b"\0"
            status = self.lib.espeak_Synth(data, len(data), 0, POS_CHARACTER, 0, ESPEAK_CHARS_UTF8, None, None)
            if status != EE_OK:
                raise EngineError(f"espeak-ng could not speak {text[:40]!r} (status {status})")
            self.lib.espeak_Synchronize()
            return bytes(self._buffer)


class EspeakEngine(Engine):
    """espeak-ng, embedded: works offline, robotic but always there."""

    name = "espeak"
    description = "espeak-ng, embedded offline voice (espeakng-loader wheel)"
    online = False
    max_chars = 400
    languages = ("fr",)
    # One library per process, not reentrant: calls are serialized. espeak-ng speaks ~1000x
    # real time, so the MP3 encoder, not the voice, bounds a book's render (see bench_scale.py).
    parallel = False
    options = (
        Option("voice", str, DEFAULT_VOICE, "fr, fr-be or fr-ch (variants with +, e.g. fr+f3)", metavar="NAME"),
        rate_option("words per minute"),
        Option("pitch", int, 50, "voice pitch", min=0, max=100),
    )

    def __init__(self, options: Mapping[str, object] | None = None, language: str = "fr"):
        super().__init__(options, language)
        self._lib = _Library.get()
        if not self._lib.has_voice(self.voice_name):
            raise InputError(
                f"espeak-ng has no voice {self.voice_name!r} (try fr, fr-be or fr-ch; "
                "a variant is added with +, e.g. fr+f3)"
            )

    @classmethod
    def availability(cls) -> tuple[bool, str]:
        try:
            import espeakng_loader  # noqa: F401
        except ImportError:
            return False, "the espeakng-loader package is not installed"
        return True, ""

    @classmethod
    def voices(cls) -> list[str]:
        return ["fr", "fr-be", "fr-ch"]

    @property
    def voice_name(self) -> str:
        return str(self.settings["voice"] or DEFAULT_VOICE)  # an empty --voice: the default

    def voice_language(self) -> str | None:
        return self._lib.voice_language(self.voice_name)

    def cache_identity(self) -> dict:
        return {**super().cache_identity(), "rate": self.settings["rate"], "pitch": self.settings["pitch"]}

    def synthesize(self, text: str) -> Clip:
        pcm = self._lib.speak(text, self.voice_name, int(self.settings["rate"]), int(self.settings["pitch"]))
        return Clip(pcm, "pcm", self._lib.sample_rate, 2, 1)
