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
import functools
import logging
import os
import queue
import re
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import EngineError, InputError, OutputError
from ..files import TEMP_PREFIX
from ..types import Chunk, Clip
from .settings import MixSettings
from .ffmpeg import ffmpeg_exe, last_error_line, parse_ebur128, pydub

log = logging.getLogger(__name__)

SILENT_LUFS = -70.0
"""ebur128's floor: anything quieter is silence and gets no gain."""
HOLD_SECONDS = 30.0
"""Speech measured before the streamed encode starts: its loudness sets the episode's gain."""
LOUDNESS_TOLERANCE = 0.3
"""LU the whole may differ from that opening before the MP3 is encoded again at the exact gain."""
CALIBRATION_SECONDS = 30.0
"""Speech encoded and measured back to learn what the limiter and codec take off."""


@dataclass(frozen=True)
class Placement:
    """Where one segment's speech sits in the finished episode (seconds)."""

    start: float
    end: float


@dataclass
class Mixdown:
    """What assembly measured: final duration, every segment's place, and the loudness reached."""

    duration: float
    placements: list[Placement] = field(default_factory=list)
    loudness_in: float | None = None
    """Integrated loudness of the speech before gain (LUFS, mono)."""
    gain_db: float = 0.0
    speech_start: float = 0.0
    """Where the speech stream begins (after the intro's solo part)."""
    encodes: int = 1
    """MP3 encodes made: 2 when the streamed one missed the loudness target and was redone."""


@dataclass(frozen=True)
class MusicBed:
    """An intro or outro file, probed: its length at the output rate and its loudness."""

    path: Path
    samples: int
    loudness: float | None
    channels: int


def _bed_format(channels: int, rate: int) -> str:
    # The same conversion for measuring and mixing, so the measured loudness is what gets mixed.
    layout = "stereo" if channels == 2 else "mono"
    return f"aresample={rate},aformat=sample_fmts=fltp:channel_layouts={layout}"


def check_music(settings: MixSettings) -> None:
    """Fail early, naming the file, when the intro or outro is not audio ffmpeg can decode."""
    for role, path in (("intro", settings.intro), ("outro", settings.outro)):
        if path is not None:
            load_bed(path, role, settings.channels, settings.sample_rate)


def load_bed(path: Path, role: str, channels: int, rate: int = 44100) -> MusicBed:
    """Check a music file is readable audio and measure it; InputError names the file otherwise."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{role} file not found", path=path)
    if path.is_dir():
        raise InputError(f"{role} is a folder, not an audio file", path=path)
    try:
        with open(path, "rb") as handle:
            handle.read(1)
        stat = path.stat()
    except OSError as exc:
        raise InputError(f"cannot read the {role} file: {exc.strerror or exc}", path=path) from exc
    return _probe_bed(path.resolve(), role, channels, rate, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _probe_bed(path: Path, role: str, channels: int, rate: int, size: int, mtime: int) -> MusicBed:
    # size/mtime are part of the cache key: a replaced file is probed again.
    cmd = [
        ffmpeg_exe(), "-hide_banner", "-nostdin", "-nostats", "-i", str(path), "-vn", "-map", "0:a:0",
        "-af", f"{_bed_format(channels, rate)},ebur128=framelog=quiet,"
               "astats=measure_overall=Number_of_samples:measure_perchannel=none",
        "-f", "null", "-",
    ]
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True)
    err = proc.stderr.decode("utf-8", "replace")
    found = re.findall(r"Number of samples: (\d+)", err)
    if proc.returncode != 0 or not found or int(found[-1]) == 0:
        why = last_error_line(proc.stderr) if proc.returncode != 0 else "no audio in it"
        raise InputError(f"the {role} is not an audio file ffmpeg can decode ({why})", path=path)
    loudness = parse_ebur128(err).get("I")
    return MusicBed(path, int(found[-1]), loudness, channels)


def clip_to_segment(audio: Clip):
    """Decode one engine clip into a pydub AudioSegment (mono, 16-bit)."""
    AudioSegment = pydub().AudioSegment
    if audio.format == "pcm":
        seg = AudioSegment(data=audio.data, sample_width=audio.sample_width,
                           frame_rate=audio.sample_rate, channels=audio.channels)
    else:
        try:
            # Naming the decoder spares pydub its ffprobe call (the wheel ships ffmpeg only).
            seg = AudioSegment.from_file(BytesIO(audio.data), format=audio.format,
                                         codec={"mp3": "mp3float", "wav": "pcm_s16le"}.get(audio.format))
        except Exception as exc:  # pydub raises CouldntDecodeError or IndexError on garbage
            raise EngineError(f"the engine returned undecodable {audio.format} audio") from exc
    return seg.set_channels(1).set_sample_width(2)


def trim(seg, threshold: float, margin_ms: int = 20):
    """Cut a clip's own leading and trailing silence, keeping a short margin for soft consonants.

    Returns (trimmed clip, kept leading margin ms, kept trailing margin ms); the caller
    counts the margins as part of the pause around the clip.
    """
    silence = pydub().silence
    lead = silence.detect_leading_silence(seg, silence_threshold=threshold, chunk_size=5)
    if lead >= len(seg):
        return seg[:0], 0, 0
    tail = silence.detect_leading_silence(seg.reverse(), silence_threshold=threshold, chunk_size=5)
    start = max(0, lead - margin_ms)
    end = min(len(seg), len(seg) - tail + margin_ms)
    return seg[start:end], lead - start, end - (len(seg) - tail)


def assemble(clips: Iterable[tuple[Chunk, Clip]], output: Path, settings: MixSettings) -> Mixdown:
    """Stream clips into `output` (an MP3 path); return each segment's placement."""
    settings.validate()
    check_music(settings)
    intro = load_bed(settings.intro, "intro", settings.channels, settings.sample_rate) if settings.intro else None
    outro = load_bed(settings.outro, "outro", settings.channels, settings.sample_rate) if settings.outro else None
    output = Path(output)
    with _temp_beside(output, ".flac") as flac, _temp_beside(output, ".log") as log1:
        began = time.monotonic()
        # The outro starts under the last words, unknown until they are spoken: that mix waits for pass 1.
        # Before any speech only the intro's part of the plan is known, and that is all the encoder needs.
        streamed = None if outro else _StreamedEncode(output, settings, _plan(1, [], 0, settings, intro, None))
        try:
            rate, offsets, total = _pass_one(clips, flac, log1, settings, streamed)
            if streamed is not None:
                streamed.finish()
        finally:
            if streamed is not None:
                streamed.stop()
        loudness_in = parse_ebur128(log1.read_text("utf-8", "replace")).get("I")
        log.debug("pass 1 (speech, %d clips, %.0f s of audio): %.1f s", len(offsets), total / max(rate, 1),
                  time.monotonic() - began)
        plan = _plan(rate, offsets, total, settings, intro, outro)
        audible = loudness_in is not None and loudness_in > SILENT_LUFS
        encodes = 0 if streamed is None else 1
        if streamed is not None and (not audible or abs(loudness_in - streamed.opening) <= LOUDNESS_TOLERANCE):
            gain = streamed.gain
            log.debug("streamed encode kept: the whole is %+.2f LU from its opening",
                      (loudness_in - streamed.opening) if audible else 0.0)
        else:
            if streamed is not None and streamed.opening > SILENT_LUFS:  # the opening misled the gain: encode again
                gain = streamed.gain - (loudness_in - streamed.opening)
            else:
                gain = settings.speech_lufs - loudness_in if audible else 0.0
                if audible:
                    gain += _codec_loss(["-ss", f"{max(0.0, total / rate / 2 - CALIBRATION_SECONDS / 2):.3f}",
                                         "-t", f"{CALIBRATION_SECONDS}", "-i", str(flac)], None, gain, settings,
                                        output)
            encodes += 1
            began = time.monotonic()
            _encode(["-i", str(flac)], None, output, gain, settings, plan)
            log.debug("pass 2 (gain %+.2f dB, encode): %.1f s", gain, time.monotonic() - began)
    return Mixdown(duration=plan.duration, placements=plan.placements, loudness_in=loudness_in,
                   gain_db=gain, speech_start=plan.lead / settings.sample_rate, encodes=encodes)


class _StreamedEncode:
    """Pass 2 running beside pass 1: the MP3 is encoded as the speech arrives.

    The gain needs the loudness of the whole, known only at the end; one voice reads at a
    steady loudness, so the opening HOLD_SECONDS set it (and calibrate the codec loss), and
    assemble() encodes again from the FLAC only when the whole turns out more than
    LOUDNESS_TOLERANCE away. A feeder thread and a bounded queue keep pass 1 moving while
    the opening is measured, and memory bounded when the encoder is the slower side.
    """

    def __init__(self, output: Path, settings: MixSettings, plan: "_Plan"):
        self.output, self.settings, self.plan = output, settings, plan
        self.gain = 0.0
        self.opening = SILENT_LUFS
        self._queue: queue.Queue = queue.Queue(maxsize=8)
        self._thread: threading.Thread | None = None
        self._proc: subprocess.Popen | None = None
        self._errors = None
        self._error: BaseException | None = None
        self._stopping = False
        self._lock = threading.Lock()
        self._children: list[subprocess.Popen] = []
        self._done = threading.Event()
        self._rate = 0

    def feed(self, pcm: bytes, rate: int) -> None:
        """Queue 16-bit mono PCM at `rate` (always the same rate)."""
        if self._error is not None:
            raise self._error
        if self._thread is None:
            self._rate = rate
            self._thread = threading.Thread(target=self._run, name="encode", daemon=True)
            self._thread.start()
        self._queue.put(pcm)

    def finish(self) -> None:
        """Wait for the encoder to write the whole MP3; OutputError if it failed."""
        if self._thread is None:
            return
        self._queue.put(None)
        self._done.wait()
        self._thread = None
        if self._error is not None:
            raise self._error

    def stop(self) -> None:
        """Abandon the encode (an error or Ctrl-C in pass 1); a no-op after finish().

        Returns once the feeder thread has removed its temp files: no ffmpeg it started is
        left running, and none starts afterwards (a Ctrl-C'd CLI leaves without waiting for it).
        """
        if self._thread is None:
            return
        with self._lock:
            self._stopping = True
            for child in self._children:
                if child.poll() is None:
                    child.kill()
        with contextlib.suppress(queue.Empty):
            self._queue.get_nowait()  # room for the end mark, should the queue be full
        with contextlib.suppress(queue.Full):
            self._queue.put_nowait(None)
        # An Event, not join(): on 3.11 a join() that Ctrl-C interrupted marks the thread as
        # ended while it still runs, and a second join() then returns at once.
        self._done.wait()
        self._thread = None

    def _spawn(self, cmd: list[str], **kwargs) -> subprocess.Popen:
        with self._lock:
            if self._stopping:
                raise OutputError("the encode was stopped", path=self.output.parent)
            child = subprocess.Popen(cmd, **kwargs)
            self._children = [c for c in self._children if c.poll() is None] + [child]
            return child

    def _run(self) -> None:
        need = round(HOLD_SECONDS * self._rate) * 2
        held = bytearray()
        try:
            while (item := self._queue.get()) is not None:
                if self._stopping:
                    continue
                if self._proc is None:
                    held += item
                    if len(held) >= need:
                        self._start(bytes(held))
                        held = bytearray()
                else:
                    self._proc.stdin.write(item)
            if self._stopping:
                return
            if self._proc is None:
                self._start(bytes(held))
            self._proc.stdin.close()
            if self._proc.wait() != 0:
                raise self._failed()
        except BaseException as exc:  # reported to pass 1 by feed() or finish()
            if not self._stopping:
                self._error = exc if isinstance(exc, OutputError) else self._failed(exc)
            with contextlib.suppress(queue.Empty):  # unblock a feeder waiting on a full queue
                while self._queue.get_nowait() is not None:
                    pass
        finally:
            try:
                if self._proc is not None and self._proc.poll() is None:
                    self._proc.kill()
                    self._proc.wait()
                if self._errors is not None:
                    self._errors.close()
            finally:
                self._done.set()

    def _failed(self, exc: BaseException | None = None) -> OutputError:
        """The encoder's own last words when it died (a full disk), else what went wrong here."""
        why = str(exc)
        if self._proc is not None and self._proc.poll():
            self._errors.seek(0)
            why = last_error_line(self._errors.read(), self._proc.returncode)
        return OutputError(f"ffmpeg failed to encode the MP3: {why}", path=self.output.parent)

    def _start(self, opening: bytes) -> None:
        source = ["-f", "s16le", "-ar", str(self._rate), "-ac", "1", "-i", "pipe:0"]
        settings = self.settings
        self.opening = _loudness(source, opening, spawn=self._spawn)
        if self.opening > SILENT_LUFS:
            self.gain = settings.speech_lufs - self.opening
            self.gain += _codec_loss(source, opening[-round(CALIBRATION_SECONDS * self._rate) * 2:], self.gain,
                                     settings, self.output, spawn=self._spawn)
        # stderr to a file: a pipe nobody reads until the end could fill and stall ffmpeg.
        self._errors = tempfile.TemporaryFile()
        self._proc = _encode(source, self._errors, self.output, self.gain, settings, self.plan, spawn=self._spawn)
        self._proc.stdin.write(opening)


def _loudness(source: list[str], data: bytes | None = None, spawn=subprocess.Popen) -> float:
    """Integrated loudness (LUFS) of an input, SILENT_LUFS for silence."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostats", *source, "-af", "ebur128=framelog=quiet", "-f", "null", "-"]
    _, err = _run(cmd, data, spawn)
    measured = parse_ebur128(err.decode("utf-8", "replace")).get("I")
    return SILENT_LUFS if measured is None else max(SILENT_LUFS, measured)


@contextlib.contextmanager
def _temp_beside(path: Path, suffix: str) -> Iterator[Path]:
    try:
        fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=suffix, dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=path.parent) from exc
    try:
        yield Path(name)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)


def _pass_one(clips, flac: Path, log_path: Path, settings: MixSettings, tee: "_StreamedEncode | None" = None):
    """Pipe clips + pauses into ffmpeg (ebur128, FLAC). Returns (rate, sample offsets, total samples)."""
    proc = None
    rate = 0
    position = 0
    owed = 0  # silence still due after the previous clip, in samples
    offsets: list[tuple[int, int]] = []
    try:
        with open(log_path, "wb") as errlog:
            for segment, audio in clips:
                seg, lead_ms, tail_ms = trim(clip_to_segment(audio), settings.trim_threshold,
                                             round(settings.trim_margin * 1000))
                if proc is None:
                    rate = seg.frame_rate
                    proc = _start_pass_one(rate, flac, errlog)
                elif seg.frame_rate != rate:
                    seg = seg.set_frame_rate(rate)
                # The kept margins are near-silent: they count towards the pause around the clip.
                gap = max(0, owed - lead_ms * rate // 1000) if offsets else 0
                pcm = seg.raw_data
                proc.stdin.write(b"\0\0" * gap)
                proc.stdin.write(pcm)
                if tee is not None:
                    tee.feed(b"\0\0" * gap + pcm, rate)
                start = position + gap
                position = start + len(pcm) // 2
                offsets.append((start, position))
                # Pauses are given in final seconds: atempo later shortens them by `speed`.
                owed = max(0, round(segment.pause_after * rate * settings.speed) - tail_ms * rate // 1000)
            if proc is None:
                raise InputError("nothing to speak")
            proc.stdin.write(b"\0\0" * owed)
            if tee is not None:
                tee.feed(b"\0\0" * owed, rate)
            position += owed
            proc.stdin.close()
            code = proc.wait()
            proc = None
    except BrokenPipeError:
        code = proc.wait() if proc else 1
        proc = None
    finally:
        if proc is not None:  # an exception (or Ctrl-C) mid-stream: stop the encoder
            proc.kill()
            proc.wait()
    if code != 0:
        raise OutputError(f"ffmpeg failed while assembling: {last_error_line(log_path.read_bytes(), code)}",
                          path=flac.parent)
    return rate, offsets, position


def _start_pass_one(rate: int, flac: Path, errlog) -> subprocess.Popen:
    cmd = [
        ffmpeg_exe(), "-hide_banner", "-nostdin", "-nostats", "-y",
        "-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "pipe:0",
        "-af", "ebur128=framelog=quiet",
        "-c:a", "flac", "-compression_level", "0", "-f", "flac", str(flac),
    ]
    return subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errlog)


@dataclass
class _Plan:
    """Where everything goes in the output, in output samples."""

    lead: int
    speech_samples: int
    placements: list[Placement]
    duration: float
    intro: MusicBed | None = None
    intro_overlap: int = 0
    outro: MusicBed | None = None
    outro_start: int = 0
    outro_overlap: int = 0


def _plan(rate: int, offsets: list[tuple[int, int]], total: int, settings: MixSettings,
          intro: MusicBed | None, outro: MusicBed | None) -> _Plan:
    out_rate = settings.sample_rate
    scale = out_rate / rate / settings.speed  # native speech sample -> output sample
    lead = overlap_in = 0
    if intro is not None:
        overlap_in = min(round(settings.crossfade * out_rate), intro.samples // 2)
        lead = intro.samples - overlap_in
    speech = round(total * scale)
    placements = [Placement((lead + round(a * scale)) / out_rate, (lead + round(b * scale)) / out_rate)
                  for a, b in offsets]
    end = lead + speech
    plan = _Plan(lead, speech, placements, 0.0, intro, overlap_in)
    if outro is not None:
        spoken = [b for a, b in offsets if b > a]
        last_word = lead + round((spoken[-1] if spoken else 0) * scale)
        plan.outro = outro
        plan.outro_overlap = min(round(settings.crossfade * out_rate), outro.samples // 2, last_word)
        plan.outro_start = last_word - plan.outro_overlap
        end = max(end, plan.outro_start + outro.samples)
    plan.duration = end / out_rate
    return plan


def _bed_chain(bed: MusicBed, target: float, settings: MixSettings) -> str:
    """Format conversion and gain that put a music bed at the episode's loudness."""
    gain = 0.0 if bed.loudness is None or bed.loudness <= SILENT_LUFS else target - bed.loudness
    return f"{_bed_format(bed.channels, settings.sample_rate)},volume={gain:.2f}dB"


def _speech_chain(gain: float, settings: MixSettings) -> list[str]:
    chain = [f"volume={gain:.2f}dB"]
    if settings.speed != 1.0:
        chain.append(f"atempo={settings.speed:.4f}")
    chain.append(f"aresample={settings.sample_rate}")
    if settings.stereo:
        chain.append("pan=stereo|c0=c0|c1=c0")  # unity in both channels (aformat would lower it 3 dB)
    return chain


def _limiter(settings: MixSettings) -> str:
    # Sample peaks held 1 dB under the ceiling leave room for MP3 inter-sample overs.
    limit = 10 ** ((settings.true_peak - 1.0) / 20)
    return f"alimiter=limit={limit:.4f}:attack=5:release=50:level=disabled:latency=1"


def _mp3_args(settings: MixSettings) -> list[str]:
    return ["-ar", str(settings.sample_rate), "-ac", str(settings.channels), "-c:a", "libmp3lame",
            "-b:a", f"{settings.kbps}k", "-id3v2_version", "0", "-write_xing", "1", "-f", "mp3"]


def _codec_loss(source: list[str], data: bytes | None, gain: float, settings: MixSettings, output: Path,
                spawn=subprocess.Popen) -> float:
    """dB the limiter and the MP3 encoder take off the speech, measured on an excerpt.

    LAME drops masked detail that K-weighting counts (about 0.4 LU on espeak at 96 kbps);
    encoding an excerpt and measuring it back corrects for that at little cost.
    """
    with _temp_beside(output, ".mp3") as probe:
        cmd = [ffmpeg_exe(), "-hide_banner", "-nostats", "-y", *source,
               "-af", ",".join([*_speech_chain(gain, settings), _limiter(settings)]),
               *_mp3_args(settings), str(probe)]
        code, err = _run(cmd, data, spawn)
        if code != 0:
            raise OutputError(f"ffmpeg failed to encode the MP3: {last_error_line(err, code)}",
                              path=output.parent)  # the folder: `output` is a temp name
        measured = _loudness(["-i", str(probe)], spawn=spawn)
    if measured <= SILENT_LUFS:
        return 0.0
    loss = settings.target_lufs - measured
    log.debug("limiter and codec take %.2f dB off the speech", loss)
    return max(-2.0, min(2.0, loss))


def _run(cmd: list[str], data: bytes | None = None, spawn=subprocess.Popen) -> tuple[int, bytes]:
    """Run ffmpeg to its end, `data` on its stdin; returns (exit code, stderr)."""
    proc = spawn(cmd, stdin=subprocess.DEVNULL if data is None else subprocess.PIPE,
                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _, err = proc.communicate(data)
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    return proc.returncode, err


def _encode(source: list[str], errlog, output: Path, gain: float, settings: MixSettings, plan: _Plan,
            spawn=subprocess.Popen):
    """Encode once: gain, tempo, music beds, true-peak-safe limiter, CBR MP3 with a Xing/LAME header.

    Given a file for ffmpeg's messages (`errlog`), the encoder is started reading its first
    input from stdin and returned for the caller to feed; otherwise this waits for it.
    """
    rate = settings.sample_rate
    duck = 10 ** (settings.duck_db / 20)
    ramp = 0.25  # seconds for the music to dip under the voice or come back up
    speech = _speech_chain(gain, settings)
    if plan.lead:
        speech.append(f"adelay=delays={plan.lead}S:all=1")
    inputs = list(source)
    graph = [f"[0:a]{','.join(speech)}[speech]"]
    mixed = ["[speech]"]
    target = settings.target_lufs
    if plan.intro is not None:
        bed = plan.intro
        fade_in = min(0.5, bed.samples / rate / 4)
        lead_s = plan.lead / rate
        overlap_s = plan.intro_overlap / rate
        chain = [_bed_chain(bed, target, settings), f"afade=t=in:d={fade_in:.3f}"]
        if overlap_s > 0:
            # Crossfade: the music dips under the first words and fades out by the intro's end.
            chain.append(f"afade=t=out:st={max(0.0, lead_s - ramp):.3f}:d={ramp}:silence={duck:.4f}")
            chain.append(f"afade=t=out:st={lead_s:.3f}:d={overlap_s:.3f}")
        inputs += ["-i", str(bed.path)]
        graph.append(f"[{inputs.count('-i') - 1}:a]{','.join(chain)}[intro]")
        mixed.append("[intro]")
    if plan.outro is not None:
        bed = plan.outro
        length = bed.samples / rate
        overlap_s = plan.outro_overlap / rate
        fade_out = min(3.0, length / 3)
        chain = [_bed_chain(bed, target, settings)]
        if overlap_s > 0:
            # Fades in under the last words at the ducked level, comes up once the voice stops.
            chain.append(f"afade=t=in:d={overlap_s:.3f}")
            chain.append(f"afade=t=in:st={overlap_s:.3f}:d={ramp}:silence={duck:.4f}")
        chain.append(f"afade=t=out:st={length - fade_out:.3f}:d={fade_out:.3f}")
        if plan.outro_start:
            chain.append(f"adelay=delays={plan.outro_start}S:all=1")
        inputs += ["-i", str(bed.path)]
        graph.append(f"[{inputs.count('-i') - 1}:a]{','.join(chain)}[outro]")
        mixed.append("[outro]")
    limiter = _limiter(settings)
    if len(mixed) > 1:
        graph.append(f"{''.join(mixed)}amix=inputs={len(mixed)}:normalize=0:duration=longest,{limiter}[out]")
    else:
        graph.append(f"[speech]{limiter}[out]")
    cmd = [
        ffmpeg_exe(), "-hide_banner", "-nostdin", "-nostats", "-y", *inputs,
        "-filter_complex", ";".join(graph), "-map", "[out]", *_mp3_args(settings), str(output),
    ]
    log.debug("encoding: %s", cmd)
    if errlog is not None:
        return spawn(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errlog)
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        raise OutputError(f"ffmpeg failed to encode the MP3: {last_error_line(proc.stderr, proc.returncode)}",
                          path=output.parent)  # the folder: `output` is a temp name
