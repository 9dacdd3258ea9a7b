"""form4.io.xml_writer: every XML it writes validates against the SEC's ownership XSD and reads back
through form4.io.xml_reader to the record as written."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from form4.run.pipeline import RULES_ONLY, extract_text
from form4.schema import (
    DerivativeTransaction,
    Footnote,
    Issuer,
    NonDerivativeHolding,
    NonDerivativeTransaction,
    Record,
    ReportingOwner,
    Signature,
)
from form4.training.corpus import iter_jsonl
from form4.io.xml_reader import read_ownership_xml
from form4.io.xml_prepare import CIK_PLACEHOLDER, PLACEHOLDER_NOTE, XmlOptions, using
from form4.io.xml_writer import schema_errors, to_xml, write

from conftest import ROOT  # noqa: E402  (the repository, defined once)
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
DEV = ROOT / "annotations" / "corpus" / "dev.jsonl.gz"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _dev_texts(n: int) -> list[tuple[str, str]]:
    """``n`` dev-split corpus texts, spread over the filings and converters (every 7th line)."""
    lines = itertools.islice(iter_jsonl(DEV), 0, None, 7)
    return [(f"{ex['meta']['doc_id']}.{ex['meta']['converter']}", ex["text"]) for ex in itertools.islice(lines, n)]


def _round_trip_ok(record: Record) -> list[str]:
    """Schema errors of the record's XML, plus a note if it does not read back to the record as written."""
    document = write(record)
    errors = schema_errors(document.xml)
    again = read_ownership_xml(document.xml)
    expected = document.record.model_copy(update={"source": None, "confidence": again.confidence, "warnings": (), "alternatives": {}})
    if again != expected:
        errors.append(f"reads back differently: {again.model_dump()} != {expected.model_dump()}")
    return errors


def _minimal(**changes) -> Record:
    base = dict(
        document_type="4", period_of_report=dt.date(2024, 3, 1),
        issuer=Issuer(name="Acme Corp", trading_symbol="ACME"),
        reporting_owners=(ReportingOwner(name="Doe Jane", is_director=True),),
        signatures=(Signature(name="/s/ Jane Doe", date=dt.date(2024, 3, 3)),),
    )
    return Record(**{**base, **changes})


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_every_sample_gives_xml_that_validates_and_reads_back_to_the_record_as_written(sample):
    assert _round_trip_ok(extract_text(sample.read_text(encoding="utf-8"), sample.name)) == []


def test_fifty_dev_corpus_texts_give_xml_that_validates_and_reads_back():
    texts = _dev_texts(50)
    assert len(texts) == 50 and len({name.split(".", 1)[1] for name, _ in texts}) >= 10  # many converters
    failures = {name: errors for name, text in texts if (errors := _round_trip_ok(extract_text(text, name, RULES_ONLY)))}
    assert failures == {}


def test_the_secs_own_sample_document_validates_against_the_shipped_schema():
    assert schema_errors((FIXTURES / "sec-spec-doc4.xml").read_text(encoding="utf-8")) == []


def test_an_amendment_with_the_10b5_1_box_validates_against_the_xsd_files_as_they_ship():
    from lxml import etree

    from form4.io.xml_prepare import SCHEMA_FILE

    record = _minimal(document_type="4/A", date_of_original_submission=dt.date(2024, 2, 1), aff10b5_one=True)
    xml = write(record).xml
    assert "<aff10b5One>1</aff10b5One>" in xml and "<documentType>4/A</documentType>" in xml
    schema = etree.XMLSchema(etree.parse(str(SCHEMA_FILE)))  # the file alone: nothing patched in memory
    assert schema.validate(etree.fromstring(xml.encode("utf-8"))), schema.error_log


def test_the_document_is_indented_one_element_a_line():
    lines = write(_minimal()).xml.splitlines()
    assert "  <issuer>" in lines and "    <issuerName>Acme Corp</issuerName>" in lines
    assert all(line.count("<") <= 2 for line in lines)


def test_a_warning_comment_names_an_option_in_words_as_a_comment_cannot_hold_two_hyphens():
    xml = write(_minimal()).xml
    comments = [line for line in xml.splitlines() if line.startswith("<!--")]
    assert any("(give the issuer-cik option)" in line for line in comments)
    assert not any("- -" in line or "--" in line[4:-3] for line in comments)


def test_a_footnote_only_price_keeps_its_footnote_id():
    row = NonDerivativeTransaction(security_title="Common Stock", transaction_date=dt.date(2024, 3, 1), transaction_code="G",
                                   shares=100, acquired_disposed="D", shares_owned_following=900, direct_or_indirect="D",
                                   footnote_ids=("F1",))
    record = _minimal(non_derivative_transactions=(row,), footnotes=(Footnote(id="F1", text="A gift."),))
    xml = to_xml(record)
    assert '<transactionPricePerShare><footnoteId id="F1" /></transactionPricePerShare>' in re.sub(r">\s+<", "><", xml)
    assert schema_errors(xml) == [] and _round_trip_ok(record) == []


def test_a_row_with_an_unread_footnote_only_value_and_no_mark_gets_a_placeholder_footnote():
    row = DerivativeTransaction(security_title="Option", conversion_or_exercise_price=10, transaction_date=dt.date(2024, 3, 1),
                                transaction_code="A", shares=5, acquired_disposed="A", underlying_security_title="Common Stock",
                                underlying_security_shares=5, shares_owned_following=5, direct_or_indirect="D")
    document = write(_minimal(derivative_transactions=(row,)))  # exercise and expiration dates not read
    assert document.record.footnotes == (Footnote(id="F1", text=PLACEHOLDER_NOTE),)
    assert any("added footnote F1" in w for w in document.warnings)
    assert schema_errors(document.xml) == []


def test_equity_swap_involved_is_written_false_by_default_with_a_warning():
    row = NonDerivativeTransaction(security_title="Common Stock", transaction_date=dt.date(2024, 3, 1), transaction_code="S",
                                   shares=10, price_per_share=5.5, acquired_disposed="D", shares_owned_following=0,
                                   direct_or_indirect="D")
    document = write(_minimal(non_derivative_transactions=(row,)))
    assert "<equitySwapInvolved>0</equitySwapInvolved>" in document.xml
    assert any(w.startswith("equitySwapInvolved is not printed on the form") for w in document.warnings)
    assert "<!-- form4 warning: equitySwapInvolved" in document.xml


def test_ciks_come_from_the_options_else_the_all_zero_placeholder_with_a_warning():
    plain = write(_minimal())
    assert f"<issuerCik>{CIK_PLACEHOLDER}</issuerCik>" in plain.xml and f"<rptOwnerCik>{CIK_PLACEHOLDER}</rptOwnerCik>" in plain.xml
    assert sum("CIK" in w for w in plain.warnings) == 2
    with using(XmlOptions(issuer_cik="320193", owner_ciks=("1214128",))):
        given_ciks = write(_minimal())
    assert "<issuerCik>320193</issuerCik>" in given_ciks.xml and "<rptOwnerCik>1214128</rptOwnerCik>" in given_ciks.xml
    assert not any("CIK" in w for w in given_ciks.warnings)


def test_required_values_that_were_not_read_get_declared_placeholders_and_warnings():
    holding = NonDerivativeHolding(nature_of_ownership="By Trust")  # title, amount and D/I all unread
    document = write(_minimal(non_derivative_holdings=(holding,), period_of_report=None, signatures=(),
                              non_derivative_transactions=(NonDerivativeTransaction(transaction_date=dt.date(2024, 2, 9)),)))
    written = document.record
    assert written.non_derivative_holdings[0].security_title == "(not read)"
    assert written.non_derivative_holdings[0].direct_or_indirect == "I"  # a nature is printed only for indirect holdings
    assert written.period_of_report == dt.date(2024, 2, 9)
    assert written.signatures == (Signature(name="Doe Jane", date=dt.date(2024, 2, 9)),)
    assert len(document.warnings) >= 6 and schema_errors(document.xml) == []


def test_no_nul_or_other_xml_illegal_character_reaches_the_document():
    record = _minimal(remarks="line one\x0cpage two\x00 end\x1b", footnotes=(Footnote(id="F1", text="a\x07b"),))
    xml = to_xml(record)
    assert not any(ch in xml for ch in "\x00\x07\x0c\x1b")
    assert schema_errors(xml) == [] and read_ownership_xml(xml).remarks == "line one page two end"


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)


@settings(max_examples=60, deadline=None)
@given(name=_TEXT, title=_TEXT, nature=_TEXT, note=_TEXT, state=_TEXT, zip_code=_TEXT,
       shares=st.floats(-1e13, 1e13, allow_nan=False), price=st.none() | st.floats(0, 1e6, allow_nan=False))
def test_any_text_and_amounts_give_a_valid_document_that_reads_back(name, title, nature, note, state, zip_code, shares, price):
    row = NonDerivativeTransaction(security_title=title or None, transaction_date=dt.date(2024, 3, 1), transaction_code="P",
                                   shares=shares, price_per_share=price, acquired_disposed="A", shares_owned_following=shares,
                                   nature_of_ownership=nature or None, footnote_ids=("F1",))
    record = _minimal(issuer=Issuer(name=name or None, trading_symbol="X"), non_derivative_transactions=(row,),
                      reporting_owners=(ReportingOwner(name=name, state=state, zip_code=zip_code),),
                      footnotes=(Footnote(id="F1", text=note),))
    assert _round_trip_ok(record) == []


def test_the_cli_writes_one_xml_document_per_input_into_the_output_directory(tmp_path):
    from typer.testing import CliRunner

    from form4.cli import app

    runner = CliRunner()
    refused = runner.invoke(app, ["extract", "--no-model", str(ROOT / "samples"), "-f", "xml"])
    assert refused.exit_code == 2 and "E042" in refused.output and "<?xml" not in refused.output
    one_file = runner.invoke(app, ["extract", "--no-model", str(ROOT / "samples"), "-f", "xml", "-o", str(tmp_path / "all.xml")])
    assert one_file.exit_code == 2 and "E023" in one_file.output and not (tmp_path / "all.xml").exists()
    done = runner.invoke(app, ["extract", "--no-model", str(ROOT / "samples"), "-f", "xml", "-o", str(tmp_path),
                               "--issuer-cik", "1107843", "--owner-cik", "1234567"])
    assert done.exit_code == 0, done.output
    written = sorted(tmp_path.glob("*.xml"))
    assert [p.stem for p in written] == [p.stem for p in SAMPLES]
    for path in written:
        xml = path.read_text(encoding="utf-8")
        assert xml.count("<?xml") == 1 and "<issuerCik>1107843</issuerCik>" in xml and schema_errors(xml) == []
    bad = runner.invoke(app, ["extract", "--no-model", str(SAMPLES[0]), "-f", "xml", "--issuer-cik", "12-34"])
    assert bad.exit_code == 2 and "E043" in bad.output
