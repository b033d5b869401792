"""Batches in a process pool give the same bytes as one process: stdout, stderr, file names and contents."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import Result
from tests.conftest import ROOT, SAMPLE_FILES

from followup.ics import EventFacts

CASES = sorted((ROOT / "tests" / "data" / "cases").glob("*.yaml"))
TODAY = "2026-12-01"


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 50 notes files in two folders: every sample and realistic case several times over, each its own
    case (the role numbered), some file names in both folders (their drafts' names clash), and one broken file."""
    root = tmp_path_factory.mktemp("cohort")
    sources = [*SAMPLE_FILES, *CASES]
    for folder in ("east", "west"):
        (root / folder).mkdir()
    for i in range(48):
        source = sources[i % len(sources)]
        text = re.sub(r"(?m)^(role: .*)$", rf"\1 {i}", source.read_text(encoding="utf-8"))
        folder = "east" if i % 2 else "west"
        name = source.stem if i < 2 * len(sources) else f"{source.stem}-{i}"
        (root / folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    (root / "west" / "broken.yaml").write_text("candidate: [\n", encoding="utf-8")
    return root


def both(run: Callable[..., Result], *args: str | Path) -> tuple[Result, Result]:
    """The same command run serially (--jobs 1) and in three processes."""
    return run(*args, "--jobs", "1"), run(*args, "--jobs", "3")


def same_output(serial: Result, parallel: Result) -> None:
    assert (parallel.exit_code, parallel.stdout, parallel.stderr) == (serial.exit_code, serial.stdout, serial.stderr)


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_the_cohort_is_a_batch_for_the_pool(cohort: Path) -> None:
    from followup.batch import SERIAL_BELOW

    assert len(list(cohort.glob("*/*.yaml"))) == 49 > SERIAL_BELOW * 3


def test_draft_text_on_stdout(run: Callable[..., Result], cohort: Path) -> None:
    serial, parallel = both(run, "draft", "check-in", cohort / "east", cohort / "west", "--today", TODAY)
    same_output(serial, parallel)
    assert serial.exit_code == 1  # the broken file
    assert serial.stdout.count("-" * 72) >= 20
    assert f"Error: {cohort / 'west' / 'broken.yaml'}:" in serial.stderr
    assert "Warning: " in serial.stderr and "Skipped" in serial.stderr


@pytest.mark.parametrize("fmt", ["text", "eml"])
def test_draft_into_a_folder(run: Callable[..., Result], cohort: Path, tmp_path: Path, fmt: str) -> None:
    args = ("draft", "check-in", cohort / "west", cohort / "east", "--format", fmt, "--today", TODAY, "--anyway")
    serial = run(*args, "-o", tmp_path / "one", "--jobs", "1")
    parallel = run(*args, "-o", tmp_path / "many", "--jobs", "3")
    assert parallel.stdout == serial.stdout
    assert parallel.stderr == serial.stderr.replace(str(tmp_path / "one"), str(tmp_path / "many"))
    one, many = files_of(tmp_path / "one"), files_of(tmp_path / "many")
    assert many == one
    assert len(one) >= 40
    assert any(name.endswith(f"-2.{'txt' if fmt == 'text' else 'eml'}") for name in one)  # a clash, numbered


def test_an_existing_file_stops_the_batch_before_anything_is_written(
    run: Callable[..., Result], cohort: Path, tmp_path: Path
) -> None:
    first = run("draft", "thank-you", cohort / "east", "-o", tmp_path / "all", "--today", TODAY, "--jobs", "1")
    taken = sorted((tmp_path / "all").iterdir())[len(list((tmp_path / "all").iterdir())) // 2]
    out = tmp_path / "out"
    out.mkdir()
    (out / taken.name).write_text("mine", encoding="utf-8")
    result = run("draft", "thank-you", cohort / "east", "-o", out, "--today", TODAY, "--jobs", "3")
    assert first.exit_code == 0 and result.exit_code == 1
    assert f"Error: {out / taken.name} already exists; use --force" in result.stderr
    assert [p.name for p in out.iterdir()] == [taken.name]  # nothing else, and no staging folder left
    assert (out / taken.name).read_text(encoding="utf-8") == "mine"
    forced = run("draft", "thank-you", cohort / "east", "-o", out, "--today", TODAY, "--jobs", "3", "--force")
    assert forced.exit_code == 0
    assert files_of(out) == files_of(tmp_path / "all")


def test_draft_due_printed_and_into_an_outbox(run: Callable[..., Result], cohort: Path, tmp_path: Path) -> None:
    serial, parallel = both(run, "draft", "due", cohort / "east", cohort / "west", "--today", TODAY, "--within", "7")
    same_output(serial, parallel)
    assert serial.stdout.count("Subject: ") >= 10
    args = ("draft", "due", cohort / "west", cohort / "east", "--today", TODAY, "--within", "7")
    serial = run(*args, "-o", tmp_path / "one", "--jobs", "1")
    parallel = run(*args, "-o", tmp_path / "many", "--jobs", "3")
    assert parallel.stdout == serial.stdout.replace(str(tmp_path / "one"), str(tmp_path / "many"))
    assert parallel.stderr == serial.stderr
    assert files_of(tmp_path / "many") == files_of(tmp_path / "one")
    assert len(files_of(tmp_path / "one")) >= 10
    again = run(*args, "-o", tmp_path / "many", "--jobs", "3")  # a second run writes nothing new
    assert "0 drafted in" in again.stdout and again.stdout.count("already drafted ") == len(files_of(tmp_path / "one"))


@pytest.mark.parametrize("extra", [[], ["--json"]])
def test_plan_table_and_json(run: Callable[..., Result], cohort: Path, extra: list[str]) -> None:
    serial, parallel = both(run, "plan", cohort / "east", cohort / "west", "--today", TODAY, *extra)
    same_output(serial, parallel)
    assert serial.stdout.count("east/") >= 20 and serial.exit_code == 1


def test_plan_ics(run: Callable[..., Result], cohort: Path, tmp_path: Path) -> None:
    serial = run("plan", cohort / "east", cohort / "west", "--today", TODAY, "--ics", tmp_path / "1.ics", "--jobs", "1")
    parallel = run("plan", cohort / "east", cohort / "west", "--today", TODAY, "--ics", tmp_path / "3.ics", "-j", "3")
    assert parallel.stdout == serial.stdout
    assert parallel.stderr == serial.stderr.replace("1.ics", "3.ics")
    data = (tmp_path / "1.ics").read_bytes()
    assert (tmp_path / "3.ics").read_bytes() == data
    assert data.count(b"BEGIN:VEVENT") >= 40


def test_the_calendar_of_parts_is_the_calendar_of_plans(cohort: Path) -> None:
    """The calendar a batch assembles from each file's events is the one calendar_bytes makes from the plans."""
    from followup.batch import PlanJob, plan_file, setup_plan
    from followup.ics import CalendarWriter, calendar_bytes
    from followup.notes import load
    from followup.plan import make_plan

    today = date.fromisoformat(TODAY)
    files = sorted(cohort.glob("east/*.yaml"))
    setup_plan(PlanJob(today, ics=True))
    out = io.BytesIO()
    calendar = CalendarWriter(out, today)
    for part in map(plan_file, files):
        calendar.add(part.candidate, part.events)
    calendar.close()
    assembled = out.getvalue()
    plans = [(n, make_plan(n, today)) for n in map(load, files)]
    assert assembled == calendar_bytes(plans, today)


def test_report(run: Callable[..., Result], cohort: Path, tmp_path: Path) -> None:
    args = ("report", cohort / "east", cohort / "west", "--today", TODAY)
    serial = run(*args, "-o", tmp_path / "1.html", "--csv", tmp_path / "1.csv", "--jobs", "1")
    parallel = run(*args, "-o", tmp_path / "3.html", "--csv", tmp_path / "3.csv", "--jobs", "3")
    assert parallel.stderr == serial.stderr.replace("1.", "3.")
    for ext in ("html", "csv"):
        assert (tmp_path / f"3.{ext}").read_bytes() == (tmp_path / f"1.{ext}").read_bytes()
    assert (tmp_path / "1.csv").read_text(encoding="utf-8-sig").count("\n") == 49  # a header and 48 cases


def icalendar_calendar(events: list[EventFacts], today: date, cohort: bool) -> bytes:
    """The calendar built the long way, one icalendar object per property: what ics.CalendarWriter must write."""
    from datetime import datetime, time, timedelta, timezone

    from icalendar import Alarm, Calendar, Event

    from followup.ics import PRODID, REMINDER

    calendar = Calendar()
    for name, value in (
        ("prodid", PRODID),
        ("version", "2.0"),
        ("calscale", "GREGORIAN"),
        ("x-wr-calname", "followup"),
    ):
        calendar.add(name, value)
    stamp = datetime.combine(today, time(0, 0), tzinfo=timezone.utc)
    seen = set()
    for facts in events:
        if facts.uid in seen:
            continue
        seen.add(facts.uid)
        summary = facts.summary_in(cohort)
        event = Event()
        event.add("uid", facts.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", facts.day)
        event.add("dtend", facts.day + timedelta(days=1))
        event.add("summary", summary)
        event.add("description", facts.description)
        event.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", REMINDER, parameters={"RELATED": "START"})
        event.add_component(alarm)
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


@pytest.mark.parametrize("cohort_flag", [False, True])
def test_the_calendar_is_written_as_icalendar_writes_it(cohort: Path, cohort_flag: bool) -> None:
    """Every event of the cohort (long, accented, quoted, with ; , and \\ in it) in icalendar's exact bytes."""
    from followup.batch import PlanJob, plan_file, setup_plan
    from followup.ics import CalendarWriter

    today = date.fromisoformat(TODAY)
    setup_plan(PlanJob(today, ics=True))
    events = [e for path in sorted(cohort.glob("*/*.yaml")) for e in plan_file(path).events]
    odd = EventFacts("a;b,c\\d@followup", today, "Zoë: ü " * 30 + "x\\N;,", "Ångström, Åsa", "", "a\nb\r\nc\\;" * 20)
    events.append(odd)
    assert len(events) >= 40
    out = io.BytesIO()
    calendar = CalendarWriter(out, today)
    calendar.add(("one", "candidate"), events)
    if cohort_flag:
        calendar.add(("another",), [])  # a second candidate, with nothing planned, makes the calendar a cohort's
    calendar.close()
    assert out.getvalue() == icalendar_calendar(events, today, cohort_flag)


def test_a_cohorts_calendar_is_written_as_the_plans_come(cohort: Path) -> None:
    """Once a second candidate comes, each case's events go out at once (a calendar of 10,000 cases is never
    held); a single candidate's events wait, since they are named only in a cohort's calendar."""
    from followup.batch import PlanJob, plan_file, setup_plan
    from followup.ics import CalendarWriter

    today = date.fromisoformat(TODAY)
    setup_plan(PlanJob(today, ics=True))
    parts = [plan_file(path) for path in sorted(cohort.glob("east/*.yaml"))]
    candidates = {part.candidate for part in parts}
    assert len(candidates) > 1 and sum(len(part.events) for part in parts) >= 20
    out = io.BytesIO()
    calendar = CalendarWriter(out, today)
    calendar.add(parts[0].candidate, parts[0].events)
    assert b"BEGIN:VEVENT" not in out.getvalue()  # one candidate so far: held back
    written = []
    for part in parts[1:]:
        calendar.add(part.candidate, part.events)
        written.append(out.getvalue().count(b"BEGIN:VEVENT"))
    assert written == sorted(written) and written[-1] >= 20 and len(set(written)) > len(parts) // 2
    assert calendar.held == []


class _Terminal:
    """A stderr that says it is a terminal, keeping what is written."""

    def __init__(self) -> None:
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


def test_a_progress_bar_on_a_terminal_only_for_long_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    from followup import batch

    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert list(batch.run(str, list(range(batch.PROGRESS_FROM - 1)), jobs=1, label="drafting")) == [
        str(i) for i in range(batch.PROGRESS_FROM - 1)
    ]
    assert terminal.text == ""  # a short batch: no bar
    assert list(batch.run(str, list(range(batch.PROGRESS_FROM)), jobs=1, label="drafting"))[-1] == str(
        batch.PROGRESS_FROM - 1
    )
    assert "drafting" in terminal.text and "100%" in terminal.text


def test_a_folder_gives_its_yaml_files_sorted_by_name(run: Callable[..., Result], tmp_path: Path) -> None:
    """*.yaml and *.yml regular files (links followed), in name order; not a dot file called .yaml, a folder,
    another suffix or a broken link."""
    import json

    folder = tmp_path / "notes"
    folder.mkdir()
    notes = SAMPLE_FILES[0].read_text(encoding="utf-8")
    for name in ("b.yml", "a.yaml", "C.yaml", "e..yaml", ".yaml", ".yml", "d.yaml.bak", "f.YAML", "g.json"):
        (folder / name).write_text(notes, encoding="utf-8")
    (folder / "dir.yaml").mkdir()
    (folder / "link.yaml").symlink_to(folder / "a.yaml")
    (folder / "broken.yaml").symlink_to(tmp_path / "nowhere.yaml")
    result = run("plan", folder, "--json", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    read = [Path(entry["notes"]).name for entry in json.loads(result.stdout)]
    assert read == ["C.yaml", "a.yaml", "b.yml", "e..yaml", "link.yaml"]
