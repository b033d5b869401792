"""Hostile template packs: every escape, bomb and loop fails with exit 1, names the template, leaks nothing.

Each pack is written into tmp_path next to a secret file; the real CLI drafts a thank-you
with it. The payload sits on line 3 of the template (after `Subject: x` and a blank line),
so errors must read `Error: PACK/thank-you.txt.j2:3: ...`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

Run = Callable[..., Result]
SECRET = "TOPSECRET-7f3a9c"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the pack that no template may read."""
    path = tmp_path / "secret.txt"
    path.write_text(f"{SECRET}\n", encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def running_worker() -> None:
    """Timings below are of renders: the worker's start-up (a fraction of a second) stays out of them."""
    from followup import sandbox

    sandbox.start_worker()


@pytest.fixture
def notes(write_notes: Callable[..., Path]) -> Path:
    return write_notes()  # one interviewer, no history: no warnings on stderr


def make_pack(tmp_path: Path, payload: str, files: dict[str, str] | None = None) -> Path:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text("name: hostile\nversion: 0.1.0\n", encoding="utf-8")
    (pack / "thank-you.txt.j2").write_text(f"Subject: x\n\n{payload}\n", encoding="utf-8")
    for name, text in (files or {}).items():
        (pack / name).parent.mkdir(parents=True, exist_ok=True)
        (pack / name).write_text(text, encoding="utf-8")
    return pack


def refused(result: Result, prefix: str, *fragments: str) -> None:
    """Exit 1, one `Error:` line starting with prefix, nothing on stdout, no traceback, no secret."""
    assert result.exit_code == 1, (result.stdout[:500], result.stderr[:500])
    assert result.stdout == ""
    assert result.stderr.startswith(prefix), result.stderr[:500]
    assert result.stderr.count("\n") == 1, result.stderr[:1000]  # one clear line
    assert len(result.stderr) < 1000
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    for text in (result.stdout, result.stderr):
        assert "Traceback" not in text
        assert SECRET not in text
        assert "root:x:0:0" not in text
        assert "__builtins__" not in text and "<module " not in text and "os.py" not in text


def draft(run: Run, notes: Path, pack: Path) -> tuple[Result, float]:
    start = time.monotonic()
    result = run("draft", "thank-you", notes, "--pack", pack, "--today", "2026-11-18")
    return result, time.monotonic() - start


# --------------------------------------------------------------------------- escapes


ESCAPES = {
    "str-mro": ("{{ ''.__class__.__mro__ }}", "access to attribute '__class__' of 'str' object is unsafe"),
    "subclasses": ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "unsafe"),
    "cycler-globals": ("{{ cycler.__init__.__globals__ }}", "access to attribute '__init__'"),
    "joiner-globals": ("{{ joiner.__init__.__globals__.os }}", "access to attribute '__init__'"),
    "lipsum-globals": ("{{ lipsum.__globals__['os'].popen('id').read() }}", "access to attribute '__globals__'"),
    "namespace-init": ("{{ namespace.__init__.__globals__ }}", "access to attribute '__init__'"),
    "range-self": ("{{ range.__self__ }}", "access to attribute '__self__'"),
    "template-context": ("{{ self._TemplateReference__context }}", "'_TemplateReference__context'"),
    "type-mro": ("{{ dict.mro() }}", "access to attribute 'mro'"),
    "format-attribute": ("{{ '{0.__class__.__mro__}'.format(1) }}", "unsafe"),
    "date-pattern-attribute": ("{{ today | date('{year.__class__.__mro__}') }}", "a date pattern can use {day}"),
    "getattr-filter": ("{{ ''|attr('__class__') }}", "unsafe"),
    "recipient-mutation": ("{{ recipient.update({'name': 'x'}) }}", "unsafe"),
}


@pytest.mark.parametrize(("payload", "message"), list(ESCAPES.values()), ids=list(ESCAPES))
def test_known_escapes_fail_naming_the_template(
    run: Run, tmp_path: Path, notes: Path, secret: Path, payload: str, message: str
) -> None:
    pack = make_pack(tmp_path, payload)
    result, _ = draft(run, notes, pack)
    refused(result, f"Error: {pack}/thank-you.txt.j2:3: not allowed in a template: ", message)


INCLUDES = {
    "parent": "{% include '../secret.txt' %}",
    "absolute": "{% include '/etc/passwd' %}",
    "builtin-parent": "{% include 'builtin/../../secret.txt' %}",
    "dot-segments": "{% include './../secret.txt' %}",
    "import": "{% import '../secret.txt' as s %}{{ s }}",
    "from-import": "{% from '/etc/passwd' import root %}{{ root }}",
    "extends": "{% extends '../secret.txt' %}",
    "dynamic-name": "{% include '..' ~ '/secret.txt' %}",
}


@pytest.mark.parametrize("payload", list(INCLUDES.values()), ids=list(INCLUDES))
def test_including_a_file_outside_the_pack_fails(
    run: Run, tmp_path: Path, notes: Path, secret: Path, payload: str
) -> None:
    pack = make_pack(tmp_path, payload)
    result, _ = draft(run, notes, pack)
    refused(result, f"Error: {pack}/thank-you.txt.j2:3: template not found: ")


def test_a_template_symlinked_outside_the_pack_is_refused(run: Run, tmp_path: Path, notes: Path, secret: Path) -> None:
    pack = make_pack(tmp_path, "hello")
    (pack / "thank-you.txt.j2").unlink()
    (pack / "thank-you.txt.j2").symlink_to(secret)
    result, _ = draft(run, notes, pack)
    refused(result, f"Error: {pack / 'thank-you.txt.j2'}: points outside the pack (a symlink)")
    check = run("pack", "check", pack)
    refused(check, f"Error: {pack / 'thank-you.txt.j2'}: points outside the pack (a symlink)")


def test_a_tone_variant_symlinked_outside_the_pack_is_refused(
    run: Run, tmp_path: Path, notes: Path, secret: Path
) -> None:
    pack = make_pack(tmp_path, "hello")
    (pack / "thank-you.casual.txt.j2").symlink_to(secret)
    result = run("draft", "thank-you", notes, "--pack", pack, "--tone", "casual")
    refused(result, f"Error: {pack / 'thank-you.casual.txt.j2'}: points outside the pack (a symlink)")


def test_a_partial_symlinked_outside_the_pack_is_refused(run: Run, tmp_path: Path, notes: Path, secret: Path) -> None:
    pack = make_pack(tmp_path, "{% include '_part.txt.j2' %}")
    (pack / "_part.txt.j2").symlink_to(secret)
    result, _ = draft(run, notes, pack)
    refused(result, f"Error: {pack / '_part.txt.j2'}: points outside the pack (a symlink)")


def test_a_shared_partial_symlinked_out_never_falls_back_silently(
    run: Run, tmp_path: Path, notes: Path, secret: Path
) -> None:
    """A pack's _signature.txt.j2 overrides the built-in one: a symlinked one must fail, not be swapped."""
    pack = make_pack(tmp_path, "{% include '_signature.txt.j2' %}")
    (pack / "_signature.txt.j2").symlink_to(secret)
    result, _ = draft(run, notes, pack)
    refused(result, f"Error: {pack / '_signature.txt.j2'}: points outside the pack (a symlink)")


def test_a_partial_in_a_subfolder_symlinked_outside_is_refused(
    run: Run, tmp_path: Path, notes: Path, secret: Path
) -> None:
    pack = make_pack(tmp_path, "{% include 'partials/p.txt.j2' %}")
    (pack / "partials").mkdir()
    (pack / "partials" / "p.txt.j2").symlink_to(secret)
    result, _ = draft(run, notes, pack)
    refused(
        result,
        f"Error: {pack}/thank-you.txt.j2:3: template not found: partials/p.txt.j2 (outside the pack: not allowed)",
    )


def test_a_folder_symlinked_outside_the_pack_is_refused(run: Run, tmp_path: Path, notes: Path, secret: Path) -> None:
    pack = make_pack(tmp_path, "{% include 'out/secret.txt' %}")
    (pack / "out").symlink_to(tmp_path)
    result, _ = draft(run, notes, pack)
    refused(result, f"Error: {pack}/thank-you.txt.j2:3: template not found: out/secret.txt (outside the pack")


def test_pack_yaml_symlinked_outside_the_pack_is_refused(run: Run, tmp_path: Path, notes: Path) -> None:
    outside = tmp_path / "manifest.yaml"
    outside.write_text("name: stolen\nversion: 0.1.0\n", encoding="utf-8")
    pack = make_pack(tmp_path, "hello")
    (pack / "pack.yaml").unlink()
    (pack / "pack.yaml").symlink_to(outside)
    result, _ = draft(run, notes, pack)
    refused(result, f"Error: {pack / 'pack.yaml'}: pack.yaml points outside the pack (a symlink)")


def test_a_pack_folder_that_is_itself_a_symlink_still_works(run: Run, tmp_path: Path, notes: Path) -> None:
    pack = make_pack(tmp_path, "Hello {{ recipient.first_name }}.")
    link = tmp_path / "link"
    link.symlink_to(pack)
    result, _ = draft(run, notes, link)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Subject: x\n\nHello Marcus.\n"


def test_a_template_over_256_kib_is_refused(run: Run, tmp_path: Path, notes: Path) -> None:
    pack = make_pack(tmp_path, "{% include '_signature.txt.j2' %}")
    (pack / "_signature.txt.j2").write_text("x" * 300_000, encoding="utf-8")
    result, _ = draft(run, notes, pack)
    refused(result, f"Error: {pack}/thank-you.txt.j2:3: template not found: _signature.txt.j2 (over 256 KiB")


def test_a_binary_partial_is_refused(run: Run, tmp_path: Path, notes: Path) -> None:
    pack = make_pack(tmp_path, "{% include '_signature.txt.j2' %}")
    (pack / "_signature.txt.j2").write_bytes(b"\xff\xfe\x00binary")
    result, _ = draft(run, notes, pack)
    refused(result, f"Error: {pack}/thank-you.txt.j2:3: template not found: _signature.txt.j2 (not UTF-8")


# --------------------------------------------------------------------------- bombs


BOMBS = {
    "repeat-huge": ("{{ 'x' * 10**9 }}", "built a value over 1024 KiB"),
    "repeat-left": ("{{ 10**9 * 'x' }}", "built a value over 1024 KiB"),
    "list-repeat": ("{{ [1] * 10**9 }}", "built a value over 1024 KiB"),
    "power": ("{{ 9 ** (9 ** 9) }}", "that power is too large"),
    "wide-percent": ("{{ '%999999999s' % 1 }}", "format widths over 9999"),
    "wide-star": ("{{ '%*s' % (999999999, 1) }}", "format widths over 9999"),
    "wide-format-filter": ("{{ '%999999999s' | format(1) }}", "format widths over 9999"),
    "center": ("{{ 'x' | center(10**9) }}", "built a value over 1024 KiB"),
    "date-width": ("{{ today | date('{day:>999999999}') }}", "a date pattern can use {day}"),
    "namespace-tilde": (
        "{% set ns = namespace(s='x') %}{% for i in range(100) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
        "built a value over 1024 KiB",
    ),
    "namespace-plus": (
        "{% set ns = namespace(s='x') %}{% for i in range(100) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
        "built a value over 1024 KiB",
    ),
    "namespace-list": (
        "{% set ns = namespace(s=[1]) %}{% for i in range(100) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
        "built a value over 1024 KiB",
    ),
    "join-method": (
        "{% set ns = namespace(s='x') %}{% for i in range(100) %}{% set ns.s = ns.s.join([ns.s, ns.s]) %}{% endfor %}",
        "built a value over 1024 KiB",
    ),
    "replace-filter": (
        "{% set ns = namespace(s='xx') %}{% for i in range(99) %}{% set ns.s = ns.s|replace('x', ns.s) %}{% endfor %}",
        "built a value over 1024 KiB",
    ),
    "int-squaring": (
        "{% set ns = namespace(n=2**999) %}{% for i in range(60) %}{% set ns.n = ns.n * ns.n %}{% endfor %}",
        "that product is too large",
    ),
    "list-of-one-big-text": ("{{ ['x' * 1000000] * 1000 }}", "built a value over 1024 KiB"),
    "big-text-references-string": (
        "{% set s = 'x' * 1000000 %}{{ [s, s, s, s, s, s, s, s] | string | length }}",
        "built a value over 1024 KiB",
    ),
    "big-text-references-pprint": (
        "{% set s = 'x' * 1000000 %}{{ [s, s, s, s] | pprint | length }}",
        "built a value over 1024 KiB",
    ),
    "big-text-references-tojson": (
        "{% set s = 'x' * 1000000 %}{{ {'a': [s, s, s, s]} | tojson | length }}",
        "built a value over 1024 KiB",
    ),
    "big-text-references-upper": (
        "{% set s = 'x' * 1000000 %}{{ [s, s, s, s] | upper | length }}",
        "built a value over 1024 KiB",
    ),
    "big-text-references-tilde": (
        "{% set s = 'x' * 1000000 %}{{ ('' ~ [s, s, s, s]) | length }}",
        "built a value over 1024 KiB",
    ),
    "big-text-references-percent": (
        "{% set s = 'x' * 1000000 %}{{ ('%s' % ([s, s, s, s],)) | length }}",
        "built a value over 1024 KiB",
    ),
    "big-text-references-format": (
        "{% set s = 'x' * 1000000 %}{{ ('{}'.format([s, s, s, s])) | length }}",
        "built a value over 1024 KiB",
    ),
    "big-text-references-join": (
        "{% set s = 'x' * 1000000 %}{{ ''.join([s, s, s, s]) | length }}",
        "built a value over 1024 KiB",
    ),
    "range-too-long": ("{% for i in range(10**9) %}{% endfor %}", "range() is limited to 100,000 items"),
    "recursion": ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "recursion too deep"),
}


@pytest.mark.parametrize(("payload", "message"), list(BOMBS.values()), ids=list(BOMBS))
def test_bombs_are_stopped_quickly(run: Run, tmp_path: Path, notes: Path, payload: str, message: str) -> None:
    pack = make_pack(tmp_path, payload)
    result, seconds = draft(run, notes, pack)
    refused(result, f"Error: {pack}/thank-you.txt.j2:3: ", message)
    assert seconds < 3, seconds


def test_left_associative_power_is_small_and_allowed(run: Run, tmp_path: Path, notes: Path) -> None:
    """Jinja reads 9**9**9 as (9**9)**9: a 77-digit number, harmless."""
    pack = make_pack(tmp_path, "{{ 9**9**9 }}")
    result, seconds = draft(run, notes, pack)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"Subject: x\n\n{(9**9) ** 9}\n"
    assert seconds < 3


def test_output_over_one_mib_is_stopped(run: Run, tmp_path: Path, notes: Path) -> None:
    pack = make_pack(tmp_path, "{% for i in range(100000) %}{{ 'x' * 100 }}{% endfor %}")
    result, seconds = draft(run, notes, pack)
    refused(result, f"Error: {pack}/thank-you.txt.j2:3: stopped: the template produced more than 1024 KiB of text")
    assert seconds < 3


def test_output_over_one_mib_from_a_partial_names_the_partial(run: Run, tmp_path: Path, notes: Path) -> None:
    partial = "first line\nsecond line\n{% for i in range(100000) %}{{ 'y' * 100 }}{% endfor %}\n"
    pack = make_pack(tmp_path, "{% include '_flood.txt.j2' %}", {"_flood.txt.j2": partial})
    result, _ = draft(run, notes, pack)
    refused(result, f"Error: {pack}/_flood.txt.j2:3: stopped: the template produced more than 1024 KiB of text")


def test_output_over_one_mib_from_a_block_names_its_line(run: Run, tmp_path: Path, notes: Path) -> None:
    pack = make_pack(tmp_path, "")
    (pack / "thank-you.txt.j2").write_text(
        '{% extends "builtin/thank-you.txt.j2" %}\n{% block closing %}\n'
        "{% for i in range(100000) %}{{ 'z' * 100 }}{% endfor %}\n{% endblock %}\n",
        encoding="utf-8",
    )
    result, _ = draft(run, notes, pack)
    refused(result, f"Error: {pack}/thank-you.txt.j2:3: stopped: the template produced more than 1024 KiB of text")


def test_a_template_including_itself_is_stopped(run: Run, tmp_path: Path, notes: Path) -> None:
    pack = make_pack(tmp_path, "{% include 'thank-you.txt.j2' %}")
    result, seconds = draft(run, notes, pack)
    refused(result, f"Error: {pack}/thank-you.txt.j2:3: ", "recursion too deep")
    assert seconds < 3


def test_a_template_extending_itself_is_stopped(run: Run, tmp_path: Path, notes: Path) -> None:
    pack = make_pack(tmp_path, "")
    (pack / "thank-you.txt.j2").write_text("{% extends 'thank-you.txt.j2' %}\n", encoding="utf-8")
    result, seconds = draft(run, notes, pack)
    refused(result, f"Error: {pack}/thank-you.txt.j2:1: ", "recursion too deep")
    assert seconds < 3


def test_hostile_pack_check_fails_naming_the_template(run: Run, tmp_path: Path, secret: Path) -> None:
    pack = make_pack(tmp_path, "{{ cycler.__init__.__globals__ }}")
    result = run("pack", "check", pack)
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert errors[0].startswith(f"Error: {pack}/thank-you.txt.j2:3: not allowed in a template: ")
    assert all(e.startswith("Error: ") for e in errors)
    assert "Traceback" not in result.stderr and SECRET not in result.stderr + result.stdout


def test_limits_do_not_leak_into_the_next_draft(run: Run, tmp_path: Path, notes: Path) -> None:
    """After a stopped render, the same process renders ordinary packs normally."""
    pack = make_pack(tmp_path, "{{ 'x' * 10**9 }}")
    assert draft(run, notes, pack)[0].exit_code == 1
    result = run("draft", "thank-you", notes, "--today", "2026-11-18")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Subject: Thank you")


# --------------------------------------------------------------------------- time


@pytest.mark.slow
def test_a_long_loop_is_stopped_after_five_seconds(run: Run, tmp_path: Path, notes: Path) -> None:
    pack = make_pack(tmp_path, "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
    result, seconds = draft(run, notes, pack)
    refused(result, f"Error: {pack}/thank-you.txt.j2:3: stopped: the template took longer than 5 seconds")
    assert 3.9 < seconds < 5.5, seconds  # the worker's own deadline: 4 s; the parent kills it at 5 s


@pytest.mark.slow
def test_a_loop_without_cooperative_checks_is_stopped_by_the_alarm(run: Run, tmp_path: Path, notes: Path) -> None:
    """Iterating a string calls nothing the sandbox watches: the timer alone must stop it."""
    pack = make_pack(tmp_path, "{% set s = 'x' * 100000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}")
    result, seconds = draft(run, notes, pack)
    refused(result, f"Error: {pack}/thank-you.txt.j2:3: stopped: the template took longer than 5 seconds")
    assert 4.4 < seconds < 5.5, seconds  # the timer fires half a second after the worker's 4 s deadline
