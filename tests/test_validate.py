"""form4.assemble.validate: the form's own rules, checked on a record."""

from form4.schema import NonDerivativeTransaction as T, Record, ReportingOwner
from form4.assemble.validate import validate


def test_validation_rules():
    owner = ReportingOwner(is_director=False, is_officer=True, is_ten_percent_owner=False, is_other=False)
    rows = (
        T(security_title="Common Stock", transaction_code="S", shares=100, acquired_disposed="D", shares_owned_following=900, direct_or_indirect="D"),
        T(security_title="Common Stock", transaction_code="S", shares=100, acquired_disposed="D", shares_owned_following=850, direct_or_indirect="D"),
    )
    rules = sorted(b.rule for b in validate(Record(reporting_owners=(owner,), non_derivative_transactions=rows)))
    assert rules == ["holdings-chain", "officer-title"]



def _sales(*prices, code="S"):
    return tuple(T(security_title="Common Stock", transaction_code=code, shares=10, acquired_disposed="D", price_per_share=p) for p in prices)


def test_a_market_price_fifty_times_off_its_securitys_other_prices_breaks_plausibility():
    breaches = [b for b in validate(Record(non_derivative_transactions=_sales(12.1, 12.3, 12345.0, 12.2))) if b.rule == "plausibility"]
    assert [b.pointers for b in breaches] == [("/non_derivative_transactions/2/price_per_share",)]


def test_prices_of_exercises_and_grants_and_of_two_rows_alone_are_not_compared():
    """An exercise's price is the option's strike, not the market's; of two prices neither is the odd one."""
    assert not [b for b in validate(Record(non_derivative_transactions=_sales(0.5, 60.0, 61.0, code="M"))) if b.rule == "plausibility"]
    assert not [b for b in validate(Record(non_derivative_transactions=_sales(12.3, 12345.0))) if b.rule == "plausibility"]
