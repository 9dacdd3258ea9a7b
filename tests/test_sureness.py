"""form4.model.sureness: which regions and lines the rules read surely, so the model reads only the rest."""

from conftest import FOOT, HEAD, SIG
from form4.read.footer import read_footer
from form4.read.header import read_header
from form4.read.sections import find_sections
from form4.model.sureness import unsure_regions
from form4.read.tables import find_rows


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
    from form4.model.sureness import unsure_spans

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
