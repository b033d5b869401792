"""Benchmark: followup against the floor and its peers, on the same generated notes, in one run.

Run with the project venv's Python (it makes its own venv for the peers on first use):

    python bench/bench.py                 # the whole table (a few minutes)
    python bench/bench.py --quick         # smaller batches, fewer runs: a minute or so
    python bench/bench.py --cases docx    # one case; cases: startup text docx files ics

Cases, each timed as whole processes, runs interleaved so that drift in machine load
affects every side alike, and reported as medians and ratios of medians:

- startup: one draft (`draft thank-you` of a sample) against `python -c "import yaml, jinja2, click"`.
- text:    1,000 notes files -> thank-you text on stdout; the floor; mailmerge --dry-run.
- docx:    200 notes files -> one DOCX letter per draft; the floor (python-docx); docxtpl.
- files:   10,000 notes files -> one text file per draft; peak RSS beside the time.
- ics:     10,000 notes files -> `plan --ics`; the floor writes one event per draft.

The floor is CSafeLoader plus one compiled Jinja template, with no validation (bench/work.py).
Notes are generated: 1 to 3 interviewers in the latest round, about 2 drafts per file.
`--followup PATH` times another installation's `followup` (e.g. an older checkout's venv);
`--before PATH` times a second one beside it in the same runs (interleaved), as a "before" column.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
WORK = HERE / "work.py"
SAMPLE = ROOT / "samples" / "panel-with-referrer.yaml"
TODAY = "2026-11-18"
PEERS = ["mailmerge", "docxtpl", "python-docx", "PyYAML", "Jinja2"]
FIRST = ["Marcus", "Helen", "Sunil", "Ana", "Kenji", "Lena", "Omar", "Grace", "Tomás", "Ines"]
LAST = ["Okafor", "Park", "Bhatt", "Silva", "Tanaka", "Vogt", "Haddad", "Liu", "Herrera", "Costa"]
TOPICS = [
    "replacing nightly batch loads with change-data-capture",
    "how the team reviews its data contracts",
    "the migration of the billing warehouse",
    "on-call rotations that stay humane",
]


class Timing(NamedTuple):
    seconds: float
    peak_kib: int


def measure(command: Sequence[str | Path]) -> Timing:
    """Run a command to completion (output discarded): its wall time and its peak resident memory."""
    start = time.perf_counter()
    process = subprocess.Popen([str(c) for c in command], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0,):
        raise SystemExit(f"failed ({process.returncode}): {' '.join(map(str, command))}\n{errors.decode()[-2000:]}")
    peak = usage.ru_maxrss // (1024 if sys.platform == "darwin" else 1)  # bytes on macOS, KiB on Linux
    return Timing(seconds, peak)


def peer_python(folder: Path) -> Path:
    """The benchmark venv's Python, with the peers installed (made on first use, from the package index)."""
    python = folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if not python.exists():
        print(f"making the benchmark venv in {folder} ...", file=sys.stderr)
        venv.create(folder, with_pip=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PEERS], check=True)
    return python


def compile_package(followup: Path) -> None:
    """Byte-compile the followup being timed, as `pip install` does, so no side pays for compiling source."""
    code = "import compileall, os, followup; compileall.compile_dir(os.path.dirname(followup.__file__), quiet=1)"
    subprocess.run([str(followup.with_name("python")), "-c", code], check=True)


def write_notes(folder: Path, count: int) -> Path:
    """count generated notes files; file i has 1 + i % 3 interviewers (2 drafts per file on average)."""
    folder.mkdir(parents=True)
    for i in range(count):
        people = []
        for j in range(1 + i % 3):
            first, last = FIRST[(i + j) % len(FIRST)], LAST[(i * 7 + j) % len(LAST)]
            people.append(
                f"      - name: {first} {last}\n"
                f"        title: Engineering Lead\n"
                f"        email: {first.lower()}@northwind.example\n"
                f"        hiring_manager: {'true' if j == 0 else 'false'}\n"
                f"        discussed:\n          - {TOPICS[(i + j) % len(TOPICS)]}\n"
                f"        connection: we both ran the Chicago half marathon\n"
            )
        (folder / f"candidate-{i:05d}.yaml").write_text(
            f"candidate:\n  name: Priya Raman {i}\n  email: priya{i}@example.org\n"
            f"  address: |\n    12 Elm Street\n    Springfield, IL 62701\n"
            f"company:\n  name: Northwind Logistics {i % 50}\n  address: 1 Harbour Road, Chicago\n"
            f"role: Data Platform Engineer\n"
            f"interviews:\n  - date: {TODAY}\n    time: '10:30'\n    format: video\n    interviewers:\n"
            + "".join(people)
            + "decision:\n  said: by the end of next week\n  expected_by: 2026-11-27\n",
            encoding="utf-8",
        )
    return folder


BEFORE: Path | None = None
"""Another installation's `followup` timed beside the one measured (--before), or None."""


def compare(
    name: str, sides: dict[str, list[str | Path]], runs: int, outputs: Sequence[Path] = ()
) -> dict[str, list[Timing]]:
    """Time every side runs times, interleaved; outputs are removed between runs (untimed).

    With --before, the `followup` side's command is also run with the other installation's `followup`.
    """
    if BEFORE is not None:
        sides = {"before": [BEFORE, *sides["followup"][1:]], **sides}
    timings: dict[str, list[Timing]] = {side: [] for side in sides}
    for i in range(runs):
        for side, command in sides.items():
            for out in outputs:
                shutil.rmtree(out, ignore_errors=True) if out.is_dir() else out.unlink(missing_ok=True)
            timings[side].append(measure(command))
        print(f"  {name}: run {i + 1}/{runs}", file=sys.stderr)
    return timings


def median(timings: list[Timing]) -> float:
    return statistics.median(t.seconds for t in timings)


def peak(timings: list[Timing]) -> float:
    return max(t.peak_kib for t in timings) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="*", default=["startup", "text", "docx", "files", "ics"])
    parser.add_argument("--runs", type=int, default=5, help="runs of each batch case (startup: 4x as many)")
    parser.add_argument("--quick", action="store_true", help="batches a fifth the size, 3 runs")
    parser.add_argument("--followup", type=Path, default=Path(sys.executable).with_name("followup"))
    parser.add_argument("--before", type=Path, help="another installation's followup, timed beside it")
    parser.add_argument("--venv", type=Path, default=HERE / ".venv", help="the benchmark venv (peers)")
    args = parser.parse_args()
    global BEFORE
    BEFORE = args.before.absolute() if args.before else None
    runs = 3 if args.quick else args.runs
    scale = 5 if args.quick else 1
    followup = args.followup.absolute()
    python = peer_python(args.venv)
    compile_package(followup)
    if BEFORE is not None:
        compile_package(BEFORE)
    rows: list[str] = []

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if "startup" in args.cases:
            timings = compare(
                "startup",
                {
                    "import": [followup.with_name("python"), "-c", "import yaml, jinja2, click"],
                    "followup": [followup, "draft", "thank-you", SAMPLE, "--today", TODAY],
                },
                runs * 4 + 1,
            )
            f, b = median(timings["followup"]), median(timings["import"])
            was = median(timings["before"]) if BEFORE else 0.0
            before = f"{was * 1000:.0f} ms ({was / b:.2f}x) | " if BEFORE else ""
            rows.append(
                f"| one draft, whole process | {before}{f * 1000:.0f} ms | {b * 1000:.0f} ms (import) | — "
                f"| {f / b:.2f}x | — |"
            )

        if "text" in args.cases:
            n = 1000 // scale
            notes = write_notes(tmp / f"text-{n}", n)
            mm = tmp / "mailmerge"
            subprocess.run([python, WORK, "mailmerge-data", notes, mm], check=True)
            timings = compare(
                "text",
                {
                    "followup": [followup, "draft", "thank-you", notes, "--today", TODAY],
                    "floor": [python, WORK, "floor-text", notes],
                    "peer": [
                        python.with_name("mailmerge"),
                        "--dry-run",
                        "--no-limit",
                        "--output-format",
                        "text",
                        "--template",
                        mm / "template.txt",
                        "--database",
                        mm / "database.csv",
                        "--config",
                        mm / "server.conf",
                    ],
                },
                runs,
            )
            rows.append(row(f"{n:,} notes → text on stdout", timings, "mailmerge"))

        if "docx" in args.cases:
            n = 200 // scale
            notes = write_notes(tmp / f"docx-{n}", n)
            template = tmp / "docxtpl-template.docx"
            subprocess.run([python, WORK, "docxtpl-template", template], check=True)
            out = tmp / "docx-out"
            timings = compare(
                "docx",
                {
                    "followup": [
                        followup,
                        "draft",
                        "thank-you",
                        notes,
                        "--format",
                        "docx",
                        "-o",
                        out,
                        "--today",
                        TODAY,
                    ],
                    "floor": [python, WORK, "floor-docx", notes, out],
                    "peer": [python, WORK, "docxtpl", template, notes, out],
                },
                runs,
                [out],
            )
            rows.append(row(f"{n:,} notes → DOCX", timings, "docxtpl"))

        big = None
        for case in ("files", "ics"):
            if case not in args.cases:
                continue
            n = 10000 // scale
            big = big or write_notes(tmp / f"big-{n}", n)
            out = tmp / f"{case}-out"
            target = out / "plan.ics" if case == "ics" else out
            command: list[str | Path] = (
                [followup, "plan", big, "--ics", target, "--today", TODAY]
                if case == "ics"
                else [followup, "draft", "thank-you", big, "-o", out, "--today", TODAY]
            )
            if case == "ics":
                out.mkdir()
            floor = [python, WORK, "floor-ics" if case == "ics" else "floor-files", big, target]
            timings = compare(case, {"followup": command, "floor": floor}, max(1, runs // 2), [target])
            label = f"{n:,} notes → text files" if case == "files" else f"{n:,} notes → `plan --ics`"
            rows.append(row(label, timings, None))

    print(f"\nfollowup: {followup}   medians of interleaved runs ({runs} per batch case)")
    if BEFORE is not None:
        print(f"before: {BEFORE}")
    before = "before | " if BEFORE else ""
    print(f"\n| case | {before}followup | the floor | the peer | followup / floor | followup / peer |")
    print("|---|---|---|---|---|---|" + ("---|" if BEFORE else ""))
    print("\n".join(rows))


def row(label: str, timings: dict[str, list[Timing]], peer: str | None) -> str:
    f, fl = median(timings["followup"]), median(timings["floor"])
    memory = f", peak {peak(timings['followup']):.0f} MB" if peer is None else ""
    floor_memory = f", peak {peak(timings['floor']):.0f} MB" if peer is None else ""
    before = ""
    if "before" in timings:
        b = median(timings["before"])
        before_memory = f", peak {peak(timings['before']):.0f} MB" if peer is None else ""
        before = f"{b:.2f} s{before_memory} ({b / fl:.2f}x) | "
    if peer is None:
        return f"| {label} | {before}{f:.2f} s{memory} | {fl:.2f} s{floor_memory} | — | {f / fl:.2f}x | — |"
    p = median(timings["peer"])
    return f"| {label} | {before}{f:.2f} s | {fl:.2f} s | {peer}: {p:.2f} s | {f / fl:.2f}x | {f / p:.2f}x |"


if __name__ == "__main__":
    main()
