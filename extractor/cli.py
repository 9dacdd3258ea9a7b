"""The ``form4`` command: one Typer app, each command a thin shell over a function."""

from __future__ import annotations

import json
import logging
import os
import sys
from contextlib import contextmanager, redirect_stdout
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from .batch import DEFAULT_TIMEOUT, collect_inputs
from .errors import Form4Error
from .review import DEFAULT_THRESHOLD as REVIEW_THRESHOLD
from .schema import json_schema

log = logging.getLogger("form4")

app = typer.Typer(
    name="form4",
    help="Turn noisy flattened SEC Form 4 filings into typed, validated records.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"form4 {version('form4')}")
        raise typer.Exit()


@app.callback()
def main_options(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Say more on stderr (progress notes)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only errors on stderr."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """Turn noisy flattened SEC Form 4 filings into typed, validated records."""
    level = logging.ERROR if quiet else logging.INFO if verbose else logging.WARNING
    setup_logging(level)


def setup_logging(level: int) -> None:
    """Messages on stderr as plain lines (``path: error E00N: ...``, ``warning: ...``)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(level)
    log.propagate = False


class Format(str, Enum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"
    xml = "xml"


def _fail(message: str, code: int = 1) -> None:
    log.error(message)
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
        log.warning("warning: no trained model found (run `form4 train`); using rules only")
        return RULES_ONLY
    try:
        return model_extractor(str(model) if model else None)
    except (OSError, Form4Error) as err:
        msg = err.one_line() if isinstance(err, Form4Error) else f"error E008: cannot load the model at {model}: {err}"
        _fail(msg, 2)


class Engine(str, Enum):
    local = "local"
    dask = "dask"


def _xml_options(fmt: "Format", issuer_cik: str | None, owner_ciks: List[str]):
    """The CIKs for ``--format xml`` (the printed form shows none); a malformed one fails (E043)."""
    from .xml_writer import XmlOptions, check_cik

    try:
        return XmlOptions(check_cik(issuer_cik) if issuer_cik else None, tuple(check_cik(c) for c in owner_ciks))
    except ValueError as err:
        _fail(f"error E043: {err}; pass the CIK's digits, e.g. --issuer-cik 0000320193", 2)


def _check_xml_target(fmt: "Format", several: bool, output: str | None) -> None:
    """Several XML records go to --output DIR, one document per input: never one stream (E042)."""
    if fmt is Format.xml and several and output is None:  # (-o FILE: the batch runner's E023)
        _fail("error E042: several inputs give several XML documents; give --output DIR (one <input name>.xml per input)", 2)


@app.command()
def extract(
    inputs: List[str] = typer.Argument(
        ..., help="Text files, PDFs (.pdf: the text layer, scanned pages OCR'd), images (.png .jpg .jpeg .tif .tiff: OCR), "
        "directories (read recursively) or - for stdin."),
    fmt: Format = typer.Option(Format.json, "--format", "-f", help="json (one record, or an array), jsonl, csv or parquet (transaction tables), xml (SEC ownershipDocument)."),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="FILE: all records in one file. DIR/ (or an existing directory): one file per input, its tree kept."),
    no_model: bool = typer.Option(False, "--no-model", help="Rules only: no NER model (for comparison, or as a fallback)."),
    model: Optional[Path] = typer.Option(None, "--model", help="A trained pipeline directory (default: the shipped models/form4-ner)."),
    workers: int = typer.Option(min(2, os.cpu_count() or 1), "--workers", help="Processes for batches (forked after the model loads)."),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", help="Seconds per input before it is stopped as error E021 (0: no limit)."),
    resume: bool = typer.Option(False, "--resume", help="Skip inputs whose output (in --output DIR/) exists and is complete."),
    summary: Optional[Path] = typer.Option(None, "--summary", help="Also write the batch summary (done, failed by code, skipped) as JSON here."),
    engine: Engine = typer.Option(Engine.local, "--engine", help="local (worker processes) or dask (a Dask cluster; needs form4[dask])."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="With --engine dask: the scheduler address (default: a local cluster)."),
    report: Optional[Path] = typer.Option(None, "--report", help="Write a review page (HTML): the text with every field's span coloured by confidence. A directory for several inputs."),
    review_threshold: Optional[float] = typer.Option(
        None, "--review-threshold", min=0.0, max=1.0,
        help="List in `review` (and first on the review page) every field below this confidence (default: the model's measured threshold).",
    ),
    issuer_cik: Optional[str] = typer.Option(None, "--issuer-cik", help="The issuer's CIK for --format xml (not printed on the form; default 0000000000 and a warning)."),
    owner_cik: List[str] = typer.Option([], "--owner-cik", help="A reporting owner's CIK for --format xml, once per owner in order (default 0000000000 and a warning)."),
) -> None:
    """Extract Form 4 records from flattened text, PDFs and scans."""
    if engine is Engine.dask:
        return _extract_dask(inputs, output, no_model, model, workers, resume, summary, scheduler)
    from .batch import ExtractJob, run_extract
    from .xml_writer import using

    xml_options = _xml_options(fmt, issuer_cik, owner_cik)
    settings = _with_review_threshold(_settings(no_model, model), review_threshold)
    items = collect_inputs(inputs)
    if not items:
        _fail("error E005: no input files found; pass files, a directory or - for stdin", 2)
    if report is not None and any(item.path is None for item in items):
        _fail("error E034: --report needs the text again, which stdin cannot give; pass a file", 2)
    several = len(items) > 1 or any(Path(a).is_dir() for a in inputs if a != "-")
    if fmt is Format.parquet and output is None:
        _fail("error E009: parquet is binary; give --output FILE.parquet", 2)
    _check_xml_target(fmt, several, output)
    job = ExtractJob(items, fmt.value, output, several, workers=workers, timeout=timeout or None, resume=resume)
    _stop_on_sigterm()
    try:
        with using(xml_options):
            result = run_extract(job, settings, progress=_progress(len(items)), report=lambda err: log.error(err.one_line()))
    except Form4Error as err:
        _fail(err.one_line(), 2)
    if report is not None:
        _write_reports(result, report, several, review_threshold if review_threshold is not None else REVIEW_THRESHOLD)
    _finish(result, several, summary)


def _stop_on_sigterm() -> None:
    """A kill (SIGTERM) stops a batch as Ctrl-C does: finished outputs kept, workers stopped, a summary."""
    import signal

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


def _finish(result, several: bool, summary: Optional[Path]) -> None:
    """The summary on stderr (and in --summary FILE); the exit code: 130 interrupted, 1 failures."""
    from .batch import summary_line, write_atomic

    data = result.summary()
    if several or result.skipped or result.interrupted:
        (log.warning if result.failures or result.interrupted else log.info)(summary_line(data))
    if summary is not None:
        write_atomic(summary, json.dumps(data, indent=2) + "\n")
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


def _write_reports(result, report: Path, several: bool, threshold: float) -> None:
    """One review page per record: ``report`` itself, or ``report/<input name>.html`` for several."""
    from .batch import read_input
    from .review import render

    for item, record in result.records:
        target = report / item.relative.with_suffix(".html") if several else report
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render(record, read_input(item).text, threshold, title=item.source), encoding="utf-8")
        typer.echo(f"review page: {target}", err=True)


def _extract_dask(inputs, output, no_model, model, workers, resume, summary, scheduler) -> None:
    try:
        from .dask_engine import run_dask
    except ImportError:
        _fail("error E025: --engine dask needs Dask; install it: pip install 'form4[dask]'", 2)
    if output is None:
        _fail("error E025: --engine dask writes a dataset; give --output DIR/", 2)
    try:
        result = run_dask(inputs, output, model=None if no_model else (str(model) if model else ""), workers=workers,
                          scheduler=scheduler, resume=resume, report=lambda line: log.error(line))
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
    use_model: bool = typer.Option(True, "--model/--no-model", help="With --input: extract with the model (default) or rules only."),
    plot: Optional[Path] = typer.Option(None, "--plot", help="Draw the reliability diagram of the confidences to FILE.png (needs matplotlib)."),
) -> None:
    """Precision/recall/F1 per field against gold records, by converter; the reliability of the confidences."""
    from .evaluate import score_directory
    from .score import format_reliability, plot_reliability, reliability

    if (pred is None) == (input_dir is None):
        _fail("error E010: give exactly one of --pred DIR or --input DIR", 2)
    settings = _settings(not use_model, None) if input_dir is not None else None
    if plot is not None:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            _fail(f"{plot}: error E015: --plot needs matplotlib, which is not installed; pip install 'form4[plot]'", 2)
    try:
        report, unmatched = score_directory(gold, pred=pred, input_dir=input_dir, settings=settings)
    except Form4Error as err:
        _fail(err.one_line())
    for name in unmatched:
        log.warning(f"warning: no gold record for {name}")
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
        _fail(f"error E035: no trained pipeline at {base}; pass the folder holding meta.json (e.g. models/form4-ner)", 2)
    output = output or default_output()
    with library_output_on_stderr():
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
        _fail(f"error E033: no *.jsonl.gz in {annotations}; import annotations first: `form4 annotations import FILE --output {annotations}`", 2)
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


@contextmanager
def library_output_on_stderr():
    """spaCy's training log (wasabi's printer, the loss table) to stderr, plain when stderr is no terminal."""
    if not sys.stderr.isatty():
        os.environ.setdefault("NO_COLOR", "1")
        os.environ.setdefault("WASABI_NO_PRETTY", "1")
        os.environ.setdefault("ANSI_COLORS_DISABLED", "1")
        os.environ.setdefault("WASABI_LOG_FRIENDLY", "1")
        _plain_wasabi()
    with redirect_stdout(sys.stderr):
        yield


def _plain_wasabi() -> None:
    """wasabi reads those settings when a printer is made; spaCy's shared one (wasabi.msg) is made already."""
    try:
        import wasabi
    except ImportError:  # pragma: no cover
        return
    wasabi.msg.pretty, wasabi.msg.show_color, wasabi.msg.hide_animation = False, False, True


def _config_value(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


@app.command()
def evaluate(
    corpus: Path = typer.Option(Path("annotations/corpus"), "--corpus", help="A corpus built by `form4 corpus build`."),
    split: str = typer.Option("dev", "--split", help="Which side of the owner split to score."),
    limit: Optional[int] = typer.Option(None, "--limit", help="At most N filings per converter (--heldout: the first N dev filings)."),
    heldout: bool = typer.Option(False, "--heldout", help="Leave-one-out: dev filings rendered in page styles and flattened by converters the rules and model were not fitted on."),
    styles: str = typer.Option("edgar", "--styles", help="--heldout: comma-separated page styles."),
    converters: str = typer.Option("unseen", "--converters", help="--heldout: converter names or families (text-layer, markdown, html-text, ocr, scan), or all/unseen/corpus."),
    work: Path = typer.Option(Path("corpus/heldout"), "--work", help="--heldout: cache of the flattened texts (reruns only score)."),
    raw: Optional[Path] = typer.Option(None, "--raw", help="--heldout: folder of ownership XML (default: ../shared/data/form4-raw)."),
    workers: int = typer.Option(2, "--workers", help="--heldout: processes for printing and flattening."),
    placement: bool = typer.Option(False, "--placement", help="--heldout: also the share of printed gold values the aligner placed."),
    costs: bool = typer.Option(False, "--costs", help="--heldout: also CPU and wall seconds per filing of each converter."),
    as_json: bool = typer.Option(False, "--json", help="--heldout: the report as JSON."),
) -> None:
    """Field F1, rules only vs model: per converter on the corpus's dev split and the seeds, or with
    --heldout per page style x converter the rules and model never saw (markdown tables)."""
    if not heldout:
        from form4.training.evaluate import evaluate_table

        typer.echo(evaluate_table(corpus, split=split, limit=limit))
        return
    from form4.training.heldout import command

    code, text = command(styles, converters, limit, work, workers, raw, placement, costs, as_json)
    if code:
        _fail(text, code)
    typer.echo(text)


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
        _fail("error E030: export needs the NER model for its pre-annotations; pass --model DIR", 2)
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
        _fail(f"{file}: error E031: not a {fmt.value if fmt else 'known'} annotation export ({err}); check --format", 2)
    for problem in result.problems:
        typer.echo(f"{file}: error E032: {problem}", err=True)
    if result.examples:
        target = write_examples(result.examples, output, imported_name(file))
        typer.echo(f"{len(result.examples)} of {result.tasks} tasks, {result.spans} spans -> {target}")
    else:
        typer.echo(f"nothing to import from {result.tasks} tasks", err=True)
    if result.problems or not result.examples:
        raise typer.Exit(1)
