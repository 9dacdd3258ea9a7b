"""Plausibility across rows: a price far off the other market prices of its security in the filing.

The open-market rows of one filing (codes P and S, and F: shares withheld at the market price)
report trades of one security within days: their prices lie within a few times of each other
(in the training filings' gold records, every row's price within 6x its security's median). A
price 50x or more off its neighbours is a misreading: OCR's comma/period confusion turns
``$12.345`` into ``12,345`` (1000x), a lost decimal point ``$12.34`` into ``1234`` (100x). Such
a price is read again as the reading of its printed digits that fits its neighbours (the
other separator, or another reading the reader kept) and said in a warning; one that no
reading fits stays as read and the form's rules flag it (``validate.price_outliers``, rule
``plausibility``); the calibrator sees both (a ``confusion`` repair, a ``plausibility`` breach).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from ..form import evidence as E
from ..form.normalize import parse_number

#: A price this many times off the median of its security's prices is implausible.
OUTLIER = 50.0
#: A re-reading is taken when it lies within this factor of the neighbours' median.
FITS = 10.0
_PRICE = "price_per_share"
#: Codes whose price is the market's (an exercise, a grant or a conversion has its own price).
MARKET_CODES = frozenset("PSF")
#: Three digits after the one separator: "12,345" (or "12.345") reads either way.
_ONE_SEPARATOR = re.compile(r"^\$?\s*(\d{1,3})([.,])(\d{3})$")


class _Draft(Protocol):
    table: str
    values: dict[str, Any]

    @property
    def is_transaction(self) -> bool: ...

    def get(self, name: str) -> Any: ...


def off_by(value: float, reference: float) -> float:
    """How many times ``value`` is off ``reference`` (>= 1).

    >>> off_by(12345, 12.3) > 1000, off_by(12.3, 12345) > 1000, off_by(10, 12)
    (True, True, 1.2)
    """
    if value <= 0 or reference <= 0:
        return 1.0
    return max(value / reference, reference / value)


def shown(price: float) -> str:
    """A price as a warning prints it.

    >>> shown(12.345), shown(12345.0), shown(0.5)
    ('12.345', '12,345', '0.5')
    """
    return f"{price:,.4f}".rstrip("0").rstrip(".")


def other_separator(raw: str | None) -> float | None:
    """The price read with its one separator taken the other way: OCR's comma/period confusion.

    >>> other_separator("12,345"), other_separator("$12.345"), other_separator("1,234,567"), other_separator("12.30")
    (12.345, 12345.0, None, None)
    """
    if not raw:
        return None
    m = _ONE_SEPARATOR.match(raw.strip().split("(")[0].strip())
    if not m:
        return None
    whole, sep, part = m.groups()
    return float(f"{whole}.{part}") if sep == "," else float(f"{whole}{part}")


def _readings(value: Any) -> list[float]:
    """The price's other readings: the other separator, then the reader's alternatives."""
    out: list[float] = []
    if (swapped := other_separator(value.raw)) is not None:
        out.append(swapped)
    for cand in value.alternatives:
        n = parse_number(cand.text).value
        if n is not None and n not in out and n != value.value:
            out.append(n)
    return out


def price_groups(rows: Iterable[tuple[str, str | None, str | None, float | None]]) -> dict[tuple[str, str], list[int]]:
    """(table, security title) -> indices of the market rows (``MARKET_CODES``) with a price above zero,
    from (table, title, code, price) per row."""
    groups: dict[tuple[str, str], list[int]] = {}
    for i, (table, title, code, price) in enumerate(rows):
        if price and code in MARKET_CODES:
            groups.setdefault((table, (title or "").lower()), []).append(i)
    return groups


def outliers(prices: Sequence[float]) -> list[int]:
    """Indices of the prices 50x or more off the median of three or more.

    >>> outliers([12.1, 12.3, 12345.0]), outliers([12.1, 12345.0]), outliers([10.0, 11.0, 0.11])
    ([2], [], [2])
    """
    if len(prices) < 3:
        return []
    median = statistics.median(prices)
    return [k for k, p in enumerate(prices) if off_by(p, median) >= OUTLIER]


def repair_prices(drafts: Sequence[_Draft], warnings: list[str]) -> None:
    """Read again the prices far off the other prices of their security (see the module)."""
    rows = [(d.table, d.get("security_title"), d.get("transaction_code"), d.get(_PRICE) if d.is_transaction else None) for d in drafts]
    for indices in price_groups(rows).values():
        if len(indices) < 2:
            continue
        for i in indices:
            value = drafts[i].values[_PRICE]
            others = [drafts[j].get(_PRICE) for j in indices if j != i]
            reference = statistics.median(others)
            if off_by(value.value, reference) < OUTLIER:
                continue
            fits = [r for r in _readings(value) if off_by(r, reference) < FITS]
            if not fits:
                continue
            best = min(fits, key=lambda r: off_by(r, reference))
            warnings.append(
                f"price_per_share {value.raw!r} is {off_by(value.value, reference):,.0f}x the other prices of "
                f"{drafts[i].get('security_title') or 'its security'} ({shown(reference)}); re-read as {shown(best)}"
            )
            value.value, value.confidence, value.derived, value.repair = best, min(value.confidence, E.IMPLIED), True, "confusion"
