"""The order the French rules run in, declared once, and `normalize`, which runs them.

Earlier rules protect later ones: each rewrites what it knows into words, so that a later,
looser rule no longer sees it (dates before numbers, units before bare numbers, numbers before
acronyms). Where a rule is defined says nothing of when it runs: only RULES does.
"""

from __future__ import annotations

from collections.abc import Mapping

from . import abbreviations, acronyms, addresses, cleanup, dates, homographs, money, numbers, punctuation, units
from .lexicon import Lexicon, compile_lexicon, protect, restore
from .rule import GLUE, Pass, Rule

RULES: tuple[Rule | Pass, ...] = (
    punctuation.FREE_QUOTE_MARK,
    # Addresses and paths first: their dots, slashes and digits are neither abbreviations nor numbers.
    addresses.URL,
    addresses.WWW,
    addresses.EMAIL,
    addresses.PATH,
    addresses.FILE_NAME,
    units.WORD_SLASH,  # after paths (/etc/apt), before bare domains
    addresses.BARE_DOMAIN,
    # Quotes, ellipses and brackets, before abbreviations take their dots.
    punctuation.ELLIPSIS,
    punctuation.CUT_IN_QUOTE,
    punctuation.OPENING_QUOTE,
    punctuation.CLOSING_QUOTE,
    punctuation.FOOTNOTE_CALL,
    punctuation.OPENING_BRACKET,
    punctuation.CLOSING_BRACKET,
    dates.RACE_TIME,  # 9"86: before its " is taken for inches or a quote
    units.INCHES,  # 6,1": before its " is taken for a quote
    punctuation.STRAIGHT_QUOTE,
    punctuation.PAIR_STRAIGHT_QUOTES,
    # Abbreviations: after addresses and quotes (which hold dots), before dates and numbers.
    abbreviations.PERIOD_AT_END,
    abbreviations.CODE_LETTER,  # "art. L. 123-4": before "art." is expanded
    abbreviations.TABLE_ABBREVIATION,
    abbreviations.DAY_RANGE,
    abbreviations.WEEKDAY,
    abbreviations.TITLE,
    acronyms.TABLE_ACRONYM,  # COP28, ISO-9001: before the digits are said
    acronyms.CAPS_AND_TAIL,
    abbreviations.MIDDLE_INITIAL,  # "Richard M. Stallman": before "M." is "Monsieur"
    abbreviations.AVANT_JESUS_CHRIST,
    abbreviations.APRES_JESUS_CHRIST,
    abbreviations.JESUS_CHRIST,
    abbreviations.C_EST_A_DIRE,
    abbreviations.PAR_EXEMPLE,
    abbreviations.CONFER,
    abbreviations.MESSIEURS,  # each longer form before its prefix: MM. before M., Mmes before Mme
    abbreviations.MONSIEUR,
    abbreviations.MESDAMES,
    abbreviations.MADAME,
    abbreviations.MESDEMOISELLES,
    abbreviations.MADEMOISELLE,
    abbreviations.MONSEIGNEUR,
    abbreviations.DOCTEURS,
    abbreviations.DOCTEUR,
    abbreviations.PROFESSEUR,
    abbreviations.SAINTE,
    abbreviations.SAINT,
    abbreviations.NUMEROS,
    abbreviations.NUMERO,
    abbreviations.NUMERO_NO,
    abbreviations.ENVIRON,
    abbreviations.PAGES,
    abbreviations.PAGE,
    abbreviations.VOLUME,
    abbreviations.VOLUME_CAPITAL,
    abbreviations.CHAPITRE,
    abbreviations.CHAPITRE_CAPITAL,
    abbreviations.CONTRE,
    abbreviations.COMPAGNIE,
    abbreviations.HABITANTS,
    abbreviations.TELEPHONE,
    abbreviations.REFERENCE,
    abbreviations.ETATS_UNIS,
    abbreviations.ETC,
    # Numbers with a fixed reading, before dates (which would take "1/8" for the 1st of August).
    numbers.FINALE,
    numbers.PHONE,
    numbers.SERVICE_NUMBER,
    numbers.COUNTDOWN,
    numbers.AND_MORE,
    numbers.FORTY_NINE_THREE,
    dates.ALWAYS,
    units.UNIT_INSIDE,
    units.MILESTONE,
    # Dates and times, before bare numbers and before dashes.
    dates.ISO_DATE,
    dates.DMY_DATE,
    dates.DAY_MONTH,
    dates.WRITTEN_DATE,
    dates.TIME_SLOTS,
    dates.TIME_RANGE,
    dates.RACE_HOURS,
    dates.TIME_HM,
    dates.TIME_COLON,
    dates.TIME_H,
    dates.DAYS_A_WEEK,
    numbers.SET_SCORES,
    dates.YEAR_SPAN,  # a season, 2023-2024, before a range
    numbers.RANGE,  # keeps digits, so that money and units still see them
    # Money, percentages, units: before bare numbers.
    money.AMOUNT_AFTER,
    money.AMOUNT_BEFORE,
    units.PERCENT,
    units.MEASURE,
    units.BARE_UNIT,
    numbers.ORDINAL,
    numbers.ROMAN_ORDINAL,
    numbers.REGNAL,
    # Codes, versions and other numbers; every digit left is said by LEFTOVER_DIGITS at the latest.
    acronyms.MODEL_DASH,  # after ranges: GPT-4, CVE-2024-3094
    dates.QUARTER,
    acronyms.LETTER_DOT_NUMBER,
    acronyms.NAME_SLASH_VERSION,  # HTTP/2: before it is a fraction
    acronyms.NAME_VERSIONS,
    numbers.FRACTION,
    numbers.TIMES,
    acronyms.NAME_NUMBER,
    numbers.MAGNITUDE,
    numbers.DOTTED,
    numbers.VERSION_V,
    numbers.MINUS,
    numbers.PLUS_SIGN,
    acronyms.LETTER_DIGIT,
    numbers.NUMBER,
    numbers.LEFTOVER_DIGITS,
    # Acronyms after numbers: "XIXe" and "Louis XIV" are numbers.
    acronyms.DOTTED_NAME,
    acronyms.DOTTED_ACRONYM,
    acronyms.INITIAL,
    acronyms.CAMEL_ACRONYM,
    acronyms.LETTER_CODE,
    acronyms.ACRONYM,
    # Symbols with a spoken name, once no rule above needs them.
    units.SLASH_OR,
    units.AMPERSAND,
    units.PLUS_PLUS,
    units.PLUS,
    units.EQUALS,
    units.ABOUT,
    units.TIMES_SIGN,
    units.SECTION_SIGN,
    units.PERCENT_SIGN,
    units.PER_MILLE_SIGN,
    units.AT_SIGN,
    units.INCLUSIVE_DOT,
    # Dashes last: a dash left is a pause, none inside a number or a code.
    punctuation.LEADING_DASH,
    punctuation.DASH_PAUSE,
    # Homographs on the words the rules above wrote.
    homographs.EST,
    homographs.ENT_VERB_AFTER_SUBJECT,
    homographs.ENT_VERB_REPEATED,
    homographs.ENT_VERB_AFTER_PLURAL,
    homographs.FILS,
    homographs.PLUS_AT_END,
    cleanup.DROP_SYMBOLS,
    cleanup.TIDY,
)


def normalize(text: str, lexicon: Mapping[str, str] | Lexicon | None = None, *, keep_glue: bool = False) -> str:
    """Rewrite `text` into the words to speak; a lexicon entry (word -> spoken form) beats every rule.

    With `keep_glue`, words that belong together stay joined by GLUE (a no-break space) for
    the chunker; otherwise the result has plain single spaces.
    """
    text = cleanup.preclean(text)
    text, spoken = protect(text, compile_lexicon(lexicon))
    for step in RULES:
        text = step.apply(text)
    text = restore(text, spoken)
    if not keep_glue:
        text = text.replace(GLUE, " ")
    return text
