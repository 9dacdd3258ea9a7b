"""Every copy of a value: what a destroyed cell still shows elsewhere on the page.

Converters and OCR destroy cells but often leave the value somewhere else: a garbage repeat
of the page (the text layer under a scan, a converter's second pass), a box printed twice.
After assembly, a value still null is looked for in those other copies, by what the form
prints around it — never taken from anywhere else:

* a reporting owner's ZIP code: printed after the owner's state (``CA 94404``), one distinct
  code on the page, and a code the gazetteer places in that state;
* a transaction row's date: printed just before the row's own transaction code and amount
  (``08/23/2021 S 994``: columns 2, 3 and 4 of Table I), one distinct date, on or after
  box 3's date of earliest transaction and not after the signature;

and a city OCR garbled is corrected from its ZIP code (:mod:`form4.assemble.gazetteer`). Each
recovery is a warning, with lower confidence than a reading from the value's own cell.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ..form import evidence as E
from ..form.normalize import DATE_IN_TEXT, parse_date
from ..schema import Record, iter_leaves
from .gazetteer import corrected_city, zip_in_state
from .provenance import Assembly, FieldEvidence, Repair

#: Confidence of a value taken from another copy on the page (never above its own cell's).
FROM_COPY = E.WEAK
_ZIP = r"(\d{5}(?:-\d{4})?)\b"


def recover_copies(record: Record, text: str) -> Record:
    """The record with null values found in their other copies on the page, and garbled cities
    corrected from their ZIP codes; each with a warning and lower confidence."""
    confidence, warnings = dict(record.confidence), list(record.warnings)
    owners = [_owner(record, i, owner, text, confidence, warnings) for i, owner in enumerate(record.reporting_owners)]
    rows = list(record.non_derivative_transactions)
    for i, row in enumerate(rows):
        if row.transaction_date is None and (day := _row_date(record, row, text)) is not None:
            rows[i] = row.model_copy(update={"transaction_date": day})
            confidence[f"/non_derivative_transactions/{i}/transaction_date"] = FROM_COPY
            warnings.append(f"non_derivative_transactions[{i}]: the transaction date's cell is unreadable; took "
                            f"{day.isoformat()}, printed before the row's code and amount elsewhere on the page")
    if owners == list(record.reporting_owners) and rows == list(record.non_derivative_transactions):
        return record
    return record.model_copy(update={"reporting_owners": tuple(owners), "non_derivative_transactions": tuple(rows),
                                     "confidence": confidence, "warnings": tuple(dict.fromkeys(warnings))})


def recover_copies_traced(assembly: Assembly, text: str) -> Assembly:
    """:func:`recover_copies` with its provenance: every leaf it supplied or changed is a
    ``recovered`` repair whose evidence says no reader saw it in its own cell."""
    record = recover_copies(assembly.record, text)
    if record is assembly.record:
        return assembly
    before = dict(iter_leaves(assembly.record.to_json_dict()))
    changed = tuple(p for p, v in iter_leaves(record.to_json_dict()) if before.get(p, None) != v)
    if not changed:
        return Assembly(record, assembly.provenance)
    fields = dict(assembly.provenance.fields)
    for pointer in changed:
        reader = fields[pointer].reader if pointer in fields else "header" if pointer.startswith("/reporting_owners") else "rows"
        fields[pointer] = FieldEvidence(source="derived", reader=reader, level=record.confidence.get(pointer, FROM_COPY))
    repairs = (*assembly.provenance.repairs, Repair("recovered", changed))
    return Assembly(record, replace(assembly.provenance, fields=fields, repairs=repairs))


def _owner(record: Record, i: int, owner: Any, text: str, confidence: dict[str, float], warnings: list[str]) -> Any:
    prefix = f"/reporting_owners/{i}/"
    if owner.zip_code is None and owner.state and i == 0 and (zip_code := _zip_after_state(owner.state, text)):
        owner = owner.model_copy(update={"zip_code": zip_code})
        confidence[prefix + "zip_code"] = FROM_COPY
        warnings.append(f"reporting_owners[{i}]: the ZIP code's cell is unreadable; took {zip_code}, printed after "
                        f"{owner.state} elsewhere on the page")
    if (city := corrected_city(owner.city, owner.zip_code, owner.state)) is not None:
        warnings.append(f"reporting_owners[{i}]: city {owner.city!r} is not a place ZIP code {owner.zip_code} serves; "
                        f"read as {city!r}, the one it is a few letters from")
        owner = owner.model_copy(update={"city": city})
        confidence[prefix + "city"] = min(confidence.get(prefix + "city", E.IMPLIED), E.IMPLIED)
    return owner


def _zip_after_state(state: str, text: str) -> str | None:
    """The one ZIP code printed after the state's code on the page, if the gazetteer puts it there.

    >>> _zip_after_state("CA", "R CITY CA 94404 (State) (Zip) ... CA 94404")
    '94404'
    >>> _zip_after_state("CA", "CA 94404 ... CA 94025") is None
    True
    """
    found = {m.group(1) for m in re.finditer(rf"(?<![A-Za-z]){re.escape(state.strip())}\.?,?\s+{_ZIP}", text)}
    if len(found) != 1:
        return None
    (zip_code,) = found
    return zip_code if zip_in_state(zip_code, state) else None


def _row_date(record: Record, row: Any, text: str):
    """The one date printed just before this row's code and amount, within the filing's dates."""
    if row.transaction_code is None or row.shares is None:
        return None
    amount = _printed_amounts(row.shares)
    pattern = re.compile(
        rf"({DATE_IN_TEXT.pattern})(?:\s+(?:{DATE_IN_TEXT.pattern}))?\s+{re.escape(row.transaction_code)}(?:\s*\(\d{{1,2}}\))?"
        rf"(?:\s+V)?\s+\$?(?:{amount})(?![\d,.])")
    days = {parse_date(m.group(1)).value for m in pattern.finditer(text)} - {None}
    if len(days) != 1:
        return None
    (day,) = days
    earliest = record.period_of_report
    signed = [s.date for s in record.signatures if s.date]
    if (earliest and day < earliest) or (signed and day > max(signed)):
        return None
    return day


def _printed_amounts(shares: float) -> str:
    """The ways an amount prints: ``23,139`` or ``23139`` (``12.5`` for a fraction).

    >>> _printed_amounts(23139.0), _printed_amounts(12.5)
    ('23,139|23139', '12\\\\.5')
    """
    if float(shares).is_integer():
        whole = int(shares)
        return "|".join(dict.fromkeys((re.escape(f"{whole:,}"), str(whole))))
    return re.escape(f"{shares:g}")
