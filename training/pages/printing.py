"""How the EDGAR rendering of a Form 4 prints each record value: the one source of these rules.

``training.render`` prints every value through :func:`printed_form`, and
``render_values`` lists the same strings, so whoever looks for a value in a
flattened page (the aligner) sees exactly what the page shows.

Rules (checked against EDGAR's own pages in the raw data folder):

* dates ``MM/DD/YYYY``;
* share amounts with thousands separators, decimals only when the number is
  not whole (``45,551``, ``5,381.2``);
* prices with ``$``, thousands separators and as many decimals as the value has,
  but at least 2 (``$0.00``, ``$2,598.325``, ``$110.2893``). EDGAR echoes the
  filer's own decimals (``0`` -> ``$0``, ``0.00`` -> ``$0.00``); the record
  keeps only the number, and 2+ decimals is what most filings carry;
* footnote ``F1`` prints as the mark ``(1)``, its explanation line as ``1.``;
* a true flag prints ``X`` in its box, a false one prints nothing;
* text is whitespace-folded (HTML folds it anyway).

Values the page does not show as text get ``None``: ``/issuer/cik`` (EDGAR
only puts it in a link), false flags, and a derivative row's
``acquired_disposed`` (the amount's column, (A) or (D), says it).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

__all__ = [
    "format_date",
    "format_flag",
    "format_footnote_line",
    "format_footnote_mark",
    "format_price",
    "format_shares",
    "format_text",
    "printed_form",
]

DERIVATIVE_TABLES = ("derivative_transactions", "derivative_holdings")
#: Row fields read from a footnote's text (a weighted-average price's range): no cell prints them.
READ_FROM_FOOTNOTES = frozenset({"price_range_low", "price_range_high"})
PRICE_FIELDS = frozenset({"price_per_share", "conversion_or_exercise_price"})
SHARE_FIELDS = frozenset({"shares", "shares_owned_following", "underlying_security_shares"})
DATE_FIELDS = frozenset({
    "period_of_report", "date_of_original_submission", "transaction_date",
    "deemed_execution_date", "exercise_date", "expiration_date", "date",
})
#: ``equitySwapInvolved`` prints after the transaction code, as the paper form's code K.
EQUITY_SWAP_MARK = "/K"

_FOOTNOTE_ID = re.compile(r"^\s*F?\s*(\d+)\s*$", re.I)


def _decimal(value: float) -> Decimal:
    """The shortest decimal that round-trips ``value`` (no binary noise)."""
    return Decimal(repr(float(value)))


def format_date(value: dt.date | str) -> str:
    """
    >>> format_date(dt.date(2023, 10, 26))
    '10/26/2023'
    """
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return value.strftime("%m/%d/%Y")


def format_shares(value: float) -> str:
    """
    >>> format_shares(45551.0), format_shares(5381.2), format_shares(0), format_shares(1e-05)
    ('45,551', '5,381.2', '0', '0.00001')
    """
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{_decimal(value):,f}"


def format_price(value: float) -> str:
    """
    >>> format_price(0), format_price(0.33), format_price(110.2893), format_price(2598.325)
    ('$0.00', '$0.33', '$110.2893', '$2,598.325')
    >>> format_price(12.5)
    '$12.50'
    """
    number = _decimal(value)
    if number.as_tuple().exponent > -2:  # type: ignore[operator]
        number = number.quantize(Decimal("0.01"))
    return f"${number:,f}"


def footnote_number(footnote_id: str) -> str:
    """``F12`` -> ``12``; an id that is not ``F<n>`` prints as it is.

    >>> footnote_number("F12"), footnote_number("A")
    ('12', 'A')
    """
    match = _FOOTNOTE_ID.match(footnote_id)
    return match.group(1) if match else footnote_id.strip()


#: how a footnote mark can look; EDGAR (and ``printed_form``) use ``paren``. Marks are
#: not aligned spans, so a page style may print another form.
FOOTNOTE_MARK_FORMS = {"paren": "({})", "bracket": "[{}]"}


def format_footnote_mark(footnote_id: str, form: str = "paren") -> str:
    """
    >>> format_footnote_mark("F1"), format_footnote_mark("F12", "bracket")
    ('(1)', '[12]')
    """
    return FOOTNOTE_MARK_FORMS[form].format(footnote_number(footnote_id))


#: how the number that starts a footnote's line can look; EDGAR (and ``printed_form``) use ``dot``.
#: Footnote numbers are not aligned spans, so a page style may print another form.
FOOTNOTE_LINE_FORMS = {"dot": "{}.", "paren": "({})", "bracket": "[{}]"}


def format_footnote_line(footnote_id: str, form: str = "dot") -> str:
    """The number that starts a footnote's line under "Explanation of Responses:".

    >>> format_footnote_line("F3"), format_footnote_line("F3", "paren")
    ('3.', '(3)')
    """
    return FOOTNOTE_LINE_FORMS[form].format(footnote_number(footnote_id))


def format_flag(value: bool | None) -> str | None:
    """A checked box prints ``X``; an unchecked one prints nothing."""
    return "X" if value else None


def format_text(value: str) -> str:
    """
    >>> format_text("  CEO &\\n President ")
    'CEO & President'
    """
    return " ".join(str(value).split())


def _tokens(pointer: str) -> list[str]:
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.strip("/").split("/")]


def _field_of(tokens: list[str]) -> str:
    """The record field a pointer names (``.../footnote_ids/0`` -> ``footnote_ids``)."""
    named = [t for t in tokens if not t.isdigit()]
    return named[-1] if named else ""


def printed_form(pointer: str, value: Any) -> str | None:
    """The exact string the rendered page prints for the leaf at ``pointer``.

    ``value`` is the JSON value (``model_dump(mode="json")``) or the Python one.
    ``None`` means the page does not print it as text.

    >>> printed_form("/non_derivative_transactions/0/shares", 45551)
    '45,551'
    >>> printed_form("/non_derivative_transactions/0/price_per_share", 0)
    '$0.00'
    >>> printed_form("/derivative_transactions/0/footnote_ids/1", "F2")
    '(2)'
    >>> printed_form("/signatures/0/date", "2023-10-30")
    '10/30/2023'
    >>> printed_form("/reporting_owners/1/is_director", False) is None
    True
    >>> printed_form("/derivative_transactions/0/acquired_disposed", "A") is None
    True
    """
    if value is None:
        return None
    tokens = _tokens(pointer)
    name = _field_of(tokens)
    if isinstance(value, bool):
        if name == "equity_swap_involved":
            return EQUITY_SWAP_MARK if value else None
        return format_flag(value)
    if pointer == "/issuer/cik" or name in READ_FROM_FOOTNOTES:
        return None
    if name == "acquired_disposed" and tokens[0] in DERIVATIVE_TABLES:
        return None
    if name == "footnote_ids":
        return format_footnote_mark(str(value))
    if tokens[0] == "footnotes" and name == "id":
        return format_footnote_line(str(value))
    if name in DATE_FIELDS:
        return format_date(value)
    if name in PRICE_FIELDS:
        return format_price(float(value))
    if name in SHARE_FIELDS:
        return format_shares(float(value))
    return format_text(str(value))
