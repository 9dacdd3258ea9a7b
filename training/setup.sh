#!/usr/bin/env bash
# What building the corpus needs beyond the Python package: Chromium (HTML -> PDF), poppler
# (pdftotext, pdftoppm), tesseract (OCR) and pandoc (HTML -> markdown), from Debian's packages.
# `form4 extract` of PDFs and images needs two of them at run time: poppler-utils and
# tesseract-ocr (which brings its English and orientation-detection data, tesseract-ocr-eng/-osd).
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v tesseract >/dev/null || need+=(tesseract-ocr)
tesseract --list-langs 2>/dev/null | grep -qx osd || need+=(tesseract-ocr-osd)
command -v pandoc >/dev/null || need+=(pandoc)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q -e '.[corpus,test]'
