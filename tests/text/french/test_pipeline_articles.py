"""Whole articles through the French front end: the title read first, bad bytes and terminal
escapes, and `podcast script` on three real passages (tests/data/passages)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from podcast.cli import cli
from podcast.text.article import decode, parse_article, read_article
from podcast.text.french import FUNCTION_WORDS, GLUE, normalize
from podcast.text.script import _QUE_HEADS, build_script
from podcast.types import Article, Section

PASSAGES = Path(__file__).resolve().parents[2] / "data" / "passages"


# ---------------------------------------------------------------- the title is read first


def _chunks(text: str, name: str, **kwargs):
    article = parse_article(text, name=name)
    return build_script(article, **kwargs)


@pytest.mark.parametrize(
    "name, text",
    [
        ("a.txt", "Le vélo en ville\n\nUn paragraphe. Un autre.\n"),
        ("a.md", "# Le vélo en ville\n\nUn paragraphe.\n\n## Suite\n\nFin.\n"),
        ("a.md", "---\ntitle: Le vélo en ville\n---\nUn paragraphe.\n"),
        ("a.html", "<html><head><title>Le vélo en ville</title></head><body><p>Un paragraphe.</p></body></html>"),
    ],
)
def test_title_is_the_first_chunk_for_every_kind(name, text):
    script = _chunks(text, name)
    first = script.chunks[0]
    assert (first.text, first.written, first.is_heading, first.section, first.paragraph) == (
        "Le vélo en ville",
        "Le vélo en ville",
        True,
        0,
        -2,
    )
    assert first.pause_after >= 0.8
    assert not script.chunks[1].is_heading or script.chunks[1].text != first.text
    off = _chunks(text, name, read_title=False)
    assert off.chunks == script.chunks[1:] or off.chunks[0].text != "Le vélo en ville"


def test_title_is_normalized_and_not_read_twice():
    script = _chunks("---\ntitle: Le 1er vol en 2025\n---\n## Le 1er vol en 2025\n\nTexte.\n", "a.md")
    assert [c.text for c in script.chunks] == ["Le premier vol en deux mille vingt-cinq", "Texte."]


def test_a_title_alone_is_nothing_to_read():
    assert build_script(Article(title="Titre", sections=[Section(None, ["🎉"])], source="x")).chunks == []


def test_cli_title_read_and_no_title_read(runner, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Grève à la SNCF\n\nLes trains roulent peu.\n", encoding="utf-8")
    result = runner.invoke(cli, ["script", str(path)])
    assert result.output == "# Grève à la S N C F\n\nLes trains roulent peu.\n"
    result = runner.invoke(cli, ["script", "--no-title-read", str(path)])
    assert result.output == "Les trains roulent peu.\n"
    data = json.loads(runner.invoke(cli, ["script", "--json", str(path)]).output)
    assert data["chunks"][0]["heading"] and data["chunks"][0]["written"] == "Grève à la SNCF"


def test_render_reads_the_title_first_and_chapters_start_at_zero(runner, tmp_path):
    path = tmp_path / "court.txt"
    path.write_text("Un titre court\n\nUne phrase.\n", encoding="utf-8")
    out = tmp_path / "audio"
    result = runner.invoke(cli, ["-q", "render", "--engine", "espeak", "-o", str(out), str(path)])
    assert result.exit_code == 0, result.stderr
    manifest = json.loads(next(p for p in out.glob("*.json") if "chapters" not in p.name).read_text("utf-8"))
    texts = [c["text"] for c in manifest["chunks"]]
    assert texts == ["Un titre court", "Une phrase."]
    assert manifest["chunks"][0]["start"] < manifest["chunks"][1]["start"]
    chapters = json.loads(next(out.glob("*chapters*.json")).read_text("utf-8"))["chapters"]
    assert chapters[0]["startTime"] == 0
    off = tmp_path / "off"
    result = runner.invoke(cli, ["-q", "render", "--engine", "espeak", "--no-title-read", "-o", str(off), str(path)])
    manifest = json.loads(next(p for p in off.glob("*.json") if "chapters" not in p.name).read_text("utf-8"))
    assert [c["text"] for c in manifest["chunks"]] == ["Une phrase."]


# ---------------------------------------------------------------- bad bytes, terminal escapes


@pytest.mark.parametrize(
    "raw, text",
    [
        ("Un café très chaud, caf\udce9 froid.", "Un café très chaud, café froid."),  # a stray cp1252 byte
        ("Première ligne é.\nSuite \udcff\udcfe là.", "Première ligne é.\nSuite  là."),
        ("Coupé net : \udcc3 fin.", "Coupé net :  fin."),  # a cut sequence's lead byte: dropped
        ("Élan ASCII \udc81 ici.", "Élan ASCII  ici."),  # undefined in cp1252: dropped
    ],
)
def test_one_bad_byte_does_not_turn_the_file_into_mojibake(raw, text):
    data = raw.encode("utf-8", errors="surrogateescape")
    assert decode(data, "x.txt") == text


def test_a_legacy_cp1252_file_is_still_read_whole():
    data = "L’été à Noël : « déjà » 3 €, très œuvré.".encode("cp1252")
    assert decode(data, "x.txt") == "L’été à Noël : « déjà » 3 €, très œuvré."


@pytest.mark.parametrize(
    "raw",
    [
        b"\x1b[31mAlerte\x1b[0m : il fait 31 degr\xc3\xa9s.",
        b"\x1b[1;31;40mAlerte\x1b[m : il fait 31 degr\xc3\xa9s.",
        b"\x1b]0;titre\x07Alerte : il fait 31 degr\xc3\xa9s.",
        b"\x1b(BAlerte : il fait 31 degr\xc3\xa9s.\x1b[2K",
    ],
)
def test_terminal_escapes_are_dropped_not_read(raw, tmp_path):
    path = tmp_path / "log.txt"
    path.write_bytes(b"\n".join([raw] * 5))
    said = " ".join(c.text for c in build_script(read_article(path), read_title=False).chunks)
    assert said == " ".join(["Alerte : il fait trente et un degrés."] * 5)
    assert "mètre" not in said


# ---------------------------------------------------------------- real passages


@pytest.mark.parametrize("path", sorted(PASSAGES.glob("*.txt")), ids=lambda p: p.name)
def test_podcast_script_on_real_passages(runner, path):
    assert len(path.read_text("utf-8").split()) >= 500
    result = runner.invoke(cli, ["script", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    title = path.read_text("utf-8").splitlines()[0]
    assert lines[0] == "# " + normalize(title)
    spoken = [line.removeprefix("## ").removeprefix("# ") for line in lines if line]
    assert all(len(line) <= 100 for line in spoken)
    text = "\n".join(spoken)
    assert not re.search(r"[0-9/@\\€$%<>_]", text)  # every number, slash, address and symbol is said
    assert not re.search(r"\b(?:ou|point|arobase) (?:s|h)\b", text)  # no "Mo ou s"
    for line, following in zip(spoken, spoken[1:]):
        last, first = line.split()[-1].lower(), following.split()[0].lower()
        assert not (last in _QUE_HEADS and first.startswith(("que", "qu'"))), (line, following)
        assert last.rstrip(",;:") not in ("monsieur", "madame", "maître", "docteur"), line
    words = text.split()
    for index, word in enumerate(words):
        if word == "arobase":  # the whole address: a mailbox before, a domain after
            assert words[index - 1] not in FUNCTION_WORDS and words[index + 1] not in FUNCTION_WORDS
    assert GLUE not in text


def test_passages_have_their_source_and_licence():
    readme = (PASSAGES / "README.md").read_text("utf-8")
    for path in PASSAGES.glob("*.txt"):
        assert path.name in readme
    assert "CC BY-SA 3.0" in readme and "PSF" in readme
