"""Web addresses, e-mail addresses, paths and file names, said as a newsreader says them."""

from __future__ import annotations

import re

from .rule import GLUE, Rule, glue

_TLD = (
    r"(?:com|fr|org|net|io|ai|eu|be|ch|ca|de|uk|us|es|it|info|dev|app|gouv\.fr|co|tv|me|ly|gg|edu|gov"
    r"|news|blog|tech|xyz|lu|mc|re|nl|jp|cn|ru)"
)


def _say_domain(host: str) -> str:
    host = re.sub(r"^www\d?\.", "", host.lower().strip("."))
    return (GLUE + "point" + GLUE).join(p for p in host.split(".") if p)


def _trailing_punct(m: re.Match[str]) -> str:
    # A URL at a sentence end swallows the final period; give it back.
    return "." if m.group(0)[-1] in ".!?" else ""


# A URL's path never ends with the sentence's punctuation or the parenthesis around it.
_URL_PATH = r"[/?#](?:[^\s«»<>\"]*[^\s«»<>\".,;:!?)])?"


def _url(m: re.Match[str]) -> str:
    return _say_domain(m["host"]) + _trailing_punct(m)


URL = Rule(
    "url", rf"\b(?:https?|ftp)://(?:[^\s/@]+@)?(?P<host>[\w.-]+)(?::\d+)?(?:{_URL_PATH})?", _url, re.I, needs=":"
)


def _www(m: re.Match[str]) -> str:
    return _say_domain(m["host"]) + _trailing_punct(m)


WWW = Rule("www", rf"\bwww\.(?P<host>[\w-]+(?:\.[\w-]+)+)(?:{_URL_PATH})?", _www, re.I, needs=".")

_MAILBOX_MARKS = {".": "point", "+": "plus", "-": "tiret", "_": "tiret bas"}


def _email(m: re.Match[str]) -> str:
    # As a newsreader says it: "redaction arobase lemonde point fr".
    box = [glue(_MAILBOX_MARKS.get(p, p)) for p in re.split(r"([.+_-])", m["box"]) if p]
    return GLUE.join(box + ["arobase", _say_domain(m["host"])])


EMAIL = Rule("email", r"(?<![\w.+-])(?:mailto:)?(?P<box>[\w.+-]+)@(?P<host>[\w-]+(?:\.[\w-]+)+)\b", _email, gate="@")

_FILE_EXTENSIONS = (
    "deb|dsc|changes|list|conf|cfg|ini|txt|sh|py|pl|c|h|tar|gz|bz2|xz|zip|iso|img|html?|pdf|md|json|ya?ml|toml|"
    "log|diff|patch|desktop|service|mp3|ogg|png|jpe?g|svg|exe|rpm|so"
)


def _say_path(path: str) -> str:
    words: list[str] = []
    for part in re.split(r"([/.~])", path):
        if part in ("/", ".", "~"):
            words.append({"/": "slash", ".": "point", "~": "tilde"}[part])
        elif part:
            words.append(part)
    return GLUE.join(words)


def _path(m: re.Match[str]) -> str:
    # /etc/apt/sources.list: "slash etc slash apt slash sources point list".
    if not re.search(r"[^\W\d_]{2}", m["path"]):
        return m.group(0)
    return _say_path(m["path"])


PATH = Rule("path", r"(?<![^\s(«\"'’])(?P<path>~?(?:/\.?[\w+-]+(?:\.[\w+-]+)*)+/?)(?![\w/])", _path, gate="/")


def _file_name(m: re.Match[str]) -> str:
    return _say_path(m["name"])


FILE_NAME = Rule(
    "file_name",
    rf"(?<![\w.@/-])(?P<name>[\w+-]+(?:\.[\w+-]+)*\.(?:{_FILE_EXTENSIONS}))(?!\w|\.\w)",
    _file_name,
    gate=rf"\.(?:{_FILE_EXTENSIONS})\b",
)


def _bare_domain(m: re.Match[str]) -> str:
    return _say_domain(m["host"]) + _trailing_punct(m)


BARE_DOMAIN = Rule(
    "bare_domain",
    rf"(?<![\w@.-])(?P<host>[a-z0-9][\w-]*(?:\.[\w-]+)*\.{_TLD})(?P<path>/[^\s«»<>\"]*)?(?![\w-])",
    _bare_domain,
    re.I,
    needs=".",
)
