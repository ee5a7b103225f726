"""ID3 tags through mutagen; every mutagen call goes through here and fails as OutputError.

ID3v2.3, not v2.4: Apple Podcasts, iTunes, Windows and many car stereos and older players read
only v2.3 reliably (v2.4's UTF-8 frames and synchsafe frame sizes trip them up). CHAP/CTOC
(the ID3 chapter addendum) is defined for both versions, so v2.3 loses nothing we write.
Text is UTF-16 (the only Unicode encoding v2.3 has); mutagen converts TDRC to TYER/TDAT, and we
write TIME ourselves: mutagen skips it when the hour or the minute is 0 (21:00, 00:30).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import OutputError

if TYPE_CHECKING:
    from ..types import Episode
    from .chapters import Chapter

ID3_VERSION = 3
TOC_ID = "toc"


def write_tags(
    mp3: Path,
    episode: Episode,
    *,
    chapters: Sequence[Chapter] = (),
    transcript: str = "",
    picture: tuple[bytes, str] | None = None,
    copyright: str = "",
    language: str = "fra",
) -> None:
    """Write the episode's ID3v2.3 tags: text frames, transcript, cover, chapters and their table."""
    from mutagen import MutagenError
    from mutagen.id3 import (
        APIC,
        CHAP,
        COMM,
        CTOC,
        ID3,
        TALB,
        TCON,
        TCOP,
        TDRC,
        TIME,
        TIT2,
        TLAN,
        TPE1,
        TPE2,
        TRCK,
        TXXX,
        USLT,
        CTOCFlags,
        ID3NoHeaderError,
        PictureType,
    )

    enc = 1  # UTF-16 with BOM: v2.3 has no UTF-8
    try:
        try:
            tags = ID3(mp3)
        except ID3NoHeaderError:
            tags = ID3()
        tags.add(TIT2(encoding=enc, text=episode.title))
        tags.add(TPE1(encoding=enc, text=episode.author))
        tags.add(TPE2(encoding=enc, text=episode.show))
        tags.add(TALB(encoding=enc, text=episode.show))
        tags.add(TCON(encoding=enc, text="Podcast"))
        tags.add(TLAN(encoding=enc, text=language))
        if episode.number:
            tags.add(TRCK(encoding=enc, text=str(episode.number)))
        if episode.date:
            # Date and local time as recorded (ID3 timestamps have no zone); v2.3 keeps them to the minute.
            tags.add(TDRC(encoding=enc, text=episode.date[:19]))
            clock = re.match(r"\d{4}-\d{2}-\d{2}[T ](\d{2}):(\d{2})", episode.date)
            if clock:
                tags.add(TIME(encoding=enc, text=clock[1] + clock[2]))
        if episode.description:
            tags.add(COMM(encoding=enc, lang=language, desc="", text=episode.description))
        if copyright:
            tags.add(TCOP(encoding=enc, text=copyright))
        if transcript:
            tags.add(USLT(encoding=enc, lang=language, desc="", text=transcript))
        if picture:
            data, mime = picture
            tags.add(APIC(encoding=enc, mime=mime, type=PictureType.COVER_FRONT, desc="Cover", data=data))
        tags.add(TXXX(encoding=enc, desc="podcast:engine", text=episode.engine))
        tags.add(TXXX(encoding=enc, desc="podcast:voice", text=episode.voice))
        tags.delall("CHAP")
        tags.delall("CTOC")
        ids = []
        for index, chapter in enumerate(chapters):
            element_id = f"chp{index}"
            ids.append(element_id)
            tags.add(
                CHAP(
                    element_id=element_id,
                    start_time=round(chapter.start * 1000),
                    end_time=round(chapter.end * 1000),
                    sub_frames=[TIT2(encoding=enc, text=chapter.title)],
                )
            )
        if len(ids) > 255:
            # A CTOC counts its children in one byte: a book's chapters go in nested tables of 255.
            groups = [ids[i : i + 255] for i in range(0, len(ids), 255)]
            ids = [f"{TOC_ID}{n}" for n in range(len(groups))]
            for element_id, group in zip(ids, groups):
                tags.add(CTOC(element_id=element_id, flags=CTOCFlags.ORDERED, child_element_ids=group))
        if ids:
            tags.add(
                CTOC(
                    element_id=TOC_ID,
                    flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                    child_element_ids=ids,
                    sub_frames=[TIT2(encoding=enc, text=episode.title)],
                )
            )
        # save(v2_version=3) alone would still write v2.4-only frames (TDRC): convert them first.
        tags.update_to_v23()
        tags.save(mp3, v2_version=ID3_VERSION)
        if chapters:
            _chapters_in_time_order(mp3)
    except (MutagenError, OSError) as exc:
        raise OutputError(f"cannot write ID3 tags: {exc}", path=mp3) from exc


def _chapters_in_time_order(mp3: Path) -> None:
    """Put the CHAP frames in time order, in place (same frames, same tag size).

    mutagen writes frames shortest first; ffmpeg lists chapters in frame order, so a host that
    transcodes (`ffmpeg -i x.mp3 x.m4a`) gets them scrambled. The chapter addendum sets no order.
    """
    with open(mp3, "r+b") as fh:
        header = fh.read(10)
        # mutagen writes v2.3 without unsynchronisation or an extended header; leave anything else alone.
        if len(header) < 10 or header[:4] != b"ID3\x03" or header[5] & 0xC0:
            return
        size = 0
        for byte in header[6:10]:
            size = (size << 7) | (byte & 0x7F)
        body = fh.read(size)
        frames: list[bytes] = []
        pos = 0
        while pos + 10 <= len(body) and body[pos] != 0:  # padding (zeros) ends the frames
            end = pos + 10 + int.from_bytes(body[pos + 4 : pos + 8], "big")  # v2.3 sizes are plain integers
            if end > len(body):
                return
            frames.append(body[pos:end])
            pos = end
        chaps = iter(sorted((f for f in frames if f[:4] == b"CHAP"), key=_chap_start))
        ordered = b"".join(next(chaps) if f[:4] == b"CHAP" else f for f in frames)
        if ordered != body[:pos]:
            fh.seek(10)
            fh.write(ordered)


def _chap_start(frame: bytes) -> tuple[int, int]:
    """(start ms, order of the element id) of a raw v2.3 CHAP frame."""
    id_end = frame.index(b"\0", 10)
    digits = frame[10:id_end].lstrip(b"chp")
    return int.from_bytes(frame[id_end + 1 : id_end + 5], "big"), int(digits) if digits.isdigit() else 0


def tag_episode(mp3: Path, episode: Episode, *, cover=None, copyright: str = "") -> None:
    """All of an episode's tags from its measured chunks: chapters, transcript, cover picture."""
    from .captions import plain_text
    from .chapters import episode_chapters
    from .cover import tag_picture

    write_tags(
        mp3,
        episode,
        chapters=episode_chapters(episode),
        transcript=plain_text(episode),
        picture=tag_picture(cover) if cover else None,
        copyright=copyright,
    )
