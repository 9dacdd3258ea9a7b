"""Shared test data: the repository's paths and the pieces of a printed filing that several
modules' tests read (import the constants: ``from conftest import SAMPLES``; or take the fixtures)."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
GOLD = ROOT / "annotations" / "gold"
#: the real ownership XML (read-only), beside the repository; tests that need it skip without it
SHARED = ROOT.parent / "shared" / "data" / "form4-raw"

#: a Table I header as pdftotext -layout prints it, the start of Table II with two footnotes,
#: and a signature wrapped around its date: tables, footer and sureness tests put rows between
HEAD = """FORM 4 STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP
1. Name and Address of Reporting Person*        2. Issuer Name and Ticker or Trading Symbol
 Doe Jane                                        ACME CORP [ ACME ]
                          Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned
1. Title of Security (Instr. 3)      2. Transaction Date       3. Transaction Code (Instr. 8)
                                       Code     V     Amount          (D)        Price

"""
FOOT = """                          Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned
Explanation of Responses:
1. A note.
2. Another note.
"""
SIG = """
                                                                        Ann Lee, Attorney-in-fact for
                                                                                          09/11/2020
                                                                        Jane Doe
                                                                        ** Signature of Reporting Person       Date
"""


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def gold() -> Path:
    return GOLD


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared raw ownership XML folder; skips the test where it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"raw Form 4 data folder not found at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


#: Skip accounting. From a plain clone without the project's shared data beside it
#: (``../shared/data/form4-raw``: the real EDGAR filings the corpus is built from) the tests that
#: read it skip, each saying so; the summary counts the skips by reason. With
#: ``FORM4_MAX_SKIPS=N`` set (``.ci/run`` sets 5), a run with more than N skipped tests fails.
MAX_SKIPS_VARIABLE = "FORM4_MAX_SKIPS"


def _skip_reasons(terminalreporter) -> dict[str, int]:
    counts: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
        reason = reason.removeprefix("Skipped: ")
        counts[reason] = counts.get(reason, 0) + 1
    return counts


def _too_many_skips(skipped: int) -> int | None:
    """The allowed number of skips when ``FORM4_MAX_SKIPS`` is set and exceeded, else None."""
    limit = os.environ.get(MAX_SKIPS_VARIABLE, "").strip()
    if not limit.isdigit():
        return None
    return int(limit) if skipped > int(limit) else None


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    counts = _skip_reasons(terminalreporter)
    if not counts:
        return
    terminalreporter.section("skipped tests by reason")
    for reason, n in sorted(counts.items(), key=lambda item: -item[1]):
        terminalreporter.write_line(f"{n:4d}  {reason}")
    skipped = sum(counts.values())
    limit = _too_many_skips(skipped)
    if limit is not None:
        terminalreporter.write_line(
            f"FAILED: {skipped} tests skipped, more than {MAX_SKIPS_VARIABLE}={limit}: install what the reasons above name "
            "(bash training/setup.sh for the tools; the shared data beside the repository, ../shared/data/form4-raw)",
            red=True,
        )


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or exitstatus not in (0, 5):
        return
    if _too_many_skips(len(reporter.stats.get("skipped", []))) is not None:
        session.exitstatus = 1
