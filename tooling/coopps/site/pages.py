"""Register → Markdown: every generated page, as one escaped raw HTML block.

Pages read only the public `Catalogue` (model.py). Links are relative and
computed here, because mkdocs does not rewrite links inside raw HTML.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from .html import GeneratedPage, date_fr, esc, generated_page, link_or_text, outside_search, page_url, relative, table, ul
from .map import region_map
from .declaration import PAGE as DECLARATION, declare_link
from .model import IN_PROGRESS, Catalogue, JournalItem, Protocol, Team

HOME = "index.md"
PROTOCOLS = "protocoles/index.md"
REGIONS = "regions/index.md"
SEARCH = "recherche.md"
JOURNAL = "journal.md"
OPEN_DATA = "donnees-ouvertes.md"
FEED = "feed.xml"
STATUS_PAGES = {
    "statuts/autorises.md": ("Protocoles autorisés", ("autorise",)),
    "statuts/en-cours.md": ("Protocoles en cours de validation", IN_PROGRESS),
    "statuts/refuses.md": ("Protocoles refusés", ("refuse",)),
    "statuts/arretes.md": ("Protocoles arrêtés", ("arrete",)),
}
JOURNAL_ON_PAGE = 200


DASHBOARDS = "tableaux-de-bord"


def dashboard_uri(key: str) -> str:
    """`key`: "national" or a region code."""
    return f"{DASHBOARDS}/{key}.md"


def protocol_uri(pid: str) -> str:
    return f"protocoles/{pid}.md"


def region_uri(code: str) -> str:
    return f"regions/{code}.md"


class Pages:
    """Renders every generated page of a catalogue."""

    def __init__(self, catalogue: Catalogue, use_directory_urls: bool = True) -> None:
        self.cat = catalogue
        self.use_directory_urls = use_directory_urls
        self.here = ""

    # -- links -------------------------------------------------------------
    def url(self, uri: str) -> str:
        return page_url(uri, self.use_directory_urls) if uri.endswith(".md") else uri

    def href(self, uri: str) -> str:
        return relative(self.url(self.here), self.url(uri))

    def a(self, uri: str, html_text: str) -> str:
        return f'<a href="{esc(self.href(uri))}">{html_text}</a>'

    def protocol_link(self, pid: str) -> str:
        protocol = self.cat.protocols.get(pid)
        return self.a(protocol_uri(pid), esc(protocol.intitule)) if protocol else esc(pid)

    def region_link(self, code: str) -> str:
        return self.a(region_uri(code), esc(self.cat.region_name(code))) if code in self.cat.region_codes else esc(code)

    def labels(self, referential: str, codes: Iterable[str]) -> str:
        return ", ".join(esc(self.cat.label(referential, c)) for c in codes)

    # -- all pages -----------------------------------------------------------
    def all(self) -> dict[str, GeneratedPage]:
        pages = {
            HOME: self.home, PROTOCOLS: self.protocols_index, REGIONS: self.regions_index,
            SEARCH: self.search, JOURNAL: self.journal,
        }
        out = {uri: self._render(uri, render) for uri, render in pages.items()}
        for uri, (title, codes) in STATUS_PAGES.items():
            out[uri] = self._render(uri, lambda t=title, c=codes: self.status_page(t, c))
        for pid in self.cat.protocols:
            out[protocol_uri(pid)] = self._render(protocol_uri(pid), lambda p=pid: self.protocol_page(p))
        for code in self.cat.region_codes:
            out[region_uri(code)] = self._render(region_uri(code), lambda c=code: self.region_page(c))
        return out

    def _render(self, uri: str, render: object) -> GeneratedPage:
        self.here = uri
        return render()  # type: ignore[operator]

    # -- home ----------------------------------------------------------------
    def home(self) -> GeneratedPage:
        cat = self.cat
        active = sum(cat.active_by_region.values())
        figures = [
            (len(cat.by_status("autorise")), "protocoles autorisés", "statuts/autorises.md"),
            (len(cat.by_status(*IN_PROGRESS)), "protocoles en cours de validation", "statuts/en-cours.md"),
            (active, "adhésions actives d'équipes", REGIONS),
            (len(cat.protocols), "protocoles au registre", PROTOCOLS),
        ]
        chiffres = "".join(
            f'<li>{self.a(uri, f"<strong>{n}</strong> {esc(text)}")}</li>' for n, text, uri in figures
        )
        body = [
            "<h1>Registre des protocoles de coopération</h1>",
            "<p>Le registre ouvert des protocoles de coopération entre professionnels de santé "
            "(articles L.4011-1 à L.4011-3 du code de la santé publique) et des équipes qui les appliquent, "
            "tenu en GitOps : chaque protocole et chaque adhésion est un fichier du dépôt, relu par l'ARS.</p>",
            f'<ul class="coop-chiffres">{chiffres}</ul>',
            f'<p>{self.a(SEARCH, "Rechercher un protocole")} par région, profession, nature des actes ou mot-clé · '
            f'{self.a(OPEN_DATA, "Données ouvertes")} · {self.a(JOURNAL, "Journal du registre")} '
            f'(<a href="{esc(self.href(FEED))}">flux Atom</a>)</p>',
            '<h2 id="carte">Carte des régions</h2>',
            "<p>Chaque région mène à sa page : protocoles applicables et équipes actives.</p>",
            f'<div class="coop-carte-bloc">{region_map(self._names(), cat.active_by_region, self._region_href)}</div>',
            self.regions_table(),
        ]
        return generated_page("Accueil", "\n".join(body))

    def _names(self) -> dict[str, str]:
        return {code: self.cat.region_name(code) for code in self.cat.region_codes}

    def _region_href(self, code: str) -> str:
        return self.href(region_uri(code))

    def regions_table(self) -> str:
        rows = [
            [self.region_link(code), str(len(self.cat.applicable_in(code))), str(self.cat.active_by_region.get(code, 0))]
            for code in self.cat.region_codes
        ]
        return table(["Région", "Protocoles applicables", "Adhésions actives"], rows, "Les 18 régions")

    # -- lists of protocols --------------------------------------------------
    def protocol_table(self, protocols: list[Protocol], caption: str | None = None, dated: bool = False) -> str:
        if not protocols:
            return "<p>Aucun protocole.</p>"
        rows = [
            [
                self.protocol_link(p.id) + f'<br><small class="coop-id">{esc(p.id)}</small>',
                esc(self.cat.label("portee", p.portee)),
                self.status_badge(p.statut),
                self.region_link(p.get("region")) if p.get("region") else "—",
                self.labels("profession", p.sub("professions").get("delegues", [])),
                str(len(p.active_teams)),
                *([self.last_event(p.last_event, p.stale)] if dated else []),
            ]
            for p in protocols
        ]
        headers = ["Protocole", "Portée", "Statut", "Région", "Délégués", "Équipes actives"]
        return table(headers + (["Dernier événement"] if dated else []), rows, caption)

    @staticmethod
    def last_event(date: str | None, stale: bool) -> str:
        """The date of the last event; « sans nouvelle depuis plus de deux ans » when stale."""
        if not date:
            return "non connu"
        mark = '<br><small class="coop-ancien">sans nouvelle depuis plus de deux ans</small>' if stale else ""
        return f'<time datetime="{esc(date)}">{esc(date_fr(date))}</time>{mark}'

    def status_badge(self, code: str) -> str:
        return f'<span class="coop-statut coop-statut-{esc(code)}">{esc(self.cat.label("statut_protocole", code))}</span>'

    def protocols_index(self) -> GeneratedPage:
        body = [
            "<h1>Tous les protocoles</h1>",
            f"<p>{len(self.cat.protocols)} protocoles au registre. "
            f'{self.a(SEARCH, "La recherche")} permet de filtrer par région, profession et nature des actes.</p>',
            self.protocol_table(self.cat.sorted_protocols),
        ]
        return generated_page("Tous les protocoles", "\n".join(body), search=False)

    def status_page(self, title: str, codes: tuple[str, ...]) -> GeneratedPage:
        protocols = self.cat.by_status(*codes)
        statuses = self.labels("statut_protocole", codes)
        body = [f"<h1>{esc(title)}</h1>", f"<p>{len(protocols)} protocole(s) au statut : {statuses}. "
                "La dernière colonne donne la date du dernier événement connu (dépôt, avis, arrêté, "
                "mise à jour de la fiche).</p>",
                self.protocol_table(protocols, dated=True)]
        return generated_page(title, "\n".join(body), search=False)

    # -- regions -------------------------------------------------------------
    def regions_index(self) -> GeneratedPage:
        body = ["<h1>Régions</h1>", "<p>Protocoles applicables et équipes actives, région par région.</p>",
                self.regions_table()]
        return generated_page("Régions", "\n".join(body), search=False)

    def region_page(self, code: str) -> GeneratedPage:
        cat = self.cat
        name = cat.region_name(code)
        protocols = cat.protocols_in_region(code)
        authorised = cat.applicable_in(code)
        others = [p for p in protocols if not p.applicable and p.portee != "national"]
        search = self.href(SEARCH) + f"?region={code}"
        body = [
            f"<h1>{esc(name)}</h1>",
            f'<p>Code de région : {esc(code)} · {len(authorised)} protocoles autorisés applicables · '
            f"{cat.active_by_region.get(code, 0)} adhésions actives · "
            f'<a href="{esc(search)}">rechercher parmi les protocoles de la région</a> · '
            f'{self.a(dashboard_uri(code), "tableau de bord de la région")}</p>',
            self.by_delegate_profession(code, authorised),
            '<h2 id="protocoles">Protocoles autorisés applicables</h2>',
            "<p>Les protocoles nationaux, les protocoles régionaux autorisés ou étendus dans la région "
            "et les protocoles locaux de ses équipes.</p>",
            self.protocol_table(authorised),
        ]
        if others:
            body += ['<h2 id="autres">Autres protocoles de la région</h2>',
                     "<p>Déposés, en cours de validation, refusés ou arrêtés.</p>", self.protocol_table(others)]
        body += ['<h2 id="equipes">Équipes par protocole</h2>', self.teams_by_protocol(code, protocols)]
        return generated_page(name, "\n".join(body), search=False)

    def by_delegate_profession(self, code: str, protocols: list[Protocol]) -> str:
        """Links to the search, filtered on the region and one délégué profession (with counts)."""
        counts = Counter(d for p in protocols for d in set(p.sub("professions").get("delegues", [])))
        search = self.href(SEARCH)
        links = [
            f'<a href="{esc(search)}?region={esc(code)}&amp;statut=autorise&amp;delegue={esc(prof)}">'
            f'{esc(self.cat.label("profession", prof))} ({n})</a>'
            for prof, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        ]
        return f'<p class="coop-raccourcis">Protocoles autorisés ouverts, par profession déléguée : {" · ".join(links)}</p>' \
            if links else ""

    def teams_by_protocol(self, code: str, protocols: list[Protocol]) -> str:
        blocks = []
        for protocol in protocols:
            teams = self.cat.teams_of(protocol.id, code)
            if teams:
                active = sum(1 for t in teams if t.active)
                blocks.append(f'<h3 id="p-{esc(protocol.id)}">{self.protocol_link(protocol.id)}</h3>'
                              f"<p>{active} équipe(s) active(s) sur {len(teams)}.</p>" + self.team_table(teams))
        return "\n".join(blocks) or "<p>Aucune équipe n'a encore déclaré d'adhésion dans cette région.</p>"

    def team_table(self, teams: list[Team]) -> str:
        rows = [
            [esc(t.nom), esc(self.cat.label("cadre_exercice", t.structure)), esc(t.commune), str(t.delegants),
             str(t.delegues),
             f'<span class="coop-adhesion coop-adhesion-{esc(t.status)}">{esc(t.status_phrase or t.status_label)}</span>',
             self.last_event(t.last_event, False)]
            for t in teams
        ]
        # Team lists stay out of the header search index: at national scale they would
        # make most of it, and the catalogue's own search is about protocols.
        headers = ["Équipe", "Structure", "Commune", "Délégants", "Délégués", "Statut", "Dernier événement"]
        return outside_search(table(headers, rows))

    # -- one protocol ----------------------------------------------------------
    def protocol_page(self, pid: str) -> GeneratedPage:
        p = self.cat.protocols[pid]
        sections = [
            f'<h1>{esc(p.intitule)}</h1><p class="coop-etiquettes">{self.status_badge(p.statut)} '
            f'<span class="coop-portee">{esc(self.cat.label("portee", p.portee))}</span></p>',
            declare_link(p, self.href(DECLARATION)), self.summary(p), self.professions(p), self.acts(p), self.training(p), self.indicators(p),
            self.decisions(p), self.documents(p), self.applying_regions(p), self.adhering_teams(p), self.timeline(p),
        ]
        return generated_page(f"{p.intitule} ({pid})", "\n".join(s for s in sections if s))

    @staticmethod
    def dl(rows: list[tuple[str, str]]) -> str:
        items = "".join(f"<dt>{term}</dt><dd>{value}</dd>" for term, value in rows if value)
        return f'<dl class="coop-resume">{items}</dl>' if items else ""

    def summary(self, p: Protocol) -> str:
        region = p.get("region")
        old = p.get("ancienne_region")
        rows = [
            ("Numéro", f"<code>{esc(p.id)}</code>"),
            ("Intitulé", esc(p.intitule)),
            ("Portée", esc(self.cat.label("portee", p.portee))),
            ("Statut", self.status_badge(p.statut)),
            ("Date de dépôt", esc(date_fr(p.get("date_depot")))),
            ("Région", self.region_link(region) if region else "Toutes (protocole national)" if p.portee == "national" else ""),
            ("Ancienne région", esc(self.cat.label("ancienne_region", old)) if old else ""),
            ("Promoteurs", ", ".join(esc(x) for x in p.items("promoteurs"))),
            ("Équipe promotrice", f"<code>{esc(p.get('equipe_promotrice'))}</code>" if p.get("equipe_promotrice") else ""),
            ("Dossier historique", "oui : dates et détails absents des sources" if p.get("historique") else ""),
            ("Notes", esc(p.get("notes")) if p.get("notes") else ""),
        ]
        return '<h2 id="resume">Résumé</h2>' + self.dl(rows)

    def professions(self, p: Protocol) -> str:
        prof = p.sub("professions")
        rows = [
            ("Délégants", self.labels("profession", prof.get("delegants", []))),
            ("Délégués", self.labels("profession", prof.get("delegues", []))),
            ("Spécialités", ", ".join(esc(s) for s in p.items("specialites"))),
        ]
        return '<h2 id="professions">Professions</h2>' + self.dl(rows)

    def acts(self, p: Protocol) -> str:
        rows = [
            ("Nature des actes", self.labels("nature_acte", p.items("nature_actes"))),
            ("Cadres d'exercice", self.labels("cadre_exercice", p.items("cadres_exercice"))),
            ("Modes d'exercice", self.labels("mode_exercice", p.items("modes_exercice"))),
        ]
        acts = ul(esc(a) for a in p.items("actes_derogatoires"))
        return '<h2 id="actes">Actes</h2>' + self.dl(rows) + (f"<p>Actes dérogatoires :</p>{acts}" if acts else "")

    def training(self, p: Protocol) -> str:
        formation = p.sub("formation")
        if not formation:
            return ""
        hours = formation.get("duree_heures")
        rows = [("Durée", f"{esc(hours)} heures" if hours is not None else ""),
                ("Contenu", esc(formation.get("description", "")))]
        return '<h2 id="formation">Formation des délégués</h2>' + self.dl(rows)

    def indicators(self, p: Protocol) -> str:
        items = p.items("indicateurs")
        if not items:
            return ""
        rows = [[esc(i.get("libelle", "")), f"<code>{esc(i.get('cle', ''))}</code>",
                 esc(self.cat.label("type_indicateur", i.get("type", ""))), esc(i.get("unite", ""))] for i in items]
        return '<h2 id="indicateurs">Indicateurs de suivi</h2>' + table(["Indicateur", "Clé", "Type", "Unité"], rows)

    def decisions(self, p: Protocol) -> str:
        avis, arrete, arret = p.sub("avis_has"), p.sub("arrete"), p.sub("arret")
        rows = []
        if avis:
            sens = self.cat.label("sens_avis", avis["sens"]) if avis.get("sens") else ""
            parts = (date_fr(avis.get("date")), sens, avis.get("reference"))
            rows.append(("Avis de la HAS", " · ".join(esc(x) for x in parts if x)))
        if arrete:
            decree = [esc(date_fr(arrete.get("date"))), esc(arrete.get("reference", ""))]
            if arrete.get("url"):
                decree.append(link_or_text(arrete["url"], "texte de l'arrêté"))
            rows.append(("Arrêté d'autorisation", " · ".join(x for x in decree if x)))
        if arret:
            rows.append(("Arrêt", " · ".join(esc(x) for x in (date_fr(arret.get("date")), arret.get("motif")) if x)))
        return '<h2 id="decisions">Avis et arrêtés</h2>' + self.dl(rows) if rows else ""

    def documents(self, p: Protocol) -> str:
        docs = [
            f'{link_or_text(d.get("url"), d.get("titre") or d.get("url"))} '
            f'<small>({esc(self.cat.label("type_document", d.get("type", "")))})</small>'
            for d in p.items("documents")
        ]
        sources = [link_or_text(s) for s in p.items("sources")]
        if not docs and not sources:
            return ""
        out = '<h2 id="documents">Documents et sources</h2>'
        out += f"<p>Documents :</p>{ul(docs)}" if docs else ""
        return out + (f"<p>Sources :</p>{ul(sources)}" if sources else "")

    def applying_regions(self, p: Protocol) -> str:
        if p.portee == "national":
            text = "<p>Protocole national : applicable dans toutes les régions.</p>"
        else:
            text = ul(self.region_link(code) for code in p.regions) or "<p>—</p>"
        return '<h2 id="regions">Régions d\'application</h2>' + text

    def adhering_teams(self, p: Protocol) -> str:
        out = '<h2 id="equipes">Équipes adhérentes</h2>'
        if not p.teams:
            return out + "<p>Aucune équipe n'a encore déclaré d'adhésion à ce protocole.</p>"
        by_region: dict[str, list[Team]] = defaultdict(list)
        for team in p.teams:
            by_region[team.region].append(team)
        out += f"<p>{len(p.active_teams)} équipe(s) active(s) sur {len(p.teams)} déclarée(s).</p>"
        for code in sorted(by_region, key=self.cat.region_name):
            out += f"<h3>{self.region_link(code)}</h3>" + self.team_table(by_region[code])
        return out

    def timeline(self, p: Protocol) -> str:
        """The procedure's dates and the register's changes, in date order, each labelled for what it is."""
        items = [f"<strong>{esc(date_fr(e.date))}</strong> — {esc(e.label)}" for e in p.events]
        out = '<h2 id="historique">Historique</h2>'
        return out + (ul(items, class_="coop-frise") if items else "<p>Aucune date connue.</p>")

    # -- journal -----------------------------------------------------------------
    def journal_subject(self, item: JournalItem) -> str:
        if item.team_id:
            protocol = self.cat.protocols.get(item.protocol_id)
            team = next((t for t in protocol.teams if t.team_id == item.team_id and t.region == item.region), None) \
                if protocol else None
            name = esc(team.nom) if team else f"<code>{esc(item.team_id)}</code>"
            return f"Équipe {name} ({self.region_link(item.region)}) — {self.protocol_link(item.protocol_id)}"
        return f"Protocole {self.protocol_link(item.protocol_id)}"

    def journal(self) -> GeneratedPage:
        items = [
            f'<time datetime="{esc(i.date)}">{esc(date_fr(i.date))}</time> — {esc(i.detail)} : {self.journal_subject(i)}'
            for i in self.cat.journal[:JOURNAL_ON_PAGE]
        ]
        body = [
            "<h1>Journal du registre</h1>",
            f'<p>Les derniers changements du registre, du plus récent au plus ancien. '
            f'Pour être alerté : <a href="{esc(self.href(FEED))}">flux Atom</a>.</p>',
            ul(items, class_="coop-journal") or "<p>Aucun événement : le registre n'a pas encore d'historique git.</p>",
        ]
        return generated_page("Journal du registre", "\n".join(body), search=False)

    # -- search ------------------------------------------------------------------
    def search(self) -> GeneratedPage:
        from .search import search_page

        return search_page(self.cat, self.href("recherche.json"))


