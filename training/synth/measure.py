"""Measure the real filings: the distributions synthetic filings are drawn from.

``python -m form4.training.synth measure --raw DIR`` writes ``stats.json`` beside
this module: owner counts, table sizes, transaction codes, security, underlying
and officer titles, natures of ownership, price decimals, share digits, footnote
counts and lengths. No names and no footnote texts are kept; vocabularies that
could carry a filer's name (natures, officer titles) are filtered against the
real owners' name words.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from form4.schema import Record

__all__ = ["Stats", "STATS_PATH", "measure"]

STATS_PATH = Path(__file__).with_name("stats.json")


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


