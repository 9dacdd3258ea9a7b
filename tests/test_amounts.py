"""form4.read.amounts: numbers a converter split over cells, and a row's price and holding told apart."""

from form4.read.amounts import join_candidates, split_price_following
from form4.read.layout import atoms_of, split_lines


def _atoms(text):
    return atoms_of(text, split_lines(text)[0].cells)


def test_join_prefers_overlap_at_duplicated_boundary():
    assert join_candidates(["23,13", "39"])[0].text == "23,139"
    assert [c.how for c in join_candidates(["23,13", "39"])][0] == "overlap"


def test_a_dollar_amount_then_a_plain_amount_are_the_price_and_the_holding():
    price, following = split_price_following(_atoms("$84.34\t58,076"))
    assert [a.bare for a in price] == ["$84.34"] and [a.bare for a in following] == ["58,076"]


def test_a_footnote_mark_closes_the_price():
    price, following = split_price_following(_atoms("$110.03 (2)\t352\t46,274"))
    assert [a.bare for a in price] == ["$110.03"] and [a.bare for a in following] == ["352", "46,274"]
