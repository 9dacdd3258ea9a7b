"""form4.read.merged_owner: the owner read line by line where OCR merged the header boxes; owner and issuer split apart."""


def test_owner_read_line_by_line_when_ocr_merged_the_boxes():
    from form4.read.merged_owner import read_merged_owner

    text = (
        "1. Name and Address of Reporting Person” 2. Issuer Name and Ticker or Trading Symbol 5. Relationship\n"
        "Eventbrite, Inc. [ EB ] (Check all applicable)\n"
        "BOTHA ROELOF » X Director X 10% Owner\n"
        "(Last) (First) (Middle) 3. Date of Earliest Transaction (Month/Day/Year)\n"
        "2800 SAND HILL ROAD, SUITE 101 08/20/2019\n"
        "(Street) 4. If Amendment, Date of Original Filed (Month/Day/Year)\n"
        "MENLO PARK CA 94025\n"
        "(City) (State) (Zip)\n"
    )
    from form4.entities import Entity

    issuer = [Entity("ISSUER_NAME", 0, 0, "Eventbrite, Inc.", 0.9)]
    got = {e.label: e.value_source for e in read_merged_owner(text, 0, len(text), issuer)}
    assert got == {"OWNER_NAME": "BOTHA ROELOF", "OWNER_STREET1": "2800 SAND HILL ROAD, SUITE 101",
                   "OWNER_CITY": "MENLO PARK", "OWNER_STATE": "CA", "OWNER_ZIP": "94025"}


def test_owner_split_from_the_issuer_at_a_change_of_letter_case():
    from form4.entities import Entity
    from form4.read.merged_owner import split_owner_from_issuer as _split_owner_from_issuer

    line = "Hoffman Reid MICROSOFT CORP"
    owner = [Entity("OWNER_NAME", 0, 9, "X Director", 0.7)]
    issuer = [Entity("ISSUER_NAME", 100, 100 + len(line), line, 0.9)]
    new_owner, new_issuer = _split_owner_from_issuer(owner, issuer)
    assert [e.value_source for e in new_owner] == ["Hoffman Reid"]
    assert [e.value_source for e in new_issuer] == ["MICROSOFT CORP"]
    assert new_issuer[0].start == 100 + line.index("MICROSOFT")
    kept = [Entity("OWNER_NAME", 0, 12, "Jane Q. Doe", 0.9)]
    assert _split_owner_from_issuer(kept, issuer) == (kept, issuer)  # a real owner reading is left alone


def test_owner_split_from_the_issuer_by_the_name_the_signature_gives():
    from form4.entities import Entity
    from form4.read.merged_owner import split_owner_from_issuer as _split_owner_from_issuer

    line = "Hoffman Reid Aurora Innovation, Inc."
    issuer = [Entity("ISSUER_NAME", 0, len(line), line, 0.6)]
    junk = [Entity("OWNER_NAME", 0, 5, "irector", 0.7)]
    owner, issuer = _split_owner_from_issuer(junk, issuer, "/s/ Ann Lee, Attorney-in-fact for Reid G. Hoffman")
    assert [e.value_source for e in owner if e.label == "OWNER_NAME"] == ["Hoffman Reid"]
    assert [e.value_source for e in issuer] == ["Aurora Innovation, Inc."]
