"""Shared test data: the repository's paths and the pieces of a printed filing that several
modules' tests read (import the constants: ``from conftest import SAMPLES``; or take the fixtures)."""

import functools
import os
import shutil
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


#: printing a page needs chromium and pdftotext (tests that print skip without them)
CAN_PRINT = bool(shutil.which("chromium") and shutil.which("pdftotext"))
needs_print = pytest.mark.skipif(not CAN_PRINT, reason="chromium and pdftotext are needed to print and flatten pages")


def typed_filing(**changes):
    """A small filing as a filer types it on the paper form: one owner, an officer, two sales,
    a footnote and a signature; ``changes`` replace its fields."""
    from form4.schema import Footnote, Issuer, NonDerivativeTransaction, Record, ReportingOwner, Signature

    def sale(shares: int, left: int, price: float, notes: tuple[str, ...] = ()) -> NonDerivativeTransaction:
        return NonDerivativeTransaction(security_title="Common Stock", transaction_date="2024-03-01", transaction_code="S",
                                        equity_swap_involved=False, shares=shares, price_per_share=price, acquired_disposed="D",
                                        shares_owned_following=left, direct_or_indirect="D", footnote_ids=notes)

    owner = ReportingOwner(name="Roe Jane", street1="100 Main Street", city="Springfield", state="IL", zip_code="62701",
                           is_director=False, is_officer=True, is_ten_percent_owner=False, is_other=False,
                           officer_title="Chief Executive Officer")
    record = Record(document_type="4", period_of_report="2024-03-01", not_subject_to_section16=False,
                    issuer=Issuer(name="Example Holdings, Inc.", trading_symbol="EXMP"), reporting_owners=(owner,),
                    non_derivative_transactions=(sale(100, 900, 10.5, ("F1",)), sale(200, 700, 10.75)),
                    footnotes=(Footnote(id="F1", text="The price reported is a weighted average."),),
                    signatures=(Signature(name="/s/ Jane Roe", date="2024-03-05"),))
    return record.model_copy(update=changes)


#: the converters :func:`printed` flattens each printed page with
PRINT_CONVERTERS = ("pdftotext-layout", "pdftotext-raw")


@functools.lru_cache(maxsize=64)
def _printed(record_json: str, style: str, seed: int) -> dict[str, str]:
    import tempfile

    from form4.schema import Record
    from form4.training.convert import flatten
    from form4.training.pages import render_styled

    page = render_styled(Record.model_validate_json(record_json), style, seed)
    with tempfile.TemporaryDirectory(prefix="form4-test-print-") as work:
        return flatten(page, Path(work), PRINT_CONVERTERS)


def printed(record, converter: str = "pdftotext-layout", style: str = "paper", seed: int = 1) -> str:
    """``record`` printed in a page ``style`` and flattened by ``converter`` (one of
    ``PRINT_CONVERTERS``): the text a filer's typed page gives. Each page is printed once a session."""
    return _printed(record.model_dump_json(), style, seed)[converter]


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
