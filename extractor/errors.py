"""Typed errors. Each message says what was wrong and how to fix it, on one line."""

from __future__ import annotations

from .safe_text import MESSAGE_LIMIT, NAME_LIMIT, escaped


class Form4Error(Exception):
    """Base class: a problem with the input, reported as one line, never a traceback."""

    code = "E000"
    #: how to fix it, for the README's table of codes (a message carries its own, fitted to the case)
    hint = ""

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


class EmptyInputError(Form4Error):
    code = "E001"


class BinaryInputError(Form4Error):
    code = "E002"


class NotAForm4Error(Form4Error):
    code = "E003"


class TruncatedFilingError(Form4Error):
    code = "E004"


class InputNotFoundError(Form4Error):
    code = "E005"


class GoldFormatError(Form4Error):
    code = "E006"


class XMLFormatError(Form4Error):
    code = "E007"


class ModelNotFoundError(Form4Error):
    code = "E008"


# E020-E029: the batch runner's own (an input it could not finish, an output it cannot write)
class InternalError(Form4Error):
    """An unexpected exception while extracting one input: a bug to report, never a lost batch."""

    code = "E020"


class TimeoutExceededError(Form4Error):
    code = "E021"


class InputUnreadableError(Form4Error):
    code = "E022"


class OutputError(Form4Error):
    code = "E023"


class WorkerDiedError(Form4Error):
    code = "E024"


class OptionError(Form4Error):
    code = "E025"


class InputTooLargeError(Form4Error):
    """A PDF or image over a documented limit (pages, page size, pixels: form4.io.limits), or one
    that needs more memory than a worker may use: refused before it is decoded."""

    code = "E027"
    hint = "split the file into filings of a few pages, or scan at 300 dpi"


class LinkOutsideError(InputUnreadableError):
    """A symbolic link found in an input folder that leads out of it: not followed."""

    code = "E026"
    hint = "pass --follow-links to read links that leave the input folder, or copy the file in"
