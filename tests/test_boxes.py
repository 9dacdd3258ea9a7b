"""form4.read.boxes: the header cut into boxes 1-6, and the dates of boxes 3 and 4."""


def test_the_omb_boxs_expiry_date_is_never_a_date_of_the_filing():
    from form4.read.boxes import Piece, first_date

    text = "OMB Number: 3235-0287\nExpires:        August 31, 2026\n3. Date of Earliest Transaction (Month/Day/Year)\n08/20/2019\n"
    assert first_date(text, [Piece(0, len(text))], "PERIOD_DATE").value_source == "08/20/2019"
    text = "Board of Governors of the Federal Reserve System   OMB Number 7100-0091   Approval expires August 31, 2026\n"
    assert first_date(text, [Piece(0, len(text))], "PERIOD_DATE") is None
