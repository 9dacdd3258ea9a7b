"""Render Form 4 HTML to PDF with headless Chromium and flatten it with real converters.

The training corpus needs the same kinds of flattened text that the extractor sees in
production: ``pdftotext`` layouts, OCR output, generic PDF text extractors and
HTML-to-markdown conversions.  This package turns one HTML string into several such
texts:

* :mod:`.pdf` prints HTML to PDF (letter landscape, so the wide Table I / Table II fit)
  with headless Chromium (:func:`html_to_pdf`, :func:`htmls_to_pdfs`) and holds the
  converters that read the PDF's text layer; :mod:`.ocr` the OCR of the printed page and
  of a simulated scan of it; :mod:`.html` the converters that read the HTML.
* :mod:`.registry` declares every converter once (:data:`TABLE`): the corpus's and the
  ones people use that the corpus never used, each with a stable name, a family
  (:data:`FAMILIES`: ``text-layer``, ``markdown``, ``html-text``, ``ocr``, ``scan``), what
  it reads (the PDF or the HTML) and what it needs; :data:`REGISTRY` looks them up by
  name, :func:`select` by name, family or group (``all``, ``unseen``, ``corpus``),
  :func:`missing` says what a machine lacks for one. :data:`CONVERTERS` (``pdf -> str``)
  and :data:`HTML_CONVERTERS` (``html -> str``) hold the corpus build's converters
  (:data:`ALL_CONVERTERS`); their names and outputs are fixed, the committed corpus holds
  their texts.
* ``<ocr converter>-geometry`` (in :data:`CONVERTERS`; :mod:`.geometry`): an OCR converter's word
  boxes laid out by position, as the runtime reads a scan; derived from the boxes the OCR run
  kept beside the PDF, without running OCR again.
* :func:`flatten` makes the PDF once and runs the requested converters;
  :func:`flatten_batch` does that for many filings in a process pool.

Every converter returns text or raises :class:`ConverterError` carrying the failing
command's stderr.  Page breaks are form feeds (``\\f``) in every PDF converter.

What each converter costs and keeps of a page is measured in ``docs/converters.md``.
"""

from __future__ import annotations

import resource
import shutil
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .command import ConverterError
from .geometry import DERIVED_FROM, laid_out_boxes
from .pdf import CHROMIUM, html_to_pdf, htmls_to_pdfs
from .registry import ALL_CONVERTERS, CONVERTERS, FAMILIES, HTML_CONVERTERS, REGISTRY, TABLE, UNSEEN_CONVERTERS, Converter, missing, preload, select


__all__ = [
    "CONVERTERS",
    "HTML_CONVERTERS",
    "ALL_CONVERTERS",
    "Converter",
    "FAMILIES",
    "TABLE",
    "REGISTRY",
    "UNSEEN_CONVERTERS",
    "select",
    "missing",
    "preload",
    "ConverterError",
    "DERIVED_FROM",
    "html_to_pdf",
    "htmls_to_pdfs",
    "flatten",
    "flatten_batch",
]


# ------------------------------------------------------------------------ flatten


def _check_names(converters: Sequence[str]) -> None:
    """Raise ``KeyError`` naming any unknown converter."""
    unknown = [name for name in converters if name not in REGISTRY]
    if unknown:
        raise KeyError(f"unknown converter(s) {unknown}; known: {list(REGISTRY)}")


def _cpu_seconds() -> float:
    """CPU seconds used so far by this process and its finished children."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def flatten(
    html: str,
    workdir: Path,
    converters: Sequence[str] = ALL_CONVERTERS,
    *,
    timings: dict[str, float] | None = None,
    cpu: dict[str, float] | None = None,
    errors: dict[str, str] | None = None,
    pdf: Path | None = None,
) -> dict[str, str]:
    """Flatten ``html`` with each named converter (any name in :data:`REGISTRY`); the PDF
    is printed once (not at all if ``pdf``, ``html`` already printed, is given).

    ``workdir`` receives ``form4.html`` and ``form4.pdf``.  If ``timings`` is given it
    is filled with wall seconds per step (``chromium-pdf`` and one entry per converter),
    ``cpu`` likewise with CPU seconds (child processes included).  A converter that
    fails raises :class:`ConverterError`, unless ``errors`` is given: then its message
    is stored there and the other converters still run.
    """
    _check_names(converters)
    timings = {} if timings is None else timings
    cpu = {} if cpu is None else cpu
    workdir = Path(workdir)
    out: dict[str, str] = {}
    for name in converters:
        converter = REGISTRY[name]
        start, cpu_start = time.perf_counter(), _cpu_seconds()
        try:
            boxes = laid_out_boxes(pdf.parent if pdf else workdir, DERIVED_FROM[name]) if name in DERIVED_FROM else None
            if boxes is not None:  # the word boxes of an earlier OCR run: no PDF needed
                out[name] = boxes
            elif converter.reads == "pdf" and pdf is None:
                pdf = html_to_pdf(html, workdir / "form4.pdf")
                timings["chromium-pdf"], cpu["chromium-pdf"] = time.perf_counter() - start, _cpu_seconds() - cpu_start
                start, cpu_start = time.perf_counter(), _cpu_seconds()
            if boxes is None:
                out[name] = converter.run(html if converter.reads == "html" else pdf)
        except ConverterError as err:
            if errors is None:
                raise
            errors[name] = str(err)
        timings[name], cpu[name] = time.perf_counter() - start, _cpu_seconds() - cpu_start
    return out


def _flatten_job(job: tuple[str, Path, tuple[str, ...]]) -> tuple[dict[str, str], dict[str, float]]:
    """Process-pool entry point for :func:`flatten_batch`."""
    html, workdir, converters = job
    timings: dict[str, float] = {}
    return flatten(html, workdir, converters, timings=timings), timings


def flatten_batch(
    items: Iterable[tuple[str, Path]],
    converters: Sequence[str] = ALL_CONVERTERS,
    workers: int = 2,
) -> list[tuple[dict[str, str], dict[str, float]]]:
    """Flatten many ``(html, workdir)`` items in ``workers`` processes.

    Returns ``(texts, timings)`` per item, in input order.  Processes (not threads)
    because pypdf and pdfminer are pure Python.
    """
    _check_names(converters)
    jobs = [(html, Path(workdir), tuple(converters)) for html, workdir in items]
    if workers <= 1:
        return [_flatten_job(job) for job in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_flatten_job, jobs))


BINARIES: tuple[str, ...] = (CHROMIUM, "pdftotext", "pdftoppm", "tesseract", "pandoc")


def available() -> dict[str, bool]:
    """Which external binaries are installed (for tests and the corpus builder)."""
    return {binary: shutil.which(binary) is not None for binary in BINARIES}
