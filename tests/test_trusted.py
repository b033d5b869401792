"""The built-in pack renders in the trusted environment: the same text and the same errors as the sandbox."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest
from tests.conftest import ROOT, SAMPLE_FILES

from followup import notes, packs, render
from followup.errors import FollowupError, TemplateError
from followup.sandbox import Sandbox
from followup.templating import Trusted, environment

CASES = sorted((ROOT / "tests" / "data" / "cases").glob("*.yaml"))
DAYS = (date(2026, 11, 18), date(2026, 12, 20))


def _sandboxed(pack: packs.Pack) -> packs.Pack:
    """The same pack, rendering in the sandbox (in this process: the pack is the built-in one)."""
    other = copy.copy(pack)
    other.__dict__["_environment"] = Sandbox(other)  # where templating.environment keeps a pack's environment
    assert isinstance(environment(other), Sandbox)
    return other


def _drafts(pack: packs.Pack, kind: str, path: Path, today: date, tone: str | None) -> list[str] | str:
    try:
        made = render.render(pack, kind, notes.load(path), today=today, tone=tone)
    except FollowupError as err:
        return f"{type(err).__name__}: {err}"
    return [f"{d.text}{d.warnings}{d.word_warnings}" for d in made]


def test_the_built_in_pack_is_trusted_and_others_are_sandboxed() -> None:
    assert isinstance(environment(packs.find_pack(None)), Trusted)
    assert isinstance(environment(packs.find_pack(ROOT / "samples" / "packs" / "es")), Sandbox)


@pytest.mark.parametrize("path", SAMPLE_FILES + CASES, ids=lambda p: p.stem)
def test_every_kind_and_tone_gives_the_sandbox_s_text(path: Path) -> None:
    trusted = packs.find_pack(None)
    sandboxed = _sandboxed(trusted)
    compared = 0
    for kind in trusted.kinds.values():
        for tone in (None, *(t for t in kind.tones if t != trusted.manifest.tone)):
            for today in DAYS:
                expected = _drafts(sandboxed, kind.name, path, today, tone)
                assert _drafts(trusted, kind.name, path, today, tone) == expected, (kind.name, tone, today)
                compared += isinstance(expected, list)
    assert compared > 10


def _pack_as_if_built_in(tmp_path: Path, template: str) -> packs.Pack:
    (tmp_path / "pack.yaml").write_text("name: builtin\nversion: 1.0.0\n", encoding="utf-8")
    (tmp_path / "thank-you.txt.j2").write_text(template, encoding="utf-8")
    return packs._read_pack(tmp_path, None)  # read with no base: what the built-in pack is


@pytest.mark.parametrize(
    "template",
    [
        "Subject: Hi\n\nDear {{ recipient.first_name }},\n{{ no_such_value }}\n",
        "Subject: Hi\n\n{% for x in [1] %}\n{{ x.nothing.deeper }}\n{% endfor %}\n",
        "Subject: Hi\n\n{{ 1 / 0 }}\n",
        "Subject: Hi\n\n{% include 'missing.txt.j2' %}\n",
        "Subject: Hi\n\n{% for i in range(3) %}\n{{ role * 20000 }}\n{% endfor %}\n",
        "Subject: Hi\n\n{% for x in [1, 2 %}\n",
    ],
    ids=["undefined", "undefined-attribute", "zero-division", "missing-include", "too-long", "syntax"],
)
def test_a_template_error_reads_as_the_sandbox_s(tmp_path: Path, template: str) -> None:
    trusted = _pack_as_if_built_in(tmp_path, template)
    assert isinstance(environment(trusted), Trusted)
    today = DAYS[0]
    expected = _drafts(_sandboxed(trusted), "thank-you", SAMPLE_FILES[0], today, None)
    assert isinstance(expected, str) and expected.startswith(TemplateError.__name__), expected
    assert _drafts(trusted, "thank-you", SAMPLE_FILES[0], today, None) == expected


@pytest.mark.parametrize(
    "body",
    [
        "{{ recipient.name }} {{ recipient.get('first_name') }} {{ recipient.keys() | list | length }}",
        '{% set d = {"items": "a key", "name": "n"} %}{{ d.items is string }} {{ d["items"] }} {{ d.name }}',
        "{{ recipient.items is defined }} {{ recipient.nickname is defined }} {{ (recipient.round).date }}",
        "{{ recipient.nickname }}",
    ],
    ids=["keys", "a-key-named-like-a-method", "defined", "missing-key"],
)
def test_dict_attributes_read_as_the_sandbox_reads_them(tmp_path: Path, body: str) -> None:
    """`d.x` is an attribute of the dict if it has one (`d.items` is the method), else its item, else undefined."""
    trusted = _pack_as_if_built_in(tmp_path, f"Subject: Hi\n\n{body}\n")
    expected = _drafts(_sandboxed(trusted), "thank-you", SAMPLE_FILES[0], DAYS[0], None)
    assert _drafts(trusted, "thank-you", SAMPLE_FILES[0], DAYS[0], None) == expected
    assert ("undefined" in expected) if "nickname }}" in body else isinstance(expected, list)
