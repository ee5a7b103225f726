"""Numbers: cardinals and decimals, ordinals and roman numerals, ranges and scores, fractions,
versions, magnitudes (10k, 300M), and numbers with a fixed reading (phones, cup rounds, J-3)."""

from __future__ import annotations

import re

import pytest

from podcast.text.french import normalize

# written                                      spoken
GOLDEN = [
    # numbers: cardinals, thousands with a space or a (narrow) no-break space, decimal commas
    ("1 000 habitants", "mille habitants"),
    ("1\u00a0000 habitants", "mille habitants"),
    ("1\u202f000\u202f000 de personnes", "un million de personnes"),
    ("3,14", "trois virgule quatorze"),
    ("0,5", "zéro virgule cinq"),
    ("3,05", "trois virgule zéro cinq"),
    ("en 2019", "en deux mille dix-neuf"),
    ("en 1984", "en mille neuf cent quatre-vingt-quatre"),
    ("80 ans", "quatre-vingts ans"),
    ("21 voitures", "vingt et une voitures"),
    ("71 jours", "soixante et onze jours"),
    ("10-15 personnes", "dix à quinze personnes"),
    (
        "Charles de Gaulle (1890-1970)",
        "Charles de Gaulle (mille huit cent quatre-vingt-dix à mille neuf cent soixante-dix)",
    ),
    ("3/4 des votes", "trois quarts des votes"),
    ("Score : 3-2.", "Score : trois à deux."),
    ("dix fois plus, x2", "dix fois plusse, fois deux"),  # [plys] at the end of a clause
    ("Un écran de 1.920 pixels.", "Un écran de mille neuf cent vingt pixels."),
    ("Le G20 de 2025.", "Le G vingt de deux mille vingt-cinq."),
    # ordinals
    ("le 1er janvier", "le premier janvier"),
    ("la 1re fois", "la première fois"),
    ("le 2e jour", "le deuxième jour"),
    ("le 3ème", "le troisième"),
    ("le 2nd tour", "le second tour"),
    ("le 80e anniversaire", "le quatre-vingtième anniversaire"),
    ("les 1ers arrivés", "les premiers arrivés"),
    ("le XIXe siècle", "le dix-neuvième siècle"),
    ("le XIXᵉ siècle", "le dix-neuvième siècle"),
    ("la Ve République", "la cinquième République"),
    ("Le XXIe siècle.", "Le vingt et unième siècle."),
    # roman numerals after names
    ("Louis XIV", "Louis quatorze"),
    ("Louis XVI", "Louis seize"),
    ("Jean-Paul II", "Jean-Paul deux"),
    ("François Ier", "François premier"),
    # ranges and scores
    ("entre 10-15 % des cas.", "entre dix et quinze pour cent des cas."),
    ("entre 20-30 personnes.", "entre vingt et trente personnes."),
    ("de 5-10 minutes.", "de cinq à dix minutes."),
    ("Il gagne 6-4, 7-5.", "Il gagne six-quatre, sept-cinq."),
    ("Nadal s'impose 6-3, 3-6, 7-6 (7-4).", "Nadal s'impose six-trois, trois-six, sept-six (sept-quatre)."),
    ("Il remporte le set 6-2.", "Il remporte le set six-deux."),
    ("Le match se termine sur le score de 3-1.", "Le match se termine sur le score de trois à un."),
    ("entre 3-5 jours.", "entre trois et cinq jours."),
    ("Le joueur s'impose 6-1, 6-0.", "Le joueur s'impose six-un, six-zéro."),
    ("de 10-15 ans.", "de dix à quinze ans."),
    ("entre 2019-2021.", "entre deux mille dix-neuf et deux mille vingt et un."),
    ("Une ville de 1.5 million d'habitants.", "Une ville de un virgule cinq million d'habitants."),
    ("Le PSG s'est imposé 3-1 face à l'OM.", "Le P S G s'est imposé trois à un face à l'O M."),
    ("Au XXIe siècle, Louis XIV.", "Au vingt et unième siècle, Louis quatorze."),
    # fractions and marks
    ("Les 2/3 des votants.", "Les deux tiers des votants."),
    ("Une note de 12,5/20.", "Une note de douze virgule cinq sur vingt."),
    ("La note de 15/20.", "La note de quinze sur vingt."),
    # dotted versions and standards read whole, never a raw dot between words
    ("La norme IEEE 802.11ac.", "La norme I triple E huit cent deux point onze A C."),
    ("Le Wi-Fi 802.11ax et 802.11be.", "Le wifi huit cent deux point onze A X et huit cent deux point onze B E."),
    ("La v1.2.3 corrige un bug.", "La version un point deux point trois corrige un beugue."),
    ("Le noyau 5.15.0-rc1 sort.", "Le noyau cinq point quinze point zéro R C un sort."),
    ("Python 3.11 est sorti.", "Python trois point onze est sorti."),
    ("La v2 du site.", "La version deux du site."),
    ("Un moteur 2.5x plus rapide.", "Un moteur deux virgule cinq fois plus rapide."),
    ("Une vidéo à 1.5M de vues.", "Une vidéo à un virgule cinq million de vues."),
    ("Le compte a 10k abonnés.", "Le compte a dix mille abonnés."),
    # a dash inside a number that identifies: "tiret", or nothing; a dash between amounts: a range
    (
        "Le décret n° 2024-1234 paraît.",
        "Le décret numéro deux mille vingt-quatre tiret mille deux cent trente-quatre paraît.",
    ),
    ("L'article L. 123-4 du Code.", "L'article L cent vingt-trois tiret quatre du Code."),
    ("La loi 2024-120 du 5 mars.", "La loi deux mille vingt-quatre tiret cent vingt du cinq mars."),
    ("Du 3-5 mars 2024.", "Du trois à cinq mars deux mille vingt-quatre."),
    ("Il gagne 6-3, 4-6, 7-6(5).", "Il gagne six-trois, quatre-six, sept-six (cinq)."),
    ("Un but à la 45+2.", "Un but à la quarante-cinq plus deux."),
    # magnitudes glued to numbers; French counts millions "de" something
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
    ("Le film a fait 2M entrées.", "Le film a fait deux millions d'entrées."),
    ("La ville compte 1,5 Md habitants.", "La ville compte un virgule cinq milliard d'habitants."),
    ("Les 45k spectateurs du Stade.", "Les quarante-cinq mille spectateurs du Stade."),
    ("Plus de 100M. Ensuite il a chuté.", "Plus de cent millions. Ensuite il a chuté."),
    # numbers with a fixed reading
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
    ("Il a ٣ chats.", "Il a trois chats."),  # digits of another script are said too
    ("Le 49-3 a été dégainé.", "Le quarante-neuf trois a été dégainé."),
    ("L'article 49.3 a été utilisé.", "L'article quarante-neuf trois a été utilisé."),
    ("Environ 1 % des 65+ ans.", "Environ un pour cent des plus de soixante-cinq ans."),
    ("Un film interdit aux 18+.", "Un film interdit aux dix-huit plus."),
]


@pytest.mark.parametrize("written, spoken", GOLDEN, ids=[w for w, _ in GOLDEN])
def test_golden(written, spoken):
    assert normalize(written) == spoken


@pytest.mark.parametrize(
    "written",
    [
        "La norme IEEE 802.11ac.",
        "La v1.2.3 sort.",
        "Node.js, Vue.js et Next.js.",
        "Un gain de 2.5x, vu sur 1.5M de postes et 1.5k serveurs.",
        "Le 5.15.0-rc1 et le 6.1.2b.",
        "Le LGPLv2.1 et le PCIe 5.0.",
    ],
)
def test_no_raw_dot_between_words(written):
    said = normalize(written)
    assert not re.search(r"\w\.\w", said), said
    assert not re.search(r"\d", said), said
