"""form4.assemble.plausible: a price far off its neighbours is read again or flagged, on printed filings."""

import pytest

from conftest import needs_print, printed, typed_filing
from form4 import extract_text
from form4.run.pipeline import extract_text as extract_traced
from form4.schema import NonDerivativeTransaction


def _three_sales():
    def sale(shares: int, left: int, price: float) -> NonDerivativeTransaction:
        return NonDerivativeTransaction(security_title="Common Stock", transaction_date="2024-03-01", transaction_code="S",
                                        equity_swap_involved=False, shares=shares, price_per_share=price, acquired_disposed="D",
                                        shares_owned_following=left, direct_or_indirect="D")

    return typed_filing(non_derivative_transactions=(sale(100, 900, 10.5), sale(200, 700, 10.625), sale(50, 650, 10.75)))


STYLES = [(s, c) for s in ("paper", "plain", "agent", "word") for c in ("pdftotext-layout", "pdftotext-raw")]


@needs_print
@pytest.mark.parametrize("style,converter", STYLES)
def test_a_price_whose_decimal_point_ocr_read_as_a_comma_is_read_again_with_a_warning(style, converter):
    text = printed(_three_sales(), converter, style)
    assert "10.625" in text
    record = extract_text(text.replace("10.625", "10,625"), "x")  # OCR's comma/period confusion: 1000x the others
    assert [r.price_per_share for r in record.non_derivative_transactions] == [10.5, 10.625, 10.75]
    assert any("'$10,625' is 1,000x the other prices of Common Stock" in w and w.endswith("re-read as 10.625") for w in record.warnings)


@needs_print
@pytest.mark.parametrize("style,converter", STYLES)
def test_a_price_no_reading_brings_near_its_neighbours_is_flagged_with_a_low_confidence(style, converter):
    text = printed(_three_sales(), converter, style)
    record = extract_text(text.replace("10.75", "1075"), "x")  # the decimal point lost: 100x the others
    assert [r.price_per_share for r in record.non_derivative_transactions] == [10.5, 10.625, 1075.0]
    pointer = "/non_derivative_transactions/2/price_per_share"
    assert record.confidence[pointer] <= 0.3 < min(record.confidence[f"/non_derivative_transactions/{i}/price_per_share"] for i in (0, 1))
    assert any("price 1,075 is 50x or more off the other prices of Common Stock" in w for w in record.warnings)
    assert pointer in record.review


@needs_print
def test_the_calibrator_sees_a_re_read_price_as_a_repair_and_a_flagged_one_as_a_plausibility_breach():
    text = printed(_three_sales(), "pdftotext-layout", "paper")
    trace: dict = {}
    extract_traced(text.replace("10.625", "10,625"), "x", trace=trace)
    assert trace["provenance"].repaired().get("/non_derivative_transactions/1/price_per_share") == "confusion"
    trace = {}
    extract_traced(text.replace("10.75", "1075"), "x", trace=trace)
    assert [b.pointers for b in trace["provenance"].breaches if b.rule == "plausibility"] == [
        ("/non_derivative_transactions/2/price_per_share",)]
