"""Appending to a notes file's history: every byte outside the new lines stays as it was."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from followup import notes as notes_module
from followup.errors import NotesError
from followup.logbook import append_history, yaml_scalar

HEAD = """\
# Northwind: data platform role   (my comment, kept)
candidate:
  name: Priya Raman      # me
company:
  name: Northwind Logistics
role: Data Platform Engineer
interviews:
  - date: 2026-11-18
    time: 10:30
    interviewers:
      - name: Marcus Okafor
        hiring_manager: true
"""

ENTRY = {"date": "2026-11-25", "kind": "check-in", "to": "Marcus Okafor"}
ADDED = "  - date: 2026-11-25\n    kind: check-in\n    to: Marcus Okafor\n"


@pytest.fixture
def notes_file(tmp_path: Path) -> Callable[..., Path]:
    """Write text (as bytes, exactly) to a notes file and return its path."""

    def write(text: str, name: str = "northwind.yaml") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode("utf-8"))
        return path

    return write


def appended(path: Path, entry: dict[str, str] = ENTRY) -> str:
    """Append, check the file itself is untouched and the result loads with one more entry."""
    before = path.read_bytes()
    old = notes_module.load(path)
    text = append_history(path, entry)
    assert path.read_bytes() == before  # the caller writes, not append_history
    new = notes_module.parse(text, path)
    assert new.history[: len(old.history)] == old.history
    assert len(new.history) == len(old.history) + 1
    last = new.history[-1].as_dict()
    assert {k: str(v) for k, v in last.items() if v is not None} == entry
    return text


def test_indented_sequence_at_the_end(notes_file: Callable[..., Path]) -> None:
    original = HEAD + "history:\n  - date: 2026-11-18\n    kind: thank-you   # from my phone\n    to: Marcus Okafor\n"
    assert appended(notes_file(original)) == original + ADDED


def test_non_indented_sequence(notes_file: Callable[..., Path]) -> None:
    original = HEAD + "history:\n- date: 2026-11-18\n  kind: thank-you\n  to: Marcus Okafor\n"
    expected = original + "- date: 2026-11-25\n  kind: check-in\n  to: Marcus Okafor\n"
    assert appended(notes_file(original)) == expected


def test_entry_goes_after_the_last_item_before_what_follows(notes_file: Callable[..., Path]) -> None:
    last = "    to: Marcus Okafor   # last line of the history\n"
    rest = "\n# ---- below: what I still have to do\nstatus: waiting\nnews: they opened a Lisbon office\n"
    original = HEAD + "history:\n  - date: 2026-11-18\n    kind: thank-you\n" + last + rest
    assert appended(notes_file(original)) == HEAD + "history:\n  - date: 2026-11-18\n    kind: thank-you\n" + last + (
        ADDED + rest
    )


def test_wide_item_indentation_is_followed(notes_file: Callable[..., Path]) -> None:
    original = HEAD + "history:\n    -   date: 2026-11-18\n        kind: thank-you\n        to: Marcus Okafor\n"
    expected = original + "    -   date: 2026-11-25\n        kind: check-in\n        to: Marcus Okafor\n"
    assert appended(notes_file(original)) == expected


def test_after_a_block_scalar(notes_file: Callable[..., Path]) -> None:
    item = "  - date: 2026-11-20\n    kind: reply\n    from: Marcus Okafor\n"
    item += "    said: |\n      Still deciding.\n      Soon.\n"
    tail = "\n\n# end of history\nstatus: waiting\n"
    original = HEAD + "history:\n" + item + tail
    assert (
        appended(notes_file(original))
        == HEAD + "history:\n" + item + "\n\n" + ADDED + "# end of history\nstatus: waiting\n"
    )


def test_after_a_flow_item_and_into_a_flow_list(notes_file: Callable[..., Path]) -> None:
    original = HEAD + "history:\n  - {date: 2026-11-18, kind: thank-you, to: Marcus Okafor}\n"
    assert appended(notes_file(original)) == original + ADDED
    flow = HEAD + "history: [{date: 2026-11-18, kind: thank-you}]   # terse\n"
    expected = (
        HEAD + "history: [{date: 2026-11-18, kind: thank-you}, {date: 2026-11-25, kind: check-in, to: Marcus Okafor}]"
        "   # terse\n"
    )
    assert appended(notes_file(flow, "flow.yaml")) == expected
    multi = HEAD + "history: [\n  {date: 2026-11-18, kind: thank-you},\n]\n"
    expected = HEAD + (
        "history: [\n  {date: 2026-11-18, kind: thank-you}, {date: 2026-11-25, kind: check-in, to: Marcus Okafor}\n]\n"
    )
    assert appended(notes_file(multi, "multi.yaml")) == expected


@pytest.mark.parametrize(
    ("empty", "replaced"),
    [
        ("history: []\n", "history:\n"),
        ("history:\n", "history:\n"),
        ("history: ~\n", "history:\n"),
        ("history: null\n", "history:\n"),
        ("history: []   # nothing yet\n", "history:   # nothing yet\n"),
        ("history:   # nothing yet\n", "history:   # nothing yet\n"),
        ("history: []", "history:\n"),  # no newline at the end of the file
    ],
)
def test_empty_history_is_replaced(notes_file: Callable[..., Path], empty: str, replaced: str) -> None:
    assert appended(notes_file(HEAD + empty + "")) == HEAD + replaced + ADDED
    middle = HEAD + empty.rstrip("\n") + "\nstatus: waiting\n"
    assert appended(notes_file(middle, "middle.yaml")) == HEAD + replaced + ADDED + "status: waiting\n"


def test_empty_history_follows_the_files_list_style(notes_file: Callable[..., Path]) -> None:
    flat = HEAD.replace("  - date", "- date").replace("\n    ", "\n  ").replace("\n      - name", "\n  - name")
    flat = flat.replace("\n        hiring", "\n    hiring")
    notes_module.parse(flat, Path("flat.yaml"))
    expected = flat + "history:\n- date: 2026-11-25\n  kind: check-in\n  to: Marcus Okafor\n"
    assert appended(notes_file(flat + "history: []\n")) == expected


def test_no_history_key(notes_file: Callable[..., Path]) -> None:
    original = HEAD + "status: waiting   # still\n# trailing comment\n"
    assert appended(notes_file(original)) == original + "history:\n" + ADDED


def test_no_history_key_and_no_final_newline(notes_file: Callable[..., Path]) -> None:
    original = HEAD + "status: waiting"
    assert appended(notes_file(original)) == original + "\nhistory:\n" + ADDED


def test_last_line_without_newline_in_the_history(notes_file: Callable[..., Path]) -> None:
    original = HEAD + "history:\n  - date: 2026-11-18\n    kind: thank-you\n    to: Marcus Okafor"
    assert appended(notes_file(original)) == original + "\n" + ADDED


def test_crlf_is_kept(notes_file: Callable[..., Path]) -> None:
    body = HEAD + "history:\n  - date: 2026-11-18\n    kind: thank-you\n    to: Marcus Okafor\nstatus: waiting\n"
    original = body.replace("\n", "\r\n")
    text = appended(notes_file(original))
    assert text == original.replace("status: waiting", ADDED.replace("\n", "\r\n") + "status: waiting")
    assert text.count("\n") == text.count("\r\n")
    no_history = (HEAD + "status: waiting\n").replace("\n", "\r\n")
    assert appended(notes_file(no_history, "b.yaml")) == no_history + ("history:\n" + ADDED).replace("\n", "\r\n")


def test_byte_order_mark_is_kept(notes_file: Callable[..., Path]) -> None:
    original = "\ufeff" + HEAD
    assert appended(notes_file(original)) == original + "history:\n" + ADDED


def test_keys_in_order_and_values_quoted_when_needed(notes_file: Callable[..., Path]) -> None:
    entry = {
        "said": 'Still deciding: "soon". #2',
        "tone": "neutral",
        "from": "Marcus Okafor",
        "kind": "reply",
        "date": "2026-11-24",
    }
    text = appended(notes_file(HEAD), entry)
    assert text == HEAD + (
        "history:\n"
        "  - date: 2026-11-24\n"
        "    kind: reply\n"
        "    from: Marcus Okafor\n"
        '    said: "Still deciding: \\"soon\\". #2"\n'
        "    tone: neutral\n"
    )


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("Marcus Okafor", "Marcus Okafor"),
        ("2026-11-24", "2026-11-24"),
        ("https://example.org/hybrid?a=1#top", "https://example.org/hybrid?a=1#top"),
        ("a: b", '"a: b"'),
        ("NO", '"NO"'),
        ("10:30", '"10:30"'),
        ("01234", '"01234"'),
        ("- item", '"- item"'),
        ("*alias", '"*alias"'),
        ("two\nlines", '"two\\nlines"'),
        (" padded", '" padded"'),
        ("", '""'),
        ("null", '"null"'),
        ("Zoë says «ok»", "Zoë says «ok»"),
        ("line\u2028separator", '"line\\u2028separator"'),
        ("bell\x07", '"bell\\u0007"'),
        ("tab\there", '"tab\\there"'),
    ],
)
def test_yaml_scalar(value: str, written: str) -> None:
    assert yaml_scalar(value) == written
    node = yaml.compose(f"said: {written}")
    assert isinstance(node, yaml.MappingNode) and node.value[0][1].value == value
    loaded = notes_module.parse(
        HEAD + f"history:\n  - date: 2026-11-24\n    kind: reply\n    said: {written}\n", Path("x")
    )
    assert loaded.history[0].said == (" ".join(value.split()) or None)


def test_an_invalid_entry_is_refused(notes_file: Callable[..., Path]) -> None:
    path = notes_file(HEAD)
    with pytest.raises(NotesError) as err:
        append_history(path, {"date": "2026-11-24", "kind": "reply", "tone": "grumpy"})
    assert "tone" in str(err.value) and "positive, neutral, negative" in str(err.value)
    with pytest.raises(NotesError, match="not a valid date"):
        append_history(path, {"date": "2026-13-01", "kind": "reply"})


def test_an_invalid_file_is_reported_at_its_own_position(notes_file: Callable[..., Path]) -> None:
    path = notes_file(HEAD + "stauts: waiting\n")
    with pytest.raises(NotesError) as err:
        append_history(path, ENTRY)
    assert err.value.problems[0].line == 13 and "did you mean `status`" in err.value.problems[0].message
