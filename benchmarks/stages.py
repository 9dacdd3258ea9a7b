"""Where the time goes: CPU milliseconds per filing in each stage of `form4 extract`, in one process.

    .venv/bin/python benchmarks/stages.py [--n 200] [--profile model]

Each text is written to a file and goes the way `form4 extract DIR -o out/` takes it: read and
decoded, cut into filings, sections, header, tables, footer, the model (the unsure regions, the
model's pass and the merge), the assembler, the calibrator (with the page signals it reads), and
its JSON written atomically. Each stage's time is its own (a stage called inside another is not
counted twice); what no stage claims is "other". CPU time (``time.process_time``), so the table means the same on a loaded machine.

``--profile MODE`` prints cProfile's top functions (CPU time) of that mode's run as well.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]

#: (stage, module, attribute): the functions the pipeline calls, by the name it calls them.
#: A name the code no longer has is reported (the table would otherwise put its time in "other").
STAGES: tuple[tuple[str, str, str], ...] = (
    ("read/decode", "form4.run.batch", "read_input"),
    ("read/decode", "form4.run.filings", "split_filings"),
    ("read/decode", "form4.run.pipeline", "split_filings"),
    ("sections", "form4.run.pipeline", "_sections"),
    ("header", "form4.run.pipeline", "read_header"),
    ("tables", "form4.run.pipeline", "read_tables"),
    ("footer", "form4.run.pipeline", "read_footer"),
    ("model", "form4.run.pipeline", "unsure_spans"),
    ("model", "form4.run.pipeline", "predict"),
    ("model", "form4.run.pipeline", "model_rows"),
    ("model", "form4.run.pipeline", "merge_rows"),
    ("model", "form4.run.pipeline", "merge_header"),
    ("model", "form4.run.pipeline", "merge_footer"),
    ("assembler", "form4.run.pipeline", "assemble_traced"),
    ("assembler", "form4.run.pipeline", "recover_copies_traced"),
    ("calibrator", "form4.run.pipeline", "page_signals"),
    ("calibrator", "form4.calibrate.calibrator", "Calibrator.apply"),
    ("output", "form4.run.outputs", "Destination.write_one"),
)
ORDER = ("read/decode", "sections", "header", "tables", "footer", "model", "assembler", "calibrator", "output", "other")


class StageClock:
    """CPU seconds per stage, each stage's own (time inside a nested stage goes to that one)."""

    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self._inner: list[float] = []

    def wrap(self, stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            self._inner.append(0.0)
            try:
                return fn(*args, **kwargs)
            finally:
                spent, inner = time.process_time() - start, self._inner.pop()
                self.seconds[stage] += spent - inner
                if self._inner:
                    self._inner[-1] += spent

        return timed


def install(clock: StageClock) -> list[str]:
    """Wrap every stage function where the pipeline looks it up; the names not found."""
    missing = []
    for stage, module_name, attribute in STAGES:
        owner: Any = importlib.import_module(module_name)
        *path, name = attribute.split(".")
        for part in path:
            owner = getattr(owner, part, None)
        if owner is None or not hasattr(owner, name):
            missing.append(f"{module_name}.{attribute}")
            continue
        setattr(owner, name, clock.wrap(stage, getattr(owner, name)))
    return missing


def write_texts(texts: list[str]) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="form4-stages-"))
    for i, text in enumerate(texts):
        (folder / f"{i:04d}.txt").write_text(text, encoding="utf-8")
    return folder


def run(folder: Path, mode: str, profile: bool = False) -> tuple[dict[str, float], int, list[str]]:
    """Milliseconds per input for each stage over the files of ``folder``, in this process; the stage names not found."""
    from form4.run.batch import ExtractJob, collect_inputs, run_extract
    from form4.run.pipeline import RULES_ONLY, model_extractor

    settings = model_extractor() if mode == "model" else RULES_ONLY
    items = collect_inputs([str(folder)])
    out = Path(tempfile.mkdtemp(prefix="form4-stages-out-"))
    run_extract(ExtractJob(items[:5], "json", f"{out}/warm/", several=True), settings)  # first calls (lazy imports, caches)
    clock = StageClock()
    missing = install(clock)
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
    start = time.process_time()
    run_extract(ExtractJob(items, "json", f"{out}/", several=True), settings)
    total = time.process_time() - start
    if profiler:
        import pstats

        profiler.disable()
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(30)
    clock.seconds["other"] = total - sum(clock.seconds.values())
    return {stage: clock.seconds[stage] * 1000 / len(items) for stage in ORDER}, len(items), missing


def table(results: dict[str, dict[str, float]]) -> list[str]:
    """Markdown: a row per stage, a column per mode (CPU ms per filing), and the total."""
    modes = list(results)
    out = ["| stage (CPU ms per filing) | " + " | ".join(modes) + " |", "|---|" + "---:|" * len(modes)]
    for stage in ORDER:
        out.append(f"| {stage} | " + " | ".join(f"{results[m][stage]:.1f}" for m in modes) + " |")
    out.append("| **total** | " + " | ".join(f"**{sum(results[m].values()):.1f}**" for m in modes) + " |")
    return out


def dev_texts(corpus: Path, n: int, converter: str | None = None) -> list[str]:
    """``n`` dev-split texts spread evenly over the split (every converter and page style)."""
    sys.path.insert(0, str(ROOT))
    from form4.training.evaluate import corpus_items

    items = [it for it in corpus_items(corpus, "dev") if converter in (None, it[2])]
    if not items:
        sys.exit(f"no dev annotations under {corpus}: build the corpus first (form4 corpus build)")
    step = max(1, len(items) // n) if n else 1
    return [text for _, text, _, _ in items[::step][: n or None]]


_CHILD = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
import stages
ms, n, missing = stages.run(stages.Path(sys.argv[2]), sys.argv[3], sys.argv[4] == "1")
print(json.dumps({"ms": ms, "n": n, "missing": missing}))
"""


def measure(folder: Path, mode: str, profile: bool = False) -> dict[str, Any]:
    """:func:`run` in a fresh process (the wrappers and the model's caches stay there)."""
    import json
    import subprocess

    done = subprocess.run([sys.executable, "-c", _CHILD, str(Path(__file__).parent), str(folder), mode, "1" if profile else "0"],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    *printed, last = done.stdout.strip().splitlines()
    if printed:
        print("\n".join(printed))
    return json.loads(last)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "annotations" / "corpus")
    parser.add_argument("--n", type=int, default=200, help="dev texts (0: all)")
    parser.add_argument("--modes", default="rules,model")
    parser.add_argument("--profile", choices=["rules", "model"], help="also print cProfile's top functions of this mode")
    args = parser.parse_args()
    folder = write_texts(dev_texts(args.corpus, args.n))
    results = {}
    for mode in args.modes.split(","):
        got = measure(folder, mode, args.profile == mode)
        results[mode] = got["ms"]
        if got["missing"]:
            print(f"note: not found (renamed?): {', '.join(got['missing'])}", file=sys.stderr)
    print("\n".join(table(results)))


if __name__ == "__main__":
    main()
