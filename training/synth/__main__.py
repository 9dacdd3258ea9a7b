"""``python -m form4.training.synth measure --raw DIR`` | ``show --n N --seed S``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

from .measure import STATS_PATH, measure
from .record import synthesise


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m form4.training.synth")
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("measure", help="measure the real filings and write stats.json")
    m.add_argument("--raw", type=Path, required=True)
    m.add_argument("--out", type=Path, default=STATS_PATH)
    s = sub.add_parser("show", help="print synthetic records as JSON")
    s.add_argument("--n", type=int, default=1)
    s.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.command == "measure":
        args.out.write_text(json.dumps(measure(args.raw), indent=0, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        for filing in synthesise(args.n, args.seed):
            print(filing.record.to_json())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
