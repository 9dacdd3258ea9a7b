"""The sectioner on every sample format."""

import pytest

from conftest import SAMPLES
from form4.errors import EmptyInputError, NotAForm4Error, TruncatedFilingError
from form4.read.sections import find_sections

SEEDS = sorted(SAMPLES.glob("*.txt"))


@pytest.mark.parametrize("sample", SEEDS, ids=[p.stem[:3] for p in SEEDS])
def test_sections_in_order(sample):
    text = sample.read_text()
    s = find_sections(text)
    assert s.header.start == 0 < s.header.end == s.table1.start
    assert s.table1.end == s.table2.start <= s.explanation.start <= s.remarks.start <= s.signature.start
    assert "Table I" in s.table1.slice(text)
    assert "Derivative" in s.table2.slice(text)
    assert "Explanation of Responses" in s.explanation.slice(text)
    assert "Signature of Reporting Person" in s.signature.slice(text)
    assert "/s/" in s.signature.slice(text)
    assert {"box1", "box2", "box3"} <= set(s.box_anchors)


def test_scrambled_repeats_do_not_move_anchors():
    """Seed 004 repeats 'Table I - Non-Derivative' dozens of times inside Table II's garbage."""
    text = (SAMPLES / "004_6f1bfb28d9774b22.txt").read_text()
    s = find_sections(text)
    assert text.count("Table I - Non-Derivative") > 5
    assert s.table1.start == text.index("Table I - Non-Derivative")
    assert s.explanation.start == text.index("Explanation of Responses")


@pytest.mark.parametrize(
    "text,error",
    [("", EmptyInputError), ("   \n", EmptyInputError), ("a shopping list: eggs, milk", NotAForm4Error)],
    ids=["empty", "blank", "not-form4"],
)
def test_bad_text(text, error):
    with pytest.raises(error):
        find_sections(text)


def test_truncated():
    text = (SAMPLES / "000_46eb1dd4f8015172.txt").read_text()
    with pytest.raises(TruncatedFilingError):
        find_sections(text[: text.index("Table II")])


@pytest.mark.parametrize(
    "table1, explanation, signature",
    [
        ("Table I - No n-Derivative Securities", "Explanation of Re sponses:", "Signature of Reporting Person"),
        ("Table I - Non-Deri<b>v</b>ative Securities", "Explanation of Responses:", "Signature of Reporting Person"),
        ("Iable I-Non-Dorivative Securities", "Expla nation of Respcnses:", "Signature of Rep0rting Porson"),
    ],
    ids=["broken-word", "tag-in-word", "ocr-lookalikes"],
)
def test_section_labels_survive_broken_words_tags_and_ocr_lookalikes(table1, explanation, signature):
    text = (
        "FORM 4 STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP\n1. Name and Address of Reporting Person*\nDoe Jane\n"
        f"{table1} Acquired, Disposed of, or Beneficially Owned\nCommon Stock 01/02/2024 S 100 D $1.00 900 D\n"
        "Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned\n"
        f"{explanation}\n1. A note.\n/s/ Jane Doe 01/03/2024\n** {signature} Date\n"
    )
    s = find_sections(text)
    assert s.table1.slice(text).startswith(table1[:6])
    assert s.explanation.slice(text).startswith(explanation[:6])
    assert s.signature.slice(text).startswith("/s/ Jane Doe")


def test_a_page_break_inside_a_line_ends_the_line():
    from form4.read.footer import read_footer

    text = (
        "FORM 4 STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP\n1. Name and Address of Reporting Person*\nDoe Jane\n"
        "Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned\n"
        "Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned\n"
        "Explanation of Responses:\n1. A note.\n2. Another note.\f3. A third note.\n/s/ Jane Doe 01/03/2024\n"
        "** Signature of Reporting Person Date\n"
    )
    s = find_sections(text)
    assert len(s.text) == len(text)
    assert [f.id for f in read_footer(s).footnotes] == ["F1", "F2", "F3"]


def test_grid_table_text_is_read_cell_by_cell_when_its_labels_are_wrapped():
    from form4.run.pipeline import extract_text

    def grid(cells: list[str], width: int) -> list[str]:
        """One rst grid row whose cells wrap at ``width`` characters, as pandoc writes them."""
        wrapped = [[c[i : i + width] for i in range(0, len(c), width)] or [""] for c in cells]
        border = "+" + "+".join("-" * (width + 2) for _ in cells) + "+"
        rows = [("| " + " | ".join((w[k] if k < len(w) else "").ljust(width) for w in wrapped) + " |") for k in range(max(map(len, wrapped)))]
        return [border, *rows, border]

    lines = [
        "FORM 4 STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP", "1. Name and Address of Reporting Person*", "Doe Jane", "",
        *grid(["Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned"], 12), "",
        *grid(["Common Stock", "01/02/2024", "S", "100", "D", "$1.00", "900", "D"], 12), "",
        *grid(["Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned"], 12), "",
        "Explanation of Responses:", "1. A note.", "/s/ Jane Doe 01/03/2024", "** Signature of Reporting Person Date",
    ]
    text = "\n".join(lines)
    with pytest.raises(TruncatedFilingError):
        find_sections(text)
    record = extract_text(text).to_json_dict()
    [row] = record["non_derivative_transactions"]
    assert (row["transaction_date"], row["shares"], row["shares_owned_following"]) == ("2024-01-02", 100.0, 900.0)
