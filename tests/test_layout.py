"""form4.read.layout: lines, cells and views of the text that keep its offsets."""

from form4.read.layout import blank_markup


def test_blank_markup_keeps_offsets():
    text = "| <span class='F'>1.</span> <span>Sold under a plan.</span> |\n|---|---|\n"
    view = blank_markup(text)
    assert len(view) == len(text)
    assert view.split() == ["1.", "Sold", "under", "a", "plan."]
    assert view.index("Sold") == text.index("Sold")
