"""The ``form4`` command: one Typer app, each command a thin shell over a function."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from .batch import collect_inputs, run_batch, write_outputs
from .errors import Form4Error
from .schema import json_schema

app = typer.Typer(
    name="form4",
    help="Turn noisy flattened SEC Form 4 filings into typed, validated records.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


class Format(str, Enum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


def _fail(message: str, code: int = 1) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def _progress(total: int):
    """A progress bar on stderr for batches, only when stderr is a terminal."""
    if total < 2 or not sys.stderr.isatty():
        return None

    def wrap(items):
        with typer.progressbar(items, length=total, label="extracting", file=sys.stderr) as bar:
            yield from bar

    return wrap


@app.command()
def extract(
    inputs: List[str] = typer.Argument(..., help="Text files, directories (read recursively) or - for stdin."),
    fmt: Format = typer.Option(Format.json, "--format", "-f", help="json (one record, or an array), jsonl, csv or parquet (transaction tables)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="File, or directory for one <input name>.json per input."),
) -> None:
    """Extract Form 4 records from flattened text."""
    items = collect_inputs(inputs)
    if not items:
        _fail("error E005: no input files found; pass files, a directory or - for stdin", 2)
    several = len(items) > 1 or any(Path(a).is_dir() for a in inputs if a != "-")
    result = run_batch(items, progress=_progress(len(items)))
    for _, err in result.failures:
        typer.echo(err.one_line(), err=True)
    if fmt is Format.parquet and output is None:
        _fail("error E009: parquet is binary; give --output FILE.parquet", 2)
    if result.records:
        write_outputs(result, fmt.value, output, several)
    if result.failures:
        if several:
            typer.echo(f"{len(result.failures)} of {len(items)} inputs failed", err=True)
        raise typer.Exit(1)


@app.command()
def score(
    gold: Path = typer.Option(..., "--gold", help="Directory of gold records (record JSON, with optional 'unrecoverable')."),
    pred: Optional[Path] = typer.Option(None, "--pred", help="Directory of predicted records (<document>[.<converter>].json)."),
    input_dir: Optional[Path] = typer.Option(None, "--input", help="Directory of texts to extract, then score."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    fields: bool = typer.Option(True, "--fields/--no-fields", help="Show the per-field table."),
) -> None:
    """Precision/recall/F1 per field against gold records, by converter."""
    from .evaluate import score_directory

    if (pred is None) == (input_dir is None):
        _fail("error E010: give exactly one of --pred DIR or --input DIR", 2)
    try:
        report, unmatched = score_directory(gold, pred=pred, input_dir=input_dir)
    except Form4Error as err:
        _fail(err.one_line())
    for name in unmatched:
        typer.echo(f"warning: no gold record for {name}", err=True)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2))
    else:
        from .score import format_report

        typer.echo(format_report(report, per_field=fields))


@app.command()
def schema() -> None:
    """Print the JSON Schema of the record that `extract --format json` prints."""
    typer.echo(json.dumps(json_schema(), indent=2))


def main() -> None:  # pragma: no cover
    app()
