"""`python bench/synth.py DEST`: a deterministic, realistic synthetic register for benchmarks.

The same seed always writes the same bytes (and, with `--git`, the same commit
ids): protocols of every scope and status with real profession mixes, and
adhesions spread over the 18 regions with teams of 2 to 40 members, Luhn-valid
RPPS numbers, plausible French names and every required piece, so the
register validates with zero errors. Every team says "(synthétique)".

Files are written directly (no YAML library): 50,000 adhesions take seconds.
"""

from __future__ import annotations

import datetime
import json
import random
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import click

from coopps.cli import french
from coopps.cli.failure import ShowsCoopErrors
from coopps.errors import CoopError
from coopps.paths import SCHEMAS_DIR
from coopps.rules.identifiers import luhn_complete
from synth_git import git_history
from synth_vocabulary import (
    FIRST_NAMES,
    LAST_DAY,
    MIXES,
    ORGANISMES,
    REGION_NAMES,
    REGIONS,
    SALARIED_STRUCTURES,
    SCOPE_WEIGHTS,
    STATUS_WEIGHTS,
    STRUCTURE_NAMES,
    SURNAMES,
    Mix,
)

french.install()  # before any click object is built: a type's name (DOSSIER) is translated when it is made
PACKAGE_ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Protocol:
    id: str
    scope: str
    status: str
    region: str
    mix: Mix
    team: str = ""  # promoting team of a local protocol
    regions: tuple[str, ...] = ()  # every region where it applies
    modes: tuple[str, ...] = ()
    cadres: tuple[str, ...] = ()
    hours: int = 0
    deposit: datetime.date = LAST_DAY
    authorised: datetime.date = LAST_DAY
    stopped: datetime.date | None = None
    text: str = ""


@dataclass
class Generator:
    seed: int
    rng: random.Random = field(init=False)
    rpps_counter: int = 0
    known: list[tuple[str, str, str, str]] = field(
        default_factory=list
    )  # (rpps, first name, surname, profession)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def date_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        days = max((end - start).days, 0)
        return start + datetime.timedelta(days=self.rng.randint(0, days))

    def sha(self) -> str:
        return f"{self.rng.getrandbits(256):064x}"

    def new_rpps(self) -> str:
        self.rpps_counter += 1
        return luhn_complete(f"1{self.seed % 97:02d}{self.rpps_counter:07d}")

    # Protocols -----------------------------------------------------------------------------------
    def protocols(self, count: int) -> list[Protocol]:
        return [self.protocol(index) for index in range(count)]

    def protocol(self, index: int) -> Protocol:
        rng = self.rng
        scope = _weighted(rng, SCOPE_WEIGHTS)
        status = _weighted(rng, STATUS_WEIGHTS)
        mix = MIXES[index % len(MIXES)] if index < len(MIXES) else rng.choice(MIXES)
        region = _weighted(rng, {code: weight for code, (weight, _) in REGIONS.items()})
        protocol = Protocol(_protocol_id(scope, region, index, mix), scope, status, region, mix)
        protocol.cadres = (
            tuple(sorted(rng.sample(mix.cadres, rng.randint(1, len(mix.cadres)))))
            if rng.random() < 0.6
            else ()
        )
        protocol.modes = ("liberal", "salarie_public") if rng.random() < 0.1 else ()
        protocol.hours = mix.hours + 5 * rng.randint(0, 4)
        protocol.deposit = self.date_between(datetime.date(2011, 1, 1), datetime.date(2022, 12, 31))
        protocol.authorised = self.date_between(
            protocol.deposit + datetime.timedelta(days=200),
            protocol.deposit + datetime.timedelta(days=700),
        )
        if status == "arrete":
            protocol.stopped = self.date_between(
                min(protocol.authorised + datetime.timedelta(days=400), LAST_DAY), LAST_DAY
            )
        protocol.regions = _applicable_regions(rng, protocol)
        if scope == "local":
            protocol.team = f"{_slug(_structure_for(rng, protocol))}-{_slug(rng.choice(REGIONS[region][1])[0])}-{index}"
        protocol.text = _protocol_yaml(rng, protocol, index)
        return protocol

    # Adhesions -----------------------------------------------------------------------------------
    def adhesions(self, protocols: list[Protocol], count: int) -> Iterator[tuple[str, str]]:
        """(relative path, YAML text) of `count` adhesions, each to a protocol that applies there."""
        open_protocols = [
            p for p in protocols if p.status in ("autorise", "arrete") and p.scope != "local"
        ]
        local = [p for p in protocols if p.status in ("autorise", "arrete") and p.scope == "local"]
        by_region = {code: [p for p in open_protocols if code in p.regions] for code in REGIONS}
        weights = {code: weight for code, (weight, _) in REGIONS.items() if by_region[code]}
        used: set[str] = set()
        for protocol in local[: count // 20]:
            yield self.adhesion(protocol, protocol.region, protocol.team, used)
            count -= 1
        for index in range(count):
            region = _weighted(self.rng, weights) if weights else ""
            if not region:
                return
            protocol = self.rng.choice(by_region[region])
            yield self.adhesion(protocol, region, "", used, index)

    def adhesion(
        self, protocol: Protocol, region: str, team: str, used: set[str], index: int = 0
    ) -> tuple[str, str]:
        rng = self.rng
        commune, postcode = rng.choice(REGIONS[region][1])
        structure = rng.choice(protocol.cadres or protocol.mix.cadres)
        team = team or f"{_slug(structure)}-{_slug(commune)}-{index}"
        path = f"adhesions/{region}/{protocol.id}/{team}.yml"
        used.add(path)
        latest = protocol.stopped - datetime.timedelta(days=1) if protocol.stopped else LAST_DAY
        declared = self.date_between(protocol.authorised, latest)
        members = self.members(protocol, structure, declared)
        return path, _adhesion_yaml(self, protocol, structure, commune, postcode, declared, members)

    def members(
        self, protocol: Protocol, structure: str, declared: datetime.date
    ) -> list[dict[str, object]]:
        rng = self.rng
        size = min(40, 2 + int(rng.expovariate(1 / 4.5)))
        delegants = max(1, round(size * rng.uniform(0.2, 0.5)))
        roles = ["delegant"] * delegants + ["delegue"] * (size - delegants)
        taken: set[str] = set()
        return [self.member(protocol, structure, role, declared, taken) for role in roles]

    def member(
        self,
        protocol: Protocol,
        structure: str,
        role: str,
        declared: datetime.date,
        taken: set[str],
    ) -> dict[str, object]:
        """One professional; 5 % of them already work in another team (same number, same spelling)."""
        rng = self.rng
        profession = rng.choice(
            protocol.mix.delegants if role == "delegant" else protocol.mix.delegues
        )
        reuse = (
            [k for k in self.known[-50:] if k[3] == profession and k[0] not in taken]
            if rng.random() < 0.05
            else []
        )
        if reuse:
            number, first, last, _ = rng.choice(reuse)
        else:
            number, first, last = self.new_rpps(), rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
            self.known.append((number, first, last, profession))
        taken.add(number)
        salaried = "salarie_public" if structure in SALARIED_STRUCTURES else "salarie_prive"
        mode = (
            salaried if (structure in SALARIED_STRUCTURES) == (rng.random() < 0.85) else "liberal"
        )
        if protocol.modes and mode not in protocol.modes:
            mode = rng.choice(protocol.modes)
        member: dict[str, object] = {
            "id_key": "rpps",
            "number": number,
            "nom_exercice": last,
            "prenom": first,
            "profession": profession,
            "mode_exercice": mode,
            "role": role,
        }
        if role == "delegue":
            if rng.random() < 0.1:
                member["id_key"], member["number"] = "adeli", number[1:10]
            member["formation"] = (
                self.date_between(declared - datetime.timedelta(days=700), declared),
                f"{rng.choice(ORGANISMES)} de {rng.choice(REGIONS[protocol.region][1])[0]}",
                protocol.hours + 2 * rng.randint(0, 5),
            )
        return member


def _weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _slug(text: str) -> str:
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text).split())


def _protocol_id(scope: str, region: str, index: int, mix: Mix) -> str:
    if scope == "national":
        return f"nat-{mix.slug}-{index:04d}"
    if scope == "regional":
        return f"{region}-{index:010d}"
    return f"loc-{region}-{mix.slug}-{index:04d}"


def _applicable_regions(rng: random.Random, protocol: Protocol) -> tuple[str, ...]:
    if protocol.scope == "national":
        return tuple(REGIONS)
    if protocol.scope == "local":
        return (protocol.region,)
    extra = rng.sample(
        [code for code in REGIONS if code != protocol.region], rng.choice((0, 0, 0, 1, 2, 4))
    )
    return (protocol.region, *sorted(extra))


def _structure_for(rng: random.Random, protocol: Protocol) -> str:
    return rng.choice(protocol.cadres or protocol.mix.cadres)


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _protocol_yaml(rng: random.Random, p: Protocol, index: int) -> str:
    act = rng.choice(p.mix.acts)
    region_name = REGION_NAMES[p.region]
    lines = [
        "# yaml-language-server: $schema=../schemas/protocole.schema.json",
        f"intitule: {_q(p.mix.title.format(acte=act) + f' (synthétique n° {index})')}",
        f"portee: {p.scope}",
        f"statut: {p.status}",
    ]
    if p.scope != "national":
        lines += [f'region: "{p.region}"', f"date_depot: {p.deposit}"]
    lines += [
        "promoteurs:",
        f"  - {_q('ARS ' + region_name if p.scope != 'local' else 'Équipe promotrice (synthétique)')}",
    ]
    lines += [
        "professions:",
        f"  delegants: [{', '.join(p.mix.delegants)}]",
        f"  delegues: [{', '.join(p.mix.delegues)}]",
    ]
    if p.mix.specialites:
        lines += [f"specialites: [{_q(p.mix.specialites[0])}]"]
    lines += [
        f"nature_actes: [{', '.join(p.mix.natures)}]",
        "actes_derogatoires:",
        f"  - {_q(act.capitalize())}",
    ]
    if p.cadres:
        lines += [f"cadres_exercice: [{', '.join(p.cadres)}]"]
    if p.modes:
        lines += [f"modes_exercice: [{', '.join(p.modes)}]"]
    description = _q(f"Formation théorique et pratique de {p.hours} h.")
    lines += ["formation:", f"  duree_heures: {p.hours}", f"  description: {description}"]
    lines += _protocol_indicators(rng)
    lines += _protocol_decisions(rng, p, index)
    if p.scope == "regional" and len(p.regions) > 1:
        lines += [f"regions_application: [{', '.join(_q(code) for code in p.regions[1:])}]"]
    if p.scope == "local":
        lines += [f"equipe_promotrice: {p.team}"]
    lines += ["sources:", f"  - https://example.invalid/synthetique/protocoles/{p.id}"]
    return "\n".join(lines) + "\n"


def _protocol_indicators(rng: random.Random) -> list[str]:
    lines = [
        "indicateurs:",
        "  - cle: nombre-patients",
        "    libelle: Nombre de patients pris en charge",
        "    type: entier",
    ]
    if rng.random() < 0.7:
        lines += [
            "  - cle: taux-reorientation",
            "    libelle: Taux de réorientation vers le délégant",
            "    type: taux",
            '    unite: "%"',
        ]
    return lines


def _protocol_decisions(rng: random.Random, p: Protocol, index: int) -> list[str]:
    lines: list[str] = []
    if p.status in ("avis_has", "autorise", "arrete") or (
        p.status == "refuse" and rng.random() < 0.5
    ):
        opinion = p.authorised - datetime.timedelta(days=rng.randint(20, 150))
        sense = "defavorable" if p.status == "refuse" else "favorable"
        lines += [
            "avis_has:",
            f"  date: {max(opinion, p.deposit)}",
            f"  sens: {sense}",
            f"  reference: Avis n° {index}",
        ]
    if p.status in ("autorise", "arrete"):
        lines += [
            "arrete:",
            f"  date: {p.authorised}",
            f"  reference: {_q(f'Arrêté synthétique n° {index}')}",
            f"  url: https://example.invalid/synthetique/arretes/{p.id}",
        ]
    if p.stopped:
        lines += [
            "arret:",
            f"  date: {p.stopped}",
            "  motif: Protocole remplacé par un protocole national",
        ]
    return lines


def _adhesion_yaml(
    gen: Generator,
    p: Protocol,
    structure: str,
    commune: str,
    postcode: str,
    declared: datetime.date,
    members: list[dict[str, object]],
) -> str:
    rng = gen.rng
    name = STRUCTURE_NAMES[structure].format(commune=commune)
    lines = [
        "# yaml-language-server: $schema=../../../schemas/adhesion.schema.json",
        "equipe:",
        f"  nom: {_q(name + ' (synthétique)')}",
        f"  structure: {structure}",
        f"  commune: {_q(commune)}",
        f'  code_postal: "{postcode}"',
        f"date_declaration: {declared}",
        "membres:",
    ]
    for member in members:
        lines += _member_yaml(member)
    lines += [
        "pieces:",
        "  - type: declaration_commune",
        f'    sha256: "{gen.sha()}"',
        "  - type: attestation_assurance",
        f'    sha256: "{gen.sha()}"',
    ]
    for member in members:
        for kind in _member_pieces(member):
            lines += [
                f"  - type: {kind}",
                f'    membre: "{member["number"]}"',
                f'    sha256: "{gen.sha()}"',
            ]
    lines += _adhesion_end(gen, p, declared, rng.random())
    return "\n".join(lines) + "\n"


def _member_yaml(member: dict[str, object]) -> list[str]:
    lines = [
        f'  - {member["id_key"]}: "{member["number"]}"',
        f"    nom_exercice: {_q(str(member['nom_exercice']))}",
        f"    prenom: {_q(str(member['prenom']))}",
        f"    profession: {member['profession']}",
        f"    mode_exercice: {member['mode_exercice']}",
        f"    role: {member['role']}",
    ]
    if "formation" in member:
        date, organisme, hours = cast(tuple[str, str, int], member["formation"])
        lines += [
            "    formation:",
            f"      date: {date}",
            f"      organisme: {_q(organisme)}",
            f"      duree_heures: {hours}",
        ]
    return lines


def _member_pieces(member: dict[str, object]) -> list[str]:
    kinds = ["piece_identite", "diplome"]
    if member["role"] == "delegue":
        kinds.append("attestation_formation")
    if member["mode_exercice"] != "liberal":
        kinds.append("accord_employeur")
    return kinds


def _adhesion_end(gen: Generator, p: Protocol, declared: datetime.date, draw: float) -> list[str]:
    end_limit = p.stopped or LAST_DAY
    if p.stopped or draw < 0.05:
        when = gen.date_between(declared, end_limit) if declared < end_limit else declared
        motif = "Arrêt du protocole" if p.stopped else "Départ du délégué de l'équipe"
        return ["fin:", f"  date: {when}", f"  motif: {motif}"]
    if draw < 0.07:
        return [
            "suspension:",
            f"  date: {gen.date_between(declared, LAST_DAY)}",
            "  motif: Pièces à actualiser",
        ]
    return []


# Writing -----------------------------------------------------------------------------------------


def check_destination(dest: Path) -> None:
    """Refuse a non-empty folder and anything inside a real register."""
    dest = dest.resolve()
    for folder in (dest, *dest.parents):
        if (folder / SCHEMAS_DIR).is_dir() and (folder / "protocols").is_dir():
            raise CoopError(
                f"« {dest} » est dans le registre « {folder} » : le registre synthétique s'écrit ailleurs, "
                "dans un dossier vide (exemple : /tmp/registre-synthetique)."
            )
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise CoopError(
            f"« {dest} » n'est pas un dossier vide : choisissez un dossier nouveau ou vide."
        )


def write_register(
    dest: Path, schemas: Path, protocols: int, adhesions: int, seed: int
) -> dict[str, int]:
    gen = Generator(seed)
    shutil.copytree(schemas, dest / SCHEMAS_DIR)
    (dest / ".gitignore").write_text(".cache/\n/site/\n", encoding="utf-8")
    (dest / "README.md").write_text(
        "# Registre synthétique\n\nGénéré par `coop synth` pour les mesures de performance : "
        "aucune de ces équipes ni aucun de ces professionnels n'existe.\n",
        encoding="utf-8",
    )
    generated = gen.protocols(protocols)
    (dest / "protocols").mkdir()
    for protocol in generated:
        (dest / "protocols" / f"{protocol.id}.yml").write_text(protocol.text, encoding="utf-8")
    written = 0
    made: set[Path] = set()
    for rel, text in gen.adhesions(generated, adhesions):
        target = dest / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_text(text, encoding="utf-8")
        written += 1
    return {"protocols": len(generated), "adhesions": written}


@click.command("synth", cls=ShowsCoopErrors)
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--protocols",
    "protocol_count",
    type=click.IntRange(1),
    default=100,
    show_default=True,
    help="Nombre de protocoles.",
)
@click.option(
    "--adhesions",
    "adhesion_count",
    type=click.IntRange(0),
    default=1000,
    show_default=True,
    help="Nombre d'adhésions.",
)
@click.option(
    "--seed",
    type=int,
    default=1,
    show_default=True,
    help="Graine : la même graine écrit les mêmes fichiers.",
)
@click.option(
    "--git",
    "with_git",
    is_flag=True,
    help="Créer un historique git (main) et une branche `pr` modifiant 3 fichiers.",
)
@click.option(
    "--racine",
    "root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Registre dont copier les schémas (par défaut : celui du paquet).",
)
def synth_command(
    dest: Path,
    protocol_count: int,
    adhesion_count: int,
    seed: int,
    with_git: bool,
    root: Path | None,
) -> None:
    """Écrire un registre synthétique (déterministe) pour les mesures de performance.

    Toutes les équipes sont fictives et marquées « (synthétique) ». DEST doit être
    un dossier vide, hors du registre livré.
    """
    schemas = (root or PACKAGE_ROOT) / SCHEMAS_DIR
    if not schemas.is_dir():
        raise CoopError(f"Schémas introuvables dans « {schemas.parent} » : indiquez --racine.")
    check_destination(dest)
    dest.mkdir(parents=True, exist_ok=True)
    counts = write_register(dest, schemas, protocol_count, adhesion_count, seed)
    if with_git:
        git_history(dest, seed)
    click.echo(
        f"Registre synthétique écrit dans {dest} : {counts['protocols']} protocoles, {counts['adhesions']} adhésions"
        + (" (historique git : main, branche pr)." if with_git else ".")
    )


if __name__ == "__main__":
    synth_command()
