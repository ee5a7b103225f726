"""Units and symbols: measures, percentages, units per another (km/h, Mo/s), a slash between
words, units said without a number, and symbols with a spoken name; the unit table entry by entry."""

from __future__ import annotations

import pytest

from podcast.text.french import normalize
from podcast.text.french.units import UNITS

# written                                      spoken
GOLDEN = [
    # percentages
    ("12 %", "douze pour cent"),
    ("12\u00a0%", "douze pour cent"),
    ("12,5 %", "douze virgule cinq pour cent"),
    ("-3 %", "moins trois pour cent"),
    ("3.5 %", "trois virgule cinq pour cent"),
    ("+4,5 %", "plus quatre virgule cinq pour cent"),
    # units
    ("10 km", "dix kilomètres"),
    ("1 km", "un kilomètre"),
    ("130 km/h", "cent trente kilomètres-heure"),
    ("-5 °C", "moins cinq degrés Celsius"),
    ("20 °C", "vingt degrés Celsius"),
    ("3 kg", "trois kilos"),
    ("500 g", "cinq cents grammes"),
    ("45 min", "quarante-cinq minutes"),
    ("10 m²", "dix mètres carrés"),
    ("16 Go", "seize gigaoctets"),
    ("Un appartement de 50 m2.", "Un appartement de cinquante mètres carrés."),
    ("Un terrain de 300 m².", "Un terrain de trois cents mètres carrés."),
    ("Une batterie de 4 500 mAh.", "Une batterie de quatre mille cinq cents milliampères-heure."),
    ("Gravé en 3 nm.", "Gravé en trois nanomètres."),
    ("Une latence de 200 µs.", "Une latence de deux cents microsecondes."),
    ("Il y a 400 ppm de CO2.", "Il y a quatre cents parties par million de C O deux."),
    ("Une pression de 1 013 hPa.", "Une pression de mille treize hectopascals."),
    ("Un GPU de 82,6 TFLOPS.", "Un G P U de quatre-vingt-deux virgule six téraflops."),
    ("Il stocke 3 Po de données.", "Il stocke trois pétaoctets de données."),
    ("Il fait +1,5 °C de plus.", "Il fait plus un virgule cinq degré Celsius de plusse."),
    ("Une tolérance de ±0,5 mm.", "Une tolérance de plus ou moins zéro virgule cinq millimètre."),
    ("Il a 12 pts d'avance.", "Il a douze points d'avance."),
    ("L'appel sera jugé sous 15 j.", "L'appel sera jugé sous quinze jours."),
    ("Il fera -5 °C à Briançon.", "Il fera moins cinq degrés Celsius à Briançon."),
    ("Le CAC 40 a gagné +3,5 %.", "Le CAC quarante a gagné plus trois virgule cinq pour cent."),
    # symbols
    ("Rock & roll", "Rock et roll"),
    # units with a slash
    ("Un débit de 100 Mo/s.", "Un débit de cent mégaoctets par seconde."),
    ("Une fibre à 10 Gb/s.", "Une fibre à dix gigabits par seconde."),
    ("Il roule à 90 Km/h.", "Il roule à quatre-vingt-dix kilomètres-heure."),
    ("Il roule à 110 kmh.", "Il roule à cent dix kilomètres-heure."),
    ("Un disque de 550 Go/s.", "Un disque de cinq cent cinquante gigaoctets par seconde."),
    ("Une liaison à 56 kb/s.", "Une liaison à cinquante-six kilobits par seconde."),
    ("Le moteur tourne à 6000 tr/min.", "Le moteur tourne à six mille tours par minute."),
    ("Il émet 120 g/km.", "Il émet cent vingt grammes par kilomètre."),
    ("Une connexion à 300 Mbps.", "Une connexion à trois cents mégabits par seconde."),
    ("Un transfert de 2 To/s.", "Un transfert de deux téraoctets par seconde."),
    ("Le lien à 25 Mbit/s.", "Le lien à vingt-cinq mégabits par seconde."),
    ("Un flux de 4 Go/s environ.", "Un flux de quatre gigaoctets par seconde environ."),
    ("Elle roule à 5 km / h.", "Elle roule à cinq kilomètres par heure."),
    ("Un forfait de 1 Go/mois.", "Un forfait de un gigaoctet par mois."),
    ("Elle consomme 3 L/100 km.", "Elle consomme trois litres aux cent kilomètres."),
    ("Sur Android/iOS et Windows/Mac.", "Sur Android ou iOS et Windows ou Mac."),
    ("Un test A/B est lancé.", "Un test A B est lancé."),
    ("Un débit de 200 MB/s.", "Un débit de deux cents mégaoctets par seconde."),
    ("Un moteur de 100 ch.", "Un moteur de cent chevaux."),
    ("Un débit de 10 Xo/s.", "Un débit de dix Xo par seconde."),
    # a slash between words
    ("Debian GNU/Linux est libre.", "Debian gnou Linux est libre."),
    ("Le noyau GNU/Hurd avance.", "Le noyau gnou Hurd avance."),
    ("La pile TCP/IP fonctionne.", "La pile T C P I P fonctionne."),
    ("Les E/S du disque.", "Les E S du disque."),
    ("Cochez oui/non.", "Cochez oui ou non."),
    ("Chaque étudiant/étudiante compte.", "Chaque étudiant ou étudiante compte."),
    ("il/elle viendra.", "il ou elle viendra."),
    ("Le client doit et/ou peut payer.", "Le client doit et ou peut payer."),
    ("Le duo auteur/compositeur.", "Le duo auteur ou compositeur."),
    ("Le débat public/privé.", "Le débat public ou privé."),
    ("La suite GNOME/KDE.", "La suite gnome K D E."),
    ("Le prix/kg monte.", "Le prix par kilo monte."),
    ("Le cycle jour/nuit.", "Le cycle jour ou nuit."),
    # a unit inside a number (1m80, 3€50), a milestone, inches
    ("Il mesure 1m80 et elle 1m65.", "Il mesure un mètre quatre-vingts et elle un mètre soixante-cinq."),
    ("Il saute 2m05.", "Il saute deux mètres cinq."),
    ("Un café à 3€50.", "Un café à trois euros cinquante."),
    ("Un tarif de 1€99.", "Un tarif de un euro quatre-vingt-dix-neuf."),
    ("Au km 42, il abandonne après 100 km.", "Au kilomètre quarante-deux, il abandonne après cent kilomètres."),
    ('Un écran de 6,1" et un de 27″.', "Un écran de six virgule un pouces et un de vingt-sept pouces."),
    ('Un « écran » de 15".', "Un « écran » de quinze pouces."),
    # units said without a number
    ("Le prix du m² dépasse 10 000 €.", "Le prix du mètre carré dépasse dix mille euros."),
    ("Le m² parisien.", "Le mètre carré parisien."),
    ("Le prix au km baisse.", "Le prix au kilomètre baisse."),
    ("Il paie 3 € le kg.", "Il paie trois euros le kilo."),
    ("Il code sous Notepad++.", "Il code sous Notepad plus plus."),
]


@pytest.mark.parametrize("written, spoken", GOLDEN, ids=[w for w, _ in GOLDEN])
def test_golden(written, spoken):
    assert normalize(written) == spoken


@pytest.mark.parametrize("unit", sorted(UNITS))
def test_every_unit(unit):
    one, many, _ = UNITS[unit]
    assert normalize(f"Soit 3 {unit} ici.") == f"Soit trois {many} ici."
    assert normalize(f"Soit 1 {unit} ici.").endswith(f" {one} ici.")
