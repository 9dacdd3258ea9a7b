"""Amendments (4/A) in a batch (form4.run.amendments, through form4.run.chains)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from test_chains import _set, series  # noqa: E402

from form4.run.amendments import match_amendments, row_changes  # noqa: E402
from form4.run.chains import check_chains  # noqa: E402
from form4.schema import NonDerivativeTransaction, Signature  # noqa: E402


def _amend(record, **row_changes_):
    amended = _set(record, "non_derivative_transactions", 0, **row_changes_) if row_changes_ else record
    return amended.model_copy(update={"source": "amendment.txt", "document_type": "4/A",
                                      "date_of_original_submission": dt.date(2019, 6, 1)})


def test_an_amendment_is_matched_to_its_original_and_says_which_rows_changed():
    records = series(6, 2, direct=1.0)
    first = records[3].non_derivative_transactions[0]
    amendment = _amend(records[3], shares=first.shares + 10)
    report = check_chains(records + [amendment])
    amended = report.records[-1]
    said = [w for w in amended.warnings if "amends" in w]
    assert len(said) == 1 and records[3].source in said[0]
    assert f"non_derivative_transactions[0] changed: shares {int(first.shares):,} -> {int(first.shares + 10):,}" in said[0]
    assert amended.non_derivative_transactions == amendment.non_derivative_transactions  # kept as the filer gives them
    assert any("amended by amendment.txt" in w for w in report.records[3].warnings)
    assert report.summary["amendments"] == 1
    assert {row["status"] for row in report.rows if row["source"] == records[3].source} == {"amended"}


def test_the_amendments_rows_stand_in_the_chain_for_the_originals():
    records = series(6, 2, direct=1.0)
    report = check_chains(records + [_amend(records[3])])  # restated unchanged: the chain still holds
    assert report.summary["breaks"] == 0 and report.summary["amendments"] == 1
    assert any("no row changed" in w for w in report.records[-1].warnings)


def test_the_original_signed_on_the_date_of_original_submission_is_chosen_among_several():
    records = series(2, 3, direct=1.0)
    twin = records[1].model_copy(update={"source": "twin.txt", "signatures": (Signature(date=dt.date(2019, 6, 1)),)})
    amendments = match_amendments([records[1], twin, _amend(records[1])])
    assert [(a.amendment, a.original) for a in amendments] == [(2, 1)]


def test_rows_added_and_dropped_are_named():
    records = series(1, 4, direct=1.0)
    extra = NonDerivativeTransaction(security_title="Common Stock", shares=5.0)
    more = records[0].model_copy(update={"non_derivative_transactions": records[0].non_derivative_transactions + (extra,)})
    n = len(records[0].non_derivative_transactions)
    assert row_changes(records[0], more) == [f"non_derivative_transactions[{n}] added"]
    assert row_changes(more, records[0]) == [f"the original's non_derivative_transactions[{n}] dropped"]
