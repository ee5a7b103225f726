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
DIGITS = "0123456789"
"""`needs` of a rule that only matches around a digit (other decimal digits are made ASCII first)."""
_CAPITALS = "ABCDEFGHIJKLMNOPQRSTUVWXYZÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞ"

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

# Abbreviation patterns -> spoken form, and strings one of which a match holds (see _Gated).
# GLUE keeps a title with the name it introduces.
_CAP_NEXT = rf"(?=[{_UP}])"
_ABBREVIATIONS: list[tuple[str, str, tuple[str, ...]]] = [
    (r"\s?\bav\.\s*J\.?-C\.", GLUE + "avant Jésus-Christ", ("av.",)),
    (r"\s?\bapr\.\s*J\.?-C\.", GLUE + "après Jésus-Christ", ("apr.",)),
    (r"\bJ\.-C\.", "Jésus-Christ", ("J.-C.",)),
    (r"\bc\.-à-d\.|\bc-à-d\b\.?|\bcàd\b", "c'est-à-dire", ("à",)),
    (r"\bp\.\s?ex\.|\bpar ex\.", "par exemple", ("ex.",)),
    (r"\bcf\.|\bCf\.", "confer", ("f.",)),
    (r"\bMM\.\s+(?=[" + _UP + r"]|les\b)", "Messieurs" + GLUE, ("MM.",)),
    (r"\bM\.\s+(?=[" + _UP + r"]|le\b|la\b|l['’]|de\b|du\b|et\s+Mmes?\b)", "Monsieur" + GLUE, ("M.",)),
    (r"\bMmes\b\.?\s*", "Mesdames" + GLUE, ("Mmes",)),
    (r"\bMme\b\.?\s*", "Madame" + GLUE, ("Mme",)),
    (r"\bMlles\b\.?\s*", "Mesdemoiselles" + GLUE, ("Mlles",)),
    (r"\bMlle\b\.?\s*", "Mademoiselle" + GLUE, ("Mlle",)),
    (r"\bMgr\b\.?\s*", "Monseigneur" + GLUE, ("Mgr",)),
    (r"\bDrs\b\.?\s+" + _CAP_NEXT, "Docteurs" + GLUE, ("Drs",)),
    (r"\bDr\b\.?\s+" + _CAP_NEXT, "Docteur" + GLUE, ("Dr",)),
    (r"\bPr\b\.?\s+" + _CAP_NEXT, "Professeur" + GLUE, ("Pr",)),
    (r"\bSte\b\.?(?=[\s-]+[" + _UP + "])", "Sainte", ("Ste",)),
    (r"\bSt\b\.?(?=[\s-]+[" + _UP + "])", "Saint", ("St",)),
    (r"\b[nN][°º]s\s*", "numéros" + GLUE, ("°", "º")),
    (r"\b[nN][°º]\s*", "numéro" + GLUE, ("°", "º")),
    (r"\b[nN]o\.?\s?(?=\d)", "numéro" + GLUE, tuple(DIGITS)),  # "le no 5 mondial"
    (r"\benv\.\s*(?=\d)", "environ ", ("env.",)),
    (r"\bpp\.\s*(?=\d)", "pages" + GLUE, ("pp.",)),
    (r"\bp\.\s*(?=\d)", "page" + GLUE, ("p.",)),
    (r"\bvol\.\s*(?=\d)", "volume" + GLUE, ("vol.",)),
    (r"\bVol\.\s*(?=\d)", "Volume" + GLUE, ("Vol.",)),
    (r"\bchap\.\s*(?=\d)", "chapitre" + GLUE, ("chap.",)),
    (r"\bChap\.\s*(?=\d)", "Chapitre" + GLUE, ("Chap.",)),
    (r"\bvs\b\.?(?=\s)", "contre", ("vs",)),
    (r"\bCie\b", "compagnie", ("Cie",)),
    (r"\bhab\.", "habitants", ("hab.",)),
    (r"\b[tT]él\.", "téléphone", ("él.",)),
    (r"\b[rR]éf\.", "référence", ("éf.",)),
    (r"\bÉ\.-U\.|\bÉ-U\b", "États-Unis", ("É",)),
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
    "MAX",
    "PRO",
    "ULTRA",
    "MINI",
    "AIR",
    "NEO",
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

# Function words a phrase never ends on (articles, determiners, clitics, prepositions): the
# chunker cuts after one only when no other cut is within the limit.
FUNCTION_WORDS = frozenset(
    "le la les l un une des du de d au aux à a en ce cet cette ces son sa ses mon ma mes ton ta tes "
    "leur leurs notre votre nos vos ne n se s je j tu il elle on nous vous ils elles qu que très plus "
    "sur sous dans par pour avec sans chez entre vers y et ou "
    "me m te t lui quel quelle quels quelles chaque plusieurs quelques aucun aucune certains certaines "
    "toute toutes tout tous selon parmi durant dès via hors sauf lors envers malgré pendant depuis contre "
    "jusqu jusque outre dont".split()
)


# ---------------------------------------------------------------- rules


# (pattern, replacement string or function), applied in order.
class _Gated:
    """A pattern tried only when a cheap search finds its mark in the text (a rule for e-mail
    addresses needs an "@"): most rules never match, and scanning is what costs.

    `gate` is a regex searched for; `needs` is a string of characters (or a tuple of strings)
    one of which must occur, checked with `in` (a memchr-fast scan): most paragraphs hold no
    digit, and then some forty number rules are skipped.
    """

    def __init__(self, pattern: str, flags: int, gate: str | None = None, needs: str | tuple[str, ...] = ""):
        self.pattern = re.compile(pattern, flags)
        self.gate = re.compile(gate, flags) if gate else None
        self.needs = needs
        # One character of a set, found by one regex scan: on a paragraph, cheaper than a loop of
        # `in` (one memchr per mark), which wins on long texts.
        self.marks = re.compile(f"[{re.escape(needs)}]") if isinstance(needs, str) and needs else None

    def sub(self, replacement, text: str) -> str:
        if self.marks is not None and len(text) < 4096:
            if not self.marks.search(text):
                return text
        elif self.needs and not any(mark in text for mark in self.needs):
            return text
        if self.gate is not None and not self.gate.search(text):
            return text
        return self.pattern.sub(replacement, text)


_Pattern = re.Pattern[str] | _Gated
_rules: list[tuple[_Pattern, str | Callable[[re.Match[str]], str]]] = []


def _compile(pattern: str, flags: int, gate: str | None, needs: str | tuple[str, ...]) -> _Pattern:
    return re.compile(pattern, flags) if gate is None and not needs else _Gated(pattern, flags, gate, needs)


def _rule(pattern: str, flags: int = 0, gate: str | None = None, needs: str | tuple[str, ...] = ""):
    def register(fn):
        _rules.append((_compile(pattern, flags, gate, needs), fn))
        return fn

    return register


def _sub(pattern: str, replacement: str, flags: int = 0, needs: str | tuple[str, ...] = "") -> None:
    _rules.append((_compile(pattern, flags, None, needs), replacement))


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


@_rule(rf"\b(?:https?|ftp)://(?:[^\s/@]+@)?(?P<host>[\w.-]+)(?::\d+)?(?:{_URL_PATH})?", re.I, needs=":")
def _url(m: re.Match[str]) -> str:
    return _say_domain(m["host"]) + _trailing_punct(m)


@_rule(rf"\bwww\.(?P<host>[\w-]+(?:\.[\w-]+)+)(?:{_URL_PATH})?", re.I, needs=".")
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


@_rule(rf"(?<![\w@.-])(?P<host>[a-z0-9][\w-]*(?:\.[\w-]+)*\.{_TLD})(?P<path>/[^\s«»<>\"]*)?(?![\w-])", re.I, needs=".")
def _bare_domain(m: re.Match[str]) -> str:
    return _say_domain(m["host"]) + _trailing_punct(m)


def _trailing_punct(m: re.Match[str]) -> str:
    # A URL at a sentence end swallows the final period; give it back.
    return "." if m.group(0)[-1] in ".!?" else ""


# --- quotes, ellipses and dashes that carry the phrasing.

_sub(r"\.{3,}|\.\s\.\s\.", "…", needs=".")
_sub(r"[\[(]\s*…\s*[\])]", "…", needs="…")  # a cut in a quotation: a pause, not a bracket
_sub(r"[“„‟«‹]\s*", "« ", needs="“„‟«‹")
_sub(r"\s*[”»›]", " »", needs="”»›")
_sub(r"\[\d+\]|\[réf\. nécessaire\]", "", needs="[")
_sub(r"\s*[\[{]\s*", " (", needs="[{")
_sub(r"\s*[\]}]", ")", needs="]}")


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


_QUOTE_MARK = re.compile(r'(?<!\d)(?<!\d )"')  # a straight quote, not an inch mark


@_rule(
    r"(?<![\w\"”,.])(?<!['’′])(?<!['’′] )(?P<n>\d+(?:,\d+)?)[ ]?(?:\"|″|′′|'')(?=[\s,.;:)]|$)", needs=('"', "′′", "''")
)
def _inches(m: re.Match[str]) -> str:
    # A screen of 6,1": inches, unless the mark closes a quote opened before it ("il a dit "2"").
    if len(_QUOTE_MARK.findall(m.string, 0, m.start())) % 2:
        return m.group(0)
    return m["n"] + " pouces"


@_rule(r"\"", needs='"')
def _straight_quote(m: re.Match[str]) -> str:
    # Paired straight quotes become « »: even ones open, odd ones close (see normalize()).
    return "\x00"


_ABBREV_AT = len(_rules)

# --- numbers with a fixed reading (before dates, which would take "1/8" for the 1st of August).

_FINALES = {"2": "demi-finale", "4": "quart de finale", "8": "huitième de finale", "16": "seizième de finale"}


@_rule(
    r"(?<![\w/])1[ ]?/[ ]?(?P<d>2|4|8|16)(?:e|è|ème)?(?P<pl>s)?(?:[ ]de)?[ ](?:la[ ])?finale(?P<fpl>s)?\b",
    needs="/",
)
def _finale(m: re.Match[str]) -> str:
    # "1/2 finale", "1/4 de finale", "1/8e de finale": a round of a cup, said by its name.
    said = _FINALES[m["d"]]
    plural = re.search(r"\b(?:les|des|aux|ces)[ ]$", m.string[max(0, m.start() - 5) : m.start()], re.I)
    if m["pl"] or m["fpl"] or plural:
        said = said.replace("finale", "finales") if m["d"] == "2" else said.replace(" de", "s de", 1)
    return _glue(said)


@_rule(
    r"(?<![\w+,.])(?P<a>0[1-9])(?P<sep>[ .-]?)(?P<b>\d\d)(?P=sep)(?P<c>\d\d)(?P=sep)(?P<d>\d\d)(?P=sep)(?P<e>\d\d)"
    r"(?![\w]|[.,]\d)",
    needs=DIGITS,
)
def _phone(m: re.Match[str]) -> str:
    # 01 23 45 67 89, 01.23.45.67.89: a French phone number, said pair by pair.
    return GLUE.join(cardinal(m[k]) for k in "abcde")


@_rule(r"(?<![\w+,.])0[ .]?(?P<a>[89]\d\d)[ .](?P<b>\d{3})[ .](?P<c>\d{3})(?![\w]|[.,]\d)", needs=DIGITS)
def _service_number(m: re.Match[str]) -> str:
    # 0 800 123 456: "zéro huit cents, cent vingt-trois, quatre cent cinquante-six".
    return GLUE.join(["zéro"] + [cardinal(m[k]) for k in "abc"])


@_rule(r"\b(?P<l>[JH])[ ]?-[ ]?(?P<n>\d{1,3})\b(?![,.]\d|[ ]?%)", needs=DIGITS)
def _countdown(m: re.Match[str]) -> str:
    return m["l"] + GLUE + "moins" + GLUE + m["n"]  # J-3: "J moins trois"


@_rule(r"(?<![\w+,.])(?P<n>\d{1,3})[ ]?\+[ ](?=ans\b)|(?<![\w+,.])(?P<m>\d{1,3})\+(?![\w+]|[ ]?\d)", needs="+")
def _and_more(m: re.Match[str]) -> str:
    # "les 65+ ans" are "les plus de soixante-cinq ans"; "18+" alone is "dix-huit plus".
    return "plus" + GLUE + "de" + GLUE + m["n"] + " " if m["n"] else m["m"] + GLUE + "plus"


@_rule(r"(?<![\w,.-])49[.-]3(?![\w-]|[.,]\d)", needs=("49",))
def _forty_nine_three(m: re.Match[str]) -> str:
    return _glue("quarante-neuf trois")  # the Constitution's 49.3, as every French newsreader says it


@_rule(r"(?<![\w/,.])24[ ]?/[ ]?7\b(?!/)", needs="/")
def _always(m: re.Match[str]) -> str:
    return _glue("vingt-quatre heures sur vingt-quatre, sept jours sur sept")


@_rule(r"(?<![\w,.])(?P<a>\d{1,3})(?P<u>m|€)(?P<b>\d\d)(?!\w|[,.]\d|[ ]?(?:€|cm|mm|m)\b)", needs=DIGITS)
def _unit_inside(m: re.Match[str]) -> str:
    # 1m80, 3€50: the unit said after the whole part, "un mètre quatre-vingts", "trois euros cinquante".
    one, many = ("mètre", "mètres") if m["u"] == "m" else ("euro", "euros")
    return GLUE.join([cardinal(m["a"]), one if int(m["a"]) < 2 else many, cardinal(int(m["b"]))])


@_rule(r"(?<!\d[ ])(?<![\w])km[ ]?(?=\d)", needs=("km",))
def _milestone(m: re.Match[str]) -> str:
    return "kilomètre" + GLUE  # "au km 42": a point on a road or a course


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


@_rule(r"\b(\d{4})-(\d{2})-(\d{2})\b", needs=DIGITS)
def _iso_date(m: re.Match[str]) -> str:
    return _date(m[3], m[2], m[1], m[0])


@_rule(r"(?<![\d/.])(\d{1,2})([/.])(\d{1,2})\2(\d{4}|\d{2})(?![\d/]|\.\d)", needs=DIGITS)
def _dmy_date(m: re.Match[str]) -> str:
    return _date(m[1], m[3], m[4], m[0])


_WEEKDAYS = "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"


@_rule(rf"\b(?P<w>le|du|au|{_WEEKDAYS})\s+(\d{{1,2}})/(\d{{1,2}})(?![\d/])", re.I, needs=DIGITS)
def _day_month(m: re.Match[str]) -> str:
    # "jeudi 12/06": a date without its year, not a fraction.
    spoken = _date(m[2], m[3], None, "")
    return f"{m['w']} {spoken}" if spoken else m.group(0)


@_rule(
    rf"(?<![\w,.–-])(?:(?P<d>1er|\d{{1,2}})\s+)?(?P<m>{'|'.join(_MONTHS)})"
    r"(?(d)(?:\s+(?P<y>\d{4}))?|\s+(?P<year>\d{4}))(?![\w,.]\d|\s\d{3}\b)",
    needs=DIGITS,
)
def _written_date(m: re.Match[str]) -> str:
    # "le 4 mars 2024", "1er février", "mars 2024": one unit, never cut inside.
    day = m["d"]
    if day and not 1 <= int(day.removesuffix("er")) <= 31:
        return m.group(0)
    spoken = ([_day(int(day.removesuffix("er")))] if day else []) + [m["m"]]
    year = m["y"] or m["year"]
    return GLUE.join(spoken + ([cardinal(year)] if year else []))


@_rule(r"(?:(?<=\dh)|(?<=\d h)|(?<=h\d\d))[ ]?/[ ]?(?=\d{1,2}[ ]?h)", needs="/")
def _time_slots(m: re.Match[str]) -> str:
    return ", "  # 8h-12h / 14h-18h: two slots, a pause between them


@_rule(r"(\d{1,2}\s?h(?:\s?\d{2})?)\s?[-–]\s?(?=\d{1,2}\s?h)", needs=DIGITS)
def _time_range(m: re.Match[str]) -> str:
    return m[1] + " à "  # 14h-16h: "de quatorze heures à seize heures"


def _hours(h: str) -> str:
    n = int(h)
    return cardinal(n, feminine=True) + GLUE + ("heure" if n < 2 else "heures")


@_rule(
    r"(?<![\d,.:])(?P<h>\d{1,2})[ ]?h[ ]?(?P<m>[0-5]\d)['’′][ ]?(?P<s>[0-5]\d)(?:[\"”″]|′′|'')?(?![\d'’′])", needs="'’′"
)
def _race_hours(m: re.Match[str]) -> str:
    # A marathon in 2h03'45: hours, minutes and seconds.
    minutes, seconds = int(m["m"]), int(m["s"])
    said = [_hours(m["h"]), cardinal(minutes, feminine=True), "minute" if minutes < 2 else "minutes"]
    return GLUE.join(said + [cardinal(seconds, feminine=True), "seconde" if seconds < 2 else "secondes"])


@_rule(r"(?<![\d,.:])([01]?\d|2[0-4])\s?[hH]\s?([0-5]\d)(?:\s?min\b)?(?!\d)", needs=DIGITS)
def _time_hm(m: re.Match[str]) -> str:
    minutes = int(m[2])
    tail = "" if minutes == 0 else GLUE + cardinal(minutes, feminine=True)
    if m.group(0).rstrip().endswith("min"):
        tail += GLUE + ("minute" if minutes < 2 else "minutes")
    return _hours(m[1]) + tail


@_rule(r"(?<![\d,.:])([01]?\d|2[0-4]):([0-5]\d)(?![\d:])", needs=DIGITS)
def _time_colon(m: re.Match[str]) -> str:
    minutes = int(m[2])
    return _hours(m[1]) + ("" if minutes == 0 else GLUE + cardinal(minutes, feminine=True))


@_rule(r"(?<![\d,.:])(\d{1,3})\s?h(?![\w])(?:\s?/\s?(\d+)(?![\d:]|\s?[hH]\b))?", needs=DIGITS)
def _time_h(m: re.Match[str]) -> str:
    spoken = _hours(m[1])
    if m[2]:  # 24h/24, 7h/7
        spoken += GLUE + "sur" + GLUE + cardinal(m[2])
    return spoken


@_rule(r"(?<![\d,.])(\d+)\s?j\s?/\s?7\b", needs=DIGITS)
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


# What a span of years names when it is one season or one fiscal year: "la saison 2024-2025".
_SEASON_BEFORE = re.compile(
    r"\b(?:saisons?|exercices?|années?[ ](?:scolaires?|universitaires?|budgétaires?|fiscales?)|année|campagnes?"
    rf"|promotions?|promos?|cuvées?|millésimes?|budgets?|hivers?|éditions?|rentrées?)[\s{GLUE}]*$",
    re.I,
)


@_rule(
    r"(?<![\w.,/−-])(?P<a>(?:19|20)\d\d)[ ]?(?P<sep>[/–—-])[ ]?(?P<b>(?:19|20)\d\d|\d\d)(?![\w/−-]|[.,]\d)",
    needs=DIGITS,
)
def _year_span(m: re.Match[str]) -> str:
    """2023/24, 2023/2024, "saison 2024-25": both years said in full, as a reader does."""
    first = int(m["a"])
    second = int(m["b"]) if len(m["b"]) == 4 else first - first % 100 + int(m["b"])
    if len(m["b"]) == 2 and second <= first:
        second += 100  # 1999/00
    if not 0 < second - first <= 10:
        return m.group(0)  # 2024/2 is a fraction; 2024-1999 no span
    before = m.string[max(0, m.start() - 30) : m.start()]
    season = m["sep"] == "/" or len(m["b"]) == 2 or (second == first + 1 and _SEASON_BEFORE.search(before))
    if not season:
        return m.group(0)  # "de 2020-2022": a range, said below
    if m["sep"] != "/" and second != first + 1 and not _SEASON_BEFORE.search(before):
        return m["a"] + " " + m["sep"] + " " + str(second)  # 2020-25: a range of full years
    return cardinal(first) + GLUE + "-" + GLUE + cardinal(second)


@_rule(r"(?<![\w.,−-])(\d+)\s?[–—-]\s?(\d+)(?![\w−-]|[.,]\d)", needs=DIGITS)
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


@_rule(
    _NUM_START + _NUM_DOT + rf"\s?(?:(?P<mag>{_MAG})\s?)?(?P<cur>{_CUR_SYMBOLS})(?![\w$€£¥])" + _PER_SUFFIX,
    needs=DIGITS,
)
def _amount_after(m: re.Match[str]) -> str:
    return _money(m["int"], m["frac"], m["mag"], m["cur"]) + _per(m)


@_rule(
    r"(?P<cur>[$€£])\s?(?P<int>\d{1,3}(?:[ .,]\d{3}){1,6}(?!\d)|\d+)(?:[.,](?P<frac>\d+))?"
    + rf"(?:\s?(?P<mag>{_MAG}|bn|mn)\b)?",
    needs=DIGITS,
)
def _amount_before(m: re.Match[str]) -> str:
    mag = {"bn": "Md", "mn": "M"}.get(m["mag"] or "", m["mag"])
    return _money(m["int"], m["frac"], mag, m["cur"])


@_rule(r"(?<![\w,.])(?P<sign>[+\-−±])?" + _NUM_DOT + r"\s?(?P<pc>%|‰|pour ?cent\b)", needs=DIGITS)
def _percent(m: re.Match[str]) -> str:
    sign = {"+": "plus", "-": "moins", "−": "moins", "±": "plus ou moins"}.get(m["sign"] or "", "")
    word = "pour" + GLUE + ("mille" if m["pc"] == "‰" else "cent")
    return GLUE.join(x for x in (sign, number(m["int"], m["frac"]), word) if x)


_UNIT_NAMES = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))


@_rule(
    _NUM_START + r"(?P<sign>[−+±-])?" + _NUM_DOT + rf"\s?(?P<unit>{_UNIT_NAMES})" + _PER_SUFFIX + r"(?![\w²³/'’])",
    needs=DIGITS,
)
def _measure(m: re.Match[str]) -> str:
    one, many, fem = _UNITS[m["unit"]]
    value = float(f"{_int(m['int'])}.{m['frac'] or 0}")
    spoken = number(m["int"], m["frac"], feminine=fem) + GLUE + _glue(one if value < 2 else many)
    sign = _SIGNS.get(m["sign"] or "", "")
    return (_glue(sign) + GLUE if sign else "") + spoken + _per(m)


_SIGNS = {"+": "plus", "-": "moins", "−": "moins", "±": "plus ou moins"}

# A unit said for itself, without a number: "le prix du m²", "au km", "par kWh".
_BARE_UNITS = {u: _UNITS[u][0] for u in ("m²", "m2", "m³", "m3", "km²", "km2", "km", "kWh", "MWh", "kg", "km/h", "ha")}


@_rule(
    rf"(?:(?<=\b[dD]u )|(?<=\b[lL]e )|(?<=\b[aA]u )|(?<=\b[pP]ar )|(?<=\bchaque )|(?<=€/)|(?<=€ / ))"
    rf"(?P<u>{'|'.join(re.escape(u) for u in sorted(_BARE_UNITS, key=len, reverse=True))})(?![\w²³/])",
    needs=tuple(_BARE_UNITS),
)
def _bare_unit(m: re.Match[str]) -> str:
    return _glue(_BARE_UNITS[m["u"]])


# --- ordinals: 1er, 1re, 2e, XIXe, and roman numerals after a name.


@_rule(r"\b(\d+)(?P<suf>er|re|ère|ere|nde?|e|ème|eme|è)(?P<pl>s?)\b", needs=DIGITS)
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


@_rule(r"\b(?P<r>[IVXLC]+)(?P<suf>er|re|ère|e|ème|eme)\b", needs="IVXLC")
def _roman_ordinal(m: re.Match[str]) -> str:
    r = m["r"]
    value = roman_value(r)
    if value is None or (len(r) == 1 and r not in "IVX") or (m["suf"] in ("er", "re", "ère") and value != 1):
        return m.group(0)
    return ordinal(value, feminine=m["suf"] in ("re", "ère"))


@_rule(rf"\b(?P<name>[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?)\s+(?P<r>[IVX]{{2,}}|V)\b(?![\w-])", needs="IVX")
def _regnal(m: re.Match[str]) -> str:
    value = roman_value(m["r"])
    if value is None:
        return m.group(0)
    return m["name"] + GLUE + cardinal(value)


# --- other numbers.


@_rule(r"(?<=[A-Za-z])-(?=\d)|(?<=\d)-(?=\d)|(?<=\d)-(?=[A-Z]{1,5}\d*(?!\w))", needs=DIGITS)
def _model_dash(m: re.Match[str]) -> str:
    # GPT-4, CVE-2024-3094, SP95-E10, A4-B3: an identifier's dashes are not said (ranges were
    # taken before).
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


@_rule(r"\b(?P<l>[A-Z])\.(?=\d)", needs=DIGITS)
def _letter_dot_number(m: re.Match[str]) -> str:
    return m["l"] + GLUE  # H.264, H.265: a codec's name, no dot said


@_rule(rf"(?<=[\w+#])/(?={_VERSION})", gate="/")
def _name_slash_version(m: re.Match[str]) -> str:
    # HTTP/2 is "H T T P deux", one name, never "H T T P ou deux".
    return GLUE if _after_a_name(m) else m.group(0)


@_rule(rf"(?<=[\w+#])[ ](?P<a>\d+(?:\.\d+)*)/(?P<b>{_VERSION})", gate="/")
def _name_versions(m: re.Match[str]) -> str:
    return GLUE + m["a"] + " ou " + m["b"] if _after_a_name(m) else m.group(0)


@_rule(r"(?<![\w.,/-])(\d+)(?:,(?P<frac>\d+))?\s?[/⁄]\s?(\d+)(?![\w/]|[.,]\d)", needs=DIGITS)
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


@_rule(r"(?<![\w.,])(\d+)(?:[.,](\d+))?\s?[x×](?=\s|$)|(?<![\w])[x×]\s?(\d+)\b", needs=DIGITS)
def _times(m: re.Match[str]) -> str:
    # "10x plus", "2.5x plus", "x2": a factor.
    if m[3]:
        return "fois" + GLUE + cardinal(m[3])
    return (decimal(m[1], m[2]) if m[2] else cardinal(m[1])) + GLUE + "fois"


@_rule(r"(?<=[\w+#])[ ](?=[+-]?\d)", needs=DIGITS)
def _name_number(m: re.Match[str]) -> str:
    # "PCIe 4.0", "Thunderbolt 4", "Linux 6.8": a name and its number, never cut apart.
    return GLUE if _after_a_name(m) else m.group(0)


_BIG = {"k": (1000, ""), "M": (10**6, "million")} | dict.fromkeys(["Md", "Mds", "Mrd", "Mrds"], (10**9, "milliard"))
# Words after "300M" that are not what is counted: no "de" before them ("300M de vues" has one).
_NOT_COUNTED = FUNCTION_WORDS | frozenset(
    "d de environ seulement près plus moins supplémentaires supplémentaire restants restantes nets net bruts brut "
    "annuels annuelles mensuels par contre dont qui que selon fin début hors tout tous toutes soit sont ont était "
    "étaient sera seront serait seraient avaient avait a est ou et mais car dépensés levés alloués débloqués versés "
    "engagés mobilisés supprimés créés collectés économisés récoltés générés annoncés prêtés empruntés".split()
)
# Past participles "300M investis", "2M vendus", "3 Mds prévus" (nouns in -is/-us are rare after a count).
_PARTICIPLE = re.compile(r"(?:(?<!a)is|us|nt|ait)$")  # not "Français"


@_rule(
    r"(?<![\w.,])(\d+)(?:[.,](\d+))?\s?(k|M|Md|Mds|Mrds?)(?![\w€$£¥])(?!\s?(?:€|\$|£|¥|EUR|USD|CHF))"
    rf"(?P<noun>[ ](?=[^\W\d_][\w{_APOS}-]*))?",
    needs=DIGITS,
)
def _magnitude(m: re.Match[str]) -> str:
    # "10k abonnés", "1.5M de vues": a count, the dot of English writing a decimal point.
    factor, word = _BIG[m[3]]
    if not word:
        return cardinal(int(m[1]) * factor + int((m[2] or "0")[:3].ljust(3, "0"))) + (m["noun"] or "")
    value = float(f"{m[1]}.{m[2] or 0}")
    said = (decimal(m[1], m[2]) if m[2] else cardinal(m[1])) + GLUE + word + ("s" if value >= 2 else "")
    if m["noun"]:
        # French counts millions "de" something: "300M utilisateurs" is "trois cents millions d'utilisateurs".
        noun = re.match(r"[\w-]+", m.string[m.end() :])
        if noun is None or noun[0].lower() in _NOT_COUNTED or _PARTICIPLE.search(noun[0]):
            return said + m["noun"]
        return said + GLUE + ("d'" if noun[0][0].lower() in "aeiouyàâéèêëîïôûüh" else "de" + GLUE)
    return said


@_rule(
    r"(?<![\w,.])(?:(?P<v>v)(?=\d))?(?P<n>\d+(?:\.\d+)+)(?:-?(?P<suf>[a-z]{1,2})(?P<sufn>\d*))?(?![\w]|\.\d)",
    needs=DIGITS,
)
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


@_rule(r"(?<![\w.,])v(?=\d+(?![\w.]|\.\d))", needs=DIGITS)
def _version_v(m: re.Match[str]) -> str:
    return "version" + GLUE  # "la v2 du site"


@_rule(r"(?:(?<=\s)|(?<=^)|(?<=\())[−-](?=\d)", needs=DIGITS)
def _minus(m: re.Match[str]) -> str:
    return "moins" + GLUE


@_rule(r"(?:(?<=\s)|(?<=^)|(?<=\())\+(?=\d)", needs=DIGITS)
def _plus_sign(m: re.Match[str]) -> str:
    return "plus" + GLUE


@_rule(r"(?<=\d)(?=[A-Za-z])|(?<=[A-Za-z])(?=\d)", needs=DIGITS)
def _letter_digit(m: re.Match[str]) -> str:
    return GLUE


@_rule(_NUM_START + _NUM + r"(?!\d)", needs=DIGITS)
def _number(m: re.Match[str]) -> str:
    following = re.match(r"\s+(\w+)", m.string[m.end() : m.end() + 30])
    feminine = following is not None and following[1].lower() in FEMININE_NOUNS and not m["frac"]
    return number(m["int"], m["frac"], feminine=feminine)


@_rule(r"\d+", needs=DIGITS)
def _leftover_digits(m: re.Match[str]) -> str:
    return cardinal(m.group(0))


# --- acronyms and model names.


@_rule(r"(?<![\w.])(?P<a>[A-Za-z][\w+-]*[A-Za-z0-9])\.(?P<b>[a-z]{2,}|[A-Z]{2,})\b(?!\.\w)", gate=r"\w\.\w", needs=".")
def _dotted_name(m: re.Match[str]) -> str:
    # Node.js, Vue.js, Socket.IO: a name with a dot inside, said "point"; never a raw dot.
    if m["b"] in FUNCTION_WORDS:
        return m["a"] + " " + m["b"]  # a missing space: "sorti.le lendemain"
    tail = spell(m["b"].upper()) if len(m["b"]) <= 2 else m["b"]
    return m["a"] + GLUE + "point" + GLUE + tail


@_rule(r"\b(?:[A-Z]\.){2,}(?![\w])", needs=".")
def _dotted_acronym(m: re.Match[str]) -> str:
    return spell(m.group(0).replace(".", ""))


@_rule(rf"\b([A-Z])\.\s+(?=[{_UP}])", needs=".")
def _initial(m: re.Match[str]) -> str:
    # "J. K. Rowling", but not "le plan B. Ensuite", where the period ends a sentence.
    before = m.string[max(0, m.start() - 30) : m.start()].split()
    next_is_initial = re.match(r"[A-Z]\.", m.string[m.end() : m.end() + 2])
    if not next_is_initial and before and before[-1].isalpha() and before[-1].islower():
        return m.group(0)
    return m[1] + GLUE


@_rule(rf"\b(?P<head>[{_UP}][{_LOW}]+)(?P<caps>[A-Z]{{2,4}})\b", needs=_CAPITALS)
def _camel_acronym(m: re.Match[str]) -> str:
    return m["head"] + GLUE + spell(m["caps"])


@_rule(r"(?<![\w-])(?:[A-Z]{1,5}(?:-[A-Z]{1,2})+|[A-Z]{1,3}(?:-[A-Z]{1,3})+)(?![\w-])", needs="-")
def _letter_code(m: re.Match[str]) -> str:
    # USB-C, RER-B, PS-LR: a code's letters, each part spelled or said as the acronym rule does
    # (longer parts are words of an all-caps heading: "SAINT-DENIS").
    return GLUE.join(_say_caps(part) for part in m.group(0).split("-"))


def _say_caps(w: str) -> str:
    if (w in _SAID_AS_WORDS or _pronounceable(w)) and w not in _SPELLED_ANYWAY:
        return w
    return _glue(ACRONYMS.get(w, spell(w)))


@_rule(rf"(?<![\w-])(?P<w>[{_UP}]{{2,5}})(?P<pl>s)?\b(?![{_APOS}-])", needs=_CAPITALS)
def _acronym(m: re.Match[str]) -> str:
    w = m["w"]
    value = roman_value(w) if re.fullmatch("[IVX]+", w) else None
    if value:
        return cardinal(value)  # acte III
    if (w in _SAID_AS_WORDS or _pronounceable(w)) and w not in _SPELLED_ANYWAY:
        return m.group(0)
    return spell(w)


# --- symbols with a spoken name; every other symbol and emoji is dropped below.

_sub(rf"(?<=[{_LOW}{_UP}])\s?/\s?(?=[{_LOW}{_UP}])", " ou ", needs="/")
_sub(r"\s?&\s?", " et ", needs="&")
_sub(r"(?<=\w)\+\+(?!\w)", " plus" + GLUE + "plus", needs="+")  # Notepad++, like C++
_sub(r"\s[+]\s|(?<=\w)[+](?=\w)", " plus ", needs="+")  # 45+2: added time
_sub(r"\s=\s", " égale ", needs="=")
_sub(r"\s≈\s?|\s~\s?(?=\w)", " environ ", needs="≈~")
_sub(r"\s×\s", " fois ", needs="×")
_sub(r"§\s?", "paragraphe" + GLUE, needs="§")
_sub(r"%", " pour cent", needs="%")
_sub(r"‰", " pour mille", needs="‰")
_sub(r"\s?@\s?", " arobase ", needs="@")
_sub(rf"(?<=\w)[·•](?=[{_LOW}])", "", needs="·•")

# --- dashes: an em/en dash or a spaced hyphen is a pause, as a comma is.
_sub(r"(?:^|(?<=\n))\s*[—–-]+\s+", "", needs="—–-")
_sub(rf"\s*[—–―]+\s*|(?!{GLUE}-{GLUE})\s+[-‐‑]+\s+", ", ", needs="—–―-‐‑")  # a glued one is said


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
    (_Gated(rf"(?P<before>\b{_SUBJECT}[ ]{_OBJECT})(?P<verb>{_ENT_VERBS})\b", 0, _ENT_GATE, ("ent",)), _verb_ent),
    (_Gated(rf"(?P<before>\b(?P<w>{_ENT_VERBS})[ ])(?P<verb>(?P=w))\b", 0, _ENT_GATE, ("ent",)), _verb_ent),
    (
        _Gated(
            rf"(?P<before>{_PLURAL_NOUN}[ ])(?P<verb>{_ENT_VERBS})(?=[ ](?:les|leurs|des|la|le|l['’]|sur|en)\b)",
            0,
            _ENT_GATE,
            ("ent",),
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
            ("fils",),
        ),
        "fil",
    ),
]

# "plus" at the end of a clause is [plys] ("il en veut plus"), unless a negation ends in it
# ("il n'en veut plus", "non plus").
_PLUS_AT_END = _Gated(r"\b([pP])lus(?=[ ]?(?:[.,;:!?…)»]|$))", 0, needs=("lus",))
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


# Characters kept as they are (Latin letters, digits, spaces, marks with a pause): only runs
# of others are looked at one by one.
_SURELY_KEPT = re.compile(rf"[^A-Za-z0-9À-ÖØ-öø-ɏ \n{GLUE}.,;:!?…'’«»()-]+")


def _drop_symbols(text: str) -> str:
    """Emoji and symbols have no sound: drop them (private-use placeholders are kept)."""
    return _SURELY_KEPT.sub(_drop_run, text)


def _drop_run(m: re.Match[str]) -> str:
    start = m.start()
    out = [m.string[start - 1]] if start else []
    for ch in m.group(0):
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
    return "".join(out[1:] if start else out)


_PH_FIRST, _PH_LAST = 0xF0000, 0xFFFFD

_SPACE_BEFORE = re.compile(rf"[ {GLUE}]+(?=[,.…)])")
_GLUE_BEFORE = re.compile(rf"[ {GLUE}]*([;:!?»])")
_GLUE_AFTER = re.compile(rf"«[ {GLUE}]*")
_OPEN_PAREN = re.compile(rf"\([ {GLUE}]+")
_SPACE_RUN = re.compile(r"[ \t\n\r\f\v]{2,}|[\t\n\r\f\v]")  # a lone space is already right
_BLANKS = re.compile(rf"[ {GLUE}][ {GLUE}]+")
_REPEATED = re.compile(rf"([,;:!?.…])(?:[ {GLUE}]*[,;:.]+)+")
_EMPTY_PAIRS = re.compile(rf"\([ {GLUE},;:.]*\)|«[ {GLUE},;:.]*»")
_WORDLESS = re.compile(r"[^\w\U000F0000-\U0010FFFD]{5,}")  # shorter runs hold at most 4 marks: kept


def _has(text: str, marks: str) -> bool:
    return any(mark in text for mark in marks)


def _tidy(text: str) -> str:
    # Each step only where its marks are (a scan for a character is far cheaper than a regex).
    text = _SPACE_RUN.sub(" ", text)
    if _has(text, "(«"):
        for _ in range(2):
            text = _EMPTY_PAIRS.sub(" ", text)
    text = _REPEATED.sub(lambda m: m.group(1), text)
    if _has(text, "!?"):
        text = re.sub(r"([!?])(?:[ ]*[!?])+", lambda m: m.group(0)[0], text)
    if _has(text, ",.…)"):
        text = _SPACE_BEFORE.sub("", text)
    if _has(text, ";:!?»"):
        text = _GLUE_BEFORE.sub(GLUE + r"\1", text)
    text = _GLUE_AFTER.sub("«" + GLUE, text)
    text = _OPEN_PAREN.sub("(", text)
    text = _BLANKS.sub(lambda m: GLUE if GLUE in m.group(0) else " ", text)
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
    # Digits of other scripts are said as numbers too, and the number rules look for ASCII ones.
    text = _OTHER_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group(0))), text)
    return re.sub(r"[ \t\u00a0]+", " ", text)


_OTHER_DIGIT = re.compile(r"(?![0-9])\d")


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


def _first_chars(keys) -> str:
    """`needs` of an alternation of these keys: a match starts with one of their first characters."""
    return "".join(sorted({k[0] for k in keys}))


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


_ABBREV_RULES.append(
    (_compile(rf"(?<![\w.])(?:{_alternation(_ABBREVIATIONS_ANY_CASE)})(?!\w)", 0, None, "."), _table_abbreviation)
)
_DAYS_ANY_CASE = {**DAY_ABBREVIATIONS, **{k.capitalize(): v.capitalize() for k, v in DAY_ABBREVIATIONS.items()}}
_DAY_ABBREVIATION = rf"(?<![\w.])(?:{_alternation(_DAYS_ANY_CASE)})"
# A weekday where a date, an hour or another weekday follows ("mar. 14 mai", "sam. 10h",
# "du lun. au ven."); "mer." and "sam." alone are words.
_ABBREV_RULES.append(
    (
        _Gated(rf"(?P<a>{_DAY_ABBREVIATION})\s?[-–]\s?(?P<b>{_DAY_ABBREVIATION})", 0, r"\.\s?[-–]", "."),
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
            ".",
        ),
        lambda m: _DAYS_ANY_CASE[m.group(0)],
    )
)
_ABBREV_RULES.append(
    (
        _compile(rf"\b(?P<t>{_alternation(TITLES)})\.?\s+(?=[{_UP}][{_LOW}])", 0, None, _first_chars(TITLES)),
        lambda m: TITLES[m["t"]] + GLUE,
    )
)
# Table acronyms are whole words; digits may follow (COP28: "cop vingt-huit", ISO-9001: "iso neuf mille un").
_ABBREV_RULES.append(
    (
        _compile(rf"(?<![\w-])(?:{_alternation(ACRONYMS)})(?![^\W\d_]|-[^\W\d_])", 0, None, _first_chars(ACRONYMS)),
        lambda m: _glue(ACRONYMS[m.group(0)]),
    )
)


def _caps_and_tail(m: re.Match[str]) -> str:
    # IPv4, GPLv3, ARMv8, PCIe, NVMe: capitals spelled (or as the table says), then the letter.
    if m["tail"] == "e" and roman_value(m["caps"]):
        return m.group(0)  # XIXe: an ordinal
    caps = ACRONYMS.get(m["caps"]) or spell(m["caps"])
    return _glue(caps) + GLUE + m["tail"].upper() + (GLUE if m["tail"] == "v" else "")


_ABBREV_RULES.append(
    (_compile(r"(?<![\w-])(?P<caps>[A-Z]{2,5})(?P<tail>v(?=\d)|e\b)", 0, None, _CAPITALS), _caps_and_tail)
)


# "article L. 123-4", "articles R. 412-1 à R. 412-3": the code's letter, not the end of a sentence
# (before "art." is expanded). A code's number has a dash inside wherever the article is cited.
_ABBREV_RULES.insert(
    0,
    (
        _Gated(
            r"(?:(?<=\barticle )|(?<=\barticles )|(?<=\b[aA]rt\. ))(?P<l>[LRDA])\.\s+(?=\d)"
            r"|(?<![\w.])(?P<c>[LRDA])\.[ ](?=\d{1,4}-\d)",
            0,
            r"[LRDA]\.\s+\d",
            ".",
        ),
        lambda m: (m["l"] or m["c"]) + GLUE,
    ),
)


def _middle_initial(m: re.Match[str]) -> str:
    # "Richard M. Stallman": an initial after a first name mid-sentence, not "Monsieur".
    before = m.string[max(0, m.start() - 3) : m.start()].rstrip(" " + GLUE)
    if not before or before[-1] in ".!?:«(\n":
        return m.group(0)
    return m["first"] + " " + m["initial"] + GLUE


_ABBREV_RULES.append(
    (
        _compile(rf"\b(?P<first>[{_UP}][{_LOW}]+) (?P<initial>[A-Z])\.(?= [{_UP}][{_LOW}])", 0, None, "."),
        _middle_initial,
    )
)
_ABBREV_RULES += [(_compile(p, 0, None, needs), _glue(r)) for p, r, needs in _ABBREVIATIONS]


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
