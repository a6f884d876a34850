#!/usr/bin/env bash
# Debian's Chromium for the playground's browser test, and a Japanese font so that its
# screenshots show Japanese text instead of empty boxes. Idempotent; needs root (as in CI).
set -euo pipefail
source "$(dirname "$0")/apt_install.sh"
apt_install chromium fonts-ipafont-gothic
