"""Score a directory of predictions (or of texts to extract) against a directory of gold records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..run.batch import collect_inputs, run_batch
from ..errors import Form4Error, GoldFormatError
from ..run.pipeline import RULES_ONLY
from .metrics import Gold, Report, doc_key, load_gold, load_prediction, score_pairs

GOLD_XML_SUFFIXES = (".xml", ".txt", ".nc")


def load_gold_dir(gold_dir: Path, skipped: list[Form4Error] | None = None) -> dict[str, Gold]:
    """Gold records by document name: record JSON files, or ownershipDocument XML (EDGAR). A file
    (or an XML document) that cannot be read is skipped into ``skipped`` (when it is None, a bad
    JSON record is raised and a bad XML document a warning)."""
    if not gold_dir.is_dir():
        raise GoldFormatError("the gold directory does not exist; pass a directory of gold records", str(gold_dir))
    golds: dict[str, Gold] = {}
    for path in sorted(gold_dir.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".json":
            try:
                golds[path.stem] = load_gold(path)
            except Form4Error as err:
                if skipped is None:
                    raise
                skipped.append(err)
        elif path.suffix in GOLD_XML_SUFFIXES:
            from ..io.xml_reader import iter_ownership_documents

            bad: list | None = [] if skipped is not None else None  # None: a warning on the logger each
            for source, record in iter_ownership_documents(path, bad):
                name = Path(source.split("#")[0]).stem if "#" not in source else Path(source.replace("#", "_")).stem
                golds[name] = Gold(record.to_json_dict(), frozenset(), name)
            for err in bad or ():  # named by the file's path, like a bad JSON record
                err.source = str(path.parent / err.source) if err.source else str(path)
                skipped.append(err)
    if not golds:
        raise GoldFormatError("no gold records found (expected *.json records or ownershipDocument *.xml)", str(gold_dir))
    return golds


def score_directory(gold_dir: Path, pred: Path | None = None, input_dir: Path | None = None, settings=None,
                    skipped: list[Form4Error] | None = None) -> tuple[Report, list[str]]:
    """Score predictions (``pred``), or extract ``input_dir`` with ``settings`` (default: rules only)
    and score that. A gold or predicted file that cannot be read is left out and its error added
    to ``skipped`` (raised when ``skipped`` is None)."""
    golds = load_gold_dir(gold_dir, skipped)
    predictions: list[tuple[str, dict[str, Any]]] = []
    if pred is not None:
        for path in sorted(pred.rglob("*.json")):
            try:
                predictions.append((path.stem, load_prediction(path)))
            except Form4Error as err:
                if skipped is None:
                    raise
                skipped.append(err)
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
