"""Clips -> one MP3, streamed: pydub shapes each clip, ffmpeg measures, mixes and encodes the whole.

Pass 1 pipes every trimmed clip and its pause, in order, into one ffmpeg process that
measures loudness (ebur128) and writes a lossless FLAC beside the output, at the engine's
own sample rate (half the disk and CPU of 44.1 kHz for espeak's 22 kHz).
Pass 2 encodes to CBR MP3: the gain that hits the loudness target, the optional tempo
change, the intro/outro music beds (fades, crossfade, ducking under speech), a true-peak-safe
limiter. Without an outro it runs beside pass 1, fed the same speech, at a gain set by the
opening HOLD_SECONDS; the FLAC is encoded again only when the whole turns out louder or quieter
than that opening (see _StreamedEncode). Memory stays flat: only one clip is ever decoded
at a time, music beds are streamed by ffmpeg, and offsets are counted in samples.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..cancel import CancelToken
from ..errors import InputError, OutputError, PodcastError
from ..files import temp_prefix
from ..types import Chunk, Clip
from . import ffmpeg
from .clip import trim_clip
from .graph import (
    Layout,
    Placement,
    calibration_args,
    calibration_excerpt,
    encode_args,
    loudness_args,
    make_layout,
    pass_one_args,
    pcm_input,
)
from .loudness import (
    CALIBRATION_SECONDS,
    HOLD_SECONDS,
    SILENT_LUFS,
    codec_correction,
    decide_gain,
    integrated,
    parse_ebur128,
)
from .music import load_bed
from .settings import MixSettings

log = logging.getLogger(__name__)

_POLL = 0.1
"""Seconds between looks at the cancel token while waiting on the streamed encode's queue."""


@dataclass
class Mixdown:
    """What assembly measured: final duration, every chunk's place, and the loudness reached."""

    duration: float
    placements: list[Placement] = field(default_factory=list)
    loudness_in: float | None = None
    """Integrated loudness of the speech before gain (LUFS, mono)."""
    gain_db: float = 0.0
    speech_start: float = 0.0
    """Where the speech stream begins (after the intro's solo part)."""
    encodes: int = 1
    """MP3 encodes made: 2 when the streamed one missed the loudness target and was redone."""


def assemble(
    clips: Iterable[tuple[Chunk, Clip]], output: Path, settings: MixSettings, *, cancel: CancelToken | None = None
) -> Mixdown:
    """Stream clips into `output` (an MP3 path); return each chunk's placement.

    Cancelling `cancel` kills every ffmpeg at once and raises `Cancelled`; temp files are
    removed on any exit, Ctrl-C included.
    """
    settings.validate()
    intro = (
        load_bed(settings.intro, "intro", settings.channels, settings.sample_rate, cancel=cancel)
        if settings.intro
        else None
    )
    outro = (
        load_bed(settings.outro, "outro", settings.channels, settings.sample_rate, cancel=cancel)
        if settings.outro
        else None
    )
    output = Path(output)
    # The folder, not `output`: that is a temp name.
    encode_failed = ffmpeg.failed("to encode the MP3", OutputError, output.parent)
    with _temp_beside(output, ".flac") as flac:
        began = time.monotonic()
        # The outro starts under the last words, unknown until they are spoken: that mix waits for pass 1.
        # Before any speech only the intro's part of the layout is known, and that is all the encoder needs.
        streamed = (
            None if outro else _StreamedEncode(output, settings, make_layout(1, [], 0, settings, intro, None), cancel)
        )
        try:
            rate, offsets, total, errors = _pass_one(clips, flac, settings, streamed, cancel)
            if streamed is not None:
                streamed.finish()
        finally:
            if streamed is not None:
                streamed.stop()
        loudness_in = parse_ebur128(errors.decode("utf-8", "replace")).get("I")
        log.debug(
            "pass 1 (speech, %d clips, %.0f s of audio): %.1f s",
            len(offsets),
            total / max(rate, 1),
            time.monotonic() - began,
        )
        layout = make_layout(rate, offsets, total, settings, intro, outro)
        encodes = 0 if streamed is None else 1
        decision = decide_gain(
            loudness_in,
            settings.speech_lufs,
            None if streamed is None else streamed.opening,
            0.0 if streamed is None else streamed.gain,
        )
        gain = decision.gain
        if not decision.encode and streamed is not None:
            log.debug(
                "streamed encode kept: the whole is %+.2f LU from its opening",
                (loudness_in - streamed.opening) if loudness_in is not None and loudness_in > SILENT_LUFS else 0.0,
            )
        else:
            if decision.calibrate:
                gain += _codec_loss(calibration_excerpt(total, rate, flac), None, gain, settings, output, cancel)
            encodes += 1
            began = time.monotonic()
            args = encode_args(["-i", str(flac)], output, gain, settings, layout)
            log.debug("encoding: %s", args)
            ffmpeg.run(args, fail=encode_failed, cancel=cancel)
            log.debug("pass 2 (gain %+.2f dB, encode): %.1f s", gain, time.monotonic() - began)
    return Mixdown(
        duration=layout.duration,
        placements=layout.placements,
        loudness_in=loudness_in,
        gain_db=gain,
        speech_start=layout.lead / settings.sample_rate,
        encodes=encodes,
    )


def _pass_one(
    clips: Iterable[tuple[Chunk, Clip]],
    flac: Path,
    settings: MixSettings,
    tee: _StreamedEncode | None,
    cancel: CancelToken | None,
) -> tuple[int, list[tuple[int, int]], int, bytes]:
    """Pipe clips + pauses into ffmpeg (ebur128, FLAC). Returns (rate, sample offsets, total samples, its log)."""
    fail = ffmpeg.failed("while assembling", OutputError, flac.parent)
    encoder: ffmpeg.Process | None = None
    rate = 0
    position = 0
    owed = 0  # silence still due after the previous clip, in samples
    offsets: list[tuple[int, int]] = []
    with contextlib.ExitStack() as running:  # an exception (or Ctrl-C) mid-stream kills the encoder
        for chunk, clip in clips:
            if cancel is not None:
                cancel.check()
            pcm, lead_ms, tail_ms = trim_clip(
                clip, settings.trim_threshold, round(settings.trim_margin * 1000), rate or None
            )
            if encoder is None:
                rate = pcm.sample_rate
                encoder = running.enter_context(ffmpeg.Process(pass_one_args(rate, flac), fail=fail, cancel=cancel))
            # The kept margins are near-silent: they count towards the pause around the clip.
            gap = max(0, owed - lead_ms * rate // 1000) if offsets else 0
            encoder.write(b"\0\0" * gap)
            encoder.write(pcm.data)
            if tee is not None:
                tee.feed(b"\0\0" * gap + pcm.data, rate)
            start = position + gap
            position = start + len(pcm.data) // 2
            offsets.append((start, position))
            # Pauses are given in final seconds: atempo later shortens them by `speed`.
            owed = max(0, round(chunk.pause_after * rate * settings.speed) - tail_ms * rate // 1000)
        if encoder is None:
            raise InputError("nothing to speak")
        encoder.write(b"\0\0" * owed)
        if tee is not None:
            tee.feed(b"\0\0" * owed, rate)
        position += owed
        errors = encoder.finish()
    return rate, offsets, position, errors


class _StreamedEncode:
    """Pass 2 running beside pass 1: the MP3 is encoded as the speech arrives.

    The gain needs the loudness of the whole, known only at the end; one voice reads at a
    steady loudness, so the opening HOLD_SECONDS set it (and calibrate the codec loss), and
    assemble() encodes again from the FLAC only when the whole turns out more than
    LOUDNESS_TOLERANCE away. A feeder thread and a bounded queue keep pass 1 moving while
    the opening is measured, and memory bounded when the encoder is the slower side.

    Its ffmpeg processes run under a token of its own, cancelled by stop() or by the caller's
    token: either kills them at once, and no new one starts afterwards.
    """

    def __init__(self, output: Path, settings: MixSettings, layout: Layout, cancel: CancelToken | None = None):
        self.output, self.settings, self.layout = output, settings, layout
        self.gain = 0.0
        self.opening = SILENT_LUFS
        self._fail = ffmpeg.failed("to encode the MP3", OutputError, output.parent)
        self._queue: queue.Queue = queue.Queue(maxsize=8)
        self._thread: threading.Thread | None = None
        self._encoder: ffmpeg.Process | None = None
        self._error: BaseException | None = None
        self._stopping = False
        self._done = threading.Event()
        self._rate = 0
        self._token = CancelToken()
        self._forget = (
            cancel.on_cancel(lambda: self._token.cancel(cancel.reason)) if cancel is not None else (lambda: None)
        )

    def feed(self, pcm: bytes, rate: int) -> None:
        """Queue 16-bit mono PCM at `rate` (always the same rate)."""
        if self._thread is None:
            self._rate = rate
            self._thread = threading.Thread(target=self._run, name="encode", daemon=True)
            self._thread.start()
        self._put(pcm)

    def finish(self) -> None:
        """Wait for the encoder to write the whole MP3; OutputError if it failed, Cancelled if cancelled."""
        if self._thread is None:
            return
        self._put(None)
        self._done.wait()  # the thread's ffmpeg is killed on cancel: this returns soon
        self._thread = None
        if self._error is not None:
            raise self._error

    def stop(self) -> None:
        """Abandon the encode (an error, a cancel or Ctrl-C in pass 1); a no-op after finish().

        Returns once the feeder thread has removed its temp files: no ffmpeg it started is
        left running, and none starts afterwards.
        """
        self._forget()
        if self._thread is None:
            return
        self._stopping = True
        self._token.cancel("stopped")
        # An Event, not join(): on 3.11 a join() that Ctrl-C interrupted marks the thread as
        # ended while it still runs, and a second join() then returns at once.
        self._done.wait()
        self._thread = None

    def _put(self, item: bytes | None) -> None:
        # Bounded waits: a full queue must not hold pass 1 once the encode failed or was cancelled.
        while True:
            if self._error is not None:
                raise self._error
            try:
                self._queue.put(item, timeout=_POLL)
                return
            except queue.Full:
                self._token.check()

    def _take(self) -> bytes | None:
        while True:
            self._token.check()  # stopped: leave now, whatever is still queued
            try:
                return self._queue.get(timeout=_POLL)
            except queue.Empty:
                pass

    def _run(self) -> None:
        need = round(HOLD_SECONDS * self._rate) * 2
        held = bytearray()
        try:
            while (item := self._take()) is not None:
                if self._encoder is None:
                    held += item
                    if len(held) >= need:
                        self._start(bytes(held))
                        held = bytearray()
                else:
                    self._encoder.write(item)
            encoder = self._encoder or self._start(bytes(held))
            encoder.finish()
        except BaseException as exc:  # reported to pass 1 by feed() or finish()
            if not self._stopping:
                self._error = exc if isinstance(exc, PodcastError) else self._fail(str(exc))
        finally:
            try:
                if self._encoder is not None:
                    self._encoder.close()
            finally:
                self._done.set()

    def _start(self, opening: bytes) -> ffmpeg.Process:
        source = pcm_input(self._rate)
        settings = self.settings
        self.opening = _loudness(source, opening, self.output, self._token)
        if self.opening > SILENT_LUFS:
            self.gain = settings.speech_lufs - self.opening
            self.gain += _codec_loss(
                source,
                opening[-round(CALIBRATION_SECONDS * self._rate) * 2 :],
                self.gain,
                settings,
                self.output,
                self._token,
            )
        args = encode_args(source, self.output, self.gain, settings, self.layout)
        log.debug("encoding: %s", args)
        self._encoder = ffmpeg.Process(args, fail=self._fail, cancel=self._token)
        self._encoder.write(opening)
        return self._encoder


def _loudness(source: list[str], data: bytes | None, output: Path, cancel: CancelToken | None) -> float:
    """Integrated loudness (LUFS) of an input, SILENT_LUFS for silence."""
    fail = ffmpeg.failed("to measure the loudness", OutputError, output.parent)
    return integrated(ffmpeg.run(loudness_args(source), input=data, fail=fail, cancel=cancel))


def _codec_loss(
    source: list[str], data: bytes | None, gain: float, settings: MixSettings, output: Path, cancel: CancelToken | None
) -> float:
    """dB the limiter and the MP3 encoder take off the speech, measured on an excerpt.

    LAME drops masked detail that K-weighting counts (about 0.4 LU on espeak at 96 kbps);
    encoding an excerpt and measuring it back corrects for that at little cost.
    """
    fail = ffmpeg.failed("to encode the MP3", OutputError, output.parent)
    with _temp_beside(output, ".mp3") as probe:
        ffmpeg.run(calibration_args(source, gain, settings, probe), input=data, fail=fail, cancel=cancel)
        measured = _loudness(["-i", str(probe)], None, output, cancel)
    correction = codec_correction(settings.target_lufs, measured)
    log.debug("limiter and codec take %.2f dB off the speech", correction)
    return correction


@contextlib.contextmanager
def _temp_beside(path: Path, suffix: str) -> Iterator[Path]:
    try:
        fd, name = tempfile.mkstemp(prefix=temp_prefix(), suffix=suffix, dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=path.parent) from exc
    try:
        yield Path(name)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
