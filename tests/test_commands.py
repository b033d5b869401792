"""The everyday commands besides draft: new, check, kinds, schema, --version, help."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from tests.conftest import MINIMAL, SAMPLES

from followup import __version__, notes
from followup.cli import main

Run = Callable[..., Result]


def test_new_writes_a_valid_commented_starter_and_never_overwrites(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    result = run("new", path, "--today", "2026-11-21")
    assert result.exit_code == 0, result.stderr
    text = path.read_text(encoding="utf-8")
    assert text.count("#") > 20  # commented for a new user
    filled = (
        text.replace("Your Name", "Ana Ruiz").replace("Company Name", "Acme").replace("Job Title", "Analyst")
    ).replace("Interviewer Name", "Bo Chen")
    path.write_text(filled, encoding="utf-8")
    assert notes.load(path).interviews[0].date.isoformat() == "2026-11-21"  # once its examples are replaced
    path.write_text("my notes", encoding="utf-8")
    again = run("new", path)
    assert again.exit_code == 1 and "already exists" in again.stderr
    assert path.read_text(encoding="utf-8") == "my notes"


def test_check_reports_valid_files_and_advice(run: Run) -> None:
    result = run("check", SAMPLES / "afternoon-phone-no-date.yaml")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{SAMPLES / 'afternoon-phone-no-date.yaml'}: valid, ")
    assert any("no decision timeline: ask when they expect to decide" in line for line in lines)
    assert any("nothing usable under `discussed` for Karen Dubois: the note will be generic" in line for line in lines)


def test_check_a_folder_with_one_bad_file(run: Run, write_notes: Callable[..., Path], tmp_path: Path) -> None:
    write_notes(name="folder/good.yaml")
    write_notes(MINIMAL.replace("role:", "rol:"), name="folder/bad.yaml")
    result = run("check", tmp_path / "folder")
    assert result.exit_code == 1
    assert f"{tmp_path / 'folder' / 'good.yaml'}: valid" in result.stdout
    assert (
        f"Error: {tmp_path / 'folder' / 'bad.yaml'}:6:1: unknown key `rol` at the top level (did you mean `role`?)"
        in (result.stderr)
    )


def test_kinds_lists_each_kind_on_one_line(run: Run) -> None:
    result = run("kinds")
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert {"thank-you", "check-in", "thank-you-anyway", "article-share"} <= set(names)
    assert len(names) == len(set(names))


def test_schema_is_json_schema(run: Run) -> None:
    result = run("schema")
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert set(schema["required"]) == {"candidate", "company", "role", "interviews"}


def test_version(run: Run) -> None:
    assert run("--version").stdout.strip() == f"followup, version {__version__}"


def all_commands() -> list[list[str]]:
    found = []

    def walk(group: object, prefix: list[str]) -> None:
        for name, command in getattr(group, "commands", {}).items():
            found.append([*prefix, name])
            walk(command, [*prefix, name])

    walk(main, [])
    return found


@pytest.mark.parametrize("command", all_commands(), ids=" ".join)
def test_every_command_has_help(run: Run, command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Usage: " in result.stdout
    assert len(result.stdout.splitlines()) > 3


def test_python_dash_m_works() -> None:
    result = subprocess.run([sys.executable, "-m", "followup", "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "Draft the messages" in result.stdout


_GC_PROBE = """
import gc, sys
from followup.__main__ import main
sys.argv = ["followup", *sys.argv[1:]]
try:
    main()
except SystemExit as done:
    print("collector on" if gc.isenabled() else "collector off", done.code, file=sys.stderr)
"""


@pytest.mark.parametrize(
    ("args", "collecting"),
    [
        (["--version"], False),  # start-up only: the collector stays off to the end
        (["draft", "thank-you", str(SAMPLES / "panel-with-referrer.yaml"), "--today", "2026-11-18"], True),
        (["plan", str(SAMPLES), "--today", "2026-11-18"], True),
        (["check", str(SAMPLES / "panel-with-referrer.yaml"), "--today", "2026-11-18"], True),
    ],
)
def test_the_command_starts_without_the_garbage_collector_and_batches_turn_it_on(
    args: list[str], collecting: bool
) -> None:
    """`followup` starts with the cyclic collector off (start-up makes no garbage cycles); every command
    that reads notes files turns it on first, so a long batch's memory stays flat."""
    result = subprocess.run([sys.executable, "-c", _GC_PROBE, *args], capture_output=True, text=True, check=False)
    last = result.stderr.strip().splitlines()[-1]
    assert last == f"collector {'on' if collecting else 'off'} 0", result.stderr
