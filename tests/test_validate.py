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
