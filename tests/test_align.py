"""The aligner: gold values -> labelled character spans on flattened text (training/align/)."""

from __future__ import annotations

import datetime as dt

import pytest
import spacy

from conftest import GOLD, SAMPLES
from form4.schema import (
    DerivativeTransaction,
    Issuer,
    NonDerivativeHolding,
    NonDerivativeTransaction,
    Record,
    ReportingOwner,
    Signature,
)
from form4.score.metrics import load_gold
from form4.model.tokenizer import FilingTokenizer
from form4.training.align import Alignment, align_record, coverage, expected_values

SEED = "000_46eb1dd4f8015172"

TABLE1 = "Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned"
TABLE2 = "Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned"


def page(table1: str, table2: str = "", header: str = "", footer: str = "") -> str:
    """A minimal flattened Form 4: the headings the aligner finds its regions by."""
    return (
        f"FORM 4\n1. Name and Address of Reporting Person*\n{header}\n"
        f"{TABLE1}\n1. Title of Security (Instr. 3)\n{table1}\n"
        f"{TABLE2}\n1. Title of Derivative Security (Instr. 3)\n{table2}\n"
        f"Explanation of Responses:\n{footer}\n** Signature of Reporting Person Date\n"
    )


def fragments(alignment: Alignment) -> dict[str, list[str]]:
    """pointer -> the text of each fragment of a placed value."""
    text = alignment.text
    return {p.pointer: [text[s:e] for s, e in p.fragments] for p in alignment.placements if p.status == "placed"}


def status(alignment: Alignment) -> dict[str, str]:
    return {p.pointer: p.status for p in alignment.placements}


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.tokenizer = FilingTokenizer(nlp.vocab)
    return nlp


def assert_clean(alignment: Alignment, nlp) -> None:
    """Spans sit on token boundaries and never overlap."""
    doc = nlp.make_doc(alignment.text)
    spans = alignment.spans
    for span in spans:
        assert doc.char_span(span["start"], span["end"], alignment_mode="strict") is not None, span
    for a, b in zip(spans, spans[1:]):
        assert a["end"] <= b["start"], (a, b)


def sale(title: str = "Common Stock", **fields) -> NonDerivativeTransaction:
    values = dict(security_title=title, transaction_date=dt.date(2023, 10, 26), transaction_code="S",
                  shares=45551, price_per_share=0.0, acquired_disposed="D", shares_owned_following=195467,
                  direct_or_indirect="D")
    values.update(fields)
    return NonDerivativeTransaction(**values)


# ---------------------------------------------------------------- what is expected
def test_expected_values_are_what_the_page_prints():
    record = Record(
        issuer=Issuer(name="QUALYS, INC.", trading_symbol="QLYS", cik="0001107843"),
        reporting_owners=(ReportingOwner(name="Thakar Sumedh S", is_director=True, is_officer=False),),
        derivative_transactions=(DerivativeTransaction(security_title="Stock Option", shares=10, acquired_disposed="A"),),
    )
    printed = {e.pointer: e.printed for e in expected_values(record)}
    assert printed == {
        "/issuer/name": "QUALYS, INC.",
        "/issuer/trading_symbol": "QLYS",
        "/reporting_owners/0/name": "Thakar Sumedh S",
        "/derivative_transactions/0/security_title": "Stock Option",
        "/derivative_transactions/0/shares": "10",
    }  # no CIK, no false flag, no derivative (A)/(D) code: only the column shows those


# ---------------------------------------------------------------- footnote marks
@pytest.mark.parametrize(
    "line",
    [
        "Common Stock(1)   10/26/2023   S(2)   45,551(3)   D   $0.00(4)   195,467   D",
        "Common Stock⁽¹⁾   10/26/2023   S⁽²⁾   45,551⁽³⁾   D   $0.00⁽⁴⁾   195,467   D",
        "Common Stock<sup>(1)</sup> | 10/26/2023 | S | 45,551<sup>(3)</sup> | D | \\$0.00 | 195,467 | D",
    ],
)
def test_footnote_marks_glued_to_values(line, nlp):
    record = Record(non_derivative_transactions=(sale(),))
    alignment = align_record(record, page(line))
    got = fragments(alignment)
    p = "/non_derivative_transactions/0"
    assert got[f"{p}/security_title"] == ["Common Stock"]
    assert got[f"{p}/shares"] == ["45,551"]
    assert got[f"{p}/price_per_share"] == ["0.00"]
    assert got[f"{p}/transaction_code"] == ["S"]
    assert all(s == "placed" for s in status(alignment).values())
    assert_clean(alignment, nlp)


# ---------------------------------------------------------------- repeated numbers
def test_number_printed_twice_in_a_row_gets_its_role_from_the_column(nlp):
    record = Record(non_derivative_transactions=(sale(shares=46780, shares_owned_following=46780, acquired_disposed="A"),))
    text = page("Class A Common Stock   10/26/2023   S   46,780   A   $0.00   46,780   D")
    alignment = align_record(record, text)
    p = {x.pointer: x for x in alignment.placements}
    shares, owned = p["/non_derivative_transactions/0/shares"], p["/non_derivative_transactions/0/shares_owned_following"]
    assert text[shares.start : shares.end] == text[owned.start : owned.end] == "46,780"
    assert shares.start < owned.start  # column 4 before column 5
    assert_clean(alignment, nlp)


def test_repeated_numbers_across_rows_follow_row_order(nlp):
    # row 0 ends owning 500; row 1 sells those 500: "500" belongs to two rows and two columns
    record = Record(non_derivative_transactions=(
        sale(shares=100, shares_owned_following=500, acquired_disposed="A", transaction_code="P"),
        sale(shares=500, shares_owned_following=0, price_per_share=12.5),
    ))
    text = page(
        "Common Stock   10/26/2023   P   100   A   $0.00    500   D\n"
        "Common Stock   10/26/2023   S   500   D   $12.50   0     D"
    )
    alignment = align_record(record, text)
    lines = {x.pointer: text.count("\n", 0, x.start) for x in alignment.placements if x.status == "placed"}
    first = lines["/non_derivative_transactions/0/shares"]
    assert lines["/non_derivative_transactions/0/shares_owned_following"] == first
    assert lines["/non_derivative_transactions/1/shares"] == first + 1
    assert lines["/non_derivative_transactions/1/shares_owned_following"] == first + 1
    assert_clean(alignment, nlp)


def test_identical_rows_are_placed_in_order():
    record = Record(non_derivative_holdings=tuple(
        NonDerivativeHolding(security_title="Common Stock", shares_owned_following=n, direct_or_indirect="I",
                             nature_of_ownership="By Trust") for n in (77, 77, 77)
    ))
    text = page("\n".join("Common Stock   77   I   By Trust" for _ in range(3)))
    alignment = align_record(record, text)
    lines = [text.count("\n", 0, x.start) for x in alignment.placements if x.pointer.endswith("nature_of_ownership")]
    assert lines == sorted(set(lines)) and len(lines) == 3


# ---------------------------------------------------------------- OCR slips
def test_ocr_confusions_and_split_words(nlp):
    record = Record(non_derivative_transactions=(
        sale(title="Series A Conversion Preferred", shares=45551, shares_owned_following=150000),
    ))
    text = page("Series A Conversio n Preferred 1O/26/2O23 S 4S,551 D $O.OO 15O,OOO D")
    alignment = align_record(record, text)
    got = fragments(alignment)
    p = "/non_derivative_transactions/0"
    assert got[f"{p}/security_title"] == ["Series A Conversio n Preferred"]
    assert got[f"{p}/transaction_date"] == ["1O/26/2O23"]
    assert got[f"{p}/shares"] == ["4S,551"]
    assert got[f"{p}/price_per_share"] == ["O.OO"]
    assert got[f"{p}/shares_owned_following"] == ["15O,OOO"]
    assert_clean(alignment, nlp)


def test_ocr_merge_of_a_whole_two_word_value_is_placed(nlp):
    # tesseract often drops the space of a short city name: "MENLOPARK" for "MENLO PARK"
    record = Record(reporting_owners=(ReportingOwner(name="Botha Roelof", city="MENLO PARK", state="CA", zip_code="94025"),))
    text = page("", header="Botha Roelof\n(Street)\nMENLOPARK CA 94025 X Form filed by One Reporting Person\n(City) (State) (Zip)")
    alignment = align_record(record, text)
    got = fragments(alignment)
    assert got["/reporting_owners/0/city"] == ["MENLOPARK"]
    assert got["/reporting_owners/0/state"] == ["CA"]
    assert_clean(alignment, nlp)


def test_ocr_abbreviation_slips_in_a_wrapped_nature():
    record = Record(non_derivative_holdings=(NonDerivativeHolding(
        security_title="Class A Common Stock", shares_owned_following=11388, direct_or_indirect="I",
        nature_of_ownership="By Sequoia Capital U.S. Venture Fund XV, L.P."),))
    text = page("By\nSequoia\nCapital\nUS.\nClass A Common Stock 11,388 I Venture\nFund XV,\nLPo")
    got = fragments(align_record(record, text))
    assert got["/non_derivative_holdings/0/nature_of_ownership"] == ["By", "Sequoia", "Capital", "US.", "Venture", "Fund XV,", "LPo"]


# ---------------------------------------------------------------- wrapped values
LAYOUT = """\
                                                                                                  By Sequoia
Stock Option                                                                                      Capital U.S.
(right to buy)(1)   $35.71    01/24/2020    A     1,248      01/23/2030    Common      1,248     D   Venture 2010
                                                                           Stock                    Fund, LP
"""


def test_wrapped_cells_become_several_spans_one_per_line(nlp):
    record = Record(derivative_transactions=(DerivativeTransaction(
        security_title="Stock Option (right to buy)", conversion_or_exercise_price=35.71,
        transaction_date=dt.date(2020, 1, 24), transaction_code="A", shares=1248, acquired_disposed="A",
        expiration_date=dt.date(2030, 1, 23), underlying_security_title="Common Stock",
        underlying_security_shares=1248, direct_or_indirect="D",
        nature_of_ownership="By Sequoia Capital U.S. Venture 2010 Fund, LP"),))
    alignment = align_record(record, page("", LAYOUT))
    got = fragments(alignment)
    p = "/derivative_transactions/0"
    assert got[f"{p}/security_title"] == ["Stock Option", "(right to buy)"]
    assert got[f"{p}/underlying_security_title"] == ["Common", "Stock"]
    assert got[f"{p}/nature_of_ownership"] == ["By Sequoia", "Capital U.S.", "Venture 2010", "Fund, LP"]
    assert got[f"{p}/shares"] == ["1,248"] and got[f"{p}/underlying_security_shares"] == ["1,248"]
    spans = [s for s in alignment.spans if s["label"] == "NATURE"]
    assert len(spans) == 4 and all("\n" not in alignment.text[s["start"] : s["end"]] for s in spans)
    assert_clean(alignment, nlp)


def test_wrapped_signer_name_and_hyphen_break(nlp):
    record = Record(signatures=(Signature(name="By: Kristin Johnston, Attorney-in-fact For: the Reporting Person",
                                          date=dt.date(2020, 5, 26)),))
    text = page("", footer="Remarks:\nBy: Kristin Johnston, Attorney-in-\nfact For: the Reporting Person   05/26/2020")
    alignment = align_record(record, text)
    got = fragments(alignment)
    assert got["/signatures/0/name"] == ["By: Kristin Johnston, Attorney-in-", "fact For: the Reporting Person"]
    assert got["/signatures/0/date"] == ["05/26/2020"]
    assert_clean(alignment, nlp)


def test_inline_markup_splits_a_value_into_fragments():
    record = Record(reporting_owners=(ReportingOwner(name="Hoffman Reid", street1="ONE MICROSOFT WAY"),))
    text = page("", header="Hoffman Reid\nONE <u>MICROSOFT WAY</u>\n(Street)")
    got = fragments(align_record(record, text))
    assert got["/reporting_owners/0/street1"] == ["ONE", "MICROSOFT WAY"]


# ---------------------------------------------------------------- what cannot be placed
def test_unplaceable_value_is_reported_not_emitted():
    record = Record(non_derivative_transactions=(sale(shares_owned_following=999999),))
    alignment = align_record(record, page("Common Stock   10/26/2023   S   45,551   D   $0.00   D"))
    assert status(alignment)["/non_derivative_transactions/0/shares_owned_following"] == "missing"
    assert not any(s["label"] == "OWNED_FOLLOWING" for s in alignment.spans)
    table = coverage([("layout", alignment)])["layout"]
    assert table["OWNED_FOLLOWING"] == (0, 1) and table["SHARES"] == (1, 1)


def test_value_outside_its_row_is_not_taken():
    # the second row lost its numbers: its letters must not be matched in other rows or headings
    record = Record(non_derivative_transactions=(sale(), sale(shares=700, shares_owned_following=194767)))
    alignment = align_record(record, page("Common Stock   10/26/2023   S   45,551   D   $0.00   195,467   D"))
    st = status(alignment)
    assert st["/non_derivative_transactions/1/transaction_code"] == "missing"
    assert st["/non_derivative_transactions/1/direct_or_indirect"] == "missing"


# ---------------------------------------------------------------- a real seed
def test_real_seed_is_aligned_cleanly(nlp):
    gold = load_gold(GOLD / f"{SEED}.json")
    record = Record.model_validate({k: v for k, v in gold.record.items() if k not in ("confidence", "warnings")})
    text = (SAMPLES / f"{SEED}.txt").read_text(encoding="utf-8")
    alignment = align_record(record, text)
    placed = sum(p.status == "placed" for p in alignment.placements)
    assert placed >= 0.9 * len(alignment.placements)
    got = fragments(alignment)
    assert got["/non_derivative_transactions/0/shares"] == ["45,551"]
    assert got["/issuer/trading_symbol"] == ["QLYS"]
    assert_clean(alignment, nlp)


def test_the_table_heads_the_labels_declare_are_the_words_the_edgar_page_prints_over_its_tables():
    import html
    import re

    from form4.model.tokenizer import TOKEN
    from form4.training.align.text import _HEADINGS, fold
    from form4.training.pages.render import render_html

    page = render_html(Record())
    heads = page[page.index("Table I -") : page.index("Explanation of")]
    printed = {fold(w) for w in TOKEN.findall(html.unescape(re.sub(r"<[^>]+>", " ", heads))) if not w.isspace()}
    assert printed == _HEADINGS
