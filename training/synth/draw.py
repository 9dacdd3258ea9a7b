"""Drawing a synthetic filing's parts: the seeded source, people and firms, numbers, footnotes."""

from __future__ import annotations

import datetime as dt
import random
import string
from decimal import Decimal
from typing import Any, Sequence

from form4.schema import Issuer, ReportingOwner

from .measure import Stats
from .vocab import (FIRM_WORDS, FOOTNOTE_SENTENCES, FOREIGN_PLACES, FUND_KINDS, FUND_SUFFIX, GIVEN, ISSUER_KINDS,
                    ISSUER_WORDS, MAX_FOOTNOTES, MIDDLE, OFFICER_TITLES, OTHER_TEXTS, PAR_CLASSES, PAR_VALUE_TITLES,
                    PAR_VALUES, PLACES, STREET2, STREETS, SUFFIX, SURNAMES, ZERO_PRICE_CODES)


class Draw:
    """A seeded random source with the helpers the synthesiser needs."""

    def __init__(self, seed: int, stats: Stats, widen: float) -> None:
        self.rng = random.Random(seed)
        self.stats = stats
        self.widen = widen

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, items: Sequence[Any]) -> Any:
        return items[self.rng.randrange(len(items))]

    def weighted(self, counts: dict[str, int]) -> str:
        keys = sorted(counts)
        return self.rng.choices(keys, weights=[counts[k] for k in keys])[0]

    def measured_or(self, counts: dict[str, int], widened: Sequence[Any]) -> Any:
        """A value as often as the real filings show it, or one the form allows (``widen`` of the time)."""
        if counts and not self.chance(self.widen):
            return self.weighted(counts)
        return self.pick(widened)

    def count(self, counts: dict[str, int], low: int, high: int) -> int:
        """A table size / owner count: measured, or anywhere in ``[low, high]`` (small ones likelier)."""
        if counts and not self.chance(self.widen):
            return min(high, max(low, int(self.weighted(counts))))
        if self.chance(0.1):  # now and then anywhere in the range: long tables, many owners
            return self.rng.randint(low, high)
        return min(high, low + int(self.rng.paretovariate(1.2)) - 1)

    def date(self, start: dt.date, days: int) -> dt.date:
        return start + dt.timedelta(days=self.rng.randrange(days + 1))


# ---------------------------------------------------------------- people and firms
def person_name(d: Draw) -> str:
    given, last = d.pick(GIVEN), d.pick(SURNAMES)
    middle, suffix = d.pick(MIDDLE), d.pick(SUFFIX)
    if d.chance(0.5):  # EDGAR's "Last First Middle" order
        return " ".join(p for p in (last, given, middle.rstrip(".") if middle else "", suffix) if p)
    return " ".join(p for p in (given, middle, last + ("," if suffix and d.chance(0.5) else ""), suffix) if p)


def fund_name(d: Draw) -> str:
    words = " ".join(d.pick(FIRM_WORDS) for _ in range(1 + d.chance(0.3)))
    return f"{words} {d.pick(FUND_KINDS)} {d.pick(FUND_SUFFIX)}".replace(" Fund Fund", " Fund")


def owner_name(d: Draw) -> str:
    kind = d.rng.random()
    if kind < 0.55:
        return person_name(d)
    if kind < 0.8:
        return fund_name(d)
    if kind < 0.92:
        family = d.pick(SURNAMES)
        return d.pick((f"{family} Family Trust", f"The {d.pick(GIVEN)} and {d.pick(GIVEN)} {family} Living Trust",
                       f"{family} Revocable Trust UAD June 1, 2015"))
    long = f"{d.pick(FIRM_WORDS)} {d.pick(FIRM_WORDS)} {d.pick(FIRM_WORDS)} {d.pick(FUND_KINDS)} International Master Fund, Ltd."
    return long


def draw_address(d: Draw) -> dict[str, str | None]:
    """A street address: mostly in the US, now and then abroad (a district in the city line,
    EDGAR's letter-and-digit state code, a letter postcode)."""
    city, state, zip_code = d.pick(FOREIGN_PLACES) if d.chance(0.12) else d.pick(PLACES)
    street = f"{d.rng.randrange(1, 9999)} {d.pick(STREETS)}"
    street1, street2 = street, d.pick(STREET2) if d.chance(0.4) else None
    if d.chance(0.25):  # a c/o line first, the street second
        street1, street2 = f"C/O {d.pick(FIRM_WORDS)} {d.pick(FUND_KINDS)} LLC", street
    return {"street1": street1, "street2": street2, "city": city, "state": state, "zip_code": zip_code}


def draw_officer_title(d: Draw) -> str:
    title = d.measured_or(d.stats.officer_titles, OFFICER_TITLES)
    shape = d.rng.random()
    if shape < 0.1:
        return title.lower()
    if shape < 0.15:
        return title.upper()
    return title


def draw_relationship(d: Draw, first: bool) -> dict[str, Any]:
    flags = [False] * 4
    while not any(flags):  # every non-empty combination of the four boxes
        flags = [d.chance(p) for p in ((0.45, 0.45, 0.25, 0.15) if first else (0.3, 0.2, 0.5, 0.2))]
    director, officer, ten, other = flags
    return {
        "is_director": director, "is_officer": officer, "is_ten_percent_owner": ten, "is_other": other,
        "officer_title": draw_officer_title(d) if officer else None,
        "other_text": d.pick(OTHER_TEXTS) if other and d.chance(0.85) else None,
    }


def draw_owners(d: Draw) -> tuple[ReportingOwner, ...]:
    n = d.count(d.stats.owners, 1, 10)
    out = []
    for i in range(n):
        address = draw_address(d) if i == 0 or not out or d.chance(0.5) else out[0].model_dump(include={"street1", "street2", "city", "state", "zip_code"})
        out.append(ReportingOwner(name=owner_name(d), **address, **draw_relationship(d, i == 0)))
    return tuple(out)


def draw_issuer(d: Draw) -> Issuer:
    name = f"{d.pick(ISSUER_WORDS)} {d.pick(ISSUER_KINDS)}"
    if d.chance(0.2):
        name = name.upper()
    ticker = "".join(d.rng.choice(string.ascii_uppercase) for _ in range(d.rng.randint(1, 5)))
    return Issuer(name=name, trading_symbol=ticker, cik=f"{d.rng.randrange(1, 2_000_000):010d}")


# ---------------------------------------------------------------- numbers
def draw_amount(d: Draw, big: bool = False) -> Decimal:
    """A share amount: whole mostly, fractional sometimes, very large now and then."""
    digits = int(d.weighted(d.stats.share_digits)) if d.stats.share_digits and not d.chance(d.widen) else d.rng.randint(1, 7)
    if big or d.chance(0.03):
        digits = d.rng.randint(8, 10)
    value = Decimal(d.rng.randrange(10 ** max(0, digits - 1), 10 ** digits))
    if d.chance(0.08):
        value += Decimal(d.rng.randrange(1, 10_000)) / Decimal(10_000)
    return value


def draw_price(d: Draw, code: str | None) -> Decimal | None:
    if code in ZERO_PRICE_CODES and d.chance(0.6):
        return Decimal(0) if d.chance(0.7) else None
    decimals = int(d.measured_or(d.stats.price_decimals, [str(k) for k in range(7)]))
    whole = d.rng.choice((d.rng.randrange(0, 10), d.rng.randrange(10, 500), d.rng.randrange(500, 5000)))
    return Decimal(whole) + Decimal(d.rng.randrange(0, 10 ** decimals)) / Decimal(10 ** decimals) if decimals else Decimal(whole)


def as_float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# ---------------------------------------------------------------- footnotes
class Notes:
    """Footnotes as the filing marks them: abstract notes, numbered later by first mark."""

    def __init__(self, d: Draw) -> None:
        self.d = d
        self.texts: list[str] = []

    def new(self, text: str | None = None) -> int:
        """A new note (or, past the form's 40, an existing one marked again)."""
        if len(self.texts) >= MAX_FOOTNOTES:
            return self.d.rng.randrange(len(self.texts))
        self.texts.append(text or self.text())
        return len(self.texts) - 1

    def shared(self, text: str) -> int:
        """The note with this text, made once per filing (filers mark one note on many rows)."""
        return self.texts.index(text) if text in self.texts else self.new(text)

    def text(self) -> str:
        d = self.d
        target = d.pick(d.stats.footnote_lengths) if d.stats.footnote_lengths and not d.chance(d.widen) else int(d.rng.paretovariate(0.9) * 60)
        target = max(8, min(1500, target))
        out = ""
        while len(out) < target:
            sentence = d.pick(FOOTNOTE_SENTENCES).format(
                p1=f"{d.rng.uniform(5, 90):.2f}", p2=f"{d.rng.uniform(90, 200):.2f}",
                d=d.date(dt.date(2015, 1, 1), 3650).strftime("%B %-d, %Y"), n=d.rng.randint(2, 48), f=fund_name(d))
            out = f"{out} {sentence}".strip()
        if len(out) > 1500:
            out = out[:1500].rsplit(" ", 1)[0].rstrip(",;") + "."
        return out




def par_value_title(d: Draw) -> str:
    """A stock title with its par value, as filers write it (``Common Stock, $0.001 par value``)."""
    return d.pick(PAR_VALUE_TITLES).format(cls=d.pick(PAR_CLASSES), par=d.pick(PAR_VALUES))


def is_entity(name: str) -> bool:
    """True for a fund, company or trust (they sign through a person).

    >>> is_entity("Arbor Ventures Fund II, L.P."), is_entity("Rosa Dubois")
    (True, False)
    """
    words = {w.strip(".,").upper() for w in name.split()}
    return bool(words & {"LP", "L.P", "LLC", "L.L.C", "LTD", "TRUST", "FUND", "HOLDINGS", "PARTNERS", "INC", "CORP"})
