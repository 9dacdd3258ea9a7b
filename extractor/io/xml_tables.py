"""The ownershipDocument's table rows as data: each field's XML path and parser, each table's fields.

:mod:`form4.io.xml_reader` reads a document; the rows of its four tables are read here, by
the field specs below (one declared list per table), and the footnote marks of each
printed cell are kept (:data:`CellFootnotes`) so the renderer can print them where the
filing did.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from form4.errors import XMLFormatError
from form4.schema import (
    DerivativeHolding,
    DerivativeTransaction,
    NonDerivativeHolding,
    NonDerivativeTransaction,
)

_DATE_RE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_TRUE = frozenset({"1", "true"})
_FALSE = frozenset({"0", "false"})


@dataclass(frozen=True, order=True)
class CellRef:
    """One printed cell of a table row: ``table`` is a key of ``schema.TABLES``."""

    table: str
    row: int
    field: str


#: footnote ids per cell, as the XML attaches them (``transactionCoding`` ->
#: ``transaction_code``, ``transactionTimeliness`` -> ``transaction_code`` ...).
CellFootnotes = dict[CellRef, tuple[str, ...]]


# --------------------------------------------------------------------------- values


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _fold(text: str | None) -> str | None:
    """Whitespace-folded text; empty -> ``None``."""
    if text is None:
        return None
    folded = " ".join(text.split())
    return folded or None


def _text(el: ET.Element | None) -> str | None:
    return None if el is None else _fold("".join(el.itertext()))


def _value_text(el: ET.Element | None) -> str | None:
    """The text of ``<x><value>..</value></x>``; a footnote-only element -> ``None``."""
    if el is None:
        return None
    return _text(el.find("value"))


def parse_flag(raw: str | None, what: str = "flag") -> bool | None:
    """``1``/``true``/``0``/``false`` in any case -> bool; empty -> ``None``.

    >>> parse_flag(" TRUE "), parse_flag("0"), parse_flag("")
    (True, False, None)
    """
    text = (raw or "").strip().lower()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise XMLFormatError(f"{what} is {raw!r}, expected 1, 0, true or false")


def parse_date(raw: str | None, what: str = "date") -> date | None:
    """The ``YYYY-MM-DD`` part of an XML date (timezone suffixes dropped).

    >>> parse_date("2021-08-20-05:00")
    datetime.date(2021, 8, 20)
    """
    if raw is None or not raw.strip():
        return None
    match = _DATE_RE.match(raw)
    if not match:
        raise XMLFormatError(f"{what} is {raw!r}, expected YYYY-MM-DD")
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError as exc:
        raise XMLFormatError(f"{what} is {raw!r}, not a calendar date") from exc


def parse_number(raw: str | None, what: str = "number") -> float | None:
    """A decimal number (thousands separators tolerated).

    >>> parse_number("1,234.50")
    1234.5
    """
    if raw is None or not raw.strip():
        return None
    try:
        return float(raw.replace(",", "").strip())
    except ValueError as exc:
        raise XMLFormatError(f"{what} is {raw!r}, not a number") from exc


def _code(allowed: str) -> Callable[[str | None, str], str | None]:
    def parse(raw: str | None, what: str) -> str | None:
        if raw is None:
            return None
        letter = raw.strip().upper()
        if letter not in allowed:
            raise XMLFormatError(f"{what} is {raw!r}, expected one of {', '.join(allowed)}")
        return letter

    return parse


def _plain(raw: str | None, what: str) -> str | None:
    return raw


# --------------------------------------------------------------------------- table rows


@dataclass(frozen=True)
class _FieldSpec:
    """Where a row field lives: element paths tried in order, and how to read it."""

    name: str
    paths: tuple[str, ...]
    parse: Callable[[str | None, str], Any]
    wrapped: bool = True  # value sits in <value>; False for transactionCoding children


def _spec(name: str, *paths: str, parse: Callable[[str | None, str], Any] = _plain,
          wrapped: bool = True) -> _FieldSpec:
    return _FieldSpec(name, paths, parse, wrapped)


_TITLE = _spec("security_title", "securityTitle")
_TX_DATE = _spec("transaction_date", "transactionDate", parse=parse_date)
_DEEMED = _spec("deemed_execution_date", "deemedExecutionDate", parse=parse_date)
_CODE = _spec("transaction_code", "transactionCoding/transactionCode", wrapped=False)
_SWAP = _spec("equity_swap_involved", "transactionCoding/equitySwapInvolved",
              parse=parse_flag, wrapped=False)
_SHARES = _spec("shares", "transactionAmounts/transactionShares", parse=parse_number)
_PRICE = _spec("price_per_share", "transactionAmounts/transactionPricePerShare",
               parse=parse_number)
_AD = _spec("acquired_disposed", "transactionAmounts/transactionAcquiredDisposedCode",
            parse=_code("AD"))
_FOLLOWING = _spec("shares_owned_following",
                   "postTransactionAmounts/sharesOwnedFollowingTransaction",
                   "postTransactionAmounts/valueOwnedFollowingTransaction", parse=parse_number)
_DI = _spec("direct_or_indirect", "ownershipNature/directOrIndirectOwnership", parse=_code("DI"))
_NATURE = _spec("nature_of_ownership", "ownershipNature/natureOfOwnership")
_CONVERSION = _spec("conversion_or_exercise_price", "conversionOrExercisePrice",
                    parse=parse_number)
_EXERCISE = _spec("exercise_date", "exerciseDate", parse=parse_date)
_EXPIRATION = _spec("expiration_date", "expirationDate", parse=parse_date)
_UNDERLYING_TITLE = _spec("underlying_security_title", "underlyingSecurity/underlyingSecurityTitle")
_UNDERLYING_SHARES = _spec("underlying_security_shares",
                           "underlyingSecurity/underlyingSecurityShares",
                           "underlyingSecurity/underlyingSecurityValue", parse=parse_number)


@dataclass(frozen=True)
class _TableSpec:
    key: str  # key in schema.TABLES
    table_tag: str
    row_tag: str
    model: type
    fields: tuple[_FieldSpec, ...]


_TABLE_SPECS = (
    _TableSpec("non_derivative_transactions", "nonDerivativeTable", "nonDerivativeTransaction",
               NonDerivativeTransaction,
               (_TITLE, _TX_DATE, _DEEMED, _CODE, _SWAP, _SHARES, _PRICE, _AD, _FOLLOWING,
                _DI, _NATURE)),
    _TableSpec("non_derivative_holdings", "nonDerivativeTable", "nonDerivativeHolding",
               NonDerivativeHolding, (_TITLE, _FOLLOWING, _DI, _NATURE)),
    _TableSpec("derivative_transactions", "derivativeTable", "derivativeTransaction",
               DerivativeTransaction,
               (_TITLE, _CONVERSION, _TX_DATE, _DEEMED, _CODE, _SWAP, _SHARES, _AD, _EXERCISE,
                _EXPIRATION, _UNDERLYING_TITLE, _UNDERLYING_SHARES, _PRICE, _FOLLOWING, _DI,
                _NATURE)),
    _TableSpec("derivative_holdings", "derivativeTable", "derivativeHolding", DerivativeHolding,
               (_TITLE, _CONVERSION, _EXERCISE, _EXPIRATION, _UNDERLYING_TITLE,
                _UNDERLYING_SHARES, _FOLLOWING, _DI, _NATURE)),
)

#: element paths (relative to a row) that carry footnotes for a printed cell but
#: are not a field path themselves.
_EXTRA_FOOTNOTE_PATHS = {
    "transactionCoding": "transaction_code",
    "transactionTimeliness": "transaction_code",
    "transactionAmounts/transactionTotalValue": "shares",
    "transactionAmounts": "shares",
    "underlyingSecurity": "underlying_security_title",
    "postTransactionAmounts": "shares_owned_following",
    "ownershipNature": "direct_or_indirect",
}


def _read_field(row: ET.Element, spec: _FieldSpec) -> Any:
    for path in spec.paths:
        el = row.find(path)
        if el is None:
            continue
        raw = _value_text(el) if spec.wrapped else _text(el)
        value = spec.parse(raw, f"{spec.name} ({path})")
        if value is not None:
            return value
    return None


def _iter_footnote_refs(el: ET.Element, path: str = "") -> Iterator[tuple[str, str]]:
    """(path of the element holding it, id) of every footnoteId below ``el``, in order."""
    for child in el:
        tag = child.tag
        if tag == "footnoteId":
            ref = (child.get("id") or "").strip()
            if ref:
                yield path, ref
        else:
            yield from _iter_footnote_refs(child, f"{path}/{tag}" if path else tag)


@lru_cache(maxsize=None)
def _footnote_paths(table: _TableSpec) -> dict[str, str]:
    """Element path (relative to a row) -> the field whose cell prints its footnotes."""
    names = {spec.name for spec in table.fields}
    paths = {p: name for p, name in _EXTRA_FOOTNOTE_PATHS.items() if name in names}
    paths.update({p: spec.name for spec in table.fields for p in spec.paths})
    return paths


def _cell_for_path(path: str, table: _TableSpec) -> str:
    """The row field whose printed cell shows footnotes found at ``path``.

    The nearest enclosing known element wins; anything else goes to the title.
    """
    paths = _footnote_paths(table)
    candidate = path
    while candidate:
        if candidate in paths:
            return paths[candidate]
        candidate = candidate.rpartition("/")[0]
    return table.fields[0].name


def _dedupe(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _read_row(row: ET.Element, table: _TableSpec, index: int,
              cells: CellFootnotes) -> Any:
    values = {spec.name: _read_field(row, spec) for spec in table.fields}
    refs = list(_iter_footnote_refs(row))
    per_cell: dict[str, list[str]] = {}
    for path, ref in refs:
        per_cell.setdefault(_cell_for_path(path, table), []).append(ref)
    for name, ids in per_cell.items():
        cells[CellRef(table.key, index, name)] = _dedupe(ids)
    return table.model(**values, footnote_ids=_dedupe([ref for _, ref in refs]))


def _read_tables(root: ET.Element, cells: CellFootnotes) -> dict[str, tuple[Any, ...]]:
    tables: dict[str, tuple[Any, ...]] = {}
    for table in _TABLE_SPECS:
        rows = [r for t in root.findall(table.table_tag) for r in t.findall(table.row_tag)]
        tables[table.key] = tuple(_read_row(r, table, i, cells) for i, r in enumerate(rows))
    return tables
