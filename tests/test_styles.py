"""training.styles: independent page styles that print every value exactly, with seeded presentation."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from form4.training.pages.render import render_html, render_values
from form4.training.pages import STYLES, parse_styles, render_styled
from form4.form.labels import WORDINGS
from form4.training.pages.common import VARIED, presentation
from form4.training.pages.printing import FOOTNOTE_LINE_FORMS, format_footnote_line
from form4.training.synth import synthesise

needs_pandoc = pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
needs_print = pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("pdftotext")),
                                 reason="chromium and pdftotext are needed to print and flatten pages")


@pytest.fixture(scope="module")
def filings():
    return synthesise(60, seed=21)


def _visible(page: str) -> str:
    """The page's text with tags dropped (values never straddle a tag)."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_the_edgar_style_without_a_seed_is_render_htmls_page_byte_for_byte(filings):
    for f in filings[:20]:
        assert render_styled(f.record, "edgar", None, f.cell_footnotes) == render_html(f.record, f.cell_footnotes)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 5000), st.sampled_from(sorted(STYLES)))
def test_every_style_prints_every_printed_value_exactly(seed, style):
    filing = synthesise(1, seed)[0]
    text = " ".join(_visible(render_styled(filing.record, style, seed, filing.cell_footnotes)).split())
    for pointer, printed in render_values(filing.record):
        if "/footnote_ids/" in pointer:  # a mark (not an aligned span) may print bracketed
            assert printed in text or f"[{printed[1:-1]}]" in text, (style, pointer, printed)
        elif pointer.startswith("/footnotes/") and pointer.endswith("/id"):  # so may a footnote's number
            assert any(format_footnote_line(printed[:-1], form) in text for form in FOOTNOTE_LINE_FORMS), (style, printed)
        else:
            assert printed in text, (style, pointer, printed)


def test_the_same_seed_gives_the_same_page_and_other_seeds_other_looks(filings):
    record, cells = filings[0]
    for style in STYLES:
        assert render_styled(record, style, 5, cells) == render_styled(record, style, 5, cells)
        assert len({render_styled(record, style, s, cells) for s in range(6)}) > 1


def test_presentations_cover_paper_sizes_orientations_mark_forms_and_label_wordings():
    looks = [presentation(s) for s in range(80)]
    assert {p.paper for p in looks} >= {"letter", "A4"}
    assert {p.landscape for p in looks} == {True, False}
    assert {p.marks for p in looks} == {"sup", "plain", "bracket"}
    assert {p.wrap for p in looks} == {"normal", "break-word", "nowrap"}
    wordings = {key: {dict(p.wording)[key] for p in looks} for key in VARIED}
    assert all(len(seen) == len(WORDINGS[key]) for key, seen in wordings.items())


def test_the_page_size_and_print_scale_are_declared_in_the_body_so_they_win(filings):
    record, cells = filings[0]
    for style in STYLES:
        page = render_styled(record, style, 9, cells)
        body = page.index("<body")
        assert page.index("@page", body) > body and "zoom:" in page[body:]


def test_unknown_styles_are_refused_with_the_known_names():
    with pytest.raises(ValueError, match="known: agent, edgar, paper, plain, word"):
        parse_styles("edgar,fax")
    with pytest.raises(KeyError):
        render_styled(synthesise(1, 0)[0].record, "fax", 0)


# ---------------------------------------------------------------- the four failure kinds of the issue
def _first(filings, test):
    return next(f for f in filings if test(f.record))


def test_officer_titles_print_under_the_officer_box_in_every_style(filings):
    f = _first(filings, lambda r: r.reporting_owners[0].officer_title)
    title = f.record.reporting_owners[0].officer_title
    for style in STYLES:
        text = _visible(render_styled(f.record, style, 3, f.cell_footnotes)).lower()  # labels may print in capitals
        officer = max(text.find(w) for w in ("officer (give title below)", "officer (specify title below)"))
        assert 0 <= officer < text.find(title.lower(), officer), style


def test_natures_in_lower_case_print_in_every_style(filings):
    f = _first(filings, lambda r: any((x.nature_of_ownership or "").startswith("by ")
                                      for x in r.non_derivative_transactions + r.non_derivative_holdings))
    natures = [x.nature_of_ownership for x in f.record.non_derivative_transactions + f.record.non_derivative_holdings
               if (x.nature_of_ownership or "").startswith("by ")]
    for style in STYLES:
        text = " ".join(_visible(render_styled(f.record, style, 3, f.cell_footnotes)).split())
        assert all(nature in text for nature in natures), style


def test_table_ii_holdings_and_long_underlying_titles_print_in_table_ii(filings):
    f = _first(filings, lambda r: r.derivative_holdings and any(len(x.underlying_security_title or "") > 40
                                                                 for x in r.derivative_transactions + r.derivative_holdings))
    for style in STYLES:
        text = _visible(render_styled(f.record, style, 3, f.cell_footnotes))
        table2 = max(text.find("Table II"), text.find("TABLE II"))
        for row in f.record.derivative_holdings:
            assert text.find(row.security_title, table2) > table2, style


@needs_pandoc
def test_footnote_numbers_come_out_escaped_from_pandoc_markdown_on_the_paper_and_plain_styles(filings):
    from form4.training.convert.html import pandoc_gfm

    f = _first(filings, lambda r: len(r.footnotes) >= 2)
    for style in ("paper", "plain"):  # (EDGAR's footnote lines stay raw HTML spans in pandoc's table)
        text = pandoc_gfm(render_styled(f.record, style, 3, f.cell_footnotes))
        assert re.search(r"^1\\\. \S", text, re.M) and re.search(r"^2\\\. \S", text, re.M), style


@pytest.mark.slow
@needs_print
def test_the_aligner_places_nearly_every_value_on_each_styles_flattened_page():
    from form4.training.pages.check import check

    items = [(f"s{k}", f.record, f.cell_footnotes) for k, f in enumerate(synthesise(3, seed=8))]
    result = check(items, sorted(STYLES), workers=2)
    for style, per in result.items():
        for converter, cell in per.items():
            assert cell["share"] >= 0.95, (style, converter, cell["examples"])


# ---------------------------------------------------------------- the corpus build with styles and synthetic filings
@needs_pandoc
def test_a_corpus_build_records_style_and_synthetic_in_meta_and_keeps_synthetic_filings_in_training(tmp_path):
    import gzip
    import json

    from form4.training.corpus import build

    raw = tmp_path / "raw"
    raw.mkdir()
    report = build(raw=raw, out=tmp_path / "out", work=tmp_path / "work", converters=("pandoc-gfm",), noise=False,
                   styles=("edgar", "paper", "plain"), synthetic=3, progress=lambda done, total: None)
    assert report.synthetic == 3 and report.styles == ["edgar", "paper", "plain"]
    with gzip.open(tmp_path / "out" / "train.jsonl.gz", "rt") as fh:
        metas = [json.loads(line)["meta"] for line in fh]
    synthetic = [m for m in metas if m["synthetic"]]
    assert [(m["doc_id"], m["style"]) for m in synthetic] == [
        ("synth-13-00000", "edgar"), ("synth-13-00001", "paper"), ("synth-13-00002", "plain")]
    assert all(m["split"] == "train" for m in synthetic)
    with gzip.open(tmp_path / "out" / "dev.jsonl.gz", "rt") as fh:
        assert not fh.read().strip()
    caches = sorted(p.name for p in (tmp_path / "work" / "cache").iterdir())
    assert caches == ["synth-13-00000@edgar", "synth-13-00001@paper", "synth-13-00002@plain"]
    assert (tmp_path / "work" / "text" / "paper" / "train" / "synth-13-00001.pandoc-gfm.txt").exists()
    assert set(report.coverage) >= {"synthetic-edgar:pandoc-gfm", "synthetic-paper:pandoc-gfm"}


def test_corpus_build_refuses_an_unknown_style_in_one_line(tmp_path):
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "form4", "corpus", "build", "--raw", str(tmp_path), "--styles", "edgar,fax",
                           "--out", str(tmp_path / "o"), "--work", str(tmp_path / "w")], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "error E016: unknown page style(s) ['fax']" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_a_derivative_row_exercisable_at_once_prints_immediately_on_pages_that_choose_to(filings):
    from form4.training.pages.common import presentation

    from form4.io.xml_reader import CellRef

    def immediate(f):
        notes = {n.id: n.text or "" for n in f.record.footnotes}
        return any(r.exercise_date is None and any(
            "immediately exercisable" in notes[ref]
            for ref in f.cell_footnotes.get(CellRef("derivative_transactions", i, "exercise_date"), ()))
            for i, r in enumerate(f.record.derivative_transactions))

    f = next(f for f in filings if immediate(f))
    seed = next(s for s in range(50) if presentation(s).immediately)
    for style in ("paper", "plain"):  # EDGAR prints only the mark where the XML has no date
        assert "Immediately" in _visible(render_styled(f.record, style, seed, f.cell_footnotes)), style
    assert "Immediately" not in _visible(render_styled(f.record, "edgar", seed, f.cell_footnotes))


# ---------------------------------------------------------------- checked against the real pages
def _raw_folder():
    import os

    root = Path(__file__).resolve().parents[1]
    candidates = [Path(os.environ["FORM4_RAW"])] if os.environ.get("FORM4_RAW") else []
    candidates += [root.parent / "shared/data/form4-raw", root.parents[1] / "shared/data/form4-raw"]
    return next((p for p in candidates if p.is_dir()), None)


RAW = _raw_folder()
BLANK_FORM = RAW / "SanjuMenon__Financial_Usecases/data/form4.pdf" if RAW else None
needs_blank_form = pytest.mark.skipif(not (BLANK_FORM and BLANK_FORM.exists() and shutil.which("pdftotext")),
                                      reason="the SEC's blank Form 4 PDF (raw data folder) or pdftotext is missing")


def _words(text: str) -> str:
    text = re.sub(r"<[^>]+>", "", html.unescape(text)).replace("\u2014", "-").replace("\ufb00", "ff").replace("\ufb03", "ffi")
    return re.sub(r"\s+", " ", re.sub(r"/\s+", "/", text)).strip().lower()


@pytest.fixture(scope="module")
def blank_form_words():
    import subprocess

    return _words(subprocess.run(["pdftotext", "-raw", "-f", "1", "-l", "4", str(BLANK_FORM), "-"],
                                 capture_output=True, text=True, check=True).stdout)


@needs_blank_form
def test_the_paper_styles_column_captions_are_the_blank_forms_own_words(blank_form_words):
    from form4.training.pages import paper

    captions = [c for c, _, _ in paper._T1_HEAD + paper._T2_HEAD] + list(paper._T1_SUB + paper._T2_SUB)
    assert [c for c in captions if _words(c) not in blank_form_words] == []


def test_a_real_filings_edgar_page_in_the_corpus_is_render_htmls_page_in_its_old_cache_folder(filings):
    from form4.training.corpus import Filing, Page

    record, cells = filings[1]
    real = Filing("0123abcd", "x.xml", record, cells)
    assert Page(real, "edgar").html() == render_html(record, cells)
    assert (Page(real, "edgar").key, Page(real, "edgar").seed) == ("0123abcd", None)
    assert len({Page(real, s).key for s in STYLES}) == len(STYLES)  # no two pages share a cache folder
    synthetic = Filing("synth-1-00000", "", record, cells, True)
    assert Page(synthetic, "edgar").key == "synth-1-00000@edgar" and Page(synthetic, "edgar").seed is not None


# ---------------------------------------------------------------- the failure kinds unseen pages show, drawn per page
from form4.training.pages.habits import LEGEND, habits, two_lines  # noqa: E402

DRAWN_STYLES = ("paper", "agent", "word")


def _seed(style, test):
    return next(s for s in range(2000) if test(habits(s, style)))


@pytest.mark.parametrize("style", ["paper", "agent"])
def test_a_filing_continued_on_another_copy_repeats_items_1_to_3_before_the_rest_of_its_rows(filings, style):
    f = _first(filings, lambda r: len(r.non_derivative_transactions) + len(r.non_derivative_holdings) >= 3)
    rec = f.record
    text = _visible(render_styled(rec, style, _seed(style, lambda h: h.continued), f.cell_footnotes))
    second = text.index("STATEMENT OF CHANGES IN BENEFICIAL", text.index("STATEMENT OF CHANGES IN BENEFICIAL") + 1)
    copy = text[second:]
    for value in (rec.reporting_owners[0].name, rec.issuer.name, rec.issuer.trading_symbol):
        assert value in text[:second] and value in copy, value
    assert "(continued)" in copy[copy.index("Table I"):]
    last = (rec.non_derivative_transactions + rec.non_derivative_holdings)[-1]
    assert copy.find(last.security_title, copy.index("Table I")) > 0  # the rest of Table I is on the copy


@pytest.mark.parametrize("style", DRAWN_STYLES)
def test_page_footers_and_the_omb_expiry_print_when_drawn(filings, style):
    f = filings[0]
    seed = _seed(style, lambda h: h.footer == "page_of" and h.expires)
    page = render_styled(f.record, style, seed, f.cell_footnotes)
    assert habits(seed, style).revision in page and '"Page " counter(page)' in page
    assert habits(seed, style).expires in _visible(page)


@needs_print
def test_page_footers_print_on_every_page_of_the_pdf(filings, tmp_path):
    import subprocess

    from form4.training.convert import html_to_pdf

    f = _first(filings, lambda r: len(r.footnotes) >= 3)
    seed = _seed("agent", lambda h: h.footer == "page_of")
    pdf = html_to_pdf(render_styled(f.record, "agent", seed, f.cell_footnotes), tmp_path / "p.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.count("\f")
    assert pages >= 2 and all(f"Page {k} of {pages}" in text for k in range(1, pages + 1))
    assert text.count(habits(seed, "agent").revision) == pages


@pytest.mark.parametrize("style", DRAWN_STYLES)
def test_the_legend_prints_right_under_the_signature_lines_when_drawn(filings, style):
    f = _first(filings, lambda r: r.signatures)
    seed = _seed(style, lambda h: h.legend_under and not h.signature_under)
    text = _visible(render_styled(f.record, style, seed, f.cell_footnotes))
    legend = _visible(LEGEND)[:40]
    name = text.rindex(f.record.signatures[-1].name.split(", By:")[-1])
    assert name < text.index(legend, name) < text.index("Signature of Reporting Person", name)


@pytest.mark.parametrize("style", DRAWN_STYLES)
def test_signatures_typed_under_the_signature_label_when_drawn(filings, style):
    f = _first(filings, lambda r: r.signatures and len(r.signatures[0].name or "") < 60)
    seed = _seed(style, lambda h: h.signature_under)
    text = _visible(render_styled(f.record, style, seed, f.cell_footnotes))
    label = text.rindex("Signature of Reporting Person")
    assert text.find(f.record.signatures[0].name.split(", By:")[0], label) > label


@pytest.mark.parametrize("style,form", [("agent", "parens"), ("agent", "next_line"), ("word", "parens"),
                                        ("word", "next_line"), ("paper", "next_line")])
def test_the_ticker_prints_as_filers_type_it(filings, style, form):
    f = filings[0]
    name, ticker = (html.escape(x) for x in (f.record.issuer.name, f.record.issuer.trading_symbol))
    page = render_styled(f.record, style, _seed(style, lambda h: h.ticker == form), f.cell_footnotes)
    if style == "paper":  # box 2's second line
        assert re.search(re.escape(name) + r"</div><div[^>]*>" + re.escape(ticker) + "<", page)
    else:
        assert (f"{name} ({ticker})" if form == "parens" else f"{name}<br>{ticker}") in re.sub(r"</?font[^>]*>", "", page)


@pytest.mark.parametrize("style", DRAWN_STYLES)
def test_long_officer_titles_print_over_two_lines_when_drawn(filings, style):
    f = _first(filings, lambda r: len(r.reporting_owners[0].officer_title or "") > 25 and "&" not in r.reporting_owners[0].officer_title)
    title = f.record.reporting_owners[0].officer_title
    page = render_styled(f.record, style, _seed(style, lambda h: h.title_lines), f.cell_footnotes)
    assert two_lines(html.escape(" ".join(title.split()))) in page


@pytest.mark.parametrize("style", DRAWN_STYLES)
def test_long_tables_continue_on_further_pages_with_their_headings_repeated(filings, style):
    f = _first(filings, lambda r: len(r.non_derivative_transactions) + len(r.non_derivative_holdings) > 15)
    seed = _seed(style, lambda h: h.chunk and not h.continued)
    text = _visible(render_styled(f.record, style, seed, f.cell_footnotes)).lower()
    table1 = text[re.search(r"table i\W", text).start():re.search(r"table ii\W", text).start()]
    assert table1.count("(continued)") >= 1 and table1.count("title of security") >= 2


@pytest.mark.parametrize("style", ["paper", "word"])
def test_an_entitys_signature_puts_its_by_line_under_its_name(filings, style):
    f = _first(filings, lambda r: any(", By:" in (s.name or "") for s in r.signatures))
    assert ", <br>By:" in render_styled(f.record, style, 2, f.cell_footnotes)


@pytest.mark.parametrize("style", sorted(STYLES))
def test_deemed_execution_dates_and_holdings_print_in_both_tables_in_every_style(filings, style):
    f = _first(filings, lambda r: any(x.deemed_execution_date for x in r.derivative_transactions) and r.non_derivative_holdings)
    text = _visible(render_styled(f.record, style, 6, f.cell_footnotes))
    table2 = max(text.find("Table II"), text.find("TABLE II"))
    for row in f.record.derivative_transactions:
        if row.deemed_execution_date:
            assert text.find(row.deemed_execution_date.strftime("%m/%d/%Y"), table2) > table2
    for row in f.record.non_derivative_holdings:
        assert 0 < text.find(f"{row.shares_owned_following:,.0f}".split(".")[0][:3]) < table2 or row.shares_owned_following < 1
