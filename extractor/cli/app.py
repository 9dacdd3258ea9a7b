"""The ``form4`` Typer app and what its commands share: logging to stderr, one-line failures, the
extractor the options ask for. The commands register on it from ``main``, ``training`` and
``annotations`` (``form4.cli`` imports all three)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import typer

from ..errors import Form4Error, ModelNotFoundError
from ..safe_text import MESSAGE_LIMIT, escaped

log = logging.getLogger("form4")

app = typer.Typer(
    name="form4",
    help="Turn noisy flattened SEC Form 4 filings into typed, validated records.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # help texts are plain: `form4[dask]` and `[default: ...]` print as written
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


class OneLine(logging.Formatter):
    """A message as one line: control characters (a newline or a terminal escape in a file name)
    escaped, the length capped (:func:`form4.safe_text.escaped`)."""

    def format(self, record: logging.LogRecord) -> str:
        return escaped(super().format(record), 2 * MESSAGE_LIMIT)


def setup_logging(level: int) -> None:
    """Messages on stderr as plain lines (``path: error E00N: ...``, ``warning: ...``)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLine("%(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(level)
    log.propagate = False


def _fail(message: str, code: int = 1) -> None:
    log.error(message)
    raise typer.Exit(code)


def _settings(no_model: bool, model: Path | None):
    """The extractor to use: the model when there is one (a warning when falling back to rules)."""
    from ..model.ner import model_path
    from ..run.pipeline import RULES_ONLY, model_extractor

    if no_model:
        return RULES_ONLY
    try:
        shipped = model_path() if model is None else None
    except Form4Error as err:  # $FORM4_MODEL names a folder with no pipeline
        _fail(err.one_line(), 2)
    if model is None and shipped is None:
        log.warning("warning: no trained model found (run `form4 train`); using rules only")
        return RULES_ONLY
    try:
        return model_extractor(str(model) if model else None)
    except (OSError, Form4Error) as err:
        msg = (err if isinstance(err, Form4Error) else ModelNotFoundError(f"cannot load the model at {model}: {err}")).one_line()
        _fail(msg, 2)
