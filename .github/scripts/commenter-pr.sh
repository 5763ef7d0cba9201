#!/usr/bin/env bash
# Après le contrôle d'une pull request : publie le compte rendu dans UN
# commentaire du robot (créé une fois, puis modifié) et pose les étiquettes
# `region-<code>`, `adhesion`, `protocoles` selon les dossiers modifiés.
# Rien n'est publié si la pull request a reçu un nouveau commit depuis le
# contrôle : le contrôle suivant publiera le sien.
# Entrées (variables d'environnement) : DEPOT (propriétaire/nom), NUMERO_PR,
# TETE (commit contrôlé), COMMENTAIRE (fichier Markdown, première ligne :
# le marqueur), GH_TOKEN.
set -euo pipefail
source "$(dirname "$0")/api.sh"

[[ "${NUMERO_PR}" =~ ^[1-9][0-9]{0,8}$ ]] || { echo "Numéro de pull request invalide." >&2; exit 1; }
marqueur=$(head -n 1 "${COMMENTAIRE}")
[[ "${marqueur}" =~ ^\<!--\ coop-ps:[a-z]+\ --\>$ ]] || { echo "Commentaire invalide." >&2; exit 1; }

tete_actuelle=$(api GET "pulls/${NUMERO_PR}" | jq -r '.head.sha')
if [ "${tete_actuelle}" != "${TETE}" ]; then
  echo "La pull request a changé depuis ce contrôle : le contrôle suivant publiera son compte rendu."
  exit 0
fi

commentaire_unique "${NUMERO_PR}" "${COMMENTAIRE}"

etiquettes=$(api_pages "pulls/${NUMERO_PR}/files" | jq -r '.filename, (.previous_filename // empty)' \
  | sed -nE 's#^adhesions/([0-9]{2})/.*#region-\1\nadhesion#p; s#^protocols/.*#protocoles#p' | sort -u)
if [ -n "${etiquettes}" ]; then
  api POST "issues/${NUMERO_PR}/labels" "$(printf '%s\n' "${etiquettes}" | jq -R . | jq -s '{labels: .}')" >/dev/null
fi
