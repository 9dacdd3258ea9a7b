"""The form's own rules, checked on a record. A breach is a warning, never an error."""

from __future__ import annotations

from dataclasses import dataclass

from ..form.codes import TRANSACTION_CODES
from ..schema import Record
from .plausible import OUTLIER, outliers, price_groups, shown

#: Codes whose acquired/disposed side is fixed, per table.
_FIRM_SIDE = {"P": "A", "S": "D", "F": "D", "A": "A", "D": "D"}
_FIRM_SIDE_NON_DERIVATIVE = {**_FIRM_SIDE, "M": "A", "X": "A", "C": "A"}
_FIRM_SIDE_DERIVATIVE = {**_FIRM_SIDE, "M": "D", "X": "D", "C": "D"}


#: Rules whose breach says the value itself is implausible, not only that two values disagree.
IMPLAUSIBLE = frozenset({"plausibility"})


@dataclass(frozen=True)
class Breach:
    rule: str
    message: str
    pointers: tuple[str, ...]


def validate(record: Record) -> list[Breach]:
    """All breaches of the form's rules in ``record``.

    >>> from form4.schema import NonDerivativeTransaction as T, ReportingOwner as O
    >>> r = Record(reporting_owners=(O(is_director=True),), non_derivative_transactions=(
    ...     T(security_title="Common Stock", transaction_code="S", shares=10, acquired_disposed="A",
    ...       shares_owned_following=100, direct_or_indirect="D"),))
    >>> [b.rule for b in validate(r)]
    ['code-vs-side']
    """
    out: list[Breach] = []
    out += _holdings_chain(record)
    out += _code_vs_side(record)
    out += _date_order(record)
    out += _relationships(record)
    out += price_outliers(record)
    return out


def _holdings_chain(record: Record) -> list[Breach]:
    out = []
    for key in ("non_derivative_transactions", "derivative_transactions"):
        last: dict[tuple, tuple[int, float]] = {}
        for i, row in enumerate(getattr(record, key)):
            chain = ((row.security_title or "").lower(), row.direct_or_indirect, row.nature_of_ownership)
            following, shares, side = row.shares_owned_following, row.shares, row.acquired_disposed
            if chain in last and None not in (following, shares, side):
                j, prev = last[chain]
                expected = prev + shares if side == "A" else prev - shares
                if abs(expected - following) > 0.5:
                    out.append(
                        Breach(
                            "holdings-chain",
                            f"{key}[{i}]: shares owned following {following:,g} != {prev:,g} "
                            f"{'+' if side == 'A' else '-'} {shares:,g} (row {j} of the same security and form)",
                            (f"/{key}/{i}/shares_owned_following", f"/{key}/{j}/shares_owned_following", f"/{key}/{i}/shares"),
                        )
                    )
            if following is not None:
                last[chain] = (i, following)
    return out


def _code_vs_side(record: Record) -> list[Breach]:
    out = []
    for key, firm in (
        ("non_derivative_transactions", _FIRM_SIDE_NON_DERIVATIVE),
        ("derivative_transactions", _FIRM_SIDE_DERIVATIVE),
    ):
        for i, row in enumerate(getattr(record, key)):
            code, side = row.transaction_code, row.acquired_disposed
            if code is not None and code not in TRANSACTION_CODES:
                out.append(Breach("code", f"{key}[{i}]: {code!r} is not a Form 4 transaction code", (f"/{key}/{i}/transaction_code",)))
            elif code in firm and side is not None and firm[code] != side:
                out.append(
                    Breach(
                        "code-vs-side",
                        f"{key}[{i}]: code {code} normally means ({firm[code]}), but the row says ({side})",
                        (f"/{key}/{i}/transaction_code", f"/{key}/{i}/acquired_disposed"),
                    )
                )
    return out


def _date_order(record: Record) -> list[Breach]:
    out = []
    signed = [s.date for s in record.signatures if s.date]
    latest_signature = max(signed) if signed else None
    dates: list[tuple[str, object]] = []
    for key in ("non_derivative_transactions", "derivative_transactions"):
        for i, row in enumerate(getattr(record, key)):
            for name in ("transaction_date", "deemed_execution_date"):
                if getattr(row, name):
                    dates.append((f"/{key}/{i}/{name}", getattr(row, name)))
    if record.period_of_report:
        dates.append(("/period_of_report", record.period_of_report))
    if latest_signature:
        for pointer, value in dates:
            if value > latest_signature:
                out.append(Breach("date-order", f"{pointer[1:]} {value} is after the signature date {latest_signature}", (pointer,)))
    txn = [v for p, v in dates if p.endswith("transaction_date")]
    if record.period_of_report and txn and min(txn) != record.period_of_report:
        out.append(
            Breach(
                "date-order",
                f"period_of_report {record.period_of_report} is not the earliest transaction date {min(txn)}",
                ("/period_of_report",),
            )
        )
    return out


def _relationships(record: Record) -> list[Breach]:
    out = []
    for i, owner in enumerate(record.reporting_owners):
        boxes = (owner.is_director, owner.is_officer, owner.is_ten_percent_owner, owner.is_other)
        if not any(boxes):
            out.append(
                Breach(
                    "relationship",
                    f"reporting_owners[{i}]: no relationship box (Director, Officer, 10% Owner, Other) is checked",
                    tuple(f"/reporting_owners/{i}/{n}" for n in ("is_director", "is_officer", "is_ten_percent_owner", "is_other")),
                )
            )
        if owner.is_officer and not owner.officer_title:
            out.append(Breach("officer-title", f"reporting_owners[{i}]: Officer is checked but no officer title is given", (f"/reporting_owners/{i}/is_officer",)))
    return out


def price_outliers(record: Record) -> list[Breach]:
    """Market prices (codes P, S, F) 50x or more off the median of their security's in the filing (three or more):
    a misreading no other reading mends (``plausible``).

    >>> from form4.schema import NonDerivativeTransaction as T
    >>> rows = tuple(T(security_title="Common Stock", transaction_code="S", price_per_share=p) for p in (12.1, 12345.0, 12.3))
    >>> [b.pointers for b in price_outliers(Record(non_derivative_transactions=rows))]
    [('/non_derivative_transactions/1/price_per_share',)]
    """
    out = []
    for key, table in (("non_derivative_transactions", "I"), ("derivative_transactions", "II")):
        rows = getattr(record, key)
        for (_, title), indices in price_groups((table, r.security_title, r.transaction_code, r.price_per_share) for r in rows).items():
            prices = [rows[i].price_per_share for i in indices]
            for k in outliers(prices):
                i = indices[k]
                out.append(Breach(
                    "plausibility",
                    f"{key}[{i}]: price {shown(prices[k])} is {OUTLIER:g}x or more off the other prices of {rows[i].security_title or 'its security'}",
                    (f"/{key}/{i}/price_per_share",),
                ))
    return out
