"""Cover art: check a given image against Apple's rules, or draw one (Pillow); a small copy for ID3."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import logging
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import InputError, OutputError
from ..files import atomic_path, write_bytes
from .typography import BREAKABLE, NO_BREAK, glue

log = logging.getLogger(__name__)

MIN_SIDE, MAX_SIDE = 1400, 3000
"""Apple Podcasts: square, 1400-3000 px, JPEG or PNG, RGB."""
SIDE = 3000
TAG_MAX_BYTES = 500 * 1024
"""APIC budget: larger pictures bloat every download and some players skip them."""
TAG_SIDE = 1400
FONT = "DejaVuSans-Bold-latin.ttf"
"""Pillow's built-in font has no accented letters; this bundled DejaVu subset does."""
MAX_DRAWN = 200
"""The most characters of a title a cover draws (longer ones end in "…"): bounds the wrap's work."""
DESIGN_VERSION = "2"
"""Part of generated covers' file names: a new design gets a new URL, which apps need to refetch."""


@dataclass(frozen=True)
class Cover:
    """A cover image ready to publish."""

    path: Path
    mime: str


def check_cover(path: str | Path) -> Cover:
    """Open `path` and verify Apple's rules; InputError names the file and what is wrong."""
    from PIL import Image, UnidentifiedImageError

    path = Path(path)
    try:
        with Image.open(path) as image:
            kind, size, mode = image.format, image.size, image.mode
    except FileNotFoundError:
        raise InputError("cover: no such file", path=path) from None
    except UnidentifiedImageError:
        raise InputError("cover: not an image Pillow can read (need JPEG or PNG)", path=path) from None
    except Image.DecompressionBombError:
        raise InputError(f"cover: far larger than {MAX_SIDE}x{MAX_SIDE} px (refused unread)", path=path) from None
    except OSError as exc:
        raise InputError(f"cover: cannot read: {exc}", path=path) from None
    if kind not in ("JPEG", "PNG"):
        raise InputError(f"cover: {kind} image; Apple Podcasts accepts only JPEG or PNG", path=path)
    width, height = size
    if width != height:
        raise InputError(f"cover: {width}x{height} is not square", path=path)
    if not MIN_SIDE <= width <= MAX_SIDE:
        raise InputError(f"cover: {width}x{height} px; must be {MIN_SIDE}-{MAX_SIDE} px square", path=path)
    if mode != "RGB":
        raise InputError(f"cover: colour mode {mode}; must be RGB (no CMYK, greyscale, palette or alpha)", path=path)
    return Cover(path, "image/jpeg" if kind == "JPEG" else "image/png")


def install_cover(source: str | Path, folder: Path, stem: str) -> Cover:
    """Check `source` and copy it to `folder/<stem>.jpg|png` (atomically); returns the copy."""
    checked = check_cover(source)
    suffix = ".jpg" if checked.mime == "image/jpeg" else ".png"
    dest = Path(folder) / f"{stem}{suffix}"
    with atomic_path(dest) as tmp:
        shutil.copyfile(checked.path, tmp)
    return Cover(dest, checked.mime)


def generated_cover(folder: Path, stem: str, show_title: str, episode_title: str | None = None) -> Cover:
    """Draw a 3000x3000 JPEG with the show (and episode) title into `folder/<stem>.jpg`."""
    dest = Path(folder) / f"{stem}.jpg"
    write_bytes(dest, cover_jpeg(show_title, episode_title))
    return Cover(dest, "image/jpeg")


@functools.lru_cache(maxsize=8)
def cover_jpeg(show_title: str, episode_title: str | None = None) -> bytes:
    """The generated cover, encoded (remembered: drawing and encoding 3000 px takes ~0.15 s)."""
    buffer = io.BytesIO()
    draw_cover(show_title, episode_title).save(buffer, "JPEG", quality=88, optimize=True, progressive=True)
    return buffer.getvalue()


def draw_ahead(covers: list[tuple[str, str | None]]) -> Callable[[], None]:
    """Draw generated covers in a background thread (while the voice speaks); returns a wait().

    Errors are left for the real call to raise, with its context.
    """

    def work() -> None:
        with contextlib.suppress(Exception):
            for show_title, episode_title in covers:
                cover_jpeg(show_title, episode_title)

    thread = threading.Thread(target=work, name="covers", daemon=True)
    thread.start()
    return thread.join


def cover_key(*parts: str) -> str:
    """A short digest of what a generated cover shows, for cache-busting file names."""
    return hashlib.sha256("\n".join((DESIGN_VERSION, *parts)).encode()).hexdigest()[:10]


def _font(size: int):
    from PIL import ImageFont

    with resources.as_file(resources.files("podcast") / "assets" / FONT) as path:
        return ImageFont.truetype(str(path), size)


def _palette(seed: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """A dark background and an accent colour picked from the show title, so every show differs."""
    import colorsys

    hue = int(hashlib.sha256(seed.encode()).hexdigest()[:4], 16) / 0xFFFF
    back = tuple(round(c * 255) for c in colorsys.hls_to_rgb(hue, 0.18, 0.55))
    accent = tuple(round(c * 255) for c in colorsys.hls_to_rgb((hue + 0.08) % 1, 0.62, 0.85))
    return back, accent  # type: ignore[return-value]


def draw_cover(show_title: str, episode_title: str | None = None):
    """The cover as a Pillow image: show title in the accent colour, episode title large in white."""
    from PIL import Image, ImageDraw

    back, accent = _palette(show_title)
    image = Image.new("RGB", (SIDE, SIDE), back)
    draw = ImageDraw.Draw(image)
    margin = 220
    width = SIDE - 2 * margin
    draw.rectangle([0, 0, SIDE, 90], fill=accent)
    draw.rectangle([0, SIDE - 90, SIDE, SIDE], fill=accent)
    if episode_title:
        show_lines, show_font = _fit(show_title, width, 600, 170, 100)
        y = _draw_lines(draw, show_lines, show_font, margin, margin, accent)
        draw.rectangle([margin, y + 50, margin + 600, y + 80], fill=accent)
        room = SIDE - margin - (y + 200)
        lines, font = _fit(episode_title, width, room, 290, 120)
        # Centred in the room left under the show title.
        top = y + 200 + (room - _block_height(lines, font)) // 2
        _draw_lines(draw, lines, font, margin, top, (255, 255, 255))
    else:
        lines, font = _fit(show_title, width, SIDE - 2 * margin, 330, 150)
        top = (SIDE - _block_height(lines, font)) // 2
        _draw_lines(draw, lines, font, margin, top, (255, 255, 255))
    return image


def _line_height(font) -> int:
    ascent, descent = font.getmetrics()
    return int((ascent + descent) * 1.12)


def _block_height(lines: list[str], font) -> int:
    return _line_height(font) * len(lines)


def _draw_lines(draw, lines: list[str], font, x: int, y: int, fill) -> int:
    for line in lines:
        draw.text((x, y), line, font=font, fill=fill)
        y += _line_height(font)
    return y


def _fit(text: str, width: int, height: int, largest: int, smallest: int) -> tuple[list[str], object]:
    """Word-wrap `text` at the largest font size that fits the box; ellipsize at the smallest."""
    text = _drawable(text)
    size = largest
    while True:
        font = _font(size)
        lines = _wrap(text, font, width)
        max_lines = max(1, height // _line_height(font))
        if len(lines) <= max_lines or size <= smallest:
            break
        size = max(smallest, int(size * 0.9))
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        last = last[: _longest_fit(last, font, width, suffix="…")]
        lines[-1] = last.rstrip() + "…"
    return lines, font


def _drawable(text: str) -> str:
    """At most MAX_DRAWN characters, one space between words, French punctuation glued to its word."""
    text = " ".join(BREAKABLE.split(text)).strip()
    if len(text) > MAX_DRAWN:
        cut = text.rfind(" ", 0, MAX_DRAWN)
        text = text[: cut if cut > MAX_DRAWN // 2 else MAX_DRAWN - 1].rstrip() + "…"
    return glue(text) or " "


def _longest_fit(text: str, font, width: int, suffix: str = "") -> int:
    """How many leading characters of `text` (with `suffix`) fit in `width`: a binary search."""
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if font.getlength(text[:middle] + suffix) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def _wrap(text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    words = text.split(" ")[::-1]
    while words:
        word = words.pop()
        glued = NO_BREAK.split(word)
        if len(glued) > 1 and font.getlength(word) > width:
            words.extend(glued[::-1])  # words held together that fit no line: wrap them one by one
            continue
        candidate = f"{current} {word}".strip()
        if font.getlength(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        # A single word wider than the line is cut (URLs, long compounds).
        while font.getlength(word) > width:
            cut = max(1, _longest_fit(word, font, width))
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


def tag_picture(cover: Cover) -> tuple[bytes, str]:
    """(image bytes, mime) for the APIC frame: the file itself if small, else a smaller JPEG."""
    from PIL import Image

    try:
        data = cover.path.read_bytes()
    except OSError as exc:
        raise OutputError(f"cannot read the cover: {exc.strerror or exc}", path=cover.path) from None
    if len(data) <= TAG_MAX_BYTES:
        return data, cover.mime
    with Image.open(io.BytesIO(data)) as image:
        small = image.convert("RGB").resize((TAG_SIDE, TAG_SIDE), Image.Resampling.LANCZOS)
    for quality in (88, 80, 70, 60, 50, 40):
        out = io.BytesIO()
        small.save(out, "JPEG", quality=quality, optimize=True)
        if out.tell() <= TAG_MAX_BYTES:
            break
        if quality == 50:
            small = small.resize((1000, 1000), Image.Resampling.LANCZOS)
    log.debug("cover for the ID3 tag re-encoded: %d -> %d bytes", len(data), out.tell())
    return out.getvalue(), "image/jpeg"


def episode_cover(source: str | Path | None, folder: Path, slug: str, show_title: str, title: str) -> Cover:
    """The episode's cover beside its MP3: the given image (checked) or a generated one."""
    folder = Path(folder)
    cover = install_cover(source, folder, slug) if source else generated_cover(folder, slug, show_title, title)
    for suffix in (".jpg", ".png"):  # a previous render may have left the other format
        stale = folder / f"{slug}{suffix}"
        if stale != cover.path and stale.exists():
            stale.unlink()
    return cover


def generated_show_cover(folder: Path, show_title: str) -> Path:
    """Where the drawn channel cover lives: its name changes with what it shows."""
    return Path(folder) / f"show.{cover_key(show_title)}.jpg"


def show_cover(source: str | Path | None, folder: Path, show_title: str) -> Cover:
    """The channel's cover in `folder`: `show.<digest>.jpg|png`, a new name whenever the image changes."""
    folder = Path(folder)
    if source:
        checked = check_cover(source)
        digest = hashlib.sha256(checked.path.read_bytes()).hexdigest()[:10]
        suffix = ".jpg" if checked.mime == "image/jpeg" else ".png"
        dest = folder / f"show.{digest}{suffix}"
        if not dest.exists():
            with atomic_path(dest) as tmp:
                shutil.copyfile(checked.path, tmp)
        cover = Cover(dest, checked.mime)
    else:
        dest = generated_show_cover(folder, show_title)
        cover = Cover(dest, "image/jpeg") if dest.exists() else generated_cover(folder, dest.stem, show_title)
    for old in folder.glob("show.*.*"):
        if old != cover.path and old.suffix in (".jpg", ".png") and len(old.stem) == 15:
            old.unlink()
    return cover
