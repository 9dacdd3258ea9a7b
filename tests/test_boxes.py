"""form4.read.boxes: the header cut into boxes 1-6, and the dates of boxes 3 and 4."""

import pytest

from conftest import PRINT_CONVERTERS, needs_print, printed, typed_filing


def test_the_omb_boxs_expiry_date_is_never_a_date_of_the_filing():
    from form4.read.boxes import Piece, first_date

    text = "OMB Number: 3235-0287\nExpires:        August 31, 2026\n3. Date of Earliest Transaction (Month/Day/Year)\n08/20/2019\n"
    assert first_date(text, [Piece(0, len(text))], "PERIOD_DATE").value_source == "08/20/2019"
    text = "Board of Governors of the Federal Reserve System   OMB Number 7100-0091   Approval expires August 31, 2026\n"
    assert first_date(text, [Piece(0, len(text))], "PERIOD_DATE") is None


@needs_print
@pytest.mark.parametrize("style", ["paper", "agent", "word"])
def test_the_omb_expiry_date_printed_above_box_3_is_never_the_period_of_report(style):
    from form4.run.pipeline import RULES_ONLY, extract_text
    from form4.training.pages.habits import habits

    seed = next(s for s in range(200) if habits(s, style).expires)
    record = typed_filing()
    for converter in PRINT_CONVERTERS:
        text = printed(record, converter, style, seed)
        assert habits(seed, style).expires.split(": ")[1] in text
        assert extract_text(text, "x", RULES_ONLY).period_of_report == record.period_of_report, converter
