#!/usr/bin/env bash
# Debian's IPA fonts, for the attachment tests that draw a PDF invoice with an embedded
# Japanese font and a Japanese image for OCR. Idempotent; needs root (as in CI) to install,
# otherwise it only says what is missing (those tests then skip).
set -euo pipefail
if [ -f /usr/share/fonts/opentype/ipafont-gothic/ipag.ttf ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "fonts-ipafont is not installed and cannot be installed here (needs root and apt-get);" \
       "the Japanese PDF and OCR attachment tests will be skipped." >&2
  exit 0
fi
echo "installing Debian fonts-ipafont for the attachment tests…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends fonts-ipafont-gothic >/dev/null
