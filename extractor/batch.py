"""Batches: collect inputs, extract each, keep going past bad files, write outputs."""

from __future__ import annotations

import io
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .errors import Form4Error, InputNotFoundError
from .pipeline import RULES_ONLY, decode
from .schema import TABLES, Record

STDIN = "-"


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


def collect_inputs(args: Iterable[str]) -> list[Input]:
    """Files, directories (recursive, hidden files skipped) and ``-`` for stdin."""
    out: list[Input] = []
    for arg in args:
        if arg == STDIN:
            out.append(Input(None, Path("stdin.txt"), STDIN))
            continue
        path = Path(arg)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                rel = child.relative_to(path)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                out.append(Input(child, rel, str(child)))
        elif path.exists():
            out.append(Input(path, Path(path.name), str(path)))
        else:
            out.append(Input(path, Path(path.name), str(path)))  # reported as a failure
    return out


Extractor = Callable[[str, str], Record]


def read_input(item: Input) -> tuple[str, str]:
    """(text, source) of one input; PDFs and images are read by form4.inputs, their source naming how."""
    from .inputs import read_input_bytes

    if item.path is None:
        return read_input_bytes(sys.stdin.buffer.read(), STDIN)
    if not item.path.exists():
        raise InputNotFoundError("no such file or directory; check the path", item.source)
    return read_input_bytes(item.path.read_bytes(), item.source)


def run_batch(
    items: list[Input],
    extract: Extractor = RULES_ONLY,
    progress: Callable[[Iterable[Input]], Iterator[Input]] | None = None,
    workers: int = 1,
) -> BatchResult:
    """Extract every input; a bad one is recorded and the rest go on.

    With ``workers`` > 1 the filings are shared among that many processes, each
    loading the model once.
    """
    result = BatchResult()
    if workers > 1 and len(items) >= 4 * workers:
        return _run_parallel(items, extract, progress, workers)
    iterator = progress(items) if progress else iter(items)
    for item in iterator:
        try:
            text, source = read_input(item)
            result.records.append((item, extract(text, source)))
        except Form4Error as err:
            err.source = err.source or item.source
            result.failures.append((item, err))
    return result


_WORKER: Extractor | None = None


def _init_worker(model_dir: str | None, model_wins: frozenset[str]) -> None:
    global _WORKER
    from .pipeline import model_extractor

    _WORKER = model_extractor(model_dir) if model_dir else RULES_ONLY


def _work(job: tuple[str, str]) -> Record | Form4Error:
    source, text = job
    try:
        assert _WORKER is not None
        return _WORKER(text, source)
    except Form4Error as err:
        err.source = err.source or source
        return err


def _run_parallel(items: list[Input], extract: Extractor, progress, workers: int) -> BatchResult:
    from concurrent.futures import ProcessPoolExecutor

    result = BatchResult()
    readable: list[tuple[Input, tuple[str, str]]] = []
    for item in items:
        try:
            readable.append((item, read_input(item)))
        except Form4Error as err:
            err.source = err.source or item.source
            result.failures.append((item, err))
    model_dir = extract.model_dir if extract.nlp is not None else None
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(model_dir, extract.model_wins)) as pool:
        outputs = pool.map(_work, [(source, text) for _, (text, source) in readable], chunksize=4)
        ordered = [item for item, _ in readable]
        for item, out in zip(progress(ordered) if progress else ordered, outputs):
            if isinstance(out, Form4Error):
                result.failures.append((item, out))
            else:
                result.records.append((item, out))
    return result


# ---------------------------------------------------------------- writing
def transaction_table(records: Iterable[Record]):
    """All table rows of all records as one typed pandas DataFrame (``form4.tabular``'s fixed columns)."""
    from .tabular import table

    return table(records)


def render(records: list[Record], fmt: str) -> str | bytes:
    if fmt == "json":
        if len(records) == 1:
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


def write_outputs(result: BatchResult, fmt: str, output: Path | None, several: bool) -> list[Path]:
    """Write records; return the files written (none when printing to stdout)."""
    records = [r for _, r in result.records]
    if output is None:
        data = render(records, fmt)
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        return []
    if fmt in ("json", "xml") and (several or output.is_dir()):
        written = []
        for item, record in result.records:
            suffix = f".{fmt}"
            target = output / item.relative.with_suffix(suffix) if several else output / f"{item.relative.stem}{suffix}"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(str(render([record], fmt)), encoding="utf-8")
            written.append(target)
        return written
    output.parent.mkdir(parents=True, exist_ok=True)
    data = render(records, fmt)
    if isinstance(data, bytes):
        output.write_bytes(data)
    else:
        output.write_text(data, encoding="utf-8")
    return [output]
