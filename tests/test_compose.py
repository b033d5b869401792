"""The loader's composer (one loop over libyaml's events) gives exactly what PyYAML's Composer gives."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup import notes, yamlcheck
from followup.errors import NotesError
from followup.yamlcheck import StrictLoader, _quick_composer_fits, compose

ROOT = Path(__file__).resolve().parent.parent


def shape(node: Any) -> Any:
    """A node tree as plain data: kind, tag, value, style and both marks of every node."""
    marks = (node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column)
    if isinstance(node, yaml.ScalarNode):
        return ("scalar", node.tag, node.value, node.style, marks)
    if isinstance(node, yaml.SequenceNode):
        return ("sequence", node.tag, [shape(n) for n in node.value], node.flow_style, marks)
    return ("mapping", node.tag, [(shape(k), shape(v)) for k, v in node.value], node.flow_style, marks)


def by_pyyaml(text: str) -> Any:
    """PyYAML's own Composer (with the loader's refusals), as the loader used it before."""
    try:
        node = yaml.compose(text, Loader=StrictLoader)  # type: ignore[arg-type]
    except Exception as err:
        return ("error", _message(err))
    return ("empty",) if node is None else shape(node)


def by_followup(text: str) -> Any:
    try:
        return shape(compose(text, Path("x.yaml")))
    except NotesError as err:
        if str(err).endswith("the file is empty"):
            return ("empty",)
        return ("error", str(err))


def _message(err: Exception) -> str:
    """The error as compose() words it."""
    try:
        mark = getattr(err, "mark", None) or getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        message = getattr(err, "message", None) or f"invalid YAML: {err.problem or err.context or 'invalid YAML'}"  # type: ignore[attr-defined]
    except AttributeError:
        return f"x.yaml: invalid YAML: {err}"
    if mark is None:
        return f"x.yaml: {message}"
    return f"x.yaml:{mark.line + 1}:{mark.column + 1}: {message}"


def test_the_same_nodes_for_every_sample_and_case() -> None:
    files = sorted(ROOT.glob("samples/**/*.yaml")) + sorted(ROOT.glob("tests/data/**/*.yaml"))
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert by_followup(text) == by_pyyaml(text), path


PIECES = [
    "a",
    "key",
    ": ",
    ":",
    "- ",
    "-",
    "\n",
    "\n  ",
    "\n    ",
    "  ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "&x ",
    "*x",
    "!!str ",
    "!!int ",
    "! ",
    "!t ",
    "'q'",
    '"d"',
    "|\n  lit",
    ">\n  fold",
    "? ",
    "---\n",
    "...\n",
    "# c",
    "\t",
    "10:30",
    "~",
    "",
]


@settings(max_examples=400, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_the_same_nodes_or_the_same_error_for_any_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert by_followup(text) == by_pyyaml(text)


def test_the_same_nodes_nested_to_the_limit_and_refused_past_it() -> None:
    for depth in (31, 32, 33):
        for text in ("[" * depth + "]" * depth, "".join(f"{'  ' * i}- \n" for i in range(depth)) + "  " * depth + "x"):
            assert by_followup(text) == by_pyyaml(text)


# --------------------------------------------------------------------------- libyaml's own composer, when it is safe


def by_careful_loop(text: str) -> Any:
    """compose() as it is without the quick path: the careful loop over libyaml's events, every time."""
    with patch.object(yamlcheck, "_quick_composer_fits", lambda text: False):
        return by_followup(text)


QUICK_PIECES = [*PIECES, "R&D", " & ", "&", "*", "x&", "a*b", ":&x", ",*x", "[&x", "{*x"]


@settings(max_examples=400, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(QUICK_PIECES), max_size=40))
def test_the_quick_composer_gives_the_careful_loops_nodes_and_errors(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert by_followup(text) == by_careful_loop(text)


def test_the_quick_composer_serves_the_samples_and_cases_and_gives_the_same_nodes() -> None:
    files = sorted(ROOT.glob("samples/**/*.yaml")) + sorted(ROOT.glob("tests/data/**/*.yaml"))
    quick = [path for path in files if _quick_composer_fits(path.read_text(encoding="utf-8"))]
    assert quick == files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert by_followup(text) == by_careful_loop(text) == by_pyyaml(text), path


def test_anchors_aliases_and_odd_line_breaks_take_the_careful_loop() -> None:
    odd = ("a: &x 1\nb: 2\n", "a: *x\n", "[a,&x b]", "{a: *x}", "a: 1\rb: 2\n", "a: 1\x85b: 2\n", "a: 1\u2028b: 2\n")
    for text in odd:
        assert not _quick_composer_fits(text), text
        assert by_followup(text) == by_pyyaml(text)
    for text in ("a: 1\r\nb:\r\n  - c\r\n", "a: R&D, AT&T\n", "a: Ruiz & Asociados\n", "a: 5*3 &\n", "a: & b\n"):
        assert _quick_composer_fits(text), text  # no anchor or alias can be there
        assert by_followup(text) == by_careful_loop(text) == by_pyyaml(text)


def emit(value: Any, column: int, width: int, indentless: bool, flow: bool) -> list[str]:
    """A value as block YAML lines at a column: mappings indented by `width`, lists indented or not, lists of
    text in flow style or not."""
    pad = " " * column
    if isinstance(value, dict):
        lines = []
        for k, v in value.items():
            if isinstance(v, str):
                lines.append(f"{pad}{k}: {v}")
            elif isinstance(v, list) and flow and all(isinstance(x, str) for x in v):
                lines.append(f"{pad}{k}: [{', '.join(v)}]")
            else:
                lines.append(f"{pad}{k}:")
                inner = column if isinstance(v, list) and indentless else column + width
                lines += emit(v, inner, width, indentless, flow)
        return lines
    if isinstance(value, list):
        lines = []
        for item in value:
            if isinstance(item, str):
                lines.append(f"{pad}- {item}")
            else:
                inner = emit(item, column + 2, width, indentless, flow) or [f"{pad}  {{}}"]
                lines += [f"{pad}- {inner[0].lstrip()}", *inner[1:]]
        return lines
    return [f"{pad}{value}"]


TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="&*\r\x85\u2028\u2029\ufeff"), max_size=14)


@st.composite
def scalars(draw: st.DrawFn) -> str:
    """Text as YAML writes it: plain (which may not parse: both paths must then fail alike), or quoted."""
    text = draw(TEXT)
    style = draw(st.sampled_from(["plain", "single", "double"]))
    if style == "plain":
        return text
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    return json.dumps(text, ensure_ascii=draw(st.booleans()))


@st.composite
def notes_texts(draw: st.DrawFn) -> str:
    """A notes file in one of the layouts people write: indentation of 1 to 4, lists indented or not,
    lists of text in flow style or not, values plain or quoted."""
    v = scalars()
    person = st.fixed_dictionaries(
        {"name": v},
        optional={"title": v, "email": v, "hiring_manager": v, "discussed": st.lists(v, max_size=3), "connection": v},
    )
    notes = draw(
        st.fixed_dictionaries(
            {
                "candidate": st.fixed_dictionaries({"name": v}, optional={"email": v, "phone": v}),
                "company": st.fixed_dictionaries({"name": v}, optional={"country": v}),
                "role": v,
                "interviews": st.lists(
                    st.fixed_dictionaries(
                        {"date": st.sampled_from(["2026-11-18", "2026-11-20"]), "interviewers": st.lists(person)},
                        optional={"time": st.sampled_from(["10:30", "'9:00'", "14:00"]), "format": v},
                    ),
                    max_size=2,
                ),
            },
            optional={
                "decision": st.fixed_dictionaries({}, optional={"said": v, "expected_by": v}),
                "history": st.lists(st.fixed_dictionaries({"date": v, "kind": v}, optional={"to": v}), max_size=2),
            },
        )
    )
    width, indentless, flow = draw(st.integers(1, 4)), draw(st.booleans()), draw(st.booleans())
    return "\n".join(emit(notes, 0, width, indentless, flow)) + "\n"


def parsed(text: str) -> Any:
    try:
        return notes.parse(text, Path("x.yaml"))
    except NotesError as err:
        return str(err)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notes_texts())
def test_generated_notes_give_the_same_tree_and_notes_by_either_path(text: str) -> None:
    assert by_followup(text) == by_careful_loop(text)
    with patch.object(yamlcheck, "_quick_composer_fits", lambda text: False):
        careful = parsed(text)
    assert parsed(text) == careful


def nested(depth: int) -> Any:
    """Values nested `depth` levels deep, in each way a collection can hold the next."""
    value: Any = "x"
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(20, 40),
    st.integers(1, 4),
    st.booleans(),
    st.sampled_from(["", "[", "[[", "{a: "]),
)
def test_near_the_nesting_limit_both_paths_agree(depth: int, width: int, indentless: bool, flow: str) -> None:
    """Past MAX_DEPTH the careful loop refuses: the quick path must never be taken there (nor crash)."""
    text = "\n".join(emit(nested(depth), 0, width, indentless, False)) + "\n"
    if flow:
        text = text.replace(": x\n", f": {flow}x{flow.replace('[', ']').replace('{a: ', '}')}\n")
    assert by_followup(text) == by_careful_loop(text) == by_pyyaml(text)


def test_compact_sequences_complex_keys_and_values_near_the_limit() -> None:
    for depth in range(14, 40):
        texts = [
            "- " * depth + "x\n",  # - - - x
            "? " * depth + "x\n",
            "? a\n: " + "- " * depth + "x\n",
            "".join(f"{'  ' * i}- k:\n" for i in range(depth)) + "  " * depth + "- x\n",
            "".join(f"{' ' * i}? \n" for i in range(depth)) + " " * depth + "x\n",
        ]
        for text in texts:
            assert by_followup(text) == by_careful_loop(text) == by_pyyaml(text), (depth, text)


@pytest.mark.parametrize(
    "deep",
    ["[" * 300_000, "- " * 300_000 + "x", "".join(f"{' ' * i}a:\n" for i in range(1300)), "{a: " * 200_000],
    ids=["flow", "compact", "indented", "flow-mappings"],
)
def test_a_megabyte_of_nesting_is_refused_by_the_careful_loop_not_a_crash(tmp_path: Path, deep: str) -> None:
    """libyaml's composer recurses in C: a text this deep would crash the process if it took the quick path."""
    path = tmp_path / "deep.yaml"
    path.write_text(deep + "\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "followup", "check", str(path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1, result.stderr[-500:]
    assert "nested more than 32 levels deep" in result.stderr
