"""Transcripts of the written text at the measured chunk times: WebVTT, SubRip, and plain text for ID3."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..types import Episode, TimedChunk

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _one_line(text: str) -> str:
    return " ".join(_CONTROL.sub("", text).split())


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
            groups.append((chunk, chunk.start, chunk.end, _one_line(chunk.written or chunk.text)))
        previous = where
    return groups


def _cues(chunks: Iterable[TimedChunk], duration: float):
    """(start, end, text) per sentence group, clamped into the audio and never overlapping the last."""
    floor = 0.0
    for _, start, end, text in written_cues(chunks):
        if not text:
            continue
        end = max(min(end, duration), floor)
        start = min(max(start, floor), end)
        floor = end
        yield start, end, text


def to_vtt(episode: Episode) -> str:
    """WebVTT: one cue per written sentence group (see `written_cues`); text escaped as the format requires."""
    lines = ["WEBVTT", ""]
    for index, (start, end, text) in enumerate(_cues(episode.chunks, episode.duration), 1):
        lines += [str(index), f"{_stamp(start, '.')} --> {_stamp(end, '.')}", _vtt_escape(text), ""]
    return "\n".join(lines)


def _vtt_escape(text: str) -> str:
    # Escaping '>' also rules out a '-->' inside a cue, which would end the cue text.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_srt(episode: Episode) -> str:
    """SubRip: one numbered cue per written sentence, as in `to_vtt`."""
    lines: list[str] = []
    for index, (start, end, text) in enumerate(_cues(episode.chunks, episode.duration), 1):
        # SRT has no escapes; an arrow in the text could be taken for a timing line.
        lines += [str(index), f"{_stamp(start, ',')} --> {_stamp(end, ',')}", text.replace("-->", "→"), ""]
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
