"""form4.io.geometry: tesseract's word boxes laid out as positional text (columns kept)."""

from __future__ import annotations

import math
import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from form4.io.geometry import TSV_HEADER, layout_tsv, parse_tsv
from form4.read.layout import split_lines

#: one word box: (page, block, line, word, left, top, width, height, conf, text)
Box = tuple[int, int, int, int, int, int, int, int, float, str]


def tsv_of(boxes: list[Box], pages: tuple[int, ...] = ()) -> str:
    """A tesseract TSV holding ``boxes`` (level 5 rows) and a page row for each of ``pages``."""
    rows = [TSV_HEADER]
    rows += [f"1\t{page}\t0\t0\t0\t0\t0\t0\t3300\t2550\t-1\t" for page in pages]
    for page, block, line, word, left, top, width, height, conf, text in boxes:
        rows.append(f"5\t{page}\t{block}\t1\t{line}\t{word}\t{left}\t{top}\t{width}\t{height}\t{conf}\t{text}")
    return "\n".join(rows) + "\n"


def words(line: str, top: int, left: int = 100, block: int = 1, line_no: int = 1, page: int = 1, glyph: int = 15) -> list[Box]:
    """The words of ``line`` as boxes: one glyph ``glyph`` px wide, one space 8 px, one line."""
    out = []
    x = left
    for k, text in enumerate(line.split(), start=1):
        out.append((page, block, line_no, k, x, top, glyph * len(text), 30, 95.0, text))
        x += glyph * len(text) + 8
    return out


def rotated(boxes: list[Box], degrees: float) -> list[Box]:
    """``boxes`` as a scanner turned by ``degrees`` would place them (about the page's corner)."""
    a = math.radians(degrees)
    out = []
    for page, block, line, word, left, top, width, height, conf, text in boxes:
        cx, cy = left + width / 2, top + height / 2
        x, y = cx * math.cos(a) - cy * math.sin(a), cx * math.sin(a) + cy * math.cos(a)
        out.append((page, block, line, word, round(x - width / 2), round(y - height / 2 + 200), width, height, conf, text))
    return out


#: a Table I row whose cells tesseract read as three blocks, and the row below it
ROW = words("Common Stock", 1000, left=100, block=4) + words("08/20/2019", 1002, left=900, block=5) + words(
    "46,780 A $0.00", 998, left=1500, block=6) + words("Class B Stock", 1060, left=100, block=7)


def test_a_table_row_that_tesseract_split_into_blocks_is_one_line() -> None:
    lines = [line for line in layout_tsv(tsv_of(ROW)).split("\n") if line.strip()]
    assert lines[0].split() == ["Common", "Stock", "08/20/2019", "46,780", "A", "$0.00"]
    assert lines[1].split() == ["Class", "B", "Stock"]


def test_cells_are_kept_apart_by_runs_of_spaces_and_words_by_one_space() -> None:
    text = layout_tsv(tsv_of(ROW))
    cells = [cell.text for cell in split_lines(text)[0].cells]
    assert cells == ["Common Stock", "08/20/2019", "46,780 A $0.00"]


def test_columns_stand_where_the_page_prints_them() -> None:
    text = layout_tsv(tsv_of(words("Code V Amount", 500, left=1500) + words("J 46,780", 560, left=1500, line_no=2)))
    first, second = [line for line in text.split("\n") if line.strip()][:2]
    assert first.index("Code") == second.index("J")


def test_a_scan_turned_by_a_degree_and_a_half_keeps_its_rows() -> None:
    page = words("Common Stock", 1000, left=100, block=1) + words("46,780", 1000, left=2800, block=2)
    page += words("Class A Common Stock", 1050, left=100, block=3, line_no=2) + words("11,814", 1050, left=2800, block=4)
    for k in range(1, 4):  # lines of prose across the page: they show the skew
        page += words(" ".join(["footnote"] * 20), 1200 + 50 * k, block=9, line_no=k)
    for degrees in (1.5, -1.5):
        lines = [ln.split() for ln in layout_tsv(tsv_of(rotated(page, degrees))).split("\n") if ln.strip()]
        assert lines[:2] == [["Common", "Stock", "46,780"], ["Class", "A", "Common", "Stock", "11,814"]]


def test_every_page_ends_with_a_form_feed_an_empty_page_too() -> None:
    boxes = words("FORM 4", 100, page=1) + words("Remarks:", 100, page=3)
    text = layout_tsv(tsv_of(boxes, pages=(1, 2, 3)))
    assert text.split("\f") == ["FORM 4\n", "", "Remarks:\n", ""]


def test_no_words_at_all_is_an_empty_text_not_an_error() -> None:
    assert layout_tsv("") == ""
    assert layout_tsv(tsv_of([], pages=(1,))) == "\f"


def test_garbage_rows_and_fields_are_skipped() -> None:
    tsv = tsv_of(words("Common Stock", 100)) + "5\t1\tx\t1\t1\t1\t0\t0\t9\t9\t90\tbad\n5\t1\t1\n\n5\t1\t1\t1\t1\t3\tinf\t0\t9\t9\t90\tinf\n"
    assert layout_tsv(tsv).split() == ["Common", "Stock"]


def test_a_word_far_off_the_page_costs_no_more_than_a_line() -> None:
    text = layout_tsv(tsv_of(words("Stock", 100) + [(1, 2, 1, 1, 10**12, 100, 10**12, 30, 95.0, "far")]))
    assert text.split() == ["Stock", "far"] and len(text) < 1000


def test_control_characters_in_a_word_cannot_break_lines_or_pages() -> None:
    text = layout_tsv(tsv_of([(1, 1, 1, 1, 100, 100, 60, 30, 95.0, "46,\x0c780\u2028")]))
    assert text == "46,780\n\f"


def test_a_speck_read_unsurely_is_left_out_but_a_small_hyphen_stays() -> None:
    boxes = words("Table I", 100, left=100) + [(1, 1, 1, 9, 230, 112, 8, 3, 91.0, "-"), (1, 2, 1, 1, 400, 110, 3, 3, 0.0, ":")]
    boxes += words("Non-Derivative", 100, left=260, block=3)
    assert layout_tsv(tsv_of(boxes)).split() == ["Table", "I", "-", "Non-Derivative"]


def test_the_tsv_parser_keeps_page_numbers_of_rows_without_words() -> None:
    found, pages = parse_tsv(tsv_of(words("FORM 4", 10, page=2), pages=(1, 2)))
    assert pages == [1, 2] and [w.text for w in found] == ["FORM", "4"]


# ---------------------------------------------------------------- properties
_coord = st.integers(min_value=-50, max_value=4000)
_size = st.integers(min_value=0, max_value=400)
_box = st.tuples(
    st.integers(1, 3), st.integers(0, 6), st.integers(0, 6), _coord, _coord, _size, _size, st.floats(-1, 100, allow_nan=False)
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_box, max_size=60))
@example([(1, 0, 0, 0, 0, 0, 0, 0.0)] + [(1, 0, 0, 1, 0, 0, 0, 0.0)] + [(1, 0, 0, 0, 0, 0, 0, 0.0)] * 10)  # w1 is inside w10
def test_every_word_appears_once_and_a_tesseract_line_stays_in_order(raw: list) -> None:
    boxes = [(page, block, line, k, left, top, width, height, 96.0, f"w{k}") for k, (page, block, line, left, top, width, height, _) in enumerate(raw)]
    text = layout_tsv(tsv_of(boxes))
    tokens = text.split()
    assert sorted(tokens) == sorted(b[-1] for b in boxes)
    # each word's own place (a word's name may be inside another's: w1 in w10)
    where = {m.group(): (n, m.start()) for n, line in enumerate(text.replace("\f", "\n\f\n").split("\n")) for m in re.finditer(r"\S+", line)}
    for page, block, line in {(b[0], b[1], b[2]) for b in boxes}:
        same = sorted((b for b in boxes if (b[0], b[1], b[2]) == (page, block, line)), key=lambda b: (max(0, b[4]), b[3]))
        spots = [where[b[-1]] for b in same]
        assert len({n for n, _ in spots}) == 1, "a tesseract line is never split"
        assert [x for _, x in spots] == sorted(x for _, x in spots), "its words stay left to right"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("5\t1-x.\n9 \f\r\u2028"), max_size=400))
def test_any_tsv_text_lays_out_without_an_error(tsv: str) -> None:
    text = layout_tsv(TSV_HEADER + "\n" + tsv)
    assert isinstance(text, str) and "\r" not in text and "\u2028" not in text


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_coord, _coord, _size, _size, st.floats(-1, 100, allow_nan=False), st.text(min_size=1, max_size=8)), max_size=40))
def test_any_words_give_one_form_feed_per_page_and_no_stray_line_breaks(raw: list) -> None:
    boxes = [(1, k % 3, k % 5, k, left, top, width, height, conf, text.replace("\t", " ").replace("\n", " ").replace("\r", " "))
             for k, (left, top, width, height, conf, text) in enumerate(raw)]
    text = layout_tsv(tsv_of(boxes, pages=(1,)))
    assert text.count("\f") == 1 and text.endswith("\f")
    assert all(len(line) < 5000 for line in text.split("\n"))
