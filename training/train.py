"""Annotations (JSONL) -> DocBin -> spaCy training -> ``models/form4-ner``.

``form4 train`` runs :func:`train_model`. Each annotated text is cut into the
regions the model reads at run time (``form4.model.text_regions``); every
span becomes a token-aligned entity or is reported (misaligned, overlapping,
outside the regions) — never passed through.
"""

from __future__ import annotations

import json
import random
import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from form4.fields import LABELS
from form4.model import MODEL_NAME, text_regions

from .augment import swap_names
from .corpus import iter_jsonl

ROOT = Path(__file__).resolve().parents[1]
CONFIG = Path(__file__).resolve().parent / "config.cfg"


@dataclass
class ConversionReport:
    documents: int = 0
    docs: int = 0
    spans: int = 0
    problems: Counter = field(default_factory=Counter)  # (label, problem) -> count

    def to_dict(self) -> dict:
        return {
            "documents": self.documents,
            "docs": self.docs,
            "spans": self.spans,
            "problems": {f"{label}:{problem}": n for (label, problem), n in sorted(self.problems.items())},
        }


def to_docs(nlp, examples: Iterable[dict], report: ConversionReport, labels: set[str] = set(LABELS)):
    """One Doc per region of each annotated text, with its entities."""
    from spacy.util import filter_spans

    for example in examples:
        text = example["text"]
        report.documents += 1
        spans = sorted(example["spans"], key=lambda s: s["start"])
        for start, end in text_regions(text):
            doc = nlp.make_doc(text[start:end])
            ents = []
            for span in spans:
                if span["label"] not in labels:
                    report.problems[(span["label"], "unknown-label")] += 1
                    continue
                if span["start"] >= end or span["end"] <= start:
                    continue
                if span["start"] < start or span["end"] > end:
                    report.problems[(span["label"], "crosses-region")] += 1
                    continue
                ent = doc.char_span(span["start"] - start, span["end"] - start, label=span["label"], alignment_mode="strict")
                if ent is None:
                    report.problems[(span["label"], "misaligned")] += 1
                    continue
                ents.append(ent)
            kept = filter_spans(ents)
            for dropped in set(ents) - set(kept):
                report.problems[(dropped.label_, "overlap")] += 1
            doc.ents = kept
            report.spans += len(kept)
            report.docs += 1
            yield doc


def make_docbins(corpus: Path, out: Path, limit: int | None = None) -> dict[str, ConversionReport]:
    """``corpus/{train,dev}.jsonl.gz`` -> ``out/{train,dev}.spacy``; a report per split."""
    import spacy
    from spacy.tokens import DocBin

    from form4 import tokenizer  # noqa: F401

    nlp = spacy.blank("en")
    nlp.tokenizer = tokenizer.FilingTokenizer(nlp.vocab)
    out.mkdir(parents=True, exist_ok=True)
    reports = {}
    for split in ("train", "dev"):
        path = corpus / f"{split}.jsonl.gz"
        examples = iter_jsonl(path)
        if limit:
            examples = (e for i, e in enumerate(examples) if i < limit)
        if split == "train":  # few distinct owners and issuers: teach where names are, not which
            rng = random.Random(13)
            examples = (swap_names(e, rng) for e in examples)
        report = ConversionReport()
        db = DocBin(store_user_data=False)
        for doc in to_docs(nlp, examples, report):
            db.add(doc)
        db.to_disk(out / f"{split}.spacy")
        reports[split] = report
    (out / "conversion.json").write_text(json.dumps({k: v.to_dict() for k, v in reports.items()}, indent=1))
    return reports


@dataclass
class TrainResult:
    model_dir: Path
    seconds: float
    dev_scores: dict
    conversion: dict


def fit_policy(model_dir: Path, corpus: Path = ROOT / "annotations" / "corpus") -> dict:
    """Fit, on the training split only, who wins a model/rules conflict and the confidence
    calibration, and write both beside the model. Rerun after a change to the rules."""
    from form4.model import load
    from form4.pipeline import Extractor

    from .arbitrate import write_arbitration
    from .calibrate import fit

    nlp = load(str(model_dir))
    arbitration = write_arbitration(model_dir, corpus, nlp)
    calibrator, calibration = fit(corpus, Extractor(nlp=nlp, model_wins=frozenset(arbitration["model_wins"])), previous=model_dir / "calibration.json")
    calibrator.save(model_dir / "calibration.json")
    (model_dir / "calibration-report.json").write_text(json.dumps(calibration.__dict__, indent=1))
    return {"model_wins": arbitration["model_wins"], "calibration": calibration.__dict__}


def train_model(
    corpus: Path = ROOT / "annotations" / "corpus",
    output: Path = ROOT / "models",
    config: Path = CONFIG,
    overrides: dict | None = None,
    limit: int | None = None,
) -> TrainResult:
    """Convert, train, evaluate; write the best pipeline to ``output/form4-ner``."""
    from spacy.cli.train import train as spacy_train

    from form4 import tokenizer  # noqa: F401

    started = time.perf_counter()
    work = ROOT / "corpus" / "spacy" if corpus.resolve().is_relative_to(ROOT) else corpus / "spacy"
    reports = make_docbins(corpus, work, limit=limit)
    run_dir = work / "run"
    if run_dir.exists():
        shutil.rmtree(run_dir)
    settings = {"paths.train": str(work / "train.spacy"), "paths.dev": str(work / "dev.spacy")}
    settings.update(overrides or {})
    spacy_train(config, output_path=run_dir, overrides=settings, use_gpu=-1)
    best = run_dir / "model-best"
    target = output / MODEL_NAME
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(best, target)
    if (corpus / "gold.jsonl.gz").exists():
        fit_policy(target, corpus)
    meta = json.loads((target / "meta.json").read_text())
    scores = {
        "ents_p": meta.get("performance", {}).get("ents_p"),
        "ents_r": meta.get("performance", {}).get("ents_r"),
        "ents_f": meta.get("performance", {}).get("ents_f"),
        "per_label": meta.get("performance", {}).get("ents_per_type", {}),
    }
    return TrainResult(target, round(time.perf_counter() - started, 1), scores, {k: v.to_dict() for k, v in reports.items()})
