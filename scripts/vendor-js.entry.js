// Entry of the one bundle the dossier pages load (scripts/vendor-js.sh): age encryption
// (X25519 recipients and identities), ZIP reading and writing, and a YAML reader (the
// « Ouvrir un dossier » page reads the adhesion to judge it). Nothing else is exported.
export { Decrypter, Encrypter } from "age-encryption";
export { unzipSync, zipSync } from "fflate";
export { parse as parseYaml } from "yaml";
