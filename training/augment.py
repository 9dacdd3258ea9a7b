"""Name augmentation for training: the corpus has few distinct owners and issuers.

343 filings come from a handful of insiders and companies, so a model trained on them learns
*which* names are owners ("BOTHA ROELOF") instead of *where* an owner's name is printed, and on
unseen owners it finds none. Before training, each training text has its owners' and issuers'
names swapped (consistently within the text) for generated ones in the same letter case; span
offsets are recomputed. The dev split is never changed.

>>> import random
>>> ex = {"text": "Name: DOE JANE\\nIssuer: Acme Corp [ ACME ]", "spans": [
...     {"start": 6, "end": 14, "label": "OWNER_NAME"}, {"start": 23, "end": 32, "label": "ISSUER_NAME"},
...     {"start": 35, "end": 39, "label": "TICKER"}]}
>>> out = swap_names(ex, random.Random(1))
>>> [out["text"][s["start"]:s["end"]] == (s["label"] == "TICKER" and "ACME" or out["text"][s["start"]:s["end"]]) for s in out["spans"]]
[True, True, True]
>>> out["text"][out["spans"][0]["start"]:out["spans"][0]["end"]].isupper(), "ACME" in out["text"]
(True, True)
"""

from __future__ import annotations

import random
import re

SWAPPED = ("OWNER_NAME", "ISSUER_NAME")
_FIRST = ("James", "Maria", "Wei", "Priya", "Olu", "Anna", "Carlos", "Yuki", "Fatima", "Liam", "Sofia", "Noah",
          "Chen", "Ingrid", "Mateo", "Aisha", "Lars", "Elena", "Ravi", "Grace", "Tomasz", "Nia", "Omar", "Hana")
_LAST = ("Okafor", "Lindqvist", "Nakamura", "Petrov", "Haddad", "Moreau", "Castillo", "Kowalski", "Mensah",
         "Fitzgerald", "Zhang", "Novak", "Iyer", "Brennan", "Achterberg", "Santos", "Whitfield", "Dubois",
         "Rahman", "Oyelaran", "Kim", "Varga", "Ellison", "Quintero")
_WORDS = ("Northwind", "Bluefin", "Apex", "Cobalt", "Meridian", "Harbor", "Vertex", "Summit", "Lumen", "Granite",
          "Orion", "Cascade", "Pioneer", "Redwood", "Atlas", "Beacon", "Solace", "Keystone", "Evergreen", "Quarry")
_KINDS = ("Therapeutics", "Holdings", "Systems", "Technologies", "Energy", "Financial", "Bancorp", "Networks",
          "Brands", "Labs", "Capital", "Group")
_SUFFIX = ("Inc.", "Corp", "Corporation", ", Inc.", "Co.", "Ltd.", "plc", "N.V.", "Holdings, Inc.")
_PLAIN = re.compile(r"[\w .,&'/()-]+")


def _person(rng: random.Random) -> str:
    parts = [rng.choice(_LAST), rng.choice(_FIRST)]  # EDGAR prints LAST FIRST [MIDDLE]
    if rng.random() < 0.35:
        parts.append(rng.choice("ABCDEFGHJKLMNPRSTW") + ("." if rng.random() < 0.5 else ""))
    return " ".join(parts)


def _company(rng: random.Random) -> str:
    name = rng.choice(_WORDS) + (" " + rng.choice(_KINDS) if rng.random() < 0.7 else "")
    suffix = rng.choice(_SUFFIX)
    return name + suffix if suffix.startswith(",") else f"{name} {suffix}"


def _like(original: str, new: str) -> str:
    return new.upper() if original.isupper() else new


def swap_names(example: dict, rng: random.Random, share: float = 0.7) -> dict:
    """``example`` with its owner and issuer names replaced (with probability ``share``)."""
    if rng.random() >= share:
        return example
    text, spans = example["text"], sorted(example["spans"], key=lambda s: (s["start"], s["end"]))
    chosen: dict[tuple[str, str], str] = {}
    out_text: list[str] = []
    out_spans: list[dict] = []
    pos = shift = 0
    for span in spans:
        value = text[span["start"] : span["end"]]
        swap = span["label"] in SWAPPED and span["start"] >= pos and _PLAIN.fullmatch(value)
        if swap:
            key = (span["label"], value)
            if key not in chosen:
                new = _person(rng) if span["label"] == "OWNER_NAME" else _company(rng)
                chosen[key] = _like(value, new)
            new_value = chosen[key]
            out_text.append(text[pos : span["start"]])
            out_text.append(new_value)
            start = span["start"] + shift
            out_spans.append({**span, "start": start, "end": start + len(new_value)})
            shift += len(new_value) - len(value)
            pos = span["end"]
        else:
            out_spans.append({**span, "start": span["start"] + shift, "end": span["end"] + shift})
            if span["start"] < pos:  # overlaps a swapped span: its text no longer exists
                out_spans.pop()
    out_text.append(text[pos:])
    return {**example, "text": "".join(out_text), "spans": out_spans}
