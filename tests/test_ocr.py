"""form4.form.ocr: what OCR leaves of footnote marks, dropped from text cells."""

import pytest

from form4.form.ocr import drop_ocr_mark


@pytest.mark.parametrize(
    "words, kept",
    [("See Footnotes2)", "See Footnotes"), ("Fund, L.P.&)", "Fund, L.P."), ("Lp@", "Lp"), ("Stock Option (right to buy)", "Stock Option (right to buy)")],
    ids=["digit-and-paren", "ampersand-paren", "at-sign", "balanced-parens-kept"],
)
def test_unreadable_mark_remnants_leave_text_cells(words, kept):
    assert drop_ocr_mark(words) == kept


def test_a_nature_printed_in_lower_case_keeps_its_first_word():
    from form4.form.ocr import tidy_cell

    assert tidy_cell("by Trust") == "by Trust"
    assert tidy_cell("in trust for children") == "in trust for children"
    assert tidy_cell("oy) o) By Spouse") == "By Spouse"  # OCR's mark remnants still go
