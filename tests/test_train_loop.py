"""Retraining on corrections: the annotation loop end to end, and training on corpora of any size."""

import gzip
import itertools
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from form4.calibrate.calibrator import Calibrator
from form4.cli import app
from form4.run.pipeline import extract_file, model_extractor
from form4.schema import iter_leaves
from form4.score.metrics import load_gold, score_pairs
from form4.training.corpus import iter_jsonl
from form4.training.train import fit_policy, save_policy

from conftest import ROOT  # noqa: E402  (the repository, defined once)
SHIPPED = ROOT / "models" / "form4-ner"
CORPUS = ROOT / "annotations" / "corpus"
SAMPLES = ROOT / "samples"

# A training-split filing flattened by pdfminer (its tables are read by the model): the shipped
# NER labels the conversion price of the derivative holding, '0.00', as a PRICE, so the record
# has no conversion price for that row.
DOC, CONVERTER, LABEL = "026542094ef0", "pdfminer", "CONV_PRICE"


def _corpus_example(doc: str, converter: str) -> dict:
    return next(e for e in iter_jsonl(CORPUS / "train.jsonl.gz") if e["meta"]["doc_id"] == doc and e["meta"]["converter"] == converter)


def _conversion_price(record) -> float | None:
    """The derivative rows' conversion price where every row reads the same one, else None (a row unread)."""
    prices = {r.conversion_or_exercise_price for r in (*record.derivative_transactions, *record.derivative_holdings)}
    return prices.pop() if len(prices) == 1 else None


def _small_corpus(folder: Path, train: int, dev: int) -> Path:
    """The first texts of the committed corpus (no gold records: the policy is kept, not refitted)."""
    folder.mkdir()
    for split, n in (("train", train), ("dev", dev)):
        with gzip.open(folder / f"{split}.jsonl.gz", "wt", encoding="utf-8") as fh:
            for example in itertools.islice(iter_jsonl(CORPUS / f"{split}.jsonl.gz"), n):
                fh.write(json.dumps(example) + "\n")
    return folder


def _annotate(tasks_file: Path, gold_spans: list[dict], label: str) -> Path:
    """What an annotator does in Label Studio: start from the prediction, relabel the wrong span, submit."""
    tasks = json.loads(tasks_file.read_text())
    result = json.loads(json.dumps(tasks[0]["predictions"][0]["result"]))
    truth = {(s["start"], s["end"]) for s in gold_spans if s["label"] == label}
    fixed = [r for r in result if (r["value"]["start"], r["value"]["end"]) in truth and r["value"]["labels"] != [label]]
    assert len(fixed) == 1, fixed
    fixed[0]["value"]["labels"] = [label]
    tasks[0]["annotations"] = [{"id": 1, "completed_by": 1, "was_cancelled": False, "created_at": "2026-12-01T12:00:00Z", "result": result}]
    done = tasks_file.with_name("project-export.json")
    done.write_text(json.dumps(tasks))
    return done


def _seed_report(extractor):
    pairs = []
    for text in sorted(SAMPLES.glob("*.txt")):
        record = extract_file(text, settings=extractor).to_json_dict()
        pairs.append((load_gold(ROOT / "annotations" / "gold" / f"{text.stem}.json"), record, "seed", text.stem))
    return score_pairs(pairs), [iter_leaves(p[1]) for p in pairs]


@pytest.mark.slow
def test_a_corrected_span_is_learnt_by_a_short_fine_tune_and_the_seeds_stay_right(tmp_path):
    example = _corpus_example(DOC, CONVERTER)
    filing = tmp_path / f"{DOC}.{CONVERTER}.txt"
    filing.write_text(example["text"], encoding="utf-8")
    shipped = model_extractor(str(SHIPPED))
    assert _conversion_price(extract_file(filing, settings=shipped)) is None  # the shipped model gets it wrong

    runner = CliRunner()
    tasks = tmp_path / "tasks.json"
    exported = runner.invoke(app, ["annotations", "export", str(filing), "--format", "label-studio", "--output", str(tasks), "--model", str(SHIPPED)])
    assert exported.exit_code == 0, exported.output
    done = _annotate(tasks, example["spans"], LABEL)
    imported = runner.invoke(app, ["annotations", "import", str(done), "--output", str(tmp_path / "imported")])
    assert imported.exit_code == 0, imported.output

    trained = runner.invoke(app, [
        "train", "--corpus", str(_small_corpus(tmp_path / "corpus", 40, 10)), "--base", str(SHIPPED),
        "--annotations", str(tmp_path / "imported"), "--output", str(tmp_path / "run"),
        "--set", "training.max_steps=60", "--set", "training.eval_frequency=30", "--set", "corpora.dev.limit=20",
    ])
    assert trained.exit_code == 0, trained.output
    model_dir = tmp_path / "run" / "form4-ner"
    assert "kept arbitration.json, calibration.json" in trained.output  # no gold records here: the policy is kept
    assert json.loads((model_dir / "calibration.json").read_text()) == json.loads((SHIPPED / "calibration.json").read_text())

    retrained = model_extractor(str(model_dir))
    assert _conversion_price(extract_file(filing, settings=retrained)) == 0.0  # the corrected field reads right
    before, before_leaves = _seed_report(shipped)
    after, after_leaves = _seed_report(retrained)
    assert after.total().f1 == before.total().f1 == 1.0
    assert after_leaves == before_leaves

    by_option = runner.invoke(app, ["extract", str(filing), "--model", str(model_dir)])
    by_env = runner.invoke(app, ["extract", str(filing)], env={"FORM4_MODEL": str(model_dir)})
    for result in (by_option, by_env):
        assert result.exit_code == 0, result.output
        record = json.loads(result.stdout)
        assert {r["conversion_or_exercise_price"] for r in record["derivative_transactions"] + record["derivative_holdings"]} == {0.0}


@pytest.fixture()
def one_filing_corpus(tmp_path):
    """A corpus of one seed filing with its gold record: every field reads right."""
    seed = SAMPLES / "000_46eb1dd4f8015172.txt"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    gold = load_gold(ROOT / "annotations" / "gold" / f"{seed.stem}.json")
    with gzip.open(corpus / "train.jsonl.gz", "wt") as fh:
        fh.write(json.dumps({"text": seed.read_text(), "spans": [], "meta": {"doc_id": "s0", "converter": "seed"}}) + "\n")
    with gzip.open(corpus / "gold.jsonl.gz", "wt") as fh:
        fh.write(json.dumps({"doc_id": "s0", "record": gold.record}) + "\n")
    return corpus


@pytest.fixture()
def fresh_model(tmp_path):
    """A copy of the shipped model without its policy (as a training run leaves it)."""
    model_dir = tmp_path / "model"
    shutil.copytree(SHIPPED, model_dir, ignore=shutil.ignore_patterns("calibration*", "arbitration*"))
    return model_dir


def test_calibrating_on_fields_that_are_all_right_says_so_instead_of_failing_in_numpy(one_filing_corpus):
    from form4.run.pipeline import RULES_ONLY
    from form4.training.calibrate import fit

    calibrator, report = fit(one_filing_corpus, RULES_ONLY, previous=SHIPPED / "calibration.json")
    assert report.status.startswith("kept the previous calibration") and "class(es)" in report.status
    assert calibrator == Calibrator.load(SHIPPED / "calibration.json")


def test_a_corpus_too_small_for_the_policy_keeps_the_previous_one_and_says_so(one_filing_corpus, fresh_model, tmp_path):
    previous = save_policy(SHIPPED, tmp_path / "previous")

    policy = fit_policy(fresh_model, one_filing_corpus, previous=previous)

    assert "1 texts with gold records" in policy["calibration"] and f"of {SHIPPED}" in policy["calibration"]
    for name in ("calibration.json", "arbitration.json"):
        assert (fresh_model / name).read_text() == (SHIPPED / name).read_text()


def test_a_policy_fitted_where_calibration_cannot_be_keeps_the_previous_calibration(one_filing_corpus, fresh_model, tmp_path, monkeypatch):
    import form4.training.train as train

    monkeypatch.setattr(train, "MIN_POLICY_TEXTS", 1)
    policy = fit_policy(fresh_model, one_filing_corpus, previous=save_policy(SHIPPED, tmp_path / "previous"))

    assert policy["calibration"]["status"].startswith("kept the previous calibration")
    assert Calibrator.load(fresh_model / "calibration.json") == Calibrator.load(SHIPPED / "calibration.json")
    assert json.loads((fresh_model / "arbitration.json").read_text())["texts"] == 1  # fitted on the one filing


def test_training_never_writes_into_the_shipped_model_folder_unless_asked(tmp_path):
    from form4.training.train import default_output

    assert default_output().parts[0] == "runs" and default_output().name.startswith("train-")
    result = CliRunner().invoke(app, ["train", "--base", str(tmp_path / "nothing"), "--output", str(tmp_path)])
    assert result.exit_code == 2 and "error E035: no trained pipeline" in result.output


def test_the_conflict_policy_is_fitted_per_table_layout_and_falls_back_to_all_texts_when_few_decide(one_filing_corpus):
    from form4.model.ner import load
    from form4.run.pipeline import RULES_ONLY, extract_text, main_layout
    from form4.training.arbitrate import fit_arbitration

    trace: dict = {}
    extract_text((SAMPLES / "000_46eb1dd4f8015172.txt").read_text(encoding="utf-8"), "000", RULES_ONLY, trace=trace)
    layout = main_layout(trace["layouts"])

    policy = fit_arbitration(one_filing_corpus, load(str(SHIPPED)))

    assert policy["texts_by_layout"] == {layout: 1}
    # one filing decides fewer fields of any label than a layout needs: the layout follows the overall choice
    assert policy["model_wins_by_layout"] == {layout: policy["model_wins"]}


def test_a_model_folder_s_per_layout_policy_is_what_its_extractor_uses(fresh_model):
    policy = json.loads((SHIPPED / "arbitration.json").read_text())
    policy["model_wins_by_layout"] = {"cell-stream": ["PRICE", "SHARES"]}
    (fresh_model / "arbitration.json").write_text(json.dumps(policy))

    settings = model_extractor(str(fresh_model))

    assert settings.wins_for("cell-stream") == frozenset({"PRICE", "SHARES"})
    assert settings.wins_for("positional") == frozenset(policy["model_wins"])
