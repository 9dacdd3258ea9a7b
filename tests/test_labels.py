"""The form's printed labels, declared once (form4.form.labels)."""

import html
import re
import shutil
import subprocess

import pytest

from form4.form.labels import WORDINGS, plain, words


def test_every_label_has_a_wording_and_no_wording_is_declared_twice():
    wordings = [w for options in WORDINGS.values() for w in options]
    assert all(WORDINGS.values()) and len(wordings) == len(set(wordings))


def test_a_labels_words_leave_out_its_box_number_its_markup_and_its_punctuation():
    assert words("t2_deemed") == ("Deemed", "Execution", "Date", "if", "any", "Month", "Day", "Year")
    assert words("issuer", 1) == words("issuer", 0)
    assert "<" not in plain(WORDINGS["table2_sub"][1]) and words("ten") == ("10%", "Owner")


def _words(text: str) -> str:
    text = re.sub(r"<[^>]+>", "", html.unescape(text)).replace("\u2014", "-").replace("\ufb00", "ff").replace("\ufb03", "ffi")
    return re.sub(r"\s+", " ", re.sub(r"/\s+", "/", text)).strip().lower()


def test_every_label_has_a_wording_printed_on_the_blank_form_or_a_real_edgar_page(shared):
    blank = shared / "SanjuMenon__Financial_Usecases/data/form4.pdf"
    if not blank.exists() or not shutil.which("pdftotext"):
        pytest.skip("the SEC's blank Form 4 PDF or pdftotext is missing")
    printed = subprocess.run(["pdftotext", "-raw", "-f", "1", "-l", "4", str(blank), "-"], capture_output=True, text=True, check=True).stdout
    edgar_pages = [p.read_text(errors="replace") for p in shared.rglob("*.htm*") if "form4" in p.name.lower().replace(" ", "")]
    real = _words(printed) + " ".join(_words(page) for page in edgar_pages)
    assert [key for key, options in WORDINGS.items() if not any(_words(w) in real for w in options)] == []
