"""The finished episode and the files beside its MP3: transcripts, chapters, and the manifest."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import re
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from ..errors import InputError
from ..files import SLUG_MAX, FileGroup, file_group, finish_commits, title_hash
from ..types import Episode

log = logging.getLogger(__name__)


EPISODE_NAMESPACE = uuid.UUID("5b4f0b8e-5d0c-5c2e-9a43-2f1d3c6f7a10")
"""Fixed namespace for episode guids: uuid5(this, slug) is the same on every machine and re-render."""


def file_digest(path: Path) -> tuple[int, str]:
    """(byte size, sha256 hex) read in blocks."""
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
            size += len(block)
    return size, h.hexdigest()


def is_manifest_name(path: Path) -> bool:
    """`<slug>.json`, not `<slug>.chapters.json` (slugs never contain dots)."""
    return path.suffix == ".json" and "." not in path.stem


def read_manifest(path: Path) -> Episode | None:
    """The episode a manifest describes; None for JSON files that are not manifests."""
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:  # RecursionError: absurd nesting
        raise InputError(f"unreadable episode manifest: {exc}", path=path) from None
    if not isinstance(data, dict) or "manifest_version" not in data:
        return None
    try:
        episode = Episode.from_json(json.dumps(data))
    except (TypeError, ValueError) as exc:
        raise InputError(f"malformed episode manifest: {exc}", path=path) from None
    _check(episode, path)
    return episode


_SAFE_NAME = re.compile(r"[a-z0-9][a-z0-9-]*(\.[a-z0-9]+)*")


def _check(episode: Episode, path: Path) -> None:
    """A manifest names files beside it and numbers for the feed; refuse anything else (hand-edited, tampered)."""

    def bad(key: str, problem: str) -> InputError:
        return InputError(f"episode manifest key {key!r} {problem}", path=path)

    if not isinstance(episode.slug, str) or not re.fullmatch(r"[a-z0-9-]+", episode.slug):
        raise bad("slug", "must be a file-safe slug (a-z, 0-9, -)")
    for key in ("mp3", "cover"):
        value = getattr(episode, key)
        if not isinstance(value, str) or (value and not _SAFE_NAME.fullmatch(value)):
            raise bad(key, "must be a plain file name beside the manifest")
    for key in ("duration", "size", "number"):
        value = getattr(episode, key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < float("inf"):
            raise bad(key, "must be a non-negative number")
    for key in ("title", "date", "guid", "author", "show", "description"):
        if not isinstance(getattr(episode, key), str):
            raise bad(key, "must be a string")
    for chunk in episode.chunks:
        if not isinstance(chunk.text, str) or not isinstance(chunk.written, (str, type(None))):
            raise bad("chunks", "must hold text strings")


def load_episodes(folder: Path) -> list[Episode]:
    """Every episode whose manifest is in `folder`, oldest first (date, then number).

    A publish a killed render left half done is finished first (see `FileGroup.commit`).
    """
    finish_commits(folder)
    episodes = []
    for path in sorted(Path(folder).glob("*.json")):
        if not is_manifest_name(path):
            continue
        episode = read_manifest(path)
        if episode is not None:
            episodes.append(episode)
    return sorted(episodes, key=lambda e: (e.date, e.number, e.slug))


def source_name(source: str | Path) -> str:
    """What a manifest records of an article's source: its file name, never the folders above it.

    A web page keeps its whole address (it is public, and it is what tells two pages apart),
    without a user:password@ or #fragment.
    """
    text = str(source)
    if text.startswith("<"):  # <stdin>, <text>: not a path
        return text
    if _is_web(text):
        parts = urlsplit(text)
        return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, parts.query, ""))
    return re.split(r"[\\/]", text.rstrip("\\/"))[-1]


def _is_web(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def _other_page(previous: Episode, source: str) -> bool:
    """Two web pages at different addresses: different articles, even under one title (a daily show)."""
    before = previous.source or ""
    return _is_web(source) and _is_web(before) and source_name(source) != source_name(before)


def _same_page(previous: Episode, source: str) -> bool:
    """One web page rendered again: the same article, even with its headline edited."""
    return _is_web(source) and source_name(source) == source_name(previous.source or "")


def _same_article(previous: Episode, title: str, source: str) -> bool:
    """A re-render of the article behind `previous`: the same title, or the same source file.

    Not when both came from web pages at different addresses ("Le journal", every day).
    """
    if _other_page(previous, source):
        return False
    if previous.title == title:
        return True
    name = source_name(source)
    return bool(name) and not name.startswith("<") and source_name(previous.source or "") == name


def claim_slug(folder: Path, slug: str, title: str, source: str) -> str:
    """The slug an article publishes under: its own episode's if it has one, else a free one.

    Re-rendering an article (same title, or same source file) replaces its episode, keeping
    guid and number. A different article whose title gives the same slug (a shared prefix past
    the length limit, titles differing only in punctuation) gets `<slug>-<title hash>` instead
    of overwriting it. Call under the folder's lock, so two renders cannot claim one slug.
    """
    folder = Path(folder)
    owners: dict[str, Episode | None] = {}

    def owner(candidate: str) -> Episode | None:
        if candidate not in owners:
            path = folder / f"{candidate}.json"
            try:
                owners[candidate] = read_manifest(path) if path.exists() else None
            except InputError:  # a damaged manifest: carry_over warns and starts it afresh
                owners[candidate] = None
        return owners[candidate]

    previous = owner(slug)
    if previous is not None and _same_article(previous, title, source):
        return slug
    # The same title (or web page) published under an older slug rule, or moved aside, keeps its slug.
    for path in sorted(folder.glob("*.json")):
        if is_manifest_name(path) and path.stem != slug:
            episode = owner(path.stem)
            if episode is not None and (
                _same_page(episode, source) or (episode.title == title and not _other_page(episode, source))
            ):
                return path.stem
    if previous is None:
        return slug
    stem = slug[: SLUG_MAX - 7].rstrip("-")
    for attempt in range(100):
        suffix = title_hash(title if not attempt else f"{title}\0{attempt}")
        candidate = f"{stem}-{suffix}"
        taken = owner(candidate)
        if taken is None or _same_article(taken, title, source):
            return candidate
    raise InputError(f"no free file name for the episode {slug!r}", path=folder)  # pragma: no cover


def previous_episode(folder: Path, slug: str, title: str, source: str) -> Episode | None:
    """The published episode this article would replace (for keeping its voice), if any."""
    claimed = claim_slug(folder, slug, title, source)
    path = Path(folder) / f"{claimed}.json"
    try:
        return read_manifest(path) if path.exists() else None
    except InputError:
        return None


def carry_over(episode: Episode, folder: Path, *, keep_date: bool) -> Episode:
    """`episode` with the guid, number (and date when the article gives none) of a previous render
    of its slug, or new ones."""
    previous_path = episode.manifest_path(folder)
    previous = None
    if previous_path.exists():
        try:
            previous = read_manifest(previous_path)
        except InputError as exc:
            log.warning("%s; starting it afresh", exc)
    guid, number, date = episode.guid, episode.number, episode.date
    if previous is not None:
        guid, number = previous.guid or guid, previous.number or number
        if keep_date and previous.date:
            date = previous.date
    if not number:
        numbers = []
        for path in Path(folder).glob("*.json"):
            if is_manifest_name(path) and path != previous_path:
                try:
                    other = read_manifest(path)
                except InputError:
                    continue
                if other is not None:
                    numbers.append(other.number)
        number = max(numbers, default=0) + 1
    guid = guid or str(uuid.uuid5(EPISODE_NAMESPACE, episode.slug))
    return dataclasses.replace(episode, guid=guid, number=number, date=date)


def write_sidecars(episode: Episode, folder: Path, group: FileGroup | None = None) -> list[Path]:
    """Captions (VTT, SRT) and chapters, then the manifest last, so a manifest points at complete files.

    Given the `group` that holds the episode's MP3, they are published with it, in one step.
    """
    from .captions import to_srt, to_vtt
    from .chapters import chapters_json, episode_chapters

    folder = Path(folder)
    files = [
        (folder / episode.vtt, to_vtt(episode)),
        (folder / episode.srt, to_srt(episode)),
        (folder / episode.chapters_file, chapters_json(episode, episode_chapters(episode))),
        (episode.manifest_path(folder), episode.to_json() + "\n"),
    ]
    with contextlib.nullcontext(group) if group is not None else file_group(episode.manifest_path(folder)) as into:
        for path, text in files:
            into.write_text(path, text)
    return [path for path, _ in files]
