"""Holding chains across a batch (form4.run.chains): synthetic series of one owner's filings,
shuffled, with filings missing, misreads planted with and without a reading that closes them."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from form4.run.chains import WARNING_PREFIX, amount, check_chains
from form4.schema import DerivativeTransaction, Issuer, NonDerivativeHolding, NonDerivativeTransaction, Record, ReportingOwner

FOLLOWING = "shares_owned_following"


def series(n: int, seed: int, owner: str = "Roe Jane", direct: float = 0.7) -> list[Record]:
    """``n`` filings of one owner whose holdings add up: common stock held directly and by a
    trust, some filings with a holdings row, some with option grants and exercises."""
    rng = random.Random(seed)
    held = {"D": 20_000.0, "I": 5_000.0}
    options = 0.0
    day = dt.date(2019, 1, 2)
    records = []
    for k in range(n):
        rows, holdings, derivative = [], [], []
        for _ in range(rng.randint(1, 3)):
            day += dt.timedelta(days=rng.randint(1, 30))
            form = "D" if rng.random() < direct else "I"
            side = "D" if held[form] > 100 and rng.random() < 0.5 else "A"
            shares = float(rng.randint(1, int(held[form] // 2)) if side == "D" else rng.randint(1, 9_000))
            held[form] += shares if side == "A" else -shares
            rows.append(NonDerivativeTransaction(
                security_title="Common Stock", transaction_date=day, transaction_code="S" if side == "D" else "P", shares=shares,
                price_per_share=12.5, acquired_disposed=side, shares_owned_following=held[form], direct_or_indirect=form,
                nature_of_ownership="By Trust" if form == "I" else None))
        if rng.random() < 0.3 and direct < 1:
            other = "I" if rows[-1].direct_or_indirect == "D" else "D"
            holdings.append(NonDerivativeHolding(security_title="Common Stock", shares_owned_following=held[other], direct_or_indirect=other,
                                                 nature_of_ownership="By Trust" if other == "I" else None))
        if rng.random() < 0.4:
            side = "D" if options > 10 and rng.random() < 0.5 else "A"
            shares = float(rng.randint(1, int(options)) if side == "D" else rng.randint(100, 5_000))
            options += shares if side == "A" else -shares
            derivative.append(DerivativeTransaction(
                security_title="Stock Option (right to buy)", conversion_or_exercise_price=10.0, transaction_date=day,
                transaction_code="M" if side == "D" else "A", shares=shares, acquired_disposed=side,
                expiration_date=dt.date(2030, 1, 1), shares_owned_following=options, direct_or_indirect="D"))
        records.append(Record(
            source=f"filing-{k:02d}.txt", document_type="4", period_of_report=rows[0].transaction_date,
            issuer=Issuer(name="Acme Corp", trading_symbol="ACME"), reporting_owners=(ReportingOwner(name=owner),),
            non_derivative_transactions=tuple(rows), non_derivative_holdings=tuple(holdings), derivative_transactions=tuple(derivative)))
    return records


def _set(record: Record, table: str, row: int, **values) -> Record:
    rows = list(getattr(record, table))
    rows[row] = rows[row].model_copy(update=values)
    return record.model_copy(update={table: tuple(rows)})


def _misread(value: float) -> float:
    """A wrong digit where OCR or a converter might give one (never the same number)."""
    text = f"{int(value):d}"
    at = len(text) // 2
    digit = "8" if text[at] != "8" else "3"
    return float(text[:at] + digit + text[at + 1:])


def _chain_warnings(record: Record) -> list[str]:
    return [w for w in record.warnings if w.startswith(WARNING_PREFIX)]


@pytest.mark.parametrize("seed", range(8))
def test_a_clean_series_in_any_order_has_no_break(seed):
    records = series(random.Random(seed).randint(10, 50), seed)
    random.Random(seed).shuffle(records)
    report = check_chains(records)
    assert report.summary["breaks"] == 0 and report.summary["repaired"] == 0
    assert report.summary["links"] >= len(records) - 1
    assert not report.changed and all(not _chain_warnings(r) for r in report.records)
    assert {row["status"] for row in report.rows} <= {"start", "ok"}


@pytest.mark.parametrize("seed", range(8))
def test_filings_missing_from_the_batch_give_breaks_only_where_the_holding_jumps(seed):
    rng = random.Random(100 + seed)
    full = series(rng.randint(15, 50), seed)
    missing = set(rng.sample(range(1, len(full) - 1), 3))
    kept = [r for k, r in enumerate(full) if k not in missing]
    rng.shuffle(kept)
    report = check_chains(kept)
    for found in report.summary["breaks_found"]:
        number = int(found["source"][7:9])
        previous = int(found["after"][7:9])
        assert any(previous < m < number for m in missing), found  # a break spans a missing filing
    assert report.summary["ok"] > 0 and report.summary["repaired"] == 0


@pytest.mark.parametrize("seed", range(10))
def test_a_planted_break_is_reported_on_both_records_naming_the_other_and_the_expected_holding(seed):
    rng = random.Random(200 + seed)
    records = series(rng.randint(10, 50), seed, direct=1.0)
    k = rng.randrange(1, len(records))
    truth = records[k].non_derivative_transactions[0]
    records[k] = _set(records[k], "non_derivative_transactions", 0, shares_owned_following=_misread(truth.shares_owned_following))
    shuffled = records[:]
    rng.shuffle(shuffled)
    report = check_chains(shuffled)
    out = {r.source: r for r in report.records}
    mine = _chain_warnings(out[records[k].source])
    assert any("does not follow" in w and f"expected {amount(truth.shares_owned_following)}" in w for w in mine), mine
    named = [w for w in mine if "does not follow" in w][0]
    before = records[k - 1].source
    assert before in named
    assert any(records[k].source in w for w in _chain_warnings(out[before]))
    assert f"/non_derivative_transactions/0/{FOLLOWING}" in out[records[k].source].review


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("field", [FOLLOWING, "shares"])
def test_a_planted_misread_whose_other_reading_closes_the_chain_is_re_read_with_a_warning(seed, field):
    rng = random.Random(300 + seed)
    records = series(rng.randint(10, 50), seed)
    k = rng.randrange(1, len(records))
    truth = getattr(records[k].non_derivative_transactions[0], field)
    wrong = _misread(truth)
    pointer = f"/non_derivative_transactions/0/{field}"
    records[k] = _set(records[k], "non_derivative_transactions", 0, **{field: wrong}).model_copy(
        update={"alternatives": {pointer: (truth,)}, "confidence": {pointer: 0.9}})
    rng.shuffle(records)
    report = check_chains(records)
    fixed = next(r for r in report.records if r.source == f"filing-{k:02d}.txt")
    assert getattr(fixed.non_derivative_transactions[0], field) == truth
    assert fixed.confidence[pointer] < 0.9
    assert any("re-read as" in w and amount(truth) in w for w in _chain_warnings(fixed))
    assert report.summary["repaired"] == 1 and report.summary["breaks"] == 0


@pytest.mark.parametrize("seed", range(6))
def test_a_misread_last_holding_is_re_read_when_its_other_reading_closes_the_link_to_the_next_filing(seed):
    records = series(20, seed, direct=1.0)
    k = next(k for k in range(1, 19) if len(records[k].non_derivative_transactions) > 1)
    last = len(records[k].non_derivative_transactions) - 1
    truth = records[k].non_derivative_transactions[last].shares_owned_following
    pointer = f"/non_derivative_transactions/{last}/{FOLLOWING}"
    records[k] = _set(records[k], "non_derivative_transactions", last, shares_owned_following=_misread(truth)).model_copy(
        update={"alternatives": {pointer: (truth,)}})
    report = check_chains(records[::-1])
    fixed = next(r for r in report.records if r.source == records[k].source)
    assert fixed.non_derivative_transactions[last].shares_owned_following == truth
    assert report.summary["repaired"] == 1 and report.summary["breaks"] == 0


def test_a_reading_that_would_break_a_link_that_held_is_not_taken():
    records = series(20, 3, direct=1.0)
    k = next(k for k in range(1, 19) if len(records[k].non_derivative_transactions) > 1)
    before = records[k - 1]
    last = len(before.non_derivative_transactions) - 1
    truth = before.non_derivative_transactions[last].shares_owned_following
    records[k - 1] = _set(before, "non_derivative_transactions", last, shares_owned_following=_misread(truth))
    first = records[k].non_derivative_transactions[0]
    # the only reading offered closes the broken link but breaks filing k's own first-to-second link, which held
    closing = _misread(truth) + (first.shares if first.acquired_disposed == "A" else -first.shares)
    records[k] = records[k].model_copy(update={"alternatives": {f"/non_derivative_transactions/0/{FOLLOWING}": (closing,)}})
    report = check_chains(records)
    assert report.records[k].non_derivative_transactions[0].shares_owned_following == first.shares_owned_following
    assert report.summary["repaired"] == 0 and report.summary["breaks"] == 1


def test_when_two_readings_would_each_close_a_break_neither_is_taken():
    records = series(3, 1, direct=1.0)
    one = records[1].non_derivative_transactions[0]
    truth, wrong = one.shares_owned_following, _misread(one.shares_owned_following)
    other_shares = one.shares + (wrong - truth) * (1 if one.acquired_disposed == "A" else -1)
    records[1] = _set(records[1], "non_derivative_transactions", 0, shares_owned_following=wrong).model_copy(
        update={"alternatives": {f"/non_derivative_transactions/0/{FOLLOWING}": (truth,),
                                 "/non_derivative_transactions/0/shares": (other_shares,)}})
    report = check_chains(records)
    assert report.records[1].non_derivative_transactions[0].shares_owned_following == wrong
    assert report.summary["repaired"] == 0 and report.summary["breaks"] >= 1


def test_two_owners_in_one_batch_make_separate_chains():
    records = series(12, 5, "Roe Jane") + series(12, 6, "Doe John")
    random.Random(1).shuffle(records)
    report = check_chains(records)
    assert report.summary["breaks"] == 0
    assert {row["owner"] for row in report.rows} == {"roe jane", "doe john"}


def test_the_chains_table_lists_every_holding_with_its_status():
    records = series(10, 2)
    report = check_chains(records)
    rows = sum(len(r.non_derivative_transactions) + len(r.non_derivative_holdings) + len(r.derivative_transactions) for r in records)
    assert len(report.rows) == rows
    assert set(report.rows[0]) == {"owner", "issuer", "security", "form", "date", "holding", "source", "row", "status", "expected"}
    assert {row["form"] for row in report.rows} >= {"D", "I: by trust"}


def test_a_filing_whose_rows_a_misread_nature_put_in_another_chain_is_set_aside_with_one_warning():
    records = series(12, 7, direct=1.0)
    trust = series(12, 8, direct=1.0)
    k = 5
    stray = trust[k].model_copy(update={"source": "stray.txt"})  # another chain's filing, read as this one's
    report = check_chains(records + [stray])
    assert report.summary["breaks"] == 0 and report.summary["outliers"] == 1
    warned = [r.source for r in report.records if _chain_warnings(r)]
    assert warned == ["stray.txt"] and "does not fit between" in _chain_warnings(report.records[-1])[0]


def test_a_holding_that_follows_from_the_same_filings_holding_under_a_mis_cut_nature_is_no_break():
    records = series(12, 11, direct=0.0)  # every row held by the trust
    k = next(k for k in range(1, 11) if len(records[k].non_derivative_transactions) > 1)
    last = len(records[k].non_derivative_transactions) - 1
    # a reader cut the wrapped nature at the wrong line: the filing's last row reads "By Trust By"
    records[k] = _set(records[k], "non_derivative_transactions", last, nature_of_ownership="By Trust By")
    report = check_chains(records)
    assert report.summary["breaks"] == 0 and not any(_chain_warnings(r) for r in report.records)
