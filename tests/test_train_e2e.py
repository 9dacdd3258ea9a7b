"""End to end: annotate the seeds, train a tiny model for a few steps, load it, extract with it."""

import gzip
import json
from pathlib import Path

import pytest

from conftest import GOLD, SAMPLES
from form4.model.ner import load
from form4.run.pipeline import Extractor, extract_file
from form4.schema import Record, iter_leaves
from form4.score.metrics import load_gold
from form4.training.align import align_record
from form4.training.train import train_model


def _seed_jsonl(path: Path) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for text_path in sorted(SAMPLES.glob("*.txt")):
            gold = load_gold(GOLD / f"{text_path.stem}.json")
            text = text_path.read_text(encoding="utf-8")
            alignment = align_record(Record.model_validate(gold.record), text)
            fh.write(json.dumps({"text": text, "spans": alignment.spans, "meta": {"source": text_path.name}}) + "\n")


@pytest.mark.slow
def test_train_then_extract(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _seed_jsonl(corpus / "train.jsonl.gz")
    _seed_jsonl(corpus / "dev.jsonl.gz")
    result = train_model(
        corpus=corpus,
        output=tmp_path / "models",
        overrides={"training.max_steps": 30, "training.eval_frequency": 10, "corpora.dev.limit": 0},
    )
    assert (result.model_dir / "meta.json").exists()
    assert result.conversion["train"]["spans"] > 50
    nlp = load(str(result.model_dir))
    assert set(nlp.get_pipe("ner").labels) >= {"SHARES", "OWNED_FOLLOWING", "OWNER_NAME"}
    record = extract_file(SAMPLES / "000_46eb1dd4f8015172.txt", settings=Extractor(nlp=nlp))
    # a few steps cannot make a good model; the path must still give a valid, complete record
    assert record.issuer.trading_symbol == "QLYS"
    assert set(record.confidence) == {p for p, _ in iter_leaves(record.to_json_dict())}
