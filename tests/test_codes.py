"""The transaction codes (form4.form.codes), checked against the SEC's own list."""

import re
import shutil
import subprocess

import pytest

from form4.form.codes import CODES, DERIVATIVE_SIDE, SIDE, XML_CODES, side

_CODE_LINE = re.compile(r"^(\s*)([A-Z])\s*[—–-]\s+(\S.*)$")


def instruction_codes(layout_text: str) -> dict[str, str]:
    """Code -> words, from item 8 of the General Instructions as ``pdftotext -layout`` prints them."""
    item8 = layout_text[layout_text.index("Transaction Codes") : layout_text.index("Amendments")]
    out: dict[str, str] = {}
    current, indent = None, 0
    for line in item8.splitlines():
        if m := _CODE_LINE.match(line):
            current, indent = m.group(2), len(m.group(1))
            out[current] = m.group(3).strip()
        elif current and line.strip() and len(line) - len(line.lstrip()) > indent:
            out[current] += " " + line.strip()
        else:
            current = None
    return out


@pytest.fixture(scope="module")
def instructions(shared):
    pdf = shared / "SanjuMenon__Financial_Usecases/data/form4.pdf"
    if not pdf.exists() or not shutil.which("pdftotext"):
        pytest.skip("the SEC's Form 4 PDF with its General Instructions or pdftotext is missing")
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_the_code_table_quotes_every_code_of_the_sec_instructions_word_for_word(instructions):
    assert instruction_codes(instructions) == CODES


def test_the_xml_takes_every_code_but_the_voluntary_mark_and_the_equity_swap_mark():
    assert set(CODES) - XML_CODES == {"V", "K"}


def test_an_exercise_acquires_the_underlying_in_table_one_and_disposes_of_the_derivative_in_table_two():
    assert [side(c, derivative=False) for c in "MXC"] == ["A"] * 3
    assert [side(c, derivative=True) for c in "MXC"] == ["D"] * 3
    assert side(None, derivative=False) is None


_ACQUIRES = ("purchase", "acquisition", "grant", "award", "exercise", "conversion")
_DISPOSES = ("sale", "disposition", "delivering")


def test_a_code_implies_a_side_only_where_its_words_name_that_side_alone():
    for code, implied in SIDE.items():
        words = CODES[code].lower()
        named, other = (_ACQUIRES, "disposition") if implied == "A" else (_DISPOSES, "acquisition")
        assert any(w in words for w in named) and other not in words, code
    exercises = {c for c in CODES if CODES[c].lower().startswith(("exercise", "conversion"))}
    assert {c: s for c, s in DERIVATIVE_SIDE.items() if SIDE[c] != s} == dict.fromkeys(exercises, "D")
    assert [side(c, derivative=False) for c in "IWJG"] == [None] * 4
