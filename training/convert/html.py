"""The converters that read the page's HTML: pandoc's writers, markitdown, html2text."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from .command import ConverterError, markitdown_convert, python_package, run_command


# ---------------------------------------------------------------- HTML converters


def pandoc_gfm(html: str) -> str:
    """``pandoc -f html -t gfm``: simple tables become pipe tables, complex ones stay HTML."""
    return run_command("pandoc-gfm", ["pandoc", "-f", "html", "-t", "gfm", "--wrap=none"], stdin=html)


def pandoc_plain(html: str) -> str:
    """``pandoc -f html -t plain``: grid tables whose narrow cells break words apart."""
    cmd = ["pandoc", "-f", "html", "-t", "plain", "--columns=160"]
    return run_command("pandoc-plain", cmd, stdin=html)


def pandoc(html: str, name: str, writer: str, options: Sequence[str] = ()) -> str:
    """``pandoc -f html -t <writer> <options>``: one of the markdown flavours and widths."""
    return run_command(name, ["pandoc", "-f", "html", "-t", writer, *options], stdin=html)


def markitdown_html(html: str) -> str:
    """markitdown's HTML -> markdown (tables as pipe tables)."""
    with tempfile.TemporaryDirectory(prefix="form4-markitdown-") as tmp:
        page = Path(tmp) / "form4.html"
        page.write_text(html, encoding="utf-8")
        return markitdown_convert("markitdown-html", page)


def html2text_markdown(html: str) -> str:
    """html2text with its defaults (markdown, lines wrapped at 78 columns)."""
    module = python_package("html2text", "html2text", "html2text")
    try:
        return str(module.html2text(html))
    except Exception as exc:  # html2text raises whatever its parser raises
        raise ConverterError("html2text", type(exc).__name__, str(exc)) from exc
