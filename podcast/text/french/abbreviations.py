"""Abbreviations: titles before a name (M., Mme, Dr), the table's short forms (janv., NdT),
weekdays before a date, Latin and reference forms (cf., p. ex., etc., p. 12, n° 5), and the
period an abbreviation shares with the end of a sentence."""

from __future__ import annotations

import re

from ..words import ABBREVIATIONS, DAY_ABBREVIATIONS, TITLES
from .dates import MONTHS
from .rule import DIGITS, GLUE, LOW, UP, Rule, alternation, first_chars, glue

# "... av. J.-C. Puis": the abbreviation's period also ended the sentence; keep one.
PERIOD_AT_END = Rule("period_at_end", rf"(?:J\.-C\.|É\.-U\.)(?=\s+[{UP}«])", r"\g<0>.")


def _code_letter(m: re.Match[str]) -> str:
    return (m["l"] or m["c"]) + GLUE


# "article L. 123-4", "articles R. 412-1 à R. 412-3": the code's letter, not the end of a sentence
# (before "art." is expanded). A code's number has a dash inside wherever the article is cited.
CODE_LETTER = Rule(
    "code_letter",
    r"(?:(?<=\barticle )|(?<=\barticles )|(?<=\b[aA]rt\. ))(?P<l>[LRDA])\.\s+(?=\d)"
    r"|(?<![\w.])(?P<c>[LRDA])\.[ ](?=\d{1,4}-\d)",
    _code_letter,
    gate=r"[LRDA]\.\s+\d",
    needs=".",
)

# A month abbreviation may open a sentence: "Janv. 2024".
_ABBREVIATIONS_ANY_CASE = {
    **ABBREVIATIONS,
    **{k[0].upper() + k[1:]: v[0].upper() + v[1:] for k, v in ABBREVIATIONS.items() if v in MONTHS},
}
_MONTH_ABBREVIATIONS = {k for k, v in _ABBREVIATIONS_ANY_CASE.items() if v.lower() in MONTHS}


# "sept." is also the number seven ending a sentence ("le chapitre sept.", "Ils étaient sept.");
# every other abbreviated month is a month. "sept." is the month where its period ends no
# sentence (a lowercase word, a comma or a number follows: "en sept. dernier", "sept. 2020"),
# or after a day or a word that only a month follows ("le 3 sept.", "fin sept.", "mi-sept.").
_SEPT_MONTH_AFTER = re.compile(rf"[\s{GLUE}]*(?:[,;:)\d]|(?<=\s)[{LOW}])")
_SEPT_MONTH_BEFORE = re.compile(
    rf"(?:\d(?:er)?|\b(?:premier|depuis|dès|fin|début|mi|courant|jusqu['’]en|mois[\s{GLUE}]de))[\s{GLUE}-]*$", re.I
)


def _is_month(m: re.Match[str]) -> bool:
    if m.group(0).lower() != "sept.":
        return True
    after = m.string[m.end() : m.end() + 3]
    before = m.string[max(0, m.start() - 12) : m.start()]
    return bool(_SEPT_MONTH_AFTER.match(after) or _SEPT_MONTH_BEFORE.search(before))


_ENDS_A_SENTENCE = re.compile(rf"\s+(?:[{UP}](?!{GLUE})|«)|\s*$")


def _table_abbreviation(m: re.Match[str]) -> str:
    key = m.group(0)
    if key in _MONTH_ABBREVIATIONS and not _is_month(m):
        return key
    said = glue(_ABBREVIATIONS_ANY_CASE[key])
    if said[0].isupper() and key not in _MONTH_ABBREVIATIONS:
        return said + GLUE if re.match(rf"\s+[{UP}]", m.string[m.end() :]) else said
    # The abbreviation's period may also end the sentence: keep one.
    return said + ("." if _ENDS_A_SENTENCE.match(m.string, m.end()) else "")


TABLE_ABBREVIATION = Rule(
    "table_abbreviation",
    rf"(?<![\w.])(?:{alternation(_ABBREVIATIONS_ANY_CASE)})(?!\w)",
    _table_abbreviation,
    needs=".",
)

_DAYS_ANY_CASE = {**DAY_ABBREVIATIONS, **{k.capitalize(): v.capitalize() for k, v in DAY_ABBREVIATIONS.items()}}
_DAY_ABBREVIATION = rf"(?<![\w.])(?:{alternation(_DAYS_ANY_CASE)})"


def _day_range(m: re.Match[str]) -> str:
    said = GLUE.join(["du", _DAYS_ANY_CASE[m["a"]].lower(), "au", _DAYS_ANY_CASE[m["b"]].lower()])
    return said + ("." if _ENDS_A_SENTENCE.match(m.string, m.end()) else "")


# A weekday where a date, an hour or another weekday follows ("mar. 14 mai", "sam. 10h",
# "du lun. au ven."); "mer." and "sam." alone are words.
DAY_RANGE = Rule(
    "day_range",
    rf"(?P<a>{_DAY_ABBREVIATION})\s?[-–]\s?(?P<b>{_DAY_ABBREVIATION})",
    _day_range,
    gate=r"\.\s?[-–]",
    needs=".",
)


def _weekday(m: re.Match[str]) -> str:
    return _DAYS_ANY_CASE[m.group(0)]


WEEKDAY = Rule(
    "weekday",
    _DAY_ABBREVIATION + rf"(?=\s+\d{{1,2}}(?:er)?\s+(?:{'|'.join(MONTHS)}|{alternation(_MONTH_ABBREVIATIONS)}|au|et)\b"
    rf"|\s+(?:à\s+)?\d{{1,2}}\s?h\b|\s+au\s+{_DAY_ABBREVIATION})"
    rf"|(?:(?<=\bau )|(?<=\bchaque )|(?<=\btous les ))(?:{alternation(_DAYS_ANY_CASE)})",
    _weekday,
    gate=r"\.\s+(?:\d|au\b|à\b)|(?:chaque|au|tous les) \w{3}\.",
    needs=".",
)


def _title(m: re.Match[str]) -> str:
    return TITLES[m["t"]] + GLUE


TITLE = Rule("title", rf"\b(?P<t>{alternation(TITLES)})\.?\s+(?=[{UP}][{LOW}])", _title, needs=first_chars(TITLES))


def _middle_initial(m: re.Match[str]) -> str:
    # "Richard M. Stallman": an initial after a first name mid-sentence, not "Monsieur".
    before = m.string[max(0, m.start() - 3) : m.start()].rstrip(" " + GLUE)
    if not before or before[-1] in ".!?:«(\n":
        return m.group(0)
    return m["first"] + " " + m["initial"] + GLUE


MIDDLE_INITIAL = Rule(
    "middle_initial", rf"\b(?P<first>[{UP}][{LOW}]+) (?P<initial>[A-Z])\.(?= [{UP}][{LOW}])", _middle_initial, needs="."
)

# Short forms with a fixed expansion. An expanded abbreviation is one unit for the chunker
# ("par exemple", "avant Jésus-Christ"); GLUE keeps a title with the name it introduces.
_CAP_NEXT = rf"(?=[{UP}])"
AVANT_JESUS_CHRIST = Rule(
    "avant_jesus_christ", r"\s?\bav\.\s*J\.?-C\.", glue(GLUE + "avant Jésus-Christ"), needs=("av.",)
)
APRES_JESUS_CHRIST = Rule(
    "apres_jesus_christ", r"\s?\bapr\.\s*J\.?-C\.", glue(GLUE + "après Jésus-Christ"), needs=("apr.",)
)
JESUS_CHRIST = Rule("jesus_christ", r"\bJ\.-C\.", glue("Jésus-Christ"), needs=("J.-C.",))
C_EST_A_DIRE = Rule("c_est_a_dire", r"\bc\.-à-d\.|\bc-à-d\b\.?|\bcàd\b", glue("c'est-à-dire"), needs=("à",))
PAR_EXEMPLE = Rule("par_exemple", r"\bp\.\s?ex\.|\bpar ex\.", glue("par exemple"), needs=("ex.",))
CONFER = Rule("confer", r"\bcf\.|\bCf\.", glue("confer"), needs=("f.",))
MESSIEURS = Rule("messieurs", r"\bMM\.\s+(?=[" + UP + r"]|les\b)", glue("Messieurs" + GLUE), needs=("MM.",))
MONSIEUR = Rule(
    "monsieur",
    r"\bM\.\s+(?=[" + UP + r"]|le\b|la\b|l['’]|de\b|du\b|et\s+Mmes?\b)",
    glue("Monsieur" + GLUE),
    needs=("M.",),
)
MESDAMES = Rule("mesdames", r"\bMmes\b\.?\s*", glue("Mesdames" + GLUE), needs=("Mmes",))
MADAME = Rule("madame", r"\bMme\b\.?\s*", glue("Madame" + GLUE), needs=("Mme",))
MESDEMOISELLES = Rule("mesdemoiselles", r"\bMlles\b\.?\s*", glue("Mesdemoiselles" + GLUE), needs=("Mlles",))
MADEMOISELLE = Rule("mademoiselle", r"\bMlle\b\.?\s*", glue("Mademoiselle" + GLUE), needs=("Mlle",))
MONSEIGNEUR = Rule("monseigneur", r"\bMgr\b\.?\s*", glue("Monseigneur" + GLUE), needs=("Mgr",))
DOCTEURS = Rule("docteurs", r"\bDrs\b\.?\s+" + _CAP_NEXT, glue("Docteurs" + GLUE), needs=("Drs",))
DOCTEUR = Rule("docteur", r"\bDr\b\.?\s+" + _CAP_NEXT, glue("Docteur" + GLUE), needs=("Dr",))
PROFESSEUR = Rule("professeur", r"\bPr\b\.?\s+" + _CAP_NEXT, glue("Professeur" + GLUE), needs=("Pr",))
SAINTE = Rule("sainte", r"\bSte\b\.?(?=[\s-]+[" + UP + "])", glue("Sainte"), needs=("Ste",))
SAINT = Rule("saint", r"\bSt\b\.?(?=[\s-]+[" + UP + "])", glue("Saint"), needs=("St",))
NUMEROS = Rule("numeros", r"\b[nN][°º]s\s*", glue("numéros" + GLUE), needs=("°", "º"))
NUMERO = Rule("numero", r"\b[nN][°º]\s*", glue("numéro" + GLUE), needs=("°", "º"))
NUMERO_NO = Rule("numero_no", r"\b[nN]o\.?\s?(?=\d)", glue("numéro" + GLUE), needs=tuple(DIGITS))  # "le no 5 mondial"
ENVIRON = Rule("environ", r"\benv\.\s*(?=\d)", glue("environ "), needs=("env.",))
PAGES = Rule("pages", r"\bpp\.\s*(?=\d)", glue("pages" + GLUE), needs=("pp.",))
PAGE = Rule("page", r"\bp\.\s*(?=\d)", glue("page" + GLUE), needs=("p.",))
VOLUME = Rule("volume", r"\bvol\.\s*(?=\d)", glue("volume" + GLUE), needs=("vol.",))
VOLUME_CAPITAL = Rule("volume_capital", r"\bVol\.\s*(?=\d)", glue("Volume" + GLUE), needs=("Vol.",))
CHAPITRE = Rule("chapitre", r"\bchap\.\s*(?=\d)", glue("chapitre" + GLUE), needs=("chap.",))
CHAPITRE_CAPITAL = Rule("chapitre_capital", r"\bChap\.\s*(?=\d)", glue("Chapitre" + GLUE), needs=("Chap.",))
CONTRE = Rule("contre", r"\bvs\b\.?(?=\s)", glue("contre"), needs=("vs",))
COMPAGNIE = Rule("compagnie", r"\bCie\b", glue("compagnie"), needs=("Cie",))
HABITANTS = Rule("habitants", r"\bhab\.", glue("habitants"), needs=("hab.",))
TELEPHONE = Rule("telephone", r"\b[tT]él\.", glue("téléphone"), needs=("él.",))
REFERENCE = Rule("reference", r"\b[rR]éf\.", glue("référence"), needs=("éf.",))
ETATS_UNIS = Rule("etats_unis", r"\bÉ\.-U\.|\bÉ-U\b", glue("États-Unis"), needs=("É",))


def _etc(m: re.Match[str]) -> str:
    # Its period also ends the sentence where nothing or a capital follows: keep one.
    return "et" + GLUE + "cetera" + ("." if m["end"] is not None else "")


ETC = Rule("etc", rf"(?<!slash{GLUE})\betc\b(?:\.{{1,3}}|…)?(?P<end>(?=\s*$)|(?=\s+[{UP}«]))?", _etc)
