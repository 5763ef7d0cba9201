#!/usr/bin/env bash
# Identifiants GitHub qui approuvent la pull request sur son commit de tête,
# un par ligne, pour `coop validate --approuve-par` (droits de suspension) :
# pour chaque relecteur, sa dernière revue qui n'est pas un simple commentaire
# compte si elle est une approbation portant sur ce commit (une approbation
# donnée avant un nouveau push ne vaut pas pour le nouveau contenu).
# Entrées (variables d'environnement) : DEPOT (propriétaire/nom), NUMERO_PR,
# TETE (commit de tête), GH_TOKEN. Sans réponse de l'API : aucune approbation.
set -euo pipefail

gh api --paginate "repos/${DEPOT}/pulls/${NUMERO_PR}/reviews?per_page=100" 2>/dev/null \
  | jq -r -s --arg tete "${TETE}" '
      add // []
      | map(select(.state != "COMMENTED" and .user != null))
      | group_by(.user.login)
      | map(last)
      | map(select(.state == "APPROVED" and .commit_id == $tete))
      | .[].user.login' \
  | grep -E '^[A-Za-z0-9-]{1,39}$' || true
