"""Name swapping keeps every span on its text."""

import random

from form4.training.augment import swap_names


def test_swapped_names_keep_spans_on_their_text():
    text = "1. Name\nHOFFMAN REID\n2. Issuer MICROSOFT CORP [ MSFT ]\nCommon Stock 1,000 D\n/s/ Ann for Reid Hoffman"
    spans = [
        {"start": text.index("HOFFMAN"), "end": text.index("HOFFMAN") + 12, "label": "OWNER_NAME"},
        {"start": text.index("MICROSOFT"), "end": text.index("MICROSOFT") + 14, "label": "ISSUER_NAME"},
        {"start": text.index("MSFT"), "end": text.index("MSFT") + 4, "label": "TICKER"},
        {"start": text.index("1,000"), "end": text.index("1,000") + 5, "label": "OWNED_FOLLOWING"},
    ]
    example = {"text": text, "spans": spans, "meta": {}}
    for seed in range(20):
        out = swap_names(example, random.Random(seed), share=1.0)
        got = {s["label"]: out["text"][s["start"] : s["end"]] for s in out["spans"]}
        assert got["TICKER"] == "MSFT" and got["OWNED_FOLLOWING"] == "1,000"
        assert got["OWNER_NAME"] != "HOFFMAN REID" and got["OWNER_NAME"].isupper()
        assert got["ISSUER_NAME"] != "MICROSOFT CORP" and got["ISSUER_NAME"].isupper()
        assert "HOFFMAN REID" not in out["text"] and "MICROSOFT CORP" not in out["text"]
