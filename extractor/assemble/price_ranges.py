"""Price ranges: the low and high price a weighted-average footnote states, as data.

A Form 4 row of many open-market trades reports one weighted-average price and a footnote
that gives the range the trades were done in: "The price reported is a weighted average
price. These shares were sold in multiple transactions at prices ranging from $10.00 to
$10.50, inclusive." Each transaction row whose footnotes include one such footnote gets
``price_range_low`` and ``price_range_high``; a footnote that lists several ranges (one per
row it marks) gives each row the range its price falls in, else the rows their ranges in
printed order. A weighted price outside its range is a warning. The ownershipDocument XML
has no element for the range: the footnote keeps its text, the record gets the numbers.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from ..form import evidence as E
from ..form.normalize import MAX_INTEGER_DIGITS

#: The footnote is of the weighted-average kind: it says the price is a weighted average of
#: several trades (not a volume-weighted average price that a vesting condition names).
WEIGHTED = re.compile(
    r"(?<!volume )(?<!volume-)weighted[\s-]+average(?:\s+(?:sale|sales|purchase|purchasing|exercise|share))?\s+prices?"
    r"|multiple\s+(?:transactions|trades)\s+at\s+prices"
    r"|prices?\s+rang(?:ing|ed)\s+from",
    re.I,
)
_AMOUNT = r"\$?\s?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
#: One range: "from $X to $Y", "$X to $Y", "between $X and $Y", "$X - $Y", "low of $X ... high of $Y".
RANGE = re.compile(
    rf"(?:between\s+{_AMOUNT}\s+and\s+{_AMOUNT})"
    rf"|(?:(?<![\w.])(?:from\s+)?{_AMOUNT}\s*(?:to|through|-|–|—)\s*{_AMOUNT}(?![\d,]*\s*(?:%|percent|shares)))"
    rf"|(?:low\s+of\s+{_AMOUNT}.{{0,40}}?high\s+of\s+{_AMOUNT})",
    re.I | re.S,
)


def is_weighted_average(text: str | None) -> bool:
    """A footnote of the weighted-average kind.

    >>> is_weighted_average("The price reported is a weighted average price.")
    True
    >>> is_weighted_average("vesting if the volume weighted average price equals $12.00")
    False
    """
    return bool(text) and bool(WEIGHTED.search(text))


def ranges_in(text: str | None) -> list[tuple[float, float]]:
    """Every (low, high) range a footnote states, in the order it states them.

    >>> ranges_in("sold in multiple transactions at prices ranging from $110.00 to $110.82 per share")
    [(110.0, 110.82)]
    >>> ranges_in("at prices between $9.50 and $9.75, inclusive")
    [(9.5, 9.75)]
    >>> ranges_in("ranging from $10.00 to $10.49 and from $10.50 to $11.02, respectively")
    [(10.0, 10.49), (10.5, 11.02)]
    >>> ranges_in("sold at prices from 1,000.10 to 1,020.00, inclusive")
    [(1000.1, 1020.0)]
    >>> ranges_in("at prices ranging from $1.00 to $" + "9" * 400)  # no price the record could hold
    []
    """
    out: list[tuple[float, float]] = []
    for match in RANGE.finditer(text or ""):
        numbers = [float(g.replace(",", "")) for g in match.groups() if g is not None]
        low, high = numbers[0], numbers[1]
        if low <= high < 10**MAX_INTEGER_DIGITS and _has_price_sign(match.group(0), text or "", match.start()):
            out.append((low, high))
    return out


def _has_price_sign(matched: str, text: str, start: int) -> bool:
    """A range of prices, not of dates or counts: a "$" in it, or prices named just before it."""
    return "$" in matched or bool(_PRICES_BEFORE.search(text[max(0, start - 40):start]))


#: "prices ranging from", "at prices of": the range's own clause names prices (no sentence end between).
_PRICES_BEFORE = re.compile(r"prices?\b[^.;$]*$", re.I)


# ---------------------------------------------------------------- rows
_TRANSACTION_TABLES = ("non_derivative_transactions", "derivative_transactions")


def read_price_ranges(record: Any) -> tuple[Any, dict[str, float], list[str]]:
    """The record with each weighted-average row's price range; the ranges' confidence; warnings.

    Works on a :class:`form4.schema.Record` (the assembler's, before its metadata is attached).
    """
    notes = {f.id: ranges_in(f.text) for f in record.footnotes if is_weighted_average(f.text)}
    notes = {fid: found for fid, found in notes.items() if found}
    if not notes:
        return record, {}, []
    rows = {table: list(getattr(record, table)) for table in _TRANSACTION_TABLES}
    marked = [(table, i, fid) for table in _TRANSACTION_TABLES for i, row in enumerate(rows[table])
              for fid in row.footnote_ids if fid in notes]
    confidence: dict[str, float] = {}
    warnings: list[str] = []
    for fid, found in notes.items():
        users = [(table, i) for table, i, f in marked if f == fid]
        for (table, i), (low, high) in zip(users, _deal(found, [rows[table][i].price_per_share for table, i in users])):
            row = rows[table][i]
            rows[table][i] = row.model_copy(update={"price_range_low": low, "price_range_high": high})
            confidence[f"/{table}/{i}/price_range_low"] = confidence[f"/{table}/{i}/price_range_high"] = E.WORDS
            price = row.price_per_share
            if price is not None and not low - 1e-9 <= price <= high + 1e-9:
                warnings.append(f"{table}[{i}]: the weighted price {price:g} is outside the range ${low:g} to ${high:g} "
                                f"footnote {fid} states; check the price and the footnote")
    return record.model_copy(update={t: tuple(r) for t, r in rows.items()}), confidence, warnings


def _deal(ranges: Sequence[tuple[float, float]], prices: Sequence[float | None]) -> list[tuple[float, float]]:
    """Each marking row's range: the one range for all; else the range each price falls in
    when that is a different range for each row; else the ranges in printed order, when there
    are enough of them (too few: no row gets one, rather than a guess).

    >>> _deal([(1.0, 2.0)], [1.5, 1.7])
    [(1.0, 2.0), (1.0, 2.0)]
    >>> _deal([(1.0, 2.0), (3.0, 4.0)], [3.5, 1.5])
    [(3.0, 4.0), (1.0, 2.0)]
    >>> _deal([(1.0, 2.0), (3.0, 4.0)], [9.0, 9.5])
    [(1.0, 2.0), (3.0, 4.0)]
    >>> _deal([(1.0, 2.0), (3.0, 4.0)], [9.0, 9.5, 9.7])
    []
    """
    if len(set(ranges)) == 1:
        return [ranges[0]] * len(prices)
    inside = [[r for r in ranges if p is not None and r[0] <= p <= r[1]] for p in prices]
    if all(len(found) == 1 for found in inside) and len({found[0] for found in inside}) == len(prices):
        return [found[0] for found in inside]
    return list(ranges[: len(prices)]) if len(ranges) >= len(prices) else []
