"""`followup draft due`: a cohort's due steps drafted in their natural formats, nothing advised against, once."""

from __future__ import annotations

import email
import os
from collections.abc import Callable
from email.policy import default
from pathlib import Path

import pytest
from click.testing import Result

Run = Callable[..., Result]
TODAY = "2026-12-01"  # a Tuesday

HEAD = """\
candidate:
  name: {who}
  email: {slug}@example.org
  phone: "+1 415 555 0100"
company:
  name: {company}
role: Data Analyst
interviews:
  - date: {held}
    time: "10:00"
    interviewers:
      - name: Marcus Okafor
        email: marcus@example.com
        hiring_manager: true
        discussed:
          - the data platform
"""

COHORT = {
    # rejected: the gracious last note is due now; follow-ups are held back
    "rejected": (
        "Ana Ruiz",
        "Acme",
        "2026-11-10",
        "status: rejected\nhistory:\n  - {date: 2026-11-10, kind: thank-you, to: Marcus Okafor}\n",
    ),
    # written off: a check-in and a call unanswered, the call a week old: move on, nothing drafted
    "written-off": (
        "Ben Cole",
        "Brightline",
        "2026-11-02",
        "history:\n"
        "  - {date: 2026-11-02, kind: thank-you, to: Marcus Okafor}\n"
        "  - {date: 2026-11-10, kind: check-in, to: Marcus Okafor}\n"
        "  - {date: 2026-11-18, kind: call, to: Marcus Okafor, outcome: voicemail}\n",
    ),
    # a competing offer whose deadline comes before their likely decision: an update request now
    "competing-offer": (
        "Cai Wen",
        "Contoso",
        "2026-11-24",
        "decision:\n  expected_by: 2026-12-10\n"
        "other_offers:\n  - {company: Globex, deadline: 2026-12-04}\n"
        "history:\n  - {date: 2026-11-24, kind: thank-you, to: Marcus Okafor}\n",
    ),
    # a long wait: an article to share, 28 days after the last message (overdue)
    "long-wait": (
        "Dee Park",
        "Dunmore",
        "2026-10-20",
        "articles:\n"
        "  - {title: Streaming at scale, url: 'https://example.org/streaming', note: it is about your plan}\n"
        "history:\n  - {date: 2026-10-20, kind: thank-you, to: Marcus Okafor}\n"
        "  - {date: 2026-10-28, kind: check-in, to: Marcus Okafor}\n"
        "  - {date: 2026-10-30, kind: reply, from: Marcus Okafor, tone: positive, said: Still deciding.}\n",
    ),
    # they asked to be checked in with today
    "asked": (
        "Eli Moss",
        "Evergreen",
        "2026-11-16",
        "decision:\n  follow_up_ok_after: 2026-12-01\n"
        "history:\n  - {date: 2026-11-16, kind: thank-you, to: Marcus Okafor}\n",
    ),
    # a check-in with no reply in 5 business days: one phone call (a script and a voicemail)
    "call": (
        "Fay Lin",
        "Fabrikam",
        "2026-11-09",
        "history:\n"
        "  - {date: 2026-11-09, kind: thank-you, to: Marcus Okafor}\n"
        "  - {date: 2026-11-20, kind: check-in, to: Marcus Okafor}\n",
    ),
    # an offer: nothing further
    "offer": ("Gus Hart", "Globex", "2026-11-20", "status: offer\n"),
    # a panel this morning: a thank-you to each interviewer today
    "panel": ("Hal Ito", "Hooli", "2026-12-01", ""),
}
PANEL_EXTRA = """\
      - name: Lena Vogt
        email: lena@example.com
        discussed:
          - dashboards that have owners
"""

DUE_TODAY = [
    "asked-check-in-marcus-okafor.eml",
    "call-call-script-marcus-okafor.txt",
    "call-voicemail-marcus-okafor.txt",
    "competing-offer-update-request-marcus-okafor.eml",
    "long-wait-article-share-marcus-okafor.eml",
    "panel-thank-you-lena-vogt.eml",
    "panel-thank-you-marcus-okafor.eml",
    "rejected-thank-you-anyway-marcus-okafor.eml",
]


@pytest.fixture
def cohort(tmp_path: Path) -> Path:
    folder = tmp_path / "cohort"
    folder.mkdir()
    for name, (who, company, held, rest) in COHORT.items():
        text = HEAD.format(who=who, slug=who.split()[0].lower(), company=company, held=held)
        if name == "panel":
            text += PANEL_EXTRA
        (folder / f"{name}.yaml").write_text(text + rest, encoding="utf-8")
    return folder


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), os.stat(p).st_mtime_ns) for p in sorted(folder.iterdir())}


def test_a_cohort_gives_exactly_the_due_drafts(run: Run, cohort: Path, tmp_path: Path) -> None:
    out = tmp_path / "outbox"
    result = run("draft", "due", cohort, "-o", out, "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == DUE_TODAY
    lines = result.stdout.splitlines()
    # one line per draft: the file, the kind, for whom, due when and why
    assert (
        f"drafted {out / 'call-voicemail-marcus-okafor.txt'}: voicemail to Marcus Okafor for Fay Lin (Fabrikam), "
        "due 2026-11-27, overdue: With no reply to your check-in of 2026-11-20 within 5 business days"
        in "\n".join(lines)
    )
    assert (
        f"drafted {out / 'asked-check-in-marcus-okafor.eml'}: check-in to Marcus Okafor for Eli Moss (Evergreen), "
        "due 2026-12-01: They asked you to check in on 2026-12-01, so do exactly that." in lines
    )
    assert sum(line.startswith("drafted ") for line in lines) == len(DUE_TODAY)
    # what was held back, and why
    skipped = [line for line in lines if line.startswith("skipped ")]
    assert [line.split(":")[0] for line in skipped] == [
        f"skipped every message for Gus Hart (Globex, {cohort / 'offer.yaml'})",
        f"skipped follow-ups for Ana Ruiz (Acme, {cohort / 'rejected.yaml'})",
        f"skipped follow-ups for Ben Cole (Brightline, {cohort / 'written-off.yaml'})",
    ]
    assert "Time to move on: no reply in the 7 days since your phone call of 2026-11-18" in skipped[2]
    assert lines[-1].startswith(f"{len(DUE_TODAY)} drafted in {out}, 0 already there; ")
    assert lines[-1].endswith(" not due today (`followup plan` lists them); 3 skipped")


def test_the_drafts_are_in_their_natural_formats(run: Run, cohort: Path, tmp_path: Path) -> None:
    out = tmp_path / "outbox"
    assert run("draft", "due", cohort, "-o", out, "--today", TODAY).exit_code == 0
    anyway = email.message_from_bytes(
        (out / "rejected-thank-you-anyway-marcus-okafor.eml").read_bytes(), policy=default
    )
    assert anyway["To"] == "Marcus Okafor <marcus@example.com>"
    assert anyway["From"] == "Ana Ruiz <ana@example.org>"
    assert anyway["X-Unsent"] == "1" and anyway["Message-ID"].endswith(".followup@example.org>")
    assert "Marcus" in anyway.get_content()
    script = (out / "call-call-script-marcus-okafor.txt").read_text(encoding="utf-8")
    voicemail = (out / "call-voicemail-marcus-okafor.txt").read_text(encoding="utf-8")
    assert not script.startswith("Subject:") and not voicemail.startswith("Subject:")
    assert "+1 415 555 0100" in voicemail  # the voicemail leaves the candidate's number


def test_docx_when_asked(run: Run, cohort: Path, tmp_path: Path) -> None:
    import docx

    out = tmp_path / "letters"
    result = run(
        "draft", "due", cohort / "rejected.yaml", cohort / "call.yaml", "-o", out, "--format", "docx", "--today", TODAY
    )
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "call-call-script-marcus-okafor.docx",
        "call-voicemail-marcus-okafor.docx",
        "rejected-thank-you-anyway-marcus-okafor.docx",
    ]
    letter = docx.Document(str(out / "rejected-thank-you-anyway-marcus-okafor.docx"))
    assert letter.paragraphs[0].text.startswith("Ana Ruiz")


def test_a_second_run_writes_nothing(run: Run, cohort: Path, tmp_path: Path) -> None:
    out = tmp_path / "outbox"
    assert run("draft", "due", cohort, "-o", out, "--today", TODAY).exit_code == 0
    (out / "panel-thank-you-lena-vogt.eml").write_text("my own edits\n")  # the user edited one draft
    before = snapshot(out)
    again = run("draft", "due", cohort, "-o", out, "--today", TODAY)
    assert again.exit_code == 0, again.stderr
    assert snapshot(out) == before
    assert sum(line.startswith("already drafted ") for line in again.stdout.splitlines()) == len(DUE_TODAY)
    assert again.stdout.splitlines()[-1].startswith(f"0 drafted in {out}, {len(DUE_TODAY)} already there; ")
    # a draft the user deleted comes back; the rest stay as they are
    (out / "asked-check-in-marcus-okafor.eml").unlink()
    third = run("draft", "due", cohort, "-o", out, "--today", TODAY)
    assert third.stdout.splitlines()[-1].startswith(f"1 drafted in {out}, {len(DUE_TODAY) - 1} already there; ")
    assert (out / "panel-thank-you-lena-vogt.eml").read_text() == "my own edits\n"


def test_force_replaces(run: Run, cohort: Path, tmp_path: Path) -> None:
    out = tmp_path / "outbox"
    assert run("draft", "due", cohort / "panel.yaml", "-o", out, "--today", TODAY).exit_code == 0
    (out / "panel-thank-you-lena-vogt.eml").write_text("stale\n")
    result = run("draft", "due", cohort / "panel.yaml", "-o", out, "--today", TODAY, "--force")
    assert result.exit_code == 0
    assert (out / "panel-thank-you-lena-vogt.eml").read_text() != "stale\n"


def test_within_days_takes_the_coming_steps(run: Run, cohort: Path, tmp_path: Path) -> None:
    out = tmp_path / "outbox"
    result = run("draft", "due", cohort / "panel.yaml", "-o", out, "--today", TODAY, "--within", "7")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "panel-check-in-marcus-okafor.eml",  # a week after the interview: 2026-12-08
        "panel-thank-you-lena-vogt.eml",
        "panel-thank-you-marcus-okafor.eml",
    ]
    assert "check-in to Marcus Okafor for Hal Ito (Hooli), due 2026-12-08: " in result.stdout
    assert result.stdout.splitlines()[-1] == (
        f"3 drafted in {out}, 0 already there; "
        "0 later steps not due within 7 days (`followup plan` lists them); 0 skipped"
    )


def test_without_an_outbox_the_drafts_are_printed(run: Run, cohort: Path) -> None:
    result = run("draft", "due", cohort / "panel.yaml", cohort / "offer.yaml", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("Subject: ") == 2
    assert result.stdout.startswith("Subject: ") and "Dear Marcus," in result.stdout and "Dear Lena," in result.stdout
    assert result.stderr.splitlines()[0].startswith("skipped every message for Gus Hart")
    assert "drafted thank-you to Lena Vogt for Hal Ito (Hooli), due 2026-12-01: " in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "one.eml"], "-o needs a folder"),
        (["--to", "Marcus"], "draft due drafts each due step for its own recipient"),
        (["--format", "eml"], "--format eml needs -o OUTBOX"),
    ],
)
def test_usage_errors(run: Run, cohort: Path, args: list[str], message: str) -> None:
    result = run("draft", "due", cohort, *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_within_belongs_to_due(run: Run, cohort: Path) -> None:
    result = run("draft", "thank-you", cohort / "panel.yaml", "--within", "3")
    assert result.exit_code == 2
    assert "--within goes with `followup draft due`" in result.stderr


def test_bad_notes_are_reported_and_the_rest_drafted(run: Run, cohort: Path, tmp_path: Path) -> None:
    (cohort / "broken.yaml").write_text("candidate: [\n")
    out = tmp_path / "outbox"
    result = run("draft", "due", cohort, "-o", out, "--today", TODAY)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {cohort / 'broken.yaml'}:")
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in out.iterdir()) == DUE_TODAY


def message_id(path: Path) -> str:
    return str(email.message_from_bytes(path.read_bytes(), policy=default)["Message-ID"])


def test_message_ids_stay_until_the_history_says_a_message_went_out(run: Run, cohort: Path, tmp_path: Path) -> None:
    """Push recognises a re-drafted draft by its Message-ID: the same case, kind, recipient and round give the same
    one; logging one person's thank-you leaves the others' as they were; a logged check-in makes the next one new."""
    panel = cohort / "panel.yaml"
    assert run("draft", "due", panel, "-o", tmp_path / "one", "--today", TODAY).exit_code == 0
    lena = message_id(tmp_path / "one" / "panel-thank-you-lena-vogt.eml")
    marcus = message_id(tmp_path / "one" / "panel-thank-you-marcus-okafor.eml")
    assert lena != marcus and lena.endswith(".followup@example.org>")
    assert run("log", panel, "--kind", "thank-you", "--to", "Marcus Okafor", "--date", TODAY).exit_code == 0
    assert run("draft", "due", panel, "-o", tmp_path / "two", "--today", TODAY).exit_code == 0
    assert sorted(p.name for p in (tmp_path / "two").iterdir()) == ["panel-thank-you-lena-vogt.eml"]
    assert message_id(tmp_path / "two" / "panel-thank-you-lena-vogt.eml") == lena

    asked = cohort / "asked.yaml"
    assert run("draft", "due", asked, "-o", tmp_path / "three", "--today", TODAY).exit_code == 0
    first = message_id(tmp_path / "three" / "asked-check-in-marcus-okafor.eml")
    assert run("log", asked, "--kind", "check-in", "--to", "Marcus Okafor", "--date", TODAY).exit_code == 0
    second = run("draft", "check-in", asked, "-o", tmp_path / "four", "--format", "eml", "--today", "2026-12-10")
    assert second.exit_code == 0, second.stderr
    assert message_id(tmp_path / "four" / "asked-check-in-marcus-okafor.eml") != first
