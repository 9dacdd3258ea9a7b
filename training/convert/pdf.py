"""Print HTML to PDF with headless Chromium; the converters that read a PDF's text layer."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .command import DEFAULT_TIMEOUT, ConverterError, joined_pages, markitdown_convert, output_text, python_package, run_command


CHROMIUM = os.environ.get("FORM4_CHROMIUM", "chromium")
CHROMIUM_FLAGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)
PAGE_CSS = "<style>@page { size: letter landscape; margin: 0.35in; }</style>"


# ----------------------------------------------------------------------- HTML -> PDF


def inject_page_css(html: str, css: str = PAGE_CSS) -> str:
    """Insert ``css`` (a ``<style>`` element) at the end of ``<head>``, or prepend it.

    >>> inject_page_css("<html><head></head><body>x</body></html>", "<style></style>")
    '<html><head><style></style></head><body>x</body></html>'
    >>> inject_page_css("<p>x</p>", "<style></style>")
    '<style></style><p>x</p>'
    """
    match = re.search(r"</head\s*>", html, flags=re.IGNORECASE)
    if match is None:
        return css + html
    return html[: match.start()] + css + html[match.start() :]


def declare_utf8(html: str) -> str:
    """Put ``<meta charset="utf-8">`` first in ``<head>``: the file is written as UTF-8.

    The first charset declaration wins, so an older one later in the page is ignored.

    >>> declare_utf8('<html><head lang="en"><title>t</title></head></html>')
    '<html><head lang="en"><meta charset="utf-8"><title>t</title></head></html>'
    >>> declare_utf8("<p>§</p>")
    '<meta charset="utf-8"><p>§</p>'
    """
    meta = '<meta charset="utf-8">'
    match = re.search(r"<head(\s[^>]*)?>", html, flags=re.IGNORECASE)
    if match is None:
        return meta + html
    return html[: match.end()] + meta + html[match.end() :]


def html_to_pdf(html: str, out_pdf: Path, *, timeout: float = DEFAULT_TIMEOUT) -> Path:
    """Print ``html`` to ``out_pdf`` (letter landscape) with headless Chromium.

    The HTML is written next to the PDF (``<out_pdf>.html``) so relative resources and
    the ``file://`` URL work; each call uses a fresh, temporary Chromium profile.
    """
    out_pdf = Path(out_pdf).resolve()
    out_pdf.parent.mkdir(parents=True, exist_ok=True)
    html_path = out_pdf.with_suffix(".html")
    html_path.write_text(declare_utf8(inject_page_css(html)), encoding="utf-8")
    out_pdf.unlink(missing_ok=True)
    profile_dir = tempfile.TemporaryDirectory(prefix="form4-chromium-", ignore_cleanup_errors=True)
    with profile_dir as profile:
        cmd = [
            CHROMIUM,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={out_pdf}",
            html_path.as_uri(),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except FileNotFoundError as exc:
            raise ConverterError("chromium", f"binary not found: {CHROMIUM}", str(exc)) from exc
        except subprocess.TimeoutExpired as exc:
            raise ConverterError("chromium", "timed out", output_text(exc.stderr)) from exc
    if proc.returncode != 0 or not out_pdf.is_file() or out_pdf.stat().st_size == 0:
        raise ConverterError(
            "chromium", f"no PDF written (exit {proc.returncode})", _chromium_errors(proc.stderr)
        )
    return out_pdf


def _chromium_errors(stderr: bytes) -> str:
    """Chromium's stderr without the harmless D-Bus noise of a container."""
    lines = output_text(stderr).splitlines()
    return "\n".join(line for line in lines if "dbus" not in line.lower())


def htmls_to_pdfs(pairs: Iterable[tuple[str, Path]], workers: int = 2) -> list[Path]:
    """Print many ``(html, out_pdf)`` pairs with ``workers`` concurrent Chromium processes.

    Chromium does its work in its own processes, so threads are enough here.  Returns
    the PDF paths in input order; the first failure raises :class:`ConverterError`.
    """
    items = list(pairs)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(lambda pair: html_to_pdf(pair[0], pair[1]), items))


# ----------------------------------------------------------------- PDF converters


def pdftotext_layout(pdf: Path) -> str:
    """``pdftotext -layout``: columns kept apart by runs of spaces."""
    return run_command("pdftotext-layout", ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"])


def pdftotext_raw(pdf: Path) -> str:
    """``pdftotext -raw``: text in content-stream order, cells run together."""
    return run_command("pdftotext-raw", ["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"])


def pypdf_text(pdf: Path) -> str:
    """pypdf's ``extract_text`` per page, pages joined with form feeds."""
    try:
        from pypdf import PdfReader

        reader = PdfReader(str(pdf))
        return "\f".join(page.extract_text() or "" for page in reader.pages) + "\f"
    except Exception as exc:  # pypdf raises many unrelated exception types
        raise ConverterError("pypdf", type(exc).__name__, str(exc)) from exc


def pdfminer_text(pdf: Path) -> str:
    """pdfminer.six ``extract_text`` with its default layout analysis."""
    try:
        from pdfminer.high_level import extract_text

        return str(extract_text(str(pdf)))
    except Exception as exc:  # pdfminer raises many unrelated exception types
        raise ConverterError("pdfminer", type(exc).__name__, str(exc)) from exc


def pdftotext_default(pdf: Path) -> str:
    """``pdftotext`` in its default mode: columns printed as blocks, one cell per paragraph."""
    return run_command("pdftotext-default", ["pdftotext", "-enc", "UTF-8", str(pdf), "-"])


def pymupdf_text(pdf: Path, mode: str = "text") -> str:
    """PyMuPDF per page: ``page.get_text()`` (``mode="text"``, the library's reading of the
    content stream) or its ``"blocks"`` sorted top-to-bottom, left-to-right and joined."""
    name = "pymupdf" if mode == "text" else f"pymupdf-{mode}"
    fitz = python_package(name, "pymupdf", "pymupdf")

    def read() -> list[str]:
        with fitz.open(str(pdf)) as doc:
            if mode == "text":
                return [page.get_text() for page in doc]
            return ["\n".join(b[4].rstrip("\n") for b in page.get_text("blocks", sort=True) if b[6] == 0) + "\n" for page in doc]

    return joined_pages(name, read)


def pdfplumber_text(pdf: Path, layout: bool = False) -> str:
    """pdfplumber's ``page.extract_text()`` per page; ``layout=True`` keeps the page's
    horizontal positions with spaces (like ``pdftotext -layout``)."""
    name = "pdfplumber-layout" if layout else "pdfplumber"
    plumber = python_package(name, "pdfplumber", "pdfplumber")

    def read() -> list[str]:
        with plumber.open(str(pdf)) as doc:
            return [(page.extract_text(layout=layout) or "") + "\n" for page in doc.pages]

    return joined_pages(name, read)


def markitdown_pdf(pdf: Path) -> str:
    """markitdown's PDF -> markdown (its PDF path reads the text layer with pdfminer)."""
    return markitdown_convert("markitdown-pdf", pdf)
