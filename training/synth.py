"""Synthetic Form 4 records: realistic, schema-valid, seeded — for training only.

The real filings come from a handful of filers, so a model fitted on them learns
those filers' words. :func:`synthesise` draws records from distributions measured
on the real filings (``synth_stats.json``, written by ``python -m
form4.training.synth measure``: row counts, transaction codes, security titles,
officer titles, natures, price decimals, footnote counts and lengths, owner
counts) and widens them by the form's own rules: every transaction code, 1–10
reporting owners (people, funds, trusts, LLCs, c/o lines, long names), every
relationship combination, officer titles of every shape, natures of ownership in
any case and length, holdings in both tables, derivative rows without dates,
values given only as a footnote, 4/A with the original date, deemed execution
dates, the 10b5-1 box, remarks, 0–40 footnotes of up to 1,500 characters, tables
of 1–60 rows, prices with 0–6 decimals, $0, fractional shares, very large
holdings. In most records the holdings add up (shares owned following =
previous ± shares, per security and ownership form).

Names of people, funds and issuers are generated from word lists written here,
never taken from the real filings; measured vocabularies that could carry a filer's
name (natures, officer titles) are filtered against the real owners' name words.

>>> [len(s.record.reporting_owners) >= 1 for s in synthesise(3, seed=1)]
[True, True, True]
>>> synthesise(2, seed=5) == synthesise(2, seed=5)
True
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import string
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple, Sequence

from form4.schema import (
    DerivativeHolding,
    DerivativeTransaction,
    Footnote,
    Issuer,
    NonDerivativeHolding,
    NonDerivativeTransaction,
    Record,
    ReportingOwner,
    Signature,
)
from form4.io.xml_reader import CellFootnotes, CellRef

__all__ = ["SyntheticFiling", "synthesise", "measure", "STATS_PATH", "TRANSACTION_CODES"]

STATS_PATH = Path(__file__).with_name("synth_stats.json")


class SyntheticFiling(NamedTuple):
    """One synthetic filing: the record and where its footnote marks print."""

    record: Record
    cell_footnotes: CellFootnotes


# ---------------------------------------------------------------- the form's own vocabulary (declared data)
#: every transaction code of the form (General Instructions 8) -> the side it usually takes
TRANSACTION_CODES: dict[str, str] = {
    "P": "A", "S": "D", "V": "A", "A": "A", "D": "D", "F": "D", "I": "D", "M": "A",
    "C": "A", "E": "D", "H": "D", "O": "A", "X": "A", "G": "D", "L": "A", "W": "A",
    "Z": "A", "J": "A", "K": "A", "U": "D",
}
#: codes of a derivative row and its side (an exercise disposes of the option)
DERIVATIVE_CODES: dict[str, str] = {
    "M": "D", "A": "A", "X": "D", "C": "D", "G": "D", "J": "A", "D": "D", "F": "D",
    "P": "A", "S": "D", "E": "D", "H": "D", "O": "D", "W": "A", "Z": "A", "K": "A",
    "I": "D", "L": "A", "V": "A", "U": "D",
}
MAX_FOOTNOTES = 40
#: codes whose price is usually $0 or absent
ZERO_PRICE_CODES = frozenset("AGMJWZCL")

GIVEN = ("Adaeze", "Björn", "Carmen", "Dmitri", "Elena", "Farid", "Grace", "Hiroshi", "Ingrid", "Jamal",
         "Keiko", "Liam", "Mariana", "Nikhil", "Olga", "Pedro", "Quentin", "Rosa", "Sanjay", "Tamsin",
         "Ulrich", "Valentina", "Wen", "Ximena", "Yusuf", "Zofia", "Alexander", "Bartholomew",
         "Christopher", "Mary Ellen", "J. Robert", "Anne-Marie", "Thomas", "Patricia", "Kevin", "Linda")
SURNAMES = ("Abernathy", "Banerjee", "Castellanos", "Dubois", "Eriksen", "Fitzgerald", "Gallagher",
            "Haddad", "Ivanova", "Jaramillo", "Kowalczyk", "Lindqvist", "Moreau", "Nakamura", "Okonkwo",
            "Petrov", "Quintero", "Rasmussen", "Santangelo", "Takahashi", "Underwood", "Van der Berg",
            "Whitfield", "Xu", "Yilmaz", "Zimmermann", "O'Donnell", "McAllister", "De La Cruz",
            "Montgomery-Ashford", "Oyelaran", "Brennan", "Castillo", "Delaney", "Ellsworth", "Fairbanks")
MIDDLE = ("A.", "B.", "C.", "J.", "K.", "M.", "R.", "T.", "W.", "")
SUFFIX = ("", "", "", "", "Jr.", "III", "II", "Sr.")
FIRM_WORDS = ("Arbor", "Beacon", "Cobalt", "Driftwood", "Ember", "Fairway", "Granite", "Halcyon", "Ironwood",
              "Juniper", "Kestrel", "Lodestar", "Meridian", "Northgate", "Obsidian", "Pinecrest", "Quarry",
              "Redwood", "Summit", "Tidewater", "Umber", "Vantage", "Westbrook", "Yarrow", "Zephyr",
              "Bluewater", "Copperline", "Harbor Light", "Silver Fern", "Stonebridge")
FUND_KINDS = ("Capital Partners", "Ventures", "Growth Fund", "Opportunity Fund", "Holdings", "Investors",
              "Capital Management", "Equity Partners", "Strategic Fund", "Master Fund")
FUND_SUFFIX = ("L.P.", "LP", "LLC", "L.L.C.", "Ltd.", "Fund II, L.P.", "Fund IV-A, L.P.", "GP, LLC")
ISSUER_KINDS = ("Inc.", "Corp", "Corporation", "Holdings, Inc.", "Therapeutics, Inc.", "Technologies Inc",
                "Group Ltd", "Bancorp, Inc.", "Pharmaceuticals Inc.", "Energy Partners LP", "plc", "N.V.", "Co.")
ISSUER_WORDS = ("Acme", "Brightline", "Cardinal", "Deltora", "Evergreen", "Fulcrum", "Genexa", "Helio",
                "Innovest", "Jetstream", "Kinetic", "Lumina", "Monarch", "Nexora", "Orbital", "Paragon",
                "Quantia", "Radiant", "Solace", "Trilith", "Unison", "Veritas", "Wavecrest", "Xylo",
                "Yieldstone", "Zenith", "Blue Heron", "Crescent Valley", "Pacific Rim")
STREETS = ("Main Street", "Sand Hill Road", "Market St.", "Avenue of the Americas", "El Camino Real",
           "University Avenue", "Congress Ave", "Peachtree Road NE", "Wacker Drive", "Boylston Street",
           "Lake Shore Blvd", "Industrial Parkway", "Page Mill Road", "Broadway", "Park Avenue")
STREET2 = ("Suite 100", "Suite 2400", "Floor 12", "Building 3", "Apt. 7B", "P.O. Box 1290", "Attn: Legal Dept.",
           "Mail Stop 42", "c/o Corporate Secretary")
PLACES = (("SAN FRANCISCO", "CA", "94105"), ("MENLO PARK", "CA", "94025"), ("NEW YORK", "NY", "10019"),
          ("AUSTIN", "TX", "78701"), ("CHICAGO", "IL", "60606"), ("BOSTON", "MA", "02116"),
          ("ATLANTA", "GA", "30305"), ("SEATTLE", "WA", "98101"), ("WILMINGTON", "DE", "19801"),
          ("GREENWICH", "CT", "06830"), ("MIAMI", "FL", "33131"), ("DENVER", "CO", "80202"),
          ("SALT LAKE CITY", "UT", "84111"), ("FOSTER CITY", "CA", "94404"), ("PALO ALTO", "CA", "94301"),
          ("Scottsdale", "AZ", "85251"), ("Minneapolis", "MN", "55402-1498"), ("WEST PALM BEACH", "FL", "33401"))
OFFICER_TITLES = (
    "CEO", "Chief Executive Officer", "President and CEO", "EVP, General Counsel & Secretary",
    "Executive Vice President, Chief Financial Officer and Treasurer", "chief operating officer",
    "SVP & Chief Accounting Officer", "Chief Technology Officer", "General Counsel", "Co-Founder & CTO",
    "Senior Vice President, Global Sales, Marketing and Customer Success", "VP, Finance", "CFO",
    "Chief People Officer", "Pres., Chief Executive Officer & Chairman", "See Remarks", "EVP & CFO",
    "Executive Chairman", "chief legal officer and corporate secretary", "Principal Accounting Officer",
    "President, North America Operations", "SVP, R&D", "Chief Medical Officer", "Interim CFO",
)
OTHER_TEXTS = ("Member of 10% group", "See Remarks", "Former Director", "Director by deputization",
               "Member of a Section 13(d) group", "See footnote 1", "former officer",
               "Trustee of 10% owner")
NATURE_FORMS = (
    "By Trust", "by Trust", "By Spouse", "by spouse", "See footnote", "See Footnote", "By LLC", "by 401(k) Plan",
    "By {fund}", "by {fund}", "Held by {fund}", "By {family} Family Trust", "By the {family} Revocable Trust dated March 14, 2012",
    "By {fund} and {fund2}", "Through {fund}", "By Children", "By IRA", "by GRAT", "As custodian for minor child",
    "By {family} Family Foundation", "By Partnership", "Footnote",
)
STOCK_TITLES = ("Common Stock", "Class A Common Stock", "Class B Common Stock", "Common Shares",
                "Ordinary Shares", "American Depositary Shares", "Common Stock, par value $0.001 per share",
                "Series A Common Stock", "Class C Capital Stock", "Common Units representing limited partner interests")
DERIVATIVE_TITLES = ("Stock Option (right to buy)", "Restricted Stock Units", "Employee Stock Option (Right to Buy)",
                     "Performance Stock Units", "Series B Convertible Preferred Stock", "Warrants (right to buy)",
                     "Call Option (obligation to sell)", "Put Option (right to sell)", "Class B Common Stock",
                     "Convertible Senior Notes due 2028", "Non-Qualified Stock Option (right to buy)",
                     "LTIP Units", "Restricted Stock Unit", "Phantom Stock")
REMARKS = ("Exhibit 24 - Power of Attorney", "The reporting person disclaims beneficial ownership except to the "
           "extent of his pecuniary interest therein.", "Form 2 of 2", "This Form 4 is being filed in two parts "
           "due to the number of transactions.", "Chief Executive Officer and President",
           "The reporting persons may be deemed members of a group for purposes of Section 13(d).")
#: sentence templates of footnote texts; ``{n}`` numbers, ``{d}`` a date, ``{p}`` prices, ``{f}`` a fund
FOOTNOTE_SENTENCES = (
    "The price reported in Column 4 is a weighted average price.",
    "These shares were sold in multiple transactions at prices ranging from ${p1} to ${p2}, inclusive.",
    "The reporting person undertakes to provide to the issuer, any security holder of the issuer, or the staff "
    "of the Securities and Exchange Commission, upon request, full information regarding the number of shares "
    "sold at each separate price within the ranges set forth in this footnote.",
    "The transaction was effected pursuant to a Rule 10b5-1 trading plan adopted by the reporting person on {d}.",
    "The shares are held by {f}.",
    "The reporting person disclaims beneficial ownership of these securities except to the extent of his or her "
    "pecuniary interest therein, if any.",
    "Each restricted stock unit represents a contingent right to receive one share of the issuer's common stock.",
    "The option vests in {n} equal monthly installments beginning on {d}, subject to continued service.",
    "Represents shares withheld by the issuer to satisfy tax withholding obligations upon vesting.",
    "The option is immediately exercisable.",
    "The restricted stock units vest in four equal annual installments beginning on {d}.",
    "Includes {n} shares acquired under the issuer's Employee Stock Purchase Plan on {d}.",
    "The securities are directly held by {f}, of which the reporting person is a managing member.",
    "This amendment is being filed to correct the number of securities reported in Column 5.",
    "Not applicable.",
    "Each share of Series B Preferred Stock is convertible into common stock at any time at the holder's "
    "election and has no expiration date.",
    "Gift to a charitable organization for no consideration.",
)


# ---------------------------------------------------------------- measured distributions
@dataclass(frozen=True)
class Stats:
    """What :func:`measure` found on the real filings (``synth_stats.json``)."""

    filings: int
    owners: dict[str, int]
    rows: dict[str, dict[str, int]]
    codes: dict[str, dict[str, int]]
    stock_titles: dict[str, int]
    derivative_titles: dict[str, int]
    underlying_titles: dict[str, int]
    officer_titles: dict[str, int]
    natures: dict[str, int]
    price_decimals: dict[str, int]
    share_digits: dict[str, int]
    footnote_counts: dict[str, int]
    footnote_lengths: list[int]
    shares: dict[str, float]

    @classmethod
    def load(cls, path: Path = STATS_PATH) -> "Stats":
        return cls(**json.loads(path.read_text(encoding="utf-8")))


_TABLE_KEYS = ("non_derivative_transactions", "non_derivative_holdings", "derivative_transactions", "derivative_holdings")


def _decimals(value: float) -> int:
    text = repr(float(value))
    return 0 if "." not in text or "e" in text else len(text.split(".")[1].rstrip("0"))


def _name_words(records: Sequence[Record]) -> set[str]:
    words: set[str] = set()
    for r in records:
        for o in r.reporting_owners:
            words.update(w for w in re.findall(r"[A-Za-z]{3,}", o.name or "") if w.lower() not in _COMMON_WORDS)
    return {w.upper() for w in words}


#: words of fund and trust names that are not anybody's name
_COMMON_WORDS = frozenset("the and trust living fund llc inc partners capital holdings management ventures group "
                          "family foundation revocable dated dtd company corp".split())


def _anonymous(text: str | None, names: set[str]) -> bool:
    return bool(text) and not any(w.upper() in names for w in re.findall(r"[A-Za-z]{3,}", text or ""))


#: the only words a measured nature of ownership may hold: anything else may name a real fund or person
_GENERIC_NATURE_WORDS = frozenset("by see footnote footnotes trust trusts living spouse estate planning vehicle "
                                  "vehicles llc lp l p the family children child ira plan k grat grats as "
                                  "custodian for minor partnership foundation wife husband held through "
                                  "revocable irrevocable and of retirement account".split())


def _generic_nature(text: str | None, names: set[str]) -> bool:
    words = re.findall(r"[A-Za-z]+", text or "")
    return _anonymous(text, names) and all(w.lower() in _GENERIC_NATURE_WORDS for w in words)


def measure(raw: Path) -> dict[str, Any]:
    """Distributions of the real filings under ``raw`` (no names, no footnote texts)."""
    from form4.io.xml_reader import iter_parsed_documents

    records = [p.record for _, p in iter_parsed_documents(raw)]
    names = _name_words(records)
    c: dict[str, Counter] = {k: Counter() for k in ("owners", "stock", "deriv", "under", "officer", "nature",
                                                    "decimals", "digits", "fncount")}
    rows = {k: Counter() for k in _TABLE_KEYS}
    codes = {"non_derivative": Counter(), "derivative": Counter()}
    lengths: list[int] = []
    share_values: list[float] = []
    for r in records:
        c["owners"][str(len(r.reporting_owners))] += 1
        c["fncount"][str(len(r.footnotes))] += 1
        lengths += [len(f.text or "") for f in r.footnotes]
        c["officer"].update(o.officer_title for o in r.reporting_owners if _anonymous(o.officer_title, names))
        for key in _TABLE_KEYS:
            table = getattr(r, key)
            rows[key][str(len(table))] += 1
            for row in table:
                c["deriv" if key.startswith("derivative") else "stock"][row.security_title or ""] += 1
                if _generic_nature(row.nature_of_ownership, names):
                    c["nature"][row.nature_of_ownership] += 1
                if getattr(row, "underlying_security_title", None):
                    c["under"][row.underlying_security_title] += 1
                if getattr(row, "transaction_code", None):
                    codes["derivative" if key.startswith("derivative") else "non_derivative"][row.transaction_code] += 1
                if getattr(row, "price_per_share", None) is not None:
                    c["decimals"][str(_decimals(row.price_per_share))] += 1
                if row.shares_owned_following:
                    c["digits"][str(len(str(int(row.shares_owned_following))))] += 1
                    share_values.append(row.shares_owned_following)
    share_values.sort()
    return {
        "filings": len(records),
        "owners": dict(c["owners"]),
        "rows": {k: dict(v) for k, v in rows.items()},
        "codes": {k: dict(v) for k, v in codes.items()},
        "stock_titles": {k: v for k, v in c["stock"].items() if k},
        "derivative_titles": {k: v for k, v in c["deriv"].items() if k},
        "underlying_titles": dict(c["under"]),
        "officer_titles": dict(c["officer"]),
        "natures": dict(c["nature"]),
        "price_decimals": dict(c["decimals"]),
        "share_digits": dict(c["digits"]),
        "footnote_counts": dict(c["fncount"]),
        "footnote_lengths": sorted(lengths),
        "shares": {"median_following": share_values[len(share_values) // 2] if share_values else 0.0},
    }


# ---------------------------------------------------------------- drawing
class _Draw:
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
def _person(d: _Draw) -> str:
    given, last = d.pick(GIVEN), d.pick(SURNAMES)
    middle, suffix = d.pick(MIDDLE), d.pick(SUFFIX)
    if d.chance(0.5):  # EDGAR's "Last First Middle" order
        return " ".join(p for p in (last, given, middle.rstrip(".") if middle else "", suffix) if p)
    return " ".join(p for p in (given, middle, last + ("," if suffix and d.chance(0.5) else ""), suffix) if p)


def _fund(d: _Draw) -> str:
    words = " ".join(d.pick(FIRM_WORDS) for _ in range(1 + d.chance(0.3)))
    return f"{words} {d.pick(FUND_KINDS)} {d.pick(FUND_SUFFIX)}".replace(" Fund Fund", " Fund")


def _owner_name(d: _Draw) -> str:
    kind = d.rng.random()
    if kind < 0.55:
        return _person(d)
    if kind < 0.8:
        return _fund(d)
    if kind < 0.92:
        family = d.pick(SURNAMES)
        return d.pick((f"{family} Family Trust", f"The {d.pick(GIVEN)} and {d.pick(GIVEN)} {family} Living Trust",
                       f"{family} Revocable Trust UAD June 1, 2015"))
    long = f"{d.pick(FIRM_WORDS)} {d.pick(FIRM_WORDS)} {d.pick(FIRM_WORDS)} {d.pick(FUND_KINDS)} International Master Fund, Ltd."
    return long


def _address(d: _Draw) -> dict[str, str | None]:
    city, state, zip_code = d.pick(PLACES)
    street = f"{d.rng.randrange(1, 9999)} {d.pick(STREETS)}"
    street1, street2 = street, d.pick(STREET2) if d.chance(0.4) else None
    if d.chance(0.25):  # a c/o line first, the street second
        street1, street2 = f"C/O {d.pick(FIRM_WORDS)} {d.pick(FUND_KINDS)} LLC", street
    return {"street1": street1, "street2": street2, "city": city, "state": state, "zip_code": zip_code}


def _officer_title(d: _Draw) -> str:
    title = d.measured_or(d.stats.officer_titles, OFFICER_TITLES)
    shape = d.rng.random()
    if shape < 0.1:
        return title.lower()
    if shape < 0.15:
        return title.upper()
    return title


def _relationship(d: _Draw, first: bool) -> dict[str, Any]:
    flags = [False] * 4
    while not any(flags):  # every non-empty combination of the four boxes
        flags = [d.chance(p) for p in ((0.45, 0.45, 0.25, 0.15) if first else (0.3, 0.2, 0.5, 0.2))]
    director, officer, ten, other = flags
    return {
        "is_director": director, "is_officer": officer, "is_ten_percent_owner": ten, "is_other": other,
        "officer_title": _officer_title(d) if officer else None,
        "other_text": d.pick(OTHER_TEXTS) if other and d.chance(0.85) else None,
    }


def _owners(d: _Draw) -> tuple[ReportingOwner, ...]:
    n = d.count(d.stats.owners, 1, 10)
    out = []
    for i in range(n):
        address = _address(d) if i == 0 or not out or d.chance(0.5) else out[0].model_dump(include={"street1", "street2", "city", "state", "zip_code"})
        out.append(ReportingOwner(name=_owner_name(d), **address, **_relationship(d, i == 0)))
    return tuple(out)


def _issuer(d: _Draw) -> Issuer:
    name = f"{d.pick(ISSUER_WORDS)} {d.pick(ISSUER_KINDS)}"
    if d.chance(0.2):
        name = name.upper()
    ticker = "".join(d.rng.choice(string.ascii_uppercase) for _ in range(d.rng.randint(1, 5)))
    return Issuer(name=name, trading_symbol=ticker, cik=f"{d.rng.randrange(1, 2_000_000):010d}")


# ---------------------------------------------------------------- numbers
def _amount(d: _Draw, big: bool = False) -> Decimal:
    """A share amount: whole mostly, fractional sometimes, very large now and then."""
    digits = int(d.weighted(d.stats.share_digits)) if d.stats.share_digits and not d.chance(d.widen) else d.rng.randint(1, 7)
    if big or d.chance(0.03):
        digits = d.rng.randint(8, 10)
    value = Decimal(d.rng.randrange(10 ** max(0, digits - 1), 10 ** digits))
    if d.chance(0.08):
        value += Decimal(d.rng.randrange(1, 10_000)) / Decimal(10_000)
    return value


def _price(d: _Draw, code: str | None) -> Decimal | None:
    if code in ZERO_PRICE_CODES and d.chance(0.6):
        return Decimal(0) if d.chance(0.7) else None
    decimals = int(d.measured_or(d.stats.price_decimals, [str(k) for k in range(7)]))
    whole = d.rng.choice((d.rng.randrange(0, 10), d.rng.randrange(10, 500), d.rng.randrange(500, 5000)))
    return Decimal(whole) + Decimal(d.rng.randrange(0, 10 ** decimals)) / Decimal(10 ** decimals) if decimals else Decimal(whole)


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# ---------------------------------------------------------------- footnotes
class _Notes:
    """Footnotes as the filing marks them: abstract notes, numbered later by first mark."""

    def __init__(self, d: _Draw) -> None:
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
                d=d.date(dt.date(2015, 1, 1), 3650).strftime("%B %-d, %Y"), n=d.rng.randint(2, 48), f=_fund(d))
            out = f"{out} {sentence}".strip()
        if len(out) > 1500:
            out = out[:1500].rsplit(" ", 1)[0].rstrip(",;") + "."
        return out


# ---------------------------------------------------------------- tables
@dataclass
class _Chain:
    """One security held in one ownership form: its running balance."""

    title: str
    form: str
    nature: str | None
    balance: Decimal


def _nature(d: _Draw) -> str:
    form = d.measured_or(d.stats.natures, NATURE_FORMS)
    return form.format(fund=_fund(d), fund2=_fund(d), family=d.pick(SURNAMES))


def _chains(d: _Draw, titles: dict[str, int], widened: Sequence[str], n: int) -> list[_Chain]:
    out = []
    for _ in range(n):
        direct = d.chance(0.6)
        out.append(_Chain(d.measured_or(titles, widened), "D" if direct else "I",
                          None if direct else _nature(d), _amount(d, big=d.chance(0.05))))
    return out


def _step(d: _Draw, chain: _Chain, side: str, consistent: bool) -> tuple[str, Decimal, Decimal]:
    """(side, shares, shares owned following) of one transaction on ``chain``
    (a disposal of nothing becomes an acquisition)."""
    if side == "D" and chain.balance > 0:
        shares = min(chain.balance, max(Decimal(1), (chain.balance * Decimal(d.rng.uniform(0.01, 1.0))).quantize(Decimal(1))))
        if d.chance(0.1) and chain.balance != chain.balance.to_integral():
            shares = chain.balance  # sells the fractional remainder too
    else:
        side = "A"
        shares = _amount(d)
    chain.balance = chain.balance + shares if side == "A" else chain.balance - shares
    following = chain.balance if consistent else chain.balance + Decimal(d.rng.randrange(1, 1000))
    return side, shares, following


def _marks(d: _Draw, notes: _Notes, fields: Sequence[str], p: float) -> dict[str, list[int]]:
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
class _Row:
    table: str
    values: dict[str, Any]
    marks: dict[str, list[int]]


def _non_derivative(d: _Draw, notes: _Notes, start: dt.date, consistent: bool) -> list[_Row]:
    s = d.stats
    n_tx = d.count(s.rows["non_derivative_transactions"], 0, 60)
    n_hold = min(d.count(s.rows["non_derivative_holdings"], 0, 12), 60 - n_tx)  # a table holds at most 60 rows
    chains = _chains(d, s.stock_titles, STOCK_TITLES, max(1, min(6, 1 + int(d.rng.expovariate(1.2)))))
    rows: list[_Row] = []
    day = start
    for _ in range(n_tx):
        chain = chains[0] if d.chance(0.6) else d.pick(chains)
        code = d.measured_or(s.codes["non_derivative"], sorted(TRANSACTION_CODES))
        side = TRANSACTION_CODES.get(code, "A") if not d.chance(0.1) else d.pick("AD")
        side, shares, following = _step(d, chain, side, consistent)
        marks = _marks(d, notes, _T1_MARKED, 0.08)
        price = _price(d, code)
        if price is None:  # the price given only as a footnote
            marks.setdefault("price_per_share", []).append(notes.new())
        day = d.date(day, 3) if d.chance(0.5) else day
        rows.append(_Row("non_derivative_transactions", {
            "security_title": chain.title, "transaction_date": day,
            "deemed_execution_date": d.date(day, 4) if d.chance(0.06) else None,
            "transaction_code": code, "equity_swap_involved": d.chance(0.02), "shares": _num(shares),
            "price_per_share": _num(price), "acquired_disposed": side, "shares_owned_following": _num(following),
            "direct_or_indirect": chain.form, "nature_of_ownership": chain.nature}, marks))
    for _ in range(n_hold):
        chain = _chains(d, s.stock_titles, STOCK_TITLES, 1)[0]
        rows.append(_Row("non_derivative_holdings", {
            "security_title": chain.title, "shares_owned_following": _num(chain.balance),
            "direct_or_indirect": chain.form, "nature_of_ownership": chain.nature},
            _marks(d, notes, ("security_title", "shares_owned_following", "nature_of_ownership"), 0.2)))
    return rows


def _derivative_dates(d: _Draw, notes: _Notes, day: dt.date, marks: dict[str, list[int]]) -> dict[str, Any]:
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


def _derivative(d: _Draw, notes: _Notes, start: dt.date, consistent: bool) -> list[_Row]:
    s = d.stats
    n_tx = d.count(s.rows["derivative_transactions"], 0, 40)
    n_hold = d.count(s.rows["derivative_holdings"], 0, 12)
    rows: list[_Row] = []
    chains = _chains(d, s.derivative_titles, DERIVATIVE_TITLES, max(1, min(4, 1 + int(d.rng.expovariate(1.5)))))
    terms = {id(c): (_price(d, None), d.measured_or(s.underlying_titles, STOCK_TITLES)) for c in chains}
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
        values: dict[str, Any] = {"security_title": chain.title, "conversion_or_exercise_price": _num(conversion),
                                  **_derivative_dates(d, notes, day, marks), "underlying_security_title": underlying}
        if holding:
            values.update(underlying_security_shares=_num(chain.balance), shares_owned_following=_num(chain.balance),
                          direct_or_indirect=chain.form, nature_of_ownership=chain.nature)
            rows.append(_Row("derivative_holdings", values, marks))
            continue
        code = d.measured_or(s.codes["derivative"], sorted(DERIVATIVE_CODES))
        side, shares, following = _step(d, chain, DERIVATIVE_CODES.get(code, "A"), consistent)
        price = _price(d, code)
        if price is None:
            marks.setdefault("price_per_share", []).append(notes.new())
        day = d.date(day, 3) if d.chance(0.5) else day
        values.update(transaction_date=day, deemed_execution_date=d.date(day, 4) if d.chance(0.05) else None,
                      transaction_code=code, equity_swap_involved=d.chance(0.02), shares=_num(shares),
                      acquired_disposed=side, underlying_security_shares=_num(shares), price_per_share=_num(price),
                      shares_owned_following=_num(following), direct_or_indirect=chain.form,
                      nature_of_ownership=chain.nature)
        rows.append(_Row("derivative_transactions", values, marks))
    return rows


# ---------------------------------------------------------------- the record
_MODELS = {"non_derivative_transactions": NonDerivativeTransaction, "non_derivative_holdings": NonDerivativeHolding,
           "derivative_transactions": DerivativeTransaction, "derivative_holdings": DerivativeHolding}
_COLUMN_ORDER = {name: i for i, name in enumerate(dict.fromkeys(
    list(NonDerivativeTransaction.model_fields) + list(DerivativeTransaction.model_fields)))}


def _number_notes(rows: list[_Row], notes: _Notes) -> dict[int, str]:
    """Footnote ids ``F1``… by first mark in page order; unmarked notes after them."""
    order: dict[int, str] = {}
    for row in rows:
        for name in sorted(row.marks, key=_COLUMN_ORDER.get):
            for note in row.marks[name]:
                order.setdefault(note, f"F{len(order) + 1}")
    for note in range(len(notes.texts)):
        order.setdefault(note, f"F{len(order) + 1}")
    return order


def _mark_see_footnote(d: _Draw, notes: _Notes, rows: list[_Row]) -> None:
    """A nature that says "See footnote" gets its footnote mark (one note for all such rows)."""
    note = None
    for row in rows:
        if "footnote" in (row.values.get("nature_of_ownership") or "").lower() and "nature_of_ownership" not in row.marks:
            if note is None:
                note = notes.new(f"The securities are held directly by {_fund(d)}; the reporting person may be "
                                 "deemed to share beneficial ownership of them.")
            row.marks["nature_of_ownership"] = [note]


def _one(d: _Draw) -> SyntheticFiling:
    # 2004-2024, recent years likelier (as in the real filings: a fifth carry the 2023 form's 10b5-1 box)
    start = d.date(dt.date(2020, 1, 1), 1800) if d.chance(0.4) else d.date(dt.date(2004, 1, 1), 7600)
    notes = _Notes(d)
    consistent = not d.chance(0.1)
    rows = _non_derivative(d, notes, start, consistent) + _derivative(d, notes, start, consistent)
    if not rows:  # a Form 4 reports something
        rows = _non_derivative(d, notes, start, consistent) or [_Row("non_derivative_holdings", {
            "security_title": "Common Stock", "shares_owned_following": float(_amount(d)), "direct_or_indirect": "D"}, {})]
    _mark_see_footnote(d, notes, rows)
    target = d.count(d.stats.footnote_counts, 0, 40)
    while len(notes.texts) < min(40, target):
        notes.new()
    ids = _number_notes(rows, notes)
    tables: dict[str, list[Any]] = {k: [] for k in _MODELS}
    cells: CellFootnotes = {}
    for row in rows:
        index = len(tables[row.table])
        marked = [(name, tuple(dict.fromkeys(ids[n] for n in row.marks[name]))) for name in sorted(row.marks, key=_COLUMN_ORDER.get)]
        for name, refs in marked:
            cells[CellRef(row.table, index, name)] = refs
        footnote_ids = tuple(dict.fromkeys(ref for _, refs in marked for ref in refs))
        tables[row.table].append(_MODELS[row.table](**row.values, footnote_ids=footnote_ids))
    dates = [r.transaction_date for key in ("non_derivative_transactions", "derivative_transactions") for r in tables[key]]
    period = min(dates) if dates else start
    amendment = d.chance(0.12)
    owners = _owners(d)
    signed = d.date(max(dates, default=period), 4)
    signers = owners[: 1 + (d.rng.randrange(len(owners)) if d.chance(0.4) else 0)]
    record = Record(
        document_type="4/A" if amendment else "4",
        period_of_report=period,
        date_of_original_submission=d.date(period, 5) if amendment else None,
        not_subject_to_section16=d.chance(0.05),
        # the Rule 10b5-1 box came with the April 2023 form; later filings still made on the old schema lack it
        aff10b5_one=None if period < dt.date(2023, 4, 1) or d.chance(0.1) else d.chance(0.3),
        issuer=_issuer(d),
        reporting_owners=owners,
        **{k: tuple(v) for k, v in tables.items()},
        footnotes=tuple(Footnote(id=ids[i], text=text) for i, text in sorted(enumerate(notes.texts), key=lambda p: int(ids[p[0]][1:]))),
        remarks=d.pick(REMARKS) if d.chance(0.25) else None,
        signatures=tuple(Signature(name=_signature(d, o.name or ""), date=signed) for o in signers),
    )
    return SyntheticFiling(record, cells)


def _signature(d: _Draw, owner: str) -> str:
    if d.chance(0.5):
        return f"/s/ {owner}"
    return d.pick((f"/s/ {_person(d)}, Attorney-in-Fact", f"/s/ {_person(d)}, as attorney-in-fact for {owner}",
                   f"{_person(d)}, by power of attorney", f"By: /s/ {_person(d)}, Managing Member"))


def synthesise(n: int, seed: int = 0, *, stats: Stats | None = None, widen: float = 0.4) -> list[SyntheticFiling]:
    """``n`` synthetic filings; the same ``seed`` gives the same filings.

    Each filing has its own random stream (``seed`` and its index), so the first
    ``k`` of ``synthesise(n, s)`` are ``synthesise(k, s)``. ``widen`` is the share
    of choices drawn from the form's whole vocabulary rather than the measured one.
    """
    stats = stats or Stats.load()
    return [_one(_Draw(seed * 1_000_003 + i, stats, widen)) for i in range(n)]


def _main(argv: Sequence[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m form4.training.synth")
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("measure", help="measure the real filings and write synth_stats.json")
    m.add_argument("--raw", type=Path, required=True)
    m.add_argument("--out", type=Path, default=STATS_PATH)
    s = sub.add_parser("show", help="print synthetic records as JSON")
    s.add_argument("--n", type=int, default=1)
    s.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.command == "measure":
        args.out.write_text(json.dumps(measure(args.raw), indent=0, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        for filing in synthesise(args.n, args.seed):
            print(filing.record.to_json())
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
