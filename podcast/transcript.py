"""Transcripts from the measured chunk times: WebVTT and SubRip captions, and plain text for ID3."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from .episode import Chunk, Episode

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _one_line(text: str) -> str:
    return " ".join(_CONTROL.sub("", text).split())


def _stamp(seconds: float, separator: str) -> str:
    ms = max(0, round(seconds * 1000))
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    secs, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{ms:03d}"


def _cues(chunks: Iterable["Chunk"], duration: float):
    """(start, end, text) per chunk, clamped into the audio and never overlapping the next."""
    for chunk in chunks:
        text = _one_line(chunk.text)
        if not text:
            continue
        end = min(chunk.end, duration)
        start = min(chunk.start, end)
        yield start, end, text


def to_vtt(episode: "Episode") -> str:
    """WebVTT: one cue per spoken chunk; text escaped as the format requires (&, <, >)."""
    lines = ["WEBVTT", ""]
    for index, (start, end, text) in enumerate(_cues(episode.chunks, episode.duration), 1):
        lines += [str(index), f"{_stamp(start, '.')} --> {_stamp(end, '.')}", _vtt_escape(text), ""]
    return "\n".join(lines)


def _vtt_escape(text: str) -> str:
    # Escaping '>' also rules out a '-->' inside a cue, which would end the cue text.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_srt(episode: "Episode") -> str:
    """SubRip: one numbered cue per spoken chunk."""
    lines: list[str] = []
    for index, (start, end, text) in enumerate(_cues(episode.chunks, episode.duration), 1):
        # SRT has no escapes; an arrow in the text could be taken for a timing line.
        lines += [str(index), f"{_stamp(start, ',')} --> {_stamp(end, ',')}", text.replace("-->", "→"), ""]
    return "\n".join(lines)


def plain_text(episode: "Episode") -> str:
    """The whole spoken text, one paragraph (or heading) per block, for the ID3 USLT frame."""
    blocks: list[str] = []
    previous = None
    for chunk in episode.chunks:
        where = (chunk.section, chunk.paragraph, chunk.is_heading)
        text = _one_line(chunk.text)
        if blocks and where == previous:
            blocks[-1] += " " + text
        else:
            blocks.append(text)
        previous = where
    return "\n\n".join(blocks)
