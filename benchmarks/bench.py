"""Speed and memory of `form4 extract`, rules only vs model (a benchmark, not a test).

    .venv/bin/python benchmarks/bench.py [--corpus corpus] [--n 100]

Measures, each in a fresh subprocess so peak memory is its own:
* throughput (filings per second) and peak RSS extracting N dev-split texts
  (every converter, evenly spread; texts read beforehand), rules only and with the model;
* cold start: wall time of `form4 extract <one file>` as a user runs it.
Prints a markdown table with the machine it ran on.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_WORKER = r"""
import json, resource, sys, time
from pathlib import Path
from extractor.pipeline import RULES_ONLY, Extractor, extract_text
from extractor.errors import Form4Error
texts = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
paths = [f"text{i}" for i in range(len(texts))]
if sys.argv[2] == "model":
    from extractor.model import load
    settings = Extractor(nlp=load())
else:
    settings = RULES_ONLY
extract_text(texts[0], "warmup", settings)
start = time.perf_counter()
failed = 0
for p, t in zip(paths, texts):
    try:
        extract_text(t, str(p), settings)
    except Form4Error:
        failed += 1
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "n": len(texts), "failed": failed,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_worker(texts_file: Path, mode: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", _WORKER, str(texts_file), mode],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def cold_start(sample: Path, no_model: bool) -> float:
    exe = ROOT / ".venv" / "bin" / "form4"
    cmd = [str(exe) if exe.exists() else "form4", "extract", str(sample)] + (["--no-model"] if no_model else [])
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True, cwd=ROOT)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "annotations" / "corpus")
    parser.add_argument("--n", type=int, default=100)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from training.evaluate import corpus_items

    items = corpus_items(args.corpus, "dev")
    if not items:
        sys.exit(f"no dev annotations under {args.corpus}: build the corpus first (form4 corpus build)")
    step = max(1, len(items) // args.n)
    sample = [text for _, text, _, _ in items[::step][: args.n]]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(sample, fh)
    rows = []
    for mode in ("rules", "model"):
        r = run_worker(Path(fh.name), mode)
        rows.append((mode, r["n"], r["n"] / r["seconds"], r["peak_mb"], cold_start(ROOT / "samples" / "000_46eb1dd4f8015172.txt", mode == "rules")))
    cpu = platform.processor() or platform.machine()
    print(f"machine: {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()} {platform.release()}")
    print("| mode | filings | filings/s (1 process) | peak RSS (MB) | cold start `form4 extract` 1 file (s) |")
    print("|---|---|---|---|---|")
    for mode, n, rate, peak, cold in rows:
        print(f"| {mode} | {n} | {rate:.1f} | {peak:.0f} | {cold:.2f} |")


if __name__ == "__main__":
    main()
