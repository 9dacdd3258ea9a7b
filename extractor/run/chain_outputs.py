"""The holding chains of a finished batch: check them, amend the records, write the table.

Outputs are written as each input finishes; chains need the whole batch. So the check is a
second pass once every input is done (not after an interrupt): the records it amends (a
break's warning, a re-read value) replace theirs in the batch's result, and in one-file-per-
input mode their files are written again, each atomically (``write_atomic``), so a reader
sees the first pass's file or the second's. With ``--resume`` the records of skipped inputs
are read back from their JSON outputs and take part (other formats cannot be read back).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from ..schema import Record
from .chains import COLUMNS, check_chains
from .outputs import part_name, write_atomic

if TYPE_CHECKING:
    from .items import BatchResult, Input

#: column -> pandas dtype of the chains table.
_DTYPES = {"owner": "string", "issuer": "string", "security": "string", "form": "string", "date": "datetime64[ns]",
           "holding": "Float64", "source": "string", "row": "string", "status": "string", "expected": "Float64"}


def link_batch(result: "BatchResult", kept: Sequence[tuple["Input", Record]] = (),
               rewrite: Callable[["Input", list[Record]], None] | None = None) -> tuple[list[dict[str, Any]], list[tuple["Input", Record]]]:
    """Check the chains of ``kept`` + ``result.records``; amend ``result.records``; ``rewrite(item,
    records)`` each input whose records changed (``kept``'s too). Sets ``result.chains`` (the
    summary); returns the chains table's rows and ``kept`` amended."""
    pairs = list(kept) + list(result.records)
    report = check_chains([record for _, record in pairs])
    result.chains = report.summary
    amended = [(item, record) for (item, _), record in zip(pairs, report.records)]
    result.records = amended[len(kept):]
    if rewrite is not None:
        changed_items = list(dict.fromkeys(amended[n][0] for n in sorted(report.changed)))
        for item in changed_items:
            rewrite(item, [record for it, record in amended if it is item])
    return report.rows, amended[:len(kept)]


def read_back(items: Iterable["Input"], path_of: Callable[["Input"], Path | None], fmt: str) -> list[tuple["Input", Record]]:
    """The records of skipped (``--resume``) inputs from their JSON outputs: every filing's file."""
    out: list[tuple["Input", Record]] = []
    if fmt != "json":
        return out
    for item in items:
        path = path_of(item)
        n = 1
        while path is not None and (target := part_name(path, n)).exists():
            try:
                out.append((item, Record.model_validate(json.loads(target.read_text(encoding="utf-8")))))
            except (OSError, ValueError):
                break
            n += 1
    return out


def chains_frame(rows: Sequence[dict[str, Any]]):
    """The chains table (:data:`form4.run.chains.COLUMNS`) as a typed pandas DataFrame.

    >>> import datetime as dt
    >>> frame = chains_frame([{"owner": "roe jane", "issuer": "ACME", "security": "common stock", "form": "D",
    ...     "date": dt.date(2024, 3, 1), "holding": 900.0, "source": "a.txt", "row": "non_derivative_transactions[0]",
    ...     "status": "start", "expected": None}])
    >>> list(frame.columns) == list(COLUMNS), str(frame["date"].dtype), frame.loc[0, "status"]
    (True, 'datetime64[ns]', 'start')
    """
    import pandas as pd

    frame = pd.DataFrame(list(rows), columns=list(COLUMNS))
    for name, dtype in _DTYPES.items():
        if dtype.startswith("datetime"):
            frame[name] = pd.to_datetime(frame[name], errors="coerce").astype(dtype)
        else:
            frame[name] = frame[name].astype(object).where(frame[name].notna(), None).astype(dtype)
    return frame


def chains_bytes(rows: Sequence[dict[str, Any]], fmt: str, csv_raw: bool = False) -> bytes:
    """The chains table as CSV (dates ``YYYY-MM-DD``; text that starts like a formula behind a
    ``'`` unless ``csv_raw``: form4.io.tabular.spreadsheet_safe) or Parquet (dates as ``date32``)."""
    import io

    frame = chains_frame(rows)
    if fmt == "csv":
        if not csv_raw:
            from ..io.tabular import spreadsheet_safe

            for name in frame.columns:
                if frame[name].dtype == object or str(frame[name].dtype) == "string":
                    frame[name] = frame[name].map(lambda v: spreadsheet_safe(v) if isinstance(v, str) else v)
        return frame.to_csv(index=False, date_format="%Y-%m-%d").encode("utf-8")
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"date": pa.date32(), "holding": pa.float64(), "expected": pa.float64()}
    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.cast(pa.schema([pa.field(name, types.get(name, pa.string())) for name in COLUMNS]))
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def write_chains_table(rows: Sequence[dict[str, Any]], path: Path, csv_raw: bool = False) -> None:
    """``path``: Parquet when it ends in ``.parquet``, else CSV; written atomically."""
    write_atomic(path, chains_bytes(rows, "parquet" if path.suffix.lower() == ".parquet" else "csv", csv_raw))
