#!/usr/bin/env bash
# Tesseract and its Japanese model (Debian tesseract-ocr, tesseract-ocr-jpn), for the optional
# OCR of image attachments. Idempotent; needs root (as in CI), otherwise it only says what is
# missing (the OCR tests then skip, and OCR requests get a clear ocr_unavailable error).
set -euo pipefail
source "$(dirname "$0")/apt_install.sh"
apt_install tesseract-ocr tesseract-ocr-jpn tesseract-ocr-eng
