"""The vocabulary of the synthetic register: regions with real communes and
postal codes, names, structures and the profession mixes of real protocols."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

LAST_DAY = datetime.date(
    2025, 6, 30
)  # fixed "today": output does not depend on the day it is generated


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# region code → (weight ~ population in millions, [(commune, postal code)])
REGIONS: dict[str, tuple[float, list[tuple[str, str]]]] = {
    "01": (0.4, [("Pointe-à-Pitre", "97110"), ("Les Abymes", "97139"), ("Basse-Terre", "97100")]),
    "02": (0.4, [("Fort-de-France", "97200"), ("Le Lamentin", "97232"), ("Schœlcher", "97233")]),
    "03": (0.3, [("Cayenne", "97300"), ("Kourou", "97310"), ("Saint-Laurent-du-Maroni", "97320")]),
    "04": (0.9, [("Saint-Denis", "97400"), ("Saint-Pierre", "97410"), ("Le Tampon", "97430")]),
    "06": (0.3, [("Mamoudzou", "97600"), ("Dzaoudzi", "97615")]),
    "11": (
        12.3,
        [
            ("Paris", "75011"),
            ("Saint-Denis", "93200"),
            ("Créteil", "94000"),
            ("Versailles", "78000"),
            ("Argenteuil", "95100"),
            ("Évry-Courcouronnes", "91000"),
            ("Meaux", "77100"),
        ],
    ),
    "24": (
        2.6,
        [
            ("Tours", "37000"),
            ("Orléans", "45000"),
            ("Bourges", "18000"),
            ("Chartres", "28000"),
            ("Blois", "41000"),
            ("Châteauroux", "36000"),
        ],
    ),
    "27": (
        2.8,
        [
            ("Dijon", "21000"),
            ("Besançon", "25000"),
            ("Auxerre", "89000"),
            ("Nevers", "58000"),
            ("Mâcon", "71000"),
            ("Vesoul", "70000"),
        ],
    ),
    "28": (
        3.3,
        [
            ("Rouen", "76000"),
            ("Caen", "14000"),
            ("Le Havre", "76600"),
            ("Cherbourg-en-Cotentin", "50100"),
            ("Évreux", "27000"),
            ("Alençon", "61000"),
        ],
    ),
    "32": (
        6.0,
        [
            ("Lille", "59000"),
            ("Amiens", "80000"),
            ("Roubaix", "59100"),
            ("Calais", "62100"),
            ("Beauvais", "60000"),
            ("Saint-Quentin", "02100"),
        ],
    ),
    "44": (
        5.6,
        [
            ("Strasbourg", "67000"),
            ("Reims", "51100"),
            ("Metz", "57000"),
            ("Nancy", "54000"),
            ("Mulhouse", "68100"),
            ("Troyes", "10000"),
        ],
    ),
    "52": (
        3.9,
        [
            ("Nantes", "44000"),
            ("Angers", "49000"),
            ("Le Mans", "72000"),
            ("Saint-Nazaire", "44600"),
            ("La Roche-sur-Yon", "85000"),
            ("Laval", "53000"),
        ],
    ),
    "53": (
        3.4,
        [
            ("Rennes", "35000"),
            ("Brest", "29200"),
            ("Quimper", "29000"),
            ("Lorient", "56100"),
            ("Vannes", "56000"),
            ("Saint-Brieuc", "22000"),
        ],
    ),
    "75": (
        6.1,
        [
            ("Bordeaux", "33000"),
            ("Limoges", "87000"),
            ("Poitiers", "86000"),
            ("Pau", "64000"),
            ("La Rochelle", "17000"),
            ("Périgueux", "24000"),
            ("Guéret", "23000"),
        ],
    ),
    "76": (
        6.1,
        [
            ("Toulouse", "31000"),
            ("Montpellier", "34000"),
            ("Nîmes", "30000"),
            ("Perpignan", "66000"),
            ("Albi", "81000"),
            ("Rodez", "12000"),
            ("Mende", "48000"),
        ],
    ),
    "84": (
        8.1,
        [
            ("Lyon", "69003"),
            ("Grenoble", "38000"),
            ("Saint-Étienne", "42000"),
            ("Clermont-Ferrand", "63000"),
            ("Annecy", "74000"),
            ("Valence", "26000"),
            ("Aurillac", "15000"),
        ],
    ),
    "93": (
        5.1,
        [
            ("Marseille", "13005"),
            ("Nice", "06000"),
            ("Toulon", "83000"),
            ("Avignon", "84000"),
            ("Gap", "05000"),
            ("Digne-les-Bains", "04000"),
        ],
    ),
    "94": (0.35, [("Ajaccio", "20000"), ("Bastia", "20200"), ("Corte", "20250")]),
}
REGION_NAMES = {
    "01": "Guadeloupe",
    "02": "Martinique",
    "03": "Guyane",
    "04": "La Réunion",
    "06": "Mayotte",
    "11": "Île-de-France",
    "24": "Centre-Val de Loire",
    "27": "Bourgogne-Franche-Comté",
    "28": "Normandie",
    "32": "Hauts-de-France",
    "44": "Grand Est",
    "52": "Pays de la Loire",
    "53": "Bretagne",
    "75": "Nouvelle-Aquitaine",
    "76": "Occitanie",
    "84": "Auvergne-Rhône-Alpes",
    "93": "Provence-Alpes-Côte d'Azur",
    "94": "Corse",
}
SURNAMES = _words(
    "Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel Lefebvre Leroy Roux David "
    "Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller Lefèvre Faure André Mercier "
    "Blanc Guérin Boyer Garnier Chevalier François Legrand Gauthier Garcia Perrin Robin Clément Morin Nicolas Henry "
    "Roussel Mathieu Gautier Masson Marchand Duval Denis Dumont Marie Lemaire Noël Meyer Dufour Meunier Brun Blanchard "
    "Giraud Joly Rivière Lucas Brunet Gaillard Barbier Arnaud Martinez Gérard Roche Renard Schmitt Roy Leroux Colin "
    "Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud Dumas Lacroix Olivier Philippe Bourgeois Pierre Benoît Rey "
    "Hoarau Payet Grondin Nativel Le-Gall Le-Goff Kerbrat Quéré Etcheverry Casanova Santoni Ferrari"
)
FIRST_NAMES = _words(
    "Camille Dominique Claude Marie Anne Sophie Nathalie Isabelle Sylvie Catherine Christine Valérie Sandrine Céline "
    "Julie Aurélie Émilie Laure Hélène Agnès Florence Mathilde Léa Manon Chloé Inès Jeanne Louise Alice Margaux "
    "Jean Pierre Michel Philippe Alain Nicolas Christophe Laurent Frédéric Stéphane Olivier Julien Sébastien Thomas "
    "Antoine Maxime Hugo Lucas Louis Gabriel Arthur Paul Étienne Benoît Mathieu Yves Hervé Patrick Éric Karim Mehdi "
    "Sofia Yasmine Fatima Aïcha Mamadou Moussa Thi Minh Linh Chantal Josiane Gaëlle Maëlle Soazig Anaïs Noémie Elsa"
)
ORGANISMES = (
    "IFSI du CHU",
    "CESU du centre hospitalier",
    "Faculté de médecine",
    "Organisme de DPC régional",
    "URPS infirmiers",
    "Collège de la médecine générale",
    "Institut de formation en orthoptie",
    "Faculté de pharmacie",
)
STRUCTURE_NAMES = {
    "msp": "Maison de santé pluriprofessionnelle de {commune}",
    "centre_sante": "Centre de santé de {commune}",
    "etablissement_sante": "Centre hospitalier de {commune}",
    "cabinet_liberal": "Cabinet médical de {commune}",
    "ehpad": "EHPAD de {commune}",
    "esp_cpts": "CPTS du bassin de {commune}",
    "officine": "Pharmacie de {commune}",
    "centre_specialise": "Centre spécialisé de {commune}",
}
SALARIED_STRUCTURES = {"etablissement_sante", "centre_sante", "ehpad", "centre_specialise"}


@dataclass(frozen=True)
class Mix:
    """A real family of protocols: who delegates what to whom, where."""

    slug: str
    title: str  # "{acte}" is replaced by one of `acts`
    delegants: tuple[str, ...]
    delegues: tuple[str, ...]
    acts: tuple[str, ...]
    natures: tuple[str, ...]
    cadres: tuple[str, ...]
    specialites: tuple[str, ...] = ()
    hours: int = 40


MIXES = (
    Mix(
        "suivi-chronique",
        "Suivi de patients atteints de {acte} par un infirmier en lieu et place du médecin",
        ("medecin",),
        ("infirmier",),
        (
            "diabète de type 2",
            "hypertension artérielle",
            "BPCO",
            "risque cardiovasculaire",
            "troubles cognitifs",
        ),
        ("suivi", "prescription", "education"),
        ("msp", "centre_sante", "cabinet_liberal", "esp_cpts"),
        ("médecine générale",),
        40,
    ),
    Mix(
        "ophtalmo",
        "Réalisation de {acte} par un orthoptiste en lieu et place de l'ophtalmologiste",
        ("medecin",),
        ("orthoptiste",),
        ("bilans visuels", "rétinographies", "renouvellements de lunettes", "champs visuels"),
        ("realisation", "renouvellement", "depistage"),
        ("cabinet_liberal", "centre_sante", "etablissement_sante", "msp"),
        ("ophtalmologie",),
        30,
    ),
    Mix(
        "officine",
        "Prise en charge de {acte} par le pharmacien d'officine",
        ("medecin",),
        ("pharmacien",),
        (
            "cystites simples",
            "odynophagies",
            "renouvellements de traitements chroniques",
            "vaccinations de rappel",
        ),
        ("prescription", "orientation", "vaccination"),
        ("officine", "esp_cpts", "msp"),
        ("médecine générale",),
        10,
    ),
    Mix(
        "kine",
        "Prise en charge de {acte} par un masseur-kinésithérapeute",
        ("medecin",),
        ("masseur_kinesitherapeute",),
        ("entorses de cheville", "lombalgies aiguës"),
        ("prescription", "orientation", "consultation"),
        ("msp", "cabinet_liberal", "esp_cpts"),
        ("médecine générale",),
        12,
    ),
    Mix(
        "imagerie",
        "Réalisation de {acte} par un manipulateur d'électroradiologie médicale",
        ("medecin",),
        ("manipulateur_erm",),
        ("échographies", "échodopplers veineux", "examens de dosimétrie"),
        ("realisation", "interpretation"),
        ("etablissement_sante", "centre_specialise"),
        ("radiologie",),
        150,
    ),
    Mix(
        "urgences",
        "Réalisation de {acte} par un infirmier aux urgences",
        ("medecin",),
        ("infirmier",),
        ("sutures de plaies simples", "prescriptions de radiographies", "immobilisations"),
        ("realisation", "prescription"),
        ("etablissement_sante",),
        ("médecine d'urgence",),
        20,
    ),
    Mix(
        "dentaire",
        "Réalisation de {acte} par l'assistant dentaire",
        ("chirurgien_dentiste",),
        ("assistant_dentaire",),
        ("détartrages supragingivaux", "radiographies intrabuccales"),
        ("realisation",),
        ("cabinet_liberal", "centre_sante"),
        ("chirurgie dentaire",),
        35,
    ),
    Mix(
        "ehpad",
        "Télésurveillance et {acte} par l'infirmier en EHPAD",
        ("medecin",),
        ("infirmier", "aide_soignant"),
        ("renouvellements d'ordonnances", "évaluations gériatriques"),
        ("telesurveillance", "renouvellement", "suivi"),
        ("ehpad",),
        ("gériatrie",),
        25,
    ),
    Mix(
        "perinatal",
        "Suivi de {acte} par la sage-femme et l'infirmier",
        ("medecin", "sage_femme"),
        ("infirmier", "auxiliaire_puericulture"),
        ("grossesses physiologiques", "nourrissons"),
        ("suivi", "depistage", "vaccination"),
        ("centre_sante", "etablissement_sante", "msp"),
        ("gynécologie",),
        30,
    ),
    Mix(
        "nutrition",
        "Accompagnement de {acte} par diététicien et orthophoniste",
        ("medecin",),
        ("dieteticien", "orthophoniste", "pedicure_podologue"),
        ("l'obésité", "la dysphagie", "pieds diabétiques"),
        ("education", "suivi", "adaptation_traitement"),
        ("msp", "centre_sante", "etablissement_sante"),
        ("endocrinologie",),
        20,
    ),
)
STATUS_WEIGHTS = {
    "autorise": 62,
    "arrete": 8,
    "depose": 8,
    "en_instruction": 9,
    "avis_has": 5,
    "refuse": 8,
}
SCOPE_WEIGHTS = {"national": 8, "regional": 62, "local": 30}
