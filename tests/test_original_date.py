"""Box 4's date of original submission after its label (form4.read.original_date), through the extractor."""

from __future__ import annotations

import datetime as dt

from conftest import ROOT, SAMPLES
from form4.run.pipeline import extract_text

#: box 1 to box 6 as pdftotext -raw prints an amendment's header (one box after the other, no columns)
RAW_HEADER = """FORM 4 UNITED STATES SECURITIES AND EXCHANGE COMMISSION
STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP
1. Name and Address of Reporting Person *
Roe Jane
(Last) (First) (Middle)
100 Main Street
(Street)
MIAMI FL 33131
(City) (State) (Zip)
2. Issuer Name and Ticker or Trading Symbol
Acme Corp [ ACME ]
5. Relationship of Reporting Person(s) to Issuer
X Director
3. Date of Earliest Transaction (MM/DD/YYYY)
11/09/2020
4. If Amendment, Date of Original Filed (Month/Day/Year)
{box4}
6. Individual or Joint/Group Filing (Check Applicable Line)
Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned
Common Stock 11/09/2020 S 100 D $10.00 900 D
Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned
Explanation of Responses:
/s/ Jane Roe 11/20/2020
** Signature of Reporting Person Date
"""


def test_an_amendments_date_on_the_line_after_box_4s_label_is_read_and_makes_it_a_4a():
    record = extract_text(RAW_HEADER.format(box4="11/13/2020"), "raw.txt")
    assert record.date_of_original_submission == dt.date(2020, 11, 13) and record.document_type == "4/A"


def test_a_synthetic_4a_flattened_by_pdftotext_raw_reads_its_original_date():
    text = (ROOT / "tests" / "fixtures" / "synthetic-4a.pdftotext-raw.txt").read_text(encoding="utf-8")
    record = extract_text(text, "synthetic-4a.txt")
    assert record.date_of_original_submission == dt.date(2020, 11, 13) and record.document_type == "4/A"


def test_an_empty_box_4_takes_no_other_boxs_date():
    record = extract_text(RAW_HEADER.format(box4=""), "raw.txt")
    assert record.date_of_original_submission is None and record.document_type == "4"


def test_the_samples_stay_plain_form_4s():
    for path in sorted(SAMPLES.glob("*.txt")):
        assert extract_text(path.read_text(encoding="utf-8"), path.name).document_type == "4"
