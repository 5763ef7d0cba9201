"""The one Jinja environment of the site: every generated page, chart and map is a template.

Autoescape is on for every template, so a value from the register reaches a page
escaped unless code marks it `Markup`. Only two kinds of values are `Markup`:
what a template of this package rendered (it escaped its own values), and the
fixed markers of `html.outside_search`. Undefined names fail the build
(`StrictUndefined`) instead of printing nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined, Template
from markupsafe import Markup

from ..applicability import of_reason
from ..wording import french_date, plural
from .html import GeneratedPage, generated_page, outside_search, safe_url


def number(value: float) -> str:
    """French display of a number: no trailing `.0`, a comma as decimal mark."""
    return (f"{value:g}" if value != int(value) else str(int(value))).replace(".", ",")


_COOP_PS_NUMBER = re.compile(r"\d{2}-\d{10}")


def coop_ps_number(identifier: str) -> str:
    """The protocol's number in COOP-PS (« 11-0000000004 »), or "" for the register's own
    identifiers (« nat-asalee »), which are file names, not numbers a professional knows."""
    return identifier if _COOP_PS_NUMBER.fullmatch(str(identifier)) else ""


def site_name(source: str) -> str:
    """The text of a link to a source: the site's name (`www.` dropped) for a safe URL, else the text itself."""
    host = urlsplit(source).hostname if safe_url(source) else None
    return host.removeprefix("www.") if host else source


@dataclass(frozen=True)
class Link:
    """A table cell that is a link inside the site."""

    href: str
    text: Any

    def __html__(self) -> str:
        # Markup.format escapes both values: the cell is safe whatever they hold.
        return Markup('<a href="{}">{}</a>').format(self.href, self.text)


def _bytecode_cache() -> FileSystemBytecodeCache | None:
    """Jinja's cache in the user's temporary folder; none when that folder is not safe to use."""
    try:
        return FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("coopps.site", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates ship with the package: never stat them again
        # Compiled templates kept between builds (in the user's temporary folder, keyed by the
        # template's source): compiling them all costs about 0.15 s per build, loading them 10 ms.
        bytecode_cache=_bytecode_cache(),
    )
    env.filters.update(
        safe_url=safe_url,
        date_fr=french_date,
        number=number,
        outside_search=outside_search,
        plural=plural,
        site_name=site_name,
        deduced_of=of_reason,
        coop_ps_number=coop_ps_number,
    )
    return env


ENV = _environment()


@cache
def template(name: str) -> Template:
    """A template of `templates/`, compiled once per process."""
    return ENV.get_template(name)


def render(name: str, /, **context: Any) -> Markup:
    """The template `name` rendered with `context`: safe HTML, its values escaped."""
    return Markup(template(name).render(context))  # autoescaped output of our own template


def render_page(name: str, title: str, /, *, search: bool = True, **context: Any) -> GeneratedPage:
    """A generated page whose HTML is the template `name`; `title` is made plain (`html.plain_title`)."""
    return generated_page(title, render(name, **context), search=search)
