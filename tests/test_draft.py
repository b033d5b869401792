"""`followup draft`: the real CLI on real notes files, stdout, files, folders and refusals."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from click.testing import Result
from tests.conftest import MINIMAL, SAMPLES

PANEL = SAMPLES / "panel-with-referrer.yaml"
RULE = "-" * 72

Run = Callable[..., Result]


def test_thank_you_to_stdout_one_per_interviewer(run: Run) -> None:
    result = run("draft", "thank-you", PANEL, "--today", "2026-11-18")
    assert result.exit_code == 0, result.stderr
    drafts = result.stdout.split(f"\n{RULE}\n\n")
    assert len(drafts) == 3
    assert [re.search(r"^Dear (.+),$", d, re.M).group(1) for d in drafts] == ["Marcus", "Dr. Park", "Sunil"]  # type: ignore[union-attr]
    for text in drafts:
        assert text.startswith("Subject: ")
        assert text.split("\n")[1] == ""  # header block, blank line, body
        assert "today" in text  # a same-day note says so


def test_to_selects_one_person_by_first_or_full_name(run: Run) -> None:
    by_first = run("draft", "thank-you", PANEL, "--to", "helen", "--today", "2026-11-18")
    by_full = run("draft", "thank-you", PANEL, "--to", "Dr. Helen Park", "--today", "2026-11-18")
    assert by_first.exit_code == by_full.exit_code == 0
    assert by_first.stdout == by_full.stdout
    assert "Dear Dr. Park," in by_first.stdout and RULE not in by_first.stdout


def test_unknown_to_is_an_error_listing_people(run: Run) -> None:
    result = run("draft", "thank-you", PANEL, "--to", "Lena Vogt")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: {PANEL}: nobody called 'Lena Vogt' in these notes; people here: ")
    assert "Marcus Okafor" in result.stderr


def test_generic_note_warns_on_stderr(run: Run) -> None:
    result = run("draft", "thank-you", SAMPLES / "afternoon-phone-no-date.yaml", "--today", "2026-11-20")
    assert result.exit_code == 0
    assert "nothing usable under `discussed` for Karen Dubois: the note will be generic" in result.stderr
    assert "Dear Karen," in result.stdout


def test_output_folder_one_file_per_draft(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "drafts"
    result = run("draft", "thank-you", PANEL, "-o", out, "--today", "2026-11-18")
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "panel-with-referrer-thank-you-dr-helen-park.txt",
        "panel-with-referrer-thank-you-marcus-okafor.txt",
        "panel-with-referrer-thank-you-sunil-bhatt.txt",
    ]
    text = (out / names[1]).read_text(encoding="utf-8")
    assert text.startswith("Subject: ") and "Dear Marcus," in text


def test_existing_files_are_never_overwritten_without_force(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "drafts"
    assert run("draft", "thank-you", PANEL, "-o", out).exit_code == 0
    target = out / "panel-with-referrer-thank-you-marcus-okafor.txt"
    target.write_text("my edits", encoding="utf-8")
    refused = run("draft", "thank-you", PANEL, "-o", out)
    assert refused.exit_code == 1
    assert "already exist" in refused.stderr and "--force" in refused.stderr
    assert target.read_text(encoding="utf-8") == "my edits"
    forced = run("draft", "thank-you", PANEL, "-o", out, "--force")
    assert forced.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("Subject: ")
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary files left behind


def test_single_file_output_and_its_usage_errors(run: Run, tmp_path: Path) -> None:
    one = tmp_path / "marcus.txt"
    assert run("draft", "thank-you", PANEL, "--to", "Marcus", "-o", one).exit_code == 0
    assert one.read_text(encoding="utf-8").startswith("Subject: Thank you")
    several = run("draft", "thank-you", PANEL, "-o", tmp_path / "all.txt")
    assert several.exit_code == 2
    assert "3 drafts" in several.stderr and "-o FOLDER" in several.stderr
    assert not (tmp_path / "all.txt").exists()
    docx_to_stdout = run("draft", "thank-you", PANEL, "--format", "docx")
    assert docx_to_stdout.exit_code == 2
    assert "needs -o" in docx_to_stdout.stderr
    mismatch = run("draft", "thank-you", PANEL, "--format", "eml", "-o", tmp_path / "x.docx")
    assert mismatch.exit_code == 2


def test_unknown_kind_and_bad_date_are_errors(run: Run) -> None:
    unknown = run("draft", "thank-yuo", PANEL)
    assert unknown.exit_code == 1
    assert "no kind `thank-yuo`" in unknown.stderr and "thank-you" in unknown.stderr
    bad_date = run("draft", "thank-you", PANEL, "--today", "21/11/2026")
    assert bad_date.exit_code == 2
    assert "YYYY-MM-DD" in bad_date.stderr


def test_bad_notes_exit_1_with_position_and_no_traceback(run: Run, write_notes: Callable[..., Path]) -> None:
    path = write_notes(MINIMAL.replace("time: 10:30", "time: 10:75"))
    result = run("draft", "thank-you", path)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith(f"Error: {path}:9:11: `interviews[1].time` is not a valid time")
    assert "Traceback" not in result.stderr


def test_batch_keeps_going_past_a_bad_file(run: Run, write_notes: Callable[..., Path], tmp_path: Path) -> None:
    write_notes(name="batch/a.yaml")
    write_notes("candidate: {}\n", name="batch/b.yaml")
    write_notes(MINIMAL.replace("Marcus Okafor", "Lena Vogt"), name="batch/c.yaml")
    out = tmp_path / "out"
    result = run("draft", "thank-you", tmp_path / "batch", "-o", out)
    assert result.exit_code == 1
    assert "b.yaml" in result.stderr and "missing required key `candidate.name`" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["a-thank-you-marcus-okafor.txt", "c-thank-you-lena-vogt.txt"]


def test_names_are_safe_and_unique(run: Run, write_notes: Callable[..., Path], tmp_path: Path) -> None:
    hostile = MINIMAL.replace("name: Marcus Okafor", 'name: "../../etc/passwd"').replace(
        "        hiring_manager: true",
        '        hiring_manager: true\n      - name: "..\\\\..\\\\x"\n      - name: "CON"',
    )
    write_notes(hostile, name="in/one.yaml")
    write_notes(hostile, name="in2/one.yaml")
    out = tmp_path / "out"
    result = run("draft", "thank-you", tmp_path / "in", tmp_path / "in2", "-o", out)
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 6 == len(set(names))
    assert all(re.fullmatch(r"[a-z0-9-]+\.txt", n) for n in names), names
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "in2", "out"]


def test_docx_letter_reads_back(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "letter.docx"
    result = run("draft", "thank-you-anyway", SAMPLES / "rejection.yaml", "-o", path, "--today", "2026-11-17")
    assert result.exit_code == 0, result.stderr
    paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
    assert paragraphs[0].startswith("Aisha Bello\n")  # sender block with contact details
    assert "aisha.bello@example.org" in paragraphs[0]
    assert paragraphs[1] == "November 17, 2026"
    assert paragraphs[2].startswith("Ruth Calloway\n") and "Cedar Hollow Conservancy" in paragraphs[2]
    assert paragraphs[3] == "Dear Ruth,"
    assert paragraphs[-2] == "Kind regards,"
    assert paragraphs[-1] == "Aisha Bello"
    assert any("apply again" in p or "future openings" in p for p in paragraphs)


def test_folder_of_docx_letters(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "letters"
    result = run("draft", "thank-you", PANEL, "-o", out, "--format", "docx")
    assert result.exit_code == 0, result.stderr
    files = sorted(out.glob("*.docx"))
    assert len(files) == 3
    for file in files:
        assert any(p.text.startswith("Dear ") for p in docx.Document(str(file)).paragraphs)


@pytest.mark.parametrize("kind", ["thank-you", "check-in", "thank-you-anyway", "article-share"])
def test_core_kinds_render_on_the_long_wait_sample(run: Run, kind: str) -> None:
    result = run("draft", kind, SAMPLES / "long-wait-articles.yaml", "--today", "2026-11-21")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Subject: ")


def test_blank_required_values_are_errors_not_crashes(run: Run, write_notes: Callable[..., Path]) -> None:
    path = write_notes(MINIMAL.replace("role: Data Platform Engineer", 'role: ""').replace("Marcus Okafor", '"  "'))
    for command in ("check", "plan"):
        result = run(command, path)
        assert result.exit_code == 1
        assert f"Error: {path}:6:7: `role` is required; give it a value" in result.stderr
        assert "`interviews[1].interviewers[1].name` is required" in result.stderr
    assert run("draft", "thank-you", path).exit_code == 1


def test_an_empty_folder_and_an_unusable_output_folder_are_reported(run: Run, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run("draft", "thank-you", tmp_path / "empty")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'empty'}: no *.yaml notes files in this folder\n"
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    blocked = run("draft", "thank-you", PANEL, "-o", tmp_path / "plain" / "sub")
    assert blocked.exit_code == 1
    assert f"Error: {tmp_path / 'plain' / 'sub'}: cannot create this folder" in blocked.stderr


def test_phone_and_linkedin_kinds_are_not_email_drafts(run: Run, tmp_path: Path) -> None:
    for kind in ("voicemail", "call-script", "linkedin-invite"):
        result = run("draft", kind, PANEL, "--format", "eml", "-o", tmp_path / "out")
        assert result.exit_code == 2
        assert "not an e-mail" in result.stderr
    assert not (tmp_path / "out").exists()


def test_surname_only_names_keep_their_title_and_file_names_spell_letters_out(
    run: Run, write_notes: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_notes(MINIMAL.replace("Marcus Okafor", "Mr. Okonkwo") + "      - name: Søren Łukasz\n")
    out = tmp_path / "out"
    assert run("draft", "thank-you", path, "-o", out).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "notes-thank-you-mr-okonkwo.txt",
        "notes-thank-you-soren-lukasz.txt",
    ]
    assert "Dear Mr. Okonkwo," in (out / "notes-thank-you-mr-okonkwo.txt").read_text(encoding="utf-8")
