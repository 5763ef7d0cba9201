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

import os
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, cast

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .findings import Finding, make_finding
from .paths import SpecialFile, read_regular, special_kind
from .personal import personal_data_lines
from .textguards import INVISIBLE, describe_invisible, for_terminal

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

MAX_BYTES = 512 * 1024
MAX_DEPTH = 32
MAX_REPORTED_LINES = 10  # findings of one kind per file: enough to show the problem
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
    """Read `root/rel`, refusing symlinks and special files (never opened),
    oversized files and non-`.yml` files (whose text is still scanned for personal data)."""
    doc = Document(rel)
    try:
        status = os.lstat(root / rel)
    except OSError:
        return _rejected(doc, "fichier-illisible", 1, "Ce fichier ne peut pas être lu (droits d'accès ?) : vérifiez-le.")
    what = special_kind(status.st_mode)
    if what == "un lien symbolique":
        return _rejected(doc, "lien-symbolique", 1, "Ce fichier est un lien symbolique : remplacez-le par un vrai fichier YAML.")
    if what is not None:
        return _rejected(doc, "fichier-special", 1, (
            f"Ce fichier est {what}, pas un fichier de données : supprimez-le du registre (il n'a pas été ouvert)."
        ))
    if not rel.endswith(".yml"):
        return _unexpected(doc, root / rel)
    if status.st_size > MAX_BYTES:
        return _too_big(doc, status.st_size)
    try:
        raw = read_regular(root / rel, MAX_BYTES + 1)
    except SpecialFile as special:
        return _rejected(doc, "fichier-special", 1, f"Ce fichier est {special.what}, pas un fichier de données : supprimez-le.")
    except OSError:
        return _rejected(doc, "fichier-illisible", 1, "Ce fichier ne peut pas être lu (droits d'accès ?) : vérifiez-le.")
    return _too_big(doc, len(raw)) if len(raw) > MAX_BYTES else read_bytes(rel, raw)


def _too_big(doc: Document, size: int) -> Document:
    return _rejected(doc, "fichier-trop-gros", 1, (
        f"Le fichier fait {size // 1024} Kio, au-delà des {MAX_BYTES // 1024} Kio admis : "
        "un protocole ou une adhésion tient en quelques dizaines de Kio."
    ))


def _unexpected(doc: Document, full: Path) -> Document:
    """A non-YAML file is refused; its text is scanned so the message can say it holds personal data."""
    _rejected(doc, "fichier-inattendu", 1, _unexpected_file_message(doc.path))
    try:
        text = read_regular(full, MAX_BYTES).decode("utf-8", "replace")
    except (OSError, SpecialFile):
        return doc
    for line, what in personal_data_lines(text)[:MAX_REPORTED_LINES]:
        doc.findings.append(make_finding("donnee-personnelle", doc.path, line, (
            f"Ce fichier, qui n'a pas sa place ici, contient {what} : aucune coordonnée ni aucun identifiant "
            "personnel n'entre dans le dépôt. Supprimez le fichier."
        )))
    return doc


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
        lines = LineCounter(text)
        _check_flow_depth(text)
        doc.findings.extend(_scan_events(rel, text, lines))
        node = _compose(text, lines)
        if node is None:
            raise _Reject("fichier-vide", 1, "Le fichier ne contient aucune donnée : remplissez-le ou supprimez-le.")
        walker = _Walker(rel, lines)
        doc.data = walker.value(node, (), 0)
        doc.lines = walker.lines
        doc.findings.extend(walker.findings)
        if doc.data is None and not walker.findings:  # `---` alone, `~`, a directive and nothing after
            raise _Reject("fichier-vide", 1, "Le fichier ne contient aucune donnée : remplissez-le ou supprimez-le.")
    except _Reject as reject:
        return _rejected(doc, reject.code, reject.line, reject.message)
    doc.findings.extend(_invisible_characters(rel, text))
    doc.findings = list(dict.fromkeys(doc.findings))  # a character seen in the text and in its value: once
    if not text.startswith(SCHEMA_HEADER):
        doc.findings.append(make_finding("entete-schema", rel, 1, (
            "La première ligne doit être le commentaire `# yaml-language-server: $schema=…` "
            "(lancez `coop fmt` pour l'ajouter)."
        )))
    return doc


class LineCounter:
    """1-based line numbers that count line feeds only, as GitHub and editors do: libyaml also
    breaks lines at U+0085, U+2028 and U+2029, which would shift every later line."""

    def __init__(self, text: str) -> None:
        self.starts: list[int] | None = None
        if "\x85" in text or "\u2028" in text or "\u2029" in text:
            self.starts = [index for index, char in enumerate(text) if char == "\n"]

    def line(self, mark: Any) -> int:
        if mark is None:
            return 1
        if self.starts is None:
            return int(mark.line) + 1
        return bisect_right(self.starts, mark.index - 1) + 1


# A line that may open deep block nesting: many leading spaces, `- `, `? `, `: `, tags or anchors
# (each level takes at least one of them; flow brackets are counted by `_check_flow_depth`).
_DEEP_LINE_SCAN = re.compile(rf"^(?:[ \t]|[-?:](?=[ \t])|[!&]\S*){{{MAX_DEPTH // 2},}}", re.MULTILINE)


def _scan_events(rel: str, text: str, lines: LineCounter) -> list[Finding]:
    """Where a cheap look at the text says the composer could recurse deep or a tag may hide,
    read libyaml's event stream (no recursion) first: refuse deep nesting before the recursive
    composer (which crashes the process on some thousands of levels), and report every tag,
    on a key as on a value, even the `!` that the composer would silently drop."""
    if "!" not in text and not _DEEP_LINE_SCAN.search(text):
        return []
    findings: list[Finding] = []
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _Reject("yaml-trop-imbrique", lines.line(event.start_mark), (
                        f"Plus de {MAX_DEPTH} niveaux imbriqués : ce n'est pas une donnée du registre. "
                        "Écrivez les listes à plat, un élément `- …` par ligne."
                    ))
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
            tag = getattr(event, "tag", None)
            if tag is not None and len(findings) < MAX_REPORTED_LINES:
                shown = for_terminal(tag.replace("tag:yaml.org,2002:", "!!"))
                findings.append(make_finding("etiquette-interdite", rel, lines.line(event.start_mark), (
                    f"Étiquette YAML « {shown} » interdite : écrivez la valeur sans étiquette."
                )))
    except yaml.YAMLError:
        pass  # the composer reports it, with the same line
    return findings


def _invisible_characters(rel: str, text: str) -> list[Finding]:
    """Bidirectional overrides, zero-width and control characters anywhere in the file (comments included)."""
    if not INVISIBLE.search(text):
        return []
    found: list[Finding] = []
    for number, line in enumerate(text.split("\n"), start=1):
        match = INVISIBLE.search(line)
        if match and len(found) < MAX_REPORTED_LINES:
            found.append(_invisible_finding(rel, number, match.group()))
    return found


def _invisible_finding(rel: str, line: int, char: str) -> Finding:
    return make_finding("caractere-invisible", rel, line, (
        f"Le texte contient un {describe_invisible(char)}, invisible à la relecture ou qui change l'ordre "
        "d'affichage : retapez la valeur sans ce caractère."
    ))


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


def _compose(text: str, lines: LineCounter) -> Node | None:
    loader = _TextOnlyLoader(text)
    try:
        return loader.get_single_node()
    except yaml.composer.ComposerError as err:
        raise _composer_reject(err, lines) from None
    except yaml.MarkedYAMLError as err:
        raise _syntax_reject(err, lines) from None
    except yaml.YAMLError as err:  # reader errors: control characters
        raise _Reject("yaml-invalide", 1, f"Le fichier contient un caractère interdit en YAML ({err}).") from None
    finally:
        loader.dispose()


def _composer_reject(err: yaml.MarkedYAMLError, lines: LineCounter) -> _Reject:
    line = lines.line(err.problem_mark)
    if "single document" in (err.context or "") or "single document" in (err.problem or ""):
        return _Reject("plusieurs-documents", line, (
            "Le fichier contient plusieurs documents YAML séparés par `---` : un fichier = un protocole ou une adhésion."
        ))
    return _Reject("alias-interdit", line, "Alias YAML (`*nom`) interdit : recopiez la valeur en clair.")


def _syntax_reject(err: yaml.MarkedYAMLError, lines: LineCounter) -> _Reject:
    problem = err.problem or "structure invalide"
    # An unclosed quote is found at the end of the file; point at where it opened.
    opened_quote = "quoted scalar" in (err.context or "")
    line = lines.line(err.context_mark if opened_quote else err.problem_mark)
    return _Reject("yaml-invalide", line, (
        f"YAML mal formé ({for_terminal(_french_problem(problem))}). Vérifiez l'indentation (des espaces, jamais de tabulation), "
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


class _Walker:
    """Turn a node tree into plain data, recording each key's line."""

    def __init__(self, path: str, counter: LineCounter) -> None:
        self.path = path
        self.counter = counter
        self.lines: dict[JsonPath, int] = {(): 1}
        self.findings: list[Finding] = []
        self._seen: set[int] = set()

    def line(self, node: Node) -> int:
        return self.counter.line(node.start_mark)

    def report(self, code: str, node: Node, message: str) -> None:
        self.findings.append(make_finding(code, self.path, self.line(node), message))

    def value(self, node: Node, where: JsonPath, depth: int) -> Any:
        if id(node) in self._seen:
            # An alias shares its anchor's node: report where it is used.
            self.findings.append(make_finding("alias-interdit", self.path, self.lines.get(where, 1), (
                "Alias YAML (`*nom`) interdit : recopiez la valeur en clair."
            )))
            return None
        self._seen.add(id(node))
        if depth > MAX_DEPTH:
            raise _Reject("yaml-trop-imbrique", self.line(node), (
                f"Plus de {MAX_DEPTH} niveaux imbriqués : ce n'est pas une donnée du registre."
            ))
        if node.tag not in _ALLOWED_TAGS:
            tag = for_terminal(node.tag.replace("tag:yaml.org,2002:", "!!"))
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
            self.lines[(*where, index)] = self.line(child)
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
            self.lines[(*where, key)] = self.line(key_node)
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
        hidden = INVISIBLE.search(text) if node.style == '"' else None  # written as an escape: `"\u202e"`, `"\e[2J"`
        if hidden:
            self.findings.append(_invisible_finding(self.path, self.line(node), hidden.group()))
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
