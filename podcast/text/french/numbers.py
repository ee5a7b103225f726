"""Numbers: cardinals and decimals, ordinals (1er, XIXe), ranges, fractions, factors (10x),
magnitudes (10k, 300M), versions (3.11), signs, and numbers with a fixed reading (phones,
cup rounds, J-3, the 49.3)."""

from __future__ import annotations

import re

from .rule import APOS, DIGITS, FUNCTION_WORDS, GLUE, LOW, UP, Rule, glue
from .spoken import NUM, NUM_START, cardinal, decimal, number, ordinal, roman_value, spell

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

# ---------------------------------------------------------------- numbers with a fixed reading

_FINALES = {"2": "demi-finale", "4": "quart de finale", "8": "huitième de finale", "16": "seizième de finale"}


def _finale(m: re.Match[str]) -> str:
    # "1/2 finale", "1/4 de finale", "1/8e de finale": a round of a cup, said by its name.
    said = _FINALES[m["d"]]
    plural = re.search(r"\b(?:les|des|aux|ces)[ ]$", m.string[max(0, m.start() - 5) : m.start()], re.I)
    if m["pl"] or m["fpl"] or plural:
        said = said.replace("finale", "finales") if m["d"] == "2" else said.replace(" de", "s de", 1)
    return glue(said)


FINALE = Rule(
    "finale",
    r"(?<![\w/])1[ ]?/[ ]?(?P<d>2|4|8|16)(?:e|è|ème)?(?P<pl>s)?(?:[ ]de)?[ ](?:la[ ])?finale(?P<fpl>s)?\b",
    _finale,
    needs="/",
)


def _phone(m: re.Match[str]) -> str:
    # 01 23 45 67 89, 01.23.45.67.89: a French phone number, said pair by pair.
    return GLUE.join(cardinal(m[k]) for k in "abcde")


PHONE = Rule(
    "phone",
    r"(?<![\w+,.])(?P<a>0[1-9])(?P<sep>[ .-]?)(?P<b>\d\d)(?P=sep)(?P<c>\d\d)(?P=sep)(?P<d>\d\d)(?P=sep)(?P<e>\d\d)"
    r"(?![\w]|[.,]\d)",
    _phone,
    needs=DIGITS,
)


def _service_number(m: re.Match[str]) -> str:
    # 0 800 123 456: "zéro huit cents, cent vingt-trois, quatre cent cinquante-six".
    return GLUE.join(["zéro"] + [cardinal(m[k]) for k in "abc"])


SERVICE_NUMBER = Rule(
    "service_number",
    r"(?<![\w+,.])0[ .]?(?P<a>[89]\d\d)[ .](?P<b>\d{3})[ .](?P<c>\d{3})(?![\w]|[.,]\d)",
    _service_number,
    needs=DIGITS,
)


def _countdown(m: re.Match[str]) -> str:
    return m["l"] + GLUE + "moins" + GLUE + m["n"]  # J-3: "J moins trois"


COUNTDOWN = Rule("countdown", r"\b(?P<l>[JH])[ ]?-[ ]?(?P<n>\d{1,3})\b(?![,.]\d|[ ]?%)", _countdown, needs=DIGITS)


def _and_more(m: re.Match[str]) -> str:
    # "les 65+ ans" are "les plus de soixante-cinq ans"; "18+" alone is "dix-huit plus".
    return "plus" + GLUE + "de" + GLUE + m["n"] + " " if m["n"] else m["m"] + GLUE + "plus"


AND_MORE = Rule(
    "and_more",
    r"(?<![\w+,.])(?P<n>\d{1,3})[ ]?\+[ ](?=ans\b)|(?<![\w+,.])(?P<m>\d{1,3})\+(?![\w+]|[ ]?\d)",
    _and_more,
    needs="+",
)


def _forty_nine_three(m: re.Match[str]) -> str:
    return glue("quarante-neuf trois")  # the Constitution's 49.3, as every French newsreader says it


FORTY_NINE_THREE = Rule("forty_nine_three", r"(?<![\w,.-])49[.-]3(?![\w-]|[.,]\d)", _forty_nine_three, needs=("49",))

# ---------------------------------------------------------------- scores and ranges

_SET = r"[0-7]-[0-7](?:\s?\(\d{1,2}(?:-\d{1,2})?\))?"


def _set_scores(m: re.Match[str]) -> str:
    # Tennis sets, 6-4, 7-5 (7-3): "six-quatre, sept-cinq (sept-trois)".
    said = re.sub(r"(\d+)-(\d+)", lambda s: cardinal(s[1]) + "-" + cardinal(s[2]), m.group(0))
    return re.sub(r"(?<=\w)\((\d+)\)", lambda s: " (" + cardinal(s[1]) + ")", said)  # 7-6(5): the tie-break


SET_SCORES = Rule(
    "set_scores",
    rf"(?<![\w.,−-])(?:{_SET}(?:,?\s{_SET})+|(?:(?<=set )|(?<=manche )|(?<=jeu )){_SET})(?![\w−-]|[.,]\d)",
    _set_scores,
    gate=r"[0-7]-[0-7]",
)

# What a number with a dash inside identifies rather than ranges: "décret n° 2024-1234" (the
# abbreviation rules made it "numéro"), "article L. 123-4".
_NUMBERED = re.compile(
    rf"(?:\b(?:numéros?|articles?|art\.|lois?|décrets?|arrêtés?|ordonnances?|directives?|règlements?|circulaires?)"
    rf"|\b[LRDA]\.?)[\s{GLUE}]*$",
    re.I,
)


def _range(m: re.Match[str]) -> str:
    # 10-15 km: the numbers stay digits so that the unit rule still sees them. "entre 10-15":
    # "entre dix et quinze".
    before = m.string[max(0, m.start() - 12) : m.start()]
    if _NUMBERED.search(before):
        return m[1] + GLUE + "tiret" + GLUE + m[2]  # décret n° 2024-1234, article L. 123-4
    between = re.search(r"\bentre\s$", before, re.I)
    return m[1] + GLUE + ("et" if between else "à") + GLUE + m[2]


RANGE = Rule("range", r"(?<![\w.,−-])(\d+)\s?[–—-]\s?(\d+)(?![\w−-]|[.,]\d)", _range, needs=DIGITS)

# ---------------------------------------------------------------- ordinals: 1er, 1re, 2e, XIXe, Louis XIV


def _ordinal_singular(n: int, suf: str, written: str) -> str:
    if suf in ("nd", "nde"):
        return ("second" if suf == "nd" else "seconde") if n == 2 else written
    if suf == "er" and n != 1:
        return written
    return ordinal(n, feminine=suf in ("re", "ère", "ere"))


def _ordinal(m: re.Match[str]) -> str:
    n, suf = int(m[1]), m["suf"]
    spoken = _ordinal_singular(n, suf, "")
    if not spoken:
        return m.group(0)
    return spoken + ("s" if m["pl"] else "")  # les 1ers, les 2es


ORDINAL = Rule("ordinal", r"\b(\d+)(?P<suf>er|re|ère|ere|nde?|e|ème|eme|è)(?P<pl>s?)\b", _ordinal, needs=DIGITS)


def _roman_ordinal(m: re.Match[str]) -> str:
    r = m["r"]
    value = roman_value(r)
    if value is None or (len(r) == 1 and r not in "IVX") or (m["suf"] in ("er", "re", "ère") and value != 1):
        return m.group(0)
    return ordinal(value, feminine=m["suf"] in ("re", "ère"))


ROMAN_ORDINAL = Rule("roman_ordinal", r"\b(?P<r>[IVXLC]+)(?P<suf>er|re|ère|e|ème|eme)\b", _roman_ordinal, needs="IVXLC")


def _regnal(m: re.Match[str]) -> str:
    value = roman_value(m["r"])
    if value is None:
        return m.group(0)
    return m["name"] + GLUE + cardinal(value)


REGNAL = Rule(
    "regnal", rf"\b(?P<name>[{UP}][{LOW}]+(?:-[{UP}][{LOW}]+)?)\s+(?P<r>[IVX]{{2,}}|V)\b(?![\w-])", _regnal, needs="IVX"
)

# ---------------------------------------------------------------- fractions, factors, magnitudes, versions


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


FRACTION = Rule(
    "fraction", r"(?<![\w.,/-])(\d+)(?:,(?P<frac>\d+))?\s?[/⁄]\s?(\d+)(?![\w/]|[.,]\d)", _fraction, needs=DIGITS
)


def _times(m: re.Match[str]) -> str:
    # "10x plus", "2.5x plus", "x2": a factor.
    if m[3]:
        return "fois" + GLUE + cardinal(m[3])
    return (decimal(m[1], m[2]) if m[2] else cardinal(m[1])) + GLUE + "fois"


TIMES = Rule("times", r"(?<![\w.,])(\d+)(?:[.,](\d+))?\s?[x×](?=\s|$)|(?<![\w])[x×]\s?(\d+)\b", _times, needs=DIGITS)

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


MAGNITUDE = Rule(
    "magnitude",
    r"(?<![\w.,])(\d+)(?:[.,](\d+))?\s?(k|M|Md|Mds|Mrds?)(?![\w€$£¥])(?!\s?(?:€|\$|£|¥|EUR|USD|CHF))"
    rf"(?P<noun>[ ](?=[^\W\d_][\w{APOS}-]*))?",
    _magnitude,
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


DOTTED = Rule(
    "dotted",
    r"(?<![\w,.])(?:(?P<v>v)(?=\d))?(?P<n>\d+(?:\.\d+)+)(?:-?(?P<suf>[a-z]{1,2})(?P<sufn>\d*))?(?![\w]|\.\d)",
    _dotted,
    needs=DIGITS,
)


def _version_v(m: re.Match[str]) -> str:
    return "version" + GLUE  # "la v2 du site"


VERSION_V = Rule("version_v", r"(?<![\w.,])v(?=\d+(?![\w.]|\.\d))", _version_v, needs=DIGITS)

# ---------------------------------------------------------------- signs, then every number left


def _minus(m: re.Match[str]) -> str:
    return "moins" + GLUE


MINUS = Rule("minus", r"(?:(?<=\s)|(?<=^)|(?<=\())[−-](?=\d)", _minus, needs=DIGITS)


def _plus_sign(m: re.Match[str]) -> str:
    return "plus" + GLUE


PLUS_SIGN = Rule("plus_sign", r"(?:(?<=\s)|(?<=^)|(?<=\())\+(?=\d)", _plus_sign, needs=DIGITS)


def _number(m: re.Match[str]) -> str:
    following = re.match(r"\s+(\w+)", m.string[m.end() : m.end() + 30])
    feminine = following is not None and following[1].lower() in FEMININE_NOUNS and not m["frac"]
    return number(m["int"], m["frac"], feminine=feminine)


NUMBER = Rule("number", NUM_START + NUM + r"(?!\d)", _number, needs=DIGITS)


def _leftover_digits(m: re.Match[str]) -> str:
    return cardinal(m.group(0))


LEFTOVER_DIGITS = Rule("leftover_digits", r"\d+", _leftover_digits, needs=DIGITS)
