"""SEC ownershipDocument XML (Form 4 / 4/A) -> :class:`~form4.schema.Record`.

The XML is the ground truth the text extractor is trained and scored against,
so the mapping here follows the same conventions as the text path:

* text values are whitespace-folded; empty strings become ``None``;
* ``<x><value>..</value></x>`` holds a value; an element that only carries a
  ``<footnoteId>`` is ``None``;
* flags ``1``/``true``/``0``/``false`` (any case) become booleans; reporting-owner
  relationship flags and ``notSubjectToSection16`` default to ``False``;
  ``aff10b5One`` is ``None`` when the element is absent (pre-2023 schemas);
* dates keep only their ``YYYY-MM-DD`` part (``2021-08-20-05:00`` -> 2021-08-20);
* a row's ``footnote_ids`` are every ``footnoteId/@id`` inside the row, in
  document order, without repeats.

Only the standard library is used for parsing.

>>> record = read_ownership_xml(_EXAMPLE, source="example.xml")
>>> record.issuer.trading_symbol, record.non_derivative_transactions[0].shares
('XYZ', 1500.0)
>>> record.non_derivative_transactions[0].footnote_ids
('F1',)
"""

from __future__ import annotations

import hashlib
import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from form4.errors import XMLFormatError
from form4.assemble.price_ranges import read_price_ranges
from form4.schema import (
    Footnote,
    Issuer,
    Record,
    ReportingOwner,
    Signature,
    iter_leaves,
)

from form4.io.xml_tables import CellFootnotes, CellRef, _fold, _local, _read_tables, _text, _value_text, parse_date, parse_flag  # noqa: F401  (CellRef is public here)

log = logging.getLogger(__name__)

FORM4_TYPES = ("4", "4/A")
WRAPPER_SUFFIXES = (".xml", ".txt", ".nc", ".yaml", ".yml")

_DOC_OPEN = re.compile(r"<ownershipDocument\b")
_DOC_CLOSE = re.compile(r"</ownershipDocument\s*>")
_BETWEEN_TAGS = re.compile(r">\s+<")

_EXAMPLE = """<ownershipDocument><schemaVersion>X0508</schemaVersion>
<documentType>4</documentType><periodOfReport>2024-01-02</periodOfReport>
<issuer><issuerCik>0000000001</issuerCik><issuerName>X Corp</issuerName>
<issuerTradingSymbol>XYZ</issuerTradingSymbol></issuer>
<nonDerivativeTable><nonDerivativeTransaction>
<securityTitle><value>Common Stock</value></securityTitle>
<transactionAmounts><transactionShares><value>1500</value><footnoteId id="F1"/>
</transactionShares></transactionAmounts></nonDerivativeTransaction></nonDerivativeTable>
</ownershipDocument>"""


class NotForm4DocumentError(XMLFormatError):
    """A well-formed ownershipDocument of another type (Form 3, Form 5)."""


# --------------------------------------------------------------------------- results

@dataclass(frozen=True)
class ParsedOwnership:
    """A parsed ownershipDocument: the record plus what the record cannot hold."""

    record: Record
    schema_version: str | None = None
    cell_footnotes: CellFootnotes = field(default_factory=dict)




# --------------------------------------------------------------------------- header / footer


def _owner_flag(rel: ET.Element | None, tag: str) -> bool:
    if rel is None:
        return False
    flag = parse_flag(_text(rel.find(tag)), tag)
    return bool(flag)


def _read_owner(el: ET.Element) -> ReportingOwner:
    rel = el.find("reportingOwnerRelationship")
    address = el.find("reportingOwnerAddress")

    def addr(tag: str) -> str | None:
        return None if address is None else _text(address.find(tag))

    return ReportingOwner(
        name=_text(el.find("reportingOwnerId/rptOwnerName")),
        street1=addr("rptOwnerStreet1"),
        street2=addr("rptOwnerStreet2"),
        city=addr("rptOwnerCity"),
        state=addr("rptOwnerState"),
        zip_code=addr("rptOwnerZipCode"),
        is_director=_owner_flag(rel, "isDirector"),
        is_officer=_owner_flag(rel, "isOfficer"),
        is_ten_percent_owner=_owner_flag(rel, "isTenPercentOwner"),
        is_other=_owner_flag(rel, "isOther"),
        officer_title=None if rel is None else _text(rel.find("officerTitle")),
        other_text=None if rel is None else _text(rel.find("otherText")),
    )


def _read_footnotes(root: ET.Element) -> tuple[Footnote, ...]:
    notes = []
    for el in root.findall("footnotes/footnote"):
        ref = (el.get("id") or "").strip()
        if ref:
            notes.append(Footnote(id=ref, text=_text(el)))
    return tuple(notes)


def _read_signatures(root: ET.Element) -> tuple[Signature, ...]:
    return tuple(
        Signature(name=_text(el.find("signatureName")),
                  date=parse_date(_text(el.find("signatureDate")), "signatureDate"))
        for el in root.findall("ownerSignature")
    )


def _document_type(root: ET.Element) -> str:
    raw = _text(root.find("documentType"))
    if raw is None:
        raise XMLFormatError("ownershipDocument has no documentType")
    doc_type = raw.upper().replace(" ", "")
    if doc_type not in FORM4_TYPES:
        raise NotForm4DocumentError(f"documentType is {raw!r}, only Form 4 and 4/A are read")
    return doc_type


# --------------------------------------------------------------------------- parsing


def ownership_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every ``<ownershipDocument>...</ownershipDocument>`` in ``text``, each
    ending at the first closing tag after its start; linear in the text, however many opening
    tags go unclosed (a pattern tried from each of them is quadratic).

    >>> list(ownership_spans("<ownershipDocument><ownershipDocument>a</ownershipDocument> <ownershipDocument>"))
    [(0, 59)]
    """
    pos = 0
    while (start := _DOC_OPEN.search(text, pos)) is not None:
        end = _DOC_CLOSE.search(text, start.end())
        if end is None:  # no closing tag after this opening one, so none after any later one
            return
        yield start.start(), end.end()
        pos = end.end()


def _parse_root(text: str) -> ET.Element:
    span = next(ownership_spans(text), None)
    if span is None:
        raise XMLFormatError("no <ownershipDocument>...</ownershipDocument> element in the input")
    try:
        root = ET.fromstring(text[span[0]:span[1]])
    except ET.ParseError as exc:
        raise XMLFormatError(f"ownershipDocument is not well-formed XML ({exc})") from exc
    for el in root.iter():
        if isinstance(el.tag, str):
            el.tag = _local(el.tag)
    return root


def _with_confidence(record: Record, source: str | None) -> Record:
    leaves = iter_leaves(record.model_dump(mode="json"))
    return record.model_copy(update={
        "source": source,
        "confidence": {pointer: 1.0 for pointer, _ in leaves},
        "warnings": (),
    })


def parse_ownership_xml(text: str, source: str | None = None) -> ParsedOwnership:
    """Parse one ownershipDocument; also return schema version and per-cell footnotes.

    Raises :class:`XMLFormatError` (:class:`NotForm4DocumentError` for Form 3/5).
    """
    root = _parse_root(text)
    doc_type = _document_type(root)
    cells: CellFootnotes = {}
    try:
        aff = root.find("aff10b5One")
        record = Record(
            document_type=doc_type,
            period_of_report=parse_date(_text(root.find("periodOfReport")), "periodOfReport"),
            date_of_original_submission=parse_date(
                _text(root.find("dateOfOriginalSubmission")), "dateOfOriginalSubmission"),
            not_subject_to_section16=bool(parse_flag(
                _text(root.find("notSubjectToSection16")), "notSubjectToSection16")),
            aff10b5_one=None if aff is None else parse_flag(_text(aff), "aff10b5One"),
            issuer=Issuer(
                name=_text(root.find("issuer/issuerName")),
                trading_symbol=_text(root.find("issuer/issuerTradingSymbol")),
                cik=_text(root.find("issuer/issuerCik")),
            ),
            reporting_owners=tuple(_read_owner(el) for el in root.findall("reportingOwner")),
            **_read_tables(root, cells),
            footnotes=_read_footnotes(root),
            remarks=_text(root.find("remarks")),
            signatures=_read_signatures(root),
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "/".join(str(p) for p in first["loc"])
        raise XMLFormatError(f"ownershipDocument does not fit the record schema at "
                             f"{where}: {first['msg']}") from exc
    record = read_price_ranges(record)[0]  # the ranges its weighted-average footnotes state (no element of their own)
    return ParsedOwnership(_with_confidence(record, source),
                           _text(root.find("schemaVersion")), cells)


def read_ownership_xml(text: str, source: str | None = None) -> Record:
    """One ownershipDocument XML string -> :class:`Record` (confidence 1.0 per leaf).

    Raises :class:`XMLFormatError` with a one-line message for unparseable input
    and for documents that are not Form 4 or 4/A.
    """
    try:
        return parse_ownership_xml(text, source).record
    except XMLFormatError as exc:
        exc.source = exc.source or source
        raise


# --------------------------------------------------------------------------- containers


_YAML_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85",
    "_": "\xa0", "L": "\u2028", "P": "\u2029",
}
_YAML_HEX = {"x": 2, "u": 4, "U": 8}


def _skip_break(text: str, i: int) -> int:
    return i + 2 if text.startswith("\r\n", i) else i + 1


def _skip_blank(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t":
        i += 1
    return i


def _fold_break(text: str, i: int) -> tuple[str, int]:
    """An unescaped line break inside a YAML double-quoted scalar -> its folded text."""
    i = _skip_blank(text, _skip_break(text, i))
    empty_lines = 0
    while i < len(text) and text[i] in "\r\n":
        empty_lines += 1
        i = _skip_blank(text, _skip_break(text, i))
    return ("\n" * empty_lines if empty_lines else " "), i


def decode_yaml_double_quoted(text: str, start: int) -> tuple[str, int]:
    r"""Decode the YAML double-quoted scalar opening at ``text[start] == '"'``.

    Returns the value and the index after the closing quote (YAML 1.2 folding
    and escapes; enough for VCR cassettes without a YAML library).

    >>> decode_yaml_double_quoted('"a\\n  b\n   c\\\n   d\\ "', 0)[0]
    'a\n  b cd '
    """
    out: list[str] = []
    raw_ws = 0  # unescaped spaces/tabs at the end of ``out`` (stripped before a fold)
    i = start + 1
    while i < len(text):
        char = text[i]
        if char == '"':
            return "".join(out), i + 1
        if char == "\\":
            nxt = text[i + 1 : i + 2]
            if nxt in ("\n", "\r"):
                i = _skip_blank(text, _skip_break(text, i + 1))
                continue
            if nxt in _YAML_HEX:
                width = _YAML_HEX[nxt]
                out.append(chr(int(text[i + 2 : i + 2 + width], 16)))
                i += 2 + width
            elif nxt in _YAML_ESCAPES:
                out.append(_YAML_ESCAPES[nxt])
                i += 2
            else:
                raise XMLFormatError(f"bad YAML escape \\{nxt} at offset {i}")
            raw_ws = 0
        elif char in "\r\n":
            if raw_ws:
                del out[-raw_ws:]
            folded, i = _fold_break(text, i)
            out.append(folded)
            raw_ws = 0
        else:
            out.append(char)
            raw_ws = raw_ws + 1 if char in " \t" else 0
            i += 1
    raise XMLFormatError("unterminated YAML double-quoted string")


_YAML_QUOTED_RE = re.compile(r'(?:^|:|^[ \t]*-)[ \t]+"', re.M)


def _yaml_strings(text: str) -> Iterator[str]:
    """Every double-quoted YAML scalar value (after ``key:`` or ``-``), decoded."""
    pos = 0
    while (match := _YAML_QUOTED_RE.search(text, pos)) is not None:
        start = match.end() - 1
        try:
            value, pos = decode_yaml_double_quoted(text, start)
        except (XMLFormatError, ValueError):
            pos = start + 1
            continue
        yield value


def find_ownership_xml(text: str, yaml: bool = False) -> list[str]:
    """Every ``<ownershipDocument>..</ownershipDocument>`` in a file's text.

    With ``yaml=True`` the documents are looked for inside YAML double-quoted
    strings first (escaped XML, as VCR cassettes store HTTP bodies); when there
    are none, the text itself is searched (plain and block scalars hold the XML
    literally).
    """
    if yaml:
        decoded = [value[s:e] for value in _yaml_strings(text) for s, e in ownership_spans(value)]
        if decoded:
            return decoded
    return [text[s:e] for s, e in ownership_spans(text)]


def _decode_bytes(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _content_hash(xml: str) -> str:
    """Hash of the document with layout whitespace (between tags, runs) folded away."""
    canonical = " ".join(_BETWEEN_TAGS.sub("><", xml).split())
    return hashlib.sha1(canonical.encode("utf-8")).hexdigest()


def _candidate_files(path: Path) -> list[tuple[Path, str]]:
    """(file, its id prefix) for a file or, recursively, a directory; sorted."""
    if path.is_file():
        return [(path, path.name)]
    files = sorted(p for p in path.rglob("*")
                   if p.is_file() and p.suffix.lower() in WRAPPER_SUFFIXES)
    return [(p, p.relative_to(path).as_posix()) for p in files]


def _documents_in_file(file: Path, name: str) -> list[tuple[str, str]]:
    """(source id, xml) for each ownershipDocument in one file."""
    text = _decode_bytes(file.read_bytes())
    if "ownershipDocument" not in text:
        return []
    docs = find_ownership_xml(text, yaml=file.suffix.lower() in (".yaml", ".yml"))
    bare = file.suffix.lower() == ".xml" and len(docs) == 1
    return [(name if bare else f"{name}#{i}", xml) for i, xml in enumerate(docs)]


def iter_parsed_documents(path: Path, errors: list[XMLFormatError] | None = None) -> Iterator[tuple[str, ParsedOwnership]]:
    """Like :func:`iter_ownership_documents`, yielding :class:`ParsedOwnership`; a document or
    file that cannot be read goes into ``errors`` when given (else a warning on the logger)."""
    path = Path(path)
    if not path.exists():
        raise XMLFormatError(f"{path} does not exist")
    seen: set[str] = set()
    for file, name in _candidate_files(path):
        try:
            documents = _documents_in_file(file, name)
        except OSError as exc:
            _skip(XMLFormatError(f"cannot read it ({exc.strerror or exc}); check its permissions", name), errors)
            continue
        for source, xml in documents:
            digest = _content_hash(xml)
            if digest in seen:
                log.debug("%s: duplicate ownershipDocument skipped", source)
                continue
            seen.add(digest)
            try:
                parsed = parse_ownership_xml(xml, source)
            except NotForm4DocumentError:
                continue
            except XMLFormatError as exc:
                exc.source = source
                _skip(exc, errors)
                continue
            yield source, parsed


def _skip(exc: XMLFormatError, errors: list[XMLFormatError] | None) -> None:
    if errors is None:
        log.warning("skipped %s", exc.one_line())
    else:
        errors.append(exc)


def iter_ownership_documents(path: Path, errors: list[XMLFormatError] | None = None) -> Iterator[tuple[str, Record]]:
    """(source id, record) for every distinct Form 4 / 4/A ownershipDocument under ``path``.

    ``path`` is a file or a directory (searched recursively, sorted) of ``.xml``,
    ``.txt``/``.nc`` (SEC submission wrappers), or ``.yaml`` (VCR cassettes whose
    bodies are escaped YAML strings). The source id is the path relative to the
    directory, with ``#<n>`` for the n-th document of a wrapper. Duplicates (same XML
    up to layout whitespace) are skipped, Form 3/5 silently, broken documents with
    a warning on this module's logger (or into ``errors`` when given).
    """
    for source, parsed in iter_parsed_documents(path, errors):
        yield source, parsed.record
