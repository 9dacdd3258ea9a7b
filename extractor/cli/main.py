"""The ``form4`` command: one Typer app, each command a thin shell over a function."""

from __future__ import annotations

import json
import logging
import os
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from ..run.batch import DEFAULT_TIMEOUT, collect_inputs
from ..errors import Form4Error
from .. import errors as E
from ..io.review import DEFAULT_THRESHOLD as REVIEW_THRESHOLD
from ..schema import json_schema
from .app import _fail, _settings, app, log

class Format(str, Enum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"
    xml = "xml"


def _progress(total: int):
    """A progress bar on stderr for batches, only when stderr is a terminal."""
    if total < 2 or not sys.stderr.isatty():
        return None

    def wrap(items):
        with typer.progressbar(items, length=total, label="extracting", file=sys.stderr) as bar:
            yield from bar

    return wrap


class Engine(str, Enum):
    local = "local"
    dask = "dask"


def _xml_options(fmt: "Format", issuer_cik: str | None, owner_ciks: List[str]):
    """The CIKs for ``--format xml`` (the printed form shows none); a malformed one fails (E043)."""
    from ..io.xml_prepare import XmlOptions, check_cik

    try:
        return XmlOptions(check_cik(issuer_cik) if issuer_cik else None, tuple(check_cik(c) for c in owner_ciks))
    except ValueError as err:
        _fail(E.CIKFormatError(f"{err}; {E.CIKFormatError.hint}").one_line(), 2)


def _check_xml_target(fmt: "Format", several: bool, output: str | None) -> None:
    """Several XML records go to --output DIR, one document per input: never one stream (E042)."""
    if fmt is Format.xml and several and output is None:  # (-o FILE: the batch runner's E023)
        _fail(E.SeveralXMLError(f"several inputs give several XML documents; {E.SeveralXMLError.hint}").one_line(), 2)


@app.command()
def extract(
    inputs: List[str] = typer.Argument(
        ..., help="Text files, PDFs (.pdf: the text layer, scanned pages OCR'd), images (.png .jpg .jpeg .tif .tiff: OCR; "
        "page images of one filing named p1.png p2.png ... are one input), directories (read recursively) or - for stdin."),
    fmt: Format = typer.Option(Format.json, "--format", "-f", help="json (one record, or an array), jsonl, csv or parquet (transaction tables), xml (SEC ownershipDocument)."),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="FILE: all records in one file. DIR/ (or an existing directory): one file per input, its tree kept."),
    no_model: bool = typer.Option(False, "--no-model", help="Rules only: no NER model (for comparison, or as a fallback)."),
    model: Optional[Path] = typer.Option(None, "--model", help="A trained pipeline directory (default: the shipped models/form4-ner)."),
    workers: int = typer.Option(min(2, os.cpu_count() or 1), "--workers", help="Processes for batches (forked after the model loads)."),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", help="Seconds per input before it is stopped as error E021 (0: no limit)."),
    resume: bool = typer.Option(False, "--resume", help="Skip inputs whose output (in --output DIR/) exists and is complete."),
    summary: Optional[Path] = typer.Option(None, "--summary", help="Also write the batch summary (done, failed by code, skipped) as JSON here."),
    engine: Engine = typer.Option(Engine.local, "--engine", help="local (worker processes) or dask (a Dask cluster; needs the extra form4[dask])."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="With --engine dask: the scheduler address (default: a local cluster)."),
    report: Optional[Path] = typer.Option(None, "--report", help="Write a review page (HTML): the text with every field's span coloured by confidence. A directory for several inputs."),
    review_threshold: Optional[float] = typer.Option(
        None, "--review-threshold", min=0.0, max=1.0,
        help="List in `review` (and first on the review page) every field below this confidence (default: the model's measured threshold).",
    ),
    issuer_cik: Optional[str] = typer.Option(None, "--issuer-cik", help="The issuer's CIK for --format xml (not printed on the form; default 0000000000 and a warning)."),
    owner_cik: List[str] = typer.Option([], "--owner-cik", help="A reporting owner's CIK for --format xml, once per owner in order (default 0000000000 and a warning)."),
    chains: Optional[Path] = typer.Option(None, "--chains", help="Write the holding chains across the batch here: CSV, or Parquet for a .parquet name (owner, issuer, security, form, date, holding, source, row, status, expected)."),
    no_chains: bool = typer.Option(False, "--no-chains", help="Do not check owners' holding chains across the batch (each record as if extracted alone)."),
    follow_links: bool = typer.Option(False, "--follow-links", help="Read symbolic links in input folders that lead out of the folder (default: refused, E026)."),
    csv_raw: bool = typer.Option(False, "--csv-raw", help="CSV cells as read: no leading ' on text starting with = + - @ tab or CR (default: spreadsheet-safe)."),
) -> None:
    """Extract Form 4 records from flattened text, PDFs and scans."""
    if engine is Engine.dask:
        return _extract_dask(inputs, output, no_model, model, workers, resume, summary, scheduler, not no_chains)
    from ..run.batch import ExtractJob, run_extract
    from ..io.xml_prepare import using

    xml_options = _xml_options(fmt, issuer_cik, owner_cik)
    settings = _with_review_threshold(_settings(no_model, model), review_threshold)
    items = collect_inputs(inputs, follow_links=follow_links)
    if not items:
        _fail(E.InputNotFoundError("no input files found; pass files, a directory or - for stdin").one_line(), 2)
    if report is not None and any(item.path is None for item in items):
        _fail(E.ReportFromStdinError("--report needs the text again, which stdin cannot give; pass a file").one_line(), 2)
    several = len(items) > 1 or any(Path(a).is_dir() for a in inputs if a != "-")
    if fmt is Format.parquet and output is None:
        _fail(E.ParquetToStdoutError(f"parquet is binary; {E.ParquetToStdoutError.hint}").one_line(), 2)
    _check_xml_target(fmt, several, output)
    _check_summary(summary)
    _check_summary(chains, "--chains")
    job = ExtractJob(items, fmt.value, output, several, workers=workers, timeout=timeout or None, resume=resume, csv_raw=csv_raw,
                     chains=chains, check_chains=not no_chains)
    _stop_on_sigterm()
    try:
        with using(xml_options):
            result = run_extract(job, settings, progress=_progress(len(items)), report=lambda err: log.error(err.one_line()))
    except Form4Error as err:
        _fail(err.one_line(), 2)
    if report is not None:
        _write_reports(result, report, several, settings, review_threshold)
    _finish(result, several, summary)


def _stop_on_sigterm() -> None:
    """A kill (SIGTERM) stops a batch as Ctrl-C does: finished outputs kept, workers stopped, a summary."""
    import signal

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


def _check_summary(summary: Optional[Path], option: str = "--summary") -> None:
    """--summary FILE (or --chains FILE) can be written (checked before any extraction): not a link, not a folder (E023)."""
    if summary is not None and (summary.is_symlink() or summary.is_dir()):
        what = "a symbolic link (not followed)" if summary.is_symlink() else "a folder"
        _fail(E.OutputError(f"{option} is {what}; give a new file name", str(summary)).one_line(), 2)


def _finish(result, several: bool, summary: Optional[Path]) -> None:
    """The summary on stderr (and in --summary FILE); the exit code: 130 interrupted, 1 failures, 2 no summary."""
    from ..run.batch import summary_line
    from ..run.confine import write_atomic

    data = result.summary()
    if several or result.skipped or result.interrupted:
        (log.warning if result.failures or result.interrupted else log.info)(summary_line(data))
    if data.get("chains", {}).get("links"):
        found = data["chains"]
        (log.warning if found["breaks"] else log.info)(
            f"holding chains: {found['links']} links checked, {found['breaks']} broken, {found['repaired']} re-read")
    if summary is not None:
        try:
            write_atomic(summary, json.dumps(data, indent=2) + "\n")
        except Form4Error as err:
            _fail(err.one_line(), 2)
        except OSError as err:
            _fail(E.OutputError(f"cannot write the summary ({err.strerror or err}); choose a writable --summary", str(summary)).one_line(), 2)
    if result.interrupted:
        raise typer.Exit(130)
    if result.failures:
        raise typer.Exit(1)


def _with_review_threshold(settings, threshold: float | None):
    """The extractor with its calibrator's review threshold set (records list the fields below it)."""
    from dataclasses import replace

    if threshold is None or getattr(settings, "calibrator", None) is None:
        return settings
    return replace(settings, calibrator=settings.calibrator.with_review_threshold(threshold))


def _write_reports(result, report: Path, several: bool, settings, threshold: float | None) -> None:
    """One review page per record: ``report`` itself, or ``report/<input name>.html`` for several inputs or a folder.

    Each input is read again with a trace for the offsets of its values (the record does not carry
    them); the page's threshold is the one the records' ``review`` lists were made with."""
    from ..io.review import render

    calibrator = getattr(settings, "calibrator", None)
    shown = calibrator.review_threshold if calibrator is not None else (threshold if threshold is not None else REVIEW_THRESHOLD)
    goal = calibrator.goal if calibrator is not None and threshold is None else ("given on the command line" if threshold is not None else None)
    traced: dict[str, dict[str, tuple[str, dict]]] = {}
    for item, record in result.records:
        if item.source not in traced:
            traced[item.source] = _read_traced(item, settings)
        text, trace = traced[item.source].get(record.source or "", next(iter(traced[item.source].values())))
        target = report / item.relative.with_suffix(".html") if several or report.is_dir() else report
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render(record, text, shown, title=item.source, spans=trace["provenance"].spans(), goal=goal), encoding="utf-8")
        typer.echo(f"review page: {target}", err=True)


def _read_traced(item, settings) -> dict[str, tuple[str, dict]]:
    """Record source -> (the text it was read from, the trace of reading it), for every filing of an input."""
    from ..run.batch import read_input
    from ..run.filings import read_filings
    from ..run.pipeline import extract_text

    seen: dict[str, tuple[str, dict]] = {}

    def read(text: str, source: str, continued: bool = False):
        trace: dict = {}
        record = extract_text(text, source, settings, trace, continued)
        seen[source] = (text, trace)
        return record

    decoded = read_input(item)
    read_filings(decoded.text, decoded.source or item.source, read)
    return seen


def _extract_dask(inputs, output, no_model, model, workers, resume, summary, scheduler, chains=True) -> None:
    from .extras import require

    try:
        require("dask", "--engine dask")
    except Form4Error as err:
        _fail(err.one_line(), 2)
    from ..run.dask_engine import run_dask

    if output is None:
        _fail(E.OptionError("--engine dask writes a dataset; give --output DIR/").one_line(), 2)
    try:
        result = run_dask(inputs, output, model=None if no_model else (str(model) if model else ""), workers=workers,
                          scheduler=scheduler, resume=resume, report=lambda line: log.error(line), chains=chains)
    except Form4Error as err:
        _fail(err.one_line(), 2)
    _finish(result, True, summary)


@app.command()
def score(
    gold: Path = typer.Option(..., "--gold", help="Directory of gold records (record JSON, with optional 'unrecoverable')."),
    pred: Optional[Path] = typer.Option(None, "--pred", help="Directory of predicted records (<document>[.<converter>].json)."),
    input_dir: Optional[Path] = typer.Option(None, "--input", help="Directory of texts to extract, then score."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    fields: bool = typer.Option(True, "--fields/--no-fields", help="Show the per-field table."),
    model: Optional[Path] = typer.Option(None, "--model", help="With --input: extract with this trained pipeline (default: the shipped one)."),
    no_model: bool = typer.Option(False, "--no-model", help="With --input: rules only, no NER model."),
    plot: Optional[Path] = typer.Option(None, "--plot", help="Draw the reliability diagram of the confidences to FILE.png (needs matplotlib)."),
) -> None:
    """Precision/recall/F1 per field against gold records, by converter; the reliability of the confidences."""
    from ..score.directory import score_directory
    from ..score.metrics import format_reliability, plot_reliability, reliability

    if (pred is None) == (input_dir is None):
        _fail(E.ScoreOptionsError("give exactly one of --pred DIR or --input DIR").one_line(), 2)
    if plot is not None:
        from .extras import require

        try:
            require("plot", "--plot", E.PlotUnavailableError)
        except Form4Error as err:
            _fail(err.one_line(), 2)
    settings = _settings(no_model, model) if input_dir is not None else None
    try:
        report, unmatched = score_directory(gold, pred=pred, input_dir=input_dir, settings=settings)
    except Form4Error as err:
        _fail(err.one_line())
    for name in unmatched:
        log.warning(f"warning: no gold record for {name}")
    rel = reliability(report)
    calibrator = getattr(settings, "calibrator", None)
    rel.review_threshold = calibrator.review_threshold if calibrator is not None else None
    if as_json:
        typer.echo(json.dumps(report.to_dict() | {"reliability": rel.to_dict()}, indent=2))
    else:
        from ..score.metrics import format_report

        typer.echo(format_report(report, per_field=fields))
        if rel.leaves:
            typer.echo("")
            typer.echo(format_reliability(rel))
    if plot is not None:
        plot_reliability(rel, plot)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the record that `extract --format json` prints."""
    typer.echo(json.dumps(json_schema(), indent=2))
