"""form4.read.header: the whole header read from a filing's text (boxes 1-6 and the two checkboxes above them)."""

import datetime as dt
import json
import re

import pytest

from conftest import GOLD, SAMPLES
from form4.form import fields as F
from form4.assemble.drafts import typed_value
from form4.read.boxes import cut_boxes
from form4.read.header import read_header
from form4.read.merged_owner import DOUBTED
from form4.schema import iter_leaves
from form4.read.sections import find_sections

SEEDS = sorted(SAMPLES.glob("*.txt"))


def _values(entities) -> dict[str, object]:
    """Header entities -> their typed values by record field (the first reading of a field)."""
    out: dict[str, object] = {}
    for e in entities:
        name, kind = F.HEADER_LABELS[e.label]
        out.setdefault(name, typed_value(e, kind).value)
    return out


def _header_leaves(header) -> dict[str, object]:
    """The header's readings as the record's (JSON pointer -> value) leaves of one owner."""
    out = {f"/reporting_owners/0/{k}": v for k, v in _values(header.owner).items()}
    out |= {f"/reporting_owners/0/{box}": checked for box, (checked, _) in header.relationship.items()}
    out |= {f"/issuer/{k}": v for k, v in _values(header.issuer).items()}
    out |= {f"/{k}": v for k, v in _values(header.dates).items()}
    return {p: v.isoformat() if isinstance(v, dt.date) else v for p, v in out.items() if v is not None}


_HEADER_LEAF = re.compile(r"/(?:reporting_owners/\d+|issuer)/|/(?:period_of_report|date_of_original_submission)$")
#: where the gold has more than the header's own reading: the assembler completes it. Seed 001's
#: Values whose own cells OCR destroyed: read after assembly from their other copies on the page
#: and the ZIP code's gazetteer (form4.assemble.copies), not by the header reader.
_FROM_OTHER_COPIES = {"004_6f1bfb28d9774b22": {"/reporting_owners/0/city", "/reporting_owners/0/zip_code"}}
#: OCR kept no check mark in box 5 but printed an officer title; the assembler takes Officer.
_ASSEMBLER_COMPLETES = {"001_d8ce4ece6e55602e": {"/reporting_owners/0/is_officer": False}}


@pytest.mark.parametrize("sample", SEEDS, ids=[p.stem[:3] for p in SEEDS])
def test_each_samples_header_reads_as_its_gold_owner_issuer_dates_and_relationship(sample):
    gold = json.loads((GOLD / f"{sample.stem}.json").read_text(encoding="utf-8"))
    header = read_header(find_sections(sample.read_text(encoding="utf-8")))
    # what the gold marks unrecoverable (a title the converter cut, a box OCR destroyed) is not compared
    skip = set(gold.get("unrecoverable", {})) | _FROM_OTHER_COPIES.get(sample.stem, set())
    want = {p: v for p, v in iter_leaves(gold) if _HEADER_LEAF.match(p) and p not in skip}
    want |= _ASSEMBLER_COMPLETES.get(sample.stem, {})
    got = {p: v for p, v in _header_leaves(header).items() if p not in skip}
    assert got == want
    assert len(gold["reporting_owners"]) == 1 and header.more_owners == ()


# ---------------------------------------------------------------- cutting the header into boxes
TAB_HEADER = (
    "FORM 4 STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP\n"
    "1. Name and Address of Reporting Person*\t2. Issuer Name and Ticker or Trading Symbol\t5. Relationship of Reporting Person(s) to Issuer\n"
    "Doe Jane\tACME CORP [ ACME ]\tX Director\t10% Owner\n"
    "(Last) (First) (Middle)\t3. Date of Earliest Transaction (Month/Day/Year)\tOfficer (give title below)\tOther (specify below)\n"
    "1 MAIN STREET\t05/01/2012\n"
    "(Street)\t4. If Amendment, Date of Original Filed (Month/Day/Year)\n"
    "SPRINGFIELD IL 62701\n"
    "(City) (State) (Zip)\n"
)
LAYOUT_HEADER = (
    "FORM 4 STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP\n"
    "1. Name and Address of Reporting Person*        2. Issuer Name and Ticker or Trading Symbol        5. Relationship of Reporting Person(s) to Issuer\n"
    "  Doe Jane                                        ACME CORP [ ACME ]                                   X   Director          10% Owner\n"
    "  (Last)   (First)   (Middle)                     3. Date of Earliest Transaction (Month/Day/Year)       Officer (give title below)\n"
    "  1 MAIN STREET                                   05/01/2012\n"
    "  (Street)                                        4. If Amendment, Date of Original Filed (Month/Day/Year)\n"
    "  SPRINGFIELD    IL    62701\n"
    "  (City)   (State)   (Zip)\n"
)
_TABLES = (
    "Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned\n"
    "Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned\n"
    "Explanation of Responses:\n1. A note.\n"
)


def _box_text(sections, box: str) -> str:
    return " ".join(" ".join(sections.text[p.start : p.end].split()) for p in cut_boxes(sections).pieces[box])


@pytest.mark.parametrize("header", [TAB_HEADER, LAYOUT_HEADER], ids=["tab-table", "layout-table"])
def test_every_header_cell_goes_to_the_box_whose_label_stands_above_it(header):
    sections = find_sections(header + _TABLES)
    box1, box2, box3, box5 = (_box_text(sections, b) for b in ("box1", "box2", "box3", "box5"))
    assert "Doe Jane" in box1 and "1 MAIN STREET" in box1 and "SPRINGFIELD IL 62701" in box1
    assert "ACME CORP [ ACME ]" in box2 and "Doe Jane" not in box2
    assert "05/01/2012" in box3 and "05/01/2012" not in box1 + box2
    assert "Director" in box5 and "Officer" in box5 and "MAIN" not in box5
    header_read = read_header(sections)
    assert _values(header_read.owner) == {"name": "Doe Jane", "street1": "1 MAIN STREET", "city": "SPRINGFIELD", "state": "IL", "zip_code": "62701"}
    assert _values(header_read.issuer) == {"name": "ACME CORP", "trading_symbol": "ACME"}
    assert _values(header_read.dates) == {"period_of_report": dt.date(2012, 5, 1)}
    assert header_read.relationship["is_director"][0] is True and header_read.relationship["is_officer"][0] is False


# ---------------------------------------------------------------- the two checkboxes above the boxes
SECTION16 = "Check this box if no longer subject to Section 16. Form 4 or Form 5 obligations may continue. See Instruction 1(b).\n"
RULE_10B5 = ("Check this box to indicate that a transaction was made pursuant to a contract, instruction or written plan "
             "that is intended to satisfy the affirmative defense conditions of Rule 10b5-1(c). See Instruction 10.\n")


@pytest.mark.parametrize(
    "above, section16, rule_10b5",
    [
        (SECTION16, False, None),
        ("X " + SECTION16, True, None),
        (SECTION16 + "X " + RULE_10B5, False, True),
        (SECTION16 + RULE_10B5, False, False),
    ],
    ids=["section-16-unchecked", "section-16-checked", "10b5-1-checked", "10b5-1-unchecked"],
)
def test_a_checkbox_above_the_boxes_is_checked_by_a_mark_before_its_sentence_and_unknown_where_not_printed(above, section16, rule_10b5):
    # the 10b5-1 box is printed only on forms since 2023: where its sentence is absent it is unknown (None)
    header = read_header(find_sections(TAB_HEADER.replace("OWNERSHIP\n", "OWNERSHIP\n" + above, 1) + _TABLES))
    assert header.not_subject_to_section16 is not None and header.not_subject_to_section16[0] is section16
    assert (header.aff10b5_one and header.aff10b5_one[0]) is rule_10b5


# ---------------------------------------------------------------- markdown headers whose cells came scrambled or padded
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
    from form4.read.merged_owner import implausible

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
