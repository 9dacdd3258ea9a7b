"""form4.io.xml_reader against the real ownership XML in the shared raw data folder."""

from __future__ import annotations

import csv
import datetime as dt
import logging
from collections import Counter
from pathlib import Path

import pytest

from form4.errors import XMLFormatError
from form4.schema import iter_leaves
from form4.io.xml_reader import (
    CellRef,
    NotForm4DocumentError,
    ParsedOwnership,
    decode_yaml_double_quoted,
    find_ownership_xml,
    iter_ownership_documents,
    iter_parsed_documents,
    parse_ownership_xml,
    read_ownership_xml,
)

PAYPAL = "john-friedman__datamule-python/examples/ingest/paypal"
GOOG = "DarkMindFX__InsidersTradeMonitor/Docs/Sample Reportings/SEC/Form4/GOOG"
EDGARTOOLS = "dgunning__edgartools"
CASSETTE = (f"{EDGARTOOLS}/tests/cassettes/"
            "test_problem2_full_footnote_fallback_on_real_pre_checkbox_filing.yaml")
#: the SEC technical-spec sample: a Form 4 in shape, but not a real filing
SPEC_SAMPLE = "cjavdev__sec_edgar/spec/sec_edgar/doc4.xml"


@pytest.fixture(scope="module")
def manifest(shared: Path) -> dict[str, dict[str, str]]:
    """Manifest rows of the Form 4 documents, by file path relative to the raw folder."""
    with (shared / "manifest_ownership_documents.csv").open(newline="", encoding="utf-8") as fh:
        return {row["file"]: row for row in csv.DictReader(fh)
                if row["documentType"] in ("4", "4/A")}


@pytest.fixture(scope="module")
def everything(shared: Path) -> list[tuple[str, ParsedOwnership]]:
    return list(iter_parsed_documents(shared))


def _parse(raw: Path, rel: str) -> ParsedOwnership:
    return parse_ownership_xml((raw / rel).read_text(encoding="utf-8"), rel)


def _doc(body: str, head: str = "") -> str:
    """A minimal Form 4 around ``body`` (table XML), ``head`` goes before the issuer."""
    return (f"<ownershipDocument><schemaVersion>X0508</schemaVersion>"
            f"<documentType>4</documentType><periodOfReport>2024-03-01</periodOfReport>{head}"
            f"<issuer><issuerCik>0000000001</issuerCik><issuerName>Acme</issuerName>"
            f"<issuerTradingSymbol>ACME</issuerTradingSymbol></issuer>{body}"
            f"</ownershipDocument>")


# --------------------------------------------------------------------------- one file per schema version

VERSION_FILES = {
    "X0303": f"{PAYPAL}/000118143111033001/rrd313108.xml",
    "X0304": f"{PAYPAL}/000120919111061699/doc4.xml",
    "X0305": f"{PAYPAL}/000120919112022021/doc4.xml",
    "X0306": f"{EDGARTOOLS}/data/form4.snow.xml",
    "X0407": f"{PAYPAL}/000106299323012371/form4.xml",
    "X0508": f"{EDGARTOOLS}/data/ownership/374WaterForm4.xml",
    "none": SPEC_SAMPLE,
}


@pytest.mark.parametrize("version", list(VERSION_FILES), ids=list(VERSION_FILES))
def test_each_schema_version_matches_the_manifest(shared, manifest, version):
    rel = VERSION_FILES[version]
    parsed = _parse(shared, rel)
    row = manifest[rel]
    rec = parsed.record
    assert (parsed.schema_version or "") == row["schemaVersion"] == ("" if version == "none" else version)
    assert rec.document_type == row["documentType"]
    assert str(rec.period_of_report) == row["periodOfReport"]
    assert rec.issuer.cik == row["issuerCik"]
    assert rec.issuer.name == (row["issuerName"] or None)
    assert rec.issuer.trading_symbol == (row["ticker"] or None)
    counts = (len(rec.reporting_owners), len(rec.non_derivative_transactions),
              len(rec.non_derivative_holdings), len(rec.derivative_transactions),
              len(rec.derivative_holdings), len(rec.footnotes))
    expected = tuple(int(row[k]) for k in ("n_owners", "n_nd_tx", "n_nd_hold", "n_d_tx",
                                           "n_d_hold", "n_footnotes"))
    assert counts == expected
    assert (rec.remarks is not None) == (row["has_remarks"] == "1")
    assert rec.source == rel
    assert rec.warnings == ()
    leaves = [p for p, _ in iter_leaves(rec.model_dump(mode="json"))]
    assert rec.confidence == {p: 1.0 for p in leaves}


def test_older_schema_has_no_10b5_1_flag_newer_has_it(shared):
    assert _parse(shared, VERSION_FILES["X0306"]).record.aff10b5_one is None
    assert _parse(shared, VERSION_FILES["X0508"]).record.aff10b5_one is False


# --------------------------------------------------------------------------- shapes


def test_several_reporting_owners(shared):
    rec = _parse(shared, f"{PAYPAL}/000095017024012830/ownership.xml").record
    names = [o.name for o in rec.reporting_owners]
    assert names == ["Mithril LP", "Mithril II UGP LLC", "Mithril II GP LP", "MITHRIL II LP",
                     "Mithril GP LP", "THIEL PETER"]
    assert all(o.is_ten_percent_owner for o in rec.reporting_owners)
    assert not any(o.is_officer or o.is_other for o in rec.reporting_owners)
    first = rec.reporting_owners[0]
    assert (first.street1, first.city, first.state, first.zip_code) == (
        "C/O MITHRIL CAPITAL MANAGEMENT LLC", "AUSTIN", "TX", "78701")
    assert len(rec.signatures) == 6


def test_two_owners_in_the_oldest_schema(shared):
    rec = _parse(shared, VERSION_FILES["X0303"]).record
    hoffman, trust = rec.reporting_owners
    assert hoffman.name == "Hoffman Reid"
    assert (hoffman.is_director, hoffman.is_ten_percent_owner, hoffman.is_officer) == (True, True, False)
    assert trust.name == "Reid Hoffman & Michelle Yee Living Trust"
    assert hoffman.officer_title is None and hoffman.other_text is None


def test_non_derivative_holding_rows(shared):
    rec = _parse(shared, f"{GOOG}/000112760215028697/form4.xml").record
    (holding,) = rec.non_derivative_holdings
    assert holding.security_title == "Class C Capital Stock"
    assert holding.shares_owned_following == 21169379
    assert holding.direct_or_indirect == "D"
    assert holding.nature_of_ownership is None and holding.footnote_ids == ()
    assert len(rec.non_derivative_transactions) == 18
    second = rec.non_derivative_transactions[1]
    assert (second.transaction_code, second.shares, second.price_per_share) == ("S", 532, 634.4608)
    assert second.footnote_ids == ("F1", "F2")
    assert rec.remarks.startswith("Form 4 Filing 1 of 2 (continuation report)")


def test_derivative_transaction_and_footnote_only_value(shared):
    parsed = _parse(shared, f"{EDGARTOOLS}/data/ownership/374WaterForm4.xml")
    (row,) = parsed.record.derivative_transactions
    assert row.security_title == "Stock options (right to buy)"
    assert row.conversion_or_exercise_price == 0.33
    assert row.transaction_date == dt.date(2025, 4, 30)
    assert (row.transaction_code, row.equity_swap_involved) == ("A", False)
    assert (row.shares, row.acquired_disposed, row.price_per_share) == (757576, "A", 0)
    assert row.exercise_date is None  # <exerciseDate><footnoteId id="F1"/></exerciseDate>
    assert row.expiration_date == dt.date(2035, 4, 29)
    assert (row.underlying_security_title, row.underlying_security_shares) == ("Common Stock", 757576)
    assert (row.shares_owned_following, row.direct_or_indirect) == (757756, "D")
    assert row.footnote_ids == ("F1",)
    cells = parsed.cell_footnotes
    assert cells[CellRef("derivative_transactions", 0, "exercise_date")] == ("F1",)
    assert cells[CellRef("derivative_transactions", 0, "shares")] == ("F1",)
    assert cells[CellRef("non_derivative_transactions", 0, "shares")] == ("F1",)
    assert parsed.record.footnotes[0].text.startswith("Vesting commencement date is March 31, 2025.")


def test_derivative_holdings_and_value_fallbacks(shared):
    """The spec sample: valueOwnedFollowing / underlyingSecurityValue, footnote ids in order."""
    parsed = _parse(shared, SPEC_SAMPLE)
    rec = parsed.record
    assert [h.security_title for h in rec.non_derivative_holdings] == [
        "Preferred Stock Options", "Common Stock Options"]
    assert rec.non_derivative_holdings[1].shares_owned_following == 2222.33
    assert rec.non_derivative_transactions[1].shares_owned_following == 2111111
    (holding,) = rec.derivative_holdings
    assert holding.underlying_security_shares == 100.12
    assert holding.exercise_date == dt.date(1980, 12, 25)
    assert holding.footnote_ids == ("F5", "F4")
    (tx,) = rec.derivative_transactions
    assert tx.footnote_ids == ("F1", "F3", "F5", "F2", "F4")
    assert tx.price_per_share == 1001.23
    first = rec.non_derivative_transactions[0]
    assert first.footnote_ids == ("F1", "F2", "F3")  # F3 twice (coding, timeliness): once
    assert first.equity_swap_involved is True
    assert first.deemed_execution_date == dt.date(2002, 11, 2)
    assert parsed.cell_footnotes[CellRef("non_derivative_transactions", 0, "transaction_code")] == (
        "F1", "F2", "F3")
    assert [s.name for s in rec.signatures] == ["Jane Doe", "John Q. Public", "Uncle Sam"]
    assert rec.not_subject_to_section16 is True
    assert rec.issuer.name is None
    assert [o.name for o in rec.reporting_owners] == [None, None]


# --------------------------------------------------------------------------- conventions on small inputs


@pytest.mark.parametrize(("raw_flag", "expected"), [
    ("1", True), ("true", True), (" TRUE ", True), ("True", True),
    ("0", False), ("false", False), ("FALSE", False), ("\n 0 \n", False),
], ids=["1", "true", "TRUE-padded", "True", "0", "false", "FALSE", "0-newlines"])
def test_flags(raw_flag, expected):
    owner = (f"<reportingOwner><reportingOwnerId><rptOwnerName>Doe Jane</rptOwnerName>"
             f"</reportingOwnerId><reportingOwnerRelationship><isDirector>{raw_flag}</isDirector>"
             f"</reportingOwnerRelationship></reportingOwner>")
    rec = read_ownership_xml(_doc(owner + f"<aff10b5One>{raw_flag}</aff10b5One>",
                                  f"<notSubjectToSection16>{raw_flag}</notSubjectToSection16>"))
    assert rec.reporting_owners[0].is_director is expected
    assert rec.not_subject_to_section16 is expected
    assert rec.aff10b5_one is expected
    # absent relationship flags and notSubjectToSection16 are False, absent aff10b5One None
    assert rec.reporting_owners[0].is_officer is False
    assert read_ownership_xml(_doc("")).not_subject_to_section16 is False
    assert read_ownership_xml(_doc("")).aff10b5_one is None


def test_flags_in_real_files_of_both_spellings(shared):
    nc = next(iter(iter_ownership_documents(
        shared / f"{EDGARTOOLS}/data/localstorage/filings/20250108/0001562180-25-000280.nc")))[1]
    assert nc.reporting_owners[0].is_officer is True  # <isOfficer>true</isOfficer>
    assert nc.reporting_owners[0].is_director is False  # <isDirector>false</isDirector>
    assert nc.aff10b5_one is False
    assert nc.derivative_transactions[0].equity_swap_involved is False
    assert _parse(shared, SPEC_SAMPLE).record.reporting_owners[0].is_other is True  # <isOther>1</isOther>


def test_bad_flag_is_a_format_error():
    with pytest.raises(XMLFormatError, match="expected 1, 0, true or false"):
        read_ownership_xml(_doc("", "<notSubjectToSection16>yes</notSubjectToSection16>"))


def test_missing_transaction_coding():
    row = ("<nonDerivativeTable><nonDerivativeTransaction>"
           "<securityTitle><value>Common Stock</value></securityTitle>"
           "<transactionDate><value>2024-02-29-05:00</value></transactionDate>"
           "<transactionAmounts><transactionShares><value>100</value></transactionShares>"
           "<transactionPricePerShare><value>12.5</value><footnoteId id='F1'/>"
           "</transactionPricePerShare>"
           "<transactionAcquiredDisposedCode><value>a</value></transactionAcquiredDisposedCode>"
           "</transactionAmounts></nonDerivativeTransaction></nonDerivativeTable>")
    (tx,) = read_ownership_xml(_doc(row)).non_derivative_transactions
    assert tx.transaction_code is None and tx.equity_swap_involved is None
    assert tx.transaction_date == dt.date(2024, 2, 29)  # timezone suffix dropped
    assert (tx.shares, tx.price_per_share, tx.acquired_disposed) == (100, 12.5, "A")
    assert tx.shares_owned_following is None and tx.direct_or_indirect is None
    assert tx.footnote_ids == ("F1",)


def test_empty_strings_are_none_and_text_is_folded():
    owner = ("<reportingOwner><reportingOwnerId><rptOwnerName>  Doe\n   Jane </rptOwnerName>"
             "</reportingOwnerId><reportingOwnerAddress><rptOwnerStreet1>1 Main St"
             "</rptOwnerStreet1><rptOwnerStreet2></rptOwnerStreet2><rptOwnerZipCode> "
             "</rptOwnerZipCode></reportingOwnerAddress><reportingOwnerRelationship>"
             "<isOfficer>1</isOfficer><officerTitle>CEO &amp;\n President</officerTitle>"
             "<otherText></otherText></reportingOwnerRelationship></reportingOwner>")
    tail = ("<footnotes><footnote id='F1'>  Two\n\n lines. </footnote></footnotes>"
            "<remarks></remarks><ownerSignature><signatureName>/s/ Jane Doe</signatureName>"
            "<signatureDate>2024-03-04Z</signatureDate></ownerSignature>")
    rec = read_ownership_xml(_doc(owner + tail))
    owner_rec = rec.reporting_owners[0]
    assert owner_rec.name == "Doe Jane"
    assert (owner_rec.street2, owner_rec.zip_code, owner_rec.other_text) == (None, None, None)
    assert owner_rec.officer_title == "CEO & President"
    assert rec.footnotes[0].text == "Two lines."
    assert rec.remarks is None
    assert rec.signatures[0].date == dt.date(2024, 3, 4)


def test_amendment_date():
    xml = _doc("", "<dateOfOriginalSubmission>2024-02-01-05:00</dateOfOriginalSubmission>")
    rec = read_ownership_xml(xml.replace("<documentType>4<", "<documentType>4/A<"))
    assert rec.document_type == "4/A"
    assert rec.date_of_original_submission == dt.date(2024, 2, 1)


@pytest.mark.parametrize("text", [
    "", "plain text, no XML", "<ownershipDocument><documentType>4</documentType>",
    "<ownershipDocument><documentType>4</documentType><x></ownershipDocument>",
    "<ownershipDocument><periodOfReport>2024-01-01</periodOfReport></ownershipDocument>",
], ids=["empty", "text", "unclosed", "malformed", "no-type"])
def test_unparseable_input_raises_a_one_line_format_error(text):
    with pytest.raises(XMLFormatError) as info:
        read_ownership_xml(text, source="bad.xml")
    assert "\n" not in info.value.one_line()
    assert info.value.one_line().startswith("bad.xml: error E007:")


def test_form_3_and_5_are_refused(shared):
    for rel in (f"{EDGARTOOLS}/data/ownership/form3.snow.xml",
                f"{EDGARTOOLS}/data/ownership/form5.snow.xml"):
        with pytest.raises(NotForm4DocumentError, match="only Form 4 and 4/A"):
            read_ownership_xml((shared / rel).read_text(encoding="utf-8"))


def test_bad_date_and_number_and_code():
    for bad in ("<periodOfReport>03/01/2024</periodOfReport>",):
        with pytest.raises(XMLFormatError, match="periodOfReport"):
            read_ownership_xml(_doc("").replace("<periodOfReport>2024-03-01</periodOfReport>", bad))
    row = ("<nonDerivativeTable><nonDerivativeTransaction><transactionAmounts>"
           "<transactionShares><value>{}</value></transactionShares>"
           "</transactionAmounts></nonDerivativeTransaction></nonDerivativeTable>")
    with pytest.raises(XMLFormatError, match="not a number"):
        read_ownership_xml(_doc(row.format("lots")))
    hold = ("<nonDerivativeTable><nonDerivativeHolding><ownershipNature><directOrIndirectOwnership>"
            "<value>X</value></directOrIndirectOwnership></ownershipNature>"
            "</nonDerivativeHolding></nonDerivativeTable>")
    with pytest.raises(XMLFormatError, match="expected one of D, I"):
        read_ownership_xml(_doc(hold))


# --------------------------------------------------------------------------- containers


@pytest.mark.parametrize(("rel", "ticker", "owner"), [
    (f"{EDGARTOOLS}/data/sgml/0001127602-25-001055.txt", None, None),
    (f"{EDGARTOOLS}/data/sgml/0001127602-25-004598.nc", "ARW", "Jean-Claude Carine Lamercie"),
    (f"{EDGARTOOLS}/data/localstorage/filings/20250108/0001562180-25-000280.nc", "TSVT",
     "Snow Jessica"),
    (CASSETTE, "AAPL", "Adams Katherine L."),
], ids=["txt", "nc-arrow", "nc-2seventy", "yaml-cassette"])
def test_submission_wrappers(shared, manifest, rel, ticker, owner):
    (only,) = list(iter_ownership_documents(shared / rel))
    source, rec = only
    assert source == f"{Path(rel).name}#0"
    row = manifest[rel]
    assert rec.issuer.trading_symbol == (ticker or row["ticker"])
    assert rec.reporting_owners[0].name == (owner or row["owner_names"].split("|")[0])
    assert len(rec.non_derivative_transactions) == int(row["n_nd_tx"])
    assert len(rec.footnotes) == int(row["n_footnotes"])


def test_cassette_xml_is_unescaped(shared):
    text = (shared / CASSETTE).read_text(encoding="utf-8")
    (xml,) = find_ownership_xml(text, yaml=True)
    assert '<?xml version="1.0"?>' in text.replace('\\"', '"')
    assert "\\n" not in xml and '\\"' not in xml
    assert "<schemaVersion>X0306</schemaVersion>" in xml


def test_yaml_double_quoted_folding():
    yaml = '"one\n  two\n\n  three\\n\\t\\"q\\" \\x41\\u00e9 end\\\n   joined"  tail'
    value, end = decode_yaml_double_quoted(yaml, 0)
    assert value == 'one two\nthree\n\t"q" Aé endjoined'
    assert yaml[end:] == "  tail"


def test_directory_ids_duplicates_and_broken_files(tmp_path, caplog):
    good = _doc("")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.xml").write_text(good, encoding="utf-8")
    (tmp_path / "copy.xml").write_text(good.replace("><", ">\n  <"), encoding="utf-8")
    (tmp_path / "broken.xml").write_text(good.replace("</issuer>", ""), encoding="utf-8")
    (tmp_path / "form3.xml").write_text(good.replace("<documentType>4<", "<documentType>3<"),
                                        encoding="utf-8")
    (tmp_path / "two.txt").write_text(
        "<SEC-DOCUMENT>\n<XML>\n" + good.replace("ACME", "ACMX") + "\n</XML>\n<XML>\n"
        + good.replace("ACME", "ACMY") + "\n</XML>\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text(good, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="form4.io.xml_reader"):
        found = list(iter_ownership_documents(tmp_path))
    assert [s for s, _ in found] == ["a/one.xml", "two.txt#0", "two.txt#1"]
    assert [r.issuer.trading_symbol for _, r in found] == ["ACME", "ACMX", "ACMY"]
    assert [r.source for _, r in found] == ["a/one.xml", "two.txt#0", "two.txt#1"]
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1 and "broken.xml" in warnings[0] and "E007" in warnings[0]


def test_missing_path_raises(tmp_path):
    with pytest.raises(XMLFormatError, match="does not exist"):
        list(iter_ownership_documents(tmp_path / "nope"))


# --------------------------------------------------------------------------- the whole folder


def test_whole_raw_folder_yields_every_distinct_form4(everything, manifest, caplog):
    """INVENTORY.md claims 342 distinct real Form 4s; the folder also holds the SEC's
    spec sample (cjavdev doc4.xml, no schemaVersion), a Form 4 in form but not a real
    filing, so the reader finds 343 (= the 343 Form 4 rows of the manifest)."""
    sources = [s for s, _ in everything]
    assert len(sources) == len(set(sources)) == len(manifest) == 343
    assert len([s for s in sources if s != SPEC_SAMPLE]) == 342
    assert {s.split("#")[0] for s in sources} == set(manifest)
    by_version = Counter(p.schema_version or "none" for _, p in everything)
    assert by_version == {"X0303": 1, "X0304": 7, "X0305": 5, "X0306": 242, "X0407": 18,
                          "X0508": 69, "none": 1}
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_whole_raw_folder_agrees_with_manifest(everything, manifest):
    mismatched = []
    for source, parsed in everything:
        rec, row = parsed.record, manifest[source.split("#")[0]]
        counts = (len(rec.reporting_owners), len(rec.non_derivative_transactions),
                  len(rec.non_derivative_holdings), len(rec.derivative_transactions),
                  len(rec.derivative_holdings), len(rec.footnotes))
        expected = tuple(int(row[k]) for k in ("n_owners", "n_nd_tx", "n_nd_hold", "n_d_tx",
                                               "n_d_hold", "n_footnotes"))
        codes = {r.transaction_code for r in rec.non_derivative_transactions
                 + rec.derivative_transactions if r.transaction_code}
        if counts != expected or codes != set(row["tx_codes"]) or \
                str(rec.period_of_report) != row["periodOfReport"]:
            mismatched.append(source)
    assert mismatched == []


def test_every_row_footnote_is_defined(everything):
    undefined = []
    for source, parsed in everything:
        defined = {f.id for f in parsed.record.footnotes}
        for table in ("non_derivative_transactions", "non_derivative_holdings",
                      "derivative_transactions", "derivative_holdings"):
            for row in getattr(parsed.record, table):
                undefined += [(source, ref) for ref in row.footnote_ids if ref not in defined]
    assert undefined == []
