"""form4.read.boxes: header boxes 1-6 cut and read (the relationship box, streets, cities)."""

import re


def test_a_director_box_whose_label_ocr_cut_is_unknown_not_unchecked():
    from form4.read.boxes import Piece, read_box5

    text = "irector 10% Owner\nOfficer (give title Other (specify\n"
    rel, _ = read_box5(text, [Piece(0, len(text))])
    assert rel["is_director"][0] is None and rel["is_ten_percent_owner"] == (False, 0.85)


def test_care_of_street_split_after_the_company_suffix():
    from form4.read.boxes import _street_entities

    text = "C/O MICROSOFT CORPORATION ONE MICROSOFT WAY"
    toks = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"\S+", text)]
    got = {e.label: e.value_source for e in _street_entities(text, toks)}
    assert got == {"OWNER_STREET1": "C/O MICROSOFT CORPORATION", "OWNER_STREET2": "ONE MICROSOFT WAY"}


def test_city_wrapped_under_its_state_and_zip():
    from form4.read.boxes import _city_entities

    text = "MOUNTAIN        CA     94043\nVIEW"
    toks = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"\S+", text)]
    got = {e.label: e.value_source for e in _city_entities(text, toks)}
    assert got == {"OWNER_CITY": "MOUNTAIN VIEW", "OWNER_STATE": "CA", "OWNER_ZIP": "94043"}


def test_an_officer_title_printed_on_the_line_under_the_checkboxes_is_read():
    from form4.read.boxes import Piece, read_box5

    text = "[ ] Director\n[X] Officer (give title below)\n[ ] Other (specify below):\nSVP, GC and\nSecretary\n2a. Foreign Trading Symbol\n"
    pieces = [Piece(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    rel, titles = read_box5(text, pieces)
    assert rel["is_officer"][0] is True
    assert [(t.label, t.value_source) for t in titles] == [("OFFICER_TITLE", "SVP, GC and Secretary")]


def test_with_officer_and_other_both_checked_the_lines_under_them_are_the_title_then_the_other_text():
    from form4.read.boxes import Piece, read_box5

    text = "[X] Officer (give title below)\n[X] Other (specify below):\nPRESIDENT AND CEO\nTrustee of 10% owner\n"
    pieces = [Piece(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    _, titles = read_box5(text, pieces)
    assert [(t.label, t.value_source) for t in titles] == [("OFFICER_TITLE", "PRESIDENT AND CEO"), ("OTHER_TEXT", "Trustee of 10% owner")]


def test_a_check_mark_before_the_second_line_of_a_wrapped_label_checks_that_box():
    from form4.read.boxes import Piece, read_box5

    text = (
        "        Director                        10% Owner\n"
        "        Officer (give title             Other (specify\n"
        "      X below)                          below)\n"
        "        SVP, GC and Secretary\n"
    )
    pieces = [Piece(0, len(text))]
    rel, titles = read_box5(text, pieces)
    assert rel["is_officer"][0] is True and rel["is_other"][0] is False


def test_the_omb_boxs_expiry_date_is_never_a_date_of_the_filing():
    from form4.read.boxes import Piece, first_date

    text = "OMB Number: 3235-0287\nExpires:        August 31, 2026\n3. Date of Earliest Transaction (Month/Day/Year)\n08/20/2019\n"
    assert first_date(text, [Piece(0, len(text))], "PERIOD_DATE").value_source == "08/20/2019"
    text = "Board of Governors of the Federal Reserve System   OMB Number 7100-0091   Approval expires August 31, 2026\n"
    assert first_date(text, [Piece(0, len(text))], "PERIOD_DATE") is None
