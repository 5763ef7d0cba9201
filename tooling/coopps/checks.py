"""One declaration per check, like ruff's rules: its stable code, layer and
default severity, the French title and what to write instead (`fix`), the
file kinds it applies to, the other files it consults, its message template
with named parameters, and the sentence the issue form's bot says for it.

A family of register rules declares its checks in its own module
(`rules/*.py`), beside the function that finds them; the checks found
outside `rules/` are declared in `stage_checks.py` (reading, schema, the
path, relecteurs.yml) and `change_checks.py` (transitions, the Annuaire
santé). `CHECKS` holds every declaration once `coopps.rules` is imported
(it imports every family and both): read the complete list from there. The reference page, the issue form's
words, the loading of related files and the rule tables all derive from
these declarations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

LAYERS = {
    "lecture": "1. Lecture du fichier",
    "schema": "2. Conformité au schéma",
    "registre": "3. Règles du registre",
    "transition": "4. Transitions par rapport à la branche de base",
    "suivi": "5. Rapports annuels de suivi",
    "annuaire": "6. Annuaire santé (`coop verifier --annuaire`)",
}
KINDS = ("protocole", "adhesion", "suivi")
# What a check may read besides the file it judges (`Register.load_related` loads them):
CONSULTED = {
    "protocole": "the protocol an adhesion or a report names",
    "adhesion": "the adhesion a report stands beside",
    "membres": "every adhesion naming one of the members' RPPS or ADELI numbers",
    "protocoles": "every protocol (who names this one in `remplace`/`remplace_par`)",
}
SAMPLE_ADHESION = "adhesions/84/nat-test/msp-a.yml"
SAMPLE_PROTOCOL = "protocols/nat-test.yml"
SAMPLE_SHA = "5feceb66ffc86f38d952786c6d696c79c2dbc239dd4e91b46729d73a27fb57e9"


@dataclass(frozen=True)
class Example:
    """The sample register (tooling/tests/register_samples.py: valid, every check passes) with
    one change: `old` replaced by `new` in the sample file `start` ("" old: `new` appended),
    saved at `path`. The tests run every declared example: a failing one gives its check's
    code at the line containing `needle` (its `occurrence`-th one), and exactly the codes
    `also` besides in that file and `elsewhere` in others; a passing one gives nothing."""

    new: str
    old: str = ""
    start: str = SAMPLE_ADHESION
    path: str = ""  # default: `start`
    needle: str = ""  # default: the first line of `new`
    name: str = ""  # the test's id, when a check has several examples
    occurrence: int = 1
    also: tuple[str, ...] = ()
    elsewhere: tuple[tuple[str, str], ...] = ()  # (path, code)

    @property
    def where(self) -> str:
        return self.path or self.start

    @property
    def line_text(self) -> str:
        return self.needle or self.new.strip("\n").split("\n")[0]


# A template, or one per variant (the finding's parameter `variante`; "" by default).
Template = str | Mapping[str, str]
VARIANT = "variante"


@dataclass(frozen=True)
class Check:
    code: str
    layer: str
    severity: Severity
    title: str
    example: str  # a failing snippet, shown on the reference page
    fix: str  # what to write instead
    completeness: bool = False  # lowered to a warning with --brouillon
    kinds: tuple[str, ...] = ()  # the file kinds a register rule judges with it
    consults: tuple[str, ...] = ()  # keys of CONSULTED
    message: Template = ""  # "": the finder writes the message itself
    form: Template | None = None  # the issue form's sentence; None: the form never gives it
    failing: tuple[Example, ...] = ()  # run by the tests (tooling/tests/test_checks.py)
    passing: tuple[Example, ...] = ()

    def render(self, params: Mapping[str, object]) -> str:
        """The French message, from the template and the finding's parameters. A template
        may begin a sentence with a text parameter: `{Champ}` is `champ`, its first letter
        upper-cased."""
        starts = {
            name[:1].upper() + name[1:]: value[:1].upper() + value[1:]
            for name, value in params.items()
            if isinstance(value, str)
        }
        return pick(self.message, params).format(**{**starts, **params})

    @property
    def from_form(self) -> bool:
        return self.form is not None


def pick(template: Template, params: Mapping[str, object]) -> str:
    """The template of the finding's variant."""
    if isinstance(template, str):
        return template
    variant = str(params.get(VARIANT, ""))
    return template[variant] if variant in template else template[""]


CHECKS: dict[str, Check] = {}


def declare(check: Check) -> Check:
    """Add `check` to the registry (a code is declared once)."""
    if check.code in CHECKS:
        raise ValueError(f"check declared twice: {check.code}")
    unknown = set(check.consults) - set(CONSULTED) or set(check.kinds) - set(KINDS)
    if check.layer not in LAYERS or unknown:
        raise ValueError(f"check {check.code}: unknown layer, kind or consulted file")
    CHECKS[check.code] = check
    return check


def is_completeness(code: str) -> bool:
    return CHECKS[code].completeness
