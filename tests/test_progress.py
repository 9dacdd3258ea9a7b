"""What a batch shows on a terminal (form4.cli.progress): a bar with rate and ETA, a summary line;
nothing of the kind when stderr is a file or a pipe, or with -q."""

import io
import re

import pytest
from typer.testing import CliRunner

from conftest import SAMPLES
from form4.cli import app
from form4.cli import progress


class Terminal(io.StringIO):
    """A stream that says it is an interactive terminal."""

    def isatty(self) -> bool:
        return True


def test_the_bar_counts_every_input_and_shows_the_rate_and_the_time_left():
    screen = Terminal()
    wrap = progress.bar(3, screen)
    assert list(wrap(["a", "b", "c"])) == ["a", "b", "c"]
    shown = screen.getvalue()
    assert "3/3" in shown and "inputs/" in shown and "ETA" in shown


def test_a_bar_closed_half_way_stops_drawing_so_the_summary_starts_on_a_clean_line():
    screen = Terminal()
    ticks = progress.bar(4, screen)(iter("abcd"))
    next(ticks), next(ticks)
    ticks.close()
    shown = screen.getvalue()
    assert "1/4" in shown and "\x1b[?25h" in shown  # the cursor given back
    assert shown.endswith("\x1b[2K")  # and the bar's line erased


@pytest.fixture()
def on_a_terminal(monkeypatch):
    monkeypatch.setattr(progress, "is_terminal", lambda stream=None: True)


def test_a_batch_on_a_terminal_draws_the_bar_and_ends_with_one_summary_line(on_a_terminal):
    result = CliRunner().invoke(app, ["extract", "--no-model", "--workers", "1", str(SAMPLES)])
    assert result.exit_code == 0, result.output
    assert "5/5" in result.stderr and "inputs/" in result.stderr
    summary = [line for line in result.stderr.splitlines() if "5 done, 0 failed, 0 skipped" in line]
    assert len(summary) == 1 and re.search(r" in \d+ s \([\d.]+ inputs/(s|min)\)$", summary[0].rstrip())


def test_the_worker_pool_advances_the_bar_once_per_finished_input(on_a_terminal):
    result = CliRunner().invoke(app, ["extract", "--no-model", "--workers", "2", str(SAMPLES)])
    assert result.exit_code == 0, result.output
    assert "5/5" in result.stderr and "6/5" not in result.stderr


def test_quiet_draws_nothing_on_a_terminal(on_a_terminal):
    result = CliRunner().invoke(app, ["-q", "extract", "--no-model", "--workers", "1", str(SAMPLES)])
    assert result.exit_code == 0 and result.stderr == ""


def test_a_batch_whose_stderr_is_no_terminal_prints_no_bar_and_no_summary():
    result = CliRunner().invoke(app, ["extract", "--no-model", "--workers", "1", str(SAMPLES)])
    assert result.exit_code == 0 and result.stderr == ""
