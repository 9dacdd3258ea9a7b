"""Plain OCR text against the same OCR's word boxes laid out by position (`form4.io.geometry`).

For the training-split filings whose EDGAR page the corpus build has already OCR'd, the cache
holds tesseract's plain text (`<converter>.txt`) and its word boxes (`<converter>.tsv`) from the
same run. Both are extracted (rules alone, and with `--model` the shipped model too) and scored
with `form4.score.metrics` against the filing's gold record (its XML), per converter:

    .venv/bin/python benchmarks/geometry.py [--cache /work/corpus-work/cache] [--limit 60] [--model]

No OCR runs here: filings without a cached TSV are skipped. Training split only (the split of
`form4.training.corpus.split_by_owner`): the dev split stays the evaluation.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from form4.io.geometry import layout_tsv
from form4.run.pipeline import RULES_ONLY, Extractor, model_extractor
from form4.score.metrics import Gold, Report
from form4.training.corpus import DEFAULT_RAW, DEFAULT_WORK, load_filings, split_by_owner
from form4.training.evaluate import _score_texts

CONVERTERS = ("ocr-150-psm6-nohrules", "ocr-300-psm4-norules", "scan-300-psm4-norules")


def items(cache: Path, raw: Path, limit: int | None) -> list[tuple[Gold, str, str, str]]:
    """(gold, text, group, name): every cached training filing's plain and geometry text."""
    filings = load_filings(raw)
    split = split_by_owner(filings)
    out: list[tuple[Gold, str, str, str]] = []
    used = 0
    for filing in filings:
        folder = cache / filing.doc_id
        if split[filing.doc_id] != "train" or not all(
            (folder / f"{c}.{kind}").exists() for c in CONVERTERS for kind in ("txt", "tsv")
        ):
            continue
        gold = Gold(filing.record.to_json_dict(), frozenset(), filing.doc_id)
        for converter in CONVERTERS:
            plain = (folder / f"{converter}.txt").read_text(encoding="utf-8")
            laid_out = layout_tsv((folder / f"{converter}.tsv").read_text(encoding="utf-8"))
            out.append((gold, plain, converter, f"{filing.doc_id}.{converter}"))
            out.append((gold, laid_out, f"{converter}-geometry", f"{filing.doc_id}.{converter}-geometry"))
        used += 1
        if limit and used >= limit:
            break
    return out


def table(reports: dict[str, Report]) -> str:
    groups = sorted({g for r in reports.values() for g in r.groups()})
    head = "| converter | filings | " + " | ".join(f"{mode} F1 | {mode} exact" for mode in reports) + " |"
    rows = [head, "|---" * (2 + 2 * len(reports)) + "|"]
    for group in groups:
        first = next(iter(reports.values()))
        n = sum(d.group == group for d in first.docs)
        cells = [f"{r.total(group).f1:.3f} | {r.exact_rate(group):.0%}" for r in reports.values()]
        rows.append(f"| {group} | {n} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_WORK / "cache")
    parser.add_argument("--raw", type=Path, default=DEFAULT_RAW)
    parser.add_argument("--limit", type=int, default=None, help="at most this many filings")
    parser.add_argument("--model", action="store_true", help="also score with the shipped model")
    args = parser.parse_args()
    chosen = items(args.cache, args.raw, args.limit)
    modes: dict[str, Extractor] = {"rules": RULES_ONLY}
    if args.model:
        modes["model"] = model_extractor()
    reports = {mode: _score_texts(chosen, extractor) for mode, extractor in modes.items()}
    print(table(reports))


if __name__ == "__main__":
    main()
