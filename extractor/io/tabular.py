"""Records -> one typed table for analysts (``extract --format csv|parquet``).

One row per table row of every filing (Table I transactions, Table I holdings, Table II
transactions, Table II holdings, in the order the form prints them), each carrying its
filing's fields. A filing with no table rows still gets one row, its ``table`` null, so no
filing is silently dropped. The columns are fixed — the same names, order and types for
every batch, whatever it holds — and derived from the record schema (:data:`COLUMNS`):

* filing: ``source``, ``document_type``, ``period_of_report``, ``date_of_original_submission``,
  ``not_subject_to_section16``, ``aff10b5_one``, ``issuer_name``, ``issuer_trading_symbol``,
  ``issuer_cik``, ``reporting_owners`` (every owner's name, joined with ``"; "``),
  ``reporting_owner_count``, the first owner's relationship (``owner_is_director``,
  ``owner_is_officer``, ``owner_is_ten_percent_owner``, ``owner_is_other``,
  ``owner_officer_title``, ``owner_other_text``), ``signature_name`` and ``signature_date``
  (the first signature);
* row: ``table`` (the record key: ``non_derivative_transactions`` …), ``row`` (its index in
  that table), then every row field of the four table models in one fixed order (a field
  a table does not have is null), ``footnote_ids`` joined with spaces, and last the
  ``price_range_low`` / ``price_range_high`` a weighted-average footnote states;
* text cells that a spreadsheet would run as a formula (starting with ``= + - @``, a tab or a
  carriage return) get a leading ``'`` in CSV (not in Parquet): :func:`to_csv`;
* ``row_confidence``: the lowest confidence of the row's values (null for a filing with
  no rows); ``warnings``: the filing's warnings that name this row or no row at all,
  joined with ``" | "``.

Types, the same for every batch and both engines (:func:`arrow_schema`): dates are dates
(pandas ``datetime64``, Parquet ``date32``), flags nullable booleans, prices, share counts
(``shares``, ``shares_owned_following``, ``underlying_security_shares``: fractional shares
exist) and ``row_confidence`` nullable floats (Parquet ``double``), ``row`` and
``reporting_owner_count`` nullable integers, text nullable strings. CSV writes a whole share
count as an integer (``3638``, not ``3638.0``).
"""

from __future__ import annotations

import io
import re
from typing import Any, Iterable

from ..schema import TABLES, Record

#: (column, kind) of the filing-level columns, in order.
FILING_COLUMNS: tuple[tuple[str, str], ...] = (
    ("source", "string"),
    ("document_type", "string"),
    ("period_of_report", "date"),
    ("date_of_original_submission", "date"),
    ("not_subject_to_section16", "bool"),
    ("aff10b5_one", "bool"),
    ("issuer_name", "string"),
    ("issuer_trading_symbol", "string"),
    ("issuer_cik", "string"),
    ("reporting_owners", "string"),
    ("reporting_owner_count", "int"),
    ("owner_is_director", "bool"),
    ("owner_is_officer", "bool"),
    ("owner_is_ten_percent_owner", "bool"),
    ("owner_is_other", "bool"),
    ("owner_officer_title", "string"),
    ("owner_other_text", "string"),
    ("signature_name", "string"),
    ("signature_date", "date"),
)

SHARE_FIELDS = ("shares", "shares_owned_following", "underlying_security_shares")
_KIND_OF_ANNOTATION = {"str": "string", "date": "date", "bool": "bool", "float": "float"}


def _row_fields() -> tuple[tuple[str, str], ...]:
    """Every row field of the four table models, in first-seen order, with its kind."""
    seen: dict[str, str] = {}
    for model in TABLES.values():
        for name, info in model.model_fields.items():
            if name in seen:
                continue
            text = str(info.annotation)
            kind = "string"
            for key, value in _KIND_OF_ANNOTATION.items():
                if re.search(rf"\b{key}\b", text):
                    kind = value
            seen[name] = "shares" if name in SHARE_FIELDS else kind
    return tuple(sorted(seen.items(), key=lambda item: item[0] in READ_FROM_FOOTNOTES))  # added columns go last


#: Row fields read from a footnote's text, not a cell: their columns follow the printed fields'.
READ_FROM_FOOTNOTES = ("price_range_low", "price_range_high")


#: (column, kind) of every column, in order; kinds: string, date, bool, int, float, shares.
COLUMNS: tuple[tuple[str, str], ...] = (
    *FILING_COLUMNS,
    ("table", "string"),
    ("row", "int"),
    *_row_fields(),
    ("row_confidence", "float"),
    ("warnings", "string"),
)
COLUMN_NAMES: tuple[str, ...] = tuple(name for name, _ in COLUMNS)

_PANDAS_DTYPES = {"string": "string", "date": "datetime64[ns]", "bool": "boolean", "int": "Int64", "float": "Float64", "shares": "Float64"}
_ROW_REF = re.compile(r"\b(non_derivative_transactions|non_derivative_holdings|derivative_transactions|derivative_holdings)"
                      r"(?:\[(\d+)\]|/(\d+)/)")


def _filing_values(record: Record) -> dict[str, Any]:
    owners = record.reporting_owners
    first = owners[0] if owners else None
    signature = record.signatures[0] if record.signatures else None
    names = [o.name for o in owners if o.name]
    return {
        "source": record.source,
        "document_type": record.document_type,
        "period_of_report": record.period_of_report,
        "date_of_original_submission": record.date_of_original_submission,
        "not_subject_to_section16": record.not_subject_to_section16,
        "aff10b5_one": record.aff10b5_one,
        "issuer_name": record.issuer.name,
        "issuer_trading_symbol": record.issuer.trading_symbol,
        "issuer_cik": record.issuer.cik,
        "reporting_owners": "; ".join(names) or None,
        "reporting_owner_count": len(owners),
        "owner_is_director": first.is_director if first else None,
        "owner_is_officer": first.is_officer if first else None,
        "owner_is_ten_percent_owner": first.is_ten_percent_owner if first else None,
        "owner_is_other": first.is_other if first else None,
        "owner_officer_title": first.officer_title if first else None,
        "owner_other_text": first.other_text if first else None,
        "signature_name": signature.name if signature else None,
        "signature_date": signature.date if signature else None,
    }


def row_warnings(warnings: Iterable[str], table: str | None, index: int | None) -> list[str]:
    """The warnings that name this row (``derivative_transactions[1]``, ``/derivative_transactions/1/``)
    or no row at all.

    >>> ws = ["derivative_transactions[1]: bad", "non_derivative_holdings[0]: odd", "no signature"]
    >>> row_warnings(ws, "derivative_transactions", 1)
    ['derivative_transactions[1]: bad', 'no signature']
    >>> row_warnings(ws, None, None)
    ['no signature']
    """
    out = []
    for warning in warnings:
        refs = {(m.group(1), int(m.group(2) or m.group(3))) for m in _ROW_REF.finditer(warning)}
        if not refs or (table, index) in refs:
            out.append(warning)
    return out


def _row_confidence(record: Record, table: str, index: int) -> float | None:
    prefix = f"/{table}/{index}/"
    values = [c for pointer, c in record.confidence.items() if pointer.startswith(prefix)]
    return min(values) if values else None


def _rows(record: Record) -> list[dict[str, Any]]:
    filing = _filing_values(record)
    out = []
    for table in TABLES:
        for index, row in enumerate(getattr(record, table)):
            data = row.model_dump()
            data["footnote_ids"] = " ".join(data["footnote_ids"]) or None
            warnings = row_warnings(record.warnings, table, index)
            out.append({**filing, "table": table, "row": index, **data,
                        "row_confidence": _row_confidence(record, table, index),
                        "warnings": " | ".join(warnings) or None})
    if not out:
        warnings = row_warnings(record.warnings, None, None)
        out.append({**filing, "table": None, "row": None, "warnings": " | ".join(warnings) or None})
    return out


def table(records: Iterable[Record]):
    """All table rows of all records as one pandas DataFrame with the columns of :data:`COLUMNS`.

    >>> from form4.schema import Issuer
    >>> df = table([Record(source="a.txt", issuer=Issuer(name="X"))])
    >>> df.loc[0, ["source", "issuer_name"]].tolist(), df.loc[0, ["table", "row"]].isna().tolist()
    (['a.txt', 'X'], [True, True])
    >>> list(df.columns) == list(COLUMN_NAMES)
    True
    """
    import pandas as pd

    rows = [row for record in records for row in _rows(record)]
    frame = pd.DataFrame(rows, columns=list(COLUMN_NAMES))
    for name, kind in COLUMNS:
        if kind in ("shares", "float"):
            frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("Float64")
        elif kind == "date":
            frame[name] = pd.to_datetime(frame[name], errors="coerce").astype("datetime64[ns]")
        else:
            frame[name] = frame[name].astype(object).where(frame[name].notna(), None).astype(_PANDAS_DTYPES[kind])
    return frame


def arrow_schema():
    """The Parquet schema of every table, whatever its rows hold: :data:`COLUMNS`' kinds as Arrow types.

    >>> str(arrow_schema().field("shares").type), str(arrow_schema().field("period_of_report").type)
    ('double', 'date32[day]')
    """
    import pyarrow as pa

    arrow_types = {"string": pa.string(), "date": pa.date32(), "bool": pa.bool_(), "int": pa.int64(), "float": pa.float64(),
                   "shares": pa.float64()}
    return pa.schema([pa.field(name, arrow_types[kind]) for name, kind in COLUMNS])


def arrow_table(records: Iterable[Record]):
    """All table rows of all records as an Arrow table with :func:`arrow_schema` (what Parquet holds)."""
    import pyarrow as pa

    frame = table(records)
    columns = []
    for field in arrow_schema():
        series = frame[field.name]
        if pa.types.is_date32(field.type):
            columns.append(pa.array([v.date() if v is not None and v == v else None for v in series.astype(object)], pa.date32()))
        else:
            columns.append(pa.array(series.astype(object).where(series.notna(), None).tolist(), field.type))
    return pa.Table.from_arrays(columns, schema=arrow_schema())


#: A text cell starting with one of these is a formula to a spreadsheet (OWASP's CSV injection rule).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """``cell`` with a leading ``'`` when a spreadsheet would run it as a formula.

    >>> spreadsheet_safe("=SUM(A1)"), spreadsheet_safe("-2+3"), spreadsheet_safe("@x"), spreadsheet_safe("Doe Jane")
    ("'=SUM(A1)", "'-2+3", "'@x", 'Doe Jane')
    """
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def to_csv(records: Iterable[Record], raw: bool = False) -> str:
    """CSV text: the columns of :data:`COLUMNS`, dates as ``YYYY-MM-DD``, empty cells for nulls.

    Text cells that start like a formula (:data:`FORMULA_STARTS`) get a leading ``'``, so a
    spreadsheet shows them instead of running them; ``raw`` writes them as read.
    """
    frame = table(records)
    for name, kind in COLUMNS:
        if kind == "string" and not raw:
            frame[name] = frame[name].map(spreadsheet_safe, na_action="ignore").astype("string")
        elif kind == "shares":
            frame[name] = frame[name].astype(object).map(_share_text, na_action="ignore")
    return frame.to_csv(index=False, date_format="%Y-%m-%d")


def _share_text(value) -> str:
    """A share count as CSV writes it: a whole one as an integer.

    >>> _share_text(3638.0), _share_text(10.5)
    ('3638', '10.5')
    """
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def to_parquet(records: Iterable[Record]) -> bytes:
    """Parquet bytes of :func:`arrow_table`."""
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    pq.write_table(arrow_table(records), buffer)
    return buffer.getvalue()
