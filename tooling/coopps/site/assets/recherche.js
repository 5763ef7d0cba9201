/* Faceted search of the catalogue (coop-ps as code). Plain JavaScript, no dependency.
 * Reads recherche.json, filters in the browser, keeps the filters in the URL.
 * Every text is inserted with textContent: nothing from the index is parsed as HTML. */
(function () {
  "use strict";

  var FACETS = ["region", "delegue", "delegant", "nature", "statut", "portee"];

  function fold(text) {
    return String(text || "")
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/œ/gi, "oe").replace(/æ/gi, "ae")
      .toLowerCase();
  }

  function readState(params) {
    var state = { q: params.get("q") || "", du: params.get("du") || "", au: params.get("au") || "", facets: {} };
    FACETS.forEach(function (name) {
      var values = [];
      params.getAll(name).forEach(function (v) { v.split(",").forEach(function (x) { if (x) { values.push(x); } }); });
      state.facets[name] = values;
    });
    return state;
  }

  function stateFromForm(form) {
    var state = { q: form.elements.q.value.trim(), du: form.elements.du.value, au: form.elements.au.value, facets: {} };
    FACETS.forEach(function (name) {
      state.facets[name] = Array.prototype.filter.call(form.querySelectorAll('input[name="' + name + '"]'),
        function (box) { return box.checked; }).map(function (box) { return box.value; });
    });
    return state;
  }

  function applyToForm(form, state) {
    form.elements.q.value = state.q;
    form.elements.du.value = state.du;
    form.elements.au.value = state.au;
    FACETS.forEach(function (name) {
      form.querySelectorAll('input[name="' + name + '"]').forEach(function (box) {
        box.checked = state.facets[name].indexOf(box.value) !== -1;
      });
    });
  }

  function toQuery(state) {
    var params = new URLSearchParams();
    if (state.q) { params.set("q", state.q); }
    FACETS.forEach(function (name) { state.facets[name].forEach(function (v) { params.append(name, v); }); });
    if (state.du) { params.set("du", state.du); }
    if (state.au) { params.set("au", state.au); }
    var text = params.toString();
    return text ? "?" + text : "";
  }

  function matchesText(rec, words) {
    return words.every(function (w) { return rec._folded.indexOf(w) !== -1; });
  }

  function matchesFacets(rec, state, except) {
    return FACETS.every(function (name) {
      var wanted = state.facets[name];
      if (name === except || wanted.length === 0) { return true; }
      return rec.facettes[name].some(function (v) { return wanted.indexOf(v) !== -1; });
    });
  }

  function matchesDates(rec, state) {
    if (!state.du && !state.au) { return true; }
    if (!rec.date_depot) { return false; }
    return (!state.du || rec.date_depot >= state.du) && (!state.au || rec.date_depot <= state.au);
  }

  function render(ctx, state) {
    var words = fold(state.q).split(/\s+/).filter(Boolean);
    var base = ctx.records.filter(function (rec) { return matchesText(rec, words) && matchesDates(rec, state); });
    var results = base.filter(function (rec) { return matchesFacets(rec, state, null); });
    FACETS.forEach(function (name) {
      var counts = {};
      base.forEach(function (rec) {
        if (!matchesFacets(rec, state, name)) { return; }
        rec.facettes[name].forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
      });
      ctx.form.querySelectorAll('.coop-n[data-facette="' + name + '"]').forEach(function (span) {
        span.textContent = "(" + (counts[span.getAttribute("data-valeur")] || 0) + ")";
      });
    });
    var list = ctx.list;
    while (list.firstChild) { list.removeChild(list.firstChild); }
    results.forEach(function (rec) { list.appendChild(item(ctx, rec)); });
    ctx.count.textContent = results.length === 0 ? "Aucun protocole ne correspond à ces critères."
      : results.length + (results.length === 1 ? " protocole correspond." : " protocoles correspondent.");
  }

  function item(ctx, rec) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = new URL(rec.url, ctx.indexUrl).href;
    a.textContent = rec.intitule;
    li.appendChild(a);
    var meta = document.createElement("span");
    meta.className = "coop-meta";
    var labels = ctx.labels;
    var parts = [rec.id, labels.statut.valeurs[rec.facettes.statut[0]] || rec.facettes.statut[0],
      labels.portee.valeurs[rec.facettes.portee[0]] || rec.facettes.portee[0],
      "délégués : " + rec.facettes.delegue.map(function (v) { return labels.delegue.valeurs[v] || v; }).join(", "),
      rec.equipes_actives + (rec.equipes_actives === 1 ? " équipe active" : " équipes actives")];
    meta.textContent = parts.join(" · ");
    li.appendChild(meta);
    return li;
  }

  function start(form) {
    var indexUrl = new URL(form.getAttribute("data-index"), window.location.href).href;
    var ctx = { form: form, indexUrl: indexUrl, list: document.getElementById("coop-resultats"),
      count: document.getElementById("coop-compte") };
    ctx.count.textContent = "Chargement du catalogue…";
    fetch(indexUrl).then(function (r) { return r.json(); }).then(function (data) {
      ctx.labels = data.facettes;
      ctx.records = data.protocoles.map(function (rec) { rec._folded = fold(rec.texte); return rec; });
      var state = readState(new URLSearchParams(window.location.search));
      applyToForm(form, state);
      render(ctx, state);
      var update = function () {
        var next = stateFromForm(form);
        window.history.replaceState(null, "", window.location.pathname + toQuery(next));
        render(ctx, next);
      };
      form.addEventListener("input", update);
      form.addEventListener("change", update);
      form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
      form.addEventListener("reset", function () { window.setTimeout(update, 0); });
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

/* Material's search dialog has no accessible name (axe: aria-dialog-name): give it one. */
(function () {
  "use strict";
  function name() {
    document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])').forEach(function (dialog) {
      dialog.setAttribute("aria-label", "Recherche dans le site");
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", name); } else { name(); }
})();
