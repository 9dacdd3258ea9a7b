"""Peak memory of `form4 extract` on the largest inputs it accepts and the hostile ones it refuses
(a benchmark, not a test: a few OCR pages, minutes of CPU).

    nice .venv/bin/python benchmarks/hostile.py [--timeout 600] [--only NAME ...]

Builds each input (all <= 5 MB) in a temporary folder, runs `form4 extract` on it alone under
``/usr/bin/time -v`` with a private TMPDIR, and prints a markdown table: the input, its size, the
result (done or the error code), the wall time, the peak resident memory of the largest process
of the run (the batch, a worker or a tool it started) and of all of them together (sampled), and
whether anything was left behind (a temporary file, a process). The limits it probes are form4.io.limits'.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "samples" / "000_46eb1dd4f8015172.txt"
sys.path.insert(0, str(ROOT / "tests"))


def _page(width: int, height: int, mode: str = "L"):
    """A white page of the seed's text, drawn large enough to read, repeated down the page."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new(mode, (width, height), "white")
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.load_default(size=40)
    except TypeError:  # an old Pillow
        font = ImageFont.load_default()
    lines = SEED.read_text().splitlines()
    y = 60
    while y < height - 60:
        for line in lines:
            draw.text((60, y), line[:200], fill="black", font=font)
            y += 50
            if y >= height - 60:
                break
    return image


def inputs(folder: Path) -> dict[str, Path]:
    from test_hostile import _pdf, _png_header, _tiff  # the reproducers, built as the tests build them

    from form4.io.limits import MAX_PAGES, MAX_PAGE_PIXELS

    made: dict[str, Path] = {}

    def put(name: str, data: bytes | None = None) -> Path:
        made[name] = folder / name
        if data is not None:
            made[name].write_bytes(data)
        return made[name]

    side = int((MAX_PAGE_PIXELS * 0.99 / (8.5 * 11)) ** 0.5)  # a letter-shaped page at the pixel limit
    width, height = int(8.5 * side), int(11 * side)
    _page(width, height, "RGB").save(put("limit-rgb-300dpi.png"), dpi=(300, 300))
    _page(width, height).save(put("limit-scan.pdf"), resolution=300.0)
    letter = _page(2550, 3300).convert("1")  # a fax-style scan: bilevel, Group 4
    letter.save(put(f"letter-{MAX_PAGES}-frames.tif"), save_all=True, append_images=[letter] * (MAX_PAGES - 1), compression="group4", dpi=(300, 300))
    text = SEED.read_text()
    put("text-5mb.txt", (text * (5_000_000 // len(text))).encode())
    put("hostile-500-frames.tif", _tiff([(2000, 2000)] * 500))
    put("hostile-150-inch.pdf", _pdf([(10800, 10800)]))
    put("hostile-30000px.png", _png_header(30000, 30000))
    return made


_RSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")


def run(path: Path, timeout: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="form4-bench-tmp-") as tmp:
        env = {**os.environ, "TMPDIR": tmp, "PYTHONPATH": str(ROOT)}
        start = time.perf_counter()
        proc = subprocess.Popen(["/usr/bin/time", "-v", sys.executable, "-m", "form4", "extract", str(path), "--timeout", str(timeout)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        tree = _tree_peak(proc)
        _, stderr = proc.communicate()
        proc.stderr = stderr  # type: ignore[misc]
        wall = time.perf_counter() - start
        left = sorted(str(p.relative_to(tmp)) for p in Path(tmp).rglob("*"))
    codes = re.findall(r"error (E\d{3})", proc.stderr)
    alive = subprocess.run(["pgrep", "-f", str(path)], capture_output=True, text=True).stdout.split()
    return {
        "size": path.stat().st_size,
        "result": ",".join(codes) or ("done" if proc.returncode == 0 else f"exit {proc.returncode}"),
        "wall": wall,
        "rss_mb": int(_RSS.search(proc.stderr).group(1)) / 1024 if _RSS.search(proc.stderr) else float("nan"),
        "left": len(left) + len(alive),
        "tree_mb": tree / 2**20,
    }


def _tree_peak(proc: subprocess.Popen) -> float:
    """The largest sum of resident memory of the run's processes (sampled every 0.1 s; psutil)."""
    try:
        import psutil
    except ImportError:
        proc.wait()
        return float("nan")
    peak, root = 0, psutil.Process(proc.pid)
    while proc.poll() is None:
        total = 0
        try:
            for p in [root, *root.children(recursive=True)]:
                total += p.memory_info().rss
        except psutil.Error:
            pass
        peak = max(peak, total)
        time.sleep(0.1)
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--timeout", type=float, default=600.0, help="--timeout of each run (seconds)")
    parser.add_argument("--only", nargs="*", help="input names to run (default: all)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="form4-bench-") as folder:
        made = inputs(Path(folder))
        print("| input | size | result | wall s | peak RSS MB (one process) | peak RSS MB (all) | left behind |\n|---|---|---|---|---|---|---|")
        for name, path in made.items():
            if args.only and name not in args.only:
                continue
            r = run(path, args.timeout)
            print(f"| {name} | {r['size'] / 1e6:.2f} MB | {r['result']} | {r['wall']:.1f} | {r['rss_mb']:.0f} | {r['tree_mb']:.0f} | {r['left']} |", flush=True)


if __name__ == "__main__":
    main()
