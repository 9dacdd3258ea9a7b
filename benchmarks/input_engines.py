"""Which text-layer library and which OCR engine `form4 extract FILE.pdf|IMAGE` should use,
measured on the corpus's own pages: dev-split filings (owners never seen in training)
rendered like EDGAR (`form4.training.pages.render`), printed to PDF by Chromium, then

* read through the PDF's text layer by poppler's `pdftotext -layout` (what form4 ships),
  pypdfium2 (plain text: it has no layout mode) and pdfplumber (`layout=True`);
* "scanned": every page rasterised at 200 dpi, rotated 0.5 degrees, saved as JPEG (quality 75)
  and put back in a PDF (a scanned multi-page PDF with no text layer), then OCR'd by tesseract
  as form4 ships it (`tesseract`, and `tesseract-psm4` whatever `inputs.OCR_PSM` says:
  `form4.io.inputs`, 300 dpi, upright by OSD, table rules removed, `--psm 4`), `--psm 6` without
  the orientation step (`tesseract-psm6-no-osd`), and RapidOCR (`rapidocr-onnxruntime`, its bundled models, angle
  classifier on; its boxes laid out on a character grid to give layout-like lines);
* the same scans turned 90, 180 and 270 degrees (the first few filings), through form4's path.

Each text is extracted with the shipped model (rules + NER) and scored with `form4.score.metrics`
against the filing's gold record (field F1 over every printed field), as `form4 evaluate` does.

    .venv/bin/python benchmarks/input_engines.py [--n 24] [--rotated 6] [--work /tmp/form4-inputs]
        [--engines pdftotext,pypdfium2,pdfplumber,tesseract,tesseract-psm4,tesseract-psm6-no-osd,rapidocr,rotated]

Needs Chromium, poppler and tesseract (`bash training/setup.sh`); pypdfium2, pdfplumber and
rapidocr-onnxruntime for the comparison (`pip install pypdfium2 pdfplumber rapidocr-onnxruntime`).
Texts are cached in --work; a full run took ~15 minutes on the 2-core machine.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from form4.io import inputs  # noqa: E402
from form4.run.pipeline import RULES_ONLY, model_extractor  # noqa: E402
from form4.training.corpus import DEFAULT_RAW, load_filings  # noqa: E402
from form4.training.evaluate import _score_texts, corpus_golds, corpus_items  # noqa: E402
from form4.training.convert import html_to_pdf  # noqa: E402
from form4.training.pages.render import render_html  # noqa: E402
from form4.schema import Record  # noqa: E402

SCAN_DPI = 200
SKEW_DEGREES = 0.5
JPEG_QUALITY = 75


def dev_docs(corpus: Path, n: int) -> list[str]:
    docs = sorted({name.split(".")[0] for _, _, _, name in corpus_items(corpus, "dev")})  # the inspected one left out
    return docs[:n]


def page_html(doc: str, golds, raw: Path) -> str:
    """The corpus page of ``doc``: from the raw XML (footnote marks where the XML puts them) when
    the raw folder is there, else from the gold record (marks after the title)."""
    cache = ROOT / "corpus" / "cache" / doc / "form4.html"
    if cache.exists():
        return cache.read_text(encoding="utf-8")
    if raw.is_dir():
        filing = _filings(raw).get(doc)
        if filing is not None:
            return render_html(filing.record, filing.cell_footnotes)
    return render_html(Record.model_validate(golds[doc].record))


_FILINGS: dict | None = None


def _filings(raw: Path) -> dict:
    global _FILINGS
    if _FILINGS is None:
        _FILINGS = {f.doc_id: f for f in load_filings(raw)}
    return _FILINGS


def scan_pdf(pdf: Path, out: Path, rotate: int = 0) -> Path:
    """``pdf`` as a scan: pages rasterised at 200 dpi, skewed 0.5 degrees, JPEG, in a PDF."""
    from PIL import Image

    if out.exists():
        return out
    pages = []
    for i in range(1, len(inputs.text_layer(pdf)[0]) + 1):
        image = Image.fromarray(inputs.pdf_page_image(pdf, i, SCAN_DPI))
        image = image.rotate(SKEW_DEGREES, resample=Image.Resampling.BICUBIC, fillcolor=255)
        if rotate:
            image = image.rotate(-rotate, expand=True)
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=JPEG_QUALITY)
        pages.append(Image.open(io.BytesIO(buffer.getvalue())))
    pages[0].save(out, "PDF", resolution=SCAN_DPI, save_all=True, append_images=pages[1:])
    return out


def scan_images(pdf: Path) -> list:
    """The pages of a scan PDF as grayscale arrays at form4's OCR resolution."""
    return [inputs.pdf_page_image(pdf, i, inputs.OCR_DPI) for i in range(1, len(inputs.text_layer(pdf)[0]) + 1)]


# ---------------------------------------------------------------- engines
def pypdfium2_text(pdf: Path) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    return "".join(page.get_textpage().get_text_bounded() + "\f" for page in doc)


def pdfplumber_text(pdf: Path) -> str:
    import pdfplumber

    with pdfplumber.open(str(pdf)) as doc:
        return "".join((page.extract_text(layout=True) or "") + "\f" for page in doc.pages)


def tesseract_psm6(pdf: Path) -> str:
    from form4.io.raster import remove_rules, write_pgm
    import subprocess
    import tempfile

    texts = []
    for image in scan_images(pdf):
        with tempfile.TemporaryDirectory() as tmp:
            page = Path(tmp) / "p.pgm"
            write_pgm(page, remove_rules(image, inputs.OCR_DPI))
            texts.append(subprocess.run(["tesseract", str(page), "-", "--psm", "6", "--dpi", "300"], capture_output=True,
                                        text=True, env=inputs._env()).stdout)
    return "\f".join(texts) + "\f"


_RAPID = None


def rapidocr_layout(result) -> str:
    """RapidOCR's (box, text, score) list as layout text: lines by vertical overlap, each piece
    placed at its column on a grid of the median character width."""
    if not result:
        return ""
    pieces = []
    for box, text, _ in result:
        xs, ys = [p[0] for p in box], [p[1] for p in box]
        pieces.append((min(ys), max(ys), min(xs), max(xs), text))
    widths = sorted((x1 - x0) / max(1, len(t)) for _, _, x0, x1, t in pieces)
    char = widths[len(widths) // 2] or 1.0
    heights = sorted(y1 - y0 for y0, y1, *_ in pieces)
    line_height = heights[len(heights) // 2] or 1.0
    lines: list[list] = []
    for piece in sorted(pieces, key=lambda p: (p[0] + p[1]) / 2):
        centre = (piece[0] + piece[1]) / 2
        if lines and abs(centre - lines[-1][0]) < line_height / 2:
            lines[-1][1].append(piece)
        else:
            lines.append([centre, [piece]])
    out = []
    for _, members in lines:
        text = ""
        for _, _, x0, _, piece in sorted(members, key=lambda p: p[2]):
            column = round(x0 / char)
            text += " " * max(1 if text else 0, column - len(text)) + piece
        out.append(text)
    return "\n".join(out)


def rapidocr_text(pdf: Path) -> str:
    global _RAPID
    from rapidocr_onnxruntime import RapidOCR

    _RAPID = _RAPID or RapidOCR()
    texts = []
    for image in scan_images(pdf):
        result, _ = _RAPID(image, use_cls=True)
        texts.append(rapidocr_layout(result))
    return "\f".join(texts) + "\f"


def form4_path(pdf: Path) -> str:
    return inputs.read_pdf(pdf.read_bytes(), str(pdf)).text


def form4_path_psm4(pdf: Path) -> str:
    """form4's path with tesseract --psm 4 (the shipped setting, the corpus's 300-dpi OCR converter's)."""
    shipped, inputs.OCR_PSM = inputs.OCR_PSM, 4
    try:
        return form4_path(pdf)
    finally:
        inputs.OCR_PSM = shipped


def run(engine: str, docs: list[str], args, golds) -> tuple[list, float]:
    items, seconds = [], 0.0
    for doc in docs:
        pdf = args.work / f"{doc}.pdf"
        if not pdf.exists():
            html_to_pdf(page_html(doc, golds, args.raw), pdf)
        if engine == "rotated":
            for angle in (90, 180, 270):
                cached = args.work / f"{doc}.rot{angle}.txt"
                if not cached.exists():
                    start = time.perf_counter()
                    cached.write_text(form4_path(scan_pdf(pdf, args.work / f"{doc}.scan{angle}.pdf", angle)), encoding="utf-8")
                    seconds += time.perf_counter() - start
                items.append((golds[doc], cached.read_text(encoding="utf-8"), f"rotated-{angle}", f"{doc}.rot{angle}"))
            continue
        cached = args.work / f"{doc}.{engine}.txt"
        if not cached.exists():
            source = pdf if engine in ("pdftotext", "pypdfium2", "pdfplumber") else scan_pdf(pdf, args.work / f"{doc}.scan.pdf")
            start = time.perf_counter()
            text = {"pdftotext": form4_path, "pypdfium2": pypdfium2_text, "pdfplumber": pdfplumber_text,
                    "tesseract": form4_path, "tesseract-psm4": form4_path_psm4, "tesseract-psm6-no-osd": tesseract_psm6,
                    "rapidocr": rapidocr_text}[engine](source)
            seconds += time.perf_counter() - start
            cached.write_text(text, encoding="utf-8")
        items.append((golds[doc], cached.read_text(encoding="utf-8"), engine, f"{doc}.{engine}"))
    return items, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "annotations" / "corpus")
    parser.add_argument("--raw", type=Path, default=DEFAULT_RAW)
    parser.add_argument("--work", type=Path, default=Path("/tmp/form4-inputs"))
    parser.add_argument("--n", type=int, default=24)
    parser.add_argument("--rotated", type=int, default=6)
    parser.add_argument("--engines", default="pdftotext,pypdfium2,pdfplumber,tesseract,tesseract-psm4,tesseract-psm6-no-osd,rapidocr,rotated")
    parser.add_argument("--rules-only", action="store_true")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    golds = corpus_golds(args.corpus)
    docs = dev_docs(args.corpus, args.n)
    extractor = RULES_ONLY if args.rules_only else model_extractor()
    print(f"{len(docs)} dev filings; {'rules only' if args.rules_only else 'rules + model'}")
    print("| input path | texts | field F1 | exact | s/filing (new texts) |\n|---|---|---|---|---|")
    for engine in args.engines.split(","):
        items, seconds = run(engine, docs[: args.rotated] if engine == "rotated" else docs, args, golds)
        report = _score_texts(items, extractor)
        per = seconds / max(1, len({name.split(".")[0] for *_, name in items}))
        for group in report.groups():
            print(f"| {group} | {sum(d.group == group for d in report.docs)} | {report.total(group).f1:.3f} | "
                  f"{report.exact_rate(group):.0%} | {per:.1f} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
