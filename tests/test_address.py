"""form4.read.address: box 1, the owner's name and address (streets, cities, owners abroad)."""

import re


def test_care_of_street_split_after_the_company_suffix():
    from form4.read.address import _street_entities

    text = "C/O MICROSOFT CORPORATION ONE MICROSOFT WAY"
    toks = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"\S+", text)]
    got = {e.label: e.value_source for e in _street_entities(text, toks)}
    assert got == {"OWNER_STREET1": "C/O MICROSOFT CORPORATION", "OWNER_STREET2": "ONE MICROSOFT WAY"}


def test_city_wrapped_under_its_state_and_zip():
    from form4.read.address import _city_entities

    text = "MOUNTAIN        CA     94043\nVIEW"
    toks = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"\S+", text)]
    got = {e.label: e.value_source for e in _city_entities(text, toks)}
    assert got == {"OWNER_CITY": "MOUNTAIN VIEW", "OWNER_STATE": "CA", "OWNER_ZIP": "94043"}
