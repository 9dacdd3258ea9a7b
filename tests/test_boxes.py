"""form4.boxes: header boxes 1-6 cut and read (the relationship box, streets, cities)."""


def test_a_director_box_whose_label_ocr_cut_is_unknown_not_unchecked():
    from form4.boxes import Piece, read_box5

    text = "irector 10% Owner\nOfficer (give title Other (specify\n"
    rel, _ = read_box5(text, [Piece(0, len(text))])
    assert rel["is_director"][0] is None and rel["is_ten_percent_owner"] == (False, 0.85)


def test_care_of_street_split_after_the_company_suffix():
    from form4.boxes import _street_entities

    text = "C/O MICROSOFT CORPORATION ONE MICROSOFT WAY"
    toks = [(m.start(), m.end(), m.group(0)) for m in __import__("re").finditer(r"\S+", text)]
    got = {e.label: e.value_source for e in _street_entities(text, toks)}
    assert got == {"OWNER_STREET1": "C/O MICROSOFT CORPORATION", "OWNER_STREET2": "ONE MICROSOFT WAY"}


def test_city_wrapped_under_its_state_and_zip():
    from form4.boxes import _city_entities

    text = "MOUNTAIN        CA     94043\nVIEW"
    toks = [(m.start(), m.end(), m.group(0)) for m in __import__("re").finditer(r"\S+", text)]
    got = {e.label: e.value_source for e in _city_entities(text, toks)}
    assert got == {"OWNER_CITY": "MOUNTAIN VIEW", "OWNER_STATE": "CA", "OWNER_ZIP": "94043"}
