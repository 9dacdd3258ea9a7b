"""Readings snapshot: what the extractor reads from a fixed set of texts, to diff before and after a change.

A restructuring must read every text exactly as before. This writes, for the five samples and the
first ``--per-converter`` training-split texts of every converter in the committed corpus, the
record (or the error) the rules alone and the shipped model give, one JSON line per text and mode::

    python benchmarks/snapshot.py write /tmp/before.jsonl          # on the old code
    python benchmarks/snapshot.py write /tmp/after.jsonl           # on the new code
    python benchmarks/snapshot.py diff /tmp/before.jsonl /tmp/after.jsonl

``diff`` prints every text whose reading changed (the JSON pointers that differ) and exits 1 if any
did. Training-split texts only: nothing here looks at the dev split.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def texts(per_converter: int) -> list[tuple[str, str]]:
    """(name, text): the samples, then the first texts of each converter in the training split."""
    out = [(f"samples/{p.name}", p.read_text(encoding="utf-8")) for p in sorted((REPO / "samples").glob("*.txt"))]
    seen: Counter = Counter()
    with gzip.open(REPO / "annotations" / "corpus" / "train.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            meta = item["meta"]
            key = f"{meta.get('style', 'edgar')}:{meta['converter']}"
            if seen[key] >= per_converter:
                continue
            seen[key] += 1
            out.append((f"{key}:{meta['doc_id']}", item["text"]))
    return out


def write(path: Path, per_converter: int, modes: list[str]) -> None:
    import form4
    from form4.errors import Form4Error

    settings = {"rules": form4.RULES_ONLY}
    if "model" in modes:
        settings["model"] = form4.model_extractor()
    with path.open("w", encoding="utf-8") as out:
        for name, text in texts(per_converter):
            for mode in modes:
                try:
                    reading = form4.extract_text(text, name, settings[mode]).to_json_dict()
                except Form4Error as err:
                    reading = {"error": err.one_line()}
                out.write(json.dumps({"name": name, "mode": mode, "reading": reading}, sort_keys=True) + "\n")


def _leaves(value, pointer: str = ""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, f"{pointer}/{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _leaves(item, f"{pointer}/{i}")
    else:
        yield pointer, value


def diff(before: Path, after: Path) -> int:
    def load(path: Path) -> dict:
        return {(d["name"], d["mode"]): d["reading"] for d in map(json.loads, path.read_text(encoding="utf-8").splitlines())}

    a, b = load(before), load(after)
    changed = 0
    for key in sorted(set(a) | set(b)):
        if a.get(key) == b.get(key):
            continue
        changed += 1
        left, right = dict(_leaves(a.get(key))), dict(_leaves(b.get(key)))
        pointers = sorted(p for p in set(left) | set(right) if left.get(p) != right.get(p))
        print(f"{key[1]} {key[0]}: {len(pointers)} differ: " + ", ".join(
            f"{p}: {left.get(p)!r} -> {right.get(p)!r}" for p in pointers[:6]))
    print(f"{changed} of {len(set(a) | set(b))} readings differ", file=sys.stderr)
    return 1 if changed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write")
    w.add_argument("path", type=Path)
    w.add_argument("--per-converter", type=int, default=20)
    w.add_argument("--modes", default="rules,model")
    d = sub.add_parser("diff")
    d.add_argument("before", type=Path)
    d.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "write":
        write(args.path, args.per_converter, args.modes.split(","))
        return 0
    return diff(args.before, args.after)


if __name__ == "__main__":
    raise SystemExit(main())
