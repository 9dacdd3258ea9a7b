"""Score a directory of predictions (or of texts to extract) against a directory of gold records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..run.batch import collect_inputs, run_batch
from ..errors import GoldFormatError
from ..run.pipeline import RULES_ONLY
from .metrics import Gold, Report, doc_key, load_gold, score_pairs

GOLD_XML_SUFFIXES = (".xml", ".txt", ".nc")


def load_gold_dir(gold_dir: Path) -> dict[str, Gold]:
    """Gold records by document name: record JSON files, or ownershipDocument XML (EDGAR)."""
    if not gold_dir.is_dir():
        raise GoldFormatError("the gold directory does not exist; pass a directory of gold records", str(gold_dir))
    golds: dict[str, Gold] = {}
    for path in sorted(gold_dir.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".json":
            gold = load_gold(path)
            golds[path.stem] = gold
        elif path.suffix in GOLD_XML_SUFFIXES:
            from ..io.xml_reader import iter_ownership_documents

            for source, record in iter_ownership_documents(path):
                name = Path(source.split("#")[0]).stem if "#" not in source else Path(source.replace("#", "_")).stem
                golds[name] = Gold(record.to_json_dict(), frozenset(), name)
    if not golds:
        raise GoldFormatError("no gold records found (expected *.json records or ownershipDocument *.xml)", str(gold_dir))
    return golds


def score_directory(gold_dir: Path, pred: Path | None = None, input_dir: Path | None = None, settings=None) -> tuple[Report, list[str]]:
    """Score predictions (``pred``), or extract ``input_dir`` with ``settings`` (default: rules only) and score that."""
    golds = load_gold_dir(gold_dir)
    predictions: list[tuple[str, dict[str, Any]]] = []
    if pred is not None:
        for path in sorted(pred.rglob("*.json")):
            predictions.append((path.stem, json.loads(path.read_text(encoding="utf-8"))))
    else:
        assert input_dir is not None
        result = run_batch(collect_inputs([str(input_dir)]), settings or RULES_ONLY)
        for item, record in result.records:
            predictions.append((item.relative.with_suffix("").name, record.to_json_dict()))
        for item, err in result.failures:
            predictions.append((item.relative.with_suffix("").name, {}))
    pairs, unmatched = [], []
    for name, data in predictions:
        doc, converter = doc_key(name)
        gold = golds.get(doc)
        if gold is None:
            unmatched.append(name)
            continue
        pairs.append((gold, data, converter, name))
    return score_pairs(pairs), unmatched
