"""form4.assemble.provenance: where every value of a record came from, handed over as data."""

from form4.assemble.assembler import assemble, assemble_traced
from form4.assemble.provenance import REPAIR_KINDS, Provenance, Repair
from form4.form import evidence as E
from form4.form import fields as F
from form4.run.pipeline import RULES_ONLY, read_filing

from conftest import ROOT  # noqa: E402  (the repository, defined once)
from test_assemble import ROWS, _footer, _header, _row, _sale

SAMPLES = sorted((ROOT / "samples").glob("*.txt"))


def test_every_leaf_of_a_sample_has_evidence_and_its_spans_print_its_value():
    for path in SAMPLES:
        text = path.read_text(encoding="utf-8")
        assembly = read_filing(text, path.stem, RULES_ONLY)
        assert set(assembly.provenance.fields) == set(assembly.record.confidence), path.name
        for pointer, evidence in assembly.provenance.fields.items():
            assert evidence.source in ("rule", "model", "model+rule", "derived") and evidence.reader in ("header", "rows", "footer")
            for start, end in evidence.spans:
                assert 0 <= start < end <= len(text) and text[start:end].strip(), (path.name, pointer)


def test_a_rebuilt_holding_is_a_repair_with_its_pointer_and_the_warning_stays_for_people():
    rows = [_row(*_sale("05/01/2012", "1,000", "9,000", E.FALLBACK)), _row(*_sale("05/02/2012", "500", "3,500"))]
    assembly = assemble_traced(_header(), rows, _footer())
    assert Repair("rebuilt", (f"{ROWS}/0/shares_owned_following",)) in assembly.provenance.repairs
    assert assembly.provenance.fields[f"{ROWS}/0/shares_owned_following"].source == "derived"
    assert any("rebuilt as 4,000" in w for w in assembly.record.warnings)
    assert assembly.record == assemble(_header(), rows, _footer())


def test_an_implied_side_and_a_refused_number_are_repairs_of_their_kinds():
    rows = [_row(*_sale("05/01/2012", "100", "900", side=None)), _row(*_sale("05/02/2012", "-5", "800"))]
    prov = assemble_traced(_header(), rows, _footer()).provenance
    kinds = {r.kind: r.pointers for r in prov.repairs}
    assert kinds["implied"] == (f"{ROWS}/0/acquired_disposed",)
    assert kinds["refused"] == (f"{ROWS}/1/shares",) and all(r.kind in REPAIR_KINDS for r in prov.repairs)


def test_breaches_come_as_data_with_the_leaves_they_name():
    rows = [_row(*_sale("05/01/2012", "100", "900", side="A"))]
    prov = assemble_traced(_header(checked="is_officer"), rows, _footer()).provenance
    assert {b.rule for b in prov.breaches} == {"code-vs-side", "officer-title"}
    named = {p for b in prov.breaches for p in b.pointers}
    assert f"{ROWS}/0/acquired_disposed" in named and "/reporting_owners/0/is_officer" in named


def test_the_level_is_the_readers_evidence_before_a_breach_lowered_it():
    rows = [_row(*_sale("05/01/2012", "100", "900", side="A"))]
    assembly = assemble_traced(_header(), rows, _footer())
    field = assembly.provenance.fields[f"{ROWS}/0/transaction_code"]
    assert field.level == E.PRINTED and assembly.record.confidence[f"{ROWS}/0/transaction_code"] == round(E.PRINTED * E.BREACHED, 4)


def test_a_placed_footnote_mark_is_a_repair_and_repaired_names_each_leaf_once():
    rows = [_row(*_sale("05/01/2012", "100", "900"), ids=("F2",))]
    prov = assemble_traced(_header(), rows, _footer("F1", "F2")).provenance
    assert prov.repaired()[f"{ROWS}/0/footnote_ids/0"] == "placed"
    both = Provenance(repairs=(Repair("rebuilt", ("/a",)), Repair("implied", ("/a", "/b"))))
    assert both.repaired() == {"/a": "rebuilt", "/b": "implied"}
    assert F.SHARES  # the labels the rows above are read with
