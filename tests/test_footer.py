"""form4.read.footer: footnotes, remarks and signatures (wrapped, OCR-joined, in markdown cells)."""

import datetime as dt

import pytest

from conftest import FOOT, HEAD, PRINT_CONVERTERS, SIG, needs_print, printed, typed_filing
from form4.schema import Signature
from form4.read.footer import read_footer, read_footnotes
from form4.run.pipeline import extract_text
from form4.read.sections import Span, find_sections


def test_signature_name_wrapped_around_its_date():
    sections = find_sections(HEAD + "Common Stock   05/01/2012   S   600   D   $10.00   1,000   D\n" + FOOT + SIG)
    (sig,) = read_footer(sections).signatures
    got = {e.label: e.value_source for e in sig}
    assert got["SIGNER_NAME"] == "Ann Lee, Attorney-in-fact for Jane Doe"
    assert got["SIGNATURE_DATE"] == "09/11/2020"


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


def test_footnotes_numbered_with_ocr_commas():
    text = "Explanation of Responses:\n1, Weighted average price.\n2. By a trust.\n\f3, The shares, 4, of them.\n4 Shares held\nby a 5 Trust.\n"
    notes = read_footnotes(text, Span(0, len(text)))
    assert [(n.id, n.text) for n in notes] == [
        ("F1", "Weighted average price."), ("F2", "By a trust."), ("F3", "The shares, 4, of them."), ("F4", "Shares held by a 5 Trust.")
    ]


def test_the_notes_of_a_copy_that_continues_a_filing_count_up_from_their_first_number():
    text = "Explanation of Responses:\n5. Sold under a trading plan.\n6. Held by a trust; see 2. above.\n"
    assert [(n.id, n.text) for n in read_footnotes(text, Span(0, len(text)))] == [
        ("F5", "Sold under a trading plan."), ("F6", "Held by a trust; see 2. above.")]
    text = "Explanation of Responses:\n2. A note before the first.\n1. The first note.\n2. The second.\n"
    assert [n.id for n in read_footnotes(text, Span(0, len(text)))] == ["F1", "F2"]


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
    from form4.read.footer import read_footer

    footer = read_footer(find_sections(SIGNED.format(signature=signature)))
    [sig] = footer.signatures
    assert {e.label: e.value_source for e in sig}["SIGNER_NAME"] == name


def test_signature_date_printed_after_its_label_and_boilerplate_is_no_remark():
    from form4.read.footer import read_footer

    text = SIGNED.format(signature="Reminder: Report on a separate line for each class of securities.\n/s/ Jane Doe").replace(
        "Signature of Reporting Person Date\n", "Signature of Reporting Person\n\n03/01/2024\n\nDate\n"
    )
    footer = read_footer(find_sections(text))
    assert footer.remarks is None
    assert {e.label: e.value_source for e in footer.signatures[0]} == {"SIGNER_NAME": "/s/ Jane Doe", "SIGNATURE_DATE": "03/01/2024"}


def test_footnotes_whose_numbers_markdown_escaped_are_read():
    text = "Explanation of Responses:\n\n1\\. Sold under a 10b5-1 plan.\n\n2\\. Held by a trust.\n"
    notes = read_footnotes(text, Span(0, len(text)))
    assert [(n.id, n.text) for n in notes] == [("F1", "Sold under a 10b5-1 plan."), ("F2", "Held by a trust.")]


FOOTED = """FORM 4 STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP
1. Name and Address of Reporting Person*
Doe Jane
Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned
Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned
Explanation of Responses:
1. A note.
2. The last note.
{footer}"""


def _footer(footer: str):
    from form4.read.footer import read_footer

    read = read_footer(find_sections(FOOTED.format(footer=footer)))
    return ([(n.id, n.text) for n in read.footnotes], read.remarks.value_source if read.remarks else None,
            [{e.label: e.value_source for e in sig} for sig in read.signatures])


def test_the_legend_under_the_signature_line_is_never_part_of_the_signers_name():
    # pdftotext -raw of the paper form: the legend between the signature line and its label
    notes, remarks, signatures = _footer(
        "/s/ Jane Roe, Attorney-in-Fact 03/05/2024\n"
        "** Intentional misstatements or omissions of facts constitute Federal Criminal\n"
        "Violations. See 18 U.S.C. 1001 and 15 U.S.C. 78ff(a).\n"
        "** Signature of Reporting Person Date\n"
        "Note: File three copies of this Form, one of which must be manually signed. If space is insufficient, see Instruction 6 for procedure.\n")
    assert signatures == [{"SIGNER_NAME": "/s/ Jane Roe, Attorney-in-Fact", "SIGNATURE_DATE": "03/05/2024"}]
    assert notes[-1] == ("F2", "The last note.") and remarks is None


def test_a_page_footer_between_the_notes_is_no_part_of_a_note():
    notes, _, _ = _footer("Page 3 of 12\nSEC 1474 (03-26)\n/s/ Jane Roe 03/05/2024\n** Signature of Reporting Person Date\n")
    assert notes == [("F1", "A note."), ("F2", "The last note.")]


def test_signature_lines_typed_under_the_forms_label_are_the_signature_and_the_last_note_stays_a_note():
    notes, remarks, signatures = _footer(
        "\n ** Signature of Reporting Person            Date\n\n"
        " /s/ Jane Roe, Attorney-in-Fact                        03/05/2024\n\n"
        " ** Intentional misstatements or omissions of facts constitute Federal Criminal Violations. See 18 U.S.C. 1001 and 15 U.S.C. 78ff(a).\n")
    assert signatures == [{"SIGNER_NAME": "/s/ Jane Roe, Attorney-in-Fact", "SIGNATURE_DATE": "03/05/2024"}]
    assert notes[-1] == ("F2", "The last note.") and remarks is None


def test_a_dated_name_typed_under_the_label_without_s_is_the_signature():
    notes, _, signatures = _footer("\n**Signature of Reporting Person     Date\n\n Keith R. Dolliver, Attorney-in-fact for Jane Doe    08/31/2017\n")
    assert signatures == [{"SIGNER_NAME": "Keith R. Dolliver, Attorney-in-fact for Jane Doe", "SIGNATURE_DATE": "08/31/2017"}]
    assert notes[-1] == ("F2", "The last note.")


@pytest.mark.parametrize("block", [
    "Example Ventures Fund II L.P., By: /s/ Jane Roe, Managing Member 03/05/2024\n",
    "Example Ventures Fund II L.P.,\nBy: /s/ Jane Roe, Managing Member\n03/05/2024\n",
    "Example Ventures Fund II L.P., By: /s/\nJane Roe, Managing Member\n03/05/2024\n",
    "                  Example Ventures Fund II L.P.,\n                                                        03/05/2024\n"
    "                  By: /s/ Jane Roe, Managing Member\n",  # pdftotext -layout: the date column between the lines
], ids=["one-line", "by-line-under-the-name", "s-ending-the-line", "date-between"])
def test_an_entity_signs_with_its_name_and_the_by_line_of_who_signs_for_it(block):
    _, _, signatures = _footer(block + "** Signature of Reporting Person Date\n")
    assert signatures == [{"SIGNER_NAME": "Example Ventures Fund II L.P., By: /s/ Jane Roe, Managing Member", "SIGNATURE_DATE": "03/05/2024"}]


def test_several_signatures_each_keep_their_own_name_and_date():
    _, _, signatures = _footer(
        "Example Ventures Fund II L.P.,\nBy: Example GP LLC, its General Partner,\nBy: /s/ Jane Roe, Managing Member 03/05/2024\n"
        "/s/ Jane Roe 03/05/2024\n"
        "Example GP LLC,\nBy: /s/ Jane Roe, Managing Member 03/06/2024\n"
        "** Signature of Reporting Person Date\n")
    assert [(s["SIGNER_NAME"], s["SIGNATURE_DATE"]) for s in signatures] == [
        ("Example Ventures Fund II L.P., By: Example GP LLC, its General Partner, By: /s/ Jane Roe, Managing Member", "03/05/2024"),
        ("/s/ Jane Roe", "03/05/2024"),
        ("Example GP LLC, By: /s/ Jane Roe, Managing Member", "03/06/2024"),
    ]


@needs_print
@pytest.mark.parametrize("converter", PRINT_CONVERTERS)
def test_an_entity_signature_typed_on_the_paper_form_is_read_without_the_forms_legend(converter):
    signed = Signature(name="Example Ventures Fund II L.P., By: /s/ Jane Roe, Managing Member", date=dt.date(2024, 3, 5))
    record = typed_filing(signatures=(signed,))
    read = extract_text(printed(record, converter), "x")
    assert read.signatures == (signed,)
    assert read.footnotes == record.footnotes and read.remarks is None
