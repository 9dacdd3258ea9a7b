"""Build the labelled corpus: EDGAR XML -> rendered HTML -> PDF -> real converters (+ noise) -> spans.

``form4 corpus build`` runs this. Every Form 4 in the raw folder is a perfect
answer key: we render it the way EDGAR does, print it, flatten it with real
converters and with noise transforms modelled on the seeds, then project the
XML's values back onto each text (``training.align``).

Outputs (``--out``, default ``corpus/``):

* ``train.jsonl.gz`` / ``dev.jsonl.gz``: ``{"text", "spans": [{start, end, label}], "meta":
  {source, doc_id, converter, split, owners}}`` — one line per (filing, converter);
* ``gold/<doc_id>.json``: the gold record of each filing (for ``form4 score``);
* ``text/<split>/<doc_id>.<converter>.txt``: the flattened texts (for ``form4 score --input``);
* ``report.json``: per converter and per label, how many gold values the aligner placed,
  and the values it could not place;
* ``cache/``: rendered HTML and converter outputs, reused by the next build.

The split is by reporting owner: owners that file together are one group, and no
group has filings on both sides (seeded, reproducible).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import random
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from extractor.schema import Record
from extractor.xml_reader import CellFootnotes, iter_parsed_documents

from .align import Alignment, align_record

log = logging.getLogger(__name__)

DEFAULT_RAW = Path(__file__).resolve().parents[2] / "shared" / "data" / "form4-raw"
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "corpus"
SEED_TEXTS = Path(__file__).resolve().parents[1] / "samples"
SEED_GOLD = Path(__file__).resolve().parents[1] / "annotations" / "gold"

#: noise transform -> the converter output it is applied to
NOISE_BASES: dict[str, str] = {
    "scramble_columns": "pdftotext-raw",
    "html_tags": "pdftotext-raw",
    "markdown_br_table": "pandoc-gfm",
    "ocr_confusions": "pdftotext-layout",
    "tab_soup": "pdftotext-layout",
}


@dataclass(frozen=True)
class Filing:
    doc_id: str
    source: str
    record: Record
    cell_footnotes: CellFootnotes

    @property
    def owners(self) -> tuple[str, ...]:
        return tuple(sorted({(o.name or "").strip().upper() for o in self.record.reporting_owners if o.name}))


def doc_id_of(source: str) -> str:
    return hashlib.sha1(source.encode()).hexdigest()[:12]


def load_filings(raw: Path) -> list[Filing]:
    out = [Filing(doc_id_of(src), src, p.record, p.cell_footnotes) for src, p in iter_parsed_documents(raw)]
    return sorted(out, key=lambda f: f.doc_id)


# ---------------------------------------------------------------- the split
def split_by_owner(filings: list[Filing], dev_share: float = 0.2, seed: int = 13) -> dict[str, str]:
    """doc_id -> "train" | "dev"; owners who ever file together stay on one side."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for f in filings:
        owners = f.owners or (f"doc:{f.doc_id}",)
        for other in owners[1:]:
            parent[find(other)] = find(owners[0])
    groups: dict[str, list[Filing]] = defaultdict(list)
    for f in filings:
        groups[find((f.owners or (f"doc:{f.doc_id}",))[0])].append(f)
    keys = sorted(groups)
    random.Random(seed).shuffle(keys)
    target = dev_share * len(filings)
    split: dict[str, str] = {}
    dev_count = 0
    for key in keys:
        members = groups[key]
        # no single group may take the whole dev side: skip groups larger than the target
        side = "dev" if dev_count < target and len(members) <= max(target - dev_count, target * 0.6) else "train"
        dev_count += len(members) if side == "dev" else 0
        for f in members:
            split[f.doc_id] = side
    return split


# ---------------------------------------------------------------- flattening (cached)
def _flatten_one(job: tuple[str, str, Path, tuple[str, ...]]) -> tuple[str, dict[str, str], str | None]:
    from .flatten import flatten

    doc_id, html, workdir, converters = job
    workdir.mkdir(parents=True, exist_ok=True)
    texts: dict[str, str] = {}
    todo = []
    for name in converters:
        cached = workdir / f"{name}.txt"
        if cached.exists():
            texts[name] = cached.read_text(encoding="utf-8")
        else:
            todo.append(name)
    error = None
    if todo:
        try:
            fresh = flatten(html, workdir, todo)
        except Exception as err:  # a converter failing on one filing must not stop the build
            return doc_id, texts, f"{type(err).__name__}: {err}"
        for name, text in fresh.items():
            (workdir / f"{name}.txt").write_text(text, encoding="utf-8")
            texts[name] = text
        pdf = workdir / "form4.pdf"
        if pdf.exists():
            pdf.unlink()
    return doc_id, texts, error


def flatten_all(
    filings: list[Filing], cache: Path, converters: tuple[str, ...], workers: int, progress: Callable[[int, int], None]
) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    from .render import render_html

    jobs = []
    for f in filings:
        workdir = cache / f.doc_id
        workdir.mkdir(parents=True, exist_ok=True)
        html_path = workdir / "form4.html"
        html = render_html(f.record, f.cell_footnotes)
        if html_path.exists() and html_path.read_text(encoding="utf-8") != html:
            for stale in workdir.glob("*.txt"):  # the page changed: its flattenings are stale
                stale.unlink()
        html_path.write_text(html, encoding="utf-8")
        jobs.append((f.doc_id, html, workdir, converters))
    texts: dict[str, dict[str, str]] = {}
    errors: dict[str, str] = {}
    done = 0
    with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = [pool.submit(_flatten_one, job) for job in jobs]
        for fut in as_completed(futures):
            doc_id, out, error = fut.result()
            texts[doc_id] = out
            if error:
                errors[doc_id] = error
            done += 1
            progress(done, len(jobs))
    return texts, errors


def add_noise(texts: dict[str, str], doc_id: str, seed: int) -> dict[str, str]:
    from .noise import apply_noise

    out = {}
    for name, base in NOISE_BASES.items():
        if base in texts:
            salt = int(hashlib.sha1(f"{doc_id}:{name}".encode()).hexdigest()[:8], 16)
            out[f"noise-{name}"] = apply_noise(texts[base], name, seed ^ salt)
    return out


# ---------------------------------------------------------------- the build
@dataclass
class BuildReport:
    filings: int
    documents: int
    seconds: float
    coverage: dict[str, dict[str, list[int]]]
    unplaced: dict[str, dict[str, int]]
    errors: dict[str, str]
    split_counts: dict[str, int]

    def to_dict(self) -> dict:
        return self.__dict__


def _line(text: str, alignment: Alignment, meta: dict) -> str:
    return json.dumps({"text": text, "spans": alignment.spans, "meta": meta}, ensure_ascii=False)


def _stderr_progress(done: int, total: int) -> None:
    if sys.stderr.isatty() or done == total or done % 25 == 0:
        print(f"\rflattening {done}/{total}", end="\n" if done == total else "", file=sys.stderr, flush=True)


def build(
    raw: Path = DEFAULT_RAW,
    out: Path = DEFAULT_OUT,
    converters: Iterable[str] | None = None,
    noise: bool = True,
    workers: int = 2,
    seed: int = 13,
    limit: int | None = None,
    progress: Callable[[int, int], None] = _stderr_progress,
) -> BuildReport:
    from .flatten import ALL_CONVERTERS

    started = time.perf_counter()
    converters = tuple(converters or ALL_CONVERTERS)
    filings = load_filings(raw)
    split = split_by_owner(filings, seed=seed)
    if limit:
        filings = filings[:limit]
    out.mkdir(parents=True, exist_ok=True)
    (out / "gold").mkdir(exist_ok=True)
    texts, errors = flatten_all(filings, out / "cache", converters, workers, progress)

    coverage: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    unplaced: dict[str, Counter] = defaultdict(Counter)
    writers = {s: gzip.open(out / f"{s}.jsonl.gz", "wt", encoding="utf-8") for s in ("train", "dev")}
    text_dir = out / "text"
    documents = 0
    split_counts: Counter = Counter()
    try:
        for f in filings:
            side = split[f.doc_id]
            split_counts[side] += 1
            gold = f.record.to_json_dict()
            (out / "gold" / f"{f.doc_id}.json").write_text(json.dumps(gold, indent=1, ensure_ascii=False), encoding="utf-8")
            variants = dict(texts.get(f.doc_id, {}))
            if noise:
                variants.update(add_noise(variants, f.doc_id, seed))
            for converter, text in sorted(variants.items()):
                alignment = align_record(f.record, text)
                for p in alignment.placements:
                    cell = coverage[converter][p.label]
                    cell[1] += 1
                    cell[0] += p.status == "placed"
                    if p.status != "placed":
                        unplaced[converter][p.label] += 1
                meta = {"source": f.source, "doc_id": f.doc_id, "converter": converter, "split": side, "owners": list(f.owners)}
                writers[side].write(_line(text, alignment, meta) + "\n")
                target = text_dir / side / f"{f.doc_id}.{converter}.txt"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
                documents += 1
        documents += _write_seeds(writers["train"], coverage)
    finally:
        for w in writers.values():
            w.close()
    report = BuildReport(
        filings=len(filings),
        documents=documents,
        seconds=round(time.perf_counter() - started, 1),
        coverage={c: dict(v) for c, v in coverage.items()},
        unplaced={c: dict(v) for c, v in unplaced.items()},
        errors=errors,
        split_counts=dict(split_counts),
    )
    (out / "report.json").write_text(json.dumps(report.to_dict(), indent=1), encoding="utf-8")
    return report


def _write_seeds(writer, coverage) -> int:
    """The five seeds' hand-typed gold records, aligned onto their texts, join the training side."""
    from extractor.score import load_gold

    count = 0
    for text_path in sorted(SEED_TEXTS.glob("*.txt")):
        gold_path = SEED_GOLD / f"{text_path.stem}.json"
        if not gold_path.exists():
            continue
        gold = load_gold(gold_path)
        record = Record.model_validate({k: v for k, v in gold.record.items() if k not in ("confidence", "warnings")})
        text = text_path.read_text(encoding="utf-8")
        alignment = align_record(record, text)
        for p in alignment.placements:
            cell = coverage["seed"][p.label]
            cell[1] += 1
            cell[0] += p.status == "placed"
        meta = {"source": f"samples/{text_path.name}", "doc_id": text_path.stem, "converter": "seed", "split": "train", "owners": []}
        writer.write(_line(text, alignment, meta) + "\n")
        count += 1
    return count


def coverage_table(report: dict) -> str:
    """Markdown table: per converter, share of gold values placed, overall and for key labels."""
    rows = ["| converter | values | placed | share |", "|---|---|---|---|"]
    for converter, per in sorted(report["coverage"].items()):
        placed = sum(v[0] for v in per.values())
        total = sum(v[1] for v in per.values())
        rows.append(f"| {converter} | {total} | {placed} | {placed / total:.1%} |" if total else f"| {converter} | 0 | 0 | - |")
    return "\n".join(rows)


def iter_jsonl(path: Path) -> Iterable[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)
