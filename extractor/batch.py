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

import json
import logging
import multiprocessing
import os
import re
import signal
import sys
import time
from dataclasses import dataclass, field, replace
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, NamedTuple

from .errors import (
    BinaryInputError,
    Form4Error,
    OptionError,
    InputNotFoundError,
    InputUnreadableError,
    InternalError,
    OutputError,
    TimeoutExceededError,
    WorkerDiedError,
)
from .pipeline import RULES_ONLY, Extractor, decode
from .schema import Record

log = logging.getLogger(__name__)

STDIN = "-"
#: Per-input time limit of `form4 extract` (seconds). Measured: the slowest of the 1,125 dev texts
#: takes 1.6 s with the model; hostile inputs the time limit exists for take minutes.
DEFAULT_TIMEOUT = 60.0


@dataclass(frozen=True)
class Input:
    """One filing to read: a path (or stdin) and its name relative to what the user gave."""

    path: Path | None  # None for stdin
    relative: Path
    source: str


@dataclass
class BatchResult:
    records: list[tuple[Input, Record]] = field(default_factory=list)
    failures: list[tuple[Input, Form4Error]] = field(default_factory=list)
    skipped: list[Input] = field(default_factory=list)
    interrupted: bool = False

    def summary(self) -> dict[str, Any]:
        """Done, failed (by code), skipped: what the end-of-batch line and ``--summary`` report."""
        codes: dict[str, int] = {}
        for _, err in self.failures:
            codes[err.code] = codes.get(err.code, 0) + 1
        return {
            "done": len({item.source for item, _ in self.records}),
            "records": len(self.records),
            "failed": len(self.failures),
            "failed_by_code": dict(sorted(codes.items())),
            "skipped": len(self.skipped),
            "interrupted": self.interrupted,
            "failures": [{"source": item.source, "code": err.code, "error": err.one_line()} for item, err in self.failures],
        }


def summary_line(summary: dict[str, Any]) -> str:
    """One line for stderr at the end of a batch.

    >>> summary_line({"done": 3, "failed": 2, "failed_by_code": {"E001": 1, "E021": 1}, "skipped": 1, "interrupted": False})
    '3 done, 2 failed (E001: 1, E021: 1), 1 skipped'
    """
    codes = ", ".join(f"{code}: {n}" for code, n in summary["failed_by_code"].items())
    line = f"{summary['done']} done, {summary['failed']} failed" + (f" ({codes})" if codes else "") + f", {summary['skipped']} skipped"
    return line + (" (interrupted)" if summary["interrupted"] else "")


# ---------------------------------------------------------------- inputs
def collect_inputs(args: Iterable[str]) -> list[Input]:
    """Files, directories (recursive, hidden files skipped) and ``-`` for stdin; each file once.

    A dangling symlink in a directory is kept, to be reported as a failure, never skipped silently.
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
        for child, rel in found:
            key = os.path.abspath(child)
            if key not in seen:
                seen.add(key)
                out.append(Input(child, rel, str(child)))
    return out


class Decoded(NamedTuple):
    text: str
    warnings: tuple[str, ...] = ()
    source: str | None = None  # a PDF's or image's source, naming how it was read (form4.inputs)


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
LATIN1_WARNING = "the input is not UTF-8; read it as Windows-1252 (Latin-1), check accented names"


def decode_bytes(data: bytes, source: str | None = None) -> Decoded:
    """Bytes -> text: UTF-8, or the encoding a byte-order mark names (UTF-16/32), or UTF-16 without
    one; text that is not UTF-8 but reads as Windows-1252 is taken with a warning.

    >>> decode_bytes("Müller".encode("utf-16")).text, decode_bytes("Müller".encode("latin-1") + b" filed")
    ('Müller', Decoded(text='Müller filed', warnings=('the input is not UTF-8; read it as Windows-1252 (Latin-1), check accented names',), source=None))
    """
    from .inputs import read_document, source_with

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
    if item.path.is_symlink() and not item.path.exists():
        raise InputNotFoundError("a dangling symbolic link (its target does not exist); fix or remove the link", item.source)
    if not item.path.exists():
        raise InputNotFoundError("no such file or directory; check the path", item.source)
    try:
        data = item.path.read_bytes()
    except PermissionError:
        raise InputUnreadableError("permission denied; make the file readable (chmod +r) or skip it", item.source) from None
    except IsADirectoryError:
        raise InputUnreadableError("a directory where a file was expected; pass the directory itself", item.source) from None
    except OSError as err:
        raise InputUnreadableError(f"cannot read the file ({err.strerror or err}); check the disk or the path", item.source) from None
    return decode_bytes(data, item.source)


# ---------------------------------------------------------------- several filings in one text
#: A filing ends with its signature block; a second filing starts at the first of these lines
#: after it, when a "Name and Address of Reporting Person" follows (a second box 1).
_SIGNATURE_LINE = re.compile(r"Signature\s+of\s+Reporting\s+Person", re.I)
_FILING_START = re.compile(
    r"UNITED\s+STATES\s+SECURITIES\s+AND\s+EXCHANGE|^\W*FORM\s+4\W*$|Check\s+this\s+box\s+if\s+no\s+longer"
    r"|Name\s+and\s+Address\s+of\s+Reporting",
    re.I,
)
_BOX1 = re.compile(r"Name\s+and\s+Address\s+of\s+Reporting", re.I)


def split_filings(text: str) -> list[str]:
    """The filings in one text: cut where a new form starts after a signature block (linear in the text).

    >>> one = "FORM 4\\n1. Name and Address of Reporting Person* Roe Jane\\n** Signature of Reporting Person Date\\n"
    >>> [part.splitlines() for part in split_filings(one + "Reminder: ...\\n" + one)][1][0], len(split_filings(one))
    ('FORM 4', 1)
    """
    cuts, signed, offset = [0], False, 0
    for line in text.splitlines(keepends=True):
        if _SIGNATURE_LINE.search(line[:2000]):
            signed = True
        elif signed and _FILING_START.search(line[:2000]) and _BOX1.search(text, offset, offset + 20000):
            cuts.append(offset)
            signed = False
        offset += len(line)
    return [text[a:b] for a, b in zip(cuts, cuts[1:] + [len(text)])]


# ---------------------------------------------------------------- one input
def extract_input(settings: Extractor, item: Input) -> list[Record] | Form4Error:
    """Read and extract one input (every filing it holds); any exception becomes a typed error."""
    try:
        decoded = read_input(item)
        return extract_decoded(settings, decoded, decoded.source or item.source)
    except Form4Error as err:
        err.source = err.source or item.source
        return err
    except Exception as err:  # noqa: BLE001  (one input never costs the others)
        return internal_error(err, item.source)


def extract_decoded(settings: Extractor, decoded: Decoded, source: str) -> list[Record]:
    """The records of every filing in one decoded text (``source#2`` ... after the first)."""
    parts = split_filings(decoded.text)
    records, unread = [], []
    for n, part in enumerate(parts, 1):
        try:
            record = settings(part, source if n == 1 else f"{source}#{n}")
        except Form4Error as err:
            if n == 1:
                raise
            unread.append(f"filing {n} of the text was not read: {' '.join(str(err).split())}")
            continue
        notes = decoded.warnings + ((f"the text holds {len(parts)} filings; this is filing {n}",) if len(parts) > 1 else ())
        if notes:
            record = record.model_copy(update={"warnings": record.warnings + notes})
        records.append(record)
    if unread:
        records[0] = records[0].model_copy(update={"warnings": records[0].warnings + tuple(unread)})
    return records


def internal_error(err: BaseException, source: str | None) -> InternalError:
    first = (str(err).strip().splitlines() or [""])[0][:300]
    return InternalError(f"{type(err).__name__}: {first}; please report it with this input", source)


# ---------------------------------------------------------------- worker processes
def _portable(settings: Any) -> Any:
    """Settings to pickle for a spawned worker: the model goes as its directory, loaded there."""
    if isinstance(settings, Extractor) and settings.nlp is not None:
        return replace(settings, nlp=None)
    return settings


def _restore(settings: Any) -> Any:
    if isinstance(settings, Extractor) and settings.nlp is None and settings.model_dir:
        from .model import load

        return replace(settings, nlp=load(settings.model_dir))
    return settings


def _die_with_parent() -> None:
    """A worker ends when the batch process that started it dies, even by SIGKILL (Linux's
    PR_SET_PDEATHSIG): a forked worker holds copies of its siblings' pipes, so it would not see
    their end, and an orphan would keep the batch's output pipes open."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the pipe's end still stops an idle worker
        pass


def _worker_main(conn, work: Callable[[Any, Any], Any], settings: Any) -> None:
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what an interrupt stops
    _one_thread_each()
    settings = _restore(settings)  # forked: the parent's own object, model loaded; spawned: loads it
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        try:
            out = work(settings, job)
        except BaseException as err:  # noqa: BLE001
            out = internal_error(err, None)
        conn.send(out)


def _one_thread_each() -> None:
    """One BLAS thread per worker: the workers are the parallelism (threads on top oversubscribe the cores)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover
        return
    threadpool_limits(1)


class _Worker:
    def __init__(self, ctx, work, settings) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, work, settings), daemon=True)
        self.process.start()
        child.close()
        self.job: Any = None
        self.started = 0.0

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


class WorkerPool:
    """Worker processes that run ``work(settings, job)``, one job each at a time, and can be killed.

    ``concurrent.futures`` cannot stop a running task; here a job over ``timeout`` seconds costs
    its worker (killed and replaced) and comes back as ``TimeoutExceededError``; a worker that
    dies (out of memory) gives ``WorkerDiedError``. On Linux workers are forked after the model
    is loaded, so they share it instead of loading it again.
    """

    def __init__(self, work: Callable[[Any, Any], Any], settings: Any, workers: int = 2, timeout: float | None = None) -> None:
        methods = multiprocessing.get_all_start_methods()
        self._ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        # a forked worker gets the settings object itself (no pickling: the loaded model comes along)
        self._settings = settings if self._ctx.get_start_method() == "fork" else _portable(settings)
        self._work, self._n, self.timeout = work, max(1, workers), timeout
        self._workers: list[_Worker] = []

    def __enter__(self) -> "WorkerPool":
        self._workers = [self._spawn() for _ in range(self._n)]
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _spawn(self) -> _Worker:
        return _Worker(self._ctx, self._work, self._settings)

    def close(self) -> None:
        for worker in self._workers:
            if worker.process.is_alive() and worker.job is None:
                try:
                    worker.conn.send(None)
                except OSError:
                    pass
        for worker in self._workers:
            worker.process.join(timeout=1 if worker.job is None else 0)
            worker.stop()
        self._workers = []

    def imap_unordered(self, jobs: Iterable[Any]) -> Iterator[tuple[Any, Any, float]]:
        """(job, result, seconds) as each finishes."""
        pending = iter(jobs)
        exhausted = False
        while True:
            for i, worker in enumerate(self._workers):
                if worker.job is None and not exhausted:
                    job = next(pending, _END)
                    if job is _END:
                        exhausted = True
                        break
                    worker = self._assign(i, job)
            busy = [w for w in self._workers if w.job is not None]
            if not busy:
                return
            ready = wait([w.conn for w in busy], timeout=self._wait_time(busy))
            now = time.perf_counter()
            for i, worker in enumerate(self._workers):
                if worker.job is None:
                    continue
                if worker.conn in ready:
                    yield self._collect(i, worker, now)
                elif self.timeout and now - worker.started > self.timeout:
                    yield self._expire(i, worker, now)

    def _assign(self, i: int, job: Any) -> _Worker:
        worker = self._workers[i]
        try:
            worker.conn.send(job)
        except (BrokenPipeError, OSError):
            worker.stop()
            worker = self._workers[i] = self._spawn()
            worker.conn.send(job)
        worker.job, worker.started = job, time.perf_counter()
        return worker

    def _wait_time(self, busy: list[_Worker]) -> float | None:
        if not self.timeout:
            return None
        return max(0.0, min(w.started + self.timeout for w in busy) - time.perf_counter()) + 0.01

    def _collect(self, i: int, worker: _Worker, now: float) -> tuple[Any, Any, float]:
        job, worker.job = worker.job, None
        try:
            return job, worker.conn.recv(), now - worker.started
        except (EOFError, OSError):
            code = worker.process.exitcode
            worker.stop()
            self._workers[i] = self._spawn()
            why = f"killed by signal {-code}" if code and code < 0 else f"exit code {code}"
            return job, WorkerDiedError(f"the worker process died ({why}; often out of memory); split the file or give it more memory"), now - worker.started

    def _expire(self, i: int, worker: _Worker, now: float) -> tuple[Any, Any, float]:
        job, worker.job = worker.job, None
        worker.stop()
        self._workers[i] = self._spawn()
        err = TimeoutExceededError(f"took over {self.timeout:g} s; stopped (raise --timeout, or check the file is one filing)")
        return job, err, now - worker.started


_END = object()


def run_batch(
    items: list[Input],
    extract: Extractor = RULES_ONLY,
    progress: Callable[[Iterable[Input]], Iterator[Input]] | None = None,
    workers: int = 1,
    timeout: float | None = None,
    on_done: Callable[[Input, list[Record] | Form4Error], Form4Error | None] | None = None,
    skip: Callable[[Input], bool] | None = None,
) -> BatchResult:
    """Extract every input; a bad one is recorded and the rest go on.

    With ``workers`` > 1 or a ``timeout``, inputs go to that many worker processes (each reads
    and decodes its own files). ``on_done(item, records or error)`` runs in this process as each
    input finishes (writing its output; an error it returns makes the input a failure); ``skip(item)`` true leaves an input out (``--resume``).
    Records come back in input order whatever order they finished in. Ctrl-C stops the batch:
    what finished is kept, and ``interrupted`` is set.
    """
    result = BatchResult()
    todo = []
    for item in items:
        (result.skipped if skip and skip(item) else todo).append(item)
    outcomes: dict[int, list[Record] | Form4Error] = {}
    order = {id(item): n for n, item in enumerate(todo)}
    try:
        for item, out in _outcomes(todo, extract, workers, timeout, progress):
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


def _outcomes(todo, extract, workers, timeout, progress) -> Iterator[tuple[Input, list[Record] | Form4Error]]:
    if workers <= 1 and not timeout:
        for item in progress(todo) if progress else todo:
            yield item, extract_input(extract, item)
        return
    stdin = [item for item in todo if item.path is None]
    for item in stdin:  # a worker cannot read the parent's stdin: read it here
        yield item, extract_input(extract, item)
    files = [item for item in todo if item.path is not None]
    with WorkerPool(extract_input, extract, min(workers, max(1, len(files))), timeout) as pool:
        done = pool.imap_unordered(files)
        ticks = progress(iter(files)) if progress else None
        for item, out, _ in done:
            if ticks is not None:
                next(ticks, None)
            yield item, out


# ---------------------------------------------------------------- output names and writing
EXTENSIONS = {"json": ".json", "jsonl": ".jsonl", "xml": ".xml", "csv": ".csv", "parquet": ".parquet"}


def output_names(items: list[Input], fmt: str) -> dict[str, Path]:
    """Output path (relative to the output directory) of each input, by source; never two alike.

    The input's tree is kept and its extension swapped (``d1/a.txt`` -> ``d1/a.json``, as before);
    inputs that would then share a name keep their extension (``a.txt.json``, ``a.text.json``),
    those still alike (the same name under two arguments) get the argument's folder name first
    (``d1/x.txt.json``, ``d2/x.txt.json``), and any still alike the whole path as given.

    >>> files = ["d1/x.txt", "d2/x.text", "y.txt", "d3/y.txt"]
    >>> items = [Input(Path(p), Path(Path(p).name), p) for p in files]
    >>> [str(output_names(items, "json")[p]) for p in files]
    ['x.txt.json', 'x.text.json', 'y.txt.json', 'd3/y.txt.json']
    """
    ext = EXTENSIONS[fmt]
    names = {item.source: item.relative.with_suffix(ext) if item.relative.suffix else item.relative.with_name(item.relative.name + ext) for item in items}
    with_ext = lambda item: item.relative.with_name(item.relative.name + ext)  # noqa: E731
    for rule in (with_ext, lambda item: _root_name(item) / with_ext(item), lambda item: _as_given(item.source, ext)):
        clash = _clashing(names)
        for item in items:
            if names[item.source] in clash:
                names[item.source] = rule(item)
    seen: dict[Path, int] = {}
    for item in items:  # alike still ("/d/a.txt" and "d/a.txt"): numbered in input order
        name = names[item.source]
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1 or name in _clashing(names):
            names[item.source] = name.with_name(f"{name.stem}~{seen[name]}{name.suffix}")
    return names


def _clashing(names: dict[str, Path]) -> set[Path]:
    seen: dict[Path, int] = {}
    for path in names.values():
        seen[path] = seen.get(path, 0) + 1
    return {path for path, n in seen.items() if n > 1}


def _root_name(item: Input) -> Path:
    """The name of the folder the input was found under (its argument's, or its own folder)."""
    root = Path(item.source).parents[len(item.relative.parts) - 1] if item.path is not None else Path("stdin")
    return Path(root.name if root.name not in ("", ".", "..") else "")


def _as_given(source: str, ext: str) -> Path:
    parts = [("__" if part == ".." else part) for part in Path(source).parts if part not in ("/", ".")]
    return Path(*parts).with_name(parts[-1] + ext) if parts else Path("stdin" + ext)


def part_name(path: Path, n: int) -> Path:
    """The output of the n-th filing of a text that holds several: ``a.json``, ``a#2.json`` ..."""
    return path if n == 1 else path.with_name(f"{path.stem}#{n}{path.suffix}")


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory and a rename:
    a reader (or an interrupted run) sees the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def is_complete(path: Path, fmt: str) -> bool:
    """An output that exists and parses (a run before atomic writes could leave a part)."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    try:
        if fmt == "json":
            json.loads(data)
        elif fmt == "xml":
            from xml.dom.minidom import parseString

            parseString(data)
        else:
            return bool(data)
    except Exception:  # noqa: BLE001
        return False
    return True


def transaction_table(records: Iterable[Record]):
    """All table rows of all records as one typed pandas DataFrame (``form4.tabular``'s fixed columns)."""
    from .tabular import table

    return table(records)


def render(records: list[Record], fmt: str, array: bool | None = None) -> str | bytes:
    """Records in one format; ``array`` (default: several records) makes JSON an array."""
    if fmt == "json":
        if not (len(records) > 1 if array is None else array):
            return records[0].to_json() + "\n"
        return json.dumps([r.to_json_dict() for r in records], indent=2, ensure_ascii=False) + "\n"
    if fmt == "jsonl":
        return "".join(r.to_json(indent=None) + "\n" for r in records)
    if fmt == "xml":
        from .xml_writer import to_xml

        return "\n".join(to_xml(r) for r in records) + "\n"
    if fmt == "csv":
        from .tabular import to_csv

        return to_csv(records)
    if fmt == "parquet":
        from .tabular import to_parquet

        return to_parquet(records)
    raise ValueError(f"unknown format {fmt!r}")


class Destination:
    """Where records go: stdout, one file, or one file per input under a directory.

    ``-o DIR/`` (a trailing slash) or an existing directory: one file per input, written as each
    input finishes. ``-o FILE``: one file (a JSON array for several json records, JSONL, CSV,
    Parquet), written at the end. No ``-o``: stdout. XML is one document per file, so several
    XML records need a directory.
    """

    def __init__(self, output: Path | str | None, fmt: str, items: list[Input], several: bool) -> None:
        self.fmt, self.several = fmt, several
        text = str(output) if output is not None else None
        self.output = Path(text) if text is not None else None
        self.per_input = text is not None and (text.endswith(("/", os.sep)) or Path(text).is_dir())
        if fmt == "xml" and several and text is not None and not self.per_input:
            if Path(text).suffix:
                raise OutputError(f"several XML records cannot share one file; give a directory: --output {Path(text).with_suffix('')}/", text)
            self.per_input = True
        self.names = output_names(items, fmt) if self.per_input else {}
        self.array = several

    def check(self) -> None:
        """Fail early, with one line, when the output cannot be written."""
        if self.output is None:
            return
        target = self.output if self.per_input else self.output.parent
        if self.per_input and self.output.exists() and not self.output.is_dir():
            raise OutputError("is a file, not a directory; give a directory for one output per input (or a new file name)", str(self.output))
        if not self.per_input and self.output.is_dir():
            raise OutputError("is a directory; give a file name, or end it with / for one file per input", str(self.output))
        try:
            target.mkdir(parents=True, exist_ok=True)
            probe = target / f".form4-write-test.{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as err:
            raise OutputError(f"cannot write there ({err.strerror or err}); choose a writable --output", str(target)) from None

    def path_of(self, item: Input) -> Path | None:
        return self.output / self.names[item.source] if self.per_input and self.output else None

    def is_done(self, item: Input) -> bool:
        """For ``--resume``: the input's output exists and is complete (its first filing is written last)."""
        path = self.path_of(item)
        return path is not None and is_complete(path, self.fmt)

    def write_one(self, item: Input, records: list[Record] | Form4Error) -> None:
        """Write one input's records as it finishes (per-input mode only)."""
        path = self.path_of(item)
        if path is None or isinstance(records, Form4Error):
            return
        for n in range(len(records), 0, -1):  # the first filing last: its file marks the input complete
            write_atomic(part_name(path, n), render([records[n - 1]], self.fmt, array=False))

    def write_all(self, records: list[Record]) -> None:
        """Write the batch's records to stdout or one file (not in per-input mode)."""
        if self.per_input:
            return
        if self.output is None:
            if not records:
                return
            data = render(records, self.fmt, array=self.array)
            if isinstance(data, bytes):
                sys.stdout.buffer.write(data)
            else:
                sys.stdout.write(data)
            sys.stdout.flush()
            return
        if records or self.fmt in ("json", "jsonl"):
            write_atomic(self.output, render(records, self.fmt, array=self.array) if records else ("[]\n" if self.fmt == "json" else ""))


def write_outputs(result: BatchResult, fmt: str, output: Path | None, several: bool) -> list[Path]:
    """Write a finished batch's records; return the files written (none when printing to stdout)."""
    items = list(dict.fromkeys(item for item, _ in result.records))
    dest = Destination(output, fmt, items, several)
    dest.check()
    if not dest.per_input:
        dest.write_all([r for _, r in result.records])
        return [dest.output] if dest.output else []
    by_item: dict[Input, list[Record]] = {}
    for item, record in result.records:
        by_item.setdefault(item, []).append(record)
    written = []
    for item, records in by_item.items():
        dest.write_one(item, records)
        written.extend(part_name(dest.path_of(item), n) for n in range(1, len(records) + 1))
    return written


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


def run_extract(
    job: ExtractJob,
    settings: Extractor = RULES_ONLY,
    progress: Callable[[Iterable[Input]], Iterator[Input]] | None = None,
    report: Callable[[Form4Error], None] | None = None,
) -> BatchResult:
    """Extract a batch, writing each output as it finishes; ``report`` each failure as it happens.

    Raises a typed error (before any extraction) when the output cannot be written.
    """
    dest = Destination(job.output, job.fmt, job.items, job.several)
    dest.check()
    if job.resume and not dest.per_input:
        raise OptionError("--resume needs one output per input; give --output DIR/ (with the slash)", job.output)

    def done(item: Input, out: list[Record] | Form4Error) -> Form4Error | None:
        if not isinstance(out, Form4Error):
            try:
                dest.write_one(item, out)
                return None
            except OSError as err:
                out = OutputError(f"cannot write {dest.path_of(item)} ({err.strerror or err}); free space or fix the output directory", item.source)
        if report:
            report(out)
        return out

    result = run_batch(job.items, settings, progress, job.workers, job.timeout, on_done=done, skip=dest.is_done if job.resume else None)
    if not result.interrupted:
        try:
            dest.write_all([record for _, record in result.records])
        except OSError as err:
            raise OutputError(f"cannot write the output ({err.strerror or err}); choose a writable --output", job.output) from None
    return result
