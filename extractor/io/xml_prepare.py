"""Making a record writable as ownership XML: what the printed form never shows gets the form's
default or a documented placeholder (with a warning), what the XSD cannot hold is fitted.

:mod:`form4.io.xml_writer` serialises the prepared record and validates it.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import re
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from ..form.codes import XML_CODES, side
from ..errors import XMLWriteError
from ..schema import TABLES, Footnote, Issuer, Record, ReportingOwner, Signature

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "xsd"
SCHEMA_FILE = SCHEMA_DIR / "ownership4Document.xsd.xml"
SCHEMA_VERSION = "X0508"
CIK_PLACEHOLDER = "0000000000"
NOT_READ = "(not read)"
PLACEHOLDER_NOTE = "form4: no value was read for this cell of the printed form."
MAX_ROWS_PER_TABLE = 30  # the XSD's maxOccurs for Table I and for Table II

#: required row values the text may not yield -> what is written (a warning says so);
#: ``period``: the period of report (box 3, the date of the earliest transaction)
PLACEHOLDERS: dict[str, Any] = {
    "security_title": NOT_READ,
    "underlying_security_title": NOT_READ,
    "transaction_date": "period",
    "shares": 0.0,
    "shares_owned_following": 0.0,
}
#: values the XSD lets a footnote stand for ("Either a value or a footnoteId is required")
FOOTNOTE_ONLY = ("price_per_share", "conversion_or_exercise_price", "exercise_date", "expiration_date")
#: XSD length limits of text elements (ownershipDocumentCommon.xsd)
MAX_LENGTH = {
    "issuer_name": 150, "owner_name": 150, "street1": 40, "street2": 40, "city": 30,
    "officer_title": 30, "other_text": 30, "security_title": 60, "underlying_security_title": 60,
    "nature_of_ownership": 100, "remarks": 2000, "signature_name": 255, "trading_symbol": 10,
}
_ZIP = re.compile(r"[0-9A-Za-z #-]{0,10}")
_FOOTNOTE_ID = re.compile(r"F[1-9][0-9]?")
_CIK = re.compile(r"[0-9]{1,10}")
# XML 1.0 forbids these characters anywhere in a document
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class XmlOptions:
    """What the printed form never shows: the CIKs (``--issuer-cik``, ``--owner-cik`` in owner order)."""

    issuer_cik: str | None = None
    owner_ciks: tuple[str, ...] = ()



_OPTIONS: contextvars.ContextVar[XmlOptions] = contextvars.ContextVar("form4_xml_options", default=XmlOptions())


@contextmanager
def using(options: XmlOptions) -> Iterator[None]:
    """Write XML with ``options`` inside the block (the CLI sets the CIKs once for a batch)."""
    token = _OPTIONS.set(options)
    try:
        yield
    finally:
        _OPTIONS.reset(token)


def check_cik(value: str) -> str:
    """A CIK as the XSD wants it: 1-10 digits.

    >>> check_cik("320193")
    '320193'
    >>> check_cik("32-0193")
    Traceback (most recent call last):
    ...
    ValueError: a CIK is 1 to 10 digits, got '32-0193'
    """
    if not _CIK.fullmatch(value.strip()):
        raise ValueError(f"a CIK is 1 to 10 digits, got {value!r}")
    return value.strip()


_TABLES = (
    ("nonDerivativeTable", "non_derivative_transactions", "nonDerivativeTransaction"),
    ("nonDerivativeTable", "non_derivative_holdings", "nonDerivativeHolding"),
    ("derivativeTable", "derivative_transactions", "derivativeTransaction"),
    ("derivativeTable", "derivative_holdings", "derivativeHolding"),
)


# ---------------------------------------------------------------- making a record writable
def xml_safe(text: str | None) -> str | None:
    """Text with XML-illegal characters dropped and whitespace folded; empty -> None.

    >>> xml_safe("A\\x00B\\x0cC  D")
    'AB C D'
    """
    if text is None:
        return None
    folded = " ".join(_ILLEGAL.sub(lambda m: " " if m.group() == "\x0c" else "", text).split())
    return folded or None


@dataclass
class _Fixer:
    warnings: list[str] = field(default_factory=list)
    swaps_defaulted: int = 0

    def text(self, value: str | None, limit_key: str | None, what: str) -> str | None:
        value = xml_safe(value)
        limit = MAX_LENGTH.get(limit_key or "")
        if value is not None and limit and len(value) > limit:
            self.warnings.append(f"{what} is longer than the XSD's {limit} characters; cut to {limit}")
            value = value[:limit].rstrip()
        return value

    def amount(self, value: float | None, what: str) -> float | None:
        if value is None:
            return None
        if value < 0:
            self.warnings.append(f"{what} {value:g} is negative; the XSD takes magnitudes, wrote {-value:g}")
            value = -value
        rounded = float(Decimal(repr(value)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))
        if rounded != value:
            self.warnings.append(f"{what} {value!r} has more than the XSD's 4 decimals; wrote {rounded!r}")
        if rounded > 999999999999.9999:
            self.warnings.append(f"{what} {rounded:g} is beyond the XSD's largest amount; wrote 0")
            rounded = 0.0
        return rounded


def _period(record: Record) -> dt.date | None:
    dates = [row.transaction_date for key in TABLES for row in getattr(record, key) if getattr(row, "transaction_date", None)]
    if dates:
        return min(dates)
    return next((s.date for s in record.signatures if s.date), None)


@lru_cache(maxsize=1)
def owner_states() -> frozenset[str]:
    """The state codes EDGAR's XSD accepts for ``rptOwnerState`` (read from the XSD itself)."""
    xs = "{http://www.w3.org/2001/XMLSchema}"
    root = ET.parse(SCHEMA_DIR / "ownershipDocumentCommon.xsd.xml").getroot()
    for el in root.iter(f"{xs}element"):
        if el.get("name") == "rptOwnerState":
            return frozenset(e.get("value", "") for e in el.iter(f"{xs}enumeration"))
    return frozenset()


def _owner(owner: ReportingOwner, i: int, fix: _Fixer) -> ReportingOwner:
    where = f"reporting owner {i + 1}"
    state = xml_safe(owner.state)
    if state is not None and state not in owner_states():
        fix.warnings.append(f"{where}: state {state!r} is not one of EDGAR's codes; left out")
        state = None
    zip_code = xml_safe(owner.zip_code)
    if zip_code is not None and not _ZIP.fullmatch(zip_code):
        fix.warnings.append(f"{where}: zip code {zip_code!r} does not fit the XSD's pattern; left out")
        zip_code = None
    return ReportingOwner(
        name=fix.text(owner.name, "owner_name", f"{where}: name"),
        street1=fix.text(owner.street1, "street1", f"{where}: street"),
        street2=fix.text(owner.street2, "street2", f"{where}: street 2"),
        city=fix.text(owner.city, "city", f"{where}: city"),
        state=state,
        zip_code=zip_code,
        is_director=bool(owner.is_director),  # an unchecked or unread box: the XML's absent flag reads as false
        is_officer=bool(owner.is_officer),
        is_ten_percent_owner=bool(owner.is_ten_percent_owner),
        is_other=bool(owner.is_other),
        officer_title=fix.text(owner.officer_title, "officer_title", f"{where}: officer title"),
        other_text=fix.text(owner.other_text, "other_text", f"{where}: other text"),
    )


def _placeholder(name: str, period: dt.date | None) -> Any:
    value = PLACEHOLDERS[name]
    return period if value == "period" else value


def _row(key: str, i: int, row: Any, period: dt.date | None, fix: _Fixer, note_id: str) -> tuple[Any, bool]:
    """The row made writable; True when it needs the placeholder footnote."""
    where = f"{key}[{i}]"
    values = row.model_dump()
    names = set(values)
    for name in ("security_title", "underlying_security_title", "nature_of_ownership"):
        if name in names:
            values[name] = fix.text(values[name], name, f"{where}: {name}")
    for name in ("shares", "price_per_share", "shares_owned_following", "conversion_or_exercise_price", "underlying_security_shares"):
        if name in names:
            values[name] = fix.amount(values[name], f"{where}: {name}")
    code = values.get("transaction_code")
    if code is not None and code not in XML_CODES:
        fix.warnings.append(f"{where}: transaction code {code!r} is not one of the XSD's codes; left out")
        values["transaction_code"] = code = None
    if "equity_swap_involved" in names:
        if code is None:
            values["equity_swap_involved"] = None  # lives inside transactionCoding, written only with a code
        elif values["equity_swap_involved"] is None:
            values["equity_swap_involved"] = False
            fix.swaps_defaulted += 1
    for name in PLACEHOLDERS:
        if name in names and values[name] is None:
            values[name] = _placeholder(name, period)
            fix.warnings.append(f"{where}: {name} was not read; wrote {values[name]!s} (placeholder)")
    if "acquired_disposed" in names and values["acquired_disposed"] is None:
        implied = side(code, derivative=key.startswith("derivative"))
        values["acquired_disposed"] = implied or "A"
        fix.warnings.append(f"{where}: acquired/disposed was not read; wrote {values['acquired_disposed']} "
                            f"({'the side of code ' + code if implied else 'placeholder'})")
    if values["direct_or_indirect"] is None:
        values["direct_or_indirect"] = "I" if values["nature_of_ownership"] else "D"
        fix.warnings.append(f"{where}: direct/indirect was not read; wrote {values['direct_or_indirect']} "
                            f"({'a nature of ownership is printed' if values['nature_of_ownership'] else 'placeholder'})")
    ids = [fid for fid in values["footnote_ids"] if _FOOTNOTE_ID.fullmatch(fid)]
    if len(ids) != len(values["footnote_ids"]):
        fix.warnings.append(f"{where}: footnote marks {sorted(set(values['footnote_ids']) - set(ids))} are not F1-F99; left out")
    needs_note = not ids and any(name in names and values[name] is None for name in FOOTNOTE_ONLY)
    if needs_note:
        ids = [note_id]
        fix.warnings.append(f"{where}: a value the XSD needs (or a footnote for it) was not read; added footnote {note_id}")
    values["footnote_ids"] = tuple(dict.fromkeys(ids))
    return type(row)(**values), needs_note


def _next_note_id(record: Record) -> str:
    used = {int(f.id[1:]) for f in record.footnotes if _FOOTNOTE_ID.fullmatch(f.id)}
    used |= {int(fid[1:]) for key in TABLES for row in getattr(record, key) for fid in row.footnote_ids if _FOOTNOTE_ID.fullmatch(fid)}
    free = next((n for n in range(1, 100) if n not in used and n > max(used, default=0)), None)
    free = free or next((n for n in range(1, 100) if n not in used), 99)
    return f"F{free}"


def _tables(record: Record, period: dt.date | None, fix: _Fixer, note_id: str) -> tuple[dict[str, tuple], bool]:
    out: dict[str, tuple] = {}
    note_used = False
    room = {"nonDerivativeTable": MAX_ROWS_PER_TABLE, "derivativeTable": MAX_ROWS_PER_TABLE}
    for table_tag, key, _ in _TABLES:
        rows = []
        for i, row in enumerate(getattr(record, key)):
            if room[table_tag] == 0:
                fix.warnings.append(f"{key}[{i}] and after: the XSD holds {MAX_ROWS_PER_TABLE} rows per table; left out")
                break
            room[table_tag] -= 1
            written, needs_note = _row(key, i, row, period, fix, note_id)
            note_used |= needs_note
            rows.append(written)
        out[key] = tuple(rows)
    return out, note_used


def _footnotes(record: Record, tables: dict[str, tuple], note: str | None, fix: _Fixer) -> tuple[Footnote, ...]:
    notes: dict[str, Footnote] = {}
    for foot in record.footnotes:
        if not _FOOTNOTE_ID.fullmatch(foot.id):
            fix.warnings.append(f"footnote {foot.id!r} is not F1-F99; left out")
        elif foot.id in notes:
            fix.warnings.append(f"footnote {foot.id} is printed twice; the first kept")
        else:
            notes[foot.id] = Footnote(id=foot.id, text=xml_safe(foot.text))
    if note:
        notes[note] = Footnote(id=note, text=PLACEHOLDER_NOTE)
    marked = dict.fromkeys(fid for rows in tables.values() for row in rows for fid in row.footnote_ids)
    for fid in marked:
        if fid not in notes:
            fix.warnings.append(f"footnote {fid} is marked in a row but its text was not read; written empty")
            notes[fid] = Footnote(id=fid, text=None)
    return tuple(notes.values())


def prepare(record: Record, options: XmlOptions | None = None) -> tuple[Record, tuple[str, ...]]:
    """The record as the XSD can hold it, and a warning for every change (see the module doc).

    >>> from form4.schema import NonDerivativeHolding as H
    >>> r, ws = prepare(Record(document_type="4", period_of_report="2024-01-02",
    ...                        non_derivative_holdings=(H(security_title="Common Stock", footnote_ids=("F1",)),)))
    >>> r.non_derivative_holdings[0].shares_owned_following, r.non_derivative_holdings[0].direct_or_indirect
    (0.0, 'D')
    >>> [f.id for f in r.footnotes], r.issuer.trading_symbol
    (['F1'], 'NONE')
    """
    options = options or _OPTIONS.get()
    fix = _Fixer()
    period = record.period_of_report or _period(record)
    if record.period_of_report is None:
        if period is None:
            raise XMLWriteError("no period of report, transaction date or signature date was read, and the XSD "
                                "requires one; use --format json, which keeps unread values null", record.source)
        fix.warnings.append(f"the period of report was not read; wrote the earliest date read, {period}")
    note_id = _next_note_id(record)
    tables, note_used = _tables(record, period, fix, note_id)
    if fix.swaps_defaulted:
        fix.warnings.append(f"equitySwapInvolved is not printed on the form; wrote its default, false "
                            f"({fix.swaps_defaulted} row{'s' * (fix.swaps_defaulted > 1)})")
    owners = [_owner(o, i, fix) for i, o in enumerate(record.reporting_owners[:10])]
    if len(record.reporting_owners) > 10:
        fix.warnings.append("the XSD holds 10 reporting owners; owners after the 10th left out")
    if not owners:
        owners = [ReportingOwner(is_director=False, is_officer=False, is_ten_percent_owner=False, is_other=False)]
        fix.warnings.append("no reporting owner was read; wrote an empty one (placeholder CIK, no name)")
    symbol = fix.text(record.issuer.trading_symbol, "trading_symbol", "issuer trading symbol")
    if symbol is None:
        symbol = "NONE"
        fix.warnings.append("the issuer's trading symbol was not read; wrote NONE (as EDGAR filers do for no symbol)")
    cik = record.issuer.cik if record.issuer.cik and _CIK.fullmatch(record.issuer.cik) else options.issuer_cik
    if not cik:
        fix.warnings.append(f"the issuer's CIK is not printed on the form; wrote the placeholder {CIK_PLACEHOLDER} (give --issuer-cik)")
    signatures = []
    for i, sig in enumerate(record.signatures[:10] or (Signature(),)):
        name = fix.text(sig.name, "signature_name", f"signature {i + 1}: name")
        if name is None:
            name = owners[0].name or NOT_READ
            fix.warnings.append(f"signature {i + 1}: the signer's name was not read; wrote {name!r}")
        date = sig.date
        if date is None:
            date = period
            fix.warnings.append(f"signature {i + 1}: the signature date was not read; wrote the period of report, {period}")
        signatures.append(Signature(name=name, date=date))
    written = record.model_copy(update={
        "document_type": record.document_type or "4",
        "period_of_report": period,
        "not_subject_to_section16": bool(record.not_subject_to_section16),
        "issuer": Issuer(name=fix.text(record.issuer.name, "issuer_name", "issuer name"), trading_symbol=symbol,
                         cik=cik or CIK_PLACEHOLDER),
        "reporting_owners": tuple(owners),
        **tables,
        "footnotes": _footnotes(record, tables, note_id if note_used else None, fix),
        "remarks": fix.text(record.remarks, "remarks", "remarks"),
        "signatures": tuple(signatures),
    })
    if record.document_type is None:
        fix.warnings.append("the document type was not read; wrote 4")
    missing = len(owners) - len(options.owner_ciks)
    if missing > 0:
        fix.warnings.append(f"{missing} reporting owner CIK{'s' * (missing > 1)} not given; wrote the placeholder "
                            f"{CIK_PLACEHOLDER} (give --owner-cik, once per owner in order)")
    return written, tuple(dict.fromkeys(fix.warnings))

