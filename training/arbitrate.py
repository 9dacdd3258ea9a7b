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
from form4.errors import Form4Error
from form4.run.pipeline import RULES_ONLY, Extractor, extract_text, main_layout

from .evaluate import _score_texts, corpus_items


def _label_of_field(field: str) -> str | None:
    return label_for_pointer("/" + field.replace("*", "0"))


#: A layout gets its own choice only where the training texts read in it decide at least this
#: many fields of a label either way; below it, the label follows the choice over all texts.
MIN_LAYOUT_FIELDS = 40


def fit_arbitration(corpus: Path, nlp, limit: int = 25, exclude_styles: tuple[str, ...] = ()) -> dict:
    """Per label, and per label and table layout (the runtime's view of the converter: positional,
    reading-order, markdown, cell-stream ...), the side that gets more training fields right."""
    items = corpus_items(corpus, "train", limit, exclude_styles=exclude_styles)
    layouts = [_layout_of(text, name) for _gold, text, _group, name in items]
    model_first = _score_texts(items, Extractor(nlp=nlp, model_wins=frozenset(LABELS)))
    rules_first = _score_texts(items, Extractor(nlp=nlp, model_wins=frozenset()))
    wins: Counter = Counter()
    for source, report in (("model", model_first), ("rules", rules_first)):
        for doc, layout in zip(report.docs, layouts):
            for field, counts in doc.by_field.items():
                label = _label_of_field(field)
                if label:
                    wins[(label, source, "*")] += counts.tp
                    wins[(label, source, layout)] += counts.tp
    # either way a rule reading with good evidence (combine.RULE_SURE) keeps its value: the
    # model can only override readings the rules doubted, and only for the labels fitted here
    model_wins = sorted(label for label in LABELS if wins[(label, "model", "*")] > wins[(label, "rules", "*")])
    by_layout = {}
    for layout in sorted(set(layouts)):
        chosen = set(model_wins)
        for label in LABELS:
            m, r = wins[(label, "model", layout)], wins[(label, "rules", layout)]
            if max(m, r) >= MIN_LAYOUT_FIELDS and m != r:
                chosen.discard(label) if r > m else chosen.add(label)
        by_layout[layout] = sorted(chosen)
    return {
        "model_wins": model_wins,
        "model_wins_by_layout": by_layout,
        "fields_right": {label: {"model": wins[(label, "model", "*")], "rules": wins[(label, "rules", "*")]} for label in LABELS},
        "fields_right_by_layout": {
            layout: {label: {"model": wins[(label, "model", layout)], "rules": wins[(label, "rules", layout)]}
                     for label in LABELS if wins[(label, "model", layout)] or wins[(label, "rules", layout)]}
            for layout in sorted(set(layouts))},
        "texts": len(items),
        "texts_by_layout": dict(Counter(layouts)),
        "f1_model_first": round(model_first.total().f1, 4),
        "f1_rules_first": round(rules_first.total().f1, 4),
    }


def _layout_of(text: str, name: str) -> str:
    """The layout the rules read the text's first table in (``none`` when no table was read)."""
    trace: dict = {}
    try:
        extract_text(text, name, RULES_ONLY, trace=trace)
    except Form4Error:
        return "none"
    return main_layout(trace.get("layouts", {}))


def write_arbitration(model_dir: Path, corpus: Path, nlp, limit: int = 25) -> dict:
    result = fit_arbitration(corpus, nlp, limit)
    (model_dir / "arbitration.json").write_text(json.dumps(result, indent=1))
    return result
