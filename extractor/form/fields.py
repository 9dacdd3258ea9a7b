"""The field vocabulary: one source of truth for entity labels and where they land.

Labels are *roles*: in a noisy row position decides meaning, so a number is
``SHARES``, ``PRICE`` or ``OWNED_FOLLOWING``, never just "amount". The rules
(today) and the NER model (trained on the same labels) both emit these labels;
the assembler maps them onto record fields with the tables below.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .codes import TRANSACTION_CODES


class Kind(str, Enum):
    TEXT = "text"
    DATE = "date"
    NUMBER = "number"
    LETTER = "letter"


# ---------------------------------------------------------------- header labels
OWNER_NAME = "OWNER_NAME"
OWNER_STREET1 = "OWNER_STREET1"
OWNER_STREET2 = "OWNER_STREET2"
OWNER_CITY = "OWNER_CITY"
OWNER_STATE = "OWNER_STATE"
OWNER_ZIP = "OWNER_ZIP"
ISSUER_NAME = "ISSUER_NAME"
TICKER = "TICKER"
PERIOD_DATE = "PERIOD_DATE"
ORIGINAL_DATE = "ORIGINAL_DATE"
OFFICER_TITLE = "OFFICER_TITLE"
OTHER_TEXT = "OTHER_TEXT"

# ---------------------------------------------------------------- table-row labels
SECURITY_TITLE = "SECURITY_TITLE"
CONV_PRICE = "CONV_PRICE"
TXN_DATE = "TXN_DATE"
DEEMED_DATE = "DEEMED_DATE"
TXN_CODE = "TXN_CODE"
SHARES = "SHARES"
ACQ_DISP = "ACQ_DISP"
PRICE = "PRICE"
EXERCISE_DATE = "EXERCISE_DATE"
EXPIRATION_DATE = "EXPIRATION_DATE"
UNDERLYING_TITLE = "UNDERLYING_TITLE"
UNDERLYING_SHARES = "UNDERLYING_SHARES"
OWNED_FOLLOWING = "OWNED_FOLLOWING"
OWNERSHIP_FORM = "OWNERSHIP_FORM"
NATURE = "NATURE"

# ---------------------------------------------------------------- footer labels
SIGNER_NAME = "SIGNER_NAME"
SIGNATURE_DATE = "SIGNATURE_DATE"

HEADER_LABELS: dict[str, tuple[str, Kind]] = {
    # label -> (record field, kind). Owner fields live on reporting_owners[i].
    OWNER_NAME: ("name", Kind.TEXT),
    OWNER_STREET1: ("street1", Kind.TEXT),
    OWNER_STREET2: ("street2", Kind.TEXT),
    OWNER_CITY: ("city", Kind.TEXT),
    OWNER_STATE: ("state", Kind.TEXT),
    OWNER_ZIP: ("zip_code", Kind.TEXT),
    OFFICER_TITLE: ("officer_title", Kind.TEXT),
    OTHER_TEXT: ("other_text", Kind.TEXT),
    ISSUER_NAME: ("name", Kind.TEXT),
    TICKER: ("trading_symbol", Kind.TEXT),
    PERIOD_DATE: ("period_of_report", Kind.DATE),
    ORIGINAL_DATE: ("date_of_original_submission", Kind.DATE),
}

ROW_LABELS: dict[str, tuple[str, Kind]] = {
    SECURITY_TITLE: ("security_title", Kind.TEXT),
    CONV_PRICE: ("conversion_or_exercise_price", Kind.NUMBER),
    TXN_DATE: ("transaction_date", Kind.DATE),
    DEEMED_DATE: ("deemed_execution_date", Kind.DATE),
    TXN_CODE: ("transaction_code", Kind.LETTER),
    SHARES: ("shares", Kind.NUMBER),
    ACQ_DISP: ("acquired_disposed", Kind.LETTER),
    PRICE: ("price_per_share", Kind.NUMBER),
    EXERCISE_DATE: ("exercise_date", Kind.DATE),
    EXPIRATION_DATE: ("expiration_date", Kind.DATE),
    UNDERLYING_TITLE: ("underlying_security_title", Kind.TEXT),
    UNDERLYING_SHARES: ("underlying_security_shares", Kind.NUMBER),
    OWNED_FOLLOWING: ("shares_owned_following", Kind.NUMBER),
    OWNERSHIP_FORM: ("direct_or_indirect", Kind.LETTER),
    NATURE: ("nature_of_ownership", Kind.TEXT),
}

SIGNATURE_LABELS: dict[str, tuple[str, Kind]] = {
    SIGNER_NAME: ("name", Kind.TEXT),
    SIGNATURE_DATE: ("date", Kind.DATE),
}

#: Every entity label, in a stable order (the NER model's label set).
LABELS: tuple[str, ...] = tuple(HEADER_LABELS) + tuple(ROW_LABELS) + tuple(SIGNATURE_LABELS)

# ---------------------------------------------------------------- the tables' column grammar
@dataclass(frozen=True)
class Column:
    """One printed column of Table I or II.

    ``rank`` is the printed order (columns of one rank may come in either order: pdfminer puts
    the nature box before the ownership-form box); ``letters`` are the letters a one-letter
    column allows; ``needed`` says which rows must have it for the rules' reading to be sure
    (``"row"``: every row, ``"transaction"``: transaction rows).
    """

    label: str
    rank: int
    letters: str = ""
    needed: str = ""


_CODES = "".join(sorted(TRANSACTION_CODES))

#: Each table's columns in printed order: read by the row grammar (letters), the cell-stream
#: dealer (ranks), sureness (needed columns) and the assembler (allowed letters).
TABLE_COLUMNS: dict[str, tuple[Column, ...]] = {
    "I": (
        Column(SECURITY_TITLE, 0, needed="row"),
        Column(TXN_DATE, 1),
        Column(DEEMED_DATE, 2),
        Column(TXN_CODE, 3, letters=_CODES, needed="transaction"),
        Column(SHARES, 4, needed="transaction"),
        Column(ACQ_DISP, 5, letters="AD", needed="transaction"),
        Column(PRICE, 6),
        Column(OWNED_FOLLOWING, 7, needed="row"),
        Column(OWNERSHIP_FORM, 8, letters="DI", needed="row"),
        Column(NATURE, 8),
    ),
    "II": (
        Column(SECURITY_TITLE, 0, needed="row"),
        Column(CONV_PRICE, 1),
        Column(TXN_DATE, 2),
        Column(DEEMED_DATE, 3),
        Column(TXN_CODE, 4, letters=_CODES, needed="transaction"),
        Column(SHARES, 5, needed="transaction"),
        Column(ACQ_DISP, 5, letters="AD"),  # Table II prints (A) and (D) amounts in two columns, no letter
        Column(EXERCISE_DATE, 6),
        Column(EXPIRATION_DATE, 7),
        Column(UNDERLYING_TITLE, 8, needed="transaction"),
        Column(UNDERLYING_SHARES, 9),
        Column(PRICE, 10),
        Column(OWNED_FOLLOWING, 11, needed="row"),
        Column(OWNERSHIP_FORM, 12, letters="DI", needed="row"),
        Column(NATURE, 12),
    ),
}


def ranks(table: str) -> dict[str, int]:
    """Printed column order of a table, by label.

    >>> ranks("I")[TXN_CODE], ranks("II")[TXN_CODE]
    (3, 4)
    """
    return {c.label: c.rank for c in TABLE_COLUMNS[table]}


def needed(table: str, transaction: bool) -> frozenset[str]:
    """The columns a row of ``table`` must have for its reading to be sure.

    >>> sorted(needed("II", True) - needed("II", False))
    ['SHARES', 'TXN_CODE', 'UNDERLYING_TITLE']
    """
    wanted = ("row", "transaction") if transaction else ("row",)
    return frozenset(c.label for c in TABLE_COLUMNS[table] if c.needed in wanted)


def letters(label: str) -> str:
    """The letters a one-letter column allows (the same in both tables).

    >>> letters(ACQ_DISP), letters(OWNERSHIP_FORM)
    ('AD', 'DI')
    """
    return next(c.letters for cols in TABLE_COLUMNS.values() for c in cols if c.label == label)


#: Labels that mark a row as a transaction (a row without them is a holding).
TRANSACTION_ONLY_LABELS = frozenset({TXN_DATE, DEEMED_DATE, TXN_CODE, SHARES, ACQ_DISP, PRICE})

#: Fields the printed form never shows in a box of their own (the price range is read from a
#: footnote's text; the ownershipDocument has no element for it): not scored against a filing's XML.
NOT_PRINTED: frozenset[str] = frozenset({"issuer/cik", "*/equity_swap_involved", "*/price_range_low", "*/price_range_high"})


# ---------------------------------------------------------------- pointer <-> label
_TABLE_FIELD_LABEL = {name: label for label, (name, _) in ROW_LABELS.items()}
_OWNER_FIELD_LABEL = {
    "name": OWNER_NAME,
    "street1": OWNER_STREET1,
    "street2": OWNER_STREET2,
    "city": OWNER_CITY,
    "state": OWNER_STATE,
    "zip_code": OWNER_ZIP,
    "officer_title": OFFICER_TITLE,
    "other_text": OTHER_TEXT,
}
_TOP_FIELD_LABEL = {
    ("issuer", "name"): ISSUER_NAME,
    ("issuer", "trading_symbol"): TICKER,
    ("period_of_report",): PERIOD_DATE,
    ("date_of_original_submission",): ORIGINAL_DATE,
}
TABLE_KEYS = ("non_derivative_transactions", "non_derivative_holdings", "derivative_transactions", "derivative_holdings")


def label_for_pointer(pointer: str) -> str | None:
    """The entity label whose span prints the value at ``pointer`` (None: not a span).

    >>> label_for_pointer("/non_derivative_transactions/0/shares"), label_for_pointer("/reporting_owners/1/name")
    ('SHARES', 'OWNER_NAME')
    >>> label_for_pointer("/signatures/0/date"), label_for_pointer("/footnotes/0/text") is None
    ('SIGNATURE_DATE', True)
    """
    parts = pointer.strip("/").split("/")
    if parts[0] in TABLE_KEYS and len(parts) == 3:
        return _TABLE_FIELD_LABEL.get(parts[2])
    if parts[0] == "reporting_owners" and len(parts) == 3:
        return _OWNER_FIELD_LABEL.get(parts[2])
    if parts[0] == "signatures" and len(parts) == 3:
        return {"name": SIGNER_NAME, "date": SIGNATURE_DATE}.get(parts[2])
    return _TOP_FIELD_LABEL.get(tuple(parts))
