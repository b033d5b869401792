"""Template packs through the real CLI: writing, finding, inheriting, starting, checking, tones, letterheads."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import Result
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Cm, Mm, Pt
from tests.conftest import SAMPLE_FILES, SAMPLES

from followup import packtools
from followup.notes import load
from followup.packs import builtin_pack
from followup.render import render
from followup.situation import Situation

Run = Callable[..., Result]
PANEL = SAMPLES / "panel-with-referrer.yaml"
TODAY = "2026-11-18"
RULE = "-" * 72
BUILTIN = Path(__file__).resolve().parent.parent / "templates"
SPANISH = SAMPLES / "packs" / "es"

SMALLEST_THANK_YOU = """\
Subject: Thanks from {{ candidate.name }}

Hello {{ recipient.first_name }}, thank you for the {{ role }} interview at {{ company.name }}.

Cheers,
{{ candidate.name }}
"""


def make_pack(folder: Path, files: dict[str, str], manifest: str = "name: mine\nversion: 0.1.0\n") -> Path:
    """Write a pack by hand: pack.yaml plus the given files (paths relative to the pack)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(manifest, encoding="utf-8")
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def draft(run: Run, kind: str, notes: Path, *args: str | Path) -> Result:
    return run("draft", kind, notes, "--today", TODAY, *args)


def no_traceback(result: Result) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert result.exception is None or isinstance(result.exception, SystemExit)


# --------------------------------------------------------------------------- the smallest pack


def test_smallest_hand_written_pack_renders_its_thank_you(
    run: Run, write_notes: Callable[..., Path], tmp_path: Path
) -> None:
    pack = make_pack(tmp_path / "mypack", {"thank-you.txt.j2": SMALLEST_THANK_YOU})
    result = draft(run, "thank-you", write_notes(), "--pack", pack)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "Subject: Thanks from Priya Raman\n\n"
        "Hello Marcus, thank you for the Data Platform Engineer interview at Northwind Logistics.\n\n"
        "Cheers,\nPriya Raman\n"
    )
    no_traceback(result)


def test_smallest_pack_one_draft_per_interviewer(run: Run, tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "mypack", {"thank-you.txt.j2": SMALLEST_THANK_YOU})
    result = draft(run, "thank-you", PANEL, "--pack", pack)
    assert result.exit_code == 0, result.stderr
    drafts = result.stdout.split(f"\n{RULE}\n\n")
    assert [re.search(r"^Hello (\w+),", d, re.M).group(1) for d in drafts] == ["Marcus", "Helen", "Sunil"]  # type: ignore[union-attr]


@pytest.mark.parametrize("kind", ["check-in", "thank-you-anyway", "linkedin-invite", "voicemail", "call-script"])
def test_kinds_a_pack_lacks_come_from_the_builtin_pack(run: Run, tmp_path: Path, kind: str) -> None:
    pack = make_pack(tmp_path / "mypack", {"thank-you.txt.j2": SMALLEST_THANK_YOU})
    mine = draft(run, kind, PANEL, "--pack", pack)
    builtin = draft(run, kind, PANEL)
    assert mine.exit_code == builtin.exit_code == 0, mine.stderr
    assert mine.stdout == builtin.stdout and mine.stdout.strip()


def test_kinds_lists_the_packs_kinds_with_inherited_ones(run: Run, tmp_path: Path) -> None:
    pack = make_pack(
        tmp_path / "mypack",
        {
            "thank-you.txt.j2": SMALLEST_THANK_YOU,
            "nudge.txt.j2": "Subject: Hi\n\nJust a nudge, {{ recipient.first_name }}.\n",
        },
        "name: mine\nversion: 0.1.0\nkinds:\n  nudge:\n    description: A tiny nudge.\n",
    )
    result = run("kinds", "--pack", pack)
    assert result.exit_code == 0, result.stderr
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert set(builtin_pack().kinds) <= set(names)
    assert "nudge" in names
    assert "A tiny nudge." in result.stdout
    nudge = draft(run, "nudge", PANEL, "--pack", pack)
    assert nudge.exit_code == 0, nudge.stderr
    assert nudge.stdout == "Subject: Hi\n\nJust a nudge, Marcus.\n"  # a new kind goes to the hiring manager


def test_a_pack_overrides_a_shared_partial_for_builtin_kinds(run: Run, tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "mypack", {"_signature.txt.j2": "Yours truly,\n{{ candidate.name }} (via my pack)\n"})
    result = draft(run, "check-in", PANEL, "--pack", pack)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith("Yours truly,\nPriya Raman (via my pack)\n")


def test_unknown_kind_in_a_pack_lists_the_kinds(run: Run, tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "mypack", {"thank-you.txt.j2": SMALLEST_THANK_YOU})
    result = draft(run, "thank-yu", PANEL, "--pack", pack)
    assert result.exit_code == 1
    assert (
        result.stderr.startswith("Error: ")
        and "no kind `thank-yu` in the mine pack (did you mean `thank-you`?)" in result.stderr
    )
    assert "thank-you" in result.stderr
    no_traceback(result)


def test_an_email_template_without_subject_is_an_error_naming_it(
    run: Run, write_notes: Callable[..., Path], tmp_path: Path
) -> None:
    pack = make_pack(tmp_path / "mypack", {"thank-you.txt.j2": "Hello {{ recipient.first_name }}.\n"})
    result = draft(run, "thank-you", write_notes(), "--pack", pack)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {pack}/thank-you.txt.j2:1: ")
    assert "Subject" in result.stderr
    assert result.stdout == ""


# --------------------------------------------------------------------------- finding packs


def test_pack_by_name_from_the_user_packs_folder(
    run: Run, private_config: Path, write_notes: Callable[..., Path]
) -> None:
    make_pack(
        private_config / "packs" / "mine",
        {"thank-you.txt.j2": SMALLEST_THANK_YOU},
        "name: mine\nversion: 0.2.0\ndescription: My own words.\nlanguage: en-GB\n",
    )
    result = draft(run, "thank-you", write_notes(), "--pack", "mine")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Subject: Thanks from Priya Raman\n\nHello Marcus,")

    listed = run("pack", "list")
    assert listed.exit_code == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0].startswith("builtin  1.0.0  [en]")
    mine = [line for line in lines if line.startswith("mine ")]
    assert len(mine) == 1
    assert "0.2.0" in mine[0] and "[en-GB]" in mine[0] and "My own words." in mine[0]
    assert str(private_config / "packs" / "mine") in mine[0]
    assert str(private_config / "packs") in listed.stderr


def test_pack_list_shows_a_broken_pack_without_failing(run: Run, private_config: Path) -> None:
    make_pack(private_config / "packs" / "good", {}, "name: good\nversion: 1.0.0\n")
    make_pack(private_config / "packs" / "broken", {}, "name: broken\nversoin: 1.0.0\n")
    result = run("pack", "list")
    assert result.exit_code == 0, result.stderr
    assert any(line.startswith("good  1.0.0") for line in result.stdout.splitlines())
    broken = [line for line in result.stdout.splitlines() if line.startswith("broken")]
    assert len(broken) == 1 and "broken:" in broken[0]
    no_traceback(result)


def test_unknown_pack_name_is_an_error(run: Run, private_config: Path) -> None:
    result = draft(run, "thank-you", PANEL, "--pack", "nosuchpack")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: nosuchpack: no such pack folder")
    assert str(private_config / "packs") in result.stderr
    no_traceback(result)


def test_a_folder_without_pack_yaml_is_an_error(run: Run, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = draft(run, "thank-you", PANEL, "--pack", tmp_path / "empty")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {tmp_path / 'empty' / 'pack.yaml'}: no pack.yaml here")


def test_builtin_is_the_default_and_can_be_named(run: Run) -> None:
    default = draft(run, "thank-you", PANEL, "--to", "Marcus")
    named = draft(run, "thank-you", PANEL, "--to", "Marcus", "--pack", "builtin")
    assert default.exit_code == named.exit_code == 0
    assert default.stdout == named.stdout


@pytest.mark.parametrize(
    ("manifest", "line", "column", "message"),
    [
        (
            "name: mine\nversion: 0.1.0\ndescripton: x\n",
            3,
            1,
            "unknown key `descripton` at the top level (did you mean `description`?)",
        ),
        ("name: mine\nversion: [0, 1]\n", 2, 10, "`version` should be a single value, not a list"),
        ("name: mine\nversion:\n  major: 1\n", 3, 3, "`version` should be a single value, not a mapping"),
        ("name: mine\nversion: 0.1.0\nname: other\n", 3, 1, "duplicate key `name`: keep one and delete the other"),
        ("version: 0.1.0\n", 1, 1, "missing required key `name`"),
        (
            "name: mine\nversion: 0.1.0\nkinds:\n  thank-you:\n    max_char: 5\n",
            5,
            5,
            "unknown key `max_char` under `kinds.thank-you` (did you mean `max_chars`?)",
        ),
        (
            "name: mine\nversion: 0.1.0\nkinds:\n  thank-you:\n    max_chars: lots\n",
            5,
            16,
            "`kinds.thank-you.max_chars` should be a whole number",
        ),
        (
            "name: mine\nversion: 0.1.0\nkinds:\n  thank-you:\n    to: everyone\n",
            5,
            9,
            '`kinds.thank-you.to` is "everyone"; use one of',
        ),
        (
            "name: mine\nversion: 0.1.0\nkinds:\n  thank-you:\n    channel: fax\n",
            5,
            14,
            '`kinds.thank-you.channel` is "fax"',
        ),
        ("name: mine\nversion: 0.1.0\nmonths: [Jan, Feb]\n", 3, 9, "`months` needs exactly 12 names, not 2"),
        ("name: mine\nversion: 0.1.0\nweekdays: [Mo]\n", 3, 11, "`weekdays` needs exactly 7 names, not 1"),
        ("name: mine\nversion: 0.1.0\ndate_format: '{dia} {month}'\n", 3, 14, "`date_format` can use {day}"),
        ("name: mine\nversion: 0.1.0\ndate_format: '{day:>999999999}'\n", 3, 14, "`date_format` can use {day}"),
        ("name: mine\nversion: 0.1.0\ndate_format: '{day.__class__}'\n", 3, 14, "`date_format` can use {day}"),
    ],
    ids=[
        "unknown-key",
        "version-list",
        "version-mapping",
        "duplicate-key",
        "missing-name",
        "kind-unknown-key",
        "max-chars-text",
        "bad-audience",
        "bad-channel",
        "months-count",
        "weekdays-count",
        "date-format-field",
        "date-format-width",
        "date-format-attribute",
    ],
)
def test_broken_manifest_names_file_line_and_column(
    run: Run, tmp_path: Path, manifest: str, line: int, column: int, message: str
) -> None:
    pack = make_pack(tmp_path / "mypack", {"thank-you.txt.j2": SMALLEST_THANK_YOU}, manifest)
    for result in (
        draft(run, "thank-you", PANEL, "--pack", pack),
        run("pack", "check", pack),
        run("kinds", "--pack", pack),
    ):
        assert result.exit_code == 1
        assert result.stderr.startswith(f"Error: {pack / 'pack.yaml'}:{line}:{column}: {message}"), result.stderr
        assert result.stdout == ""
        no_traceback(result)


def test_manifest_kind_without_its_template_is_an_error(run: Run, tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "mypack", {}, "name: mine\nversion: 0.1.0\nkinds:\n  nudge:\n    to: referrer\n")
    result = run("kinds", "--pack", pack)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {pack / 'pack.yaml'}: kind `nudge`: template file nudge.txt.j2 is missing")


def test_manifest_can_retune_a_builtin_kind_without_a_template(run: Run, tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "mypack", {}, "name: mine\nversion: 0.1.0\nkinds:\n  thank-you:\n    max_chars: 100\n")
    result = draft(run, "thank-you", PANEL, "--pack", pack, "--to", "Marcus")
    builtin = draft(run, "thank-you", PANEL, "--to", "Marcus")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == builtin.stdout
    assert re.search(
        r"Warning: .*thank-you to Marcus Okafor: the thank-you message is \d+ characters; the limit is 100",
        result.stderr,
    )


def test_manifest_language_words_are_used_for_dates(run: Run, tmp_path: Path) -> None:
    months = "[Jan., Feb., März, Apr., Mai, Juni, Juli, Aug., Sept., Okt., Nov., Dez.]"
    manifest = f"name: de\nversion: 0.1.0\nlanguage: de\ndate_format: '{{day}}. {{month}} {{year}}'\nmonths: {months}\n"
    pack = make_pack(
        tmp_path / "de", {"thank-you.txt.j2": "Subject: Danke\n\nAm {{ interview.date | date }}.\n"}, manifest
    )
    result = draft(run, "thank-you", PANEL, "--pack", pack, "--to", "Marcus")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Subject: Danke\n\nAm 18. Nov. 2026.\n"


# --------------------------------------------------------------------------- inheritance


EXTENDS_CLOSING = """\
{% extends "builtin/thank-you.txt.j2" %}
{% block closing %}
I hope we talk again soon, {{ recipient.first_name }}.

{% endblock %}
"""


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def test_extending_a_builtin_template_overrides_one_block_only(run: Run, tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "mypack", {"thank-you.txt.j2": EXTENDS_CLOSING})
    mine = draft(run, "thank-you", PANEL, "--pack", pack, "--to", "Marcus")
    builtin = draft(run, "thank-you", PANEL, "--to", "Marcus")
    assert mine.exit_code == builtin.exit_code == 0, mine.stderr
    ours, theirs = paragraphs(mine.stdout), paragraphs(builtin.stdout)
    assert len(ours) == len(theirs)
    changed = [i for i, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a != b]
    assert changed == [len(ours) - 2]  # only the closing paragraph, just before the signature
    assert ours[-2] == "I hope we talk again soon, Marcus."
    assert ours[-1] == theirs[-1] and ours[0] == theirs[0]  # same signature, same subject


@pytest.mark.parametrize("block", ["subject", "greeting", "opening", "body", "closing", "signature"])
def test_every_documented_block_can_be_overridden(run: Run, tmp_path: Path, block: str) -> None:
    replacement = {
        "subject": "Subject: A custom subject\n",
        "greeting": "Hey {{ recipient.first_name }}!\n",
        "opening": "CUSTOM OPENING.\n\n",
        "body": "CUSTOM BODY.\n\n",
        "closing": "CUSTOM CLOSING.\n\n",
        "signature": "CUSTOM SIGNATURE\n",
    }[block]
    template = f'{{% extends "builtin/thank-you.txt.j2" %}}\n{{% block {block} %}}\n{replacement}{{% endblock %}}\n'
    pack = make_pack(tmp_path / "mypack", {"thank-you.txt.j2": template})
    result = draft(run, "thank-you", PANEL, "--pack", pack, "--to", "Marcus")
    assert result.exit_code == 0, result.stderr
    expected = replacement.strip().replace("{{ recipient.first_name }}", "Marcus")
    assert expected in result.stdout
    builtin = draft(run, "thank-you", PANEL, "--to", "Marcus").stdout
    assert result.stdout != builtin


def test_extending_a_missing_builtin_template_is_an_error_naming_the_template(run: Run, tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "mypack", {"thank-you.txt.j2": '{% extends "builtin/no-such.txt.j2" %}\n'})
    result = draft(run, "thank-you", PANEL, "--pack", pack, "--to", "Marcus")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {pack}/thank-you.txt.j2:1: template not found: builtin/no-such.txt.j2")
    no_traceback(result)


# --------------------------------------------------------------------------- pack init


def test_pack_init_copies_the_complete_builtin_pack(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "started"
    result = run("pack", "init", folder)
    assert result.exit_code == 0, result.stderr
    copied = {p.name for p in folder.iterdir()}
    builtin_files = {p.name for p in BUILTIN.iterdir() if p.is_file()}
    assert builtin_files <= copied
    assert copied - builtin_files == {"README.md"}
    for name in builtin_files - {"pack.yaml"}:
        assert (folder / name).read_bytes() == (BUILTIN / name).read_bytes(), name
    manifest = (folder / "pack.yaml").read_text(encoding="utf-8")
    assert re.search(r"(?m)^name: started$", manifest)
    assert re.search(r"(?m)^version: 0\.1\.0$", manifest)
    assert f"wrote {len(copied)} files in {folder}" in result.stderr


def test_pack_init_readme_lists_every_context_variable(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "started"
    assert run("pack", "init", folder).exit_code == 0
    readme = (folder / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"(?m)^- `(\w+)`:", readme.split("## What a template sees")[1].split("## ")[0]))
    for name in (
        "candidate",
        "company",
        "role",
        "interviews",
        "interview",
        "decision",
        "referrer",
        "status",
        "articles",
        "other_offers",
        "news",
        "kudos",
        "history",
        "recipient",
        "article",
        "today",
    ):
        assert name in documented, name
    # ...and every name a template actually receives is documented
    notes = load(PANEL)
    kind = builtin_pack().kind("thank-you")
    recipient = render(builtin_pack(), "thank-you", notes, today=notes.interviews[-1].date)[0].recipient
    context = Situation(notes, notes.interviews[-1].date).context(recipient, kind=kind)
    assert set(context) <= documented, set(context) - documented
    for block in ("subject", "greeting", "opening", "body", "closing", "signature"):
        assert block in readme
    assert "pack check" in readme and "builtin/KIND.txt.j2" in readme


def test_pack_init_never_overwrites(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "taken"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    result = run("pack", "init", folder)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {folder} already exists and is not empty")
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"
    again = tmp_path / "again"
    assert run("pack", "init", again).exit_code == 0
    (again / "thank-you.txt.j2").write_text("edited", encoding="utf-8")
    second = run("pack", "init", again)
    assert second.exit_code == 1
    assert (again / "thank-you.txt.j2").read_text(encoding="utf-8") == "edited"


def test_pack_init_into_an_existing_empty_folder(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    result = run("pack", "init", folder)
    assert result.exit_code == 0, result.stderr
    assert (folder / "pack.yaml").is_file()


def test_pack_init_result_passes_pack_check(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "started"
    assert run("pack", "init", folder).exit_code == 0
    result = run("pack", "check", folder, "--today", "2026-11-21")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    match = re.fullmatch(
        r"started: (\d+) drafts rendered \((\d+) kinds, (\d+) notes files\), 0 problems\n", result.stdout
    )
    assert match, result.stdout
    assert int(match[1]) > 0 and int(match[2]) == len(builtin_pack().kinds) and int(match[3]) == len(SAMPLE_FILES)


def test_pack_init_from_another_pack(run: Run, tmp_path: Path) -> None:
    source = make_pack(
        tmp_path / "source",
        {"thank-you.txt.j2": EXTENDS_CLOSING, "thank-you.casual.txt.j2": EXTENDS_CLOSING.replace("soon", "very soon")},
        "name: source\nversion: 3.0.0\ndescription: Somebody's pack.\nkinds:\n  thank-you:\n    max_chars: 2000\n",
    )
    folder = tmp_path / "copy"
    result = run("pack", "init", folder, "--from", source)
    assert result.exit_code == 0, result.stderr
    assert (folder / "thank-you.txt.j2").read_text(encoding="utf-8") == EXTENDS_CLOSING
    assert (folder / "thank-you.casual.txt.j2").is_file()
    assert (folder / "check-in.txt.j2").read_bytes() == (BUILTIN / "check-in.txt.j2").read_bytes()  # complete
    manifest = (folder / "pack.yaml").read_text(encoding="utf-8")
    assert "name: copy" in manifest and "version: 0.1.0" in manifest and "max_chars: 2000" in manifest
    assert "`source` pack" in (folder / "README.md").read_text(encoding="utf-8")
    # the copy behaves exactly like the pack it came from
    for args in (("--to", "Marcus"), ("--to", "Marcus", "--tone", "casual")):
        ours, theirs = (
            draft(run, "thank-you", PANEL, "--pack", folder, *args),
            draft(run, "thank-you", PANEL, "--pack", source, *args),
        )
        assert ours.exit_code == theirs.exit_code == 0, ours.stderr
        assert ours.stdout == theirs.stdout
    kinds_copy, kinds_source = run("kinds", "--pack", folder), run("kinds", "--pack", source)
    assert kinds_copy.stdout == kinds_source.stdout
    assert run("pack", "check", folder).exit_code == 0


def test_pack_init_from_a_user_pack_by_name(run: Run, private_config: Path, tmp_path: Path) -> None:
    make_pack(
        private_config / "packs" / "shared", {"thank-you.txt.j2": SMALLEST_THANK_YOU}, "name: shared\nversion: 1.2.3\n"
    )
    folder = tmp_path / "copy"
    assert run("pack", "init", folder, "--from", "shared").exit_code == 0
    assert (folder / "thank-you.txt.j2").read_text(encoding="utf-8") == SMALLEST_THANK_YOU


def test_pack_init_from_an_unknown_pack_is_an_error(run: Run, tmp_path: Path) -> None:
    result = run("pack", "init", tmp_path / "copy", "--from", "nosuchpack")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: nosuchpack: no such pack folder")
    assert not (tmp_path / "copy").exists()


def test_pack_init_never_copies_what_a_symlink_points_at(run: Run, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-4242", encoding="utf-8")
    source = make_pack(tmp_path / "source", {"thank-you.txt.j2": SMALLEST_THANK_YOU})
    (source / "notes.txt").symlink_to(secret)
    folder = tmp_path / "copy"
    assert run("pack", "init", folder, "--from", source).exit_code == 0
    for path in folder.iterdir():
        assert "TOPSECRET" not in path.read_text(encoding="utf-8"), path


# --------------------------------------------------------------------------- pack check


@pytest.fixture
def started(run: Run, tmp_path: Path) -> Path:
    """A fresh `pack init` copy of the built-in pack."""
    folder = tmp_path / "started"
    assert run("pack", "init", folder).exit_code == 0
    return folder


def edit(path: Path, line: int, text: str) -> None:
    """Replace one line (1-based) of a template."""
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[line - 1] = text
    path.write_text("\n".join(lines), encoding="utf-8")


def line_of(path: Path, pattern: str) -> int:
    for number, text in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if re.search(pattern, text):
            return number
    raise AssertionError(f"{pattern!r} not in {path}")


def check_errors(result: Result) -> list[str]:
    assert result.exit_code == 1, (result.stdout, result.stderr)
    no_traceback(result)
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("Error: ") for line in lines), lines
    assert re.search(r", [1-9]\d* problems?\n$", result.stdout), result.stdout
    return lines


def test_pack_check_undefined_variable_names_file_and_line(run: Run, started: Path) -> None:
    template = started / "check-in.txt.j2"
    line = line_of(template, r"^Dear \{\{ recipient\.greeting_name \}\},$")
    edit(template, line, "Dear {{ recipient.nickname }},")
    errors = check_errors(run("pack", "check", started))
    assert errors[0].startswith(f"Error: {started}/check-in.txt.j2:{line}: undefined: ")
    assert "nickname" in errors[0]
    assert "(check-in, tone warm, notes " in errors[0]


def test_pack_check_undefined_top_level_name(run: Run, started: Path) -> None:
    template = started / "thank-you-anyway.txt.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\nP.S. {{ postscript }}\n", encoding="utf-8")
    line = line_of(template, r"postscript")
    errors = check_errors(run("pack", "check", started))
    assert any(
        e.startswith(f"Error: {started}/thank-you-anyway.txt.j2:{line}: undefined: 'postscript' is undefined")
        for e in errors
    ), errors


def test_pack_check_undefined_variable_in_a_partial_names_the_partial(run: Run, started: Path) -> None:
    partial = started / "_signature.txt.j2"
    line = line_of(partial, r"\{\{ candidate\.name \}\}")
    edit(partial, line, "{{ candidate.full_name }}")
    errors = check_errors(run("pack", "check", started))
    assert errors[0].startswith(f"Error: {started}/_signature.txt.j2:{line}: undefined: ")
    assert "full_name" in errors[0]


def test_pack_check_syntax_error_names_file_and_line(run: Run, started: Path) -> None:
    template = started / "check-in.txt.j2"
    line = line_of(template, r"^Dear \{\{ recipient\.greeting_name \}\},$")
    edit(template, line, "Dear {{ recipient.first_name + }},")
    errors = check_errors(run("pack", "check", started))
    assert errors[0].startswith(f"Error: {started}/check-in.txt.j2:{line}: syntax error: ")
    assert len([e for e in errors if "check-in.txt.j2" in e]) == 1  # reported once, not once per notes file


def test_pack_check_unclosed_block_is_a_syntax_error(run: Run, started: Path) -> None:
    (started / "voicemail.txt.j2").write_text(
        "Hi {{ recipient.first_name }}\n{% if candidate.phone %}\ncall me\n", encoding="utf-8"
    )
    errors = check_errors(run("pack", "check", started))
    assert errors[0].startswith(f"Error: {started}/voicemail.txt.j2:")
    assert "syntax error" in errors[0] and "endif" in errors[0]


def test_pack_check_long_subject_is_reported(run: Run, started: Path) -> None:
    template = started / "check-in.txt.j2"
    line = line_of(template, r"^Subject: ")
    subject = "A very long subject line that goes on and on well past sixty characters"
    edit(template, line, f"Subject: {subject}")
    errors = check_errors(run("pack", "check", started))
    assert errors and all(f"the subject is {len(subject)} characters; keep it to 60 or fewer" in e for e in errors)
    assert all(e.startswith(f"Error: {started}/check-in.txt.j2 (check-in, tone warm, to ") for e in errors)


def test_pack_check_max_chars_is_reported(run: Run, started: Path) -> None:
    manifest = started / "pack.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert "  check-in:\n" in text
    manifest.write_text(text.replace("  check-in:\n", "  check-in:\n    max_chars: 50\n", 1), encoding="utf-8")
    errors = check_errors(run("pack", "check", started))
    assert errors and all(re.search(r"the check-in message is \d+ characters; the limit is 50$", e) for e in errors)
    assert all(e.startswith(f"Error: {started}/check-in.txt.j2 (check-in, tone warm, to ") for e in errors)


def test_pack_check_max_chars_on_an_inherited_kind_names_the_builtin_template(run: Run, tmp_path: Path) -> None:
    manifest = "name: mine\nversion: 0.1.0\nkinds:\n  voicemail:\n    max_chars: 20\n"
    pack = make_pack(tmp_path / "mypack", {}, manifest)
    errors = check_errors(run("pack", "check", pack))
    assert all(e.startswith("Error: builtin/voicemail.txt.j2 (voicemail, tone warm, to ") for e in errors), errors


def test_pack_check_template_printing_none_is_reported(run: Run, started: Path) -> None:
    template = started / "keep-in-touch.txt.j2"
    template.write_text(
        template.read_text(encoding="utf-8") + "\nP.S. {{ decision.next_steps | default(None, true) }}\n",
        encoding="utf-8",
    )
    errors = check_errors(run("pack", "check", started))
    assert any("keep-in-touch.txt.j2" in e and "the draft contains 'None'" in e for e in errors), errors


def test_pack_check_with_extra_notes(run: Run, started: Path, write_notes: Callable[..., Path]) -> None:
    notes = write_notes()
    ok = run("pack", "check", started, "--notes", notes)
    assert ok.exit_code == 0, ok.stderr
    assert f"{len(SAMPLE_FILES) + 1} notes files" in ok.stdout
    bad = write_notes("candidate: {name: X}\n", name="bad.yaml")
    result = run("pack", "check", started, "--notes", bad)
    assert result.exit_code == 1
    assert f"Error: {bad}:" in result.stderr
    no_traceback(result)


def test_pack_check_only_sees_undefined_names_the_given_notes_trigger(
    run: Run, tmp_path: Path, write_notes: Callable[..., Path]
) -> None:
    template = (
        "Subject: Thanks\n\nHello {{ recipient.first_name }}.\n"
        "{% if recipient.connection %}\nWe share {{ recipient.conection }}.\n{% endif %}\n"
    )
    pack = make_pack(tmp_path / "mypack", {"thank-you.txt.j2": template})
    result = run("pack", "check", pack, "--notes", write_notes())
    errors = check_errors(result)  # the samples have a connection: the typo is found
    assert errors[0].startswith(f"Error: {pack}/thank-you.txt.j2:5: undefined: ")


def test_pack_check_of_the_smallest_pack_passes(run: Run, tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "mypack", {"thank-you.txt.j2": SMALLEST_THANK_YOU})
    result = run("pack", "check", pack)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("mine: ") and result.stdout.endswith(", 0 problems\n")


def test_pack_check_missing_folder(run: Run, tmp_path: Path) -> None:
    result = run("pack", "check", tmp_path / "nope")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {tmp_path / 'nope'}: no such pack folder")


def test_pack_check_reports_a_broken_letterhead(run: Run, tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "mypack", {"thank-you.txt.j2": SMALLEST_THANK_YOU})
    (pack / "letterhead.docx").write_bytes(b"this is not a zip file")
    result = run("pack", "check", pack)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {pack / 'letterhead.docx'}: not a DOCX file")
    no_traceback(result)


# --------------------------------------------------------------------------- tones


def test_tones_differ_from_each_other(run: Run) -> None:
    outputs = {}
    for tone in ("warm", "formal", "brief"):
        result = draft(run, "thank-you", PANEL, "--to", "Marcus", "--tone", tone)
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith("Subject: ")
        outputs[tone] = result.stdout
    assert len(set(outputs.values())) == 3
    default = draft(run, "thank-you", PANEL, "--to", "Marcus")
    assert default.stdout == outputs["warm"]
    assert len(outputs["brief"]) < len(outputs["warm"])


def test_unknown_tone_lists_the_tones(run: Run) -> None:
    result = draft(run, "thank-you", PANEL, "--to", "Marcus", "--tone", "sarcastic")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Error: pack builtin has no `sarcastic` tone for thank-you; it offers: brief, formal, warm" in result.stderr
    no_traceback(result)


def test_tone_on_a_kind_without_variants_lists_its_one_tone(run: Run) -> None:
    result = draft(run, "check-in", PANEL, "--tone", "formal")
    assert result.exit_code == 1
    assert "no `formal` tone for check-in; it offers: warm" in result.stderr


CASUAL = """\
{% extends "builtin/thank-you.txt.j2" %}
{% block greeting %}
Hey {{ recipient.first_name }}!
{% endblock %}
"""


def test_a_pack_can_add_a_tone_variant_alone(run: Run, tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "mypack", {"thank-you.casual.txt.j2": CASUAL})
    casual = draft(run, "thank-you", PANEL, "--pack", pack, "--to", "Marcus", "--tone", "casual")
    assert casual.exit_code == 0, casual.stderr
    assert "\n\nHey Marcus!\n\n" in casual.stdout
    for tone in ("warm", "formal", "brief"):  # the built-in tones are still there
        ours = draft(run, "thank-you", PANEL, "--pack", pack, "--to", "Marcus", "--tone", tone)
        theirs = draft(run, "thank-you", PANEL, "--to", "Marcus", "--tone", tone)
        assert ours.exit_code == 0, ours.stderr
        assert ours.stdout == theirs.stdout
    kinds = run("kinds", "--pack", pack)
    assert "(tones: brief, casual, formal, warm)" in kinds.stdout
    unknown = draft(run, "thank-you", PANEL, "--pack", pack, "--tone", "sarcastic")
    assert unknown.exit_code == 1
    assert "it offers: brief, casual, formal, warm" in unknown.stderr
    assert run("pack", "check", pack).exit_code == 0


def test_a_pack_with_its_own_thank_you_adds_a_casual_tone(run: Run, tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "mypack", {"thank-you.txt.j2": SMALLEST_THANK_YOU, "thank-you.casual.txt.j2": CASUAL})
    casual = draft(run, "thank-you", PANEL, "--pack", pack, "--to", "Marcus", "--tone", "casual")
    warm = draft(run, "thank-you", PANEL, "--pack", pack, "--to", "Marcus")
    assert casual.exit_code == warm.exit_code == 0, casual.stderr
    assert "Hey Marcus!" in casual.stdout and "Hey Marcus!" not in warm.stdout
    assert warm.stdout.startswith("Subject: Thanks from Priya Raman")


def test_a_broken_tone_variant_names_its_own_file(run: Run, tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "mypack", {"thank-you.casual.txt.j2": "Subject: Hi\n\nHey {{ recipient.nick }}\n"})
    result = draft(run, "thank-you", PANEL, "--pack", pack, "--to", "Marcus", "--tone", "casual")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {pack}/thank-you.casual.txt.j2:3: undefined: ")
    check = run("pack", "check", pack)
    assert check.exit_code == 1
    assert f"Error: {pack}/thank-you.casual.txt.j2:3: undefined: " in check.stderr
    assert "tone casual" in check.stderr


# --------------------------------------------------------------------------- letterhead


def write_letterhead(path: Path) -> None:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Cm(4), Cm(3)
    section.left_margin, section.right_margin = Cm(3.5), Cm(2)
    section.header.paragraphs[0].text = "ACME LETTERHEAD"
    section.footer.paragraphs[0].text = "ACME Ltd - 1 Road Runner Way"
    style = document.styles.add_style("Acme Body", WD_STYLE_TYPE.PARAGRAPH)
    style.font.size = Pt(13)
    document.styles["Normal"].font.name = "Courier New"
    document.add_paragraph("Placeholder body text from the letterhead", style="Acme Body")
    document.add_paragraph("A second placeholder")
    document.save(str(path))


def page(section: Any) -> tuple[int, ...]:
    return (
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    )


def test_docx_letters_start_from_the_packs_letterhead(run: Run, tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "mypack", {"thank-you.txt.j2": SMALLEST_THANK_YOU})
    write_letterhead(pack / "letterhead.docx")
    out = tmp_path / "x.docx"
    result = draft(run, "thank-you", PANEL, "--pack", pack, "--to", "Marcus", "--format", "docx", "-o", out)
    assert result.exit_code == 0, result.stderr
    letter = docx.Document(str(out))
    section = letter.sections[0]
    assert [p.text for p in section.header.paragraphs] == ["ACME LETTERHEAD"]
    assert [p.text for p in section.footer.paragraphs] == ["ACME Ltd - 1 Road Runner Way"]
    assert page(section) == page(docx.Document(str(pack / "letterhead.docx")).sections[0])  # exactly as saved
    expected = (Mm(210), Mm(297), Cm(4), Cm(3), Cm(3.5), Cm(2))  # A4 and the custom margins (to the twip)
    assert all(abs(got - want) < Mm(0.1) for got, want in zip(page(section), expected, strict=True)), page(section)
    assert page(section) != page(docx.Document().sections[0])
    assert "Acme Body" in {s.name for s in letter.styles}
    assert letter.styles["Normal"].font.name == "Courier New"
    texts = [p.text for p in letter.paragraphs]
    assert not any("placeholder" in t.lower() for t in texts)
    assert texts[0].startswith("Priya Raman")  # the sender block comes first
    assert "Marcus Okafor" in texts[2]  # then the date, then the recipient block
    assert "Hello Marcus, thank you for the Data Platform Engineer interview at Northwind Logistics." in texts
    assert texts[-2:] == ["Cheers,", "Priya Raman"]
    assert len(letter.sections) == 1


def test_docx_without_letterhead_uses_the_default_page(run: Run, tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "mypack", {"thank-you.txt.j2": SMALLEST_THANK_YOU})
    out = tmp_path / "plain.docx"
    result = draft(run, "thank-you", PANEL, "--pack", pack, "--to", "Marcus", "-o", out)
    assert result.exit_code == 0, result.stderr
    letter = docx.Document(str(out))
    assert not any(p.text for p in letter.sections[0].header.paragraphs)
    assert "Hello Marcus, thank you for the Data Platform Engineer interview at Northwind Logistics." in [
        p.text for p in letter.paragraphs
    ]


def test_a_broken_letterhead_is_an_error_not_a_traceback(
    run: Run, write_notes: Callable[..., Path], tmp_path: Path
) -> None:
    pack = make_pack(tmp_path / "mypack", {"thank-you.txt.j2": SMALLEST_THANK_YOU})
    (pack / "letterhead.docx").write_bytes(b"PK\x03\x04 not really")
    out = tmp_path / "x.docx"
    result = draft(run, "thank-you", write_notes(), "--pack", pack, "-o", out)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {pack / 'letterhead.docx'}: not a DOCX file")
    assert not out.exists()
    no_traceback(result)


def test_a_letterhead_symlinked_outside_the_pack_is_refused(
    run: Run, write_notes: Callable[..., Path], tmp_path: Path
) -> None:
    pack = make_pack(tmp_path / "mypack", {"thank-you.txt.j2": SMALLEST_THANK_YOU})
    write_letterhead(tmp_path / "elsewhere.docx")
    (pack / "letterhead.docx").symlink_to(tmp_path / "elsewhere.docx")
    out = tmp_path / "x.docx"
    result = draft(run, "thank-you", write_notes(), "--pack", pack, "-o", out)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {pack / 'letterhead.docx'}: points outside the pack")
    assert not out.exists()


# --------------------------------------------------------------------------- the Spanish sample pack


@pytest.mark.skipif(not (SPANISH / "pack.yaml").is_file(), reason="the Spanish sample pack is not there yet")
def test_spanish_sample_pack_drafts_in_spanish(run: Run) -> None:
    result = draft(run, "thank-you", PANEL, "--pack", SPANISH, "--to", "Marcus")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Subject: ")
    assert "Marcus" in result.stdout
    builtin = draft(run, "thank-you", PANEL, "--to", "Marcus")
    assert result.stdout != builtin.stdout
    assert "noviembre" in draft(run, "check-in", PANEL, "--pack", SPANISH, "--today", "2026-12-02").stdout
    assert packtools.sample_notes()  # pack check renders against the shipped samples


def test_the_builtin_manifest_read_at_start_up_is_the_checked_one(run: Run) -> None:
    """The built-in pack's pack.yaml is read without the checker at every start (it is ours): here it
    goes through the checker every user pack goes through, with the same result and no problem."""
    from followup.packs import builtin_root, read_manifest

    checked = read_manifest(builtin_root())
    assert builtin_pack().manifest == checked
    assert checked.kinds["linkedin-invite"].max_chars == 200  # not a vacuous comparison of empty records
    result = run("pack", "check", str(builtin_root()))
    assert result.exit_code == 0, result.stderr
