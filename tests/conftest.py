"""Shared fixtures: a CLI runner, notes written as real files, and a private config folder."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from followup.cli import main

# On CI the property tests try the same examples every run (a fresh clone has no example database): a
# failure there is one anyone can reproduce. At a developer's desk they search anew each time.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SAMPLE_FILES = sorted(SAMPLES.glob("*.yaml"))

MINIMAL = """\
candidate:
  name: Priya Raman
  email: priya@example.org
company:
  name: Northwind Logistics
role: Data Platform Engineer
interviews:
  - date: 2026-11-18
    time: 10:30
    interviewers:
      - name: Marcus Okafor
        hiring_manager: true
        discussed:
          - replacing nightly batch loads with change-data-capture
"""


@pytest.fixture(autouse=True)
def private_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the user's real config folder."""
    folder = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("FOLLOWUP_CONFIG_DIR", str(folder))
    monkeypatch.setenv("FOLLOWUP_CACHE_DIR", str(folder / "cache"))
    return folder


@pytest.fixture
def run() -> Callable[..., Result]:
    """Run the real CLI in-process; stdout and stderr are kept apart."""
    runner = CliRunner()

    def invoke(*args: str | Path, input: str | None = None) -> Result:
        return runner.invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def write_notes(tmp_path: Path) -> Callable[..., Path]:
    """Write YAML text (dedented) to a notes file and return its path."""

    def write(text: str = MINIMAL, name: str = "notes.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write
