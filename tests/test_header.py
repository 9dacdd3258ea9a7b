"""form4.header: the whole header read from a filing's text (boxes 1-6 and the two checkboxes above them)."""

from form4.header import read_header
from form4.merged_owner import DOUBTED
from form4.sections import find_sections


MARKDOWN_HEADER = """FORM 4 STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP

| 1. Name and Address of Reporting Person\\*<br><br><u>BOTHA ROELOF</u> | 2. Issuer Name and Ticker or Trading Symbol<br><br><u>Natera, Inc. [ NTRA ]</u> | 5. Relationship of Reporting Person(s) to Issuer<br><br>(Check all applicable) |   |
| <input checked="" type="checkbox"/> | Director | 10% Owner |   |
| Officer (give title | Other (specify |   |   |
| (Last) | (First) | (Middle) | below) |
| 3. Date of Earliest Transaction (Month/Day/Year) |   |   |   |
| <u>C/O SEQUOIA CAPITAL</u> | <u>01/24/2020</u> |   |   |
| (Street) |   |   |   |
| MENLO PARK | CA | <u>94025</u> |   |
| (City) | (State) | (Zip) |   |

Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned
| Common Stock | 01/24/2020 | A | 1,248 | A | $0.00 | 1,248 | D |
Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned
Explanation of Responses:
"""


def test_scrambled_markdown_header_read_line_by_line_when_a_box_reading_is_implausible():
    from form4.entities import Entity
    from form4.merged_owner import implausible

    header = read_header(find_sections(MARKDOWN_HEADER))
    owner = {e.label: e.value_source for e in header.owner}
    # the label's escaped "Person\\*" ends the label; the tick of a box-5 check box is no part of a name;
    # the scrambled cells put box 3's date where the street was, so box 1 is read line by line
    assert owner == {"OWNER_NAME": "BOTHA ROELOF", "OWNER_STREET1": "C/O SEQUOIA CAPITAL", "OWNER_CITY": "MENLO PARK",
                     "OWNER_STATE": "CA", "OWNER_ZIP": "94025"}
    assert implausible(Entity("OWNER_STREET1", 0, 10, "01/24/2020")) == "a date where a name or address belongs"
    assert DOUBTED < 0.5


def test_check_mark_in_a_wide_padded_markdown_cell():
    text = MARKDOWN_HEADER.replace('| <input checked="" type="checkbox"/> | Director |', "| X" + " " * 70 + "| Director |")
    assert read_header(find_sections(text)).relationship["is_director"][0] is True
