"""form4.io.tabular: CSV and Parquet with one fixed, typed column set for every batch."""

from __future__ import annotations

import datetime as dt
import io
import itertools

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from form4.run.pipeline import RULES_ONLY, extract_text
from form4.schema import Issuer, NonDerivativeHolding, Record, ReportingOwner
from form4.io.tabular import COLUMN_NAMES, table, to_csv, to_parquet
from form4.training.corpus import iter_jsonl

from conftest import ROOT  # noqa: E402  (the repository, defined once)
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))

#: the documented columns and their Parquet types (NOTES / README "Tables")
DOCUMENTED = {
    "source": "string", "document_type": "string", "period_of_report": "date32[day]",
    "date_of_original_submission": "date32[day]", "not_subject_to_section16": "bool", "aff10b5_one": "bool",
    "issuer_name": "string", "issuer_trading_symbol": "string", "issuer_cik": "string", "reporting_owners": "string",
    "reporting_owner_count": "int64", "owner_is_director": "bool", "owner_is_officer": "bool",
    "owner_is_ten_percent_owner": "bool", "owner_is_other": "bool", "owner_officer_title": "string",
    "owner_other_text": "string", "signature_name": "string", "signature_date": "date32[day]", "table": "string",
    "row": "int64", "security_title": "string", "transaction_date": "date32[day]", "deemed_execution_date": "date32[day]",
    "transaction_code": "string", "equity_swap_involved": "bool", "shares": "double", "price_per_share": "double",
    "acquired_disposed": "string", "shares_owned_following": "double", "direct_or_indirect": "string",
    "nature_of_ownership": "string", "footnote_ids": "string", "conversion_or_exercise_price": "double",
    "exercise_date": "date32[day]", "expiration_date": "date32[day]", "underlying_security_title": "string",
    "underlying_security_shares": "double", "price_range_low": "double", "price_range_high": "double",
    "row_confidence": "double", "warnings": "string",
}


@pytest.fixture(scope="module")
def records() -> list[Record]:
    """The five samples, six dev corpus texts (pdftotext-layout and OCR) and a filing with no table rows."""
    out = [extract_text(p.read_text(encoding="utf-8"), p.name, RULES_ONLY) for p in SAMPLES]
    wanted = ("pdftotext-layout", "ocr-300-psm4-norules")
    examples = (e for e in iter_jsonl(ROOT / "annotations" / "corpus" / "dev.jsonl.gz") if e["meta"]["converter"] in wanted)
    for example in itertools.islice(examples, 6):
        out.append(extract_text(example["text"], example["meta"]["doc_id"], RULES_ONLY))
    return out + [Record(source="no-rows.txt", issuer=Issuer(name="Empty Co"), reporting_owners=(
        ReportingOwner(name="A One", is_director=True), ReportingOwner(name="B Two")))]


def test_parquet_has_the_documented_columns_in_order_with_their_types(records):
    schema = pq.read_schema(io.BytesIO(to_parquet(records)))
    assert {f.name: str(f.type) for f in schema} == DOCUMENTED
    assert tuple(schema.names) == COLUMN_NAMES == tuple(DOCUMENTED)


def test_parquet_reads_back_in_pandas_with_nullable_types(records):
    frame = pd.read_parquet(io.BytesIO(to_parquet(records)), dtype_backend="numpy_nullable")
    assert list(frame.columns) == list(DOCUMENTED)
    assert str(frame["shares"].dtype) == "Float64" and str(frame["price_per_share"].dtype) == "Float64"
    assert str(frame["owner_is_director"].dtype) == "boolean"
    dates = frame["transaction_date"].dropna()
    assert len(dates) and all(type(v) is dt.date for v in dates)  # Parquet date32 -> datetime.date
    assert len(frame) == len(table(records))


def test_csv_has_the_same_columns_whole_shares_as_integers_and_iso_dates(records):
    text = to_csv(records)
    header, first = text.splitlines()[:2]
    assert header.split(",") == list(DOCUMENTED)
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    shares = [v for v in frame["shares"] if v]
    assert shares and all(v.isdigit() for v in shares)  # 3638, never 3638.0
    assert all(len(v) == 10 and v[4] == "-" for v in frame["transaction_date"] if v)


def test_every_filing_gives_rows_and_one_without_table_rows_still_gives_one(records):
    frame = table(records)
    assert set(frame["source"]) == {r.source for r in records}
    empty = frame[frame["source"] == "no-rows.txt"]
    assert len(empty) == 1 and pd.isna(empty["table"].iloc[0]) and pd.isna(empty["row"].iloc[0])
    assert empty["reporting_owners"].iloc[0] == "A One; B Two" and empty["reporting_owner_count"].iloc[0] == 2
    assert bool(empty["owner_is_director"].iloc[0]) is True
    rows = sum(len(getattr(r, key)) for r in records for key in ("non_derivative_transactions", "non_derivative_holdings",
                                                                "derivative_transactions", "derivative_holdings"))
    assert len(frame) == rows + sum(1 for r in records if not any((r.non_derivative_transactions, r.non_derivative_holdings,
                                                                     r.derivative_transactions, r.derivative_holdings)))


def test_a_row_carries_its_lowest_confidence_and_the_warnings_that_concern_it():
    record = Record(
        source="x.txt", non_derivative_holdings=(NonDerivativeHolding(security_title="A", shares_owned_following=5),
                                                 NonDerivativeHolding(security_title="B", shares_owned_following=7)),
        confidence={"/non_derivative_holdings/0/security_title": 0.9, "/non_derivative_holdings/0/shares_owned_following": 0.4,
                    "/non_derivative_holdings/1/security_title": 0.8},
        warnings=("non_derivative_holdings[1]: odd", "no signature read"))
    frame = table([record])
    assert frame["row_confidence"].tolist() == [0.4, 0.8]
    assert frame["warnings"].tolist() == ["no signature read", "non_derivative_holdings[1]: odd | no signature read"]


def test_a_batch_with_a_fractional_share_count_has_the_same_types_as_one_with_whole_counts_only():
    whole = Record(source="w.txt", non_derivative_holdings=(NonDerivativeHolding(security_title="A", shares_owned_following=10),))
    fraction = Record(source="f.txt", non_derivative_holdings=(NonDerivativeHolding(security_title="A", shares_owned_following=10.5),))
    schemas = [pq.read_schema(io.BytesIO(to_parquet(batch))) for batch in ([whole], [fraction], [whole, fraction])]
    assert schemas[0] == schemas[1] == schemas[2] and schemas[0].field("shares_owned_following").type == pa.float64()
    assert [str(table(batch)["shares_owned_following"].dtype) for batch in ([whole], [fraction])] == ["Float64", "Float64"]
    assert [line.split(",")[COLUMN_NAMES.index("shares_owned_following")] for line in to_csv([whole, fraction]).splitlines()[1:]] == ["10", "10.5"]


def test_the_cli_writes_parquet_after_the_base_install(tmp_path):
    from typer.testing import CliRunner

    from form4.cli import app

    out = tmp_path / "t.parquet"
    result = CliRunner().invoke(app, ["extract", "--no-model", str(ROOT / "samples"), "-f", "parquet", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert pq.read_schema(out).names == list(DOCUMENTED)
