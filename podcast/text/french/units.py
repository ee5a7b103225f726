"""Units and symbols: measures (10 km, 130 km/h, 12 %), what a thing is counted per (€/mois), a
slash between words, and the symbols with a spoken name (&, =, §, @)."""

from __future__ import annotations

import re

from .rule import DIGITS, GLUE, LOW, UP, Rule, glue
from .spoken import NUM_DOT, NUM_START, cardinal, number, only_digits

# unit -> (singular, plural, feminine)
UNITS = {
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

# What an amount or a measure is counted per: 10 €/mois, 100 Mo/s, 120 g/km.
PER = {
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
_PER_NAMES = "|".join(re.escape(u) for u in sorted(PER, key=len, reverse=True))
PER_SUFFIX = rf"(?:\s?/\s?(?P<per>{_PER_NAMES})(?![\w²/]))?"


def per(m: re.Match[str]) -> str:
    """What a match of PER_SUFFIX is counted per ("par mois"), or nothing."""
    return GLUE + "par" + GLUE + glue(PER[m["per"]]) if m["per"] else ""


def _word_slash(m: re.Match[str]) -> str:
    """GNU/Linux, TCP/IP: one name, said without the slash; oui/non, il/elle: an alternative, "ou"."""
    parts = [p.strip() for p in m["words"].split("/")]
    if re.search(r"\d[ ]?$", m.string[max(0, m.start() - 2) : m.start()]):
        # A unit per another after a number: the measure rules say the known ones.
        if len(parts) == 2 and parts[0] in UNITS and parts[1] in PER or "/".join(parts) in UNITS:
            return m.group(0)
        if parts[0] in UNITS or parts[-1] in PER:
            return " par ".join([parts[0]] + [PER.get(p, p) for p in parts[1:]])
        # Not a measure: "MPEG-4 AVC/H.264" is two names.
    if len(parts) == 2 and parts[1] in _PER_AFTER_WORD and parts[0].lower() not in PER:
        return parts[0] + " par " + PER[parts[1]]  # 1 800 € brut/mois, 50 € HT/an
    if any(p.isupper() for p in parts) or {"et", "ou"} & set(parts):
        return " ".join(parts)  # a compound name (GNU/Linux, TCP/IP), or "et/ou"
    return " ou ".join(parts)


WORD_SLASH = Rule(
    "word_slash", r"(?<![\w/.-])(?P<words>[^\W\d_][\w-]*(?:[ ]?/[ ]?[^\W\d_][\w-]*)+)(?![\w/])", _word_slash, gate="/"
)

_QUOTE_MARK = re.compile(r'(?<!\d)(?<!\d )"')  # a straight quote, not an inch mark


def _inches(m: re.Match[str]) -> str:
    # A screen of 6,1": inches, unless the mark closes a quote opened before it ("il a dit "2"").
    if len(_QUOTE_MARK.findall(m.string, 0, m.start())) % 2:
        return m.group(0)
    return m["n"] + " pouces"


INCHES = Rule(
    "inches",
    r"(?<![\w\"”,.])(?<!['’′])(?<!['’′] )(?P<n>\d+(?:,\d+)?)[ ]?(?:\"|″|′′|'')(?=[\s,.;:)]|$)",
    _inches,
    needs=('"', "′′", "''"),
)


def _unit_inside(m: re.Match[str]) -> str:
    # 1m80, 3€50: the unit said after the whole part, "un mètre quatre-vingts", "trois euros cinquante".
    one, many = ("mètre", "mètres") if m["u"] == "m" else ("euro", "euros")
    return GLUE.join([cardinal(m["a"]), one if int(m["a"]) < 2 else many, cardinal(int(m["b"]))])


UNIT_INSIDE = Rule(
    "unit_inside",
    r"(?<![\w,.])(?P<a>\d{1,3})(?P<u>m|€)(?P<b>\d\d)(?!\w|[,.]\d|[ ]?(?:€|cm|mm|m)\b)",
    _unit_inside,
    needs=DIGITS,
)


def _milestone(m: re.Match[str]) -> str:
    return "kilomètre" + GLUE  # "au km 42": a point on a road or a course


MILESTONE = Rule("milestone", r"(?<!\d[ ])(?<![\w])km[ ]?(?=\d)", _milestone, needs=("km",))

_SIGNS = {"+": "plus", "-": "moins", "−": "moins", "±": "plus ou moins"}


def _percent(m: re.Match[str]) -> str:
    sign = _SIGNS.get(m["sign"] or "", "")
    word = "pour" + GLUE + ("mille" if m["pc"] == "‰" else "cent")
    return GLUE.join(x for x in (sign, number(m["int"], m["frac"]), word) if x)


PERCENT = Rule(
    "percent", r"(?<![\w,.])(?P<sign>[+\-−±])?" + NUM_DOT + r"\s?(?P<pc>%|‰|pour ?cent\b)", _percent, needs=DIGITS
)

_UNIT_NAMES = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))


def _measure(m: re.Match[str]) -> str:
    one, many, fem = UNITS[m["unit"]]
    value = float(f"{only_digits(m['int'])}.{m['frac'] or 0}")
    spoken = number(m["int"], m["frac"], feminine=fem) + GLUE + glue(one if value < 2 else many)
    sign = _SIGNS.get(m["sign"] or "", "")
    return (glue(sign) + GLUE if sign else "") + spoken + per(m)


MEASURE = Rule(
    "measure",
    NUM_START + r"(?P<sign>[−+±-])?" + NUM_DOT + rf"\s?(?P<unit>{_UNIT_NAMES})" + PER_SUFFIX + r"(?![\w²³/'’])",
    _measure,
    needs=DIGITS,
)

# A unit said for itself, without a number: "le prix du m²", "au km", "par kWh".
_BARE_UNITS = {u: UNITS[u][0] for u in ("m²", "m2", "m³", "m3", "km²", "km2", "km", "kWh", "MWh", "kg", "km/h", "ha")}


def _bare_unit(m: re.Match[str]) -> str:
    return glue(_BARE_UNITS[m["u"]])


BARE_UNIT = Rule(
    "bare_unit",
    rf"(?:(?<=\b[dD]u )|(?<=\b[lL]e )|(?<=\b[aA]u )|(?<=\b[pP]ar )|(?<=\bchaque )|(?<=€/)|(?<=€ / ))"
    rf"(?P<u>{'|'.join(re.escape(u) for u in sorted(_BARE_UNITS, key=len, reverse=True))})(?![\w²³/])",
    _bare_unit,
    needs=tuple(_BARE_UNITS),
)

# Symbols with a spoken name; every other symbol and emoji is dropped (cleanup.DROP_SYMBOLS).
SLASH_OR = Rule("slash_or", rf"(?<=[{LOW}{UP}])\s?/\s?(?=[{LOW}{UP}])", " ou ", needs="/")
AMPERSAND = Rule("ampersand", r"\s?&\s?", " et ", needs="&")
PLUS_PLUS = Rule("plus_plus", r"(?<=\w)\+\+(?!\w)", " plus" + GLUE + "plus", needs="+")  # Notepad++, like C++
PLUS = Rule("plus", r"\s[+]\s|(?<=\w)[+](?=\w)", " plus ", needs="+")  # 45+2: added time
EQUALS = Rule("equals", r"\s=\s", " égale ", needs="=")
ABOUT = Rule("about", r"\s≈\s?|\s~\s?(?=\w)", " environ ", needs="≈~")
TIMES_SIGN = Rule("times_sign", r"\s×\s", " fois ", needs="×")
SECTION_SIGN = Rule("section_sign", r"§\s?", "paragraphe" + GLUE, needs="§")
PERCENT_SIGN = Rule("percent_sign", r"%", " pour cent", needs="%")
PER_MILLE_SIGN = Rule("per_mille_sign", r"‰", " pour mille", needs="‰")
AT_SIGN = Rule("at_sign", r"\s?@\s?", " arobase ", needs="@")
INCLUSIVE_DOT = Rule("inclusive_dot", rf"(?<=\w)[·•](?=[{LOW}])", "", needs="·•")  # étudiant·es
