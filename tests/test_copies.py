"""Every copy of a value (form4.assemble.copies) and the ZIP-code gazetteer (form4.assemble.gazetteer)."""

from __future__ import annotations

import datetime as dt

from conftest import SAMPLES
from form4.assemble.copies import FROM_COPY, recover_copies
from form4.assemble.gazetteer import corrected_city, places, zip_in_state
from form4.run.pipeline import extract_text
from form4.schema import NonDerivativeTransaction, Record, ReportingOwner, Signature


def test_seed_004_reads_foster_city_its_zip_and_the_second_rows_date_each_with_a_warning():
    path = next(SAMPLES.glob("004_*.txt"))
    record = extract_text(path.read_text(encoding="utf-8"), str(path))
    owner = record.reporting_owners[0]
    assert (owner.city, owner.zip_code) == ("FOSTER CITY", "94404")
    assert record.non_derivative_transactions[1].transaction_date == dt.date(2021, 8, 23)
    warned = " ".join(record.warnings)
    assert "FOSIERCITY" in warned and "took 94404" in warned and "took 2021-08-23" in warned
    assert record.confidence["/non_derivative_transactions/1/transaction_date"] < record.confidence["/non_derivative_transactions/1/shares"]


def _record(**owner) -> Record:
    return Record(reporting_owners=(ReportingOwner(name="Roe Jane", **owner),), period_of_report=dt.date(2021, 8, 20),
                  non_derivative_transactions=(NonDerivativeTransaction(transaction_code="S", shares=994.0),),
                  signatures=(Signature(name="/s/ Jane Roe", date=dt.date(2021, 8, 24)),))


def test_a_row_date_is_taken_only_from_a_copy_printed_before_the_rows_code_and_amount():
    got = recover_copies(_record(), "garbage Stock 08/23/2021 S 994 D $110.03 more garbage")
    assert got.non_derivative_transactions[0].transaction_date == dt.date(2021, 8, 23)
    assert got.confidence["/non_derivative_transactions/0/transaction_date"] == FROM_COPY
    assert recover_copies(_record(), "08/23/2021 P 994 and 08/23/2021 S 9940").non_derivative_transactions[0].transaction_date is None


def test_two_different_copies_or_a_date_outside_the_filings_dates_give_nothing():
    assert recover_copies(_record(), "08/22/2021 S 994 ... 08/23/2021 S 994").non_derivative_transactions[0].transaction_date is None
    assert recover_copies(_record(), "07/01/2021 S 994").non_derivative_transactions[0].transaction_date is None


def test_a_lost_zip_is_taken_from_its_copy_after_the_state_when_the_gazetteer_places_it_there():
    got = recover_copies(_record(state="CA", city="FOSTER CITY"), "R CITY CA 94404 (State) (Zip)")
    assert got.reporting_owners[0].zip_code == "94404" and any("took 94404" in w for w in got.warnings)
    assert recover_copies(_record(state="NY"), "NY 94404").reporting_owners[0].zip_code is None  # a California code


def test_a_garbled_city_is_corrected_from_its_zip_and_a_real_one_is_left_alone():
    assert corrected_city("FOSIERCITY", "94404", "CA") == "FOSTER CITY"
    assert corrected_city("MOUNTAIN VIEW X", "94043") == "MOUNTAIN VIEW"
    assert corrected_city("San Mateo", "94404") is None
    assert corrected_city("Menlo Park", "94404") is None  # far from every city the code serves: kept as printed
    assert corrected_city("FOSIERCITY", "94404", "NY") is None  # the state disagrees with the code


def test_the_gazetteer_ships_its_table_offline():
    assert places("10001")[0] == "NY" and zip_in_state("94404", "CA") and places("00000") is None


def test_every_value_taken_from_another_copy_is_a_recovered_repair_no_reader_saw_in_its_cell():
    from form4.run.pipeline import read_filing

    path = next(SAMPLES.glob("004_*.txt"))
    prov = read_filing(path.read_text(encoding="utf-8"), str(path)).provenance
    recovered = {p for r in prov.repairs if r.kind == "recovered" for p in r.pointers}
    assert recovered == {"/reporting_owners/0/city", "/reporting_owners/0/zip_code", "/non_derivative_transactions/1/transaction_date"}
    assert all(prov.fields[p].source == "derived" and not prov.fields[p].spans for p in recovered)
    assert prov.repaired()["/reporting_owners/0/zip_code"] == "recovered"
