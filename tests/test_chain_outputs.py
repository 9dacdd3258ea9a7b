"""The holding chains of a finished batch (form4.run.chain_outputs): a second pass over the
batch's records, outputs written again, the chains table; local and Dask engines."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from test_chains import _misread, _set, series  # noqa: E402  (the synthetic series, defined once)

from form4.run.batch import ExtractJob, collect_inputs, run_extract  # noqa: E402
from form4.run.chains import COLUMNS, WARNING_PREFIX  # noqa: E402
from form4.schema import Record  # noqa: E402


def read_json_record(text: str, source: str | None = None) -> Record:
    """A stand-in extractor: the input file holds the record itself (as JSON)."""
    return Record.model_validate_json(text).model_copy(update={"source": source})


def _write_series(folder: Path, broken: int) -> list[Record]:
    records = series(14, 9, direct=1.0)
    row = records[broken].non_derivative_transactions[0]
    records[broken] = _set(records[broken], "non_derivative_transactions", 0, shares_owned_following=_misread(row.shares_owned_following))
    folder.mkdir(parents=True, exist_ok=True)
    for record in records:
        (folder / record.source).write_text(record.to_json(), encoding="utf-8")
    return records


def _job(inputs: Path, out: Path, **options) -> ExtractJob:
    return ExtractJob(collect_inputs([str(inputs)]), "json", str(out) + "/", True, **options)


def test_a_break_is_written_into_both_outputs_the_table_and_the_summary(tmp_path):
    _write_series(tmp_path / "in", broken=6)
    result = run_extract(_job(tmp_path / "in", tmp_path / "out", chains=tmp_path / "chains.csv"), read_json_record)
    warned = {p.name for p in (tmp_path / "out").iterdir()
              if any(w.startswith(WARNING_PREFIX) for w in json.loads(p.read_text())["warnings"])}
    assert {"filing-05.json", "filing-06.json"} <= warned <= {"filing-05.json", "filing-06.json", "filing-07.json"}
    table = pd.read_csv(tmp_path / "chains.csv")
    breaks = result.summary()["chains"]["breaks"]
    assert tuple(table.columns) == COLUMNS and breaks >= 1
    assert set(table.loc[table["status"] == "break", "source"].map(lambda s: Path(s).name)) <= {"filing-06.txt", "filing-07.txt"}
    assert not list((tmp_path / "out").glob(".*.tmp"))


def test_a_resumed_batch_reads_back_what_it_skipped_and_finds_the_same_break(tmp_path):
    _write_series(tmp_path / "in", broken=6)
    first = run_extract(_job(tmp_path / "in", tmp_path / "out"), read_json_record)
    (tmp_path / "out" / "filing-06.json").unlink()
    again = run_extract(_job(tmp_path / "in", tmp_path / "out", resume=True), read_json_record)
    assert len(again.skipped) == 13 and again.summary()["chains"] == first.summary()["chains"]
    restored = json.loads((tmp_path / "out" / "filing-06.json").read_text())
    assert any("does not follow" in w for w in restored["warnings"])


def test_no_chains_leaves_every_record_as_extracted_alone(tmp_path):
    records = _write_series(tmp_path / "in", broken=6)
    result = run_extract(_job(tmp_path / "in", tmp_path / "out", check_chains=False), read_json_record)
    assert "chains" not in result.summary()
    assert json.loads((tmp_path / "out" / "filing-06.json").read_text())["warnings"] == list(records[6].warnings)


def test_a_parquet_chains_table_has_dates_and_holdings_typed(tmp_path):
    _write_series(tmp_path / "in", broken=3)
    run_extract(_job(tmp_path / "in", tmp_path / "out", chains=tmp_path / "chains.parquet"), read_json_record)
    import pyarrow.parquet as pq

    types = {field.name: str(field.type) for field in pq.read_schema(tmp_path / "chains.parquet")}
    assert (types["date"], types["holding"], types["status"]) == ("date32[day]", "double", "string")


def test_the_dask_engines_second_pass_rewrites_changed_records_and_writes_chains_parquet(tmp_path):
    import fsspec

    from form4.run.dask_engine import CHAINS, RECORDS, _link_chains, _write_records
    from form4.run.items import BatchResult
    from form4.run.outputs import output_names

    _write_series(tmp_path / "in", broken=4)
    items = collect_inputs([str(tmp_path / "in")])
    names = output_names(items, "json")
    out = tmp_path / "out"
    fs, root = fsspec.core.url_to_fs(str(out))
    result = BatchResult()
    for item in items:
        record = read_json_record(item.path.read_text(), item.source)
        _write_records(fs, root, names[item.source], [record.to_json_dict()])
        result.records.append((item, record))
    _link_chains(str(out), fs, root, names, result, [])
    table = pd.read_parquet(out / CHAINS)
    assert (table["status"] == "break").sum() >= 1 and result.summary()["chains"]["breaks"] >= 1
    written = json.loads((out / RECORDS / "filing-04.json").read_text())
    assert any("does not follow" in w for w in written["warnings"])
