/* « Déclarer une adhésion » (coop-ps as code). Plain JavaScript, no dependency, no build step.
 * Every rule comes from declarer/regles.json, generated at build time from the validator's Python
 * tables (site/declaration.py): this file applies them and writes none of its own. Files picked
 * for the pieces are hashed here with Web Crypto and never leave the computer. Every text is
 * inserted with textContent: nothing typed is ever parsed as HTML. */
(function () {
  "use strict";

  var form = document.getElementById("coop-declaration");
  if (!form) { return; }
  var R = null;                // the rule tables
  var hashes = {};             // piece key → {sha, name}
  var nextUid = 1;
  var teamIdTouched = false;
  var wantedProtocol = "";
  var downloadUrl = null;

  function $(id) { return document.getElementById(id); }

  // -- text rules shared with coop from-issue ---------------------------------------------------
  function clean(text) { return String(text || "").trim().split(/\s+/).filter(Boolean).join(" "); }

  function simplified(text) {
    return clean(String(text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/_/g, " ").replace(/'/g, " "));
  }

  function suggestSlug(name) {
    var words = simplified(name).match(/[a-z0-9]+/g) || [];
    return words.join("-").slice(0, 60).replace(/^-+|-+$/g, "") || "equipe";
  }

  function luhnValid(number) {
    var total = 0;
    number.split("").reverse().forEach(function (char, position) {
      var digit = Number(char);
      if (position % 2 === 1) { digit = digit > 4 ? digit * 2 - 9 : digit * 2; }
      total += digit;
    });
    return total % 10 === 0;
  }

  function whole(pattern) { return new RegExp("^(?:" + pattern + ")$"); }

  // -- YAML in the canonical form of `coop fmt` --------------------------------------------------
  function misread(text) {
    return R.yaml.mots_ambigus.indexOf(text) >= 0 || text !== text.trim()
      || R.yaml.nombres.some(function (p) { return whole(p).test(text); });
  }

  function plainAllowed(text) {
    if (!text || /^(---|\.\.\.)/.test(text) || /^[#,[\]{}&*!|>'"%@`]/.test(text)) { return false; }
    if (/^[-?:](\s|$)/.test(text) || /:(\s|$)/.test(text) || /\s#/.test(text)) { return false; }
    return !/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(text);
  }

  function doubleQuoted(text) { return '"' + text.replace(/\\/g, "\\\\").replace(/"/g, '\\"') + '"'; }

  function yamlScalar(value, identifier) {
    var text = String(value);
    if (typeof value === "number") { return text; }
    if (identifier || misread(text)) { return doubleQuoted(text); }
    if (plainAllowed(text)) { return text; }
    return text.indexOf("'") >= 0 ? doubleQuoted(text) : "'" + text + "'";
  }

  // A map is a list of [key, value] pairs (null values left out); a list of maps is {list: [...]}.
  function yamlMap(pairs, indent, first) {
    return pairs.filter(function (p) { return p[1] !== undefined && p[1] !== null; }).map(function (pair, index) {
      var lead = index === 0 && first !== undefined ? first : indent;
      var key = pair[0], value = pair[1];
      if (Array.isArray(value)) { return lead + key + ":\n" + yamlMap(value, indent + "  "); }
      if (value.list) {
        if (!value.list.length) { return lead + key + ": []"; }
        return lead + key + ":\n" + value.list.map(function (item) {
          return yamlMap(item, indent + "    ", indent + "  - ");
        }).join("\n");
      }
      if (R.yaml.dates.indexOf(key) >= 0 && /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(value)) { return lead + key + ": " + value; }
      return lead + key + ": " + yamlScalar(value, R.yaml.identifiants.indexOf(key) >= 0);
    }).join("\n");
  }

  function yamlDocument(m, pieces) {
    var members = m.members.map(function (x) {
      var pairs = [[x.kind, x.numero], ["nom_exercice", x.nom], ["prenom", x.prenom], ["profession", x.profession],
        ["mode_exercice", x.mode], ["role", x.role]];
      if (x.role === "delegue" && x.formationComplete) {
        pairs.push(["formation", [["date", x.formation.date], ["organisme", x.formation.organisme],
          ["duree_heures", x.formation.heures]]]);
      }
      return pairs;
    });
    var declared = pieces.filter(function (p) { return hashes[p.key]; }).map(function (p) {
      return [["type", p.type], ["membre", p.member ? p.member.numero : null], ["sha256", hashes[p.key].sha]];
    });
    return R.yaml.entete + "\n" + yamlMap([
      ["equipe", [["nom", m.nom], ["structure", m.structure], ["commune", m.commune], ["code_postal", m.codePostal]]],
      ["date_declaration", m.date], ["membres", { list: members }], ["pieces", { list: declared }]], "") + "\n";
  }

  // -- reading the form ---------------------------------------------------------------------------
  function protocolById(id) { return R.protocoles.filter(function (p) { return p.id === id; })[0] || null; }

  function memberField(el, name) { return el.querySelector('[data-champ="' + name + '"]'); }

  function readMember(el, position) {
    var numero = memberField(el, "numero").value.replace(/[\s.]/g, "");
    var hours = memberField(el, "formation-heures").value.trim().replace(",", ".");
    var member = {
      uid: el.dataset.uid, el: el, position: position, prenom: clean(memberField(el, "prenom").value),
      nom: clean(memberField(el, "nom").value), role: memberField(el, "role").value,
      profession: memberField(el, "profession").value, mode: memberField(el, "mode").value, numero: numero,
      kind: /^[0-9]{11}$/.test(numero) ? "rpps" : /^[0-9]{9}$/.test(numero) ? "adeli" : null,
      formation: { date: memberField(el, "formation-date").value, organisme: clean(memberField(el, "formation-organisme").value),
        heures: hours === "" ? null : Number(hours) }
    };
    member.who = member.prenom || member.nom ? clean(member.prenom + " " + member.nom) : "le membre n° " + (position + 1);
    member.formationEmpty = !member.formation.date && !member.formation.organisme && member.formation.heures === null;
    member.formationComplete = Boolean(member.formation.date && member.formation.organisme && member.formation.heures !== null
      && isFinite(member.formation.heures) && member.formation.heures >= 0 && member.formation.heures <= 10000);
    return member;
  }

  function readForm() {
    var members = Array.prototype.map.call($("d-membres").children, readMember);
    return {
      region: $("d-region").value, protocol: protocolById($("d-protocole").value), nom: clean($("d-nom").value),
      equipe: $("d-equipe").value.trim(), structure: $("d-structure").value, commune: clean($("d-commune").value),
      codePostal: $("d-code-postal").value.replace(/\s/g, ""), date: $("d-date").value, members: members
    };
  }

  function neededPieces(m) {
    var list = R.pieces_equipe.map(function (type) { return { key: type + "|equipe", type: type, member: null }; });
    m.members.forEach(function (x) {
      if (!x.role || !x.mode) { return; }
      R.pieces_membre[x.role][x.mode].forEach(function (type) {
        list.push({ key: type + "|" + x.uid, type: type, member: x });
      });
    });
    return list;
  }

  // -- findings, in plain French --------------------------------------------------------------------
  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  function checkTexts(out, pairs, forbidden) {
    var bad = new RegExp(forbidden);
    pairs.forEach(function (p) {
      if (p[1] && bad.test(p[1])) {
        out.push(finding("caracteres", p[2], p[0] + " contient des caractères non admis (" + p[3]
          + ") : écrivez-le en lettres, chiffres et ponctuation simple."));
      }
    });
  }

  function finding(code, field, text, level) { return { code: code, field: field, text: text, level: level || "bloquant" }; }

  function checkProtocolAndTeam(m, out) {
    if (!m.region) { out.push(finding("region", "d-region", "Choisissez la région de votre équipe.")); }
    if (!m.protocol) { out.push(finding("protocole", "d-protocole", "Choisissez le protocole auquel l'équipe adhère.")); }
    if (m.protocol && (!m.protocol.delegants.length || !m.protocol.delegues.length)) {
      out.push(finding("professions-inconnues", "d-protocole", "Le registre ne connaît pas les professions prévues par ce "
        + "protocole (dossier historique) : il ne peut pas être déclaré ici. Contactez l'ARS de votre région."));
    }
    if (!m.nom) { out.push(finding("nom", "d-nom", "Indiquez le nom de l'équipe.")); }
    var slug = whole(R.identifiant_equipe.motif);
    if (!slug.test(m.equipe) || m.equipe.length > R.identifiant_equipe.longueur_max) {
      out.push(finding("equipe", "d-equipe", "L'identifiant de l'équipe doit être fait de lettres minuscules sans accent, "
        + "de chiffres et de tirets (exemple : msp-des-tilleuls)."));
    } else if (m.protocol && m.protocol.portee === "local" && m.equipe !== m.protocol.equipe_promotrice) {
      out.push(finding("protocole-local-autre-equipe", "d-equipe", "Ce protocole local est réservé à l'équipe « "
        + m.protocol.equipe_promotrice + " » : indiquez cet identifiant, ou choisissez un autre protocole."));
    }
    if (!m.structure) { out.push(finding("structure", "d-structure", "Choisissez le type de structure de l'équipe.")); }
    if (!m.commune) { out.push(finding("commune", "d-commune", "Indiquez la commune de la structure.")); }
    if (!/^[0-9]{5}$/.test(m.codePostal)) {
      out.push(finding("code_postal", "d-code-postal", "Le code postal doit compter 5 chiffres (exemple : 69003)."));
    }
    if (!m.date) { out.push(finding("date", "d-date", "Indiquez la date de déclaration.")); }
    else if (m.date > today()) { out.push(finding("date-future", "d-date", "La date de déclaration ne peut pas être dans le futur.")); }
    checkTexts(out, [["Le nom de l'équipe", m.nom, "d-nom", "< > { } | @ ou accent grave"],
      ["La commune", m.commune, "d-commune", "< > { } | @ ou accent grave"]], R.interdits.texte);
  }

  // « de Marie Dupont », or « du membre n° 2 » while the name is not typed yet.
  function of(x) { return x.prenom || x.nom ? " de " + x.who : " du membre n° " + (x.position + 1); }

  function checkMember(x, m, seen, out) {
    var id = function (name) { return memberField(x.el, name).id; };
    if (!x.prenom) { out.push(finding("prenom", id("prenom"), "Indiquez le prénom du membre n° " + (x.position + 1) + ".")); }
    if (!x.nom) { out.push(finding("nom_exercice", id("nom"), "Indiquez le nom d'exercice" + of(x) + ".")); }
    checkTexts(out, [["Le prénom " + of(x).trim(), x.prenom, id("prenom"), "< > { } | @ ; ou accent grave"],
      ["Le nom " + of(x).trim(), x.nom, id("nom"), "< > { } | @ ; ou accent grave"],
      ["L'organisme de formation " + of(x).trim(), x.formation.organisme, id("formation-organisme"), "< > { } | @ ; ou accent grave"]],
      R.interdits.membre);
    if (!x.profession) { out.push(finding("profession", id("profession"), "Choisissez la profession" + of(x) + ".")); }
    if (!x.mode) { out.push(finding("mode_exercice", id("mode"), "Choisissez le mode d'exercice" + of(x) + ".")); }
    checkNumber(x, seen, out, id("numero"));
    if (x.role === "delegue") { checkTraining(x, m, out, id); }
  }

  function checkNumber(x, seen, out, field) {
    if (!x.numero) {
      out.push(finding("identifiant", field, "Indiquez le numéro RPPS (ou, à défaut, ADELI)" + of(x) + "."));
    } else if (!x.kind) {
      out.push(finding("identifiant", field, "Le numéro" + of(x) + " n'est ni un numéro RPPS (11 chiffres) ni un numéro ADELI (9 chiffres)."));
    } else if (x.kind === "rpps" && !luhnValid(x.numero)) {
      out.push(finding("rpps-cle-invalide", field, "Le numéro RPPS " + x.numero + of(x) + " est invalide (sa clé, "
        + "le dernier chiffre, ne correspond pas) : recopiez-le depuis la carte CPS ou l'annuaire santé."));
    } else if (seen[x.numero] !== undefined) {
      out.push(finding("membre-en-double", field, "Le numéro" + of(x) + " est déjà celui du membre n° " + (seen[x.numero] + 1)
        + " : un professionnel n'apparaît qu'une fois dans l'équipe."));
    } else { seen[x.numero] = x.position; }
  }

  function checkTraining(x, m, out, id) {
    var f = x.formation, required = m.protocol && m.protocol.formation_heures;
    if (x.formationEmpty) {
      out.push(finding("formation-manquante", id("formation-date"), "Indiquez la formation" + of(x)
        + " (date de fin, organisme, durée) : elle est demandée à chaque délégué.", "a-completer"));
    } else if (!x.formationComplete) {
      var missing = [!f.date && "la date de fin", !f.organisme && "l'organisme", (f.heures === null || !(f.heures >= 0 && f.heures <= 10000)) && "la durée (en heures)"];
      out.push(finding("formation", id(!f.date ? "formation-date" : !f.organisme ? "formation-organisme" : "formation-heures"),
        "Complétez la formation" + of(x) + " : " + missing.filter(Boolean).join(", ") + "."));
    } else if (f.date > today()) {
      out.push(finding("date-future", id("formation-date"), "La date de fin de formation" + of(x) + " ne peut pas être dans le futur."));
    } else if (required && f.heures < required) {
      out.push(finding("formation-insuffisante", id("formation-heures"), "La formation" + of(x) + " dure " + f.heures
        + " h ; le protocole en exige " + required + " h. Vérifiez la durée ou complétez la formation.", "a-completer"));
    }
  }

  function findings(m, pieces) {
    var out = [], seen = {};
    checkProtocolAndTeam(m, out);
    ["delegant", "delegue"].forEach(function (role) {
      if (m.protocol && !m.members.some(function (x) { return x.role === role; })) {
        out.push(finding("role-manquant", "d-ajouter", "Ajoutez au moins un " + R.referentiels.role[role].toLowerCase() + "."));
      }
    });
    m.members.forEach(function (x) { checkMember(x, m, seen, out); });
    pieces.forEach(function (p) {
      if (hashes[p.key]) { return; }
      var phrase = R.phrases_pieces[p.type] + (p.member ? of(p.member) : "");
      out.push(finding("piece-manquante", "d-piece-" + p.key.replace("|", "-"), "Ajoutez " + phrase + ".", "a-completer"));
    });
    return out;
  }

  // -- choices offered, from the protocol ------------------------------------------------------------
  function fillSelect(select, codes, labels, empty) {
    var keep = select.value;
    select.textContent = "";
    select.appendChild(new Option(empty, ""));
    codes.forEach(function (code) { select.appendChild(new Option(labels ? labels[code] || code : code, code)); });
    select.value = codes.indexOf(keep) >= 0 ? keep : codes.length === 1 ? codes[0] : "";
  }

  function protocolsIn(region) {
    return R.protocoles.filter(function (p) { return p.regions.indexOf(region) >= 0; });
  }

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
    var labels = R.referentiels.profession;
    var names = function (codes) { return codes.map(function (c) { return labels[c] || c; }).join(", ") || "non connues"; };
    var rows = [["Délégants", names(p.delegants)], ["Délégués", names(p.delegues)],
      ["Formation exigée des délégués", p.formation_heures ? p.formation_heures + " heures" : "non précisée"]];
    if (p.cadres_exercice.length) { rows.push(["Structures admises", p.cadres_exercice.map(function (c) { return R.referentiels.cadre_exercice[c]; }).join(", ")]); }
    if (p.modes_exercice.length) { rows.push(["Modes d'exercice admis", p.modes_exercice.map(function (c) { return R.referentiels.mode_exercice[c]; }).join(", ")]); }
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
    fillSelect($("d-structure"), cadres, R.referentiels.cadre_exercice, "— Choisissez —");
    describeProtocol(p);
    if (p && p.portee === "local" && !$("d-equipe").value) { $("d-equipe").value = p.equipe_promotrice; teamIdTouched = true; }
    Array.prototype.forEach.call($("d-membres").children, function (el) { refreshMember(el, p); });
  }

  function refreshMember(el, p) {
    var role = memberField(el, "role").value;
    var professions = p ? p[role === "delegant" ? "delegants" : "delegues"] : [];
    fillSelect(memberField(el, "profession"), professions, R.referentiels.profession,
      p ? "— Choisissez —" : "— Choisissez d'abord le protocole —");
    var modes = p && p.modes_exercice.length ? p.modes_exercice : Object.keys(R.referentiels.mode_exercice);
    fillSelect(memberField(el, "mode"), modes, R.referentiels.mode_exercice, "— Choisissez —");
    el.querySelector('[data-bloc="formation"]').hidden = role !== "delegue";
  }

  // -- members -----------------------------------------------------------------------------------------
  function addMember(role) {
    var el = $("d-modele-membre").content.firstElementChild.cloneNode(true);
    var uid = String(nextUid++);
    el.dataset.uid = uid;
    el.querySelectorAll("[data-champ]").forEach(function (input) {
      input.id = "d-m" + uid + "-" + input.dataset.champ;
      el.querySelector('[data-pour="' + input.dataset.champ + '"]').htmlFor = input.id;
    });
    var roles = Object.keys(R.referentiels.role);
    fillSelect(memberField(el, "role"), roles, R.referentiels.role, "— Choisissez —");
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
  function pieceLabel(p) {
    return R.referentiels.type_piece[p.type] + (p.member ? " — " + p.member.who : " — l'équipe");
  }

  function renderPieces(pieces) {
    var box = $("d-pieces");
    var keys = pieces.map(function (p) { return p.key; }).join(",");
    if (box.dataset.keys !== keys) {
      box.dataset.keys = keys;
      box.textContent = "";
      var list = box.appendChild(document.createElement("ul"));
      list.className = "coop-pieces";
      pieces.forEach(function (p) { list.appendChild(pieceRow(p)); });
    }
    pieces.forEach(function (p) {
      var id = "d-piece-" + p.key.replace("|", "-");
      document.querySelector('label[for="' + id + '"]').textContent = pieceLabel(p);
      var state = $(id + "-etat");
      state.textContent = "";
      if (hashes[p.key]) {
        state.append("Empreinte de « " + hashes[p.key].name + " » : ");
        state.appendChild(document.createElement("code")).textContent = hashes[p.key].sha;
      } else { state.textContent = "Aucun fichier choisi."; }
    });
  }

  function pieceRow(p) {
    var id = "d-piece-" + p.key.replace("|", "-");
    var item = document.createElement("li");
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
    return item;
  }

  function hashFile(input) {
    var file = input.files && input.files[0], key = input.dataset.piece;
    if (!file) { return; }
    if (file.size > R.taille_max_piece) {
      $(input.id + "-etat").textContent = "Le fichier dépasse 200 Mo : est-ce bien la pièce à déclarer ?";
      return;
    }
    if (!window.crypto || !window.crypto.subtle) {
      $(input.id + "-etat").textContent = "Votre navigateur ne sait pas calculer l'empreinte ici (page non sécurisée).";
      return;
    }
    $(input.id + "-etat").textContent = "Calcul de l'empreinte…";
    file.arrayBuffer().then(function (bytes) { return window.crypto.subtle.digest("SHA-256", bytes); }).then(function (digest) {
      hashes[key] = { sha: Array.prototype.map.call(new Uint8Array(digest), function (b) { return b.toString(16).padStart(2, "0"); }).join(""),
        name: file.name };
      update();
    });
  }

  // -- the result: file, prefilled issue, or copy-and-paste ---------------------------------------------
  function memberLine(x) {
    var cells = [x.numero, x.nom, x.prenom, x.profession, x.mode, x.role];
    if (x.role === "delegue" && x.formationComplete) { cells.push(x.formation.date, x.formation.organisme, String(x.formation.heures)); }
    return cells.join(" ; ");
  }

  function pieceLine(p) { return [p.type, p.member ? p.member.numero : "", hashes[p.key].sha].join(" ; "); }

  function issueFields(m, pieces) {
    return [["region", m.region + " — " + R.referentiels.region[m.region]], ["protocole", m.protocol.id], ["equipe", m.equipe],
      ["nom", m.nom], ["structure", m.structure + " — " + R.referentiels.cadre_exercice[m.structure]], ["commune", m.commune],
      ["code_postal", m.codePostal], ["date", m.date], ["membres", m.members.map(memberLine).join("\n")],
      ["pieces", pieces.filter(function (p) { return hashes[p.key]; }).map(pieceLine).join("\n")]];
  }

  function issueUrl(m, fields) {
    var title = "Adhésion : " + m.nom + " au protocole " + m.protocol.id;
    var query = [["template", R.formulaire.modele], ["title", title]].concat(fields).map(function (pair) {
      return pair[0] + "=" + encodeURIComponent(pair[1]);
    });
    return R.formulaire.url + "?" + query.join("&");
  }

  function renderResult(m, pieces, blocking) {
    $("d-envoi").hidden = blocking > 0;
    $("d-resultat-etat").textContent = blocking > 0
      ? "La demande s'affichera quand les points bloquants de la vérification seront corrigés." : "";
    if (blocking > 0) { return; }
    var text = yamlDocument(m, pieces);
    var path = "adhesions/" + m.region + "/" + m.protocol.id + "/" + m.equipe + ".yml";
    $("d-yaml").textContent = text;
    $("d-chemin").textContent = path;
    if (downloadUrl) { URL.revokeObjectURL(downloadUrl); }
    downloadUrl = URL.createObjectURL(new Blob([text], { type: "application/yaml" }));
    $("d-telecharger").href = downloadUrl;
    $("d-telecharger").download = m.equipe + ".yml";
    if ($("d-issue")) { renderIssue(m, pieces); }
  }

  function renderIssue(m, pieces) {
    var fields = issueFields(m, pieces), url = issueUrl(m, fields);
    var tooLong = url.length > R.formulaire.url_max;
    $("d-copie").hidden = !tooLong;
    if (tooLong) {
      url = issueUrl(m, fields.filter(function (f) { return f[0] !== "membres" && f[0] !== "pieces"; }));
      $("d-copie-membres").value = fields[8][1];
      $("d-copie-pieces").value = fields[9][1];
    }
    $("d-issue").href = url;
  }

  function renderFindings(list) {
    var box = $("d-constats");
    var blocking = list.filter(function (f) { return f.level === "bloquant"; }).length;
    var later = list.length - blocking;
    var signature = list.map(function (f) { return f.code + f.text; }).join("\n");
    if (box.dataset.signature === signature) { return blocking; }
    box.dataset.signature = signature;
    box.textContent = "";
    var summary = box.appendChild(document.createElement("p"));
    summary.className = "coop-constats-resume";
    summary.textContent = !list.length ? "Tout est prêt : la déclaration est complète."
      : blocking ? blocking + (blocking > 1 ? " points à corriger" : " point à corriger") + " avant d'envoyer"
        + (later ? ", puis " + later + " à compléter." : ".")
        : later + (later > 1 ? " éléments restent" : " élément reste") + " à compléter (pièces ou formation) : vous pouvez déjà envoyer, "
        + "la pull request restera en brouillon jusqu'à ce qu'ils soient ajoutés.";
    var ul = box.appendChild(document.createElement("ul"));
    list.forEach(function (f) {
      var li = ul.appendChild(document.createElement("li"));
      li.dataset.code = f.code;
      li.className = "coop-constat-" + f.level;
      var link = li.appendChild(document.createElement("a"));
      link.href = "#" + f.field;
      link.textContent = f.text;
    });
    return blocking;
  }

  function update() {
    var m = readForm();
    if (!teamIdTouched) { $("d-equipe").value = m.nom ? suggestSlug(m.nom) : ""; m.equipe = $("d-equipe").value; }
    legendMembers(m);
    var pieces = neededPieces(m);
    renderPieces(pieces);
    var list = findings(m, pieces);
    renderResult(m, pieces, renderFindings(list));
  }

  // -- events ----------------------------------------------------------------------------------------------
  function onChange(event) {
    var target = event.target;
    if (target.id === "d-region") { fillProtocols(); refreshChoices(); }
    else if (target.id === "d-protocole") { wantedProtocol = target.value; refreshChoices(); }
    else if (target.id === "d-equipe") { teamIdTouched = target.value !== ""; }
    else if (target.dataset.champ === "role") { refreshMember(target.closest(".coop-membre"), protocolById($("d-protocole").value)); }
    else if (target.dataset.piece && event.type === "change") { hashFile(target); return; }
    update();
  }

  function onClick(event) {
    var target = event.target;
    if (target.id === "d-ajouter") { memberField(addMember(""), "prenom").focus(); update(); }
    else if (target.dataset.action === "retirer") {
      var el = target.closest(".coop-membre");
      Object.keys(hashes).forEach(function (key) { if (key.split("|")[1] === el.dataset.uid) { delete hashes[key]; } });
      el.remove();
      $("d-ajouter").focus();
      update();
    } else if (target.dataset.copier) { copyText(target.dataset.copier); }
  }

  function copyText(id) {
    var area = $(id);
    var done = function () { $("d-copie-etat").textContent = "Texte copié : collez-le dans le champ du même nom du formulaire GitHub."; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(area.value).then(done, function () { area.select(); document.execCommand("copy"); done(); });
    } else { area.select(); document.execCommand("copy"); done(); }
  }

  function applyUrl() {
    var params = new URLSearchParams(window.location.search);
    wantedProtocol = params.get("protocole") || "";
    var region = params.get("region") || "";
    var wanted = protocolById(wantedProtocol);
    if (!region && wanted && wanted.regions.length === 1) { region = wanted.regions[0]; }
    if (R.referentiels.region[region]) { $("d-region").value = region; }
    fillProtocols();
    refreshChoices();
  }

  function start(rules) {
    R = rules;
    var regions = Object.keys(R.referentiels.region);
    fillSelect($("d-region"), regions, R.referentiels.region, "— Choisissez la région —");
    $("d-region").value = "";
    $("d-date").value = today();
    $("d-date").max = today();
    addMember("delegant");
    addMember("delegue");
    applyUrl();
    form.addEventListener("input", onChange);
    form.addEventListener("change", onChange);
    form.addEventListener("click", onClick);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    update();
  }

  window.coopDeclaration = { yamlScalar: function (v, id) { return yamlScalar(v, id); }, luhnValid: luhnValid,
    suggestSlug: suggestSlug, ready: false };
  fetch(form.dataset.regles).then(function (r) { return r.json(); }).then(function (rules) {
    start(rules);
    window.coopDeclaration.ready = true;
  });
})();
