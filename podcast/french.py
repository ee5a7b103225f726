"""French spoken-form normalization: what a newsreader would say for what is written."""

from __future__ import annotations

import re


def normalize(text: str, lexicon: dict[str, str] | None = None) -> str:
    """Rewrite `text` into the words to speak."""
    if lexicon:
        for word, spoken in lexicon.items():
            text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", spoken, text)
    return " ".join(text.split())
