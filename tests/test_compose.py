"""The loader's composer (one loop over libyaml's events) gives exactly what PyYAML's Composer gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup.errors import NotesError
from followup.yamlcheck import StrictLoader, compose

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
