"""The words people use for what the protocols name otherwise: one table, read by the search.

Each entry is a word or phrase someone types (« pilule ») and the words of the catalogue that
mean it (« contraception »). At build time a protocol whose text holds one of those words gets
the everyday phrase among its lay words (`search.record`), so the header search and the
keyword search find it and rank it as a lay word (docs/developpeurs/site.md, « Search »).
Folding (case, accents, plurals) is the search's own: write the words as people do.
"""

from __future__ import annotations

# everyday word or phrase → words of the protocols that mean it
LAY_WORDS: dict[str, tuple[str, ...]] = {
    # tuberculin skin test (intradermoréaction, IDR)
    "tuberculine": ("test tuberculinique", "tests tuberculiques", "IDR"),
    "intradermoréaction": ("test tuberculinique", "tests tuberculiques", "IDR"),
    "BCG": ("tuberculose",),
    # contraception and sexual health
    "pilule": ("contraception",),
    "contraception orale": ("contraception",),
    "stérilet": ("contraception",),
    "préservatif": ("contraception", "IST"),
    "MST": ("IST",),
    "infection sexuellement transmissible": ("IST",),
    # back, joints, injuries
    "mal de dos": ("lombalgie", "douleur lombaire"),
    "mal au dos": ("lombalgie", "douleur lombaire"),
    "tour de reins": ("lombalgie", "douleur lombaire"),
    "foulure": ("torsion de la cheville", "entorse"),
    "cheville tordue": ("torsion de la cheville",),
    "point de suture": ("sutures",),
    "recoudre": ("sutures",),
    "plaie qui ne guérit pas": ("plaies complexes", "retard de cicatrisation"),
    # everyday infections of the soins non programmés
    "mal à la gorge": ("odynophagie",),
    "brûlure en urinant": ("brûlure mictionnelle", "brûlures mictionnelles"),
    "envie d'uriner": ("pollakiurie",),
    "rhume des foins": ("rhino-conjonctivite allergique",),
    "allergie au pollen": ("rhino-conjonctivite allergique",),
    "soins non programmés": ("structure pluri-professionnelle", "structure pluriprofessionnelle"),
    # eyes
    "yeux": ("bilan visuel", "fond d'œil", "orthoptiste"),
    "ordonnance de lunettes": ("corrections optiques",),
    "protocole Muraine": ("bilan visuel",),
    # heart, vessels, devices
    "pile cardiaque": ("dispositifs implantables rythmologiques",),
    "pacemaker": ("dispositifs implantables rythmologiques",),
    "VVC": ("voie veineuse centrale",),
    "échographie des veines": ("échographies des veines",),
    # screening, samples, transplants
    "FCU": ("frottis cervico-utérin",),
    "prise de sang": ("sérologie", "sérologies"),
    "ponction de moelle": ("myélogramme", "ponctions médullaires"),
    "don d'organes": ("prélèvements multi-organes", "prélèvements multi organes"),
    "cirrhose": ("ascite", "élastométrie du foie"),
    "personnes âgées": ("sujet âgé", "patients âgés"),
}
