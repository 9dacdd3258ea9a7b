"""What OCR and scrambled markdown do to a filing, and how the rules read (or doubt) it."""

import pytest

from form4.footer import read_footnotes
from form4.header import read_header
from form4.merged_owner import DOUBTED
from form4.layout import atoms_of, split_lines
from form4.grammar import parse_row
from form4.ocr import drop_ocr_mark
from form4.sections import Span, find_sections


def _row(table, text):
    line = split_lines(text)[0]
    return parse_row(table, text, atoms_of(text, line.cells))


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


def test_footnotes_numbered_with_ocr_commas():
    text = "Explanation of Responses:\n1, Weighted average price.\n2. By a trust.\n\f3, The shares, 4, of them.\n4 Shares held\nby a 5 Trust.\n"
    notes = read_footnotes(text, Span(0, len(text)))
    assert [(n.id, n.text) for n in notes] == [
        ("F1", "Weighted average price."), ("F2", "By a trust."), ("F3", "The shares, 4, of them."), ("F4", "Shares held by a 5 Trust.")
    ]


@pytest.mark.parametrize(
    "words, kept",
    [("See Footnotes2)", "See Footnotes"), ("Fund, L.P.&)", "Fund, L.P."), ("Lp@", "Lp"), ("Stock Option (right to buy)", "Stock Option (right to buy)")],
    ids=["digit-and-paren", "ampersand-paren", "at-sign", "balanced-parens-kept"],
)
def test_unreadable_mark_remnants_leave_text_cells(words, kept):
    assert drop_ocr_mark(words) == kept


MARKDOWN_HEADER = """FORM 4 STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP

| 1. Name and Address of Reporting Person\\*<br><br><u>BOTHA ROELOF</u> | 2. Issuer Name and Ticker or Trading Symbol<br><br><u>Natera, Inc. [ NTRA ]</u> | 5. Relationship of Reporting Person(s) to Issuer<br><br>(Check all applicable) |   |
| <input checked="" type="checkbox"/> | Director | 10% Owner |   |
| Officer (give title | Other (specify |   |   |
| (Last) | (First) | (Middle) | below) |
| 3. Date of Earliest Transaction (Month/Day/Year) |   |   |   |
| <u>C/O SEQUOIA CAPITAL</u> | <u>01/24/2020</u> |   |   |
| (Street) |   |   |   |
| MENLO PARK | CA | <u>94025</u> |   |
| (City) | (State) | (Zip) |   |

Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned
| Common Stock | 01/24/2020 | A | 1,248 | A | $0.00 | 1,248 | D |
Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned
Explanation of Responses:
"""


def test_scrambled_markdown_header_read_line_by_line_when_a_box_reading_is_implausible():
    from form4.entities import Entity
    from form4.merged_owner import implausible

    header = read_header(find_sections(MARKDOWN_HEADER))
    owner = {e.label: e.value_source for e in header.owner}
    # the label's escaped "Person\\*" ends the label; the tick of a box-5 check box is no part of a name;
    # the scrambled cells put box 3's date where the street was, so box 1 is read line by line
    assert owner == {"OWNER_NAME": "BOTHA ROELOF", "OWNER_STREET1": "C/O SEQUOIA CAPITAL", "OWNER_CITY": "MENLO PARK",
                     "OWNER_STATE": "CA", "OWNER_ZIP": "94025"}
    assert implausible(Entity("OWNER_STREET1", 0, 10, "01/24/2020")) == "a date where a name or address belongs"
    assert DOUBTED < 0.5


SIGNED = """FORM 4 STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP
1. Name and Address of Reporting Person*
Doe Jane
Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned
Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned
Explanation of Responses:
1. A note.
Remarks:
{signature}
** Signature of Reporting Person Date
"""


@pytest.mark.parametrize(
    "signature, name",
    [
        ("By: Kristin Johnston, Attorney-in- 04/15/2022\nfact For: the Reporting Person", "By: Kristin Johnston, Attorney-in-fact For: the Reporting Person"),
        ("John A. Seethoff, Attorney-in-fact\nfor Reid G. Hoffman 12/15/2017", "John A. Seethoff, Attorney-in-fact for Reid G. Hoffman"),
        ("An-Yen Hu, Attomey-in-fact of the\nReporting Person 06/11/2019", "An-Yen Hu, Attorney-in-fact of the Reporting Person"),
        ("/s/ Tami Chen,_attorney-in-fact 01/28/2020", "/s/ Tami Chen, attorney-in-fact"),
        ("/s/ Shahzia Rahman, Attorney-in- Fact 01/28/2020", "/s/ Shahzia Rahman, Attorney-in-Fact"),
    ],
    ids=["hyphen-before-date", "line-starting-for", "line-ending-the", "ocr-underline", "in-space-fact"],
)
def test_ocr_signature_lines_join_into_one_name(signature, name):
    from form4.footer import read_footer

    footer = read_footer(find_sections(SIGNED.format(signature=signature)))
    [sig] = footer.signatures
    assert {e.label: e.value_source for e in sig}["SIGNER_NAME"] == name


def test_signature_date_printed_after_its_label_and_boilerplate_is_no_remark():
    from form4.footer import read_footer

    text = SIGNED.format(signature="Reminder: Report on a separate line for each class of securities.\n/s/ Jane Doe").replace(
        "Signature of Reporting Person Date\n", "Signature of Reporting Person\n\n03/01/2024\n\nDate\n"
    )
    footer = read_footer(find_sections(text))
    assert footer.remarks is None
    assert {e.label: e.value_source for e in footer.signatures[0]} == {"SIGNER_NAME": "/s/ Jane Doe", "SIGNATURE_DATE": "03/01/2024"}


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


def test_marks_and_amounts_ocr_raised_onto_a_title_line_leave_the_title():
    from form4.sections import find_sections
    from form4.tables import find_rows

    text = (
        "FORM 4 STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP\n1. Name and Address of Reporting Person*\nDoe Jane\n"
        "Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned\n"
        "Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned\n"
        "Code V (A) (D) Exercisable Date Title Shares\n"
        "Stock Option (right (1) (2) 1.248\n"
        "to buy) $35.71 01/24/2020 A 1,248 01/24/2020 01/23/2030 Common Stock ; $21.65 1,248 D\n"
        "Explanation of Responses:\n1. A note.\n2. Another.\n"
    )
    [row] = find_rows(find_sections(text))
    got = {e.label: e.value_text or e.text for e in row.entities}
    assert got["SECURITY_TITLE"] == "Stock Option (right to buy)" and got["CONV_PRICE"] == "$35.71"
    assert got["SHARES"] == "1,248" and row.footnote_ids[:2] == ("F1", "F2")


def test_ocr_centred_natures_across_a_repeated_page_header():
    from form4.tables import find_rows

    text = (
        "FORM 4 STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP\n1. Name and Address of Reporting Person*\nDoe Jane\n"
        "Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned\n"
        "Code v | Amount (0) Price\n"
        "Sequoia\nCommon Stock 13,543,369 I Capital\nXI, L.P.2)\n8)\n"
        "| Table | - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned |\n"
        "Code v | Amount (0) Price\n"
        "Sequoia\nCapital XII\nCommon Stock 2,059,488 I Principals\nFund,\nLLC®\n"
        "Sequoia\nCapital\nCommon Stock 8,850,755 I Global\nGrowth\nFund, L.P.\n@@)\n"
        "Sequoia\nTechnology\nCommon Stock 721,044 I Partners\nXI, L.P.\n"
        "Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned\n"
        "Explanation of Responses:\n1. A note.\n"
    )
    rows = find_rows(find_sections(text))
    assert [r.get("NATURE").value_text for r in rows] == [
        "Sequoia Capital XI, L.P.", "Sequoia Capital XII Principals Fund, LLC",
        "Sequoia Capital Global Growth Fund, L.P.", "Sequoia Technology Partners XI, L.P.",
    ]


def test_owner_split_from_the_issuer_by_the_name_the_signature_gives():
    from form4.entities import Entity
    from form4.merged_owner import split_owner_from_issuer as _split_owner_from_issuer

    line = "Hoffman Reid Aurora Innovation, Inc."
    issuer = [Entity("ISSUER_NAME", 0, len(line), line, 0.6)]
    junk = [Entity("OWNER_NAME", 0, 5, "irector", 0.7)]
    owner, issuer = _split_owner_from_issuer(junk, issuer, "/s/ Ann Lee, Attorney-in-fact for Reid G. Hoffman")
    assert [e.value_source for e in owner if e.label == "OWNER_NAME"] == ["Hoffman Reid"]
    assert [e.value_source for e in issuer] == ["Aurora Innovation, Inc."]


def test_ocr_form_read_as_1_and_a_nature_cut_by_a_page_header():
    from form4.tables import find_rows

    text = (
        "FORM 4 STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP\n1. Name and Address of Reporting Person*\nDoe Jane\n"
        "Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned\n"
        "Code v Amount (0) Price\n"
        "Class A Common Stock 06/20/2019 c 744,271 A $0.00 744,271 I By\nSequoia\n"
        "| Table | - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned |\n"
        "Code v Amount (0) Price | | |\n"
        "Capital\nFund, LP)\n"
        "Class A Common Stock 06/20/2019 Cc 81,790 A $0.00 81,790 1 Venture\nFund (Q), LP®)\n"
        "Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned\n"
        "Explanation of Responses:\n1. A note.\n"
    )
    rows = find_rows(find_sections(text))
    got = [(r.get("OWNERSHIP_FORM").value_text or r.get("OWNERSHIP_FORM").text, r.get("NATURE").value_text) for r in rows]
    # the lines under the repeated page header finish the nature the page break cut
    assert got == [("I", "By Sequoia Capital Fund, LP"), ("I", "Venture Fund (Q), LP")]


def test_check_mark_in_a_wide_padded_markdown_cell():
    text = MARKDOWN_HEADER.replace('| <input checked="" type="checkbox"/> | Director |', "| X" + " " * 70 + "| Director |")
    assert read_header(find_sections(text)).relationship["is_director"][0] is True


def test_a_director_box_whose_label_ocr_cut_is_unknown_not_unchecked():
    from form4.boxes import Piece, read_box5

    text = "irector 10% Owner\nOfficer (give title Other (specify\n"
    rel, _ = read_box5(text, [Piece(0, len(text))])
    assert rel["is_director"][0] is None and rel["is_ten_percent_owner"] == (False, 0.85)


def test_care_of_street_split_after_the_company_suffix():
    from form4.boxes import _street_entities

    text = "C/O MICROSOFT CORPORATION ONE MICROSOFT WAY"
    toks = [(m.start(), m.end(), m.group(0)) for m in __import__("re").finditer(r"\S+", text)]
    got = {e.label: e.value_source for e in _street_entities(text, toks)}
    assert got == {"OWNER_STREET1": "C/O MICROSOFT CORPORATION", "OWNER_STREET2": "ONE MICROSOFT WAY"}


def test_city_wrapped_under_its_state_and_zip():
    from form4.boxes import _city_entities

    text = "MOUNTAIN        CA     94043\nVIEW"
    toks = [(m.start(), m.end(), m.group(0)) for m in __import__("re").finditer(r"\S+", text)]
    got = {e.label: e.value_source for e in _city_entities(text, toks)}
    assert got == {"OWNER_CITY": "MOUNTAIN VIEW", "OWNER_STATE": "CA", "OWNER_ZIP": "94043"}
