"""Acronyms and codes: spelled or said as words, the table's readings, capitals with a tail,
codes and model names around numbers, dotted names; the acronym table entry by entry."""

from __future__ import annotations

import pytest

from podcast.text.french import normalize
from podcast.text.words import ACRONYMS

# written                                      spoken
GOLDEN = [
    # acronyms and model names
    ("l'IA générative", "l'I A générative"),
    ("l’IA", "l’I A"),
    ("VP recherche", "V P recherche"),
    ("GPT-2", "G P T deux"),
    ("GPT-4o", "G P T quatre o"),
    ("GPT-3.5", "G P T trois point cinq"),
    ("COVID-19", "COVID dix-neuf"),
    ("la SNCF", "la S N C F"),
    ("la NASA", "la NASA"),
    ("l'OTAN", "l'OTAN"),
    ("les U.S.A. et nous", "les U S A et nous"),
    ("OpenAI", "Open A I"),
    ("la 5G", "la cinq G"),
    # the table's readings
    ("Le texte (NdT : voir plus haut) continue.", "Le texte (note du traducteur : voir plus haut) continue."),
    ("L'API REST renvoie du JSON.", "L'A P I reste renvoie du jaisonne."),
    ("L'annuaire LDAP de l'entreprise.", "L'annuaire L D A P de l'entreprise."),
    ("La norme IEEE 754.", "La norme I triple E sept cent cinquante-quatre."),
    ("Le commerce B2B progresse.", "Le commerce bi tou bi progresse."),
    ("La COP28 se tient à Dubaï.", "La cop vingt-huit se tient à Dubaï."),
    ("Une PME et une ONG.", "Une P M E et une O N G."),
    ("Le CO2 augmente.", "Le C O deux augmente."),
    ("Un réseau 5G et une carte SIM.", "Un réseau cinq G et une carte sim."),
    ("Le fichier est en PDF ou en MP3.", "Le fichier est en P D F ou en M P trois."),
    ("Il code en C++ et en C#.", "Il code en C plus plus et en C sharp."),
    ("La connexion SSH échoue.", "La connexion S S H échoue."),
    ("L'OCDE et le GIEC publient.", "L'O C D E et le giec publient."),
    ("Une API en JSON ou YAML.", "Une A P I en jaisonne ou yamel."),
    ("Le chiffre (NdlR : corrigé) est faux.", "Le chiffre (note de la rédaction : corrigé) est faux."),
    ("L'URSSAF et l'ANSSI.", "L'urssaf et l'anssi."),
    ("Le code PIN de la carte SIM.", "Le code pine de la carte sim."),
    ("Les objets de l'IoT.", "Les objets de l'I O T."),
    # a slash between a name and its version is no "ou"; between two versions it is
    ("HTTP/2 et HTTP/3 sont rapides.", "H T T P deux et H T T P trois sont rapides."),
    ("Le protocole HTTP/1.1 est ancien.", "Le protocole H T T P un point un est ancien."),
    ("Sous Windows 10/11 seulement.", "Sous Windows dix ou onze seulement."),
    ("Compatible PHP 7.4/8.1.", "Compatible P H P sept point quatre ou huit point un."),
    ("Les adresses IPv4/IPv6.", "Les adresses I P V quatre ou I P V six."),
    ("Les réseaux 4G/5G.", "Les réseaux quatre G ou cinq G."),
    # dotted names and codecs, never a raw dot between words
    ("Node.js et Vue.js.", "Node point J S et Vue point J S."),
    ("Il est sorti.le lendemain.", "Il est sorti le lendemain."),
    ("La vidéo en H.265/HEVC.", "La vidéo en H deux cent soixante-cinq ou H E V C."),
    ("Le codec MPEG-4 AVC/H.264.", "Le codec MPEG quatre A V C H deux cent soixante-quatre."),
    ("Le chiffrement TLS 1.2/1.3.", "Le chiffrement T L S un point deux ou un point trois."),
    ("Sous Android 14/15.", "Sous Android quatorze ou quinze."),
    ("Le protocole SMBv1 est obsolète.", "Le protocole S M B V un est obsolète."),
    # capitals with a lowercase tail, and other short forms
    ("Un SSD NVMe en PCIe 4.0.", "Un S S D N V M E en P C I E quatre point zéro."),
    ("Sous licence GPLv3.", "Sous licence G P L V trois."),
    ("Les puces ARMv8.", "Les puces arme V huit."),
    ("Le W3C publie.", "Le double vé trois C publie."),
    ("Sur x86 et x86_64.", "Sur x quatre-vingt-six et x quatre-vingt-six soixante-quatre."),
    # codes of letters and digits joined by dashes: no dash said, no "moins", no raw digit
    ("La faille CVE-2024-3094.", "La faille C V E deux mille vingt-quatre trois mille quatre-vingt-quatorze."),
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
]


@pytest.mark.parametrize("written, spoken", GOLDEN, ids=[w for w, _ in GOLDEN])
def test_golden(written, spoken):
    assert normalize(written) == spoken


@pytest.mark.parametrize("written", sorted(ACRONYMS))
def test_every_acronym(written):
    said = normalize(f"Avec {written} ici.")
    assert said == f"Avec {ACRONYMS[written]} ici."
