"""Batches: collect inputs, extract each in worker processes a time limit can stop, write each
output as it finishes (atomically), and account for every input.

Guarantees (tests/test_batch.py):

* one input never costs the others: every exception while reading or extracting one input
  becomes that input's one-line error (``E020 internal error`` for the unexpected ones);
* ``timeout`` seconds per input: a worker over its limit is killed and replaced (``E021``);
* outputs are written through a temporary file in the same directory and ``os.replace``, so an
  interrupted batch leaves complete files only; ``resume`` skips inputs whose output is complete;
* two inputs never share an output name (:func:`output_names`).
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, NamedTuple

from ..errors import (
    BinaryInputError,
    Form4Error,
    OptionError,
    InputNotFoundError,
    InputUnreadableError,
    LinkOutsideError,
    OutputError,
)
from ..io.inputs import decode
from .filings import read_filings
from .items import BatchResult, Input, ReadText
from .outputs import Destination
from .page_images import group_pages
from .pipeline import RULES_ONLY, Extractor
from ..safe_text import printable
from ..schema import Record
from .workers import WorkerPool, internal_error

log = logging.getLogger(__name__)

STDIN = "-"
#: Per-input time limit of `form4 extract` (seconds). Measured: the slowest of the 1,125 dev texts
#: takes 1.6 s with the model; hostile inputs the time limit exists for take minutes.
DEFAULT_TIMEOUT = 60.0


def summary_line(summary: dict[str, Any]) -> str:
    """One line for stderr at the end of a batch.

    >>> summary_line({"done": 3, "failed": 2, "failed_by_code": {"E001": 1, "E021": 1}, "skipped": 1, "interrupted": False})
    '3 done, 2 failed (E001: 1, E021: 1), 1 skipped'
    """
    codes = ", ".join(f"{code}: {n}" for code, n in summary["failed_by_code"].items())
    line = f"{summary['done']} done, {summary['failed']} failed" + (f" ({codes})" if codes else "") + f", {summary['skipped']} skipped"
    return line + (" (interrupted)" if summary["interrupted"] else "")


# ---------------------------------------------------------------- inputs
def collect_inputs(args: Iterable[str], follow_links: bool = False) -> list[Input]:
    """Files, directories (recursive, hidden files skipped) and ``-`` for stdin; each file once;
    page images of one filing (``p1.png p2.png``: ``form4.run.page_images``) as one input.

    A dangling symlink in a directory is kept, to be reported as a failure, never skipped silently.
    A link found in a directory is read only when it stays inside that directory, unless
    ``follow_links`` (a file named on the command line is read wherever its link leads: the
    user named it).
    """
    out: list[Input] = []
    seen: set[str] = set()
    for arg in args:
        if arg == STDIN:
            out.append(Input(None, Path("stdin.txt"), STDIN))
            continue
        path = Path(arg)
        if path.is_dir():
            children = sorted(p for p in path.rglob("*") if p.is_file() or (p.is_symlink() and not p.exists()))
            found = [(child, child.relative_to(path)) for child in children]
            found = [(child, rel) for child, rel in found if not any(part.startswith(".") for part in rel.parts)]
        else:
            found = [(path, Path(path.name))]  # a missing path is reported as a failure
        confined_to = path if path.is_dir() and not follow_links else None
        for child, rel in found:
            key = os.path.abspath(child)
            if key not in seen:
                seen.add(key)
                out.append(Input(child, rel, str(child), confined_to))
    return group_pages(out)


class Decoded(NamedTuple):
    text: str
    warnings: tuple[str, ...] = ()
    source: str | None = None  # a PDF's or image's source, naming how it was read (form4.io.inputs)


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
LATIN1_WARNING = "the input is not UTF-8; read it as Windows-1252 (Latin-1), check accented names"


def decode_bytes(data: bytes, source: str | None = None) -> Decoded:
    """Bytes -> text: UTF-8, or the encoding a byte-order mark names (UTF-16/32), or UTF-16 without
    one; text that is not UTF-8 but reads as Windows-1252 is taken with a warning.

    >>> decode_bytes("Müller".encode("utf-16")).text, decode_bytes("Müller".encode("latin-1") + b" filed")
    ('Müller', Decoded(text='Müller filed', warnings=('the input is not UTF-8; read it as Windows-1252 (Latin-1), check accented names',), source=None))
    """
    from ..io.inputs import read_document, source_with

    if (reading := read_document(data, source)) is not None:  # a PDF (text layer, OCR) or an image (OCR)
        if not reading.text.strip():
            raise BinaryInputError(f"no text was found in it ({reading.how}); check that the file shows a filing", source)
        return Decoded(reading.text.replace("\r\n", "\n"), (), source_with(source, reading.how))
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return Decoded(_normalised(data.decode(encoding, errors="replace"), source))
    if _looks_utf16(data[:4096]):
        return Decoded(_normalised(data.decode("utf-16-le" if data[1:2] == b"\x00" else "utf-16-be", errors="replace"), source))
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        if b"\x00" not in data[:8192] and not data.startswith(b"%PDF"):
            text = data.decode("cp1252", errors="replace")
            if text.count("\ufffd") <= max(10, len(text) // 50):
                return Decoded(_normalised(text, source), (LATIN1_WARNING,))
    return Decoded(decode(data, source))


def _looks_utf16(head: bytes) -> bool:
    """Text in UTF-16 without a byte-order mark: every other byte NUL (ASCII letters)."""
    if len(head) < 16:
        return False
    even, odd = head[0::2], head[1::2]
    return (even.count(0) > 0.8 * len(even)) != (odd.count(0) > 0.8 * len(odd))


def _normalised(text: str, source: str | None) -> str:
    """Through the pipeline's own checks (empty, binary), as UTF-8."""
    return decode(text.encode("utf-8", errors="replace"), source)


def read_input(item: Input) -> Decoded:
    """The text of one input; an unreadable one raises a typed error that says what to do."""
    if item.path is None:
        return decode_bytes(sys.stdin.buffer.read(), STDIN)
    if item.pages:  # the page images of one filing (form4.run.page_images)
        return read_pages(item)
    return decode_bytes(_file_bytes(item), item.source)


def read_pages(item: Input) -> Decoded:
    """The text of several page images of one filing, OCR'd in page order, as one text."""
    from ..io.inputs import read_page_images, source_with

    pages = [(page.name, _file_bytes(replace(item, path=page, source=str(page)))) for page in item.pages]
    reading = read_page_images(pages, item.source)
    if not reading.text.strip():
        raise BinaryInputError(f"no text was found in them ({reading.how}); check that the pages show a filing", item.source)
    return Decoded(reading.text.replace("\r\n", "\n"), (), source_with(item.source, reading.how))


def _file_bytes(item: Input) -> bytes:
    """The bytes of one input file; an unreadable one raises a typed error that says what to do."""
    assert item.path is not None
    if item.path.is_symlink() and not item.path.exists():
        raise InputNotFoundError("a dangling symbolic link (its target does not exist); fix or remove the link", item.source)
    if not item.path.exists():
        raise InputNotFoundError("no such file or directory; check the path", item.source)
    try:
        data = _read_confined(item)
    except PermissionError:
        raise InputUnreadableError("permission denied; make the file readable (chmod +r) or skip it", item.source) from None
    except IsADirectoryError:
        raise InputUnreadableError("a directory where a file was expected; pass the directory itself", item.source) from None
    except OSError as err:
        raise InputUnreadableError(f"cannot read the file ({err.strerror or err}); check the disk or the path", item.source) from None
    return data


def _read_confined(item: Input) -> bytes:
    """The input's bytes; a link that leads out of the folder it was found in is refused (E026)."""
    assert item.path is not None
    if item.confined_to is None:
        return item.path.read_bytes()
    real, folder = os.path.realpath(item.path), os.path.realpath(item.confined_to)
    if os.path.commonpath([real, folder]) != folder:
        raise LinkOutsideError("a symbolic link that leads out of the input folder (not followed); "
                               "pass --follow-links to read it, or copy the file in", item.source)
    handle = os.open(real, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(handle, "rb") as stream:
        return stream.read()



# ---------------------------------------------------------------- one input
def extract_input(settings: Extractor, item: Input, texts: list[ReadText] | None = None) -> list[Record] | Form4Error:
    """Read and extract one input (every filing it holds); any exception becomes a typed error.
    ``texts``, when given, receives the text each record was read from."""
    try:
        decoded = read_input(item)
        return extract_decoded(settings, decoded, printable(decoded.source or item.source), texts)
    except Form4Error as err:
        err.source = err.source or item.source
        return err
    except Exception as err:  # noqa: BLE001  (one input never costs the others)
        return internal_error(err, item.source)


class Extracted(NamedTuple):
    """An input's records and the text each was read from (what the review page shows)."""

    records: list[Record]
    texts: list[ReadText]


def extract_input_with_texts(settings: Extractor, item: Input) -> Extracted | Form4Error:
    """:func:`extract_input`, with the text of each record (read once, in the worker)."""
    texts: list[ReadText] = []
    out = extract_input(settings, item, texts)
    return out if isinstance(out, Form4Error) else Extracted(out, texts)


def extract_decoded(settings: Extractor, decoded: Decoded, source: str, texts: list[ReadText] | None = None) -> list[Record]:
    """The records of every filing in one decoded text (``source#2`` ... after the first); the
    copies of the form that continue a filing are read into its record. ``texts``, when given,
    receives the text each record was read from and where its values were found in it."""
    read: Callable[..., Record] = settings
    if texts is not None:
        def read(text: str, named: str, **options) -> Record:
            trace: dict = {}
            record = settings(text, named, trace=trace, **options)
            provenance = trace.get("provenance")
            texts.append(ReadText(text, provenance.spans() if provenance is not None else {}))
            return record
    records, unread = read_filings(decoded.text, source, read)
    for n, record in enumerate(records, 1):
        notes = decoded.warnings + ((f"the text holds {len(records)} filings; this is filing {n}",) if len(records) > 1 else ())
        if notes:
            records[n - 1] = record.model_copy(update={"warnings": record.warnings + notes})
    if unread:
        records[0] = records[0].model_copy(update={"warnings": records[0].warnings + tuple(unread)})
    return records


def run_batch(
    items: list[Input],
    extract: Extractor = RULES_ONLY,
    progress: Callable[[Iterable[Input]], Iterator[Input]] | None = None,
    workers: int = 1,
    timeout: float | None = None,
    on_done: Callable[[Input, list[Record] | Form4Error], Form4Error | None] | None = None,
    skip: Callable[[Input], bool] | None = None,
    keep_texts: bool = False,
) -> BatchResult:
    """Extract every input; a bad one is recorded and the rest go on.

    With ``workers`` > 1 or a ``timeout``, inputs go to that many worker processes (each reads
    and decodes its own files). ``on_done(item, records or error)`` runs in this process as each
    input finishes (writing its output; an error it returns makes the input a failure); ``skip(item)`` true leaves an input out (``--resume``).
    Records come back in input order whatever order they finished in. Ctrl-C stops the batch:
    what finished is kept, and ``interrupted`` is set. ``keep_texts`` keeps the text each record
    was read from in ``result.texts`` (by source), for the review page.
    """
    result = BatchResult()
    todo = []
    for item in items:
        (result.skipped if skip and skip(item) else todo).append(item)
    outcomes: dict[int, list[Record] | Form4Error] = {}
    order = {id(item): n for n, item in enumerate(todo)}
    try:
        work = extract_input_with_texts if keep_texts else extract_input
        for item, out in _outcomes(todo, extract, workers, timeout, progress, work):
            if isinstance(out, Extracted):
                result.texts[item.source], out = out.texts, out.records
            if isinstance(out, Form4Error):
                out.source = out.source or item.source
            if on_done:
                out = on_done(item, out) or out
            outcomes[order[id(item)]] = out
    except KeyboardInterrupt:
        result.interrupted = True
    for n in sorted(outcomes):
        out = outcomes[n]
        if isinstance(out, Form4Error):
            result.failures.append((todo[n], out))
        else:
            result.records.extend((todo[n], record) for record in out)
    return result


def _outcomes(todo, extract, workers, timeout, progress, work=extract_input) -> Iterator[tuple[Input, Any]]:
    if workers <= 1 and not timeout:
        ticks = progress(todo) if progress else iter(todo)
        try:
            for item in ticks:
                yield item, work(extract, item)
        finally:
            getattr(ticks, "close", lambda: None)()
        return
    stdin = [item for item in todo if item.path is None]
    for item in stdin:  # a worker cannot read the parent's stdin: read it here
        yield item, work(extract, item)
    files = [item for item in todo if item.path is not None]
    ticks = progress(iter(files)) if progress else iter(())
    next(ticks, None)  # the bar counts an input when the next is asked for: each later tick is one finished
    try:
        with WorkerPool(work, extract, min(workers, max(1, len(files))), timeout) as pool:
            for item, out, _ in pool.imap_unordered(files):
                next(ticks, None)
                yield item, out
    finally:
        getattr(ticks, "close", lambda: None)()  # the bar stops drawing (Ctrl-C too) before the summary


# ---------------------------------------------------------------- the extract command
@dataclass
class ExtractJob:
    """What `form4 extract` was asked: inputs, format, destination and how to run."""

    items: list[Input]
    fmt: str
    output: str | None
    several: bool
    workers: int = 1
    timeout: float | None = None
    resume: bool = False
    chains: Path | None = None  # where to write the holding chains table (CSV, or Parquet by its suffix)
    check_chains: bool = True  # check the records' holding chains across the batch (form4.run.chains)
    csv_raw: bool = False
    keep_texts: bool = False  # each record's text, for the review page


def run_extract(
    job: ExtractJob,
    settings: Extractor = RULES_ONLY,
    progress: Callable[[Iterable[Input]], Iterator[Input]] | None = None,
    report: Callable[[Form4Error], None] | None = None,
) -> BatchResult:
    """Extract a batch, writing each output as it finishes; ``report`` each failure as it happens.

    Raises a typed error (before any extraction) when the output cannot be written.
    """
    dest = Destination(job.output, job.fmt, job.items, job.several, job.csv_raw)
    dest.check()
    if job.resume and not dest.per_input:
        raise OptionError("--resume needs one output per input; give --output DIR/ (with the slash)", job.output)

    def done(item: Input, out: list[Record] | Form4Error) -> Form4Error | None:
        if not isinstance(out, Form4Error):
            try:
                dest.write_one(item, out)
                return None
            except OutputError as err:
                out = OutputError(f"cannot write its output: {err} ({err.source})", item.source)
            except OSError as err:
                out = OutputError(f"cannot write {dest.path_of(item)} ({err.strerror or err}); free space or fix the output directory", item.source)
        if report:
            report(out)
        return out

    result = run_batch(job.items, settings, progress, job.workers, job.timeout, on_done=done, skip=dest.is_done if job.resume else None, keep_texts=job.keep_texts)
    if not result.interrupted:
        try:
            if job.check_chains:
                _link_chains(job, dest, result)
            dest.write_all([record for _, record in result.records])
        except OSError as err:
            raise OutputError(f"cannot write the output ({err.strerror or err}); choose a writable --output", job.output) from None
    return result


def _link_chains(job: ExtractJob, dest: Destination, result: BatchResult) -> None:
    """The second pass: holding chains across the batch; changed per-input outputs written again."""
    from .chain_outputs import link_batch, read_back, write_chains_table

    kept = read_back(result.skipped, dest.path_of, job.fmt) if dest.per_input else []
    rows, _ = link_batch(result, kept, rewrite=dest.write_one if dest.per_input else None)
    if job.chains is not None:
        write_chains_table(rows, Path(job.chains), job.csv_raw)
