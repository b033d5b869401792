"""Drafts a careful person would send: the nine causes of unsendable drafts, each through the real CLI.

The notes files in tests/data/cases are realistic cases unlike the samples (a panel of four, a
rejection delivered by the recruiter, a "no opening now" in Madrid, a competing offer in
Thanksgiving week, a ghosting, a confidential search, two rounds with the hiring manager only in
the first, an interview still to come, a silver medalist).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from email import message_from_bytes
from pathlib import Path

import pytest
from click.testing import Result
from tests.conftest import ROOT, SAMPLES

from followup import packs, render, wording
from followup.notes import load
from followup.situation import Situation

Run = Callable[..., Result]
CASES = ROOT / "tests" / "data" / "cases"
RULE = "\n" + "-" * 72 + "\n\n"


def drafts_of(result: Result) -> list[str]:
    assert result.exit_code == 0, result.stderr
    return result.stdout.split(RULE)


def body_sentences(draft: str) -> str:
    """The sentences between the greeting and the sign-off of a printed draft."""
    paragraphs = draft.split("\n\n")
    if paragraphs[0].startswith("Subject:"):
        paragraphs = paragraphs[1:]
    return "\n\n".join(paragraphs[1:-1])


# --------------------------------------------------------------------------- 1. third person


def test_notes_about_a_person_speak_to_them(run: Run) -> None:
    soren = drafts_of(run("draft", "thank-you", CASES / "panel-four-biotech.yaml", "--to", "soren"))[0]
    assert "your work on Bayesian adaptive designs" in soren
    assert "how you handle interim analyses" in soren
    assert "you're also a Timbers season-ticket holder" in soren
    assert not re.search(r"\b(he|his|him|he's)\b", body_sentences(soren))
    amara = drafts_of(run("draft", "thank-you", CASES / "panel-four-biotech.yaml", "--to", "Dr. Okonkwo-Reyes"))[0]
    assert "your team's move from SAS to R" in amara and "you also did your PhD at Michigan" in amara
    helen = drafts_of(
        run("draft", "thank-you", SAMPLES / "panel-with-referrer.yaml", "--to", "helen", "--today", "2026-11-18")
    )[0]
    assert "you prefer idempotent, and so do I" in helen and "she prefers" not in helen


def test_check_reports_third_person_at_file_and_line(run: Run) -> None:
    result = run("check", CASES / "panel-four-biotech.yaml", "--today", "2026-11-17")
    path = CASES / "panel-four-biotech.yaml"
    assert f'{path}:39: "his work on Bayesian adaptive designs' in result.stdout
    assert 'the drafts say "your work on Bayesian adaptive designs' in result.stdout


# --------------------------------------------------------------------------- 2. topics: sentences and privacy


def test_private_matters_never_reach_a_draft_and_drafting_says_so(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("draft", "thank-you", CASES / "panel-four-biotech.yaml", "-o", out, "--format", "eml")
    assert result.exit_code == 0, result.stderr
    text = "\n".join(p.read_text(encoding="utf-8") for p in out.iterdir()).lower()
    for private in ("salary", "135-150k", "budget for this role", "relocation", "confidential"):
        assert private not in text, private
    assert (
        ':31: thank-you to Dr. Amara Okonkwo-Reyes: "my salary expectations" is left out of every draft: it mentions '
        "salary" in result.stderr
    )
    assert "is left out of every draft: it is marked confidential" in result.stderr
    screen = drafts_of(run("draft", "check-in", CASES / "confidential-phone-screen.yaml", "--today", "2026-11-30"))
    assert "confidential" not in screen[0].lower() and "Brennan" not in screen[0]


def test_sentence_topics_are_framed_not_spliced(run: Run) -> None:
    amara = drafts_of(run("draft", "thank-you", CASES / "panel-four-biotech.yaml", "--to", "amara"))[0]
    assert "about how the team is hiring two analysts" in amara
    assert "conversation about the team is hiring" not in amara
    assert "hearing your thoughts on" not in amara


# --------------------------------------------------------------------------- 3. panels are not near-copies


@pytest.mark.parametrize("tone", ["warm", "formal", "brief"])
@pytest.mark.parametrize(
    "case", [CASES / "panel-four-biotech.yaml", SAMPLES / "panel-with-referrer.yaml", CASES / "teacher-two-rounds.yaml"]
)
def test_a_panel_shares_at_most_one_body_sentence(run: Run, case: Path, tone: str) -> None:
    result = run("draft", "thank-you", case, "--tone", tone, "--today", "2026-11-18")
    drafts = drafts_of(result)
    assert "share" not in result.stderr or "word for word" not in result.stderr
    names = [load(case).interviews[-1].interviewers[i].name for i in range(len(drafts))]
    for a, b in itertools.combinations(range(len(drafts)), 2):
        shared = wording.shared_sentences(body_sentences(drafts[a]), body_sentences(drafts[b]), names=names)
        assert shared <= 1, (tone, names[a], names[b])


def test_a_pack_whose_panel_drafts_are_near_copies_is_warned(run: Run, tmp_path: Path) -> None:
    pack = tmp_path / "copies"
    pack.mkdir()
    (pack / "pack.yaml").write_text("name: copies\nversion: 0.1.0\n", encoding="utf-8")
    (pack / "thank-you.txt.j2").write_text(
        "Subject: Thanks\n\nDear {{ recipient.first_name }},\n\nThank you for the interview. I enjoyed it a lot. "
        "I hope to hear from you soon.\n\nBest,\n{{ candidate.name }}\n",
        encoding="utf-8",
    )
    result = run("draft", "thank-you", CASES / "panel-four-biotech.yaml", "--pack", pack)
    assert result.exit_code == 0
    assert "share 3 sentences word for word; panelists compare notes" in result.stderr


# --------------------------------------------------------------------------- 4. one set of facts


def test_names_match_one_way_everywhere(run: Run) -> None:
    # the history says `to: Gloria Hayes`; the interviewer is `Mrs. Gloria Hayes`: her thank-you was sent
    plan = run("plan", CASES / "panel-four-biotech.yaml", "--today", "2026-11-18", "--json")
    steps = [(s["kind"], s["to"]) for s in __import__("json").loads(plan.stdout)["steps"]]
    assert ("thank-you", "Mrs. Gloria Hayes") not in steps
    assert ("thank-you", "Søren Kjærgaard") in steps
    for typed in ("Soren", "kjaergaard", "Søren Kjærgaard", "SOREN KJAERGAARD"):
        result = run("draft", "thank-you", CASES / "panel-four-biotech.yaml", "--to", typed)
        assert result.exit_code == 0, (typed, result.stderr)
        assert result.stdout.count("Subject:") == 1 and "Dear Søren," in result.stdout
    amara = run("draft", "thank-you", CASES / "panel-four-biotech.yaml", "--to", "Dr. Okonkwo-Reyes")
    assert "Dear Dr. Okonkwo-Reyes," in amara.stdout  # the notes give her title: the greeting keeps it


def test_the_plan_and_the_draft_agree_on_the_article_and_its_reader(run: Run) -> None:
    case = CASES / "panel-four-biotech.yaml"
    s = Situation(load(case), load(case).interviews[-1].date)
    assert s.next_article is not None
    article, reader = s.next_article
    assert reader.name == "Søren Kjærgaard"  # `for: Søren`
    draft = drafts_of(run("draft", "article-share", case, "--today", "2027-01-05"))[0]
    assert "Dear Søren," in draft and article.title in draft


def test_a_check_in_to_a_manager_of_an_earlier_round_cites_their_round(run: Run) -> None:
    draft = drafts_of(run("draft", "check-in", CASES / "teacher-two-rounds.yaml", "--today", "2026-11-18"))[0]
    assert "Dear Dr. Lowell," in draft
    assert "we spoke on October 20, and I met the team on October 28" in draft
    assert "When we spoke, you" not in draft  # the timing was given in round 2, which she was not in
    assert "by November 6" in draft


# --------------------------------------------------------------------------- 5. timing that goes stale


def test_relative_timing_is_quoted_only_while_it_means_what_it_meant(run: Run) -> None:
    soon = drafts_of(run("draft", "check-in", SAMPLES / "panel-with-referrer.yaml", "--today", "2026-11-20"))[0]
    assert "by the end of next week" in soon
    late = drafts_of(run("draft", "check-in", SAMPLES / "panel-with-referrer.yaml", "--today", "2026-12-09"))[0]
    assert "end of next week" not in late and "by November 27" in late


def test_a_check_in_on_the_asked_day_says_it_once(run: Run) -> None:
    draft = drafts_of(run("draft", "check-in", CASES / "confidential-phone-screen.yaml", "--today", "2026-11-30"))[0]
    assert "You asked me to write on November 30, so here I am." in draft
    assert "Write to me" not in draft and "Monday the 30th" not in draft


def test_no_today_or_yesterday_before_the_interview(run: Run) -> None:
    for kind in ("thank-you", "linkedin-invite"):
        result = run("draft", kind, CASES / "nurse-interview-tomorrow.yaml", "--today", "2026-11-23")
        assert result.exit_code == 0
        assert not re.search(r"\b(today|yesterday)\b", result.stdout), result.stdout
    after = run("draft", "thank-you", CASES / "nurse-interview-tomorrow.yaml", "--today", "2026-11-24")
    assert "meet with me today" in after.stdout or "with me today" in after.stdout


# --------------------------------------------------------------------------- 6. situations the plan knows


def test_on_hold_stops_chasing_and_stays_in_view(run: Run) -> None:
    case = CASES / "no-opening-madrid.yaml"
    data = __import__("json").loads(run("plan", case, "--today", "2026-11-23", "--json").stdout)
    kinds = {s["kind"] for s in data["steps"]}
    assert kinds == {"article-share"} and data["expected_decision"] is None
    warned = run("draft", "check-in", case, "--today", "2026-11-23")
    assert "On hold: they have no opening now" in warned.stderr
    after_articles = case.read_text(encoding="utf-8") + (
        "  - date: 2026-08-04\n    kind: article-share\n    to: Javier Moreno\n"
        "    url: https://ux.example.org/error-messages\n"
    )
    shared = case.parent.parent / "tmp-on-hold.yaml"
    try:
        shared.write_text(after_articles, encoding="utf-8")
        data = __import__("json").loads(run("plan", shared, "--today", "2026-11-23", "--json").stdout)
        [step] = data["steps"]
        # 90 days after the last article (2026-08-04) is Monday 2026-11-02, Madrid's All Saints' holiday
        # (moved from the Sunday): the next business day
        assert (step["kind"], step["due"]) == ("keep-in-touch", "2026-11-03")
        assert "2026-11-02 is a public holiday (" in step["why"]
    finally:
        shared.unlink()


def test_the_no_is_answered_to_whoever_said_it(run: Run) -> None:
    case = CASES / "recruiter-rejection.yaml"
    draft = drafts_of(run("draft", "thank-you-anyway", case, "--today", "2026-11-13"))[0]
    assert "Dear Kira," in draft  # the recruiter phoned with the no
    assert "Thank you for letting me know" in draft
    assert "feedback" not in draft and "stronger candidate" not in draft  # they gave their reason
    assert "as you suggested" in draft  # they invited her to stay in touch
    plan = run("plan", case, "--today", "2026-11-13")
    assert "expect a decision" not in plan.stdout


def test_a_rejection_without_a_reason_asks_for_feedback(run: Run, write_notes: Callable[..., Path]) -> None:
    text = (CASES / "recruiter-rejection.yaml").read_text(encoding="utf-8")
    text = re.sub(r"said: >-\n(      .*\n)+", "said: We have decided not to move forward.\n", text)
    draft = drafts_of(run("draft", "thank-you-anyway", write_notes(text), "--today", "2026-11-13"))[0]
    assert "feedback" in draft and "as you suggested" not in draft


def test_a_competing_offer_is_raised_as_soon_as_known(run: Run) -> None:
    case = CASES / "competing-offer-thanksgiving.yaml"
    data = __import__("json").loads(run("plan", case, "--today", "2026-11-20", "--json").stdout)
    request = next(s for s in data["steps"] if s["kind"] == "update-request")
    assert request["due"] == "2026-11-20" and "came in on 2026-11-20" in request["why"]
    draft = drafts_of(run("draft", "update-request", case, "--today", "2026-11-20"))[0]
    subject = draft.splitlines()[0]
    assert "offer" in subject.lower() and "quick question" not in subject.lower()
    assert "Monday, November 30" in draft and "Globex" not in draft


def test_follow_ups_skip_weekends_and_public_holidays(run: Run, write_notes: Callable[..., Path]) -> None:
    text = (CASES / "competing-offer-thanksgiving.yaml").read_text(encoding="utf-8")
    # they expected to decide the day before Thanksgiving: +2 business days skips Thursday 26 (Thanksgiving)
    text = text.replace("expected_by: 2026-12-04", "expected_by: 2026-11-25").replace("other_offers", "other_offers_")
    text = text.replace("other_offers_:\n  - company: Globex Logistics\n    deadline: 2026-11-30\n", "")
    text = text.replace("    received: 2026-11-20\n", "")
    data = __import__("json").loads(run("plan", write_notes(text), "--today", "2026-11-20", "--json").stdout)
    check_in = next(s for s in data["steps"] if s["kind"] == "check-in")
    assert check_in["due"] == "2026-11-30"
    no_country = write_notes(text.replace("  country: US\n", ""), name="no-country.yaml")
    data = __import__("json").loads(run("plan", no_country, "--today", "2026-11-20", "--json").stdout)
    assert next(s for s in data["steps"] if s["kind"] == "check-in")["due"] == "2026-11-27"


def test_history_after_today_is_ignored_with_a_warning(run: Run) -> None:
    result = run("plan", CASES / "nurse-interview-tomorrow.yaml", "--today", "2026-11-23", "--json")
    data = __import__("json").loads(result.stdout)
    assert any("dated after today (2026-12-10, reply)" in w for w in data["warnings"])


# --------------------------------------------------------------------------- 7. batches skip the advised-against


def test_a_batch_skips_what_the_plan_advises_against(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "outbox"
    result = run("draft", "check-in", CASES, "--format", "eml", "-o", out, "--today", "2026-11-23")
    assert result.exit_code == 0, result.stderr
    written = sorted(p.name for p in out.iterdir())
    for skipped in ("recruiter-rejection", "silver-medalist", "ghosted-after-call", "no-opening-madrid"):
        assert not [n for n in written if n.startswith(skipped)], skipped
        assert re.search(rf"Skipped: \S*{skipped}\.yaml: check-in to ", result.stderr), skipped
    assert any(n.startswith("teacher-two-rounds-check-in") for n in written)
    assert "add --anyway to write them too" in result.stderr
    for path in out.iterdir():
        message = message_from_bytes(path.read_bytes())
        assert message["Subject"] and message["X-Unsent"] == "1"
    anyway = run("draft", "check-in", CASES, "-o", tmp_path / "all", "--today", "2026-11-23", "--anyway")
    assert any(p.name.startswith("recruiter-rejection") for p in (tmp_path / "all").iterdir())
    assert "Skipped" not in anyway.stderr


# --------------------------------------------------------------------------- 8. the starter's placeholders


def test_the_starters_placeholders_are_errors(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    assert run("new", path).exit_code == 0
    result = run("check", path)
    assert result.exit_code == 1
    assert f"Error: {path}:6:9: `candidate.name` is a placeholder ('Your Name'), not your notes" in result.stderr
    assert "`company.name` is a placeholder ('Company Name'), not your notes" in result.stderr
    assert run("draft", "thank-you", path).exit_code == 1


# --------------------------------------------------------------------------- 9. templates that read like letters


def test_built_in_templates_are_mostly_wording() -> None:
    for template in sorted((ROOT / "templates").glob("*.txt.j2")):
        text = template.read_text(encoding="utf-8")
        assert "namespace(" not in text, template.name
        assert not re.search(r"\{[{%][^}]*\bhistory\b", text), template.name  # no walking the history
        lines = [line.strip() for line in re.sub(r"\{#.*?#\}", "", text, flags=re.S).splitlines() if line.strip()]
        logic = [line for line in lines if re.fullmatch(r"\{%-?\s*(set|for|endfor|macro|endmacro|from|import).*", line)]
        assert len(logic) * 4 <= len(lines), (template.name, len(logic), len(lines))


# --------------------------------------------------------------------------- every planned step drafts cleanly


def planned_steps() -> list[tuple[Path, str]]:
    cases = [*sorted(CASES.glob("*.yaml")), *sorted(SAMPLES.glob("*.yaml"))]
    return [(p, day) for p in cases for day in ("2026-10-10", "2026-11-18", "2026-11-24", "2026-12-01", "2027-03-01")]


@pytest.mark.parametrize(("case", "day"), planned_steps(), ids=lambda v: getattr(v, "stem", v))
def test_every_step_of_the_plan_drafts_cleanly_on_its_day(case: Path, day: str) -> None:
    from datetime import date

    from followup.plan import DRAFTS_OF_STEP, make_plan

    today = date.fromisoformat(day)
    loaded = load(case)
    loaded = loaded.replace(history=[e for e in loaded.history if e.date <= today])  # what is known on that day
    pack = packs.builtin_pack()
    steps = make_plan(loaded, today).steps
    unsent_no_reply = any(st.kind == "thank-you-anyway" and st.due == today for st in steps)
    for step in steps:
        if step.kind == "keep-in-touch" and unsent_no_reply:
            continue  # 90 days after a thank-you-anyway still to send "today": it moves until that one is sent
        for kind in DRAFTS_OF_STEP.get(step.kind, (step.kind,)):
            drafts = render.render(pack, kind, loaded, today=step.due, to=step.to)
            assert [d.recipient.name for d in drafts] == [step.to], (kind, step)
            for one in drafts:
                assert one.advice is None, (kind, step, one.advice)
            if step.kind == "article-share":
                s = Situation(loaded, step.due)
                assert s.next_article is not None and s.next_article[0].title in drafts[0].body


# --------------------------------------------------------------------------- translated packs


def test_a_translated_pack_never_borrows_an_english_template(run: Run, tmp_path: Path) -> None:
    pack = tmp_path / "fr"
    pack.mkdir()
    (pack / "pack.yaml").write_text("name: fr\nversion: 0.1.0\nlanguage: fr\n", encoding="utf-8")
    (pack / "thank-you.txt.j2").write_text(
        "Subject: Merci\n\nBonjour {{ recipient.first_name }},\n\nMerci pour l'entretien.\n\n"
        "Cordialement,\n{{ candidate.name }}\n",
        encoding="utf-8",
    )
    kinds = run("kinds", "--pack", pack)
    assert kinds.stdout.split()[0] == "thank-you" and "voicemail" not in kinds.stdout
    result = run("draft", "voicemail", SAMPLES / "panel-with-referrer.yaml", "--pack", pack)
    assert result.exit_code == 1
    assert "the fr pack (fr) has no voicemail template, and the built-in one is in English" in result.stderr
    english_notes = run("draft", "thank-you", SAMPLES / "panel-with-referrer.yaml", "--pack", pack, "--to", "Sunil")
    assert "the notes are in English but the fr pack writes French" in english_notes.stderr
    same = run("draft", "thank-you", SAMPLES / "panel-with-referrer.yaml", "--to", "Sunil")
    assert "the notes are in" not in same.stderr


def test_a_step_overdue_for_days_asks_to_be_logged_if_it_went_out(run: Run) -> None:
    late = run("draft", "check-in", CASES / "teacher-two-rounds.yaml", "--today", "2026-11-18")
    assert "this check-in e-mail was due on 2026-11-10: if it went out, record it" in late.stderr
    assert '--kind check-in --to "Dr. Patricia Lowell"' in late.stderr
    on_time = run("draft", "check-in", CASES / "teacher-two-rounds.yaml", "--today", "2026-11-10")
    assert "if it went out" not in on_time.stderr
    madrid = run("draft", "keep-in-touch", CASES / "no-opening-madrid.yaml", "--today", "2027-02-10")
    assert "the plan still waits for an article to share with Javier Moreno, due on 2026-08-03" in madrid.stderr


def test_a_passed_offer_deadline_is_pointed_out_in_later_follow_ups(run: Run) -> None:
    result = run("draft", "check-in", CASES / "competing-offer-thanksgiving.yaml", "--today", "2026-12-08")
    assert "the deadline of the Globex Logistics offer (2026-11-30) has passed" in result.stderr
    before = run("draft", "check-in", CASES / "competing-offer-thanksgiving.yaml", "--today", "2026-11-27")
    assert "has passed" not in before.stderr


def test_drafting_shows_the_notes_own_warnings(run: Run) -> None:
    result = run("draft", "thank-you", CASES / "nurse-interview-tomorrow.yaml", "--today", "2026-11-24")
    assert "1 history entry is dated after today (2026-12-10, reply)" in result.stderr
