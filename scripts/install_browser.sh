#!/usr/bin/env bash
# Debian's Chromium for the playground's browser test. Idempotent; needs root (as in CI)
# to install, otherwise it only says what is missing (the browser test then skips).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium is not installed and cannot be installed here (needs root and apt-get);" \
       "the browser test will be skipped." >&2
  exit 0
fi
echo "installing Debian chromium for the browser test…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
chromium --version
