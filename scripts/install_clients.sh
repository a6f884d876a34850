#!/usr/bin/env bash
# The real coding clients for tests/clients (Claude Code and the OpenAI Codex CLI), from
# npm into tests/clients/node_modules at the versions pinned in package-lock.json.
# Idempotent: `npm ci` runs only when the lock file changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/../tests/clients"
if ! command -v npm >/dev/null 2>&1; then
  source ../../scripts/apt_install.sh
  apt_install nodejs npm
fi
stamp=node_modules/.sekimori-installed
if [ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ]; then
  exit 0
fi
echo "installing the coding clients (npm ci in tests/clients)…"
# Install scripts off for every package; the one Claude Code needs (it copies its native
# binary, an optional dependency, over the launcher stub; no download) runs explicitly.
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
node node_modules/@anthropic-ai/claude-code/install.cjs
touch "$stamp"
