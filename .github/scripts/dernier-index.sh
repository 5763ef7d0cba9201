#!/usr/bin/env bash
# Le numéro de la dernière exécution réussie de « File d'instruction » lancée
# chaque nuit (ou à la main), dont l'artefact `annuaire-index` est l'index de
# l'Annuaire santé ; rien quand il n'y en a pas (le contrôle se fait alors
# sans l'annuaire). Entrées : DEPOT, GH_TOKEN.
set -euo pipefail
source "$(dirname "$0")/api.sh"

{ api GET "actions/workflows/file-instruction.yml/runs?status=success&per_page=30" 2>/dev/null || echo '{}'; } \
  | jq -r '[.workflow_runs[]? | select(.event == "schedule" or .event == "workflow_dispatch")][0].id // empty' \
  | grep -E '^[0-9]{1,20}$' || true
