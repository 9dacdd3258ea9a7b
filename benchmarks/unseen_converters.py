"""Field F1 on converters the corpus never used: the dev split's filings, printed to PDF as the
corpus build prints them, flattened by `pdftotext` (default mode), tesseract 300 dpi `--psm 3`
with the table borders left in, and pandoc HTML -> reStructuredText; rules only and with the
shipped model. The README's "Converters the corpus never used" table comes from this script.

Needs the corpus build's cache (`corpus/cache/<doc>/form4.html`, from `form4 corpus build`) and
the corpus tools (`bash training/setup.sh`). Takes ~6 minutes on 2 cores (OCR dominates).

    .venv/bin/python benchmarks/unseen_converters.py [--work /tmp/form4-unseen]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from form4.pipeline import RULES_ONLY, model_extractor  # noqa: E402
from form4.training.evaluate import _score_texts, corpus_golds, corpus_items  # noqa: E402
from form4.training.flatten import html_to_pdf, ocr  # noqa: E402


def flatten(doc: str, work: Path) -> dict[str, str]:
    html = (ROOT / "corpus" / "cache" / doc / "form4.html").read_text(encoding="utf-8")
    pdf = work / f"{doc}.pdf"
    if not pdf.exists():
        html_to_pdf(html, pdf)
    run = lambda cmd, stdin=None: subprocess.run(cmd, input=stdin, capture_output=True, text=True, check=True).stdout  # noqa: E731
    return {
        "pdftotext-default": run(["pdftotext", str(pdf), "-"]),
        "ocr-300-psm3-keeprules": ocr(pdf, 300, 3, rules="keep"),
        "pandoc-rst": run(["pandoc", "-f", "html", "-t", "rst"], html),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "annotations" / "corpus")
    parser.add_argument("--work", type=Path, default=Path("/tmp/form4-unseen"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    golds = corpus_golds(args.corpus)
    docs = sorted({name.split(".")[0] for _, _, _, name in corpus_items(args.corpus, "dev")})  # the inspected dev filing is left out
    items = [(golds[doc], text, conv, f"{doc}.{conv}") for doc in docs for conv, text in flatten(doc, args.work).items()]
    rules, model = _score_texts(items, RULES_ONLY), _score_texts(items, model_extractor())
    print(f"{len(docs)} dev filings")
    print("| unseen converter | rules-only F1 | model F1 |\n|---|---|---|")
    for group in rules.groups():
        print(f"| {group} | {rules.total(group).f1:.3f} | {model.total(group).f1:.3f} |")


if __name__ == "__main__":
    main()
