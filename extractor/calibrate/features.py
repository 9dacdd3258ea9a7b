"""What the calibrator looks at for every leaf, as one matrix per record.

Columns (:data:`FEATURES`, a fixed list): the field and its kind; its evidence (the assembler's
score, the reader's level, who read it, the model's probability, other readings, whether it was
seen printed); the form's checks (breaches naming it or its row, by rule; repairs, by kind); its
value where the form bounds it (a price against the record's other prices, a checkbox's state);
the row (does its holdings arithmetic hold, how many fields are empty, its table's layout); the page
(text quality, the layout it suggests, how many of its words are new, the readers' familiarity
signals); the record (how many leaves, what share weakly evidenced, breaches, repairs).

:mod:`form4.calibrate.calibrator` maps a row of this matrix to the probability that a leaf is right.
"""

from __future__ import annotations

import math
import re
from typing import Any, Mapping, Sequence

from ..assemble.provenance import REPAIR_KINDS, SOURCES, Provenance
from ..form.fields import NOT_PRINTED
from ..read.tables import LAYOUTS
from ..run.familiarity import PAGE_SIGNALS
from ..schema import TABLES, Footnote, Issuer, Record, ReportingOwner, Signature
from .text import QUALITY, TEXT_LAYOUTS, novelty, text_layout, text_quality, words

KINDS = ("text", "number", "date", "flag", "code", "footnote")
_DATE = re.compile(r"(?:date|period_of_report|date_of_original_submission)$")
FORMAT = "form4-calibration/2"
REVIEW_THRESHOLD = 0.9  # used only when a calibration file does not carry a measured one


def kind_of(pointer: str) -> str:
    """
    >>> kind_of("/non_derivative_transactions/0/shares"), kind_of("/footnotes/0/text"), kind_of("/reporting_owners/0/is_director")
    ('number', 'footnote', 'flag')
    """
    last = pointer.rsplit("/", 2)
    name = last[-1] if not last[-1].isdigit() else last[-2]
    if pointer.startswith("/footnotes") or name == "footnote_ids":
        return "footnote"
    if name.startswith("is_") or name in ("not_subject_to_section16", "aff10b5_one", "equity_swap_involved"):
        return "flag"
    if _DATE.search(name) or name.endswith("_date"):
        return "date"
    if name in ("shares", "price_per_share", "shares_owned_following", "conversion_or_exercise_price", "underlying_security_shares"):
        return "number"
    if name in ("transaction_code", "acquired_disposed", "direct_or_indirect", "document_type", "trading_symbol", "state", "zip_code"):
        return "code"
    return "text"


_INDEX = re.compile(r"/\d+(?=/|$)")


def field_pattern(pointer: str) -> str:
    """The field a pointer names, row indices removed.

    >>> field_pattern("/derivative_transactions/2/footnote_ids/1"), field_pattern("/issuer/name")
    ('derivative_transactions/*/footnote_ids', 'issuer/name')
    """
    return _INDEX.sub("/*", pointer).lstrip("/").replace("footnote_ids/*", "footnote_ids")


_META = ("source", "confidence", "warnings", "review", "record_confidence", "alternatives")


def _all_fields() -> tuple[str, ...]:
    """Every printed field pattern of the record (the one-hot vocabulary of the leaf model)."""
    nested = {"issuer": Issuer, "reporting_owners": ReportingOwner, "footnotes": Footnote, "signatures": Signature, **TABLES}
    out = []
    for name in Record.model_fields:
        sub = nested.get(name)
        if name in _META:
            continue
        star = "" if name == "issuer" else "/*"
        out += [f"{name}{star}/{k}" for k in sub.model_fields] if sub else [name]
    return tuple(p for p in out if not _not_printed(p))


def _not_printed(pattern: str) -> bool:
    return any(pattern.endswith(p[1:]) if p.startswith("*/") else pattern == p for p in NOT_PRINTED)


FIELDS = _all_fields()


# ---------------------------------------------------------------- the row
def _chain_status(rows: Sequence[Any]) -> list[float]:
    """Per row: 1 if its holdings follow from the previous row of its chain (same security,
    form and nature), 0 if they do not, NaN when there is no previous row or a value is missing."""
    out, last = [], {}
    for row in rows:
        status = math.nan
        following, shares, side = row.get("shares_owned_following"), row.get("shares"), row.get("acquired_disposed")
        chain = ((row.get("security_title") or "").lower(), row.get("direct_or_indirect"), row.get("nature_of_ownership"))
        if chain in last and None not in (following, shares, side) and "shares" in row:
            expected = last[chain] + shares if side == "A" else last[chain] - shares
            status = float(abs(expected - following) <= 0.5)
        if following is not None:
            last[chain] = following
        out.append(status)
    return out


def _row_signals(record: dict) -> dict[tuple[str, int], dict[str, float]]:
    out = {}
    for key in TABLES:
        rows = record.get(key) or []
        chain = _chain_status(rows) if key.endswith("transactions") else [math.nan] * len(rows)
        for i, row in enumerate(rows):
            printed = [k for k in row if not _not_printed(f"{key}/*/{k}") and k != "footnote_ids"]
            nulls = sum(row[k] is None for k in printed)
            out[(key, i)] = {"row_nulls": nulls, "row_null_share": nulls / max(1, len(printed)), "chain_holds": chain[i], "rows_in_table": len(rows)}
    return out


# ---------------------------------------------------------------- the columns
READERS = ("header", "rows", "footer")
#: Rules of the form a breach may name (``validate``); a breach of another rule counts in ``breaches`` only.
BREACH_RULES = ("holdings-chain", "code", "code-vs-side", "date-order", "relationship", "officer-title", "plausibility")
_PRICES = ("price_per_share", "conversion_or_exercise_price")
_TABLE_OF = {"non_derivative_transactions": "I", "non_derivative_holdings": "I", "derivative_transactions": "II", "derivative_holdings": "II"}

_LEAF = (
    "evidence",
    "level",
    *(f"kind_{k}" for k in KINDS),
    *(f"field_{f}" for f in FIELDS),
    "breaches",
    "row_breaches",
    *(f"breach_{r}" for r in BREACH_RULES),
    *(f"repair_{k}" for k in REPAIR_KINDS),
    *(f"source_{s}" for s in SOURCES),
    *(f"reader_{r}" for r in READERS),
    *(f"row_layout_{layout}" for layout in LAYOUTS),
    "model_prob",
    "alternatives",
    "disagreed",
    "printed_span",
    "in_table",
    "row_nulls",
    "row_null_share",
    "chain_holds",
    "rows_in_table",
    "value_log10",
    "price_off_others",
    "flag_value",
)
_DOCUMENT = (
    "doc_leaves",
    "doc_weak_share",
    "doc_breaches",
    "doc_repairs",
    "doc_refused",
    "doc_recovered",
    "doc_owners",
    "doc_footnotes",
    "chain_fail_share",
    "has_text",
    "text_novel_share",
    *(f"text_{k}" for k in QUALITY),
    *(f"text_layout_{layout}" for layout in TEXT_LAYOUTS),
    *(f"page_{k}" for k in PAGE_SIGNALS),
)
#: Every column of the leaf matrix, in order.
FEATURES: tuple[str, ...] = _LEAF + _DOCUMENT
COLUMN = {name: j for j, name in enumerate(FEATURES)}
#: Columns that are 0 rather than missing when they do not apply (one-hots and counts).
_ZERO = tuple(j for j, n in enumerate(FEATURES) if n.startswith(("kind_", "field_", "breach_", "repair_", "source_", "reader_", "row_layout_", "text_layout_")) or n in ("breaches", "row_breaches", "disagreed", "in_table"))


def _document(record: Record, text: str | None, prov: Provenance, vocabulary: frozenset[str] | None, dumped: dict) -> list[float]:
    quality = text_quality(text)
    layout = text_layout(quality)
    scores = list(record.confidence.values())
    chained = sum(1 for key in ("non_derivative_transactions", "derivative_transactions") for row in dumped.get(key) or [])
    chain_breaks = sum(b.rule == "holdings-chain" for b in prov.breaches)
    values = {
        "doc_leaves": math.log1p(len(scores)),
        "doc_weak_share": sum(c < 0.9 for c in scores) / max(1, len(scores)),
        "doc_breaches": float(sum(len(b.pointers) for b in prov.breaches)),
        "doc_repairs": float(sum(len(r.pointers) for r in prov.repairs if r.kind != "refused")),
        "doc_refused": float(sum(r.kind == "refused" for r in prov.repairs)),
        "doc_recovered": float(sum(len(r.pointers) for r in prov.repairs if r.kind == "recovered")),
        "doc_owners": float(len(dumped.get("reporting_owners") or [])),
        "doc_footnotes": float(len(dumped.get("footnotes") or [])),
        "chain_fail_share": chain_breaks / chained if chained else math.nan,
        "has_text": float(bool(quality)),
        "text_novel_share": novelty(words(text), vocabulary),
        **{f"text_{k}": v for k, v in quality.items()},
        **{f"text_layout_{name}": float(layout == name) for name in TEXT_LAYOUTS},
        **{f"page_{k}": float(v) for k, v in prov.page.items()},
    }
    return [values.get(name, math.nan) for name in _DOCUMENT]


def _prices(dumped: dict) -> list[float]:
    return [row[name] for key in TABLES for row in dumped.get(key) or [] for name in _PRICES if isinstance(row.get(name), (int, float)) and row[name] > 0]


def _price_off(value: float, prices: list[float]) -> float:
    """|log10| of a price against the median of the record's other prices (NaN with none).

    >>> round(_price_off(45000.0, [45000.0, 45.1, 44.9]), 2), _price_off(1.0, [1.0])
    (3.0, nan)
    """
    if value <= 0 or value not in prices:
        return math.nan
    others = sorted(prices)
    others.remove(value)
    if not others:
        return math.nan
    mid = others[len(others) // 2] if len(others) % 2 else (others[len(others) // 2 - 1] + others[len(others) // 2]) / 2
    return abs(math.log10(value / mid)) if mid > 0 else math.nan


def leaf_matrix(record: Record, text: str | None = None, evidence: Provenance | None = None, vocabulary: frozenset[str] | None = None):
    """(pointers of ``record.confidence``, their feature matrix in :data:`FEATURES` column order).

    Without ``evidence`` (a record read back from JSON) the form's checks are run again and what
    only the readers knew (level, source, model probability, repairs, the page) is missing.
    """
    import numpy as np

    from ..assemble.validate import validate

    prov = evidence if evidence is not None else Provenance(breaches=tuple(validate(record)))
    dumped = record.to_json_dict()
    pointers = list(record.confidence)
    X = np.full((len(pointers), len(FEATURES)), np.nan)
    X[:, _ZERO] = 0.0
    X[:, len(_LEAF) :] = _document(record, text, prov, vocabulary, dumped)
    breaches: dict[str, list[str]] = {}
    breached_rows: dict[str, int] = {}
    for breach in prov.breaches:
        for pointer in breach.pointers:
            breaches.setdefault(pointer, []).append(breach.rule)
            breached_rows[_row_of(pointer)] = breached_rows.get(_row_of(pointer), 0) + 1
    repaired = prov.repaired()
    rows = _row_signals(dumped)
    prices = _prices(dumped)
    layouts = {t: layout for t in ("I", "II") for layout in LAYOUTS if prov.page.get(f"table_{t}_{layout}") == 1.0}
    for i, pointer in enumerate(pointers):
        x = X[i]
        pattern = field_pattern(pointer)
        kind = kind_of(pointer)
        x[COLUMN["evidence"]] = record.confidence[pointer]
        x[COLUMN[f"kind_{kind}"]] = 1.0
        if f"field_{pattern}" in COLUMN:
            x[COLUMN[f"field_{pattern}"]] = 1.0
        named = breaches.get(pointer, [])
        x[COLUMN["breaches"]] = len(named)
        x[COLUMN["row_breaches"]] = breached_rows.get(_row_of(pointer), 0)
        for rule in named:
            if f"breach_{rule}" in COLUMN:
                x[COLUMN[f"breach_{rule}"]] = 1.0
        if pointer in repaired:
            x[COLUMN[f"repair_{repaired[pointer]}"]] = 1.0
        ev = prov.fields.get(pointer)
        if ev is not None:
            x[COLUMN["level"]] = ev.level
            x[COLUMN[f"source_{ev.source}"]] = 1.0
            x[COLUMN[f"reader_{ev.reader}"]] = 1.0
            x[COLUMN["model_prob"]] = ev.model_prob if ev.model_prob is not None else math.nan
            x[COLUMN["alternatives"]] = ev.alternatives
            x[COLUMN["disagreed"]] = float(ev.disagreed)
            x[COLUMN["printed_span"]] = float(bool(ev.spans))
        parts = pointer.strip("/").split("/")
        row = rows.get((parts[0], int(parts[1]))) if len(parts) > 2 and parts[0] in TABLES and parts[1].isdigit() else None
        if row is not None:
            x[COLUMN["in_table"]] = 1.0
            for name in ("row_nulls", "row_null_share", "chain_holds", "rows_in_table"):
                x[COLUMN[name]] = row[name]
            layout = layouts.get(_TABLE_OF[parts[0]])
            if layout:
                x[COLUMN[f"row_layout_{layout}"]] = 1.0
            value = dumped[parts[0]][int(parts[1])].get(parts[2])
            if kind == "number" and isinstance(value, (int, float)):
                x[COLUMN["value_log10"]] = math.log10(value) if value > 0 else -1.0
                if parts[2] in _PRICES:
                    x[COLUMN["price_off_others"]] = _price_off(float(value), prices)
        if kind == "flag":
            x[COLUMN["flag_value"]] = float(bool(_value_at(dumped, parts)))
    return pointers, X


def _value_at(dumped: dict, parts: list[str]) -> Any:
    node: Any = dumped
    for part in parts:
        node = node[int(part)] if isinstance(node, list) else node.get(part)
    return node


def leaf_features(record: Record, text: str | None = None, evidence: Provenance | None = None, vocabulary: frozenset[str] | None = None) -> tuple[list[str], list[dict[str, float]]]:
    """(pointers, a feature dict per pointer): the rows of :func:`leaf_matrix` by column name."""
    pointers, X = leaf_matrix(record, text, evidence, vocabulary)
    return pointers, [dict(zip(FEATURES, row.tolist())) for row in X]


def _row_of(pointer: str) -> str:
    """The row (or header block) a pointer belongs to.

    >>> _row_of("/non_derivative_transactions/3/footnote_ids/0"), _row_of("/issuer/name")
    ('/non_derivative_transactions/3', '/issuer')
    """
    parts = pointer.strip("/").split("/")
    return "/" + "/".join(parts[:2] if len(parts) > 2 and parts[1].isdigit() else parts[:1])
