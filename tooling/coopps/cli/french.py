"""Click's own words (help headings, usage errors, prompts) in French.

Click marks its messages for gettext (`_("Usage:")`) but ships no catalogue.
Everything `coop` prints is for French users, so `install()` points the `_`
and `ngettext` of every click module that imports them at the tables below,
and gives click's parameter types French names (they appear in help metavars
such as `ENTIER` and in messages such as « n'est pas un nombre valide (entier) »).

Why Python dicts and not a gettext catalogue (`.po`/`.mo`): click has about
eighty messages, one language and no translators' workflow; a dict needs no
build step, no binary file in the repository and reads in a diff. What a
catalogue would guarantee is checked by `tests/test_cli_french.py` instead:
it scans the installed click's source with `ast` and fails on a message that
has no French text, on a French text whose format fields differ from the
English ones (so `.format(**kwargs)` can never raise KeyError), and on a
module that defines `_` or `ngettext` and is missing from `CLICK_MODULES`.
A message click adds later stays in English rather than failing.
"""

from __future__ import annotations

import importlib
import sys

import click

# msgid -> French, for `_("…")` (gettext)
MESSAGES: dict[str, str] = {
    # help pages; click writes a section heading as f"{heading}:", the trailing
    # space gives the French « Options : »
    "Usage:": "Utilisation :",
    "Options": "Options ",
    "Commands": "Commandes ",
    "Positional arguments": "Arguments ",
    "Show this message and exit.": "Afficher cette aide et quitter.",
    "Show the version and exit.": "Afficher la version et quitter.",
    "Confirm the action without prompting.": "Confirmer l'action sans poser la question.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "default: {default}": "par défaut : {default}",
    "env var: {var}": "variable d'environnement : {var}",
    "required": "obligatoire",
    "deprecated": "obsolète",
    "(dynamic)": "(dynamique)",
    # usage errors
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "Aide : « {command} {option} ».",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Missing argument": "Argument manquant",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing {param_type}": "Paramètre manquant ({param_type})",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "Missing command.": "Commande manquante.",
    "No such option {name!r}.": "Option inconnue {name!r}.",
    "No such command {name!r}.": "Commande inconnue {name!r}.",
    "Option {name!r} does not take a value.": "L'option {name!r} ne prend pas de valeur.",
    "Argument {name!r} takes {nargs} values.": "L'argument {name!r} prend {nargs} valeurs.",
    "Invalid start character for option ({option})": "Caractère initial invalide pour l'option ({option})",
    "Value must be an iterable.": "La valeur doit être une liste de valeurs.",
    "Aborted!": "Interrompu.",
    "unknown error": "erreur inconnue",
    "Could not open file {filename!r}: {message}": "Impossible d'ouvrir le fichier {filename!r} : {message}",
    # parameter types
    "file": "fichier",
    "directory": "dossier",
    "path": "chemin",
    "{name} {filename!r} does not exist.": "{name} {filename!r} n'existe pas.",
    "{name} {filename!r} is a file.": "{name} {filename!r} est un fichier.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} est un dossier.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} n'est pas lisible.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} n'est pas accessible en écriture.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} n'est pas exécutable.",
    "{value!r} is not a valid {number_type}.": "{value!r} n'est pas un nombre valide ({number_type}).",
    "{value} is not in the range {range}.": "{value} n'est pas dans l'intervalle {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} n'est pas un booléen valide. Valeurs reconnues : {states}",
    "{value!r} is not a valid UUID.": "{value!r} n'est pas un UUID valide.",
    "Choose from:\n\t{choices}": "Choisissez parmi :\n\t{choices}",
    "Choice({choices})": "Choice({choices})",
    # prompts and terminal
    "Do you want to continue?": "Voulez-vous continuer ?",
    "Repeat for confirmation": "Saisissez de nouveau pour confirmer",
    "Error: The two entered values do not match.": "Erreur : les deux valeurs saisies diffèrent.",
    "Error: invalid input": "Erreur : saisie invalide",
    "Press any key to continue...": "Appuyez sur une touche pour continuer…",
    "Unknown color {colour!r}": "Couleur inconnue {colour!r}",
    "Unknown standard stream '{name}'": "Flux standard inconnu '{name}'",
    "d": "j",
    "{editor}: Editing failed": "{editor} : échec de l'édition",
    "{editor}: Editing failed: {e}": "{editor} : échec de l'édition : {e}",
    "Windows error: {error}": "Erreur Windows : {error}",
    "Couldn't detect Bash version, shell completion is not supported.": "Version de Bash inconnue : la complétion automatique n'est pas disponible.",
    "Shell completion is not supported for Bash versions older than 4.4.": "La complétion automatique demande Bash 4.4 ou plus récent.",
    # mistakes in a command's definition (developers)
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": "DeprecationWarning : la commande {name!r} est obsolète.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": "DeprecationWarning : le paramètre {name!r} ({param_type}) est obsolète.{extra_message}",
    "Could not determine name for option with declarations {decls!r}": "Impossible de déterminer le nom de l'option déclarée par {decls!r}",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? "
    "Did you mean to pass '--{name}'?": "Aucune option déclarée, mais un nom est donné ({name}). Vouliez-vous déclarer un argument ? "
    "Ou écrire '--{name}' ?",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.": "Un argument se déclare par un seul nom ; reçu {length} : {decls}.",
    "Name '{name}' defined twice": "Nom '{name}' défini deux fois",
    "Boolean option {decl!r} cannot use the same flag for true/false.": "L'option booléenne {decl!r} ne peut pas utiliser le même drapeau pour vrai et pour faux.",
}

# (singular, plural) msgids of `ngettext` -> French (singular, plural); French uses the
# singular for 0 and 1. Click passes the fields of both forms to `.format`.
PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): (
        "Argument en trop ({args})",
        "Arguments en trop ({args})",
    ),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "La seule valeur possible est {choice}, pas {value!r}.",
        "{value!r} n'est pas une valeur possible. Choisissez parmi : {choices}.",
    ),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "L'option {name!r} demande une valeur.",
        "L'option {name!r} demande {nargs} valeurs.",
    ),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "Vouliez-vous dire {possibility} ?",
        "(Vouliez-vous dire : {possibilities} ?)",
    ),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): (
        "{nargs} valeurs attendues, {len} reçue.",
        "{nargs} valeurs attendues, {len} reçues.",
    ),
    (
        "{value!r} does not match the format {format}.",
        "{value!r} does not match the formats {formats}.",
    ): (
        "{value!r} ne respecte pas le format {format}.",
        "{value!r} ne respecte aucun des formats {formats}.",
    ),
    (
        "{len_type} values are required, but {len_value} was given.",
        "{len_type} values are required, but {len_value} were given.",
    ): (
        "{len_type} valeurs attendues, {len_value} reçue.",
        "{len_type} valeurs attendues, {len_value} reçues.",
    ),
}

# click.types class name -> French `name` (shown upper-cased as the metavar: `--seed ENTIER`)
TYPE_NAMES: dict[str, str] = {
    "BoolParamType": "booléen",
    "Choice": "choix",
    "DateTime": "date",
    "File": "fichier",
    "FloatParamType": "décimal",
    "FloatRange": "décimal",
    "IntParamType": "entier",
    "IntRange": "entier",
    "StringParamType": "texte",
    "UnprocessedParamType": "texte",
    "UUIDParameterType": "uuid",
}

# every click module that does `from gettext import gettext as _` (or ngettext);
# the test checks this list against the installed click's source
CLICK_MODULES: tuple[str, ...] = (
    "click._termui_impl",
    "click._winconsole",
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.shell_completion",
    "click.termui",
    "click.types",
    "click.utils",
)
WINDOWS_ONLY = frozenset({"click._winconsole"})


def french(message: str) -> str:
    return MESSAGES.get(message, message)


def french_plural(singular: str, plural: str, count: int) -> str:
    forms = PLURALS.get((singular, plural))
    if forms is None:
        return singular if count == 1 else plural
    return forms[0] if count <= 1 else forms[1]


def install() -> None:
    """Translate click for this process; call it before any click command is defined."""
    for name in CLICK_MODULES:
        if name in WINDOWS_ONLY and sys.platform != "win32":
            continue
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = french  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = french_plural  # type: ignore[attr-defined]
    for class_name, french_name in TYPE_NAMES.items():
        getattr(click.types, class_name).name = french_name
