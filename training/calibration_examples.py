"""The calibrator's training examples: every predicted leaf of the training split, its features and
whether it is right, grouped into held-out folds by converter and by page style.

The NER model saw every corpus converter and style in training, so the calibrator is
*cross-fitted*: each fold's leaves are scored by a calibrator fitted on the other folds only,
and the page novelty of each text is measured against the words of the *other* folds' filings
(a filing's own words never count as familiar).
"""

from __future__ import annotations

import pickle
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from form4.assemble.provenance import Assembly
from form4.calibrate.calibrator import record_signals
from form4.calibrate.features import leaf_matrix
from form4.calibrate.text import vocabulary_of, words
from form4.errors import Form4Error
from form4.run.pipeline import Extractor, read_filing
from form4.score.metrics import score_document, scored_leaves

#: A word counts as familiar when printed in at least this many filings (owners' names are not).
MIN_FILINGS = 3


@dataclass
class Examples:
    """Leaf examples of one split: feature rows, outcomes, and the documents they come from."""

    X: list[Any] = field(default_factory=list)  # one feature matrix per document (rows: its scored leaves)
    right: list[bool] = field(default_factory=list)
    doc: list[int] = field(default_factory=list)  # index into docs, per leaf
    docs: list[dict[str, Any]] = field(default_factory=list)  # name, converter, style, exact, has_text, failed, leaves

    def __len__(self) -> int:
        return len(self.right)

    def matrix(self):
        import numpy as np

        from form4.calibrate.features import FEATURES

        return np.vstack(self.X) if self.X else np.zeros((0, len(FEATURES)))


def styles(corpus: Path, split: str) -> dict[str, str]:
    """A text's name (:func:`form4.training.evaluate.text_name`) -> page style, for corpora whose
    ``meta`` has a ``style``."""
    from .corpus import iter_jsonl
    from .evaluate import text_name

    out = {}
    path = corpus / f"{split}.jsonl.gz"
    if path.exists():
        for example in iter_jsonl(path):
            meta = example.get("meta") or {}
            if meta.get("style") and meta.get("doc_id"):
                out[text_name({"converter": "as-given", **meta})] = str(meta["style"])
    return out


def filing_of(name: str) -> str:
    """The filing a corpus text prints (one filing prints under several converters and styles).

    >>> filing_of("abc@paper.pypdf"), filing_of("abc.pdftotext-layout")
    ('abc', 'abc')
    """
    return name.partition(".")[0].partition("@")[0]


def read_all(items, extractor: Extractor, cache: Path | None = None) -> dict[str, Assembly | None]:
    """Each text's uncalibrated record and provenance (None where extraction failed); kept in
    ``cache`` (a local pickle, never shipped) so that calibrations can be compared without re-reading."""
    if cache and cache.exists():
        with cache.open("rb") as fh:
            return pickle.load(fh)
    raw = replace(extractor, calibrator=None)
    out: dict[str, Assembly | None] = {}
    for _, text, _, name in items:
        try:
            out[name] = read_filing(text, name, raw)
        except Form4Error:
            out[name] = None
    if cache:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with cache.open("wb") as fh:
            pickle.dump(out, fh)
    return out


def _key(doc: dict[str, Any]) -> tuple[str, str]:
    return doc["converter"], doc["style"]


def _held_out_from(held: tuple[str, str], other: tuple[str, str]) -> bool:
    """Whether a document of key ``other`` may teach the fold that holds out ``held``: neither its
    converter nor (when the corpus has styles) its page style may be the held-out one's."""
    return other[0] != held[0] and (not held[1] or other[1] != held[1])


def held_out_vocabularies(docs: list[dict[str, Any]], page_words: list[list[str]]) -> list[frozenset[str]]:
    """Per document: the words printed in at least :data:`MIN_FILINGS` filings of the other folds
    (no text of its converter or style), its own filing not counted (its owner's name is new)."""
    out: list[frozenset[str]] = []
    cache: dict[tuple[str, str], tuple[dict[str, set[str]], frozenset[str], Counter]] = {}
    for doc in docs:
        held = _key(doc)
        if held not in cache:
            per_filing: dict[str, set[str]] = {}
            for d, ws in zip(docs, page_words):
                if _held_out_from(held, _key(d)):
                    per_filing.setdefault(d["filing"], set()).update(ws)
            counts = Counter(w for ws in per_filing.values() for w in ws)
            cache[held] = (per_filing, frozenset(w for w, n in counts.items() if n >= MIN_FILINGS), counts)
        per_filing, familiar, counts = cache[held]
        own = per_filing.get(doc["filing"], set())
        out.append(familiar - {w for w in own if counts[w] <= MIN_FILINGS})
    return out


def vocabulary(items) -> frozenset[str]:
    """The shipped vocabulary: words printed in at least :data:`MIN_FILINGS` training filings."""
    per_filing: dict[str, set[str]] = {}
    for _, text, _, name in items:
        per_filing.setdefault(filing_of(name), set()).update(words(text))
    return vocabulary_of(per_filing.values(), MIN_FILINGS)


def collect(items, extractor: Extractor, page_styles: dict[str, str] | None = None, cache: Path | None = None) -> Examples:
    """Read every text with the evidence scores alone (no calibrator) and label its leaves."""
    read = read_all(items, extractor, cache)
    docs = [
        {"name": name, "filing": filing_of(name), "converter": converter, "style": (page_styles or {}).get(name, ""), "has_text": bool(text)}
        for _, text, converter, name in items
    ]
    vocabularies = held_out_vocabularies(docs, [words(text) for _, text, _, _ in items])
    out = Examples()
    for (gold, text, _, name), doc, vocabulary_ in zip(items, docs, vocabularies):
        assembly = read.get(name)
        if assembly is None:
            out.docs.append(doc | {"exact": False, "failed": True})
            continue
        pred = assembly.record.to_json_dict()
        outcome = scored_leaves(gold, pred)
        pointers, X = leaf_matrix(assembly.record, text, assembly.provenance, vocabulary_)
        out.docs.append(doc | {"exact": score_document(gold, pred).exact, "failed": False, "signals": record_signals(X)})
        keep = [i for i, p in enumerate(pointers) if p in outcome]
        out.X.append(X[keep])
        out.right += [outcome[pointers[i]] for i in keep]
        out.doc += [len(out.docs) - 1] * len(keep)
    return out


def fold_sets(examples: Examples) -> dict[str, list[tuple[list[int], list[int]]]]:
    """Held-out folds, (fit leaves, held-out leaves) each: ``converter`` (leave one converter out) and,
    when the corpus has page styles, ``style`` (leave one style out, every converter of it)."""
    per_leaf = [_key(examples.docs[i]) for i in examples.doc]
    out: dict[str, list[tuple[list[int], list[int]]]] = {"converter": []}
    for held in sorted({k[0] for k in per_leaf}):
        test = [i for i, k in enumerate(per_leaf) if k[0] == held]
        fit = [i for i, k in enumerate(per_leaf) if k[0] != held]
        if test and fit:
            out["converter"].append((fit, test))
    page_styles = sorted({k[1] for k in per_leaf if k[1]})
    if len(page_styles) > 1:
        out["style"] = []
        for held in page_styles:
            test = [i for i, k in enumerate(per_leaf) if k[1] == held]
            fit = [i for i, k in enumerate(per_leaf) if k[1] != held]
            out["style"].append((fit, test))
    return {name: splits for name, splits in out.items() if splits}
