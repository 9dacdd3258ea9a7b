"""Speed and memory of `form4 extract`, rules only vs model (a benchmark, not a test).

    .venv/bin/python benchmarks/bench.py [--corpus corpus] [--n 100]

Measures, each in a fresh subprocess so peak memory is its own:
* throughput (filings per second) and peak RSS of `run_batch` (what `form4 extract DIR` runs)
  over N dev-split texts (every converter, evenly spread), rules only, with the model in one
  process, and with the model in two worker processes;
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
from form4.run.batch import collect_inputs, run_batch
from form4.run.pipeline import RULES_ONLY, model_extractor
folder, mode, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
start = time.perf_counter()  # the model's load is part of the run
settings = model_extractor() if mode == "model" else RULES_ONLY
items = collect_inputs([folder])
result = run_batch(items, settings, workers=workers)
seconds = time.perf_counter() - start
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"seconds": seconds, "n": len(items), "failed": len(result.failures), "peak_mb": peak / 1024}))
"""


def run_worker(folder: Path, mode: str, workers: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", _WORKER, str(folder), mode, str(workers)],
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
    parser.add_argument("--converter", help="only the dev texts of this converter (e.g. ocr-300-psm4-norules)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from form4.training.evaluate import corpus_items

    items = [it for it in corpus_items(args.corpus, "dev") if args.converter in (None, it[2])]
    if not items:
        sys.exit(f"no dev annotations under {args.corpus}: build the corpus first (form4 corpus build)")
    step = max(1, len(items) // args.n)
    sample = [text for _, text, _, _ in items[::step][: args.n]]
    folder = Path(tempfile.mkdtemp(prefix="form4-bench-"))
    for i, text in enumerate(sample):
        (folder / f"{i:03d}.txt").write_text(text, encoding="utf-8")
    rows = []
    for mode, workers in (("rules", 1), ("model", 1), ("model", 2)):
        r = run_worker(folder, mode, workers)
        cold = cold_start(ROOT / "samples" / "000_46eb1dd4f8015172.txt", mode == "rules")
        rows.append((f"{mode}, {workers} process{'es' if workers > 1 else ''}", r["n"], r["n"] / r["seconds"], r["peak_mb"], cold))
    cpu = platform.processor() or platform.machine()
    print(f"machine: {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()} {platform.release()}")
    print("| mode | filings | filings/s (model load included) | peak RSS per process (MB) | cold start `form4 extract` 1 file (s) |")
    print("|---|---|---|---|---|")
    for mode, n, rate, peak, cold in rows:
        print(f"| {mode} | {n} | {rate:.1f} | {peak:.0f} | {cold:.2f} |")


if __name__ == "__main__":
    main()
