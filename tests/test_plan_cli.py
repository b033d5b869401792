"""`followup plan` and `followup log` through the real CLI."""

from __future__ import annotations

import json
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

from click.testing import Result
from tests.conftest import SAMPLES

from followup import notes

Run = Callable[..., Result]
PANEL = SAMPLES / "panel-with-referrer.yaml"


def test_plan_table_for_one_file(run: Run) -> None:
    result = run("plan", PANEL, "--today", "2026-11-21")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"Northwind Logistics: Data Platform Engineer ({PANEL})"
    assert "  2026-11-18  overdue  thank-you         Dr. Helen Park" in lines
    assert any(line.startswith("  2026-12-01           check-in          Marcus Okafor") for line in lines)


def test_plan_json_contract(run: Run) -> None:
    result = run("plan", PANEL, "--today", "2026-11-21", "--json")
    data = json.loads(result.stdout)
    assert set(data) == {"steps", "expected_decision", "move_on", "warnings"}
    assert data["expected_decision"] == "2026-12-06"
    assert data["move_on"] is False
    first = data["steps"][0]
    assert set(first) == {"kind", "to", "due", "overdue", "why"}
    assert first == {**first, "kind": "thank-you", "due": "2026-11-18", "overdue": True}
    assert [s["due"] for s in data["steps"]] == sorted(s["due"] for s in data["steps"])


def test_plan_json_for_several_files_is_an_array_with_paths(run: Run) -> None:
    result = run("plan", SAMPLES, "--today", "2026-11-21", "--json")
    data = json.loads(result.stdout)
    assert isinstance(data, list) and len(data) == len(list(SAMPLES.glob("*.yaml")))
    assert {Path(d["notes"]).name for d in data} == {p.name for p in SAMPLES.glob("*.yaml")}
    silent = next(d for d in data if d["notes"].endswith("silent-employer.yaml"))
    assert silent["move_on"] is True
    assert not [s for s in silent["steps"] if s["kind"] in ("check-in", "call")]


def test_plan_json_for_several_files_is_the_array_of_each_files_object(run: Run, tmp_path: Path) -> None:
    """The array is written object by object as the plans come; it reads (and is laid out) exactly as
    json.dumps of the array of each file's own `plan --json` object, with its path added; a broken
    file among them is an error on stderr, not an item."""
    (tmp_path / "broken.yaml").write_text("role: [unclosed\n", encoding="utf-8")
    files = sorted(SAMPLES.glob("*.yaml"))
    for path in files[:3]:
        (tmp_path / path.name).write_bytes(path.read_bytes())
    result = run("plan", tmp_path, "--today", "2026-11-21", "--json")
    assert result.exit_code == 1 and "broken.yaml" in result.stderr
    expected = []
    for path in sorted(tmp_path.glob("*.yaml")):
        if path.name != "broken.yaml":
            one = json.loads(run("plan", path, "--today", "2026-11-21", "--json").stdout)
            expected.append({**one, "notes": str(path)})
    assert len(expected) == 3
    assert result.stdout == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"
    empty = run("plan", tmp_path / "broken.yaml", tmp_path / "broken.yaml", "--json")
    assert empty.exit_code == 1 and json.loads(empty.stdout) == []


def test_plan_for_many_files_starts_with_an_agenda(run: Run) -> None:
    result = run("plan", SAMPLES, "--today", "2026-11-21")
    assert result.exit_code == 0
    assert result.stdout.startswith("Overdue (")
    assert "Today (" in result.stdout and "This week (" in result.stdout
    assert "Northwind Logistics: thank-you note to Dr. Helen Park" in result.stdout


def test_plan_ics_is_written_once_without_force(run: Run, tmp_path: Path) -> None:
    ics = tmp_path / "plan.ics"
    assert run("plan", PANEL, "--today", "2026-11-21", "--ics", ics).exit_code == 0
    first = ics.read_bytes()
    assert first.startswith(b"BEGIN:VCALENDAR") and first.count(b"BEGIN:VEVENT") == 4
    assert run("plan", PANEL, "--today", "2026-11-21", "--ics", ics).exit_code == 1
    assert run("plan", PANEL, "--today", "2026-11-21", "--ics", ics, "--force").exit_code == 0
    assert ics.read_bytes() == first  # stable: importing again updates rather than duplicates


def test_log_appends_keeping_every_byte_and_permissions(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "panel.yaml"
    shutil.copy(PANEL, path)
    os.chmod(path, 0o640)
    before = path.read_bytes()
    result = run("log", path, "--kind", "thank-you", "--to", "helen", "--date", "2026-11-18")
    assert result.exit_code == 0, result.stderr
    after = path.read_bytes()
    assert after.startswith(before)
    assert after[len(before) :] == b"  - date: 2026-11-18\n    kind: thank-you\n    to: Dr. Helen Park\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert notes.load(path).history[-1].to == "Dr. Helen Park"
    plan = json.loads(run("plan", path, "--today", "2026-11-21", "--json").stdout)
    assert not [s for s in plan["steps"] if s["to"] == "Dr. Helen Park"]


def test_log_a_reply_and_usage_errors(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "panel.yaml"
    shutil.copy(PANEL, path)
    ok = run(
        "log", path, "--kind", "reply", "--from", "Marcus", "--tone", "negative", "--said", 'We went "another way".'
    )
    assert ok.exit_code == 0, ok.stderr
    entry = notes.load(path).history[-1]
    assert (entry.kind, entry.from_, entry.tone, entry.said) == (
        "reply",
        "Marcus Okafor",
        "negative",
        'We went "another way".',
    )
    before = path.read_bytes()
    assert run("log", path, "--kind", "reply").exit_code == 2
    assert run("log", path, "--kind", "check-in", "--to", "A", "--from", "B").exit_code == 2
    assert run("log", path, "--kind", "check-in", "--outcome", "spoke").exit_code == 2
    assert run("log", path, "--kind", "Check In!").exit_code == 1
    assert path.read_bytes() == before


def test_log_refuses_to_touch_invalid_notes(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("candidate:\n  name: A\n  nmae: B\n", encoding="utf-8")
    result = run("log", path, "--kind", "check-in")
    assert result.exit_code == 1
    assert f"Error: {path}:3:3: unknown key `nmae`" in result.stderr
    assert path.read_text(encoding="utf-8") == "candidate:\n  name: A\n  nmae: B\n"


def test_log_through_a_symlink_writes_the_real_file(run: Run, tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    shutil.copy(PANEL, real)
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    assert run("log", link, "--kind", "check-in", "--to", "Marcus", "--date", "2026-12-01").exit_code == 0
    assert link.is_symlink()
    assert notes.load(real).history[-1].kind == "check-in"


def test_log_warns_about_unknown_kinds_and_refuses_bad_urls(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "panel.yaml"
    shutil.copy(PANEL, path)
    typo = run("log", path, "--kind", "thankyou", "--to", "Marcus")
    assert typo.exit_code == 0 and "`thankyou` is not a kind followup knows" in typo.stderr
    before = path.read_bytes()
    bad = run("log", path, "--kind", "article-share", "--to", "Marcus", "--url", "not a url")
    assert bad.exit_code == 2 and "--url 'not a url' is not a web address" in bad.stderr
    assert path.read_bytes() == before
