"""What a batch shows while it runs and when it ends, on a terminal: a progress bar (done of
total, rate, elapsed time and ETA) on stderr, then one summary line. Output that goes to a file
or a pipe, and ``-q``, get neither (a batch with failures still ends with its summary, a warning).

>>> shown(total=1, terminal=True, quiet=False), shown(total=5, terminal=False, quiet=False), shown(total=5, terminal=True, quiet=True)
(False, False, False)
>>> shown(total=5, terminal=True, quiet=False)
True
"""

from __future__ import annotations

import sys
import time
from typing import IO, Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")


def shown(total: int, terminal: bool, quiet: bool) -> bool:
    """A bar is worth drawing: a batch (two inputs or more), on a terminal, not ``-q``."""
    return total >= 2 and terminal and not quiet


def is_terminal(stream: IO | None = None) -> bool:
    """``stream`` (default: stderr) is an interactive terminal."""
    stream = stream if stream is not None else sys.stderr
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # a closed or a bare stream
        return False


def rate_text(done: int, seconds: float) -> str:
    """Inputs per second, readable at any speed.

    >>> rate_text(962, 53.0), rate_text(3, 40.0), rate_text(0, 0.0)
    ('18.2 inputs/s', '4.5 inputs/min', '')
    """
    if done <= 0 or seconds <= 0:
        return ""
    per_second = done / seconds
    return f"{per_second:.1f} inputs/s" if per_second >= 1 else f"{per_second * 60:.1f} inputs/min"


def bar(total: int, stream: IO | None = None) -> Callable[[Iterable[T]], Iterator[T]]:
    """A progress callable for :func:`form4.run.batch.run_batch`: it wraps the inputs and advances
    a rich progress bar on ``stream`` (stderr) as each finishes; the bar is cleared when the
    iteration ends (or is closed: Ctrl-C), so the summary line follows on a clean line."""

    def wrap(items: Iterable[T]) -> Iterator[T]:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        console = Console(file=stream if stream is not None else sys.stderr, force_terminal=True)
        columns = (TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
                   TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn())
        started = time.monotonic()
        with Progress(*columns, console=console, transient=True) as progress:
            task = progress.add_task("extract", total=total, rate="")
            for n, item in enumerate(items, 1):
                yield item
                progress.update(task, advance=1, rate=rate_text(n, time.monotonic() - started), refresh=True)

    return wrap


def summary_text(line: str, seconds: float, done: int) -> str:
    """The batch's summary line with its time and rate.

    >>> summary_text("962 done, 0 failed, 0 skipped", 53.2, 962)
    '962 done, 0 failed, 0 skipped in 53 s (18.1 inputs/s)'
    """
    rate = rate_text(done, seconds)
    return f"{line} in {seconds:.0f} s" + (f" ({rate})" if rate else "")
