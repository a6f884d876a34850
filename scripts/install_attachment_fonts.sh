#!/usr/bin/env bash
# Debian's IPA Gothic font, for the attachment tests that draw a PDF invoice with an embedded
# Japanese font and a Japanese image for OCR (the browser test needs the same package;
# apt_install installs it once). Idempotent; needs root (as in CI).
set -euo pipefail
source "$(dirname "$0")/apt_install.sh"
apt_install fonts-ipafont-gothic
