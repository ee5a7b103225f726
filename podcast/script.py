"""Article -> Script: sentences packed into chunks that fit the engine, each with its pause."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .article import Article
from .french import normalize


@dataclass(frozen=True)
class Pauses:
    """Silence, in seconds, that the structure of the article puts after a chunk."""

    sentence: float = 0.35
    """After a sentence ends inside a paragraph (also between chunks of one sentence: 0.15)."""
    paragraph: float = 0.9
    """After the last chunk of a paragraph."""
    section: float = 1.6
    """Before a section heading (after the previous section's last paragraph)."""
    heading: float = 0.8
    """After a section heading is spoken."""


@dataclass(frozen=True)
class Segment:
    """One chunk of speech: what the engine is asked to say, and where it sits."""

    text: str
    section: int
    paragraph: int
    pause_after: float
    is_heading: bool = False


@dataclass
class Script:
    """Everything that will be spoken, in order."""

    title: str
    segments: list[Segment]
    section_titles: list[str | None] = field(default_factory=list)

    @property
    def paragraph_count(self) -> int:
        return len({(s.section, s.paragraph) for s in self.segments if not s.is_heading})


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«\"A-ZÀ-ÖØ-Þ0-9])")


def build_script(
    article: Article,
    *,
    max_chars: int = 100,
    pauses: Pauses = Pauses(),
    lexicon: dict[str, str] | None = None,
) -> Script:
    """Split and normalize the article into engine-sized segments with their pauses."""
    segments: list[Segment] = []
    titles: list[str | None] = []
    for s_index, section in enumerate(article.sections):
        titles.append(section.heading)
        if section.heading:
            if segments:
                _extend_pause(segments, pauses.section)
            for chunk in chunk_text(normalize(section.heading, lexicon), max_chars):
                segments.append(Segment(chunk, s_index, -1, 0.15, is_heading=True))
            _extend_pause(segments, pauses.heading, force=True)
        for p_index, paragraph in enumerate(section.paragraphs):
            chunks = chunk_text(normalize(paragraph, lexicon), max_chars)
            for c_index, chunk in enumerate(chunks):
                last = c_index == len(chunks) - 1
                pause = pauses.paragraph if last else (pauses.sentence if chunk[-1] in ".!?…" else 0.15)
                segments.append(Segment(chunk, s_index, p_index, pause))
    return Script(article.title, segments, titles)


def _extend_pause(segments: list[Segment], pause: float, force: bool = False) -> None:
    last = segments[-1]
    if force or pause > last.pause_after:
        segments[-1] = Segment(last.text, last.section, last.paragraph, pause, last.is_heading)


def chunk_text(text: str, max_chars: int) -> list[str]:
    """Cut at sentence ends, then clause punctuation, then spaces; pack short neighbours."""
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        pieces.extend(_split_long(sentence.strip(), max_chars))
    chunks: list[str] = []
    for piece in pieces:
        if not piece:
            continue
        if chunks and len(chunks[-1]) + 1 + len(piece) <= max_chars:
            chunks[-1] = f"{chunks[-1]} {piece}"
        else:
            chunks.append(piece)
    return [c for c in chunks if re.search(r"\w", c)]


def _split_long(text: str, max_chars: int) -> list[str]:
    if len(text) <= max_chars:
        return [text]
    for pattern in (r"(?<=[;:])\s+", r"(?<=[,)»—])\s+", r"\s+"):
        parts = re.split(pattern, text)
        if len(parts) > 1:
            out: list[str] = []
            for part in parts:
                if out and len(out[-1]) + 1 + len(part) <= max_chars:
                    out[-1] = f"{out[-1]} {part}"
                else:
                    out.append(part)
            return [q for part in out for q in _split_long(part, max_chars)]
    # One word longer than the limit: cut it (only happens on garbage like a long URL).
    return [text[i : i + max_chars] for i in range(0, len(text), max_chars)]


def format_script(script: Script, *, as_json: bool = False) -> str:
    """`podcast script` output: one chunk a line, blank line between paragraphs, '## ' headings."""
    if as_json:
        import json
        from dataclasses import asdict

        return json.dumps({"title": script.title, "chunks": [asdict(s) for s in script.segments]},
                          ensure_ascii=False, indent=2) + "\n"
    lines: list[str] = []
    previous: tuple[int, int] | None = None
    for seg in script.segments:
        where = (seg.section, seg.paragraph)
        if previous is not None and where != previous:
            lines.append("")
        lines.append(f"## {seg.text}" if seg.is_heading else seg.text)
        previous = where
    return "\n".join(lines) + "\n"
