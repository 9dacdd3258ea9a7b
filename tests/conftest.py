"""Shared test data: the repository's paths and the pieces of a printed filing that several
modules' tests read (import the constants: ``from conftest import SAMPLES``; or take the fixtures)."""

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
