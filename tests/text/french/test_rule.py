"""Rule gates: a rule skipped because its mark is not in the text (no digit, no "@") would not
have matched, so gates never change what is said; a text without digits skips the number rules."""

from __future__ import annotations

from podcast.text.french import normalize
from podcast.text.french.rule import DIGITS, Gated
from tests.text.french.test_pipeline import golden_tables


def _all_golden_inputs() -> list[str]:
    return [written for table in golden_tables().values() for written, _ in table]


def test_gates_never_change_what_is_said(monkeypatch):
    """A rule skipped because its mark is absent would not have matched: the same text, gated or not."""
    inputs = _all_golden_inputs()
    inputs.append(" ".join(inputs))  # marks of one sentence next to another's
    gated = [normalize(text) for text in inputs]
    original = Gated.sub
    skipped = []

    def ungated(self, replacement, text):
        if self.needs and not any(mark in text for mark in self.needs):
            skipped.append(self.pattern.pattern)
        return self.pattern.sub(replacement, text) if self.gate is None or self.gate.search(text) else text

    monkeypatch.setattr(Gated, "sub", ungated)
    assert [normalize(text) for text in inputs] == gated
    assert skipped  # the gates were exercised
    monkeypatch.setattr(Gated, "sub", original)


def test_text_without_digits_skips_the_number_rules(monkeypatch):
    ran = []
    original = Gated.sub

    def spy(self, replacement, text):
        out = original(self, replacement, text)
        if self.needs == DIGITS and any(mark in text for mark in self.needs):
            ran.append(self.pattern.pattern)
        return out

    monkeypatch.setattr(Gated, "sub", spy)
    normalize("Un paragraphe sans chiffre, avec des mots, des virgules et un point.")
    assert ran == []
    normalize("Il a 3 chats.")
    assert len(ran) > 20
