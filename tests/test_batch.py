"""The batch runner: nothing lost, nothing half-written, every input accounted for."""

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from form4.run.batch import LATIN1_WARNING, Input, collect_inputs, decode_bytes, extract_input, run_batch
from form4.run.confine import write_atomic
from form4.run.workers import WorkerPool
from form4.run.pipeline import RULES_ONLY, Extractor

from conftest import ROOT  # noqa: E402  (the repository, defined once)
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))


def _inputs(folder: Path, texts: dict[str, str | bytes]) -> list[Input]:
    for name, text in texts.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode() if isinstance(text, str) else text)
    return collect_inputs([str(folder)])


class Troublemaker:
    """An extractor that misbehaves on marked texts: raises, hangs or kills its process."""

    def __call__(self, text: str, source: str | None = None):
        if "@@RAISE@@" in text:
            raise RuntimeError("boom\nsecond line")
        if "@@HANG@@" in text:
            time.sleep(60)
        if "@@DIE@@" in text:
            os.kill(os.getpid(), signal.SIGKILL)
        return RULES_ONLY(text, source)


def test_an_unexpected_exception_becomes_that_inputs_error_and_the_others_are_extracted(tmp_path):
    good = SAMPLES[0].read_text()
    items = _inputs(tmp_path, {"a.txt": good, "b.txt": good + "\n@@RAISE@@", "c.txt": good})
    result = run_batch(items, Troublemaker(), workers=2, timeout=30)
    assert [item.relative.name for item, _ in result.records] == ["a.txt", "c.txt"]
    [(item, err)] = result.failures
    assert item.relative.name == "b.txt" and err.code == "E020"
    assert err.one_line().endswith("error E020: RuntimeError: boom; please report it with this input")


def test_an_input_over_the_time_limit_is_stopped_and_the_batch_goes_on(tmp_path):
    good = SAMPLES[0].read_text()
    items = _inputs(tmp_path, {"a.txt": good + "\n@@HANG@@", "b.txt": good, "c.txt": good})
    start = time.perf_counter()
    result = run_batch(items, Troublemaker(), workers=2, timeout=2)
    assert time.perf_counter() - start < 20
    assert [(i.relative.name, e.code) for i, e in result.failures] == [("a.txt", "E021")]
    assert len(result.records) == 2


def test_a_worker_that_dies_costs_only_its_input(tmp_path):
    good = SAMPLES[0].read_text()
    items = _inputs(tmp_path, {"a.txt": good, "b.txt": good + "\n@@DIE@@", "c.txt": good, "d.txt": good})
    result = run_batch(items, Troublemaker(), workers=2, timeout=30)
    assert [(i.relative.name, e.code) for i, e in result.failures] == [("b.txt", "E024")]
    assert [i.relative.name for i, _ in result.records] == ["a.txt", "c.txt", "d.txt"]


def _settings_seen(settings, job):
    return settings


def test_worker_processes_keep_the_extractors_settings():
    settings = Extractor(model_wins=frozenset({"SHARES"}), cascade=False)
    with WorkerPool(_settings_seen, settings, workers=2) as pool:
        seen = [out for _, out, _ in pool.imap_unordered(range(4))]
    assert seen == [settings] * 4


def test_parallel_records_equal_sequential_ones_in_input_order(tmp_path):
    items = _inputs(tmp_path, {f"{i}_{p.name}": p.read_text() for i in range(2) for p in SAMPLES})
    seq = run_batch(items)
    par = run_batch(items, workers=2, timeout=60)
    assert [r.to_json_dict() for _, r in par.records] == [r.to_json_dict() for _, r in seq.records]


def test_utf16_and_latin1_texts_are_read_and_latin1_is_warned_about(tmp_path):
    text = SAMPLES[0].read_text().replace("Thakar", "Thäkar")
    items = _inputs(tmp_path, {"u16.txt": text.encode("utf-16"), "u16le.txt": text.encode("utf-16-le"), "l1.txt": text.encode("latin-1", errors="replace")})
    result = run_batch(items)
    assert not result.failures
    by_name = {item.relative.name: record for item, record in result.records}
    assert {r.reporting_owners[0].name for r in by_name.values()} == {"Thäkar Sumedh S"}
    assert LATIN1_WARNING in by_name["l1.txt"].warnings and LATIN1_WARNING not in by_name["u16.txt"].warnings


def test_binary_input_is_still_refused_after_the_encoding_checks():
    from form4.errors import BinaryInputError

    with pytest.raises(BinaryInputError):
        decode_bytes(bytes(range(256)) * 8, "x.bin")


def test_several_filings_in_one_text_are_all_extracted(tmp_path):
    glued = SAMPLES[0].read_text() + "\n" + SAMPLES[1].read_text()
    [item] = _inputs(tmp_path, {"two.txt": glued})
    records = extract_input(RULES_ONLY, item)
    assert [r.source for r in records] == [item.source, item.source + "#2"]
    assert [r.reporting_owners[0].name for r in records] == ["Thakar Sumedh S", "Peters Allan"]
    assert all("the text holds 2 filings" in " ".join(r.warnings) for r in records)


def test_a_dangling_symlink_in_a_folder_is_reported_not_skipped(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    result = run_batch(collect_inputs([str(tmp_path / "in")]))
    [(item, err)] = result.failures
    assert err.code == "E005" and "dangling symbolic link" in err.one_line()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files without read permission")
def test_an_unreadable_file_is_one_error_line(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_text(SAMPLES[0].read_text())
    path.chmod(0)
    [(item, err)] = run_batch(collect_inputs([str(path)])).failures
    assert err.code == "E022" and "permission denied" in err.one_line()


def test_an_atomic_write_replaces_the_whole_file_or_nothing(tmp_path):
    target = tmp_path / "out" / "a.json"
    write_atomic(target, "old\n")

    with pytest.raises(TypeError):
        write_atomic(target, 12345)  # not text or bytes: fails mid-write
    assert target.read_text() == "old\n" and sorted(p.name for p in target.parent.iterdir()) == ["a.json"]


def form4(*args, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "form4", *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, **kwargs)


def _outputs(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("how", [signal.SIGKILL, pytest.param(signal.SIGINT, marks=pytest.mark.slow), pytest.param(signal.SIGTERM, marks=pytest.mark.slow)])
def test_a_batch_stopped_at_a_random_moment_and_resumed_gives_the_same_outputs(tmp_path, how):
    folder = tmp_path / "in"
    _inputs(folder, {f"{i:02d}_{p.name}": p.read_text() for i in range(12) for p in SAMPLES})
    full = tmp_path / "full"
    done = form4("extract", "--no-model", folder, "-o", f"{full}/", "--workers", "2")
    assert done.wait(timeout=300) == 0, done.stderr.read().decode()
    part = tmp_path / "part"
    run = form4("extract", "--no-model", folder, "-o", f"{part}/", "--workers", "2")
    time.sleep(random.Random(how).uniform(2.0, 4.0))
    run.send_signal(how)
    code = run.wait(timeout=120)
    err = run.stderr.read().decode()
    assert "Traceback" not in err
    if code == 130:  # stopped inside the batch (not while starting): it says so
        assert "(interrupted)" in err
    for name, text in _outputs(part).items():  # only complete files, no temporary ones
        assert not name.split("/")[-1].startswith(".") and json.loads(text)
    resumed = form4("extract", "--no-model", folder, "-o", f"{part}/", "--workers", "2", "--resume")
    assert resumed.wait(timeout=300) == 0, resumed.stderr.read().decode()
    assert _outputs(part) == _outputs(full)


from hypothesis import given, settings, strategies as st  # noqa: E402

from form4.run.outputs import output_names  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["d1", "d2", "/d1", "x/d1", ".", "../d2"]), st.sampled_from(["a.txt", "a.text", "a", "sub/a.txt", "a.txt.json", "a~2.txt"])), min_size=1, max_size=12, unique=True))
def test_no_two_inputs_ever_share_an_output_name(pairs):
    items = [Input(Path(root) / rel, Path(rel), str(Path(root) / rel)) for root, rel in pairs]
    items = list({item.source: item for item in items}.values())
    names = output_names(items, "json")
    assert len(set(names.values())) == len(items)
    assert all(not name.is_absolute() and ".." not in name.parts for name in names.values())
