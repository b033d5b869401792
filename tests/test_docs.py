"""The docs stay in step with the program: README commands, tour output, notes keys, pack context."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable

import pytest
from click.testing import Result
from tests.conftest import ROOT, SAMPLE_FILES
from tests.test_commands import all_commands

from followup import notes
from followup.errors import SelectionError
from followup.packs import builtin_pack
from followup.packtools import CONTEXT, FILTERS
from followup.situation import Situation, context_table

README = (ROOT / "README.md").read_text(encoding="utf-8")
Run = Callable[..., Result]


def test_readme_starts_with_the_two_setup_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", README, re.S)
    assert "pip install -e . && .venv/bin/followup draft thank-you samples/" in blocks[0]
    assert blocks[1] == "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest"


def test_ci_runs_the_readme_test_command() -> None:
    test_command = re.findall(r"```sh\n(.*?)\n```", README, re.S)[1]
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("command", all_commands(), ids=" ".join)
def test_every_command_is_in_the_readme(command: list[str]) -> None:
    assert f"followup {' '.join(command)}" in README


@pytest.mark.parametrize("block", re.findall(r"```console\n\$ (.*?)\n(.*?)\n```", README, re.S), ids=lambda b: b[:40])
def test_tour_output_is_real(run: Run, block: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    command, expected = block
    args = shlex.split(command)
    assert args[0] == "followup"
    monkeypatch.chdir(ROOT)  # the tour runs from the repository's root
    result = run(*args[1:])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.rstrip("\n") == expected


def test_every_notes_key_is_documented() -> None:
    def keys(schema: dict[str, object]) -> set[str]:
        found: set[str] = set()
        for name, prop in schema.get("properties", {}).items():  # type: ignore[attr-defined]
            found.add(name)
            inner = prop.get("anyOf", [prop])[0]
            found |= keys(inner.get("items", inner))
        return found

    yaml_block = re.search(r"```yaml\n(.*?)\n```", README, re.S)
    assert yaml_block
    documented = set(re.findall(r"^\s*-?\s*([a-z_]+):", yaml_block.group(1), re.M))
    assert keys(notes.json_schema()) <= documented


def test_pack_context_and_filters_are_documented() -> None:
    for name in [*CONTEXT, *FILTERS]:
        assert f"`{name}`" in README.split("## Template packs")[1]


def test_the_readme_context_table_is_the_codes_own() -> None:
    assert context_table() in README


@pytest.mark.parametrize("kind", ["thank-you", "article-share", "referrer-update", "thank-you-anyway"])
def test_every_name_a_template_sees_is_documented_and_no_more(kind: str) -> None:
    for path in [*SAMPLE_FILES, *sorted((ROOT / "tests" / "data" / "cases").glob("*.yaml"))]:
        loaded = notes.load(path)
        s = Situation(loaded, loaded.interviews[-1].date)
        pack_kind = builtin_pack().kind(kind)
        try:
            recipients = s.recipients(pack_kind)
        except SelectionError:
            continue  # no referrer, or no article: nothing to draft
        for person, article in recipients:
            assert set(s.context(person, kind=pack_kind, article=article)) == set(CONTEXT), path
