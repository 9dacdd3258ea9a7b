"""training.pages.habits: the text a page prints around the values and the filer's layout, drawn per page."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from form4.training.pages.habits import (EXPIRIES, REVISIONS, TICKER_FORMS, Habits, chunks, footer_css, habits,
                                         ticker_html, two_lines)


def test_the_same_seed_draws_the_same_habits_and_every_kind_is_drawn_on_a_share_of_pages():
    for style in ("paper", "agent", "word"):
        drawn = [habits(s, style) for s in range(300)]
        assert drawn == [habits(s, style) for s in range(300)]
        assert {h.footer for h in drawn} == {None, "page_of", "sec", "n_of"}
        assert {h.legend_under for h in drawn} == {True, False} and {h.signature_under for h in drawn} == {True, False}
        assert {h.title_lines for h in drawn} == {True, False}
        assert {h.expires for h in drawn} >= {None, *EXPIRIES} and {h.revision for h in drawn} == set(REVISIONS)
        assert 0.15 < sum(h.chunk is not None for h in drawn) / 300 < 0.7


def test_filings_continue_on_another_copy_only_in_the_styles_of_the_paper_form_and_filing_agents():
    share = {style: sum(habits(s, style).continued for s in range(400)) / 400 for style in ("paper", "agent", "word")}
    assert share["paper"] > 0.15 and share["agent"] > 0.15 and share["word"] == 0


def test_the_ticker_comes_in_every_form_filers_type_on_agent_pages():
    assert set(Counter(habits(s, "agent").ticker for s in range(200))) == set(TICKER_FORMS)
    assert ticker_html(Habits(0, ticker="parens"), "Example Holdings, Inc.", "EXMP") == "Example Holdings, Inc. (EXMP)"
    assert ticker_html(Habits(0, ticker="next_line"), "X Corp", "") == "X Corp"


@given(st.lists(st.text(alphabet="abc", min_size=1, max_size=6), min_size=1, max_size=8))
def test_a_break_over_two_lines_keeps_the_values_words(words):
    text = " ".join(words)
    assert two_lines(text).replace("<br>", "") == text
    assert two_lines(text).count("<br>") == (1 if len(words) > 1 else 0)


def test_page_footers_are_margin_boxes_with_the_revision_and_the_page_count():
    assert footer_css(Habits(0)) == ""
    css = footer_css(Habits(0, footer="page_of", revision="SEC 1474 (03-26)"))
    assert '"SEC 1474 (03-26)"' in css and '"Page " counter(page) " of " counter(pages)' in css
    assert 'counter(page) " of " counter(pages)' in footer_css(Habits(0, footer="n_of"))
    assert "counter" not in footer_css(Habits(0, footer="sec"))


@given(st.lists(st.integers(), max_size=40), st.one_of(st.none(), st.integers(1, 12)))
def test_chunks_keep_every_row_in_order(rows, size):
    pieces = chunks(rows, size)
    assert [r for piece in pieces for r in piece] == rows
    assert all(len(piece) <= (size or len(rows)) for piece in pieces)
