"""run.filings: several filings in one text, and one filing continued on further copies of the form."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from form4.run.batch import Decoded, extract_decoded
from form4.entities import Entity, Footer, FootnoteText, RowEntities
from form4.run.filings import Items, join_copies, same_items, split_filings
from form4.run.pipeline import RULES_ONLY, extract_text
from form4.schema import Footnote, NonDerivativeTransaction

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
    items = Items("ROE JANE", "EXMP", "EXAMPLE HOLDINGS INC", dt.date(2024, 3, 1))
    assert same_items(items, replace(items, issuer="EXAMPLE HOLDINGS"))  # the ticker decides where both are read
    assert same_items(items, replace(items, ticker=""))
    assert not same_items(items, replace(items, period=dt.date(2024, 3, 4)))
    assert not same_items(items, replace(items, ticker="OTHR", issuer="OTHER CO"))
    assert not same_items(replace(items, period=None), replace(items, period=None))
    assert same_items(items, replace(items, ticker="", issuer=""))  # box 2 unread on one copy
    assert not same_items(items, replace(items, ticker="", issuer="OTHER CO"))


def _notes(*pairs: tuple[str, str]) -> Footer:
    return Footer(tuple(FootnoteText(i, 0, 1, t) for i, t in pairs), None, ())


def test_a_copy_that_numbers_its_notes_from_1_again_gets_the_numbers_after_the_filings():
    first = (None, [RowEntities("I", 0, 1, (), ("F1",))], _notes(("F1", "A weighted average."), ("F2", "By a trust.")))
    again = (None, [RowEntities("I", 0, 1, (), ("F1",)), RowEntities("I", 2, 3, (), ("F2",))],
             _notes(("F1", "Sold under a plan."), ("F2", "By a trust, again.")))
    _, rows, footer = join_copies([first, again])
    assert [r.footnote_ids for r in rows] == [("F1",), ("F3",), ("F4",)]
    assert [n.id for n in footer.footnotes] == ["F1", "F2", "F3", "F4"]


def test_notes_and_signatures_a_copy_repeats_are_listed_once():
    signed = ((Entity("SIGNER_NAME", 0, 5, "/s/ Jane Roe"),),)
    first = (None, [], Footer((FootnoteText("F1", 0, 1, "A note."),), None, signed))
    again = (None, [], Footer((FootnoteText("F1", 0, 1, "A note."), FootnoteText("F2", 0, 1, "Another.")), None, signed))
    _, _, footer = join_copies([first, again])
    assert [n.id for n in footer.footnotes] == ["F1", "F2"] and len(footer.signatures) == 1
