"""Schema ≡ loader: the JSON Schema editors use accepts exactly the notes the loader accepts.

Documents are generated from the notes format itself (every key, some unknown ones, values
right and wrong, plain and quoted), written as YAML text, then read twice: by followup's
loader, and as YAML 1.2 (core schema, as editors read it) checked against `followup schema`
with the `jsonschema` package. Both must say the same.
"""

from __future__ import annotations

import json
import re
import typing
from datetime import date, time
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup import notes
from followup.errors import NotesError
from followup.yamlcheck import Record, _hints, _strip_optional

ROOT = Path(__file__).resolve().parent.parent


class Yaml12Loader(yaml.CSafeLoader):
    """libyaml reading YAML 1.2's core schema: no yes/no booleans, no dates, no sexagesimal numbers.

    (libyaml's scanner, as the loader uses: PyYAML's pure-Python one refuses a tab inside a plain
    value in a flow mapping, "add: 0<TAB>0", which YAML allows and editors accept.)"""


Yaml12Loader.yaml_implicit_resolvers = {}
for tag, pattern, first in (
    ("null", r"~|null|Null|NULL|", ["~", "n", "N", ""]),
    ("bool", r"true|True|TRUE|false|False|FALSE", list("tTfF")),
    ("int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", list("-+0123456789")),
    (
        "float",
        r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)",
        list("-+.0123456789"),
    ),
):
    Yaml12Loader.add_implicit_resolver(f"tag:yaml.org,2002:{tag}", re.compile(rf"^(?:{pattern})$"), first)


def _int12(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = node.value
    return int(text[2:], 16) if text.startswith("0x") else int(text[2:], 8) if text.startswith("0o") else int(text)


def _float12(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float:
    text = node.value.lower()
    return float(text.replace(".inf", "inf").replace(".nan", "nan"))


Yaml12Loader.add_constructor("tag:yaml.org,2002:bool", lambda _, node: node.value.lower() == "true")
Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _int12)
Yaml12Loader.add_constructor("tag:yaml.org,2002:float", _float12)

VALIDATOR = jsonschema.Draft202012Validator(notes.json_schema())


def schema_accepts(text: str) -> bool:
    """Whether an editor would show the document free of errors: valid YAML, valid by the schema."""
    try:
        data = yaml.load(text, Loader=Yaml12Loader)
    except yaml.YAMLError:
        return False
    return VALIDATOR.is_valid(data)


def loader_accepts(text: str) -> bool:
    try:
        notes.parse(text, Path("generated.yaml"))
    except NotesError:
        return False
    return True


# --------------------------------------------------------------------------- generating documents

WORDS = ["Helen Park", "x", "Acme & Co.", "naïve café", "東京", "a b", "Ok", "0", "12"]
TRICKY = ["", " ", "\u00a0", "~", "null", "Null", "NULL", "true", "False", "yes", "NO", "on", "1.5", ".inf", "-3"]
TRICKY += ["0x1F", "0o17", "1e3", "+5", "007", "1.", ".5"]
SCALARS: dict[Any, list[str]] = {
    str: [*WORDS, *TRICKY],
    "email": ["a@b.co", "helen@example.org", " x@y.z ", "a@b", "@b.c", "a b@c.d", "a@b.c@d", *TRICKY],
    "url": ["https://example.org/x", "example.org", "HTTP://A.B", "a.b", "http://", "no-dot", "1.5", *TRICKY],
    "kind": ["thank-you", "call", "reply", "Thank-You", "a--b", "x1", "-x", "true", *TRICKY],
    date: [
        "2026-11-18",
        "2024-02-29",
        "2023-02-29",
        "2100-02-29",
        "2000-02-29",
        "1899-12-31",
        "3000-01-01",
        "9999-12-31",
        "0001-01-01",
        "2026-13-01",
        "2026-04-31",
        "2026-1-1",
        "20261118",
        " 2026-11-18 ",
        *TRICKY,
    ],
    time: [
        "10:30",
        "9:05",
        "23:59:59",
        "24:00",
        "10",
        "10pm",
        "12 a.m.",
        "0am",
        "13pm",
        "7:30 PM",
        "10:60",
        "1030",
        *TRICKY,
    ],
    bool: ["true", "false", "yes", "No", "ON", "off", "TRUE", "y", "1", "0", "maybe", *TRICKY],
}


def literal_scalars(choices: tuple[str, ...]) -> list[str]:
    return [*choices, choices[0].upper(), choices[0].title(), f" {choices[-1]} ", "other", "spo\u212ae", *TRICKY]


def yaml_scalar(text: str, style: str) -> str:
    """text as a flow scalar: plain where YAML allows it, else double-quoted."""
    if style == "plain" and re.fullmatch(
        r"[^\s,\[\]{}#&*!|>'\"%@`:?-][^,\[\]{}#:]*[^\s,\[\]{}#:]|[^\s,\[\]{}#&*!|>'\"%@`:?-]?", text
    ):
        return text
    return json.dumps(text, ensure_ascii=False)


@st.composite
def scalar_for(draw: st.DrawFn, hint: Any, fmt: str | None) -> str:
    hint = _strip_optional(hint)
    if typing.get_origin(hint) is typing.Literal:
        pool = literal_scalars(typing.get_args(hint))
    else:
        pool = SCALARS.get(fmt or hint, SCALARS[str])
    text = draw(st.sampled_from(pool) | st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6))
    return yaml_scalar(text, draw(st.sampled_from(["plain", "plain", "quoted"])))


@st.composite
def value_for(draw: st.DrawFn, hint: Any, fmt: str | None, depth: int) -> str:
    hint = _strip_optional(hint)
    origin = typing.get_origin(hint)
    shape = draw(st.integers(0, 9))
    if shape == 0 and depth < 4:  # the wrong shape now and then
        return draw(st.sampled_from(["[]", "{}", "[x]", "{a: b}", "~"]))
    if origin is list:
        (item,) = typing.get_args(hint)
        if item is str and shape == 1:
            return draw(scalar_for(str, None))
        items = draw(st.lists(value_for(item, fmt, depth + 1), max_size=2 if depth < 3 else 1))
        return "[" + ", ".join(items) + "]"
    if isinstance(hint, type) and issubclass(hint, Record):
        return draw(record_for(hint, depth + 1))
    return draw(scalar_for(hint, fmt))


@st.composite
def record_for(draw: st.DrawFn, cls: type[Record], depth: int = 0) -> str:
    hints = _hints(cls)
    parts = []
    for k in cls._keys:
        if k.internal:
            continue
        present = draw(st.integers(0, 9))
        if present == 0 or (not k.required and present < 4) or depth > 4:
            continue
        parts.append(f"{k.key}: {draw(value_for(hints[k.name], k.fmt, depth))}")
    if draw(st.integers(0, 19)) == 0:
        parts.append(f"{draw(st.sampled_from(['nmae', 'emails', 'Name', 'notes']))}: x")
    return "{" + ", ".join(parts) + "}"


VALID_START = (
    "{candidate: {name: Priya Raman}, company: {name: Northwind}, role: Engineer, "
    "interviews: [{date: 2026-11-18, interviewers: [{name: Marcus Okafor}]}]"
)


@st.composite
def documents(draw: st.DrawFn) -> str:
    """Mostly a valid core with one part generated (so that acceptance is common), sometimes all generated."""
    if draw(st.booleans()):
        return draw(record_for(notes.Notes))
    cls, key_name = draw(
        st.sampled_from(
            [
                (notes.Candidate, "candidate"),
                (notes.Company, "company"),
                (notes.Decision, "decision"),
                (notes.Referrer, "referrer"),
                (notes.Interview, "interviews"),
                (notes.Article, "articles"),
                (notes.OtherOffer, "other_offers"),
                (notes.HistoryEntry, "history"),
                (notes.Interviewer, "interviews"),
            ]
        )
    )
    record = draw(record_for(cls, 1))
    if cls is notes.Interviewer:
        return VALID_START.replace("[{name: Marcus Okafor}]", f"[{record}]") + "}"
    if key_name in ("candidate", "company"):
        return (
            VALID_START.replace(
                f"{key_name}: {{name: " + ("Priya Raman}" if key_name == "candidate" else "Northwind}"),
                f"{key_name}: {record}",
            )
            + "}"
        )
    if key_name in ("interviews", "articles", "other_offers", "history"):
        if key_name == "interviews":
            return VALID_START.split(", interviews:")[0] + f", interviews: [{record}]}}"
        return f"{VALID_START}, {key_name}: [{record}]}}"
    extra = draw(scalar_for(typing.Literal["waiting", "offer", "rejected", "withdrawn"], None))
    return f"{VALID_START}, {key_name}: {record}, status: {extra}}}"


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=documents())
def test_the_schema_accepts_exactly_what_the_loader_accepts(text: str) -> None:
    assert loader_accepts(text) == schema_accepts(text), text


def test_the_generator_finds_both_kinds_of_document() -> None:
    """A property that only ever sees invalid documents would prove little."""
    seen: set[bool] = set()

    @settings(max_examples=200, deadline=None, database=None, derandomize=True)  # the same examples every run
    @given(text=documents())
    def sample(text: str) -> None:
        seen.add(loader_accepts(text))

    sample()
    assert seen == {True, False}


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        ("linkedin: 1.5", False),  # a number to editors: not a web address to either
        ("linkedin: example.org", True),
        ("email: ''", True),  # blank: the key is left out
        ("name: 123", True),  # text keys read numbers as text
        ("name: ''", False),  # a required key left blank
    ],
)
def test_known_disagreements_are_settled(value: str, accepted: bool) -> None:
    text = VALID_START.replace("candidate: {name: Priya Raman}", "candidate: {name: Priya Raman, " + value + "}")
    if value.startswith("name:"):
        text = VALID_START.replace("candidate: {name: Priya Raman}", "candidate: {" + value + "}")
    text += "}"
    assert loader_accepts(text) is accepted
    assert schema_accepts(text) is accepted


def test_the_starter_file_validates_against_the_schema() -> None:
    text = (ROOT / "src" / "followup" / "starter.yaml").read_text(encoding="utf-8").replace("{{TODAY}}", "2026-11-18")
    data = yaml.load(text, Loader=Yaml12Loader)
    errors = [e.message for e in VALIDATOR.iter_errors(data)]
    assert errors == []
