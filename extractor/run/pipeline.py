"""Text -> record, in one walk: sections -> entities -> assembler -> record."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..assemble.assembler import assemble
from ..calibrate.calibrator import Calibrator
from ..model.combine import merge_footer, merge_header, merge_rows, model_rows
from ..form.fields import ROW_LABELS
from ..io.inputs import read_input_bytes
from ..errors import Form4Error, InputNotFoundError, NotAForm4Error, TruncatedFilingError
from ..read.footer import read_footer
from ..read.header import read_header
from ..read.layout import unwrap_grid_tables
from ..model.ner import predict
from ..model.sureness import unsure_spans
from ..read.tables import read_tables
from ..schema import Record
from ..read.sections import Sections, find_sections


@dataclass(frozen=True)
class Extractor:
    """Extraction settings: the NER model (None: rules only) and who wins a conflict."""

    nlp: Any = None
    model_wins: frozenset[str] = frozenset(ROW_LABELS)  # labels where the model's reading beats the rules'
    calibrator: Calibrator | None = None
    model_dir: str | None = None  # where nlp came from (worker processes load it again)
    cascade: bool = True  # read with the model only the regions the rules could not read surely

    def __call__(self, text: str, source: str | None = None) -> Record:
        return extract_text(text, source, self)


RULES_ONLY = Extractor()


def _sections(text: str) -> Sections:
    """The sections; where none are found, those of the text with its grid tables unwrapped
    (reStructuredText wraps every cell, the section labels with them), else the first error."""
    try:
        return find_sections(text)
    except (NotAForm4Error, TruncatedFilingError) as first:
        unwrapped = unwrap_grid_tables(text)
        if unwrapped != text:
            try:
                return find_sections(unwrapped)
            except Form4Error:
                pass
        raise first


def extract_text(text: str, source: str | None = None, settings: Extractor = RULES_ONLY, trace: dict | None = None) -> Record:
    """Extract one filing from its flattened text: sections -> entities -> assembler -> record.

    ``trace``, when given, receives what error analysis groups by: the layout each table was
    read as (``trace["layouts"]``, e.g. ``{"I": "positional", "II": "positional"}``).
    """
    try:
        sections = _sections(text)
    except Form4Error as err:
        err.source = err.source or source
        raise
    header = read_header(sections)
    tables = read_tables(sections)
    rows = [row for table in tables for row in table.rows]
    footer = read_footer(sections)
    if trace is not None:
        trace["layouts"] = {table.table: table.layout for table in tables}
    if settings.nlp is not None:
        streams = frozenset(t.table for t in tables if t.layout == "cell-stream")
        spans = unsure_spans(sections, header, rows, footer, streams) if settings.cascade else None
        entities = predict(settings.nlp, sections, spans) if spans is None or spans else []
        rows = merge_rows(rows, model_rows(sections, entities), settings.model_wins)
        header = merge_header(header, entities, sections, settings.model_wins)
        footer = merge_footer(footer, entities, sections, settings.model_wins)
    record = assemble(header, rows, footer, source=source)
    return settings.calibrator.apply(record, text=text) if settings.calibrator else record


def extract_file(path: Path, source: str | None = None, settings: Extractor = RULES_ONLY) -> Record:

    try:
        data = path.read_bytes()
    except OSError as err:  # missing, a folder, no permission
        raise InputNotFoundError(f"cannot read the file ({err.strerror or err}); check the path and its permissions", str(path)) from None
    text, read_source = read_input_bytes(data, source or str(path))
    return extract_text(text, read_source, settings)


def model_extractor(path: str | None = None) -> Extractor:
    """The shipped model (or the one at ``path``) with its calibrator, if it has one."""
    from ..model.ner import load, model_path

    nlp = load(path)
    where = Path(path) if path else model_path()
    calibrator = Calibrator.load(where / "calibration.json") if where else None
    wins_path = where / "arbitration.json" if where else None
    kwargs: dict[str, Any] = {"nlp": nlp, "calibrator": calibrator, "model_dir": str(where) if where else None}
    if wins_path and wins_path.exists():
        kwargs["model_wins"] = frozenset(json.loads(wins_path.read_text())["model_wins"])
    return Extractor(**kwargs)
