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
        "Thank-you note to Marcus Okafor (Northwind Logistics), overdue since 2026-11-18",
        "Thank-you note to Lena O'Hara (Northwind Logistics), overdue since 2026-11-18",
        "Referrer update to Tomás Herrera (Northwind Logistics), overdue since 2026-11-19",
        "Phone call to Marcus Okafor (Northwind Logistics)",
    ]
    # overdue steps are on today, where they are seen; the rest on their day
    assert [(e["start"], e["end"]) for e in found] == [
        (D("2026-12-02"), D("2026-12-03")),
        (D("2026-12-02"), D("2026-12-03")),
        (D("2026-12-02"), D("2026-12-03")),
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


def test_uids_do_not_depend_on_the_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    today = D("2026-11-18")
    relative = write(Path("samples"), "x.yaml")
    absolute = notes_module.load(tmp_path / "samples" / "x.yaml")
    moved = write(tmp_path / "elsewhere", "renamed.yaml")
    uids = [
        [e["uid"] for e in events(calendar_bytes([(n, make_plan(n, today))], today))]
        for n in (relative, absolute, moved)
    ]
    assert len(uids[0]) == 4 and uids[0] == uids[1] == uids[2]
    # the same case twice in one calendar is one set of events, not duplicate UIDs
    both = events(calendar_bytes([(relative, make_plan(relative, today)), (moved, make_plan(moved, today))], today))
    assert [e["uid"] for e in both] == uids[0]


def test_uids_differ_between_cases(tmp_path: Path) -> None:
    one = write(tmp_path, "a.yaml")
    two = write(tmp_path, "b.yaml", NOTES.replace("Priya Raman", "Sam Lee"))
    three = write(tmp_path, "c.yaml", NOTES.replace("role: Data Platform Engineer", "role: Data Analyst"))
    today = D("2026-11-18")
    found = events(calendar_bytes([(n, make_plan(n, today)) for n in (one, two, three)], today))
    assert len(found) == 12 and len({e["uid"] for e in found}) == 12


def test_a_plan_change_keeps_the_uid_and_moves_the_event(tmp_path: Path) -> None:
    """Re-importing after the plan moved a date updates the event: same UID, new day."""
    today = D("2026-11-20")
    no_history = NOTES.split("history:")[0]
    before = write(tmp_path, "n.yaml", no_history)
    later = write(tmp_path, "n.yaml", no_history.replace("expected_by: 2026-11-27", "expected_by: 2026-12-04"))
    old = {e["summary"]: e for e in events(calendar_bytes([(before, make_plan(before, today))], today))}
    new = {e["summary"]: e for e in events(calendar_bytes([(later, make_plan(later, today))], today))}
    check_in = "Check-in e-mail to Marcus Okafor (Northwind Logistics)"
    assert old[check_in]["uid"] == new[check_in]["uid"]
    assert (old[check_in]["start"], new[check_in]["start"]) == (D("2026-12-01"), D("2026-12-08"))
    # once that check-in is logged as sent, the one they asked for later is a new event, not a move of the old one
    again = NOTES.replace("  expected_by: 2026-11-27", "  expected_by: 2026-11-27\n  follow_up_ok_after: 2026-12-10")
    logged = write(tmp_path, "n.yaml", again)
    day = D("2026-12-02")
    second = {e["summary"]: e for e in events(calendar_bytes([(logged, make_plan(logged, day))], day))}
    assert second[check_in]["start"] == D("2026-12-10")
    assert second[check_in]["uid"] != old[check_in]["uid"]


def test_logging_one_thank_you_keeps_the_other_events(tmp_path: Path) -> None:
    today = D("2026-11-18")
    before = write(tmp_path, "n.yaml", NOTES.split("history:")[0])
    after = write(
        tmp_path,
        "n.yaml",
        NOTES.split("history:")[0] + "history:\n  - {date: 2026-11-18, kind: thank-you, to: Marcus Okafor}\n",
    )
    old = {e["summary"]: e["uid"] for e in events(calendar_bytes([(before, make_plan(before, today))], today))}
    new = {e["summary"]: e["uid"] for e in events(calendar_bytes([(after, make_plan(after, today))], today))}
    lena = "Thank-you note to Lena O'Hara (Northwind Logistics)"
    assert "Thank-you note to Marcus Okafor (Northwind Logistics)" in old
    assert "Thank-you note to Marcus Okafor (Northwind Logistics)" not in new
    assert new[lena] == old[lena]


def test_every_event_rings_on_the_morning_of_its_day(northwind: Notes) -> None:
    today = D("2026-12-02")
    calendar = Calendar.from_ical(calendar_bytes([(northwind, make_plan(northwind, today))], today))
    found = list(calendar.walk("VEVENT"))
    assert found
    for event in found:
        [alarm] = event.walk("VALARM")
        assert alarm["ACTION"] == "DISPLAY"
        assert str(alarm["DESCRIPTION"]) == str(event["SUMMARY"])
        assert alarm["TRIGGER"].params["RELATED"] == "START"
        start = event.decoded("DTSTART")
        assert datetime.combine(start, datetime.min.time()) + alarm.decoded("TRIGGER") == datetime.combine(
            start, datetime.min.time().replace(hour=9)
        )


def test_a_cohort_calendar_names_the_candidate(tmp_path: Path) -> None:
    one = write(tmp_path, "a.yaml")
    two = write(tmp_path, "b.yaml", NOTES.replace("Priya Raman", "Sam Lee"))
    today = D("2026-11-18")
    summaries = [
        str(e["summary"]) for e in events(calendar_bytes([(n, make_plan(n, today)) for n in (one, two)], today))
    ]
    assert summaries[0] == "Priya Raman: Thank-you note to Marcus Okafor (Northwind Logistics)"
    assert sum(s.startswith("Priya Raman: ") for s in summaries) == 4
    assert sum(s.startswith("Sam Lee: ") for s in summaries) == 4


def test_vobject_reads_the_same_events(northwind: Notes) -> None:
    import vobject

    today = D("2026-12-02")
    data = calendar_bytes([(northwind, make_plan(northwind, today))], today)
    parsed = vobject.readOne(data.decode("utf-8"))
    vevents = parsed.contents["vevent"]
    assert [v.uid.value for v in vevents] == [e["uid"] for e in events(data)]
    assert [v.dtstart.value for v in vevents] == [e["start"] for e in events(data)]
    assert all(v.valarm.trigger.value.total_seconds() == 9 * 3600 for v in vevents)


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


def test_khal_imports_it_and_a_reimport_updates_instead_of_duplicating(tmp_path: Path) -> None:
    """A real calendar client: khal (Debian's package) imports the calendar, then the next day's, into one vdir."""
    import os
    import shutil

    khal = shutil.which("khal")
    if khal is None:
        if os.environ.get("CI"):
            pytest.fail("khal is not installed; .ci/run installs it (apt-get install khal)")
        pytest.skip("khal is not installed (apt-get install khal)")
    vdir = tmp_path / "calendar"
    vdir.mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(
        f"[calendars]\n[[followup]]\npath = {vdir}\n[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\n"
        "longdateformat = %Y-%m-%d\ndatetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        f"[sqlite]\npath = {tmp_path / 'khal.db'}\n"
    )
    notes = write(tmp_path, "n.yaml")
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)}

    def khal_run(*args: str) -> str:
        done = subprocess.run(
            [khal, "-c", str(config), *args], capture_output=True, text=True, env=env, timeout=60, check=False
        )
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        return done.stdout

    for day in ("2026-12-02", "2026-12-03"):
        ics = tmp_path / f"{day}.ics"
        ics.write_bytes(calendar_bytes([(notes, make_plan(notes, D(day)))], D(day)))
        khal_run("import", "--batch", str(ics))
    listed = khal_run("list", "--format", "{start-date}|{title}|{alarm-symbol}", "2026-11-01", "2027-03-01")
    rows = [tuple(x.strip() for x in line.split("|")) for line in listed.splitlines() if "|" in line]
    # the second import moved the overdue steps to 2026-12-03: same UIDs, no duplicates
    assert len(list(vdir.glob("*.ics"))) == 4
    assert sorted(rows) == [
        ("2026-12-03", "Referrer update to Tomás Herrera (Northwind Logistics), overdue since 2026-11-19", "⏰"),
        ("2026-12-03", "Thank-you note to Lena O'Hara (Northwind Logistics), overdue since 2026-11-18", "⏰"),
        ("2026-12-03", "Thank-you note to Marcus Okafor (Northwind Logistics), overdue since 2026-11-18", "⏰"),
        ("2026-12-07", "Phone call to Marcus Okafor (Northwind Logistics)", "⏰"),
    ]
