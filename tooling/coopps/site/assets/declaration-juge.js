/* « Déclarer une adhésion » (coop-ps as code): the page's judge. Plain JavaScript, no dependency.
 * judge(data, where, rules, options) gives the findings `coop verifier --brouillon` gives on the adhesion
 * file `data` at adhesions/<where.region>/<where.protocole>/<where.equipe>.yml, for every check that
 * needs no other file of the register. Every table and pattern comes from declarer/regles.json
 * (site/declaration_rules.py): the adhesion schema, the personal-data patterns, the départements, the
 * severities. The only logic written here is the interpretation of those tables and the few rules of
 * the validator's Python functions (rules/*.py), each named after the function it follows; the shared
 * corpus (tooling/tests/test_browser_judge_corpus.py) holds both to the same findings.
 * A finding is {code, level: "error" | "warning", path: [keys], text}; `text` is plain French. */
(function () {
  "use strict";

  var R = null, J = null, compiled = {};

  function re(spec, global) {
    var key = spec.source + "/" + spec.flags + (global ? "g" : "");
    if (!compiled[key]) { compiled[key] = new RegExp(spec.source, spec.flags + (global ? "g" : "")); }
    compiled[key].lastIndex = 0;
    return compiled[key];
  }

  function isObject(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function chars(text) { return Array.from(text).length; }  // code points, as Python's len()

  // -- layer 1: what the reader refuses in a value the page writes (textguards.INVISIBLE) ------------
  function invisible(value, path, out) {
    if (typeof value === "string") {
      if (re(J.invisibles).test(value)) { out.push(make("caractere-invisible", path, { value: value })); }
    } else if (Array.isArray(value)) {
      value.forEach(function (v, i) { invisible(v, path.concat([i]), out); });
    } else if (isObject(value)) {
      Object.keys(value).forEach(function (k) {
        if (re(J.invisibles).test(k)) { out.push(make("caractere-invisible", path.concat([k]), { value: k })); }
        invisible(value[k], path.concat([k]), out);
      });
    }
  }

  // -- layer 2: the adhesion schema (draft 2020-12, the keywords it uses) -----------------------------
  function typeOf(v) {
    if (v === null) { return "null"; }
    if (Array.isArray(v)) { return "array"; }
    if (typeof v === "number") { return Number.isInteger(v) ? "integer" : "number"; }
    return typeof v;
  }

  function hasType(v, type) {
    var t = typeOf(v);
    return t === type || (type === "number" && t === "integer");
  }

  function validDate(text) {  // jsonschema's "date" format: ISO 8601 calendar date, a real day
    var m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(text);
    if (!m) { return false; }
    var d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
  }

  function schemaErrors(v, s, path, out) {
    if (s.type && !(Array.isArray(s.type) ? s.type : [s.type]).some(function (t) { return hasType(v, t); })) {
      out.push({ keyword: "type", path: path, schema: s, value: v });
    }
    if (s.enum && !s.enum.some(function (e) { return e === v; })) { out.push({ keyword: "enum", path: path, schema: s, value: v }); }
    if (typeof v === "string") {
      if (s.minLength !== undefined && chars(v) < s.minLength) { out.push({ keyword: "minLength", path: path, schema: s, value: v }); }
      if (s.maxLength !== undefined && chars(v) > s.maxLength) { out.push({ keyword: "maxLength", path: path, schema: s, value: v }); }
      if (s.pattern !== undefined && !new RegExp(s.pattern, "u").test(v)) { out.push({ keyword: "pattern", path: path, schema: s, value: v }); }
      if (s.format === "date" && !validDate(v)) { out.push({ keyword: "format", path: path, schema: s, value: v }); }
    }
    if (typeof v === "number") {
      if (s.minimum !== undefined && v < s.minimum) { out.push({ keyword: "minimum", path: path, schema: s, value: v }); }
      if (s.maximum !== undefined && v > s.maximum) { out.push({ keyword: "maximum", path: path, schema: s, value: v }); }
    }
    if (Array.isArray(v)) {
      if (s.minItems !== undefined && v.length < s.minItems) { out.push({ keyword: "minItems", path: path, schema: s, value: v }); }
      if (s.items) { v.forEach(function (item, i) { schemaErrors(item, s.items, path.concat([i]), out); }); }
    }
    if (isObject(v)) {
      (s.required || []).forEach(function (key) {
        if (!(key in v)) { out.push({ keyword: "required", path: path.concat([key]), schema: s, value: v }); }
      });
      Object.keys(v).forEach(function (key) {
        if (s.properties && s.properties[key]) { schemaErrors(v[key], s.properties[key], path.concat([key]), out); }
        else if (s.additionalProperties === false) { out.push({ keyword: "additionalProperties", path: path.concat([key]), schema: s, value: v[key] }); }
      });
      if (s.anyOf && !s.anyOf.some(function (sub) { var e = []; schemaErrors(v, sub, path, e); return !e.length; })) {
        out.push({ keyword: "anyOf", path: path, schema: s, value: v });
      }
    }
  }

  function schemaFindings(data, out) {
    var errors = [];
    schemaErrors(data, J.schema, [], errors);
    var mistyped = {};  // a value of the wrong type fails its enum or pattern too: said once (schema.Schemas.check)
    errors.forEach(function (e) { if (e.keyword === "type") { mistyped[JSON.stringify(e.path)] = true; } });
    errors.forEach(function (e) {
      if (e.keyword !== "type" && mistyped[JSON.stringify(e.path)]) { return; }
      out.push(make(J.codes_mots_cles[e.keyword] || "schema-non-respecte", e.path, { keyword: e.keyword, value: e.value, schema: e.schema }));
    });
  }

  // -- privacy (personal.personal_data, rules/privacy.check) ------------------------------------------
  // textfold.folded: one plain spelling of any text, for matching only
  function foldChars(text) {
    if (/^[\x00-\x7f]*$/.test(text)) { return text; }
    var F = J.vie_privee.pliage, out = "";
    Array.from(text.normalize("NFKD")).forEach(function (ch) {
      if (/[\p{Mn}\p{Me}\p{Cf}\p{Cn}\p{Co}\p{Cs}]/u.test(ch) || F.ignorables.indexOf(ch.codePointAt(0)) >= 0) { return; }
      if (/\p{Nd}/u.test(ch)) { out += F.chiffres[ch] || ch; return; }
      if (/\p{Zs}/u.test(ch)) { out += " "; return; }
      if (/\p{Pd}/u.test(ch)) { out += "-"; return; }
      out += F.confusables[ch] || ch;
    });
    return out;
  }

  function decoded(text) {  // html.unescape, urllib.parse.unquote(errors="ignore"), \uXXXX escapes
    if (text.indexOf("&") >= 0) { var area = document.createElement("textarea"); area.innerHTML = text; text = area.value; }
    if (text.indexOf("%") >= 0) {
      text = text.replace(/(?:%[0-9a-fA-F]{2})+/g, function (run) {
        var bytes = new Uint8Array(run.length / 3);
        for (var i = 0; i < bytes.length; i++) { bytes[i] = parseInt(run.substr(3 * i + 1, 2), 16); }
        return new TextDecoder("utf-8").decode(bytes).replace(/\uFFFD/g, "");
      });
    }
    if (text.indexOf("\\") >= 0) {
      text = text.replace(/\\(?:u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2}))/g, function (m, u, x) {
        return String.fromCharCode(parseInt(u || x, 16));
      });
    }
    return text;
  }

  function folded(text) {
    text = foldChars(text);
    if (/[&%\\]/.test(text)) { text = foldChars(decoded(decoded(text))); }
    return text;
  }

  function spelledOut(text) {  // textfold.spelled_out
    var W = J.vie_privee.pliage.ecrits;
    text = text.replace(re(W[1], true), "@").replace(re(W[0], true), "@");
    text = text.replace(re(W[2], true), ".").replace(re(W[3], true), ".").replace(re(W[4], true), ".");
    if (text.indexOf("@") < 0) { return text; }
    var parts = text.split("@"), last = parts.length - 1;
    return parts.map(function (part, i) {
      return i === 0 ? part.replace(/\s+$/, "") : i === last ? part.replace(/^\s+/, "") : part.trim();
    }).join("@");
  }

  function personalData(text) {  // personal.personal_data, in its order
    var P = J.vie_privee.motifs, what = J.vie_privee.quoi, m;
    var plain = folded(text);
    if (re(P.EMAIL_HINT).test(plain) && re(P.EMAIL).test(spelledOut(plain))) { return what.EMAIL; }
    var outside = plain.indexOf("://") >= 0 ? plain.replace(re(P.URL, true), " ") : plain;
    if (re(P.NIR).test(outside)) { return what.NIR; }
    if (re(P.PHONE).test(plain)) { return what.PHONE; }
    if (plain !== outside) {
      var links = plain.match(re(P.URL, true)) || [];
      if (links.some(function (link) { return re(P.LINK_PHONE).test(link); })) { return what.PHONE; }
    }
    var rpps = re(P.RPPS, true);
    while ((m = rpps.exec(outside)) !== null) { if (luhnValid(m[0])) { return what.RPPS; } }
    if (re(P.STREET).test(outside)) { return what.STREET; }
    return null;
  }

  function privacy(value, path, out) {
    if (typeof value === "string") {
      var what = personalData(value);
      if (what) { out.push(make("donnee-personnelle", path, { what: what })); }
    } else if (Array.isArray(value)) {
      value.forEach(function (v, i) { privacy(v, path.concat([i]), out); });
    } else if (isObject(value)) {
      Object.keys(value).forEach(function (k) {
        if (typeof value[k] === "string" && J.vie_privee.cles_identifiants.indexOf(k) >= 0) { return; }
        privacy(value[k], path.concat([k]), out);
      });
    }
  }

  function pathPrivacy(where, out) {  // rules/privacy.check_path: folder and file names
    var parts = [where.region, where.protocole, where.equipe];
    for (var i = 0; i < parts.length; i++) {
      var what = personalData(String(parts[i] || "").replace(/-/g, " ").replace(/_/g, " "));
      if (what) { out.push(make("donnee-personnelle", ["@equipe"], { what: what, identifier: true })); return; }
    }
  }

  function pathValid(where) {  // paths.classify, for the team id the page lets a person type
    var team = String(where.equipe || ""), reserved = J.chemin.reserve;
    var whole = new RegExp("^(?:" + reserved.source + ")$", reserved.flags);
    if ([where.region, where.protocole, team + ".yml"].some(function (part) { return whole.test(part); })) { return false; }
    return team.length <= J.chemin.longueur_max && new RegExp("^(?:" + J.chemin.equipe + ")$").test(team);
  }

  // -- layer 3: the register rules that need no other file ---------------------------------------------
  function luhnValid(number) {
    var total = 0;
    number.split("").reverse().forEach(function (char, position) {
      var digit = Number(char);
      if (position % 2 === 1) { digit = digit > 4 ? digit * 2 - 9 : digit * 2; }
      total += digit;
    });
    return total % 10 === 0;
  }

  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  function members(data) { return Array.isArray(data.membres) ? data.membres.filter(isObject) : []; }
  function number(x) { return x.rpps || x.adeli; }

  function dates(data, out) {  // rules/dates.check_adhesion (the page writes no suspension, fin nor reprise)
    var now = today();
    if (typeof data.date_declaration === "string" && data.date_declaration > now) {
      out.push(make("date-future", ["date_declaration"], { value: data.date_declaration }));
    }
    members(data).forEach(function (x, i) {
      var f = x.formation;
      if (isObject(f) && typeof f.date === "string" && f.date > now) {
        out.push(make("date-future", ["membres", i, "formation", "date"], { value: f.date, member: x }));
      }
    });
  }

  function department(postal) {  // geography.Geography.department_of
    var G = J.geographie;
    if (postal.indexOf("20") === 0) { return postal < "20200" ? "2A" : "2B"; }
    var prefix = postal.indexOf("97") === 0 ? postal.slice(0, 3) : postal.slice(0, 2);
    return G.departements[prefix] ? prefix : null;
  }

  function regionsOf(postal) {
    var G = J.geographie, found = [];
    (G.partages[postal] || [department(postal)]).forEach(function (dep) {
      var d = G.departements[dep];
      if (d && found.indexOf(d.region) < 0) { found.push(d.region); }
    });
    return found;
  }

  function geography(data, where, out) {  // rules/geography.check
    var postal = isObject(data.equipe) ? data.equipe.code_postal : undefined;
    if (typeof postal !== "string" || !/^[0-9]{5}$/.test(postal) || !where.region) { return; }
    var outside = J.geographie.hors_region[postal.slice(0, 3)], regions = regionsOf(postal);
    if (!outside && regions.length === 1 && regions[0] === where.region) { return; }
    var code = regions.indexOf(where.region) >= 0 ? "code-postal-a-verifier" : "code-postal-hors-region";
    out.push(make(code, ["equipe", "code_postal"], { postal: postal, outside: outside, regions: regions, region: where.region }));
  }

  function protocolApplies(data, where, p, out) {  // rules/adhesions.check_protocol_applies
    if (!p) { out.push(make("protocole-inconnu", ["@protocole"], {})); return; }
    if (p.arrete && typeof data.date_declaration === "string" && data.date_declaration < p.arrete) {
      out.push(make("dates-incoherentes", ["date_declaration"], { value: data.date_declaration, arrete: p.arrete }));
    }
    if (p.regions.indexOf(where.region) >= 0 && (p.portee !== "local" || where.equipe === p.equipe_promotrice)) { return; }
    if (p.portee === "regional") { out.push(make("protocole-hors-region", ["@protocole"], { protocol: p })); }
    else if (p.portee === "local") { out.push(make("protocole-local-autre-equipe", ["@equipe"], { protocol: p })); }
  }

  function person(x) {  // rules/adhesions._person: names (case, accents aside) and profession
    var names = [x.prenom, x.nom_exercice].filter(function (n) { return typeof n === "string"; }).map(function (n) {
      return n.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().split(/\s+/).filter(Boolean).join(" ");
    });
    return names.length < 2 || !names.every(Boolean) ? null : names.concat([String(x.profession)]).join("|");
  }

  function samePersonTwice(list, out) {  // rules/adhesions._same_person_two_numbers
    var byRpps = {};
    list.forEach(function (x, i) { var who = person(x); if (x.rpps && who && !(who in byRpps)) { byRpps[who] = i; } });
    list.forEach(function (x, i) {
      var twin = x.adeli && !x.rpps ? byRpps[person(x)] : undefined;
      if (twin !== undefined) { out.push(make("personne-en-double", ["membres", i], { member: x, first: twin })); }
    });
  }

  function rendersBlank(text) {  // textguards.renders_blank
    var blanks = J.vie_privee.pliage.blancs;
    return Array.from(text).every(function (ch) {
      return blanks.indexOf(ch) >= 0 || /[\p{Zs}\p{Zl}\p{Zp}\p{Cc}\p{Cf}\p{Cn}\p{Co}\p{Cs}\p{Mn}\p{Me}]/u.test(ch);
    });
  }

  function blankNames(data, list, out) {  // rules/adhesions._blank_names
    var equipe = isObject(data.equipe) ? data.equipe : {};
    ["nom", "commune"].forEach(function (k) {
      if (typeof equipe[k] === "string" && rendersBlank(equipe[k])) { out.push(make("nom-blanc", ["equipe", k], {})); }
    });
    list.forEach(function (x, i) {
      ["prenom", "nom_exercice"].forEach(function (k) {
        if (typeof x[k] === "string" && rendersBlank(x[k])) { out.push(make("nom-blanc", ["membres", i, k], { member: x })); }
      });
    });
  }

  function roles(data, p, out) {  // rules/adhesions.check_roles
    var list = members(data), seen = {};
    ["delegant", "delegue"].forEach(function (role) {
      if (Array.isArray(data.membres) && !list.some(function (x) { return x.role === role; })) {
        out.push(make("role-manquant", ["membres"], { role: role }));
      }
    });
    list.forEach(function (x, i) {
      ["rpps", "adeli"].forEach(function (key) {
        if (x[key] === undefined) { return; }
        if (seen[x[key]] !== undefined) { out.push(make("membre-en-double", ["membres", i, key], { member: x, first: seen[x[key]] })); }
        else { seen[x[key]] = i; }
      });
      if (x.role === "delegant" && "formation" in x) { out.push(make("formation-reservee-delegue", ["membres", i, "formation"], { member: x })); }
    });
    samePersonTwice(list, out);
    blankNames(data, list, out);
    if (!p) { return; }
    var structure = isObject(data.equipe) ? data.equipe.structure : undefined;
    if (p.cadres_exercice.length && structure !== undefined && p.cadres_exercice.indexOf(structure) < 0) {
      out.push(make("cadre-non-prevu", ["equipe", "structure"], { structure: structure, protocol: p }));
    }
    list.forEach(function (x, i) {
      var allowed = x.role === "delegant" ? p.delegants : p.delegues;
      if (x.role && x.profession && allowed.length && allowed.indexOf(x.profession) < 0) {
        out.push(make("profession-non-prevue", ["membres", i, "profession"], { member: x, allowed: allowed }));
      }
      if (x.mode_exercice && p.modes_exercice.length && p.modes_exercice.indexOf(x.mode_exercice) < 0) {
        out.push(make("mode-non-prevu", ["membres", i, "mode_exercice"], { member: x, protocol: p }));
      }
      var hours = isObject(x.formation) ? x.formation.duree_heures : undefined;
      if (x.role === "delegue" && p.formation_heures && typeof hours === "number" && hours < p.formation_heures) {
        out.push(make("formation-insuffisante", ["membres", i, "formation", "duree_heures"], { member: x, hours: hours, required: p.formation_heures }));
      }
    });
  }

  function identifiers(data, out) {  // rules/identifiers.check (rpps-orthographe needs the register)
    members(data).forEach(function (x, i) {
      if (typeof x.rpps === "string" && x.rpps && !luhnValid(x.rpps)) { out.push(make("rpps-cle-invalide", ["membres", i, "rpps"], { member: x })); }
    });
  }

  function close(one, other) {  // identifiers.close_numbers
    if (one.length !== other.length) { return false; }
    var diff = 0;
    for (var i = 0; i < one.length; i++) { if (one[i] !== other[i]) { diff++; } }
    return diff <= 2;
  }

  function completeness(data, out) {  // rules/completeness.check
    var list = members(data), pieces = Array.isArray(data.pieces) ? data.pieces.filter(isObject) : [];
    var mistyped = list.filter(function (x) { return x.rpps && !luhnValid(x.rpps); }).map(function (x) { return x.rpps; });
    var numbers = [];
    list.forEach(function (x) { ["rpps", "adeli"].forEach(function (k) { if (x[k]) { numbers.push(x[k]); } }); });
    var declared = {}, seen = {};
    pieces.forEach(function (piece, i) {
      var key = piece.type + "|" + (piece.membre || "");
      declared[key] = true;
      if (piece.membre && numbers.indexOf(piece.membre) < 0 && !mistyped.some(function (t) { return close(piece.membre, t); })) {
        out.push(make("piece-membre-inconnu", ["pieces", i, "membre"], { piece: piece }));
      }
      if (seen[key]) { out.push(make("piece-en-double", ["pieces", i], { piece: piece })); }
      seen[key] = true;
    });
    R.pieces_equipe.forEach(function (type) {
      if (!pieces.some(function (p) { return p.type === type; })) { out.push(make("piece-manquante", ["pieces"], { type: type, member: null })); }
    });
    list.forEach(function (x, i) {
      if (!x.role || !x.mode_exercice || !R.pieces_membre[x.role] || !R.pieces_membre[x.role][x.mode_exercice]) { return; }
      R.pieces_membre[x.role][x.mode_exercice].forEach(function (type) {
        var has = ["rpps", "adeli"].some(function (k) { return x[k] && declared[type + "|" + x[k]]; });
        if (mistyped.indexOf(number(x)) < 0 && !has) { out.push(make("piece-manquante", ["membres", i], { type: type, member: x, position: i })); }
      });
      if (x.role === "delegue" && !("formation" in x)) { out.push(make("formation-manquante", ["membres", i], { member: x })); }
    });
  }

  // -- the verdict ------------------------------------------------------------------------------------
  function make(code, path, ctx) {
    var check = J.constats[code] || { gravite: "error", completude: false };
    var level = check.completude ? "warning" : check.gravite;  // lowered as with --brouillon
    return { code: code, level: level, path: path, ctx: ctx };
  }

  /* options.robot: register rules only on a readable, schema-valid file at a valid path, as
   * `coop verifier` runs them (registers.Entry.valid). Without it (the form), they also run on the
   * well-formed parts of an unfinished declaration, so a person sees every mistake at once. */
  function judge(data, where, rules, options) {
    R = rules; J = rules.juger;
    var out = [], robot = options && options.robot;
    invisible(data, [], out);
    if (robot && out.length) { return out; }  // the reader refuses the file: nothing else is judged
    schemaFindings(data, out);
    var pathOk = pathValid(where);
    if (!pathOk) { out.push(make("chemin-invalide", ["@equipe"], { team: where.equipe })); }
    pathPrivacy(where, out);
    privacy(data, [], out);
    var blocked = !pathOk || out.some(function (f) { return f.level === "error" && f.code !== "donnee-personnelle"; });
    if (robot && blocked) { return out; }
    if (!isObject(data)) { return out; }
    var p = R.protocoles.filter(function (x) { return x.id === where.protocole; })[0] || null;
    dates(data, out);
    geography(data, where, out);
    if (where.protocole) { protocolApplies(data, where, p, out); }
    roles(data, p, out);
    identifiers(data, out);
    completeness(data, out);
    return out;
  }

  window.coopJuge = { judge: judge, luhnValid: luhnValid, personalData: function (text, rules) { J = rules.juger; return personalData(text); },
    regionsOf: regionsOf };
})();
