"""The notes loader's traps, one by one: each bad input gets FILE:LINE:COL and exit 1."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest
from tests.conftest import MINIMAL, SAMPLE_FILES

from followup import notes
from followup.errors import NotesError
from followup.situation import Situation


def load_text(tmp_path: Path, text: str) -> notes.Notes:
    path = tmp_path / "n.yaml"
    path.write_text(text, encoding="utf-8")
    return notes.load(path)


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(NotesError) as info:
        load_text(tmp_path, text)
    return str(info.value).splitlines()


def test_minimal_notes_load_with_types(tmp_path: Path) -> None:
    loaded = load_text(tmp_path, MINIMAL)
    interview = loaded.interviews[-1]
    assert interview.date == date(2026, 11, 18)
    assert interview.time == time(10, 30)  # unquoted 10:30 is a time, not 630 (YAML 1.1 sexagesimal)
    assert loaded.status == "waiting"
    assert loaded.decision.said is None and loaded.referrer is None
    assert Situation(loaded, loaded.interviews[-1].date).hiring_manager.name == "Marcus Okafor"


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_every_sample_loads(path: Path) -> None:
    assert notes.load(path).candidate.name


@pytest.mark.parametrize(
    ("value", "expected"),
    [("NO", "NO"), ("01234", "01234"), ("yes", "yes"), ("1e3", "1e3"), ("null", None), ("'null'", "null"), ("~", None)],
)
def test_yaml_11_guesses_do_not_apply(tmp_path: Path, value: str, expected: str | None) -> None:
    loaded = load_text(tmp_path, MINIMAL.replace("name: Northwind Logistics", "name: ACME\n  address: " + value))
    assert loaded.company.address == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("9:05", time(9, 5)), ("14:30", time(14, 30)), ("2:30 pm", time(14, 30))]
)
def test_times(tmp_path: Path, text: str, expected: time) -> None:
    assert load_text(tmp_path, MINIMAL.replace("time: 10:30", f"time: {text}")).interviews[-1].time == expected


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("time: 10:30", "time: 25:00", "n.yaml:9:11: `interviews[1].time` is not a valid time"),
        ("time: 10:30", "time: 630", "n.yaml:9:11: `interviews[1].time` is not a valid time"),
        ("date: 2026-11-18", "date: 2026-02-30", "n.yaml:8:11: `interviews[1].date` is not a valid date"),
        ("date: 2026-11-18", "date: 18/11/2026", "n.yaml:8:11: `interviews[1].date` is not a valid date"),
        (
            "  email: priya@example.org",
            "  emial: priya@example.org",
            "n.yaml:3:3: unknown key `emial` under `candidate` (did you mean `email`?)",
        ),
        (
            "    interviewers:",
            "    intervewers:",
            "n.yaml:10:5: unknown key `intervewers` under `interviews[1]` (did you mean `interviewers`?)",
        ),
        ("role: Data Platform Engineer", "role: [a, b]", "n.yaml:6:7: `role` should be a single value, not a list"),
        (
            "hiring_manager: true",
            "hiring_manager: maybe",
            "n.yaml:12:25: `interviews[1].interviewers[1].hiring_manager` should be true or false",
        ),
        ("  email: priya@example.org", "  email: priya", "n.yaml:3:10: `candidate.email` is not an e-mail address"),
        ("role: Data Platform Engineer\n", "", "n.yaml:1:1: missing required key `role`"),
    ],
)
def test_bad_values_name_line_and_column(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in MINIMAL
    lines = problems(tmp_path, MINIMAL.replace(old, new))
    assert any(line.startswith(f"{tmp_path}/{expected}") for line in lines), lines


def test_status_typo_suggests(tmp_path: Path) -> None:
    (line,) = problems(tmp_path, MINIMAL + "status: rejcted\n")
    assert line.endswith("use one of: waiting, on-hold, offer, rejected, withdrawn (did you mean `rejected`?)")
    assert ":15:9:" in line


def test_duplicate_keys_are_errors(tmp_path: Path) -> None:
    (line,) = problems(tmp_path, MINIMAL + "role: Other\n")
    assert line == f"{tmp_path / 'n.yaml'}:15:1: duplicate key `role`: keep one and delete the other"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("candidate: &me\n  name: A\n", "anchors (&name) are not allowed"),
        (MINIMAL + "news: *x\n", "aliases (*name) are not allowed"),
    ],
)
def test_anchors_and_aliases_are_refused(tmp_path: Path, text: str, message: str) -> None:
    (line,) = problems(tmp_path, text)
    assert message in line and line.startswith(str(tmp_path / "n.yaml") + ":")


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    bomb = 'a: &a ["lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n'
    (line,) = problems(tmp_path, bomb)
    assert ":1:4: anchors" in line


def test_tags_are_refused(tmp_path: Path) -> None:
    lines = problems(tmp_path, MINIMAL + "news: !!python/object:os.system echo\n")
    assert any("YAML tags" in line for line in lines)


def test_at_least_one_interview_and_interviewer(tmp_path: Path) -> None:
    text = MINIMAL[: MINIMAL.index("interviews:")] + "interviews: []\n"
    assert any("`interviews` needs at least 1 entry" in line for line in problems(tmp_path, text))
    text = MINIMAL[: MINIMAL.index("      - name: Marcus")].replace("interviewers:", "interviewers: []")
    assert any("`interviews[1].interviewers` needs at least 1 entry" in line for line in problems(tmp_path, text))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"# only a comment\n", "the file is empty"),
        (b"\x00\x01binary", "binary file"),
        (b"\xff\xfe\xfa not utf-8", "not UTF-8"),
        (b"- a list\n- not a mapping\n", "should be a mapping"),
        (b"candidate: [unclosed\n", "invalid YAML"),
    ],
)
def test_whole_file_problems(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "n.yaml"
    path.write_bytes(content)
    with pytest.raises(NotesError) as info:
        notes.load(path)
    assert message in str(info.value)
    assert str(info.value).startswith(f"{path}:")


def test_missing_file_and_huge_file(tmp_path: Path) -> None:
    with pytest.raises(NotesError, match="no such file"):
        notes.load(tmp_path / "absent.yaml")
    huge = tmp_path / "huge.yaml"
    huge.write_text(MINIMAL + "news: " + "x" * (1024 * 1024) + "\n")
    with pytest.raises(NotesError, match="over 1 MiB are refused"):
        notes.load(huge)


def test_control_characters_in_values_are_accepted(tmp_path: Path) -> None:
    loaded = load_text(tmp_path, MINIMAL + 'news: "bell\\a and escape\\e"\n')
    assert loaded.news == "bell\a and escape\x1b"


def test_a_single_discussed_item_may_be_written_inline(tmp_path: Path) -> None:
    text = MINIMAL.replace("discussed:\n          - replacing", "discussed: replacing")
    assert load_text(tmp_path, text).interviews[-1].interviewers[0].discussed == [
        "replacing nightly batch loads with change-data-capture"
    ]


def test_json_schema_covers_every_key() -> None:
    schema = notes.json_schema()
    assert schema["required"] == ["candidate", "company", "role", "interviews"]
    interviewer = schema["properties"]["interviews"]["items"]["properties"]["interviewers"]["items"]
    assert {"name", "discussed", "connection", "add", "hiring_manager"} <= set(interviewer["properties"])
    history = schema["properties"]["history"]["items"]["properties"]
    assert "from" in history and "from_" not in history
    assert schema["additionalProperties"] is False
