#!/usr/bin/env bash
# Second job of « Déclaration par formulaire » : the only one allowed to push,
# open the pull request and comment. It never parses the issue: it reads the
# result of the first job (artifact written by `coop depuis-issue --resultat`),
# checks every value again, then:
# - pushes the file on `declaration/issue-<n>` as a NEW commit (never --force);
#   when the branch holds a commit not made by the bot (a reviewer's), nothing
#   is pushed and the comment says so;
# - opens the draft pull request (labels `region-<code>` and `adhesion`), or
#   marks it ready for the ARS when nothing is left to complete;
# - posts the commit status « Contrôle du registre » on the pushed commit (a
#   pull request opened with GITHUB_TOKEN triggers no workflow: this status is
#   the required check until a person pushes or edits the PR);
# - writes the bot's ONE comment on the issue (created once, then edited).
# Inputs (environment): DEPOT (owner/name), NUMERO (issue), BASE (default
# branch), RESULTAT (artifact folder), GH_TOKEN; BOT_EMAIL optional.
set -euo pipefail
source "$(dirname "$0")/api.sh"

BOT_NAME="github-actions[bot]"
BOT_EMAIL="${BOT_EMAIL:-41898282+github-actions[bot]@users.noreply.github.com}"
CONTEXTE="Contrôle du registre"
MARQUEUR="<!-- coop-ps:declaration -->"
[[ "${NUMERO}" =~ ^[1-9][0-9]{0,8}$ ]] || { echo "Numéro d'issue invalide." >&2; exit 1; }
[[ "${DEPOT}" =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]] || { echo "Dépôt invalide." >&2; exit 1; }

statut="" chemin="" region="" a_completer="0"
while IFS='=' read -r cle valeur; do
  case "${cle}" in
    statut) [[ "${valeur}" =~ ^(pret|a-corriger|refuse)$ ]] && statut="${valeur}" ;;
    chemin) [[ -z "${valeur}" || "${valeur}" =~ ^adhesions/[0-9]{2}/[a-z0-9][a-z0-9-]{0,79}/[a-z0-9][a-z0-9-]{0,79}\.yml$ ]] \
              && chemin="${valeur}" ;;
    region) [[ -z "${valeur}" || "${valeur}" =~ ^[0-9]{2}$ ]] && region="${valeur}" ;;
    a_completer) [[ "${valeur}" =~ ^[0-9]{1,4}$ ]] && a_completer="${valeur}" ;;
  esac
done < "${RESULTAT}/etat.txt"
if [ -z "${statut}" ] || { [ "${statut}" = "pret" ] && { [ -z "${chemin}" ] || [ "${chemin#adhesions/"${region}"/}" = "${chemin}" ]; }; }; then
  echo "Résultat du premier job invalide : rien n'est publié." >&2
  exit 1
fi
head -n 1 "${RESULTAT}/commentaire.md" | grep -qxF "${MARQUEUR}" || { echo "Commentaire invalide." >&2; exit 1; }

branche="declaration/issue-${NUMERO}"
travail=$(mktemp -d)
cp "${RESULTAT}/commentaire.md" "${travail}/commentaire.md"
suite() { printf '\n%s\n' "$*" >> "${travail}/commentaire.md"; }

pousser() {
  if [ -n "${GH_TOKEN:-}" ]; then
    jeton=$(printf 'x-access-token:%s' "${GH_TOKEN}" | base64 -w0)
    echo "::add-mask::${jeton}"
    git -c "http.extraheader=AUTHORIZATION: basic ${jeton}" "$@"
  else
    git "$@"
  fi
}

pr_ouverte() {
  api GET "pulls?state=open&head=${DEPOT%%/*}:${branche}" | jq -r '.[0].number // empty'
}

etiqueter() {
  api POST "issues/$1/labels" "$(jq -n --arg r "region-${region}" '{labels: [$r, "adhesion"]}')" >/dev/null
}

passer_en() {  # brouillon | pret : l'API REST ne sait pas changer l'état de brouillon
  local mutation='mutation($id: ID!) { markPullRequestReadyForReview(input: {pullRequestId: $id}) { pullRequest { isDraft } } }'
  [ "$2" = brouillon ] && mutation='mutation($id: ID!) { convertPullRequestToDraft(input: {pullRequestId: $id}) { pullRequest { isDraft } } }'
  graphql "${mutation}" "$(jq -n --arg id "$1" '{id: $id}')" >/dev/null
}

publier() {
  pousser fetch --quiet origin "${BASE}"
  if pousser fetch --quiet origin "refs/heads/${branche}" 2>/dev/null; then
    etrangers=$(git log --format='%ae' "origin/${BASE}..FETCH_HEAD" | grep -cvxF "${BOT_EMAIL}" || true)
    if [ "${etrangers}" != "0" ]; then
      suite "⚠️ Un relecteur a ajouté ses propres modifications à la pull request : pour ne pas les effacer, cette" \
            "modification de l'issue n'y a pas été reportée. Répondez-lui dans la pull request."
      return 0
    fi
    git switch --quiet --force-create "${branche}" FETCH_HEAD
  else
    git switch --quiet --force-create "${branche}" "origin/${BASE}"
  fi
  mkdir -p "$(dirname -- "${chemin}")"
  cp "${RESULTAT}/fichier.yml" "${chemin}"
  git add -- "${chemin}"
  if ! git diff --cached --quiet; then
    GIT_AUTHOR_NAME="${BOT_NAME}" GIT_AUTHOR_EMAIL="${BOT_EMAIL}" \
      GIT_COMMITTER_NAME="${BOT_NAME}" GIT_COMMITTER_EMAIL="${BOT_EMAIL}" git commit --quiet \
      -m "Déclaration d'adhésion : ${chemin} (issue #${NUMERO})"
  fi
  if ! pousser push --quiet origin "HEAD:refs/heads/${branche}"; then
    suite "⚠️ La branche de la pull request a changé pendant la mise à jour : rien n'a été effacé. Modifiez de" \
          "nouveau l'issue dans quelques minutes."
    return 0
  fi
  ouvrir_ou_mettre_a_jour "$(git rev-parse HEAD)"
}

ouvrir_ou_mettre_a_jour() {
  local tete="$1" numero pr
  for etiquette in "region-${region}" adhesion; do
    api POST labels "$(jq -n --arg n "${etiquette}" '{name: $n, color: "1d76db"}')" >/dev/null 2>&1 || true
  done
  numero=$(pr_ouverte)
  if [ -z "${numero}" ]; then
    {
      printf 'Déclaration créée depuis l’issue #%s.\n\n' "${NUMERO}"
      printf 'Fichier : `%s`\n\n' "${chemin}"
      printf 'Closes #%s\n\n' "${NUMERO}"
      cat .github/pull_request_template.md
    } > "${travail}/pr.md"
    numero=$(api POST pulls "$(jq -n --rawfile body "${travail}/pr.md" --arg title "Adhésion : ${chemin}" \
      --arg head "${branche}" --arg base "${BASE}" \
      '{title: $title, head: $head, base: $base, body: $body, draft: true}')" | jq -r '.number')
  fi
  etiqueter "${numero}"
  api POST "statuses/${tete}" "$(jq -n --arg c "${CONTEXTE}" \
    --arg d "Déclaration contrôlée depuis l'issue #${NUMERO} (coop verifier --brouillon)" \
    '{state: "success", context: $c, description: $d}')" >/dev/null
  pr=$(api GET "pulls/${numero}")
  brouillon=$(printf '%s' "${pr}" | jq -r '.draft')
  noeud=$(printf '%s' "${pr}" | jq -r '.node_id')
  if [ "${a_completer}" = "0" ]; then
    [ "${brouillon}" = "true" ] && passer_en "${noeud}" pret
    suite "Votre déclaration est dans la pull request #${numero}, transmise à l'ARS de votre région, qui l'instruit." \
          "Vous pouvez appliquer le protocole dès maintenant ; l'ARS vous répondra ici ou dans la pull request."
  else
    [ "${brouillon}" = "false" ] && passer_en "${noeud}" brouillon
    suite "Votre déclaration est enregistrée en brouillon dans la pull request #${numero}. Dès qu'elle sera" \
          "complète, elle sera transmise automatiquement à l'ARS de votre région."
  fi
}

case "${statut}" in
  pret) publier ;;
  a-corriger)
    numero=$(pr_ouverte)
    if [ -n "${numero}" ]; then
      suite "La pull request #${numero} n'a pas été modifiée : elle garde la dernière version sans erreur."
    fi ;;
  refuse) ;;
esac

commentaire_unique "${NUMERO}" "${travail}/commentaire.md"
