"""Other readings of a number: what else the printed text lets a damaged number be.

A number a converter split over cells (``23,13⇥39``) or that OCR blurred has several
readings (:func:`form4.read.grammar.join_candidates`); the assembler keeps the best one and
the record lists the others under ``alternatives`` (JSON pointer -> readings, best first),
so a later check that sees more than one filing (an owner's holding chain across a batch)
can re-read the value.
"""

from __future__ import annotations

from typing import Any, Mapping

from ..form.normalize import parse_number
from ..schema import NUMBER_FIELDS, is_amount

#: At most this many other readings are kept per value.
MAX_READINGS = 4


def other_readings(values: Mapping[str, Any], prefix: str) -> dict[str, tuple[float, ...]]:
    """Pointer -> the other readings of each number field of one row (``values``: name -> Value).

    >>> from types import SimpleNamespace as V
    >>> c = lambda text: V(text=text)
    >>> other_readings({"shares": V(value=23139.0, alternatives=(c("23,139"), c("2,313,939"), c("39")))}, "/t/0/")
    {'/t/0/shares': (2313939.0, 39.0)}
    """
    out: dict[str, tuple[float, ...]] = {}
    for name, value in values.items():
        if name not in NUMBER_FIELDS or value.value is None or not value.alternatives:
            continue
        readings: list[float] = []
        for candidate in value.alternatives:
            number = parse_number(candidate.text).value
            if number is not None and is_amount(number) and number != value.value and number not in readings:
                readings.append(number)
        if readings:
            out[f"{prefix}{name}"] = tuple(readings[:MAX_READINGS])
    return out
