"""Text -> record, in one walk: sections -> entities -> assembler -> record."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..assemble.assembler import assemble_traced
from ..assemble.copies import recover_copies_traced
from ..assemble.provenance import Assembly
from ..calibrate.calibrator import Calibrator
from ..model.combine import merge_footer, merge_header, merge_rows, model_rows
from ..form.fields import ROW_LABELS
from ..io.inputs import read_input_bytes
from ..entities import Entity, Footer
from ..errors import Form4Error, InputNotFoundError, ModelNotFoundError, NotAForm4Error, TruncatedFilingError
from ..read.footer import read_footer
from ..read.header import read_header
from ..read.layout import unwrap_grid_tables
from ..model.ner import predict
from ..model.sureness import unsure_spans
from ..read.tables import read_tables
from ..schema import Record
from ..read.sections import Sections, find_sections
from .familiarity import page_signals
from .filings import Copy, items_of, join_copies, same_items, split_filings


@dataclass(frozen=True)
class Extractor:
    """Extraction settings: the NER model (None: rules only) and who wins a conflict."""

    nlp: Any = None
    model_wins: frozenset[str] = frozenset(ROW_LABELS)  # labels where the model's reading beats the rules'
    # the same choice made per table layout, where the training texts read in that layout decided it
    layout_wins: tuple[tuple[str, frozenset[str]], ...] = ()
    calibrator: Calibrator | None = None
    model_dir: str | None = None  # where nlp came from (worker processes load it again)
    cascade: bool = True  # read with the model only the regions the rules could not read surely

    def __call__(self, text: str, source: str | None = None, continued: bool = False, trace: dict | None = None) -> Record:
        return extract_text(text, source, self, trace, continued)

    def wins_for(self, layout: str) -> frozenset[str]:
        """The labels the model wins a conflict on, for a copy whose tables read in ``layout``.

        >>> Extractor(model_wins=frozenset({"SHARES"}), layout_wins=(("cell-stream", frozenset({"PRICE"})),)).wins_for("cell-stream")
        frozenset({'PRICE'})
        """
        return next((wins for name, wins in self.layout_wins if name == layout), self.model_wins)


def main_layout(layouts: dict[str, str]) -> str:
    """The layout a copy is read in: Table I's, else Table II's, else ``none``.

    >>> main_layout({"II": "markdown"}), main_layout({})
    ('markdown', 'none')
    """
    return layouts.get("I") or layouts.get("II") or "none"


RULES_ONLY = Extractor()


def _sections(text: str, continued: bool = False) -> Sections:
    """The sections; where none are found, those of the text with its grid tables unwrapped
    (reStructuredText wraps every cell, the section labels with them), else the first error."""
    try:
        return find_sections(text, continued)
    except (NotAForm4Error, TruncatedFilingError) as first:
        unwrapped = unwrap_grid_tables(text)
        if unwrapped != text:
            try:
                return find_sections(unwrapped, continued)
            except Form4Error:
                pass
        raise first


def extract_text(text: str, source: str | None = None, settings: Extractor = RULES_ONLY, trace: dict | None = None,
                 continued: bool = False) -> Record:
    """Extract one filing from its flattened text: sections -> entities -> assembler -> record.

    A filing continued on further copies of the form (the paper form's Instruction 6(b)) is read
    as one record; where the text goes on with another filing, that one is left unread
    (:func:`form4.run.filings.read_filings` reads them all). ``continued``: the text is a copy
    of the form that another copy continues, so it may stop inside its tables.

    ``trace``, when given, receives what error analysis and the review page use: the converter
    layout each table was read as (``trace["layouts"]``, e.g. ``{"I": "positional", "II":
    "positional"}``) and where every value came from (``trace["provenance"]``, a
    :class:`~form4.assemble.provenance.Provenance`: evidence and text spans per leaf, repairs,
    breaches, the page's familiarity signals).
    """
    assembly = read_filing(text, source, settings, trace, continued)
    if trace is not None:
        trace["provenance"] = assembly.provenance
    if settings.calibrator is None:
        return assembly.record
    return settings.calibrator.apply(assembly.record, text=text, evidence=assembly.provenance)


def read_filing(text: str, source: str | None = None, settings: Extractor = RULES_ONLY, trace: dict | None = None,
                continued: bool = False) -> Assembly:
    """The uncalibrated record of one filing (evidence scores as confidence) and its provenance
    (offsets into ``text``; the page signals are its first copy's)."""
    parts = split_filings(text)
    first, page = _read_copy(parts[0], source, settings, trace, continued or len(parts) > 1)
    copies, at = [first], len(parts[0])
    for k, part in enumerate(parts[1:], 2):
        try:
            more, _ = _read_copy(part, source, settings, None, continued or k < len(parts))
        except Form4Error:
            break
        if not same_items(items_of(copies[0][0]), items_of(more[0])):
            break
        copies.append(_shifted(more, at))
        at += len(part)
    header, rows, footer = join_copies(copies)
    assembly = recover_copies_traced(assemble_traced(header, rows, footer, source=source), text)
    return replace(assembly, provenance=replace(assembly.provenance, page=page))


def _read_copy(text: str, source: str | None, settings: Extractor, trace: dict | None, continued: bool) -> tuple[Copy, dict[str, float]]:
    """One copy of the form's text -> its header, rows and footer entities, and its page signals."""
    try:
        sections = _sections(text, continued)
    except Form4Error as err:
        err.source = err.source or source
        raise
    header = read_header(sections)
    tables = read_tables(sections)
    rows = [row for table in tables for row in table.rows]
    footer = read_footer(sections)
    layouts = {table.table: table.layout for table in tables}
    if trace is not None:
        trace["layouts"] = layouts
    page_header, page_footer = header, footer
    spans, entities = None, None
    if settings.nlp is not None:
        streams = frozenset(t.table for t in tables if t.layout == "cell-stream")
        spans = unsure_spans(sections, header, rows, footer, streams) if settings.cascade else None
        entities = predict(settings.nlp, sections, spans) if spans is None or spans else []
        wins = settings.wins_for(main_layout(layouts))
        rows = merge_rows(rows, model_rows(sections, entities), wins)
        header = merge_header(header, entities, sections, wins)
        footer = merge_footer(footer, entities, sections, wins)
    return (header, rows, footer), page_signals(sections, tables, page_header, page_footer, spans, entities)


def _shifted(copy: Copy, by: int) -> Copy:
    """A copy's entities with their offsets moved ``by`` characters (from its own text to the whole text's)."""

    def moved(entities):
        return tuple(replace(e, start=e.start + by, end=e.end + by) for e in entities)

    header, rows, footer = copy
    header = replace(header, owner=moved(header.owner), issuer=moved(header.issuer), dates=moved(header.dates),
                     more_owners=tuple((moved(ents), rel) for ents, rel in header.more_owners))
    rows = [replace(r, start=r.start + by, end=r.end + by, entities=moved(r.entities)) for r in rows]
    remarks: Entity | None = moved((footer.remarks,))[0] if footer.remarks else None
    footer = Footer(tuple(replace(n, start=n.start + by, end=n.end + by) for n in footer.footnotes), remarks,
                    tuple(moved(s) for s in footer.signatures))
    return header, rows, footer


def extract_file(path: Path, source: str | None = None, settings: Extractor = RULES_ONLY) -> Record:

    try:
        data = path.read_bytes()
    except OSError as err:  # missing, a folder, no permission
        raise InputNotFoundError(f"cannot read the file ({err.strerror or err}); check the path and its permissions", str(path)) from None
    text, read_source = read_input_bytes(data, source or str(path))
    return extract_text(text, read_source, settings)


def model_extractor(path: str | None = None, calibrated: bool = True) -> Extractor:
    """The shipped model (or the one at ``path``) with its calibrator, if it has one (and
    ``calibrated``); a model folder whose calibration or conflict policy cannot be read is one
    ``ModelNotFoundError``."""
    from ..io.safe_json import JSONFileError, load_json
    from ..model.ner import load, model_path

    nlp = load(path)
    where = Path(path) if path else model_path()
    kwargs: dict[str, Any] = {"nlp": nlp, "model_dir": str(where) if where else None}
    name = "calibration.json"
    try:
        kwargs["calibrator"] = _calibrator(where / name) if where and calibrated else None
        name = "arbitration.json"
        if where and (where / name).exists():
            policy = load_json(where / name)
            kwargs["model_wins"] = frozenset(str(label) for label in policy["model_wins"])
            kwargs["layout_wins"] = tuple((str(layout), frozenset(str(label) for label in labels))
                                          for layout, labels in sorted(policy.get("model_wins_by_layout", {}).items()))
    except (JSONFileError, KeyError, TypeError, ValueError, AttributeError) as err:
        raise ModelNotFoundError(f"its {name} cannot be read ({type(err).__name__}: {err}); "
                                 "pass --model with a folder `form4 train` wrote, or --no-model", str(where)) from None
    return Extractor(**kwargs)


def _calibrator(path: Path) -> Calibrator | None:
    """The calibrator in ``path`` (None if there is none); one of another format cannot be used.
    Other problems (not JSON, over the size limits, the wrong shape) are the caller's to report."""
    from ..io.safe_json import load_json

    if not path.exists():
        return None
    data = load_json(path)
    try:
        return Calibrator.from_dict(data)
    except ValueError as err:
        raise ModelNotFoundError(f"the model's calibration.json cannot be used ({err}); refit it: python -m form4.training.calibrate fit", str(path)) from None
