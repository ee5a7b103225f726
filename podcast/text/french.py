"""French spoken-form normalization: what a newsreader would say for what is written.

`normalize()` runs a fixed list of small rewrite rules, each a compiled pattern and a
function, in an order where earlier rules protect later ones (dates before numbers,
units before bare numbers, numbers before acronyms). Numbers are spoken through
num2words. Words that must stay together in one breath (the words of one number,
"Monsieur Dupont", a spelled acronym, a quote mark and its word) are joined by a
no-break space, GLUE, which the chunker never cuts; `normalize()` turns GLUE back
into plain spaces unless asked to keep it.
"""

from __future__ import annotations

import functools
import heapq
import logging
import re
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import Path

from num2words import num2words

from ..errors import InputError
from ..files import read_toml
from .words import ABBREVIATIONS, ACRONYMS, DAY_ABBREVIATIONS, ENGLISH, TITLES

log = logging.getLogger(__name__)

GLUE = "\u00a0"
"""Joins words the chunker must never separate."""

_UP = "A-ZÀ-ÖØ-Þ"
_LOW = "a-zß-öø-ÿœæ"
_APOS = "'’"

# ---------------------------------------------------------------- numbers


def _glue(words: str) -> str:
    return words.replace(" ", GLUE)


_DIGIT_WORDS = ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"]


def _digits(s: str) -> str:
    return GLUE.join(_DIGIT_WORDS[int(d)] for d in s)


@functools.lru_cache(maxsize=4096)
def _cardinal_words(n: int, feminine: bool = False) -> str:
    words = num2words(n, lang="fr")
    if feminine:
        words = re.sub(r"\bun$", "une", words)
    return words


def cardinal(n: int | str, feminine: bool = False) -> str:
    """A whole number as French words, glued; very long or zero-padded numbers digit by digit."""
    s = str(n)
    if not s.isdigit():
        return s
    if len(s) > 1 and s.startswith("0") or len(s) > 15:
        return _digits(s)
    return _glue(_cardinal_words(int(s), feminine))


def ordinal(n: int, feminine: bool = False) -> str:
    """1 -> premier/première, 2 -> deuxième, 80 -> quatre-vingtième."""
    if n == 1:
        return "première" if feminine else "premier"
    if n > 10**15:
        return cardinal(n)
    words = num2words(n, lang="fr", to="ordinal")
    # num2words keeps the plural s of "vingts"/"cents" before -ième.
    words = re.sub(r"(vingt|cent)sième", r"\1ième", words)
    return _glue(words)


def decimal(int_part: str, frac: str, word: str = "virgule") -> str:
    """3,14 -> trois virgule quatorze; 3,05 -> trois virgule zéro cinq."""
    zeros = len(frac) - len(frac.lstrip("0"))
    rest = frac.lstrip("0")
    spoken = [cardinal(_int(int_part)), word] + ["zéro"] * zeros
    if rest:
        spoken.append(cardinal(rest) if len(rest) <= 3 else _digits(rest))
    return GLUE.join(spoken)


def _int(s: str) -> str:
    return re.sub(r"\D", "", s) or "0"


def number(int_part: str, frac: str | None = None, feminine: bool = False) -> str:
    """A written number ("1 000", "3,14") as words."""
    digits = _int(int_part)
    if frac:
        return decimal(digits, frac)
    if set(digits) == {"0"}:
        return "zéro"
    return cardinal(digits, feminine)


# A number as written in French: "1 000 000", "12", "3,14" (grouping by plain spaces: NBSPs
# have been made spaces by then).
# Groups are bounded so that a long run of "123 123 123" stays linear to scan.
_NUM = r"(?P<int>\d{1,3}(?: \d{3}){1,6}(?!\d)|\d+)(?:,(?P<frac>\d+))?"
_NUM_START = r"(?<![\w,.])"


# ---------------------------------------------------------------- tables

_MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]

# symbol -> (singular, plural, feminine, cents word)
_CURRENCIES = {
    "€": ("euro", "euros", False, "centimes"),
    "EUR": ("euro", "euros", False, "centimes"),
    "$": ("dollar", "dollars", False, "cents"),
    "USD": ("dollar", "dollars", False, "cents"),
    "£": ("livre", "livres", True, "pence"),
    "GBP": ("livre", "livres", True, "pence"),
    "¥": ("yen", "yens", False, ""),
    "CHF": ("franc suisse", "francs suisses", False, "centimes"),
}
_MAGNITUDES = {"k": 1000, "K": 1000, "M": 10**6, "Md": 10**9, "Mds": 10**9, "Mrd": 10**9, "Mrds": 10**9, "G": 10**9}

# unit -> (singular, plural, feminine)
_UNITS = {
    "km/h": ("kilomètre-heure", "kilomètres-heure", False),
    "Km/h": ("kilomètre-heure", "kilomètres-heure", False),
    "KM/H": ("kilomètre-heure", "kilomètres-heure", False),
    "kmh": ("kilomètre-heure", "kilomètres-heure", False),
    "km/heure": ("kilomètre-heure", "kilomètres-heure", False),
    "L/100 km": ("litre aux cent kilomètres", "litres aux cent kilomètres", False),
    "l/100 km": ("litre aux cent kilomètres", "litres aux cent kilomètres", False),
    "L/100km": ("litre aux cent kilomètres", "litres aux cent kilomètres", False),
    "Mbps": ("mégabit par seconde", "mégabits par seconde", False),
    "Gbps": ("gigabit par seconde", "gigabits par seconde", False),
    "kbps": ("kilobit par seconde", "kilobits par seconde", False),
    "kbit/s": ("kilobit par seconde", "kilobits par seconde", False),
    "km2": ("kilomètre carré", "kilomètres carrés", False),
    "m2": ("mètre carré", "mètres carrés", False),
    "cm2": ("centimètre carré", "centimètres carrés", False),
    "m3": ("mètre cube", "mètres cubes", False),
    "kb": ("kilobit", "kilobits", False),
    "Mb": ("mégabit", "mégabits", False),
    "Gb": ("gigabit", "gigabits", False),
    "Tb": ("térabit", "térabits", False),
    "octets": ("octet", "octets", False),
    "KB": ("kilooctet", "kilooctets", False),
    "kB": ("kilooctet", "kilooctets", False),
    "MB": ("mégaoctet", "mégaoctets", False),
    "GB": ("gigaoctet", "gigaoctets", False),
    "TB": ("téraoctet", "téraoctets", False),
    "bit": ("bit", "bits", False),
    "bits": ("bit", "bits", False),
    "ch": ("cheval", "chevaux", False),
    "tr": ("tour", "tours", False),
    "m/s": ("mètre par seconde", "mètres par seconde", False),
    "Mbit/s": ("mégabit par seconde", "mégabits par seconde", False),
    "Gbit/s": ("gigabit par seconde", "gigabits par seconde", False),
    "km²": ("kilomètre carré", "kilomètres carrés", False),
    "m²": ("mètre carré", "mètres carrés", False),
    "cm²": ("centimètre carré", "centimètres carrés", False),
    "m³": ("mètre cube", "mètres cubes", False),
    "°C": ("degré Celsius", "degrés Celsius", False),
    "°F": ("degré Fahrenheit", "degrés Fahrenheit", False),
    "°": ("degré", "degrés", False),
    "km": ("kilomètre", "kilomètres", False),
    "cm": ("centimètre", "centimètres", False),
    "mm": ("millimètre", "millimètres", False),
    "m": ("mètre", "mètres", False),
    "kg": ("kilo", "kilos", False),
    "mg": ("milligramme", "milligrammes", False),
    "g": ("gramme", "grammes", False),
    "t": ("tonne", "tonnes", True),
    "ha": ("hectare", "hectares", False),
    "L": ("litre", "litres", False),
    "l": ("litre", "litres", False),
    "cl": ("centilitre", "centilitres", False),
    "ml": ("millilitre", "millilitres", False),
    "mL": ("millilitre", "millilitres", False),
    "min": ("minute", "minutes", True),
    "ms": ("milliseconde", "millisecondes", True),
    "s": ("seconde", "secondes", True),
    "ko": ("kilooctet", "kilooctets", False),
    "Ko": ("kilooctet", "kilooctets", False),
    "Mo": ("mégaoctet", "mégaoctets", False),
    "Go": ("gigaoctet", "gigaoctets", False),
    "To": ("téraoctet", "téraoctets", False),
    "Hz": ("hertz", "hertz", False),
    "kHz": ("kilohertz", "kilohertz", False),
    "MHz": ("mégahertz", "mégahertz", False),
    "GHz": ("gigahertz", "gigahertz", False),
    "kWh": ("kilowattheure", "kilowattheures", False),
    "MWh": ("mégawattheure", "mégawattheures", False),
    "W": ("watt", "watts", False),
    "kW": ("kilowatt", "kilowatts", False),
    "MW": ("mégawatt", "mégawatts", False),
    "GW": ("gigawatt", "gigawatts", False),
    "V": ("volt", "volts", False),
    "dB": ("décibel", "décibels", False),
    "pts": ("point", "points", False),
    "j": ("jour", "jours", False),
    "mAh": ("milliampère-heure", "milliampères-heure", False),
    "Ah": ("ampère-heure", "ampères-heure", False),
    "mA": ("milliampère", "milliampères", False),
    "Wh": ("wattheure", "wattheures", False),
    "GWh": ("gigawattheure", "gigawattheures", False),
    "TWh": ("térawattheure", "térawattheures", False),
    "mW": ("milliwatt", "milliwatts", False),
    "TW": ("térawatt", "térawatts", False),
    "kV": ("kilovolt", "kilovolts", False),
    "mV": ("millivolt", "millivolts", False),
    "nm": ("nanomètre", "nanomètres", False),
    "μm": ("micromètre", "micromètres", False),
    "μs": ("microseconde", "microsecondes", True),
    "ns": ("nanoseconde", "nanosecondes", True),
    "μg": ("microgramme", "microgrammes", False),
    "Po": ("pétaoctet", "pétaoctets", False),
    "PB": ("pétaoctet", "pétaoctets", False),
    "Gbit": ("gigabit", "gigabits", False),
    "Mbit": ("mégabit", "mégabits", False),
    "px": ("pixel", "pixels", False),
    "hPa": ("hectopascal", "hectopascals", False),
    "kcal": ("kilocalorie", "kilocalories", True),
    "Mt": ("mégatonne", "mégatonnes", True),
    "Gt": ("gigatonne", "gigatonnes", True),
    "ppm": ("partie par million", "parties par million", True),
    "TFLOPS": ("téraflops", "téraflops", False),
    "Tflops": ("téraflops", "téraflops", False),
    "PFLOPS": ("pétaflops", "pétaflops", False),
    "Pflops": ("pétaflops", "pétaflops", False),
}

# Abbreviation patterns -> spoken form. GLUE keeps a title with the name it introduces.
_CAP_NEXT = rf"(?=[{_UP}])"
_ABBREVIATIONS: list[tuple[str, str]] = [
    (r"\s?\bav\.\s*J\.?-C\.", GLUE + "avant Jésus-Christ"),
    (r"\s?\bapr\.\s*J\.?-C\.", GLUE + "après Jésus-Christ"),
    (r"\bJ\.-C\.", "Jésus-Christ"),
    (r"\bc\.-à-d\.|\bc-à-d\b\.?|\bcàd\b", "c'est-à-dire"),
    (r"\bp\.\s?ex\.|\bpar ex\.", "par exemple"),
    (r"\bcf\.|\bCf\.", "confer"),
    (r"\bMM\.\s+(?=[" + _UP + r"]|les\b)", "Messieurs" + GLUE),
    (r"\bM\.\s+(?=[" + _UP + r"]|le\b|la\b|l['’]|de\b|du\b)", "Monsieur" + GLUE),
    (r"\bMmes\b\.?\s*", "Mesdames" + GLUE),
    (r"\bMme\b\.?\s*", "Madame" + GLUE),
    (r"\bMlles\b\.?\s*", "Mesdemoiselles" + GLUE),
    (r"\bMlle\b\.?\s*", "Mademoiselle" + GLUE),
    (r"\bMgr\b\.?\s*", "Monseigneur" + GLUE),
    (r"\bDrs?\b\.?\s+" + _CAP_NEXT, "Docteur" + GLUE),
    (r"\bPr\b\.?\s+" + _CAP_NEXT, "Professeur" + GLUE),
    (r"\bSte\b\.?(?=[\s-]+[" + _UP + "])", "Sainte"),
    (r"\bSt\b\.?(?=[\s-]+[" + _UP + "])", "Saint"),
    (r"\b[nN][°º]s\s*", "numéros" + GLUE),
    (r"\b[nN][°º]\s*", "numéro" + GLUE),
    (r"\b[nN]o\.?\s?(?=\d)", "numéro" + GLUE),  # "le no 5 mondial"
    (r"\benv\.\s*(?=\d)", "environ "),
    (r"\bpp\.\s*(?=\d)", "pages" + GLUE),
    (r"\bp\.\s*(?=\d)", "page" + GLUE),
    (r"\bvol\.\s*(?=\d)", "volume" + GLUE),
    (r"\bchap\.\s*(?=\d)", "chapitre" + GLUE),
    (r"\bvs\b\.?(?=\s)", "contre"),
    (r"\bCie\b", "compagnie"),
    (r"\bhab\.", "habitants"),
    (r"\b[tT]él\.", "téléphone"),
    (r"\b[rR]éf\.", "référence"),
    (r"\bÉ\.-U\.|\bÉ-U\b", "États-Unis"),
]
_ABBREV_AT_END = re.compile(rf"(?:J\.-C\.|É\.-U\.)(?=\s+[{_UP}«])")
_ETC = re.compile(rf"(?<!slash{GLUE})\betc\b(?:\.{{1,3}}|…)?(?P<end>(?=\s*$)|(?=\s+[{_UP}«]))?")

# All-caps words read as words, not spelled; anything else up to 5 capitals is spelled.
_SAID_AS_WORDS = {
    "OUI",
    "NON",
    "ENA",
    "BAC",
    "OTAN",
    "NASA",
    "UNESCO",
    "UNICEF",
    "SIDA",
    "OVNI",
    "INSEE",
    "CNIL",
    "COVID",
    "OPEP",
    "CAC",
    "ONU",
    "AFNOR",
    "INSERM",
    "DARES",
    "IFOP",
    "MEDEF",
    "SMIC",
    "CAF",
    "ZAD",
    "FIFA",
    "UEFA",
    "LOL",
    "STOP",
    "PARIS",
    "FRANCE",
    "EUROPE",
    "ALERTE",
    "FIN",
    "LE",
    "LA",
    "LES",
    "UN",
    "UNE",
    "DE",
    "DES",
    "DU",
    "ET",
    "OU",
    "EN",
    "AU",
    "AUX",
    "IL",
    "ELLE",
    "ON",
    "NOUS",
    "VOUS",
    "EST",
    "PAS",
    "PLUS",
}
_SPELLED_ANYWAY = {"ONU"}
_LETTER_NAMES = {"Y": "i grec", "W": "double vé"}

_VOWELS = set("AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜ")


def _pronounceable(word: str) -> bool:
    if len(word) < 4:
        return False
    if not any(c in _VOWELS for c in word):
        return False
    runs = re.findall(r"[^AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜ]+", word)
    if any(len(r) >= 3 for r in runs):
        return False
    return not re.search(r"[^AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜ]{2}$", word)


def spell(letters: str) -> str:
    """IA -> 'I A' (glued): each capital said as a letter."""
    return GLUE.join(_glue(_LETTER_NAMES.get(c, c)) for c in letters)


_ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_value(s: str) -> int | None:
    if not s or not _ROMAN.match(s):
        return None
    total = 0
    for i, c in enumerate(s):
        v = _ROMAN_VALUES[c]
        total += -v if i + 1 < len(s) and _ROMAN_VALUES[s[i + 1]] > v else v
    return total or None


# Common feminine nouns counted in the news: "21 voitures" is "vingt et une voitures".
FEMININE_NOUNS = frozenset(
    "fois personne personnes heure heures minute minutes seconde secondes semaine semaines année années "
    "journée journées page pages voiture voitures femme femmes fille filles entreprise entreprises tonne "
    "tonnes ville villes région régions victime victimes maison maisons question questions chose choses "
    "idée idées édition éditions raison raisons langue langues école écoles famille familles vidéo vidéos "
    "photo photos machine machines règle règles mesure mesures étape étapes version versions place places "
    "voix nuit nuits journée étoile étoiles saison saisons lettre lettres ligne lignes équipe équipes "
    "communes commune universités université".split()
)

# Function words after which a cut would sound broken, used by the chunker too.
FUNCTION_WORDS = frozenset(
    "le la les l un une des du de d au aux à a en ce cet cette ces son sa ses mon ma mes ton ta tes "
    "leur leurs notre votre nos vos ne n se s je j tu il elle on nous vous ils elles qu que très plus "
    "sur sous dans par pour avec sans chez entre vers y et ou".split()
)


# ---------------------------------------------------------------- rules


# (pattern, replacement string or function), applied in order.
class _Gated:
    """A pattern tried only when a cheap search finds its mark in the text (a rule for e-mail
    addresses needs an "@"): most rules never match, and scanning is what costs."""

    def __init__(self, pattern: str, flags: int, gate: str):
        self.pattern = re.compile(pattern, flags)
        self.gate = re.compile(gate, flags)

    def sub(self, replacement, text: str) -> str:
        return self.pattern.sub(replacement, text) if self.gate.search(text) else text


_Pattern = re.Pattern[str] | _Gated
_rules: list[tuple[_Pattern, str | Callable[[re.Match[str]], str]]] = []


def _rule(pattern: str, flags: int = 0, gate: str | None = None):
    def register(fn):
        _rules.append((re.compile(pattern, flags) if gate is None else _Gated(pattern, flags, gate), fn))
        return fn

    return register


def _sub(pattern: str, replacement: str, flags: int = 0) -> None:
    _rules.append((re.compile(pattern, flags), replacement))


_TLD = (
    r"(?:com|fr|org|net|io|ai|eu|be|ch|ca|de|uk|us|es|it|info|dev|app|gouv\.fr|co|tv|me|ly|gg|edu|gov"
    r"|news|blog|tech|xyz|lu|mc|re|nl|jp|cn|ru)"
)

# --- URLs and e-mail addresses: say the domain.


def _say_domain(host: str) -> str:
    host = re.sub(r"^www\d?\.", "", host.lower().strip("."))
    return (GLUE + "point" + GLUE).join(p for p in host.split(".") if p)


# A URL's path never ends with the sentence's punctuation or the parenthesis around it.
_URL_PATH = r"[/?#](?:[^\s«»<>\"]*[^\s«»<>\".,;:!?)])?"


@_rule(rf"\b(?:https?|ftp)://(?:[^\s/@]+@)?(?P<host>[\w.-]+)(?::\d+)?(?:{_URL_PATH})?", re.I)
def _url(m: re.Match[str]) -> str:
    return _say_domain(m["host"]) + _trailing_punct(m)


@_rule(rf"\bwww\.(?P<host>[\w-]+(?:\.[\w-]+)+)(?:{_URL_PATH})?", re.I)
def _www(m: re.Match[str]) -> str:
    return _say_domain(m["host"]) + _trailing_punct(m)


_MAILBOX_MARKS = {".": "point", "+": "plus", "-": "tiret", "_": "tiret bas"}


@_rule(r"(?<![\w.+-])(?:mailto:)?(?P<box>[\w.+-]+)@(?P<host>[\w-]+(?:\.[\w-]+)+)\b", gate="@")
def _email(m: re.Match[str]) -> str:
    # As a newsreader says it: "redaction arobase lemonde point fr".
    box = [_glue(_MAILBOX_MARKS.get(p, p)) for p in re.split(r"([.+_-])", m["box"]) if p]
    return GLUE.join(box + ["arobase", _say_domain(m["host"])])


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


@_rule(r"(?<![^\s(«\"'’])(?P<path>~?(?:/\.?[\w+-]+(?:\.[\w+-]+)*)+/?)(?![\w/])", gate="/")
def _path(m: re.Match[str]) -> str:
    # /etc/apt/sources.list: "slash etc slash apt slash sources point list".
    if not re.search(r"[^\W\d_]{2}", m["path"]):
        return m.group(0)
    return _say_path(m["path"])


@_rule(
    rf"(?<![\w.@/-])(?P<name>[\w+-]+(?:\.[\w+-]+)*\.(?:{_FILE_EXTENSIONS}))(?!\w|\.\w)",
    gate=rf"\.(?:{_FILE_EXTENSIONS})\b",
)
def _file_name(m: re.Match[str]) -> str:
    return _say_path(m["name"])


@_rule(r"(?<![\w/.-])(?P<words>[^\W\d_][\w-]*(?:[ ]?/[ ]?[^\W\d_][\w-]*)+)(?![\w/])", gate="/")
def _word_slash(m: re.Match[str]) -> str:
    """GNU/Linux, TCP/IP: one name, said without the slash; oui/non, il/elle: an alternative, "ou"."""
    parts = [p.strip() for p in m["words"].split("/")]
    if re.search(r"\d[ ]?$", m.string[max(0, m.start() - 2) : m.start()]):
        # A unit per another after a number: the measure rules say the known ones.
        if len(parts) == 2 and parts[0] in _UNITS and parts[1] in _PER or "/".join(parts) in _UNITS:
            return m.group(0)
        if parts[0] in _UNITS or parts[-1] in _PER:
            return " par ".join([parts[0]] + [_PER.get(p, p) for p in parts[1:]])
        # Not a measure: "MPEG-4 AVC/H.264" is two names.
    if len(parts) == 2 and parts[1] in _PER_AFTER_WORD and parts[0].lower() not in _PER:
        return parts[0] + " par " + _PER[parts[1]]  # 1 800 € brut/mois, 50 € HT/an
    if any(p.isupper() for p in parts) or {"et", "ou"} & set(parts):
        return " ".join(parts)  # a compound name (GNU/Linux, TCP/IP), or "et/ou"
    return " ou ".join(parts)


@_rule(rf"(?<![\w@.-])(?P<host>[a-z0-9][\w-]*(?:\.[\w-]+)*\.{_TLD})(?P<path>/[^\s«»<>\"]*)?(?![\w-])", re.I)
def _bare_domain(m: re.Match[str]) -> str:
    return _say_domain(m["host"]) + _trailing_punct(m)


def _trailing_punct(m: re.Match[str]) -> str:
    # A URL at a sentence end swallows the final period; give it back.
    return "." if m.group(0)[-1] in ".!?" else ""


# --- quotes, ellipses and dashes that carry the phrasing.

_sub(r"\.{3,}|\.\s\.\s\.", "…")
_sub(r"[\[(]\s*…\s*[\])]", "…")  # a cut in a quotation: a pause, not a bracket
_sub(r"[“„‟«‹]\s*", "« ")
_sub(r"\s*[”»›]", " »")
_sub(r"\[\d+\]|\[réf\. nécessaire\]", "")
_sub(r"\s*[\[{]\s*", " (")
_sub(r"\s*[\]}]", ")")


@_rule(
    r"(?<![\w.,'’\"])(?:(?P<m>\d{1,2})['’](?P<ms>[0-5]\d)(?:[\"”](?P<mc>\d{2})?)?|(?P<s>\d{1,2})[\"”](?P<c>\d{2}))"
    r"(?![\w'’\"”])",
    gate=r"\d['’\"”]\d",
)
def _race_time(m: re.Match[str]) -> str:
    # A race time: 9"86 is "neuf secondes quatre-vingt-six", 1'45"30 "une minute quarante-cinq secondes trente".
    if m["s"]:
        return GLUE.join([cardinal(m["s"], True), "secondes" if int(m["s"]) > 1 else "seconde", cardinal(m["c"])])
    said = [cardinal(m["m"], True), "minutes" if int(m["m"]) > 1 else "minute", cardinal(int(m["ms"]), True)]
    if m["mc"]:
        said += ["secondes", cardinal(m["mc"])]
    return GLUE.join(said)


@_rule(r"\"")
def _straight_quote(m: re.Match[str]) -> str:
    # Paired straight quotes become « »: even ones open, odd ones close (see normalize()).
    return "\x00"


_ABBREV_AT = len(_rules)

# --- dates and times (before bare numbers and before dashes).


def _day(d: int) -> str:
    return "premier" if d == 1 else cardinal(d)


def _year(y: str) -> str:
    if len(y) == 2:
        y = ("20" if int(y) < 50 else "19") + y
    return cardinal(y)


def _date(d: str, m: str, y: str | None, source: str) -> str:
    day, month = int(d), int(m)
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return source
    spoken = [_day(day), _MONTHS[month - 1]] + ([_year(y)] if y else [])
    return GLUE.join(spoken)


@_rule(r"\b(\d{4})-(\d{2})-(\d{2})\b")
def _iso_date(m: re.Match[str]) -> str:
    return _date(m[3], m[2], m[1], m[0])


@_rule(r"(?<![\d/.])(\d{1,2})([/.])(\d{1,2})\2(\d{4}|\d{2})(?![\d/]|\.\d)")
def _dmy_date(m: re.Match[str]) -> str:
    return _date(m[1], m[3], m[4], m[0])


_WEEKDAYS = "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"


@_rule(rf"\b(?P<w>le|du|au|{_WEEKDAYS})\s+(\d{{1,2}})/(\d{{1,2}})(?![\d/])", re.I)
def _day_month(m: re.Match[str]) -> str:
    # "jeudi 12/06": a date without its year, not a fraction.
    spoken = _date(m[2], m[3], None, "")
    return f"{m['w']} {spoken}" if spoken else m.group(0)


@_rule(
    rf"(?<![\w,.–-])(?:(?P<d>1er|\d{{1,2}})\s+)?(?P<m>{'|'.join(_MONTHS)})"
    r"(?(d)(?:\s+(?P<y>\d{4}))?|\s+(?P<year>\d{4}))(?![\w,.]\d|\s\d{3}\b)"
)
def _written_date(m: re.Match[str]) -> str:
    # "le 4 mars 2024", "1er février", "mars 2024": one unit, never cut inside.
    day = m["d"]
    if day and not 1 <= int(day.removesuffix("er")) <= 31:
        return m.group(0)
    spoken = ([_day(int(day.removesuffix("er")))] if day else []) + [m["m"]]
    year = m["y"] or m["year"]
    return GLUE.join(spoken + ([cardinal(year)] if year else []))


@_rule(r"(\d{1,2}\s?h(?:\s?\d{2})?)\s?[-–]\s?(?=\d{1,2}\s?h)")
def _time_range(m: re.Match[str]) -> str:
    return m[1] + " à "  # 14h-16h: "de quatorze heures à seize heures"


def _hours(h: str) -> str:
    n = int(h)
    return cardinal(n, feminine=True) + GLUE + ("heure" if n < 2 else "heures")


@_rule(r"(?<![\d,.:])([01]?\d|2[0-4])\s?[hH]\s?([0-5]\d)(?:\s?min\b)?(?!\d)")
def _time_hm(m: re.Match[str]) -> str:
    minutes = int(m[2])
    tail = "" if minutes == 0 else GLUE + cardinal(minutes, feminine=True)
    if m.group(0).rstrip().endswith("min"):
        tail += GLUE + ("minute" if minutes < 2 else "minutes")
    return _hours(m[1]) + tail


@_rule(r"(?<![\d,.:])([01]?\d|2[0-4]):([0-5]\d)(?![\d:])")
def _time_colon(m: re.Match[str]) -> str:
    minutes = int(m[2])
    return _hours(m[1]) + ("" if minutes == 0 else GLUE + cardinal(minutes, feminine=True))


@_rule(r"(?<![\d,.:])(\d{1,3})\s?h(?![\w])(?:\s?/\s?(\d+))?")
def _time_h(m: re.Match[str]) -> str:
    spoken = _hours(m[1])
    if m[2]:  # 24h/24, 7h/7
        spoken += GLUE + "sur" + GLUE + cardinal(m[2])
    return spoken


@_rule(r"(?<![\d,.])(\d+)\s?j\s?/\s?7\b")
def _days_a_week(m: re.Match[str]) -> str:
    return cardinal(m[1], feminine=False) + GLUE + "jours" + GLUE + "sur" + GLUE + "sept"


# --- money, percentages, units (before bare numbers).


_SET = r"[0-7]-[0-7](?:\s?\(\d{1,2}(?:-\d{1,2})?\))?"


@_rule(
    rf"(?<![\w.,−-])(?:{_SET}(?:,?\s{_SET})+|(?:(?<=set )|(?<=manche )|(?<=jeu )){_SET})(?![\w−-]|[.,]\d)",
    gate=r"[0-7]-[0-7]",
)
def _set_scores(m: re.Match[str]) -> str:
    # Tennis sets, 6-4, 7-5 (7-3): "six-quatre, sept-cinq (sept-trois)".
    said = re.sub(r"(\d+)-(\d+)", lambda s: cardinal(s[1]) + "-" + cardinal(s[2]), m.group(0))
    return re.sub(r"(?<=\w)\((\d+)\)", lambda s: " (" + cardinal(s[1]) + ")", said)  # 7-6(5): the tie-break


# What a number with a dash inside identifies rather than ranges: "décret n° 2024-1234" (the
# abbreviation rules made it "numéro"), "article L. 123-4".
_NUMBERED = re.compile(
    rf"(?:\b(?:numéros?|articles?|art\.|lois?|décrets?|arrêtés?|ordonnances?|directives?|règlements?|circulaires?)"
    rf"|\b[LRDA]\.?)[\s{GLUE}]*$",
    re.I,
)


@_rule(r"(?<![\w.,−-])(\d+)\s?[–—-]\s?(\d+)(?![\w−-]|[.,]\d)")
def _range(m: re.Match[str]) -> str:
    # 10-15 km: the numbers stay digits so that the unit rule still sees them. "entre 10-15":
    # "entre dix et quinze".
    before = m.string[max(0, m.start() - 12) : m.start()]
    if _NUMBERED.search(before):
        return m[1] + GLUE + "tiret" + GLUE + m[2]  # décret n° 2024-1234, article L. 123-4
    between = re.search(r"\bentre\s$", before, re.I)
    return m[1] + GLUE + ("et" if between else "à") + GLUE + m[2]


_CUR_SYMBOLS = "|".join(re.escape(c) for c in sorted(_CURRENCIES, key=len, reverse=True))
_MAG = "|".join(sorted(_MAGNITUDES, key=len, reverse=True))


def _money(int_part: str, frac: str | None, mag: str | None, cur: str) -> str:
    one, many, fem, cents_word = _CURRENCIES[cur]
    digits = _int(int_part)
    if mag:
        factor = _MAGNITUDES[mag]
        if factor >= 10**6:
            big = {10**6: ("million", "millions"), 10**9: ("milliard", "milliards")}[factor]
            value = float(f"{digits}.{frac or 0}")
            amount = decimal(digits, frac) if frac else cardinal(digits)
            elide = "d'" if one[0] in "aeiouyéè" else "de" + GLUE
            return GLUE.join([amount, big[value >= 2]]) + GLUE + elide + many
        total = int(digits) * factor + (int((frac or "0")[:3].ljust(3, "0")) * factor // 1000 if frac else 0)
        return cardinal(total) + GLUE + (one if total < 2 else many)
    units = int(digits)
    if frac and len(frac) > 2:  # 0,636 €/km: no cents, a decimal
        return decimal(digits, frac) + GLUE + (one if units < 2 else many)
    cents = int((frac or "0")[:2].ljust(2, "0"))
    if units == 0 and cents and cents_word:
        return cardinal(cents) + GLUE + cents_word
    spoken = cardinal(digits, feminine=fem)
    if re.search(r"(million|milliard)s?$", spoken):
        spoken += GLUE + ("d'" if one[0] in "aeiouyéè" else "de" + GLUE) + many
    else:
        spoken += GLUE + (one if units < 2 else many)
    if cents:
        spoken += GLUE + cardinal(cents, feminine=fem)
    return spoken


# A number where a dot may group thousands (1.299 €: digit groups of three before a currency or a
# unit in French text) or mark decimals (1.5 M€: any other group).
_NUM_DOT = r"(?P<int>\d{1,3}(?:[ .]\d{3}){1,6}(?![\d])|\d+)(?:[,.](?P<frac>\d+))?"

# What an amount or a measure is counted per: 10 €/mois, 100 Mo/s, 120 g/km.
_PER = {
    "s": "seconde",
    "sec": "seconde",
    "min": "minute",
    "h": "heure",
    "heure": "heure",
    "j": "jour",
    "jour": "jour",
    "sem": "semaine",
    "semaine": "semaine",
    "mois": "mois",
    "an": "an",
    "nuit": "nuit",
    "personne": "personne",
    "pers": "personne",
    "hab": "habitant",
    "habitant": "habitant",
    "km": "kilomètre",
    "m": "mètre",
    "m²": "mètre carré",
    "m2": "mètre carré",
    "kg": "kilo",
    "g": "gramme",
    "t": "tonne",
    "L": "litre",
    "l": "litre",
    "kWh": "kilowattheure",
    "MWh": "mégawattheure",
    "baril": "baril",
    "action": "action",
    "page": "page",
    "mot": "mot",
}
# What a word before a slash may be counted per: "brut/mois", "prix/kg" ("jour/nuit" is an
# alternative: both sides are per-words).
_PER_AFTER_WORD = {"mois", "an", "jour", "semaine", "heure", "h", "j", "kg", "km", "litre", "personne", "pers"}
_PER_AFTER_WORD |= {"habitant", "hab", "m²", "m2", "kWh", "MWh", "baril", "action"}
_PER_NAMES = "|".join(re.escape(u) for u in sorted(_PER, key=len, reverse=True))
_PER_SUFFIX = rf"(?:\s?/\s?(?P<per>{_PER_NAMES})(?![\w²/]))?"


def _per(m: re.Match[str]) -> str:
    return GLUE + "par" + GLUE + _glue(_PER[m["per"]]) if m["per"] else ""


@_rule(_NUM_START + _NUM_DOT + rf"\s?(?:(?P<mag>{_MAG})\s?)?(?P<cur>{_CUR_SYMBOLS})(?![\w$€£¥])" + _PER_SUFFIX)
def _amount_after(m: re.Match[str]) -> str:
    return _money(m["int"], m["frac"], m["mag"], m["cur"]) + _per(m)


@_rule(
    r"(?P<cur>[$€£])\s?(?P<int>\d{1,3}(?:[ .,]\d{3}){1,6}(?!\d)|\d+)(?:[.,](?P<frac>\d+))?"
    + rf"(?:\s?(?P<mag>{_MAG}|bn|mn)\b)?"
)
def _amount_before(m: re.Match[str]) -> str:
    mag = {"bn": "Md", "mn": "M"}.get(m["mag"] or "", m["mag"])
    return _money(m["int"], m["frac"], mag, m["cur"])


@_rule(r"(?<![\w,.])(?P<sign>[+\-−±])?" + _NUM_DOT + r"\s?(?P<pc>%|‰|pour ?cent\b)")
def _percent(m: re.Match[str]) -> str:
    sign = {"+": "plus", "-": "moins", "−": "moins", "±": "plus ou moins"}.get(m["sign"] or "", "")
    word = "pour" + GLUE + ("mille" if m["pc"] == "‰" else "cent")
    return GLUE.join(x for x in (sign, number(m["int"], m["frac"]), word) if x)


_UNIT_NAMES = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))


@_rule(_NUM_START + r"(?P<sign>[−+±-])?" + _NUM_DOT + rf"\s?(?P<unit>{_UNIT_NAMES})" + _PER_SUFFIX + r"(?![\w²³/'’])")
def _measure(m: re.Match[str]) -> str:
    one, many, fem = _UNITS[m["unit"]]
    value = float(f"{_int(m['int'])}.{m['frac'] or 0}")
    spoken = number(m["int"], m["frac"], feminine=fem) + GLUE + _glue(one if value < 2 else many)
    sign = _SIGNS.get(m["sign"] or "", "")
    return (_glue(sign) + GLUE if sign else "") + spoken + _per(m)


_SIGNS = {"+": "plus", "-": "moins", "−": "moins", "±": "plus ou moins"}


# --- ordinals: 1er, 1re, 2e, XIXe, and roman numerals after a name.


@_rule(r"\b(\d+)(?P<suf>er|re|ère|ere|nde?|e|ème|eme|è)(?P<pl>s?)\b")
def _ordinal(m: re.Match[str]) -> str:
    n, suf = int(m[1]), m["suf"]
    spoken = _ordinal_singular(n, suf, "")
    if not spoken:
        return m.group(0)
    return spoken + ("s" if m["pl"] else "")  # les 1ers, les 2es


def _ordinal_singular(n: int, suf: str, written: str) -> str:
    if suf in ("nd", "nde"):
        return ("second" if suf == "nd" else "seconde") if n == 2 else written
    if suf == "er" and n != 1:
        return written
    return ordinal(n, feminine=suf in ("re", "ère", "ere"))


@_rule(r"\b(?P<r>[IVXLC]+)(?P<suf>er|re|ère|e|ème|eme)\b")
def _roman_ordinal(m: re.Match[str]) -> str:
    r = m["r"]
    value = roman_value(r)
    if value is None or (len(r) == 1 and r not in "IVX") or (m["suf"] in ("er", "re", "ère") and value != 1):
        return m.group(0)
    return ordinal(value, feminine=m["suf"] in ("re", "ère"))


@_rule(rf"\b(?P<name>[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?)\s+(?P<r>[IVX]{{2,}}|V)\b(?![\w-])")
def _regnal(m: re.Match[str]) -> str:
    value = roman_value(m["r"])
    if value is None:
        return m.group(0)
    return m["name"] + GLUE + cardinal(value)


# --- other numbers.


@_rule(r"(?<=[A-Za-z])-(?=\d)|(?<=\d)-(?=\d)")
def _model_dash(m: re.Match[str]) -> str:
    # GPT-4, CVE-2024-3094: an identifier's dashes are not said (ranges were taken before).
    return GLUE


@_rule(
    r"\b(?:(?P<q>[TQ])(?P<qn>[1-4])|(?P<h>[SH])(?P<hn>[12]))\s+(?P<y>\d{4})\b(?![.,]\d)"
    r"|(?:(?<=\b[aA]u )|(?<=\b[dD]u ))T(?P<tn>[1-4])\b",
    gate="[TQSH][1-4]",
)
def _quarter(m: re.Match[str]) -> str:
    # "T3 2024", "Q1 2025", "S1 2024", "au T2": a quarter or a half of a year ("un T3" is a flat).
    if m["h"]:
        said = ordinal(int(m["hn"])) + GLUE + "semestre"
    else:
        said = ordinal(int(m["qn"] or m["tn"])) + GLUE + "trimestre"
    return said + (GLUE + cardinal(m["y"]) if m["y"] else "")


# A name and its version numbers: "HTTP/2", "Windows 10/11", "PHP 7.4/8.1".
_VERSION = r"\d+(?:\.\d+)*(?![\w/]|\.\d)"
# Capitalized words that count things rather than name them: "Seuls 2/3 des votants".
_NOT_NAMES = FUNCTION_WORDS | {"seuls", "seules", "environ", "près", "presque", "quelque", "soit", "avec"}


def _after_a_name(m: re.Match[str]) -> bool:
    before = m.string[max(0, m.start() - 40) : m.start()].rsplit(" ", 1)[-1].strip(GLUE)
    return any(c.isupper() for c in before) and before.lower() not in _NOT_NAMES


@_rule(r"\b(?P<l>[A-Z])\.(?=\d)")
def _letter_dot_number(m: re.Match[str]) -> str:
    return m["l"] + GLUE  # H.264, H.265: a codec's name, no dot said


@_rule(rf"(?<=[\w+#])/(?={_VERSION})", gate="/")
def _name_slash_version(m: re.Match[str]) -> str:
    # HTTP/2 is "H T T P deux", one name, never "H T T P ou deux".
    return GLUE if _after_a_name(m) else m.group(0)


@_rule(rf"(?<=[\w+#])[ ](?P<a>\d+(?:\.\d+)*)/(?P<b>{_VERSION})", gate="/")
def _name_versions(m: re.Match[str]) -> str:
    return GLUE + m["a"] + " ou " + m["b"] if _after_a_name(m) else m.group(0)


@_rule(r"(?<![\w.,/-])(\d+)(?:,(?P<frac>\d+))?\s?[/⁄]\s?(\d+)(?![\w/]|[.,]\d)")
def _fraction(m: re.Match[str]) -> str:
    if m["frac"]:  # a mark: 12,5/20
        return decimal(m[1], m["frac"]) + GLUE + "sur" + GLUE + cardinal(m[3])
    num, den = int(m[1]), int(m[3])
    names = {2: ("demi", "demis"), 3: ("tiers", "tiers"), 4: ("quart", "quarts")}
    if den in names and 0 < num < 100:
        return cardinal(num) + GLUE + names[den][num > 1]
    if 5 <= den <= 10 and 0 < num < den:
        return cardinal(num) + GLUE + ordinal(den) + ("s" if num > 1 else "")
    return cardinal(m[1]) + GLUE + "sur" + GLUE + cardinal(m[3])


@_rule(r"(?<![\w.,])(\d+)(?:[.,](\d+))?\s?[x×](?=\s|$)|(?<![\w])[x×]\s?(\d+)\b")
def _times(m: re.Match[str]) -> str:
    # "10x plus", "2.5x plus", "x2": a factor.
    if m[3]:
        return "fois" + GLUE + cardinal(m[3])
    return (decimal(m[1], m[2]) if m[2] else cardinal(m[1])) + GLUE + "fois"


@_rule(r"(?<=[\w+#])[ ](?=[+-]?\d)")
def _name_number(m: re.Match[str]) -> str:
    # "PCIe 4.0", "Thunderbolt 4", "Linux 6.8": a name and its number, never cut apart.
    return GLUE if _after_a_name(m) else m.group(0)


_BIG = {"k": (1000, ""), "M": (10**6, "million"), "Md": (10**9, "milliard"), "Mds": (10**9, "milliard")}


@_rule(r"(?<![\w.,])(\d+)(?:[.,](\d+))?\s?(k|M|Mds?)(?![\w€$£¥])(?!\s?(?:€|\$|£|¥|EUR|USD|CHF))")
def _magnitude(m: re.Match[str]) -> str:
    # "10k abonnés", "1.5M de vues": a count, the dot of English writing a decimal point.
    factor, word = _BIG[m[3]]
    if not word:
        return cardinal(int(m[1]) * factor + int((m[2] or "0")[:3].ljust(3, "0")))
    value = float(f"{m[1]}.{m[2] or 0}")
    return (decimal(m[1], m[2]) if m[2] else cardinal(m[1])) + GLUE + word + ("s" if value >= 2 else "")


@_rule(r"(?<![\w,.])(?:(?P<v>v)(?=\d))?(?P<n>\d+(?:\.\d+)+)(?:-?(?P<suf>[a-z]{1,2})(?P<sufn>\d*))?(?![\w]|\.\d)")
def _dotted(m: re.Match[str]) -> str:
    parts = m["n"].split(".")
    after = m.string[m.end() : m.end() + 10]
    if m["v"] or m["suf"]:
        # v1.2.3, 802.11ac, 5.15-rc1: a version or a standard, every part said.
        said = (GLUE + "point" + GLUE).join(cardinal(p) for p in parts)
        if m["suf"]:
            said += GLUE + spell(m["suf"].upper()) + (GLUE + cardinal(m["sufn"]) if m["sufn"] else "")
        return ("version" + GLUE if m["v"] else "") + said
    if len(parts) == 2 and len(parts[1]) != 3 and re.match(r"\s?(?:%|€|\$|°|millions?\b|milliards?\b)", after):
        return decimal(parts[0], parts[1])  # 3.5 % written the English way: still "virgule"
    if len(parts) >= 2 and all(len(p) == 3 for p in parts[1:]) and len(parts[0]) <= 3 and parts[0] != "0":
        return cardinal("".join(parts))  # 1.000.000 written the English way
    return (GLUE + "point" + GLUE).join(cardinal(p) for p in parts)  # version 3.1


@_rule(r"(?<![\w.,])v(?=\d+(?![\w.]|\.\d))")
def _version_v(m: re.Match[str]) -> str:
    return "version" + GLUE  # "la v2 du site"


@_rule(r"(?:(?<=\s)|(?<=^)|(?<=\())[−-](?=\d)")
def _minus(m: re.Match[str]) -> str:
    return "moins" + GLUE


@_rule(r"(?:(?<=\s)|(?<=^)|(?<=\())\+(?=\d)")
def _plus_sign(m: re.Match[str]) -> str:
    return "plus" + GLUE


@_rule(r"(?<=\d)(?=[A-Za-z])|(?<=[A-Za-z])(?=\d)")
def _letter_digit(m: re.Match[str]) -> str:
    return GLUE


@_rule(_NUM_START + _NUM + r"(?!\d)")
def _number(m: re.Match[str]) -> str:
    following = re.match(r"\s+(\w+)", m.string[m.end() : m.end() + 30])
    feminine = following is not None and following[1].lower() in FEMININE_NOUNS and not m["frac"]
    return number(m["int"], m["frac"], feminine=feminine)


@_rule(r"\d+")
def _leftover_digits(m: re.Match[str]) -> str:
    return cardinal(m.group(0))


# --- acronyms and model names.


@_rule(r"(?<![\w.])(?P<a>[A-Za-z][\w+-]*[A-Za-z0-9])\.(?P<b>[a-z]{2,}|[A-Z]{2,})\b(?!\.\w)", gate=r"\w\.\w")
def _dotted_name(m: re.Match[str]) -> str:
    # Node.js, Vue.js, Socket.IO: a name with a dot inside, said "point"; never a raw dot.
    if m["b"] in FUNCTION_WORDS:
        return m["a"] + " " + m["b"]  # a missing space: "sorti.le lendemain"
    tail = spell(m["b"].upper()) if len(m["b"]) <= 2 else m["b"]
    return m["a"] + GLUE + "point" + GLUE + tail


@_rule(r"\b(?:[A-Z]\.){2,}(?![\w])")
def _dotted_acronym(m: re.Match[str]) -> str:
    return spell(m.group(0).replace(".", ""))


@_rule(rf"\b([A-Z])\.\s+(?=[{_UP}])")
def _initial(m: re.Match[str]) -> str:
    # "J. K. Rowling", but not "le plan B. Ensuite", where the period ends a sentence.
    before = m.string[max(0, m.start() - 30) : m.start()].split()
    next_is_initial = re.match(r"[A-Z]\.", m.string[m.end() : m.end() + 2])
    if not next_is_initial and before and before[-1].isalpha() and before[-1].islower():
        return m.group(0)
    return m[1] + GLUE


@_rule(rf"\b(?P<head>[{_UP}][{_LOW}]+)(?P<caps>[A-Z]{{2,4}})\b")
def _camel_acronym(m: re.Match[str]) -> str:
    return m["head"] + GLUE + spell(m["caps"])


@_rule(rf"(?<![\w-])(?P<w>[{_UP}]{{2,5}})(?P<pl>s)?\b(?![{_APOS}-])")
def _acronym(m: re.Match[str]) -> str:
    w = m["w"]
    value = roman_value(w) if re.fullmatch("[IVX]+", w) else None
    if value:
        return cardinal(value)  # acte III
    if (w in _SAID_AS_WORDS or _pronounceable(w)) and w not in _SPELLED_ANYWAY:
        return m.group(0)
    return spell(w)


# --- symbols with a spoken name; every other symbol and emoji is dropped below.

_sub(rf"(?<=[{_LOW}{_UP}])\s?/\s?(?=[{_LOW}{_UP}])", " ou ")
_sub(r"\s?&\s?", " et ")
_sub(r"\s[+]\s|(?<=\w)[+](?=\w)", " plus ")  # 45+2: added time
_sub(r"\s=\s", " égale ")
_sub(r"\s≈\s?|\s~\s?(?=\w)", " environ ")
_sub(r"\s×\s", " fois ")
_sub(r"§\s?", "paragraphe" + GLUE)
_sub(r"%", " pour cent")
_sub(r"‰", " pour mille")
_sub(r"\s?@\s?", " arobase ")
_sub(rf"(?<=\w)[·•](?=[{_LOW}])", "")

# --- dashes: an em/en dash or a spaced hyphen is a pause, as a comma is.
_sub(r"(?:^|(?<=\n))\s*[—–-]+\s+", "")
_sub(r"\s*[—–―]+\s*|\s+[-‐‑]+\s+", ", ")


# ---------------------------------------------------------------- homographs
# Written alike, said differently; a French voice picks the commonest reading, so the other
# one is respelled as it sounds. Rules, not a tagger: spaCy's fr_core_news_sm (6-12 s to load,
# 54-70 ms per KB) tags "l'est" and "elles couvent" wrongly and cannot tell "fils" or "plus" apart.

# Nouns/adjectives in -ent that are also verbs: "ils président", said without the "nt".
_ENT_VERBS = (
    "couvent|président|résident|violent|excellent|négligent|divergent|convergent|émergent|affluent|influent|"
    "confluent|coïncident|content|expédient|équivalent|somnolent"
)
_SUBJECT = r"(?:ils|elles|Ils|Elles|qui|qu['’]ils|qu['’]elles)"
_OBJECT = r"(?:(?:ne|n['’]|se|s['’]|les|le|la|l['’]|leur|y|en|nous|vous)[ ]?)*"
_PLURAL_NOUN = rf"\b(?:les|des|ces|mes|tes|ses|nos|vos|leurs|Les|Des|Ces)[ ](?:[{_LOW}]+[ ])?[{_LOW}]+[sx]"


_ENT_GATE = rf"\b(?:{_ENT_VERBS})\b"


def _verb_ent(m: re.Match[str]) -> str:
    return m["before"] + m["verb"][:-2]


_HOMOGRAPHS: list[tuple[_Pattern, str | Callable[[re.Match[str]], str]]] = [
    # "l'est", "nord-est", "l'Est": the direction, [ɛst].
    (_Gated(r"\b(?P<p>[lLdD]['’]|[nN]ord-|[sS]ud-)(?:est|Est)\b", 0, "[eE]st"), r"\g<p>este"),
    # A plural subject, or a noun said twice ("du couvent couvent"): the verb.
    (_Gated(rf"(?P<before>\b{_SUBJECT}[ ]{_OBJECT})(?P<verb>{_ENT_VERBS})\b", 0, _ENT_GATE), _verb_ent),
    (_Gated(rf"(?P<before>\b(?P<w>{_ENT_VERBS})[ ])(?P<verb>(?P=w))\b", 0, _ENT_GATE), _verb_ent),
    (
        _Gated(
            rf"(?P<before>{_PLURAL_NOUN}[ ])(?P<verb>{_ENT_VERBS})(?=[ ](?:les|leurs|des|la|le|l['’]|sur|en)\b)",
            0,
            _ENT_GATE,
        ),
        _verb_ent,
    ),
    # "fils" (threads), [fil], before what only threads have.
    (
        _Gated(
            r"\bfils(?=[ ](?:électriques|de[ ](?:fer|cuivre|laine|soie|coton|nylon|pêche|discussion|connexion)"
            r"|conducteurs|barbelés|téléphoniques|d['’]araignée|de[ ]la[ ]discussion))",
            0,
            r"\bfils\b",
        ),
        "fil",
    ),
]

# "plus" at the end of a clause is [plys] ("il en veut plus"), unless a negation ends in it
# ("il n'en veut plus", "non plus").
_PLUS_AT_END = re.compile(r"\b([pP])lus(?=[ ]?(?:[.,;:!?…)»]|$))")
_NEGATION = re.compile(r"\b(?:ne\W|n['’]|non\W|sans\W|ni\W|jamais\W)", re.I)


def _plus(m: re.Match[str]) -> str:
    if m.start() and m.string[m.start() - 1] == GLUE:
        return m.group(0)  # inside a fixed form: "C plus plus"
    clause = re.split(r"[.,;:!?…(«]", m.string[max(0, m.start() - 80) : m.start()])[-1]
    if _NEGATION.search(clause + " "):
        return m.group(0)
    return m[1] + "lusse"


_HOMOGRAPHS.append((_PLUS_AT_END, _plus))


# ---------------------------------------------------------------- driver

_KEEP_PUNCT = set(".,;:!?…'’«»()-")


def _drop_symbols(text: str) -> str:
    """Emoji and symbols have no sound: drop them (private-use placeholders are kept)."""
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat[0] in "LN" or ch in " \n" or ch == GLUE or ch in _KEEP_PUNCT:
            out.append(ch)
        elif cat == "Co" and _PH_FIRST <= ord(ch) <= 0x10FFFD:
            out.append(ch)
        elif cat[0] == "Z":
            out.append(" ")
        elif cat[0] == "P" and cat in ("Pd",):
            out.append("-")
        elif cat[0] == "M" and out and out[-1].isalpha():
            out.append(ch)  # accents written as combining marks stay on their letter
        else:
            out.append(" ")
    return "".join(out)


_PH_FIRST, _PH_LAST = 0xF0000, 0xFFFFD

_SPACE_BEFORE = re.compile(rf"[ {GLUE}]+(?=[,.…)])")
_GLUE_BEFORE = re.compile(rf"[ {GLUE}]*([;:!?»])")
_GLUE_AFTER = re.compile(rf"«[ {GLUE}]*")
_OPEN_PAREN = re.compile(rf"\([ {GLUE}]+")
_REPEATED = re.compile(rf"([,;:!?.…])(?:[ {GLUE}]*[,;:.]+)+")
_EMPTY_PAIRS = re.compile(rf"\([ {GLUE},;:.]*\)|«[ {GLUE},;:.]*»")
_WORDLESS = re.compile(r"[^\w\U000F0000-\U0010FFFD]+")


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t\n\r\f\v]+", " ", text)
    for _ in range(2):
        text = _EMPTY_PAIRS.sub(" ", text)
    text = _REPEATED.sub(lambda m: m.group(1), text)
    text = re.sub(r"([!?])(?:[ ]*[!?])+", lambda m: m.group(0)[0], text)
    text = _SPACE_BEFORE.sub("", text)
    text = _GLUE_BEFORE.sub(GLUE + r"\1", text)
    text = _GLUE_AFTER.sub("«" + GLUE, text)
    text = _OPEN_PAREN.sub("(", text)
    text = re.sub(rf"[ {GLUE}]{{2,}}", lambda m: GLUE if GLUE in m.group(0) else " ", text)
    text = _WORDLESS.sub(_shorten_wordless, text)
    # Nothing to say before the first word but an opening mark.
    text = re.sub(r"^[^\w«(\U000F0000-\U0010FFFD]+", "", text)
    return text.strip(" " + GLUE)


def _shorten_wordless(m: re.Match[str]) -> str:
    """A long run of marks between words says nothing: keep its strongest pause only."""
    s = m.group(0)
    if len(s.replace(" ", "").replace(GLUE, "")) <= 4:
        return s
    for marks in (".!?…", ";:", ","):
        for ch in s:
            if ch in marks:
                return GLUE + ch + " " if ch in "!?;:" else ch + " "
    return " "


class Lexicon:
    """A lexicon (written form -> spoken form) compiled once into one matcher.

    Keys are folded as the text is (see `_preclean`). Matching is what one regex alternation
    of all keys, longest first, between non-word characters would give (leftmost, then
    longest), but done with a dict lookup per candidate length: linear in the text whatever
    the number of entries, where a 100k-key alternation took minutes.
    """

    def __init__(self, entries: Mapping[str, str]):
        self.spoken: dict[str, str] = {}
        for key, value in entries.items():
            folded = _preclean(key).strip()
            if folded:
                self.spoken[folded] = " ".join(value.split())
        # Candidates: a key starts at a word (its first run of word characters, looked up in
        # a dict), or, for the few keys that start with a mark, at that mark.
        lengths: dict[str, set[int]] = {}
        for key in self.spoken:
            head = _WORD_RUN.match(key)
            lengths.setdefault(head.group(0) if head else key[0], set()).add(len(key))
        self.lengths = {head: sorted(ls, reverse=True) for head, ls in lengths.items()}
        marks = "".join(sorted({re.escape(h) for h in self.lengths if not _WORD_CHAR.match(h)}))
        self.marks = re.compile(rf"(?<!\w)[{marks}]") if marks else None

    def __len__(self) -> int:
        return len(self.spoken)

    def _candidates(self, text: str):
        words = ((m.start(), m.group(0)) for m in _WORD_RUN.finditer(text) if m.group(0) in self.lengths)
        if self.marks is None:
            return words
        marks = ((m.start(), m.group(0)) for m in self.marks.finditer(text))
        return heapq.merge(words, marks)

    def find(self, text: str):
        """(start, end, spoken) of each match, left to right, never overlapping."""
        if not self.spoken:
            return
        end = 0
        for start, head in self._candidates(text):
            if start < end:
                continue
            for length in self.lengths[head]:
                key = text[start : start + length]
                if key in self.spoken and not _WORD_CHAR.match(text, start + length):
                    end = start + length
                    yield start, end, self.spoken[key]
                    break


_WORD_CHAR = re.compile(r"\w")
_WORD_RUN = re.compile(r"\w+")


def _default_entries() -> dict[str, str]:
    entries: dict[str, str] = {}
    for key, value in ENGLISH.items():
        entries[key] = value
        entries[key[0].upper() + key[1:]] = value[0].upper() + value[1:]
    return entries


@functools.lru_cache(maxsize=1)
def _default_lexicon() -> Lexicon:
    return Lexicon(_default_entries())


def compile_lexicon(user: Mapping[str, str] | Lexicon | None = None) -> Lexicon:
    """The default lexicon (words.ENGLISH) overridden by the user's entries, compiled once.

    Pass the result to `normalize` for every paragraph of an article: compiling a large
    lexicon costs far more than applying it.
    """
    if isinstance(user, Lexicon):
        return user
    if not user:
        return _default_lexicon()
    return Lexicon({**_default_entries(), **user})


# Placeholders: private-use characters of planes 15 and 16, which no rule touches. Index i
# (counted per text, in order of first use) is one plane-15 character, or a plane-16 character
# (i // _PH_SPAN) followed by one plane-15 character beyond the first _PH_SPAN entries.
_PH_SPAN = 0xFFFFE - 0xF0000
_PLACEHOLDER = re.compile("[\U00100000-\U0010fffd]?[\U000f0000-\U000ffffd]")


def _placeholder(i: int) -> str:
    high, low = divmod(i, _PH_SPAN)
    return (chr(0x100000 + high) if high else "") + chr(_PH_FIRST + low)


def _protect(text: str, lexicon: Lexicon) -> tuple[str, list[str]]:
    """Replace lexicon words by placeholders so that no rule rewrites what the user chose."""
    spoken: list[str] = []
    index: dict[str, int] = {}
    out: list[str] = []
    last = 0
    for start, end, said in lexicon.find(text):
        i = index.get(said)
        if i is None:
            i = index[said] = len(spoken)
            spoken.append(said)
        out.append(text[last:start])
        out.append(_placeholder(i))
        last = end
    if not spoken:
        return text, spoken
    out.append(text[last:])
    return "".join(out), spoken


def _restore(text: str, spoken: list[str]) -> str:
    if not spoken:
        return text

    def said(m: re.Match[str]) -> str:
        s = m.group(0)
        high = ord(s[0]) - 0x100000 if len(s) == 2 else 0
        i = high * _PH_SPAN + ord(s[-1]) - _PH_FIRST
        return spoken[i] if i < len(spoken) else ""

    return _PLACEHOLDER.sub(said, text)


def _preclean(text: str) -> str:
    text = re.sub("[™®©℠\U000f0000-\U0010fffd]", "", text)
    text = text.replace("№", "n°")
    # NFKC folds ligatures, full-width digits, superscript ordinals (1ᵉʳ), NBSPs and "…";
    # square and cubic units keep their ² and ³.
    parts = re.split(r"([²³])", text)
    text = "".join(p if p in ("²", "³") else unicodedata.normalize("NFKC", p) for p in parts)
    text = re.sub(r"(?<![\w²³])([²³])", "", text)
    return re.sub(r"[ \t\u00a0]+", " ", text)


def _pair_straight_quotes(text: str) -> str:
    marks = text.count("\x00")
    if not marks:
        return text
    if marks % 2:
        return text.replace("\x00", " ")
    out, opening = [], True
    for piece in text.split("\x00"):
        out.append(piece)
        out.append("« " if opening else " »")
        opening = not opening
    return "".join(out[:-1])


def normalize(text: str, lexicon: Mapping[str, str] | Lexicon | None = None, *, keep_glue: bool = False) -> str:
    """Rewrite `text` into the words to speak; a lexicon entry (word -> spoken form) beats every rule.

    With `keep_glue`, words that belong together stay joined by GLUE (a no-break space) for
    the chunker; otherwise the result has plain single spaces.
    """
    text = _preclean(text)
    text, spoken = _protect(text, compile_lexicon(lexicon))
    text = text.replace("\x00", " ")
    for pattern, replacement in _rules[:_ABBREV_AT]:
        text = pattern.sub(replacement, text)
    text = _pair_straight_quotes(text)
    # "... av. J.-C. Puis": the abbreviation's period also ended the sentence; keep one.
    text = _ABBREV_AT_END.sub(r"\g<0>.", text)
    for pattern, replacement in _ABBREV_RULES:
        text = pattern.sub(replacement, text)
    text = _ETC.sub(lambda m: "et" + GLUE + "cetera" + ("." if m["end"] is not None else ""), text)
    for pattern, replacement in _rules[_ABBREV_AT:]:
        text = pattern.sub(replacement, text)
    for pattern, replacement in _HOMOGRAPHS:
        text = pattern.sub(replacement, text)
    text = _drop_symbols(text)
    text = _tidy(text)
    text = _restore(text, spoken)
    if not keep_glue:
        text = text.replace(GLUE, " ")
    return text


# Abbreviations run after URLs and quotes (which contain dots) and before dates and numbers.
# An expanded abbreviation is one unit for the chunker: "par exemple", "avant Jésus-Christ".
_ABBREV_RULES: list[tuple[_Pattern, str | Callable[[re.Match[str]], str]]] = []


def _alternation(keys) -> str:
    return "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))


# A month abbreviation may open a sentence: "Janv. 2024".
_ABBREVIATIONS_ANY_CASE = {
    **ABBREVIATIONS,
    **{k[0].upper() + k[1:]: v[0].upper() + v[1:] for k, v in ABBREVIATIONS.items() if v in _MONTHS},
}
_MONTH_ABBREVIATIONS = {k for k, v in _ABBREVIATIONS_ANY_CASE.items() if v.lower() in _MONTHS}


# "sept." is also the number seven ending a sentence ("le chapitre sept.", "Ils étaient sept.");
# every other abbreviated month is a month. "sept." is the month where its period ends no
# sentence (a lowercase word, a comma or a number follows: "en sept. dernier", "sept. 2020"),
# or after a day or a word that only a month follows ("le 3 sept.", "fin sept.", "mi-sept.").
_SEPT_MONTH_AFTER = re.compile(rf"[\s{GLUE}]*(?:[,;:)\d]|(?<=\s)[{_LOW}])")
_SEPT_MONTH_BEFORE = re.compile(
    rf"(?:\d(?:er)?|\b(?:premier|depuis|dès|fin|début|mi|courant|jusqu['’]en|mois[\s{GLUE}]de))[\s{GLUE}-]*$", re.I
)


def _is_month(m: re.Match[str]) -> bool:
    if m.group(0).lower() != "sept.":
        return True
    after = m.string[m.end() : m.end() + 3]
    before = m.string[max(0, m.start() - 12) : m.start()]
    return bool(_SEPT_MONTH_AFTER.match(after) or _SEPT_MONTH_BEFORE.search(before))


def _table_abbreviation(m: re.Match[str]) -> str:
    key = m.group(0)
    if key in _MONTH_ABBREVIATIONS and not _is_month(m):
        return key
    said = _glue(_ABBREVIATIONS_ANY_CASE[key])
    if said[0].isupper() and key not in _MONTH_ABBREVIATIONS:
        return said + GLUE if re.match(rf"\s+[{_UP}]", m.string[m.end() :]) else said
    # The abbreviation's period may also end the sentence: keep one.
    return said + ("." if _ENDS_A_SENTENCE.match(m.string, m.end()) else "")


_ENDS_A_SENTENCE = re.compile(rf"\s+(?:[{_UP}](?!{GLUE})|«)|\s*$")


_ABBREV_RULES.append((re.compile(rf"(?<![\w.])(?:{_alternation(_ABBREVIATIONS_ANY_CASE)})(?!\w)"), _table_abbreviation))
_DAYS_ANY_CASE = {**DAY_ABBREVIATIONS, **{k.capitalize(): v.capitalize() for k, v in DAY_ABBREVIATIONS.items()}}
_DAY_ABBREVIATION = rf"(?<![\w.])(?:{_alternation(_DAYS_ANY_CASE)})"
# A weekday where a date, an hour or another weekday follows ("mar. 14 mai", "sam. 10h",
# "du lun. au ven."); "mer." and "sam." alone are words.
_ABBREV_RULES.append(
    (
        _Gated(rf"(?P<a>{_DAY_ABBREVIATION})\s?[-–]\s?(?P<b>{_DAY_ABBREVIATION})", 0, r"\.\s?[-–]"),
        lambda m: (
            GLUE.join(["du", _DAYS_ANY_CASE[m["a"]].lower(), "au", _DAYS_ANY_CASE[m["b"]].lower()])
            + ("." if _ENDS_A_SENTENCE.match(m.string, m.end()) else "")
        ),
    )
)
_ABBREV_RULES.append(
    (
        _Gated(
            _DAY_ABBREVIATION
            + rf"(?=\s+\d{{1,2}}(?:er)?\s+(?:{'|'.join(_MONTHS)}|{_alternation(_MONTH_ABBREVIATIONS)}|au|et)\b"
            rf"|\s+(?:à\s+)?\d{{1,2}}\s?h\b|\s+au\s+{_DAY_ABBREVIATION})"
            rf"|(?:(?<=\bau )|(?<=\bchaque )|(?<=\btous les ))(?:{_alternation(_DAYS_ANY_CASE)})",
            0,
            r"\.\s+(?:\d|au\b|à\b)|(?:chaque|au|tous les) \w{3}\.",
        ),
        lambda m: _DAYS_ANY_CASE[m.group(0)],
    )
)
_ABBREV_RULES.append(
    (
        re.compile(rf"\b(?P<t>{_alternation(TITLES)})\.?\s+(?=[{_UP}][{_LOW}])"),
        lambda m: TITLES[m["t"]] + GLUE,
    )
)
# Table acronyms are whole words; digits may follow (COP28: "cop vingt-huit").
_ABBREV_RULES.append(
    (re.compile(rf"(?<![\w-])(?:{_alternation(ACRONYMS)})(?![^\W\d_]|-\w)"), lambda m: _glue(ACRONYMS[m.group(0)]))
)


def _caps_and_tail(m: re.Match[str]) -> str:
    # IPv4, GPLv3, ARMv8, PCIe, NVMe: capitals spelled (or as the table says), then the letter.
    if m["tail"] == "e" and roman_value(m["caps"]):
        return m.group(0)  # XIXe: an ordinal
    caps = ACRONYMS.get(m["caps"]) or spell(m["caps"])
    return _glue(caps) + GLUE + m["tail"].upper() + (GLUE if m["tail"] == "v" else "")


_ABBREV_RULES.append((re.compile(r"(?<![\w-])(?P<caps>[A-Z]{2,5})(?P<tail>v(?=\d)|e\b)"), _caps_and_tail))


# "article L. 123-4": the code's letter, not the end of a sentence (before "art." is expanded).
_ABBREV_RULES.insert(
    0,
    (
        _Gated(
            r"(?:(?<=\barticle )|(?<=\barticles )|(?<=\b[aA]rt\. ))(?P<l>[LRDA])\.\s+(?=\d)", 0, r"rt(?:\.|icles?) "
        ),
        lambda m: m["l"] + GLUE,
    ),
)


def _middle_initial(m: re.Match[str]) -> str:
    # "Richard M. Stallman": an initial after a first name mid-sentence, not "Monsieur".
    before = m.string[max(0, m.start() - 3) : m.start()].rstrip(" " + GLUE)
    if not before or before[-1] in ".!?:«(\n":
        return m.group(0)
    return m["first"] + " " + m["initial"] + GLUE


_ABBREV_RULES.append(
    (re.compile(rf"\b(?P<first>[{_UP}][{_LOW}]+) (?P<initial>[A-Z])\.(?= [{_UP}][{_LOW}])"), _middle_initial)
)
_ABBREV_RULES += [(re.compile(p), _glue(r)) for p, r in _ABBREVIATIONS]


# ---------------------------------------------------------------- lexicon


def load_lexicon(path: str | Path) -> dict[str, str]:
    """A TOML file of `word = "spoken form"`; anything else is an InputError naming file and key."""
    path = Path(path)
    data = read_toml(path, "lexicon")
    lexicon: dict[str, str] = {}
    for key, value in data.items():
        if not isinstance(value, str):
            raise InputError(
                f"lexicon key {key!r}: the spoken form must be a string, not {type(value).__name__}", path=path
            )
        if not key.strip() or not value.strip():
            raise InputError(f"lexicon key {key!r}: word and spoken form must not be empty", path=path)
        lexicon[key] = value
    return lexicon
