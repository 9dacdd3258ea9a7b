"""read.notes: the form's own notes and page lines are blanked from the footer, the filer's words kept."""

from __future__ import annotations

from form4.read.notes import blank_notes, note_spans


def _kept(text: str) -> list[str]:
    return [line.strip() for line in blank_notes(text).split("\n") if line.strip()]


def test_the_legend_broken_around_the_signature_label_is_blanked_in_both_halves():
    text = ("                       /s/ Jane Roe                        03/05/2024\n"
            "** Intentional misstatements or omissions of facts constitute Federal Criminal Violations. See 18\n"
            "                       **Signature of Reporting Person     Date\n"
            "U.S.C. 1001 and 15 U.S.C. 78ff(a).\n")
    assert _kept(text) == ["/s/ Jane Roe                        03/05/2024", "**Signature of Reporting Person     Date"]
    assert len(blank_notes(text)) == len(text)


def test_the_forms_notes_under_the_signature_are_blanked():
    text = ("/s/ Jane Roe 03/05/2024\n"
            "Note: File three copies of this Form, one of which must be manually signed. If space is insufficient, see Instruction 6 for procedure.\n"
            "Persons who respond to the collection of information contained in this form are not required to respond unless the form displays a currently valid OMB Number.\n")
    assert _kept(text) == ["/s/ Jane Roe 03/05/2024"]


def test_page_numbers_and_the_forms_revision_on_lines_of_their_own_are_blanked():
    text = "3. The shares are held by a trust.\nPage 2 of 12\n4. Gift.\n3 of 4\nSEC 1474 (03-26)\nSee page 3 of 4 of the plan.\n"
    assert _kept(text) == ["3. The shares are held by a trust.", "4. Gift.", "See page 3 of 4 of the plan."]


def test_a_footnote_that_quotes_a_few_words_of_a_note_is_kept():
    text = "1. Held directly or indirectly by the collection of information trusts.\n"
    assert note_spans(text) == []


def test_the_reminder_under_table_i_is_blanked_only_whole():
    ends_alike = "2. Shares beneficially owned directly or indirectly.\n"
    assert note_spans(ends_alike) == []
    whole = "Reminder: Report on a separate line for each class of securities beneficially owned directly or indirectly.\n"
    assert _kept(whole) == []


def test_the_forms_number_and_the_page_number_on_one_line_are_a_page_line():
    text = "1. The price reported is a weighted average.\nSEC 1474 (11-11)                                   2 of 3\n"
    assert _kept(text) == ["1. The price reported is a weighted average."]
