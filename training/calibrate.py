"""Fit the confidence calibrator on out-of-domain predictions of the training split.

Every predicted leaf of every training-split text is one example: its features
(``form4.calibrate.calibrator.leaf_features``: field, evidence, breaches, repairs, row arithmetic,
text quality of the page, record signals) and whether its value is the gold value (rows
aligned as ``form4 score`` aligns them). The NER model saw every corpus converter in
training, so the calibrator is *cross-fitted*: the training texts are split into folds by
converter (and by page style when the corpus has styles), and each fold's leaves are scored
by a calibrator fitted on the other folds only. Those held-out scores choose the isotonic
step, the review threshold and the record-level model; the shipped leaf model is then fitted
on every fold. The dev split is never used for fitting: it is the measure
(``python -m form4.training.calibrate report --split dev``).

``python -m form4.training.calibrate compare`` prints the held-out comparison of candidate
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

from form4.calibrate.calibrator import RECORD_FEATURES, Calibrator, Isotonic, Linear, Trees, record_features
from form4.calibrate.features import feature_names, leaf_features, matrix
from form4.errors import Form4Error
from form4.run.pipeline import Extractor, extract_text
from form4.schema import Record
from form4.score.metrics import Report, format_reliability, reliability, score_document, scored_leaves

from .evaluate import corpus_items
from .reliability import review_threshold, summary

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "annotations" / "corpus"
MIN_LEAVES = 50  # fewer scored leaves than this (or one class only): keep the previous calibration
TREES = {"max_iter": 150, "learning_rate": 0.08, "max_leaf_nodes": 15, "min_samples_leaf": 40, "l2_regularization": 1.0}


# ---------------------------------------------------------------- examples
@dataclass
class Examples:
    """Leaf examples of one split: feature dicts, outcomes, and the documents they come from."""

    feats: list[dict[str, float]] = field(default_factory=list)
    right: list[bool] = field(default_factory=list)
    doc: list[int] = field(default_factory=list)  # index into docs, per leaf
    docs: list[dict[str, Any]] = field(default_factory=list)  # name, converter, style, exact, has_text, failed

    def __len__(self) -> int:
        return len(self.right)


def styles(corpus: Path, split: str) -> dict[str, str]:
    """A text's name (:func:`form4.training.evaluate.text_name`) -> page style, for corpora whose
    ``meta`` has a ``style``."""
    from .corpus import iter_jsonl
    from .evaluate import text_name

    out = {}
    path = corpus / f"{split}.jsonl.gz"
    if path.exists():
        for example in iter_jsonl(path):
            meta = example.get("meta") or {}
            if meta.get("style") and meta.get("doc_id"):
                out[text_name({"converter": "as-given", **meta})] = str(meta["style"])
    return out


def collect(items, extractor: Extractor, page_styles: dict[str, str] | None = None) -> Examples:
    """Extract every text with the evidence scores alone (no calibrator) and label its leaves."""
    raw = replace(extractor, calibrator=None)
    out = Examples()
    for gold, text, converter, name in items:
        doc = {"name": name, "converter": converter, "style": (page_styles or {}).get(name, ""), "has_text": bool(text)}
        try:
            record = extract_text(text, name, raw)
        except Form4Error:
            out.docs.append(doc | {"exact": False, "failed": True})
            continue
        pred = record.to_json_dict()
        outcome = scored_leaves(gold, pred)
        out.docs.append(doc | {"exact": score_document(gold, pred).exact, "failed": False})
        pointers, feats = leaf_features(record, text)
        for pointer, f in zip(pointers, feats):
            if pointer in outcome:
                out.feats.append(f)
                out.right.append(outcome[pointer])
                out.doc.append(len(out.docs) - 1)
    return out


def folds(examples: Examples) -> list[tuple[list[int], list[int]]]:
    """(fit leaves, held-out leaves) per converter — per converter and style when styles exist:
    the held-out fold's converter *and* style are both absent from what it is scored by."""
    keys = [(d["converter"], d["style"]) for d in examples.docs]
    per_leaf = [keys[i] for i in examples.doc]
    out = []
    for held in sorted(set(per_leaf)):
        test = [i for i, k in enumerate(per_leaf) if k == held]
        fit = [i for i, k in enumerate(per_leaf) if k[0] != held[0] and (not held[1] or k[1] != held[1])]
        if test and fit:
            out.append((fit, test))
    return out


# ---------------------------------------------------------------- leaf models
def _fit_leaf(kind: str, X, y):
    """A leaf model as plain data: ``trees`` (gradient-boosted) or ``linear`` (logistic)."""
    import numpy as np

    if kind == "trees":
        from sklearn.ensemble import HistGradientBoostingClassifier
        from threadpoolctl import threadpool_limits

        X = np.where(np.isnan(X).all(axis=0), 0.0, X)  # a feature never measured here (e.g. no provenance yet): never split on
        with threadpool_limits(1):  # one thread: a shared machine (and identical results everywhere)
            model = HistGradientBoostingClassifier(**TREES, early_stopping=False, random_state=13).fit(X, y)
        return Trees.from_sklearn(model)
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    Xf = np.nan_to_num(X, nan=0.0)
    scaler = StandardScaler().fit(Xf)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    model = LogisticRegression(C=1.0, max_iter=2000).fit((Xf - scaler.mean_) / scale, y)
    coef = model.coef_[0] / scale
    return Linear(tuple(float(c) for c in coef), float(model.intercept_[0] - (coef * scaler.mean_).sum()))


def _sigmoid(z):
    import numpy as np

    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


def _isotonic(p, y) -> Isotonic:
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(p, y)
    return Isotonic(tuple(float(v) for v in iso.X_thresholds_), tuple(float(v) for v in iso.y_thresholds_))


def _logit(p):
    import numpy as np

    p = np.clip(np.asarray(p, dtype=float), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def _platt(p, y) -> Linear:
    """Platt scaling on the log-odds: p' = sigmoid(a * logit(p) + b)."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression().fit(_logit(p)[:, None], y)
    return Linear((float(model.coef_[0][0]),), float(model.intercept_[0]))


def _apply_step(step_model, p):
    if isinstance(step_model, Isotonic):
        return step_model(p)
    return _sigmoid(step_model.coef[0] * _logit(p) + step_model.intercept)


def held_out(kind: str, X, y, splits) -> Any:
    """Probability for every leaf from a leaf model that did not see its fold."""
    import numpy as np

    p = np.full(len(y), np.nan)
    for fit_idx, test_idx in splits:
        if len(set(y[fit_idx])) < 2:
            p[test_idx] = y[fit_idx].mean()
            continue
        model = _fit_leaf(kind, X[fit_idx], y[fit_idx])
        p[test_idx] = _sigmoid(model.raw(X[test_idx]))
    return p


def cross_calibrated(p, y, splits, step: str) -> Any:
    """Held-out probabilities passed through a calibration step itself fitted on the other folds."""
    import numpy as np

    if step == "none":
        return p
    out = np.array(p, dtype=float)
    for _, test_idx in splits:
        other = np.setdiff1d(np.arange(len(y)), test_idx)
        f = _isotonic(p[other], y[other]) if step == "isotonic" else _platt(p[other], y[other])
        out[test_idx] = _apply_step(f, p[test_idx])
    return out


def _record_rows(examples: Examples, p, threshold: float) -> tuple[list[list[float]], list[int]]:
    per_doc: dict[int, list[float]] = {}
    for i, d in enumerate(examples.doc):
        per_doc.setdefault(d, []).append(float(p[i]))
    X, y = [], []
    for d, doc in enumerate(examples.docs):
        if doc["failed"]:
            continue
        X.append(record_features(per_doc.get(d, []), threshold, doc["has_text"]))
        y.append(int(doc["exact"]))
    return X, y


def _fit_record(X, y) -> Linear | None:
    from sklearn.linear_model import LogisticRegression

    if len(set(y)) < 2:
        return None
    model = LogisticRegression(C=1.0, max_iter=2000).fit(X, y)
    return Linear(tuple(float(c) for c in model.coef_[0]), float(model.intercept_[0]))


# ---------------------------------------------------------------- fit
@dataclass
class CalibrationReport:
    status: str  # "fitted", or why the previous calibration was kept
    examples: int
    documents: int
    folds: int = 0
    model: str = ""
    review_threshold: float | None = None
    held_out_before: dict = field(default_factory=dict)  # the evidence scores as probabilities
    held_out_after: dict = field(default_factory=dict)
    held_out_records_without_review: int | None = None
    held_out_exact_without_review: float | None = None
    seconds: float = 0.0


def fit(
    corpus: Path,
    extractor: Extractor,
    limit: int | None = 60,
    previous: Path | None = None,
    kind: str = "trees",
    step: str = "platt",
    exclude_styles: tuple[str, ...] = (),
) -> tuple[Calibrator, CalibrationReport]:
    """Cross-fit the calibrator on the training split (never dev), without the pages of
    ``exclude_styles``; keep ``previous`` when the corpus is too small to fit one (fewer than
    MIN_LEAVES scored leaves, or one class only)."""
    started = time.perf_counter()
    items = corpus_items(corpus, "train", limit, exclude_styles=exclude_styles)
    examples = collect(items, extractor, styles(corpus, "train"))
    splits = folds(examples)
    if len(examples) < MIN_LEAVES or len(set(examples.right)) < 2 or not splits:
        why = f"kept the previous calibration: {len(examples)} scored leaves, {len(set(examples.right))} class(es), {len(splits)} fold(s) (need {MIN_LEAVES}+, both, 1+)"
        kept = (Calibrator.load(previous) if previous else None) or Calibrator()
        return kept, CalibrationReport(why, len(examples), len(examples.docs), seconds=round(time.perf_counter() - started, 1))
    return fit_examples(examples, splits, kind, step, started)


def fit_examples(
    examples: Examples, splits, kind: str = "trees", step: str = "platt", started: float | None = None, p_out=None
) -> tuple[Calibrator, CalibrationReport]:
    """Fit on labelled leaves; ``p_out`` (held-out leaf probabilities from ``held_out``) if already computed."""
    import numpy as np

    started = started or time.perf_counter()
    names = feature_names(examples.feats)
    X, y = matrix(examples.feats, names), np.asarray(examples.right, dtype=int)
    p_out = held_out(kind, X, y, splits) if p_out is None else p_out
    iso = _isotonic(p_out, y) if step == "isotonic" else None
    platt = _platt(p_out, y) if step == "platt" else None
    p_cal = cross_calibrated(p_out, y, splits, step)  # the held-out view of the shipped chain
    threshold = review_threshold(p_cal, y)
    record_X, record_y = _record_rows(examples, p_cal, threshold)
    leaf = _fit_leaf(kind, X, y)
    calibrator = Calibrator(tuple(names), leaf, iso, platt, _fit_record(record_X, record_y), threshold, threshold, info={"model": f"{kind}+{step}", "features": len(names)})
    clear = [e for x, e in zip(record_X, record_y) if x[RECORD_FEATURES.index("below")] == 0]
    evidence = [f["evidence"] for f in examples.feats]
    return calibrator, CalibrationReport(
        "fitted",
        len(y),
        len(examples.docs),
        len(splits),
        f"{kind}+{step}",
        threshold,
        summary(evidence, y),
        summary(p_cal, y),
        len(clear),
        round(sum(clear) / len(clear), 4) if clear else None,
        round(time.perf_counter() - started, 1),
    )


# ---------------------------------------------------------------- compare and report
def compare(examples: Examples) -> list[dict[str, Any]]:
    """Held-out (leave-one-converter-out) measures of the candidate leaf models."""
    import numpy as np

    names = feature_names(examples.feats)
    X, y = matrix(examples.feats, names), np.asarray(examples.right, dtype=int)
    splits = folds(examples)
    rows = [{"model": "evidence score as is"} | summary([f["evidence"] for f in examples.feats], y)]
    for kind in ("linear", "trees"):
        p = held_out(kind, X, y, splits)
        for step in ("none", "platt", "isotonic"):
            rows.append({"model": f"{kind}+{step}"} | summary(cross_calibrated(p, y, splits, step), y))
    return rows


def raw_records(items, extractor: Extractor, cache: Path | None = None) -> dict[str, Record | None]:
    """Each text's record with the evidence scores alone (None where extraction failed);
    kept in ``cache`` (JSON lines) so that calibrations can be compared without re-reading."""
    import gzip

    if cache and cache.exists():
        with gzip.open(cache, "rt", encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh]
        return {r["name"]: Record.model_validate(r["record"]) if r["record"] else None for r in rows}
    raw = replace(extractor, calibrator=None)
    out: dict[str, Record | None] = {}
    for _, text, _, name in items:
        try:
            out[name] = extract_text(text, name, raw)
        except Form4Error:
            out[name] = None
    if cache:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with gzip.open(cache, "wt", encoding="utf-8") as fh:
            for name, record in out.items():
                fh.write(json.dumps({"name": name, "record": record.to_json_dict() if record else None}) + "\n")
    return out


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
    """Reliability of the shipped calibrator (and of ``before``, another calibration file) on a split."""
    from form4.run.pipeline import model_extractor
    from form4.score.metrics import plot_reliability

    extractor = model_extractor(model)
    after_cal = extractor.calibrator.with_review_threshold(review_threshold_override) if extractor.calibrator else Calibrator()
    before_cal = Calibrator.load(before) if before else None
    items = corpus_items(corpus, split, limit)
    records = raw_records(items, extractor, cache)
    reports = {"after": Report(), "before": Report()}
    for gold, text, converter, name in items:
        record = records.get(name)
        if record is None:
            for r in reports.values():
                r.docs.append(score_document(gold, {}, converter, name))
            continue
        reports["after"].docs.append(score_document(gold, after_cal.apply(record, text if with_text else None).to_json_dict(), converter, name))
        if before_cal:
            reports["before"].docs.append(score_document(gold, before_cal.apply(record).to_json_dict(), converter, name))
    out = {}
    for label, r in reports.items():
        if not r.docs:
            continue
        rel = reliability(r)
        rel.review_threshold = after_cal.review_threshold if label == "after" else (before_cal.review_threshold if before_cal else None)
        out[label] = {"reliability": rel, "by_converter": {g: reliability(Report([d for d in r.docs if d.group == g])) for g in r.groups()}}
    if plot and "after" in out:
        before_rel = out["before"]["reliability"] if "before" in out else None
        plot_reliability(out["after"]["reliability"], plot, f"Field confidence on the {split} split ({len(reports['after'].docs)} texts)", before_rel)
    return out


def _print_report(result: dict[str, Any]) -> None:
    for label, parts in result.items():
        rel = parts["reliability"]
        print(f"== {label} (review threshold {rel.review_threshold})")
        print(format_reliability(rel))
        print()
        print(f"{'converter':<26} {'leaves':>7} {'ECE':>7} {'>=0.95':>7} {'acc':>7} {'clear':>6} {'exact':>7}")
        for g, r in parts["by_converter"].items():
            c = r.coverage[0.95]
            ex = f"{r.exact_without_review:.3f}" if r.exact_without_review is not None else "-"
            print(f"{g:<26} {r.leaves:>7} {r.ece:>7.4f} {c['share']:>7.3f} {c['accuracy'] or 0:>7.4f} {r.records_without_review:>6} {ex:>7}")
        print()


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
    rep.add_argument("--cache", type=Path, default=None, help="keep the uncalibrated records here (JSON lines, gzip) and reuse them")
    cmp_ = sub.add_parser("compare", help="held-out comparison of candidate leaf models on the training split")
    cmp_.add_argument("--corpus", type=Path, default=CORPUS)
    cmp_.add_argument("--model", default=None)
    cmp_.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)
    if args.command == "report":
        result = report(args.corpus, args.split, args.model, args.before, args.limit, args.plot, args.review_threshold, args.cache, not args.no_text)
        if args.json:
            print(json.dumps({k: {"reliability": v["reliability"].to_dict(), "by_converter": {g: r.to_dict() for g, r in v["by_converter"].items()}} for k, v in result.items()}, indent=1))
        else:
            _print_report(result)
        return 0
    from form4.run.pipeline import model_extractor

    examples = collect(corpus_items(args.corpus, "train", args.limit), model_extractor(args.model), styles(args.corpus, "train"))
    print(f"{len(examples)} leaves, {len(examples.docs)} texts, {len(folds(examples))} held-out folds")
    for row in compare(examples):
        print(json.dumps(row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
