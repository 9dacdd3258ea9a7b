"""Does the aligner find every style's printed values? ``python -m form4.training.pages check``.

Renders real filings (and optionally synthetic ones) in each page style with a
seeded presentation, prints each page to PDF, flattens it with ``pdftotext
-layout`` and pandoc HTML -> GFM, aligns the gold values and reports, per style
and converter, the share of printed values the aligner placed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Sequence

from form4.schema import Record
from form4.errors import RawFolderError, UnknownStyleError
from form4.io.xml_reader import CellFootnotes

CONVERTERS = ("pdftotext-layout", "pandoc-gfm")


def _one(job: tuple[str, str, int, Record, CellFootnotes, tuple[str, ...]]) -> list[tuple[str, str, str, int, int, list]]:
    from ..align import align_record
    from ..convert import flatten
    from . import render_styled

    name, style, seed, record, cells, converters = job
    html = render_styled(record, style, seed, cells)
    with tempfile.TemporaryDirectory(prefix="form4-style-") as tmp:
        texts = flatten(html, Path(tmp), converters)
    out = []
    for converter, text in texts.items():
        placements = align_record(record, text).placements
        missed = [[p.pointer, p.value, p.status] for p in placements if p.status != "placed"]
        out.append((name, style, converter, len(placements) - len(missed), len(placements), missed[:3]))
    return out


def sample_real(raw: Path, n: int) -> list[tuple[str, Record, CellFootnotes]]:
    """``n`` real filings spread evenly over the raw folder (sorted by document id)."""
    from ..corpus import load_filings

    filings = load_filings(raw)
    step = max(1, len(filings) // max(1, n))
    return [(f.doc_id, f.record, f.cell_footnotes) for f in filings[::step][:n]]


def check(items: Sequence[tuple[str, Record, CellFootnotes]], styles: Sequence[str], workers: int = 2,
          converters: Sequence[str] = CONVERTERS) -> dict:
    """style -> converter -> {placed, printed, share, examples}."""
    jobs = [(name, style, k, record, cells, tuple(converters))
            for k, (name, record, cells) in enumerate(items) for style in styles]
    result: dict = defaultdict(lambda: defaultdict(lambda: {"placed": 0, "printed": 0, "examples": []}))
    with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
        for rows in pool.map(_one, jobs):
            for name, style, converter, placed, printed, missed in rows:
                cell = result[style][converter]
                cell["placed"] += placed
                cell["printed"] += printed
                if missed and len(cell["examples"]) < 5:
                    cell["examples"].append([name, *missed[0]])
    for per in result.values():
        for cell in per.values():
            cell["share"] = round(cell["placed"] / cell["printed"], 4) if cell["printed"] else None
    return {s: dict(v) for s, v in result.items()}


def table(result: dict, filings: int) -> str:
    rows = ["| style | converter | filings | printed | placed | share |", "|---|---|---|---|---|---|"]
    for style, per in sorted(result.items()):
        for converter, cell in sorted(per.items()):
            rows.append(f"| {style} | {converter} | {filings} | {cell['printed']} | {cell['placed']} | "
                        f"{cell['share']:.1%} |")
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    from ..corpus import DEFAULT_RAW
    from ..synth import synthesise
    from . import STYLES, parse_styles

    parser = argparse.ArgumentParser(prog="python -m form4.training.pages check", description=__doc__)
    parser.add_argument("--n", type=int, default=30, help="real filings to check (spread over the raw folder)")
    parser.add_argument("--synthetic", type=int, default=0, help="synthetic filings to check instead of real ones")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic filings")
    parser.add_argument("--raw", type=Path, default=DEFAULT_RAW, help="folder of ownershipDocument XML")
    parser.add_argument("--styles", default=",".join(STYLES), help="comma-separated page styles")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="print the result as JSON (with unplaced examples)")
    args = parser.parse_args(argv)
    try:
        styles = parse_styles(args.styles)
    except ValueError as err:
        print(UnknownStyleError(f"{err}; pass --styles with known names").one_line(), file=sys.stderr)
        return 2
    if args.synthetic:
        items = [(f"synthetic-{args.seed}-{k}", f.record, f.cell_footnotes)
                 for k, f in enumerate(synthesise(args.synthetic, args.seed))]
    else:
        if not args.raw.is_dir():
            print(RawFolderError("not a folder; pass --raw with the folder of Form 4 XML", str(args.raw)).one_line(), file=sys.stderr)
            return 2
        items = sample_real(args.raw, args.n)
    result = check(items, styles, args.workers)
    print(json.dumps(result, indent=1) if args.json else table(result, len(items)))
    return 0
