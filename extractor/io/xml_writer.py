"""Record -> SEC ownershipDocument XML that validates (``extract --format xml``).

The inverse of :mod:`form4.io.xml_reader`. Element names, order and types follow the SEC's
ownership XSD shipped in ``xsd/`` (X0306 with the X0407/X0508 additions: see
:func:`load_schema`). The XSD wants elements the printed form may not show
legibly, so the writer first makes the record *writable* (:func:`prepare`), and says what it
changed, each as a warning (an XML comment at the top of the document,
``<!-- form4 warning: ... -->``):

* **never printed on the form**: ``equitySwapInvolved`` is written as the form's documented
  default, false; CIKs come from ``--issuer-cik`` / ``--owner-cik`` (a record's issuer CIK
  is kept), else the documented placeholder :data:`CIK_PLACEHOLDER` (``0000000000``);
* **footnote-only values**: a value the XSD lets a footnote stand for (prices, the
  conversion/exercise price, the exercise and expiration dates) that was not read keeps the
  row's ``<footnoteId>`` elements (all of them, in order, on its first such element); a row
  with no footnote gets one footnote added, :data:`PLACEHOLDER_NOTE`;
* **required values not read** get a declared placeholder (:data:`PLACEHOLDERS`): box 3's
  date for a transaction date, ``0`` for amounts, ``(not read)`` for titles, ``NONE`` for a
  missing ticker (EDGAR's own convention), ``D``/``I`` from the nature column, the A/D side
  of the code; a period of report not read is the earliest transaction date;
* **what the XSD cannot hold** is fitted: text longer than its element's limit is cut,
  a state outside EDGAR's list or a malformed zip code is left out, negative amounts are
  written as their magnitude, decimals rounded to the XSD's 4 places, XML-illegal control
  characters (NUL, form feeds of PDF text) dropped, a footnote marked but never printed is
  written empty, rows past the XSD's 30 per table are left out.

:func:`write` returns the XML, the warnings and the record *as written*: reading the XML back
with :func:`form4.io.xml_reader.read_ownership_xml` gives that record exactly.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ..schema import Record

from .xml_prepare import _ILLEGAL, _OPTIONS, _TABLES, CIK_PLACEHOLDER, FOOTNOTE_ONLY, SCHEMA_FILE, SCHEMA_VERSION, XmlOptions, prepare

@dataclass(frozen=True)
class XmlDocument:
    xml: str
    warnings: tuple[str, ...]
    record: Record  # the record as written: what reading ``xml`` back gives




# ---------------------------------------------------------------- serialising
# element path of each row field (relative to the row element), in the XSD's order
_ROW_PATHS = {
    "security_title": "securityTitle",
    "conversion_or_exercise_price": "conversionOrExercisePrice",
    "transaction_date": "transactionDate",
    "deemed_execution_date": "deemedExecutionDate",
    "transaction_code": "transactionCoding/transactionCode",
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
# derivative transactions: the price sits in transactionAmounts, before exerciseDate
_DERIVATIVE_ORDER = ("security_title", "conversion_or_exercise_price", "transaction_date", "deemed_execution_date",
                     "transaction_code", "shares", "price_per_share", "acquired_disposed", "exercise_date",
                     "expiration_date", "underlying_security_title", "underlying_security_shares",
                     "shares_owned_following", "direct_or_indirect", "nature_of_ownership")
_OWNER_ADDRESS = (("street1", "rptOwnerStreet1"), ("street2", "rptOwnerStreet2"), ("city", "rptOwnerCity"),
                  ("state", "rptOwnerState"), ("zip_code", "rptOwnerZipCode"))
_RELATIONSHIP = (("is_director", "isDirector"), ("is_officer", "isOfficer"), ("is_ten_percent_owner", "isTenPercentOwner"),
                 ("is_other", "isOther"), ("officer_title", "officerTitle"), ("other_text", "otherText"))


def _text(value: Any) -> str:
    """A value as the XSD writes it.

    >>> _text(True), _text(1500.0), _text(0.12345), _text(dt.date(2024, 1, 2))
    ('1', '1500', '0.12345', '2024-01-02')
    """
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f") if not value.is_integer() else str(int(value))
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


def _row_element(parent: ET.Element, tag: str, row: Any) -> None:
    el = ET.SubElement(parent, tag)
    names = [n for n in _DERIVATIVE_ORDER if n in type(row).model_fields]
    footnote_only = [n for n in names if n in FOOTNOTE_ONLY and getattr(row, n) is None]
    ids = list(row.footnote_ids)
    for name in names:
        value = getattr(row, name)
        if name == "transaction_code":
            if value is not None:
                coding = _child(el, "transactionCoding")
                ET.SubElement(coding, "transactionFormType").text = "4"
                ET.SubElement(coding, "transactionCode").text = value
                ET.SubElement(coding, "equitySwapInvolved").text = _text(bool(row.equity_swap_involved))
            continue
        if value is None and name not in footnote_only:
            continue
        holder = _child(el, _ROW_PATHS[name])
        if value is not None:
            ET.SubElement(holder, "value").text = _text(value)
        if name in footnote_only:  # a footnote stands for the value: all the row's ids on the first, the first id on others
            for fid in ids if name == footnote_only[0] else ids[:1]:
                ET.SubElement(holder, "footnoteId", id=fid)
    if not footnote_only:
        title = el.find("securityTitle")
        for fid in ids:
            ET.SubElement(title, "footnoteId", id=fid)


_OPTION = re.compile(r"--([a-z][a-z0-9-]*)")


def _comment(text: str) -> str:
    """A warning as an XML comment, which may not hold ``--``: an option is named in words.

    >>> print(_comment("wrote the placeholder 0000000000 (give --issuer-cik)"), end="")
    <!-- form4 warning: wrote the placeholder 0000000000 (give the issuer-cik option) -->
    """
    text = _OPTION.sub(r"the \1 option", _ILLEGAL.sub("", text))
    text = re.sub(r"-(?=-)", "- ", text).rstrip("-")
    return f"<!-- form4 warning: {text} -->\n"


def _serialise(record: Record, options: XmlOptions) -> str:
    root = ET.Element("ownershipDocument")
    _plain(root, "schemaVersion", SCHEMA_VERSION)
    _plain(root, "documentType", record.document_type)
    _plain(root, "periodOfReport", record.period_of_report)
    _plain(root, "dateOfOriginalSubmission", record.date_of_original_submission)
    _plain(root, "notSubjectToSection16", record.not_subject_to_section16)
    issuer = ET.SubElement(root, "issuer")
    _plain(issuer, "issuerCik", record.issuer.cik)
    _plain(issuer, "issuerName", record.issuer.name)
    _plain(issuer, "issuerTradingSymbol", record.issuer.trading_symbol)
    for i, owner in enumerate(record.reporting_owners):
        el = ET.SubElement(root, "reportingOwner")
        ident = ET.SubElement(el, "reportingOwnerId")
        _plain(ident, "rptOwnerCik", options.owner_ciks[i] if i < len(options.owner_ciks) else CIK_PLACEHOLDER)
        _plain(ident, "rptOwnerName", owner.name)
        address = ET.SubElement(el, "reportingOwnerAddress")
        for name, tag in _OWNER_ADDRESS:
            _plain(address, tag, getattr(owner, name))
        rel = ET.SubElement(el, "reportingOwnerRelationship")
        for name, tag in _RELATIONSHIP:
            _plain(rel, tag, getattr(owner, name))
    _plain(root, "aff10b5One", record.aff10b5_one)  # X0508: after the reporting owners
    for table_tag, key, row_tag in _TABLES:
        rows = getattr(record, key)
        if rows:
            table = _child(root, table_tag)
            for row in rows:
                _row_element(table, row_tag, row)
    if record.footnotes:
        notes = ET.SubElement(root, "footnotes")
        for note in record.footnotes:
            ET.SubElement(notes, "footnote", id=note.id).text = note.text
    _plain(root, "remarks", record.remarks)
    for sig in record.signatures:
        el = ET.SubElement(root, "ownerSignature")
        _plain(el, "signatureName", sig.name)
        _plain(el, "signatureDate", sig.date)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="unicode")


def write(record: Record, options: XmlOptions | None = None) -> XmlDocument:
    """The ownershipDocument XML of ``record``, its warnings and the record as written."""
    options = options or _OPTIONS.get()
    written, warnings = prepare(record, options)
    body = _serialise(written, options)
    xml = "<?xml version='1.0' encoding='utf-8'?>\n" + "".join(_comment(w) for w in warnings) + body + "\n"
    return XmlDocument(xml, warnings, written)


def to_xml(record: Record) -> str:
    """The ownershipDocument XML of ``record`` (the CIKs of :func:`using`'s options, else placeholders).

    >>> from form4.schema import Issuer
    >>> xml = to_xml(Record(document_type="4", period_of_report="2024-01-02", issuer=Issuer(name="X", trading_symbol="XYZ")))
    >>> print(xml[xml.index("<ownershipDocument>"):xml.index("  <issuer>")], end="")
    <ownershipDocument>
      <schemaVersion>X0508</schemaVersion>
      <documentType>4</documentType>
      <periodOfReport>2024-01-02</periodOfReport>
      <notSubjectToSection16>0</notSubjectToSection16>
    >>> schema_errors(xml)
    []
    """
    return write(record).xml


# ---------------------------------------------------------------- validating
@lru_cache(maxsize=1)
def load_schema():
    """The SEC ownership XSD as it ships in ``xsd/``: X0306 with the later versions' additions
    written into the file (``aff10b5One`` after the reporting owners, ``dateOfOriginalSubmission``
    after the period, document type ``4/A``), so any XSD validator checks the written XML against
    it as it is. Every one of the 343 real Form 4 documents of the raw data (X0303 to X0508)
    validates against it; without the additions 87 of them fail on ``aff10b5One``.
    """
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(SCHEMA_FILE)))


def schema_errors(xml: str) -> list[str]:
    """Why ``xml`` does not validate against the ownership XSD (empty: it validates)."""
    from lxml import etree

    schema = load_schema()
    doc = etree.fromstring(xml.encode("utf-8"))
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
