#!/usr/bin/env bash
# Décisions que git ne garde pas : les déclarations dont la pull request a été
# fermée sans fusion (« refusée », ou « classée sans suite » avec l'étiquette
# `sans-suite`), pour le journal du site (coop : gitops/decisions.py).
# Seules les pull requests étiquetées `adhesion` sont lues. Écrit le JSON sur
# la sortie standard ; sans réponse de l'API : aucune décision.
# Entrées (variables d'environnement) : DEPOT, GH_TOKEN.
set -euo pipefail
source "$(dirname "$0")/api.sh"

fermees=$({ api_pages "pulls?state=closed&sort=updated&direction=desc" 2>/dev/null || true; } \
  | jq -c 'select(.merged_at == null and ([.labels[].name] | index("adhesion")))
           | {pr: .number, date: .closed_at[0:10],
              etat: (if ([.labels[].name] | index("sans-suite")) then "sans-suite" else "refusee" end)}')
while IFS= read -r decision; do
  [ -n "${decision}" ] || continue
  numero=$(jq -r '.pr' <<< "${decision}")
  [[ "${numero}" =~ ^[1-9][0-9]{0,8}$ ]] || continue
  { api_pages "pulls/${numero}/files" 2>/dev/null || true; } | jq -r '.filename' \
    | jq -R . | jq -s --argjson d "${decision}" '$d + {fichiers: .}'
done <<< "${fermees}" | jq -s '{decisions: .}'
