"""The project's own adversarial suite (issue 10): hostile packs and hostile notes.

Every reproduction of the issue is a test here, with the classic sandbox escapes. Each runs
the real CLI on real files and must end in a clear `Error: ...` and exit 1 (or succeed
harmlessly), within the 5-second budget, never a traceback, never a lost byte of the user's.
Packs render in the worker process: after each payload the worker's peak memory is checked
against the 256 MB budget.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest
from click.testing import Result

from followup import sandbox

Run = Callable[..., Result]
SECRET = "TOPSECRET-5e1d0b"
M = 2**61 - 1  # every multiple of it hashes to 0 on 64-bit CPython


@pytest.fixture
def secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(f"{SECRET}\n", encoding="utf-8")
    monkeypatch.setenv("FOLLOWUP_TEST_SECRET", SECRET)  # a template must not read the environment either
    return path


@pytest.fixture(autouse=True)
def running_worker() -> None:
    """Timings below are of renders: the worker's start-up (a fraction of a second) stays out of them."""
    sandbox.start_worker()


@pytest.fixture
def notes(write_notes: Callable[..., Path]) -> Path:
    return write_notes()


def make_pack(tmp_path: Path, payload: str, files: dict[str, str] | None = None) -> Path:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text("name: hostile\nversion: 0.1.0\n", encoding="utf-8")
    (pack / "thank-you.txt.j2").write_text(f"Subject: x\n\n{payload}\n", encoding="utf-8")
    for name, text in (files or {}).items():
        (pack / name).write_text(text, encoding="utf-8")
    return pack


def clean_failure(result: Result, *fragments: str) -> None:
    """Exit 1 with `Error: ...` lines only: no traceback, no secret, nothing on stdout."""
    assert result.exit_code == 1, (result.stdout[:300], result.stderr[:300])
    assert result.stdout == ""
    assert result.stderr.startswith("Error: "), result.stderr[:500]
    assert all(line.startswith("Error: ") for line in result.stderr.splitlines()), result.stderr[:1000]
    assert "Traceback" not in result.stderr and SECRET not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr[:1000]


def worker_peak_bytes() -> int:
    """The worker's peak resident memory (VmHWM), 0 if no worker runs."""
    pid = sandbox.worker_pid()
    if pid is None:
        return 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def draft_with(run: Run, notes: Path, pack: Path) -> tuple[Result, float]:
    start = time.monotonic()
    result = run("draft", "thank-you", notes, "--pack", pack, "--today", "2026-11-18")
    seconds = time.monotonic() - start
    assert seconds < sandbox.MAX_RENDER_SECONDS + 0.5, seconds  # the worker's start included
    assert worker_peak_bytes() < sandbox.MAX_MEMORY_BYTES + 128 * 2**20
    return result, seconds


# --------------------------------------------------------------------------- classic escapes

CLASSIC_ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''.__class__.__base__.__subclasses__() }}",
    "{{ [].__class__.__base__.__subclasses__() }}",
    "{{ ().__class__.__bases__[0].__subclasses__() }}",
    "{{ {}.__class__.__init__.__globals__ }}",
    "{{ config.__class__.__init__.__globals__['os'].popen('id').read() }}",
    "{{ self.__init__.__globals__.__builtins__ }}",
    "{{ self._TemplateReference__context.cycler.__init__.__globals__.os }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__.os.popen('id').read() }}",
    "{{ namespace.__init__.__globals__.os.popen('id').read() }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ lipsum.__globals__.__builtins__.__import__('os').popen('id').read() }}",
    "{{ range.__self__ }}",
    "{{ range.__globals__ }}",
    "{{ dict.__base__.__subclasses__() }}",
    "{{ dict.mro() }}",
    "{{ ''|attr('__class__')|attr('__mro__') }}",
    "{{ ''|attr('\\x5f\\x5fclass\\x5f\\x5f') }}",
    "{{ request.application.__globals__ }}",
    "{{ recipient.__class__ }}",
    "{{ recipient.update({'name': 'x'}) }}",
    "{{ candidate.__class__.__init__.__globals__ }}",
    "{{ candidate.replace.__globals__ }}",
    "{{ candidate.replace(name='x') }}",
    "{{ candidate._keys }}",
    "{{ today.__class__.__subclasses__() }}",
    "{{ interview.format.__class__ }}",
    "{{ '{0.__class__.__mro__}'.format(1) }}",
    "{{ '{0.__class__}'.format_map({}) }}",
    "{{ ''|attr('format') }}",
    "{{ (''|attr('format'))('{0.__class__}', 1) }}",
    "{{ ('{0.year.replace.__globals__[sys].modules[os].environ[FOLLOWUP_TEST_SECRET]}'|attr('format'))(today) }}",
    "{{ '{year.replace.__globals__[sys].modules[os].environ[FOLLOWUP_TEST_SECRET]}'.format(year=today) }}",
    "{{ today | date('{year.replace.__globals__[sys].modules[os].environ[FOLLOWUP_TEST_SECRET]}') }}",
    "{{ today | date('{year.__class__.__mro__}') }}",
    "{{ '%s' % ''.__class__ }}",
    "{{ recipient['__class__'] }}",
    "{{ (recipient|list).__class__ }}",
    "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    "{% set x = ''.__class__ %}{{ x }}",
    "{% macro m() %}{% endmacro %}{{ m.__globals__ }}",
    "{% macro m() %}{% endmacro %}{{ m._func.__globals__ }}",
    "{{ loop }}{% for i in [1] %}{{ loop.__class__ }}{% endfor %}",
    "{{ (1).__class__.__base__.__subclasses__() }}",
    "{{ 'x'.encode('utf-8') }}",
    "{{ (0).to_bytes(4, 'big') }}",
    "{{ {}.fromkeys([1, 2]) }}",
    "{% include '/etc/passwd' %}",
    "{% include '../secret.txt' %}",
    "{% import '../secret.txt' as s %}{{ s }}",
    "{% extends '/etc/passwd' %}",
]


@pytest.mark.parametrize("payload", CLASSIC_ESCAPES)
def test_classic_sandbox_escapes_fail_cleanly(
    run: Run, tmp_path: Path, notes: Path, secret: Path, payload: str
) -> None:
    result, _ = draft_with(run, notes, make_pack(tmp_path, payload))
    clean_failure(result)
    assert "uid=" not in result.stderr and "root:x:0:0" not in result.stderr


def test_a_partial_whose_file_name_holds_code_is_refused(run: Run, tmp_path: Path, notes: Path) -> None:
    """CVE-2024-56201: on Jinja 3.1.3/3.1.4 a file name like this ran its code on `{% from %}`."""
    name = "_{__import__('os').system('touch PWNED')}.txt.j2"
    pack = make_pack(tmp_path, '{% from "' + name + '" import x %}{{ x() }}', {name: "{% macro x() %}y{% endmacro %}"})
    result, _ = draft_with(run, notes, pack)
    clean_failure(result, "template names are letters, digits")
    assert not (tmp_path / "PWNED").exists() and not Path("PWNED").exists()


def test_packs_are_refused_on_an_older_jinja(
    run: Run, tmp_path: Path, notes: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jinja2, "__version__", "3.1.4")
    result, _ = draft_with(run, notes, make_pack(tmp_path, "hello"))
    clean_failure(result, "template packs need Jinja2 3.1.6 or newer (this is 3.1.4")
    builtin = run("draft", "thank-you", notes, "--today", "2026-11-18")  # trusted: still renders
    assert builtin.exit_code == 0, builtin.stderr


# --------------------------------------------------------------------------- limits

LIMITS = {
    "format-width": "{{ '{:>999999999}'.format(1) }}",
    "format-map-width": "{{ '{:>999999999}'.format_map({}) }}",
    "bytes-repeat": "{{ 'x'.encode() * 10**9 }}",
    "to-bytes": "{{ (0).to_bytes(10**9, 'big') }}",
    "percent-mapping-width": "{{ '%(a)999999999s' % {'a': 1} }}",
    "percent-mapping-precision": "{{ '%(a).999999999f' % {'a': 1} }}",
    "percent-mapping-repeat": "{{ ('%(a)s' * 1000) % {'a': 'x' * 10**6} }}",
    "percent-tuple-repeat": "{% set s = 'x' * 10**6 %}{{ ('%s%s%s%s' % (s, s, s, s)) | length }}",
    "format-filter-mapping": "{{ ('%(a)s' * 1000) | format(a='x' * 10**6) }}",
    "expandtabs": "{{ ('\\t' * 500000).expandtabs(2000) }}",
    "wordwrap-joint": "{{ 'x' * 10000 | wordwrap(1, true, 'x' * 10**6) }}",
    "wordwrap-joint-number": "{{ 1 | wordwrap(1, true, 'x' * 10**6) }}",
    "attribute-format": "{{ ('{0.s}' * 2000).format(namespace(s='x' * 10**6)) }}",
    "zfill": "{{ 'x'.zfill(10**9) }}",
    "ljust": "{{ 'x'.ljust(10**9) }}",
    "center-fill": "{{ 'x'.center(10**9, '-') }}",
    "indent-fill": "{{ ('x\\n' * 500000) | indent('y' * 100, true) }}",
    "tojson-indent": "{{ (range(1000)|list) | tojson(indent=100000) }}",
    "set-blocks": (
        "{% set a %}{{ 'x' * 600000 }}{% endset %}{% set b %}{{ a }}{{ a }}{% endset %}"
        "{% set c %}{{ b }}{{ b }}{% endset %}{{ c | length }}"
    ),
    "nested-set-blocks": "{% set a %}" * 30 + "{{ 'x' * 10**6 }}{{ 'x' * 10**6 }}" + "{% endset %}" * 30,
    "macro-output": "{% macro m() %}{{ 'x' * 10**6 }}{{ 'x' * 10**6 }}{% endmacro %}{{ m() | length }}",
    "call-block": "{% macro m() %}{{ caller() }}{{ caller() }}{% endmacro %}{% call m() %}{{ 'x'*10**6 }}{% endcall %}",
    "fromkeys-collisions": "{{ {}.fromkeys(range(0, 60000 * M, M) | list) | length }}",
    "range-too-long": "{% for i in range(10**9) %}{% endfor %}",
    "range-step": "{{ range(0, 10**12, 10) | list | length }}",
}


@pytest.mark.parametrize("payload", list(LIMITS.values()), ids=list(LIMITS))
def test_what_a_template_builds_is_bounded(run: Run, tmp_path: Path, notes: Path, payload: str) -> None:
    pack = make_pack(tmp_path, payload.replace(" M", f" {M}").replace("M)", f"{M})"))
    result, seconds = draft_with(run, notes, pack)
    clean_failure(result, f"Error: {pack}/thank-you.txt.j2")
    assert seconds < 3, seconds


def test_one_long_c_call_is_killed_at_the_deadline(run: Run, tmp_path: Path, notes: Path) -> None:
    """A dict of colliding keys runs about 17 s inside one C call: no check in the sandbox can stop it."""
    pack = make_pack(tmp_path, f"{{{{ dict(range(0, 100000 * {M}, {M}) | batch(2) | list) | length }}}}")
    result, seconds = draft_with(run, notes, pack)
    clean_failure(result, f"Error: {pack}/thank-you.txt.j2: stopped: the template took longer than 5 seconds")
    assert 4.9 < seconds < 5.5, seconds
    (tmp_path / "next").mkdir()
    again = run("draft", "thank-you", notes, "--pack", make_pack(tmp_path / "next", "fine"), "--today", "2026-11-18")
    assert again.exit_code == 0, again.stderr  # a new worker took over
    assert again.stdout == "Subject: x\n\nfine\n"


def test_the_worker_runs_under_an_address_space_limit(run: Run, tmp_path: Path, notes: Path) -> None:
    result, _ = draft_with(run, notes, make_pack(tmp_path, "{{ recipient.first_name }}"))
    assert result.stdout == "Subject: x\n\nMarcus\n"
    pid = sandbox.worker_pid()
    assert pid is not None and pid != os.getpid()
    limits = Path(f"/proc/{pid}/limits").read_text()
    line = next(x for x in limits.splitlines() if x.startswith("Max address space"))
    soft = int(line.split()[3])
    size = int(Path(f"/proc/{pid}/statm").read_text().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    assert size < soft <= size + sandbox.MAX_MEMORY_BYTES + 64 * 2**20
    cpu = next(x for x in limits.splitlines() if x.startswith("Max cpu time"))
    assert cpu.split()[3] != "unlimited"


def test_one_worker_serves_a_whole_run(run: Run, tmp_path: Path, write_notes: Callable[..., Path]) -> None:
    files = [write_notes(name=f"n{i}.yaml") for i in range(5)]
    pack = make_pack(tmp_path, "{{ recipient.first_name }}")
    result = run("draft", "thank-you", *files, "--pack", pack, "--today", "2026-11-18")
    assert result.exit_code == 0, result.stderr
    first = sandbox.worker_pid()
    assert result.stdout.count("Marcus") == 5
    assert run("draft", "thank-you", files[0], "--pack", pack).exit_code == 0
    assert sandbox.worker_pid() == first


NESTING = {
    "for": "{% for i in [1] %}" * 25 + "x" + "{% endfor %}" * 25,
    "if": "{% if true %}" * 100 + "x" + "{% endif %}" * 100,
    "parentheses": "{{ " + "(" * 100 + "1" + ")" * 100 + " }}",
    "brackets": "{{ " + "[" * 300 + "]" * 300 + " }}",
    "filters": "{{ 1" + " | string" * 300 + " }}",
    "macros": "{% macro m() %}" * 30 + "{% endmacro %}" * 30,
    "set-blocks": "{% set a %}" * 40 + "x" + "{% endset %}" * 40,
    "additions": "{{ 1" + " + 1" * 2000 + " }}",
}


@pytest.mark.parametrize("payload", list(NESTING.values()), ids=list(NESTING))
def test_deep_nesting_is_a_clear_template_error(run: Run, tmp_path: Path, notes: Path, payload: str) -> None:
    pack = make_pack(tmp_path, payload)
    result, _ = draft_with(run, notes, pack)
    clean_failure(result, f"Error: {pack}/thank-you.txt.j2:3: syntax error: nested too deeply")


def test_a_lone_surrogate_in_a_template_becomes_a_replacement_character(run: Run, tmp_path: Path, notes: Path) -> None:
    pack = make_pack(tmp_path, "a {{ '\\ud800' }} b")
    result, _ = draft_with(run, notes, pack)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Subject: x\n\na \ufffd b\n"
    for suffix in (".txt", ".eml", ".docx"):
        out = tmp_path / f"out{suffix}"
        written = run("draft", "thank-you", notes, "--pack", pack, "-o", out, "--today", "2026-11-18")
        assert written.exit_code == 0, written.stderr
        assert out.stat().st_size > 0


# --------------------------------------------------------------------------- the bytecode cache


def cache_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def test_the_cache_is_keyed_on_the_jinja_version(
    run: Run, tmp_path: Path, notes: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("FOLLOWUP_CACHE_DIR", str(cache))
    assert run("draft", "thank-you", notes, "--pack", make_pack(tmp_path, "hi"), "--today", "2026-11-18").exit_code == 0
    (folder,) = cache.iterdir()
    assert folder.name.endswith(f"-jinja-{jinja2.__version__}")
    assert cache_files(folder)
    assert folder.stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("problem", ["group-writable", "other-owner", "symlink", "a-file", "unwritable-files"])
def test_an_unusable_cache_means_no_cache_never_a_failure(
    run: Run, tmp_path: Path, notes: Path, monkeypatch: pytest.MonkeyPatch, problem: str
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("FOLLOWUP_CACHE_DIR", str(cache))
    folder = cache / f"templates-{sandbox._CODE_VERSION}-jinja-{jinja2.__version__}"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    if problem == "group-writable":
        folder.mkdir(parents=True)
        folder.chmod(0o775)
    elif problem == "other-owner":
        if os.getuid() != 0:
            pytest.skip("needs root to give the folder away")
        folder.mkdir(parents=True)
        os.chown(folder, 65534, 65534)
    elif problem == "symlink":
        cache.mkdir()
        folder.symlink_to(elsewhere)
    elif problem == "a-file":
        cache.write_text("not a folder", encoding="utf-8")
    else:  # every cache file name taken by a folder: writing fails as on a full disk
        folder.mkdir(parents=True, mode=0o700)
        monkeypatch.setattr(sandbox._QuietCache, "get_bucket", _bucket_into(folder))
    result = run("draft", "thank-you", notes, "--pack", make_pack(tmp_path, "hi"), "--today", "2026-11-18")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Subject: x\n\nhi\n"
    assert not cache_files(elsewhere)
    if problem in ("group-writable", "other-owner"):
        assert not cache_files(folder)


def _bucket_into(folder: Path) -> Callable[..., object]:
    original = jinja2.FileSystemBytecodeCache.get_bucket

    def get_bucket(self: jinja2.FileSystemBytecodeCache, *args: object) -> object:
        bucket = original(self, *args)  # type: ignore[arg-type]
        (folder / self.pattern.replace("%s", bucket.key)).mkdir(exist_ok=True)  # the file cannot be written
        return bucket

    return get_bucket


# --------------------------------------------------------------------------- hostile notes and manifests


def no_traceback(result: Result) -> None:
    assert "Traceback" not in result.stderr + result.stdout
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


@pytest.mark.parametrize("command", ["check", "draft", "plan", "log"])
def test_deep_nesting_in_notes_is_a_clear_error(run: Run, tmp_path: Path, command: str) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("candidate: " + "[" * 400 + "]" * 400 + "\n", encoding="utf-8")
    args = {"check": [], "draft": ["thank-you"], "plan": [], "log": []}[command]
    extra = ["--kind", "call"] if command == "log" else []
    before = path.read_bytes()
    result = run(*([command, *args, path, *extra] if command != "draft" else ["draft", "thank-you", path]))
    no_traceback(result)
    assert result.exit_code == 1
    assert f"Error: {path}:1:" in result.stderr and "nested more than 32 levels deep" in result.stderr
    assert path.read_bytes() == before


def test_deep_nesting_in_one_manifest_does_not_break_pack_list(run: Run, private_config: Path) -> None:
    bad = private_config / "packs" / "deep"
    bad.mkdir(parents=True)
    (bad / "pack.yaml").write_text("name: " + "[" * 400 + "]" * 400 + "\n", encoding="utf-8")
    result = run("pack", "list")
    no_traceback(result)
    assert result.exit_code == 0
    assert "deep  (broken: " in result.stdout and "nested more than 32 levels deep" in result.stdout
    assert "builtin" in result.stdout


def test_a_fifo_is_refused_without_waiting(run: Run, tmp_path: Path) -> None:
    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    start = time.monotonic()
    result = run("check", fifo)
    assert time.monotonic() - start < 2
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {fifo}: is not a regular file (a pipe, device or socket); notes must be a file\n"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused_without_reading_it(run: Run, device: str) -> None:
    result = run("check", device)
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {device}: is not a regular file (a pipe, device or socket); notes must be a file\n"


def test_the_size_limit_holds_for_a_manifest_through_a_device(run: Run, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").symlink_to("/dev/zero")
    result = run("pack", "check", pack)
    no_traceback(result)
    assert result.exit_code == 1
    assert "Error: " in result.stderr


CALENDAR_EDGES = {
    "interview-9999": ("date: 2026-11-18", "date: 9999-12-31"),
    "interview-0001": ("date: 2026-11-18", "date: 0001-01-01"),
    "expected-by-9999": ("role: Data", "decision:\n  expected_by: 9999-12-31\nrole: Data"),
    "follow-up-9999": ("role: Data", "decision:\n  follow_up_ok_after: 9999-12-30\nrole: Data"),
    "deadline-0001": ("role: Data", "other_offers:\n  - company: X\n    deadline: 0001-01-01\nrole: Data"),
    "history-9999": ("role: Data", "history:\n  - date: 9999-12-31\n    kind: call\nrole: Data"),
}


@pytest.mark.parametrize(("old", "new"), list(CALENDAR_EDGES.values()), ids=list(CALENDAR_EDGES))
@pytest.mark.parametrize("command", ["check", "plan", "draft"])
def test_dates_at_the_edges_of_the_calendar_are_errors_not_overflows(
    run: Run, write_notes: Callable[..., Path], old: str, new: str, command: str
) -> None:
    from conftest import MINIMAL

    assert old in MINIMAL
    path = write_notes(MINIMAL.replace(old, new, 1))
    args = ["draft", "check-in", path] if command == "draft" else [command, path]
    result = run(*args, "--today", "2026-11-18") if command != "check" else run(*args)
    no_traceback(result)
    assert result.exit_code == 1, result.stdout
    assert "is out of range: followup takes dates from 1900-01-01 to 2999-12-31" in result.stderr


@pytest.mark.parametrize("today", ["0001-01-01", "9999-12-31", "1899-12-31", "3000-01-01"])
@pytest.mark.parametrize("command", ["plan", "draft"])
def test_today_at_the_edges_of_the_calendar_is_refused(run: Run, notes: Path, today: str, command: str) -> None:
    args = ["plan", notes] if command == "plan" else ["draft", "check-in", notes]
    result = run(*args, "--today", today)
    no_traceback(result)
    assert result.exit_code == 2
    assert f"{today} is out of range" in result.stderr


def test_log_date_at_the_edge_is_refused_and_the_file_kept(run: Run, notes: Path) -> None:
    before = notes.read_bytes()
    result = run("log", notes, "--kind", "call", "--to", "Marcus", "--date", "9999-12-31")
    no_traceback(result)
    assert result.exit_code == 2 and "out of range" in result.stderr
    assert notes.read_bytes() == before


MANIFESTS = {
    "superscript-number": ("kinds:\n  thank-you:\n    max_chars: ²\n", "should be a whole number from 1 to 100000"),
    "arabic-digits": ("kinds:\n  thank-you:\n    max_chars: ٣٠٠\n", "should be a whole number from 1 to 100000"),
    "huge-number": ("kinds:\n  thank-you:\n    max_chars: 999999999\n", "should be a whole number from 1 to 100000"),
    "zero": ("kinds:\n  thank-you:\n    max_chars: 0\n", "should be a whole number from 1 to 100000"),
    "long-file": ("kinds:\n  thank-you:\n    file: " + "a" * 5000 + ".txt.j2\n", "should be a file in the pack"),
    "file-braces": ("kinds:\n  thank-you:\n    file: \"_{__import__('os')}.txt.j2\"\n", "should be a file in the pack"),
    "file-parent": ("kinds:\n  thank-you:\n    file: ../x.txt.j2\n", "should be a file in the pack"),
    "file-absolute": ("kinds:\n  thank-you:\n    file: /etc/passwd\n", "should be a file in the pack"),
    "file-escape": ('kinds:\n  thank-you:\n    file: "a\\e[31m.txt.j2"\n', "should be a file in the pack"),
    "language-escape": ('language: "en\\e]52;c;eA==\\a"\n', "should be a language code"),
    "language-long": ("language: " + "e" * 300 + "\n", "should be a language code"),
}


@pytest.mark.parametrize(("extra", "message"), list(MANIFESTS.values()), ids=list(MANIFESTS))
def test_manifest_values_are_checked(run: Run, tmp_path: Path, notes: Path, extra: str, message: str) -> None:
    pack = make_pack(tmp_path, "hello")
    (pack / "pack.yaml").write_text(f"name: hostile\nversion: 0.1.0\n{extra}", encoding="utf-8")
    for args in (["draft", "thank-you", notes, "--pack", pack], ["pack", "check", pack]):
        result = run(*args)
        no_traceback(result)
        assert result.exit_code == 1
        assert result.stderr.startswith(f"Error: {pack / 'pack.yaml'}:"), result.stderr
        assert message in result.stderr
        assert "\x1b" not in result.stderr and "\x07" not in result.stderr


def test_pack_list_strips_terminal_escapes(run: Run, private_config: Path) -> None:
    pack = private_config / "packs" / "osc"
    pack.mkdir(parents=True)
    (pack / "pack.yaml").write_text(
        'name: "evil\\e]52;c;cm0gLXJmIH4=\\a"\nversion: "1\\e[2J"\n'
        'description: "clip\\e]52;c;cm0gLXJmIH4=\\e\\\\board \\u202egnp.exe\\x9b31m"\n',
        encoding="utf-8",
    )
    broken = private_config / "packs" / "broken"
    broken.mkdir()
    (broken / "pack.yaml").write_text('name: x\nversion: 1\nnope: "\\e[31mred"\n', encoding="utf-8")
    result = run("pack", "list")
    assert result.exit_code == 0, result.stderr
    for char in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert char not in result.stdout
    assert "evil]52;c;cm0gLXJmIH4=" in result.stdout
    assert "broken  (broken: " in result.stdout


def test_errors_quoting_the_notes_strip_terminal_escapes(run: Run, write_notes: Callable[..., Path]) -> None:
    from conftest import MINIMAL

    path = write_notes(MINIMAL.replace("role: Data", 'status: "\\e]0;pwned\\a\\e[31mwaiting"\nrole: Data'))
    result = run("check", path)
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "]0;pwned" in result.stderr


# --------------------------------------------------------------------------- headers and names


HEADERS = ["Bcc: spy@example.org", "Cc: spy@example.org", "Reply-To: spy@example.org", "X-Tracking: 1", "To: x@y.z"]


@pytest.mark.parametrize("header", HEADERS)
@pytest.mark.parametrize("where", ["before", "after"])
def test_a_template_sets_subject_and_nothing_else(
    run: Run, tmp_path: Path, notes: Path, header: str, where: str
) -> None:
    pack = make_pack(tmp_path, "body")
    lines = ["Subject: hi", header] if where == "after" else [header, "Subject: hi"]
    (pack / "thank-you.txt.j2").write_text("\n".join(lines) + "\n\nbody\n", encoding="utf-8")
    line = 2 if where == "after" else 1
    name = header.split(":")[0]
    for fmt in ("eml", "txt"):
        out = tmp_path / f"d.{fmt}"
        result = run("draft", "thank-you", notes, "--pack", pack, "-o", out, "--today", "2026-11-18")
        assert result.exit_code == 1
        assert result.stderr == (
            f"Error: {pack}/thank-you.txt.j2:{line}: `{name}:` is not a header a template may set; only `Subject:`"
            " (recipients, copies and reply addresses come from the notes)\n"
        )
        assert not out.exists()


def test_a_body_line_that_looks_like_a_note_is_still_body(run: Run, tmp_path: Path, notes: Path) -> None:
    pack = make_pack(tmp_path, "")
    (pack / "call-script.txt.j2").write_text("Note: call before noon.\n\nHello.\n", encoding="utf-8")
    result = run("draft", "call-script", notes, "--pack", pack, "--today", "2026-11-18")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Note: call before noon.\n\nHello.\n"


def parse_eml(path: Path) -> object:
    import email
    from email.policy import default

    return email.message_from_bytes(path.read_bytes(), policy=default)


@pytest.mark.parametrize(
    "name",
    ["Okafor <evil@x>, Marcus", 'Marcus "evil@x" Okafor', "Marcus Okafor;evil@x", "Marcus\u202eOkafor <a@b.c>"],
)
def test_a_name_never_becomes_an_address(run: Run, tmp_path: Path, write_notes: Callable[..., Path], name: str) -> None:
    import yaml

    from conftest import MINIMAL

    path = write_notes(MINIMAL.replace("- name: Marcus Okafor", f"- name: {yaml.safe_dump(name).splitlines()[0]}"))
    out = tmp_path / "d.eml"
    result = run("draft", "thank-you", path, "-o", out, "--today", "2026-11-18")
    assert result.exit_code == 0, result.stderr
    message = parse_eml(out)
    assert message["To"].addresses == ()  # type: ignore[index]
    assert [g.display_name for g in message["To"].groups] == [name.replace("\u202e", "")]  # type: ignore[index]
    assert set(message.keys()) == {  # type: ignore[attr-defined]
        *("From", "To", "Subject", "Date", "Message-ID", "X-Unsent", "X-Uniform-Type-Identifier"),
        "X-Mozilla-Draft-Info",
        *("Content-Type", "Content-Transfer-Encoding", "MIME-Version"),
    }


def test_control_characters_never_reach_an_eml_header(
    run: Run, tmp_path: Path, write_notes: Callable[..., Path]
) -> None:
    from conftest import MINIMAL

    text = MINIMAL.replace("name: Priya Raman", 'name: "Priya\\e[31m\\u202e Raman\\x85"').replace(
        "priya@example.org", "priya@example.org"
    )
    path = write_notes(text)
    pack = make_pack(tmp_path, "body")
    (pack / "thank-you.txt.j2").write_text("Subject: hi\x1b[2J\u2066 there\x9b\n\nbody\n", encoding="utf-8")
    out = tmp_path / "d.eml"
    result = run("draft", "thank-you", path, "--pack", pack, "-o", out, "--today", "2026-11-18")
    assert result.exit_code == 0, result.stderr
    message = parse_eml(out)
    assert message["Subject"] == "hi[2J there"  # type: ignore[index]
    assert str(message["From"]) == '"Priya[31m Raman" <priya@example.org>'  # type: ignore[index]
    for char in ("\x1b", "\u202e", "\u2066", "\x9b", "\x85"):
        assert char.encode() not in out.read_bytes()


# --------------------------------------------------------------------------- log loses nothing


def logged(run: Run, path: Path, *args: str) -> Result:
    result = run("log", path, "--kind", "check-in", "--to", "Marcus", "--date", "2026-11-25", *args)
    no_traceback(result)
    return result


def history_of(path: Path) -> list[dict[str, object]]:
    from followup.notes import load

    return [entry.as_dict() for entry in load(path).history]


def test_log_into_flow_history_keeps_the_comment_and_the_entry(run: Run, write_notes: Callable[..., Path]) -> None:
    from conftest import MINIMAL

    path = write_notes(MINIMAL + "history: [ {date: 2026-11-19, kind: thank-you}  # first one\n]\n")
    assert logged(run, path).exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert "# first one\n]" in text
    assert [e["kind"] for e in history_of(path)] == ["thank-you", "check-in"]


def test_log_into_an_empty_flow_list_keeps_its_comment(run: Run, write_notes: Callable[..., Path]) -> None:
    from conftest import MINIMAL

    path = write_notes(MINIMAL + "history: [   # nothing sent yet\n]\nstatus: waiting\n")
    assert logged(run, path).exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert "# nothing sent yet" in text
    assert [e["kind"] for e in history_of(path)] == ["check-in"]


def test_log_reads_what_check_accepts_a_tab_before_a_comment(run: Run, write_notes: Callable[..., Path]) -> None:
    from conftest import MINIMAL

    path = write_notes(MINIMAL.replace("role: Data Platform Engineer", "role: Data Platform Engineer\t# tab first"))
    assert run("check", path).exit_code == 0
    assert logged(run, path).exit_code == 0
    assert "\t# tab first" in path.read_text(encoding="utf-8")
    assert len(history_of(path)) == 1


def test_log_keeps_permissions_and_hard_links(run: Run, write_notes: Callable[..., Path], tmp_path: Path) -> None:
    path = write_notes()
    path.chmod(0o640)
    link = tmp_path / "link.yaml"
    os.link(path, link)
    assert logged(run, path).exit_code == 0
    assert path.stat().st_nlink == 2 and path.stat().st_ino == link.stat().st_ino
    assert len(history_of(link)) == 1
    assert path.stat().st_mode & 0o777 == 0o640
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_log_replaces_atomically_and_keeps_permissions(run: Run, write_notes: Callable[..., Path]) -> None:
    path = write_notes()
    path.chmod(0o600)
    before = path.stat().st_ino
    assert logged(run, path).exit_code == 0
    assert path.stat().st_ino != before  # a new file renamed over the old one: never half written
    assert path.stat().st_mode & 0o777 == 0o600


def test_twenty_concurrent_logs_keep_twenty_entries(write_notes: Callable[..., Path], tmp_path: Path) -> None:
    import subprocess
    import sys

    path = write_notes()
    env = {**os.environ, "FOLLOWUP_CONFIG_DIR": str(tmp_path / "config")}
    command = [sys.executable, "-m", "followup", "log", str(path), "--kind", "call", "--to", "Marcus"]
    processes = [
        subprocess.Popen(
            [*command, "--date", f"2026-11-{i + 1:02d}", "--said", f"call number {i}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        for i in range(20)
    ]
    outcomes = [(p.wait(timeout=60), p.stderr.read().decode() if p.stderr else "") for p in processes]
    for process in processes:
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()
    assert all(code == 0 for code, _ in outcomes), outcomes
    said = sorted(str(e["said"]) for e in history_of(path))
    assert said == sorted(f"call number {i}" for i in range(20))


# --------------------------------------------------------------------------- letterheads


def broken_letterhead(path: Path, how: str) -> None:
    import io
    import zipfile

    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                if how == "no-document":
                    continue
                if how == "not-xml":
                    data = b"<w:document <<< not xml"
                if how == "no-body":
                    data = (
                        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w='
                        b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
                    )
            if info.filename == "word/styles.xml" and how == "bad-styles":
                data = b"<<<"
            out.writestr(info, data)


@pytest.mark.parametrize("how", ["no-document", "not-xml", "no-body", "bad-styles"])
def test_a_malformed_letterhead_is_refused_alike_by_draft_and_pack_check(
    run: Run, tmp_path: Path, notes: Path, how: str
) -> None:
    pack = make_pack(tmp_path, "Dear {{ recipient.first_name }},\n\nBest,\nPriya")
    broken_letterhead(pack / "letterhead.docx", how)
    out = tmp_path / "letter.docx"
    drafted = run("draft", "thank-you", notes, "--pack", pack, "-o", out, "--today", "2026-11-18")
    no_traceback(drafted)
    assert drafted.exit_code == 1
    assert drafted.stderr.startswith(f"Error: {pack / 'letterhead.docx'}: not a usable DOCX letterhead")
    assert not out.exists()
    checked = run("pack", "check", pack, "--today", "2026-11-18")
    no_traceback(checked)
    assert checked.exit_code == 1
    assert f"Error: {pack / 'letterhead.docx'}: not a usable DOCX letterhead" in checked.stderr
    assert " drafts rendered " in checked.stdout  # the check went on to render every kind


def test_pack_check_goes_on_past_a_bad_template(run: Run, tmp_path: Path) -> None:
    pack = make_pack(tmp_path, "{{ ''.__class__ }}")
    (pack / "check-in.txt.j2").write_text("Subject: x\n\n{% for %}\n", encoding="utf-8")
    (pack / "referrer-update.txt.j2").write_text("Subject: x\n\n{{ 'x' * 10**9 }}\n", encoding="utf-8")
    result = run("pack", "check", pack, "--today", "2026-11-18")
    no_traceback(result)
    assert result.exit_code == 1
    errors = result.stderr
    assert f"{pack}/thank-you.txt.j2:3: not allowed in a template" in errors
    assert f"{pack}/check-in.txt.j2:3: syntax error" in errors
    assert f"{pack}/referrer-update.txt.j2:3: stopped: the template built a value over 1024 KiB" in errors
    rendered = int(result.stdout.split(": ")[1].split()[0])
    assert rendered > 10  # every other kind still rendered
