"""Transaction codes of the Form 4 and what each implies, declared once.

``CODES`` quotes the SEC's list (Form 4 General Instructions, item 8, "Transaction Codes"),
code -> its words. A code implies the acquired/disposed side only where those words name it:
a purchase, grant, award or small acquisition acquires; a sale, a disposition or a payment by
delivering securities disposes. An exercise or conversion acquires the underlying security
(Table I) and disposes of the derivative (Table II). "Acquisition or disposition" names no side
(``I``, ``W``, ``J``), nor does a gift (given or received), an expiration or a voting trust.

>>> side("P", derivative=False), side("M", derivative=False), side("M", derivative=True), side("I", derivative=False)
('A', 'A', 'D', None)
"""

from __future__ import annotations

CODES: dict[str, str] = {
    # General Transaction Codes
    "P": "Open market or private purchase of non-derivative or derivative security",
    "S": "Open market or private sale of non-derivative or derivative security",
    "V": "Transaction voluntarily reported earlier than required",
    # Rule 16b-3 Transaction Codes
    "A": "Grant, award or other acquisition pursuant to Rule 16b-3(d)",
    "D": "Disposition to the issuer of issuer equity securities pursuant to Rule 16b-3(e)",
    "F": "Payment of exercise price or tax liability by delivering or withholding securities incident to the "
         "receipt, exercise or vesting of a security issued in accordance with Rule 16b-3",
    "I": "Discretionary transaction in accordance with Rule 16b-3(f) resulting in acquisition or disposition of "
         "issuer securities",
    "M": "Exercise or conversion of derivative security exempted pursuant to Rule 16b-3",
    # Derivative Securities Codes (except for transactions exempted pursuant to Rule 16b-3)
    "C": "Conversion of derivative security",
    "E": "Expiration of short derivative position",
    "H": "Expiration (or cancellation) of long derivative position with value received",
    "O": "Exercise of out-of-the-money derivative security",
    "X": "Exercise of in-the-money or at-the-money derivative security",
    # Other Section 16(b) Exempt Transaction and Small Acquisition Codes
    "G": "Bona fide gift",
    "L": "Small acquisition under Rule 16a-6",
    "W": "Acquisition or disposition by will or the laws of descent and distribution",
    "Z": "Deposit into or withdrawal from voting trust",
    # Other Transaction Codes
    "J": "Other acquisition or disposition (describe transaction)",
    "K": "Transaction in equity swap or instrument with similar characteristics",
    "U": "Disposition pursuant to a tender of shares in a change of control transaction",
}

#: The letters the code column may print.
TRANSACTION_CODES: frozenset[str] = frozenset(CODES)
#: Codes the ownership XML takes as ``transactionCode`` (its XSD's picklist): ``V`` goes in a
#: column of its own and ``K`` is ``equityswapInvolved``, both beside the code.
XML_CODES: frozenset[str] = TRANSACTION_CODES - {"V", "K"}

#: The side a code's words name, in Table I.
SIDE: dict[str, str] = {
    "P": "A", "S": "D", "A": "A", "D": "D", "F": "D", "M": "A", "C": "A", "O": "A", "X": "A", "L": "A", "U": "D",
}
#: In Table II an exercise or a conversion disposes of the derivative.
DERIVATIVE_SIDE: dict[str, str] = {**SIDE, "M": "D", "C": "D", "O": "D", "X": "D"}


def side(code: str | None, derivative: bool) -> str | None:
    """The acquired/disposed side ``code`` implies in Table II (``derivative``) or Table I; None: none."""
    return (DERIVATIVE_SIDE if derivative else SIDE).get(code or "")
