"""form4.read.grammar: one row's atoms -> its entities (clean rows, OCR-damaged letters, marks and amounts)."""

import pytest

from form4.read.grammar import parse_row
from form4.read.layout import atoms_of, split_lines


def _row(table, text):
    line = split_lines(text)[0]
    return parse_row(table, text, atoms_of(text, line.cells))


def test_layout_row_with_footnoted_code_and_price():
    row = _row("I", "Common Stock   08/01/2019   F (1)   1,896   D   $84.34   58,076   D")
    got = {e.label: e.value_source for e in row.entities}
    assert got == {"SECURITY_TITLE": "Common Stock", "TXN_DATE": "08/01/2019", "TXN_CODE": "F", "SHARES": "1,896",
                   "ACQ_DISP": "D", "PRICE": "$84.34", "OWNED_FOLLOWING": "58,076", "OWNERSHIP_FORM": "D"}
    assert row.footnote_ids == ("F1",)


def test_holding_row_with_nature():
    row = _row("I", "Class A Common Stock\t\t1,200,000\tI\tBy Trust (2)")
    got = {e.label: e.value_source for e in row.entities}
    assert got["SECURITY_TITLE"] == "Class A Common Stock"
    assert got["OWNED_FOLLOWING"] == "1,200,000" and got["OWNERSHIP_FORM"] == "I" and got["NATURE"] == "By Trust"
    assert "TXN_DATE" not in got and row.footnote_ids == ("F2",)


def test_price_given_only_as_footnote():
    row = _row("I", "Common Stock | 03/01/2022 | | J | | 500 | D | (3) | 9,500 | D | |".replace("|", "\t"))
    price = row.get("PRICE")
    assert price is not None and price.value_text is None and row.footnote_ids == ("F3",)


def test_a_date_whose_year_a_converter_split_over_two_cells_is_rejoined():
    row = _row("I", "Common Stock 02/06/20\t\t023\tA\t3,638(1)\tA\t$0.00\t46,274\tD")
    assert row.get("TXN_DATE").value_text == "02/06/2023"
    assert row.get("TXN_DATE").score < 0.9


@pytest.mark.parametrize(
    "printed, code",
    [("s", "S"), ("Ss", "S"), ("c", "C"), ("sO)", "S"), ("ci)", "C"), ("JO", "J"), ("co)", "C"), ("jj", "J")],
    ids=["lower-s", "doubled-Ss", "lower-c", "mark-as-O", "mark-as-i", "upper-mark-as-O", "lower-mark-as-o", "doubled-jj"],
)
def test_code_letter_ocr_set_in_lower_case_or_garbled(printed, code):
    row = _row("I", f"Class A Common Stock 11/12/2024 {printed} 84,029 D $5.3673 184,070 I")
    got = {e.label: e.value_text or e.text for e in row.entities}
    assert got["TXN_CODE"] == code and got["SHARES"] == "84,029" and got["ACQ_DISP"] == "D"


def test_unreadable_code_is_left_unread_not_taken_from_the_ad_column():
    row = _row("I", "Common Stock 03/01/2024 clea 160,232 D $0.00 320,464 I")
    got = {e.label: e.value_source for e in row.entities}
    assert "TXN_CODE" not in got
    assert got["SHARES"] == "160,232" and got["ACQ_DISP"] == "D" and got["OWNED_FOLLOWING"] == "320,464"


def test_a_marks_digit_left_in_a_nature_is_dropped():
    row = _row("I", "Class A Common Stock 08/01/2012 s 8,100 D $102.2139 2,600 I See 4")
    assert row.get("NATURE").value_text == "See"


def test_ocr_underline_and_lost_parenthesis_around_a_mark():
    row = _row("I", "Class A Common Stock 11/08/2024 s 41,486 D_ | $5.5388 310,939 I Footnotes? 8)")
    got = {e.label: e.value_text or e.text for e in row.entities}
    assert got["SHARES"] == "41,486" and got["ACQ_DISP"] == "D" and got["PRICE"] == "$5.5388"
    assert got["NATURE"] == "Footnotes" and row.footnote_ids == ("F8",)


def test_amount_with_its_marks_paren_lost():
    # "25" + "(2)" printed as "252)" cannot be told from 252 with a lost mark; "11,5522)" can
    row = _row("I", "Common Stock 01/05/2023 A 269 A $0.00 11,5522) D")
    assert row.get("OWNED_FOLLOWING").value_text == "11,552" and "F2" in row.footnote_ids


def test_a_class_letter_that_ends_its_cell_stays_in_the_title():
    """"Class A" with the rest of the title wrapped onto the next lines: the "A" is the class's,
    not the acquired/disposed column's."""
    row = _row("I", "Class A           06/20/2019    C     846,821   A    $0.00    846,821    I    By Sequoia")
    got = {e.label: e.value_source for e in row.entities}
    assert got["SECURITY_TITLE"] == "Class A" and got["ACQ_DISP"] == "A" and got["TXN_CODE"] == "C"
    under = _row("II", "Class B (6)    06/20/2019    C    846,821 (6)    (6)    Class A 846,821 $0.00    846,819    I")
    assert under.get("UNDERLYING_TITLE").value_source == "Class A"
    assert under.get("UNDERLYING_SHARES").value_source == "846,821"


def test_a_mark_spaced_after_the_amount_is_the_exercisable_dates_when_only_marks_give_the_dates():
    """Table II's "Date Exercisable" and "Expiration Date" both given only as footnotes, the first
    mark printed one space after the amount: each date column gets its mark."""
    row = _row("II", "Class B (6)    06/20/2019    C    846,821 (6)    (6)    Class A 846,821 $0.00    846,819    I")
    exercisable, expiration = row.get("EXERCISE_DATE"), row.get("EXPIRATION_DATE")
    assert exercisable is not None and exercisable.value_text is None and exercisable.text == "(6)"
    assert expiration is not None and expiration.value_text is None
    assert row.get("SHARES").value_source == "846,821" and row.footnote_ids == ("F6",)


def test_bracketed_footnote_marks_are_marks():
    row = _row("I", "Class A Common Stock 08/01/2012 S [5] 14,051 D $98.2767 [6] 64,616 I See footnote [4]")
    got = {e.label: e.value_source for e in row.entities}
    assert got["PRICE"] == "$98.2767" and got["OWNED_FOLLOWING"] == "64,616" and got["NATURE"] == "See footnote"
    assert row.footnote_ids == ("F5", "F6", "F4")


@pytest.mark.parametrize("printed", [
    "Common Stock, $0.001 par value",
    "Class A Common Stock, par value $0.01 per share",
    "Common Stock, par value of $.01",
])
def test_a_par_value_in_a_security_title_is_the_titles_not_a_price(printed):
    layout = _row("I", f"{printed}     06/20/2019    S    100   D   $10.00    900    D")
    raw = _row("I", f"{printed} 06/20/2019 S 100 D $10.00 900 D")
    holding = _row("I", f"{printed}     1,000    I    By Trust")
    for row in (layout, raw):
        got = {e.label: e.value_source for e in row.entities}
        assert got == {"SECURITY_TITLE": printed, "TXN_DATE": "06/20/2019", "TXN_CODE": "S", "SHARES": "100",
                       "ACQ_DISP": "D", "PRICE": "$10.00", "OWNED_FOLLOWING": "900", "OWNERSHIP_FORM": "D"}
    assert holding.get("SECURITY_TITLE").value_source == printed and holding.get("OWNED_FOLLOWING").value_source == "1,000"
