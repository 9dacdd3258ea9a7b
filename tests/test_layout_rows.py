"""Layout-table reading: glued footnote marks, wrapped cells, prose in table cells, signatures."""

from form4.footer import read_footer
from form4.header import read_header
from form4.layout import blank_markup
from form4.pipeline import extract_text
from form4.tables import find_rows
from form4.sections import find_sections
from form4.sureness import unsure_regions

HEAD = """FORM 4 STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP
1. Name and Address of Reporting Person*        2. Issuer Name and Ticker or Trading Symbol
 Doe Jane                                        ACME CORP [ ACME ]
                          Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned
1. Title of Security (Instr. 3)      2. Transaction Date       3. Transaction Code (Instr. 8)
                                       Code     V     Amount          (D)        Price

"""
FOOT = """                          Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned
Explanation of Responses:
1. A note.
2. Another note.
"""
SIG = """
                                                                        Ann Lee, Attorney-in-fact for
                                                                                          09/11/2020
                                                                        Jane Doe
                                                                        ** Signature of Reporting Person       Date
"""


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


def test_signature_name_wrapped_around_its_date():
    sections = find_sections(HEAD + "Common Stock   05/01/2012   S   600   D   $10.00   1,000   D\n" + FOOT + SIG)
    (sig,) = read_footer(sections).signatures
    got = {e.label: e.value_source for e in sig}
    assert got["SIGNER_NAME"] == "Ann Lee, Attorney-in-fact for Jane Doe"
    assert got["SIGNATURE_DATE"] == "09/11/2020"


def test_blank_markup_keeps_offsets():
    text = "| <span class='F'>1.</span> <span>Sold under a plan.</span> |\n|---|---|\n"
    view = blank_markup(text)
    assert len(view) == len(text)
    assert view.split() == ["1.", "Sold", "under", "a", "plan."]
    assert view.index("Sold") == text.index("Sold")


def test_markdown_footnotes_and_signature_in_table_cells():
    text = (
        HEAD + "Common Stock   05/01/2012   S   600   D   $10.00   1,000   D\n" + FOOT.split("Explanation")[0]
        + "| **Explanation of Responses:** |\n| <span>1.</span> <span>A note.</span> |\n| **Remarks:** |\n|  |\n\n"
        + "| | <u><span>/s/ Ann Lee</span></u> | <u><span>05/03/2012</span></u> |\n| | \\*\\* Signature of Reporting Person | Date |\n"
    )
    record = extract_text(text)
    assert [(f.id, f.text) for f in record.footnotes] == [("F1", "A note.")]
    assert record.remarks is None
    assert [(s.name, str(s.date)) for s in record.signatures] == [("/s/ Ann Lee", "2012-05-03")]


def test_cascade_skips_regions_the_rules_read_surely():
    text = HEAD + "Common Stock            05/01/2012        S         600     D     $10.00     1,000     D\n" + FOOT + SIG
    sections = find_sections(text)
    header, rows, footer = read_header(sections), find_rows(sections), read_footer(sections)
    unsure = unsure_regions(sections, header, rows, footer)
    assert "table1" not in unsure and "signature" not in unsure
    broken = HEAD + "Common Stock            05/01/2012        S         600     $10.00\n" + FOOT + SIG
    sections = find_sections(broken)
    assert "table1" in unsure_regions(sections, read_header(sections), find_rows(sections), read_footer(sections))


def test_model_reads_only_the_lines_around_an_unsure_row():
    from form4.sureness import unsure_spans

    good = "Common Stock            05/01/2012        S         600     D     $10.00     1,000     D\n"
    bad = "Common Stock            05/02/2012        S         700     $11.00\n"
    text = HEAD + good * 6 + bad + good * 6 + FOOT + SIG
    sections = find_sections(text)
    spans = unsure_spans(sections, read_header(sections), find_rows(sections), read_footer(sections))
    in_table = [(s, e) for s, e in spans if sections.table1.start <= s < sections.table1.end]
    assert len(in_table) == 1  # (the header of this snippet has no date: it is read by the model too)
    start, end = in_table[0]
    assert start <= text.index(bad) and text.index(bad) + len(bad) - 1 <= end
    assert end - start < len(sections.table1.slice(text)) / 2  # not the whole table


def test_owner_read_line_by_line_when_ocr_merged_the_boxes():
    from form4.merged_owner import read_merged_owner

    text = (
        "1. Name and Address of Reporting Person” 2. Issuer Name and Ticker or Trading Symbol 5. Relationship\n"
        "Eventbrite, Inc. [ EB ] (Check all applicable)\n"
        "BOTHA ROELOF » X Director X 10% Owner\n"
        "(Last) (First) (Middle) 3. Date of Earliest Transaction (Month/Day/Year)\n"
        "2800 SAND HILL ROAD, SUITE 101 08/20/2019\n"
        "(Street) 4. If Amendment, Date of Original Filed (Month/Day/Year)\n"
        "MENLO PARK CA 94025\n"
        "(City) (State) (Zip)\n"
    )
    from form4.entities import Entity

    issuer = [Entity("ISSUER_NAME", 0, 0, "Eventbrite, Inc.", 0.9)]
    got = {e.label: e.value_source for e in read_merged_owner(text, 0, len(text), issuer)}
    assert got == {"OWNER_NAME": "BOTHA ROELOF", "OWNER_STREET1": "2800 SAND HILL ROAD, SUITE 101",
                   "OWNER_CITY": "MENLO PARK", "OWNER_STATE": "CA", "OWNER_ZIP": "94025"}


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


def test_owner_split_from_the_issuer_at_a_change_of_letter_case():
    from form4.entities import Entity
    from form4.merged_owner import split_owner_from_issuer as _split_owner_from_issuer

    line = "Hoffman Reid MICROSOFT CORP"
    owner = [Entity("OWNER_NAME", 0, 9, "X Director", 0.7)]
    issuer = [Entity("ISSUER_NAME", 100, 100 + len(line), line, 0.9)]
    new_owner, new_issuer = _split_owner_from_issuer(owner, issuer)
    assert [e.value_source for e in new_owner] == ["Hoffman Reid"]
    assert [e.value_source for e in new_issuer] == ["MICROSOFT CORP"]
    assert new_issuer[0].start == 100 + line.index("MICROSOFT")
    kept = [Entity("OWNER_NAME", 0, 12, "Jane Q. Doe", 0.9)]
    assert _split_owner_from_issuer(kept, issuer) == (kept, issuer)  # a real owner reading is left alone


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
