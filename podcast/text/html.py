"""HTML articles: the main text only, through trafilatura.

trafilatura finds the article in a page (it scores blocks by text density and markup,
and knows the usual boilerplate: menus, share bars, comments, footers) and reads the
metadata (title, author, date, description, image) from <meta>, OpenGraph and JSON-LD.
Before it runs, elements that are never article text (scripts, navigation, forms,
footers, asides, and blocks whose class or id says ad, cookie, newsletter...) are
removed, so a short page whose extraction falls back to a baseline stays clean. Short
pages that trafilatura gives up on are read block by block from the same cleaned tree.
"""

from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html

from ..errors import InputError
from ..types import Section

log = logging.getLogger(__name__)

_NEVER_TEXT = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "canvas",
    "iframe",
    "object",
    "embed",
    "form",
    "button",
    "select",
    "nav",
    "footer",
    "aside",
    "dialog",
    "menu",
)
_BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(?:ads?|advert\w*|pub|publicite|sponsor\w*|promo\w*|banner|cookies?\w*|consent|newsletter"
    r"|share|sharing|social|related|recommend\w*|breadcrumbs?|comments?|paywall|subscribe|abonnement"
    r"|outbrain|taboola|popup|modal|sidebar|widget|nav|navbar|navigation|menu|footer|masthead|toolbar)"
    r"(?:$|[\s_-])",
    re.I,
)
_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "dd", "dt", "td", "th", "figcaption")
_MIN_EXTRACTED = 200
# Elements a browser lays out as blocks (and trafilatura's XML names for them): text on either
# side of one is never the same word.
_BLOCK_LEVEL = frozenset(
    "address article aside blockquote caption dd details dialog div dl dt fieldset figcaption figure footer"
    " form h1 h2 h3 h4 h5 h6 header hgroup hr li main nav ol p pre section summary table tbody td tfoot th"
    " thead tr ul body html head item list row cell quote".split()
)


@dataclass
class HtmlDocument:
    title: str | None
    sections: list[Section]
    meta: dict = field(default_factory=dict)


def read_html(body: str, *, max_blocks: int | None = None) -> HtmlDocument:
    """The article's title, its sections (h2-h6 start one) and the page's metadata.

    A page with more than `max_blocks` text blocks (paragraphs, list items, cells...) is refused
    before the extraction, whose cost grows with them (50,000 take trafilatura about 20 s).
    """
    tree = _clean_tree(body)
    if tree is None:
        return HtmlDocument(None, [])
    if max_blocks is not None:
        blocks = sum(1 for _ in tree.iter(*_BLOCKS))
        if blocks > max_blocks:
            raise InputError(f"too many paragraphs ({blocks:,}; at most {max_blocks:,} in one article): split it")
    meta = _metadata(tree)
    title = meta.pop("title", None)
    for path in (".//h1", ".//title"):
        if title:
            break
        found = tree.find(path)
        title = _text(found) if found is not None else None
    sections = _extract(tree, title)
    if not any(s.paragraphs for s in sections):
        sections = _blocks(tree, title)
    return HtmlDocument(title or None, sections, meta)


def _clean_tree(body: str):
    # lxml refuses str with an XML encoding declaration, and text that is not a document.
    body = re.sub(r"^\s*<\?xml[^>]*\?>", "", body)
    if not body.strip():
        return None
    try:
        tree = lxml_html.document_fromstring(body)
    except (etree.ParserError, ValueError):
        return None
    for el in list(tree.iter(etree.Comment, etree.ProcessingInstruction)):
        _drop(el)
    for el in list(tree.iter(*_NEVER_TEXT)):
        _drop(el)
    for br in tree.iter("br"):
        br.tail = " " + (br.tail or "")
    page_text = len(_text(tree))
    for el in list(tree.iter()):
        if not isinstance(el.tag, str) or el.tag in ("html", "body", "main", "article"):
            continue
        marks = f"{el.get('class', '')} {el.get('id', '')}"
        if (
            el.get("hidden") is not None
            or el.get("aria-hidden") == "true"
            or _BOILERPLATE.search(marks)
            or el.get("role") in ("navigation", "banner", "contentinfo", "complementary")
        ):
            if not _holds_the_article(el, page_text):
                _drop(el)
    return tree


def _holds_the_article(el, page_text: int) -> bool:
    """A wrapper named "has-sidebar" or "ad-free" may still hold the article: keep it."""
    if el.find(".//article") is not None or el.find(".//main") is not None or el.find(".//h1") is not None:
        return True
    return len(_text(el)) > page_text / 2


def _drop(el) -> None:
    parent = el.getparent()
    if parent is None:
        return
    # Keep the text that follows the element (its tail): it belongs to the parent.
    if el.tail and el.tail.strip():
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _metadata(tree) -> dict:
    import trafilatura

    meta: dict = {}
    try:
        found = trafilatura.extract_metadata(copy.deepcopy(tree))
    except Exception as exc:  # metadata is a bonus; a page that defeats it still reads
        log.debug("no HTML metadata: %s", exc)
        return meta
    for key in ("title", "author", "date", "description", "image"):
        value = getattr(found, key, None)
        if value:
            meta[key] = " ".join(str(value).split())
    if not re.match(r"\d{4}-\d{2}-\d{2}$", meta.get("date", "")[:10]):
        meta.pop("date", None)
    return meta


def _extract(tree, title: str | None) -> list[Section]:
    import trafilatura

    try:
        xml = trafilatura.extract(
            copy.deepcopy(tree),
            output_format="xml",
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            include_formatting=False,
            with_metadata=False,
        )
    except Exception as exc:  # fall back to plain blocks rather than fail on odd markup
        log.debug("trafilatura failed: %s", exc)
        return []
    if not xml:
        return []
    try:
        root = etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError:
        return []
    main = root.find("main")
    for br in root.iter("lb"):  # a line break inside a paragraph still separates words
        br.tail = " " + (br.tail or "")
    if main is None or len(" ".join(main.itertext())) < _MIN_EXTRACTED:
        return []
    sections = [Section(None, [])]
    for el in main:
        _walk_extracted(el, sections, title)
    return sections


def _walk_extracted(el, sections: list[Section], title: str | None) -> None:
    tag = el.tag
    if tag == "head":
        text = _text(el)
        if text and not (title and _same(text, title)):
            sections.append(Section(text, []))
        return
    if tag in ("list", "table"):
        items = [_text(item) for item in el.iter("item", "row")]
        if tag == "table":
            items = [", ".join(_text(c) for c in row.iter("cell") if _text(c)) for row in el.iter("row")]
        text = " ".join(_sentence(i) for i in items if i)
        if text:
            sections[-1].paragraphs.append(text)
        return
    if tag in ("quote", "div") and len(el):
        for child in el:
            _walk_extracted(child, sections, title)
        return
    if tag in ("code", "graphic", "ref"):
        return
    text = _text(el)
    if text:
        sections[-1].paragraphs.append(text)


def _blocks(tree, title: str | None) -> list[Section]:
    """Fallback: every block element of the cleaned body, in order; headings start sections."""
    body = tree.find("body")
    if body is None:
        body = tree
    sections = [Section(None, [])]
    for el in body.iter(*_BLOCKS):
        if any(a.tag in _BLOCKS for a in el.iterancestors()):
            continue
        text = _text(el)
        if not text:
            continue
        if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            if not (title and _same(text, title)):
                sections.append(Section(text, []))
        else:
            sections[-1].paragraphs.append(text)
    if not any(s.paragraphs for s in sections):
        # A page of bare divs: each block is a paragraph, less the headings already taken.
        taken = [title or "", *(s.heading or "" for s in sections)]
        sections[-1].paragraphs.extend(line for line in _lines(body) if not any(_same(line, t) for t in taken))
    return sections


def _text(el) -> str:
    return " ".join(_flat(el).split())


def _lines(el) -> list[str]:
    """The element's text, one paragraph per run of text between block elements."""
    return [" ".join(line.split()) for line in _flat(el).split("\n") if line.strip()]


def _flat(el) -> str:
    """The element's text with a line break where a block starts or ends: "<div>A</div><div>B</div>"
    is two words, as a browser shows it, where itertext() would glue them into "AB"."""
    out: list[str] = []
    for event, node in etree.iterwalk(el, events=("start", "end")):
        tag = node.tag if isinstance(node.tag, str) else None
        if event == "start":
            if tag in _BLOCK_LEVEL:
                out.append("\n")
            if tag is not None:
                out.append(node.text or "")
        else:
            if tag in _BLOCK_LEVEL:
                out.append("\n")
            if node is not el:
                out.append(node.tail or "")
    return "".join(out)


def _sentence(text: str) -> str:
    return text if text[-1:] in ".!?…:;»)" else text + "."


def _same(a: str, b: str) -> bool:
    return a.casefold().strip(" .") == b.casefold().strip(" .")
