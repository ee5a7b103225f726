"""Homographs: written alike, said differently. A French voice picks the commonest reading, so
the other one is respelled as it sounds. Rules, not a tagger: spaCy's fr_core_news_sm (6-12 s to
load, 54-70 ms per KB) tags "l'est" and "elles couvent" wrongly and cannot tell "fils" or "plus" apart."""

from __future__ import annotations

import re

from .rule import GLUE, LOW, Rule

# "l'est", "nord-est", "l'Est": the direction, [ɛst].
EST = Rule("est", r"\b(?P<p>[lLdD]['’]|[nN]ord-|[sS]ud-)(?:est|Est)\b", r"\g<p>este", gate="[eE]st")

# Nouns/adjectives in -ent that are also verbs: "ils président", said without the "nt".
_ENT_VERBS = (
    "couvent|président|résident|violent|excellent|négligent|divergent|convergent|émergent|affluent|influent|"
    "confluent|coïncident|content|expédient|équivalent|somnolent"
)
_SUBJECT = r"(?:ils|elles|Ils|Elles|qui|qu['’]ils|qu['’]elles)"
_OBJECT = r"(?:(?:ne|n['’]|se|s['’]|les|le|la|l['’]|leur|y|en|nous|vous)[ ]?)*"
_PLURAL_NOUN = rf"\b(?:les|des|ces|mes|tes|ses|nos|vos|leurs|Les|Des|Ces)[ ](?:[{LOW}]+[ ])?[{LOW}]+[sx]"
_ENT_GATE = rf"\b(?:{_ENT_VERBS})\b"


def _verb_ent(m: re.Match[str]) -> str:
    return m["before"] + m["verb"][:-2]


# A plural subject, or a noun said twice ("du couvent couvent"): the verb.
ENT_VERB_AFTER_SUBJECT = Rule(
    "ent_verb_after_subject",
    rf"(?P<before>\b{_SUBJECT}[ ]{_OBJECT})(?P<verb>{_ENT_VERBS})\b",
    _verb_ent,
    gate=_ENT_GATE,
    needs=("ent",),
)
ENT_VERB_REPEATED = Rule(
    "ent_verb_repeated",
    rf"(?P<before>\b(?P<w>{_ENT_VERBS})[ ])(?P<verb>(?P=w))\b",
    _verb_ent,
    gate=_ENT_GATE,
    needs=("ent",),
)
ENT_VERB_AFTER_PLURAL = Rule(
    "ent_verb_after_plural",
    rf"(?P<before>{_PLURAL_NOUN}[ ])(?P<verb>{_ENT_VERBS})(?=[ ](?:les|leurs|des|la|le|l['’]|sur|en)\b)",
    _verb_ent,
    gate=_ENT_GATE,
    needs=("ent",),
)

# "fils" (threads), [fil], before what only threads have.
FILS = Rule(
    "fils",
    r"\bfils(?=[ ](?:électriques|de[ ](?:fer|cuivre|laine|soie|coton|nylon|pêche|discussion|connexion)"
    r"|conducteurs|barbelés|téléphoniques|d['’]araignée|de[ ]la[ ]discussion))",
    "fil",
    gate=r"\bfils\b",
    needs=("fils",),
)

# "plus" at the end of a clause is [plys] ("il en veut plus"), unless a negation ends in it
# ("il n'en veut plus", "non plus").
_NEGATION = re.compile(r"\b(?:ne\W|n['’]|non\W|sans\W|ni\W|jamais\W)", re.I)


def _plus(m: re.Match[str]) -> str:
    if m.start() and m.string[m.start() - 1] == GLUE:
        return m.group(0)  # inside a fixed form: "C plus plus"
    clause = re.split(r"[.,;:!?…(«]", m.string[max(0, m.start() - 80) : m.start()])[-1]
    if _NEGATION.search(clause + " "):
        return m.group(0)
    return m[1] + "lusse"


PLUS_AT_END = Rule("plus_at_end", r"\b([pP])lus(?=[ ]?(?:[.,;:!?…)»]|$))", _plus, needs=("lus",))
