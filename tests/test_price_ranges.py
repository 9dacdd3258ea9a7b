"""Price ranges read from weighted-average footnotes (form4.assemble.price_ranges)."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from conftest import SAMPLES
from form4.assemble.price_ranges import is_weighted_average, ranges_in, read_price_ranges
from form4.io.tabular import COLUMN_NAMES, table
from form4.run.pipeline import extract_text
from form4.schema import DerivativeTransaction, Footnote, NonDerivativeTransaction, Record

WEIGHTED = "The price reported in Column 4 is a weighted average price. These shares were sold in multiple transactions "


@pytest.mark.parametrize("text, expected", [
    (WEIGHTED + "at prices ranging from $45.10 to $45.92. The reporting person undertakes to provide ...", [(45.10, 45.92)]),
    (WEIGHTED + "from $9.99 to $10.05, inclusive.", [(9.99, 10.05)]),
    ("Weighted average price. The shares were sold at prices between $101.50 and $102.25.", [(101.50, 102.25)]),
    (WEIGHTED + "at prices ranging from $1,001.00 to $1,010.50, inclusive.", [(1001.0, 1010.5)]),
    (WEIGHTED + "at prices ranging from $10.00 to $10.99 (row 1), $11.00 to $11.99 (row 2) and $12.00 to $12.40 (row 3).",
     [(10.0, 10.99), (11.0, 11.99), (12.0, 12.4)]),
])
def test_each_phrasing_of_a_range_gives_its_low_and_high(text, expected):
    assert is_weighted_average(text)
    assert [pytest.approx(r) for r in ranges_in(text)] == expected


def test_a_volume_weighted_vesting_condition_is_not_a_weighted_average_price_footnote():
    text = "vests if the volume weighted average price equals or exceeds $12.00, $14.00 or $16.00"
    assert not is_weighted_average(text)


def test_amounts_of_shares_or_years_are_not_read_as_a_price_range():
    text = "Weighted average price. 2,000 to 3,000 shares were sold in 2020 to 2021 at prices from $5.00 to $5.50."
    assert ranges_in(text) == [(5.0, 5.5)]


@given(st.integers(1, 99_999), st.integers(0, 9_999), st.integers(0, 99))
def test_any_printed_range_reads_back_as_the_numbers_printed(low_cents, width_cents, decimals_seed):
    low, high = low_cents / 100, (low_cents + width_cents) / 100
    text = f"Weighted average price: sold at prices ranging from ${low:,.2f} to ${high:,.2f}, inclusive."
    assert [pytest.approx(r) for r in ranges_in(text)] == [(low, high)]


def _record(prices, notes, marks):
    rows = tuple(NonDerivativeTransaction(security_title="Common Stock", price_per_share=p, footnote_ids=m)
                 for p, m in zip(prices, marks))
    return Record(non_derivative_transactions=rows, footnotes=tuple(Footnote(id=i, text=t) for i, t in notes.items()))


def test_rows_marked_by_a_weighted_average_footnote_get_its_range_and_others_do_not():
    record = _record([45.5, 46.0, 20.0], {"F1": WEIGHTED + "at prices ranging from $45.10 to $46.20.", "F2": "A gift."},
                     [("F1",), ("F1",), ("F2",)])
    out, confidence, warnings = read_price_ranges(record)
    got = [(r.price_range_low, r.price_range_high) for r in out.non_derivative_transactions]
    assert got == [(45.10, 46.20), (45.10, 46.20), (None, None)]
    assert "/non_derivative_transactions/0/price_range_low" in confidence and not warnings


def test_one_footnote_listing_a_range_per_row_gives_each_row_the_range_its_price_falls_in():
    text = WEIGHTED + "at prices ranging from $10.00 to $10.99 and $11.00 to $11.80, respectively."
    out, _, warnings = read_price_ranges(_record([11.42, 10.31], {"F1": text}, [("F1",), ("F1",)]))
    assert [(r.price_range_low, r.price_range_high) for r in out.non_derivative_transactions] == [(11.0, 11.8), (10.0, 10.99)]
    assert not warnings


def test_a_weighted_price_outside_its_stated_range_is_a_warning_naming_the_row():
    out, _, warnings = read_price_ranges(_record([634.46], {"F2": WEIGHTED + "at prices ranging from $663.91 to $664.90."}, [("F2",)]))
    assert out.non_derivative_transactions[0].price_range_low == 663.91
    assert len(warnings) == 1 and warnings[0].startswith("non_derivative_transactions[0]:") and "outside" in warnings[0]


def test_derivative_rows_get_a_range_too():
    record = Record(derivative_transactions=(DerivativeTransaction(price_per_share=3.2, footnote_ids=("F1",)),),
                    footnotes=(Footnote(id="F1", text=WEIGHTED + "from $3.00 to $3.50, inclusive."),))
    out, _, _ = read_price_ranges(record)
    assert (out.derivative_transactions[0].price_range_low, out.derivative_transactions[0].price_range_high) == (3.0, 3.5)


def test_the_extractor_reads_seed_004s_two_ranges_and_the_table_has_their_columns():
    path = next(SAMPLES.glob("004_*.txt"))
    record = extract_text(path.read_text(encoding="utf-8"), str(path))
    rows = record.non_derivative_transactions
    assert [(r.price_range_low, r.price_range_high) for r in rows] == [(110.0, 110.82), (110.0, 110.07)]
    assert record.confidence["/non_derivative_transactions/1/price_range_high"] > 0
    frame = table([record])
    assert {"price_range_low", "price_range_high"} <= set(COLUMN_NAMES)
    assert frame["price_range_high"].tolist() == [110.82, 110.07]


def test_a_range_bound_no_record_could_hold_is_not_read_so_the_record_stays_json():
    assert ranges_in("prices ranging from $1.00 to $" + "9" * 400 + ", inclusive") == []
    assert ranges_in("prices ranging from $1.00 to $" + "9" * 14) == [(1.0, 99999999999999.0)]
