"""Amendments (4/A) in a batch: find each one's original and say which rows changed.

A 4/A restates a filing: its rows are kept as the filer gives them. When the original is in
the same batch — the same owners and issuer, a plain Form 4 for the same period of report
(the one signed on the 4/A's date of original submission, if several) — the amendment's
warning lists the rows that changed (field by field), were added or were dropped, the
original's warning names its amendment, and the holding chains use the amendment's rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from ..schema import TABLES, Record
from .filers import issuer_key, owner_key

#: Fields a changed row is compared on (what the filer states; not our reading's metadata).
_IGNORED = frozenset({"price_range_low", "price_range_high"})


@dataclass(frozen=True)
class Amendment:
    amendment: int  # the 4/A's index in the batch
    original: int  # its original's

    def warnings(self, records: Sequence[Record]) -> list[tuple[int, str]]:
        """(record index, warning) for the amendment and for its original."""
        new, old = records[self.amendment], records[self.original]
        changes = row_changes(old, new)
        said = "; ".join(changes) if changes else "no row changed"
        return [
            (self.amendment, f"this 4/A amends {old.source or 'a filing'} (in this batch); its rows are kept as filed: {said}"),
            (self.original, f"amended by {new.source or 'a 4/A'} (in this batch), whose rows stand in the holding chains"),
        ]


def is_amendment(record: Record) -> bool:
    return record.document_type == "4/A" or record.date_of_original_submission is not None


def match_amendments(records: Sequence[Record]) -> list[Amendment]:
    """Each 4/A whose original is in the batch, with that original (one original per 4/A)."""
    out, taken = [], set()
    for n, record in enumerate(records):
        if not is_amendment(record) or record.period_of_report is None:
            continue
        same = [m for m, other in enumerate(records) if m != n and m not in taken and not is_amendment(other)
                and other.period_of_report == record.period_of_report
                and owner_key(other) == owner_key(record) and issuer_key(other) == issuer_key(record)]
        signed = [m for m in same if any(s.date == record.date_of_original_submission for s in records[m].signatures)]
        pick = signed if len(signed) == 1 else same
        if len(pick) == 1:
            taken.add(pick[0])
            out.append(Amendment(n, pick[0]))
    return out


def _values(row: Any) -> dict[str, Any]:
    return {k: v for k, v in row.model_dump().items() if k not in _IGNORED}


def row_changes(original: Record, amendment: Record) -> list[str]:
    """What the amendment changed, row by row: rows equal to one of the original's are
    unchanged; the rest are paired in printed order (changed fields named), then added or dropped.

    >>> from form4.schema import NonDerivativeTransaction as T
    >>> a = Record(non_derivative_transactions=(T(security_title="Common Stock", shares=994),))
    >>> b = Record(non_derivative_transactions=(T(security_title="Common Stock", shares=1994), T(security_title="Common Stock", shares=5)))
    >>> row_changes(a, b)
    ['non_derivative_transactions[0] changed: shares 994 -> 1,994', 'non_derivative_transactions[1] added']
    """
    out: list[str] = []
    for table in TABLES:
        old_rows = [_values(r) for r in getattr(original, table)]
        new_rows = [_values(r) for r in getattr(amendment, table)]
        unmatched_old = list(range(len(old_rows)))
        unmatched_new = []
        for j, row in enumerate(new_rows):
            same = next((i for i in unmatched_old if old_rows[i] == row), None)
            if same is None:
                unmatched_new.append(j)
            else:
                unmatched_old.remove(same)
        for i, j in zip(unmatched_old, unmatched_new):
            fields = [f"{k.replace('_', ' ')} {_shown(old_rows[i][k])} -> {_shown(v)}" for k, v in new_rows[j].items() if old_rows[i][k] != v]
            out.append(f"{table}[{j}] changed: {', '.join(fields)}")
        out += [f"{table}[{j}] added" for j in unmatched_new[len(unmatched_old):]]
        out += [f"the original's {table}[{i}] dropped" for i in unmatched_old[len(unmatched_new):]]
    return out


def _shown(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"
    if isinstance(value, (tuple, list)):
        return " ".join(map(str, value)) or "none"
    return "none" if value is None else str(value)
