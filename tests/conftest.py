from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
GOLD = ROOT / "annotations" / "gold"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
