"""Build the labelled corpus: EDGAR XML -> rendered HTML -> PDF -> real converters (+ noise) -> spans.

``form4 corpus build`` runs this. Every Form 4 in the raw folder is a perfect
answer key: we render it the way EDGAR does, print it, flatten it with real
converters and with noise transforms modelled on the seeds, then project the
XML's values back onto each text (``training.align``).

Outputs (``--out``, default ``corpus/``):

* ``train.jsonl.gz`` / ``dev.jsonl.gz``: ``{"text", "spans": [{start, end, label}], "meta":
  {source, doc_id, converter, split, owners, style, synthetic}}`` — one line per (filing, page
  style, converter);
* ``gold/<doc_id>.json``: the gold record of each filing (for ``form4 score``);
* ``text/<split>/<doc_id>.<converter>.txt``: the flattened texts of the EDGAR page (for
  ``form4 score --input``); other page styles and synthetic filings under
  ``text/<style>/<split>/``;
* ``report.json``: per converter and per label, how many of the values the page prints
  the aligner placed, the values it could not place (counts and examples), spans off
  token boundaries and the align time per text (:mod:`.corpus_report`);
* ``cache/``: rendered HTML and converter outputs, reused by the next build: ``cache/<doc_id>/``
  for the EDGAR page of a real filing, ``cache/<doc_id>@<style>/`` for every other page.

The split is by reporting owner: owners that file together are one group, and no
group has filings on both sides (seeded, reproducible).

Page styles (``styles``, default only ``edgar``): each real filing is rendered in every
style — the EDGAR page exactly as ``training.render`` prints it, the others with a
presentation seeded by the document id (``training.styles``). Synthetic filings
(``synthetic=N``, ``training.synth``, seeded by ``seed``) are rendered one style each
in turn, with a seeded presentation, and go to the training side only: real filings
stay the dev measure.
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
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable, Iterable

from form4.schema import Record
from form4.io.xml_reader import CellFootnotes, iter_parsed_documents

from .align import Alignment, align_record
from .corpus_report import Coverage

log = logging.getLogger(__name__)

DEFAULT_RAW = Path(__file__).resolve().parents[2] / "shared" / "data" / "form4-raw"
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "annotations" / "corpus"  # committed
DEFAULT_WORK = Path(__file__).resolve().parents[1] / "corpus"  # derived: cache, texts (git-ignored)
SEED_TEXTS = Path(__file__).resolve().parents[1] / "samples"
SEED_GOLD = Path(__file__).resolve().parents[1] / "annotations" / "gold"

#: noise transform -> the converter output it is applied to
NOISE_BASES: dict[str, str] = {
    "scramble_columns": "pdftotext-raw",
    "html_tags": "pdftotext-raw",
    "markdown_br_table": "pdftotext-layout",  # a PDF-to-markdown converter: rows of the printed page
    "ocr_confusions": "pdftotext-layout",
    "tab_soup": "pdftotext-layout",
}


@dataclass(frozen=True)
class Filing:
    doc_id: str
    source: str
    record: Record
    cell_footnotes: CellFootnotes
    synthetic: bool = False

    @property
    def owners(self) -> tuple[str, ...]:
        return tuple(sorted({(o.name or "").strip().upper() for o in self.record.reporting_owners if o.name}))


def doc_id_of(source: str) -> str:
    return hashlib.sha1(source.encode()).hexdigest()[:12]


def load_filings(raw: Path) -> list[Filing]:
    out = [Filing(doc_id_of(src), src, p.record, p.cell_footnotes) for src, p in iter_parsed_documents(raw)]
    return sorted(out, key=lambda f: f.doc_id)


def synthetic_filings(n: int, seed: int) -> list[Filing]:
    """``n`` synthetic filings (``training.synth``), ids ``synth-<seed>-<k>``.

    >>> [f.doc_id for f in synthetic_filings(2, 13)]
    ['synth-13-00000', 'synth-13-00001']
    """
    from .synth import synthesise

    return [Filing(f"synth-{seed}-{k:05d}", f"synthetic:seed={seed}:{k}", s.record, s.cell_footnotes, True)
            for k, s in enumerate(synthesise(n, seed))]


@dataclass(frozen=True)
class Page:
    """One filing printed in one page style."""

    filing: Filing
    style: str = "edgar"

    @property
    def key(self) -> str:
        """The cache folder and noise salt: the document id for a real filing's EDGAR page
        (the name the committed corpus's texts are cached under), ``<doc_id>@<style>`` otherwise.

        >>> f = Filing("abc", "x.xml", Record(), {})
        >>> Page(f).key, Page(f, "paper").key
        ('abc', 'abc@paper')
        """
        if self.style == "edgar" and not self.filing.synthetic:
            return self.filing.doc_id
        return f"{self.filing.doc_id}@{self.style}"

    @property
    def seed(self) -> int | None:
        """The presentation seed: none for a real filing's EDGAR page (``render_html``'s page)."""
        if self.key == self.filing.doc_id:
            return None
        return int(hashlib.sha1(self.key.encode()).hexdigest()[:8], 16)

    def html(self) -> str:
        from .pages import render_styled

        return render_styled(self.filing.record, self.style, self.seed, self.filing.cell_footnotes)

    def coverage_group(self, converter: str) -> str:
        """The report's row: the converter alone for real EDGAR pages, ``[synthetic-]<style>:<converter>`` otherwise."""
        if self.key == self.filing.doc_id:
            return converter
        return f"{'synthetic-' if self.filing.synthetic else ''}{self.style}:{converter}"

    def text_path(self, text_dir: Path, side: str, converter: str) -> Path:
        folder = text_dir / side if self.key == self.filing.doc_id else text_dir / self.style / side
        return folder / f"{self.filing.doc_id}.{converter}.txt"


def pages_of(filings: list[Filing], synthetic: list[Filing], styles: tuple[str, ...]) -> list[Page]:
    """Every real filing in every style; synthetic filing ``k`` in style ``k mod len(styles)``.

    >>> real, synth = [Filing("a", "a", Record(), {})], [Filing(f"s{k}", "", Record(), {}, True) for k in range(3)]
    >>> [p.key for p in pages_of(real, synth, ("edgar", "paper"))]
    ['a', 'a@paper', 's0@edgar', 's1@paper', 's2@edgar']
    """
    return [Page(f, s) for f in filings for s in styles] + [
        Page(f, styles[k % len(styles)]) for k, f in enumerate(synthetic)]


# ---------------------------------------------------------------- the split
def thin_training_styles(pages: list[Page], split: dict[str, str], per_filing: int | None,
                         dev_filings: int | None = None) -> list[Page]:
    """Real training filings keep their EDGAR page and ``per_filing`` of the other styles, taken in
    turn filing after filing (so every style gets its share); synthetic pages are all kept; dev
    filings keep every style, or only the first ``dev_filings`` of them do (the others their EDGAR
    page). ``None`` keeps every page.

    >>> fs = [Filing(x, x, Record(), {}) for x in "abcd"]
    >>> pages = pages_of(fs, [], ("edgar", "paper", "plain"))
    >>> [p.key for p in thin_training_styles(pages, {"a": "train", "b": "train", "c": "dev", "d": "dev"}, 1, 1)]
    ['a', 'a@paper', 'b', 'b@plain', 'c', 'c@paper', 'c@plain', 'd']
    """
    if dev_filings is not None:
        dev = list(dict.fromkeys(p.filing.doc_id for p in pages if split.get(p.filing.doc_id) == "dev"))
        dropped = set(dev[dev_filings:])
        pages = [p for p in pages if p.filing.doc_id not in dropped or p.key == p.filing.doc_id]
    if per_filing is None:
        return pages
    others = list(dict.fromkeys(p.style for p in pages if p.key != p.filing.doc_id and not p.filing.synthetic))
    turn: dict[str, int] = {}
    kept = []
    for page in pages:
        f = page.filing
        if f.synthetic or split.get(f.doc_id) != "train" or page.key == f.doc_id:
            kept.append(page)
            continue
        i = turn.setdefault(f.doc_id, len(turn))
        chosen = {others[(i + j) % len(others)] for j in range(min(per_filing, len(others)))}
        if page.style in chosen:
            kept.append(page)
    return kept


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
    """One page's texts: cached ones read, the ``-geometry`` ones laid out from the cached word
    boxes, the rest flattened (the PDF printed once) and cached."""
    from .convert import DERIVED_FROM, flatten

    doc_id, html, workdir, converters = job
    workdir.mkdir(parents=True, exist_ok=True)
    texts: dict[str, str] = {}
    todo = []
    for name in converters:
        cached = workdir / f"{name}.txt"
        if cached.exists() and name not in DERIVED_FROM:  # (-geometry: laid out again, never stale)
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
            if name not in DERIVED_FROM:
                (workdir / f"{name}.txt").write_text(text, encoding="utf-8")
            texts[name] = text
        pdf = workdir / "form4.pdf"
        if pdf.exists():
            pdf.unlink()
    return doc_id, texts, error


def page_converters(page: Page, side: str, converters: tuple[str, ...], ocr_share: float) -> tuple[str, ...]:
    """The converters one page is flattened with: all of them, except that only ``ocr_share`` of the
    training pages other than real filings' EDGAR pages (chosen by a hash of the page key) are also
    OCR'd and scanned — OCR is ~90% of the build's cost. Dev pages (the evaluation) always get
    every converter.

    >>> f = Filing("abc", "x.xml", Record(), {})
    >>> page_converters(Page(f, "paper"), "dev", ("pypdf", "ocr-300-psm4-norules"), 0.0)
    ('pypdf', 'ocr-300-psm4-norules')
    >>> page_converters(Page(f, "paper"), "train", ("pypdf", "ocr-300-psm4-norules"), 0.0)
    ('pypdf',)
    """
    from .convert import REGISTRY

    if side != "train" or page.key == page.filing.doc_id or ocr_share >= 1:
        return converters
    drawn = int(hashlib.sha1(f"ocr:{page.key}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    if drawn < ocr_share:
        return converters
    return tuple(c for c in converters if REGISTRY[c].family not in ("ocr", "scan"))


def flatten_all(
    pages: list[Page], cache: Path, converters: tuple[str, ...] | Callable[[Page], tuple[str, ...]], workers: int,
    progress: Callable[[int, int], None],
) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Flatten every page (cached per page key) with ``converters`` (or ``converters(page)``);
    returns texts and errors by page key."""
    jobs = []
    for page in pages:
        workdir = cache / page.key
        workdir.mkdir(parents=True, exist_ok=True)
        html = page.html()
        digest = hashlib.sha1(html.encode()).hexdigest()
        stamp = workdir / "page.sha1"  # (flatten() rewrites form4.html with its print CSS)
        if stamp.exists() and stamp.read_text() != digest:
            for stale in [*workdir.glob("*.txt"), *workdir.glob("*.tsv")]:  # the page changed: its flattenings are stale
                stale.unlink()
        stamp.write_text(digest)
        jobs.append((page.key, html, workdir, converters(page) if callable(converters) else converters))
    texts: dict[str, dict[str, str]] = {}
    errors: dict[str, str] = {}
    done = 0
    with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = [pool.submit(_flatten_one, job) for job in jobs]
        for fut in as_completed(futures):
            key, out, error = fut.result()
            texts[key] = out
            if error:
                errors[key] = error
            done += 1
            progress(done, len(jobs))
    return texts, errors


def _converters_of(page: Page, split: dict[str, str], converters: tuple[str, ...], ocr_share: float) -> tuple[str, ...]:
    return page_converters(page, split[page.filing.doc_id], converters, ocr_share)


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
    styles: list[str] = field(default_factory=lambda: ["edgar"])
    synthetic: int = 0
    unplaced_examples: dict[str, dict[str, list[list[str]]]] = field(default_factory=dict)
    misaligned_spans: dict[str, int] = field(default_factory=dict)
    spans: dict[str, int] = field(default_factory=dict)
    align_seconds_per_text: dict[str, float] = field(default_factory=dict)

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
    work: Path = DEFAULT_WORK,
    converters: Iterable[str] | None = None,
    noise: bool = True,
    workers: int = 2,
    seed: int = 13,
    limit: int | None = None,
    progress: Callable[[int, int], None] = _stderr_progress,
    styles: Iterable[str] = ("edgar",),
    synthetic: int = 0,
    ocr_share: float = 1.0,
    train_styles: int | None = None,
    dev_filings: int | None = None,
) -> BuildReport:
    """Build the corpus; ``styles`` and ``synthetic`` at their defaults build the real filings' EDGAR pages only."""
    from .convert import ALL_CONVERTERS

    started = time.perf_counter()
    converters = tuple(converters or ALL_CONVERTERS)
    styles = tuple(styles)
    filings = load_filings(raw)
    split = split_by_owner(filings, seed=seed)
    if limit:
        filings = filings[:limit]
    synthetic_side = synthetic_filings(synthetic, seed)
    split.update({f.doc_id: "train" for f in synthetic_side})  # synthetic filings only ever train
    pages = thin_training_styles(pages_of(filings, synthetic_side, styles), split, train_styles, dev_filings)
    out.mkdir(parents=True, exist_ok=True)
    (work / "gold").mkdir(parents=True, exist_ok=True)
    chosen = partial(_converters_of, split=split, converters=converters, ocr_share=ocr_share)
    # the evaluation's pages first, then the real training pages, then the synthetic ones: a build
    # stopped part way (and resumed later from the cache) has what is measured first
    order = sorted(pages, key=lambda p: (split[p.filing.doc_id] != "dev", p.filing.synthetic))
    texts, errors = flatten_all(order, work / "cache", chosen, workers, progress)

    coverage = Coverage()
    writers = {s: gzip.open(out / f"{s}.jsonl.gz", "wt", encoding="utf-8") for s in ("train", "dev", "gold")}
    text_dir = work / "text"
    documents = 0
    split_counts: Counter = Counter()
    by_filing: dict[str, list[Page]] = defaultdict(list)
    for page in pages:
        by_filing[page.filing.doc_id].append(page)
    try:
        for f in filings + synthetic_side:
            side = split[f.doc_id]
            split_counts[side] += 1
            gold = f.record.to_json_dict()
            (work / "gold" / f"{f.doc_id}.json").write_text(json.dumps(gold, indent=1, ensure_ascii=False), encoding="utf-8")
            writers["gold"].write(json.dumps({"doc_id": f.doc_id, "source": f.source, "split": side, "record": gold}, ensure_ascii=False) + "\n")
            for page in by_filing[f.doc_id]:
                variants = dict(texts.get(page.key, {}))
                if noise:
                    variants.update(add_noise(variants, page.key, seed))
                for converter, text in sorted(variants.items()):
                    aligned_at = time.perf_counter()
                    alignment = align_record(f.record, text)
                    coverage.add(page.coverage_group(converter), f.doc_id, alignment, time.perf_counter() - aligned_at)
                    meta = {"source": f.source, "doc_id": f.doc_id, "converter": converter, "split": side,
                            "owners": list(f.owners), "style": page.style, "synthetic": f.synthetic}
                    writers[side].write(_line(text, alignment, meta) + "\n")
                    target = page.text_path(text_dir, side, converter)
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
        errors=errors,
        split_counts=dict(split_counts),
        styles=list(styles),
        synthetic=len(synthetic_side),
        **coverage.report_fields(),
    )
    (out / "report.json").write_text(json.dumps(report.to_dict(), indent=1), encoding="utf-8")
    return report


def _write_seeds(writer, coverage: Coverage) -> int:
    """The five seeds' hand-typed gold records, aligned onto their texts, join the training side."""
    from form4.score.metrics import load_gold

    count = 0
    for text_path in sorted(SEED_TEXTS.glob("*.txt")):
        gold_path = SEED_GOLD / f"{text_path.stem}.json"
        if not gold_path.exists():
            continue
        gold = load_gold(gold_path)
        record = Record.model_validate({k: v for k, v in gold.record.items() if k not in ("confidence", "warnings")})
        text = text_path.read_text(encoding="utf-8")
        aligned_at = time.perf_counter()
        alignment = align_record(record, text)
        coverage.add("seed", text_path.stem, alignment, time.perf_counter() - aligned_at)
        meta = {"source": f"samples/{text_path.name}", "doc_id": text_path.stem, "converter": "seed", "split": "train", "owners": [],
                "style": "seed", "synthetic": False}
        writer.write(_line(text, alignment, meta) + "\n")
        count += 1
    return count


def iter_jsonl(path: Path) -> Iterable[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)
