"""Precision/recall/F1 over (JSON pointer, value) pairs of non-null gold leaves.

Rows of each table (and owners, signatures) are aligned by best match before
pointers are compared, so one missed row does not shift every later row.
Gold leaves marked ``unrecoverable`` (the converter destroyed them) and fields
the printed form never shows (``fields.NOT_PRINTED``) are left out on both sides.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from scipy.optimize import linear_sum_assignment

from ..errors import GoldFormatError
from ..form.fields import NOT_PRINTED
from ..schema import Record, iter_leaves

_ALIGNED = (
    "reporting_owners",
    "non_derivative_transactions",
    "non_derivative_holdings",
    "derivative_transactions",
    "derivative_holdings",
    "signatures",
    "footnotes",
)


@dataclass(frozen=True)
class Gold:
    record: dict[str, Any]
    unrecoverable: frozenset[str] = frozenset()
    name: str = ""


@dataclass
class Counts:
    tp: int = 0
    gold: int = 0
    pred: int = 0

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.gold += other.gold
        self.pred += other.pred

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class DocScore:
    name: str
    group: str
    counts: Counts
    by_field: dict[str, Counts]
    missed: list[tuple[str, Any]]
    extra: list[tuple[str, Any]]
    leaves: list[tuple[float, bool]] = field(default_factory=list)  # (confidence, right) of each scored predicted leaf
    review: tuple[str, ...] | None = None  # the record's review list (None: the prediction has none)
    record_confidence: float | None = None

    @property
    def exact(self) -> bool:
        return self.counts.tp == self.counts.gold == self.counts.pred


@dataclass
class Report:
    docs: list[DocScore] = field(default_factory=list)

    def total(self, group: str | None = None) -> Counts:
        out = Counts()
        for d in self.docs:
            if group is None or d.group == group:
                out.add(d.counts)
        return out

    def by_field(self, group: str | None = None) -> dict[str, Counts]:
        out: dict[str, Counts] = defaultdict(Counts)
        for d in self.docs:
            if group is None or d.group == group:
                for k, c in d.by_field.items():
                    out[k].add(c)
        return dict(sorted(out.items()))

    def groups(self) -> list[str]:
        return sorted({d.group for d in self.docs})

    def exact_rate(self, group: str | None = None) -> float:
        docs = [d for d in self.docs if group is None or d.group == group]
        return sum(d.exact for d in docs) / len(docs) if docs else 0.0

    def to_dict(self) -> dict[str, Any]:
        def c(x: Counts) -> dict[str, float]:
            return {"precision": round(x.precision, 4), "recall": round(x.recall, 4), "f1": round(x.f1, 4), "tp": x.tp, "gold": x.gold, "pred": x.pred}

        return {
            "documents": len(self.docs),
            "overall": c(self.total()) | {"exact_documents": round(self.exact_rate(), 4)},
            "by_group": {g: c(self.total(g)) | {"exact_documents": round(self.exact_rate(g), 4), "documents": sum(d.group == g for d in self.docs)} for g in self.groups()},
            "by_field": {k: c(v) for k, v in self.by_field().items()},
        }


# ---------------------------------------------------------------- values and alignment
def _norm(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return round(float(value), 6)
    if isinstance(value, str):
        return " ".join(value.split())
    return value


def _field_of(pointer: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/*", pointer).lstrip("/").replace("footnote_ids/*", "footnote_ids")


def _skipped(field_name: str) -> bool:
    for pattern in NOT_PRINTED:
        if pattern.startswith("*/"):
            if field_name.endswith(pattern[1:]):
                return True
        elif field_name == pattern:
            return True
    return False


def _row_similarity(a: dict[str, Any], b: dict[str, Any]) -> int:
    la = {(p, _norm(v)) for p, v in iter_leaves(a)}
    lb = {(p, _norm(v)) for p, v in iter_leaves(b)}
    return len(la & lb)


def align(gold: dict[str, Any], pred: dict[str, Any]) -> dict[str, Any]:
    """``pred`` with its list rows reordered to line up with ``gold``'s best matches."""
    out = dict(pred)
    for key in _ALIGNED:
        g_rows, p_rows = gold.get(key) or [], pred.get(key) or []
        if not g_rows or not p_rows:
            continue
        sim = [[-_row_similarity(g, p) for p in p_rows] for g in g_rows]
        gi, pi = linear_sum_assignment(sim)
        placed: list[Any] = [None] * len(g_rows)
        used = set()
        for g, p in zip(gi, pi):
            placed[g] = p_rows[p]
            used.add(p)
        extra = [row for j, row in enumerate(p_rows) if j not in used]
        out[key] = placed + extra
    return out


def score_document(gold: Gold, pred: dict[str, Any], group: str = "all", name: str = "") -> DocScore:
    aligned = align(gold.record, pred)
    g_pairs = {(p, _norm(v)) for p, v in iter_leaves(gold.record) if p not in gold.unrecoverable and not _skipped(_field_of(p))}
    p_pairs = {(p, _norm(v)) for p, v in iter_leaves(aligned) if p not in gold.unrecoverable and not _skipped(_field_of(p))}
    by_field: dict[str, Counts] = defaultdict(Counts)
    for p, _ in g_pairs:
        by_field[_field_of(p)].gold += 1
    for p, _ in p_pairs:
        by_field[_field_of(p)].pred += 1
    tp = g_pairs & p_pairs
    for p, _ in tp:
        by_field[_field_of(p)].tp += 1
    counts = Counts(len(tp), len(g_pairs), len(p_pairs))
    confidence = pred.get("confidence") or {}
    leaves = [(confidence[p], right) for p, right in _scored_leaves(pred, aligned, g_pairs, gold.unrecoverable).items() if p in confidence]
    review = tuple(pred["review"]) if "review" in pred else None
    return DocScore(
        name or gold.name, group, counts, dict(by_field), sorted(g_pairs - p_pairs, key=str), sorted(p_pairs - g_pairs, key=str),
        leaves, review, pred.get("record_confidence"),
    )


def _original_pointers(pred: dict[str, Any], aligned: dict[str, Any]) -> dict[str, str]:
    """Row prefix in the aligned record -> the same row's prefix in ``pred`` (align moves rows)."""
    out = {}
    for key in _ALIGNED:
        rows = pred.get(key) or []
        for k, row in enumerate(aligned.get(key) or []):
            j = next((j for j, r in enumerate(rows) if r is row), None)
            if j is not None:
                out[f"/{key}/{k}/"] = f"/{key}/{j}/"
    return out


def _scored_leaves(pred: dict[str, Any], aligned: dict[str, Any], g_pairs: set, unrecoverable: frozenset[str]) -> dict[str, bool]:
    """Each scored predicted leaf, by its pointer in ``pred``, -> whether gold has its value there."""
    moved = _original_pointers(pred, aligned)
    out = {}
    for p, v in iter_leaves(aligned):
        if p in unrecoverable or _skipped(_field_of(p)):
            continue
        parts = p.split("/")
        prefix = "/".join(parts[:3]) + "/"
        original = moved[prefix] + "/".join(parts[3:]) if prefix in moved else p
        out[original] = (p, _norm(v)) in g_pairs
    return out


def scored_leaves(gold: Gold, pred: dict[str, Any]) -> dict[str, bool]:
    """Each scored leaf of ``pred`` (by its own pointer) -> right or not, rows aligned as scoring aligns them.

    >>> g = Gold({"non_derivative_transactions": [{"shares": 5}, {"shares": 7}]})
    >>> scored_leaves(g, {"non_derivative_transactions": [{"shares": 7}, {"shares": 6}]})
    {'/non_derivative_transactions/1/shares': False, '/non_derivative_transactions/0/shares': True}
    """
    aligned = align(gold.record, pred)
    g_pairs = {(p, _norm(v)) for p, v in iter_leaves(gold.record) if p not in gold.unrecoverable and not _skipped(_field_of(p))}
    return _scored_leaves(pred, aligned, g_pairs, gold.unrecoverable)


# ---------------------------------------------------------------- loading
def load_gold(path: Path) -> Gold:
    """A gold record: JSON in the record shape, plus ``unrecoverable: {pointer: why}``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise GoldFormatError(f"cannot read gold record ({err}); gold files are record JSON as printed by `form4 extract`", str(path)) from err
    unrecoverable = frozenset((data.pop("unrecoverable", None) or {}).keys())
    try:
        record = Record.model_validate({k: v for k, v in data.items() if k not in ("confidence", "warnings")})
    except ValueError as err:
        first = str(err).splitlines()[0:3]
        raise GoldFormatError(f"gold record does not fit the schema: {' '.join(first)}", str(path)) from err
    return Gold(record.to_json_dict(), unrecoverable, path.stem)


def doc_key(name: str) -> tuple[str, str]:
    """``<document>[.<converter>]`` -> (document, converter).

    >>> doc_key("abc.pdftotext-layout"), doc_key("000_46eb")
    (('abc', 'pdftotext-layout'), ('000_46eb', 'as-given'))
    """
    doc, _, converter = name.partition(".")
    return doc, converter or "as-given"


def score_pairs(pairs: Iterable[tuple[Gold, dict[str, Any], str, str]]) -> Report:
    report = Report()
    for gold, pred, group, name in pairs:
        report.docs.append(score_document(gold, pred, group, name))
    return report


def format_report(report: Report, per_field: bool = True) -> str:
    lines = []
    total = report.total()
    lines.append(f"documents: {len(report.docs)}   exact documents: {report.exact_rate():.1%}")
    lines.append("")
    lines.append(f"{'converter':<24} {'docs':>5} {'P':>7} {'R':>7} {'F1':>7} {'exact':>7}")
    for g in report.groups():
        c = report.total(g)
        n = sum(d.group == g for d in report.docs)
        lines.append(f"{g:<24} {n:>5} {c.precision:>7.3f} {c.recall:>7.3f} {c.f1:>7.3f} {report.exact_rate(g):>7.1%}")
    lines.append(f"{'ALL':<24} {len(report.docs):>5} {total.precision:>7.3f} {total.recall:>7.3f} {total.f1:>7.3f} {report.exact_rate():>7.1%}")
    if per_field:
        lines.append("")
        lines.append(f"{'field':<58} {'gold':>6} {'pred':>6} {'P':>7} {'R':>7} {'F1':>7}")
        for k, c in report.by_field().items():
            lines.append(f"{k:<58} {c.gold:>6} {c.pred:>6} {c.precision:>7.3f} {c.recall:>7.3f} {c.f1:>7.3f}")
    return "\n".join(lines)


# ---------------------------------------------------------------- reliability of the confidence
#: Confidence bins of the reliability table (the last one includes 1.0).
BINS = (0.0, 0.5, 0.8, 0.9, 0.95, 0.99, 1.0)
COVERAGE_AT = (0.95, 0.99)
#: Bins of the records' reliability table (record_confidence against exactly right records).
RECORD_BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 0.9, 1.0)


@dataclass
class Reliability:
    """How far the confidence of predicted leaves can be trusted (``reliability(report)``)."""

    bins: list[dict[str, float]]  # lo, hi, leaves, mean_confidence, share_right
    ece: float  # expected calibration error over the table's bins
    ece_fine: float  # the same over 20 equal-width bins
    leaves: int
    coverage: dict[float, dict[str, float]]  # threshold -> share of leaves at or above it, their accuracy
    review_threshold: float | None
    records: int
    records_without_review: int
    exact_without_review: float | None  # share of records with an empty review list that are exactly right
    record_confidence_ece: float | None
    record_bins: list[dict[str, float]] = field(default_factory=list)  # lo, hi, records, mean_confidence, share_exact

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["coverage"] = {str(k): v for k, v in self.coverage.items()}
        return out


def _ece(pairs: list[tuple[float, bool]], edges: tuple[float, ...]) -> float:
    total, err = len(pairs), 0.0
    for b in _binned(pairs, edges):
        if b:
            err += len(b) / total * abs(sum(c for c, _ in b) / len(b) - sum(r for _, r in b) / len(b))
    return err


def _binned(pairs: list[tuple[float, bool]], edges: tuple[float, ...]) -> list[list[tuple[float, bool]]]:
    out: list[list[tuple[float, bool]]] = [[] for _ in edges[:-1]]
    for c, r in pairs:
        i = next((i for i in range(len(edges) - 1) if c < edges[i + 1]), len(edges) - 2)
        out[i].append((c, r))
    return out


def reliability(report: Report, bins: tuple[float, ...] = BINS) -> Reliability:
    """The reliability table, ECE, coverage at 0.95/0.99 and the review list's record precision.

    >>> d = DocScore("a", "g", Counts(), {}, [], [], [(0.97, True), (0.97, True), (0.6, False), (0.6, True)], (), 0.9)
    >>> r = reliability(Report([d]))
    >>> [(b["leaves"], b["share_right"]) for b in r.bins if b["leaves"]], round(r.ece, 3), r.coverage[0.95]
    ([(2, 0.5), (2, 1.0)], 0.065, {'share': 0.5, 'accuracy': 1.0})
    """
    pairs = [leaf for d in report.docs for leaf in d.leaves]
    table = []
    for lo, hi, b in zip(bins, bins[1:], _binned(pairs, bins)):
        n = len(b)
        table.append({"lo": lo, "hi": hi, "leaves": n, "mean_confidence": round(sum(c for c, _ in b) / n, 4) if n else None,
                      "share_right": round(sum(r for _, r in b) / n, 4) if n else None})
    coverage = {}
    for t in COVERAGE_AT:
        above = [r for c, r in pairs if c >= t]
        coverage[t] = {"share": round(len(above) / len(pairs), 4) if pairs else 0.0, "accuracy": round(sum(above) / len(above), 4) if above else None}
    reviewed = [d for d in report.docs if d.review is not None]
    clear = [d for d in reviewed if not d.review]
    rated = [(d.record_confidence, d.exact) for d in report.docs if d.record_confidence is not None]
    return Reliability(
        table,
        round(_ece(pairs, bins), 4) if pairs else 0.0,
        round(_ece(pairs, tuple(i / 20 for i in range(21))), 4) if pairs else 0.0,
        len(pairs),
        coverage,
        None,
        len(reviewed),
        len(clear),
        round(sum(d.exact for d in clear) / len(clear), 4) if clear else None,
        round(_ece(rated, tuple(i / 10 for i in range(11))), 4) if rated else None,
        _table(rated, RECORD_BINS, "records", "share_exact") if rated else [],
    )


def _table(pairs: list[tuple[float, bool]], edges: tuple[float, ...], count: str, right: str) -> list[dict[str, float]]:
    """One row per bin: its edges, how many pairs, their mean confidence and share right."""
    rows = []
    for lo, hi, b in zip(edges, edges[1:], _binned(pairs, edges)):
        n = len(b)
        rows.append({"lo": lo, "hi": hi, count: n, "mean_confidence": round(sum(c for c, _ in b) / n, 4) if n else None,
                     right: round(sum(r for _, r in b) / n, 4) if n else None})
    return rows


def format_reliability(rel: Reliability) -> str:
    """The reliability table and its summary lines, as ``form4 score`` prints them."""
    lines = [f"{'confidence':<12} {'leaves':>8} {'mean conf':>10} {'share right':>12}"]
    for b in rel.bins:
        mean = f"{b['mean_confidence']:.3f}" if b["leaves"] else "-"
        right = f"{b['share_right']:.3f}" if b["leaves"] else "-"
        lines.append(f"{b['lo']:.2f}-{b['hi']:.2f}    {b['leaves']:>8} {mean:>10} {right:>12}")
    lines.append(f"ECE {rel.ece:.4f} (table bins), {rel.ece_fine:.4f} (20 equal bins) over {rel.leaves} predicted leaves")
    for t, c in rel.coverage.items():
        acc = f"{c['accuracy']:.4f}" if c["accuracy"] is not None else "-"
        lines.append(f"confidence >= {t}: {c['share']:.1%} of predicted leaves, {acc} right")
    if rel.records:
        share = f"{rel.exact_without_review:.1%}" if rel.exact_without_review is not None else "-"
        under = f" (review threshold {rel.review_threshold:.4g})" if rel.review_threshold is not None else ""
        lines.append(f"records with an empty review list{under}: {rel.records_without_review} of {rel.records}, {share} exactly right")
    if rel.record_confidence_ece is not None:
        lines.append("")
        lines.append(f"{'record conf':<12} {'records':>8} {'mean conf':>10} {'share exact':>12}")
        for b in rel.record_bins:
            mean = f"{b['mean_confidence']:.3f}" if b["records"] else "-"
            exact = f"{b['share_exact']:.3f}" if b["records"] else "-"
            lines.append(f"{b['lo']:.2f}-{b['hi']:.2f}    {b['records']:>8} {mean:>10} {exact:>12}")
        lines.append(f"record_confidence ECE (10 bins): {rel.record_confidence_ece:.4f}")
    return "\n".join(lines)


def plot_reliability(rel: Reliability, path: Path, title: str = "Reliability of field confidence", before: Reliability | None = None) -> None:
    """Draw the reliability diagram (share right against mean confidence per bin) to ``path``;
    ``before``, another calibration's reliability on the same predictions, is drawn for comparison."""
    import matplotlib  # an optional dependency (the `plot` extra): callers say how to install it

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = [b for b in rel.bins if b["leaves"]]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(6, 6.5), gridspec_kw={"height_ratios": [3, 1]}, sharex=True)
    top.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=1, label="perfect calibration")
    if before is not None:
        was = [b for b in before.bins if b["leaves"]]
        top.plot([b["mean_confidence"] for b in was], [b["share_right"] for b in was], marker="s", color="tab:orange", alpha=0.7,
                 label=f"before (ECE {before.ece:.3f})")
    top.plot([b["mean_confidence"] for b in shown], [b["share_right"] for b in shown], marker="o", color="tab:blue",
             label=f"share right per bin (ECE {rel.ece:.3f})" if before is None else f"after (ECE {rel.ece:.3f})")
    for b in shown:
        top.annotate(f"{b['leaves']:,}", (b["mean_confidence"], b["share_right"]), textcoords="offset points", xytext=(4, -12), fontsize=7)
    top.set_ylabel("share right")
    top.set_ylim(0, 1.02)
    top.set_title(f"{title}\nECE {rel.ece:.3f}; >= 0.95: {rel.coverage[0.95]['share']:.0%} of leaves, {rel.coverage[0.95]['accuracy'] or 0:.3f} right")
    top.legend(loc="upper left", fontsize=8)
    bottom.bar([(b["lo"] + b["hi"]) / 2 for b in rel.bins], [b["leaves"] for b in rel.bins], width=[b["hi"] - b["lo"] for b in rel.bins], edgecolor="black", alpha=0.6)
    bottom.set_yscale("log")
    bottom.set_xlabel("confidence")
    bottom.set_ylabel("leaves")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
