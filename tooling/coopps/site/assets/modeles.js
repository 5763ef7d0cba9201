/* « Modèles de documents » (coop-ps as code): the team's « déclaration commune », laid out to be
 * printed and signed, from what the person entered on « Déclarer une adhésion » in this tab.
 * Reads the declaration page's work kept in sessionStorage (declaration.js, `STORE`) and the
 * labels of declarer/regles.json, a file of this site; nothing is sent anywhere. Every text is
 * inserted with textContent. */
(function () {
  "use strict";

  var STORE = "coopps-declaration-v1";  // the key declaration.js keeps the person's work under

  function stored() {
    try { return JSON.parse(window.sessionStorage.getItem(STORE) || "null"); } catch (e) { return null; }
  }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function frenchDate(iso) {
    var parts = String(iso || "").split("-");
    return parts.length === 3 ? parts[2] + "/" + parts[1] + "/" + parts[0] : "";
  }

  function label(rules, referential, code) {
    return (rules.referentiels[referential] || {})[code] || code || "";
  }

  function protocolTitle(rules, id) {
    var found = rules.protocoles.filter(function (p) { return p.id === id; })[0];
    return found ? found.intitule : "";
  }

  function filledMembers(state) {
    return (state.membres || []).filter(function (m) { return (m.nom || "").trim() || (m.prenom || "").trim(); });
  }

  function heading(champs, rules) {
    var team = champs["d-nom"] || "";
    var place = [label(rules, "cadre_exercice", champs["d-structure"]), champs["d-commune"], champs["d-code-postal"]]
      .filter(Boolean).join(", ");
    var lines = [element("h3", "Déclaration commune d'adhésion à un protocole de coopération")];
    lines.push(element("p", "Les professionnels de santé soussignés, membres de l'équipe « " + team + " »" +
      (place ? " (" + place + ")" : "") + ", déclarent ensemble à l'agence régionale de santé " +
      label(rules, "region", champs["d-region"]) + " appliquer le protocole de coopération :"));
    lines.push(element("p", protocolTitle(rules, champs["d-protocole"]) || "protocole non choisi", "coop-document-protocole"));
    return lines;
  }

  function membersTable(members, rules) {
    var table = element("table", "", "coop-document-membres");
    var head = table.appendChild(element("thead")).appendChild(element("tr"));
    ["Nom et prénom", "Profession", "Rôle", "Mode d'exercice", "N° RPPS ou ADELI", "Signature"].forEach(function (h) {
      var th = head.appendChild(element("th", h));
      th.scope = "col";
    });
    var body = table.appendChild(element("tbody"));
    members.forEach(function (m) {
      var row = body.appendChild(element("tr"));
      [[m.nom, m.prenom].filter(Boolean).join(" "), label(rules, "profession", m.profession),
        label(rules, "role", m.role), label(rules, "mode_exercice", m.mode), m.numero || "", ""].forEach(function (cell, i) {
        row.appendChild(element("td", cell, i === 5 ? "coop-document-signature" : ""));
      });
    });
    return table;
  }

  function fill(box, state, rules) {
    var champs = state.champs || {};
    var members = filledMembers(state);
    while (box.firstChild) { box.removeChild(box.firstChild); }
    heading(champs, rules).forEach(function (node) { box.appendChild(node); });
    box.appendChild(membersTable(members, rules));
    box.appendChild(element("p", "Date de déclaration : " + (frenchDate(champs["d-date"]) || "…………")));
    box.appendChild(element("p", "Fait à " + (champs["d-commune"] || "…………") + ", le " +
      (frenchDate(champs["d-date"]) || "…………") + "."));
    box.appendChild(element("p", "Document préparé avec le registre des protocoles de coopération, sans modèle " +
      "officiel connu : votre ARS peut en demander un autre.", "coop-document-note"));
    return members.length;
  }

  function start(box) {
    var state = stored();
    if (!state || !state.champs || !state.champs["d-protocole"]) { return; }
    fetch(box.getAttribute("data-regles")).then(function (r) { return r.json(); }).then(function (rules) {
      fill(box, state, rules);
      document.documentElement.classList.add("coop-imprime");
      var button = document.getElementById("coop-imprimer");
      button.parentNode.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    }).catch(function () {
      box.textContent = "Les libellés du registre n'ont pas pu être chargés : rechargez la page.";
    });
  }

  function init() {
    var box = document.getElementById("coop-declaration-commune");
    if (box && window.fetch && window.sessionStorage) { start(box); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
