"""The record schema: frozen, typed mirrors of the SEC ownershipDocument.

This is the JSON contract other tools read (``form4 extract --format json``).
Keys are snake_case mirrors of the XML elements; dates are ISO ``YYYY-MM-DD``;
numbers are JSON numbers; a value the filing does not show is ``null``.
Extend it, never rename.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Annotated, Any, Literal, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer, model_validator

from .form.normalize import MAX_INTEGER_DIGITS, strip_control

SCHEMA_VERSION = "1.0"


def _number_out(value: float | None) -> int | float | None:
    """Whole numbers print as JSON integers (``45551``), others as decimals."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


#: Shares, prices and holdings: finite, never negative, at most MAX_INTEGER_DIGITS integer digits
#: (so every value prints as an XSD decimal and reads back exactly as a JSON number).
Number = Annotated[
    float,
    Field(ge=0, lt=10**MAX_INTEGER_DIGITS, allow_inf_nan=False),
    PlainSerializer(_number_out, return_type=Optional[float]),
]
#: Text holds no character XML 1.0 forbids (NUL, other controls): each becomes a space.
Text = Annotated[str, AfterValidator(strip_control)]
Confidence = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Date = dt.date
AD = Literal["A", "D"]
DI = Literal["D", "I"]
FootnoteIds = tuple[Text, ...]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Issuer(_Frozen):
    name: Optional[Text] = None
    trading_symbol: Optional[Text] = None
    cik: Optional[Text] = None


class ReportingOwner(_Frozen):
    name: Optional[Text] = None
    street1: Optional[Text] = None
    street2: Optional[Text] = None
    city: Optional[Text] = None
    state: Optional[Text] = None
    zip_code: Optional[Text] = None
    is_director: Optional[bool] = None
    is_officer: Optional[bool] = None
    is_ten_percent_owner: Optional[bool] = None
    is_other: Optional[bool] = None
    officer_title: Optional[Text] = None
    other_text: Optional[Text] = None


def is_amount(value: Any) -> bool:
    """A value a Form 4 can print as shares, a price or a holding: finite, >= 0, at most 15 integer digits.

    >>> is_amount(3638.0), is_amount(-5005.0), is_amount(float("inf")), is_amount(1e15)
    (True, False, False, False)
    """
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and 0 <= value < 10**MAX_INTEGER_DIGITS


class _Row(_Frozen):
    """A table row. A number no Form 4 prints (negative, infinite, too long: a rebuild's
    arithmetic gone wrong) is dropped to null here, so no record ever holds one."""

    @model_validator(mode="before")
    @classmethod
    def _drop_impossible_amounts(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        return {k: (None if k in NUMBER_FIELDS and isinstance(v, (int, float)) and not is_amount(v) else v) for k, v in data.items()}


NUMBER_FIELDS = frozenset({"shares", "price_per_share", "shares_owned_following", "conversion_or_exercise_price", "underlying_security_shares",
                           "price_range_low", "price_range_high"})


class NonDerivativeTransaction(_Row):
    security_title: Optional[Text] = None
    transaction_date: Optional[Date] = None
    deemed_execution_date: Optional[Date] = None
    transaction_code: Optional[Text] = None
    equity_swap_involved: Optional[bool] = None
    shares: Optional[Number] = None
    price_per_share: Optional[Number] = None
    acquired_disposed: Optional[AD] = None
    shares_owned_following: Optional[Number] = None
    direct_or_indirect: Optional[DI] = None
    nature_of_ownership: Optional[Text] = None
    footnote_ids: FootnoteIds = ()
    #: the range a weighted-average price's footnote states (read from the footnote; no XML element)
    price_range_low: Optional[Number] = None
    price_range_high: Optional[Number] = None


class NonDerivativeHolding(_Row):
    security_title: Optional[Text] = None
    shares_owned_following: Optional[Number] = None
    direct_or_indirect: Optional[DI] = None
    nature_of_ownership: Optional[Text] = None
    footnote_ids: FootnoteIds = ()


class DerivativeTransaction(_Row):
    security_title: Optional[Text] = None
    conversion_or_exercise_price: Optional[Number] = None
    transaction_date: Optional[Date] = None
    deemed_execution_date: Optional[Date] = None
    transaction_code: Optional[Text] = None
    equity_swap_involved: Optional[bool] = None
    shares: Optional[Number] = None
    acquired_disposed: Optional[AD] = None
    exercise_date: Optional[Date] = None
    expiration_date: Optional[Date] = None
    underlying_security_title: Optional[Text] = None
    underlying_security_shares: Optional[Number] = None
    price_per_share: Optional[Number] = None
    shares_owned_following: Optional[Number] = None
    direct_or_indirect: Optional[DI] = None
    nature_of_ownership: Optional[Text] = None
    footnote_ids: FootnoteIds = ()
    price_range_low: Optional[Number] = None
    price_range_high: Optional[Number] = None


class DerivativeHolding(_Row):
    security_title: Optional[Text] = None
    conversion_or_exercise_price: Optional[Number] = None
    exercise_date: Optional[Date] = None
    expiration_date: Optional[Date] = None
    underlying_security_title: Optional[Text] = None
    underlying_security_shares: Optional[Number] = None
    shares_owned_following: Optional[Number] = None
    direct_or_indirect: Optional[DI] = None
    nature_of_ownership: Optional[Text] = None
    footnote_ids: FootnoteIds = ()


class Footnote(_Frozen):
    id: Text
    text: Optional[Text] = None


class Signature(_Frozen):
    name: Optional[Text] = None
    date: Optional[Date] = None


class Record(_Frozen):
    """One Form 4 filing."""

    source: Optional[Text] = None
    document_type: Optional[Literal["4", "4/A"]] = None
    period_of_report: Optional[Date] = None
    date_of_original_submission: Optional[Date] = None
    not_subject_to_section16: Optional[bool] = None
    aff10b5_one: Optional[bool] = None
    issuer: Issuer = Field(default_factory=Issuer)
    reporting_owners: tuple[ReportingOwner, ...] = ()
    non_derivative_transactions: tuple[NonDerivativeTransaction, ...] = ()
    non_derivative_holdings: tuple[NonDerivativeHolding, ...] = ()
    derivative_transactions: tuple[DerivativeTransaction, ...] = ()
    derivative_holdings: tuple[DerivativeHolding, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    remarks: Optional[Text] = None
    signatures: tuple[Signature, ...] = ()
    confidence: dict[str, Confidence] = Field(
        default_factory=dict,
        description="JSON pointer of every non-null leaf -> confidence in [0, 1]",
    )
    warnings: tuple[Text, ...] = ()
    review: tuple[str, ...] = Field(
        default=(),
        description="JSON pointers of the leaves whose confidence is below the review threshold: check these by hand",
    )
    record_confidence: Optional[float] = Field(
        default=None,
        description="probability that every field of the record is right (null without a calibrated model)",
    )
    alternatives: dict[str, tuple[Number, ...]] = Field(
        default_factory=dict,
        description="JSON pointer of a number the text lets be read otherwise -> its other readings, best first",
    )

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_json_dict(), indent=indent, ensure_ascii=False)


#: The table models by their key in the record, in the order the form prints them.
TABLES: dict[str, type[_Frozen]] = {
    "non_derivative_transactions": NonDerivativeTransaction,
    "non_derivative_holdings": NonDerivativeHolding,
    "derivative_transactions": DerivativeTransaction,
    "derivative_holdings": DerivativeHolding,
}


def json_schema() -> dict[str, Any]:
    """The JSON Schema of :class:`Record` as ``extract --format json`` prints it."""
    schema = Record.model_json_schema(mode="serialization")
    schema["$id"] = f"https://form4.invalid/schema/record-{SCHEMA_VERSION}.json"
    return schema


#: Top-level keys of a dumped record that describe it rather than the filing.
METADATA = frozenset({"confidence", "warnings", "review", "record_confidence", "source", "unrecoverable", "alternatives"})


def iter_leaves(obj: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """(JSON pointer, value) of every non-null leaf of a dumped record.

    ``confidence``, ``warnings``, ``review``, ``record_confidence``, ``alternatives`` and
    ``source`` are metadata, not leaves.

    >>> iter_leaves({"issuer": {"name": "X", "cik": None}, "footnotes": [{"id": "F1"}]})
    [('/issuer/name', 'X'), ('/footnotes/0/id', 'F1')]
    """
    out: list[tuple[str, Any]] = []
    if isinstance(obj, dict):
        for key, value in obj.items():
            if not prefix and key in METADATA:
                continue
            out.extend(iter_leaves(value, f"{prefix}/{_escape(str(key))}"))
    elif isinstance(obj, (list, tuple)):
        for i, value in enumerate(obj):
            out.extend(iter_leaves(value, f"{prefix}/{i}"))
    elif obj is not None:
        out.append((prefix, obj))
    return out


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")
