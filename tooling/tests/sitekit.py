"""Helpers of the site tests: a copy of the shipped register (optionally a git
repository) and an in-process `mkdocs build`."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
SITE_FILES = ("mkdocs.yml", "overrides", "docs", "schemas", "protocols", "adhesions")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Équipe de test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Équipe de test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "GIT_AUTHOR_DATE": "2024-05-02T12:00:00+00:00",
    "GIT_COMMITTER_DATE": "2024-05-02T12:00:00+00:00",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}

XSS_TITLE = (
    "Protocole piégé <script>window.__xss=1;alert('xss')</script> <img src=x onerror=\"window.__xss=2\"> "
    "[clic](javascript:window.__xss=3) **gras**"
)
XSS_PROTOCOL = f"""# yaml-language-server: $schema=../schemas/protocole.schema.json
intitule: {json.dumps(XSS_TITLE)}
portee: national
statut: autorise
professions:
  delegants: [medecin]
  delegues: [orthoptiste]
nature_actes: [depistage]
actes_derogatoires:
  - "<b>gras</b> et <iframe src=javascript:alert(4)></iframe>"
arrete:
  date: 2023-01-10
notes: "[lien](javascript:alert(5)) <svg onload=alert(6)>"
"""


def copy_register(
    dest: Path, extra: dict[str, str] | None = None, *, with_git: bool = False
) -> Path:
    """The shipped register, site configuration and docs, copied into `dest` (plus `extra` files)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in SITE_FILES:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, dirs_exist_ok=True)
        elif source.exists():
            shutil.copy2(source, dest / name)
    for rel, text in (extra or {}).items():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).write_text(text, encoding="utf-8")
    if with_git:
        commit_all(dest, "Registre initial")
    return dest


def commit_all(root: Path, message: str) -> None:
    env = {**os.environ, **GIT_ENV}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", message]):
        subprocess.run(["git", "-C", str(root), *args], check=True, env=env, capture_output=True)


def build_site(root: Path, site_dir: Path, *, strict: bool = True) -> Path:
    """`mkdocs build [--strict]` of the register at `root`, in process."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=strict)
    build(config)
    return site_dir


# Browser tests: Debian's chromium driven by Playwright (never `playwright install`: it cannot download here).
CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """A quiet static server of `folder` on a free port of 127.0.0.1; yields its base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium_browser() -> Iterator[Any]:
    """Debian's chromium, headless, with the flags this closed network needs."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def watched_page(browser: Any, base_url: str, width: int = 1280, **options: Any) -> Iterator[Any]:
    """A French page of a fresh context whose `elsewhere` lists JavaScript errors and every request
    that leaves the site (`blob:` downloads stay in the browser)."""
    height = 844 if width < 500 else 900
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="fr-FR", **options
    )
    page = context.new_page()
    page.elsewhere = []
    page.on("pageerror", lambda error: page.elsewhere.append(f"erreur JavaScript : {error}"))
    page.on(
        "request",
        lambda r: None if r.url.startswith((base_url, "blob:")) else page.elsewhere.append(r.url),
    )
    try:
        yield page
    finally:
        context.close()
