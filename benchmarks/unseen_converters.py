"""Field F1 on three converters the corpus never used (the README's "Converters the corpus never
used" table): `pdftotext` in its default mode, tesseract 300 dpi `--psm 3` with the table borders
left in, and pandoc HTML -> reStructuredText, on the dev filings printed as the corpus build
prints them; rules only and with the shipped model.

Retired in favour of the leave-one-out command (`form4.training.heldout`), of which this is now a
preset: the same dev filings (owner split, inspected ones left out), the same EDGAR page, gold
from the XML, and the texts cached under `--work`. Equivalent to

    form4 evaluate --heldout --styles edgar --converters pdftotext-default,ocr-300-psm3-keeprules,pandoc-rst

    .venv/bin/python benchmarks/unseen_converters.py [--work DIR] [--limit N] [--raw DIR] [--json]
"""

from __future__ import annotations

import sys

from form4.training.heldout import main

CONVERTERS = "pdftotext-default,ocr-300-psm3-keeprules,pandoc-rst"

if __name__ == "__main__":
    sys.exit(main(["--styles", "edgar", "--converters", CONVERTERS, *sys.argv[1:]]))
