"""The training-side commands (``form4 corpus build``, ``form4 train``, ``form4 evaluate``): thin
shells over :mod:`form4.training`, which they import only when they run."""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from typing import List, Optional

import typer

from .app import _fail, app
from .. import errors as E


corpus_app = typer.Typer(help="Build the labelled corpus from real EDGAR XML.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(corpus_app, name="corpus")


@corpus_app.command("build")
def corpus_build(
    raw: Path = typer.Option(None, "--raw", help="Folder of ownershipDocument XML (default: ../shared/data/form4-raw)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Where to write the annotations (JSONL, gold, report). Default: the clone's annotations/corpus, wherever you run."),
    work: Optional[Path] = typer.Option(None, "--work", help="Where to keep derived files (PDF/OCR cache, texts). Default: the clone's corpus/."),
    workers: int = typer.Option(2, "--workers", help="Processes for rendering and flattening."),
    seed: int = typer.Option(13, "--seed", help="Seed of the owner split and the noise."),
    limit: Optional[int] = typer.Option(None, "--limit", help="Only the first N filings (for a quick look)."),
    noise: bool = typer.Option(True, "--noise/--no-noise", help="Add the synthetic noise variants."),
    styles: str = typer.Option("edgar", "--styles", help="Page styles to render each filing in, comma-separated (edgar, paper, plain, agent, word)."),
    synthetic: int = typer.Option(0, "--synthetic", min=0, help="Add N synthetic filings (seeded by --seed), one style each in turn, to the training side only."),
    ocr_share: float = typer.Option(1.0, "--ocr-share", min=0.0, max=1.0, help="Share of the real training filings' pages in styles other than edgar that are also OCR'd and scanned (dev pages always are)."),
    train_styles: Optional[int] = typer.Option(None, "--train-styles", min=0, help="Render each real training filing in EDGAR and only this many of the other styles, in turn (default: all; dev filings always get every style)."),
    dev_filings: Optional[int] = typer.Option(None, "--dev-filings", min=0, help="Render only the first N dev filings in the styles other than edgar (default: all)."),
) -> None:
    """Render every Form 4 XML in each page style, print it, flatten it with real converters, align the values."""
    _require_corpus_tools("form4 corpus build")
    from form4.training.corpus import DEFAULT_RAW, build
    from form4.training.corpus_report import coverage_table
    from form4.training.pages import parse_styles

    from form4.training.corpus import DEFAULT_OUT, DEFAULT_WORK

    raw, out, work = raw or DEFAULT_RAW, out or DEFAULT_OUT, work or DEFAULT_WORK
    if not raw.is_dir():
        _fail(E.RawFolderError(f"{raw} is not a folder; pass --raw with the folder of Form 4 XML (see ../shared/data/form4-raw)").one_line(), 2)
    try:
        style_names = parse_styles(styles)
    except ValueError as err:
        _fail(E.UnknownStyleError(f"{err}; {E.UnknownStyleError.hint}").one_line(), 2)
    report = build(raw=raw, out=out, work=work, workers=workers, seed=seed, limit=limit, noise=noise,
                   styles=style_names, synthetic=synthetic, ocr_share=ocr_share,
                   train_styles=train_styles, dev_filings=dev_filings)
    typer.echo(f"{report.filings} filings + {report.synthetic} synthetic in {', '.join(report.styles)} -> "
               f"{report.documents} labelled texts in {report.seconds:.0f} s ({report.split_counts})")
    typer.echo(coverage_table(report.to_dict()))
    for doc_id, error in report.errors.items():
        typer.echo(f"warning: {doc_id}: {error}", err=True)


def _require_corpus_tools(what: str) -> None:
    """The converters of the corpus extra are installed (else one line, E025)."""
    from .extras import require

    try:
        require("corpus", what)
    except E.Form4Error as err:
        _fail(err.one_line(), 2)


ANNOTATION_WEIGHT = 20  # see training/train.py and annotations/README.md: a few fixes beside ~3,500 corpus texts


@app.command()
def train(
    corpus: Optional[Path] = typer.Option(None, "--corpus", help="A corpus built by `form4 corpus build` (default: the clone's annotations/corpus, which ships)."),
    output: Optional[Path] = typer.Option(None, "--output", help="Where to write the trained pipeline (<output>/form4-ner/). Default: a new runs/train-<time>/; `--output models` replaces the shipped model."),
    config: Optional[Path] = typer.Option(None, "--config", help="spaCy config (default: training/config.cfg)."),
    overrides: List[str] = typer.Option([], "--set", help="Config overrides, e.g. --set training.max_steps=500."),
    limit: Optional[int] = typer.Option(None, "--limit", help="Use only the first N annotated texts per split."),
    annotations: Optional[Path] = typer.Option(None, "--annotations", help="Imported annotations (`form4 annotations import`) to train on too. Default: annotations/imported if it exists."),
    annotation_weight: int = typer.Option(ANNOTATION_WEIGHT, "--annotation-weight", min=1, help="How many times each imported example is repeated in the training split."),
    base: Optional[Path] = typer.Option(None, "--base", help="Start from this trained pipeline (e.g. models/form4-ner) and fine-tune it; keeps its last checkpoint."),
    keep_policy: bool = typer.Option(False, "--keep-policy", help="Copy the conflict policy and calibration of --base (else the shipped model) instead of refitting them on the corpus (minutes)."),
    exclude_styles: str = typer.Option("", "--exclude-styles", help="Leave these page styles out (comma-separated): a leave-one-style-out model (python -m form4.training.loso)."),
    policy_only: bool = typer.Option(
        False, "--policy-only", help="Keep the trained NER; refit only the conflict policy and calibration (after a rules change)."
    ),
) -> None:
    """Train the NER model from the corpus, the seeds' annotations and imported annotations."""
    from form4.training.corpus import DEFAULT_OUT
    from form4.training.train import CONFIG, default_output, train_model

    corpus = corpus or DEFAULT_OUT
    if not (corpus / "train.jsonl.gz").exists():
        _fail(E.NoCorpusError(f"no {corpus}/train.jsonl.gz; build the corpus first: `form4 corpus build --out {corpus}`").one_line(), 2)
    if policy_only:
        return _refit_policy(output or _shipped_models(), corpus)
    annotations = _annotations_folder(annotations)
    if base is not None and not (base / "meta.json").exists():
        _fail(E.NotAPipelineError(f"no trained pipeline at {base}; pass the folder holding meta.json "
                                  f"(the shipped one: {_shipped_models() / 'form4-ner'})").one_line(), 2)
    output = output or default_output()
    with library_output_on_stderr():
        result = train_model(
            corpus=corpus, output=output, config=config or CONFIG, overrides=_overrides(overrides), limit=limit,
            annotations=annotations, annotation_weight=annotation_weight, base=base, refit_policy=not keep_policy,
            exclude_styles=tuple(s.strip() for s in exclude_styles.split(",") if s.strip()),
        )
    _print_training(result)


def _annotations_folder(annotations: Path | None) -> Path | None:
    """The imported annotations to train on: the given folder, else annotations/imported if present."""
    from form4.training.annotations import DEFAULT_IMPORTED

    if annotations is None:
        return DEFAULT_IMPORTED if any(DEFAULT_IMPORTED.glob("*.jsonl.gz")) else None
    if not any(annotations.glob("*.jsonl.gz")):
        _fail(E.NoAnnotationsError(f"no *.jsonl.gz in {annotations}; import annotations first: `form4 annotations import FILE --output {annotations}`").one_line(), 2)
    return annotations


def _shipped_models() -> Path:
    """The folder of the shipped pipeline (the package form4.models: the clone's models/)."""
    from importlib.resources import files

    return Path(str(files("form4.models")))


def _refit_policy(output: Path, corpus: Path) -> None:
    from form4.training.train import MODEL_NAME, fit_policy

    if not (output / MODEL_NAME / "meta.json").exists():
        _fail(E.NoTrainedModelError(f"no trained model in {output / MODEL_NAME}; {E.NoTrainedModelError.hint}").one_line(), 2)
    policy = fit_policy(output / MODEL_NAME, corpus)
    typer.echo(f"model wins conflicts on: {', '.join(policy['model_wins']) or 'nothing'}")
    typer.echo(f"calibration: {policy['calibration']}")


def _overrides(items: List[str]) -> dict:
    settings = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            _fail(E.SettingError(f"--set takes key=value, got {item!r}").one_line(), 2)
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
    corpus: Optional[Path] = typer.Option(None, "--corpus", help="A corpus built by `form4 corpus build` (default: the clone's annotations/corpus)."),
    split: str = typer.Option("dev", "--split", help="Which side of the owner split to score."),
    limit: Optional[int] = typer.Option(None, "--limit", help="At most N filings per converter (--heldout: the first N dev filings)."),
    heldout: bool = typer.Option(False, "--heldout", help="Leave-one-out: dev filings rendered in page styles and flattened by converters the rules and model were not fitted on."),
    styles: str = typer.Option("edgar", "--styles", help="--heldout: comma-separated page styles."),
    converters: str = typer.Option("unseen", "--converters", help="--heldout: converter names or families (text-layer, markdown, html-text, ocr, scan), or all/unseen/corpus."),
    work: Optional[Path] = typer.Option(None, "--work", help="--heldout: cache of the flattened texts (reruns only score; default: the clone's corpus/heldout)."),
    raw: Optional[Path] = typer.Option(None, "--raw", help="--heldout: folder of ownership XML (default: ../shared/data/form4-raw)."),
    workers: int = typer.Option(2, "--workers", help="--heldout: processes for printing and flattening."),
    placement: bool = typer.Option(False, "--placement", help="--heldout: also the share of printed gold values the aligner placed."),
    costs: bool = typer.Option(False, "--costs", help="--heldout: also CPU and wall seconds per filing of each converter."),
    as_json: bool = typer.Option(False, "--json", help="--heldout: the report as JSON."),
) -> None:
    """Field F1, rules only vs model: per converter on the corpus's dev split and the seeds, or with
    --heldout per page style x converter the rules and model never saw (markdown tables)."""
    if not heldout:
        from form4.training.corpus import DEFAULT_OUT
        from form4.training.evaluate import evaluate_table

        typer.echo(evaluate_table(corpus or DEFAULT_OUT, split=split, limit=limit))
        return
    _require_corpus_tools("form4 evaluate --heldout")
    from form4.training.heldout import DEFAULT_WORK, command

    work = work or DEFAULT_WORK
    code, text = command(styles, converters, limit, work, workers, raw, placement, costs, as_json)
    if code:
        _fail(text, code)
    typer.echo(text)
