"""Transcripts of the written text at the measured chunk times: WebVTT, SubRip, and plain text for ID3."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .typography import BREAKABLE, line_words

if TYPE_CHECKING:
    from ..types import Episode, TimedChunk

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _caption_text(text: str) -> str:
    return BREAKABLE.sub(" ", _CONTROL.sub("", text)).strip()


def _stamp(seconds: float, separator: str) -> str:
    ms = max(0, round(seconds * 1000))
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    secs, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{ms:03d}"


def written_cues(chunks: Iterable[TimedChunk]) -> list[tuple[TimedChunk, float, float, str]]:
    """(first chunk, start, end, written text) per sentence group (see `TimedChunk.written`).

    A chunk with written text opens a group that the following chunks with "" join (same
    paragraph only); a chunk without it (an old manifest) is its own group with its spoken text.
    """
    groups: list[tuple[TimedChunk, float, float, str]] = []
    previous = None
    for chunk in chunks:
        where = (chunk.section, chunk.paragraph, chunk.is_heading)
        if chunk.written == "" and groups and where == previous:
            first, start, _, text = groups[-1]
            groups[-1] = (first, start, chunk.end, text)
        else:
            groups.append((chunk, chunk.start, chunk.end, _caption_text(chunk.written or chunk.text)))
        previous = where
    return groups


LINE_CHARS = 42
"""Longest caption line (characters): the BBC, Netflix and EBU guides' figure for a 16:9 frame."""
CUE_LINES = 2
MAX_CUE_SECONDS = 7.0
MIN_CUE_SECONDS = 1.0
"""A cue shorter than this is held on screen into the silence after it, up to the next cue."""


def _sentence_spans(chunks: Iterable[TimedChunk]):
    """(written text, [(start, end, spoken characters)] of its chunks) per sentence group."""
    groups: list[tuple[str, list[tuple[float, float, int]]]] = []
    previous = None
    for chunk in chunks:
        where = (chunk.section, chunk.paragraph, chunk.is_heading)
        span = (chunk.start, max(chunk.start, chunk.end), max(1, len(chunk.text)))
        if chunk.written == "" and groups and where == previous:
            groups[-1][1].append(span)
        else:
            groups.append((_caption_text(chunk.written or chunk.text), [span]))
        previous = where
    return groups


class _Clock:
    """When the voice reaches a fraction of a sentence group's text: its chunks' real times, with the
    characters of each chunk spread evenly over it."""

    def __init__(self, spans: list[tuple[float, float, int]]):
        self.spans = spans
        self.ends = list(itertools.accumulate(n for _, _, n in spans))

    def at(self, fraction: float) -> float:
        target = fraction * self.ends[-1]
        index = min(bisect.bisect_left(self.ends, target), len(self.spans) - 1)
        start, end, n = self.spans[index]
        before = self.ends[index] - n
        return start + (end - start) * min(1.0, max(0.0, (target - before) / n))


def _lines(words: list[str]) -> list[str] | None:
    """The words on at most two lines of LINE_CHARS (split where they balance best); None if they do not fit."""
    text = " ".join(words)
    if len(text) <= LINE_CHARS or len(words) == 1:
        return [text]
    best = None
    for cut in range(1, len(words)):
        first, second = " ".join(words[:cut]), " ".join(words[cut:])
        fits = all(len(line) <= LINE_CHARS or " " not in line for line in (first, second))
        if fits and (best is None or max(len(first), len(second)) < max(map(len, best))):
            best = [first, second]
    return best


def caption_cues(text: str, spans: list[tuple[float, float, int]]) -> list[tuple[float, float, list[str]]]:
    """One sentence group's cues: (start, end, lines), each at most CUE_LINES lines of LINE_CHARS and
    MAX_CUE_SECONDS; only a lone word too long for a line, or said too slowly, exceeds them.

    The remaining text is cut at word boundaries into runs of about equal length, as few as fit;
    a run that does not fit (two lines, seven seconds) gives back words from its end. Each cut is
    timed where the voice says it (see `_Clock`)."""
    words = line_words(text)
    if not words:
        return []
    offsets = list(itertools.accumulate((len(w) + 1 for w in words[:-1]), initial=0))
    total = offsets[-1] + len(words[-1])
    clock = _Clock(spans)

    def cue(lo: int, hi: int) -> tuple[float, float, list[str]] | None:
        """words[lo:hi] as a cue, or None if it breaks a limit (a single word never does)."""
        start = clock.at(offsets[lo] / total)
        end = clock.at((offsets[hi - 1] + len(words[hi - 1])) / total)
        lines = _lines(words[lo:hi])
        if hi - lo == 1:
            return start, end, lines or [words[lo]]
        return (start, end, lines) if lines is not None and end - start <= MAX_CUE_SECONDS else None

    cues: list[tuple[float, float, list[str]]] = []
    lo = 0
    while lo < len(words):
        remaining = total - offsets[lo]
        parts = -(-remaining // (LINE_CHARS * CUE_LINES))
        hi = len(words)
        if parts > 1:  # the end of the first of `parts` equal runs
            hi = bisect.bisect_left(offsets, offsets[lo] + remaining / parts, lo + 1, len(words))
        found = cue(lo, hi)
        while found is None:  # fewer words always fit better: binary search for the most that fit
            low, high = lo + 1, hi - 1
            while low < high:
                middle = (low + high + 1) // 2
                low, high = (middle, high) if cue(lo, middle) else (low, middle - 1)
            hi = low
            found = cue(lo, hi)
        cues.append(found)
        lo = hi
    return cues


def _cues(chunks: Iterable[TimedChunk], duration: float):
    """(start, end, lines) per caption cue, clamped into the audio, in order, never overlapping."""
    cues = [cue for text, spans in _sentence_spans(chunks) for cue in caption_cues(text, spans)]
    floor = 0.0
    for index, (start, end, lines) in enumerate(cues):
        end = max(min(end, duration), floor)
        start = min(max(start, floor), end)
        if end - start < MIN_CUE_SECONDS:  # hold a short cue into the pause after it
            following = cues[index + 1][0] if index + 1 < len(cues) else duration
            end = max(end, min(start + MIN_CUE_SECONDS, following, duration))
        floor = end
        yield start, end, lines


def to_vtt(episode: Episode) -> str:
    """WebVTT: the written text in caption-sized cues (see `caption_cues`), escaped as the format requires."""
    lines = ["WEBVTT", ""]
    for index, (start, end, text) in enumerate(_cues(episode.chunks, episode.duration), 1):
        lines += [str(index), f"{_stamp(start, '.')} --> {_stamp(end, '.')}", *map(_vtt_escape, text), ""]
    return "\n".join(lines)


def _vtt_escape(text: str) -> str:
    # Escaping '>' also rules out a '-->' inside a cue, which would end the cue text.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_srt(episode: Episode) -> str:
    """SubRip: the same cues as `to_vtt`."""
    lines: list[str] = []
    for index, (start, end, text) in enumerate(_cues(episode.chunks, episode.duration), 1):
        # SRT has no escapes; an arrow in the text could be taken for a timing line.
        lines += [
            str(index),
            f"{_stamp(start, ',')} --> {_stamp(end, ',')}",
            *(t.replace("-->", "→") for t in text),
            "",
        ]
    return "\n".join(lines)


def plain_text(episode: Episode) -> str:
    """The article's written text, one paragraph (or heading) per block, for the ID3 USLT frame."""
    blocks: list[str] = []
    previous = None
    for chunk, _, _, text in written_cues(episode.chunks):
        where = (chunk.section, chunk.paragraph, chunk.is_heading)
        if blocks and where == previous:
            blocks[-1] += " " + text
        else:
            blocks.append(text)
        previous = where
    return "\n\n".join(blocks)
