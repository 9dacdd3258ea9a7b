"""The ``form4`` command: one Typer app, each command a thin shell over a function."""

from __future__ import annotations

import json
import os
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
    xml = "xml"


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


def _settings(no_model: bool, model: Path | None):
    """The extractor to use: the model when there is one (a warning when falling back to rules)."""
    from .model import model_path
    from .pipeline import RULES_ONLY, model_extractor

    if no_model:
        return RULES_ONLY
    if model is None and model_path() is None:
        typer.echo("warning: no trained model found (run `form4 train`); using rules only", err=True)
        return RULES_ONLY
    try:
        return model_extractor(str(model) if model else None)
    except (OSError, Form4Error) as err:
        msg = err.one_line() if isinstance(err, Form4Error) else f"error E008: cannot load the model at {model}: {err}"
        _fail(msg, 2)


@app.command()
def extract(
    inputs: List[str] = typer.Argument(..., help="Text files, directories (read recursively) or - for stdin."),
    fmt: Format = typer.Option(Format.json, "--format", "-f", help="json (one record, or an array), jsonl, csv or parquet (transaction tables), xml (SEC ownershipDocument)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="File, or directory for one <input name>.json per input."),
    no_model: bool = typer.Option(False, "--no-model", help="Rules only: no NER model (for comparison, or as a fallback)."),
    model: Optional[Path] = typer.Option(None, "--model", help="A trained pipeline directory (default: the shipped models/form4-ner)."),
    workers: int = typer.Option(min(2, os.cpu_count() or 1), "--workers", help="Processes for batches (each loads the model once)."),
    review_threshold: Optional[float] = typer.Option(
        None, "--review-threshold", min=0.0, max=1.0, help="List in `review` every field below this confidence (default: the model's measured threshold)."
    ),
) -> None:
    """Extract Form 4 records from flattened text."""
    settings = _settings(no_model, model)
    items = collect_inputs(inputs)
    if not items:
        _fail("error E005: no input files found; pass files, a directory or - for stdin", 2)
    several = len(items) > 1 or any(Path(a).is_dir() for a in inputs if a != "-")
    result = run_batch(items, settings, progress=_progress(len(items)), workers=workers)
    if review_threshold is not None:
        from .calibration import with_review

        result.records = [(item, with_review(record, review_threshold)) for item, record in result.records]
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
    plot: Optional[Path] = typer.Option(None, "--plot", help="Draw the reliability diagram of the confidences to FILE.png (needs matplotlib)."),
) -> None:
    """Precision/recall/F1 per field against gold records, by converter; the reliability of the confidences."""
    from .evaluate import score_directory
    from .score import format_reliability, plot_reliability, reliability

    if (pred is None) == (input_dir is None):
        _fail("error E010: give exactly one of --pred DIR or --input DIR", 2)
    if plot is not None:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            _fail(f"{plot}: error E015: --plot needs matplotlib, which is not installed; pip install 'form4[plot]'", 2)
    try:
        report, unmatched = score_directory(gold, pred=pred, input_dir=input_dir)
    except Form4Error as err:
        _fail(err.one_line())
    for name in unmatched:
        typer.echo(f"warning: no gold record for {name}", err=True)
    rel = reliability(report)
    if as_json:
        typer.echo(json.dumps(report.to_dict() | {"reliability": rel.to_dict()}, indent=2))
    else:
        from .score import format_report

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


def main() -> None:  # pragma: no cover
    app()


corpus_app = typer.Typer(help="Build the labelled corpus from real EDGAR XML.", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")


@corpus_app.command("build")
def corpus_build(
    raw: Path = typer.Option(None, "--raw", help="Folder of ownershipDocument XML (default: ../shared/data/form4-raw)."),
    out: Path = typer.Option(Path("annotations/corpus"), "--out", help="Where to write the annotations (JSONL, gold, report)."),
    work: Path = typer.Option(Path("corpus"), "--work", help="Where to keep derived files (PDF/OCR cache, texts)."),
    workers: int = typer.Option(2, "--workers", help="Processes for rendering and flattening."),
    seed: int = typer.Option(13, "--seed", help="Seed of the owner split and the noise."),
    limit: Optional[int] = typer.Option(None, "--limit", help="Only the first N filings (for a quick look)."),
    noise: bool = typer.Option(True, "--noise/--no-noise", help="Add the synthetic noise variants."),
) -> None:
    """Render every Form 4 XML like EDGAR, print it, flatten it with real converters, align the values."""
    from form4.training.corpus import DEFAULT_RAW, build, coverage_table

    raw = raw or DEFAULT_RAW
    if not raw.is_dir():
        _fail(f"error E011: {raw} is not a folder; pass --raw with the folder of Form 4 XML (see ../shared/data/form4-raw)", 2)
    report = build(raw=raw, out=out, work=work, workers=workers, seed=seed, limit=limit, noise=noise)
    typer.echo(f"{report.filings} filings -> {report.documents} labelled texts in {report.seconds:.0f} s ({report.split_counts})")
    typer.echo(coverage_table(report.to_dict()))
    for doc_id, error in report.errors.items():
        typer.echo(f"warning: {doc_id}: {error}", err=True)


@app.command()
def train(
    corpus: Path = typer.Option(Path("annotations/corpus"), "--corpus", help="A corpus built by `form4 corpus build`."),
    output: Path = typer.Option(Path("models"), "--output", help="Where to write the trained pipeline (form4-ner/)."),
    config: Optional[Path] = typer.Option(None, "--config", help="spaCy config (default: training/config.cfg)."),
    overrides: List[str] = typer.Option([], "--set", help="Config overrides, e.g. --set training.max_steps=500."),
    limit: Optional[int] = typer.Option(None, "--limit", help="Use only the first N annotated texts per split."),
    policy_only: bool = typer.Option(
        False, "--policy-only", help="Keep the trained NER; refit only the conflict policy and calibration (after a rules change)."
    ),
) -> None:
    """Train the NER model from the corpus (and the seeds' annotations); write it to models/."""
    from form4.training.train import CONFIG, MODEL_NAME, fit_policy, train_model

    if not (corpus / "train.jsonl.gz").exists():
        _fail(f"error E012: no {corpus}/train.jsonl.gz; build the corpus first: `form4 corpus build --out {corpus}`", 2)
    if policy_only:
        if not (output / MODEL_NAME / "meta.json").exists():
            _fail(f"error E014: no trained model in {output / MODEL_NAME}; run `form4 train` without --policy-only first", 2)
        policy = fit_policy(output / MODEL_NAME, corpus)
        typer.echo(f"model wins conflicts on: {', '.join(policy['model_wins']) or 'nothing'}")
        typer.echo(f"calibration: {policy['calibration']}")
        return
    settings = {}
    for item in overrides:
        key, sep, value = item.partition("=")
        if not sep:
            _fail(f"error E013: --set takes key=value, got {item!r}", 2)
        settings[key] = _config_value(value)
    result = train_model(corpus=corpus, output=output, config=config or CONFIG, overrides=settings, limit=limit)
    typer.echo(f"trained in {result.seconds:.0f} s -> {result.model_dir}")
    typer.echo(f"dev: P {result.dev_scores['ents_p']:.3f}  R {result.dev_scores['ents_r']:.3f}  F {result.dev_scores['ents_f']:.3f}")
    for label, s in sorted((result.dev_scores.get("per_label") or {}).items()):
        typer.echo(f"  {label:<20} P {s['p']:.3f}  R {s['r']:.3f}  F {s['f']:.3f}")


def _config_value(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


@app.command()
def evaluate(
    corpus: Path = typer.Option(Path("annotations/corpus"), "--corpus", help="A corpus built by `form4 corpus build`."),
    split: str = typer.Option("dev", "--split", help="Which side of the owner split to score."),
    limit: Optional[int] = typer.Option(None, "--limit", help="At most N filings per converter."),
) -> None:
    """Field F1, rules only vs model, per converter on the dev split and on the seeds (a markdown table)."""
    from form4.training.evaluate import evaluate_table

    typer.echo(evaluate_table(corpus, split=split, limit=limit))
