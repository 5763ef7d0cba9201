#!/usr/bin/env bash
# Regenerate the one JavaScript bundle the site vendors: age-encryption, fflate and yaml, pinned in
# package.json / package-lock.json, bundled and minified by esbuild (pinned too) into
# tooling/coopps/site/assets/vendor/. The site is served without npm: the bundle and the
# licences of what it holds are committed. Same lock file, same bytes (test_vendor_bundle.py).
# Usage: bash scripts/vendor-js.sh [OUTPUT_DIR]   (default: the committed folder)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-tooling/coopps/site/assets/vendor}"
[ -x node_modules/.bin/esbuild ] || npm ci --no-audit --no-fund --silent >/dev/null
mkdir -p "$out"
node_modules/.bin/esbuild scripts/vendor-js.entry.js \
  --bundle --minify --format=esm --target=es2022 --platform=browser \
  --legal-comments=none --charset=utf8 --log-level=warning \
  --banner:js='/* age-encryption, fflate, yaml: see LICENCES.txt beside this file (scripts/vendor-js.sh). */' \
  --outfile="$out/dossier-libs.min.js"
# The licences of every package in the bundle, in the order of their names.
{
  echo "Licences des bibliothèques de dossier-libs.min.js (généré par scripts/vendor-js.sh)."
  for package in age-encryption @noble/ciphers @noble/curves @noble/hashes @noble/post-quantum \
                 @scure/base fflate yaml; do
    version=$(node -p "require('./node_modules/$package/package.json').version")
    printf '\n==== %s %s ====\n\n' "$package" "$version"
    cat "node_modules/$package/LICENSE"
  done
} > "$out/LICENCES.txt"
