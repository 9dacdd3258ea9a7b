"""``form4 extract --report``: a review page per filing, from the text the worker read.

The pages are made from the text each record was read from in its worker (``keep_texts``): no
input is read or OCR'd again, outside the worker's time and memory limits. They are named as
the outputs are (:func:`form4.run.outputs.output_names`: two inputs never share a page) with
``#2``, ``#3`` ... for the further filings of one text, and written below the folder
``--report`` names without following a link (:func:`form4.run.confine.write_confined`). A page
that cannot be made or written is one line; the other pages are written all the same.
"""

from __future__ import annotations

import os
from pathlib import Path

import typer

from ..errors import Form4Error, OutputError
from ..run.confine import write_confined
from ..run.items import BatchResult, Input
from ..run.outputs import output_names, part_name
from ..run.workers import internal_error
from ..safe_text import NAME_LIMIT, escaped
from .app import log


def page_paths(result: BatchResult, report: Path, several: bool) -> list[tuple[Input, int, Path, Path]]:
    """(input, filing number, folder, name below it) of every review page: ``report`` itself for
    one input's filing, else ``report/<the input's output name>.html``."""
    counts: dict[Input, int] = {}
    for item, _ in result.records:
        counts[item] = counts.get(item, 0) + 1
    in_folder = several or report.is_dir() or str(report).endswith(("/", os.sep))
    names = output_names(list(counts), "html") if in_folder else {}
    pages = []
    for item, count in counts.items():
        for n in range(1, count + 1):
            if in_folder:
                pages.append((item, n, report, part_name(names[item.source], n)))
            else:
                pages.append((item, n, report.parent, part_name(Path(report.name), n)))
    return pages


def write_reports(result: BatchResult, report: Path, several: bool, settings=None, threshold: float | None = None) -> int:
    """Write every filing's review page; the number of pages that could not be written. The page's
    threshold is the one the records' ``review`` lists were made with (the calibrator's, else
    ``threshold``, else the page's default)."""
    from ..io.review import DEFAULT_THRESHOLD, render

    calibrator = getattr(settings, "calibrator", None)
    shown = calibrator.review_threshold if calibrator is not None else (threshold if threshold is not None else DEFAULT_THRESHOLD)
    goal = calibrator.goal if calibrator is not None and threshold is None else ("given on the command line" if threshold is not None else None)
    records: dict[Input, list] = {}
    for item, record in result.records:
        records.setdefault(item, []).append(record)
    failed = 0
    for item, n, folder, name in page_paths(result, report, several):
        record = records[item][n - 1]
        try:
            text, spans = result.texts[item.source][n - 1]
            page = render(record, text, shown, title=escaped(record.source or item.source, NAME_LIMIT), spans=spans, goal=goal)
            written = write_confined(folder, name, page)
        except Form4Error as err:
            log.error(OutputError(f"no review page: {err} ({err.source or folder / name})", item.source).one_line())
        except OSError as err:
            log.error(OutputError(f"cannot write the review page {folder / name} ({err.strerror or err}); choose a writable --report",
                                  item.source).one_line())
        except Exception as err:  # noqa: BLE001  (one page never costs the others)
            log.error(internal_error(err, item.source).one_line())
        else:
            typer.echo(f"review page: {escaped(written, NAME_LIMIT)}", err=True)
            continue
        failed += 1
    return failed
