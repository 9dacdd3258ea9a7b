"""Record -> SEC ownershipDocument XML (``extract --format xml``).

The inverse of :mod:`form4.xml_reader`: element names and nesting follow the
EDGAR Ownership XML Technical Specification; a ``null`` value is left out; a row's
footnote ids are attached to its first element.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

from .schema import Record

_OWNER_ADDRESS = (
    ("street1", "rptOwnerStreet1"),
    ("street2", "rptOwnerStreet2"),
    ("city", "rptOwnerCity"),
    ("state", "rptOwnerState"),
    ("zip_code", "rptOwnerZipCode"),
)
_RELATIONSHIP = (
    ("is_director", "isDirector"),
    ("is_officer", "isOfficer"),
    ("is_ten_percent_owner", "isTenPercentOwner"),
    ("is_other", "isOther"),
    ("officer_title", "officerTitle"),
    ("other_text", "otherText"),
)
# field -> path of the element holding <value> in a table row
_ROW_PATHS = {
    "security_title": "securityTitle",
    "conversion_or_exercise_price": "conversionOrExercisePrice",
    "transaction_date": "transactionDate",
    "deemed_execution_date": "deemedExecutionDate",
    "shares": "transactionAmounts/transactionShares",
    "price_per_share": "transactionAmounts/transactionPricePerShare",
    "acquired_disposed": "transactionAmounts/transactionAcquiredDisposedCode",
    "exercise_date": "exerciseDate",
    "expiration_date": "expirationDate",
    "underlying_security_title": "underlyingSecurity/underlyingSecurityTitle",
    "underlying_security_shares": "underlyingSecurity/underlyingSecurityShares",
    "shares_owned_following": "postTransactionAmounts/sharesOwnedFollowingTransaction",
    "direct_or_indirect": "ownershipNature/directOrIndirectOwnership",
    "nature_of_ownership": "ownershipNature/natureOfOwnership",
}
_TABLES = (
    ("nonDerivativeTable", "non_derivative_transactions", "nonDerivativeTransaction"),
    ("nonDerivativeTable", "non_derivative_holdings", "nonDerivativeHolding"),
    ("derivativeTable", "derivative_transactions", "derivativeTransaction"),
    ("derivativeTable", "derivative_holdings", "derivativeHolding"),
)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _child(parent: ET.Element, path: str) -> ET.Element:
    node = parent
    for tag in path.split("/"):
        found = node.find(tag)
        node = found if found is not None else ET.SubElement(node, tag)
    return node


def _plain(parent: ET.Element, tag: str, value: Any) -> None:
    if value is not None:
        ET.SubElement(parent, tag).text = _text(value)


def _row(parent: ET.Element, tag: str, row: Any) -> None:
    el = ET.SubElement(parent, tag)
    first: ET.Element | None = None
    for name, path in _ROW_PATHS.items():
        value = getattr(row, name, None)
        if name == "shares" and getattr(row, "transaction_code", None) is not None:
            coding = ET.SubElement(el, "transactionCoding")
            ET.SubElement(coding, "transactionFormType").text = "4"
            ET.SubElement(coding, "transactionCode").text = row.transaction_code
            if row.equity_swap_involved is not None:
                ET.SubElement(coding, "equitySwapInvolved").text = _text(row.equity_swap_involved)
        if value is None:
            continue
        holder = _child(el, path)
        ET.SubElement(holder, "value").text = _text(value)
        first = first if first is not None else holder
    for fid in row.footnote_ids:
        ET.SubElement(first if first is not None else el, "footnoteId", id=fid)


def to_xml(record: Record) -> str:
    """The ownershipDocument XML of ``record``.

    >>> from form4.schema import Issuer
    >>> print(to_xml(Record(document_type="4", issuer=Issuer(name="X", trading_symbol="XYZ")))[:80])
    <?xml version='1.0' encoding='utf-8'?>
    <ownershipDocument><schemaVersion>X0508</
    """
    root = ET.Element("ownershipDocument")
    _plain(root, "schemaVersion", "X0508")
    _plain(root, "documentType", record.document_type)
    _plain(root, "periodOfReport", record.period_of_report)
    _plain(root, "dateOfOriginalSubmission", record.date_of_original_submission)
    _plain(root, "notSubjectToSection16", record.not_subject_to_section16)
    _plain(root, "aff10b5One", record.aff10b5_one)
    issuer = ET.SubElement(root, "issuer")
    _plain(issuer, "issuerCik", record.issuer.cik)
    _plain(issuer, "issuerName", record.issuer.name)
    _plain(issuer, "issuerTradingSymbol", record.issuer.trading_symbol)
    for owner in record.reporting_owners:
        el = ET.SubElement(root, "reportingOwner")
        ident = ET.SubElement(el, "reportingOwnerId")
        _plain(ident, "rptOwnerName", owner.name)
        address = ET.SubElement(el, "reportingOwnerAddress")
        for field, tag in _OWNER_ADDRESS:
            _plain(address, tag, getattr(owner, field))
        rel = ET.SubElement(el, "reportingOwnerRelationship")
        for field, tag in _RELATIONSHIP:
            _plain(rel, tag, getattr(owner, field))
    for table_tag, key, row_tag in _TABLES:
        rows = getattr(record, key)
        if rows:
            table = _child(root, table_tag)
            for row in rows:
                _row(table, row_tag, row)
    if record.footnotes:
        notes = ET.SubElement(root, "footnotes")
        for note in record.footnotes:
            ET.SubElement(notes, "footnote", id=note.id).text = note.text
    _plain(root, "remarks", record.remarks)
    for sig in record.signatures:
        el = ET.SubElement(root, "ownerSignature")
        _plain(el, "signatureName", sig.name)
        _plain(el, "signatureDate", sig.date)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True).decode("utf-8")
