"""Milliseconds per text of the rules alone, in one process (no batch runner, no model).

    .venv/bin/python benchmarks/rules_per_text.py [--per-converter 8]

Reads the first N dev texts of every converter from the committed corpus and prints the best
of three passes over them (after one warm-up pass).
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from collections import defaultdict
from pathlib import Path

from form4.errors import Form4Error
from form4.run.pipeline import RULES_ONLY, extract_text

ROOT = Path(__file__).resolve().parents[1]


def texts(per_converter: int) -> list[str]:
    out, seen = [], defaultdict(int)
    with gzip.open(ROOT / "annotations" / "corpus" / "dev.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            example = json.loads(line)
            converter = example["meta"]["converter"]
            if seen[converter] < per_converter:
                seen[converter] += 1
                out.append(example["text"])
    return out


def one_pass(items: list[str]) -> float:
    started = time.perf_counter()
    for text in items:
        try:
            extract_text(text, "bench", RULES_ONLY)
        except Form4Error:
            pass
    return (time.perf_counter() - started) / len(items) * 1000


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-converter", type=int, default=8)
    args = parser.parse_args()
    items = texts(args.per_converter)
    one_pass(items)
    print(f"{len(items)} texts, rules only: {min(one_pass(items) for _ in range(3)):.1f} ms per text")
