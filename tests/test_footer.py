"""form4.read.footer: footnotes, remarks and signatures (wrapped, OCR-joined, in markdown cells)."""

import pytest

from conftest import FOOT, HEAD, SIG
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
