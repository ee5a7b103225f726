"""Article -> Script: sentences packed into chunks that fit the engine, each with its pause."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, replace
from itertools import accumulate
from typing import ClassVar

from ..options import Option
from ..types import Article, Chunk, Script
from .french import FUNCTION_WORDS, GLUE, Lexicon, compile_lexicon, normalize


def _pause(name: str, default: float, where: str) -> Option:
    return Option(
        name, float, default, f"Seconds {where}.", min=0, max=30, unit="s", metavar="SECONDS", flag=f"--pause-{name}"
    )


SENTENCE = _pause("sentence", 0.35, "after a sentence")
PARAGRAPH = _pause("paragraph", 0.9, "after a paragraph")
SECTION = _pause("section", 1.6, "before a section heading")
HEADING = _pause("heading", 0.8, "after a section heading")


@dataclass(frozen=True)
class Pauses:
    """Silence, in seconds, that the structure of the article puts after a chunk."""

    options: ClassVar[tuple[Option, ...]] = (SENTENCE, PARAGRAPH, SECTION, HEADING)
    """The pauses a user sets (--pause-*), declared once: `validate` and the CLI's flags both use them."""

    sentence: float = SENTENCE.default
    """After a chunk that ends a sentence inside a paragraph."""
    paragraph: float = PARAGRAPH.default
    """After the last chunk of a paragraph."""
    section: float = SECTION.default
    """Before a section heading (after the previous section's last paragraph)."""
    heading: float = HEADING.default
    """After a section heading is spoken."""
    clause: float = 0.25
    """After a chunk cut at a semicolon, a colon or a mid-sentence ellipsis."""
    comma: float = 0.15
    """After a chunk cut at a comma or at the end of a quote or parenthesis."""
    word: float = 0.05
    """After a chunk cut between two words of one phrase (only when a phrase is too long)."""

    def after(self, boundary: str) -> float:
        """The pause for a chunk that ends at this kind of boundary (see `chunk_boundaries`)."""
        return {"sentence": self.sentence, "clause": self.clause, "comma": self.comma}.get(boundary, self.word)

    def validate(self) -> None:
        """Raise InputError (naming the --pause-* flag) on a pause outside its declared range."""
        for option in self.options:
            option.check(getattr(self, option.name))


TITLE_PARAGRAPH = -2
"""The `paragraph` of the chunks that read the article's title (-1 is a section heading)."""


def build_script(
    article: Article,
    *,
    max_chars: int = 100,
    pauses: Pauses = Pauses(),
    lexicon: Mapping[str, str] | Lexicon | None = None,
    read_title: bool = True,
) -> Script:
    """Normalize and split the article into engine-sized chunks with their pauses.

    With `read_title`, the episode opens as a newscast does: the article's title is the first
    chunk (a heading of section 0 with paragraph TITLE_PARAGRAPH, pause `pauses.heading` after
    it), unless the first section's own heading already says it.
    """
    pauses.validate()
    lexicon = compile_lexicon(lexicon)
    spoken_chunks: list[Chunk] = []
    titles: list[str | None] = []
    if read_title and article.title.strip() and article.sections:
        first_heading = article.sections[0].heading
        if not (first_heading and _same_words(first_heading, article.title)):
            said = chunk_boundaries(normalize(article.title, lexicon, keep_glue=True), max_chars)
            for c_index, (text, _) in enumerate(said):
                written = " ".join(article.title.split()) if c_index == 0 else ""
                spoken_chunks.append(Chunk(text, 0, TITLE_PARAGRAPH, pauses.comma, is_heading=True, written=written))
            if said:
                _extend_pause(spoken_chunks, pauses.heading, force=True)
    for s_index, section in enumerate(article.sections):
        titles.append(section.heading)
        if section.heading:
            heading = chunk_boundaries(normalize(section.heading, lexicon, keep_glue=True), max_chars)
            if heading and spoken_chunks:
                _extend_pause(spoken_chunks, pauses.section)
            for c_index, (text, _) in enumerate(heading):
                written = " ".join(section.heading.split()) if c_index == 0 else ""
                spoken_chunks.append(Chunk(text, s_index, -1, pauses.comma, is_heading=True, written=written))
            if heading:
                _extend_pause(spoken_chunks, pauses.heading, force=True)
        for p_index, paragraph in enumerate(section.paragraphs):
            spoken = normalize(paragraph, lexicon, keep_glue=True)
            chunks = chunk_boundaries(spoken, max_chars)
            writtens = _written_per_chunk([text for text, _ in chunks], _sentence_ends(paragraph, spoken, lexicon))
            for c_index, ((text, boundary), written) in enumerate(zip(chunks, writtens)):
                last = c_index == len(chunks) - 1
                pause = pauses.paragraph if last else pauses.after(boundary)
                spoken_chunks.append(Chunk(text, s_index, p_index, pause, written=written))
    if all(c.is_heading for c in spoken_chunks):
        spoken_chunks = []  # a title alone is nothing to read
    return Script(article.title, spoken_chunks, titles)


def _same_words(a: str, b: str) -> bool:
    return re.findall(r"\w+", a.casefold()) == re.findall(r"\w+", b.casefold())


def _extend_pause(spoken_chunks: list[Chunk], pause: float, force: bool = False) -> None:
    if force or pause > spoken_chunks[-1].pause_after:
        spoken_chunks[-1] = replace(spoken_chunks[-1], pause_after=pause)


# Written text for the transcripts. Chunks are cut from the normalized paragraph (unchanged);
# the written paragraph is cut into sentences, and a sentence counts only where normalizing it
# alone gives exactly the next words of the paragraph's spoken form (else it is merged with the
# next: "M. Dupont" is not cut after "M."). Positions are counted in non-space characters, which
# the chunker keeps. Chunks that share a sentence form one cue with the sentences they cover.
_SENTENCE_END = re.compile(r"[.!?…][»\"”’)\]]*\s+(?=[«\"“(\[—–-]?\s*[^\W_a-zà-ÿ])")
_MAX_MERGED = 12
"""Sentences tried together before the rest of the paragraph is taken as one (bounds the work)."""


def _split_sentences(paragraph: str) -> list[str]:
    sentences, start = [], 0
    for m in _SENTENCE_END.finditer(paragraph):
        sentences.append(paragraph[start : m.end()])
        start = m.end()
    sentences.append(paragraph[start:])
    return [" ".join(s.split()) for s in sentences if s.strip()]


def _nonspace(text: str) -> int:
    return sum(len(word) for word in text.split())


def _sentence_ends(paragraph: str, spoken: str, lexicon: Lexicon) -> list[tuple[int, str]]:
    """(where in the spoken paragraph it ends, in non-space characters; written text) per sentence group."""
    said = "".join(spoken.split())
    sentences = _split_sentences(paragraph)
    if len(sentences) < 2:
        return [(len(said), " ".join(sentences))]
    word_ends = set(accumulate(len(word) for word in spoken.split()))
    out: list[tuple[int, str]] = []
    position, first = 0, 0
    for index in range(len(sentences)):
        if index - first >= _MAX_MERGED:
            break
        group = " ".join(sentences[first : index + 1])
        own = "".join(normalize(group, lexicon).split())
        end = position + len(own)
        if own and said.startswith(own, position) and end in word_ends:
            out.append((end, group))
            position, first = end, index + 1
    if first < len(sentences):
        out.append((len(said), " ".join(sentences[first:])))
    else:
        out[-1] = (len(said), out[-1][1])
    return out


def _written_per_chunk(chunks: list[str], ends: list[tuple[int, str]]) -> list[str]:
    """Each chunk's `written` (see `Chunk`): a group's sentences go to its first chunk."""
    cuts = {end for end, _ in ends}
    out: list[str] = []
    group_first, position, taken = 0, 0, 0
    for index, chunk in enumerate(chunks):
        position += _nonspace(chunk)
        out.append("")
        last = index == len(chunks) - 1
        if position in cuts or last:
            done = taken
            while done < len(ends) and (last or ends[done][0] <= position):
                done += 1
            out[group_first] = " ".join(text for _, text in ends[taken:done])
            group_first, taken = index + 1, done
    return out


def chunk_text(text: str, max_chars: int) -> list[str]:
    """Cut normalized text into chunks of at most `max_chars` (see `chunk_boundaries`)."""
    return [chunk for chunk, _ in chunk_boundaries(text, max_chars)]


# Cost of a cut, by what the listener hears there; one more request costs 1.0. So a
# chunk is cut at a comma rather than sent as one more request, but a phrase is cut
# between two words only when no better place is in reach.
_PENALTY = {
    "sentence": 0.0,
    "clause": 0.3,
    "comma": 0.5,
    "before_link": 1.0,
    "before_phrase": 1.2,
    "word": 1.5,
    "complement": 2.5,
    "name": 2.5,
    "after_number": 2.5,
    "after_function_word": 9.0,
    "locution": 6.0,
    "glue": 50.0,
    "hard": 1000.0,
}
_INSIDE = 0.8
_CLOSING = "»)]\"'’" + GLUE
_LINK_WORDS = frozenset(
    "et ou mais car donc puis qui que qu dont où lorsque quand parce pour afin avec sans comme si alors "
    "tandis pendant depuis avant après selon malgré".split()
)
# Words that open a noun or prepositional phrase: a cut before them is between two phrases.
_PHRASE_OPENERS = frozenset(
    "le la les l un une des ce cet cette ces son sa ses mon ma mes leur leurs notre votre nos vos "
    "il ils elle elles on nous vous je tu dans sur sous par pour avec sans chez vers entre selon".split()
)
# Adverbs and prepositions that make a conjunction with "que" ("parce que", "avant qu'ils",
# "bien que", "de sorte que"): one unit, never cut before its "que".
_QUE_HEADS = frozenset(
    "parce avant après pour afin bien alors dès sans tandis ainsi depuis pendant tant lors sorte moins plus "
    "si même sitôt pourvu encore malgré vu outre attendu étant jusqu jusqu'à à mesure fois peur condition "
    "façon manière autant aussi plutôt ce faut peut-être".split()
)
# Word pairs that make one expression: a cut between them breaks it ("grâce | à").
_FIXED_PAIRS = frozenset(
    tuple(pair.split("+"))
    for pair in (
        "grâce+à face+à quant+à tout+à à+fait mise+en mise+à prise+en prise+de machine+à premier+ministre "
        "première+ministre code+source bien+sûr compte+tenu peut-être+pas au-delà+de vis-à-vis+de "
        "chef+d cheffe+d état+major pomme+de chemin+de tout+de tout+en jeux+olympiques"
    ).split()
)
_NEGATIONS = frozenset("pas jamais guère rien plus".split())
# Endings of adjectives and past participles: a cut before one separates a noun from its
# adjective ("courrier | électronique").
_ADJECTIVE = re.compile(
    r"(?:iques?|elles?|els?|ales?|aux|al|aires?|eux|euses?|ifs?|ives?|ables?|ibles?|iens?|iennes?|éens?|éennes?|ée?s?|"
    r"aises?|oises?|ants?|antes?|ents?|entes?)$"
)
_NOT_COUNTED = FUNCTION_WORDS | _LINK_WORDS
_CARDINALS = frozenset(
    "deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize vingt vingts trente "
    "quarante cinquante soixante cent cents mille million millions milliard milliards".split()
)
_HAS_WORD = re.compile(r"\w")
_SPACES = re.compile(r"[ \t\n\r\f\v]+")


def chunk_boundaries(text: str, max_chars: int) -> list[tuple[str, str]]:
    """Chunks of at most `max_chars`, each with the kind of boundary it ends at.

    Cuts fall between words only (GLUE-joined words count as one), at the cheapest places
    by `_PENALTY`, and neighbours are packed so that requests are few: a dynamic program
    over the words, linear in the text since a chunk spans at most `max_chars`.
    Kinds: sentence, clause, comma, word, glue, hard (a word longer than the limit), end.
    """
    max_chars = max(int(max_chars), 8)
    atoms = _atoms(text, max_chars)
    if not atoms:
        return []
    n = len(atoms)
    words = [a for a, _ in atoms]
    kinds: list[str] = [
        atoms[i][1] or _boundary(words[i], words[i + 1], words[i - 1] if i else "") for i in range(n - 1)
    ]
    kinds.append("end")
    # A cut inside a quote or a parenthesis breaks it: costs a little more.
    inside = [d > 0 for d in _depths(words)]
    best = [0.0] + [float("inf")] * n
    back = [0] * (n + 1)
    # best[j] = 1 + pen + the least best[i] over the starts i whose chunk words[i:j] fits (the
    # latest such i on ties): a sliding-window minimum, so a 5 MB line takes no more per word.
    window: deque[int] = deque()
    start, length = 0, -1  # words[start:j] joined by spaces is `length` characters
    for j in range(1, n + 1):
        while window and best[window[-1]] >= best[j - 1]:
            window.pop()
        window.append(j - 1)
        length += len(words[j - 1]) + 1
        while length > max_chars and start < j:
            length -= len(words[start]) + 1
            start += 1
        while window and window[0] < start:
            window.popleft()
        if window:
            pen = 0.0 if j == n else _PENALTY[kinds[j - 1]] + (_INSIDE if inside[j - 1] else 0.0)
            best[j], back[j] = best[window[0]] + 1.0 + pen, window[0]
    out: list[tuple[str, str]] = []
    j = n
    while j > 0:
        i = back[j]
        out.append((" ".join(words[i:j]).replace(GLUE, " "), _pause_kind(kinds[j - 1])))
        j = i
    out.reverse()
    return out


def _depths(words: list[str]) -> list[int]:
    """How many quotes/parentheses are open after each word."""
    depth, out = 0, []
    for word in words:
        depth += word.count("(") + word.count("«") - word.count(")") - word.count("»")
        depth = max(0, min(depth, 3))
        out.append(depth)
    return out


def _pause_kind(kind: str) -> str:
    return kind if kind in ("sentence", "clause", "comma", "end") else "word"


def _atoms(text: str, max_chars: int) -> list[tuple[str, str | None]]:
    """Words (GLUE-joined groups) with a forced boundary kind after split pieces of long ones."""
    words: list[str] = []
    # Split at plain whitespace only: str.split() would also split at GLUE (a no-break space).
    for word in _SPACES.split(text):
        if not word.strip(GLUE):
            continue
        if _HAS_WORD.search(word) or not words:
            words.append(word)
        else:  # a lone mark (», —, …) rides with the word before it
            words[-1] = words[-1] + GLUE + word
    if words and not _HAS_WORD.search(words[0]):
        if len(words) == 1:
            return []
        words[1] = words[0] + GLUE + words[1]
        del words[0]
    atoms: list[tuple[str, str | None]] = []
    for word in words:
        if len(word) <= max_chars:
            atoms.append((word, None))
        else:
            pieces = _split_word(word, max_chars)
            atoms.extend((piece, kind) for piece, kind in pieces)
            atoms[-1] = (atoms[-1][0], None)
    return atoms


def _split_word(word: str, max_chars: int) -> list[tuple[str, str]]:
    """A glued group or a word longer than the limit: cut at GLUE, else inside (garbage only)."""
    pieces: list[tuple[str, str]] = []
    current = ""
    for part in word.split(GLUE):
        if not part:
            continue
        if current and len(current) + 1 + len(part) <= max_chars:
            current += GLUE + part
            continue
        if current:
            pieces.append((current, "glue"))
        current = part
        if len(current) > max_chars:
            cuts = _hard_cuts(current, max_chars)
            pieces.extend((current[a:b], "hard") for a, b in zip(cuts, cuts[1:]))
            current = current[cuts[-1] :]
    if current:
        pieces.append((current, "glue"))
    return pieces


def _hard_cuts(s: str, max_chars: int) -> list[int]:
    """Cut positions for a word longer than the limit, so that the last piece keeps a letter."""
    last = len(s) - 1
    while last > 0 and not (s[last].isalnum() or s[last] == "_"):
        last -= 1
    cuts = [0]
    while len(s) - cuts[-1] > max_chars:
        cut = min(cuts[-1] + max_chars, max(last, cuts[-1] + 1))
        cuts.append(cut)
    return cuts


def _boundary(left: str, right: str, before: str = "") -> str:
    """What kind of place the space between `left` and `right` (`before` precedes `left`) is for a cut."""
    core = left.rstrip(_CLOSING)
    closed = len(core) < len(left.rstrip(GLUE))
    last = core[-1:] if core else ""
    first = right[:1]
    opens_sentence = first.isupper() or first.isdigit() or first in '«("—–-'
    if last in ".!?":
        return "sentence" if opens_sentence else "clause"
    if last == "…":
        return "sentence" if opens_sentence else "clause"
    if last in ";:":
        return "clause"
    if last == "," or closed:
        return "comma"
    previous = re.split(r"[\s'’" + GLUE + "]", left.lower())[-1]
    if previous in FUNCTION_WORDS or left.endswith(("'", "’")):
        return "after_function_word"
    if first in "«(":
        return "comma"
    following = re.split(r"['’" + GLUE + "]", right.lower())[0]
    if following in ("que", "qu") and previous in _QUE_HEADS or (previous, following) in _FIXED_PAIRS:
        return "locution"
    if following in _NEGATIONS and (following != "plus" or _negated(before, left)):
        return "complement"  # "ne sont | pas"
    if first.isupper() and core[:1].isupper() and core.replace("-", "").isalpha():
        return "name"  # "Emmanuel | Macron", "Mistral | A I"
    if following in ("de", "d", "du", "des"):
        return "complement"  # a noun and its complement: "système | d'exploitation"
    if first.islower() and previous.rpartition("-")[2] in _CARDINALS and following not in _NOT_COUNTED:
        return "after_number"  # a number and what it counts: "vingt-sept | pays"
    if following in _LINK_WORDS:
        return "before_link"
    if following in _PHRASE_OPENERS:
        return "before_phrase"
    if first.islower() and _ADJECTIVE.search(following) and len(following) > 3:
        return "complement"  # a noun and its adjective: "courrier | électronique"
    return "word"


def _negated(before: str, left: str) -> bool:
    return before.lower() == "ne" or left.lower().startswith(("n'", "n’"))


def format_script(script: Script, *, as_json: bool = False) -> str:
    """`podcast script` output: one chunk a line, blank line between paragraphs, '## ' headings.

    As JSON: the title, the section titles, and each chunk with its written text (see `Chunk`),
    section, paragraph (-1 for a heading), pause after it in seconds, and whether it is a heading.
    """
    if as_json:
        import json

        chunks = [
            {
                "text": s.text,
                "written": s.written,
                "section": s.section,
                "paragraph": s.paragraph,
                "pause": s.pause_after,
                "heading": s.is_heading,
            }
            for s in script.chunks
        ]
        return (
            json.dumps(
                {"title": script.title, "sections": script.section_titles, "chunks": chunks},
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    lines: list[str] = []
    previous: tuple[int, int] | None = None
    title = title_chunks(script)
    for index, seg in enumerate(script.chunks):
        where = (seg.section, seg.paragraph)
        if previous is not None and where != previous:
            lines.append("")
        lines.append(f"# {seg.text}" if index < title else f"## {seg.text}" if seg.is_heading else seg.text)
        previous = where
    return "\n".join(lines) + "\n" if lines else ""


def title_chunks(script: Script) -> int:
    """How many chunks at the start of the script speak the article's title (0 when not read)."""
    count = 0
    while count < len(script.chunks) and script.chunks[count].paragraph == TITLE_PARAGRAPH:
        count += 1
    return count
