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
from .review import DEFAULT_THRESHOLD as REVIEW_THRESHOLD
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
    report: Optional[Path] = typer.Option(None, "--report", help="Write a review page (HTML): the text with every field's span coloured by confidence. A directory for several inputs."),
    threshold: float = typer.Option(REVIEW_THRESHOLD, "--review-threshold", help="Fields below this confidence are listed first on the review page."),
) -> None:
    """Extract Form 4 records from flattened text."""
    settings = _settings(no_model, model)
    items = collect_inputs(inputs)
    if not items:
        _fail("error E005: no input files found; pass files, a directory or - for stdin", 2)
    if report is not None and any(item.path is None for item in items):
        _fail("error E021: --report needs the text again, which stdin cannot give; pass a file", 2)
    several = len(items) > 1 or any(Path(a).is_dir() for a in inputs if a != "-")
    result = run_batch(items, settings, progress=_progress(len(items)), workers=workers)
    for _, err in result.failures:
        typer.echo(err.one_line(), err=True)
    if fmt is Format.parquet and output is None:
        _fail("error E009: parquet is binary; give --output FILE.parquet", 2)
    if result.records:
        write_outputs(result, fmt.value, output, several)
    if report is not None:
        _write_reports(result, report, several, threshold)
    if result.failures:
        if several:
            typer.echo(f"{len(result.failures)} of {len(items)} inputs failed", err=True)
        raise typer.Exit(1)


def _write_reports(result, report: Path, several: bool, threshold: float) -> None:
    """One review page per record: ``report`` itself, or ``report/<input name>.html`` for several."""
    from .batch import read_input
    from .review import render

    for item, record in result.records:
        target = report / item.relative.with_suffix(".html") if several else report
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render(record, read_input(item), threshold, title=item.source), encoding="utf-8")
        typer.echo(f"review page: {target}", err=True)


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
    styles: str = typer.Option("edgar", "--styles", help="Page styles to render each filing in, comma-separated (edgar, paper, plain)."),
    synthetic: int = typer.Option(0, "--synthetic", min=0, help="Add N synthetic filings (seeded by --seed), one style each in turn, to the training side only."),
) -> None:
    """Render every Form 4 XML in each page style, print it, flatten it with real converters, align the values."""
    from form4.training.corpus import DEFAULT_RAW, build, coverage_table
    from form4.training.styles import parse_styles

    raw = raw or DEFAULT_RAW
    if not raw.is_dir():
        _fail(f"error E011: {raw} is not a folder; pass --raw with the folder of Form 4 XML (see ../shared/data/form4-raw)", 2)
    try:
        style_names = parse_styles(styles)
    except ValueError as err:
        _fail(f"error E016: {err}; pass --styles with known names, e.g. --styles edgar,paper,plain", 2)
    report = build(raw=raw, out=out, work=work, workers=workers, seed=seed, limit=limit, noise=noise,
                   styles=style_names, synthetic=synthetic)
    typer.echo(f"{report.filings} filings + {report.synthetic} synthetic in {', '.join(report.styles)} -> "
               f"{report.documents} labelled texts in {report.seconds:.0f} s ({report.split_counts})")
    typer.echo(coverage_table(report.to_dict()))
    for doc_id, error in report.errors.items():
        typer.echo(f"warning: {doc_id}: {error}", err=True)


ANNOTATION_WEIGHT = 20  # see training/train.py and annotations/README.md: a few fixes beside ~3,500 corpus texts


@app.command()
def train(
    corpus: Path = typer.Option(Path("annotations/corpus"), "--corpus", help="A corpus built by `form4 corpus build`."),
    output: Optional[Path] = typer.Option(None, "--output", help="Where to write the trained pipeline (<output>/form4-ner/). Default: a new runs/train-<time>/; `--output models` replaces the shipped model."),
    config: Optional[Path] = typer.Option(None, "--config", help="spaCy config (default: training/config.cfg)."),
    overrides: List[str] = typer.Option([], "--set", help="Config overrides, e.g. --set training.max_steps=500."),
    limit: Optional[int] = typer.Option(None, "--limit", help="Use only the first N annotated texts per split."),
    annotations: Optional[Path] = typer.Option(None, "--annotations", help="Imported annotations (`form4 annotations import`) to train on too. Default: annotations/imported if it exists."),
    annotation_weight: int = typer.Option(ANNOTATION_WEIGHT, "--annotation-weight", min=1, help="How many times each imported example is repeated in the training split."),
    base: Optional[Path] = typer.Option(None, "--base", help="Start from this trained pipeline (e.g. models/form4-ner) and fine-tune it; keeps its last checkpoint."),
    keep_policy: bool = typer.Option(False, "--keep-policy", help="Copy the conflict policy and calibration of --base (else the shipped model) instead of refitting them on the corpus (minutes)."),
    policy_only: bool = typer.Option(
        False, "--policy-only", help="Keep the trained NER; refit only the conflict policy and calibration (after a rules change)."
    ),
) -> None:
    """Train the NER model from the corpus, the seeds' annotations and imported annotations."""
    from form4.training.train import CONFIG, default_output, train_model

    if not (corpus / "train.jsonl.gz").exists():
        _fail(f"error E012: no {corpus}/train.jsonl.gz; build the corpus first: `form4 corpus build --out {corpus}`", 2)
    if policy_only:
        return _refit_policy(output or Path("models"), corpus)
    annotations = _annotations_folder(annotations)
    if base is not None and not (base / "meta.json").exists():
        _fail(f"error E025: no trained pipeline at {base}; pass the folder holding meta.json (e.g. models/form4-ner)", 2)
    output = output or default_output()
    result = train_model(
        corpus=corpus, output=output, config=config or CONFIG, overrides=_overrides(overrides), limit=limit,
        annotations=annotations, annotation_weight=annotation_weight, base=base, refit_policy=not keep_policy,
    )
    _print_training(result)


def _annotations_folder(annotations: Path | None) -> Path | None:
    """The imported annotations to train on: the given folder, else annotations/imported if present."""
    from form4.training.annotations import DEFAULT_IMPORTED

    if annotations is None:
        return DEFAULT_IMPORTED if any(DEFAULT_IMPORTED.glob("*.jsonl.gz")) else None
    if not any(annotations.glob("*.jsonl.gz")):
        _fail(f"error E026: no *.jsonl.gz in {annotations}; import annotations first: `form4 annotations import FILE --output {annotations}`", 2)
    return annotations


def _refit_policy(output: Path, corpus: Path) -> None:
    from form4.training.train import MODEL_NAME, fit_policy

    if not (output / MODEL_NAME / "meta.json").exists():
        _fail(f"error E014: no trained model in {output / MODEL_NAME}; run `form4 train` without --policy-only first", 2)
    policy = fit_policy(output / MODEL_NAME, corpus)
    typer.echo(f"model wins conflicts on: {', '.join(policy['model_wins']) or 'nothing'}")
    typer.echo(f"calibration: {policy['calibration']}")


def _overrides(items: List[str]) -> dict:
    settings = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            _fail(f"error E013: --set takes key=value, got {item!r}", 2)
        settings[key] = _config_value(value)
    return settings


def _print_training(result) -> None:
    typer.echo(f"trained in {result.seconds:.0f} s -> {result.model_dir}")
    imported = result.conversion.get("imported", {})
    if imported.get("examples"):
        typer.echo(f"imported annotations: {imported['examples']} texts, each {imported['weight']} times")
    typer.echo(f"calibration: {result.policy.get('calibration')}")
    if result.dev_scores.get("ents_f") is not None:
        typer.echo(f"dev: P {result.dev_scores['ents_p']:.3f}  R {result.dev_scores['ents_r']:.3f}  F {result.dev_scores['ents_f']:.3f}")
    for label, s in sorted((result.dev_scores.get("per_label") or {}).items()):
        typer.echo(f"  {label:<20} P {s['p']:.3f}  R {s['r']:.3f}  F {s['f']:.3f}")
    typer.echo(f"use it: form4 extract FILE --model {result.model_dir}   (or FORM4_MODEL={result.model_dir})")


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


annotations_app = typer.Typer(help="Round trip with annotation tools: Label Studio, doccano, Prodigy/spaCy.", no_args_is_help=True)
app.add_typer(annotations_app, name="annotations")


class ExportFormat(str, Enum):
    label_studio = "label-studio"
    doccano = "doccano"


class ImportFormat(str, Enum):
    label_studio = "label-studio"
    doccano = "doccano"
    spacy = "spacy"


@annotations_app.command("export")
def annotations_export(
    texts: List[str] = typer.Argument(..., help="Text files or directories (read recursively)."),
    fmt: ExportFormat = typer.Option(ExportFormat.label_studio, "--format", help="label-studio (JSON tasks + labelling config) or doccano (JSONL)."),
    output: Path = typer.Option(..., "--output", "-o", help="The tasks file to write (.json for Label Studio, .jsonl for doccano)."),
    model: Optional[Path] = typer.Option(None, "--model", help="The pipeline whose reading pre-annotates (default: the shipped one)."),
) -> None:
    """Write annotation tasks with the model's spans as pre-annotations (predictions)."""
    from form4.training.annotations import export

    items = [item for item in collect_inputs(texts) if item.path is not None]
    missing = [item for item in items if not item.path.is_file()]
    for item in missing:
        typer.echo(f"{item.source}: error E007: no such file; check the path", err=True)
    settings = _settings(False, model)
    if settings.nlp is None:
        _fail("error E022: export needs the NER model for its pre-annotations; pass --model DIR", 2)
    paths = [item.path for item in items if item not in missing]
    count, problems = export(paths, fmt.value, output, settings, model_version=str(model or "form4-ner"))
    for line in problems:
        typer.echo(line, err=True)
    typer.echo(f"{count} tasks -> {output}")
    if fmt is ExportFormat.label_studio:
        typer.echo(f"labelling interface for the project: {output.with_name(output.stem + '.label-config.xml')}")
    if missing or problems:
        raise typer.Exit(1)


@annotations_app.command("import")
def annotations_import(
    file: Path = typer.Argument(..., help="A Label Studio JSON export, doccano JSONL or Prodigy/spaCy span JSONL."),
    fmt: Optional[ImportFormat] = typer.Option(None, "--format", help="Default: from the file's shape."),
    output: Path = typer.Option(Path("annotations/imported"), "--output", help="Folder of imported annotations (`form4 train --annotations`)."),
) -> None:
    """Read completed annotations into our span JSONL; every bad span gets one line, the rest is kept."""
    from form4.training.annotations import import_file, imported_name, write_examples

    if not file.is_file():
        _fail(f"{file}: error E007: no such file; check the path", 2)
    try:
        result = import_file(file, fmt.value if fmt else None)
    except (ValueError, KeyError, TypeError) as err:
        _fail(f"{file}: error E023: not a {fmt.value if fmt else 'known'} annotation export ({err}); check --format", 2)
    for problem in result.problems:
        typer.echo(f"{file}: error E024: {problem}", err=True)
    if result.examples:
        target = write_examples(result.examples, output, imported_name(file))
        typer.echo(f"{len(result.examples)} of {result.tasks} tasks, {result.spans} spans -> {target}")
    else:
        typer.echo(f"nothing to import from {result.tasks} tasks", err=True)
    if result.problems or not result.examples:
        raise typer.Exit(1)
