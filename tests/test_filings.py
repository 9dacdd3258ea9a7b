"""run.filings: several filings in one text, and one filing continued on further copies of the form."""

from __future__ import annotations

import datetime as dt

import pytest

from form4.run.batch import Decoded, extract_decoded
from form4.run.filings import continued, same_filing, split_filings
from form4.run.pipeline import RULES_ONLY, extract_text
from form4.schema import Footnote, Issuer, NonDerivativeTransaction

from conftest import PRINT_CONVERTERS, needs_print, printed, typed_filing

FIRST = typed_filing()
OWNER = FIRST.reporting_owners[0]


def _sale(day: str, shares: int, left: int, price: float, notes: tuple[str, ...] = ()) -> NonDerivativeTransaction:
    return FIRST.non_derivative_transactions[1].model_copy(update={
        "transaction_date": dt.date.fromisoformat(day), "shares": shares, "shares_owned_following": left, "price_per_share": price, "footnote_ids": notes})


#: the filing's third sale and its note, typed on another copy of the form (Instruction 6(b))
SECOND = typed_filing(non_derivative_transactions=(_sale("2024-03-04", 300, 400, 11.0, ("F2",)),),
                      footnotes=(Footnote(id="F2", text="Sold under a trading plan."),))


@needs_print
@pytest.mark.parametrize("converter", PRINT_CONVERTERS)
def test_a_filing_continued_on_another_copy_of_the_paper_form_is_read_as_one_record(converter):
    text = printed(FIRST, converter) + "\f" + printed(SECOND, converter)
    record = extract_text(text, "x", RULES_ONLY)
    assert [r.shares for r in record.non_derivative_transactions] == [100, 200, 300]
    assert [r.footnote_ids for r in record.non_derivative_transactions] == [("F1",), (), ("F2",)]
    assert [(f.id, f.text) for f in record.footnotes] == [("F1", "The price reported is a weighted average."), ("F2", "Sold under a trading plan.")]
    assert len(record.signatures) == 1
    [one] = extract_decoded(RULES_ONLY, Decoded(text), "x")
    assert one.source == "x" and [r.shares for r in one.non_derivative_transactions] == [100, 200, 300]
    assert "/non_derivative_transactions/2/shares" in one.confidence


@needs_print
def test_a_copy_of_the_form_for_another_owner_is_another_filing():
    other = typed_filing(reporting_owners=(OWNER.model_copy(update={"name": "Doe John"}),),
                         non_derivative_transactions=(_sale("2024-03-04", 300, 400, 11.0),), footnotes=())
    text = printed(FIRST) + "\f" + printed(other)
    records = extract_decoded(RULES_ONLY, Decoded(text), "x")
    assert [(r.source, r.reporting_owners[0].name) for r in records] == [("x", "Roe Jane"), ("x#2", "Doe John")]
    assert [len(r.non_derivative_transactions) for r in records] == [2, 1]
    assert [r.reporting_owners[0].name for r in [extract_text(text, "x", RULES_ONLY)]] == ["Roe Jane"]


PAGE_ONE = """FORM 4
1. Name and Address of Reporting Person*    2. Issuer Name and Ticker or Trading Symbol
Roe Jane                                     Example Holdings, Inc. [ EXMP ]
3. Date of Earliest Transaction (Month/Day/Year) 03/01/2024
Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned
"""


def test_a_copy_signed_only_at_its_end_is_cut_where_the_forms_first_page_starts_again():
    text = PAGE_ONE + "Common Stock 03/01/2024 S 100 D $10.50 900 D\n" + PAGE_ONE + "Common Stock 03/04/2024 S 300 D $11.00 400 D\n"
    parts = split_filings(text)
    assert len(parts) == 2 and parts[1].startswith("FORM 4") and "03/04/2024" in parts[1]


def test_the_blocks_of_a_joint_filings_further_owners_are_no_new_copy_of_the_form():
    more = "Table II - Derivative Securities\nFORM 4\n1. Name and Address of Reporting Person*\nDoe John\n5. Relationship of Reporting Person(s) to Issuer\n"
    assert split_filings(PAGE_ONE + more) == [PAGE_ONE + more]


def test_the_same_filing_needs_the_same_owner_issuer_and_date_of_earliest_transaction():
    assert same_filing(FIRST, SECOND)
    assert not same_filing(FIRST, SECOND.model_copy(update={"period_of_report": dt.date(2024, 3, 4)}))
    assert not same_filing(FIRST, SECOND.model_copy(update={"issuer": Issuer(name="Other Co", trading_symbol="OTHR")}))
    assert not same_filing(FIRST.model_copy(update={"period_of_report": None}), SECOND.model_copy(update={"period_of_report": None}))


def test_a_continued_copy_that_numbers_its_notes_from_1_again_gets_the_next_numbers():
    again = SECOND.model_copy(update={"footnotes": (Footnote(id="F1", text="Sold under a trading plan."),),
                                      "non_derivative_transactions": (_sale("2024-03-04", 300, 400, 11.0, ("F1",)),)})
    joined = continued(FIRST, again)
    assert [(f.id, f.text) for f in joined.footnotes][1] == ("F2", "Sold under a trading plan.")
    assert joined.non_derivative_transactions[2].footnote_ids == ("F2",)


def test_the_review_list_and_record_confidence_of_a_continued_record_cover_both_copies():
    a = FIRST.model_copy(update={"confidence": {"/non_derivative_transactions/0/shares": 0.99}, "record_confidence": 0.9})
    b = SECOND.model_copy(update={"confidence": {"/non_derivative_transactions/0/shares": 0.4},
                                  "review": ("/non_derivative_transactions/0/shares",), "record_confidence": 0.5})
    joined = continued(a, b)
    assert joined.review == ("/non_derivative_transactions/2/shares",)
    assert joined.confidence["/non_derivative_transactions/2/shares"] == 0.4
    assert joined.record_confidence == pytest.approx(0.45)
