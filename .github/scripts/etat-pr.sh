#!/usr/bin/env bash
# État de la pull request pour `coop statut --pr-etat` (contrat produit : brouillon,
# envoyée, complétée), écrit comme sorties d'étape (`etat=…`, et pour une
# déclaration complétée `complete_le=AAAA-MM-JJ`, date du premier commit poussé
# après la demande de modifications, lue dans le dossier `pr/`) :
# - brouillon : la PR est en brouillon ;
# - completee : un relecteur a demandé des modifications, puis l'équipe a
#   poussé de nouveaux commits (la dernière demande porte sur un autre commit) ;
# - envoyee : sinon (et si l'API GitHub ne répond pas).
# Entrées (variables d'environnement) : BROUILLON (true/false), DEPOT
# (propriétaire/nom), NUMERO_PR, TETE (commit de tête), GH_TOKEN.
set -euo pipefail
source "$(dirname "$0")/api.sh"

if [ "${BROUILLON:-false}" = "true" ]; then
  echo etat=brouillon
  exit 0
fi
demande=$({ api_pages "pulls/${NUMERO_PR}/reviews" 2>/dev/null || true; } \
  | jq -r 'select(.state == "CHANGES_REQUESTED") | .commit_id' | tail -n 1)
if [ -n "${demande}" ] && [ "${demande}" != "${TETE}" ]; then
  echo etat=completee
  date=$(git -C pr log --reverse --format=%cs "${demande}..${TETE}" 2>/dev/null | head -n 1 || true)
  if [[ "${date}" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]]; then echo "complete_le=${date}"; fi
else
  echo etat=envoyee
fi
