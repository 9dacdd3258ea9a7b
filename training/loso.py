"""Leave-one-style-out: a model trained without one page style, scored on that style's dev pages.

The corpus prints every real filing in every page style (``form4 corpus build --styles``). To
measure how the extractor reads a page nobody fitted anything on, a model is trained on the
corpus *without* one style (its pages left out of training, of the checkpoint choice on dev, of
the conflict policy and of the calibration) and scored on that style's dev pages, per converter
family, against the rules alone (the rules are the same for every style)::

    python -m form4.training.loso train paper            # -> runs/loso/paper/form4-ner (heavy: ~1 h on 2 cores)
    python -m form4.training.loso table --json runs/loso/table.json
    python -m form4.training.loso table --model models/form4-ner   # one model on every style (in-distribution)

``table`` scores every style that has a model under ``--out``; the markdown table is the README's
headline. Only dev filings are scored (reporting owners never seen in training).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from .evaluate import ROOT, compare, corpus_items

CORPUS = ROOT / "annotations" / "corpus"
OUT = ROOT / "runs" / "loso"


def family_of(converter: str) -> str:
    """The converter's family (``form4.training.convert.FAMILIES``); the seeds' own texts and the
    noise transforms are families of their own.

    >>> family_of("pdftotext-raw"), family_of("scan-300-psm4-norules"), family_of("noise-tab_soup")
    ('text-layer', 'scan', 'noise')
    """
    from .convert import REGISTRY

    if converter in REGISTRY:
        return REGISTRY[converter].family
    return converter.split("-", 1)[0] if converter.startswith(("noise", "seed")) else "other"


def train(style: str, corpus: Path = CORPUS, out: Path = OUT, overrides: dict | None = None) -> Path:
    """Train the leave-``style``-out model into ``out/<style>/form4-ner``."""
    from .train import train_model

    # its conflict policy is fitted without the style too; no calibration (the table scores field F1)
    result = train_model(corpus=corpus, output=out / style, overrides=overrides, exclude_styles=(style,), calibrate=False)
    (out / style / "train-result.json").write_text(json.dumps({"seconds": result.seconds, "dev_scores": result.dev_scores,
                                                                "conversion": result.conversion}, indent=1))
    return result.model_dir


def score_style(style: str, corpus: Path, model_dir: Path, limit: int | None = None) -> list[dict]:
    """Rows per converter family of ``style``'s dev pages: rules alone vs the model at ``model_dir``."""
    from form4.run.pipeline import model_extractor

    items = corpus_items(corpus, "dev", limit, styles=(style,))
    by_family: dict[str, list] = defaultdict(list)
    for item in items:
        by_family[family_of(item[2])].append(item)
    model = model_extractor(str(model_dir))
    rows = []
    for family, group in sorted(by_family.items()):
        rules, with_model = compare(group, model)
        rows.append({"style": style, "family": family, "converters": len({i[2] for i in group}), "texts": len(group),
                     "rules_f1": round(rules.total().f1, 4), "model_f1": round(with_model.total().f1, 4),
                     "rules_exact": round(rules.exact_rate(), 4), "model_exact": round(with_model.exact_rate(), 4),
                     "per_converter": {c: {"rules_f1": round(rules.total(c).f1, 4), "model_f1": round(with_model.total(c).f1, 4)}
                                       for c in sorted(rules.groups())}})
    return rows


def markdown(rows: list[dict], held_out: bool = True) -> str:
    """The headline table: one row per style and converter family."""
    out = [f"| style{' (left out)' if held_out else ''} | family | converters | texts | rules F1 | model F1 | rules exact | model exact |",
           "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| {r['style']} | {r['family']} | {r['converters']} | {r['texts']} | {r['rules_f1']:.3f} | "
                   f"{r['model_f1']:.3f} | {r['rules_exact']:.0%} | {r['model_exact']:.0%} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train the model that never saw STYLE")
    t.add_argument("style")
    t.add_argument("--corpus", type=Path, default=CORPUS)
    t.add_argument("--out", type=Path, default=OUT)
    t.add_argument("--set", action="append", default=[], help="config override key=value")
    s = sub.add_parser("table", help="score each style that has a model under --out on its dev pages")
    s.add_argument("--corpus", type=Path, default=CORPUS)
    s.add_argument("--out", type=Path, default=OUT)
    s.add_argument("--styles", default=None, help="comma-separated (default: every style with a model)")
    s.add_argument("--limit", type=int, default=None, help="at most N dev texts per style and converter")
    s.add_argument("--json", type=Path, default=None, help="also write the rows as JSON")
    s.add_argument("--model", type=Path, default=None,
                   help="score this one model folder on every style asked for instead (the in-distribution table)")
    args = parser.parse_args(argv)
    if args.command == "train":
        overrides = dict(item.split("=", 1) for item in args.set)
        print(train(args.style, args.corpus, args.out, {k: _value(v) for k, v in overrides.items()}))
        return 0
    from .pages import STYLES

    trained = sorted(p.parent.name for p in args.out.glob("*/form4-ner/meta.json"))
    styles = args.styles.split(",") if args.styles else list(STYLES) if args.model else trained
    model_of = (lambda style: args.model) if args.model else (lambda style: args.out / style / "form4-ner")
    rows = [row for style in styles for row in score_style(style, args.corpus, model_of(style), args.limit)]
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    print(markdown(rows, held_out=args.model is None))
    return 0


def _value(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


if __name__ == "__main__":
    sys.exit(main())
