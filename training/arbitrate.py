"""Who wins when the model and the rules read a field differently: fitted on the training split.

For every label we extract the training texts twice — the model winning every
conflict, and the rules winning every conflict — and keep, per label, the side
that gets more fields right. Dev is never looked at. The choice ships beside
the model as ``arbitration.json``.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from form4.form.fields import LABELS, label_for_pointer
from form4.run.pipeline import Extractor

from .evaluate import _score_texts, corpus_items


def _label_of_field(field: str) -> str | None:
    return label_for_pointer("/" + field.replace("*", "0"))


def fit_arbitration(corpus: Path, nlp, limit: int = 25, exclude_styles: tuple[str, ...] = ()) -> dict:
    items = corpus_items(corpus, "train", limit, exclude_styles=exclude_styles)
    model_first = _score_texts(items, Extractor(nlp=nlp, model_wins=frozenset(LABELS)))
    rules_first = _score_texts(items, Extractor(nlp=nlp, model_wins=frozenset()))
    wins: Counter = Counter()
    for source, report in (("model", model_first), ("rules", rules_first)):
        for field, counts in report.by_field().items():
            label = _label_of_field(field)
            if label:
                wins[(label, source)] += counts.tp
    # either way a rule reading with good evidence (combine.RULE_SURE) keeps its value: the
    # model can only override readings the rules doubted, and only for the labels fitted here
    model_wins = sorted(label for label in LABELS if wins[(label, "model")] > wins[(label, "rules")])
    return {
        "model_wins": model_wins,
        "fields_right": {label: {"model": wins[(label, "model")], "rules": wins[(label, "rules")]} for label in LABELS},
        "texts": len(items),
        "f1_model_first": round(model_first.total().f1, 4),
        "f1_rules_first": round(rules_first.total().f1, 4),
    }


def write_arbitration(model_dir: Path, corpus: Path, nlp, limit: int = 25) -> dict:
    result = fit_arbitration(corpus, nlp, limit)
    (model_dir / "arbitration.json").write_text(json.dumps(result, indent=1))
    return result
