"""Benchmark: one text draft as a whole process against importing its dependencies, and batch scaling.

Run with the venv's Python:  python bench/bench.py [--runs 21] [--batch 100 1000]

Prints the median wall time of
  - baseline: python -c "import yaml, jinja2, click"
  - draft:    followup draft thank-you samples/panel-with-referrer.yaml (stdout to /dev/null)
and their ratio (goal: <= 1.3; the ratio of minimums is the steadier one on a busy
machine), then the time per notes file for batches of several sizes
(a flat per-file time means the batch scales linearly).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "panel-with-referrer.yaml"
FOLLOWUP = Path(sys.executable).with_name("followup")


def timed(command: list[str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=cwd)
    return time.perf_counter() - start


def compile_package() -> None:
    """Byte-compile followup as `pip install` does, so neither side pays for compiling source.

    (An editable install under PYTHONDONTWRITEBYTECODE=1 would otherwise recompile our
    modules on every run while the dependencies load from their .pyc files.)
    """
    import compileall

    import followup

    compileall.compile_dir(str(Path(followup.__file__).parent), quiet=1)


def single(runs: int) -> None:
    baseline_cmd = [sys.executable, "-c", "import yaml, jinja2, click"]
    draft_cmd = [str(FOLLOWUP), "draft", "thank-you", str(SAMPLE), "--today", "2026-11-18"]
    for command in (baseline_cmd, draft_cmd):  # warm the file cache
        timed(command)
    baseline, draft = [], []
    for _ in range(runs):  # interleaved, so drift in machine load affects both alike
        baseline.append(timed(baseline_cmd))
        draft.append(timed(draft_cmd))
    b, d = statistics.median(baseline), statistics.median(draft)
    print(
        f"baseline (import yaml, jinja2, click): {b * 1000:7.1f} ms  (median of {runs}; min {min(baseline) * 1000:.1f})"
    )
    print(
        f"followup draft thank-you (3 drafts):    {d * 1000:7.1f} ms  (median of {runs}; min {min(draft) * 1000:.1f})"
    )
    # The minimum is the least disturbed by other work on the machine; the median is shown beside it.
    print(f"ratio: {min(draft) / min(baseline):.2f} of minimums, {d / b:.2f} of medians  (goal <= 1.3)")


def batch(sizes: list[int]) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "notes"
            folder.mkdir()
            for i in range(size):
                (folder / f"candidate-{i:05d}.yaml").write_text(text.replace("Priya Raman", f"Priya Raman {i}"))
            out = Path(tmp) / "out"
            seconds = timed([str(FOLLOWUP), "draft", "thank-you", str(folder), "-o", str(out), "--today", "2026-11-18"])
            files = len(list(out.iterdir()))
            shutil.rmtree(out)
            per_file = seconds / size * 1000
            print(f"batch of {size:5d} notes files -> {files:5d} drafts: {seconds:6.2f} s, {per_file:5.2f} ms per file")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--batch", type=int, nargs="*", default=[100, 1000])
    args = parser.parse_args()
    compile_package()
    single(args.runs)
    batch(args.batch)


if __name__ == "__main__":
    main()
