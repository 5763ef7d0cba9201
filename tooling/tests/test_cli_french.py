"""Click speaks French: every message of the installed click has a French text
(found by scanning click's own source), and the real `coop` group shows them."""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import re
import string
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import click
import click.types
import pytest
from click.testing import CliRunner

from conftest import REPO_ROOT
from coopps.cli import french as clickfr
from coopps.cli import main

CLICK_DIR = Path(click.__file__).parent
GETTEXT_NAMES = {"_", "ngettext"}
# French texts equal to the English ones on purpose
IDENTICAL_ON_PURPOSE = {
    "%(prog)s, version %(version)s",  # « version » is French too
    "Choice({choices})",  # a Python repr, not prose
    "uuid",
}
# `_(extra["required"])` in core.py: the msgid is the literal "required" set a few lines below
DYNAMIC_CALLS = {'extra["required"]': "required", "extra['required']": "required"}


@dataclass(frozen=True)
class GettextCall:
    module: str
    line: int
    function: str  # "_" or "ngettext"
    args: tuple[ast.expr, ...]

    @property
    def where(self) -> str:
        return f"{self.module}:{self.line}"

    def literals(self) -> tuple[str, ...] | None:
        texts = self.args[:2] if self.function == "ngettext" else self.args[:1]
        if all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in texts):
            return tuple(a.value for a in texts)  # type: ignore[attr-defined]
        return None


def click_sources() -> dict[str, ast.Module]:
    return {
        f"click.{path.stem}": ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(CLICK_DIR.glob("*.py"))
    }


def gettext_calls(module: str, tree: ast.Module) -> list[GettextCall]:
    return [
        GettextCall(module, node.lineno, node.func.id, tuple(node.args))
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in GETTEXT_NAMES
    ]


def all_calls() -> list[GettextCall]:
    return [
        call for module, tree in click_sources().items() for call in gettext_calls(module, tree)
    ]


def fields(text: str) -> set[str]:
    """Names a text needs from `.format(**kwargs)` or `% mapping`."""
    names = {
        re.split(r"[.\[]", name)[0]
        for _, name, _, _ in string.Formatter().parse(text)
        if name is not None
    }
    return names | set(re.findall(r"%\((\w+)\)", text))


def render(text: str, names: set[str]) -> str:
    values = {name: f"<{name}>" for name in names}
    return text % values if "%(" in text else text.format(**values)


def singular_msgids() -> dict[str, str]:
    found: dict[str, str] = {}
    for call in all_calls():
        texts = call.literals()
        if call.function == "_" and texts:
            found[texts[0]] = call.where
    return found


def plural_msgids() -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for call in all_calls():
        texts = call.literals()
        if call.function == "ngettext" and texts:
            found[(texts[0], texts[1])] = call.where
    return found


def test_the_scan_finds_click_messages() -> None:
    singulars, plurals = singular_msgids(), plural_msgids()
    assert "Usage:" in singulars and "Show this message and exit." in singulars
    assert ("{value!r} is not {choice}.", "{value!r} is not one of {choices}.") in plurals
    assert len(singulars) > 50 and len(plurals) >= 5


def test_every_click_message_has_a_french_text() -> None:
    missing = [
        f"{where}: {msgid!r}"
        for msgid, where in singular_msgids().items()
        if msgid not in clickfr.MESSAGES
    ]
    missing += [
        f"{where}: {pair!r}"
        for pair, where in plural_msgids().items()
        if pair not in clickfr.PLURALS
    ]
    assert not missing, "messages de click sans texte français :\n" + "\n".join(missing)


def test_click_translates_no_computed_text_but_the_known_ones() -> None:
    computed = [call for call in all_calls() if call.literals() is None]
    unknown = [
        f"{call.where}: {ast.unparse(call.args[0])}"
        for call in computed
        if ast.unparse(call.args[0]) not in DYNAMIC_CALLS
    ]
    assert not unknown
    assert set(DYNAMIC_CALLS.values()) <= set(clickfr.MESSAGES)
    core = (CLICK_DIR / "core.py").read_text(encoding="utf-8")
    assert 'extra["required"] = "required"' in core


def test_french_texts_have_the_format_fields_of_the_english_ones() -> None:
    for english, french in clickfr.MESSAGES.items():
        assert fields(french) == fields(english), english
        render(french, fields(english))


def test_french_plural_forms_only_use_fields_click_passes() -> None:
    for (singular, plural), (french_singular, french_plural) in clickfr.PLURALS.items():
        passed = fields(singular) | fields(plural)
        assert fields(french_singular) <= passed, singular
        assert fields(french_plural) == fields(plural), plural
        render(french_singular, passed)
        render(french_plural, passed)


def test_no_french_text_is_the_english_one_unless_on_purpose() -> None:
    pairs = [*clickfr.MESSAGES.items(), *clickfr.TYPE_NAMES.items()]
    for (singular, plural), forms in clickfr.PLURALS.items():
        pairs += [(singular, forms[0]), (plural, forms[1])]
    same = {english for english, french in pairs if french == english}
    same |= {name for name in clickfr.TYPE_NAMES.values() if name in IDENTICAL_ON_PURPOSE}
    assert same == IDENTICAL_ON_PURPOSE


def test_the_tables_hold_only_messages_of_the_installed_click() -> None:
    known = set(singular_msgids()) | set(DYNAMIC_CALLS.values())
    assert set(clickfr.MESSAGES) - known == set()
    assert set(clickfr.PLURALS) - set(plural_msgids()) == set()


def modules_importing_gettext() -> set[str]:
    found = set()
    for module, tree in click_sources().items():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module == "gettext"
                and ({alias.asname or alias.name for alias in node.names} & GETTEXT_NAMES)
            ):
                found.add(module)
    return found


def test_install_covers_every_click_module_that_defines_gettext() -> None:
    assert set(clickfr.CLICK_MODULES) == modules_importing_gettext()
    for name in clickfr.CLICK_MODULES:
        if name in clickfr.WINDOWS_ONLY and sys.platform != "win32":
            continue
        module = importlib.import_module(name)
        assert getattr(module, "_", clickfr.french) is clickfr.french, name
        assert getattr(module, "ngettext", clickfr.french_plural) is clickfr.french_plural, name


def calls_outside_functions(tree: ast.Module) -> list[int]:
    """Lines of `_()` calls run when click is imported (module level, class body,
    default values), before `install()` can translate them."""
    inside = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            body = node.body if isinstance(node.body, list) else [node.body]
            inside |= {id(sub) for statement in body for sub in ast.walk(statement)}
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in GETTEXT_NAMES
        and id(node) not in inside
    ]


def test_click_translates_only_when_its_functions_run() -> None:
    early = {
        module: lines
        for module, tree in click_sources().items()
        if (lines := calls_outside_functions(tree))
    }
    assert early == {}


def test_every_click_parameter_type_has_a_french_name() -> None:
    named = {
        name
        for name, cls in inspect.getmembers(click.types, inspect.isclass)
        if issubclass(cls, click.ParamType) and isinstance(cls.__dict__.get("name"), str)
    }
    assert named == set(clickfr.TYPE_NAMES)
    assert click.INT.name == "entier" and click.STRING.name == "texte"


def test_an_unknown_message_stays_in_english() -> None:
    assert clickfr.french("Not a click message") == "Not a click message"
    assert clickfr.french_plural("one apple", "{n} apples", 2) == "{n} apples"
    assert clickfr.french_plural("one apple", "{n} apples", 1) == "one apple"


def test_french_uses_the_singular_for_zero() -> None:
    pair = ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})")
    assert clickfr.french_plural(*pair, 0) == "Argument en trop ({args})"
    assert clickfr.french_plural(*pair, 2) == "Arguments en trop ({args})"


# --- the real `coop` group ------------------------------------------------------------------------------


def coop(*args: str, **settings: object) -> click.testing.Result:
    return CliRunner().invoke(
        main, list(args), prog_name="coop", catch_exceptions=False, **settings
    )  # type: ignore[arg-type]


def synth(*args: str) -> click.testing.Result:
    """The benchmark's generator: a click command with a required argument and numeric options."""
    from synth import synth_command

    return CliRunner().invoke(
        synth_command, list(args), prog_name="synth.py", catch_exceptions=False
    )


def assert_usage_error(result: click.testing.Result, message: str) -> None:
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Erreur : " in result.output and "Error:" not in result.output
    assert "Usage:" not in result.output and "Try '" not in result.output


def test_unknown_option_is_reported_in_french() -> None:
    result = coop("verifier", "--bse", "main")
    assert_usage_error(result, "Erreur : Option inconnue '--bse'. Vouliez-vous dire '--base' ?")
    assert "Aide : « coop verifier --help »." in result.output


def test_unknown_command_is_reported_in_french() -> None:
    assert_usage_error(
        coop("valider"), "Erreur : Commande inconnue 'valider'. Vouliez-vous dire 'verifier' ?"
    )


def test_missing_argument_is_reported_in_french() -> None:
    assert_usage_error(synth(), "Erreur : Argument manquant 'DEST'.")


def test_option_without_its_value_is_reported_in_french() -> None:
    assert_usage_error(coop("verifier", "--base"), "Erreur : L'option '--base' demande une valeur.")


def test_extra_argument_is_reported_in_french(tmp_path: Path) -> None:
    assert_usage_error(
        synth(str(tmp_path / "a"), str(tmp_path / "b")), "Erreur : Argument en trop ("
    )


def test_invalid_choice_lists_the_choices_in_french() -> None:
    result = coop("verifier", "--format", "xml")
    assert_usage_error(
        result,
        "Valeur invalide pour '--format' : 'xml' n'est pas une valeur possible. "
        "Choisissez parmi : 'text', 'json', 'github'.",
    )


def test_bad_boolean_is_reported_in_french() -> None:
    # flags read their value from the environment when click is run with an envvar prefix
    result = coop("verifier", auto_envvar_prefix="COOP", env={"COOP_VERIFIER_DRAFT": "peut-être"})
    assert_usage_error(
        result,
        "Valeur invalide pour '--brouillon' : 'peut-être' n'est pas un booléen valide. "
        "Valeurs reconnues : ",
    )


def test_invalid_integer_is_reported_in_french(tmp_path: Path) -> None:
    result = synth(str(tmp_path / "dest"), "--protocols", "beaucoup")
    assert_usage_error(
        result,
        "Valeur invalide pour '--protocols' : 'beaucoup' n'est pas un nombre valide (entier).",
    )
    out_of_range = synth(str(tmp_path / "dest"), "--protocols", "0")
    assert_usage_error(
        out_of_range, "Valeur invalide pour '--protocols' : 0 n'est pas dans l'intervalle x>=1."
    )


def test_path_of_the_wrong_kind_is_reported_in_french(repo_root: Path) -> None:
    result = coop("verifier", "--racine", str(repo_root / "README.md"))
    assert_usage_error(
        result,
        f"Valeur invalide pour '--racine' : Dossier '{repo_root / 'README.md'}' est un fichier.",
    )


def test_file_that_cannot_be_opened_is_reported_in_french(tmp_path: Path) -> None:
    target = tmp_path / "absent" / "sortie.txt"

    @click.command()
    def write() -> None:
        click.open_file(str(target), "w", lazy=True).write(
            "x"
        )  # click opens it on first use: FileError

    result = CliRunner().invoke(write, [], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.output.startswith(f"Erreur : Impossible d'ouvrir le fichier '{target}' : ")


def test_issue_file_that_cannot_be_read_is_reported_in_french(
    repo_root: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "issue.md"
    result = coop("depuis-issue", "--racine", str(repo_root), str(missing))
    assert result.exit_code == 1
    assert f"Erreur : Impossible de lire « {missing} »" in result.output


def test_help_headings_are_in_french() -> None:
    result = coop("--help")
    assert result.exit_code == 0
    assert result.output.startswith("Utilisation : coop [OPTIONS] COMMANDE [ARGUMENTS]...")
    for line in (
        "Options :",
        "Commandes :",
        "--version   Afficher la version et quitter.",
        "-h, --help  Afficher cette aide et quitter.",
    ):
        assert line in result.output
    assert not {"Usage:", "Options:", "Commands:", "Show "} & {
        w for w in re.split(r"\s{2,}|\n", result.output)
    }


def test_option_help_extras_are_in_french() -> None:
    result = synth("--help")
    assert result.exit_code == 0
    assert "--protocols ENTIER" in result.output and "[par défaut : 100; x>=1]" in result.output
    assert "--racine DOSSIER" in result.output
    assert "default:" not in result.output and "INTEGER" not in result.output


# a fresh interpreter where click is first used by the generator, not by `coopps.cli`:
# as when a test module imports `synth` before any module imports `coopps.cli`
FIRST_USERS_OF_CLICK = {
    "the generator imported first": [
        "-c",
        "import synth, coopps.cli; synth.synth_command(['--help'], 'synth.py')",
    ],
    "the generator run alone": [str(REPO_ROOT / "bench" / "synth.py"), "--help"],
}


@pytest.mark.parametrize(
    "arguments", FIRST_USERS_OF_CLICK.values(), ids=FIRST_USERS_OF_CLICK.keys()
)
def test_click_speaks_french_whatever_uses_it_first(arguments: list[str]) -> None:
    path = os.pathsep.join(filter(None, [str(REPO_ROOT / "bench"), os.environ.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, *arguments],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": path},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Utilisation : synth.py [OPTIONS] DEST")
    assert "--racine DOSSIER" in result.stdout and "--protocols ENTIER" in result.stdout


def test_interrupted_prompt_is_reported_in_french(repo_root: Path) -> None:
    result = CliRunner().invoke(
        main, ["nouveau", "adhesion", "--racine", str(repo_root)], input="", catch_exceptions=False
    )
    assert result.exit_code == 1
    assert "Code ou nom de la région de l'équipe" in result.output
    assert result.stderr == "Interrompu.\n"


@pytest.fixture
def secret_command() -> click.Command:
    """`coop` asks nothing twice and has no yes/no of click's; a small command shows
    click's own confirmation prompts once `coopps.cli` has translated click."""

    @click.command()
    def secret() -> None:
        click.prompt("Mot de passe", confirmation_prompt=True)
        click.confirm("Écrire le fichier ?", abort=True)

    return secret


def test_prompt_confirmation_is_in_french(secret_command: click.Command) -> None:
    result = CliRunner().invoke(
        secret_command, [], input="a\nb\na\na\npeut-être\nn\n", catch_exceptions=False
    )
    assert result.output.splitlines() == [
        "Mot de passe: a",
        "Saisissez de nouveau pour confirmer: b",
        "Erreur : les deux valeurs saisies diffèrent.",
        "Mot de passe: a",
        "Saisissez de nouveau pour confirmer: a",
        "Écrire le fichier ? [y/N]: peut-être",
        "Erreur : saisie invalide",
        "Écrire le fichier ? [y/N]: n",
        "Interrompu.",
    ]
    assert result.exit_code == 1
