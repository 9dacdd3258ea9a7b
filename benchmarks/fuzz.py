"""Fuzz the extractor with mutated filings: crashes, slow inputs and contract breaches (not a test).

    .venv/bin/python benchmarks/fuzz.py --n 100000 --workers 2 [--seed 1] [--mode both] [--limit 10]
    .venv/bin/python benchmarks/fuzz.py --unmutated --mode both      # the dev corpus as it is

Each input is a sample or dev-corpus text with 1-3 seeded mutations (byte flips, truncation, line
deletion/duplication/shuffling, inserted unicode, 1 MB single lines, thousands of repeated rows or
labels, CRLF/CR, hostile numbers and dates, other encodings, two filings glued together), rebuilt
from its seed inside a worker process and extracted under a per-input time limit (a worker over
it is killed). Outcomes:

* ``crash``: an exception other than a ``form4.errors.Form4Error`` subclass;
* ``timeout``: over ``--limit`` seconds of wall time (the worker is killed); ``slow``: over 2 s of
  CPU time (on a shared machine wall time mostly measures the wait for a core); ``died``: the
  worker died (memory);
* ``breach``: a record that breaks the contract (:func:`contract_breaches`), or a second
  extraction of the same input that differs (every 10th input is extracted twice).

Writes a JSON report (``--report``, default fuzz-report.json: counts, and every failing input's
seed, mutations and message, enough to rebuild it with ``--replay SEED``) and prints a summary table.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
SLOW = 2.0

# ---------------------------------------------------------------- mutations
JUNK = ["\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1b[31m", "\x7f", "\x85", "\u200b", "\u200e", "\u200f", "\u202e",
        "\ufeff", "\u0301", "e\u0301", "\ufffd", "\U0001F600", "\U0001F1FA\U0001F1F8", "\ud7ff", "\u2028"]
NUMBERS = ["1e308", "(1,000)", "-5", "-0", "9" * 400, "1" * 40, "0.0000001", "1,234,567,890,123,456,789",
           "12,34", "$-3.50", "(5)", "NaN", "inf", "١٢٣", "1 000", "--7", "+8", "00000000000000000001"]
DATES = ["02/30/2021", "13/45/2021", "00/00/0000", "2/29/2023", "12/31/9999", "1/1/1", "31/12/2021", "2021-02-30"]
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")
_LABELS = ["Name and Address of Reporting Person", "Table I - Non-Derivative Securities Acquired", "Signature of Reporting Person",
           "Explanation of Responses:", "Remarks:", "FORM 4", "(1)", "<", "|", "\t"]


def _lines(text: str) -> list[str]:
    return text.split("\n")


def byte_flips(text: str, rng: random.Random) -> bytes:
    data = bytearray(text.encode("utf-8"))
    for _ in range(rng.randint(1, 20)):
        if data:
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return bytes(data)


def truncate(text: str, rng: random.Random) -> str:
    return text[: rng.randrange(len(text) + 1)]


def delete_lines(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    for _ in range(rng.randint(1, max(1, len(lines) // 4))):
        if lines:
            del lines[rng.randrange(len(lines))]
    return "\n".join(lines)


def duplicate_lines(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    for _ in range(rng.randint(1, 10)):
        i = rng.randrange(len(lines))
        lines[i:i] = [lines[i]] * rng.randint(1, 5)
    return "\n".join(lines)


def shuffle_lines(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    i = rng.randrange(len(lines))
    window = lines[i : i + rng.randint(2, 30)]
    rng.shuffle(window)
    lines[i : i + len(window)] = window
    return "\n".join(lines)


def insert_unicode(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 50)):
        chars.insert(rng.randrange(len(chars) + 1), rng.choice(JUNK))
    return "".join(chars)


def long_line(text: str, rng: random.Random) -> str:
    """A single line of about 1 MB: a table row, a label, or a run of one character, repeated."""
    lines = _lines(text)
    unit = rng.choice([rng.choice(lines) or "x", rng.choice(_LABELS), "<", "9", " "])
    line = (unit + " ") * (1_000_000 // (len(unit) + 1))
    lines.insert(rng.randrange(len(lines) + 1), line)
    return "\n".join(lines)


def repeat_rows(text: str, rng: random.Random) -> str:
    """Thousands of copies of a line with digits (a table row), or of a form label."""
    lines = _lines(text)
    rows = [i for i, line in enumerate(lines) if sum(ch.isdigit() for ch in line) > 5] or [0]
    i = rng.choice(rows)
    unit = lines[i] if rng.random() < 0.7 else rng.choice(_LABELS)
    lines[i:i] = [unit] * rng.choice([1000, 3000, 10000])
    return "\n".join(lines)


def repeat_label_on_one_line(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    lines.insert(rng.randrange(len(lines) + 1), " ".join([rng.choice(_LABELS)] * rng.choice([200, 2000])))
    return "\n".join(lines)


def numbered_lines(text: str, rng: random.Random) -> str:
    """A row without D/I followed by numbered lines (a known quadratic case)."""
    lines = _lines(text)
    i = rng.randrange(len(lines))
    lines[i:i] = ["Common Stock 01/02/2021 S 100 D $5.00 900"] + [f"{n}." for n in range(1, rng.choice([50, 250, 500]))]
    return "\n".join(lines)


def line_endings(text: str, rng: random.Random) -> str:
    return text.replace("\n", rng.choice(["\r\n", "\r", "\n\r", "\r\r\n"]))


def hostile_numbers(text: str, rng: random.Random) -> str:
    matches = list(_NUMBER.finditer(text))
    for m in sorted(rng.sample(matches, min(len(matches), rng.randint(1, 10))), key=lambda m: -m.start()):
        text = text[: m.start()] + rng.choice(NUMBERS) + text[m.end() :]
    return text


def hostile_dates(text: str, rng: random.Random) -> str:
    return _DATE.sub(lambda m: rng.choice(DATES) if rng.random() < 0.5 else m.group(), text)


def other_encoding(text: str, rng: random.Random) -> bytes:
    return text.encode(rng.choice(["utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252", "utf-8-sig"]), errors="replace")


def glue_filings(text: str, rng: random.Random) -> str:
    return text + "\n" + rng.choice(BASES)


MUTATIONS: dict[str, Callable[[str, random.Random], str | bytes]] = {
    "byte_flips": byte_flips, "truncate": truncate, "delete_lines": delete_lines, "duplicate_lines": duplicate_lines,
    "shuffle_lines": shuffle_lines, "insert_unicode": insert_unicode, "long_line": long_line, "repeat_rows": repeat_rows,
    "repeat_label_on_one_line": repeat_label_on_one_line, "numbered_lines": numbered_lines, "line_endings": line_endings,
    "hostile_numbers": hostile_numbers, "hostile_dates": hostile_dates, "other_encoding": other_encoding, "glue_filings": glue_filings,
}
#: Mutations that make inputs of a megabyte or thousands of lines: drawn less often.
HEAVY = frozenset({"long_line", "repeat_rows", "repeat_label_on_one_line", "numbered_lines"})
LIGHT = [name for name in MUTATIONS if name not in HEAVY]

BASES: list[str] = []
UNMUTATED: list[int] = []  # set by --unmutated: [number of modes]


def load_bases(corpus: bool = True) -> list[str]:
    """The samples and (when there) the dev-corpus texts, the inputs mutations start from."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").glob("*.txt"))]
    if corpus and (ROOT / "annotations" / "corpus" / "dev.jsonl.gz").exists():
        from form4.training.evaluate import corpus_items

        texts += [text for _, text, _, _ in corpus_items(ROOT / "annotations" / "corpus", "dev")]
    BASES[:] = texts
    return texts


def plan(seed: int, heavy_share: float = 0.03) -> tuple[int, list[str]]:
    """(base text index, mutation names) of input ``seed``."""
    if UNMUTATED:
        return seed // UNMUTATED[0], []
    rng = random.Random(seed)
    names = [rng.choice(LIGHT) for _ in range(rng.randint(1, 3))]
    if rng.random() < heavy_share:
        names[rng.randrange(len(names))] = rng.choice(sorted(HEAVY))
    return rng.randrange(len(BASES)), names


def mutate(seed: int, names: list[str] | None = None, base: int | None = None) -> tuple[bytes, list[str]]:
    """Input ``seed``: its bytes and the mutations that made it (the same for the same seed)."""
    planned_base, planned = plan(seed)
    names = planned if names is None else names
    rng = random.Random(seed * 7919 + 1)
    data: str | bytes = BASES[planned_base if base is None else base]
    for name in names:
        text = data if isinstance(data, str) else data.decode("utf-8", errors="replace")
        data = MUTATIONS[name](text, rng)
    return (data.encode("utf-8", errors="surrogatepass") if isinstance(data, str) else data), names


# ---------------------------------------------------------------- the contract
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
NUMBER_FIELDS = {"shares", "price_per_share", "shares_owned_following", "conversion_or_exercise_price", "underlying_security_shares"}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def contract_breaches(data: dict[str, Any]) -> list[str]:
    """What a dumped record breaks: numbers finite, >= 0 and under 1e15; no control characters in
    text; dates ISO; confidence on exactly the non-null leaves, in [0, 1]; valid against the
    schema (it reads back to the same JSON); JSON without NaN/Infinity; well-formed XML."""
    from form4.schema import Record, iter_leaves

    out: list[str] = []
    leaves = iter_leaves(data)
    for pointer, value in leaves:
        key = pointer.rsplit("/", 1)[-1]
        if key in NUMBER_FIELDS and not (isinstance(value, (int, float)) and math.isfinite(value) and 0 <= value < 1e15):
            out.append(f"{pointer}: number {value!r}")
        if isinstance(value, str) and _CONTROL.search(value):
            out.append(f"{pointer}: control character in {value[:40]!r}")
        if key.endswith("date") and not DATE.match(str(value)):
            out.append(f"{pointer}: date {value!r}")
    for text in list(data.get("warnings", ())) + [data.get("source") or ""]:
        if _CONTROL.search(text):
            out.append(f"control character in {text[:60]!r}")
    confidence = data.get("confidence", {})
    if set(confidence) != {p for p, _ in leaves}:
        out.append("confidence keys differ from the non-null leaves")
    if any(not (0 <= c <= 1) for c in confidence.values()):
        out.append("confidence outside [0, 1]")
    try:
        json.dumps(data, allow_nan=False)
        again = Record.model_validate(data).to_json_dict()
        if again != data:
            out.append("the record does not read back to itself")
        out.extend(_xml_breaches(Record.model_validate(data)))
    except Exception as err:  # noqa: BLE001
        out.append(f"invalid: {type(err).__name__}: {str(err).splitlines()[0][:200]}")
    return out


def _xml_breaches(record) -> list[str]:
    from xml.dom.minidom import parseString

    from form4.errors import XMLWriteError
    from form4.io.xml_writer import to_xml

    try:
        parseString(to_xml(record).encode("utf-8"))
    except XMLWriteError:
        return []  # a record the XML cannot hold (no date at all) is refused with one typed error line, not written
    except Exception as err:  # noqa: BLE001
        return [f"xml not well-formed: {err}"]
    return []


# ---------------------------------------------------------------- one input (in a worker)
def fuzz_one(extractors: dict[str, Any], job: tuple[int, str]) -> dict[str, Any]:
    """Extract input ``seed`` with the mode's extractor; classify the outcome."""
    from form4.run.batch import decode_bytes, extract_decoded
    from form4.errors import Form4Error

    seed, mode = job
    data, names = mutate(seed)
    start, cpu = time.perf_counter(), time.process_time()
    out: dict[str, Any] = {"seed": seed, "mode": mode, "mutations": names, "bytes": len(data)}
    try:
        records = extract_decoded(extractors[mode], decode_bytes(data, f"fuzz-{seed}"), f"fuzz-{seed}")
        dumped = [r.to_json_dict() for r in records]
        out["breaches"] = [b for d in dumped for b in contract_breaches(d)]
        if seed % 10 == 0:
            again = [r.to_json_dict() for r in extract_decoded(extractors[mode], decode_bytes(data, f"fuzz-{seed}"), f"fuzz-{seed}")]
            if again != dumped:
                out["breaches"].append("a second extraction differs")
        out["outcome"] = "breach" if out["breaches"] else "record"
    except Form4Error as err:
        out["outcome"], out["code"] = "error", err.code
    except BaseException as err:  # noqa: BLE001
        out["outcome"], out["error"] = "crash", f"{type(err).__name__}: {(str(err).splitlines() or [''])[0][:300]}"
    out["seconds"] = round(time.perf_counter() - start, 3)
    out["cpu_seconds"] = round(time.process_time() - cpu, 3)  # what "slow" means on a shared machine: wall time waits for the CPU
    return out


def extractors(mode: str) -> dict[str, Any]:
    from form4.run.pipeline import RULES_ONLY, model_extractor

    out: dict[str, Any] = {"rules": RULES_ONLY}
    if mode in ("model", "both"):
        out["model"] = model_extractor()
    return out


# ---------------------------------------------------------------- the run
def run(seeds: list[int], mode: str, workers: int, limit: float, progress: bool = True, report: Path | None = None) -> dict[str, Any]:
    """Extract every seed's input; the report so far is rewritten every 1,000 inputs (a stopped run still reports)."""
    from form4.run.workers import WorkerPool
    from form4.errors import Form4Error

    modes = ["rules", "model"] if mode == "both" else [mode]
    jobs = [(seed, modes[seed % len(modes)]) for seed in seeds]
    counts: Counter[str] = Counter()
    failing: list[dict[str, Any]] = []
    slowest: list[tuple[float, int]] = []
    start = time.perf_counter()

    def so_far(n: int) -> dict[str, Any]:
        seconds = time.perf_counter() - start
        return {"inputs": n, "planned": len(jobs), "seconds": round(seconds, 1), "per_second": round(n / seconds, 1), "limit": limit,
                "counts": dict(counts), "slowest": sorted(slowest, reverse=True)[:20], "failing": failing}

    n = 0
    with WorkerPool(fuzz_one, extractors(mode), workers=workers, timeout=limit) as pool:
        for n, (job, out, seconds) in enumerate(pool.imap_unordered(jobs), 1):
            if isinstance(out, Form4Error):  # the pool's own verdict: over the limit, or the worker died
                planned = plan(job[0])
                out = {"seed": job[0], "mode": job[1], "mutations": planned[1], "outcome": "timeout" if out.code == "E021" else "died",
                       "error": out.one_line(), "seconds": round(seconds, 3), "cpu_seconds": None}
            counts[out["outcome"]] += 1
            counts[f"mode:{out['mode']}"] += 1
            slow = (out["cpu_seconds"] or 0) > SLOW
            if slow:
                counts["slow"] += 1
            slowest.append((float(limit) if out["cpu_seconds"] is None else out["cpu_seconds"], out["seed"]))
            if out["outcome"] in ("crash", "breach", "timeout", "died") or slow:
                failing.append(out)
            if n % 1000 == 0:
                slowest[:] = sorted(slowest, reverse=True)[:20]
                if report:
                    report.write_text(json.dumps(so_far(n), indent=1))
                if progress:
                    print(f"{n}/{len(jobs)} in {time.perf_counter() - start:.0f} s: {dict(counts)}", file=sys.stderr, flush=True)
    return so_far(n)


def table(report: dict[str, Any]) -> str:
    c = report["counts"]
    rows = [("inputs", report["inputs"]), ("records", c.get("record", 0)), ("typed errors (Form4Error)", c.get("error", 0)),
            ("crashes (other exceptions)", c.get("crash", 0)), (f"over the {report['limit']:g} s wall limit", c.get("timeout", 0)),
            ("worker died", c.get("died", 0)), (f"slow (> {SLOW:g} s CPU)", c.get("slow", 0)), ("contract breaches", c.get("breach", 0)),
            ("wall seconds", report["seconds"]), ("inputs per second", report["per_second"])]
    width = max(len(name) for name, _ in rows)
    return "\n".join([f"| {'':<{width}} | count |", f"|{'-' * (width + 2)}|------:|"] + [f"| {name:<{width}} | {value} |" for name, value in rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="inputs to make and extract")
    parser.add_argument("--seed", type=int, default=1, help="first seed (inputs are seed, seed+1, ...)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=float, default=10.0, help="seconds per input before its worker is killed")
    parser.add_argument("--mode", choices=["rules", "model", "both"], default="both")
    parser.add_argument("--report", type=Path, default=Path("fuzz-report.json"))
    parser.add_argument("--unmutated", action="store_true", help="the bases as they are (no mutation): the corpus check")
    parser.add_argument("--replay", type=int, help="write input SEED's bytes to stdout and stop")
    args = parser.parse_args()
    load_bases()
    if args.replay is not None:
        data, names = mutate(args.replay)
        print(f"mutations: {names}", file=sys.stderr)
        sys.stdout.buffer.write(data)
        return
    if args.unmutated:  # input seed is base seed // modes, unchanged, in mode seed % modes
        UNMUTATED.append(2 if args.mode == "both" else 1)
        seeds = list(range(len(BASES) * UNMUTATED[0]))
    else:
        seeds = list(range(args.seed, args.seed + args.n))
    report = run(seeds, args.mode, args.workers, args.limit, report=args.report)
    args.report.write_text(json.dumps(report, indent=1))
    print(table(report))
    print(f"report: {args.report}")


if __name__ == "__main__":
    main()
