"""Drafts a recruiter would send, on notes nobody had tried: each fix through the real CLI, on every case.

The cases (tests/data/cases) are written as people write notes: fragments, remarks after a comma,
reported speech, typos, private asides, an agency that is not the employer, an internal move.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result
from tests.conftest import ROOT, SAMPLES

from followup.packs import builtin_pack

Run = Callable[..., Result]
CASES = ROOT / "tests" / "data" / "cases"
ALL_CASES = [*sorted(CASES.glob("*.yaml")), *sorted(SAMPLES.glob("*.yaml"))]
RULE = "\n" + "-" * 72 + "\n\n"
TONES = (("thank-you",), ("thank-you", "--tone", "formal"), ("thank-you", "--tone", "brief"), ("linkedin-invite",))


def planned(run: Run, case: Path, day: str) -> Iterator[tuple[str, str, str]]:
    """(kind, to, due) of every draft the plan proposes on a day (a call is its script and its voicemail)."""
    for step in json.loads(run("plan", case, "--today", day, "--json").stdout)["steps"]:
        for kind in ("call-script", "voicemail") if step["kind"] == "call" else (step["kind"],):
            yield kind, step["to"], step["due"]


def every_draft(run: Run, case: Path, *days: str) -> list[str]:
    """Every draft the plan proposes on these days, on its due day, and the thank-you notes of the latest round in
    every tone (with the LinkedIn notes), on the day of that round."""
    texts = []
    for day in days:
        for kind, to, due in planned(run, case, day):
            result = run("draft", kind, case, "--to", to, "--today", due)
            assert result.exit_code == 0, (case.name, kind, result.stderr)
            texts.append(result.stdout)
    return texts


def thank_yous(run: Run, case: Path, day: str) -> list[str]:
    texts = []
    for args in TONES:
        result = run("draft", *args, case, "--today", day)
        assert result.exit_code == 0, (case.name, args, result.stderr)
        texts += result.stdout.split(RULE)
    return texts


# --------------------------------------------------------------------------- the notes' words


def test_a_remark_after_a_comma_is_left_out_of_the_topic(run: Run) -> None:
    warehouse = CASES / "warehouse-shift-lead.yaml"
    drafts = thank_yous(run, warehouse, "2026-11-20") + every_draft(run, warehouse, "2026-11-19")
    text = "\n".join(drafts)
    assert "the new put wall you installed in dock 3" in text
    for remark in ("still working out the kinks", "sun-wed", "400+ days no lost time"):
        assert remark not in text, remark
    ux = "\n".join(thank_yous(run, CASES / "junior-ux-portfolio.yaml", "2026-11-10"))
    assert "my food bank onboarding case study" in ux and "you liked the paper prototypes" not in ux
    teacher = "\n".join(thank_yous(run, CASES / "career-changer-teaching.yaml", "2026-11-05"))
    assert "my fractions lesson" in teacher and "overran" not in teacher
    check = run("check", warehouse, "--today", "2026-11-20")
    assert f'{warehouse}:24: "the new put wall they installed in dock 3, still working out the kinks": the words ' in (
        check.stdout
    )


def test_a_list_or_a_clause_that_carries_on_keeps_its_comma(run: Run, write_notes: Callable[..., Path]) -> None:
    notes = write_notes(
        """\
        candidate:
          name: Priya Raman
        company:
          name: Northwind Logistics
        role: Data Engineer
        interviews:
          - date: 2026-11-18
            interviewers:
              - name: Marcus Okafor
                hiring_manager: true
                discussed:
                  - Airflow, dbt and Snowflake
                  - the pricing model, which they rebuild every quarter
        """
    )
    draft = run("draft", "thank-you", notes, "--today", "2026-11-18").stdout
    assert "Airflow, dbt and Snowflake" in draft
    assert "the pricing model, which you rebuild every quarter" in draft


def test_what_they_said_is_their_point_not_how_they_said_it(run: Run) -> None:
    for case in ALL_CASES:
        for draft in thank_yous(run, case, "2026-11-18"):
            assert "how you said" not in draft, (case.name, draft)
    ux = "\n".join(thank_yous(run, CASES / "junior-ux-portfolio.yaml", "2026-11-10"))
    assert "your point that my research section was a bit thin" in ux


def test_a_take_home_exercise_is_not_pay(run: Run) -> None:
    case = CASES / "swe-onsite-five.yaml"
    result = run("draft", "thank-you", case, "--to", "Seun", "--today", "2026-11-17")
    assert "walking through my take-home" in result.stdout
    assert "mentions pay" not in result.stderr
    greg = run("draft", "thank-you", case, "--to", "Greg", "--today", "2026-11-17")
    assert "235k" not in greg.stdout and "comp band" not in greg.stdout  # his private remark stays out


def test_a_possessive_is_not_framed_as_a_clause(run: Run) -> None:
    drafts = "\n".join(thank_yous(run, CASES / "graduate-assessment-centre.yaml", "2026-11-12"))
    assert "the firm's work with housing associations in the North West" in drafts
    assert "how the firm's work" not in drafts


def test_a_place_named_with_a_possessive_is_not_someone_else(run: Run) -> None:
    drafts = thank_yous(run, CASES / "cfo-board-dinner.yaml", "2026-11-19")
    eleanor = [d for d in drafts if "Whitcombe" in d.split("\n\n")[1 if d.startswith("Subject") else 0]]
    assert eleanor
    for draft in eleanor:
        assert "she also sat" not in draft
    assert any("you also sat on the board of the Seamen's Church Institute" in d for d in eleanor)


def test_no_draft_to_a_third_person_calls_the_hiring_manager_you(run: Run, write_notes: Callable[..., Path]) -> None:
    text = (CASES / "junior-ux-portfolio.yaml").read_text(encoding="utf-8")
    text = text.replace("- my food bank onboarding case study, she liked", "- her team's move to Figma, she liked")
    update = run("draft", "referrer-update", write_notes(text), "--today", "2026-11-11")
    assert update.exit_code == 0, update.stderr
    assert "your team's move" not in update.stdout and "you liked" not in update.stdout
    for case in ALL_CASES:
        result = run("draft", "referrer-update", case, "--today", "2026-11-25")
        if result.exit_code:
            continue  # no referrer
        enjoyed = re.search(r"I especially enjoyed talking with \w+ about ([^.;]*)", result.stdout)
        if enjoyed:
            assert not re.search(r"\byou(r|'re)?\b", enjoyed[1]), (case.name, enjoyed[0])


@pytest.mark.parametrize("case", sorted(CASES.glob("*.yaml")), ids=lambda p: p.stem)
def test_the_private_remarks_never_appear(run: Run, case: Path) -> None:
    from followup.notes import load

    private = [item.lower().split() for i in load(case).interviews for p in i.interviewers for item in p.private]
    drafts = " ".join(" ".join(thank_yous(run, case, "2026-11-18") + every_draft(run, case, "2026-11-18")).split())
    for words in private:
        figures = [w.strip(",.;") for w in words if any(c.isdigit() for c in w)]
        for found in [" ".join(words[k : k + 3]) for k in range(max(1, len(words) - 2))] + figures:
            assert found not in drafts.lower(), (case.name, found)


# --------------------------------------------------------------------------- who the company is to you

KINDS = tuple(kind for kind in builtin_pack().kinds if kind != "article-share")  # an article needs one noted


def all_kinds(run: Run, case: Path, day: str, *extra: str) -> str:
    """Every kind, in every tone of the thank-you, each variant of the opening (one per person of a panel)."""
    texts = []
    for kind in KINDS:
        result = run("draft", kind, case, "--today", day, *extra)
        if result.exit_code == 0:
            texts.append(result.stdout)
    for tone in ("formal", "brief"):
        texts.append(run("draft", "thank-you", case, "--today", day, "--tone", tone, *extra).stdout)
    return " ".join("\n".join(texts).split())


def employer_phrases(company: str) -> re.Pattern[str]:
    """Wording that takes the company for the one you would work for."""
    return re.compile(
        rf"(joining|role at|position at|openings at|work at|learn(ing)? about|interested in|keen on the role at|"
        rf"puesto de [^.]* en|conocer|vacantes de) {re.escape(company)}|{re.escape(company)} (me sigue|sigue siendo)",
        re.IGNORECASE,
    )


@pytest.mark.parametrize(
    ("case", "agency"),
    [
        ("agency-recruiter-screen.yaml", "Brightpath Recruitment"),
        ("confidential-phone-screen.yaml", "Marlowe Partners"),
    ],
)
def test_no_draft_names_the_agency_as_the_employer(run: Run, case: str, agency: str) -> None:
    for day in ("2026-11-18", "2026-11-30", "2027-03-01"):
        text = all_kinds(run, CASES / case, day)
        assert not employer_phrases(agency).search(text), employer_phrases(agency).search(text)
        spanish = all_kinds(run, CASES / case, day, "--pack", str(SAMPLES / "packs" / "es"))
        assert not employer_phrases(agency).search(spanish), employer_phrases(agency).search(spanish)
    check_in = run("draft", "check-in", CASES / case, "--today", "2026-11-30").stdout
    assert "hoping to reach a decision" not in check_in and "hoped to reach a decision" not in check_in


def test_an_internal_candidate_is_not_joining_their_own_company(run: Run) -> None:
    case = CASES / "internal-transfer.yaml"
    for day in ("2026-11-17", "2026-12-02"):
        text = all_kinds(run, case, day)
        # "the role at Northgate Insurance" is true; joining it, or learning about it, is not
        joining = re.search(r"(joining|learn(ing)? about|interested in|how things work at) Northgate", text)
        assert joining is None, joining
    assert "the move to your team" in run("draft", "check-in", case, "--today", "2026-12-02").stdout


def test_a_direct_employer_is_still_the_one_you_would_join(run: Run) -> None:
    for case, company in (("swe-onsite-five.yaml", "Quillstack"), ("cfo-board-dinner.yaml", "Halvorsen Marine Group")):
        check_in = run("draft", "check-in", CASES / case, "--today", "2026-12-11").stdout
        assert f"joining {company}" in check_in, case


def test_company_kind_in_the_notes_overrides_what_the_words_suggest(run: Run, tmp_path: Path) -> None:
    """A recruitment firm hiring its own staff is the employer (`kind: direct`); a firm whose name says
    nothing of recruiting is an agency when the notes say so (`kind: agency`)."""
    agency = (CASES / "agency-recruiter-screen.yaml").read_text(encoding="utf-8")
    assert "  name: Brightpath Recruitment\n" in agency
    in_house = tmp_path / "in-house.yaml"
    in_house.write_text(
        agency.replace("  name: Brightpath Recruitment\n", "  name: Brightpath Recruitment\n  kind: direct\n")
    )
    text = all_kinds(run, in_house, "2026-11-30")
    assert employer_phrases("Brightpath Recruitment").search(text)
    assert "from your client" not in text
    swe = (CASES / "swe-onsite-five.yaml").read_text(encoding="utf-8")
    assert "  name: Quillstack\n" in swe
    placed = tmp_path / "placed.yaml"
    placed.write_text(swe.replace("  name: Quillstack\n", "  name: Quillstack\n  kind: agency\n"), encoding="utf-8")
    for day in ("2026-11-18", "2026-12-11"):
        assert not employer_phrases("Quillstack").search(all_kinds(run, placed, day))
    bad = tmp_path / "bad.yaml"
    bad.write_text(swe.replace("  name: Quillstack\n", "  name: Quillstack\n  kind: recruiter\n"), encoding="utf-8")
    result = run("check", bad)
    assert result.exit_code == 1 and re.search(
        r"bad\.yaml:\d+:\d+: `company\.kind`.*direct, agency, internal", result.stderr
    )


# --------------------------------------------------------------------------- wording that fits any topic


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda p: p.stem)
def test_the_wording_around_a_topic_fits_any_topic(run: Run, case: Path) -> None:
    from followup.notes import load

    day = load(case).interviews[-1].date.isoformat()
    text = " ".join(" ".join(thank_yous(run, case, day)).split())
    # their own work is not something you heard about ("hearing about my fractions lesson")
    assert not re.search(r"hearing about (my|our) ", text), re.search(r"hearing about (my|our) [^.]*", text)
    # nor something they found informative ("Our exchange on my case study was most informative")
    assert not re.search(r"\b(my|why I|how I) [^.]* (was|were) most informative", text)
    # nobody "welcomes" a background check, a drug screen or a reference check
    welcomed = re.search(r"welcome the next step, [^.]*\b(check|screen|screening|references)\b", text)
    assert welcomed is None, welcomed


# --------------------------------------------------------------------------- replies and articles, weeks later


def with_history(case: str, entries: str, extra: str = "") -> str:
    """A case's notes with history entries appended (and more top-level keys before `history:`)."""
    text = (CASES / case).read_text(encoding="utf-8")
    text = text.replace("\nhistory:\n", f"\n{extra}history:\n")
    return text.rstrip("\n") + "\n" + entries


def test_an_articles_note_speaks_to_its_reader(run: Run, write_notes: Callable[..., Path]) -> None:
    articles = (
        "articles:\n"
        '  - title: "Funding fleet decarbonisation"\n'
        "    url: https://marinefinance.example.org/decarb\n"
        "    note: it covers sustainability-linked loans for tanker fleets, which Dr. Solberg asked about\n"
        "    for: Ingrid Solberg\n"
    )
    notes = write_notes(with_history("cfo-board-dinner.yaml", "", extra=articles))
    draft = run("draft", "article-share", notes, "--today", "2026-12-18")
    assert draft.exit_code == 0, draft.stderr
    assert "Dear Dr. Solberg," in draft.stdout
    assert "which you asked about" in draft.stdout and "Dr. Solberg asked" not in draft.stdout
    soren = run("draft", "article-share", CASES / "panel-four-biotech.yaml", "--today", "2027-01-05").stdout
    assert "the interim rules you walked me through" in soren


def test_a_keep_in_touch_credits_whoever_asked_to_stay_in_touch(run: Run, write_notes: Callable[..., Path]) -> None:
    no = (
        "  - date: 2026-11-25\n    kind: reply\n    from: Sam\n    tone: negative\n"
        "    said: Unfortunately you have not been successful. We encourage you to apply again for our 2028 intake.\n"
    )
    notes = write_notes(with_history("graduate-assessment-centre.yaml", no))
    later = run("draft", "keep-in-touch", notes, "--today", "2027-02-24").stdout
    assert "Dear Helen," in later
    assert "You kindly suggested" not in later and "Sam kindly suggested" in later
    anyway = run("draft", "thank-you-anyway", notes, "--today", "2026-11-26").stdout
    assert "Dear Sam," in anyway and "as you suggested" in anyway


def test_a_reason_in_other_words_is_not_asked_for_again(run: Run, write_notes: Callable[..., Path]) -> None:
    no = (
        "  - date: 2026-12-08\n    kind: reply\n    from: Priya Chandran\n    tone: negative\n"
        "    said: We've gone with a candidate who has more pricing experience, but I'd be keen to keep talking "
        "about a move next year.\n"
    )
    notes = write_notes(with_history("internal-transfer.yaml", no))
    draft = run("draft", "thank-you-anyway", notes, "--today", "2026-12-09").stdout
    assert "feedback" not in draft and "stronger candidate" not in draft
    assert "as you suggested" in draft


def test_an_agency_call_waits_on_its_client(run: Run, write_notes: Callable[..., Path]) -> None:
    checked_in = "  - date: 2026-11-26\n    kind: check-in\n    to: Liam Doherty\n"
    notes = write_notes(with_history("agency-recruiter-screen.yaml", checked_in))
    script = run("draft", "call-script", notes, "--today", "2026-12-03").stdout
    assert "hear back from your client" in script and "hoped to decide" not in script
    voicemail = run("draft", "voicemail", notes, "--today", "2026-12-03").stdout
    assert "joining your team" not in voicemail


def test_a_topic_that_starts_with_a_figure_gets_its_article(run: Run) -> None:
    drafts = thank_yous(run, CASES / "warehouse-shift-lead.yaml", "2026-11-20")
    denise = " ".join(" ".join(d for d in drafts if "Denise" in d).split())
    assert "the 4x10 schedule" in denise
    assert not re.search(r"(about|through|of) 4x10", denise)


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda p: p.stem)
def test_a_draft_never_says_today_on_another_day(run: Run, case: Path) -> None:
    from datetime import timedelta

    from followup.notes import load

    held = load(case).interviews[-1].date
    for later, words in ((1, r"\btoday\b"), (2, r"\b(today|yesterday)\b")):
        day = (held + timedelta(days=later)).isoformat()
        for draft in thank_yous(run, case, day):
            assert not re.search(words, draft), (case.name, day, draft)


def test_timing_someone_else_gave_is_not_put_in_the_recipients_mouth(run: Run) -> None:
    # "Lauren said we should hear by end of next week": the check-in goes to Wei, the hiring manager
    draft = run("draft", "check-in", CASES / "swe-onsite-five.yaml", "--today", "2026-12-01").stdout
    assert "Dear Wei," in draft
    assert "you hoped to" not in draft and "you mentioned" not in draft
    assert "the team hoped to reach a decision by November 27" in draft
    liam = run("draft", "check-in", CASES / "agency-recruiter-screen.yaml", "--today", "2026-11-26").stdout
    assert "you hoped to hear back from your client" in liam  # "Liam will call back ...": he said it himself
