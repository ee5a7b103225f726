"""Chunking: the seed under gTTS's limit, properties on any text, pauses, and `podcast script`."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from podcast.cli import cli
from podcast.text.article import read_article
from podcast.text.french import normalize
from podcast.text.script import Pauses, build_script, chunk_boundaries, chunk_text, format_script
from podcast.types import Article, Section
from tests.conftest import SEED

PUNCT_ONLY = re.compile(r"^\W+$")


def _words(text: str) -> str:
    return "".join(text.split())


# ---------------------------------------------------------------- the seed


@pytest.fixture(scope="module")
def seed_script():
    return build_script(read_article(SEED), max_chars=100)


def test_seed_fits_gtts_in_few_chunks(seed_script):
    chunks = [s.text for s in seed_script.chunks]
    assert len(chunks) <= 45  # gTTS's own tokenizer makes 79
    assert all(len(c) <= 100 for c in chunks)
    assert not [c for c in chunks if PUNCT_ONLY.match(c)]


def test_seed_chunks_never_cut_a_word(seed_script):
    article = read_article(SEED)
    for p_index, paragraph in enumerate(article.paragraphs):
        spoken = normalize(paragraph).split()
        chunks = [s.text for s in seed_script.chunks if s.paragraph == p_index]
        # Every chunk is a run of whole words of the paragraph, in order.
        assert [w for c in chunks for w in c.split()] == spoken
        position = 0
        for chunk in chunks:
            words = chunk.split()
            assert spoken[position : position + len(words)] == words
            position += len(words)


def test_seed_keeps_numbers_and_acronyms_whole(seed_script):
    text = "\n".join(s.text for s in seed_script.chunks)
    assert "G P T deux" in text and "deux mille dix-neuf" in text
    assert not any(s.text.startswith(("»", ")", ",", ":", "!", "?")) for s in seed_script.chunks)


# ---------------------------------------------------------------- properties


@settings(max_examples=200, deadline=None)
@given(st.text(), st.integers(min_value=20, max_value=400))
def test_chunks_fit_and_lose_nothing(text, limit):
    spoken = normalize(text, keep_glue=True)
    chunks = chunk_text(spoken, limit)
    assert all(0 < len(c) <= limit for c in chunks)
    assert not [c for c in chunks if PUNCT_ONLY.match(c)]
    if re.search(r"\w", spoken):
        assert _words("".join(chunks)) == _words(normalize(text))
    else:
        assert chunks == []


words = st.text(alphabet="abcdéèçàœ", min_size=1, max_size=14)
marks = st.sampled_from(["", "", "", ",", ".", ";", ":", " !", " ?", "…", " »", ")"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(words, marks), min_size=1, max_size=80), st.sampled_from([40, 100, 200]))
def test_prose_is_cut_between_words_only(pairs, limit):
    text = " ".join(w + m for w, m in pairs)
    spoken = normalize(text, keep_glue=True)
    chunks = chunk_text(spoken, limit)
    expected = normalize(text).split()
    assert [w for c in chunks for w in c.split()] == expected
    assert all(len(c) <= limit for c in chunks)


def test_cut_prefers_sentence_then_clause_then_comma():
    text = (
        "Première phrase assez longue pour compter. Seconde phrase qui continue ; avec une proposition, "
        "puis une virgule et encore quelques mots pour dépasser la limite."
    )
    chunks = chunk_boundaries(normalize(text, keep_glue=True), 60)
    assert chunks[0] == ("Première phrase assez longue pour compter.", "sentence")
    assert all(len(c) <= 60 for c, _ in chunks)


def test_never_cut_inside_a_number_an_abbreviation_or_an_acronym():
    text = "Hier, M. Dupont est parti aux U.S.A. avec 1 987 654 personnes et la SNCF en 300 av. J.-C. tout à fait."
    chunks = chunk_text(normalize(text, keep_glue=True), 30)
    assert all(len(c) <= 30 for c in chunks)
    joined = "|".join(chunks)
    for whole in ("Monsieur Dupont", "U S A", "S N C F", "avant Jésus-Christ", "trois cents avant"):
        assert whole in joined, (whole, chunks)
    # A number too long for one chunk is cut between its words, never inside one.
    number = "un million neuf cent quatre-vingt-sept mille six cent cinquante-quatre"
    assert number.split() == [w for c in chunks for w in c.split() if w in number.split()][: len(number.split())]


def test_short_neighbours_are_packed():
    assert chunk_text("Oui. Non. Peut-être. Alors ?", 100) == ["Oui. Non. Peut-être. Alors ?"]


def test_fifty_kilobyte_paragraph_without_punctuation():
    words = ["lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "do"]
    text = " ".join(words[i % len(words)] for i in range(9000))
    assert len(text) > 50_000
    chunks = chunk_text(normalize(text, keep_glue=True), 100)
    assert all(len(c) <= 100 for c in chunks)
    assert " ".join(chunks).split() == text.split()
    # Close to the fewest requests possible (whole words only).
    assert len(chunks) <= len(text) // 90


def test_overlong_word_is_cut_hard():
    chunks = chunk_text("a" * 250 + " fin.", 100)
    assert [len(c) for c in chunks][:2] == [100, 100] and all(len(c) <= 100 for c in chunks)
    assert "".join(chunks).replace(" ", "") == "a" * 250 + "fin."


# ---------------------------------------------------------------- written text


def test_seed_written_text_is_the_article(seed_script):
    article = read_article(SEED)
    for p_index, paragraph in enumerate(article.paragraphs):
        segments = [s for s in seed_script.chunks if s.paragraph == p_index and not s.is_heading]
        assert segments[0].written
        assert " ".join(s.written for s in segments if s.written) == " ".join(paragraph.split())
    written = "\n".join(s.written for s in seed_script.chunks)
    assert "GPT-2 en open source en 2019" in written and "VP recherche chez OpenAI" in written
    assert "Open A I" not in written


def test_written_sentences_follow_the_chunks():
    text = (
        "OpenAI a publié GPT-2 en 2019 avec M. Dupont. Court. "
        "Une phrase bien plus longue que la limite, coupée en deux. Fin."
    )
    segments = build_script(_article(Section(None, [text])), max_chars=40, read_title=False).chunks
    assert [(s.text, s.written) for s in segments] == [
        ("Open A I a publié G P T deux", "OpenAI a publié GPT-2 en 2019 avec M. Dupont. Court."),
        ("en deux mille dix-neuf", ""),
        ("avec Monsieur Dupont. Court.", ""),  # "Court." shares the chunk: one cue for both sentences
        ("Une phrase bien plus longue", "Une phrase bien plus longue que la limite, coupée en deux. Fin."),
        ("que la limite, coupée en deux. Fin.", ""),
    ]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(min_size=1), min_size=1, max_size=3), st.sampled_from([20, 40, 100]))
def test_written_text_covers_each_paragraph_once(paragraphs, limit):
    segments = build_script(_article(Section(None, paragraphs)), max_chars=limit).chunks
    for p_index, paragraph in enumerate(paragraphs):
        mine = [s for s in segments if s.paragraph == p_index]
        if mine:
            assert mine[0].written
            assert " ".join(s.written for s in mine if s.written) == " ".join(paragraph.split())


# ---------------------------------------------------------------- build_script and pauses


def _article(*sections: Section) -> Article:
    return Article(title="Essai", sections=list(sections), source="essai.txt")


def test_segments_carry_section_paragraph_and_pause():
    pauses = Pauses(sentence=0.3, paragraph=1.0, section=2.0, heading=0.7, clause=0.2, comma=0.1, word=0.01)
    article = _article(
        Section(
            None,
            [
                "Première phrase bien longue. Deuxième phrase ; elle dit : un, deux, trois, "
                "quatre et cinq, puis encore bien davantage de mots sans aucune virgule pour finir.",
                "Un second paragraphe.",
            ],
        ),
        Section("Un titre", ["Dernier paragraphe."]),
    )
    script = build_script(article, max_chars=40, pauses=pauses)
    segments = script.chunks
    assert all(len(s.text) <= 40 for s in segments)
    for seg, after in zip(segments, segments[1:] + [None]):
        if after is not None and after.is_heading and not seg.is_heading:
            expected = pauses.section
        elif seg.is_heading:
            expected = pauses.heading if not (after and after.is_heading) else pauses.comma
        elif after is None or (after.section, after.paragraph) != (seg.section, seg.paragraph):
            expected = pauses.paragraph
        elif seg.text.endswith("."):
            expected = pauses.sentence
        elif seg.text.endswith((";", ":")):
            expected = pauses.clause
        elif seg.text.endswith(","):
            expected = pauses.comma
        else:
            expected = pauses.word
        assert seg.pause_after == expected, seg
    assert {s.pause_after for s in segments} >= {0.3, 1.0, 2.0, 0.7}
    assert [(s.section, s.paragraph, s.is_heading) for s in segments[-3:]] == [
        (0, 1, False),
        (1, -1, True),
        (1, 0, False),
    ]
    assert script.section_titles == [None, "Un titre"]


def test_lexicon_reaches_the_script():
    script = build_script(_article(Section(None, ["L'IA parle."])), lexicon={"IA": "intelligence artificielle"})
    assert script.chunks[1].text == "L'intelligence artificielle parle."


# ---------------------------------------------------------------- podcast script


def test_cli_script_prints_chunks_paragraphs_and_headings(runner, tmp_path):
    article = tmp_path / "a.md"
    article.write_text("# Titre\n\nUn paragraphe.\n\nUn autre, à 14h30.\n\n## Suite\n\nFin.\n", encoding="utf-8")
    result = runner.invoke(cli, ["script", str(article)])
    assert result.exit_code == 0, result.output
    assert result.output == "# Titre\n\nUn paragraphe.\n\nUn autre, à quatorze heures trente.\n\n## Suite\n\nFin.\n"


def test_cli_script_json(runner, tmp_path):
    article = tmp_path / "a.md"
    article.write_text("# Titre\n\nUn paragraphe.\n\n## Suite\n\nFin.\n", encoding="utf-8")
    result = runner.invoke(cli, ["script", "--json", str(article)])
    data = json.loads(result.output)
    assert data["title"] == "Titre"
    assert data["sections"] == [None, "Suite"]
    assert [(c["text"], c["section"], c["paragraph"], c["heading"]) for c in data["chunks"]] == [
        ("Titre", 0, -2, True),
        ("Un paragraphe.", 0, 0, False),
        ("Suite", 1, -1, True),
        ("Fin.", 1, 0, False),
    ]
    assert data["chunks"][0]["pause"] == Pauses().heading
    assert data["chunks"][1]["pause"] == Pauses().section
    assert data["chunks"][-1]["pause"] == Pauses().paragraph


def test_cli_script_engine_limit(runner):
    gtts = runner.invoke(cli, ["script", "--engine", "gtts", str(SEED)]).output.split("\n")
    espeak = runner.invoke(cli, ["script", "--engine", "espeak", str(SEED)]).output.split("\n")
    assert max(map(len, gtts)) <= 100 < max(map(len, espeak))
    assert len(espeak) < len(gtts)


def test_cli_lexicon(runner, tmp_path):
    lexicon = tmp_path / "mots.toml"
    lexicon.write_text('OpenAI = "Open A.I."\n', encoding="utf-8")
    result = runner.invoke(cli, ["script", "--lexicon", str(lexicon), str(SEED)])
    assert result.exit_code == 0, result.output
    assert "Open A.I." in result.output and "Open A I" not in result.output
    lexicon.write_text('OpenAI = ["non"]\n', encoding="utf-8")
    result = runner.invoke(cli, ["script", "--lexicon", str(lexicon), str(SEED)])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "mots.toml" in result.stderr and "'OpenAI'" in result.stderr
    assert "Traceback" not in result.stderr


def test_format_script_empty():
    assert format_script(build_script(_article(Section(None, ["🎉"])))) == ""


def test_render_uses_the_lexicon(runner, tmp_path):
    article = tmp_path / "court.txt"
    article.write_text("L'IA parle.\n", encoding="utf-8")
    lexicon = tmp_path / "mots.toml"
    lexicon.write_text('IA = "intelligence artificielle"\n', encoding="utf-8")
    out = tmp_path / "audio"
    result = runner.invoke(
        cli, ["-q", "render", "--engine", "espeak", "-o", str(out), "--lexicon", str(lexicon), str(article)]
    )
    assert result.exit_code == 0, result.stderr
    manifests = [json.loads(p.read_text("utf-8")) for p in out.glob("*.json") if "chapters" not in p.name]
    texts = [c["text"] for m in manifests if "chunks" in m for c in m["chunks"]]
    assert texts == ["Court", "L'intelligence artificielle parle."]
