/* Faceted search of the catalogue (coop-ps as code). Plain JavaScript, no dependency.
 * Reads recherche.json, filters in the browser, keeps the filters in the URL.
 * Every text is inserted with textContent: nothing from the index is parsed as HTML. */
(function () {
  "use strict";

  /* Folding: the mirror of fold/singular/words in tooling/coopps/site/search.py
   * (a browser test checks that both give the same words). */
  /* The keyword's name in the URL: not `q`, which Material's header search reads on every page
   * to open its own dialog (docs/developpeurs/site.md). */
  var KEYWORD = "mot";
  var STOP_WORDS = "a au aux d de des du en et l la le les ou par pour sur un une".split(" ");

  function fold(text) {
    return String(text || "")
      .replace(/[œŒ]/g, "oe").replace(/[æÆ]/g, "ae")
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^0-9a-z]+/g, " ").trim();
  }

  function singular(word) {
    if (word.length > 4 && /aux$/.test(word)) { return word.slice(0, -3) + "al"; }
    if (word.length > 3 && /[sx]$/.test(word) && !/ss$/.test(word)) { return word.slice(0, -1); }
    return word;
  }

  function words(text) {
    return fold(text).split(" ").filter(function (w) {
      return w.length > 1 && STOP_WORDS.indexOf(w) === -1;
    }).map(singular);
  }

  /* French plural: 0 and 1 take the singular. */
  function plural(count, one, many) {
    return count + " " + (count < 2 ? one : many);
  }

  /* Ranking (search.py says why): the weight of the heaviest field a query word is in, halved
   * when the word only starts a word there; a query met as a run of words in a field adds that
   * field's weight; equal scores keep the index's order among equals (`rang`). */
  var FIELDS = [["titre", 8], ["courants", 6], ["actes", 4], ["mots", 1]];

  function prepare(rec) {
    FIELDS.forEach(function (field) { rec["_" + field[0]] = " " + (rec[field[0]] || "") + " "; });
    return rec;
  }

  function wordScore(rec, word) {
    var best = 0;
    FIELDS.forEach(function (field) {
      var text = rec["_" + field[0]];
      if (text.indexOf(" " + word + " ") !== -1) { best = Math.max(best, field[1]); }
      else if (text.indexOf(" " + word) !== -1) { best = Math.max(best, field[1] / 2); }
    });
    return best;
  }

  function score(rec, queryWords) {
    var total = 0;
    for (var i = 0; i < queryWords.length; i += 1) {
      var found = wordScore(rec, queryWords[i]);
      if (!found) { return 0; }
      total += found;
    }
    if (queryWords.length > 1) {
      var run = " " + queryWords.join(" ") + " ";
      FIELDS.forEach(function (field) { if (rec["_" + field[0]].indexOf(run) !== -1) { total += field[1]; } });
    }
    return total;
  }

  /* The records that hold every query word, best first (all of them, in their order, for no word). */
  function rank(records, query) {
    var queryWords = words(query);
    if (!queryWords.length) { return records.slice(); }
    return records.map(function (rec) { return { rec: rec, score: score(rec, queryWords) }; })
      .filter(function (hit) { return hit.score > 0; })
      .sort(function (a, b) { return b.score - a.score || (a.rec.rang || 0) - (b.rec.rang || 0); })
      .map(function (hit) { return hit.rec; });
  }

  window.coopRecherche = { words: words, plural: plural, prepare: prepare, rank: rank };

  function readState(names, params) {
    var state = { q: params.get(KEYWORD) || "", du: params.get("du") || "", au: params.get("au") || "", facets: {} };
    names.forEach(function (name) {
      var values = [];
      params.getAll(name).forEach(function (v) { v.split(",").forEach(function (x) { if (x) { values.push(x); } }); });
      state.facets[name] = values;
    });
    return state;
  }

  function boxes(form, name) {
    return Array.prototype.slice.call(form.querySelectorAll('input[type="checkbox"][name="' + name + '"]'));
  }

  function stateFromForm(ctx) {
    var form = ctx.form;
    var state = { q: form.elements[KEYWORD].value.trim(), du: form.elements.du.value, au: form.elements.au.value, facets: {} };
    ctx.names.forEach(function (name) {
      state.facets[name] = boxes(form, name).filter(function (box) { return box.checked; })
        .map(function (box) { return box.value; });
    });
    return state;
  }

  function applyToForm(ctx, state) {
    var form = ctx.form;
    form.elements[KEYWORD].value = state.q;
    form.elements.du.value = state.du;
    form.elements.au.value = state.au;
    ctx.names.forEach(function (name) {
      boxes(form, name).forEach(function (box) { box.checked = state.facets[name].indexOf(box.value) !== -1; });
    });
  }

  function toQuery(ctx, state) {
    var params = new URLSearchParams();
    if (state.q) { params.set(KEYWORD, state.q); }
    ctx.names.forEach(function (name) { state.facets[name].forEach(function (v) { params.append(name, v); }); });
    if (state.du) { params.set("du", state.du); }
    if (state.au) { params.set("au", state.au); }
    var text = params.toString();
    return text ? "?" + text : "";
  }

  function matchesFacets(ctx, rec, state, except) {
    return ctx.names.every(function (name) {
      var wanted = state.facets[name];
      if (name === except || wanted.length === 0) { return true; }
      return rec.facettes[name].some(function (v) { return wanted.indexOf(v) !== -1; });
    });
  }

  function matchesDates(rec, state) {
    if (!state.du && !state.au) { return true; }
    // Dépôt or arrêté in the period (dates_filtre), else the one reference date.
    var dates = rec.dates_filtre && rec.dates_filtre.length ? rec.dates_filtre : (rec.date ? [rec.date] : []);
    return dates.some(function (d) { return (!state.du || d >= state.du) && (!state.au || d <= state.au); });
  }

  function activeFilters(ctx, state) {
    var count = state.du || state.au ? 1 : 0;
    ctx.names.forEach(function (name) { count += state.facets[name].length; });
    return count;
  }

  function updateCounts(ctx, base, state) {
    ctx.names.forEach(function (name) {
      var counts = {};
      base.forEach(function (rec) {
        if (!matchesFacets(ctx, rec, state, name)) { return; }
        rec.facettes[name].forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
      });
      ctx.form.querySelectorAll('.coop-n[data-facette="' + name + '"]').forEach(function (span) {
        span.textContent = "(" + (counts[span.getAttribute("data-valeur")] || 0) + ")";
      });
    });
  }

  function render(ctx, state) {
    var base = rank(ctx.records, state.q).filter(function (rec) { return matchesDates(rec, state); });
    var results = base.filter(function (rec) { return matchesFacets(ctx, rec, state, null); });
    updateCounts(ctx, base, state);
    var list = ctx.list;
    while (list.firstChild) { list.removeChild(list.firstChild); }
    results.forEach(function (rec) { list.appendChild(item(ctx, rec)); });
    ctx.count.textContent = results.length === 0 ? "Aucun protocole ne correspond à ces critères."
      : results.length === 1 ? "1 protocole correspond." : results.length + " protocoles correspondent.";
    var active = activeFilters(ctx, state);
    ctx.active.textContent = active ? "(" + plural(active, "actif", "actifs") + ")" : "";
  }

  function frenchDate(iso) {
    var parts = iso.split("-");
    return parts.length === 3 ? parts[2] + "/" + parts[1] + "/" + parts[0] : iso;
  }

  function label(ctx, facet, value) {
    return ctx.labels[facet].valeurs[value] || value;
  }

  function item(ctx, rec) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = new URL(rec.url, ctx.indexUrl).href;
    a.textContent = rec.intitule;
    li.appendChild(a);
    var meta = document.createElement("span");
    meta.className = "coop-meta";
    var parts = [label(ctx, "statut", rec.facettes.statut[0]), label(ctx, "portee", rec.facettes.portee[0]),
      "délégués : " + rec.facettes.delegue.map(function (v) { return label(ctx, "delegue", v); }).join(", ")];
    if (rec.date) { parts.push((ctx.dates[rec.date_source] || "") + " " + frenchDate(rec.date)); }
    if (rec.numero) { parts.push("n° COOP-PS " + rec.numero); }
    parts.push(plural(rec.equipes_actives, "équipe active", "équipes actives"));
    meta.textContent = parts.join(" · ");
    li.appendChild(meta);
    return li;
  }

  /* Filters are open beside the results on a wide screen, folded above them on a phone. */
  function placeFilters() {
    var filters = document.getElementById("coop-filtres");
    if (filters && window.matchMedia && window.matchMedia("(min-width: 60em)").matches) { filters.open = true; }
  }

  function listen(ctx) {
    var form = ctx.form;
    var update = function () {
      var next = stateFromForm(ctx);
      window.history.replaceState(null, "", window.location.pathname + toQuery(ctx, next));
      render(ctx, next);
    };
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
    form.addEventListener("reset", function () {
      window.setTimeout(function () { form.elements[KEYWORD].value = ctx.keepQuery; update(); }, 0);
      ctx.keepQuery = form.elements[KEYWORD].value;
    });
  }

  function start(form) {
    var indexUrl = new URL(form.getAttribute("data-index"), window.location.href).href;
    var ctx = { form: form, indexUrl: indexUrl, list: document.getElementById("coop-resultats"),
      count: document.getElementById("coop-compte"), active: document.getElementById("coop-actifs") };
    ctx.count.textContent = "Chargement du catalogue…";
    placeFilters();
    fetch(indexUrl).then(function (r) { return r.json(); }).then(function (data) {
      ctx.labels = data.facettes;
      ctx.dates = data.dates || {};
      ctx.names = Object.keys(data.facettes);
      ctx.records = data.protocoles.map(prepare);
      var state = readState(ctx.names, new URLSearchParams(window.location.search));
      /* Words typed while the catalogue was loading are kept, not replaced by the empty URL's. */
      if (!state.q) { state.q = form.elements[KEYWORD].value.trim(); }
      applyToForm(ctx, state);
      render(ctx, state);
      listen(ctx);
    }).catch(function () {
      ctx.count.textContent = "Le catalogue n'a pas pu être chargé.";
    });
  }

  function init() {
    var form = document.getElementById("coop-recherche");
    if (form && window.fetch && window.URLSearchParams) { start(form); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();

/* The header search (Material's box) searches the catalogue only: the protocols ranked as on the
 * search page, then the guides whose title or sections hold every word; Material's own results are
 * hidden (coopps.css). Enter, or the link under the results, opens the search page with its filters
 * (docs/developpeurs/site.md). */
(function () {
  "use strict";

  var SHOWN = 8;

  function siteUrl(path) {
    var config = document.getElementById("__config");
    var base = ".";
    try { base = JSON.parse(config.textContent).base || "."; } catch (e) { base = "."; }
    return new URL(base.replace(/\/$/, "") + "/" + path, window.location.href);
  }

  function catalogueUrl(query) {
    var url = siteUrl("recherche/");
    if (query) { url.search = "?mot=" + encodeURIComponent(query); }
    return url.href;
  }

  var loading = null;

  function catalogue() {
    if (!loading) {
      var indexUrl = siteUrl("recherche.json").href;
      loading = fetch(indexUrl).then(function (r) { return r.json(); }).then(function (data) {
        var prepare = window.coopRecherche.prepare;
        return { indexUrl: indexUrl, labels: data.facettes, protocols: data.protocoles.map(prepare),
          guides: (data.guides || []).map(function (g) { return prepare({ titre: g.titre, url: g.url, mots: g.mots,
            label: g.titre }); }) };
      });
    }
    return loading;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function hit(href, title, meta) {
    var li = element("li", "coop-entete-item");
    var a = element("a", "coop-entete-lien", title);
    a.href = href;
    li.appendChild(a);
    if (meta) { li.appendChild(element("span", "coop-meta", meta)); }
    return li;
  }

  function protocolMeta(data, rec) {
    var status = rec.facettes.statut[0];
    var parts = [data.labels.statut.valeurs[status] || status];
    if (rec.numero) { parts.push("n° COOP-PS " + rec.numero); }
    return parts.join(" · ");
  }

  function show(box, data, query) {
    var api = window.coopRecherche;
    var found = api.rank(data.protocols, query);
    var guides = api.rank(data.guides, query);
    while (box.list.firstChild) { box.list.removeChild(box.list.firstChild); }
    box.count.textContent = found.length ? api.plural(found.length, "protocole", "protocoles") + " pour « " + query + " »"
      : "Aucun protocole ne correspond à « " + query + " ».";
    found.slice(0, SHOWN).forEach(function (rec) {
      box.list.appendChild(hit(new URL(rec.url, data.indexUrl).href, rec.intitule, protocolMeta(data, rec)));
    });
    guides.forEach(function (guide) {
      box.list.appendChild(hit(new URL(guide.url, data.indexUrl).href, guide.titre, "Guide"));
    });
  }

  function panel(result) {
    var box = element("div", "coop-entete");
    box.id = "coop-entete";
    box.count = element("p", "coop-entete-compte");
    box.count.setAttribute("aria-live", "polite");
    box.list = element("ol", "coop-entete-resultats");
    box.list.id = "coop-entete-resultats";
    box.link = element("a", "coop-vers-catalogue");
    box.link.id = "coop-vers-catalogue";
    box.appendChild(box.count);
    box.appendChild(box.list);
    box.appendChild(box.link);
    result.insertBefore(box, result.firstChild);
    return box;
  }

  function bridge(input, result) {
    var box = panel(result);
    var update = function () {
      var query = input.value.trim();
      box.hidden = !query;
      box.link.href = catalogueUrl(query);
      box.link.textContent = "Tous les résultats pour « " + query + " », avec les filtres du catalogue";
      if (!query) { return; }
      catalogue().then(function (data) {
        if (input.value.trim() === query) { show(box, data, query); }
      }).catch(function () { box.count.textContent = "Le catalogue n'a pas pu être chargé."; });
    };
    input.addEventListener("input", update);
    input.addEventListener("keydown", function (event) {
      var query = input.value.trim();
      if (event.key === "Enter" && query) {
        event.preventDefault();
        window.location.assign(catalogueUrl(query));
      }
    });
    update();
  }

  function init() {
    var input = document.querySelector("input.md-search__input");
    var result = document.querySelector(".md-search-result");
    if (input && result && window.URL && window.fetch && window.coopRecherche) { bridge(input, result); }
    /* Material's search dialog has no accessible name (axe: aria-dialog-name): give it one. */
    document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])').forEach(function (dialog) {
      dialog.setAttribute("aria-label", "Recherche dans le site");
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
