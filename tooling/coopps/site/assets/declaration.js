/* « Déclarer une adhésion » (coop-ps as code). Plain JavaScript, no dependency, no build step.
 * Every rule comes from declarer/regles.json, generated at build time from the validator's Python
 * tables (site/declaration.py, site/declaration_rules.py); the judging is declaration-juge.js, which
 * gives the findings `coop verifier --brouillon` gives. This file reads the form into the adhesion data,
 * writes the file in the form of `coop formater`, shows each finding beside its field once the field is
 * touched, and keeps the person's work in the tab's sessionStorage (nothing is sent anywhere).
 * Files picked for the pieces are hashed here with Web Crypto and never leave the computer. Every
 * text is inserted with textContent: nothing typed is ever parsed as HTML. */
(function () {
  "use strict";

  var form = document.getElementById("coop-declaration");
  if (!form) { return; }
  var STORE = "coopps-declaration-v1";
  var R = null;                // the rule tables
  var hashes = {};             // piece key (type|uid, type|equipe) → {sha, name}
  var files = {};              // piece key → the File picked in this page (never stored: a reload forgets it)
  var touched = {};            // field id → true once the person has left or changed it
  var showAll = false;
  var nextUid = 1;
  var teamIdTouched = false;
  var wantedProtocol = "";
  var downloadUrl = null;
  var restoring = false;

  function $(id) { return document.getElementById(id); }

  // -- text rules shared with coop depuis-issue ---------------------------------------------------
  function clean(text) { return String(text || "").trim().split(/\s+/).filter(Boolean).join(" "); }

  function simplified(text) {
    return clean(String(text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/_/g, " ").replace(/'/g, " "));
  }

  function suggestSlug(name) {
    var words = simplified(name).match(/[a-z0-9]+/g) || [];
    return words.join("-").slice(0, 60).replace(/^-+|-+$/g, "") || "equipe";
  }

  function whole(pattern) { return new RegExp("^(?:" + pattern + ")$"); }

  // -- YAML in the canonical form of `coop formater` --------------------------------------------------
  var CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

  function misread(text) {
    return R.yaml.mots_ambigus.indexOf(text) >= 0 || text !== text.trim()
      || R.yaml.nombres.some(function (p) { return whole(p).test(text); });
  }

  function plainAllowed(text) {
    if (!text || /^(---|\.\.\.)/.test(text) || /^[#,[\]{}&*!|>'"%@`]/.test(text)) { return false; }
    if (/^[-?:](\s|$)/.test(text) || /:(\s|$)/.test(text) || /\s#/.test(text)) { return false; }
    return !CONTROL.test(text);
  }

  function doubleQuoted(text) {
    return '"' + text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(new RegExp(CONTROL.source, "g"), function (c) {
      var code = c.charCodeAt(0);
      return code < 0x100 ? "\\x" + code.toString(16).padStart(2, "0") : "\\u" + code.toString(16).padStart(4, "0");
    }) + '"';
  }

  function yamlScalar(value, identifier) {
    var text = String(value);
    if (typeof value === "number") { return text; }
    if (identifier || misread(text) || CONTROL.test(text)) { return doubleQuoted(text); }
    if (plainAllowed(text)) { return text; }
    return text.indexOf("'") >= 0 ? doubleQuoted(text) : "'" + text + "'";
  }

  function yamlValue(key, value, indent, lead) {
    if (Array.isArray(value)) {
      if (!value.length) { return lead + key + ": []"; }
      return lead + key + ":\n" + value.map(function (item) { return yamlObject(item, indent + "    ", indent + "  - "); }).join("\n");
    }
    if (value !== null && typeof value === "object") { return lead + key + ":\n" + yamlObject(value, indent + "  "); }
    if (R.yaml.dates.indexOf(key) >= 0 && /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(value)) { return lead + key + ": " + value; }
    return lead + key + ": " + yamlScalar(value, R.yaml.identifiants.indexOf(key) >= 0);
  }

  function yamlObject(object, indent, first) {
    return Object.keys(object).map(function (key, index) {
      return yamlValue(key, object[key], indent, index === 0 && first !== undefined ? first : indent);
    }).join("\n");
  }

  function yamlDocument(data) { return R.yaml.entete + "\n" + yamlObject(data, "", "") + "\n"; }

  // -- the form as adhesion data (the file the page writes, and what it judges) --------------------
  function protocolById(id) { return R.protocoles.filter(function (p) { return p.id === id; })[0] || null; }
  function memberField(el, name) { return el.querySelector('[data-champ="' + name + '"]'); }
  function put(object, key, value) { if (value !== "" && value !== null && value !== undefined) { object[key] = value; } }

  function numberKind(numero) { return /^[0-9]{9}$/.test(numero) ? "adeli" : "rpps"; }

  function readMember(el, position) {
    var numero = memberField(el, "numero").value.replace(/[\s.]/g, "");
    var hoursText = memberField(el, "formation-heures").value.trim().replace(",", ".");
    var hours = hoursText === "" || !isFinite(Number(hoursText)) ? null : Number(hoursText);
    var x = { uid: el.dataset.uid, el: el, position: position, prenom: clean(memberField(el, "prenom").value),
      nom: clean(memberField(el, "nom").value), role: memberField(el, "role").value,
      profession: memberField(el, "profession").value, mode: memberField(el, "mode").value, numero: numero,
      formation: { date: memberField(el, "formation-date").value, organisme: clean(memberField(el, "formation-organisme").value),
        heures: hours } };
    x.who = x.prenom || x.nom ? clean(x.prenom + " " + x.nom) : "le membre n° " + (position + 1);
    x.data = {};
    put(x.data, numberKind(numero), numero);
    put(x.data, "nom_exercice", x.nom);
    put(x.data, "prenom", x.prenom);
    put(x.data, "profession", x.profession);
    put(x.data, "mode_exercice", x.mode);
    put(x.data, "role", x.role);
    var f = {};
    put(f, "date", x.formation.date);
    put(f, "organisme", x.formation.organisme);
    put(f, "duree_heures", hours);
    if (x.role === "delegue" && Object.keys(f).length) { x.data.formation = f; }
    return x;
  }

  function readForm() {
    var members = Array.prototype.map.call($("d-membres").children, readMember);
    var m = { region: $("d-region").value, protocol: protocolById($("d-protocole").value), nom: clean($("d-nom").value),
      equipe: $("d-equipe").value.trim(), structure: $("d-structure").value, commune: clean($("d-commune").value),
      codePostal: $("d-code-postal").value.replace(/\s/g, ""), date: $("d-date").value, members: members };
    m.pieces = neededPieces(m);
    var equipe = {};
    put(equipe, "nom", m.nom);
    put(equipe, "structure", m.structure);
    put(equipe, "commune", m.commune);
    put(equipe, "code_postal", m.codePostal);
    m.data = { equipe: equipe };
    put(m.data, "date_declaration", m.date);
    m.data.membres = members.map(function (x) { return x.data; });
    m.written = m.pieces.filter(function (p) {  // a member's piece names them by a number of the right shape
      return hashes[p.key] && (!p.member || /^[0-9]{9}([0-9]{2})?$/.test(p.member.numero));
    });
    m.data.pieces = m.written.map(function (p) {
      var piece = { type: p.type };
      if (p.member) { piece.membre = p.member.numero; }
      piece.sha256 = hashes[p.key].sha;
      return piece;
    });
    m.where = { region: m.region, protocole: $("d-protocole").value, equipe: m.equipe };
    return m;
  }

  // The pieces the rules ask for, and those already chosen that they no longer ask for (kept, said).
  function neededPieces(m) {
    var list = R.pieces_equipe.map(function (type) { return { key: type + "|equipe", type: type, member: null, required: true }; });
    m.members.forEach(function (x) {
      var required = x.role && x.mode && R.pieces_membre[x.role] ? R.pieces_membre[x.role][x.mode] || [] : [];
      Object.keys(R.referentiels.type_piece).forEach(function (type) {
        var key = type + "|" + x.uid;
        if (required.indexOf(type) >= 0 || hashes[key]) { list.push({ key: key, type: type, member: x, required: required.indexOf(type) >= 0 }); }
      });
    });
    return list;
  }

  function pieceId(key) { return "d-piece-" + key.replace("|", "-"); }

  // -- findings in plain French, each beside its field -----------------------------------------------
  function of(x) { return x ? (x.prenom || x.nom ? " de " + x.who : " du membre n° " + (x.position + 1)) : ""; }

  var MEMBER_FIELDS = { rpps: "numero", adeli: "numero", nom_exercice: "nom", prenom: "prenom", profession: "profession",
    mode_exercice: "mode", role: "role" };
  var TRAINING_FIELDS = { date: "formation-date", organisme: "formation-organisme", duree_heures: "formation-heures" };
  var TEAM_FIELDS = { nom: "d-nom", structure: "d-structure", commune: "d-commune", code_postal: "d-code-postal" };
  var NAMES = { nom: "le nom de l'équipe", structure: "le type de structure", commune: "la commune", code_postal: "le code postal",
    date_declaration: "la date de déclaration", prenom: "le prénom", nom_exercice: "le nom d'exercice", profession: "la profession",
    mode_exercice: "le mode d'exercice", role: "le rôle", rpps: "le numéro RPPS", adeli: "le numéro ADELI",
    date: "la date de fin de formation", organisme: "l'organisme de formation", duree_heures: "la durée de formation" };

  function where(f, m) {  // {field id, member, name of the value} of a finding
    var p = f.path, x = p[0] === "membres" && typeof p[1] === "number" ? m.members[p[1]] : null;
    var key = p[p.length - 1], id = "d-nom";
    if (p[0] === "@equipe") { id = "d-equipe"; }
    else if (p[0] === "@protocole") { id = "d-protocole"; }
    else if (p[0] === "equipe") { id = TEAM_FIELDS[p[1]] || "d-nom"; }
    else if (p[0] === "date_declaration") { id = "d-date"; }
    else if (p[0] === "membres" && !x) { id = "d-ajouter"; }
    else if (x && f.code === "piece-manquante") { id = pieceId(f.ctx.type + "|" + x.uid); }
    else if (x) {
      var name = p[2] === "formation" ? TRAINING_FIELDS[p[3]] || "formation-date" : MEMBER_FIELDS[p[2]] || "numero";
      if (f.code === "formation-manquante") { name = "formation-date"; }
      id = memberField(x.el, name).id;
    } else if (p[0] === "pieces") {
      id = typeof p[1] === "number" && m.written[p[1]] ? pieceId(m.written[p[1]].key)
        : f.ctx.type ? pieceId(f.ctx.type + "|equipe") : "d-pieces";
    }
    return { id: id, member: x, name: NAMES[key] || "cette valeur" };
  }

  function cap(text) { return text.charAt(0).toUpperCase() + text.slice(1); }
  function labels(name, codes) { return codes.map(function (c) { return R.referentiels[name][c] || c; }).join(", "); }

  function sentence(f, w) {
    var c = f.ctx, x = w.member, who = of(x), named = cap(w.name) + (x ? who : "");
    var role = x && x.role ? R.referentiels.role[x.role].toLowerCase() : "";
    switch (f.code) {
    case "champ-obligatoire":
      if (f.path[0] === "membres" && f.path.length === 1) { return "Ajoutez au moins un membre."; }
      return (/^(le type|la profession|le mode|le rôle)/.test(w.name) ? "Choisissez " : "Indiquez ") + w.name + (x ? who : "") + ".";
    case "schema-non-respecte": return "Indiquez le numéro RPPS (ou, à défaut, ADELI)" + who + ".";
    case "format-invalide":
      if (/^(rpps|adeli)$/.test(f.path[2])) { return "Le numéro" + who + " n'est ni un numéro RPPS (11 chiffres) ni un numéro ADELI (9 chiffres)."; }
      if (f.path[1] === "code_postal") { return "Le code postal doit compter 5 chiffres (exemple : 69003)."; }
      if (c.schema && c.schema.format === "date") { return named + " n'est pas une date valide."; }
      return named + " n'a pas le format attendu.";
    case "valeur-hors-limites":
      if (c.keyword === "maxLength") { return named + " est trop long (au plus " + c.schema.maxLength + " caractères)."; }
      if (c.keyword === "minimum" || c.keyword === "maximum") {
        return named + " doit être comprise entre " + c.schema.minimum + " et " + c.schema.maximum + " heures.";
      }
      return f.path[0] === "membres" ? "Ajoutez au moins un membre." : named + " ne peut pas être vide.";
    case "valeur-inconnue": return "Choisissez " + w.name + (x ? who : "") + " dans la liste.";
    case "type-invalide": case "champ-inconnu": return named + " n'a pas la forme attendue.";
    case "caractere-invisible":
      return named + " contient un caractère invisible ou de contrôle (souvent venu d'un copier-coller) : retapez-le.";
    case "chemin-invalide":
      return "L'identifiant de l'équipe doit être fait de lettres minuscules sans accent, de chiffres et de tirets "
        + "(exemple : msp-des-tilleuls), en " + R.identifiant_equipe.longueur_max + " caractères au plus, sans être un nom "
        + "réservé par Windows (con, aux, nul, com1…).";
    case "donnee-personnelle":
      return (c.identifier ? "L'identifiant de l'équipe" : named) + " contient " + c.what + " : le registre est public, "
        + "n'y mettez aucune coordonnée ni aucun identifiant personnel.";
    case "date-future": return named + " ne peut pas être dans le futur.";
    case "dates-incoherentes":
      return "La date de déclaration précède l'arrêté qui autorise le protocole (" + c.arrete + ") : corrigez-la.";
    case "code-postal-hors-region":
      if (c.outside) { return "Le code postal " + c.postal + " est celui de " + c.outside + ", qui ne relève d'aucune ARS de région."; }
      if (!c.regions.length) { return "Le code postal " + c.postal + " ne correspond à aucun département : vérifiez-le."; }
      return "Le code postal " + c.postal + " est en région " + R.referentiels.region[c.regions[0]] + ", pas en région "
        + R.referentiels.region[c.region] + " : corrigez le code postal, ou choisissez la région de l'équipe en haut du formulaire.";
    case "code-postal-a-verifier":
      return "Le code postal " + c.postal + " dessert des communes de plusieurs départements : l'ARS vérifiera que la commune "
        + "est bien en région " + R.referentiels.region[c.region] + ".";
    case "protocole-inconnu": return "Choisissez un protocole de la liste.";
    case "protocole-hors-region": return "Ce protocole régional ne s'applique pas dans la région choisie.";
    case "protocole-local-autre-equipe":
      return "Ce protocole local est réservé à l'équipe « " + c.protocol.equipe_promotrice + " » de sa région : indiquez cet "
        + "identifiant, ou choisissez un autre protocole.";
    case "role-manquant": return "Ajoutez au moins un " + R.referentiels.role[c.role].toLowerCase() + ".";
    case "personne-en-double":
      return "Ce membre" + who + " porte les mêmes nom, prénom et profession que le membre n° " + (c.first + 1)
        + " : un professionnel n'apparaît qu'une fois, sous son RPPS. Supprimez cette ligne, ou corrigez le nom.";
    case "nom-blanc": return named + " ne montre aucun caractère visible : écrivez-le en lettres.";
    case "membre-en-double":
      return "Le numéro" + who + " est déjà celui du membre n° " + (c.first + 1) + " : un professionnel n'apparaît qu'une fois dans l'équipe.";
    case "cadre-non-prevu":
      return "Le protocole ne s'applique pas dans une structure « " + R.referentiels.cadre_exercice[c.structure]
        + " » ; structures prévues : " + labels("cadre_exercice", c.protocol.cadres_exercice) + ".";
    case "profession-non-prevue":
      return "La profession « " + R.referentiels.profession[x.profession] + " »" + who + " n'est pas prévue pour un " + role
        + " par ce protocole (professions prévues : " + labels("profession", c.allowed) + ") : changez le rôle ou la profession.";
    case "mode-non-prevu":
      return "Le mode d'exercice « " + R.referentiels.mode_exercice[x.mode] + " »" + who + " n'est pas prévu par ce protocole ; "
        + "modes prévus : " + labels("mode_exercice", c.protocol.modes_exercice) + ".";
    case "formation-insuffisante":
      return "La formation" + who + " dure " + c.hours + " h ; le protocole en exige " + c.required
        + " h. Vérifiez la durée ou complétez la formation.";
    case "formation-reservee-delegue": return "La formation n'est demandée qu'aux délégués.";
    case "rpps-cle-invalide":
      return "Le numéro RPPS " + x.numero + who + " est invalide (sa clé, le dernier chiffre, ne correspond pas) : "
        + "recopiez-le depuis la carte CPS ou l'annuaire santé.";
    case "formation-manquante":
      return "Indiquez la formation" + who + " (date de fin, organisme, durée) : elle est demandée à chaque délégué.";
    case "piece-manquante": return "Ajoutez " + R.phrases_pieces[c.type] + who + ".";
    case "piece-membre-inconnu": return "Cette pièce désigne un numéro qui n'est celui d'aucun membre.";
    case "piece-en-double": return "Cette pièce est déclarée deux fois.";
    default: return "Point à vérifier (" + f.code + ").";
    }
  }

  // What only the form knows: no file exists before a region and a protocol are chosen.
  function formFindings(m) {
    var out = [];
    var add = function (code, id, text) { out.push({ code: code, level: "error", id: id, text: text }); };
    if (!m.region) { add("region", "d-region", "Choisissez la région de votre équipe."); }
    if (!m.protocol) { add("protocole", "d-protocole", "Choisissez le protocole auquel l'équipe adhère."); }
    if (m.protocol && (!m.protocol.delegants.length || !m.protocol.delegues.length)) {
      add("professions-inconnues", "d-protocole", "Le registre ne connaît pas les professions prévues par ce protocole "
        + "(dossier historique) : il ne peut pas être déclaré ici. Contactez l'ARS de votre région.");
    }
    if (m.members.length > R.membres_max) {
      add("membres-trop-nombreux", "d-ajouter", "Le formulaire GitHub accepte au plus " + R.membres_max + " membres.");
    }
    var bad = new RegExp(R.interdits.membre);  // what `coop depuis-issue` refuses in a cell of the member table
    [["d-nom", m.nom, R.interdits.texte], ["d-commune", m.commune, R.interdits.texte]].concat(m.members.reduce(function (all, x) {
      return all.concat([[memberField(x.el, "prenom").id, x.prenom, R.interdits.membre], [memberField(x.el, "nom").id, x.nom, R.interdits.membre],
        [memberField(x.el, "formation-organisme").id, x.formation.organisme, R.interdits.membre]]);
    }, [])).forEach(function (t) {
      if (t[1] && new RegExp(t[2]).test(t[1])) {
        add("caracteres", t[0], "Ce texte contient des caractères que le formulaire GitHub n'accepte pas (< > { } | @ "
          + (t[2] === bad.source ? "; " : "") + "ou accent grave) : écrivez-le en lettres, chiffres et ponctuation simple.");
      }
    });
    return out;
  }

  function allFindings(m) {
    var list = formFindings(m);
    window.coopJuge.judge(m.data, m.where, R, { robot: false }).forEach(function (f) {
      if ((f.code === "protocole-inconnu" || f.path[0] === "@protocole") && !m.protocol) { return; }
      var w = where(f, m);
      list.push({ code: f.code, level: f.level, id: w.id, text: sentence(f, w) });
    });
    var seen = {};
    return list.filter(function (f) { var k = f.id + "\n" + f.text; if (seen[k]) { return false; } seen[k] = true; return true; });
  }

  function visible(f) {
    if (showAll || touched[f.id]) { return true; }
    var el = $(f.id), member = el && el.closest(".coop-membre");
    return Boolean(f.code === "profession-non-prevue" && member && touched[memberField(member, "role").id]);
  }

  function errorSlot(id) {
    var slot = $(id + "-erreur"), field = $(id);
    if (!slot && field) {
      slot = document.createElement("span");
      slot.id = id + "-erreur";
      slot.className = "coop-erreur";
      slot.hidden = true;
      (field.type === "file" ? field.parentNode.lastChild : field).insertAdjacentElement("afterend", slot);
    }
    return slot;
  }

  function describedBy(field, id, on) {
    var ids = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (x) { return x && x !== id; });
    if (on) { ids.push(id); }
    if (ids.length) { field.setAttribute("aria-describedby", ids.join(" ")); } else { field.removeAttribute("aria-describedby"); }
  }

  function renderBesideFields(list) {
    var byField = {};
    list.filter(visible).forEach(function (f) { (byField[f.id] = byField[f.id] || []).push(f); });
    form.querySelectorAll(".coop-erreur").forEach(function (slot) {
      var id = slot.id.replace(/-erreur$/, "");
      if (!byField[id]) {
        slot.hidden = true;
        slot.textContent = "";
        if ($(id)) { $(id).removeAttribute("aria-invalid"); describedBy($(id), slot.id, false); }
      }
    });
    Object.keys(byField).forEach(function (id) {
      var slot = errorSlot(id), field = $(id);
      if (!slot) { return; }
      var blocking = byField[id].some(function (f) { return f.level === "error"; });
      slot.textContent = byField[id].map(function (f) { return f.text; }).join(" ");
      slot.className = "coop-erreur " + (blocking ? "coop-erreur-bloquante" : "coop-erreur-a-completer");
      slot.hidden = false;
      describedBy(field, slot.id, true);
      if (blocking && field.tagName !== "BUTTON") { field.setAttribute("aria-invalid", "true"); } else { field.removeAttribute("aria-invalid"); }
    });
  }

  function renderSummary(list) {
    var box = $("d-constats");
    var blocking = list.filter(function (f) { return f.level === "error"; }).length, later = list.length - blocking;
    var shown = list.filter(visible), hidden = list.length - shown.length;
    var signature = [showAll, hidden].concat(shown.map(function (f) { return f.id + f.code + f.text; })).join("\n") + blocking + "/" + later;
    if (box.dataset.signature === signature) { return blocking; }
    box.dataset.signature = signature;
    box.textContent = "";
    var summary = box.appendChild(document.createElement("p"));
    summary.className = "coop-constats-resume";
    var counts = blocking ? blocking + (blocking > 1 ? " points à corriger" : " point à corriger") + " avant d'envoyer"
      + (later ? ", puis " + later + " à compléter." : ".")
      : later + (later > 1 ? " éléments restent" : " élément reste") + " à compléter (pièces ou formation) : vous pouvez déjà envoyer, "
      + "la pull request restera en brouillon jusqu'à ce qu'ils soient ajoutés.";
    summary.textContent = !list.length ? "Tout est prêt : la déclaration est complète."
      : !shown.length && blocking ? "La vérification se fait au fur et à mesure, champ par champ : remplissez le formulaire." : counts;
    if (shown.length) {
      var ul = box.appendChild(document.createElement("ul"));
      shown.forEach(function (f) {
        var li = ul.appendChild(document.createElement("li"));
        li.dataset.code = f.code;
        li.className = "coop-constat-" + (f.level === "error" ? "bloquant" : "a-completer");
        var link = li.appendChild(document.createElement("a"));
        link.href = "#" + f.id;
        link.dataset.champ = f.id;
        link.textContent = f.text;
      });
    }
    if (hidden) {
      var more = box.appendChild(document.createElement("p"));
      more.append((hidden > 1 ? hidden + " autres points concernent" : "Un autre point concerne") + " des champs que vous n'avez pas encore remplis. ");
      var button = more.appendChild(document.createElement("button"));
      button.type = "button";
      button.id = "d-tout-verifier";
      button.className = "md-button";
      button.textContent = "Afficher tous les points restants";
    }
    return blocking;
  }

  // -- choices offered, from the protocol: a value already chosen is never changed --------------------
  function fillSelect(select, codes, labelsOf, empty, notOffered) {
    var keep = select.value;
    select.textContent = "";
    select.appendChild(new Option(empty, ""));
    codes.forEach(function (code) { select.appendChild(new Option(labelsOf ? labelsOf[code] || code : code, code)); });
    if (keep && codes.indexOf(keep) < 0) {
      select.appendChild(new Option((labelsOf ? labelsOf[keep] || keep : keep) + " — " + notOffered, keep));
    }
    select.value = keep || (codes.length === 1 ? codes[0] : "");
  }

  function protocolsIn(region) { return R.protocoles.filter(function (p) { return p.regions.indexOf(region) >= 0; }); }

  function fillProtocols() {
    var select = $("d-protocole"), region = $("d-region").value, keep = select.value || wantedProtocol;
    select.textContent = "";
    select.appendChild(new Option(region ? "— Choisissez le protocole —" : "— Choisissez d'abord la région —", ""));
    protocolsIn(region).forEach(function (p) {
      var local = p.portee === "local" ? " (protocole local de l'équipe " + p.equipe_promotrice + ")" : "";
      select.appendChild(new Option(p.intitule + local + " — " + p.id, p.id));
    });
    select.value = protocolsIn(region).some(function (p) { return p.id === keep; }) ? keep : "";
  }

  function describeProtocol(p) {
    var box = $("d-protocole-resume");
    box.hidden = !p;
    if (!p) { return; }
    var names = function (codes) { return labels("profession", codes) || "non connues"; };
    var rows = [["Délégants", names(p.delegants)], ["Délégués", names(p.delegues)],
      ["Formation exigée des délégués", p.formation_heures ? p.formation_heures + " heures" : "non précisée"]];
    if (p.cadres_exercice.length) { rows.push(["Structures admises", labels("cadre_exercice", p.cadres_exercice)]); }
    if (p.modes_exercice.length) { rows.push(["Modes d'exercice admis", labels("mode_exercice", p.modes_exercice)]); }
    box.textContent = "";
    var list = document.createElement("dl");
    rows.forEach(function (row) {
      list.appendChild(document.createElement("dt")).textContent = row[0];
      list.appendChild(document.createElement("dd")).textContent = row[1];
    });
    box.appendChild(list);
  }

  function refreshChoices() {
    var p = protocolById($("d-protocole").value);
    var cadres = p && p.cadres_exercice.length ? p.cadres_exercice : Object.keys(R.referentiels.cadre_exercice);
    fillSelect($("d-structure"), cadres, R.referentiels.cadre_exercice, "— Choisissez —", "non prévue par ce protocole");
    describeProtocol(p);
    if (p && p.portee === "local" && !$("d-equipe").value) { $("d-equipe").value = p.equipe_promotrice; teamIdTouched = true; }
    Array.prototype.forEach.call($("d-membres").children, function (el) { refreshMember(el, p); });
  }

  function refreshMember(el, p) {
    var role = memberField(el, "role").value;
    var professions = p && role ? p[role === "delegant" ? "delegants" : "delegues"] : [];
    var roleLabel = role ? R.referentiels.role[role].toLowerCase() : "";
    fillSelect(memberField(el, "profession"), professions, R.referentiels.profession,
      !p ? "— Choisissez d'abord le protocole —" : role ? "— Choisissez —" : "— Choisissez d'abord le rôle —",
      "non prévue pour un " + (roleLabel || "membre") + " par ce protocole");
    var modes = p && p.modes_exercice.length ? p.modes_exercice : Object.keys(R.referentiels.mode_exercice);
    fillSelect(memberField(el, "mode"), modes, R.referentiels.mode_exercice, "— Choisissez —", "non prévu par ce protocole");
    el.querySelector('[data-bloc="formation"]').hidden = role !== "delegue";
  }

  // -- members -----------------------------------------------------------------------------------------
  function addMember(role, uid) {
    var el = $("d-modele-membre").content.firstElementChild.cloneNode(true);
    uid = String(uid || nextUid);
    nextUid = Math.max(nextUid, Number(uid) + 1);
    el.dataset.uid = uid;
    el.querySelectorAll("[data-champ]").forEach(function (input) {
      input.id = "d-m" + uid + "-" + input.dataset.champ;
      el.querySelector('[data-pour="' + input.dataset.champ + '"]').htmlFor = input.id;
    });
    fillSelect(memberField(el, "role"), Object.keys(R.referentiels.role), R.referentiels.role, "— Choisissez —", "");
    memberField(el, "role").value = role || "";
    $("d-membres").appendChild(el);
    refreshMember(el, protocolById($("d-protocole").value));
    return el;
  }

  function legendMembers(m) {
    m.members.forEach(function (x) {
      var role = x.role ? " (" + R.referentiels.role[x.role].toLowerCase() + ")" : "";
      x.el.querySelector("legend").textContent = "Membre n° " + (x.position + 1) + (x.prenom || x.nom ? " — " + x.who : "") + role;
      x.el.querySelector('[data-action="retirer"]').textContent = "Retirer " + (x.prenom || x.nom ? x.who : "le membre n° " + (x.position + 1));
    });
  }

  // -- pieces and their fingerprints -------------------------------------------------------------------
  function pieceLabel(p) { return R.referentiels.type_piece[p.type] + (p.member ? " — " + p.member.who : " — l'équipe"); }

  function renderPieces(pieces) {
    var box = $("d-pieces");
    var keys = pieces.map(function (p) { return p.key + (p.required ? "" : "+"); }).join(",");
    if (box.dataset.keys !== keys) {
      box.dataset.keys = keys;
      box.textContent = "";
      var list = box.appendChild(document.createElement("ul"));
      list.className = "coop-pieces";
      pieces.forEach(function (p) { list.appendChild(pieceRow(p)); });
    }
    pieces.forEach(function (p) {
      var id = pieceId(p.key);
      document.querySelector('label[for="' + id + '"]').textContent = pieceLabel(p);
      var state = $(id + "-etat");
      state.textContent = "";
      if (hashes[p.key]) {
        state.append("Empreinte de « " + hashes[p.key].name + " » : ");
        state.appendChild(document.createElement("code")).textContent = hashes[p.key].sha;
      } else { state.textContent = "Aucun fichier choisi."; }
      if (!p.required) {
        state.append(" Cette pièce n'est plus demandée pour ce membre (rôle ou mode d'exercice changé) ; elle reste dans "
          + "la déclaration tant que vous ne la retirez pas.");
      }
    });
  }

  function pieceRow(p) {
    var id = pieceId(p.key), item = document.createElement("li");
    var label = item.appendChild(document.createElement("label"));
    label.htmlFor = id;
    var input = item.appendChild(document.createElement("input"));
    input.type = "file";
    input.id = id;
    input.dataset.piece = p.key;
    input.setAttribute("aria-describedby", id + "-etat");
    var state = item.appendChild(document.createElement("p"));
    state.id = id + "-etat";
    state.className = "coop-empreinte";
    if (!p.required) {
      var remove = item.appendChild(document.createElement("button"));
      remove.type = "button";
      remove.className = "md-button";
      remove.dataset.retirerPiece = p.key;
      remove.textContent = "Retirer cette pièce";
    }
    return item;
  }

  function hashFile(input) {
    var file = input.files && input.files[0], key = input.dataset.piece, state = $(input.id + "-etat");
    if (!file) { return; }
    if (file.size > R.taille_max_piece) { state.textContent = "Le fichier dépasse 200 Mo : est-ce bien la pièce à déclarer ?"; return; }
    if (!window.crypto || !window.crypto.subtle) {
      state.textContent = "Votre navigateur ne sait pas calculer l'empreinte ici (page non sécurisée).";
      return;
    }
    state.textContent = "Calcul de l'empreinte…";
    file.arrayBuffer().then(function (bytes) { return window.crypto.subtle.digest("SHA-256", bytes); }).then(function (digest) {
      hashes[key] = { sha: Array.prototype.map.call(new Uint8Array(digest), function (b) { return b.toString(16).padStart(2, "0"); }).join(""),
        name: file.name };
      files[key] = file;
      update();
    });
  }

  // -- the result: file, prefilled issue, or copy-and-paste ---------------------------------------------
  function memberLine(x) {
    var cells = [x.numero, x.nom, x.prenom, x.profession, x.mode, x.role];
    if (x.data.formation) { cells.push(x.formation.date, x.formation.organisme, String(x.formation.heures)); }
    return cells.join(" ; ");
  }

  function pieceLine(p) { return [p.type, p.member ? p.member.numero : "", hashes[p.key].sha].join(" ; "); }

  function issueFields(m) {
    return [["region", m.region + " — " + R.referentiels.region[m.region]], ["protocole", m.protocol.id], ["equipe", m.equipe],
      ["nom", m.nom], ["structure", m.structure + " — " + R.referentiels.cadre_exercice[m.structure]], ["commune", m.commune],
      ["code_postal", m.codePostal], ["date", m.date], ["membres", m.members.map(memberLine).join("\n")],
      ["pieces", m.written.map(pieceLine).join("\n")]];
  }

  function issueUrl(m, fields) {
    var title = "Adhésion : " + m.nom + " au protocole " + m.protocol.id;
    var query = [["template", R.formulaire.modele], ["title", title]].concat(fields).map(function (pair) {
      return pair[0] + "=" + encodeURIComponent(pair[1]);
    });
    return R.formulaire.url + "?" + query.join("&");
  }

  function renderResult(m, blocking) {
    $("d-envoi").hidden = blocking > 0;
    $("d-resultat-etat").textContent = blocking > 0
      ? "La demande s'affichera quand les points bloquants de la vérification seront corrigés." : "";
    if (blocking > 0) { return; }
    var text = yamlDocument(m.data);
    $("d-yaml").textContent = text;
    $("d-chemin").textContent = "adhesions/" + m.region + "/" + m.protocol.id + "/" + m.equipe + ".yml";
    if (downloadUrl) { URL.revokeObjectURL(downloadUrl); }
    downloadUrl = URL.createObjectURL(new Blob([text], { type: "application/yaml" }));
    $("d-telecharger").href = downloadUrl;
    $("d-telecharger").download = m.equipe + ".yml";
    if ($("d-issue")) { renderIssue(m); }
  }

  function renderIssue(m) {
    var fields = issueFields(m), url = issueUrl(m, fields);
    var tooLong = url.length > R.formulaire.url_max;
    $("d-copie").hidden = !tooLong;
    if (tooLong) {
      url = issueUrl(m, fields.filter(function (f) { return f[0] !== "membres" && f[0] !== "pieces"; }));
      $("d-copie-membres").value = fields[8][1];
      $("d-copie-pieces").value = fields[9][1];
    }
    $("d-issue").href = url;
  }

  // -- the person's work, kept in this tab only (sessionStorage), never sent ---------------------------
  var TEAM_INPUTS = ["d-region", "d-protocole", "d-nom", "d-equipe", "d-structure", "d-commune", "d-code-postal", "d-date"];
  var MEMBER_INPUTS = ["prenom", "nom", "role", "profession", "mode", "numero", "formation-date", "formation-organisme", "formation-heures"];

  function save() {
    if (restoring) { return; }
    var state = { champs: {}, membres: [], empreintes: hashes, touches: touched, tout: showAll, identifiant_choisi: teamIdTouched };
    TEAM_INPUTS.forEach(function (id) { state.champs[id] = $(id).value; });
    Array.prototype.forEach.call($("d-membres").children, function (el) {
      var member = { uid: el.dataset.uid };
      MEMBER_INPUTS.forEach(function (name) { member[name] = memberField(el, name).value; });
      state.membres.push(member);
    });
    try { window.sessionStorage.setItem(STORE, JSON.stringify(state)); } catch (e) { /* storage full or refused: nothing kept */ }
  }

  function stored() {
    try { return JSON.parse(window.sessionStorage.getItem(STORE) || "null"); } catch (e) { return null; }
  }

  function restore(state) {
    restoring = true;
    hashes = state.empreintes || {};
    touched = state.touches || {};
    showAll = Boolean(state.tout);
    teamIdTouched = Boolean(state.identifiant_choisi);
    var champs = state.champs || {};
    $("d-region").value = champs["d-region"] || "";
    wantedProtocol = champs["d-protocole"] || "";
    fillProtocols();
    refreshChoices();
    (state.membres || []).forEach(function (member) {
      var el = addMember(member.role, member.uid);
      refreshMember(el, protocolById($("d-protocole").value));
      MEMBER_INPUTS.forEach(function (name) {
        var field = memberField(el, name);
        if (field.tagName === "SELECT" && member[name] && !Array.prototype.some.call(field.options, function (o) { return o.value === member[name]; })) {
          field.appendChild(new Option(member[name], member[name]));
        }
        field.value = member[name] || "";
      });
      refreshMember(el, protocolById($("d-protocole").value));
    });
    ["d-nom", "d-equipe", "d-structure", "d-commune", "d-code-postal", "d-date"].forEach(function (id) {
      if (champs[id] !== undefined) { $(id).value = champs[id]; }
    });
    refreshChoices();
    restoring = false;
  }

  function clearForm() {
    try { window.sessionStorage.removeItem(STORE); } catch (e) { /* nothing kept */ }
    hashes = {};
    files = {};
    touched = {};
    showAll = false;
    teamIdTouched = false;
    wantedProtocol = "";
    $("d-membres").textContent = "";
    TEAM_INPUTS.forEach(function (id) { $(id).value = ""; });
    fillProtocols();
    $("d-date").value = today();
    addMember("delegant");
    addMember("delegue");
    refreshChoices();
    update();
    $("d-effacer-etat").textContent = "Le formulaire est effacé.";
    $("d-region").focus();
  }

  // -- events ----------------------------------------------------------------------------------------------
  function update() {
    var m = readForm();
    if (!teamIdTouched) { $("d-equipe").value = m.nom ? suggestSlug(m.nom) : ""; m = readForm(); }
    legendMembers(m);
    renderPieces(m.pieces);
    var list = allFindings(m);
    renderBesideFields(list);
    renderResult(m, renderSummary(list));
    save();
    form.dispatchEvent(new CustomEvent("coop:maj"));  // the dossier (dossier.js) follows the form
  }

  // What the dossier for the ARS holds (dossier.js): the file the page writes and the pieces it
  // declares, in the adhesion's order, each with the file picked in this page (null after a reload).
  function dossierContent() {
    var m = readForm();
    return { pret: !$("d-envoi").hidden, region: m.region, protocole: m.protocol ? m.protocol.id : "",
      equipe: m.equipe, date: m.date, adhesion: yamlDocument(m.data),
      pieces: m.written.map(function (p) {
        return { type: p.type, membre: p.member ? p.member.numero : null, sha256: hashes[p.key].sha,
          nom: hashes[p.key].name, libelle: pieceLabel(p), champ: pieceId(p.key), fichier: files[p.key] || null };
      }) };
  }

  function onChange(event) {
    var target = event.target;
    if (target.id === "d-region") { fillProtocols(); refreshChoices(); }
    else if (target.id === "d-protocole") { wantedProtocol = target.value; refreshChoices(); }
    else if (target.id === "d-equipe") { teamIdTouched = target.value !== ""; }
    else if (target.dataset.champ === "role") {
      refreshMember(target.closest(".coop-membre"), protocolById($("d-protocole").value));
      touched["d-ajouter"] = true;
    }
    if (event.type === "change" && target.id) { touched[target.id] = true; }
    if (target.dataset.piece && event.type === "change") { hashFile(target); return; }
    update();
  }

  function onLeave(event) {  // a field left, even empty, is touched: its findings show from now on
    var target = event.target;
    if (!target.id || touched[target.id] || target.tagName === "BUTTON" || target.tagName === "A") { return; }
    touched[target.id] = true;
    update();
  }

  function onClick(event) {
    var target = event.target;
    if (target.id === "d-ajouter") { touched["d-ajouter"] = true; memberField(addMember(""), "prenom").focus(); update(); }
    else if (target.dataset.action === "retirer") {
      var el = target.closest(".coop-membre");
      Object.keys(hashes).forEach(function (key) {
        if (key.split("|")[1] === el.dataset.uid) { delete hashes[key]; delete files[key]; }
      });
      el.remove();
      $("d-ajouter").focus();
      update();
    } else if (target.dataset.retirerPiece) {
      delete hashes[target.dataset.retirerPiece];
      delete files[target.dataset.retirerPiece];
      update();
      $("d-pieces").focus();
    } else if (target.id === "d-tout-verifier") {
      showAll = true;
      update();
      var first = form.querySelector('[aria-invalid="true"]');
      if (first) { first.focus(); }
    } else if (target.id === "d-effacer") {
      if (window.confirm("Effacer tout le formulaire (membres, pièces, empreintes) ? Cette action ne peut pas être annulée.")) { clearForm(); }
    } else if (target.dataset.champ && target.tagName === "A" && $(target.dataset.champ)) {
      event.preventDefault();
      $(target.dataset.champ).scrollIntoView({ block: "center" });
      $(target.dataset.champ).focus();
    } else if (target.dataset.copier) { copyText(target.dataset.copier); }
  }

  function copyText(id) {
    var area = $(id);
    var done = function () { $("d-copie-etat").textContent = "Texte copié : collez-le dans le champ du même nom du formulaire GitHub."; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(area.value).then(done, function () { area.select(); document.execCommand("copy"); done(); });
    } else { area.select(); document.execCommand("copy"); done(); }
  }

  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  function applyUrl() {
    var params = new URLSearchParams(window.location.search);
    wantedProtocol = params.get("protocole") || "";
    var region = params.get("region") || "";
    var wanted = protocolById(wantedProtocol);
    if (!region && wanted && wanted.regions.length === 1) { region = wanted.regions[0]; }
    if (R.referentiels.region[region]) { $("d-region").value = region; }
    $("d-protocole").value = "";  // the protocol asked for by the link, not the one kept from before
    fillProtocols();
    refreshChoices();
  }

  function start(rules) {
    R = rules;
    fillSelect($("d-region"), Object.keys(R.referentiels.region), R.referentiels.region, "— Choisissez la région —", "");
    $("d-region").value = "";
    $("d-date").max = today();
    var state = stored();
    if (state && state.membres) { restore(state); } else {
      $("d-date").value = today();
      addMember("delegant");
      addMember("delegue");
    }
    // A protocol page's link chooses the protocol (and its region), and keeps the rest of a form in
    // progress; the query is then dropped, so that a reload keeps what the person chose since.
    if (new URLSearchParams(window.location.search).get("protocole") || !$("d-protocole").value) { applyUrl(); }
    if (window.location.search) { window.history.replaceState(null, "", window.location.pathname + window.location.hash); }
    form.addEventListener("input", onChange);
    form.addEventListener("change", onChange);
    form.addEventListener("focusout", onLeave);
    form.addEventListener("click", onClick);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    update();
  }

  window.coopDeclaration = {
    yamlScalar: function (v, id) { return yamlScalar(v, id); }, luhnValid: function (n) { return window.coopJuge.luhnValid(n); },
    suggestSlug: suggestSlug, ready: false,
    // For the tests: the file the page writes for `data`, and its findings (the judge, with the page's rules).
    fichier: function (data) { return yamlDocument(data); },
    juger: function (data, where, robot) { return window.coopJuge.judge(data, where, R, { robot: robot }); },
    regles: function () { return R; },
    dossier: dossierContent
  };
  fetch(form.dataset.regles).then(function (r) { return r.json(); }).then(function (rules) {
    start(rules);
    window.coopDeclaration.ready = true;
  });
})();
