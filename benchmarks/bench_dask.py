"""Throughput of `form4 extract --engine dask` on a local cluster of 1 and of 2 worker processes (not a test).

    .venv/bin/python benchmarks/bench_dask.py [--n 100] [--no-model]

Writes N dev-split texts (every converter, evenly spread) to a temporary folder, then for 1 and 2
workers starts a LocalCluster (processes, one thread each), runs the Dask engine over the folder
(records, Parquet dataset, failures table) and times it twice: all of it (cluster start and one
model load per worker included), and the extraction alone (a second run on the warm cluster).
Prints a markdown table with the machine it ran on and its load.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def write_texts(n: int) -> Path:
    from form4.training.evaluate import corpus_items

    items = corpus_items(ROOT / "annotations" / "corpus", "dev")
    step = max(1, len(items) // n)
    folder = Path(tempfile.mkdtemp(prefix="form4-bench-dask-"))
    for i, (_, text, _, _) in enumerate(items[::step][:n]):
        (folder / f"{i:03d}.txt").write_text(text, encoding="utf-8")
    return folder


def measure(folder: Path, workers: int, model: str | None) -> dict[str, float]:
    from distributed import Client, LocalCluster

    from form4.run.dask_engine import run_dask

    out = Path(tempfile.mkdtemp(prefix="form4-bench-dask-out-"))
    start = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
        cold = run_dask([str(folder)], str(out / "cold"), model=model, client=client)
        cold_s = time.perf_counter() - start
        warm_start = time.perf_counter()
        warm = run_dask([str(folder)], str(out / "warm"), model=model, client=client)
        warm_s = time.perf_counter() - warm_start
    shutil.rmtree(out, ignore_errors=True)
    n = len(cold.records) + len(cold.failures)
    assert n == len(warm.records) + len(warm.failures)
    return {"n": n, "cold": cold_s, "warm": warm_s}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--no-model", action="store_true")
    args = parser.parse_args()
    import logging

    logging.getLogger("distributed").setLevel(logging.ERROR)
    folder = write_texts(args.n)
    model = None if args.no_model else ""
    rows = []
    for workers in (1, 2):
        m = measure(folder, workers, model)
        rows.append(f"| {'rules' if model is None else 'model'} | {workers} | {m['n']} | {m['n'] / m['cold']:.1f} | {m['n'] / m['warm']:.1f} |")
    shutil.rmtree(folder, ignore_errors=True)
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, load average {load:.1f} during the run")
    print("| mode | Dask workers | filings | filings/s (cluster start + model load included) | filings/s (warm cluster) |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    sys.exit(main())
