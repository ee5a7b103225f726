"""Read an article (txt, Markdown, HTML or stdin) into an `Article` of sections and paragraphs."""

from __future__ import annotations

import functools
import logging
import re
import sys
from datetime import date, datetime
from pathlib import Path

from ..errors import InputError
from ..types import Article, Section

log = logging.getLogger(__name__)

STDIN = "-"
MAX_BYTES = 16 * 1024 * 1024
"""The largest article read (any kind, stdin included): a long book is 1-4 MB."""
MAX_HTML_CHARS = 4 * 1024 * 1024
"""The largest HTML page parsed: its tree and the extraction cost ~50x its size in memory."""
MAX_PARAGRAPHS = 50_000
"""Paragraphs in one article (a long novel has about 15,000): the front end's cost grows with them."""
MAX_FRONT_MATTER = 64 * 1024
"""Characters of YAML front matter: a few keys need a few hundred."""
MAX_TITLE = 200
"""Characters kept of an episode title (ID3, feed, page; longer ones are cut at a word and end in "…")."""
MAX_AUTHOR = 200
MAX_DESCRIPTION = 4000
"""Apple Podcasts' limit for a description."""


KINDS = ("txt", "md", "html")


def read_article(source: str | Path, *, title: str | None = None) -> Article:
    """Read, decode and parse one article; raise InputError naming the file on any problem."""
    name = "<stdin>" if str(source) == STDIN else str(source)
    raw = _read_bytes(source, name)
    return parse_article(decode(raw, name), name=name, title=title)


def parse_article(text: str, *, name: str = "<text>", kind: str | None = None, title: str | None = None) -> Article:
    """Parse an article held in memory: `kind` is txt, md or html (guessed from `name` and the text
    when None); `name` is what error messages and the manifest call it."""
    if kind is not None and kind not in KINDS:
        raise InputError(f"unknown article kind {kind!r} (txt, md or html)", path=name)
    text = _clean(text, name)  # idempotent: files were cleaned as they were decoded
    if len(text) > MAX_BYTES:
        raise InputError(f"too large (over {MAX_BYTES // (1024 * 1024)} MB of text)", path=name)
    if kind is None:
        kind = _kind(name, text)
    if kind == "html" and len(text) > MAX_HTML_CHARS:
        raise InputError(f"too large (an HTML page over {MAX_HTML_CHARS // (1024 * 1024)} MB)", path=name)
    meta, body = split_front_matter(text, name) if kind != "html" else ({}, text)
    first_line: str | None = None
    if kind == "html":
        from .html import read_html

        try:
            page = read_html(body, max_blocks=MAX_PARAGRAPHS)
        except InputError as exc:
            raise InputError(str(exc), path=name) from None
        doc_title, sections = page.title, page.sections
        # The page's own <meta> and JSON-LD fill what front matter would.
        meta = {**page.meta, **meta}
    elif kind == "md":
        from .markdown import parse_markdown

        doc_title, sections = parse_markdown(body)
    else:
        doc_title, sections = parse_text(body)
        first_line = doc_title
    chosen = _collapse_spaces(title or "") or _meta_str(meta, "title", MAX_BYTES) or doc_title or _title_from_name(name)
    if first_line and not _same(first_line, chosen):
        # A short first line is the title only when nothing better names the article.
        sections[0].paragraphs.insert(0, first_line)
    sections = [s for s in sections if s.paragraphs or s.heading]
    if not any(s.paragraphs for s in sections):
        raise InputError("nothing to read (no paragraph of text)", path=name)
    paragraphs = sum(len(s.paragraphs) for s in sections)
    if paragraphs > MAX_PARAGRAPHS:
        raise InputError(
            f"too many paragraphs ({paragraphs:,}; at most {MAX_PARAGRAPHS:,} in one article): split it", path=name
        )
    return Article(
        title=shorten(chosen, MAX_TITLE) or _title_from_name(name),
        sections=sections,
        source=name,
        author=_meta_str(meta, "author", MAX_AUTHOR),
        date=_meta_date(meta.get("date"), name),
        description=_meta_str(meta, "description", MAX_DESCRIPTION),
        image=_meta_str(meta, "image", MAX_DESCRIPTION),
        meta=meta,
    )


def _read_bytes(source: str | Path, name: str) -> bytes:
    if str(source) == STDIN:
        raw = _read_stdin(name)
        if len(raw) > MAX_BYTES:
            raise InputError(f"too large (over {MAX_BYTES // (1024 * 1024)} MB)", path=name)
        return raw
    path = Path(source)
    try:
        if path.is_dir():
            raise InputError("is a directory, not an article", path=name)
        with open(path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError("no such file", path=name) from None
    except PermissionError:
        raise InputError("permission denied", path=name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=name) from None
    if len(raw) > MAX_BYTES:
        raise InputError(f"too large (over {MAX_BYTES // (1024 * 1024)} MB)", path=name)
    return raw


def _read_stdin(name: str) -> bytes:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # started with stdin closed (`<&-`)
        raise InputError("stdin is closed; give a file, or pipe the article in", path=name)
    try:
        return stream.read(MAX_BYTES + 1)
    except (OSError, ValueError) as exc:  # a closed or unreadable descriptor
        raise InputError(f"cannot read: {getattr(exc, 'strerror', None) or exc}", path=name) from None


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# Bytes that never occur in text: C0 controls other than tab, newlines and form feed.
_BINARY_BYTES = bytes(range(0, 9)) + bytes(range(14, 27)) + bytes(range(28, 32))


def decode(raw: bytes, name: str) -> str:
    """Bytes to text: a BOM, else UTF-8, else what charset-normalizer finds; binary is refused."""
    if not raw.strip():
        raise InputError("nothing to read (empty file)", path=name)
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return _clean(raw.decode(codec), name)
            except UnicodeDecodeError:
                raise InputError(
                    f"undecodable {codec.upper()} text (broken bytes after the byte-order mark)", path=name
                ) from None
    utf16 = _utf16_without_bom(raw)
    if utf16 is not None:
        return _clean(utf16, name)
    if _looks_binary(raw):
        raise InputError("not text (binary data)", path=name)
    try:
        return _clean(raw.decode("utf-8"), name)
    except UnicodeDecodeError as exc:
        bad = exc.start
    repaired = _mostly_utf8(raw)
    if repaired is None:
        repaired = _french_cp1252(raw)
    if repaired is not None:
        return _clean(repaired, name)
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=None).best()
    if best is None:
        line = raw.count(b"\n", 0, bad) + 1
        raise InputError(
            f"undecodable text (neither UTF-8, which breaks at byte {bad}, line {line}, "
            "nor a known single-byte encoding)",
            path=name,
        )
    encoding = best.encoding
    # For French, Windows-1252 is the legacy encoding; its near twins (Latin-1, -15, Mac Roman)
    # are told apart from it by a handful of bytes, so prefer it whenever it decodes.
    if encoding in ("latin_1", "iso8859_15", "cp1250", "cp1257", "cp1254", "mac_roman", "iso8859_9"):
        try:
            return _clean(raw.decode("cp1252"), name)
        except UnicodeDecodeError:
            pass
    log.debug("%s: decoded as %s", name, encoding)
    return _clean(str(best), name)


_STRAY = re.compile("[\udc80-\udcff]+")
_FRENCH_CP1252 = set("àâäçèéêëîïôöùûüœæÀÂÄÇÈÉÊËÎÏÔÖÙÛÜŒÆ’‘“”«»€–—…°")


def _mostly_utf8(raw: bytes) -> str | None:
    """UTF-8 text with a few bad bytes (a stray Windows-1252 "é" pasted in, a cut sequence): the
    rest stays UTF-8, and each bad byte is read as Windows-1252 if that makes a French letter or
    mark, else dropped (the lead byte of a cut sequence). None when the bad bytes outnumber the
    good non-ASCII characters (a legacy file, for charset detection)."""
    text = raw.decode("utf-8", errors="surrogateescape")
    bad = sum(len(m) for m in _STRAY.findall(text))
    good = sum(1 for c in text if c > "\x7f") - bad
    if good < bad and bad > 3:
        return None

    def letter(m: re.Match[str]) -> str:
        as_cp1252 = bytes(ord(c) - 0xDC00 for c in m.group(0)).decode("cp1252", errors="ignore")
        return "".join(c for c in as_cp1252 if c in _FRENCH_CP1252)

    return _STRAY.sub(letter, text)


def _french_cp1252(raw: bytes) -> str | None:
    """Windows-1252 when nearly all its non-ASCII characters are French letters and marks
    (charset detection can take a short French file for Mac Central European)."""
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return None
    others = [c for c in text if c > "\x7f"]
    french = sum(1 for c in others if c in _FRENCH_CP1252)
    return text if others and french >= 0.9 * len(others) else None


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 text saved without a BOM (some Windows tools): Latin letters leave every other byte NUL."""
    sample = raw[:8192]
    if len(raw) % 2 or len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.4 * half and even < 0.05 * half:
        codec = "utf-16-le"
    elif even > 0.4 * half and odd < 0.05 * half:
        codec = "utf-16-be"
    else:
        return None
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError:
        return None
    return text if re.search(r"[^\W\d_]", text) else None


def _looks_binary(raw: bytes) -> bool:
    sample = raw[:8192]
    if b"\x00" in sample:
        return True
    # Terminal escape sequences are text that went through a terminal, not binary.
    sample = re.sub(_ESCAPES.pattern.encode("latin-1"), b"", sample)
    controls = sum(sample.count(b) for b in _BINARY_BYTES)
    return controls > max(2, len(sample) // 100)


def _clean(text: str, name: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    # Terminal escape sequences ("\x1b[31m") go whole: their parameters are not words to read.
    text = _ESCAPES.sub("", text)
    # Controls other than newline and tab are never text an author meant; nor is a stray BOM.
    text = _CONTROLS.sub("", text)
    if not text.strip():
        raise InputError("nothing to read (only whitespace)", path=name)
    return text


_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC: window title, links
    r"|\x1b[ -/]*[0-~]"  # two-character escapes
)
# Controls other than newline and tab, a stray BOM, and the bidirectional overrides and isolates
# (they make a terminal or a page show text in another order than it is stored).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\u202a-\u202e\u2066-\u2069]")


def split_front_matter(text: str, name: str) -> tuple[dict, str]:
    """YAML front matter between '---' lines at the very top; malformed YAML is an InputError.

    Aliases are refused (a few hundred bytes of nested aliases expand to gigabytes), and so
    is front matter over MAX_FRONT_MATTER characters.
    """
    match = re.match(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", text, re.S)
    if not match:
        return {}, text
    if len(match.group(1) or "") > MAX_FRONT_MATTER:
        raise InputError(f"front matter too long (over {MAX_FRONT_MATTER // 1024} KB)", path=name)
    import yaml

    try:
        meta = yaml.load(match.group(1) or "", Loader=_no_alias_loader()) or {}
    except _AliasRefused as exc:
        raise InputError(f"front matter uses a YAML alias (*name){exc}; write the value itself", path=name) from None
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        where = f" (line {line + 2})" if line is not None else ""
        raise InputError(f"malformed front matter{where}", path=name) from None
    except (RecursionError, ValueError, OverflowError) as exc:  # absurd nesting or numbers
        raise InputError(f"malformed front matter ({type(exc).__name__})", path=name) from None
    if not isinstance(meta, dict):
        raise InputError("front matter is not a mapping of keys", path=name)
    meta = {str(k).lower(): v for k, v in meta.items()}
    for key in _TEXT_KEYS:
        if isinstance(meta.get(key), (dict, list, set, tuple)):
            raise InputError(f"front matter {key!r} must be a single value, not a list or mapping", path=name)
    return meta, text[match.end() :]


_TEXT_KEYS = ("title", "author", "date", "description", "image")
"""Front-matter keys read as one value (others, such as tags, may be lists)."""


class _AliasRefused(Exception):
    pass


@functools.cache
def _no_alias_loader() -> type:
    import yaml

    class Loader(yaml.SafeLoader):
        """SafeLoader without aliases: each value is written out where it is used."""

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                mark = self.peek_event().start_mark
                raise _AliasRefused(f" on line {mark.line + 2}")
            return super().compose_node(parent, index)

    return Loader


_TERMINAL = ".!?…:;,"
_BULLET = re.compile(r"^\s*(?:[-*•–—+]|\d{1,3}[.)])\s+")
_MAX_TITLE = 80


def parse_text(body: str) -> tuple[str | None, list[Section]]:
    """Plain text: paragraphs, short lone lines as headings, and a short first line as the title.

    Lines are paragraphs when each ends a sentence (the seed's style); a line that stops
    mid-sentence is a hard wrap and is joined to the next.
    """
    blocks = [b for b in (_block_lines(b) for b in re.split(r"\n[ \t]*\n", body)) if b]
    title: str | None = None
    if blocks and _is_title_line(blocks[0][0]) and (len(blocks[0]) > 1 or len(blocks) > 1):
        title = blocks[0][0]
        blocks[0] = blocks[0][1:]
        blocks = [b for b in blocks if b]
    sections = [Section(None, [])]
    for index, lines in enumerate(blocks):
        if (
            len(lines) == 1
            and index + 1 < len(blocks)
            and _is_title_line(lines[0])
            and (index > 0 or title is not None or sections[-1].paragraphs)
        ):
            sections.append(Section(lines[0], []))
            continue
        sections[-1].paragraphs.extend(_paragraphs(lines))
    return title, sections


def _block_lines(block: str) -> list[str]:
    return [" ".join(line.split()) for line in block.split("\n") if line.strip()]


def _paragraphs(lines: list[str]) -> list[str]:
    out: list[str] = []
    joining = False
    for line in lines:
        bullet = _BULLET.match(line)
        if bullet:
            line = line[bullet.end() :]
        if joining and not bullet and out:
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        joining = not _ends_sentence(line) and not bullet
    return [p for p in out if p]


def _ends_sentence(line: str) -> bool:
    return line.rstrip("»”\"')’ ")[-1:] in ".!?…:;" or line[-1:] in '»”")'


def _is_title_line(line: str) -> bool:
    core = line.rstrip("»”\"')’ ")
    return (
        0 < len(line) <= _MAX_TITLE
        and core[-1:] not in _TERMINAL
        and not _BULLET.match(line)
        and any(c.isalpha() for c in line)
    )


def _kind(name: str, body: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in (".html", ".htm", ".xhtml"):
        return "html"
    if suffix in (".md", ".markdown"):
        return "md"
    if suffix == ".txt":
        return "txt"
    # stdin or an unknown suffix: look at the text.
    if re.match(r"\s*(?:<!doctype html|<html|<head|<body|<article)", body, re.I):
        return "html"
    if re.search(r"^#{1,6} \S|^```|\]\([^)\s]+\)", body, re.M):
        return "md"
    return "txt"


def _same(a: str, b: str) -> bool:
    return a.casefold().strip(" .") == b.casefold().strip(" .")


def _meta_str(meta: dict, key: str, limit: int) -> str | None:
    value = meta.get(key)
    if value is None or isinstance(value, (dict, list)):
        return None
    return shorten(str(value), limit) or None


def shorten(text: str, limit: int) -> str:
    """One line, without control characters, at most `limit` characters (cut at a word, then "…")."""
    text = _collapse_spaces(_CONTROLS.sub("", _ESCAPES.sub("", text)))
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit - 1].rstrip() + "…"


def _meta_date(value: object, name: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise InputError(f"front matter 'date' is not a date (YYYY-MM-DD): {str(value)[:40]!r}", path=name) from None


def _collapse_spaces(text: str) -> str:
    return " ".join(text.split())


def _title_from_name(name: str) -> str:
    if name == "<stdin>":
        return "Épisode"
    stem = Path(name).stem
    return re.sub(r"[-_]+", " ", stem).strip().capitalize() or "Épisode"
