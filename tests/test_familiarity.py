"""form4.run.familiarity: how familiar a page looks to the readers, as named signals."""

import math

from form4.read.header import read_header
from form4.read.sections import find_sections
from form4.run.familiarity import PAGE_SIGNALS, unclaimed_marks
from form4.run.pipeline import RULES_ONLY, read_filing

from conftest import ROOT  # noqa: E402  (the repository, defined once)

SEED = ROOT / "samples" / "000_46eb1dd4f8015172.txt"


def test_a_sample_page_has_every_signal_and_no_model_signals_without_the_model():
    page = read_filing(SEED.read_text(encoding="utf-8"), "000", RULES_ONLY).provenance.page
    assert set(page) == set(PAGE_SIGNALS)
    assert page["anchors_found"] > 0.8 and page["rows_read"] >= 1 and page["model_read"] == 0.0
    assert math.isnan(page["model_unsure_share"]) and sum(v for k, v in page.items() if k.startswith("table_I_")) == 1.0


def test_a_check_mark_left_on_the_line_below_box_5_is_counted_as_unclaimed():
    text = SEED.read_text(encoding="utf-8")
    sections = find_sections(text)
    header = read_header(sections)
    checked = sum(bool(c) for c, _ in header.relationship.values())
    assert checked >= 1 and unclaimed_marks(sections, header) == 0
    at = text.index("\n", sections.box_anchors["box5"]) + 1
    moved = text[:at] + "        X\n" + text[at:]  # a second mark, under the labels, that no box claims
    moved_sections = find_sections(moved)
    assert unclaimed_marks(moved_sections, read_header(moved_sections)) == 1
