"""The plan as an iCalendar file: read back with icalendar, event by event."""

from __future__ import annotations

import shlex
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from icalendar import Calendar

from followup import notes as notes_module
from followup.ics import calendar_bytes
from followup.notes import Notes
from followup.plan import make_plan

D = date.fromisoformat

NOTES = """\
candidate:
  name: Priya Raman
company:
  name: Northwind Logistics
role: Data Platform Engineer
interviews:
  - date: 2026-11-18
    time: 10:30
    interviewers:
      - name: Marcus Okafor
        hiring_manager: true
      - name: Lena O'Hara
decision:
  expected_by: 2026-11-27
referrer:
  name: Tomás Herrera
status: waiting
history:
  - date: 2026-11-30
    kind: check-in
    to: Marcus Okafor
"""


def write(folder: Path, name: str, text: str = NOTES) -> Notes:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return notes_module.load(path)


def events(data: bytes) -> list[dict[str, object]]:
    calendar = Calendar.from_ical(data)
    assert calendar["PRODID"] == "-//followup//EN" and calendar["VERSION"] == "2.0"
    return [
        {
            "uid": str(e["UID"]),
            "summary": str(e["SUMMARY"]),
            "description": str(e["DESCRIPTION"]),
            "start": e.decoded("DTSTART"),
            "end": e.decoded("DTEND"),
            "stamp": e.decoded("DTSTAMP"),
        }
        for e in calendar.walk("VEVENT")
    ]


@pytest.fixture
def northwind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Notes:
    monkeypatch.chdir(tmp_path)
    return write(Path("notes"), "northwind.yaml")


def test_one_all_day_event_per_step(northwind: Notes) -> None:
    today = D("2026-12-02")
    plan = make_plan(northwind, today)
    found = events(calendar_bytes([(northwind, plan)], today))
    assert [e["summary"] for e in found] == [
        "Thank-you note to Marcus Okafor (Northwind Logistics)",
        "Thank-you note to Lena O'Hara (Northwind Logistics)",
        "Referrer update to Tomás Herrera (Northwind Logistics)",
        "Phone call to Marcus Okafor (Northwind Logistics)",
    ]
    assert [(e["start"], e["end"]) for e in found] == [
        (D("2026-11-18"), D("2026-11-19")),
        (D("2026-11-18"), D("2026-11-19")),
        (D("2026-11-19"), D("2026-11-20")),
        (D("2026-12-07"), D("2026-12-08")),
    ]
    assert {e["stamp"] for e in found} == {datetime(2026, 12, 2, tzinfo=timezone.utc)}
    assert len({e["uid"] for e in found}) == 4 and all(str(e["uid"]).endswith("@followup") for e in found)


def test_description_is_the_why_and_the_command(northwind: Notes) -> None:
    today = D("2026-12-02")
    plan = make_plan(northwind, today)
    found = events(calendar_bytes([(northwind, plan)], today))
    for step, event in zip(plan.steps, found, strict=True):
        why, command = str(event["description"]).split("\n")
        assert why == step.why
        assert shlex.split(command) == [
            "followup",
            "draft",
            "call-script" if step.kind == "call" else step.kind,
            "notes/northwind.yaml",
            "--to",
            step.to,
        ]
    assert str(found[1]["description"]).endswith("""--to 'Lena O'"'"'Hara'""")


def test_paths_with_spaces_are_quoted(tmp_path: Path) -> None:
    notes = write(tmp_path / "my notes", "north wind; rm -rf.yaml")
    today = D("2026-11-18")
    [first, *_] = events(calendar_bytes([(notes, make_plan(notes, today))], today))
    command = str(first["description"]).split("\n")[1]
    assert shlex.split(command)[3] == str(tmp_path / "my notes" / "north wind; rm -rf.yaml")


def test_same_input_same_bytes_and_stable_uids(northwind: Notes) -> None:
    first = calendar_bytes([(northwind, make_plan(northwind, D("2026-12-02")))], D("2026-12-02"))
    assert calendar_bytes([(northwind, make_plan(northwind, D("2026-12-02")))], D("2026-12-02")) == first
    # a week later the plan has changed (move on, new dates), but the same step keeps its UID
    later = events(calendar_bytes([(northwind, make_plan(northwind, D("2026-12-03")))], D("2026-12-03")))
    assert {str(e["uid"]): e["summary"] for e in later}.items() <= {
        str(e["uid"]): e["summary"] for e in events(first)
    }.items()
    # reloading the file (a new run) gives the same UIDs
    again = notes_module.load(Path("notes/northwind.yaml"))
    assert [
        e["uid"] for e in events(calendar_bytes([(again, make_plan(again, D("2026-12-02")))], D("2026-12-02")))
    ] == [e["uid"] for e in events(first)]


def test_uids_differ_between_notes_files(tmp_path: Path) -> None:
    one, two = write(tmp_path, "a.yaml"), write(tmp_path, "b.yaml")
    today = D("2026-11-18")
    found = events(calendar_bytes([(one, make_plan(one, today)), (two, make_plan(two, today))], today))
    assert len(found) == 8 and len({e["uid"] for e in found}) == 8


def test_every_kind_has_a_readable_label(tmp_path: Path) -> None:
    rejected = NOTES.replace("status: waiting", "status: rejected")
    notes = write(tmp_path, "r.yaml", rejected)
    today = D("2026-12-02")
    summaries = [str(e["summary"]) for e in events(calendar_bytes([(notes, make_plan(notes, today))], today))]
    assert "Thank-you-anyway letter to Marcus Okafor (Northwind Logistics)" in summaries
    assert "Keep-in-touch note to Marcus Okafor (Northwind Logistics)" in summaries


def test_empty_plans_give_an_empty_calendar(tmp_path: Path) -> None:
    notes = write(tmp_path, "o.yaml", NOTES.replace("status: waiting", "status: offer"))
    data = calendar_bytes([(notes, make_plan(notes, D("2026-12-02")))], D("2026-12-02"))
    assert events(data) == []
    assert calendar_bytes([], D("2026-12-02")).startswith(b"BEGIN:VCALENDAR\r\n")


def test_importing_the_module_does_not_import_icalendar() -> None:
    code = "import sys, followup.ics; print('icalendar' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
