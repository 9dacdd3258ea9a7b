"""Who filed about what: the keys that tie a batch's filings together (owner, issuer).

Names are compared with case, punctuation and spacing set aside; the issuer by its ticker,
else its name. A joint filing's owner is the set of its owners.
"""

from __future__ import annotations

import re

from ..schema import Record

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def normalised(text: str | None) -> str:
    """Case, punctuation and spacing set aside: ``"Common  Stock, "`` -> ``"common stock"``.

    >>> normalised("By  the Doe Trust (1)"), normalised(None)
    ('by the doe trust 1', '')
    """
    return _NOT_WORD.sub(" ", (text or "").lower()).strip()


def owner_key(record: Record) -> str:
    """Every reporting owner's name, normalised and sorted.

    >>> from form4.schema import ReportingOwner
    >>> owner_key(Record(reporting_owners=(ReportingOwner(name="Roe, Jane"), ReportingOwner(name="ACME Fund LP"))))
    'acme fund lp; roe jane'
    """
    return "; ".join(sorted(n for n in (normalised(o.name) for o in record.reporting_owners) if n))


def issuer_key(record: Record) -> str:
    """The issuer's ticker (upper case), else its name normalised."""
    return (record.issuer.trading_symbol or "").strip().upper() or normalised(record.issuer.name)
