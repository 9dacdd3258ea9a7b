"""Scale-out on Dask: the local engine's extraction over files, folders or globs (fsspec paths),
one task per input on a Dask cluster, the model loaded once per worker process.

Writes under the output directory (a local path or any fsspec URL the user has a filesystem for):

* ``records/<name>.json``: one record per input, named as the local engine's ``--output DIR/``;
* ``transactions/``: the transaction table as a Parquet dataset partitioned by ``period_year``;
* ``failures.parquet``: source, code and one-line error of every input that failed;
* ``chains.parquet``: every owner's holding chains across the batch (:mod:`form4.run.chains`),
  checked on the client once every input is done; the records it changes are written again.

Resumable: an input whose record file exists and parses is not extracted again (``resume``).

    form4 extract 's3://bucket/filings/**/*.txt' --engine dask --scheduler tcp://host:8786 -o out/
"""

from __future__ import annotations

import json
import posixpath
from functools import lru_cache
from typing import Any, Callable, Iterable

from .batch import BatchResult, Input, decode_bytes, extract_decoded
from .confine import write_atomic, write_confined
from .outputs import output_names, part_name
from .workers import internal_error
from ..errors import Form4Error, InputNotFoundError, InputUnreadableError, OutputError
from .pipeline import RULES_ONLY, Extractor
from ..schema import Record

RECORDS = "records"
TRANSACTIONS = "transactions"
FAILURES = "failures.parquet"
CHAINS = "chains.parquet"


# ---------------------------------------------------------------- inputs
def expand_inputs(args: Iterable[str]) -> list[Input]:
    """Files, folders (recursive, hidden files skipped) and globs as fsspec URLs; each file once.

    A local path keeps the local engine's spelling (its records are the same, ``source`` too).
    """
    import fsspec

    items: list[Input] = []
    seen: set[str] = set()
    for arg in args:
        fs, root = fsspec.core.url_to_fs(arg)
        local = "://" not in arg
        if any(ch in arg for ch in "*?["):
            found = [(path, posixpath.basename(path)) for path in sorted(fs.glob(root))]
        elif fs.isdir(root):
            found = [(path, posixpath.relpath(path, root)) for path in sorted(fs.find(root))]
            found = [(path, rel) for path, rel in found if not any(part.startswith(".") for part in rel.split("/"))]
        else:
            found = [(root, posixpath.basename(root))]
        for path, rel in found:
            url = _local_spelling(arg, root, path) if local else fs.unstrip_protocol(path)
            if url not in seen:
                seen.add(url)
                from pathlib import Path

                items.append(Input(Path(url) if local else None, Path(rel), url))
    return items


def _local_spelling(arg: str, root: str, path: str) -> str:
    """``samples/x.txt`` as the user typed the folder, not fsspec's absolute ``/home/.../samples/x.txt``."""
    if any(ch in arg for ch in "*?["):
        import os

        return os.path.relpath(path) if not arg.startswith("/") else path
    return arg.rstrip("/") + path[len(root.rstrip("/")):] if path.startswith(root.rstrip("/")) else path


# ---------------------------------------------------------------- on the workers
@lru_cache(maxsize=2)
def worker_settings(model: str | None) -> Extractor:
    """The extractor a worker uses, loaded once per worker process (``None``: rules only;
    ``""``: the shipped model; else the model at that path)."""
    if model is None:
        return RULES_ONLY
    from .pipeline import model_extractor

    return model_extractor(model or None)


def extract_url(url: str, model: str | None) -> list[dict[str, Any]] | tuple[str, str]:
    """One input on a worker: its records as JSON dicts, or (code, one-line error)."""
    try:
        out = extract_decoded(worker_settings(model), _read(url), url)
    except Form4Error as err:
        err.source = err.source or url
        out = err
    except Exception as err:  # noqa: BLE001  (one input never costs the others)
        out = internal_error(err, url)
    if isinstance(out, Form4Error):
        return (out.code, out.one_line())
    return [record.to_json_dict() for record in out]


def _read(url: str):
    import fsspec

    try:
        with fsspec.open(url, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise InputNotFoundError("no such file; check the path", url) from None
    except PermissionError:
        raise InputUnreadableError("permission denied; make the file readable", url) from None
    except OSError as err:
        raise InputUnreadableError(f"cannot read the file ({err}); check the path", url) from None
    return decode_bytes(data, url)


# ---------------------------------------------------------------- on the client
class _Failure(Form4Error):
    """An error reported by a worker, with its code."""

    def __init__(self, code: str, line: str, source: str) -> None:
        super().__init__(line, source)
        self.code, self.line = code, line

    def one_line(self) -> str:
        return self.line


def run_dask(
    inputs: Iterable[str],
    output: str,
    model: str | None = None,
    workers: int = 2,
    scheduler: str | None = None,
    resume: bool = False,
    report: Callable[[str], None] | None = None,
    client: Any = None,
    chains: bool = True,
) -> BatchResult:
    """Extract every input on a Dask cluster (``scheduler``'s, else a local one of ``workers`` processes)."""
    import fsspec

    items = expand_inputs(inputs)
    if not items:
        raise InputNotFoundError("no input files found; pass files, folders or globs", ",".join(inputs))
    out_fs, out_root = fsspec.core.url_to_fs(output)
    names = output_names(items, "json")
    result = BatchResult()
    todo = []
    for item in items:
        (result.skipped if resume and _complete(out_fs, _join(out_root, RECORDS, names[item.source])) else todo).append(item)
    outcomes: dict[str, list[dict[str, Any]] | tuple[str, str]] = {}
    with _client(client, scheduler, workers) as dask_client:
        from distributed import as_completed

        futures = {dask_client.submit(extract_url, item.source, model, pure=False): item for item in todo}  # a fresh key per run: no stale results
        try:
            for future in as_completed(futures):
                item = futures[future]
                outcomes[item.source] = out = future.result()
                if not isinstance(out, tuple):
                    try:
                        _write_records(out_fs, out_root, names[item.source], out)
                    except OutputError as err:  # a link in the way: this input's failure, the batch goes on
                        err = OutputError(f"cannot write its output: {err} ({err.source})", item.source)
                        outcomes[item.source] = out = (err.code, err.one_line())
                if isinstance(out, tuple):
                    report and report(out[1])
        except KeyboardInterrupt:
            result.interrupted = True
    for item in todo:
        out = outcomes.get(item.source)
        if isinstance(out, tuple):
            result.failures.append((item, _Failure(out[0], out[1], item.source)))
        elif out is not None:
            result.records.extend((item, Record.model_validate(data)) for data in out)
    if not result.interrupted:
        kept = [(item, record) for item in result.skipped for record in _read_records(out_fs, _join(out_root, RECORDS, names[item.source]))]
        if chains:
            kept = _link_chains(output, out_fs, out_root, names, result, kept)
        write_tables(output, [r for _, r in kept + result.records], result.failures)
    return result


def _link_chains(output: str, fs, root: str, names, result: BatchResult, kept: list[tuple[Input, Record]]) -> list[tuple[Input, Record]]:
    """The second pass on the client: holding chains across the batch (form4.run.chains); the
    records they change are written again; ``chains.parquet`` beside the tables. Returns ``kept`` amended."""
    from pathlib import Path

    from .chain_outputs import chains_bytes, link_batch

    def rewrite(item: Input, records: list[Record]) -> None:
        _write_records(fs, root, names[item.source], [r.to_json_dict() for r in records])

    rows, kept = link_batch(result, kept, rewrite)
    data, target = chains_bytes(rows, "parquet"), _join(root, CHAINS)
    if _is_local(fs):
        write_atomic(Path(target), data)
    else:  # an object store writes an object whole on close
        with fs.open(target, "wb") as handle:
            handle.write(data)
    return kept


class _client:
    """The given client, one for ``scheduler``, or a local cluster of ``workers`` processes (closed after)."""

    def __init__(self, client: Any, scheduler: str | None, workers: int) -> None:
        self.given, self.scheduler, self.workers = client, scheduler, workers
        self.owned: list[Any] = []

    def __enter__(self):
        if self.given is not None:
            return self.given
        from distributed import Client, LocalCluster

        if self.scheduler:
            client = Client(self.scheduler)
        else:
            import logging

            logging.getLogger("distributed").setLevel(logging.ERROR)  # its shutdown notes are not the user's business
            cluster = LocalCluster(n_workers=max(1, self.workers), threads_per_worker=1, processes=True, dashboard_address=None)
            self.owned.append(cluster)
            client = Client(cluster)
        self.owned.insert(0, client)
        return client

    def __exit__(self, *exc) -> None:
        for thing in self.owned:
            thing.close()


def _join(root: str, *parts: Any) -> str:
    return posixpath.join(root, *(str(p) for p in parts))


def _complete(fs, path: str) -> bool:
    try:
        with fs.open(path, "rb") as handle:
            json.loads(handle.read())
        return True
    except Exception:  # noqa: BLE001  (missing or partial: not complete)
        return False


def _write_records(fs, root: str, name: Any, records: list[dict[str, Any]]) -> None:
    """Each filing's record at ``root/records/name`` (``name#2`` ...); the first filing's file
    last (it marks the input complete). Locally no link below ``root`` is followed (E023)."""
    from pathlib import Path

    for n in range(len(records), 0, -1):
        relative = part_name(Path(RECORDS) / str(name), n)
        data = json.dumps(records[n - 1], indent=2, ensure_ascii=False) + "\n"
        if _is_local(fs):
            write_confined(Path(root), relative, data)
        else:  # an object store writes an object whole on close
            target = _join(root, relative.as_posix())
            fs.makedirs(posixpath.dirname(target), exist_ok=True)
            with fs.open(target, "w", encoding="utf-8") as handle:
                handle.write(data)


def _read_records(fs, path: str) -> list[Record]:
    from pathlib import Path

    out, n = [], 1
    while fs.exists(target := str(part_name(Path(path), n))):
        with fs.open(target, "rb") as handle:
            out.append(Record.model_validate(json.loads(handle.read())))
        n += 1
    return out


def _is_local(fs) -> bool:
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    return protocol in ("file", "local")


def write_tables(output: str, records: list[Record], failures: list[tuple[Input, Form4Error]]) -> None:
    """The transaction table as a Parquet dataset by period year (the local engine's schema:
    :func:`form4.io.tabular.arrow_schema`), and the failures table."""
    import fsspec
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ..io.tabular import arrow_table

    fs, root = fsspec.core.url_to_fs(output)
    final, tmp = _join(root, TRANSACTIONS), _join(root, f".{TRANSACTIONS}.tmp")
    for stale in (tmp, final):  # a dataset is rewritten whole (pyarrow would add files beside the old ones)
        if fs.exists(stale):
            fs.rm(stale, recursive=True)
    table = arrow_table(sorted(records, key=lambda r: r.source or ""))
    if table.num_rows:
        years = [str(day.year) if day is not None else "unknown" for day in table.column("period_of_report").to_pylist()]
        table = table.append_column("period_year", pa.array(years, pa.string()))
        pq.write_to_dataset(table, tmp, partition_cols=["period_year"], filesystem=fs)
        fs.mv(tmp, final, recursive=True)
    rows = [{"source": item.source, "code": err.code, "error": err.one_line()} for item, err in failures]
    pd.DataFrame(rows, columns=["source", "code", "error"]).to_parquet(_join(output, FAILURES), index=False)
