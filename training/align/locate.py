"""Where each field of a record was printed, for the review page (``form4 extract --report``) and the
annotation pre-labels.

The record carries JSON pointers, not offsets, so each value is found again in the text the
way the corpus aligner places gold values (:func:`form4.training.align.align_record`: confined
to its section and row, printed forms, OCR-tolerant); values with no label of their own
(footnote and remark text) are searched for as printed. Seed 000, for example:
``/issuer/trading_symbol`` is found at the ``QLYS`` its box 2 prints,
``/non_derivative_transactions/0/shares`` at the row's ``45,551``.
"""

from __future__ import annotations

from form4.io.review import SEARCHED, Located
from form4.schema import Record, iter_leaves

from .document import align_record


def locate(record: Record, text: str) -> Located:
    """Find every labelled value of ``record`` in ``text`` (and footnote/remark texts as printed)."""
    clean = Record.model_validate(record.model_dump(exclude={"confidence", "warnings"}))
    out = Located()
    for p in align_record(clean, text).placements:
        if p.status == "placed":
            out.spans[p.pointer] = list(p.fragments)
            out.labels[p.pointer] = p.label
        else:
            out.missing.append(p.pointer)
    for pointer, value in iter_leaves(clean.to_json_dict()):
        if pointer.startswith(SEARCHED) and isinstance(value, str) and not pointer.endswith("/id"):
            start = _find_printed(text, value)
            if start is None:
                out.missing.append(pointer)
            else:
                out.spans[pointer] = [(start, start + len(value))]
    return out


def _find_printed(text: str, value: str) -> int | None:
    """The offset of ``value`` in ``text``, or of its first 40 characters (a wrapped footnote)."""
    for needle in (value, value[:40]):
        if needle and (at := text.find(needle)) >= 0:
            return at
    return None
