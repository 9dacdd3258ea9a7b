"""What the page prints: the labelled gold values the aligner looks for, and their printed forms."""

from __future__ import annotations

from dataclasses import dataclass

from form4.form import fields as F
from form4.schema import Record

from ..pages.render import render_values


Kind = F.Kind

# ---------------------------------------------------------------- expected values
_KINDS: dict[str, Kind] = {
    label: kind for table in (F.HEADER_LABELS, F.ROW_LABELS, F.SIGNATURE_LABELS) for label, (_, kind) in table.items()
}


@dataclass(frozen=True)
class Expected:
    """One printed, labelled gold value: where it lives and the exact string the page shows."""

    pointer: str
    label: str
    printed: str
    kind: Kind

    @property
    def parts(self) -> list[str]:
        return self.pointer.strip("/").split("/")

    @property
    def needle(self) -> str:
        """The string to look for: a price without its ``$`` (the tokenizer splits it off)."""
        return self.printed[1:] if self.kind is Kind.NUMBER and self.printed.startswith("$") else self.printed

    @property
    def is_atom(self) -> bool:
        """Numbers, dates and code letters are single tokens; text values are token sequences."""
        return self.kind is not Kind.TEXT


def expected_values(record: Record) -> list[Expected]:
    """The labelled values the rendered page prints, in page-independent record order.

    >>> from form4.schema import Issuer
    >>> [e.printed for e in expected_values(Record(issuer=Issuer(name="X Corp", cik="1")))]
    ['X Corp']
    """
    out = []
    for pointer, printed in render_values(record):
        label = F.label_for_pointer(pointer)
        if label:
            out.append(Expected(pointer, label, printed, _KINDS[label]))
    return out


def atom_forms(exp: Expected) -> list[str]:
    """The printed string first, then how other printers show the same number.

    >>> atom_forms(Expected("/x/0/price_per_share", F.PRICE, "$1,250.50", Kind.NUMBER))
    ['1,250.50', '1250.50', '1,250.5', '1250.5']
    >>> atom_forms(Expected("/x/0/shares", F.SHARES, "45,551", Kind.NUMBER))
    ['45,551', '45551', '45,551.00', '45551.00']
    """
    needle = exp.needle
    if exp.kind is not Kind.NUMBER:
        return [needle]
    forms = [needle]
    if "." in needle:
        whole, decimals = needle.split(".")
        short = decimals.rstrip("0")
        forms.append(f"{whole}.{short}" if short else whole)
    else:
        forms.append(f"{needle}.00")
    forms = [g for f in forms for g in (f, f.replace(",", ""))]
    # a bare "7" for "$7.00" would match any stray digit
    return [f for f in dict.fromkeys(forms) if f == needle or len(f) >= 2]
