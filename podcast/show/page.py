"""`index.html`: a static show page (no framework, no external request), every text escaped."""

from __future__ import annotations

import base64
import hashlib
from html import escape
from pathlib import Path
from urllib.parse import quote

from ..episode.captions import written_cues
from ..episode.chapters import episode_chapters
from ..episode.cover import Cover
from ..files import write_text
from ..types import Episode
from .feed import FEED_FILE, itunes_duration, publication_time, xml_text
from .settings import Show

PAGE_FILE = "index.html"

# Click on a chapter or a transcript line: seek that episode's player there and play.
_SCRIPT = """
document.addEventListener("click", function (event) {
  var target = event.target.closest("[data-start]");
  if (!target) return;
  var audio = target.closest("article").querySelector("audio");
  audio.currentTime = parseFloat(target.getAttribute("data-start"));
  audio.play();
});
document.querySelectorAll("audio").forEach(function (audio) {
  audio.addEventListener("timeupdate", function () {
    var now = audio.currentTime, current = null;
    audio.closest("article").querySelectorAll(".chapters [data-start]").forEach(function (b) {
      b.classList.remove("current");
      if (parseFloat(b.getAttribute("data-start")) <= now) current = b;
    });
    if (current) current.classList.add("current");
  });
});
"""

_STYLE = """
body{font:17px/1.5 system-ui,sans-serif;max-width:52rem;margin:0 auto;padding:1rem;color:#222;background:#fafafa}
header{display:flex;gap:1.5rem;align-items:center;flex-wrap:wrap}
header img{width:160px;height:160px;border-radius:8px}
article{background:#fff;border:1px solid #ddd;border-radius:8px;padding:1rem 1.25rem;margin:1.5rem 0}
article img{width:96px;height:96px;border-radius:6px;float:right;margin-left:1rem}
audio{width:100%;margin:.5rem 0}
.meta{color:#666;font-size:.9em}
.chapters{padding-left:0;list-style:none}
button[data-start],span[data-start]{cursor:pointer}
button[data-start]{background:none;border:0;padding:.15rem .3rem;font:inherit;color:#0645ad;text-align:left}
button.current{font-weight:bold}
.transcript span[data-start]:hover{background:#fff3b0}
time.at{font-variant-numeric:tabular-nums;color:#666;margin-right:.5rem}
"""


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


# Same-origin media, images and captions only; the inline style and script are allowed by hash.
CSP = (
    f"default-src 'none'; img-src 'self'; media-src 'self'; style-src {_csp_hash(_STYLE)}; "
    f"script-src {_csp_hash(_SCRIPT)}"
)


def _e(text: object) -> str:
    return escape(xml_text(str(text)), quote=True)


def _clock(seconds: float) -> str:
    stamp = itunes_duration(seconds)
    return stamp[3:] if stamp.startswith("00:") else stamp


def render_page(show: Show, episodes: list[Episode], cover: Cover | None) -> str:
    """The page's HTML: the show, then each episode (newest first) with player, chapters and transcript."""
    parts = [
        "<!doctype html>",
        f'<html lang="{_e(show.language)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">',
        f"<title>{_e(show.title)}</title>",
        f'<link rel="alternate" type="application/rss+xml" title="{_e(show.title)}" href="{FEED_FILE}">',
        f"<style>{_STYLE}</style>",
        # Without an icon link browsers ask for /favicon.ico, which does not exist.
        f'<link rel="icon" href="{_e(quote(cover.path.name)) if cover else "data:,"}">',
        "</head>",
        "<body>",
        "<header>",
    ]
    if cover:
        parts.append(f'<img src="{_e(quote(cover.path.name))}" alt="">')
    parts += [
        "<div>",
        f"<h1>{_e(show.title)}</h1>",
        f"<p>{_e(show.description)}</p>",
        f'<p class="meta">{_e(show.author)} · <a href="{FEED_FILE}">Flux RSS</a></p>',
        "</div>",
        "</header>",
        "<main>",
    ]
    for episode in episodes:
        parts.append(_episode_html(episode, show))
    if not episodes:
        parts.append("<p>Aucun épisode pour l’instant.</p>")
    parts += ["</main>", f"<script>{_SCRIPT}</script>", "</body>", "</html>", ""]
    return "\n".join(parts)


def _episode_html(episode: Episode, show: Show) -> str:
    slug = quote(episode.slug)
    out = [f'<article id="{_e(slug)}">']
    if episode.cover:
        out.append(f'<img src="{_e(quote(episode.cover))}" alt="">')
    number = f"Épisode {episode.number} · " if episode.number else ""
    published = publication_time(episode, show)  # the feed's pubDate, so page and apps agree
    out += [
        f"<h2>{_e(episode.title)}</h2>",
        f'<p class="meta">{_e(number)}<time datetime="{_e(published.isoformat())}">'
        f"{_e(published.date().isoformat())}</time>"
        f" · {_e(_clock(episode.duration))}</p>",
        f"<p>{_e(episode.description)}</p>",
        f'<audio controls preload="metadata" src="{_e(quote(episode.mp3))}">'
        f'<track kind="captions" srclang="fr" label="Français" src="{_e(quote(episode.vtt))}"></audio>',
    ]
    chapters = episode_chapters(episode)
    if chapters:
        out.append('<details open><summary>Chapitres</summary><ol class="chapters">')
        for chapter in chapters:
            out.append(
                f'<li><button type="button" data-start="{chapter.start:.3f}">'
                f'<time class="at">{_e(_clock(chapter.start))}</time>{_e(chapter.title)}</button></li>'
            )
        out.append("</ol></details>")
    out.append('<details><summary>Transcription</summary><div class="transcript">')
    # One <p> (or <h3> for a heading) per paragraph; each written sentence a span that seeks to where it is said.
    blocks: list[tuple[tuple[int, int, bool], list[str]]] = []
    for chunk, start, _, text in written_cues(episode.chunks):
        where = (chunk.section, chunk.paragraph, chunk.is_heading)
        if not blocks or blocks[-1][0] != where:
            blocks.append((where, []))
        blocks[-1][1].append(f'<span data-start="{start:.3f}">{_e(text)}</span>')
    for (_, _, is_heading), spans in blocks:
        tag = "h3" if is_heading else "p"
        out.append(f"<{tag}>{' '.join(spans)}</{tag}>")
    out.append("</div></details>")
    out.append(
        f'<p class="meta"><a href="{_e(quote(episode.mp3))}" download>MP3</a> · '
        f'<a href="{_e(quote(episode.vtt))}">VTT</a> · <a href="{_e(quote(episode.srt))}">SRT</a> · '
        f'<a href="{_e(quote(episode.chapters_file))}">chapitres</a></p>'
    )
    out.append("</article>")
    return "\n".join(out)


def write_page(folder: Path, show: Show, episodes: list[Episode], cover: Cover | None) -> Path:
    """Write `folder/index.html` atomically."""
    path = Path(folder) / PAGE_FILE
    write_text(path, render_page(show, episodes, cover))
    return path
