"""Layer 1: strict, safe reading of one YAML file into data and a line map.

PyYAML composes the node tree (libyaml's C composer where present) with
*every* implicit resolver removed, so each plain scalar arrives as text and is
resolved here by the YAML 1.2 core rules. What YAML 1.1 would silently turn
into something else (`NO`, `0612345678`, `1:30`) is reported instead of being
converted, dates stay strings for the schema's `format: date`, and anchors,
aliases, merges and tags are refused. Reading never raises on bad input: the
problems come back as findings of the returned `Document`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, cast

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .findings import Finding, make_finding

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

MAX_BYTES = 512 * 1024
MAX_DEPTH = 32
SCHEMA_HEADER = "# yaml-language-server: $schema="

JsonPath = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_ALLOWED_TAGS = {_STR, "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_YAML11_BOOLS = {"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"}
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+")
_AMBIGUOUS_NUMBER = re.compile(
    r"[-+]?(?:0[0-9_]+(?:\.[0-9]*)?"  # leading zero: octal in YAML 1.1, an identifier in real life
    r"|0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+"  # hexadecimal, octal, binary
    r"|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"  # sexagesimal 1:30
    r"|[0-9]+(?:_[0-9]+)+(?:\.[0-9_]*)?"  # 1_000
    r"|\.(?:inf|Inf|INF|nan|NaN|NAN))"
)
_PLAIN = (None, "")  # libyaml marks plain scalars with "", pure PyYAML with None
_BRACKETS = re.compile(r"[\[\]{}]")


class _TextOnlyLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader that resolves no plain scalar: everything plain is text."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[Any]]] = {}  # type: ignore[misc]


@dataclass
class Document:
    """One data file as read: its data (None when unreadable), where each key
    stands, and the reading findings."""

    path: str
    data: Any = None
    lines: dict[JsonPath, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)

    def line_of(self, where: JsonPath) -> int:
        """The line of `where`, or of its nearest ancestor that has one."""
        while where not in self.lines and where:
            where = where[:-1]
        return self.lines.get(where, 1)


class _Reject(Exception):
    def __init__(self, code: str, line: int, message: str) -> None:
        super().__init__(message)
        self.code, self.line, self.message = code, line, message


def read_file(root: Path, rel: str) -> Document:
    """Read `root/rel`, refusing symlinks, oversized files and non-`.yml` files."""
    full = root / rel
    doc = Document(rel)
    if full.is_symlink():
        return _rejected(doc, "lien-symbolique", 1, "Ce fichier est un lien symbolique : remplacez-le par un vrai fichier YAML.")
    if not rel.endswith(".yml"):
        return _rejected(doc, "fichier-inattendu", 1, _unexpected_file_message(rel))
    size = full.stat().st_size
    if size > MAX_BYTES:
        return _rejected(doc, "fichier-trop-gros", 1, (
            f"Le fichier fait {size // 1024} Kio, au-delà des {MAX_BYTES // 1024} Kio admis : "
            "un protocole ou une adhésion tient en quelques dizaines de Kio."
        ))
    return read_bytes(rel, full.read_bytes())


def _unexpected_file_message(rel: str) -> str:
    if rel.endswith(".yaml"):
        return "Les fichiers du registre portent l'extension `.yml` : renommez ce fichier en `.yml`."
    return (
        "Seuls des fichiers YAML `.yml` sont admis ici. Les pièces justificatives n'entrent jamais dans le dépôt : "
        "retirez ce fichier et déclarez la pièce par son empreinte `sha256` dans l'adhésion."
    )


def read_bytes(rel: str, raw: bytes) -> Document:
    """Parse the bytes of one file; every problem becomes a finding."""
    doc = Document(rel)
    try:
        text = _decode(raw)
        _check_flow_depth(text)
        node = _compose(text)
        if node is None:
            raise _Reject("fichier-vide", 1, "Le fichier ne contient aucune donnée : remplissez-le ou supprimez-le.")
        walker = _Walker(rel)
        doc.data = walker.value(node, (), 0)
        doc.lines = walker.lines
        doc.findings.extend(walker.findings)
    except _Reject as reject:
        return _rejected(doc, reject.code, reject.line, reject.message)
    if not text.startswith(SCHEMA_HEADER):
        doc.findings.append(make_finding("entete-schema", rel, 1, (
            "La première ligne doit être le commentaire `# yaml-language-server: $schema=…` "
            "(lancez `coop fmt` pour l'ajouter)."
        )))
    return doc


def _rejected(doc: Document, code: str, line: int, message: str) -> Document:
    doc.data = None
    doc.findings.append(make_finding(code, doc.path, line, message))
    return doc


def _decode(raw: bytes) -> str:
    if b"\x00" in raw:
        raise _Reject("encodage-invalide", 1, "Ce fichier est binaire, pas du texte YAML : retirez-le du registre.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise _Reject("encodage-invalide", line, (
            "Le fichier n'est pas encodé en UTF-8 (caractère accentué illisible) : "
            "enregistrez-le en UTF-8 depuis votre éditeur."
        )) from None


def _check_flow_depth(text: str) -> None:
    """Refuse deep `[[[…` nesting before the (recursive) composer sees it."""
    depth = 0
    for match in _BRACKETS.finditer(text):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_DEPTH:
            raise _Reject("yaml-trop-imbrique", text.count("\n", 0, match.start()) + 1, (
                f"Plus de {MAX_DEPTH} niveaux de crochets ou d'accolades imbriqués : "
                "écrivez les listes à plat, un élément `- …` par ligne."
            ))


def _compose(text: str) -> Node | None:
    loader = _TextOnlyLoader(text)
    try:
        return loader.get_single_node()
    except yaml.composer.ComposerError as err:
        raise _composer_reject(err) from None
    except yaml.MarkedYAMLError as err:
        raise _syntax_reject(err) from None
    except yaml.YAMLError as err:  # reader errors: control characters
        raise _Reject("yaml-invalide", 1, f"Le fichier contient un caractère interdit en YAML ({err}).") from None
    finally:
        loader.dispose()


def _composer_reject(err: yaml.MarkedYAMLError) -> _Reject:
    line = _line_of_mark(err.problem_mark)
    if "single document" in (err.context or "") or "single document" in (err.problem or ""):
        return _Reject("plusieurs-documents", line, (
            "Le fichier contient plusieurs documents YAML séparés par `---` : un fichier = un protocole ou une adhésion."
        ))
    return _Reject("alias-interdit", line, "Alias YAML (`*nom`) interdit : recopiez la valeur en clair.")


def _syntax_reject(err: yaml.MarkedYAMLError) -> _Reject:
    problem = err.problem or "structure invalide"
    # An unclosed quote is found at the end of the file; point at where it opened.
    opened_quote = "quoted scalar" in (err.context or "")
    line = _line_of_mark(err.context_mark if opened_quote else err.problem_mark)
    return _Reject("yaml-invalide", line, (
        f"YAML mal formé ({_french_problem(problem)}). Vérifiez l'indentation (des espaces, jamais de tabulation), "
        "la présence de « : » après chaque clé et la fermeture des guillemets."
    ))


_PROBLEMS_FR = {
    "mapping values are not allowed here": "deux-points inattendu ; mettez la valeur entre guillemets",
    "could not find expected ':'": "« : » attendu après la clé",
    "found character that cannot start any token": "tabulation interdite, utilisez des espaces",
    "found unexpected end of stream": "fin de fichier inattendue : guillemet ou crochet non fermé",
    "did not find expected key": "clé attendue : indentation incohérente",
    "did not find expected '-' indicator": "élément de liste « - » attendu : indentation incohérente",
    "found undefined tag handle": "étiquette YAML inconnue",
}


def _french_problem(problem: str) -> str:
    return _PROBLEMS_FR.get(problem, problem)


def _line_of_mark(mark: Any) -> int:
    return mark.line + 1 if mark is not None else 1


class _Walker:
    """Turn a node tree into plain data, recording each key's line."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.lines: dict[JsonPath, int] = {(): 1}
        self.findings: list[Finding] = []
        self._seen: set[int] = set()

    def report(self, code: str, node: Node, message: str) -> None:
        self.findings.append(make_finding(code, self.path, node.start_mark.line + 1, message))

    def value(self, node: Node, where: JsonPath, depth: int) -> Any:
        if id(node) in self._seen:
            # An alias shares its anchor's node: report where it is used.
            self.findings.append(make_finding("alias-interdit", self.path, self.lines.get(where, 1), (
                "Alias YAML (`*nom`) interdit : recopiez la valeur en clair."
            )))
            return None
        self._seen.add(id(node))
        if depth > MAX_DEPTH:
            raise _Reject("yaml-trop-imbrique", node.start_mark.line + 1, (
                f"Plus de {MAX_DEPTH} niveaux imbriqués : ce n'est pas une donnée du registre."
            ))
        if node.tag not in _ALLOWED_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.report("etiquette-interdite", node, f"Étiquette YAML « {tag} » interdite : écrivez la valeur sans étiquette.")
            return None
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if isinstance(node, SequenceNode):
            return self.sequence(node, where, depth)
        return self.mapping(cast(MappingNode, node), where, depth)

    def sequence(self, node: SequenceNode, where: JsonPath, depth: int) -> list[Any]:
        items = []
        for index, child in enumerate(node.value):
            self.lines[(*where, index)] = child.start_mark.line + 1
            items.append(self.value(child, (*where, index), depth + 1))
        return items

    def mapping(self, node: MappingNode, where: JsonPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.key(key_node)
            if key is None:
                continue
            if key in result:
                self.report("cle-dupliquee", key_node, (
                    f"La clé « {key} » apparaît deux fois : gardez une seule occurrence avec la bonne valeur."
                ))
                continue
            self.lines[(*where, key)] = key_node.start_mark.line + 1
            result[key] = self.value(value_node, (*where, key), depth + 1)
        return result

    def key(self, node: Node) -> str | None:
        if not isinstance(node, ScalarNode):
            self.report("cle-non-texte", node, "Une clé doit être un nom en texte, pas une liste ni un dictionnaire.")
            return None
        if node.value == "<<" and node.style in _PLAIN:
            self.report("alias-interdit", node, "La fusion YAML `<<` est interdite : recopiez les clés en clair.")
            return None
        key = self.scalar(node)
        if not isinstance(key, str):
            self.report("cle-non-texte", node, (
                f"La clé « {node.value} » doit être un nom en texte : écrivez-la entre guillemets ou renommez-la."
            ))
            return None
        return key

    def scalar(self, node: ScalarNode) -> Any:
        text = node.value
        if node.style not in _PLAIN or node.tag != _STR:
            return text
        return self.resolve_plain(text, node)

    def resolve_plain(self, text: str, node: ScalarNode) -> Any:
        if text in _NULLS:
            return None
        if text in _BOOLS:
            return _BOOLS[text]
        if text in _YAML11_BOOLS:
            self.report("valeur-ambigue", node, (
                f"« {text} » est ambigu (oui/non pour certains outils) : écrivez true ou false, "
                f"ou \"{text}\" entre guillemets si c'est un texte."
            ))
            return text
        if _INT.fullmatch(text):
            return int(text)
        if _FLOAT.fullmatch(text):
            return float(text)
        if _AMBIGUOUS_NUMBER.fullmatch(text):
            self.report("valeur-ambigue", node, (
                f"« {text} » serait lu comme un nombre par certains outils (zéro initial, octal, heure…) : "
                f"écrivez \"{text}\" entre guillemets."
            ))
        return text
