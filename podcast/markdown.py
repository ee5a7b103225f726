"""Markdown articles: headings become sections (placeholder until the full parser lands)."""

from __future__ import annotations

from .article import Section, parse_text


def parse_markdown(body: str) -> tuple[str | None, list[Section]]:
    return parse_text(body)
