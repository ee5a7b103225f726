"""French spoken-form normalization: what a newsreader would say for what is written.

`normalize()` runs small named rewrite rules, each a compiled pattern and a replacement, in the
order pipeline.RULES declares, where earlier rules protect later ones. The rules live by family
(numbers, dates, money, units, abbreviations, acronyms, addresses, punctuation, homographs);
loanwords and a user's lexicon are applied before any rule. Numbers are spoken through
num2words. Words that must stay together in one breath (the words of one number,
"Monsieur Dupont", a spelled acronym, a quote mark and its word) are joined by a no-break
space, GLUE, which the chunker never cuts; `normalize()` turns GLUE back into plain spaces
unless asked to keep it.
"""

from __future__ import annotations

from .cleanup import drop_symbols as _drop_symbols
from .lexicon import Lexicon, compile_lexicon, load_lexicon
from .numbers import FEMININE_NOUNS
from .pipeline import RULES, normalize
from .rule import DIGITS, FUNCTION_WORDS, GLUE, Pass, Rule
from .rule import Gated as _Gated
from .spoken import cardinal, decimal, number, ordinal, roman_value, spell
from .units import UNITS as _UNITS

# The private names are those the single-module french.py had, for the imports that use them.
__all__ = [
    "DIGITS",
    "FEMININE_NOUNS",
    "FUNCTION_WORDS",
    "GLUE",
    "RULES",
    "Lexicon",
    "Pass",
    "Rule",
    "_Gated",
    "_UNITS",
    "_drop_symbols",
    "cardinal",
    "compile_lexicon",
    "decimal",
    "load_lexicon",
    "normalize",
    "number",
    "ordinal",
    "roman_value",
    "spell",
]
