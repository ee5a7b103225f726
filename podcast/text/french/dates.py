"""Dates and times: 24/11/2026, le 4 mars 2024, 14h30, 9:15, 8h-12h / 14h-18h, 2h03'45, 9"86,
24/7, spans of years (la saison 2023/24) and quarters (T3 2024)."""

from __future__ import annotations

import re

from .rule import DIGITS, GLUE, Rule, glue
from .spoken import cardinal, ordinal

MONTHS = [
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


def _race_time(m: re.Match[str]) -> str:
    # A race time: 9"86 is "neuf secondes quatre-vingt-six", 1'45"30 "une minute quarante-cinq secondes trente".
    if m["s"]:
        return GLUE.join([cardinal(m["s"], True), "secondes" if int(m["s"]) > 1 else "seconde", cardinal(m["c"])])
    said = [cardinal(m["m"], True), "minutes" if int(m["m"]) > 1 else "minute", cardinal(int(m["ms"]), True)]
    if m["mc"]:
        said += ["secondes", cardinal(m["mc"])]
    return GLUE.join(said)


RACE_TIME = Rule(
    "race_time",
    r"(?<![\w.,'’\"])(?:(?P<m>\d{1,2})['’](?P<ms>[0-5]\d)(?:[\"”](?P<mc>\d{2})?)?|(?P<s>\d{1,2})[\"”](?P<c>\d{2}))"
    r"(?![\w'’\"”])",
    _race_time,
    gate=r"\d['’\"”]\d",
)


def _always(m: re.Match[str]) -> str:
    return glue("vingt-quatre heures sur vingt-quatre, sept jours sur sept")


ALWAYS = Rule("always", r"(?<![\w/,.])24[ ]?/[ ]?7\b(?!/)", _always, needs="/")


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
    spoken = [_day(day), MONTHS[month - 1]] + ([_year(y)] if y else [])
    return GLUE.join(spoken)


def _iso_date(m: re.Match[str]) -> str:
    return _date(m[3], m[2], m[1], m[0])


ISO_DATE = Rule("iso_date", r"\b(\d{4})-(\d{2})-(\d{2})\b", _iso_date, needs=DIGITS)


def _dmy_date(m: re.Match[str]) -> str:
    return _date(m[1], m[3], m[4], m[0])


DMY_DATE = Rule(
    "dmy_date", r"(?<![\d/.])(\d{1,2})([/.])(\d{1,2})\2(\d{4}|\d{2})(?![\d/]|\.\d)", _dmy_date, needs=DIGITS
)

_WEEKDAYS = "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"


def _day_month(m: re.Match[str]) -> str:
    # "jeudi 12/06": a date without its year, not a fraction.
    spoken = _date(m[2], m[3], None, "")
    return f"{m['w']} {spoken}" if spoken else m.group(0)


DAY_MONTH = Rule(
    "day_month", rf"\b(?P<w>le|du|au|{_WEEKDAYS})\s+(\d{{1,2}})/(\d{{1,2}})(?![\d/])", _day_month, re.I, needs=DIGITS
)


def _written_date(m: re.Match[str]) -> str:
    # "le 4 mars 2024", "1er février", "mars 2024": one unit, never cut inside.
    day = m["d"]
    if day and not 1 <= int(day.removesuffix("er")) <= 31:
        return m.group(0)
    spoken = ([_day(int(day.removesuffix("er")))] if day else []) + [m["m"]]
    year = m["y"] or m["year"]
    return GLUE.join(spoken + ([cardinal(year)] if year else []))


WRITTEN_DATE = Rule(
    "written_date",
    rf"(?<![\w,.–-])(?:(?P<d>1er|\d{{1,2}})\s+)?(?P<m>{'|'.join(MONTHS)})"
    r"(?(d)(?:\s+(?P<y>\d{4}))?|\s+(?P<year>\d{4}))(?![\w,.]\d|\s\d{3}\b)",
    _written_date,
    needs=DIGITS,
)


def _time_slots(m: re.Match[str]) -> str:
    return ", "  # 8h-12h / 14h-18h: two slots, a pause between them


TIME_SLOTS = Rule("time_slots", r"(?:(?<=\dh)|(?<=\d h)|(?<=h\d\d))[ ]?/[ ]?(?=\d{1,2}[ ]?h)", _time_slots, needs="/")


def _time_range(m: re.Match[str]) -> str:
    return m[1] + " à "  # 14h-16h: "de quatorze heures à seize heures"


TIME_RANGE = Rule("time_range", r"(\d{1,2}\s?h(?:\s?\d{2})?)\s?[-–]\s?(?=\d{1,2}\s?h)", _time_range, needs=DIGITS)


def _hours(h: str) -> str:
    n = int(h)
    return cardinal(n, feminine=True) + GLUE + ("heure" if n < 2 else "heures")


def _race_hours(m: re.Match[str]) -> str:
    # A marathon in 2h03'45: hours, minutes and seconds.
    minutes, seconds = int(m["m"]), int(m["s"])
    said = [_hours(m["h"]), cardinal(minutes, feminine=True), "minute" if minutes < 2 else "minutes"]
    return GLUE.join(said + [cardinal(seconds, feminine=True), "seconde" if seconds < 2 else "secondes"])


RACE_HOURS = Rule(
    "race_hours",
    r"(?<![\d,.:])(?P<h>\d{1,2})[ ]?h[ ]?(?P<m>[0-5]\d)['’′][ ]?(?P<s>[0-5]\d)(?:[\"”″]|′′|'')?(?![\d'’′])",
    _race_hours,
    needs="'’′",
)


def _time_hm(m: re.Match[str]) -> str:
    minutes = int(m[2])
    tail = "" if minutes == 0 else GLUE + cardinal(minutes, feminine=True)
    if m.group(0).rstrip().endswith("min"):
        tail += GLUE + ("minute" if minutes < 2 else "minutes")
    return _hours(m[1]) + tail


TIME_HM = Rule("time_hm", r"(?<![\d,.:])([01]?\d|2[0-4])\s?[hH]\s?([0-5]\d)(?:\s?min\b)?(?!\d)", _time_hm, needs=DIGITS)


def _time_colon(m: re.Match[str]) -> str:
    minutes = int(m[2])
    return _hours(m[1]) + ("" if minutes == 0 else GLUE + cardinal(minutes, feminine=True))


TIME_COLON = Rule("time_colon", r"(?<![\d,.:])([01]?\d|2[0-4]):([0-5]\d)(?![\d:])", _time_colon, needs=DIGITS)


def _time_h(m: re.Match[str]) -> str:
    spoken = _hours(m[1])
    if m[2]:  # 24h/24, 7h/7
        spoken += GLUE + "sur" + GLUE + cardinal(m[2])
    return spoken


TIME_H = Rule("time_h", r"(?<![\d,.:])(\d{1,3})\s?h(?![\w])(?:\s?/\s?(\d+)(?![\d:]|\s?[hH]\b))?", _time_h, needs=DIGITS)


def _days_a_week(m: re.Match[str]) -> str:
    return cardinal(m[1], feminine=False) + GLUE + "jours" + GLUE + "sur" + GLUE + "sept"


DAYS_A_WEEK = Rule("days_a_week", r"(?<![\d,.])(\d+)\s?j\s?/\s?7\b", _days_a_week, needs=DIGITS)

# What a span of years names when it is one season or one fiscal year: "la saison 2024-2025".
_SEASON_BEFORE = re.compile(
    r"\b(?:saisons?|exercices?|années?[ ](?:scolaires?|universitaires?|budgétaires?|fiscales?)|année|campagnes?"
    rf"|promotions?|promos?|cuvées?|millésimes?|budgets?|hivers?|éditions?|rentrées?)[\s{GLUE}]*$",
    re.I,
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


YEAR_SPAN = Rule(
    "year_span",
    r"(?<![\w.,/−-])(?P<a>(?:19|20)\d\d)[ ]?(?P<sep>[/–—-])[ ]?(?P<b>(?:19|20)\d\d|\d\d)(?![\w/−-]|[.,]\d)",
    _year_span,
    needs=DIGITS,
)


def _quarter(m: re.Match[str]) -> str:
    # "T3 2024", "Q1 2025", "S1 2024", "au T2": a quarter or a half of a year ("un T3" is a flat).
    if m["h"]:
        said = ordinal(int(m["hn"])) + GLUE + "semestre"
    else:
        said = ordinal(int(m["qn"] or m["tn"])) + GLUE + "trimestre"
    return said + (GLUE + cardinal(m["y"]) if m["y"] else "")


QUARTER = Rule(
    "quarter",
    r"\b(?:(?P<q>[TQ])(?P<qn>[1-4])|(?P<h>[SH])(?P<hn>[12]))\s+(?P<y>\d{4})\b(?![.,]\d)"
    r"|(?:(?<=\b[aA]u )|(?<=\b[dD]u ))T(?P<tn>[1-4])\b",
    _quarter,
    gate="[TQSH][1-4]",
)
