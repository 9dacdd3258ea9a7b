"""Every error code, in one table: a class per code with what it means and how to fix it.

A bad input or option is reported as one line, ``path: error E0NN: what; how to fix``
(:meth:`Form4Error.one_line`), and a non-zero exit; never a traceback. The README's table of
error codes lists ``code | meaning | how to fix`` for each class below (a test holds them equal).
"""

from __future__ import annotations

from .safe_text import MESSAGE_LIMIT, NAME_LIMIT, escaped


class Form4Error(Exception):
    """Base class: a problem with the input, reported as one line, never a traceback."""

    code = "E000"
    meaning = "a problem with the input"
    #: how to fix it, for the README's table of codes (a message carries its own, fitted to the case)
    hint = "the message says what to change"

    def __init__(self, message: str, source: str | None = None) -> None:
        self.source = source
        super().__init__(message)

    def one_line(self) -> str:
        r"""``source: error E0NN: message``, one line whatever the file name or message holds.

        >>> print(EmptyInputError("the input\nis empty", "a\n5 done, 0 failed.txt").one_line())
        a\n5 done, 0 failed.txt: error E001: the input is empty
        """
        where = f"{escaped(self.source, NAME_LIMIT)}: " if self.source else ""
        text = escaped(" ".join(str(self).split()), MESSAGE_LIMIT)
        return f"{where}error {self.code}: {text}"


def all_errors() -> list[type[Form4Error]]:
    """Every error class declared here, by code (the README's table in order).

    >>> [e.code for e in all_errors()][:3]
    ['E001', 'E002', 'E003']
    """
    found, todo = [], list(Form4Error.__subclasses__())
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls.__module__ == __name__:
            found.append(cls)
    return sorted(found, key=lambda cls: cls.code)


# ---------------------------------------------------------------- the input
class EmptyInputError(Form4Error):
    code, meaning, hint = "E001", "the input is empty", "pass the text of a Form 4 filing"


class BinaryInputError(Form4Error):
    code = "E002"
    meaning = "the input is binary, or a PDF or image that cannot be read"
    hint = "pass the filing's text, a readable PDF or a page image"


class NotAForm4Error(Form4Error):
    code, meaning, hint = "E003", "the text is no Form 4 (none of its printed labels found)", "pass the text of a Form 4 filing"


class TruncatedFilingError(Form4Error):
    code, meaning, hint = "E004", "the filing stops before Table I or inside its tables", "pass the whole filing"


class InputNotFoundError(Form4Error):
    code = "E005"
    meaning = "no such input (a missing file, a dangling symbolic link, no input files found)"
    hint = "check the path"


class GoldFormatError(Form4Error):
    code, meaning, hint = "E006", "a gold record is not record JSON", "gold files are record JSON as `form4 extract` prints them"


class PredictionFormatError(Form4Error):
    code, meaning, hint = "E018", "a predicted record (`score --pred`) is not record JSON", "predicted files are record JSON as `form4 extract` prints them"


class XMLFormatError(Form4Error):
    code = "E007"
    meaning = "an ownership XML (or an annotation file) cannot be read or is no Form 4"
    hint = "pass an ownershipDocument of a Form 4"


class ModelNotFoundError(Form4Error):
    code, meaning, hint = "E008", "the NER model cannot be loaded", "pass --model DIR with a trained pipeline, or --no-model"


# ---------------------------------------------------------------- options of the commands
class ParquetToStdoutError(Form4Error):
    code, meaning, hint = "E009", "`--format parquet` without an output file", "give --output FILE.parquet"


class ScoreOptionsError(Form4Error):
    code, meaning, hint = "E010", "`form4 score` needs exactly one of --pred and --input", "give --pred DIR or --input DIR"


class RawFolderError(Form4Error):
    code, meaning, hint = "E011", "`--raw` is not a folder", "pass --raw with the folder of Form 4 XML"


class NoCorpusError(Form4Error):
    code, meaning, hint = "E012", "`form4 train` finds no corpus", "build the corpus first: `form4 corpus build`"


class SettingError(Form4Error):
    code, meaning, hint = "E013", "`--set` is not key=value", "give --set key=value"


class NoTrainedModelError(Form4Error):
    code, meaning, hint = "E014", "`form4 train --policy-only` finds no trained model", "run `form4 train` without --policy-only first"


class PlotUnavailableError(Form4Error):
    code, meaning, hint = "E015", "`--plot` needs matplotlib, which is not installed", "pip install 'form4[plot]'"


class UnknownStyleError(Form4Error):
    code, meaning, hint = "E016", "an unknown page style (`corpus build --styles`)", "pass known names, e.g. --styles edgar,paper,plain"


class UnknownConverterError(Form4Error):
    code, meaning, hint = "E017", "an unknown converter or style (`evaluate --heldout`)", "see --help"


# ---------------------------------------------------------------- the batch runner
class InternalError(Form4Error):
    """An unexpected exception while extracting one input: a bug to report, never a lost batch."""

    code = "E020"
    meaning = "internal error: an unexpected exception while extracting this input (a bug)"
    hint = "please report it with this input"


class TimeoutExceededError(Form4Error):
    code, meaning, hint = "E021", "the input took longer than `--timeout`", "raise --timeout (0: no limit)"


class InputUnreadableError(Form4Error):
    code = "E022"
    meaning = "the input cannot be read (permission denied, a folder, an I/O error)"
    hint = "check its permissions"


class OutputError(Form4Error):
    code = "E023"
    meaning = "the output cannot be written (read-only, a file or a symbolic link in the way, several XML into one file)"
    hint = "give a writable --output (DIR/ for one file per input)"


class InputTooLargeError(Form4Error):
    """A PDF or image over a documented limit (pages, page size, pixels: form4.io.limits), or one
    that needs more memory than a worker may use: refused before it is decoded."""

    code = "E027"
    meaning = "a PDF or image over a limit (over 50 pages, a page over 60 inches a side or 100 megapixels), or one that needs more memory than a worker may use"
    hint = "split the file into filings of a few pages, or scan at 300 dpi"


class LinkOutsideError(InputUnreadableError):
    """A symbolic link found in an input folder that leads out of it: not followed."""

    code = "E026"
    meaning = "a symbolic link in an input folder leads out of it (not followed; `--follow-links` reads it)"
    hint = "pass --follow-links to read links that leave the input folder, or copy the file in"


class WorkerDiedError(Form4Error):
    code, meaning, hint = "E024", "the worker process died while extracting this input (often out of memory)", "give the machine more memory or fewer --workers"


class OptionError(Form4Error):
    code = "E025"
    meaning = "options that do not go together (`--resume` without `-o DIR/`, `--engine dask` without Dask)"
    hint = "the message says which"


# ---------------------------------------------------------------- annotations and training
class NoModelForExportError(Form4Error):
    code, meaning, hint = "E030", "`annotations export` without a model for the pre-annotations", "pass --model DIR"


class AnnotationFormatError(Form4Error):
    code, meaning, hint = "E031", "`annotations import`: the file is not an export of the format", "check --format"


class AnnotationSpanError(Form4Error):
    code = "E032"
    meaning = ("`annotations import`: one bad span or task (unknown label, overlap, off a token boundary, "
               "text changed since export); the rest is kept")
    hint = "fix the task in the annotation tool and export again"


class NoAnnotationsError(Form4Error):
    code, meaning, hint = "E033", "`train --annotations DIR` holds no `*.jsonl.gz`", "import annotations first: `form4 annotations import`"


class ReportFromStdinError(Form4Error):
    code, meaning, hint = "E034", "`extract --report` with stdin (the page needs the text again)", "pass a file"


class NotAPipelineError(Form4Error):
    code, meaning, hint = "E035", "`train --base DIR` is not a trained pipeline", "pass the folder holding meta.json (e.g. models/form4-ner)"


# ---------------------------------------------------------------- tools and XML output
class MissingToolError(Form4Error):
    code, meaning, hint = "E040", "a tool that PDF or image input needs is not installed", "install it (the message says how)"


class XMLWriteError(Form4Error):
    code, meaning, hint = "E041", "the record cannot be written as schema-valid ownership XML", "the message says which value is missing"


class SeveralXMLError(Form4Error):
    code = "E042"
    meaning = "several inputs give several XML documents, which one stream cannot hold"
    hint = "give --output DIR (one <input name>.xml per input)"


class CIKFormatError(Form4Error):
    code, meaning, hint = "E043", "a malformed `--issuer-cik` / `--owner-cik`", "pass the CIK's digits, e.g. --issuer-cik 0000320193"
