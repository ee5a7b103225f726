"""Markdown articles, parsed by markdown-it-py (CommonMark + tables): headings become sections.

What is said: paragraphs, list items (one paragraph per list, each item a sentence),
quotes, table rows, the text of emphasis and links, the alt text of images. What is
not: code blocks, raw HTML (comments, tags), struck-through text, footnote markers.
The first H1 is the document's title, not a section.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..types import Section

_FOOTNOTE = re.compile(r"\[\^[^\]\s]+\](?::\s*)?")


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def parse_markdown(body: str) -> tuple[str | None, list[Section]]:
    """(first H1 or None, sections in order); the opening section has no heading."""
    tokens = _parser().parse(body)
    title: str | None = None
    sections = [Section(None, [])]
    list_depth = 0
    list_items: list[str] = []
    row: list[str] = []
    rows: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        kind = tok.type
        if kind == "heading_open":
            text = _inline_text(tokens[i + 1]) if i + 1 < len(tokens) else ""
            if text:
                if tok.tag == "h1" and title is None:
                    title = text
                else:
                    sections.append(Section(text, []))
            i += 3
            continue
        if kind in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
            if list_depth == 0 and list_items:
                sections[-1].paragraphs.append(" ".join(list_items))
                list_items = []
        elif kind == "inline" and tokens[i - 1].type in ("th_open", "td_open"):
            cell = _inline_text(tok)
            if cell:
                row.append(cell)
        elif kind == "tr_close":
            if row:
                rows.append(_sentence(", ".join(row)))
            row = []
        elif kind == "table_close":
            if rows:
                sections[-1].paragraphs.append(" ".join(rows))
            rows = []
        elif kind == "inline":
            text = _inline_text(tok)
            if text:
                if list_depth:
                    list_items.append(_sentence(text))
                else:
                    sections[-1].paragraphs.append(text)
        elif kind == "html_block":
            text = _html_text(tok.content)
            if text:
                sections[-1].paragraphs.append(text)
        # fence, code_block, hr: nothing to say.
        i += 1
    return title, sections


def _inline_text(tok: Token) -> str:
    """The spoken text of an inline token: emphasis and links reduced to their words."""
    parts: list[str] = []
    struck = 0
    for child in tok.children or []:
        kind = child.type
        if kind == "s_open":
            struck += 1
        elif kind == "s_close":
            struck = max(0, struck - 1)
        elif struck:
            continue
        elif kind in ("text", "code_inline"):
            parts.append(child.content)
        elif kind == "image":
            parts.append(child.content or "")
        elif kind in ("softbreak", "hardbreak"):
            parts.append(" ")
        # html_inline (comments, <br>, tags) and link/emphasis markers carry no words.
    text = _FOOTNOTE.sub("", "".join(parts))
    return " ".join(text.split())


def _html_text(block: str) -> str:
    block = re.sub(r"<!--.*?(?:-->|\Z)", " ", block, flags=re.S)
    block = re.sub(r"<(script|style)\b.*?(?:</\1\s*>|\Z)", " ", block, flags=re.S | re.I)
    block = re.sub(r"<[^>]*>", " ", block)
    import html

    return " ".join(html.unescape(block).split())


def _sentence(text: str) -> str:
    """A list item or a table row is read as a sentence of its own."""
    return text if text[-1:] in ".!?…:;»)" else text + "."
