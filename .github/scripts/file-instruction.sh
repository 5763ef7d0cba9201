#!/usr/bin/env bash
# Tient l'issue de suivi « File d'instruction — <région> » de chaque région
# écrite par `coop instruction --dossier DOSSIER` : <code>.md (le texte, dont
# la première ligne est le marqueur de la région) et <code>.titre. L'issue
# (étiquette `file-instruction`) est créée une fois, puis modifiée.
# Entrées (variables d'environnement) : DEPOT, GH_TOKEN ; argument : DOSSIER.
set -euo pipefail
source "$(dirname "$0")/api.sh"

dossier="$1"
api POST labels '{"name": "file-instruction", "color": "0e8a16"}' >/dev/null 2>&1 || true
suivies=$(api_pages "issues?state=open&labels=file-instruction" | jq -c 'select(.pull_request == null)')
for texte in "${dossier}"/*.md; do
  [ -e "${texte}" ] || continue
  code=$(basename "${texte}" .md)
  [[ "${code}" =~ ^[0-9]{2}$ ]] || continue
  marqueur=$(head -n 1 "${texte}")
  [ "${marqueur}" = "<!-- coop-ps:file-instruction region=${code} -->" ] || continue
  corps=$(jq -n --rawfile body "${texte}" --rawfile title "${dossier}/${code}.titre" \
    '{title: ($title | rtrimstr("\n")), body: $body}')
  numero=$(jq -r --arg m "${marqueur}" 'select(.body // "" | startswith($m)) | .number' <<< "${suivies}" | head -n 1)
  if [ -n "${numero}" ]; then
    api PATCH "issues/${numero}" "${corps}" >/dev/null
  else
    api POST issues "$(jq '. + {labels: ["file-instruction"]}' <<< "${corps}")" >/dev/null
  fi
done
