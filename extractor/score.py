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

from .errors import GoldFormatError
from .fields import NOT_PRINTED
from .schema import Record, iter_leaves

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
    return DocScore(name or gold.name, group, counts, dict(by_field), sorted(g_pairs - p_pairs, key=str), sorted(p_pairs - g_pairs, key=str))


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
