"""Fit the confidence calibrator on out-of-domain predictions of the training split.

Every predicted leaf of every training-split text is one example: its features
(:func:`form4.calibrate.features.leaf_matrix`: field, evidence and provenance, breaches, repairs,
row arithmetic, the page's text and familiarity, record signals) and whether its value is the
gold value (rows aligned as ``form4 score`` aligns them). The calibrator is *cross-fitted*
(:mod:`.calibration_examples`): leaves are scored by leaf models that never saw their converter
and, when the corpus has page styles, by leaf models that never saw their style. Those held-out
scores choose the scaling step, the review threshold and the record-level model; the shipped
leaf model is then fitted on every fold. The dev split is never used for fitting: it is the
measure (``python -m form4.training.calibrate report --split dev``).

``python -m form4.training.calibrate fit`` refits the shipped model's calibration (one command,
after a rules change or a new corpus); ``compare`` prints the held-out comparison of candidate
leaf models that chose the shipped one.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from form4.calibrate.calibrator import RECORD_FEATURES, Calibrator, record_features
from form4.calibrate.features import COLUMN, FEATURES
from form4.run.pipeline import Extractor
from form4.score.metrics import Report, format_reliability, reliability, score_document

from .calibration_examples import Examples, collect, fold_sets, read_all, styles, vocabulary
from .calibration_fit import cross_calibrated, fit_leaf, fit_record, held_out, isotonic, platt
from .reliability import RECORD_GOAL, TARGET_PRECISION, ece, record_review_threshold, records_clear, review_threshold, summary
from .evaluate import corpus_items

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "annotations" / "corpus"
MIN_LEAVES = 50  # fewer scored leaves than this (or one class only): keep the previous calibration


def folds(examples: Examples) -> list[tuple[list[int], list[int]]]:
    """Every held-out fold of every fold set (leave one converter out; leave one style out)."""
    return [split for splits in fold_sets(examples).values() for split in splits]


def _record_rows(examples: Examples, p, threshold: float) -> tuple[list[list[float]], list[int], list[int]]:
    """The record model's rows (one per record read), whether each record is exact, and its document index."""
    per_doc: dict[int, list[float]] = {}
    for i, d in enumerate(examples.doc):
        per_doc.setdefault(d, []).append(float(p[i]))
    X, y, docs = [], [], []
    for d, doc in enumerate(examples.docs):
        if doc["failed"]:
            continue
        X.append(record_features(per_doc.get(d, []), threshold, doc["has_text"], doc.get("signals")))
        y.append(int(doc["exact"]))
        docs.append(d)
    return X, y, docs


# ---------------------------------------------------------------- fit
@dataclass
class CalibrationReport:
    status: str  # "fitted", or why the previous calibration was kept
    examples: int
    documents: int
    folds: dict = field(default_factory=dict)  # fold set -> number of held-out folds
    model: str = ""
    review_threshold: float | None = None
    held_out_before: dict = field(default_factory=dict)  # the evidence scores as probabilities
    held_out_after: dict = field(default_factory=dict)  # fold set -> measures of the shipped chain's held-out view
    held_out_records_without_review: int | None = None
    held_out_exact_without_review: float | None = None
    seconds: float = 0.0
    review_goal: str = ""
    held_out_record_ece: float | None = None  # record_confidence from record models that did not see the record's fold


def fit(
    corpus: Path,
    extractor: Extractor,
    limit: int | None = 60,
    previous: Path | None = None,
    kind: str = "trees",
    step: str = "platt",
    cache: Path | None = None,
    exclude_styles: tuple[str, ...] = (),
    goal: float = RECORD_GOAL,
) -> tuple[Calibrator, CalibrationReport]:
    """Cross-fit the calibrator on the training split (never dev), without the pages of
    ``exclude_styles``; keep ``previous`` when the corpus is too small to fit one (fewer than
    MIN_LEAVES scored leaves, or one class only)."""
    started = time.perf_counter()
    items = corpus_items(corpus, "train", limit, exclude_styles=exclude_styles)
    examples = collect(items, extractor, styles(corpus, "train"), cache)
    sets = fold_sets(examples)
    if len(examples) < MIN_LEAVES or len(set(examples.right)) < 2 or not sets:
        why = f"kept the previous calibration: {len(examples)} scored leaves, {len(set(examples.right))} class(es), {len(sets)} fold set(s) (need {MIN_LEAVES}+, both, 1+)"
        kept = (_loaded(previous) if previous else None) or Calibrator()
        return kept, CalibrationReport(why, len(examples), len(examples.docs), seconds=round(time.perf_counter() - started, 1))
    calibrator, report = fit_examples(examples, kind, step, started, goal)
    return replace(calibrator, vocabulary=vocabulary(items)), report


def _loaded(path: Path) -> Calibrator | None:
    """A calibration file to keep, if it is of the current format."""
    try:
        return Calibrator.load(path)
    except ValueError:
        return None


def _stacked(sets: dict[str, list], n: int) -> list[tuple[Any, Any]]:
    """The folds of every set over the leaves stacked once per set (set k's leaves at k * n ...)."""
    import numpy as np

    return [(np.asarray(fit_idx) + k * n, np.asarray(test_idx) + k * n) for k, splits in enumerate(sets.values()) for fit_idx, test_idx in splits]


def fit_examples(examples: Examples, kind: str = "trees", step: str = "platt", started: float | None = None,
                 goal: float = RECORD_GOAL) -> tuple[Calibrator, CalibrationReport]:
    """Fit on labelled leaves: held-out predictions per fold set choose the scaling step, the
    review threshold (records with an empty review list ``goal`` exactly right) and the record
    model; the leaf model is then fitted on every leaf."""
    import numpy as np

    started = started or time.perf_counter()
    sets = fold_sets(examples)
    X, y = examples.matrix(), np.asarray(examples.right, dtype=int)
    p_sets = {name: held_out(kind, X, y, splits) for name, splits in sets.items()}
    p_out, y_all, splits = np.concatenate(list(p_sets.values())), np.tile(y, len(sets)), _stacked(sets, len(y))
    iso = isotonic(p_out, y_all) if step == "isotonic" else None
    scale = platt(p_out, y_all) if step == "platt" else None
    p_cal = cross_calibrated(p_out, y_all, splits, step)  # the held-out view of the shipped chain
    n_docs = len(examples.docs)
    doc_all = np.concatenate([np.asarray(examples.doc, dtype=int) + k * n_docs for k in range(len(sets))])
    exact_all = [bool(d["exact"]) for _ in sets for d in examples.docs]
    threshold = record_review_threshold(p_cal, doc_all, exact_all, goal)
    met = threshold < 1.0
    if not met:  # no threshold clears enough records: fall back to the fields' own precision
        threshold = review_threshold(p_cal, y_all)
    records, cleared, exact_share = records_clear(p_cal, doc_all, exact_all, threshold)
    record_X, record_y, record_held = _record_model_rows(examples, p_cal, sets, threshold)
    leaf = fit_leaf(kind, X, y)
    above = p_cal >= threshold
    right_above = f"{y_all[above].mean():.1%}" if above.any() else "-"
    clear_text = f"{cleared} of {records} records clear, {exact_share:.1%} of them exactly right" if exact_share is not None else "no record clear"
    goal_text = (f"records with an empty review list are >= {goal:.0%} exactly right (on held-out training pages: {clear_text}; "
                 f"fields at or above it {right_above} right)" if met else
                 f"fields at or above it are >= {TARGET_PRECISION:.0%} right (the goal 'records with an empty review list "
                 f">= {goal:.0%} exactly right' was not met on held-out training pages: {clear_text})")
    calibrator = Calibrator(FEATURES, leaf, iso, scale, fit_record(record_X, record_y),
                            RECORD_FEATURES, threshold, threshold,
                            info={"model": f"{kind}+{step}", "features": len(FEATURES), "review_goal": goal_text,
                                  "review_goal_met": met})
    after = {name: summary(p_cal[k * len(y) : (k + 1) * len(y)], y) for k, name in enumerate(sets)}
    return calibrator, CalibrationReport(
        "fitted",
        len(y),
        len(examples.docs),
        {name: len(splits_) for name, splits_ in sets.items()},
        f"{kind}+{step}",
        threshold,
        summary(X[:, COLUMN["evidence"]], y),
        after,
        cleared,
        exact_share,
        round(time.perf_counter() - started, 1),
        goal_text,
        round(ece(*zip(*record_held), edges=tuple(i / 10 for i in range(11))), 4) if record_held else None,
    )


def _record_model_rows(examples: Examples, p_cal, sets: dict, threshold: float):
    """Every fold set's record rows and outcomes (the record model's training data), and the
    (record confidence, outcome) of each record from a record model fitted on the records of the
    other folds (its held-out view)."""
    import numpy as np

    n = len(examples.right)
    rows: list[list[float]] = []
    outcomes: list[int] = []
    held: list[tuple[float, int]] = []
    for k, splits in enumerate(sets.values()):
        rx, ry, docs = _record_rows(examples, p_cal[k * n : (k + 1) * n], threshold)
        rows += rx
        outcomes += ry
        rx_a, ry_a = np.asarray(rx, dtype=float), np.asarray(ry)
        for _, test_idx in splits:
            held_docs = {examples.doc[i] for i in test_idx}
            test = np.asarray([d in held_docs for d in docs], dtype=bool)
            model = fit_record(rx_a[~test], ry_a[~test]) if test.any() else None
            if model is not None:
                held += list(zip((1.0 / (1.0 + np.exp(-model.raw(rx_a[test])))).tolist(), ry_a[test].tolist()))
    return rows, outcomes, held


# ---------------------------------------------------------------- compare and report
def compare(examples: Examples) -> list[dict[str, Any]]:
    """Held-out measures of the candidate leaf models, per fold set (leave one converter / style out)."""
    import numpy as np

    X, y = examples.matrix(), np.asarray(examples.right, dtype=int)
    rows = [{"model": "evidence score as is"} | summary(X[:, COLUMN["evidence"]], y)]
    for name, splits in fold_sets(examples).items():
        for kind in ("linear", "trees"):
            p = held_out(kind, X, y, splits)
            for step in ("none", "platt", "isotonic"):
                rows.append({"model": f"{kind}+{step}", "held_out": name} | summary(cross_calibrated(p, y, splits, step), y))
    return rows


def report(
    corpus: Path = CORPUS,
    split: str = "dev",
    model: str | None = None,
    before: Path | None = None,
    limit: int | None = None,
    plot: Path | None = None,
    review_threshold_override: float | None = None,
    cache: Path | None = None,
    with_text: bool = True,
) -> dict[str, Any]:
    """Reliability of the shipped calibrator (and of ``before``, another calibration file) on a split,
    overall, by converter and by page style."""
    from form4.run.pipeline import model_extractor
    from form4.score.metrics import plot_reliability

    extractor = model_extractor(model)
    after_cal = extractor.calibrator.with_review_threshold(review_threshold_override) if extractor.calibrator else Calibrator()
    before_cal = Calibrator.load(before) if before else None
    items = corpus_items(corpus, split, limit)
    page_styles = styles(corpus, split)
    read = read_all(items, extractor, cache)
    reports = {"after": Report(), "before": Report()}
    for gold, text, converter, name in items:
        assembly = read.get(name)
        for label, cal in (("after", after_cal), ("before", before_cal)):
            if cal is None:
                continue
            pred = cal.apply(assembly.record, text if with_text else None, assembly.provenance).to_json_dict() if assembly else {}
            reports[label].docs.append(score_document(gold, pred, converter, name))
    out = {}
    for label, r in reports.items():
        if not r.docs:
            continue
        rel = reliability(r)
        rel.review_threshold = after_cal.review_threshold if label == "after" else (before_cal.review_threshold if before_cal else None)
        by_style: dict[str, Report] = {}
        for d in r.docs:
            by_style.setdefault(page_styles.get(d.name, ""), Report()).docs.append(d)
        out[label] = {
            "reliability": rel,
            "by_converter": {g: reliability(Report([d for d in r.docs if d.group == g])) for g in r.groups()},
            "by_style": {s: reliability(rep) for s, rep in sorted(by_style.items()) if s},
        }
    if plot and "after" in out:
        before_rel = out["before"]["reliability"] if "before" in out else None
        plot_reliability(out["after"]["reliability"], plot, f"Field confidence on the {split} split ({len(reports['after'].docs)} texts)", before_rel)
    return out


def _print_report(result: dict[str, Any]) -> None:
    for label, parts in result.items():
        rel = parts["reliability"]
        print(f"== {label} (review threshold {rel.review_threshold})")
        print(format_reliability(rel))
        for group in ("by_converter", "by_style"):
            if not parts.get(group):
                continue
            print()
            print(f"{group[3:]:<26} {'leaves':>7} {'ECE':>7} {'>=0.95':>7} {'acc':>7} {'clear':>6} {'exact':>7} {'recECE':>7}")
            for g, r in parts[group].items():
                c = r.coverage[0.95]
                ex = f"{r.exact_without_review:.3f}" if r.exact_without_review is not None else "-"
                rec = f"{r.record_confidence_ece:.4f}" if r.record_confidence_ece is not None else "-"
                print(f"{g:<26} {r.leaves:>7} {r.ece:>7.4f} {c['share']:>7.3f} {c['accuracy'] or 0:>7.4f} {r.records_without_review:>6} {ex:>7} {rec:>7}")
        print()


def refit(model: str | None = None, corpus: Path = CORPUS, limit: int | None = 60, cache: Path | None = None,
          goal: float = RECORD_GOAL) -> CalibrationReport:
    """Refit the calibration of a trained model (default: the shipped one) on the training split and
    write ``calibration.json`` and ``calibration-report.json`` beside it; the NER and the conflict
    policy are kept."""
    from form4.run.pipeline import model_extractor

    extractor = model_extractor(model, calibrated=False)
    where = Path(extractor.model_dir) if extractor.model_dir else None
    if where is None:
        raise SystemExit("no trained model to calibrate: run `form4 train` first")
    previous = where / "calibration.json"
    calibrator, result = fit(corpus, extractor, limit, previous if previous.exists() else None, cache=cache, goal=goal)
    calibrator.save(where / "calibration.json")
    (where / "calibration-report.json").write_text(json.dumps(result.__dict__, indent=1))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m form4.training.calibrate", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="reliability of the shipped calibration on a split (dev: the measure)")
    rep.add_argument("--split", default="dev")
    rep.add_argument("--corpus", type=Path, default=CORPUS)
    rep.add_argument("--model", default=None, help="model directory (default: the shipped one)")
    rep.add_argument("--before", type=Path, default=None, help="another calibration.json to compare with")
    rep.add_argument("--limit", type=int, default=None, help="at most N texts per converter")
    rep.add_argument("--plot", type=Path, default=None, help="write the reliability diagram (PNG)")
    rep.add_argument("--review-threshold", type=float, default=None)
    rep.add_argument("--json", action="store_true")
    rep.add_argument("--no-text", action="store_true", help="calibrate without the source text (as a pipeline that does not pass it)")
    rep.add_argument("--cache", type=Path, default=None, help="keep the uncalibrated readings here (a local pickle) and reuse them")
    fit_ = sub.add_parser("fit", help="refit the calibration of a trained model on the training split (writes calibration.json beside it)")
    fit_.add_argument("--corpus", type=Path, default=CORPUS)
    fit_.add_argument("--model", default=None, help="model directory (default: the shipped one)")
    fit_.add_argument("--limit", type=int, default=60, help="at most N texts per converter (0: all)")
    fit_.add_argument("--cache", type=Path, default=None, help="keep the uncalibrated readings here (a local pickle) and reuse them")
    fit_.add_argument("--goal", type=float, default=RECORD_GOAL, help="the review threshold's goal: records with an empty review list at least this share exactly right")
    cmp_ = sub.add_parser("compare", help="held-out comparison of candidate leaf models on the training split")
    cmp_.add_argument("--corpus", type=Path, default=CORPUS)
    cmp_.add_argument("--model", default=None)
    cmp_.add_argument("--limit", type=int, default=None)
    cmp_.add_argument("--cache", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.command == "report":
        result = report(args.corpus, args.split, args.model, args.before, args.limit, args.plot, args.review_threshold, args.cache, not args.no_text)
        if args.json:
            print(json.dumps({k: {g: ({n: r.to_dict() for n, r in v[g].items()} if isinstance(v[g], dict) else v[g].to_dict()) for g in v} for k, v in result.items()}, indent=1))
        else:
            _print_report(result)
        return 0
    if args.command == "fit":
        print(json.dumps(refit(args.model, args.corpus, args.limit or None, args.cache, args.goal).__dict__, indent=1))
        return 0
    from form4.run.pipeline import model_extractor

    examples = collect(corpus_items(args.corpus, "train", args.limit), model_extractor(args.model, calibrated=False), styles(args.corpus, "train"), args.cache)
    print(f"{len(examples)} leaves, {len(examples.docs)} texts, held-out folds: { {k: len(v) for k, v in fold_sets(examples).items()} }")
    for row in compare(examples):
        print(json.dumps(row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
