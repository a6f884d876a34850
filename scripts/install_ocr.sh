#!/usr/bin/env bash
# Tesseract and its Japanese model (Debian tesseract-ocr, tesseract-ocr-jpn), for the optional
# OCR of image attachments. Idempotent; needs root (as in CI) to install, otherwise it only says
# what is missing (the OCR tests then skip, and OCR requests get a clear ocr_unavailable error).
set -euo pipefail
if command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx jpn; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "tesseract with the jpn model is not installed and cannot be installed here" \
       "(needs root and apt-get); the OCR tests will be skipped." >&2
  exit 0
fi
echo "installing Debian tesseract-ocr and tesseract-ocr-jpn for OCR…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends tesseract-ocr tesseract-ocr-jpn tesseract-ocr-eng >/dev/null
tesseract --version | head -1
