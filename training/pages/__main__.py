"""``python -m form4.training.pages check [--n 30] [--synthetic N] [--styles edgar,paper,plain]``."""

import sys

from .check import main

if __name__ == "__main__":
    if sys.argv[1:2] != ["check"]:
        print("usage: python -m form4.training.pages check [--n 30] [--synthetic N] [--styles ...] [--json]",
              file=sys.stderr)
        raise SystemExit(2)
    raise SystemExit(main(sys.argv[2:]))
