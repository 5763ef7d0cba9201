#!/usr/bin/env bash
# Appels à l'API GitHub pour les scripts des workflows (à inclure avec `source`).
# curl et jq seulement, présents sur les exécuteurs GitHub : pas de `gh`, dont
# certaines commandes passent par GraphQL. L'adresse de l'API est celle que
# GitHub donne à chaque job (GITHUB_API_URL, GITHUB_GRAPHQL_URL) ; le jeton est
# GH_TOKEN. Une réponse d'erreur fait échouer l'appel (curl --fail).
#   api MÉTHODE CHEMIN [CORPS_JSON]    CHEMIN relatif à repos/<DEPOT>/ ou absolu (/…)
#   api_pages CHEMIN                   toutes les pages d'une liste (100 par page, 20 pages au plus)
#   graphql REQUÊTE VARIABLES_JSON
#   commentaire_unique NUMÉRO FICHIER  le commentaire du robot sur l'issue ou la PR NUMÉRO :
#                                      créé une fois, puis modifié (repéré par la 1re ligne du fichier)
API_URL="${GITHUB_API_URL:-https://api.github.com}"

api() {
  local methode="$1" chemin="$2" corps="${3:-}"
  [[ "${chemin}" == /* ]] || chemin="/repos/${DEPOT}/${chemin}"
  local options=(--silent --show-error --fail --max-time 60 -X "${methode}"
    -H "Authorization: Bearer ${GH_TOKEN}" -H "Accept: application/vnd.github+json"
    -H "X-GitHub-Api-Version: 2022-11-28")
  if [ -n "${corps}" ]; then
    printf '%s' "${corps}" | curl "${options[@]}" -H "Content-Type: application/json" \
      --data-binary @- "${API_URL}${chemin}"
  else
    curl "${options[@]}" "${API_URL}${chemin}"
  fi
}

api_pages() {
  local chemin="$1" page=1 separateur='?' reponse
  [[ "${chemin}" == *\?* ]] && separateur='&'
  while [ "${page}" -le 20 ]; do
    reponse=$(api GET "${chemin}${separateur}per_page=100&page=${page}")
    printf '%s\n' "${reponse}" | jq -c '.[]'
    [ "$(printf '%s' "${reponse}" | jq 'length')" -lt 100 ] && break
    page=$((page + 1))
  done
}

graphql() {
  local corps
  corps=$(jq -n --arg query "$1" --argjson variables "$2" '{query: $query, variables: $variables}')
  curl --silent --show-error --fail --max-time 60 -X POST -H "Authorization: Bearer ${GH_TOKEN}" \
    -H "Content-Type: application/json" --data-binary "${corps}" \
    "${GITHUB_GRAPHQL_URL:-https://api.github.com/graphql}"
}

commentaire_unique() {
  local numero="$1" fichier="$2" marqueur corps existant
  marqueur=$(head -n 1 "${fichier}")
  corps=$(jq -n --rawfile body "${fichier}" '{body: $body}')
  existant=$(api_pages "issues/${numero}/comments" \
    | jq -r --arg m "${marqueur}" 'select(.user.type == "Bot" and (.body | startswith($m))) | .id' | head -n 1)
  if [ -n "${existant}" ]; then
    api PATCH "issues/comments/${existant}" "${corps}" >/dev/null
  else
    api POST "issues/${numero}/comments" "${corps}" >/dev/null
  fi
}
