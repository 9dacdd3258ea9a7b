"""The rows of Table I and Table II: running balances per security, codes, dates, footnote marks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Sequence

from form4.schema import DerivativeHolding, DerivativeTransaction

from .draw import Draw, Notes, as_float, draw_amount, draw_price, fund_name, par_value_title
from .vocab import DERIVATIVE_CODES, DERIVATIVE_TITLES, NATURE_FORMS, STOCK_TITLES, SURNAMES, TRANSACTION_CODES


#: the share of stock titles written with their par value (``Common Stock, $0.001 par value``)
_PAR = 0.12


@dataclass
class _Chain:
    """One security held in one ownership form: its running balance."""

    title: str
    form: str
    nature: str | None
    balance: Decimal


def _nature(d: Draw) -> str:
    form = d.measured_or(d.stats.natures, NATURE_FORMS)
    return form.format(fund=fund_name(d), fund2=fund_name(d), family=d.pick(SURNAMES))


def _chains(d: Draw, titles: dict[str, int], widened: Sequence[str], n: int, par: float = 0.0) -> list[_Chain]:
    """``n`` securities held; a share ``par`` of their titles carry the par value."""
    out = []
    for _ in range(n):
        direct = d.chance(0.6)
        title = par_value_title(d) if d.chance(par) else d.measured_or(titles, widened)
        out.append(_Chain(title, "D" if direct else "I",
                          None if direct else _nature(d), draw_amount(d, big=d.chance(0.05))))
    return out


def _step(d: Draw, chain: _Chain, side: str, consistent: bool) -> tuple[str, Decimal, Decimal]:
    """(side, shares, shares owned following) of one transaction on ``chain``
    (a disposal of nothing becomes an acquisition)."""
    if side == "D" and chain.balance > 0:
        shares = min(chain.balance, max(Decimal(1), (chain.balance * Decimal(d.rng.uniform(0.01, 1.0))).quantize(Decimal(1))))
        if d.chance(0.1) and chain.balance != chain.balance.to_integral():
            shares = chain.balance  # sells the fractional remainder too
    else:
        side = "A"
        shares = draw_amount(d)
    chain.balance = chain.balance + shares if side == "A" else chain.balance - shares
    following = chain.balance if consistent else chain.balance + Decimal(d.rng.randrange(1, 1000))
    return side, shares, following


def _side(d: Draw, sides: str) -> str:
    """The side a code takes: its own, or either when the form names none (``AD``)."""
    return sides if len(sides) == 1 else d.pick(sides)


def _marks(d: Draw, notes: Notes, fields: Sequence[str], p: float) -> dict[str, list[int]]:
    """Footnote marks on some cells of a row (an existing note reused now and then)."""
    out: dict[str, list[int]] = {}
    for name in fields:
        if d.chance(p):
            reuse = notes.texts and d.chance(0.4)
            out.setdefault(name, []).append(d.rng.randrange(len(notes.texts)) if reuse else notes.new())
    return out


_T1_MARKED = ("security_title", "transaction_date", "transaction_code", "shares", "price_per_share",
              "shares_owned_following", "nature_of_ownership")
_T2_MARKED = ("security_title", "conversion_or_exercise_price", "transaction_date", "shares", "exercise_date",
              "expiration_date", "underlying_security_title", "price_per_share", "shares_owned_following",
              "nature_of_ownership")


@dataclass
class Row:
    table: str
    values: dict[str, Any]
    marks: dict[str, list[int]]


def non_derivative_rows(d: Draw, notes: Notes, start: dt.date, consistent: bool) -> list[Row]:
    s = d.stats
    n_tx = d.count(s.rows["non_derivative_transactions"], 0, 60)
    n_hold = min(d.count(s.rows["non_derivative_holdings"], 0, 12), 60 - n_tx)  # a table holds at most 60 rows
    chains = _chains(d, s.stock_titles, STOCK_TITLES, max(1, min(6, 1 + int(d.rng.expovariate(1.2)))), _PAR)
    rows: list[Row] = []
    day = start
    for _ in range(n_tx):
        chain = chains[0] if d.chance(0.6) else d.pick(chains)
        code = d.measured_or(s.codes["non_derivative"], sorted(TRANSACTION_CODES))
        side = _side(d, TRANSACTION_CODES.get(code, "A")) if not d.chance(0.1) else d.pick("AD")
        side, shares, following = _step(d, chain, side, consistent)
        marks = _marks(d, notes, _T1_MARKED, 0.08)
        price = draw_price(d, code)
        if price is None:  # the price given only as a footnote
            marks.setdefault("price_per_share", []).append(notes.new())
        day = d.date(day, 3) if d.chance(0.5) else day
        rows.append(Row("non_derivative_transactions", {
            "security_title": chain.title, "transaction_date": day,
            "deemed_execution_date": d.date(day, 4) if d.chance(0.06) else None,
            "transaction_code": code, "equity_swap_involved": d.chance(0.02), "shares": as_float(shares),
            "price_per_share": as_float(price), "acquired_disposed": side, "shares_owned_following": as_float(following),
            "direct_or_indirect": chain.form, "nature_of_ownership": chain.nature}, marks))
    for _ in range(n_hold):
        chain = _chains(d, s.stock_titles, STOCK_TITLES, 1, _PAR)[0]
        rows.append(Row("non_derivative_holdings", {
            "security_title": chain.title, "shares_owned_following": as_float(chain.balance),
            "direct_or_indirect": chain.form, "nature_of_ownership": chain.nature},
            _marks(d, notes, ("security_title", "shares_owned_following", "nature_of_ownership"), 0.2)))
    return rows


def _derivative_dates(d: Draw, notes: Notes, day: dt.date, marks: dict[str, list[int]]) -> dict[str, Any]:
    """Exercise and expiration dates: both, one, footnote-only, or none ("Immediately" / no expiry)."""
    shape = d.rng.random()
    exercise = d.date(day - dt.timedelta(days=900), 1200)  # before the expiration below
    expiration = d.date(day + dt.timedelta(days=365), 3650)
    if shape < 0.5:
        return {"exercise_date": exercise, "expiration_date": expiration}
    if shape < 0.7:  # vesting told in a footnote only
        marks.setdefault("exercise_date", []).append(notes.new())
        return {"exercise_date": None, "expiration_date": expiration if d.chance(0.5) else None}
    if shape < 0.85:  # exercisable immediately: no date in the XML, a note saying so
        marks.setdefault("exercise_date", []).append(notes.shared("The option is immediately exercisable."))
        return {"exercise_date": None, "expiration_date": expiration}
    if d.chance(0.5):
        marks.setdefault("expiration_date", []).append(notes.new())
    return {"exercise_date": None, "expiration_date": None}


def derivative_rows(d: Draw, notes: Notes, start: dt.date, consistent: bool) -> list[Row]:
    s = d.stats
    n_tx = d.count(s.rows["derivative_transactions"], 0, 40)
    n_hold = d.count(s.rows["derivative_holdings"], 0, 12)
    rows: list[Row] = []
    chains = _chains(d, s.derivative_titles, DERIVATIVE_TITLES, max(1, min(4, 1 + int(d.rng.expovariate(1.5)))))
    terms = {id(c): (draw_price(d, None), par_value_title(d) if d.chance(0.08) else
                     d.measured_or(s.underlying_titles, STOCK_TITLES)) for c in chains}
    day = start
    for i in range(n_tx + n_hold):
        holding = i >= n_tx
        chain = chains[0] if d.chance(0.6) else d.pick(chains)
        conversion, underlying = terms[id(chain)]
        model = DerivativeHolding if holding else DerivativeTransaction
        marks = _marks(d, notes, [f for f in _T2_MARKED if f in model.model_fields], 0.08)
        if conversion is None:
            marks.setdefault("conversion_or_exercise_price", []).append(notes.new())
        if d.chance(0.1):  # a long underlying title that wraps in its narrow column
            underlying = f"{underlying} (or {d.pick(STOCK_TITLES)} upon conversion)"
        values: dict[str, Any] = {"security_title": chain.title, "conversion_or_exercise_price": as_float(conversion),
                                  **_derivative_dates(d, notes, day, marks), "underlying_security_title": underlying}
        if holding:
            values.update(underlying_security_shares=as_float(chain.balance), shares_owned_following=as_float(chain.balance),
                          direct_or_indirect=chain.form, nature_of_ownership=chain.nature)
            rows.append(Row("derivative_holdings", values, marks))
            continue
        code = d.measured_or(s.codes["derivative"], sorted(DERIVATIVE_CODES))
        side, shares, following = _step(d, chain, _side(d, DERIVATIVE_CODES.get(code, "A")), consistent)
        price = draw_price(d, code)
        if price is None:
            marks.setdefault("price_per_share", []).append(notes.new())
        day = d.date(day, 3) if d.chance(0.5) else day
        values.update(transaction_date=day, deemed_execution_date=d.date(day, 4) if d.chance(0.08) else None,
                      transaction_code=code, equity_swap_involved=d.chance(0.02), shares=as_float(shares),
                      acquired_disposed=side, underlying_security_shares=as_float(shares), price_per_share=as_float(price),
                      shares_owned_following=as_float(following), direct_or_indirect=chain.form,
                      nature_of_ownership=chain.nature)
        rows.append(Row("derivative_transactions", values, marks))
    return rows


