"""The transaction codes (form4.form.codes), checked against the SEC's own list."""

import re
import shutil
import subprocess

import pytest

from form4.form.codes import CODES, XML_CODES, side

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
