"""Typed options of the `coopps` mkdocs plugin."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class CoopPluginConfig(base.Config):
    # The register's root (protocols/, adhesions/, schemas/), relative to mkdocs.yml.
    registre = c.Type(str, default=".")
    # The git ref whose history dates the register (activation of adhesions, journal).
    ref = c.Type(str, default="HEAD")
    # Entries of the journal page and of the Atom feed.
    journal = c.Type(int, default=200)
    # Decisions git does not hold (declarations closed without merge), read from GitHub by the
    # site workflow (gitops/decisions.py); empty: the file named by COOP_DECISIONS, if any.
    decisions = c.Type(str, default="")
