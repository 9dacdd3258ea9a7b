"""Annotations (JSONL) -> DocBin -> spaCy training -> ``<output>/form4-ner``.

``form4 train`` runs :func:`train_model`. Each annotated text is cut into the
regions the model reads at run time (``form4.model.ner.text_regions``); every
span becomes a token-aligned entity or is reported (misaligned, overlapping,
outside the regions) — never passed through.

Imported annotations (``form4 annotations import``, ``annotations/imported/``) join the
training split, each repeated ``annotation_weight`` times so that a handful of corrections
counts beside thousands of corpus texts. With ``base`` the pipeline starts from a trained
one (its ``tok2vec`` and ``ner`` sourced, training resumed) and the last checkpoint is kept:
the dev split holds none of the corrections, so choosing the checkpoint by dev would choose
the one that learnt them least. The conflict policy and calibration are refitted when the
corpus has gold records and enough predicted fields; otherwise (or with ``refit_policy``
off, ``--keep-policy``) the previous model's are kept (copied) and the result says so.
"""

from __future__ import annotations

import itertools
import json
import random
import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from form4.form.fields import LABELS
from form4.model.ner import MODEL_NAME, text_regions

from .augment import swap_names
from .corpus import iter_jsonl

ROOT = Path(__file__).resolve().parents[1]
CONFIG = Path(__file__).resolve().parent / "config.cfg"


#: What a training DocBin keeps of each token: the text and the entities. Lexical features (norm,
#: shape ...) come from the training pipeline's vocabulary when the docs are read back, as at run
#: time (``form4_tokenizer.v2`` reads white space by its class there).
DOCBIN_ATTRS = ["ORTH", "SPACY", "ENT_IOB", "ENT_TYPE"]


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


#: Dev texts the checkpoint is chosen on: enough to rank checkpoints, few enough that evaluating
#: them does not rival the training steps (the full dev split is what ``evaluate`` scores).
DEV_SAMPLE = 1500


def spread(items: list, n: int) -> list:
    """At most ``n`` of ``items``, evenly spaced over the list.

    >>> spread(list(range(10)), 3), spread([1, 2], 5)
    ([0, 3, 6], [1, 2])
    """
    if len(items) <= n:
        return items
    return [items[i * len(items) // n] for i in range(n)]


def make_docbins(
    corpus: Path, out: Path, limit: int | None = None, extra: Iterable[dict] = (), weight: int = 1,
    exclude_styles: tuple[str, ...] = (), dev_sample: int | None = DEV_SAMPLE,
) -> dict[str, ConversionReport]:
    """``corpus/{train,dev}.jsonl.gz`` (+ ``extra`` examples ``weight`` times, to train) ->
    ``out/{train,dev}.spacy``; a report per split. Pages of ``exclude_styles`` are left out of
    both splits (a leave-one-style-out model neither trains on them nor picks its checkpoint by them).
    The dev DocBin, which only chooses the checkpoint, keeps at most ``dev_sample`` texts spread
    evenly over the split (every filing, style and converter alike); ``None`` keeps them all."""
    import spacy
    from spacy.tokens import DocBin

    from form4.model import tokenizer  # noqa: F401

    nlp = spacy.blank("en")
    nlp.tokenizer = tokenizer.FilingTokenizer(nlp.vocab)
    out.mkdir(parents=True, exist_ok=True)
    reports = {}
    for split in ("train", "dev"):
        path = corpus / f"{split}.jsonl.gz"
        examples = (e for e in iter_jsonl(path) if (e["meta"].get("style") or "edgar") not in exclude_styles)
        if limit:
            examples = (e for i, e in enumerate(examples) if i < limit)
        if split == "dev" and dev_sample:
            examples = spread(list(examples), dev_sample)
        if split == "train":  # few distinct owners and issuers: teach where names are, not which
            rng = random.Random(13)
            examples = (swap_names(e, rng) for e in examples)
            examples = itertools.chain(examples, (e for e in list(extra) for _ in range(weight)))
        report = ConversionReport()
        db = DocBin(attrs=DOCBIN_ATTRS, store_user_data=False)
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
    policy: dict = field(default_factory=dict)


def fit_policy(model_dir: Path, corpus: Path = ROOT / "annotations" / "corpus", previous: Path | None = None,
               exclude_styles: tuple[str, ...] = (), calibrate: bool = True) -> dict:
    """Fit, on the training split only, who wins a model/rules conflict and the confidence
    calibration, and write both beside the model. Rerun after a change to the rules.

    A corpus too small to fit them on keeps ``previous``'s (another trained model folder),
    and the result says so."""
    from form4.model.ner import load
    from form4.run.pipeline import Extractor

    from .arbitrate import fit_arbitration
    from .calibrate import fit

    nlp = load(str(model_dir))
    has_gold = (corpus / "gold.jsonl.gz").exists()
    arbitration = fit_arbitration(corpus, nlp, exclude_styles=exclude_styles) if has_gold else {"texts": 0}
    if arbitration["texts"] < MIN_POLICY_TEXTS:
        reason = f"{arbitration['texts']} texts with gold records in {corpus}, fewer than {MIN_POLICY_TEXTS} to fit them on"
        note = keep_previous(model_dir, previous, POLICY_FILES, reason)
        kept = model_dir / "arbitration.json"
        return {"model_wins": json.loads(kept.read_text())["model_wins"] if kept.exists() else [], "calibration": note}
    (model_dir / "arbitration.json").write_text(json.dumps(arbitration, indent=1))
    if not calibrate:  # (a model only scored for field F1, such as a leave-one-style-out one)
        return {"model_wins": arbitration["model_wins"], "calibration": "not fitted (asked not to): confidences are the raw evidence scores"}
    # a training split too small to fit a calibration on keeps the previous one (fit says so)
    prior = next((d / "calibration.json" for d in (previous, model_dir) if d is not None and (d / "calibration.json").exists()), None)
    extractor = Extractor(nlp=nlp, model_wins=frozenset(arbitration["model_wins"]))
    calibrator, calibration = fit(corpus, extractor, previous=prior, exclude_styles=exclude_styles)
    calibrator.save(model_dir / "calibration.json")
    (model_dir / "calibration-report.json").write_text(json.dumps(calibration.__dict__, indent=1))
    return {"model_wins": arbitration["model_wins"], "calibration": calibration.__dict__}


#: Fewer texts with gold than this and the conflict policy is kept, not fitted (one filing's
#: ties would hand every conflict to the rules).
MIN_POLICY_TEXTS = 10
POLICY_FILES = ("arbitration.json", "calibration.json", "calibration-report.json")


def keep_previous(model_dir: Path, previous: Path | None, names: tuple[str, ...], reason: str) -> str:
    """Copy ``names`` from the previous model's policy (see :func:`save_policy`); a sentence
    saying what was kept and why."""
    kept = [n for n in names if previous is not None and (previous / n).exists()]
    if not kept:
        return f"{reason}; none fitted and no previous model to keep them from (confidences are the raw evidence scores)"
    for name in kept:
        shutil.copy2(previous / name, model_dir / name)
    origin = (previous / "origin.txt").read_text().strip() if (previous / "origin.txt").exists() else previous
    return f"{reason}; kept {', '.join(kept)} of {origin}"


def save_policy(model_dir: Path | None, out: Path) -> Path | None:
    """A copy of a model's policy files, taken before its folder may be replaced (``--output models``)."""
    if model_dir is None or not (model_dir / "meta.json").exists():
        return None
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in POLICY_FILES:
        if (model_dir / name).exists():
            shutil.copy2(model_dir / name, out / name)
    (out / "origin.txt").write_text(str(model_dir))
    return out


def finetune_config(config: Path, base: Path, out: Path) -> Path:
    """``config`` with its components sourced from the trained pipeline at ``base`` (training resumes)."""
    from spacy.util import load_config

    cfg = load_config(config)
    for name in cfg["nlp"]["pipeline"]:
        cfg["components"][name] = {"source": str(base.resolve())}
    out.parent.mkdir(parents=True, exist_ok=True)
    cfg.to_disk(out)
    return out


def default_output(now: float | None = None) -> Path:
    """A new folder per training run, so the shipped model is never overwritten by default.

    >>> default_output(0).as_posix()
    'runs/train-19700101-000000'
    """
    return Path("runs") / time.strftime("train-%Y%m%d-%H%M%S", time.gmtime(now if now is not None else time.time()))


def train_model(
    corpus: Path = ROOT / "annotations" / "corpus",
    output: Path = ROOT / "models",
    config: Path = CONFIG,
    overrides: dict | None = None,
    limit: int | None = None,
    annotations: Path | None = None,
    annotation_weight: int = 1,
    base: Path | None = None,
    refit_policy: bool = True,
    exclude_styles: tuple[str, ...] = (),
    calibrate: bool = True,
) -> TrainResult:
    """Convert, train, evaluate; write the pipeline to ``output/form4-ner``."""
    from spacy.cli.train import train as spacy_train

    from form4.model import tokenizer  # noqa: F401
    from form4.model.ner import model_path

    from .annotations import read_imported

    started = time.perf_counter()
    # a work folder per output, so that trainings into different folders never share one
    base_work = ROOT / "corpus" / "spacy" if corpus.resolve().is_relative_to(ROOT) else corpus / "spacy"
    work = base_work / output.resolve().name
    imported = read_imported(annotations) if annotations else []
    reports = make_docbins(corpus, work, limit=limit, extra=imported, weight=annotation_weight, exclude_styles=exclude_styles)
    run_dir = work / "run"
    if run_dir.exists():
        shutil.rmtree(run_dir)
    if base is not None:
        config = finetune_config(config, base, work / "finetune.cfg")
    settings = {"paths.train": str(work / "train.spacy"), "paths.dev": str(work / "dev.spacy")}
    settings.update(overrides or {})
    spacy_train(config, output_path=run_dir, overrides=settings, use_gpu=-1)
    best = run_dir / ("model-last" if base is not None else "model-best")
    previous = save_policy(base or model_path(), work / "previous-policy")
    target = output / MODEL_NAME
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(best, target)
    if refit_policy:
        policy = fit_policy(target, corpus, previous=previous, exclude_styles=exclude_styles, calibrate=calibrate)
    else:
        policy = {"calibration": keep_previous(target, previous, POLICY_FILES, "asked to keep the previous policy")}
    meta = json.loads((target / "meta.json").read_text())
    scores = {
        "ents_p": meta.get("performance", {}).get("ents_p"),
        "ents_r": meta.get("performance", {}).get("ents_r"),
        "ents_f": meta.get("performance", {}).get("ents_f"),
        "per_label": meta.get("performance", {}).get("ents_per_type", {}),
    }
    conversion = {k: v.to_dict() for k, v in reports.items()}
    conversion["imported"] = {"examples": len(imported), "weight": annotation_weight}
    return TrainResult(target, round(time.perf_counter() - started, 1), scores, conversion, policy)
