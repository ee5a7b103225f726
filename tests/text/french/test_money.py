"""Money: currencies before or after the amount, a dot grouping thousands, cents, magnitudes
(5 M€), and what an amount is counted per (€/mois)."""

from __future__ import annotations

import pytest

from podcast.text.french import normalize

# written                                      spoken
GOLDEN = [
    # currency
    ("3,50 €", "trois euros cinquante"),
    ("1 €", "un euro"),
    ("0,99 €", "quatre-vingt-dix-neuf centimes"),
    ("10 $", "dix dollars"),
    ("$15", "quinze dollars"),
    ("1,50 $", "un dollar cinquante"),
    ("5 M€", "cinq millions d'euros"),
    ("2 Md€", "deux milliards d'euros"),
    ("10 k€", "dix mille euros"),
    ("1 890 €", "mille huit cent quatre-vingt-dix euros"),
    ("20 £", "vingt livres"),
    # amounts: a dot groups thousands before a currency, else marks decimals
    ("Le prix est de 1.299 €.", "Le prix est de mille deux cent quatre-vingt-dix-neuf euros."),
    ("Il touche 3.500 € net.", "Il touche trois mille cinq cents euros net."),
    ("Un budget de 1.5 M€.", "Un budget de un virgule cinq million d'euros."),
    ("Une levée de 2.750.000 €.", "Une levée de deux millions sept cent cinquante mille euros."),
    ("Un loyer de 12.400 € par an.", "Un loyer de douze mille quatre cents euros par an."),
    ("Il a payé 4.990,50 €.", "Il a payé quatre mille neuf cent quatre-vingt-dix euros cinquante."),
    ("Un chèque de 10.000 $.", "Un chèque de dix mille dollars."),
    ("Une amende de 1.500 £.", "Une amende de mille cinq cents livres."),
    ("Un contrat de 2.5 Md€.", "Un contrat de deux virgule cinq milliards d'euros."),
    ("Soit 0.5 M€ de plus.", "Soit zéro virgule cinq million d'euros de plusse."),
    ("Le café coûte 2.40 €.", "Le café coûte deux euros quarante."),
    ("Un abonnement à 9,99 €/mois.", "Un abonnement à neuf euros quatre-vingt-dix-neuf par mois."),
    ("Le forfait à 30 €/h.", "Le forfait à trente euros par heure."),
    ("Le gaz à 80 €/MWh.", "Le gaz à quatre-vingts euros par mégawattheure."),
    ("Un salaire de $1,200 par mois.", "Un salaire de mille deux cents dollars par mois."),
    ("Le bilan de 1.250.000 € est publié.", "Le bilan de un million deux cent cinquante mille euros est publié."),
    ("Un prêt de 15.000 € sur 5 ans.", "Un prêt de quinze mille euros sur cinq ans."),
    ("Un déficit de 7.2 Md€.", "Un déficit de sept virgule deux milliards d'euros."),
    ("Un rachat pour 1.8 M$.", "Un rachat pour un virgule huit million de dollars."),
    ("Le tarif passe à 19.90 €/mois.", "Le tarif passe à dix-neuf euros quatre-vingt-dix par mois."),
    ("entre 100-200 €.", "entre cent et deux cents euros."),
    ("Il vend 2.499 € TTC.", "Il vend deux mille quatre cent quatre-vingt-dix-neuf euros T T C."),
    ("Un vélo à 1.299€ pièce.", "Un vélo à mille deux cent quatre-vingt-dix-neuf euros pièce."),
    ("Une facture de 12.000 CHF.", "Une facture de douze mille francs suisses."),
    ("Un budget de 4.5 k€.", "Un budget de quatre mille cinq cents euros."),
    ("Un loyer de 50 €/m².", "Un loyer de cinquante euros par mètre carré."),
    # amounts: per what after a qualifier, and three decimals kept
    ("Soit 1 801,80 € brut/mois.", "Soit mille huit cent un euros quatre-vingts brut par mois."),
    ("Un abonnement à 50 € HT/an.", "Un abonnement à cinquante euros H T par an."),
    ("Le barème est de 0,636 €/km.", "Le barème est de zéro virgule six cent trente-six euro par kilomètre."),
    ("Le gazole à 1,899 €/L.", "Le gazole à un virgule huit cent quatre-vingt-dix-neuf euro par litre."),
    ("Un loyer de 25 €/m².", "Un loyer de vingt-cinq euros par mètre carré."),
    # magnitudes: French counts millions "de" something
    ("1,5Md€ de dette", "un virgule cinq milliard d'euros de dette"),
    ("1,5 M€ de plus", "un virgule cinq million d'euros de plusse"),
    ("Un salaire de 30k€ par an.", "Un salaire de trente mille euros par an."),
]


@pytest.mark.parametrize("written, spoken", GOLDEN, ids=[w for w, _ in GOLDEN])
def test_golden(written, spoken):
    assert normalize(written) == spoken
