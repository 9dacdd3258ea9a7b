"""Rules only vs model: field F1 per converter on a split of the corpus and on the seeds.

``form4 evaluate`` prints the markdown table the README quotes. The dev split
holds only filings of reporting owners never seen in training.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from form4.errors import Form4Error
from form4.run.pipeline import RULES_ONLY, Extractor, extract_text
from form4.score.metrics import Gold, Report, load_gold, score_document

ROOT = Path(__file__).resolve().parents[1]


def _score_texts(items: list[tuple[Gold, str, str, str]], extractor: Extractor) -> Report:
    report = Report()
    for gold, text, group, name in items:
        try:
            pred = extract_text(text, name, extractor).to_json_dict()
        except Form4Error:
            pred = {}
        report.docs.append(score_document(gold, pred, group, name))
    return report


INSPECTED = ROOT / "annotations" / "corpus" / "inspected-dev.txt"


def inspected_dev() -> set[str]:
    """Dev filings looked at during development: never scored (no tuning on what we evaluate on)."""
    if not INSPECTED.exists():
        return set()
    return {ln.strip() for ln in INSPECTED.read_text().splitlines() if ln.strip() and not ln.startswith("#")}


def corpus_golds(corpus: Path) -> dict[str, Gold]:
    """Gold records of a corpus build (``gold.jsonl.gz``) by document id."""
    from .corpus import iter_jsonl

    return {g["doc_id"]: Gold(g["record"], frozenset(), g["doc_id"]) for g in iter_jsonl(corpus / "gold.jsonl.gz")}


def text_name(meta: dict) -> str:
    """A corpus text's name, ``<doc_id>.<converter>``, with the page style for pages other than a
    real filing's EDGAR page (one filing is printed in several styles):

    >>> text_name({"doc_id": "abc", "converter": "pypdf", "style": "paper"})
    'abc@paper.pypdf'
    >>> text_name({"doc_id": "abc", "converter": "pypdf", "style": "edgar"})
    'abc.pypdf'
    """
    style = meta.get("style") or "edgar"
    page = meta["doc_id"] if style in ("edgar", "seed") else f"{meta['doc_id']}@{style}"
    return f"{page}.{meta['converter']}"


def corpus_items(corpus: Path, split: str, limit: int | None = None, styles: Iterable[str] | None = None,
                 exclude_styles: Iterable[str] = ()) -> list[tuple[Gold, str, str, str]]:
    """(gold, text, converter, name) of one split: from the JSONL annotations and gold.jsonl.gz;
    only the page ``styles`` asked for (all by default) and none of ``exclude_styles``; at most
    ``limit`` texts per style and converter."""
    from .corpus import iter_jsonl

    skip = inspected_dev() if split == "dev" else set()
    wanted = set(styles) if styles is not None else None
    excluded = set(exclude_styles)
    golds = corpus_golds(corpus)
    per_group: dict[tuple[str, str], int] = defaultdict(int)
    items = []
    for example in iter_jsonl(corpus / f"{split}.jsonl.gz"):
        meta = example["meta"]
        doc_id, converter, style = meta["doc_id"], meta["converter"], meta.get("style") or "edgar"
        if (wanted is not None and style not in wanted) or style in excluded:
            continue
        if doc_id in skip or doc_id not in golds or (limit and per_group[(style, converter)] >= limit):
            continue
        per_group[(style, converter)] += 1
        items.append((golds[doc_id], example["text"], converter, text_name(meta)))
    return items


def seed_items() -> list[tuple[Gold, str, str, str]]:
    items = []
    for path in sorted((ROOT / "samples").glob("*.txt")):
        gold = load_gold(ROOT / "annotations" / "gold" / f"{path.stem}.json")
        items.append((gold, path.read_text(encoding="utf-8"), "seeds", path.stem))
    return items


def compare(items: list[tuple[Gold, str, str, str]], model: Extractor) -> tuple[Report, Report]:
    return _score_texts(items, RULES_ONLY), _score_texts(items, model)


def evaluate_table(corpus: Path, split: str = "dev", limit: int | None = None, model: Extractor | None = None) -> str:
    from form4.run.pipeline import model_extractor

    model = model or model_extractor()
    rows = ["| converter | filings | rules-only F1 | model F1 | rules exact | model exact |", "|---|---|---|---|---|---|"]
    for title, items in ((f"{split} split", corpus_items(corpus, split, limit)), ("seeds", seed_items())):
        rules, with_model = compare(items, model)
        for group in rules.groups():
            n = sum(d.group == group for d in rules.docs)
            rows.append(
                f"| {group} | {n} | {rules.total(group).f1:.3f} | {with_model.total(group).f1:.3f} | "
                f"{rules.exact_rate(group):.0%} | {with_model.exact_rate(group):.0%} |"
            )
        rows.append(
            f"| **all {title}** | {len({d.name.split('.')[0] for d in rules.docs})} | {rules.total().f1:.3f} | "
            f"{with_model.total().f1:.3f} | {rules.exact_rate():.0%} | {with_model.exact_rate():.0%} |"
        )
    return "\n".join(rows)
