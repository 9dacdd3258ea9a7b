"""``form4 annotations``: the round trip with annotation tools (Label Studio, doccano, Prodigy/spaCy),
thin shells over :mod:`form4.training.annotations`."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from ..run.batch import collect_inputs
from .. import errors as E
from ..safe_text import MESSAGE_LIMIT, escaped
from .app import _fail, _settings, app


annotations_app = typer.Typer(help="Round trip with annotation tools: Label Studio, doccano, Prodigy/spaCy.", no_args_is_help=True, rich_markup_mode=None)


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
        typer.echo(E.XMLFormatError("no such file; check the path", item.source).one_line(), err=True)
    settings = _settings(False, model)
    if settings.nlp is None:
        _fail(E.NoModelForExportError("export needs the NER model for its pre-annotations; pass --model DIR").one_line(), 2)
    paths = [item.path for item in items if item not in missing]
    count, problems = export(paths, fmt.value, output, settings, model_version=str(model or "form4-ner"))
    for line in problems:
        typer.echo(escaped(line, 2 * MESSAGE_LIMIT), err=True)
    typer.echo(f"{count} tasks -> {output}")
    if fmt is ExportFormat.label_studio:
        typer.echo(f"labelling interface for the project: {output.with_name(output.stem + '.label-config.xml')}")
    if missing or problems:
        raise typer.Exit(1)


@annotations_app.command("import")
def annotations_import(
    file: Path = typer.Argument(..., help="A Label Studio JSON export, doccano JSONL or Prodigy/spaCy span JSONL."),
    fmt: Optional[ImportFormat] = typer.Option(None, "--format", help="Default: from the file's shape."),
    output: Optional[Path] = typer.Option(None, "--output", help="Folder of imported annotations (`form4 train --annotations`; default: the clone's annotations/imported, which train reads)."),
) -> None:
    """Read completed annotations into our span JSONL; every bad span gets one line, the rest is kept."""
    from form4.training.annotations import DEFAULT_IMPORTED, import_file, imported_name, write_examples

    output = output or DEFAULT_IMPORTED

    if not file.is_file():
        _fail(E.XMLFormatError("no such file; check the path", str(file)).one_line(), 2)
    try:
        result = import_file(file, fmt.value if fmt else None)
    except (ValueError, KeyError, TypeError) as err:
        _fail(E.AnnotationFormatError(f"not a {fmt.value if fmt else 'known'} annotation export ({err}); check --format", str(file)).one_line(), 2)
    for problem in result.problems:
        typer.echo(E.AnnotationSpanError(problem, str(file)).one_line(), err=True)
    if result.examples:
        target = write_examples(result.examples, output, imported_name(file))
        typer.echo(f"{len(result.examples)} of {result.tasks} tasks, {result.spans} spans -> {target}")
    else:
        typer.echo(f"nothing to import from {result.tasks} tasks", err=True)
    if result.problems or not result.examples:
        raise typer.Exit(1)

app.add_typer(annotations_app, name="annotations")
