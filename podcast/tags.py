"""ID3 tags through mutagen; every mutagen call goes through here and fails as OutputError."""

from __future__ import annotations

from pathlib import Path

from .errors import OutputError


def write_tags(mp3: Path, *, title: str, author: str, show: str, date: str | None, description: str | None,
               engine: str, voice: str, language: str = "fra") -> None:
    """Write the episode's ID3v2.3 tags (v2.3: read by every player, old car stereos included)."""
    from mutagen.id3 import COMM, ID3, TALB, TCON, TDRC, TIT2, TLAN, TPE1, TXXX, ID3NoHeaderError
    from mutagen import MutagenError

    try:
        try:
            tags = ID3(mp3)
        except ID3NoHeaderError:
            tags = ID3()
        tags.add(TIT2(encoding=3, text=title))
        tags.add(TPE1(encoding=3, text=author))
        tags.add(TALB(encoding=3, text=show))
        tags.add(TCON(encoding=3, text="Podcast"))
        tags.add(TLAN(encoding=3, text=language))
        if date:
            tags.add(TDRC(encoding=3, text=date))
        if description:
            tags.add(COMM(encoding=3, lang=language, desc="", text=description))
        tags.add(TXXX(encoding=3, desc="podcast:engine", text=engine))
        tags.add(TXXX(encoding=3, desc="podcast:voice", text=voice))
        tags.save(mp3, v2_version=3)
    except (MutagenError, OSError) as exc:
        raise OutputError(f"cannot write ID3 tags: {exc}", path=mp3) from exc
