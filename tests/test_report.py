"""followup report: a cohort's state as an HTML page and a CSV, every student on it, the overdue marked."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path

from click.testing import Result
from tests.conftest import MINIMAL

Run = Callable[..., Result]

# On 2026-11-25: Priya's thank-yous (2026-11-18) are overdue; Aisha thanked on time and heard back;
# Omar's check-in and call went unanswered for over a week: written off.
PRIYA = MINIMAL.replace("name: Priya Raman", "name: Priya <b>Raman</b>")
AISHA = """\
candidate:
  name: Aisha Bello
company:
  name: Cedar & Hollow
role: Grant Writer
interviews:
  - date: 2026-11-23
    time: 09:00
    interviewers:
      - name: Ruth Calloway
        hiring_manager: true
history:
  - date: 2026-11-23
    kind: thank-you
    to: Ruth Calloway
  - date: 2026-11-24
    kind: reply
    from: Ruth Calloway
    tone: positive
    said: Thanks, we will be in touch next week.
"""
OMAR = """\
candidate:
  name: Omar Haddad
company:
  name: Globex
role: Analyst
interviews:
  - date: 2026-10-01
    interviewers:
      - name: Kim Lee
status: waiting
history:
  - date: 2026-10-01
    kind: thank-you
    to: Kim Lee
  - date: 2026-10-08
    kind: check-in
    to: Kim Lee
  - date: 2026-10-15
    kind: call
    to: Kim Lee
    outcome: voicemail
"""


def cohort(write_notes: Callable[..., Path], tmp_path: Path) -> Path:
    write_notes(PRIYA, name="cohort/priya.yaml")
    write_notes(AISHA, name="cohort/aisha.yaml")
    write_notes(OMAR, name="cohort/omar.yaml")
    return tmp_path / "cohort"


def test_the_page_and_csv_hold_every_student_and_mark_the_overdue(
    run: Run, write_notes: Callable[..., Path], tmp_path: Path
) -> None:
    folder = cohort(write_notes, tmp_path)
    page, table = tmp_path / "report.html", tmp_path / "report.csv"
    result = run("report", folder, "-o", page, "--csv", table, "--today", "2026-11-25")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"wrote {page} and {table}: 3 cases, 1 overdue\n"

    html = page.read_text(encoding="utf-8")
    assert "Priya &lt;b&gt;Raman&lt;/b&gt;" in html and "<b>Raman</b>" not in html  # notes are escaped
    assert "Cedar &amp; Hollow" in html
    rows = re.findall(r"<tr( class=\"[^\"]*\")? data-tags=\"([^\"]*)\">(.*?)</tr>", html)
    assert len(rows) == 3
    by_name = {re.search(r"<td>(.*?)</td>", r[2])[1]: r for r in rows}  # type: ignore[index]
    priya = by_name["Priya &lt;b&gt;Raman&lt;/b&gt;"]
    assert priya[0] == ' class="overdue"' and "overdue" in priya[1].split()
    assert "overdue 7 days" in priya[2]  # a word, not colour alone
    assert not by_name["Aisha Bello"][0] and "replied" in by_name["Aisha Bello"][1].split()
    assert "written-off" in by_name["Omar Haddad"][1].split()
    summary = dict((label, value) for value, label in re.findall(r"<li[^>]*><b>(.*?)</b>(.*?)</li>", html))
    assert summary == {
        "due today or overdue": "1",
        "overdue": "1",
        "thanked within a day": "2 of 3",
        "heard back": "1 of 3",
        "written off": "1",
    }
    assert "http://" not in html and "https://" not in html and "src=" not in html  # nothing to fetch
    assert "@media print" in html

    data = table.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    records = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["Candidate"] for r in records] == ["Aisha Bello", "Omar Haddad", "Priya <b>Raman</b>"]
    priya_csv = records[2]
    assert priya_csv["Next step"] == "thank-you" and priya_csv["To"] == "Marcus Okafor"
    assert priya_csv["Due"] == "2026-11-18" and priya_csv["Overdue"] == "overdue 7 days"
    assert priya_csv["Why"].startswith("Thank-you notes go out within a day")
    aisha = records[0]
    assert aisha["Last sent"] == "2026-11-23 thank-you to Ruth Calloway"
    assert aisha["Last heard"] == "2026-11-24 reply from Ruth Calloway (positive)"
    assert (aisha["Replied"], aisha["Thanked within a day"], aisha["Overdue"]) == ("yes", "yes", "")
    omar = records[1]
    assert (omar["Written off"], omar["Follow-ups used"], omar["Next step"]) == ("yes", "2 of 2", "")


def test_report_never_overwrites_without_force(run: Run, write_notes: Callable[..., Path], tmp_path: Path) -> None:
    folder = cohort(write_notes, tmp_path)
    page = tmp_path / "report.html"
    page.write_text("my page", encoding="utf-8")
    refused = run("report", folder, "-o", page, "--today", "2026-11-25")
    assert refused.exit_code == 1
    assert f"Error: {page} already exists; use --force to replace" in refused.stderr
    assert page.read_text(encoding="utf-8") == "my page"
    forced = run("report", folder, "-o", page, "--today", "2026-11-25", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert "Omar Haddad" in page.read_text(encoding="utf-8")


def test_unreadable_notes_are_reported_on_the_page_and_exit_1(
    run: Run, write_notes: Callable[..., Path], tmp_path: Path
) -> None:
    folder = cohort(write_notes, tmp_path)
    write_notes(MINIMAL.replace("role:", "rol:"), name="cohort/broken.yaml")
    page = tmp_path / "report.html"
    result = run("report", folder, "-o", page, "--today", "2026-11-25")
    assert result.exit_code == 1
    assert f"Error: {folder / 'broken.yaml'}:6:1: unknown key `rol`" in result.stderr
    html = page.read_text(encoding="utf-8")
    assert "1 notes file(s) could not be read" in html and "unknown key `rol`" in html
    assert html.count('data-tags="') == 3
