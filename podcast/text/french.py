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
import logging
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from num2words import num2words

from ..errors import InputError
from ..files import read_toml

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
_ETC = re.compile(rf"\betc\b(?:\.{{1,3}}|…)?(?P<end>(?=\s*$)|(?=\s+[{_UP}«]))?")

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
    return GLUE.join(_LETTER_NAMES.get(c, c) for c in letters)


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
_rules: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = []


def _rule(pattern: str, flags: int = 0):
    def register(fn):
        _rules.append((re.compile(pattern, flags), fn))
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


@_rule(r"\b(?:https?|ftp)://(?:[^\s/@]+@)?(?P<host>[\w.-]+)(?::\d+)?(?:[/?#][^\s«»<>\"]*)?", re.I)
def _url(m: re.Match[str]) -> str:
    return _say_domain(m["host"]) + _trailing_punct(m)


@_rule(r"\bwww\.(?P<host>[\w-]+(?:\.[\w-]+)+)(?:[/?#][^\s«»<>\"]*)?", re.I)
def _www(m: re.Match[str]) -> str:
    return _say_domain(m["host"]) + _trailing_punct(m)


@_rule(r"(?<![\w.+-])[\w.+-]+@(?P<host>[\w-]+(?:\.[\w-]+)+)\b")
def _email(m: re.Match[str]) -> str:
    return _say_domain(m["host"])


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


@_rule(r"(?<![\d/.])(\d{1,2})([/.])(\d{1,2})\2(\d{4}|\d{2})(?![\d/.]|\.\d)")
def _dmy_date(m: re.Match[str]) -> str:
    return _date(m[1], m[3], m[4], m[0])


_WEEKDAYS = "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"


@_rule(rf"\b(?P<w>le|du|au|{_WEEKDAYS})\s+(\d{{1,2}})/(\d{{1,2}})(?![\d/])", re.I)
def _day_month(m: re.Match[str]) -> str:
    # "jeudi 12/06": a date without its year, not a fraction.
    spoken = _date(m[2], m[3], None, "")
    return f"{m['w']} {spoken}" if spoken else m.group(0)


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


@_rule(r"(?<![\w.,−-])(\d+)\s?[–—-]\s?(\d+)(?![\w,−-]|\.\d)")
def _range(m: re.Match[str]) -> str:
    # 10-15 km: the numbers stay digits so that the unit rule still sees them.
    return m[1] + " à " + m[2]


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


@_rule(_NUM_START + _NUM + rf"\s?(?:(?P<mag>{_MAG})\s?)?(?P<cur>{_CUR_SYMBOLS})(?![\w$€£¥])")
def _amount_after(m: re.Match[str]) -> str:
    return _money(m["int"], m["frac"], m["mag"], m["cur"])


@_rule(
    r"(?P<cur>[$€£])\s?(?P<int>\d{1,3}(?: \d{3}){1,6}(?!\d)|\d+)(?:[.,](?P<frac>\d+))?"
    + rf"(?:\s?(?P<mag>{_MAG}|bn|mn)\b)?"
)
def _amount_before(m: re.Match[str]) -> str:
    mag = {"bn": "Md", "mn": "M"}.get(m["mag"] or "", m["mag"])
    return _money(m["int"], m["frac"], mag, m["cur"])


@_rule(r"(?<![\w,.])(?P<sign>[+\-−±])?" + _NUM + r"\s?(?P<pc>%|‰|pour ?cent\b)")
def _percent(m: re.Match[str]) -> str:
    sign = {"+": "plus", "-": "moins", "−": "moins", "±": "plus ou moins"}.get(m["sign"] or "", "")
    word = "pour" + GLUE + ("mille" if m["pc"] == "‰" else "cent")
    return GLUE.join(x for x in (sign, number(m["int"], m["frac"]), word) if x)


_UNIT_NAMES = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))


@_rule(_NUM_START + r"(?P<sign>[−-])?" + _NUM + rf"\s?(?P<unit>{_UNIT_NAMES})(?![\w²³/'’])")
def _measure(m: re.Match[str]) -> str:
    one, many, fem = _UNITS[m["unit"]]
    value = float(f"{_int(m['int'])}.{m['frac'] or 0}")
    spoken = number(m["int"], m["frac"], feminine=fem) + GLUE + _glue(one if value < 2 else many)
    return ("moins" + GLUE if m["sign"] else "") + spoken


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


@_rule(r"(?<=[A-Za-z])-(?=\d)")
def _model_dash(m: re.Match[str]) -> str:
    return GLUE


@_rule(r"(?<![\w.,/-])(\d+)\s?[/⁄]\s?(\d+)(?![\w/.,])")
def _fraction(m: re.Match[str]) -> str:
    num, den = int(m[1]), int(m[2])
    names = {2: ("demi", "demis"), 3: ("tiers", "tiers"), 4: ("quart", "quarts")}
    if den in names and 0 < num < 100:
        return cardinal(num) + GLUE + names[den][num > 1]
    if 5 <= den <= 10 and 0 < num < den:
        return cardinal(num) + GLUE + ordinal(den) + ("s" if num > 1 else "")
    return cardinal(m[1]) + GLUE + "sur" + GLUE + cardinal(m[2])


@_rule(r"(?<![\w,.])(\d+(?:\.\d+)+)(?![\w]|\.\d)")
def _dotted(m: re.Match[str]) -> str:
    parts = m[1].split(".")
    if len(parts) == 2 and re.match(r"\s?(?:%|€|\$|°)", m.string[m.end() : m.end() + 2]):
        return decimal(parts[0], parts[1])  # 3.5 % written the English way: still "virgule"
    if len(parts) >= 2 and all(len(p) == 3 for p in parts[1:]) and len(parts[0]) <= 3 and parts[0] != "0":
        return cardinal("".join(parts))  # 1.000.000 written the English way
    return (GLUE + "point" + GLUE).join(cardinal(p) for p in parts)  # version 3.1


@_rule(r"(?:(?<=\s)|(?<=^)|(?<=\())[−-](?=\d)")
def _minus(m: re.Match[str]) -> str:
    return "moins" + GLUE


@_rule(r"(?:(?<=\s)|(?<=^)|(?<=\())\+(?=\d)")
def _plus_sign(m: re.Match[str]) -> str:
    return "plus" + GLUE


@_rule(r"(?<![\w.,])(\d+)\s?[x×](?=\s|$)|(?<![\w])[x×]\s?(\d+)\b")
def _times(m: re.Match[str]) -> str:
    # "10x plus", "x2": a factor.
    return cardinal(m[1]) + GLUE + "fois" if m[1] else "fois" + GLUE + cardinal(m[2])


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

_sub(r"\bet/ou\b", "et ou")
_sub(rf"(?<=[{_LOW}{_UP}])\s?/\s?(?=[{_LOW}{_UP}])", " ou ")
_sub(r"\s?&\s?", " et ")
_sub(r"\s[+]\s", " plus ")
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


# ---------------------------------------------------------------- driver

_KEEP_PUNCT = set(".,;:!?…'’«»()-")


def _drop_symbols(text: str) -> str:
    """Emoji and symbols have no sound: drop them (private-use placeholders are kept)."""
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat[0] in "LN" or ch in " \n" or ch == GLUE or ch in _KEEP_PUNCT:
            out.append(ch)
        elif cat == "Co" and _PH_FIRST <= ord(ch) <= _PH_LAST:
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
_WORDLESS = re.compile(r"[^\w\U000F0000-\U000FFFFD]+")


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
    text = re.sub(r"^[^\w«(\U000F0000-\U000FFFFD]+", "", text)
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


def _protect(text: str, lexicon: dict[str, str]) -> tuple[str, list[str]]:
    """Replace lexicon words by placeholders so that no rule rewrites what the user chose."""
    spoken: list[str] = []
    # Keys are folded as the text was (NFKC, spaces), so "…" in a key still matches.
    folded = {_preclean(k).strip(): v for k, v in lexicon.items() if k.strip()}
    keys = sorted((k for k in folded if k), key=len, reverse=True)[: _PH_LAST - _PH_FIRST]
    if not keys:
        return text, spoken
    lexicon = folded
    index = {k: i for i, k in enumerate(keys)}
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(k) for k in keys) + r")(?!\w)")

    def place(m: re.Match[str]) -> str:
        return chr(_PH_FIRST + index[m.group(0)])

    spoken = [" ".join(lexicon[k].split()) for k in keys]
    return pattern.sub(place, text), spoken


def _restore(text: str, spoken: list[str]) -> str:
    if not spoken:
        return text
    return re.sub("[\U000f0000-\U000ffffd]", lambda m: spoken[ord(m.group(0)) - _PH_FIRST], text)


def _preclean(text: str) -> str:
    text = re.sub("[™®©℠\U000f0000-\U000ffffd]", "", text)
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


def normalize(text: str, lexicon: dict[str, str] | None = None, *, keep_glue: bool = False) -> str:
    """Rewrite `text` into the words to speak; a lexicon entry (word -> spoken form) beats every rule.

    With `keep_glue`, words that belong together stay joined by GLUE (a no-break space) for
    the chunker; otherwise the result has plain single spaces.
    """
    text = _preclean(text)
    text, spoken = _protect(text, lexicon or {})
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
    text = _drop_symbols(text)
    text = _tidy(text)
    text = _restore(text, spoken)
    if not keep_glue:
        text = text.replace(GLUE, " ")
    return text


# Abbreviations run after URLs and quotes (which contain dots) and before dates and numbers.
# An expanded abbreviation is one unit for the chunker: "par exemple", "avant Jésus-Christ".
_ABBREV_RULES = [(re.compile(p), _glue(r)) for p, r in _ABBREVIATIONS]


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
