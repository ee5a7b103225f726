"""Read an article (txt, Markdown, HTML or stdin) into an `Article` of sections and paragraphs."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .errors import InputError

STDIN = "-"
MAX_BYTES = 64 * 1024 * 1024


@dataclass
class Section:
    """A run of paragraphs under one heading (None for the article's untitled opening)."""

    heading: str | None
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Article:
    """What was read: the metadata and the text, before any spoken-form rewriting."""

    title: str
    sections: list[Section]
    source: str
    author: str | None = None
    date: date | None = None
    description: str | None = None
    image: str | None = None
    meta: dict = field(default_factory=dict)

    @property
    def paragraphs(self) -> list[str]:
        return [p for s in self.sections for p in s.paragraphs]


def read_article(source: str | Path, *, title: str | None = None) -> Article:
    """Read, decode and parse one article; raise InputError naming the file on any problem."""
    name = "<stdin>" if str(source) == STDIN else str(source)
    raw = _read_bytes(source, name)
    text = decode(raw, name)
    meta, body = split_front_matter(text, name)
    kind = _kind(name, body)
    if kind == "html":
        from .htmltext import parse_html

        doc_title, sections = parse_html(body)
    elif kind == "md":
        from .markdown import parse_markdown

        doc_title, sections = parse_markdown(body)
    else:
        doc_title, sections = parse_text(body)
    sections = [s for s in sections if s.paragraphs or s.heading]
    if not any(s.paragraphs for s in sections):
        raise InputError("nothing to read", path=name)
    chosen = title or _meta_str(meta, "title") or doc_title or _title_from_name(name)
    return Article(
        title=_one_line(chosen),
        sections=sections,
        source=name,
        author=_meta_str(meta, "author"),
        date=_meta_date(meta.get("date"), name),
        description=_meta_str(meta, "description"),
        image=_meta_str(meta, "image"),
        meta=meta,
    )


def _read_bytes(source: str | Path, name: str) -> bytes:
    if str(source) == STDIN:
        return sys.stdin.buffer.read(MAX_BYTES + 1)
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


def decode(raw: bytes, name: str) -> str:
    """Bytes to text: BOMs first, then UTF-8, then a charset detector; binary is refused."""
    if not raw.strip():
        raise InputError("nothing to read (empty file)", path=name)
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if raw.startswith(bom):
            try:
                return _clean(raw.decode(codec))
            except UnicodeDecodeError:
                raise InputError(f"undecodable {codec} text", path=name) from None
    if b"\x00" in raw:
        raise InputError("not text (binary data)", path=name)
    try:
        return _clean(raw.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise InputError("undecodable text (unknown encoding)", path=name)
    return _clean(str(best))


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Controls other than newline and tab are never text an author meant.
    text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", text)
    if not text.strip():
        raise InputError("nothing to read (only whitespace)")
    return text


def split_front_matter(text: str, name: str) -> tuple[dict, str]:
    """YAML front matter between '---' lines at the very top; malformed YAML is an InputError."""
    match = re.match(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", text, re.S)
    if not match:
        return {}, text
    import yaml

    try:
        meta = yaml.safe_load(match.group(1) or "") or {}
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        where = f" (line {line + 2})" if line is not None else ""
        raise InputError(f"malformed front matter{where}", path=name) from None
    if not isinstance(meta, dict):
        raise InputError("front matter is not a mapping of keys", path=name)
    return {str(k).lower(): v for k, v in meta.items()}, text[match.end():]


def parse_text(body: str) -> tuple[str | None, list[Section]]:
    """Plain text: blank lines or single newlines separate paragraphs."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", body)]
    paragraphs: list[str] = []
    for block in blocks:
        for line in block.split("\n"):
            line = " ".join(line.split())
            if line:
                paragraphs.append(line)
    return None, [Section(None, paragraphs)]


def _kind(name: str, body: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in (".html", ".htm", ".xhtml"):
        return "html"
    if suffix in (".md", ".markdown"):
        return "md"
    if suffix == "" and re.match(r"\s*(<!doctype html|<html)", body, re.I):
        return "html"
    return "txt"


def _meta_str(meta: dict, key: str) -> str | None:
    value = meta.get(key)
    if value is None or isinstance(value, (dict, list)):
        return None
    value = _one_line(str(value))
    return value or None


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


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _title_from_name(name: str) -> str:
    if name == "<stdin>":
        return "Épisode"
    stem = Path(name).stem
    return re.sub(r"[-_]+", " ", stem).strip().capitalize() or "Épisode"
