"""The Dask engine writes what the local engine writes, on a two-worker local cluster."""

import gzip
import json
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="the Dask engine needs the dask extra: pip install 'form4[dask]'")

from form4.run.batch import collect_inputs, run_batch  # noqa: E402
from form4.run.dask_engine import FAILURES, RECORDS, TRANSACTIONS, expand_inputs, run_dask  # noqa: E402
from form4.run.pipeline import RULES_ONLY  # noqa: E402

from conftest import ROOT  # noqa: E402  (the repository, defined once)
DEV = ROOT / "annotations" / "corpus" / "dev.jsonl.gz"


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(processes=True, n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """The samples and 100 dev-corpus texts as files (and one empty file)."""
    folder = tmp_path_factory.mktemp("dask-in")
    for sample in sorted((ROOT / "samples").glob("*.txt")):
        (folder / sample.name).write_text(sample.read_text())
    if DEV.exists():
        with gzip.open(DEV, "rt", encoding="utf-8") as lines:
            for n, line in zip(range(100), lines):
                (folder / "dev" / f"{n:03d}.txt").parent.mkdir(exist_ok=True)
                (folder / "dev" / f"{n:03d}.txt").write_text(json.loads(line)["text"])
    (folder / "empty.txt").write_text("")
    return folder


def _records(folder: Path) -> dict[str, dict]:
    return {p.relative_to(folder).as_posix(): json.loads(p.read_text()) for p in sorted(folder.rglob("*.json"))}


@pytest.mark.slow  # a two-worker cluster and 105 texts: CI runs it (pytest -m slow)
def test_the_dask_engine_writes_the_local_engines_records_tables_and_failures(client, inputs, tmp_path):
    import pandas as pd

    out = tmp_path / "out"
    # the engines compared extraction for extraction (the chains' second pass is tested in test_chain_outputs)
    result = run_dask([str(inputs)], str(out), model=None, client=client, chains=False)
    local = run_batch(collect_inputs([str(inputs)]), RULES_ONLY)
    records = _records(out / RECORDS)
    assert len(records) == len(local.records) >= 5 and sorted(r["source"] for r in records.values()) == sorted(r.source for _, r in local.records)
    by_source = {r["source"]: r for r in records.values()}
    assert all(by_source[r.source] == r.to_json_dict() for _, r in local.records)
    assert [(i.source, e.code) for i, e in result.failures] == [(i.source, e.code) for i, e in local.failures]
    # the empty file (E001) and any dev text too damaged to read (a noise variant: E004) fail alike in both
    assert sorted(pd.read_parquet(out / FAILURES)["code"].tolist()) == sorted(e.code for _, e in local.failures)
    assert "E001" in {e.code for _, e in local.failures}
    table = pd.read_parquet(out / TRANSACTIONS)
    tables = ("non_derivative_transactions", "non_derivative_holdings", "derivative_transactions", "derivative_holdings")
    # one row per table row, and one for a filing with no table rows (form4.io.tabular drops nothing)
    assert len(table) == sum(max(1, sum(len(getattr(r, k)) for k in tables)) for _, r in local.records)
    assert {p.name for p in (out / TRANSACTIONS).iterdir()} >= {"period_year=2023"}


@pytest.mark.slow
def test_a_resumed_dask_run_skips_what_is_done_and_rewrites_the_same_dataset(client, inputs, tmp_path):
    import pandas as pd

    out = tmp_path / "out"
    run_dask([str(inputs / "*.txt")], str(out), client=client)
    first = pd.read_parquet(out / TRANSACTIONS)
    (out / RECORDS / "000_46eb1dd4f8015172.json").unlink()
    again = run_dask([str(inputs / "*.txt")], str(out), client=client, resume=True)
    assert [i.relative.name for i, _ in again.records] == ["000_46eb1dd4f8015172.txt"]
    assert len(again.skipped) == 4 and [e.code for _, e in again.failures] == ["E001"]
    pd.testing.assert_frame_equal(pd.read_parquet(out / TRANSACTIONS), first)


def test_globs_folders_and_files_expand_to_each_file_once(inputs):
    items = expand_inputs([str(inputs / "*.txt"), str(inputs / "000_46eb1dd4f8015172.txt")])
    assert [i.relative.name for i in items] == sorted(p.name for p in inputs.glob("*.txt"))


def test_the_dask_dataset_and_the_local_parquet_file_have_one_schema_dates_as_dates(tmp_path):
    import io

    import pyarrow.parquet as pq

    from form4.io.tabular import to_parquet
    from form4.run.dask_engine import write_tables
    from form4.run.pipeline import extract_text
    from form4.schema import NonDerivativeHolding, Record

    records = [extract_text(p.read_text(), p.name, RULES_ONLY) for p in sorted((ROOT / "samples").glob("*.txt"))]
    records.append(Record(source="f.txt", non_derivative_holdings=(NonDerivativeHolding(security_title="A", shares_owned_following=10.5),)))
    write_tables(str(tmp_path), records, [])
    parts = sorted((tmp_path / TRANSACTIONS).rglob("*.parquet"))
    local = pq.read_schema(io.BytesIO(to_parquet(records))).remove_metadata()
    assert len(parts) >= 2 and all(pq.read_schema(part).remove_metadata() == local for part in parts)
    assert str(local.field("period_of_report").type) == "date32[day]" and str(local.field("shares").type) == "double"


def test_a_record_is_never_written_through_a_link_planted_below_the_output_folder(tmp_path):
    import fsspec

    from form4.errors import OutputError
    from form4.run.dask_engine import _write_records

    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    (out / RECORDS).mkdir(parents=True)
    elsewhere.mkdir()
    (out / RECORDS / "sub").symlink_to(elsewhere)
    fs = fsspec.filesystem("file")
    with pytest.raises(OutputError, match="symbolic link"):
        _write_records(fs, str(out), "sub/inner.json", [{"a": 1}])
    _write_records(fs, str(out), "top.json", [{"a": 1}, {"a": 2}])
    assert list(elsewhere.iterdir()) == [] and sorted(p.name for p in (out / RECORDS).iterdir()) == ["sub", "top#2.json", "top.json"]
