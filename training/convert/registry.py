"""Every converter declared once: its name, family, what it reads and needs; the corpus's converters."""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from itertools import product
from pathlib import Path

from .command import ConverterError, markitdown
from .geometry import DERIVED_FROM, GEOMETRY_SUFFIX, laid_out_boxes
from .html import html2text_markdown, markitdown_html, pandoc, pandoc_gfm, pandoc_plain
from .ocr import ocr, ocr_150_psm6, ocr_300_psm4, scan_ocr
from .pdf import markitdown_pdf, pdfminer_text, pdfplumber_text, pdftotext_default, pdftotext_layout, pdftotext_raw, pymupdf_text, pypdf_text


CONVERTERS: dict[str, Callable[[Path], str]] = {
    "pdftotext-layout": pdftotext_layout,
    "pdftotext-raw": pdftotext_raw,
    "ocr-150-psm6-nohrules": ocr_150_psm6,
    "ocr-300-psm4-norules": ocr_300_psm4,
    "pypdf": pypdf_text,
    "pdfminer": pdfminer_text,
    "scan-300-psm4-norules": partial(scan_ocr, dpi=300, psm=4, rules="all"),
}


def laid_out(pdf: Path, base: str) -> str:
    """``<base>-geometry``: the word boxes OCR converter ``base`` kept beside ``pdf``, laid out by
    position (:mod:`.geometry`); ``base`` runs first when they are not there yet."""
    text = laid_out_boxes(pdf.parent, base)
    if text is None:
        CONVERTERS[base](pdf)  # writes its word boxes beside the PDF
        text = laid_out_boxes(pdf.parent, base)
    if text is None:
        raise ConverterError(f"{base}{GEOMETRY_SUFFIX}", "tesseract wrote no word boxes")
    return text


CONVERTERS.update({name: partial(laid_out, base=base) for name, base in DERIVED_FROM.items()})


HTML_CONVERTERS: dict[str, Callable[[str], str]] = {
    "pandoc-gfm": pandoc_gfm,
    "pandoc-plain": pandoc_plain,
}

ALL_CONVERTERS: tuple[str, ...] = (*CONVERTERS, *HTML_CONVERTERS)

# ------------------------------------------------------------- the declared table

#: Families, for grouping results: text read from the PDF's text layer; markup made from
#: the HTML (markdown flavours, reStructuredText); plain text made from the HTML; OCR of
#: the printed page; OCR of a simulated scan of it.
FAMILIES: tuple[str, ...] = ("text-layer", "markdown", "html-text", "ocr", "scan")


@dataclass(frozen=True)
class Converter:
    """One converter: a stable ``name``, its ``family``, what it ``reads`` (``"pdf"``, the
    printed page, or ``"html"``, the page's source), the function and what it needs
    (binaries on ``PATH``; ``py:<module>`` for Python packages)."""

    name: str
    family: str
    reads: str
    run: Callable[..., str]
    needs: tuple[str, ...] = ()

    @property
    def corpus(self) -> bool:
        """True if the corpus build flattens with it (rules and model were fitted on its texts)."""
        return self.name in ALL_CONVERTERS


_OCR_TOOLS = ("pdftoppm", "tesseract")
#: OCR and scan settings, a grid: name suffix -> :func:`remove_rules` setting.
RULE_SETTINGS: dict[str, str] = {"keeprules": "keep", "norules": "all"}
OCR_GRID = {"dpi": (150, 200, 300), "psm": (3, 4, 6)}
SCAN_GRID = {"dpi": (150, 200, 300), "psm": (4, 6)}
#: pandoc writers: name, family, writer, options (flavours and wrapping widths)
PANDOC_FLAVOURS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("pandoc-commonmark", "markdown", "commonmark", ("--wrap=none",)),
    ("pandoc-markdown-strict", "markdown", "markdown_strict", ("--columns=72",)),
    ("pandoc-markdown-mmd", "markdown", "markdown_mmd", ("--columns=200",)),
    ("pandoc-gfm-72", "markdown", "gfm", ("--columns=72",)),
    ("pandoc-rst", "markdown", "rst", ()),
    ("pandoc-plain-72", "html-text", "plain", ("--columns=72",)),
    ("pandoc-plain-200", "html-text", "plain", ("--columns=200",)),
)

_CORPUS_TABLE: tuple[Converter, ...] = (
    Converter("pdftotext-layout", "text-layer", "pdf", pdftotext_layout, ("pdftotext",)),
    Converter("pdftotext-raw", "text-layer", "pdf", pdftotext_raw, ("pdftotext",)),
    Converter("ocr-150-psm6-nohrules", "ocr", "pdf", ocr_150_psm6, _OCR_TOOLS),
    Converter("ocr-300-psm4-norules", "ocr", "pdf", ocr_300_psm4, _OCR_TOOLS),
    Converter("pypdf", "text-layer", "pdf", pypdf_text, ("py:pypdf",)),
    Converter("pdfminer", "text-layer", "pdf", pdfminer_text, ("py:pdfminer",)),
    Converter("scan-300-psm4-norules", "scan", "pdf", CONVERTERS["scan-300-psm4-norules"], (*_OCR_TOOLS, "py:PIL")),
    Converter("ocr-300-psm4-norules-geometry", "ocr", "pdf", CONVERTERS["ocr-300-psm4-norules-geometry"], _OCR_TOOLS),
    Converter("scan-300-psm4-norules-geometry", "scan", "pdf", CONVERTERS["scan-300-psm4-norules-geometry"], (*_OCR_TOOLS, "py:PIL")),
    Converter("pandoc-gfm", "markdown", "html", pandoc_gfm, ("pandoc",)),
    Converter("pandoc-plain", "html-text", "html", pandoc_plain, ("pandoc",)),
)
_CORPUS_NAMES = {c.name for c in _CORPUS_TABLE}

#: Every converter, the corpus's first.  Each new one is unseen by the rules and the model.
TABLE: tuple[Converter, ...] = (
    *_CORPUS_TABLE,
    Converter("pdftotext-default", "text-layer", "pdf", pdftotext_default, ("pdftotext",)),
    Converter("pymupdf", "text-layer", "pdf", pymupdf_text, ("py:pymupdf",)),
    Converter("pymupdf-blocks", "text-layer", "pdf", partial(pymupdf_text, mode="blocks"), ("py:pymupdf",)),
    Converter("pdfplumber", "text-layer", "pdf", pdfplumber_text, ("py:pdfplumber",)),
    Converter("pdfplumber-layout", "text-layer", "pdf", partial(pdfplumber_text, layout=True), ("py:pdfplumber",)),
    Converter("markitdown-pdf", "text-layer", "pdf", markitdown_pdf, ("py:markitdown", "py:pdfminer")),
    Converter("markitdown-html", "markdown", "html", markitdown_html, ("py:markitdown",)),
    Converter("html2text", "markdown", "html", html2text_markdown, ("py:html2text",)),
    *(
        Converter(name, family, "html", partial(pandoc, name=name, writer=writer, options=options), ("pandoc",))
        for name, family, writer, options in PANDOC_FLAVOURS
    ),
    *(
        Converter(f"ocr-{dpi}-psm{psm}-{suffix}", "ocr", "pdf", partial(ocr, dpi=dpi, psm=psm, rules=rules), _OCR_TOOLS)
        for dpi, psm, (suffix, rules) in product(OCR_GRID["dpi"], OCR_GRID["psm"], RULE_SETTINGS.items())
        if f"ocr-{dpi}-psm{psm}-{suffix}" not in _CORPUS_NAMES
    ),
    *(
        Converter(f"scan-{dpi}-psm{psm}-{suffix}", "scan", "pdf", partial(scan_ocr, dpi=dpi, psm=psm, rules=rules), (*_OCR_TOOLS, "py:PIL"))
        for dpi, psm, (suffix, rules) in product(SCAN_GRID["dpi"], SCAN_GRID["psm"], RULE_SETTINGS.items())
        if f"scan-{dpi}-psm{psm}-{suffix}" not in _CORPUS_NAMES
    ),
)
REGISTRY: dict[str, Converter] = {c.name: c for c in TABLE}
UNSEEN_CONVERTERS: tuple[str, ...] = tuple(c.name for c in TABLE if not c.corpus)


def select(spec: str | Iterable[str]) -> tuple[str, ...]:
    """Converter names from names, families, ``all``, ``unseen`` or ``corpus`` (comma-separated
    or a list), in table order, each once.

    >>> select("pandoc-rst,text-layer")[:3]
    ('pdftotext-layout', 'pdftotext-raw', 'pypdf')
    >>> select(["corpus"]) == ALL_CONVERTERS
    True
    >>> select("no-such")
    Traceback (most recent call last):
    ...
    KeyError: "unknown converter or family 'no-such'; families: text-layer, markdown, html-text, ocr, scan, all, unseen, corpus"
    """
    words = [w.strip() for w in (spec.split(",") if isinstance(spec, str) else spec) if w.strip()]
    groups = {"all": set(REGISTRY), "unseen": set(UNSEEN_CONVERTERS), "corpus": set(ALL_CONVERTERS)}
    chosen: set[str] = set()
    for word in words:
        if word in REGISTRY:
            chosen.add(word)
        elif word in FAMILIES:
            chosen |= {c.name for c in TABLE if c.family == word}
        elif word in groups:
            chosen |= groups[word]
        else:
            known = ", ".join((*FAMILIES, *groups))
            raise KeyError(f"unknown converter or family {word!r}; families: {known}")
    return tuple(c.name for c in TABLE if c.name in chosen)


def missing(name: str) -> list[str]:
    """What converter ``name`` needs and this machine lacks (binaries, ``py:`` modules)."""
    return [need for need in REGISTRY[name].needs if not _have(need)]


def preload(names: Iterable[str]) -> None:
    """Import the Python packages the named converters need (those installed), so that the
    first filing a process flattens is not charged for the import (pymupdf and markitdown
    take 1-2 s to import)."""
    modules = {need[3:] for name in names for need in REGISTRY[name].needs if need.startswith("py:")}
    for module in sorted(modules):
        if _have(f"py:{module}"):
            importlib.import_module(module)
    if any(name.startswith("markitdown") for name in names) and _have("py:markitdown"):
        markitdown("markitdown")


def _have(need: str) -> bool:
    if need.startswith("py:"):
        return importlib.util.find_spec(need[3:]) is not None
    return shutil.which(need) is not None
