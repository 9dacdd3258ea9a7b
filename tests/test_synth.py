"""training.synth: seeded, schema-valid synthetic filings that cover the form's shapes."""

from __future__ import annotations

import os
import re
from collections import Counter
from itertools import product
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from form4.io.xml_reader import CellRef
from form4.schema import Record
from form4.training.synth import TRANSACTION_CODES, Stats, measure, synthesise

from conftest import ROOT  # noqa: E402  (the repository, defined once)
_RAW_CANDIDATES = [Path(os.environ["FORM4_RAW"])] if os.environ.get("FORM4_RAW") else []
_RAW_CANDIDATES += [ROOT.parent / "shared/data/form4-raw", ROOT.parents[1] / "shared/data/form4-raw"]
RAW = next((p for p in _RAW_CANDIDATES if p.is_dir()), None)
needs_raw = pytest.mark.skipif(RAW is None, reason="the real filings (shared/data/form4-raw, or $FORM4_RAW) are not here")


@pytest.fixture(scope="module")
def many():
    return synthesise(400, seed=11)


def _rows(record: Record):
    for table in ("non_derivative_transactions", "non_derivative_holdings", "derivative_transactions", "derivative_holdings"):
        for i, row in enumerate(getattr(record, table)):
            yield table, i, row


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_every_synthetic_record_validates_and_its_marks_name_its_footnotes(seed):
    for filing in synthesise(3, seed):
        record = filing.record
        assert Record.model_validate(record.to_json_dict()) == record
        ids = {f.id for f in record.footnotes}
        for table, i, row in _rows(record):
            assert set(row.footnote_ids) <= ids
        for cell, refs in filing.cell_footnotes.items():
            row = getattr(record, cell.table)[cell.row]
            assert cell.field in type(row).model_fields
            assert set(refs) <= set(row.footnote_ids)
        assert 1 <= len(record.reporting_owners) <= 10
        assert len(record.footnotes) <= 40
        assert len(record.non_derivative_transactions) + len(record.non_derivative_holdings) <= 60
        assert len(record.derivative_transactions) + len(record.derivative_holdings) <= 60
        assert all(len(f.text or "") <= 1500 for f in record.footnotes)


def test_the_same_seed_gives_the_same_filings_and_another_seed_others():
    assert synthesise(5, seed=3) == synthesise(5, seed=3)
    assert synthesise(5, seed=3)[:2] == synthesise(2, seed=3)
    assert synthesise(5, seed=3) != synthesise(5, seed=4)


def test_every_transaction_code_occurs_in_both_tables_over_a_few_hundred_filings(many):
    non_derivative = Counter(r.transaction_code for f in many for r in f.record.non_derivative_transactions)
    derivative = Counter(r.transaction_code for f in many for r in f.record.derivative_transactions)
    assert set(TRANSACTION_CODES) <= set(non_derivative)
    assert set(TRANSACTION_CODES) <= set(derivative)


def test_owners_range_from_one_to_ten_and_every_relationship_combination_occurs(many):
    counts = Counter(len(f.record.reporting_owners) for f in many)
    assert counts[1] > counts[2] > 0 and max(counts) >= 8
    combos = {(o.is_director, o.is_officer, o.is_ten_percent_owner, o.is_other)
              for f in many for o in f.record.reporting_owners}
    assert combos == set(product((False, True), repeat=4)) - {(False, False, False, False)}
    names = [o.name for f in many for o in f.record.reporting_owners]
    assert any("Trust" in n for n in names) and any(n.endswith(("L.P.", "LP", "LLC", "Ltd.")) for n in names)
    assert any(o.street1.startswith("C/O") for f in many for o in f.record.reporting_owners)
    assert max(map(len, names)) > 60


def test_officer_titles_and_natures_come_in_every_shape(many):
    titles = [o.officer_title for f in many for o in f.record.reporting_owners if o.officer_title]
    assert any(t == t.lower() for t in titles) and any("&" in t for t in titles) and any("," in t for t in titles)
    assert max(map(len, titles)) > 50
    natures = [r.nature_of_ownership for f in many for _, _, r in _rows(f.record) if r.nature_of_ownership]
    assert "by Trust" in natures and "By Spouse" in natures and any(n.lower().startswith("see footnote") for n in natures)
    assert max(map(len, natures)) > 70  # fund names that wrap over two lines


def test_the_forms_rarer_shapes_all_occur(many):
    records = [f.record for f in many]
    rows = [(t, r) for rec in records for t, _, r in _rows(rec)]
    assert any(rec.non_derivative_holdings for rec in records) and any(rec.derivative_holdings for rec in records)
    assert any(rec.document_type == "4/A" and rec.date_of_original_submission for rec in records)
    assert {rec.aff10b5_one for rec in records} == {None, False, True}
    assert any(rec.remarks for rec in records)
    assert any(getattr(r, "deemed_execution_date", None) for _, r in rows)
    assert any(t == "derivative_transactions" and r.exercise_date is None for t, r in rows)
    assert max(len(rec.footnotes) for rec in records) >= 25
    assert max(len(f.text or "") for rec in records for f in rec.footnotes) >= 1000
    assert max(len(rec.non_derivative_transactions) + len(rec.non_derivative_holdings) for rec in records) >= 40
    prices = [r.price_per_share for _, r in rows if getattr(r, "price_per_share", None) is not None]
    decimals = {len(repr(p).split(".")[1].rstrip("0")) for p in prices}
    assert set(range(7)) <= decimals and 0 in prices
    shares = [r.shares_owned_following for _, r in rows if r.shares_owned_following is not None]
    assert any(not s.is_integer() for s in shares) and max(shares) >= 1e8


def test_a_value_given_only_as_a_footnote_has_its_mark_on_its_cell(many):
    found = 0
    for f in many:
        for cell, refs in f.cell_footnotes.items():
            row = getattr(f.record, cell.table)[cell.row]
            if cell.field == "price_per_share" and row.price_per_share is None:
                found += 1
    assert found > 20


def test_holdings_add_up_per_security_and_form_in_most_records(many):
    def consistent(record: Record) -> bool:
        last: dict = {}
        for r in record.non_derivative_transactions:
            key = (r.security_title, r.direct_or_indirect, r.nature_of_ownership)
            sign = 1 if r.acquired_disposed == "A" else -1
            if key in last and abs(last[key] + sign * r.shares - r.shares_owned_following) > 1e-6:
                return False
            last[key] = r.shares_owned_following
        return True

    share = sum(consistent(f.record) for f in many) / len(many)
    assert 0.8 <= share < 1.0  # most add up; a few do not, as in real filings


def test_footnotes_are_numbered_by_their_first_mark():
    for f in synthesise(60, seed=2):
        seen = []
        for _, _, row in _rows(f.record):
            seen += [ref for ref in row.footnote_ids if ref not in seen]
        assert seen == [f"F{k}" for k in range(1, len(seen) + 1)]


@needs_raw
def test_no_synthetic_owner_carries_a_real_filers_name(many):
    from form4.io.xml_reader import iter_parsed_documents

    real = {o.name.upper() for _, p in iter_parsed_documents(RAW) for o in p.record.reporting_owners if o.name}
    synthetic = {o.name.upper() for f in many for o in f.record.reporting_owners}
    assert not real & synthetic


@needs_raw
def test_measured_distributions_match_the_committed_stats():
    measured = measure(RAW)
    committed = Stats.load()
    assert measured["filings"] == committed.filings > 300
    assert measured["codes"] == committed.codes and measured["rows"] == committed.rows


def test_measured_vocabularies_hold_no_fund_or_person_names():
    stats = Stats.load()
    allowed = set("by see footnote footnotes trust living spouse estate planning vehicle vehicles".split())
    for nature in stats.natures:
        assert {w.lower() for w in nature.split()} <= allowed, nature
    assert stats.officer_titles and all(len(title) < 80 for title in stats.officer_titles)


def test_codes_whose_wording_names_no_side_take_either_side(many):
    """General Instruction 8: "I" is a discretionary transaction resulting in acquisition or disposition;
    G, J, K, V, W and Z name no side either."""
    sides = Counter((table, r.acquired_disposed) for f in many for table, _, r in _rows(f.record)
                    if getattr(r, "transaction_code", None) in set("IGJKVWZ"))
    for table in ("non_derivative_transactions", "derivative_transactions"):
        acquired, disposed = sides[(table, "A")], sides[(table, "D")]
        assert 0.25 <= acquired / (acquired + disposed) <= 0.75, sides  # not a disposition with a little noise


def test_security_titles_carry_par_values_as_filers_write_them(many):
    titles = {r.security_title for f in many for _, _, r in _rows(f.record)}
    titles |= {getattr(r, "underlying_security_title", None) for f in many for _, _, r in _rows(f.record)}
    par = [t for t in titles if t and "$" in t]
    assert any(re.search(r", \$[\d.]+ par value$", t) for t in par), par
    assert any(re.search(r"par value \$[\d.]+ per share", t) for t in par) and any(t.startswith("Class A") for t in par)


def test_some_owners_live_abroad_with_a_district_a_letter_digit_state_code_and_a_letter_postcode(many):
    owners = [o for f in many for o in f.record.reporting_owners]
    abroad = [o for o in owners if o.state and re.fullmatch(r"[A-Z0-9][0-9]|[0-9][A-Z]", o.state)]
    assert 0.03 < len(abroad) / len(owners) < 0.3
    assert any("," in (o.city or "") for o in abroad)  # "CENTRAL, HONG KONG"
    assert any(re.search(r"[A-Z]", o.zip_code or "") for o in abroad) and any(o.zip_code is None for o in abroad)


def test_entities_sign_with_their_name_and_a_by_line_and_joint_filers_sign_several_times(many):
    names = [s.name for f in many for s in f.record.signatures]
    blocks = [n for n in names if re.search(r"^.+(L\.P\.|LP|LLC|Ltd\.|Trust.*), By: /s/ .+, .+$", n)]
    assert len(blocks) >= 10, blocks[:3]
    several = [f for f in many if len(f.record.signatures) > 1]
    assert len(several) >= 0.5 * sum(len(f.record.reporting_owners) > 1 for f in many)


def test_table_ii_has_deemed_execution_dates_and_rows_whose_exercise_date_is_only_a_footnote(many):
    rows = [(f, i, r) for f in many for i, r in enumerate(f.record.derivative_transactions)]
    assert sum(r.deemed_execution_date is not None for _, _, r in rows) >= 20
    mark_only = [r for f, i, r in rows
                 if r.exercise_date is None and f.cell_footnotes.get(CellRef("derivative_transactions", i, "exercise_date"))]
    assert len(mark_only) >= 20


def test_holdings_rows_come_in_both_tables_of_one_filing_now_and_then(many):
    both = [f for f in many if f.record.non_derivative_holdings and f.record.derivative_holdings]
    assert len(both) >= 5
