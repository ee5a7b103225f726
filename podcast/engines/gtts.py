"""Google Translate's voice: gTTS builds the requests, we send them (pooled, verified, retried)."""

from __future__ import annotations

import base64
import logging
import os
import re
import threading
from urllib.parse import urlsplit

from ..errors import EngineError
from . import Audio, Engine, VoiceSettings

log = logging.getLogger(__name__)

URL_ENV = "PODCAST_GTTS_URL"
PROBE_TIMEOUT = 3.0
TIMEOUT = (5.0, 20.0)
_AUDIO_RE = re.compile(r'jQ1olc","\[\\"(.*?)\\"]')


def endpoint_url(tld: str = "com") -> str:
    """Google's batchexecute endpoint, or `PODCAST_GTTS_URL` (proxies, tests)."""
    override = os.environ.get(URL_ENV)
    if override:
        return override
    from gtts.utils import _translate_url

    return _translate_url(tld=tld, path="_/TranslateWebserverUi/data/batchexecute")


def request_body(text: str, settings: VoiceSettings) -> str:
    """The exact form body gTTS would post for `text` (one chunk, already sized by our script)."""
    from gtts import gTTS

    tts = gTTS(
        text,
        lang=settings.language,
        tld=settings.tld,
        slow=settings.slow,
        lang_check=False,
        pre_processor_funcs=[],
        tokenizer_func=lambda t: [t],
    )
    bodies = tts.get_bodies()
    if len(bodies) != 1:
        raise EngineError(f"gTTS split a chunk into {len(bodies)} requests: {text[:40]!r}")
    return bodies[0]


def parse_audio(payload: str) -> bytes:
    """Extract the MP3 from a batchexecute answer, as gTTS does; EngineError when absent."""
    for line in payload.splitlines():
        if "jQ1olc" in line:
            found = _AUDIO_RE.search(line)
            if found:
                try:
                    return base64.b64decode(found.group(1).encode("ascii"), validate=True)
                except (ValueError, UnicodeEncodeError):
                    break
    raise EngineError("Google answered without audio (garbled or unexpected response)")


class GttsEngine(Engine):
    """Google Translate text-to-speech through gTTS's request format."""

    name = "gtts"
    description = "Google Translate voice via gTTS (online)"
    online = True
    max_chars = 100
    languages = ("fr",)
    output_format = "mp3"
    parallel = True

    def __init__(self, settings: VoiceSettings = VoiceSettings()):
        super().__init__(settings)
        import requests
        from gtts import gTTS

        self._headers = dict(gTTS.GOOGLE_TTS_HEADERS)
        self._url = endpoint_url(settings.tld)
        self._local = threading.local()
        self._requests = requests

    @classmethod
    def availability(cls) -> tuple[bool, str]:
        import requests

        url = endpoint_url()
        try:
            requests.head(url, timeout=PROBE_TIMEOUT, allow_redirects=False)
        except requests.RequestException as exc:
            host = urlsplit(url).netloc or url
            return False, f"cannot reach {host} ({type(exc).__name__})"
        return True, ""

    @classmethod
    def voices(cls) -> list[str]:
        return ["fr (tld com)", "fr (tld fr)", "fr (tld ca)"]

    @property
    def voice_name(self) -> str:
        return f"fr-{self.settings.tld}" + ("-slow" if self.settings.slow else "")

    def cache_identity(self) -> dict:
        return {**super().cache_identity(), "tld": self.settings.tld, "slow": self.settings.slow}

    def _session(self):
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._requests.Session()
            session.headers.update(self._headers)
            self._local.session = session
        return session

    def synthesize(self, text: str) -> Audio:
        body = request_body(text, self.settings)
        try:
            response = self._session().post(self._url, data=body, timeout=TIMEOUT)
            response.raise_for_status()
        except self._requests.RequestException as exc:
            raise EngineError(
                f"Google TTS request failed ({exc.__class__.__name__}); retry later or use --engine espeak"
            ) from exc
        return Audio(parse_audio(response.text), "mp3")
