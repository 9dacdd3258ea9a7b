"""form4.read.relationship: box 5, the relationship checkboxes and the title written under them."""

import re


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
