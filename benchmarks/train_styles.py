"""Rules-only field F1 on TRAINING-split filings: the page styles the rules were not fitted on,
and the committed corpus's training texts. For measuring a rule change before and after; the
dev split (the evaluation) is never read.

    python benchmarks/train_styles.py styles [--limit 30 | --synthetic N] [--styles paper,plain]
        [--converters pdftotext-layout,pdftotext-raw] [--work DIR] [--fields table] [--json OUT]
    python benchmarks/train_styles.py corpus [--converters pdftotext-layout,...] [--limit N] [--json OUT]

``styles`` prints the first ``--limit`` training filings (owner split, as the corpus build splits)
in each style, flattens them (cached under ``--work``), reads them with the rules and scores them
against their XML. ``corpus`` reads the training texts of ``annotations/corpus/train.jsonl.gz``.
Both print F1 per group and, with ``--fields table``, per table field.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_WORK = Path("/tmp/form4-train-styles")


def _score(items):
    """items: (gold record dict, text, group, name) -> metrics Report (rules only)."""
    import form4
    from form4.errors import Form4Error
    from form4.score.metrics import Gold, score_pairs

    pairs = []
    for gold, text, group, name in items:
        try:
            pred = form4.extract_text(text, name).to_json_dict()
        except Form4Error:
            pred = {}
        pairs.append((Gold(gold), pred, group, name))
    return score_pairs(pairs)


def styles_items(styles, converters, limit, work, synthetic=0):
    from form4.training.corpus import DEFAULT_RAW, load_filings, split_by_owner, synthetic_filings
    from form4.training.heldout import Job, page_seed, render_page, run_jobs

    if synthetic:
        train = synthetic_filings(synthetic, seed=29)  # generated records: no split to keep
    else:
        filings = load_filings(DEFAULT_RAW)
        split = split_by_owner(filings)
        train = [f for f in filings if split[f.doc_id] == "train"][:limit]
    seed = (lambda doc_id: int(doc_id.rsplit("-", 1)[-1]) + 7) if synthetic else page_seed
    jobs = [Job(style, f.doc_id, render_page(f.record, f.cell_footnotes, style, seed(f.doc_id)),
                Path(work) / style / f.doc_id, tuple(converters)) for style in styles for f in train]
    by_id = {f.doc_id: f for f in train}
    items = []
    for job, texts, _ in run_jobs(jobs, 2):
        gold = by_id[job.doc_id].record.to_json_dict()
        items += [(gold, text, f"{job.style}|{c}", f"{job.doc_id}.{job.style}.{c}") for c, text in texts.items()]
    return items


def corpus_items(converters, limit):
    with gzip.open(REPO / "annotations" / "corpus" / "gold.jsonl.gz", "rt", encoding="utf-8") as fh:
        gold = {d["doc_id"]: d["record"] for d in map(json.loads, fh) if d["split"] == "train"}
    items, seen = [], {}
    with gzip.open(REPO / "annotations" / "corpus" / "train.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            meta = item["meta"]
            conv = meta["converter"]
            if meta["doc_id"] not in gold or (converters and conv not in converters):
                continue
            if limit and seen.get(conv, 0) >= limit:
                continue
            seen[conv] = seen.get(conv, 0) + 1
            items.append((gold[meta["doc_id"]], item["text"], conv, f"{meta['doc_id']}.{conv}"))
    return items


def report(rep, fields: str) -> dict:
    out = {"groups": {}, "fields": {}, "docs": {d.name: [d.counts.tp, d.counts.gold, d.counts.pred] for d in rep.docs}}
    for g in rep.groups():
        c = rep.total(g)
        out["groups"][g] = {"P": round(c.precision, 4), "R": round(c.recall, 4), "F1": round(c.f1, 4), "exact": round(rep.exact_rate(g), 4)}
    c = rep.total()
    out["groups"]["ALL"] = {"P": round(c.precision, 4), "R": round(c.recall, 4), "F1": round(c.f1, 4), "exact": round(rep.exact_rate(), 4)}
    if fields:
        for k, c in rep.by_field().items():
            if fields == "all" or any(k.startswith(t) for t in ("non_derivative", "derivative")):
                out["fields"][k] = {"gold": c.gold, "pred": c.pred, "P": round(c.precision, 3), "R": round(c.recall, 3), "F1": round(c.f1, 3)}
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=("styles", "corpus"))
    ap.add_argument("--styles", default="paper,plain")
    ap.add_argument("--converters", default="pdftotext-layout,pdftotext-raw")
    ap.add_argument("--limit", type=int, default=30)
    ap.add_argument("--synthetic", type=int, default=0, help="print N synthetic filings (training.synth) instead of real ones")
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK)
    ap.add_argument("--fields", default="table", help="table | all | '' (no per-field lines)")
    ap.add_argument("--json", type=Path, default=None, help="also write the report here")
    args = ap.parse_args(argv)
    converters = [c for c in args.converters.split(",") if c]
    if args.what == "styles":
        items = styles_items(args.styles.split(","), converters, args.limit, args.work, args.synthetic)
    else:
        items = corpus_items(converters, args.limit)
    out = report(_score(items), args.fields)
    for g, c in out["groups"].items():
        print(f"{g:<40} P {c['P']:.4f}  R {c['R']:.4f}  F1 {c['F1']:.4f}  exact {c['exact']:.1%}")
    for k, c in out["fields"].items():
        print(f"  {k:<56} gold {c['gold']:>5} pred {c['pred']:>5}  P {c['P']:.3f} R {c['R']:.3f} F1 {c['F1']:.3f}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
