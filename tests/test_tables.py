"""form4.read.tables: Table I and II rows, read by the reader of each table layout.

Layout text (pdftotext -layout): glued footnote marks, wrapped cells placed by position;
reading-order text (pdftotext -raw, OCR lines) and markup (tabs, pipes, ``<br>``): a row over
several lines, natures and titles wrapped around the values, marks OCR raised or dropped.
"""

import pytest

from conftest import FOOT, HEAD, SIG, needs_print, printed, typed_filing
from form4 import extract_text
from form4.form import evidence as E
from form4.form import fields as F
from form4.entities import Entity
from form4.read.layout import split_lines
from form4.read.sections import find_sections
from form4.read.tables import LAYOUTS, find_rows, layout_of, read_tables
from form4.read.tables.cell_stream import stream_rows


def _rows(table1: str):
    return find_rows(find_sections(HEAD + table1 + FOOT + SIG))


def test_code_letter_with_glued_footnote_mark():
    rows = _rows("Common Stock            05/01/2012        C(1)      78,667     A     (2)     78,667     D\n")
    got = {e.label: e.value_source for e in rows[0].entities}
    assert got["TXN_CODE"] == "C" and got["SHARES"] == "78,667" and got["OWNERSHIP_FORM"] == "D"
    assert rows[0].footnote_ids == ("F1", "F2")


def test_wrapped_nature_is_centred_on_its_row():
    table = (
        "Common Stock            05/01/2012        S         600     D     $10.00     1,000     D\n"
        "                                                                                                     Estate\n"
        "Common Stock                                                                   48,382     I          planning\n"
        "                                                                                                     vehicles\n"
        "\n"
        "                                                                                                     See\n"
        "Common Stock                                                                   2,000      I\n"
        "                                                                                                     footnote(2)\n"
    )
    rows = _rows(table)
    natures = [next((e.value_source for e in r.entities if e.label == "NATURE"), None) for r in rows]
    assert natures == [None, "Estate planning vehicles", "See footnote"]
    assert rows[2].footnote_ids == ("F2",)


def _cells(rows, label):
    return [r.get(label).value_text if r.get(label) else None for r in rows]


def test_top_aligned_cells_wrap_below_their_row_when_no_text_stands_above_the_first_row():
    """The paper form as a filer types it (pdftotext -layout): no blank lines between rows, each
    cell starts on its row's values line and wraps below it; the lines under the last row show it."""
    at = lambda x, s: " " * x + s  # noqa: E731
    table = "\n".join([
        "Class A" + at(9, "06/20/2019") + at(5, "C") + at(5, "846,821 A") + at(3, "$0.00") + at(3, "846,821") + at(4, "I") + at(4, "By Sequoia"),
        "Common" + at(82, "Capital U.S."),
        "Stock" + at(83, "Fund, LP(1)"),
        "Class A" + at(9, "06/20/2019") + at(5, "J") + at(5, "846,821 D") + at(3, "$0.00") + at(3, "0") + at(10, "I") + at(4, "By estate"),
        "Common" + at(82, "planning vehicle"),
        "Stock",
    ]) + "\n"
    rows = _rows(table)
    assert _cells(rows, F.SECURITY_TITLE) == ["Class A Common Stock"] * 2
    assert _cells(rows, F.NATURE) == ["By Sequoia Capital U.S. Fund, LP", "By estate planning vehicle"]
    assert rows[0].footnote_ids == ("F1",) and rows[1].footnote_ids == ()


def test_centred_cells_still_wrap_above_and_below_their_row():
    """EDGAR's page: a blank line between rows, titles and natures centred on the values line."""
    at = lambda x, s: " " * x + s  # noqa: E731
    table = "\n".join([
        at(88, "By Sequoia"),
        "Class A Common Stock" + at(4, "06/20/2019") + at(3, "C") + at(3, "846,821  A  $0.00  846,821") + at(4, "I") + at(4, "Capital U.S."),
        at(88, "Fund, LP(1)"),
        "",
        "Class A" + at(17, "06/20/2019") + at(3, "J") + at(3, "846,821  D  $0.00  0") + at(14, "I") + at(4, "By estate"),
        "Common Stock" + at(76, "planning vehicle"),
    ]) + "\n"
    rows = _rows(table)
    assert _cells(rows, F.SECURITY_TITLE) == ["Class A Common Stock"] * 2
    assert _cells(rows, F.NATURE) == ["By Sequoia Capital U.S. Fund, LP", "By estate planning vehicle"]


def test_a_nature_line_between_a_direct_row_and_an_indirect_row_is_the_indirect_rows():
    """Only indirect holdings have a nature (column 7): a nature line touching a direct row above
    and an indirect row below is the lower row's, however the cells are aligned."""
    at = lambda x, s: " " * x + s  # noqa: E731
    table = "\n".join([
        "Common Stock" + at(10, "03/15/2024") + at(5, "M") + at(5, "807") + at(5, "A") + at(5, "$38.26") + at(5, "20,276") + at(6, "D"),
        at(90, "Estate"),
        "Common Stock" + at(60, "1,291,584") + at(6, "I") + at(4, "planning"),
        at(90, "vehicles"),
    ]) + "\n"
    rows = _rows(table)
    assert _cells(rows, F.NATURE) == [None, "Estate planning vehicles"]


def test_a_wrapped_titles_closing_parenthesis_on_the_values_line_is_kept():
    """"Stock Option (right" above, "to buy)" with the values: the ")" closes the title, it is
    no remnant of a footnote mark."""
    table = (
        "Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned\n"
        "                       Code     V     (A)     (D)     Exercisable     Date     Title     Shares\n\n"
        "Stock Option (right\n"
        "to buy)         $38.26     03/15/2024     M        807    (1)    10/26/2033    Common Stock    807    $0.00    0    D\n"
        "\nExplanation of Responses:\n1. A note.\n"
    )
    [row] = [r for r in find_rows(find_sections(HEAD + table)) if r.table == "II"]
    assert row.get(F.SECURITY_TITLE).value_text == "Stock Option (right to buy)"


def test_reading_order_top_aligned_titles_stand_above_values_after_a_nature_its_mark_ended():
    """pdftotext -raw of the paper form: each title cell is printed before its row's values; after
    an indirect row whose nature ended with its mark, the next lines are the next row's title."""
    head = HEAD.replace("   ", " ")
    table = (
        "Class A Common\nStock\n"
        "08/01/2012 S [5] 14,051 D $98.2767 [6] 64,616 I See footnote [4]\n"
        "Class A Common\nStock\n"
        "08/01/2012 S [5] 22,200 D $99.1431 [6] 42,416 I See footnote [4]\n"
        "Class A Common\nStock\n"
        "1,000,000 I See Footnote(7)\n"
    )
    rows = find_rows(find_sections(head + table + FOOT + SIG))
    assert _cells(rows, F.SECURITY_TITLE) == ["Class A Common Stock"] * 3
    assert _cells(rows, F.NATURE) == ["See footnote", "See footnote", "See Footnote"]
    assert [r.footnote_ids for r in rows] == [("F5", "F6", "F4"), ("F5", "F6", "F4"), ("F7",)]


def test_reading_order_a_holdings_title_that_repeats_an_earlier_rows_title_starts_after_the_nature():
    """After a nature with no closing mark, the lines that repeat an earlier row's title are the
    next row's title, the lines before them the nature's."""
    head = HEAD.replace("   ", " ")
    table = (
        "Class A Common Stock\n"
        "06/20/2019 J 58,919 A $0.00 177,141 I By estate\n"
        "planning vehicle\n"
        "Class A Common Stock\n"
        "3,693 D\n"
    )
    rows = find_rows(find_sections(head + table + FOOT + SIG))
    assert _cells(rows, F.SECURITY_TITLE) == ["Class A Common Stock"] * 2
    assert _cells(rows, F.NATURE) == ["By estate planning vehicle", None]
    assert rows[1].get(F.OWNED_FOLLOWING).value_text == "3,693"


T2_HEAD = (
    "Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned\n"
    "                       Code     V     (A)     (D)     Exercisable     Date     Title     Shares\n\n"
)


def test_the_underlying_amount_wrapped_under_its_title_is_the_underlying_amount():
    """Column 7 is "Title and Amount of Underlying Securities": a page that prints both in one
    cell wraps the amount under the title (layout text) or between the row's halves (raw text)."""
    at = lambda x, s: " " * x + s  # noqa: E731
    layout = "\n".join([
        "Class B (6)" + at(4, "06/20/2019") + at(4, "C") + at(4, "846,821") + at(4, "(6)") + at(6, "(6)") + at(6, "Class A") + at(4, "$0.00") + at(4, "846,819") + at(4, "I"),
        "Common" + at(72, "Common"),
        "Stock" + at(73, "Stock"),
        at(78, "846,821"),
    ]) + "\n"
    raw = "Class B\nCommon\nStock\n(6) 06/20/2019 C 846,821 (6) (6) Class A\nCommon\nStock\n846,821\n$0.00 846,819 I\n"
    for table, head in ((layout, HEAD), (raw, HEAD.replace("   ", " "))):
        text = head + T2_HEAD.replace("   ", " " if table is raw else "   ") + table + "\nExplanation of Responses:\n1. A note.\n"
        [row] = [r for r in find_rows(find_sections(text)) if r.table == "II"]
        assert row.get(F.UNDERLYING_TITLE).value_text == "Class A Common Stock"
        assert row.get(F.UNDERLYING_SHARES).value_text == "846,821" and row.get(F.OWNED_FOLLOWING).value_text == "846,819"


def test_reading_order_text_continues_an_indirect_holdings_nature():
    head = HEAD.replace("   ", " ")
    table = (
        "Class A Common Stock 07/13/2020 A 1,475(1)\n"
        "A $0.00 24,108 D\n"
        "Class A Common Stock 899,976 I\n"
        "Sequoia\n"
        "Capital\n"
        "Fund, L.P.\n"
        "(2)\n"
    )
    rows = find_rows(find_sections(head + table + FOOT + SIG))
    got = [{e.label: e.value_source for e in r.entities} for r in rows]
    assert got[0]["OWNED_FOLLOWING"] == "24,108" and got[0]["SHARES"] == "1,475"  # one row over two lines
    assert got[1]["NATURE"] == "Sequoia Capital Fund, L.P." and rows[1].footnote_ids == ("F2",)


def test_markdown_cell_lines_split_at_br_share_the_nature_between_rows():
    head = HEAD.replace("   ", " ")
    table = (
        "| Estate | | |\n"
        "| Class A Common Stock | 48,382 | I |\n"
        "| Planning<br><br>US<br>Venture | | |\n"
        "| Class A Common Stock | 42,102 | I |\n"
        "| 2010<br>Seed⁽²⁾ | | |\n"
    )
    rows = find_rows(find_sections(head + table + FOOT + SIG))
    natures = [next(e.value_source for e in r.entities if e.label == "NATURE") for r in rows]
    assert natures == ["Estate Planning", "US Venture 2010 Seed"]
    assert rows[1].footnote_ids == ("F2",)


def _table2_rows(body: str) -> list[dict[str, str]]:
    """The Table II rows read from ``body`` printed in reading order (pdftotext -raw), as label -> value."""
    text = (
        HEAD
        + "Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned\nCode V (A) (D)\n"
        + body
        + "Explanation of Responses:\n1. A note.\n2. Another note.\n"
    )
    return [{e.label: e.value_text or e.text for e in r.entities} for r in find_rows(find_sections(text)) if r.table == "II"]


def test_reading_order_table2_row_split_around_its_underlying_title():
    """pdftotext -raw: a derivative row's values, the underlying title's lines, then the rest."""
    got = _table2_rows(
        "Restricted Stock\nUnit\n$0.00 01/01/2012 M 30,718 (1) 04/15/2017\nClass B\nCommon\nStock(2)\n"
        "30,718 $0.00 30,717 D\nClass B Common\nStock(2) $0.00 01/01/2012 M 30,718 (1) (1)\nClass A\nCommon\nStock\n"
        "30,718 $0.00 1,443,715 D\n"
    )
    assert [(g["SECURITY_TITLE"], g["UNDERLYING_TITLE"], g["OWNED_FOLLOWING"], g["OWNERSHIP_FORM"]) for g in got] == [
        ("Restricted Stock Unit", "Class B Common Stock", "30,717", "D"),
        ("Class B Common Stock", "Class A Common Stock", "1,443,715", "D"),
    ]


def test_a_nature_line_glued_to_the_column_header_line_belongs_to_the_first_row():
    text = (
        HEAD.replace("Price\n", "Price\tSee\n")
        + "Class A Common Stock\t08/01/2012\tC(1)\t78,667\tA\t(2)(3)\t78,667\tI\nfootnote(4)\nSee\n"
        + "Class A Common Stock\t08/01/2012\tS(5)\t14,051\tD\t$98.2767(6)\t64,616\tI\nfootnote(4)\n"
        + FOOT
    )
    rows = [r for r in find_rows(find_sections(text)) if r.table == "I"]
    assert [r.get("NATURE").value_text for r in rows] == ["See footnote", "See footnote"]


def test_reading_order_table2_rows_starting_with_a_footnote_only_price():
    """pdftotext -raw: title lines, "(6) date code amount (6) (6) Class A", "Common Stock", the amounts;
    the next row's title follows the line whose mark ends the nature."""
    got = _table2_rows(
        "Class B Common\nStock\n(6) 06/20/2019 C 846,821 (6) (6) Class A\nCommon Stock\n"
        "846,821 $0.00 846,819 I\nBy Sequoia\nFund IV, L.P.\n(1)\n"
        "Class B Common\nStock\n(6) 06/20/2019 C 37,310 (6) (6)\nClass A\nCommon Stock 37,310 $0.00 37,310 I\nBy Sequoia\nUSGF Fund(1)\n"
    )
    assert [(g["SECURITY_TITLE"], g["SHARES"], g["UNDERLYING_TITLE"], g["OWNED_FOLLOWING"], g["NATURE"]) for g in got] == [
        ("Class B Common Stock", "846,821", "Class A Common Stock", "846,819", "By Sequoia Fund IV, L.P."),
        ("Class B Common Stock", "37,310", "Class A Common Stock", "37,310", "By Sequoia USGF Fund"),
    ]


def test_layout_row_whose_right_columns_stand_lower():
    """pdftotext -layout (a training filing's Table II row, as printed): the amounts right of a
    wrapped underlying title stand two lines below the row's date and code; they continue that
    row, and the wrapped text joins its column by position on its own line."""
    at = lambda x, s: " " * x + s  # noqa: E731
    block = "\n".join([
        at(233, "By Sequoia"),
        "Class B Common" + at(139, "Class A") + at(73, "Capital U.S."),
        "Stock",
        at(29, "(6)") + at(11, "06/20/2019") + at(31, "C") + at(25, "846,821") + at(9, "(6)") + at(11, "(6)"),
        at(150, "Common Stock"),
        at(170, "846,821") + at(10, "$0.00") + at(10, "846,819") + at(13, "I") + at(10, "Growth"),
        at(233, "Fund IV, L.P."),
        at(233, "(1)"),
    ])
    table = (
        "Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned\n"
        "     Security (Instr. 3)       or Exercise      (Month/Day/Year)      (Instr. 3, 4 and 5)\n"
        "                       Code     V     (A)     (D)     Exercisable     Date     Title     Shares\n\n"
    )
    text = HEAD + table + block + "\n\n" + block.replace("846,8", "37,3") + "\n\nExplanation of Responses:\n1. A note.\n"
    row, second = [r for r in find_rows(find_sections(text)) if r.table == "II"]
    got = {e.label: e.value_text or e.text for e in row.entities}
    assert got["SHARES"] == "846,821" and got["OWNED_FOLLOWING"] == "846,819" and got["OWNERSHIP_FORM"] == "I"
    assert got["SECURITY_TITLE"] == "Class B Common Stock"
    assert got["NATURE"] == "By Sequoia Capital U.S. Growth Fund IV, L.P."
    assert second.get("SHARES").value_source == "37,321"


def test_reading_order_holding_whose_form_letter_went_to_the_next_line():
    text = (
        HEAD
        + "Class A Common Stock 08/20/2019 J 46,780(1)\nA $0.00 46,780 I\nBy\nSequoia\nFund, L.P.\n(2)\n"
        + "Class A Common Stock 11,814(3)\nD\n"
        + FOOT
    )
    rows = [r for r in find_rows(find_sections(text)) if r.table == "I"]
    got = [{e.label: e.value_text or e.text for e in r.entities} for r in rows]
    assert [(g.get("OWNED_FOLLOWING"), g.get("OWNERSHIP_FORM"), g.get("NATURE")) for g in got] == [
        ("46,780", "I", "By Sequoia Fund, L.P."), ("11,814", "D", None)
    ]


def test_marks_and_amounts_ocr_raised_onto_a_title_line_leave_the_title():
    from form4.read.sections import find_sections
    from form4.read.tables import find_rows

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
    from form4.read.tables import find_rows

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


def test_ocr_form_read_as_1_and_a_nature_cut_by_a_page_header():
    from form4.read.tables import find_rows

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


# ---------------------------------------------------------------- the dispatcher: one reader per table layout
#: the same two rows, each title wrapped onto a second line, as each layout prints them
FAMILY_TABLES = {
    # pdftotext -layout: a blank line between rows; the title's second line under its first
    "positional": (
        "Class A Common        05/01/2012     S      100     D     $10.00     900     D\n"
        "Stock\n\n"
        "Class A Common        05/02/2012     S      50      D     $10.10     850     D\n"
        "Stock\n"
    ),
    # pdftotext -raw: the title's first line, then its last line with the row's values
    "reading-order": (
        "Class A Common\nStock 05/01/2012 S 100 D $10.00 900 D\n"
        "Class A Common\nStock 05/02/2012 S 50 D $10.10 850 D\n"
    ),
    # markdown: one row a line, the wrapped title's lines joined by <br>
    "markup": (
        "| Class A Common<br>Stock | 05/01/2012 | S | 100 | D | $10.00 | 900 | D |\n"
        "| Class A Common<br>Stock | 05/02/2012 | S | 50 | D | $10.10 | 850 | D |\n"
    ),
    # pdfminer: one cell a paragraph, the wrapped title one paragraph
    "cell-stream": "\n\n".join(
        ["Class A Common\nStock", "05/01/2012", "S", "100", "D", "$10.00", "900", "D",
         "Class A Common\nStock", "05/02/2012", "S", "50", "D", "$10.10", "850", "D"]
    ) + "\n",
}
TWO_ROWS = [
    ("Class A Common Stock", "05/01/2012", "S", "100", "D", "900", "D"),
    ("Class A Common Stock", "05/02/2012", "S", "50", "D", "850", "D"),
]
_LABELS = (F.SECURITY_TITLE, F.TXN_DATE, F.TXN_CODE, F.SHARES, F.ACQ_DISP, F.OWNED_FOLLOWING, F.OWNERSHIP_FORM)


def _family(table: str) -> str:
    lines = [ln for ln in split_lines(table) if ln.cells and not ln.is_markdown_rule]
    return layout_of(table, 0, len(table), lines)


@pytest.mark.parametrize("family", LAYOUTS)
def test_the_layout_of_a_table_is_told_from_how_its_text_is_printed(family):
    assert _family(FAMILY_TABLES[family]) == family


def _read(table: str, head: str = HEAD) -> list:
    """The two tables' readings of ``table`` printed as Table I between ``head`` and an empty Table II."""
    return read_tables(find_sections(head + table + FOOT))


def _got(rows) -> list[tuple[str, ...]]:
    return [tuple(r.get(label).value_text or r.get(label).text for label in _LABELS) for r in rows]


@pytest.mark.parametrize("family", ["positional", "reading-order", "markup"])
def test_each_line_layouts_reader_reads_two_rows_with_wrapped_titles_and_the_layout_is_recorded(family):
    head = HEAD if family == "positional" else HEAD.replace("   ", " ")  # column headers printed the family's way
    table1, table2 = _read(FAMILY_TABLES[family], head)
    assert (table1.table, table1.layout) == ("I", family) and (table2.table, table2.rows) == ("II", ())
    assert _got(table1.rows) == TWO_ROWS
    assert find_rows(find_sections(head + FAMILY_TABLES[family] + FOOT)) == list(table1.rows)


def test_a_reading_order_title_wrapped_after_its_class_letter_joins_the_values_line():
    table = "Class A\nCommon Stock 05/01/2012 S 100 D $10.00 900 D\nClass A\nCommon Stock 05/02/2012 S 50 D $10.10 850 D\n"
    [table1, _] = _read(table, HEAD.replace("   ", " "))
    assert _got(table1.rows) == TWO_ROWS


def test_a_cell_stream_table_is_recorded_as_one_and_its_labelled_cells_dealt_to_two_rows():
    text = FAMILY_TABLES["cell-stream"]
    [table1, _] = _read(text, HEAD.replace("   ", " "))
    assert table1.layout == "cell-stream"
    # the model labels each printed cell; a wrapped title is one paragraph
    labelled = [(label, value.replace("Common Stock", "Common\nStock")) for row in TWO_ROWS for label, value in zip(_LABELS, row)]
    at, entities = 0, []
    for label, printed in labelled:
        start = text.index(printed, at)
        entities.append(Entity(label, start, start + len(printed), printed, E.MODEL, "model"))
        at = start + len(printed)
    rows = stream_rows("I", text, 0, len(text), entities)
    got = [tuple(" ".join(" ".join(p.text.split()) for p in cells[label]) for label in _LABELS) for cells, _ in rows]
    assert got == TWO_ROWS


def test_a_page_foot_between_a_long_tables_rows_is_no_row_and_no_cells_text():
    """A table printed over two pages: the form's revision and page number at the first page's
    foot, the column headings repeated at the next page's head."""
    at = lambda x, s: " " * x + s  # noqa: E731
    table = "\n".join([
        "Common Stock" + at(10, "03/01/2024") + at(5, "S") + at(5, "100") + at(5, "D") + at(5, "$10.50") + at(5, "900") + at(6, "I") + at(4, "By the Roe Family"),
        at(91, "Trust"),
        "",
        "SEC 1474 (03-26)" + at(70, "Page 1 of 2"),
        "\f" + HEAD.splitlines()[-2],
        "",
        "Common Stock" + at(10, "03/01/2024") + at(5, "S") + at(5, "200") + at(5, "D") + at(5, "$10.75") + at(5, "700") + at(6, "I") + at(4, "By the Roe 2019"),
        at(91, "GRAT"),
    ]) + "\n"
    rows = _rows(table)
    assert _cells(rows, F.SECURITY_TITLE) == ["Common Stock"] * 2
    assert _cells(rows, F.NATURE) == ["By the Roe Family Trust", "By the Roe 2019 GRAT"]


def test_a_table_ii_amount_takes_its_side_from_the_column_it_stands_in():
    """Column 5 prints the amount under "(A)" or under "(D)", no letter: the side is the column's."""
    head = (
        "Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned\n"
        "                                          Code  V     (A)     (D)     Exercisable  Date        Title         Shares\n\n"
    )
    line = "Stock Option   $12.50   03/01/2024       J                    500      (1)        06/30/2031  Common Stock  500     $0.00   1,500   D\n"
    assert head.splitlines()[1].index("(D)") == line.index("500")
    [row] = [r for r in find_rows(find_sections(HEAD + head + line + "\nExplanation of Responses:\n1. A note.\n")) if r.table == "II"]
    assert row.get(F.ACQ_DISP).value_text == "D" and row.get(F.SHARES).value_text == "500"



def _option(**changes):
    """A Table II row as a filer types it: an option exercised (code M), its Date Exercisable blank."""
    from form4.schema import DerivativeTransaction

    row = dict(security_title="Stock Option (right to buy)", conversion_or_exercise_price=12.5, transaction_date="2024-03-01",
               transaction_code="M", equity_swap_involved=False, shares=500, acquired_disposed="D", exercise_date=None,
               expiration_date="2031-06-30", underlying_security_title="Common Stock", underlying_security_shares=500,
               price_per_share=0, shares_owned_following=1500, direct_or_indirect="D")
    return DerivativeTransaction(**(row | changes))


def _table2(record, style: str, converter: str) -> list[dict]:
    return extract_text(printed(record, converter, style), "x").to_json_dict()["derivative_transactions"]


#: page styles and converters the printed-filing tests read
PRINTED = [(s, c) for s in ("paper", "plain", "agent", "word") for c in ("pdftotext-layout", "pdftotext-raw")]


@needs_print
@pytest.mark.parametrize("style,converter", PRINTED)
def test_one_date_printed_in_column_6_is_the_expiration_date_when_date_exercisable_is_blank(style, converter):
    got = _table2(typed_filing(derivative_transactions=(_option(),)), style, converter)
    assert [(r.get("exercise_date"), r["expiration_date"]) for r in got] == [(None, "2031-06-30")]


@needs_print
@pytest.mark.parametrize("style,converter", PRINTED)
def test_the_exercisable_and_expiration_dates_are_read_in_every_style_also_when_one_cell_stacks_them(style, converter):
    """The plain page prints "Date Exercisable / Expiration Date" in one cell, one date above the other."""
    row = _option(exercise_date="2024-03-01", expiration_date="2033-01-15", transaction_code="A", acquired_disposed="A",
                  deemed_execution_date="2024-03-03")
    got = _table2(typed_filing(derivative_transactions=(_option(), row)), style, converter)
    assert [(r.get("exercise_date"), r["expiration_date"], r.get("deemed_execution_date")) for r in got] == [
        (None, "2031-06-30", None), ("2024-03-01", "2033-01-15", "2024-03-03")]
    assert [r["underlying_security_shares"] for r in got] == [500, 500]


#: natures long enough to wrap over several lines, as funds name themselves
_FUNDS = ("Example Capital Growth Fund IV, L.P.", "Example Capital Principals Fund IV, L.P.", "Example Venture 2010-Seed Fund, L.P.",
          "Example Technology Partners XII, L.P.", "the Roe Family Trust", "Example Capital Global Growth Fund III - Endurance Partners, L.P.")


def _long_holdings_table():
    """Two sales and fourteen indirect holdings, each nature wrapped: a table over two or three pages."""
    from form4.schema import NonDerivativeHolding

    rows = tuple(NonDerivativeHolding(security_title="Class A Common Stock", shares_owned_following=1000 * (k + 3) + 7, direct_or_indirect="I",
                                      nature_of_ownership=f"By {_FUNDS[k % len(_FUNDS)]}", footnote_ids=("F1",)) for k in range(14))
    return typed_filing(non_derivative_holdings=rows)


def _chunked_seed(style: str) -> int:
    """A page seed whose table goes on over pages (headings repeated, page feet printed)."""
    from form4.training.pages.habits import habits

    return next(s for s in range(1, 3000) if (h := habits(s, style)).chunk and h.chunk < 10 and h.footer and not h.continued)


@needs_print
@pytest.mark.parametrize("style,converter", [(s, "pdftotext-raw") for s in ("paper", "plain", "agent", "word")])
def test_holdings_with_long_natures_over_pages_keep_their_rows_titles_and_natures(style, converter):
    record = _long_holdings_table()
    got = extract_text(printed(record, converter, style, _chunked_seed(style)), "x").to_json_dict()["non_derivative_holdings"]
    want = record.to_json_dict()["non_derivative_holdings"]
    fields = ("security_title", "shares_owned_following", "nature_of_ownership", "footnote_ids")
    assert [tuple(r.get(f) for f in fields) for r in got] == [tuple(r.get(f) for f in fields) for r in want]
