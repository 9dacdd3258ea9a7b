"""An owner-held-out split inside the training data, to judge model-dependent changes without
the dev split: the training texts of one reporting owner become a held-out split, the rest a
training split; a model trained on the rest (`form4 train --corpus DIR`) is scored on them.

    .venv/bin/python -m form4.training.holdout split --out /tmp/form4-holdout [--owner "HOFFMAN REID"]
    .venv/bin/form4 train --corpus /tmp/form4-holdout --output /tmp/form4-holdout/models
    .venv/bin/python -m form4.training.holdout score --out /tmp/form4-holdout

The numbers are development numbers: the rules were tuned on these texts.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
from pathlib import Path

from form4.run.pipeline import RULES_ONLY, model_extractor

from .corpus import iter_jsonl
from .evaluate import ROOT, _score_texts, corpus_items

CORPUS = ROOT / "annotations" / "corpus"


def split(out: Path, owner: str = "HOFFMAN REID", corpus: Path = CORPUS) -> tuple[int, int]:
    """Write ``out/{train,dev,gold}.jsonl.gz``: the owner's training texts as ``dev``. Returns the counts."""
    out.mkdir(parents=True, exist_ok=True)
    counts = [0, 0]
    with gzip.open(out / "train.jsonl.gz", "wt") as train, gzip.open(out / "dev.jsonl.gz", "wt") as held:
        for example in iter_jsonl(corpus / "train.jsonl.gz"):
            held_out = owner in (example["meta"].get("owners") or [])
            if held_out:
                example["meta"]["split"] = "dev"
            (held if held_out else train).write(json.dumps(example) + "\n")
            counts[held_out] += 1
    shutil.copy(corpus / "gold.jsonl.gz", out / "gold.jsonl.gz")
    return counts[0], counts[1]


def score(out: Path) -> str:
    """Rules only vs the held-out model, per converter, on the held-out texts (markdown table)."""
    items = corpus_items(out, "dev")
    rules, model = _score_texts(items, RULES_ONLY), _score_texts(items, model_extractor(str(out / "models" / "form4-ner")))
    rows = ["| converter | rules-only F1 | model F1 |", "|---|---|---|"]
    rows += [f"| {g} | {rules.total(g).f1:.3f} | {model.total(g).f1:.3f} |" for g in rules.groups()]
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("split", "score"))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--owner", default="HOFFMAN REID")
    args = parser.parse_args()
    if args.command == "split":
        kept, held = split(args.out, args.owner)
        print(f"{kept} training texts, {held} held out ({args.owner})")
    else:
        print(score(args.out))


if __name__ == "__main__":
    main()
