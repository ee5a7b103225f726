"""HTML articles: the main text only (placeholder until the full extractor lands)."""

from __future__ import annotations

import re

from .article import Section, parse_text


def parse_html(body: str) -> tuple[str | None, list[Section]]:
    return parse_text(re.sub(r"<[^>]+>", " ", body))
