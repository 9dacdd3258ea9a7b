"""Speed and memory of `form4 extract`: throughput, cold start, where the time goes, and cost against size (a benchmark, not a test).

    .venv/bin/python benchmarks/bench.py [--n 0] [--runs 2] [--only throughput,stages,sizes]

Prints markdown tables, each headed by the machine and its load average (on a shared machine the
wall-clock figures measure the load as much as the code; the CPU figures do not):

* throughput: `form4 extract DIR -o OUT/` run as a user runs it (a fresh process: start-up and
  model load included, one JSON file written per input) over N dev-split texts (every converter
  and page style, evenly spread; ``--n 0``: all of them), by the rules on 2 processes and with the
  model on 1 and 2; filings per second of wall time, CPU milliseconds per filing (all processes),
  and the peak RSS of the largest process;
* cold start: wall time of `form4 extract <one file>`, best of three;
* stages (benchmarks/stages.py): CPU milliseconds per filing in each stage, in one process;
* sizes (benchmarks/sizes.py): the size sweep (1x, 10x, 100x a filing's rows, footnotes and line
  length; linear means a 10x step costs at most 12x) and the fuzz run's heaviest inputs against
  10 s and 1 GB.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
import sizes  # noqa: E402
import stages  # noqa: E402

SAMPLE = ROOT / "samples" / "000_46eb1dd4f8015172.txt"
RUNS = (("rules", 2), ("model", 1), ("model", 2))


def form4_command() -> list[str]:
    exe = ROOT / ".venv" / "bin" / "form4"
    return [str(exe) if exe.exists() else shutil.which("form4") or "form4"]


_RUN = r"""
import json, resource, subprocess, sys, time
wall = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
if code not in (0, 1):  # 1: some inputs failed with a typed error (damaged dev texts); counted by "written"
    sys.exit(code)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}))
"""


def extract_run(folder: Path, mode: str, workers: int) -> dict[str, float]:
    """`form4 extract folder -o out/ --workers N` in a fresh process tree: wall and CPU seconds (every
    process), the peak RSS of its largest process (MB), and the outputs written."""
    import json

    out = Path(tempfile.mkdtemp(prefix="form4-bench-out-"))
    cmd = form4_command() + ["-q", "extract", str(folder), "-o", f"{out}/", "--workers", str(workers)] + (["--no-model"] if mode == "rules" else [])
    done = subprocess.run([sys.executable, "-c", _RUN] + cmd, check=True, cwd=ROOT, capture_output=True, text=True)
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    measured["written"] = sum(1 for _ in out.rglob("*.json"))
    shutil.rmtree(out, ignore_errors=True)
    return measured


def cold_start(mode: str) -> float:
    """Wall seconds of `form4 extract <one sample>` (JSON to stdout), best of three."""
    cmd = form4_command() + ["extract", str(SAMPLE)] + (["--no-model"] if mode == "rules" else [])
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True, cwd=ROOT)
        best = min(best, time.perf_counter() - start)
    return best


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"machine: {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()} {platform.release()}; "
            f"load average (1, 5, 15 min) {load}")


def throughput_table(folder: Path, n: int, runs: int) -> list[str]:
    out = [machine(), "",
           "| mode | filings | filings/s (wall; start-up and model load included) | CPU ms per filing (all processes) | peak RSS of one process (MB) | cold start `form4 extract` 1 file (s) |",
           "|---|---|---|---|---|---|"]
    for mode, workers in RUNS:
        measured = [extract_run(folder, mode, workers) for _ in range(runs)]
        cold = [cold_start(mode) for _ in range(runs)]
        rates = " / ".join(f"{n / m['wall']:.1f}" for m in measured)
        cpu = " / ".join(f"{m['cpu'] * 1000 / n:.1f}" for m in measured)
        peak = max(m["peak_mb"] for m in measured)
        label = f"{mode}, {workers} process{'es' if workers > 1 else ''}"
        out.append(f"| {label} | {n} | {rates} | {cpu} | {peak:.0f} | {' / '.join(f'{c:.2f}' for c in cold)} |")
    return out + ["", machine()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "annotations" / "corpus")
    parser.add_argument("--n", type=int, default=0, help="dev texts for the throughput runs (0: all)")
    parser.add_argument("--stages-n", type=int, default=200, help="dev texts for the per-stage table")
    parser.add_argument("--runs", type=int, default=1, help="throughput runs of each mode (the README quotes two)")
    parser.add_argument("--converter", help="only the dev texts of this converter (e.g. ocr-300-psm4-norules)")
    parser.add_argument("--only", default="throughput,stages,sizes", help="which tables, comma-separated")
    args = parser.parse_args()
    only = set(args.only.split(","))
    if "throughput" in only:
        texts = stages.dev_texts(args.corpus, args.n, args.converter)
        folder = stages.write_texts(texts)
        print("\n".join(throughput_table(folder, len(texts), args.runs)) + "\n", flush=True)
    if "stages" in only:
        folder = stages.write_texts(stages.dev_texts(args.corpus, args.stages_n, args.converter))
        results = {mode: stages.measure(folder, mode)["ms"] for mode in ("rules", "model")}
        print(machine() + "\n\n" + "\n".join(stages.table(results)) + "\n", flush=True)
    if "sizes" in only:
        base = sizes.SAMPLE.read_text(encoding="utf-8")
        print(machine() + "\n\n" + "\n".join(sizes.sweep_table(["rules", "model"], base)) + "\n", flush=True)
        print("\n".join(sizes.heavy_table(["rules", "model"], base)) + "\n\n" + machine())


if __name__ == "__main__":
    main()
