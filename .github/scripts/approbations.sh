#!/usr/bin/env bash
# Identifiants GitHub qui approuvent la pull request sur son commit de tête,
# un par ligne, pour `coop verifier --approuve-par` (droits de suspension) :
# pour chaque relecteur, sa dernière revue qui n'est pas un simple commentaire
# compte si elle est une approbation portant sur ce commit (une approbation
# donnée avant un nouveau push ne vaut pas pour le nouveau contenu).
# Entrées (variables d'environnement) : DEPOT (propriétaire/nom), NUMERO_PR,
# TETE (commit de tête), GH_TOKEN. Sans réponse de l'API : aucune approbation.
set -euo pipefail
source "$(dirname "$0")/api.sh"

{ api_pages "pulls/${NUMERO_PR}/reviews" 2>/dev/null || true; } \
  | jq -r -s --arg tete "${TETE}" '
      map(select(.state != "COMMENTED" and .user != null))
      | group_by(.user.login)
      | map(last)
      | map(select(.state == "APPROVED" and .commit_id == $tete))
      | .[].user.login' \
  | grep -E '^[A-Za-z0-9-]{1,39}$' || true
