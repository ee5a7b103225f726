"""The show folder as podcast apps and browsers see it: feed.xml and index.html, rebuilt together."""

from __future__ import annotations

from pathlib import Path

from ..episode.cover import show_cover
from ..episode.manifest import load_episodes
from ..errors import InputError
from ..files import folder_lock, write_bytes
from .feed import FEED_FILE, NO_BASE_URL, build_feed
from .page import write_page
from .settings import Show


def write_site(folder: str | Path, show: Show) -> list[str]:
    """Rebuild feed.xml and index.html from every manifest in `folder`; returns warnings for the user."""
    # Locked: of two renders publishing into one folder at once, the last sees both manifests.
    with folder_lock(folder):
        return _write_site(Path(folder), show)


def _write_site(folder: Path, show: Show) -> list[str]:
    warnings: list[str] = []
    if not folder.is_dir():
        raise InputError("no such folder", path=folder)
    episodes = []
    for episode in load_episodes(folder):
        if (folder / episode.mp3).exists():
            episodes.append(episode)
        else:
            warnings.append(f"{episode.slug}.json: {episode.mp3} is missing; episode left out of the feed")
    if not episodes:
        warnings.append(f"{folder}: no rendered episode (no <slug>.json manifest); the feed is empty")
    if not show.base_url:
        warnings.append(NO_BASE_URL)
    elif show.email.endswith("@example.com"):  # only worth saying once the feed is meant for hosts
        warnings.append("the owner e-mail is a placeholder (podcast.toml 'email'): hosts verify ownership with it")
    cover = show_cover(show.cover, folder, show.title)
    write_bytes(folder / FEED_FILE, build_feed(episodes, show, cover, folder))
    write_page(folder, show, list(reversed(episodes)), cover)
    return warnings
