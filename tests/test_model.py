"""The model's side of the path: the regions it reads; the calibrator that turns evidence into confidence."""

from conftest import SAMPLES
from form4.calibration import Calibrator, kind_of
from form4.model import text_regions
from form4.pipeline import extract_file


def test_regions_cover_the_value_sections():
    text = (SAMPLES / "000_46eb1dd4f8015172.txt").read_text()
    regions = text_regions(text)
    covered = "".join(text[s:e] for s, e in regions)
    for value in ("Thakar Sumedh S", "45,551", "195,467", "/s/ Bruce Posey"):
        assert value in covered
    assert "Reminder: Report on a separate line" not in covered


def test_calibrator_maps_evidence_monotonically(tmp_path):
    cal = Calibrator(coef=(4.0, -1.0, 0, 0, 0, 0, 0, 0), intercept=-2.0)
    cal.save(tmp_path / "c.json")
    loaded = Calibrator.load(tmp_path / "c.json")
    record = loaded.apply(extract_file(SAMPLES / "001_d8ce4ece6e55602e.txt"))
    assert all(0 < c < 1 for c in record.confidence.values())
    assert loaded.probability([0.9, 0, 0, 1, 0, 0, 0, 0]) > loaded.probability([0.5, 0, 0, 1, 0, 0, 0, 0])
    assert kind_of("/period_of_report") == "date" and kind_of("/issuer/name") == "text"
