"""Where a batch's records go: output names that never collide, files written atomically, the formats."""


from __future__ import annotations

from typing import TYPE_CHECKING

import json
import os
import sys
from pathlib import Path
from typing import Iterable

from ..errors import (
    Form4Error,
    OutputError,
)
from ..schema import Record
from .confine import is_regular_file, probe, write_atomic, write_confined

if TYPE_CHECKING:
    from .items import BatchResult, Input


EXTENSIONS = {"json": ".json", "jsonl": ".jsonl", "xml": ".xml", "csv": ".csv", "parquet": ".parquet", "html": ".html"}


def output_names(items: list[Input], fmt: str) -> dict[str, Path]:
    """Output path (relative to the output directory) of each input, by source; never two alike.

    The input's tree is kept and its extension swapped (``d1/a.txt`` -> ``d1/a.json``);
    inputs that would then share a name keep their extension (``a.txt.json``, ``a.text.json``),
    those still alike (the same name under two arguments) get the argument's folder name first
    (``d1/x.txt.json``, ``d2/x.txt.json``), and any still alike the whole path as given.

    >>> from form4.run.items import Input
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


def is_complete(path: Path, fmt: str) -> bool:
    """An output that exists and parses (a run before atomic writes could leave a part)."""
    if not is_regular_file(path):
        return False
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


def render(records: list[Record], fmt: str, array: bool | None = None, csv_raw: bool = False) -> str | bytes:
    """Records in one format; ``array`` (default: several records) makes JSON an array; ``csv_raw``
    leaves CSV cells that start like a formula as read (:func:`form4.io.tabular.to_csv`)."""
    if fmt == "json":
        if not (len(records) > 1 if array is None else array):
            return records[0].to_json() + "\n"
        return json.dumps([r.to_json_dict() for r in records], indent=2, ensure_ascii=False) + "\n"
    if fmt == "jsonl":
        return "".join(r.to_json(indent=None) + "\n" for r in records)
    if fmt == "xml":
        from ..io.xml_writer import to_xml

        return "\n".join(to_xml(r) for r in records) + "\n"
    if fmt == "csv":
        from ..io.tabular import to_csv

        return to_csv(records, raw=csv_raw)
    if fmt == "parquet":
        from ..io.tabular import to_parquet

        return to_parquet(records)
    raise ValueError(f"unknown format {fmt!r}")


class Destination:
    """Where records go: stdout, one file, or one file per input under a directory.

    ``-o DIR/`` (a trailing slash) or an existing directory: one file per input, written as each
    input finishes. ``-o FILE``: one file (a JSON array for several json records, JSONL, CSV,
    Parquet), written at the end. No ``-o``: stdout. XML is one document per file, so several
    XML records need a directory.
    """

    def __init__(self, output: Path | str | None, fmt: str, items: list[Input], several: bool, csv_raw: bool = False) -> None:
        self.fmt, self.several, self.csv_raw = fmt, several, csv_raw
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
        if not self.per_input and self.output.is_symlink():
            raise OutputError("is a symbolic link (not followed: outputs stay in the folder you named); remove the link", str(self.output))
        try:
            probe(target)
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
        assert self.output is not None
        for n in range(len(records), 0, -1):  # the first filing last: its file marks the input complete
            write_confined(self.output, part_name(self.names[item.source], n), render([records[n - 1]], self.fmt, array=False, csv_raw=self.csv_raw))

    def write_all(self, records: list[Record]) -> None:
        """Write the batch's records to stdout or one file (not in per-input mode)."""
        if self.per_input:
            return
        if self.output is None:
            if not records:
                return
            data = render(records, self.fmt, array=self.array, csv_raw=self.csv_raw)
            if isinstance(data, bytes):
                sys.stdout.buffer.write(data)
            else:
                sys.stdout.write(data)
            sys.stdout.flush()
            return
        if records or self.fmt in ("json", "jsonl"):
            write_atomic(self.output, render(records, self.fmt, array=self.array, csv_raw=self.csv_raw) if records else ("[]\n" if self.fmt == "json" else ""))


def write_outputs(result: BatchResult, fmt: str, output: Path | None, several: bool, csv_raw: bool = False) -> list[Path]:
    """Write a finished batch's records; return the files written (none when printing to stdout)."""
    items = list(dict.fromkeys(item for item, _ in result.records))
    dest = Destination(output, fmt, items, several, csv_raw)
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
