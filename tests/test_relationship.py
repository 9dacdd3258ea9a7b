"""form4.read.relationship: box 5, the relationship checkboxes and the title written under them."""

import re
import shutil

import pytest

from conftest import PRINT_CONVERTERS, needs_print, typed_filing

#: the converters each printed page is flattened with: text layers, and pandoc's markdown where installed
CONVERTERS = PRINT_CONVERTERS + (("pandoc-gfm",) if shutil.which("pandoc") else ())


def test_a_director_box_whose_label_ocr_cut_is_unknown_not_unchecked():
    from form4.read.boxes import Piece
    from form4.read.relationship import read_box5

    text = "irector 10% Owner\nOfficer (give title Other (specify\n"
    rel, _ = read_box5(text, [Piece(0, len(text))])
    assert rel["is_director"][0] is None and rel["is_ten_percent_owner"] == (False, 0.85)


def test_an_officer_title_printed_on_the_line_under_the_checkboxes_is_read():
    from form4.read.boxes import Piece
    from form4.read.relationship import read_box5

    text = "[ ] Director\n[X] Officer (give title below)\n[ ] Other (specify below):\nSVP, GC and\nSecretary\n2a. Foreign Trading Symbol\n"
    pieces = [Piece(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    rel, titles = read_box5(text, pieces)
    assert rel["is_officer"][0] is True
    assert [(t.label, t.value_source) for t in titles] == [("OFFICER_TITLE", "SVP, GC and Secretary")]


def test_with_officer_and_other_both_checked_the_lines_under_them_are_the_title_then_the_other_text():
    from form4.read.boxes import Piece
    from form4.read.relationship import read_box5

    text = "[X] Officer (give title below)\n[X] Other (specify below):\nPRESIDENT AND CEO\nTrustee of 10% owner\n"
    pieces = [Piece(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    _, titles = read_box5(text, pieces)
    assert [(t.label, t.value_source) for t in titles] == [("OFFICER_TITLE", "PRESIDENT AND CEO"), ("OTHER_TEXT", "Trustee of 10% owner")]


def test_a_check_mark_before_the_second_line_of_a_wrapped_label_checks_that_box():
    from form4.read.boxes import Piece
    from form4.read.relationship import read_box5

    text = (
        "        Director                        10% Owner\n"
        "        Officer (give title             Other (specify\n"
        "      X below)                          below)\n"
        "        SVP, GC and Secretary\n"
    )
    pieces = [Piece(0, len(text))]
    rel, titles = read_box5(text, pieces)
    assert rel["is_officer"][0] is True and rel["is_other"][0] is False


def _box5(text: str):
    from form4.read.boxes import Piece
    from form4.read.relationship import read_box5

    pieces = [Piece(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    rel, titles = read_box5(text, pieces)
    return {k: v[0] for k, v in rel.items()}, [(t.label, t.value_source) for t in titles]


def test_the_label_words_a_converter_put_on_three_lines_still_check_the_officer_box():
    rel, titles = _box5("Director    Ten Percent Owner\nX Officer\nbelow):\n(give title\nOther (specify below)\nChief Executive\nOfficer\n")
    assert rel == {"is_director": False, "is_ten_percent_owner": False, "is_officer": True, "is_other": False}
    assert titles == [("OFFICER_TITLE", "Chief Executive Officer")]


def test_a_mark_on_the_line_under_the_label_in_the_checkbox_column_checks_it():
    text = ("           Director                  10 % Owner\n"
            "           Officer (specify title\n"
            "    X      below)                    Other (specify below):\n")
    rel, _ = _box5(text)
    assert rel["is_officer"] is True and rel["is_other"] is False


@pytest.mark.parametrize("label", ["10% Owner", "10 % Owner", "Ten Percent Owner"])
def test_every_printed_wording_of_the_ten_percent_box_is_its_label(label):
    rel, _ = _box5(f"[ ] Director\n[X] {label}\n[ ] Officer (specify title below)\n[ ] Other (specify below):\n")
    assert rel["is_ten_percent_owner"] is True and rel["is_officer"] is False


def test_a_title_under_the_officer_label_ends_at_the_next_checkboxs_label():
    rel, titles = _box5("Director\nX Officer (give title below):\nExecutive Vice President, Chief Financial\nOfficer and Treasurer\n"
                        "Ten Percent Owner\nOther (specify below)\n")
    assert rel["is_officer"] is True
    assert titles == [("OFFICER_TITLE", "Executive Vice President, Chief Financial Officer and Treasurer")]


def test_a_title_line_with_director_in_it_is_no_label():
    _, titles = _box5("[X] Officer (give title below)\n[ ] Other (specify below):\nManaging Director,\nHead of Sales\n")
    assert titles == [("OFFICER_TITLE", "Managing Director, Head of Sales")]


@needs_print
@pytest.mark.parametrize("style", ["edgar", "paper", "plain", "agent", "word"])
def test_the_officer_box_and_a_title_over_two_lines_are_read_on_each_page_style(style):
    import tempfile
    from pathlib import Path

    from form4.run.pipeline import RULES_ONLY, extract_text
    from form4.training.convert import flatten
    from form4.training.pages import render_styled

    title = "Executive Vice President, Chief Financial Officer and Treasurer"
    record = typed_filing()
    record = record.model_copy(update={"reporting_owners": (record.reporting_owners[0].model_copy(update={"officer_title": title}),)})
    for seed in (1, 2):  # two presentations of the style: label wordings, mark forms, where the title goes
        with tempfile.TemporaryDirectory() as work:
            texts = flatten(render_styled(record, style, seed), Path(work), CONVERTERS)
        for converter, text in texts.items():
            owner = extract_text(text, "x", RULES_ONLY).reporting_owners[0]
            assert (owner.is_officer, owner.officer_title, owner.is_director, owner.is_other) == (True, title, False, False), (seed, converter)
