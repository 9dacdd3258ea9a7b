"""Leave-one-out evaluation: real dev filings, printed in a page style and flattened by a
converter, scored rules only vs with the shipped model, per style x converter and per family.

What "leave-one-out" means here.  The shipped NER model and the rules were fitted on one page
style, ``edgar`` (``training.render.render_html``), flattened by the corpus converters
(``pdftotext-layout``, ``pdftotext-raw``, ``ocr-150-psm6-nohrules``, ``ocr-300-psm4-norules``,
``pypdf``, ``pdfminer``, ``pandoc-gfm``, ``pandoc-plain``) and by the corpus's noise transforms
applied to them (``noise-*``).  Every other page style (``training.styles``, where it exists)
and every other converter in ``training.flatten.TABLE`` (markitdown, PyMuPDF, pdfplumber,
html2text, pandoc's other flavours and widths, ``pdftotext`` default mode, tesseract's other
resolutions and page-segmentation modes, simulated scans) is unseen by both: scoring on them
is leaving that style or converter out of training without retraining.  A row whose style is
``edgar`` and whose converter is a corpus converter is in-distribution (column ``seen``); the
filings are always the dev side of the owner split (``training.corpus.split_by_owner``, owners
never seen in training), minus those looked at during development
(``annotations/corpus/inspected-dev.txt``).  Gold records come from the filings' XML.

    python -m form4.training.heldout --styles edgar --converters text-layer,markdown --limit 30
    form4 evaluate --heldout --styles edgar --converters unseen --work /tmp/form4-heldout

Flattened texts are cached under ``--work`` (``<style>/<doc_id>/<converter>.txt``, with the CPU
and wall seconds of each converter in ``cost.json``), so a rerun only extracts and scores.

Printed (``--limit 30 --converters text-layer,markdown,html-text``, a few of its rows; F1 is
field F1 of ``form4 score``, "exact" the share of documents read without a field wrong)::

    | style | converter | family | seen | filings | rules F1 | model F1 | rules exact | model exact |
    |---|---|---|---|---|---|---|---|---|
    | edgar | pdftotext-layout | text-layer | yes | 30 | 0.963 | 0.969 | 20% | 20% |
    | edgar | pymupdf | text-layer | no | 30 | 0.475 | 0.777 | 0% | 3% |
    | edgar | pandoc-commonmark | markdown | no | 30 | 0.993 | 0.994 | 60% | 63% |

    | style | family | seen | converters | texts | rules F1 | model F1 | rules exact | model exact |
    |---|---|---|---|---|---|---|---|---|
    | edgar | text-layer | no | 6 | 180 | 0.703 | 0.829 | 1% | 1% |
    | edgar | text-layer | yes | 4 | 120 | 0.861 | 0.905 | 14% | 14% |
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from form4.errors import Form4Error, UnknownConverterError
from form4.run.pipeline import Extractor
from form4.score.metrics import Gold, Report

from .evaluate import ROOT, _score_texts, inspected_dev
from .convert import ALL_CONVERTERS, DERIVED_FROM, FAMILIES, REGISTRY, flatten, preload, select

DEFAULT_WORK = ROOT / "corpus" / "heldout"  # derived files, git-ignored like the corpus cache
FITTED_STYLES: tuple[str, ...] = ("edgar",)  # the page styles the rules and the model were fitted on
STYLES_MODULE = "form4.training.pages"


# ---------------------------------------------------------------- page styles
def known_styles() -> tuple[str, ...]:
    """The page styles: ``training.styles.STYLES`` when that module exists, else ``edgar`` alone."""
    styles = _styles_module()
    return FITTED_STYLES if styles is None else tuple(styles.STYLES)


def _styles_module():  # noqa: ANN202 - the module or None
    """``training.styles`` when it exists (another module's errors are not hidden)."""
    try:
        found = importlib.util.find_spec(STYLES_MODULE)
    except ModuleNotFoundError:  # a parent package is missing
        found = None
    return None if found is None else importlib.import_module(STYLES_MODULE)


def render_page(record, cell_footnotes, style: str, seed: int) -> str:  # noqa: ANN001 - Record, CellFootnotes
    """The filing's page in ``style``: ``training.styles.render_styled`` when that module exists,
    else today's EDGAR renderer (style ``edgar`` only)."""
    styles = _styles_module()
    if styles is not None:
        return styles.render_styled(record, style, seed, cell_footnotes=cell_footnotes)
    if style not in FITTED_STYLES:
        raise KeyError(f"unknown page style {style!r}; known: {', '.join(known_styles())}")
    from .pages.render import render_html

    return render_html(record, cell_footnotes)


def page_seed(doc_id: str) -> int:
    """The presentation seed of a filing's page (its id's first 32 bits).

    >>> page_seed("027899c93955")
    41458121
    """
    return int(doc_id[:8], 16)


# ---------------------------------------------------------------- filings
def dev_filings(raw: Path, limit: int | None = None) -> list:
    """The dev side of the owner split (as the corpus build splits), minus the inspected filings."""
    from .corpus import load_filings, split_by_owner

    filings = load_filings(raw)
    split, skip = split_by_owner(filings), inspected_dev()
    dev = [f for f in filings if split[f.doc_id] == "dev" and f.doc_id not in skip]
    return dev[:limit] if limit else dev


# ---------------------------------------------------------------- flattening (cached)
@dataclass(frozen=True)
class Job:
    style: str
    doc_id: str
    html: str
    workdir: Path
    converters: tuple[str, ...]


Result = tuple[Job, dict[str, str], dict[str, str]]  # (job, texts by converter, errors by converter)


def flatten_cached(job: Job) -> Result:
    """``(job, texts, errors)``: texts from the cache, the missing ones flattened and cached.

    A page whose HTML changed (its ``page.sha1`` differs) has its cached texts dropped first.
    """
    workdir = job.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    stamp, digest = workdir / "page.sha1", hashlib.sha1(job.html.encode()).hexdigest()
    if stamp.exists() and stamp.read_text() != digest:
        for stale in (*workdir.glob("*.txt"), *workdir.glob("*.tsv"), workdir / "cost.json"):
            stale.unlink(missing_ok=True)
    stamp.write_text(digest)
    # a -geometry text is laid out again from its cached word boxes (milliseconds): never stale
    todo = [name for name in job.converters if name in DERIVED_FROM or not (workdir / f"{name}.txt").exists()]
    errors: dict[str, str] = {}
    pdf = None
    for name in todo:  # one at a time, each text cached at once: an interrupted run loses little
        wall: dict[str, float] = {}
        cpu: dict[str, float] = {}
        fresh = flatten(job.html, workdir, [name], timings=wall, cpu=cpu, errors=errors, pdf=pdf)
        if REGISTRY[name].reads == "pdf" and name not in errors:
            pdf = workdir / "form4.pdf"
        if name in fresh:
            (workdir / f"{name}.txt").write_text(fresh[name], encoding="utf-8")
        costs = _read_costs(workdir)
        costs.update({step: {"cpu": round(cpu[step], 3), "wall": round(wall[step], 3)} for step in wall})
        (workdir / "cost.json").write_text(json.dumps(costs, indent=1, sort_keys=True), encoding="utf-8")
    (workdir / "form4.pdf").unlink(missing_ok=True)
    texts = {name: (workdir / f"{name}.txt").read_text(encoding="utf-8") for name in job.converters if name not in errors}
    return job, texts, errors


def _read_costs(workdir: Path) -> dict[str, dict[str, float]]:
    path = workdir / "cost.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def run_jobs(jobs: Sequence[Job], workers: int, progress: Callable[[int, int], None] | None = None) -> list[Result]:
    """:func:`flatten_cached` over ``jobs`` in ``workers`` processes, results in input order.

    Each process imports the converters' Python packages first (:func:`preload`), so the
    costs recorded are those of a running corpus build, not of an import.
    """
    names = sorted({name for job in jobs for name in job.converters})
    results: list[Result] = []
    with ExitStack() as stack:
        if workers > 1:
            pool = stack.enter_context(ProcessPoolExecutor(max_workers=workers, initializer=preload, initargs=(names,)))
            flattened = pool.map(flatten_cached, jobs)
        else:
            preload(names)
            flattened = map(flatten_cached, jobs)
        for result in flattened:
            results.append(result)
            if progress:
                progress(len(results), len(jobs))
    return results


# ---------------------------------------------------------------- scoring
def is_seen(style: str, converter: str) -> bool:
    """True if the rules and the model were fitted on this style and converter.

    >>> is_seen("edgar", "pdftotext-layout"), is_seen("edgar", "pymupdf"), is_seen("paper", "pypdf")
    (True, False, False)
    """
    return style in FITTED_STYLES and converter in ALL_CONVERTERS


def group_of(style: str, converter: str) -> str:
    return f"{style}|{converter}"


@dataclass
class Scores:
    """Rules-only and model reports (groups ``style|converter``), the aligner's
    (placed, printed) counts per group when asked for, and the converter failures."""

    rules: Report
    model: Report
    placed: dict[str, tuple[int, int]]
    errors: dict[str, list[str]]


def score(results: Sequence[Result], filings: dict, placement: bool = False, model: Extractor | None = None) -> Scores:
    """Extract every text rules only and with the model; score it against its XML's gold record."""
    from form4.run.pipeline import RULES_ONLY, model_extractor

    items, errors = [], {}
    for job, texts, failed in results:
        gold = Gold(filings[job.doc_id].record.to_json_dict(), frozenset(), job.doc_id)
        items += [(gold, text, group_of(job.style, c), f"{job.doc_id}.{job.style}.{c}") for c, text in texts.items()]
        for converter, message in failed.items():
            errors.setdefault(group_of(job.style, converter), []).append(f"{job.doc_id}: {message.splitlines()[0]}")
    rules = _score_texts(items, RULES_ONLY)
    with_model = _score_texts(items, model or model_extractor())
    return Scores(rules, with_model, placement_counts(results, filings) if placement else {}, errors)


def placement_counts(results: Sequence[Result], filings: dict) -> dict[str, tuple[int, int]]:
    """``style|converter`` -> (placed, printed): the gold values the corpus aligner placed."""
    from .align import align_record

    out: dict[str, list[int]] = {}
    for job, texts, _ in results:
        for converter, text in texts.items():
            cell = out.setdefault(group_of(job.style, converter), [0, 0])
            for p in align_record(filings[job.doc_id].record, text).placements:
                cell[0] += p.status == "placed"
                cell[1] += 1
    return {group: (a, b) for group, (a, b) in out.items()}


# ---------------------------------------------------------------- tables
def _figures(rules: Report, model: Report) -> dict:
    return {
        "rules_f1": round(rules.total().f1, 4),
        "model_f1": round(model.total().f1, 4),
        "rules_exact": round(rules.exact_rate(), 4),
        "model_exact": round(model.exact_rate(), 4),
    }


def _only(report: Report, groups: set[str]) -> Report:
    return Report([d for d in report.docs if d.group in groups])


def converter_rows(scores: Scores) -> list[dict]:
    """One row per style x converter (table order of the converters)."""
    rows = []
    for group in sorted(scores.rules.groups(), key=_table_order):
        style, converter = group.split("|")
        rules, model = _only(scores.rules, {group}), _only(scores.model, {group})
        row = {"style": style, "converter": converter, "family": REGISTRY[converter].family,
               "seen": is_seen(style, converter), "filings": len(rules.docs), **_figures(rules, model)}
        if group in scores.placed:
            placed, printed = scores.placed[group]
            row["placed"] = round(placed / printed, 4) if printed else 0.0
        row["failed"] = len(scores.errors.get(group, ()))
        rows.append(row)
    return rows


def _table_order(group: str) -> tuple[str, int]:
    style, converter = group.split("|")
    return style, list(REGISTRY).index(converter)


def family_rows(scores: Scores) -> list[dict]:
    """One row per style x family x seen: the texts of all its converters pooled."""
    keys: dict[tuple[str, str, bool], set[str]] = {}
    for group in scores.rules.groups():
        style, converter = group.split("|")
        keys.setdefault((style, REGISTRY[converter].family, is_seen(style, converter)), set()).add(group)
    rows = []
    for (style, family, seen), groups in sorted(keys.items(), key=lambda kv: (kv[0][0], FAMILIES.index(kv[0][1]), kv[0][2])):
        rules, model = _only(scores.rules, groups), _only(scores.model, groups)
        rows.append({"style": style, "family": family, "seen": seen, "converters": len(groups),
                     "texts": len(rules.docs), **_figures(rules, model)})
    return rows


def cost_rows(results: Sequence[Result]) -> list[dict]:
    """Mean CPU and wall seconds per filing of each converter (and of printing the PDF), from
    the ``cost.json`` files of the filings in ``results`` (measured when first flattened)."""
    sums: dict[str, list[float]] = {}
    for job, _, _ in results:
        for name, cost in _read_costs(job.workdir).items():
            if name in job.converters or name == "chromium-pdf":
                cell = sums.setdefault(name, [0.0, 0.0, 0])
                cell[0], cell[1], cell[2] = cell[0] + cost["cpu"], cell[1] + cost["wall"], cell[2] + 1
    order = ["chromium-pdf", *REGISTRY]
    return [{"step": name, "filings": int(n), "cpu_s": round(cpu / n, 3), "wall_s": round(wall / n, 3)}
            for name, (cpu, wall, n) in sorted(sums.items(), key=lambda kv: order.index(kv[0]))]


def markdown(rows: Sequence[dict], columns: Sequence[str]) -> str:
    """A markdown table of ``rows`` (floats printed to 3 places, shares as percentages).

    >>> print(markdown([{"style": "edgar", "rules_f1": 0.5, "model_exact": 0.25, "seen": True}],
    ...                ["style", "rules_f1", "model_exact", "seen"]))
    | style | rules F1 | model exact | seen |
    |---|---|---|---|
    | edgar | 0.500 | 25% | yes |
    """
    def cell(column: str, value: object) -> str:
        if isinstance(value, bool):
            return "yes" if value else "no"
        if column in SHARE_COLUMNS:
            return f"{value:.0%}"
        return f"{value:.3f}" if isinstance(value, float) else str(value)

    head = [HEADINGS.get(c, c) for c in columns]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(c, row.get(c, "")) for c in columns) + " |" for row in rows]
    return "\n".join(lines)


SHARE_COLUMNS = frozenset({"rules_exact", "model_exact", "placed"})
HEADINGS = {"rules_f1": "rules F1", "model_f1": "model F1", "rules_exact": "rules exact", "model_exact": "model exact",
            "cpu_s": "cpu s/filing", "wall_s": "wall s/filing"}
CONVERTER_COLUMNS = ("style", "converter", "family", "seen", "filings", "rules_f1", "model_f1", "rules_exact", "model_exact")
FAMILY_COLUMNS = ("style", "family", "seen", "converters", "texts", "rules_f1", "model_f1", "rules_exact", "model_exact")
COST_COLUMNS = ("step", "filings", "cpu_s", "wall_s")


# ---------------------------------------------------------------- the command
def evaluate(
    styles: Sequence[str] = FITTED_STYLES,
    converters: str | Sequence[str] = "unseen",
    limit: int | None = None,
    work: Path = DEFAULT_WORK,
    workers: int = 2,
    placement: bool = False,
    raw: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Render, flatten (cached), extract and score; the report as a dict (see :func:`format_report`).

    Raises ``KeyError`` for an unknown style or converter before any work is done.
    """
    from .corpus import DEFAULT_RAW

    names = select(converters)
    unknown = [s for s in styles if s not in known_styles()]
    if unknown:
        raise KeyError(f"unknown page style(s) {unknown}; known: {', '.join(known_styles())}")
    filings = dev_filings(raw or DEFAULT_RAW, limit)
    jobs = [Job(style, f.doc_id, render_page(f.record, f.cell_footnotes, style, page_seed(f.doc_id)),
                Path(work) / style / f.doc_id, names) for style in styles for f in filings]
    results = run_jobs(jobs, workers, progress)
    scores = score(results, {f.doc_id: f for f in filings}, placement)
    return {
        "filings": len(filings),
        "styles": list(styles),
        "converters": list(names),
        "rows": converter_rows(scores),
        "families": family_rows(scores),
        "costs": cost_rows(results),
        "errors": scores.errors,
    }


def format_report(report: dict, placement: bool = False, costs: bool = False) -> str:
    """The markdown tables of :func:`evaluate`'s report: per style x converter, then per family."""
    columns = (*CONVERTER_COLUMNS, "placed") if placement else CONVERTER_COLUMNS
    parts = [f"{report['filings']} dev filings (owners never seen in training); "
             "seen = the style and converter the rules and model were fitted on",
             "", markdown(report["rows"], columns), "", markdown(report["families"], FAMILY_COLUMNS)]
    if costs:
        parts += ["", markdown(report["costs"], COST_COLUMNS)]
    return "\n".join(parts)


def _progress(done: int, total: int) -> None:
    print(f"\rflattening {done}/{total}", end="\n" if done == total else "", file=sys.stderr, flush=True)


def command(
    styles: str, converters: str, limit: int | None, work: Path, workers: int = 2, raw: Path | None = None,
    placement: bool = False, costs: bool = False, as_json: bool = False,
) -> tuple[int, str]:
    """The command line's work: ``(exit status, what to print)``.  A bad option or raw folder is
    one ``error E0NN`` line and status 2; a converter failing on a filing is a warning line on
    stderr and the run goes on."""
    try:
        report = evaluate([s.strip() for s in styles.split(",") if s.strip()], converters, limit,
                          work, workers, placement, raw, _progress)
    except KeyError as err:
        return 2, UnknownConverterError(f"{err.args[0]}; {UnknownConverterError.hint}").one_line()
    except Form4Error as err:
        return 2, f"{err.one_line()} (give the folder of ownership XML with --raw)"
    for group, failures in report["errors"].items():
        for failure in failures:
            print(f"warning: {group}: {failure}", file=sys.stderr)
    return 0, json.dumps(report, indent=1) if as_json else format_report(report, placement, costs)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--styles", default=",".join(FITTED_STYLES), help="comma-separated page styles")
    parser.add_argument("--converters", default="unseen", help="names or families (text-layer, markdown, html-text, ocr, scan), or all/unseen/corpus")
    parser.add_argument("--limit", type=int, default=None, help="only the first N dev filings")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="cache of flattened texts")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--raw", type=Path, default=None, help="folder of ownership XML (default: the shared raw data)")
    parser.add_argument("--placement", action="store_true", help="also report the share of printed gold values the aligner placed")
    parser.add_argument("--costs", action="store_true", help="also report CPU and wall seconds per filing of each converter")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    code, text = command(args.styles, args.converters, args.limit, args.work, args.workers, args.raw,
                         args.placement, args.costs, args.json)
    print(text, file=sys.stderr if code else sys.stdout)
    return code


if __name__ == "__main__":
    sys.exit(main())
