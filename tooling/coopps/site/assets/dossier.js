/* The dossier for the ARS (coop-ps as code), in the browser only: nothing is sent anywhere.
 *
 * On « Déclarer une adhésion »: builds the dossier of the declaration the form holds (the file in
 * `coop formater`'s form, every piece picked, the manifest), as a ZIP encrypted with age to the keys
 * the region's ARS published (dossier/regions.json, written at build time from relecteurs.yml),
 * and offers it for download with where to send it.
 * On « Ouvrir un dossier »: decrypts a dossier with the agent's key file, checks every piece
 * against the manifest and the adhesion's fingerprints, judges the adhesion with the page's judge
 * (declaration-juge.js, the findings of `coop verifier`) and offers each file for download.
 *
 * The format (shared with `coop dossier ouvrir`; docs/developpeurs/dossier-navigateur.md):
 *   dossier-<region>-<protocole>-<equipe>.age = age(ZIP of adhesion.yml, pieces/<NN>-<type>[-<membre>].<ext>,
 *   manifeste.json). Every text shown is inserted with textContent. */
import { Decrypter, Encrypter, parseYaml, unzipSync, zipSync } from "./vendor/dossier-libs.min.js";

const FORMAT = "coop-ps/dossier";
const VERSION = 1;
// The limits `coop dossier ouvrir` applies (coopps/dossier.py, published in dossier/regions.json):
// the encrypted file, the files in the ZIP and their size once inflated. The page builds nothing
// they would refuse. Set by useLimits() when the JSON is read.
let MAX_DOSSIER = 0, MAX_FILES = 0, MAX_INFLATED = 0;
const MEGA = 1024 * 1024;

function useLimits(document) {
  MAX_DOSSIER = document.limites.dossier;
  MAX_FILES = document.limites.fichiers;
  MAX_INFLATED = document.limites.contenu;
}
const AGE_MAGIC = "age-encryption.org/v1\n";
const encoder = new TextEncoder();

function $(id) { return document.getElementById(id); }

function el(tag, text, attributes) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) { node.textContent = text; }
  Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
  return node;
}

function paragraph(parent, text, className) {
  const node = parent.appendChild(el("p", text));
  if (className) { node.className = className; }
  return node;
}

async function sha256(bytes) {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

function sizeText(bytes) {
  if (bytes < 1024 * 1024) { return Math.max(1, Math.round(bytes / 1024)) + " Ko"; }
  return (bytes / (1024 * 1024)).toFixed(1).replace(".", ",") + " Mo";
}

async function loadJson(url) {
  const answer = await fetch(url);
  if (!answer.ok) { throw new Error(url + " : " + answer.status); }
  return answer.json();
}

function offerDownload(link, bytes, name, type) {
  if (link.href && link.href.startsWith("blob:")) { URL.revokeObjectURL(link.href); }
  link.href = URL.createObjectURL(new Blob([bytes], { type: type || "application/octet-stream" }));
  link.download = name;
  return link;
}

// -- the format ----------------------------------------------------------------------------------

/** pieces/<NN>-<type>[-<membre>].<ext>: NN its position in the adhesion's list, ext the original one. */
export function pieceName(position, type, member, originalName) {
  const dot = originalName.lastIndexOf(".");
  const ext = dot > 0 ? originalName.slice(dot + 1).toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, 8) : "";
  return "pieces/" + String(position).padStart(2, "0") + "-" + type + (member ? "-" + member : "")
    + "." + (ext || "bin");
}

export function dossierName(region, protocole, equipe) {
  return "dossier-" + region + "-" + protocole + "-" + equipe + ".age";
}

/** The ZIP's bytes: adhesion.yml, the pieces, manifeste.json (fixed dates: same input, same bytes). */
export function dossierZip(content, pieceBytes) {
  const when = new Date(content.date + "T12:00:00");
  const entries = { "adhesion.yml": [encoder.encode(content.adhesion), { level: 6 }] };
  const listed = content.pieces.map((piece, index) => {
    const name = pieceName(index + 1, piece.type, piece.membre, piece.nom);
    entries[name] = [pieceBytes[index], { level: 0 }];  // documents: already compressed, stored as they are
    return { fichier: name, type: piece.type, membre: piece.membre || null, sha256: piece.sha256,
      taille: pieceBytes[index].length };
  });
  const manifest = { format: FORMAT, version: VERSION, cree_le: content.date, region: content.region,
    protocole: content.protocole, equipe: content.equipe, adhesion: "adhesion.yml", pieces: listed };
  entries["manifeste.json"] = [encoder.encode(JSON.stringify(manifest, null, 2) + "\n"), { level: 6 }];
  return zipSync(entries, { mtime: when });
}

export async function encryptTo(recipients, bytes) {
  const encrypter = new Encrypter();
  recipients.forEach((recipient) => encrypter.addRecipient(recipient));
  return encrypter.encrypt(bytes);
}

// -- « Déclarer une adhésion »: preparing the dossier --------------------------------------------

const CHANNELS = {
  messagerie_securisee: "par la messagerie sécurisée de santé (MSSanté), en pièce jointe, à l'adresse de l'ARS :",
  adresse_fonctionnelle: "par courriel, en pièce jointe, à l'adresse fonctionnelle de l'ARS :",
  demarches_simplifiees: "en pièce jointe du formulaire en ligne de l'ARS :",
};

function channelBlock(parent, channel) {
  const block = parent.appendChild(el("div"));
  block.className = "coop-canal";
  const intro = paragraph(block, "Envoyez ce fichier " + CHANNELS[channel.type] + " ");
  if (channel.type === "demarches_simplifiees") {
    intro.appendChild(el("a", channel.adresse, { href: channel.adresse, rel: "noopener" }));
  } else {
    intro.appendChild(el("strong", channel.adresse));
  }
  if (channel.consigne) { paragraph(block, channel.consigne); }
  return block;
}

function fingerprintOf(content) {  // what the dossier holds, to see that the form changed since
  return JSON.stringify([content.adhesion, content.pieces.map((piece) => piece.nom)]);
}

class DossierPanel {
  constructor(box, regions) {
    this.box = box;
    this.regions = regions;
    this.shown = null;
    this.busy = false;
  }

  content() { return window.coopDeclaration.dossier(); }

  refresh() {
    const content = this.content();
    if (this.madeFrom && this.madeFrom !== fingerprintOf(content) && !this.result.hidden) {
      this.result.hidden = true;  // the file offered no longer says what the form says
      this.state.textContent = "La déclaration a changé depuis la préparation du dossier : préparez-le à nouveau.";
    }
    const key = content.region + "|" + (this.regions.regions[content.region] ? "cle" : "");
    if (key === this.shown || this.busy) { return; }
    this.shown = key;
    this.box.textContent = "";
    if (!content.region) { paragraph(this.box, "Choisissez la région de votre équipe."); return; }
    const region = this.regions.regions[content.region];
    if (region) { this.offer(region); } else { this.noKey(content.region); }
  }

  regionLabel(code) { return window.coopDeclaration.regles().referentiels.region[code] || code; }

  noKey(code) {
    paragraph(this.box, "L'ARS " + this.regionLabel(code) + " n'a pas encore publié de clé pour recevoir les "
      + "dossiers chiffrés : ce chemin n'est pas encore ouvert dans votre région.", "coop-alerte");
    paragraph(this.box, "Vous pouvez déclarer par le formulaire GitHub ci-dessous (il demande un compte GitHub, et "
      + "la demande est publique), ou télécharger le fichier de la déclaration, plus bas, pour le proposer vous-même "
      + "au registre. Gardez vos pièces : l'ARS vous dira comment les lui transmettre.");
  }

  offer(region) {
    paragraph(this.box, "Le dossier réunit la déclaration et toutes les pièces choisies, dans un seul fichier chiffré "
      + "que seuls les agents de l'ARS " + this.regionLabel(this.content().region) + " peuvent ouvrir. Il est préparé "
      + "ici, dans votre navigateur : rien n'est envoyé. Ce chemin ne demande aucun compte GitHub.");
    const button = this.box.appendChild(el("button", "Préparer le dossier pour l'ARS",
      { type: "button", id: "d-dossier-preparer" }));
    button.className = "md-button md-button--primary";
    button.addEventListener("click", () => this.prepare(region));
    this.state = paragraph(this.box, "", "coop-dossier-etat");
    this.state.id = "d-dossier-etat";
    this.state.setAttribute("role", "status");
    this.result = this.box.appendChild(el("div", null, { id: "d-dossier-resultat" }));
    this.result.hidden = true;
  }

  async prepare(region) {
    const content = this.content();
    this.result.hidden = true;
    if (!content.pret) { this.state.textContent = "Corrigez d'abord les points bloquants de la vérification."; return; }
    const forgotten = content.pieces.filter((piece) => !piece.fichier);
    if (forgotten.length) {
      this.state.textContent = "Le navigateur ne garde pas les fichiers quand la page est rechargée : choisissez à "
        + "nouveau " + (forgotten.length > 1 ? "ces pièces" : "cette pièce") + " (section 4) : "
        + forgotten.map((piece) => piece.libelle).join(" ; ") + ".";
      return;
    }
    const total = content.pieces.reduce((sum, piece) => sum + piece.fichier.size, 0);
    if (total > MAX_INFLATED - MEGA || content.pieces.length > MAX_FILES - 2) {
      this.state.textContent = "Les pièces pèsent ensemble " + sizeText(total) + " : c'est plus que ce qu'un dossier "
        + "peut porter (" + MAX_INFLATED / MEGA + " Mo). Réduisez la taille des fichiers (une photo ou un scan en "
        + "qualité moyenne suffit), puis choisissez-les à nouveau.";
      return;
    }
    this.busy = true;
    this.state.textContent = "Préparation et chiffrement du dossier…";
    try {
      const bytes = await this.readPieces(content.pieces);
      if (!bytes) { return; }
      const sealed = await encryptTo(region.destinataires, dossierZip(content, bytes));
      if (sealed.length > MAX_DOSSIER) {
        this.state.textContent = "Le dossier chiffré pèserait " + sizeText(sealed.length) + ", plus que les "
          + MAX_DOSSIER / MEGA + " Mo que l'ARS peut ouvrir : réduisez la taille des fichiers des pièces.";
        return;
      }
      this.done(content, region, sealed);
    } catch (error) {
      this.state.textContent = "Le dossier n'a pas pu être préparé (" + String(error.message || error) + "). "
        + "Rechargez la page et réessayez ; si cela se reproduit, utilisez un autre navigateur.";
    } finally {
      this.busy = false;
    }
  }

  /** Each file's bytes, read again now: a file changed since it was picked is not the one declared. */
  async readPieces(pieces) {
    const all = [];
    for (const piece of pieces) {
      const bytes = new Uint8Array(await piece.fichier.arrayBuffer());
      if (await sha256(bytes) !== piece.sha256) {
        this.state.textContent = "Le fichier « " + piece.nom + " » (" + piece.libelle + ") a changé depuis que vous "
          + "l'avez choisi : choisissez-le à nouveau (section 4), puis préparez le dossier.";
        return null;
      }
      all.push(bytes);
    }
    return all;
  }

  done(content, region, sealed) {
    this.madeFrom = fingerprintOf(content);
    const name = dossierName(content.region, content.protocole, content.equipe);
    this.state.textContent = "Le dossier est prêt : « " + name + " » (" + sizeText(sealed.length) + ").";
    this.result.textContent = "";
    const link = this.result.appendChild(el("a", "Télécharger le dossier chiffré", { id: "d-dossier-telecharger" }));
    link.className = "md-button";
    offerDownload(link, sealed, name);
    channelBlock(this.result, region.canal);
    paragraph(this.result, "L'ARS vérifie chaque pièce, instruit la déclaration et la publie au registre : les noms "
      + "et numéros RPPS ou ADELI des membres y deviennent publics, comme toute adhésion déclarée. Les pièces, "
      + "elles, restent à l'ARS et ne sont jamais publiées. Gardez une copie de vos pièces.");
    this.result.hidden = false;
    link.click();
  }
}

async function startDeclaration(box) {
  const form = $("coop-declaration");
  const regions = await loadJson($("d-dossier").dataset.regions);
  useLimits(regions);
  while (!(window.coopDeclaration && window.coopDeclaration.ready)) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const panel = new DossierPanel(box, regions);
  form.addEventListener("coop:maj", () => panel.refresh());
  panel.refresh();
  window.coopDossier = { ready: true };
}

// -- « Ouvrir un dossier »: opening and checking ---------------------------------------------------

class DossierError extends Error {}

function identities(text) {
  const keys = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.startsWith("AGE-SECRET-KEY-1"));
  if (!keys.length) {
    throw new DossierError("Ce fichier n'est pas une clé d'ARS : il doit contenir une ligne qui commence par "
      + "« AGE-SECRET-KEY-1 ». Choisissez le fichier de clé créé pour vous par « coop cle creer ».");
  }
  return keys;
}

function startsWith(bytes, text) {
  const head = encoder.encode(text);
  return bytes.length >= head.length && head.every((b, i) => bytes[i] === b);
}

const DAMAGED = "Le dossier est abîmé : il a été modifié, ou il est incomplet (envoi ou téléchargement interrompu). "
  + "Il ne peut pas être ouvert. Demandez à l'équipe de vous le renvoyer.";

export async function decrypt(sealed, keys) {
  if (!startsWith(sealed, AGE_MAGIC)) {
    throw new DossierError("Ce fichier n'est pas un dossier chiffré pour l'ARS (il ne commence pas comme un dossier "
      + "préparé par la page « Déclarer une adhésion »). Vérifiez la pièce jointe reçue.");
  }
  const decrypter = new Decrypter();
  try { keys.forEach((key) => decrypter.addIdentity(key)); } catch (error) {
    throw new DossierError("La clé est abîmée : la ligne « AGE-SECRET-KEY-1… » est incomplète ou modifiée. "
      + "Reprenez le fichier de clé d'origine.");
  }
  try {
    return await decrypter.decrypt(sealed);
  } catch (error) {
    const why = String(error && error.message);
    if (/no identity matched/.test(why)) {
      throw new DossierError("Ce dossier n'est pas chiffré pour votre clé : l'équipe l'a préparé pour d'autres "
        + "agents (une autre région, ou une clé remplacée depuis). Vérifiez que vous avez choisi votre clé "
        + "d'agent de cette ARS ; sinon, demandez à l'équipe de préparer à nouveau le dossier.");
    }
    throw new DossierError(DAMAGED);
  }
}

const NOT_A_DOSSIER = "Le fichier s'ouvre avec votre clé, mais ce n'est pas un dossier de déclaration "
  + "(il y manque la déclaration ou son manifeste). Demandez à l'équipe de le préparer avec la page « Déclarer une "
  + "adhésion ».";

export function unpack(plain) {
  let files, count = 0, inflated = 0;
  const bounded = (entry) => {  // sizes the archive declares, checked before anything is inflated
    count += 1;
    inflated += entry.originalSize;
    if (count > MAX_FILES || inflated > MAX_INFLATED) {
      throw new DossierError("Ce dossier contient plus de fichiers ou de données qu'un dossier de déclaration ("
        + MAX_FILES + " fichiers, " + MAX_INFLATED / MEGA + " Mo) : il n'est pas ouvert.");
    }
    return true;
  };
  try { files = unzipSync(plain, { filter: bounded }); } catch (error) {
    if (error instanceof DossierError) { throw error; }
    throw new DossierError(NOT_A_DOSSIER);
  }
  let manifest;
  try { manifest = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(files["manifeste.json"])); } catch (error) {
    throw new DossierError(NOT_A_DOSSIER);
  }
  if (!manifest || manifest.format !== FORMAT || !files[manifest.adhesion] || !Array.isArray(manifest.pieces)) {
    throw new DossierError(NOT_A_DOSSIER);
  }
  if (manifest.version !== VERSION) {
    throw new DossierError("Ce dossier est d'une version que cette page ne connaît pas (" + manifest.version
      + ") : mettez à jour le site, ou ouvrez-le avec « coop dossier ouvrir ».");
  }
  return { files, manifest };
}

function readAdhesion(bytes) {
  let text;
  try { text = new TextDecoder("utf-8", { fatal: true }).decode(bytes); } catch (error) {
    throw new DossierError("La déclaration du dossier n'est pas un texte lisible : demandez à l'équipe de préparer "
      + "à nouveau le dossier.");
  }
  let data;
  try { data = parseYaml(text); } catch (error) {
    throw new DossierError("La déclaration du dossier est illisible (" + String(error.message).split("\n")[0]
      + ") : demandez à l'équipe de préparer à nouveau le dossier.");
  }
  return { text, data };
}

/** Every piece checked: the adhesion's list (what the register will hold), the manifest, the files.
 * Findings as data: {kind, text, fichier?}; kinds: manquante, differente, en-trop, meme-fichier, manifeste. */
export async function checkPieces(files, manifest, declared) {
  const actual = {};
  for (const name of Object.keys(files).filter((n) => n.startsWith("pieces/") && !n.endsWith("/"))) {
    actual[name] = await sha256(files[name]);
  }
  const rows = [], findings = [], used = {};
  const entries = manifest.pieces.map((entry) => (entry && typeof entry === "object" ? entry : {}));
  (Array.isArray(declared) ? declared : []).forEach((piece, index) => {
    if (!piece || typeof piece !== "object") { return; }
    // The manifest lists the pieces in the adhesion's order; a piece moved is found by its fingerprint.
    const same = (entry) => entry && entry.sha256 === piece.sha256;
    const listed = same(entries[index]) ? entries[index] : entries.find(same) || entries[index];
    const name = listed && typeof listed.fichier === "string" ? listed.fichier : null;
    const row = { position: index + 1, type: piece.type, membre: piece.membre || null, sha256: piece.sha256,
      fichier: name || null, etat: "conforme" };
    if (!name || !(name in actual)) {
      row.etat = "manquante";
      findings.push({ kind: "manquante", position: index + 1, text: "La pièce n° " + (index + 1) + " déclarée n'est pas "
        + "dans le dossier." });
    } else if (actual[name] !== piece.sha256) {
      row.etat = "differente";
      findings.push({ kind: "differente", fichier: name, text: "Le fichier « " + name + " » n'est pas celui que "
        + "l'équipe a déclaré : son empreinte ne correspond pas." });
    }
    if (name) { used[name] = true; }
    rows.push(row);
  });
  Object.keys(actual).filter((name) => !used[name]).forEach((name) => {
    findings.push({ kind: "en-trop", fichier: name, text: "Le fichier « " + name + " » est dans le dossier mais "
      + "n'est pas déclaré." });
  });
  const firsts = {};
  rows.forEach((row) => {
    const first = firsts[row.sha256];
    if (!first) { firsts[row.sha256] = row; return; }
    const whom = first.membre && row.membre && first.membre !== row.membre ? ", déclarée pour un autre membre" : "";
    findings.push({ kind: "meme-fichier", fichier: row.fichier, text: "La pièce n° " + row.position + " est le même "
      + "fichier que la pièce n° " + first.position + whom + " : chaque pièce est un document distinct." });
  });
  entries.forEach((entry) => {  // the manifest says each file's true fingerprint and size
    const name = entry.fichier;
    const said = findings.some((f) => f.kind === "differente" && f.fichier === name);
    if (!said && typeof name === "string" && name in actual
        && (entry.sha256 !== actual[name] || entry.taille !== files[name].length)) {
      findings.push({ kind: "manifeste", fichier: name, text: "La liste du dossier ne donne pas la bonne empreinte ou "
        + "la bonne taille du fichier « " + name + " » : le dossier a été modifié après sa préparation." });
    }
  });
  return { rows, findings };
}

class OpenPage {
  constructor(form, regions, rules) {
    this.form = form;
    this.regions = regions;
    this.rules = rules;
  }

  async open() {
    $("o-erreur").textContent = "";
    $("o-resultat").hidden = true;
    const dossierFile = $("o-dossier").files[0], keyFile = $("o-cle").files[0];
    if (!dossierFile || !keyFile) {
      $("o-erreur").textContent = !dossierFile ? "Choisissez le dossier reçu de l'équipe." : "Choisissez votre fichier de clé.";
      return;
    }
    $("o-etat").textContent = "Ouverture du dossier…";
    try {
      if (dossierFile.size > MAX_DOSSIER) {
        throw new DossierError("Ce fichier pèse " + sizeText(dossierFile.size) + ", plus que les " + MAX_DOSSIER / MEGA
          + " Mo d'un dossier de déclaration : ce n'en est pas un. Vérifiez la pièce jointe reçue.");
      }
      const keys = identities(await keyFile.text());
      const plain = await decrypt(new Uint8Array(await dossierFile.arrayBuffer()), keys);
      await this.show(unpack(plain));
      $("o-etat").textContent = "Dossier ouvert.";
    } catch (error) {
      $("o-etat").textContent = "";
      $("o-erreur").textContent = error instanceof DossierError ? error.message
        : "Le dossier n'a pas pu être ouvert (" + String(error.message || error) + ").";
    }
  }

  async show(dossier) {
    const { files, manifest } = dossier;
    const adhesion = readAdhesion(files[manifest.adhesion]);
    const data = adhesion.data && typeof adhesion.data === "object" ? adhesion.data : {};
    const checked = await checkPieces(files, manifest, data.pieces);
    if (String(data.date_declaration) !== String(manifest.cree_le)) {
      checked.findings.push({ kind: "date", text: "Le dossier dit avoir été préparé le " + manifest.cree_le + ", mais la "
        + "déclaration est datée du " + data.date_declaration + " : demandez à l'équipe de le préparer à nouveau." });
    }
    this.summary(manifest, data);
    this.piecesTable(checked, data);
    this.findings(data, manifest);
    this.downloads(files, manifest, adhesion.text);
    $("o-yaml").textContent = adhesion.text;
    $("o-resultat").hidden = false;
    $("o-resultat-titre").focus();
  }

  label(table, code) { return (this.rules.referentiels[table] || {})[code] || code; }

  memberName(data, number) {
    const member = (Array.isArray(data.membres) ? data.membres : []).find((m) => m && (m.rpps === number || m.adeli === number));
    return member ? [member.prenom, member.nom_exercice].filter(Boolean).join(" ") + " (" + number + ")" : number;
  }

  summary(manifest, data) {
    const box = $("o-resume");
    box.textContent = "";
    const team = data.equipe && data.equipe.nom ? data.equipe.nom : manifest.equipe;
    const list = box.appendChild(el("ul"));
    [["Équipe", team + " (" + manifest.equipe + ")"], ["Protocole", manifest.protocole],
      ["Région", this.label("region", manifest.region)], ["Dossier préparé le", manifest.cree_le],
      ["Fichier de la déclaration dans le registre",
        "adhesions/" + manifest.region + "/" + manifest.protocole + "/" + manifest.equipe + ".yml"]].forEach(([name, value]) => {
      const item = list.appendChild(el("li"));
      item.appendChild(el("strong", name + " : "));
      item.append(String(value));
    });
  }

  piecesTable(checked, data) {
    const box = $("o-pieces");
    box.textContent = "";
    const fine = checked.rows.filter((row) => row.etat === "conforme").length;
    const verdict = paragraph(box, checked.findings.length
      ? checked.findings.length + " problème" + (checked.findings.length > 1 ? "s" : "") + " sur les pièces ("
        + fine + " sur " + checked.rows.length + " conformes)."
      : "Les " + checked.rows.length + " pièces sont celles que l'équipe a déclarées (empreintes vérifiées).");
    verdict.id = "o-pieces-verdict";
    verdict.className = checked.findings.length ? "coop-alerte" : "coop-ok";
    if (checked.findings.length) {
      const problems = box.appendChild(el("ul", null, { id: "o-pieces-problemes" }));
      checked.findings.forEach((f) => { problems.appendChild(el("li", f.text, { "data-genre": f.kind })); });
    }
    const scroller = box.appendChild(el("div", null, { tabindex: "0", role: "region", "aria-label": "Pièces du dossier" }));
    scroller.className = "coop-tableau";
    const table = scroller.appendChild(el("table", null, { class: "coop-table-pieces" }));
    const head = table.appendChild(el("thead")).appendChild(el("tr"));
    const columns = ["N°", "Pièce", "Membre", "Fichier", "Vérification"];
    columns.forEach((name) => head.appendChild(el("th", name, { scope: "col" })));
    const body = table.appendChild(el("tbody"));
    const states = { conforme: "conforme", manquante: "absente du dossier", differente: "ne correspond pas" };
    checked.rows.forEach((row) => {
      const line = body.appendChild(el("tr", null, { "data-etat": row.etat }));
      [String(row.position), this.label("type_piece", row.type), row.membre ? this.memberName(data, row.membre) : "l'équipe",
        row.fichier || "—", states[row.etat]].forEach((text, i) => line.appendChild(el("td", text, { "data-titre": columns[i] })));
    });
  }

  findings(data, manifest) {
    const box = $("o-constats");
    box.textContent = "";
    const where = { region: manifest.region, protocole: manifest.protocole, equipe: manifest.equipe };
    const found = window.coopJuge.judge(data, where, this.rules, { robot: true });
    if (!found.length) {
      paragraph(box, "Aucun point à signaler : la déclaration passe les vérifications de cette page.", "coop-ok");
    } else {
      const list = box.appendChild(el("ul", null, { id: "o-constats-liste" }));
      found.forEach((f) => {
        const item = list.appendChild(el("li", null, { "data-code": f.code }));
        item.appendChild(el("strong", (f.level === "error" ? "Erreur" : "À compléter") + " : "));
        item.append(this.findingText(f, data));
      });
    }
    paragraph(box, "Le robot du registre refait ces vérifications, et celles qui demandent tout le registre, quand "
      + "la déclaration est proposée.", "coop-robot");
  }

  findingText(f, data) {
    const title = this.regions.titres_controles[f.code] || f.code;
    const members = Array.isArray(data.membres) ? data.membres : [];
    const member = f.path[0] === "membres" && typeof f.path[1] === "number" ? members[f.path[1]] : null;
    const details = [member ? [member.prenom, member.nom_exercice].filter(Boolean).join(" ") : "",
      f.ctx && f.ctx.type ? this.label("type_piece", f.ctx.type) : ""].filter(Boolean);
    return details.length ? title.replace(/\.$/, "") + " — " + details.join(" : ") + "." : title;
  }

  downloads(files, manifest, text) {
    const box = $("o-telechargements");
    box.textContent = "";
    const list = box.appendChild(el("ul"));
    const yml = list.appendChild(el("li")).appendChild(el("a", "La déclaration (" + manifest.equipe + ".yml)"));
    offerDownload(yml, encoder.encode(text), manifest.equipe + ".yml", "application/yaml").id = "o-telecharger-adhesion";
    Object.keys(files).filter((name) => name.startsWith("pieces/") && !name.endsWith("/")).sort().forEach((name) => {
      const base = name.slice("pieces/".length);
      const link = list.appendChild(el("li")).appendChild(el("a", base + " (" + sizeText(files[name].length) + ")"));
      offerDownload(link, files[name], base).dataset.piece = name;
    });
  }
}

async function startOpening(form) {
  const [regions, rules] = await Promise.all([loadJson(form.dataset.regions), loadJson(form.dataset.regles)]);
  useLimits(regions);
  const page = new OpenPage(form, regions, rules);
  $("o-ouvrir-bouton").addEventListener("click", () => page.open());
  $("o-resultat-titre").tabIndex = -1;
  form.hidden = false;
  window.coopDossier = { ready: true };
}

if ($("d-dossier-contenu")) { startDeclaration($("d-dossier-contenu")); }
if ($("o-ouvrir")) { startOpening($("o-ouvrir")); }
