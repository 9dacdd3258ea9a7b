"""Cost against input size: the size sweep (1x, 10x, 100x a filing) and the heaviest inputs the fuzz run found.

    .venv/bin/python benchmarks/sizes.py [--modes rules,model] [--only sweep|heavy]

Each measurement runs in a fresh subprocess (its own peak RSS), under a 1 GiB address-space limit
like the batch's workers, and reports CPU seconds (``time.process_time``: what the input costs,
whatever the machine's load), wall seconds and peak RSS. bench.py prints both tables.

* The sweep grows one filing (the first sample) 10x and 100x in three ways: its table rows, its
  footnotes, and the length of every line. Linear means each 10x step costs at most 12x.
* The heavy inputs are the fuzz run's slowest findings, rebuilt: each must end in 10 s and 1 GB,
  with a record or with a typed error saying why it was refused.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "000_46eb1dd4f8015172.txt"
SCALES = (1, 10, 100)
LINEAR = 12.0  # a 10x step may cost at most this many times more
LIMIT_SECONDS, LIMIT_MB = 10.0, 1024

_ROW = re.compile(r"^Common Stock\t\d")
_FOOTNOTE = re.compile(r"^\(?\d{1,2}[.)]\s+\S")


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _at(lines: list[str], pattern: re.Pattern[str]) -> int:
    return next(i for i, line in enumerate(lines) if pattern.search(line))


def more_rows(text: str, k: int) -> str:
    """The filing with each Table I data row printed ``k`` times."""
    lines = _lines(text)
    i = _at(lines, _ROW)
    return "\n".join(lines[:i] + [lines[i]] * k + lines[i + 1:])


def more_footnotes(text: str, k: int) -> str:
    """The filing with its footnotes printed ``k`` times, numbered on (1 ... k*n)."""
    lines = _lines(text)
    notes = [i for i, line in enumerate(lines) if _FOOTNOTE.match(line) and i > _at(lines, re.compile("Explanation of Responses"))]
    bodies = [re.sub(r"^\(?\d{1,2}[.)]\s+", "", lines[i]) for i in notes]
    new = [f"{n}. {bodies[(n - 1) % len(bodies)]}" for n in range(1, k * len(bodies) + 1)]
    return "\n".join(lines[: notes[0]] + new + lines[notes[-1] + 1:])


def longer_lines(text: str, k: int) -> str:
    """The filing with every line printed ``k`` times over on itself (each line ``k`` times as long)."""
    return "\n".join(" ".join([line] * k) if line.strip() else line for line in _lines(text))


SWEEPS: dict[str, Callable[[str, int], str]] = {"rows": more_rows, "footnotes": more_footnotes, "line length": longer_lines}


def _insert_after(text: str, pattern: str, new: list[str]) -> str:
    lines = _lines(text)
    i = _at(lines, re.compile(pattern)) + 1
    return "\n".join(lines[:i] + new + lines[i:])


def heavy_inputs(text: str) -> dict[str, str]:
    """The fuzz run's heaviest findings, rebuilt on ``text`` (the first sample)."""
    lines = _lines(text)
    header = lines[_at(lines, re.compile(r"^1\. Name and Address"))]
    row = lines[_at(lines, _ROW)]
    return {
        "a 1.1-million-character header line": _insert_after(text, r"^1\. Name and Address", [" ".join([header] * (1_100_000 // (len(header) + 1)))]),
        "box 1's label 2,000 times on one line": _insert_after(text, _ROW.pattern, [" ".join(["Name and Address of Reporting Person"] * 2000)]),
        "10,000 table rows": more_rows(text, 10_000),
        "table rows on one 1 MB line": _insert_after(text, _ROW.pattern, [" ".join([row] * 20_000)[:1_000_000]]),
        "a million '<' in a table row": _insert_after(text, _ROW.pattern, ["Common Stock " + "<" * 1_000_000]),
        "numbered lines after a row without D/I": _insert_after(text, _ROW.pattern, ["Common Stock 01/02/2021 S 100 D $5.00 900"] + [f"{n}." for n in range(1, 500)]),
        "2 MB of one filing's rows": more_rows(text, 2_000_000 // (len(row) + 1)),
    }


_CHILD = r"""
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]) << 20, int(sys.argv[2]) << 20))
from form4.errors import Form4Error
from form4.run.batch import decode_bytes, extract_decoded
from form4.run.pipeline import RULES_ONLY, model_extractor
settings = model_extractor() if sys.argv[1] == "model" else RULES_ONLY
data = sys.stdin.buffer.read()
wall, cpu = time.perf_counter(), time.process_time()
try:
    records = extract_decoded(settings, decode_bytes(data, "input"), "input")
    out = f"{len(records)} record(s)"
except Form4Error as err:
    out = f"error {err.code}"
except MemoryError:
    out = "out of memory"
print(json.dumps({"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall, "out": out,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(text: str, mode: str, limit_mb: int = 4 * LIMIT_MB, timeout: float = 300.0) -> dict:
    """One extraction in a fresh process: CPU and wall seconds, peak RSS (MB), and how it ended."""
    try:
        done = subprocess.run([sys.executable, "-c", _CHILD, mode, str(limit_mb)], input=text.encode("utf-8"),
                              capture_output=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"cpu": float("nan"), "wall": timeout, "out": f"over {timeout:g} s (stopped)", "peak_mb": float("nan")}
    if done.returncode != 0:
        last = (done.stderr.decode(errors="replace").strip().splitlines() or ["?"])[-1]
        return {"cpu": float("nan"), "wall": float("nan"), "out": f"crashed: {last[:120]}", "peak_mb": float("nan")}
    return json.loads(done.stdout.decode().strip().splitlines()[-1])


def sweep_table(modes: list[str], base: str) -> list[str]:
    """Markdown: CPU seconds per sweep and scale, and each 10x step's cost ratio."""
    out = ["| grown | mode | " + " | ".join(f"{k}x: chars, CPU s" for k in SCALES) + " | 10x/1x | 100x/10x | linear |",
           "|---|---|" + "---|" * (len(SCALES) + 3)]
    for name, grow in SWEEPS.items():
        for mode in modes:
            texts = [grow(base, k) for k in SCALES]
            cpu = [measure(t, mode)["cpu"] for t in texts]
            ratios = [b / a if a > 0 else float("inf") for a, b in zip(cpu, cpu[1:])]
            cells = " | ".join(f"{len(t):,}, {c:.3f}" for t, c in zip(texts, cpu))
            ok = all(r <= LINEAR for r in ratios)
            out.append(f"| {name} | {mode} | {cells} | " + " | ".join(f"{r:.1f}" for r in ratios) + f" | {'yes' if ok else 'NO'} |")
    return out


def heavy_table(modes: list[str], base: str) -> list[str]:
    """Markdown: each heavy input's CPU and wall seconds, peak RSS and outcome against 10 s and 1 GB."""
    out = ["| input | chars | mode | CPU s | wall s | peak RSS (MB) | outcome | within 10 s, 1 GB |", "|---|---|---|---|---|---|---|---|"]
    for name, text in heavy_inputs(base).items():
        for mode in modes:
            m = measure(text, mode)
            ok = m["cpu"] <= LIMIT_SECONDS and m["peak_mb"] <= LIMIT_MB and not m["out"].startswith(("crashed", "over", "out of"))
            out.append(f"| {name} | {len(text):,} | {mode} | {m['cpu']:.2f} | {m['wall']:.2f} | {m['peak_mb']:.0f} | {m['out']} | {'yes' if ok else 'NO'} |")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modes", default="rules,model")
    parser.add_argument("--only", choices=["sweep", "heavy"])
    args = parser.parse_args()
    base, modes = SAMPLE.read_text(encoding="utf-8"), args.modes.split(",")
    if args.only != "heavy":
        print("\n".join(sweep_table(modes, base)) + "\n")
    if args.only != "sweep":
        print("\n".join(heavy_table(modes, base)))


if __name__ == "__main__":
    main()
