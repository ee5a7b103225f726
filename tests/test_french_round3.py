"""French front end, round 3: codes of letters and digits, spans of years, magnitudes glued to
numbers, numbers with a fixed reading (phones, cup rounds, countdowns, 1m80), chunks that never
end on a function word when another cut is in reach, and the rule gates that skip rules whose
mark is not in the text (they must never change what is said)."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from podcast.text import french
from podcast.text.french import FUNCTION_WORDS, GLUE, normalize
from podcast.text.script import chunk_text

# written                                      spoken
GOLDEN = [
    # 1. codes of letters and digits joined by dashes: no dash said, no "moins", no raw digit
    ("Le SP95-E10 coûte 1,85 €.", "Le S P quatre-vingt-quinze E dix coûte un euro quatre-vingt-cinq."),
    ("Le SP98-E5 est plus cher.", "Le S P quatre-vingt-dix-huit E cinq est plus cher."),
    ("Un format A4-B3.", "Un format A quatre B trois."),
    ("Un câble C13-C14.", "Un câble C treize C quatorze."),
    ("L'E85 est moins cher.", "L'E quatre-vingt-cinq est moins cher."),
    ("Un port USB-C.", "Un port U S B C."),
    ("Le RER-B est en panne.", "Le R E R B est en panne."),
    ("Un DVD-R vierge.", "Un D V D R vierge."),
    ("Le Wi-Fi 6E arrive.", "Le wifi six E arrive."),
    ("La COVID-19 recule.", "La COVID dix-neuf recule."),
    ("La Covid-19 recule.", "La Covid dix-neuf recule."),
    ("Le virus H5N1 circule.", "Le virus H cinq N un circule."),
    ("Le F-35 vole.", "Le F trente-cinq vole."),
    ("L'A-380 décolle.", "L'A trois cent quatre-vingts décolle."),
    ("Le MiG-29 et le Su-57.", "Le MiG vingt-neuf et le Su cinquante-sept."),
    ("Le code ABC-12-XY.", "Le code A B C douze X i grec."),
    ("Les formats A3-A4-A5.", "Les formats A trois A quatre A cinq."),
    ("Le PS-LR et la CGT-FO.", "Le P S L R et la C G T F O."),
    ("SAINT-DENIS GAGNE", "SAINT-DENIS GAGNE"),  # words of an all-caps heading are not a code
    ("Le Boeing 737 MAX 8.", "Le Boeing sept cent trente-sept MAX huit."),
    ("Un vaccin ARNm.", "Un vaccin A R N messager."),
    ("Un char T-72 et un fusil AK-47.", "Un char T soixante-douze et un fusil A K quarante-sept."),
    ("La norme ISO-9001 et l'ISO 27001.", "La norme iso neuf mille un et l'iso vingt-sept mille un."),
    ("Le B.A-BA du métier.", "Le bé-a-ba du métier."),
    ("Le b.a.-ba du métier.", "Le bé-a-ba du métier."),
    # 2. a span of years that names one season or one fiscal year: both years in full
    ("La saison 2023/24 commence.", "La saison deux mille vingt-trois - deux mille vingt-quatre commence."),
    ("La saison 2023/2024 est finie.", "La saison deux mille vingt-trois - deux mille vingt-quatre est finie."),
    ("La saison 2024-25 commence.", "La saison deux mille vingt-quatre - deux mille vingt-cinq commence."),
    ("l'exercice 2024/2025 est clos.", "l'exercice deux mille vingt-quatre - deux mille vingt-cinq est clos."),
    (
        "L'année scolaire 2024-2025 débute.",
        "L'année scolaire deux mille vingt-quatre - deux mille vingt-cinq débute.",
    ),
    ("Le budget 1999/00.", "Le budget mille neuf cent quatre-vingt-dix-neuf - deux mille."),
    ("La saison 2023–2024.", "La saison deux mille vingt-trois - deux mille vingt-quatre."),
    ("En 2019/20, il pleut.", "En deux mille dix-neuf - deux mille vingt, il pleut."),
    (
        "La saison 1998-99 fut bonne.",
        "La saison mille neuf cent quatre-vingt-dix-huit - mille neuf cent quatre-vingt-dix-neuf fut bonne.",
    ),
    ("La promo 2019-2020 se retrouve.", "La promo deux mille dix-neuf - deux mille vingt se retrouve."),
    ("Pour la saison 2024 - 2025.", "Pour la saison deux mille vingt-quatre - deux mille vingt-cinq."),
    # ... and a range of years stays a range; a fraction stays a fraction
    ("Entre 2020-2022, les ventes montent.", "Entre deux mille vingt et deux mille vingt-deux, les ventes montent."),
    ("Les années 2020-25 seront dures.", "Les années deux mille vingt à deux mille vingt-cinq seront dures."),
    ("Il a marqué 2024/5 points.", "Il a marqué deux mille vingt-quatre sur cinq points."),
    # 3. magnitudes glued to numbers; French counts millions "de" something
    ("300M utilisateurs", "trois cents millions d'utilisateurs"),
    ("10 M habitants", "dix millions d'habitants"),
    ("5M Français", "cinq millions de Français"),
    ("Un parc de 2 Mds objets connectés.", "Un parc de deux milliards d'objets connectés."),
    ("12 Mrd hommes", "douze milliards d'hommes"),
    ("Il a 2M followers.", "Il a deux millions de followers."),
    (
        "Il compte 1,2M abonnés et 40k visiteurs.",
        "Il compte un virgule deux million d'abonnés et quarante mille visiteurs.",
    ),
    ("20k abonnés", "vingt mille abonnés"),
    ("2 M de vues", "deux millions de vues"),
    ("3Mds d'euros", "trois milliards d'euros"),
    ("3Mds investis.", "trois milliards investis."),
    ("2M vendus.", "deux millions vendus."),
    ("Les 300M ont voté.", "Les trois cents millions ont voté."),
    ("1,5M supplémentaires", "un virgule cinq million supplémentaires"),
    ("1,5Md€ de dette", "un virgule cinq milliard d'euros de dette"),
    ("1,5 M€ de plus", "un virgule cinq million d'euros de plusse"),
    ("Le film a fait 2M entrées.", "Le film a fait deux millions d'entrées."),
    ("La ville compte 1,5 Md habitants.", "La ville compte un virgule cinq milliard d'habitants."),
    ("Les 45k spectateurs du Stade.", "Les quarante-cinq mille spectateurs du Stade."),
    ("Un salaire de 30k€ par an.", "Un salaire de trente mille euros par an."),
    ("Plus de 100M. Ensuite il a chuté.", "Plus de cent millions. Ensuite il a chuté."),
    # 4. numbers with a fixed reading
    (
        "Appelez le 01.23.45.67.89.",
        "Appelez le zéro un vingt-trois quarante-cinq soixante-sept quatre-vingt-neuf.",
    ),
    ("ou le 06-12-34-56-78.", "ou le zéro six douze trente-quatre cinquante-six soixante-dix-huit."),
    ("Le 0 800 123 456 est gratuit.", "Le zéro huit cents cent vingt-trois quatre cent cinquante-six est gratuit."),
    ("Lyon est en 1/2 finale.", "Lyon est en demi-finale."),
    ("Lille en 1/4 de finale.", "Lille en quart de finale."),
    ("Les 1/4 de finale auront lieu demain.", "Les quarts de finale auront lieu demain."),
    ("Le 1/8e de finale.", "Le huitième de finale."),
    ("Les 1/2 finales et la 1/2 finale.", "Les demi-finales et la demi-finale."),
    ("J-3 avant le bac, H+2 après.", "J moins trois avant le bac, H plus deux après."),
    ("À J-10 du scrutin.", "À J moins dix du scrutin."),
    ("Ouvert 24/7.", "Ouvert vingt-quatre heures sur vingt-quatre, sept jours sur sept."),
    ("Il mesure 1m80 et elle 1m65.", "Il mesure un mètre quatre-vingts et elle un mètre soixante-cinq."),
    ("Il saute 2m05.", "Il saute deux mètres cinq."),
    ("Un café à 3€50.", "Un café à trois euros cinquante."),
    ("Un tarif de 1€99.", "Un tarif de un euro quatre-vingt-dix-neuf."),
    ("Au km 42, il abandonne après 100 km.", "Au kilomètre quarante-deux, il abandonne après cent kilomètres."),
    ('Un écran de 6,1" et un de 27″.', "Un écran de six virgule un pouces et un de vingt-sept pouces."),
    ('Un « écran » de 15".', "Un « écran » de quinze pouces."),
    ('Il a dit "2" puis "3".', "Il a dit « deux » puis « trois »."),
    ("Il a ٣ chats.", "Il a trois chats."),  # digits of another script are said too
    ("Le 49-3 a été dégainé.", "Le quarante-neuf trois a été dégainé."),
    ("L'article 49.3 a été utilisé.", "L'article quarante-neuf trois a été utilisé."),
    # codes of law cited anywhere, time slots, titles
    (
        "Les articles R. 412-1 à R. 412-3 du Code.",
        "Les articles R quatre cent douze tiret un à R quatre cent douze tiret trois du Code.",
    ),
    (
        "Selon les articles L. 121-1 et L. 121-2, c'est illégal.",
        "Selon les articles L cent vingt et un tiret un et L cent vingt et un tiret deux, c'est illégal.",
    ),
    (
        "Les horaires : 8h-12h / 14h-18h.",
        "Les horaires : huit heures à douze heures, quatorze heures à dix-huit heures.",
    ),
    (
        "Ouvert de 9h00-12h00 / 14h00-19h00.",
        "Ouvert de neuf heures à douze heures, quatorze heures à dix-neuf heures.",
    ),
    ("Il roule 24h / 24.", "Il roule vingt-quatre heures sur vingt-quatre."),
    ("M. et Mme Dupont sont là.", "Monsieur et Madame Dupont sont là."),
    ("Les Drs Durand et Petit.", "Les Docteurs Durand et Petit."),
    ("Vol. 3, chap. 4, fig. 2.", "Volume trois, chapitre quatre, figure deux."),
    ("Chap. 7 : la fin.", "Chapitre sept : la fin."),
    # race times in hours, units said without a number
    (
        "Il a couru le marathon en 2h03'45.",
        "Il a couru le marathon en deux heures trois minutes quarante-cinq secondes.",
    ),
    ("Il a couru en 2 h 01' 09\".", "Il a couru en deux heures une minute neuf secondes."),
    ("Le prix du m² dépasse 10 000 €.", "Le prix du mètre carré dépasse dix mille euros."),
    ("Le m² parisien.", "Le mètre carré parisien."),
    ("Un loyer de 25 €/m².", "Un loyer de vingt-cinq euros par mètre carré."),
    ("Le prix au km baisse.", "Le prix au kilomètre baisse."),
    ("Il paie 3 € le kg.", "Il paie trois euros le kilo."),
    ("Environ 1 % des 65+ ans.", "Environ un pour cent des plus de soixante-cinq ans."),
    ("Un film interdit aux 18+.", "Un film interdit aux dix-huit plus."),
    ("Il code sous Notepad++.", "Il code sous Notepad plus plus."),
    # news prose that already reads right stays so
    ("Le PSG s'est imposé 3-1 face à l'OM.", "Le P S G s'est imposé trois à un face à l'O M."),
    (
        "Le guichet est ouvert de 9h30-12h.",
        "Le guichet est ouvert de neuf heures trente à douze heures.",
    ),
    ("Il fera -5 °C à Briançon.", "Il fera moins cinq degrés Celsius à Briançon."),
    ("Le CAC 40 a gagné +3,5 %.", "Le CAC quarante a gagné plus trois virgule cinq pour cent."),
    ("Au XXIe siècle, Louis XIV.", "Au vingt et unième siècle, Louis quatorze."),
    ("Des fruits, p. ex. des pommes, etc.", "Des fruits, par exemple des pommes, et cetera."),
    ("Cf. le chapitre 3.", "confer le chapitre trois."),
    ("La loi n° 2024-120.", "La loi numéro deux mille vingt-quatre tiret cent vingt."),
]


@pytest.mark.parametrize(("written", "spoken"), GOLDEN)
def test_golden(written, spoken):
    assert normalize(written) == spoken


@pytest.mark.parametrize(
    ("written", "glued"),
    [
        ("la saison 2023/24", "deux mille vingt-trois - deux mille vingt-quatre"),
        ("un SP95-E10", "S P quatre-vingt-quinze E dix"),
        ("le 01 23 45 67 89", "zéro un vingt-trois quarante-cinq soixante-sept quatre-vingt-neuf"),
        ("300M utilisateurs", "trois cents millions d'utilisateurs"),
        ("à J-3", "J moins trois"),
    ],
)
def test_said_in_one_breath(written, glued):
    # The chunker never cuts inside these (GLUE joins their words).
    assert glued.replace(" ", GLUE) in normalize(written, keep_glue=True)


# ---------------------------------------------------------------- chunk cuts

_LONG_SENTENCES = [
    "Il a expliqué que son équipe travaillait sur le projet depuis plusieurs années et que chaque version "
    "apportait des améliorations importantes pour tous les utilisateurs.",
    "Les habitants de la commune attendent depuis des mois une réponse claire de la préfecture sur le "
    "calendrier des travaux prévus dans leur quartier.",
    "Chaque semaine, les bénévoles de l'association distribuent des repas aux familles les plus modestes du "
    "département grâce aux dons de quelques entreprises locales.",
    "La direction a confirmé lors d'une réunion avec les représentants du personnel que certains sites "
    "seraient fermés avant la fin de l'année prochaine.",
    "Les chercheurs ont observé durant toute la campagne de mesures une baisse nette des émissions de "
    "particules fines dans la plupart des grandes villes.",
]


# Words a phrase never ends on (spelled out here so that the test does not lean on the code's list).
NEVER_LAST = frozenset(
    "le la les l un une des du de d au aux à en ce cet cette ces son sa ses leur leurs notre votre nos vos "
    "se que qu sur sous dans par pour avec sans chez entre vers chaque plusieurs quelques certains certaines "
    "selon parmi durant dès via malgré pendant depuis lors".split()
)


def _last_word(chunk: str) -> str:
    return "'" if chunk.endswith(("'", "’")) else re.split(r"[\s'’]", chunk.lower())[-1]


@pytest.mark.parametrize("limit", [30, 40, 50, 60, 80, 100])
@pytest.mark.parametrize("text", _LONG_SENTENCES, ids=lambda t: t[:20])
def test_no_chunk_ends_on_a_function_word(text, limit):
    chunks = chunk_text(normalize(text, keep_glue=True), limit)
    assert all(len(c) <= limit for c in chunks)
    ends = [_last_word(c) for c in chunks[:-1]]
    assert not [(c, e) for c, e in zip(chunks, ends) if e in NEVER_LAST or e == "'"], chunks


def test_a_preposition_waits_for_its_date_or_number():
    text = (
        "Les députés ont voté malgré les protestations de plusieurs syndicats une hausse de 3,5 % du budget "
        "alloué à la recherche publique pour l'année 2026."
    )
    for limit in (40, 50, 60, 80):
        chunks = chunk_text(normalize(text, keep_glue=True), limit)
        assert not [c for c in chunks[:-1] if _last_word(c) in NEVER_LAST], chunks


@pytest.mark.parametrize(
    "word",
    "le la les un une des du au aux ce son sa ses leur chaque plusieurs quelques selon malgré pendant depuis".split(),
)
def test_function_words_listed(word):
    assert word in FUNCTION_WORDS and word in NEVER_LAST


def test_a_number_stays_with_what_it_counts():
    text = "les ventes ont atteint des sommets dans les 27 pays de l'Union européenne au cours du semestre"
    chunks = chunk_text(normalize(text, keep_glue=True), 60)
    assert not any(c.endswith("vingt-sept") for c in chunks[:-1]), chunks


# ---------------------------------------------------------------- rule gates


def _all_golden_inputs() -> list[str]:
    from tests import test_french, test_french_round2

    inputs = [w for w, _ in GOLDEN + test_french.GOLDEN + test_french_round2.GOLDEN]
    inputs += [w for w, _ in test_french_round2.GOLDEN_FOLLOW_UPS]
    return inputs


def test_gates_never_change_what_is_said(monkeypatch):
    """A rule skipped because its mark is absent would not have matched: the same text, gated or not."""
    inputs = _all_golden_inputs()
    inputs.append(" ".join(inputs))  # marks of one sentence next to another's
    gated = [normalize(text) for text in inputs]
    original = french._Gated.sub
    skipped = []

    def ungated(self, replacement, text):
        if self.needs and not any(mark in text for mark in self.needs):
            skipped.append(self.pattern.pattern)
        return self.pattern.sub(replacement, text) if self.gate is None or self.gate.search(text) else text

    monkeypatch.setattr(french._Gated, "sub", ungated)
    assert [normalize(text) for text in inputs] == gated
    assert skipped  # the gates were exercised
    monkeypatch.setattr(french._Gated, "sub", original)


def test_text_without_digits_skips_the_number_rules(monkeypatch):
    ran = []
    original = french._Gated.sub

    def spy(self, replacement, text):
        out = original(self, replacement, text)
        if self.needs == french.DIGITS and any(mark in text for mark in self.needs):
            ran.append(self.pattern.pattern)
        return out

    monkeypatch.setattr(french._Gated, "sub", spy)
    normalize("Un paragraphe sans chiffre, avec des mots, des virgules et un point.")
    assert ran == []
    normalize("Il a 3 chats.")
    assert len(ran) > 20


def _drop_symbols_one_by_one(text: str) -> str:
    # What french._drop_symbols did before its fast path: every character looked at.
    out: list[str] = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat[0] in "LN" or ch in " \n" or ch == GLUE or ch in ".,;:!?…'’«»()-":
            out.append(ch)
        elif cat == "Co" and 0xF0000 <= ord(ch) <= 0x10FFFD:
            out.append(ch)
        elif cat[0] == "Z":
            out.append(" ")
        elif cat == "Pd":
            out.append("-")
        elif cat[0] == "M" and out and out[-1].isalpha():
            out.append(ch)
        else:
            out.append(" ")
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.sampled_from("aé e1 \n\u00a0.,«»-–—_#@€$%*/\u0301\u0327😀🇫🇷\u200b\u2009\U000f0001ŒœΩж٣"),
            st.characters(),
        )
    )
)
def test_dropping_symbols_keeps_what_it_kept(text):
    assert french._drop_symbols(text) == _drop_symbols_one_by_one(text)
