"""Rules-only field F1 on TRAINING-split filings printed in page styles: a quick before/after measure.

A reading change to the rules is measured here, never on the dev split (the dev split is the
evaluation). ``--limit`` training filings spread over the split (owner split, ``training.corpus.split_by_owner``)
are printed in each ``--styles`` page (the presentation seed is the document id's, as the
leave-one-out command draws it), flattened by each ``--converters`` converter (cached under
``--work``) and read by the rules alone::

    nice python benchmarks/train_pages.py --limit 30 --styles paper,plain --converters pdftotext-layout,pdftotext-raw
    nice python benchmarks/train_pages.py --limit 30 --fields          # F1 per field too
    nice python benchmarks/train_pages.py --limit 30 --misses owner    # the missed/extra leaves whose pointer has "owner"

Prints one row per style x converter and the total; ``--edgar N`` adds the first N training texts
of each converter of the committed corpus (EDGAR's page), to see that a change keeps them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from form4.errors import Form4Error
from form4.run.pipeline import RULES_ONLY, extract_text
from form4.score.metrics import Gold, Report, score_document
from form4.training.convert import select
from form4.training.corpus import DEFAULT_RAW, load_filings, split_by_owner
from form4.training.heldout import Job, page_seed, render_page, run_jobs

REPO = Path(__file__).resolve().parents[1]


def train_filings(limit: int, raw: Path = DEFAULT_RAW) -> list:
    filings = load_filings(raw)
    split = split_by_owner(filings)
    train = [f for f in filings if split[f.doc_id] == "train"]
    step = max(1, len(train) // max(1, limit))  # spread over the split: its filings come in runs of one owner
    return train[::step][:limit]


def measure(limit: int, styles: list[str], converters: str, work: Path, raw: Path = DEFAULT_RAW) -> Report:
    filings = train_filings(limit, raw)
    names = select(converters)
    jobs = [Job(style, f.doc_id, render_page(f.record, f.cell_footnotes, style, page_seed(f.doc_id)), work / style / f.doc_id, names)
            for style in styles for f in filings]
    by_id = {f.doc_id: f for f in filings}
    report = Report()
    for job, texts, _ in run_jobs(jobs, workers=1):
        gold = Gold(by_id[job.doc_id].record.to_json_dict(), frozenset(), job.doc_id)
        for converter, text in texts.items():
            try:
                pred = extract_text(text, job.doc_id, RULES_ONLY).to_json_dict()
            except Form4Error:
                pred = {}
            report.docs.append(score_document(gold, pred, f"{job.style}|{converter}", f"{job.doc_id}.{job.style}.{converter}"))
    return report


def corpus_report(per_converter: int) -> Report:
    """The committed corpus's training texts (EDGAR's page, every corpus converter), rules only."""
    from form4.training.evaluate import _score_texts, corpus_items

    items = corpus_items(REPO / "annotations" / "corpus", "train", per_converter)
    return _score_texts([(g, t, f"edgar|{c}", n) for g, t, c, n in items], RULES_ONLY)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=30)
    parser.add_argument("--styles", default="paper,plain")
    parser.add_argument("--converters", default="pdftotext-layout,pdftotext-raw")
    parser.add_argument("--work", type=Path, default=Path("/tmp/form4-train-pages"))
    parser.add_argument("--raw", type=Path, default=DEFAULT_RAW, help="folder of ownership XML (default: the shared raw data)")
    parser.add_argument("--fields", action="store_true", help="also print F1 per field")
    parser.add_argument("--edgar", type=int, default=0, help="also score the first N training texts of each converter in the committed corpus (EDGAR's page)")
    parser.add_argument("--misses", default=None, help="print missed and extra leaves whose pointer contains this")
    args = parser.parse_args(argv)
    report = measure(args.limit, [s.strip() for s in args.styles.split(",") if s.strip()], args.converters, args.work, args.raw)
    if args.edgar:
        report.docs += corpus_report(args.edgar).docs
    print("| style | converter | texts | precision | recall | F1 | exact |\n|---|---|---|---|---|---|---|")
    for group in report.groups():
        c = report.total(group)
        style, converter = group.split("|")
        n = sum(d.group == group for d in report.docs)
        print(f"| {style} | {converter} | {n} | {c.precision:.3f} | {c.recall:.3f} | {c.f1:.3f} | {report.exact_rate(group):.0%} |")
    c = report.total()
    print(f"| all | | {len(report.docs)} | {c.precision:.3f} | {c.recall:.3f} | {c.f1:.3f} | {report.exact_rate():.0%} |")
    if args.fields:
        for name, counts in report.by_field().items():
            print(f"{name:40s} gold {counts.gold:5d} P {counts.precision:.3f} R {counts.recall:.3f} F1 {counts.f1:.3f}")
    if args.misses is not None:
        for d in report.docs:
            missed = [m for m in d.missed if args.misses in m[0]]
            extra = [m for m in d.extra if args.misses in m[0]]
            if missed or extra:
                print(f"== {d.name}")
                for p, v in missed:
                    print(f"  - {p} = {v!r}")
                for p, v in extra:
                    print(f"  + {p} = {v!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
