"""form4.read.address: box 1, the owner's name and address (streets, cities, owners abroad)."""

import re

import pytest

from conftest import PRINT_CONVERTERS, needs_print, printed, typed_filing


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


def _box1(lines: str):
    from form4.read.address import read_box1
    from form4.read.boxes import Piece

    text = "1. Name and Address of Reporting Person*\n" + lines
    pieces = [Piece(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    return {e.label: e.value_source for e in read_box1(text, pieces)}


@pytest.mark.parametrize("city,state,postcode", [("TORONTO,", "A6", "M5V 2T6"), ("LONDON", "X0", "SW1A 1AA"),
                                                 ("DUBLIN 2", "L2", "D02 X576"), ("MINATO-KU, TOKYO", "M0", "105-6490"),
                                                 ("HAMILTON", "D0", "HM 11"), ("NEW YORK", "NY", "10022")])
def test_a_box_without_captions_reads_name_street_and_a_city_line_at_home_or_abroad(city, state, postcode):
    got = _box1(f"Roe Jane\n1 King Street\n{city} {state} {postcode}\n")
    assert got == {"OWNER_NAME": "Roe Jane", "OWNER_STREET1": "1 King Street", "OWNER_CITY": city.rstrip(","),
                   "OWNER_STATE": state, "OWNER_ZIP": postcode}


def test_captions_printed_together_under_the_boxs_lines_read_like_a_box_without_captions():
    got = _box1("Roe Jane\n1 King Street\nSuite 200\nCENTRAL, HONG KONG, K3\n(Last) (First) (Middle) (Street) (City) (State) (Zip)\n")
    assert got == {"OWNER_NAME": "Roe Jane", "OWNER_STREET1": "1 King Street", "OWNER_STREET2": "Suite 200",
                   "OWNER_CITY": "CENTRAL, HONG KONG", "OWNER_STATE": "K3"}


def test_a_city_wrapped_round_its_state_code_abroad_is_one_city():
    got = _box1("Roe Jane\n(Last) (First) (Middle)\n1 King Street\n(Street)\nCENTRAL, HONG\nK3\nKONG\n(City) (State) (Zip)\n")
    assert (got["OWNER_CITY"], got["OWNER_STATE"]) == ("CENTRAL, HONG KONG", "K3") and "OWNER_ZIP" not in got


def test_the_forms_own_title_a_converter_put_in_box_1_is_no_street():
    got = _box1("BOTHA ROELOF\nUNITED STATES SECURITIES AND EXCHANGE COMMISSION\nWashington, D.C. 20549\n"
                "(Last)\n(First)\n(Middle)\n(Street)\n(City)\n(State)\n(Zip)\n")
    assert got == {"OWNER_NAME": "BOTHA ROELOF"}


def test_a_zip_broken_in_two_is_left_unread_and_the_city_and_state_kept():
    from form4.read.address import _city_entities

    text = "MENLO PARK CA 94\n4025"
    toks = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"\S+", text)]
    got = {e.label: e.value_source for e in _city_entities(text, toks)}
    assert got == {"OWNER_CITY": "MENLO PARK", "OWNER_STATE": "CA"}


@needs_print
@pytest.mark.parametrize("style", ["edgar", "paper", "plain", "agent", "word"])
@pytest.mark.parametrize("city,state,postcode", [("MINATO-KU, TOKYO", "M0", "105-6490"), ("CENTRAL, HONG KONG", "K3", None),
                                                 ("DUBLIN 2", "L2", "D02 X576")])
def test_an_owner_abroad_typed_on_each_page_style_is_read(style, city, state, postcode):
    from form4.run.pipeline import RULES_ONLY, extract_text

    record = typed_filing()
    owner = record.reporting_owners[0].model_copy(update={"city": city, "state": state, "zip_code": postcode})
    record = record.model_copy(update={"reporting_owners": (owner,)})
    for converter in PRINT_CONVERTERS:
        read = extract_text(printed(record, converter, style), "x", RULES_ONLY).reporting_owners[0]
        assert (read.name, read.street1, read.city, read.state, read.zip_code) == ("Roe Jane", "100 Main Street", city, state, postcode), converter
