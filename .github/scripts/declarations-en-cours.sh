#!/usr/bin/env bash
# Fichiers d'adhésion déjà proposés par les AUTRES déclarations ouvertes du
# même auteur (une déclaration par équipe et par protocole), un par ligne,
# pour `coop depuis-issue --fichier-en-cours`. Chaque déclaration par formulaire
# a sa pull request sur la branche `declaration/issue-<numéro>`.
# Entrées (variables d'environnement) : DEPOT, AUTEUR, NUMERO (l'issue
# en cours), GH_TOKEN. Sans réponse de l'API : aucune ligne.
set -euo pipefail
source "$(dirname "$0")/api.sh"

[[ "${AUTEUR}" =~ ^[A-Za-z0-9-]{1,39}$ ]] || exit 0
autres=$({ api_pages "issues?state=open&labels=declaration-adhesion&creator=${AUTEUR}" 2>/dev/null || true; } \
  | jq -r --argjson moi "${NUMERO}" 'select(.pull_request == null and .number != $moi) | .number')
[ -n "${autres}" ] || exit 0
{ api_pages "pulls?state=open" 2>/dev/null || true; } \
  | jq -r '[.number, .head.ref] | @tsv' \
  | while IFS=$'\t' read -r pr branche; do
      numero="${branche#declaration/issue-}"
      if [ "${numero}" != "${branche}" ] && grep -qxF "${numero}" <<< "${autres}"; then
        { api_pages "pulls/${pr}/files" 2>/dev/null || true; } | jq -r '.filename'
      fi
    done | grep -E '^adhesions/[0-9]{2}/[a-z0-9-]+/[a-z0-9-]+\.yml$' || true
