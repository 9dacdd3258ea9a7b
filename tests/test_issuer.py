"""read.issuer: box 2's issuer name and ticker, however the filer typed them."""

from __future__ import annotations

import pytest

from form4.read.boxes import Piece
from form4.read.header import read_header
from form4.read.issuer import read_box2
from form4.read.sections import find_sections

from conftest import PRINT_CONVERTERS, needs_print, printed, typed_filing

LABEL = "2. Issuer Name and Ticker or Trading Symbol"


def _read(box: str) -> dict[str, str]:
    return {e.label: e.value_source for e in read_box2(box, [Piece(0, len(box))])}


@pytest.mark.parametrize("box", [
    f"{LABEL}\nExample Holdings, Inc. [ EXMP ]\n",  # EDGAR's page
    f"{LABEL}\nExample Holdings, Inc. (EXMP)\n",
    f"{LABEL} Example Holdings, Inc. ( EXMP )",  # the value beside its label (pdftotext -raw)
    f"{LABEL}\nExample Holdings, Inc. (NASDAQ: EXMP)\n",
    f"{LABEL}\nExample Holdings, Inc.\nEXMP\n2a. Foreign Trading Symbol\n",  # the paper form's two lines
    "2. Issuer Name and Ticker or Trading\nSymbol\nExample Holdings, Inc.\nEXMP\n",  # the label wrapped as the blank form prints it
    f"{LABEL}\nExample Holdings,\nInc.\nEXMP\n",  # a name wrapped over two lines
])
def test_the_ticker_is_read_however_the_filer_typed_it_in_box_2(box):
    assert _read(box) == {"ISSUER_NAME": "Example Holdings, Inc.", "TICKER": "EXMP"}


def test_a_company_suffix_or_none_on_the_second_line_is_no_ticker():
    assert _read(f"{LABEL}\nMICROSOFT\nCORP\n") == {}
    assert _read(f"{LABEL}\nPrivate Holdings LLC\nNONE\n") == {}
    assert _read(f"{LABEL}\nPrivate Holdings LLC (None)\n") == {}


def test_box_2a_foreign_trading_symbol_is_not_box_2s_ticker():
    assert _read(f"{LABEL}\nExample Holdings, Inc.\n2a. Foreign Trading Symbol\nEXMP\n") == {}


def test_a_value_beside_its_label_on_a_label_per_line_page_is_that_boxs():
    text = ("FORM 4\n"
            " 1. Name and Address of Reporting Person *             Roe Jane\n"
            "                                                       100 Main Street\n"
            " 5. Relationship of Reporting Person(s) to Issuer (\n"
            "                                                       Check all applicable)\n"
            "                                                       [X] Director\n"
            " 2. Issuer Name and Ticker or Trading Symbol           Example Holdings, Inc. ( EXMP )\n"
            " 3. Date of Earliest Transaction (Month/Day/Year)      03/01/2024\n"
            "Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned\n"
            "Explanation of Responses:\n1. A note.\n")
    issuer = {e.label: e.value_source for e in read_header(find_sections(text)).issuer}
    assert issuer == {"ISSUER_NAME": "Example Holdings, Inc.", "TICKER": "EXMP"}


def test_box_2s_wrapped_label_word_is_never_the_owners_name():
    text = ("FORM 4\n"
            " 1. Name and Address of Reporting Person*   2. Issuer Name and Ticker or Trading   5. Relationship of Reporting Person(s) to Issuer (Check all\n"
            " Symbol                                     Example Holdings, Inc.                 applicable)\n"
            " Roe Jane                                   EXMP                                   _____ Director\n"
            " (Last)      (First)      (Middle)\n"
            "Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned\n"
            "Explanation of Responses:\n1. A note.\n")
    header = read_header(find_sections(text))
    assert {e.label: e.value_source for e in header.owner}["OWNER_NAME"] == "Roe Jane"
    assert {e.label: e.value_source for e in header.issuer} == {"ISSUER_NAME": "Example Holdings, Inc.", "TICKER": "EXMP"}


@needs_print
@pytest.mark.parametrize("converter", PRINT_CONVERTERS)
def test_the_issuer_typed_on_the_paper_form_is_read(converter):
    sections = find_sections(printed(typed_filing(), converter))
    assert {e.label: e.value_source for e in read_header(sections).issuer} == {"ISSUER_NAME": "Example Holdings, Inc.", "TICKER": "EXMP"}
