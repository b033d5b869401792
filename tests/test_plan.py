"""The cadence rules of DESIGN.md, one table per rule, on real notes files."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup import notes as notes_module
from followup.notes import Notes
from followup.plan import (
    Plan,
    Step,
    draft_warnings,
    make_plan,
    to_json,
)
from followup.situation import Situation, Workdays


def add_business_days(day: date, count: int) -> date:
    return Workdays(None).add(day, count)


def expected_decision(notes: Notes) -> date | None:
    return Situation(notes, notes.interviews[-1].date).expected_decision


D = date.fromisoformat
HM = "Marcus Okafor"
LENA = "Lena Vogt"
ROUND = D("2026-11-18")  # a Wednesday


def notes_yaml(
    *,
    round_date: date = ROUND,
    time: str | None = None,
    earlier_round: date | None = None,
    interviewers: Sequence[str] = (HM, LENA),
    decision: dict[str, date] | None = None,
    status: str = "waiting",
    referrer: str | None = None,
    articles: Sequence[dict[str, str]] = (),
    other_offers: Sequence[tuple[str, date] | tuple[str, date, date]] = (),
    country: str | None = None,
    history: Sequence[dict[str, Any]] = (),
) -> str:
    """A notes file as a user would write it (the first interviewer is the hiring manager)."""
    lines = [
        "# notes written for a test",
        "candidate:",
        "  name: Priya Raman",
        "  email: priya@example.org",
        "company:",
        "  name: Northwind Logistics",
        *([f"  country: {country}"] if country else []),
        "role: Data Platform Engineer",
        "interviews:",
    ]
    if earlier_round is not None:
        lines += [
            f"  - date: {earlier_round}",
            "    interviewers:",
            f"      - name: {HM}",
            "        hiring_manager: true",
        ]
    lines.append(f"  - date: {round_date}")
    if time is not None:
        lines.append(f"    time: {time}")
    lines.append("    interviewers:")
    for i, name in enumerate(interviewers):
        lines.append(f"      - name: {name}")
        if i == 0:
            lines.append("        hiring_manager: true")
    if decision:
        lines.append("decision:")
        lines += [f"  {key}: {value}" for key, value in decision.items()]
    if referrer:
        lines += ["referrer:", f"  name: {referrer}"]
    lines.append(f"status: {status}")
    lines += block_list("articles", articles)
    offers = [{"company": o[0], "deadline": o[1], **({"received": o[2]} if len(o) > 2 else {})} for o in other_offers]
    lines += block_list("other_offers", offers)
    lines += block_list("history", history)
    return "\n".join(lines) + "\n"


def block_list(key: str, entries: Sequence[dict[str, Any]]) -> list[str]:
    """`key:` and a block list of mappings, dates plain and text double-quoted."""
    lines = [f"{key}:"] if entries else []
    for entry in entries:
        for i, (name, value) in enumerate(entry.items()):
            text = value.isoformat() if isinstance(value, date) else json.dumps(value, ensure_ascii=False)
            lines.append(f"  {'- ' if i == 0 else '  '}{name}: {text}")
    return lines


@pytest.fixture
def make_notes(tmp_path: Path) -> Callable[..., Notes]:
    """Write notes_yaml(**parts) to a file in tmp_path and load it the way the CLI does."""
    counter = iter(range(1_000_000))

    def make(**parts: Any) -> Notes:
        path = tmp_path / f"notes{next(counter)}.yaml"
        path.write_text(notes_yaml(**parts), encoding="utf-8")
        return notes_module.load(path)

    return make


def sent(day: str, kind: str, to: str = HM, **extra: str) -> dict[str, Any]:
    return {"date": D(day), "kind": kind, "to": to, **extra}


def reply(day: str, tone: str = "neutral", who: str = HM) -> dict[str, Any]:
    return {"date": D(day), "kind": "reply", "from": who, "tone": tone, "said": "Thanks, still deciding."}


def steps_of(plan: Plan, kind: str) -> list[Step]:
    return [step for step in plan.steps if step.kind == kind]


def only(plan: Plan, kind: str) -> Step:
    found = steps_of(plan, kind)
    assert len(found) == 1, plan.steps
    return found[0]


def thanked_everyone() -> list[dict[str, Any]]:
    return [sent("2026-11-18", "thank-you", HM), sent("2026-11-18", "thank-you", LENA)]


# --------------------------------------------------------------------------- business days


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        ("2026-11-18", 2, "2026-11-20"),  # Wed -> Fri
        ("2026-11-26", 2, "2026-11-30"),  # Thu -> over the weekend -> Mon
        ("2026-11-28", 2, "2026-12-01"),  # Sat -> Tue
        ("2026-10-29", 2, "2026-11-02"),  # month end
        ("2026-12-31", 2, "2027-01-04"),  # year end (no holidays)
        ("2026-12-07", -3, "2026-12-02"),  # Mon, counting back -> Wed
        ("2026-12-06", -3, "2026-12-02"),  # Sun, counting back -> Wed
        ("2026-11-18", 0, "2026-11-18"),
    ],
)
def test_business_days(start: str, count: int, expected: str) -> None:
    assert add_business_days(D(start), count) == D(expected)


# --------------------------------------------------------------------------- rule 1: thank-you


@pytest.mark.parametrize(
    ("time", "due", "advice"),
    [
        ("9:15", "2026-11-18", "this morning interview's note is due the same afternoon"),
        ("11:59", "2026-11-18", "this morning interview's note is due the same afternoon"),
        ("12:00", "2026-11-19", "first thing next day"),
        ("15:45", "2026-11-19", "first thing next day"),
        (None, "2026-11-18", "no start time noted"),
    ],
)
def test_thank_you_timing(make_notes: Callable[..., Notes], time: str | None, due: str, advice: str) -> None:
    plan = make_plan(make_notes(time=time), D("2026-11-18"))
    thanks = steps_of(plan, "thank-you")
    assert [(s.to, s.due) for s in thanks] == [(HM, D(due)), (LENA, D(due))]
    assert all(advice in s.why and s.why.startswith("Thank-you notes go out within a day") for s in thanks)


def test_thank_you_only_to_those_not_yet_thanked(make_notes: Callable[..., Notes]) -> None:
    history = [
        sent("2026-11-10", "thank-you", LENA),  # before this round: does not count
        sent("2026-11-18", "thank-you", "marcus  OKAFOR"),  # names match case-insensitively
    ]
    plan = make_plan(make_notes(history=history), D("2026-11-19"))
    assert [(s.to, s.due, s.overdue(D("2026-11-19"))) for s in steps_of(plan, "thank-you")] == [(LENA, ROUND, True)]


def test_thank_you_goes_to_the_latest_round_only(make_notes: Callable[..., Notes]) -> None:
    plan = make_plan(make_notes(earlier_round=D("2026-11-02"), interviewers=["Sunil Bhatt"]), ROUND)
    assert [s.to for s in steps_of(plan, "thank-you")] == ["Sunil Bhatt"]


# --------------------------------------------------------------------------- rule 2: referrer update


def test_referrer_update(make_notes: Callable[..., Notes]) -> None:
    plan = make_plan(make_notes(referrer="Tomás Herrera"), ROUND)
    step = only(plan, "referrer-update")
    assert (step.to, step.due) == ("Tomás Herrera", D("2026-11-19"))
    logged = make_notes(referrer="Tomás Herrera", history=[sent("2026-11-19", "referrer-update", "Tomás Herrera")])
    assert steps_of(make_plan(logged, D("2026-11-19")), "referrer-update") == []
    assert steps_of(make_plan(make_notes(), ROUND), "referrer-update") == []


# --------------------------------------------------------------------------- rule 3: check-in


@pytest.mark.parametrize(
    ("decision", "due", "advice"),
    [
        ({}, "2026-11-25", "wait no more than a week"),
        ({"expected_by": D("2026-11-18")}, "2026-11-20", "a couple of business days"),
        ({"expected_by": D("2026-11-26")}, "2026-11-30", "a couple of business days"),  # over a weekend
        ({"expected_by": D("2026-11-28")}, "2026-12-01", "a couple of business days"),  # from a Saturday
        ({"expected_by": D("2026-11-30")}, "2026-12-02", "a couple of business days"),
        (
            {"expected_by": D("2026-11-27"), "follow_up_ok_after": D("2026-12-03")},
            "2026-12-03",
            "do exactly that",
        ),
    ],
)
def test_check_in_due(make_notes: Callable[..., Notes], decision: dict[str, date], due: str, advice: str) -> None:
    step = only(make_plan(make_notes(decision=decision, history=thanked_everyone()), ROUND), "check-in")
    assert (step.to, step.due) == (HM, D(due))
    assert advice in step.why


@pytest.mark.parametrize(
    ("round_date", "expected_by", "due"),
    [
        ("2026-10-20", "2026-10-29", "2026-11-02"),  # across a month end
        ("2026-12-21", "2026-12-31", "2027-01-04"),  # across a year end
    ],
)
def test_check_in_month_and_year_end(
    make_notes: Callable[..., Notes], round_date: str, expected_by: str, due: str
) -> None:
    notes = make_notes(round_date=D(round_date), decision={"expected_by": D(expected_by)})
    assert only(make_plan(notes, D(round_date)), "check-in").due == D(due)


def test_one_check_in_per_round(make_notes: Callable[..., Notes]) -> None:
    history = [*thanked_everyone(), sent("2026-11-30", "check-in"), reply("2026-12-01")]
    assert steps_of(make_plan(make_notes(history=history), D("2026-12-02")), "check-in") == []
    # a check-in from an earlier round does not count for this one
    old = [sent("2026-11-05", "check-in"), reply("2026-11-06")]
    assert only(make_plan(make_notes(history=old), ROUND), "check-in").due == D("2026-11-25")


def test_follow_up_ok_after_later_than_the_check_in_asks_for_another(make_notes: Callable[..., Notes]) -> None:
    history = [*thanked_everyone(), sent("2026-11-30", "check-in"), reply("2026-12-01")]
    notes = make_notes(decision={"follow_up_ok_after": D("2026-12-08")}, history=history)
    step = only(make_plan(notes, D("2026-12-02")), "check-in")
    assert (step.due, step.to) == (D("2026-12-08"), HM)
    assert "2026-12-08" in step.why and "exactly" in step.why
    earlier = make_notes(decision={"follow_up_ok_after": D("2026-11-30")}, history=history)
    assert steps_of(make_plan(earlier, D("2026-12-02")), "check-in") == []


# --------------------------------------------------------------------------- rule 4: call


@pytest.mark.parametrize(
    ("expected_by", "due"),
    [
        (None, "2026-12-07"),  # Mon + 5 business days
        ("2026-11-27", "2026-12-07"),
        ("2026-12-10", "2026-12-10"),  # the later of the two: timed to their decision date
    ],
)
def test_call_after_an_unanswered_check_in(make_notes: Callable[..., Notes], expected_by: str | None, due: str) -> None:
    decision = {"expected_by": D(expected_by)} if expected_by else {}
    history = [*thanked_everyone(), sent("2026-11-30", "check-in")]
    plan = make_plan(make_notes(decision=decision, history=history), D("2026-12-03"))
    step = only(plan, "call")
    assert (step.to, step.due) == (HM, D(due))
    assert "5 business days" in step.why and "phone call" in step.why


@pytest.mark.parametrize(
    "after",
    [
        reply("2026-12-02"),
        reply("2026-12-20", who="Someone Else At Northwind"),  # a late reply from anyone still answers it
        sent("2026-12-07", "call", outcome="spoke"),
    ],
)
def test_no_call_once_answered(make_notes: Callable[..., Notes], after: dict[str, Any]) -> None:
    history = [*thanked_everyone(), sent("2026-11-30", "check-in"), after]
    assert steps_of(make_plan(make_notes(history=history), D("2026-12-21")), "call") == []


# --------------------------------------------------------------------------- rules 5 and 6: don't pester, move on

UNANSWERED = [*thanked_everyone(), sent("2026-11-30", "check-in"), sent("2026-12-07", "call", outcome="voicemail")]


@pytest.mark.parametrize(
    ("history", "today", "pester", "move_on"),
    [
        (UNANSWERED[:3], "2026-12-03", False, False),
        (UNANSWERED, "2026-12-08", True, False),
        (UNANSWERED, "2026-12-13", True, False),  # 6 days after the call
        (UNANSWERED, "2026-12-14", True, True),  # 7 days after the call
        ([*UNANSWERED[:3], sent("2026-12-07", "voicemail")], "2026-12-14", True, True),  # a drafted kind is a call
        # a lone unanswered call is enough to move on after a week
        ([*thanked_everyone(), sent("2026-12-01", "call", outcome="no-answer")], "2026-12-08", False, True),
        # two check-ins, the second 7 days old
        ([*UNANSWERED[:3], sent("2026-12-04", "check-in")], "2026-12-11", True, True),
        # a reply resets the count
        ([*UNANSWERED[:3], reply("2026-12-01"), sent("2026-12-04", "check-in")], "2026-12-11", False, False),
        # a call where you spoke with them is an answer
        ([*UNANSWERED[:3], sent("2026-12-07", "call", outcome="spoke")], "2026-12-21", False, False),
    ],
)
def test_dont_pester_and_move_on(
    make_notes: Callable[..., Notes], history: list[dict[str, Any]], today: str, pester: bool, move_on: bool
) -> None:
    notes = make_notes(decision={"expected_by": D("2026-11-27")}, history=history)
    plan = make_plan(notes, D(today))
    assert plan.move_on is move_on
    chasing = {s.kind for s in plan.steps} & {"check-in", "call", "article-share", "update-request"}
    if pester or move_on:
        assert chasing == set()
        assert len(plan.warnings) == 1
        assert ("move on" in plan.warnings[0]) is move_on
        assert ("checking in too often" in plan.warnings[0]) is (not move_on)
        prefix = "Time to move on: no reply in the 7 days" if move_on else "Do not pester: your follow-ups of "
        assert draft_warnings(notes, "check-in", HM, D(today))[0].startswith(prefix)
        assert draft_warnings(notes, "voicemail", HM, D(today))[0].startswith(prefix)
    else:
        assert not any("move on" in w or "too often" in w for w in plan.warnings)


def test_move_on_is_for_waiting_only(make_notes: Callable[..., Notes]) -> None:
    for status in ("rejected", "offer", "withdrawn"):
        assert make_plan(make_notes(status=status, history=UNANSWERED), D("2027-01-30")).move_on is False


# --------------------------------------------------------------------------- rule 7: expected decision


@pytest.mark.parametrize(
    ("decision", "expected"),
    [
        ({"expected_by": D("2026-11-27")}, D("2026-12-06")),  # 9 days, doubled
        ({"expected_by": D("2026-11-18")}, D("2026-11-18")),
        ({"expected_by": D("2027-01-18")}, D("2027-03-20")),
        ({}, None),
        ({"follow_up_ok_after": D("2026-12-01")}, None),
        ({"expected_by": D("2026-11-10")}, None),  # stale: before the latest round
    ],
)
def test_expected_decision(make_notes: Callable[..., Notes], decision: dict[str, date], expected: date | None) -> None:
    notes = make_notes(decision=decision)
    assert expected_decision(notes) == expected
    assert make_plan(notes, ROUND).expected_decision == expected


def test_stale_decision_date_warns(make_notes: Callable[..., Notes]) -> None:
    plan = make_plan(make_notes(decision={"expected_by": D("2026-11-10")}), ROUND)
    assert plan.warnings == [
        "`decision.expected_by` (2026-11-10) is before the latest round (2026-11-18): "
        "ask about their new timeline and update it."
    ]


# --------------------------------------------------------------------------- rule 8: long wait

LONG_ROUND = D("2026-09-24")
ARTICLES = [
    {"title": "Why queues keep growing", "url": "https://example.org/queues"},
    {"title": "Sizing storage", "url": "https://example.org/storage", "for": LENA},
    {"title": "Spring curtailment", "url": "https://example.org/spring"},
]
LONG_HISTORY = [
    sent("2026-09-24", "thank-you", HM),
    sent("2026-09-24", "thank-you", LENA),
    sent("2026-10-20", "check-in"),
    reply("2026-10-22"),
]


@pytest.mark.parametrize(
    ("shared", "today", "to", "due", "title"),
    [
        ([], "2026-11-25", HM, "2026-11-17", "Why queues keep growing"),  # 28 days after the check-in
        (["https://example.org/queues"], "2026-11-25", LENA, "2026-12-01", "Sizing storage"),  # `for` Lena
        (["https://example.org/queues", "https://example.org/storage"], "2026-11-25", HM, "2026-12-01", "Spring"),
    ],
)
def test_article_share(
    make_notes: Callable[..., Notes], shared: list[str], today: str, to: str, due: str, title: str
) -> None:
    history = LONG_HISTORY + [sent("2026-11-03", "article-share", HM, url=url) for url in shared]
    notes = make_notes(round_date=LONG_ROUND, articles=ARTICLES, history=history)
    plan = make_plan(notes, D(today))
    step = only(plan, "article-share")
    assert (step.to, step.due) == (to, D(due))
    assert title in step.why and "long wait" in step.why
    assert plan.warnings == []


def test_article_share_waits_for_a_long_wait(make_notes: Callable[..., Notes]) -> None:
    history = LONG_HISTORY[:2]  # only the thank-yous: the check-in and reply come later
    notes = make_notes(round_date=LONG_ROUND, articles=ARTICLES, history=history)
    assert steps_of(make_plan(notes, LONG_ROUND + timedelta(days=20)), "article-share") == []
    # 28 days after the interview and its thank-yous (2026-09-24): Thursday 2026-10-22
    assert only(make_plan(notes, LONG_ROUND + timedelta(days=21)), "article-share").due == D("2026-10-22")
    early = draft_warnings(notes, "article-share", None, LONG_ROUND + timedelta(days=10))
    assert len(early) == 1 and early[0].startswith("Not due yet: ") and "2026-10-22" in early[0]


def test_no_article_left_advises_adding_one(make_notes: Callable[..., Notes]) -> None:
    history = LONG_HISTORY + [sent("2026-11-03", "article-share", HM, url=a["url"]) for a in ARTICLES]
    plan = make_plan(make_notes(round_date=LONG_ROUND, articles=ARTICLES, history=history), D("2026-11-25"))
    assert steps_of(plan, "article-share") == []
    assert len(plan.warnings) == 1
    assert all(word in plan.warnings[0] for word in ("add one", "`articles`", "`news`", "`kudos`"))
    no_articles = make_plan(make_notes(round_date=LONG_ROUND, history=LONG_HISTORY), D("2026-11-25"))
    assert "add one" in no_articles.warnings[0]


def test_article_for_a_stranger_goes_to_the_hiring_manager(make_notes: Callable[..., Notes]) -> None:
    articles = [{"title": "Hybrid events", "url": "https://example.org/hybrid", "for": "Pablo Serrano"}]
    plan = make_plan(make_notes(round_date=LONG_ROUND, articles=articles, history=LONG_HISTORY), D("2026-11-25"))
    assert only(plan, "article-share").to == HM
    assert "Pablo Serrano" in plan.warnings[0]


def test_no_article_share_after_a_negative_reply(make_notes: Callable[..., Notes]) -> None:
    history = [*LONG_HISTORY, reply("2026-11-01", "negative")]
    plan = make_plan(make_notes(round_date=LONG_ROUND, articles=ARTICLES, history=history), D("2026-11-25"))
    assert steps_of(plan, "article-share") == []


# --------------------------------------------------------------------------- rule 9: rejection


@pytest.mark.parametrize(
    ("status", "extra", "today", "expected"),
    [
        ("rejected", [reply("2026-11-30", "negative")], "2026-12-05", [("2026-12-01", "2027-03-01")]),
        ("waiting", [reply("2026-11-30", "negative")], "2026-12-05", [("2026-12-01", "2027-03-01")]),
        ("rejected", [], "2026-12-05", [("2026-12-05", "2027-03-05")]),  # no reply recorded: today
        ("rejected", [sent("2026-12-02", "thank-you-anyway")], "2026-12-05", [(None, "2027-03-02")]),
        (
            "rejected",
            [sent("2026-12-02", "thank-you-anyway"), sent("2027-03-01", "keep-in-touch")],
            "2027-03-05",
            [(None, None)],
        ),
    ],
)
def test_rejection(
    make_notes: Callable[..., Notes],
    status: str,
    extra: list[dict[str, Any]],
    today: str,
    expected: list[tuple[str | None, str | None]],
) -> None:
    history = [*thanked_everyone(), sent("2026-11-25", "check-in"), *extra]
    notes = make_notes(
        status=status,
        decision={"expected_by": D("2026-11-20")},
        articles=ARTICLES,
        other_offers=[("Globex", D("2026-12-20"))],
        history=history,
    )
    plan = make_plan(notes, D(today))
    [(anyway, keep)] = expected
    assert [(s.kind, s.to, s.due) for s in plan.steps] == [
        *([("thank-you-anyway", HM, D(anyway))] if anyway else []),
        *([("keep-in-touch", HM, D(keep))] if keep else []),
    ]
    assert plan.move_on is False
    for kind in ("check-in", "call-script", "voicemail", "article-share", "update-request"):
        [warning] = draft_warnings(notes, kind, HM, D(today))
        assert warning.startswith("Not after a rejection: ")


def test_a_friendly_reply_after_a_no_reopens(make_notes: Callable[..., Notes]) -> None:
    history = [*thanked_everyone(), reply("2026-11-20", "negative"), reply("2026-11-24", "positive")]
    plan = make_plan(make_notes(history=history), D("2026-11-25"))
    assert steps_of(plan, "thank-you-anyway") == [] and len(steps_of(plan, "check-in")) == 1


# --------------------------------------------------------------------------- rule 10: offer, withdrawn


@pytest.mark.parametrize("status", ["offer", "withdrawn"])
def test_offer_or_withdrawn_means_nothing_further(make_notes: Callable[..., Notes], status: str) -> None:
    notes = make_notes(
        status=status,
        referrer="Tomás Herrera",
        decision={"expected_by": D("2026-11-27")},
        other_offers=[("Globex", D("2026-12-01"))],
        history=[sent("2026-11-30", "check-in")],
    )
    plan = make_plan(notes, D("2026-12-20"))
    assert (plan.steps, plan.move_on, plan.warnings) == ([], False, [])
    assert draft_warnings(notes, "check-in", None, D("2026-12-20")) == [
        f"The status is {status}: nothing further follows an offer or a withdrawal, not even a check-in e-mail."
    ]


# --------------------------------------------------------------------------- rule 11: update request


@pytest.mark.parametrize(
    ("decision", "offers", "today", "due"),
    [
        # expected decision 2026-12-06; Globex's deadline is earlier: raise it at once, the business day after
        # the interview (Wednesday 2026-11-18)
        ({"expected_by": D("2026-11-27")}, [("Globex", "2026-12-04")], "2026-11-25", "2026-11-19"),
        # the offer came in later: raise it the day it came in
        ({"expected_by": D("2026-11-27")}, [("Globex", "2026-12-04", "2026-11-24")], "2026-11-25", "2026-11-24"),
        # it came in on a Saturday: the next business day
        ({"expected_by": D("2026-11-27")}, [("Globex", "2026-12-04", "2026-11-21")], "2026-11-25", "2026-11-23"),
        # it came in with a deadline 2 days later: never later than 3 business days before the deadline
        ({"expected_by": D("2026-12-20")}, [("Globex", "2026-12-04", "2026-12-02")], "2026-12-02", "2026-12-01"),
        # the earliest qualifying deadline is the one asked about
        ({}, [("Initech", "2026-12-20"), ("Globex", "2026-12-04")], "2026-11-25", "2026-11-19"),
        # no expected decision: any deadline
        ({}, [("Globex", "2027-01-15")], "2026-11-25", "2026-11-19"),
        # deadline after the expected decision: nothing to force
        ({"expected_by": D("2026-11-27")}, [("Globex", "2026-12-10")], "2026-11-25", None),
        # the deadline itself has passed: that choice is made
        ({}, [("Globex", "2026-11-20")], "2026-11-25", None),
        # their expected decision (doubled) has passed without one: any deadline ahead counts
        ({"expected_by": D("2026-11-20")}, [("Globex", "2026-12-10", "2026-11-25")], "2026-11-25", "2026-11-25"),
    ],
)
def test_update_request(
    make_notes: Callable[..., Notes],
    decision: dict[str, date],
    offers: list[tuple[str, str]],
    today: str,
    due: str | None,
) -> None:
    other_offers = [(o[0], *map(D, o[1:])) for o in offers]
    notes = make_notes(decision=decision, other_offers=other_offers, history=thanked_everyone())
    found = steps_of(make_plan(notes, D(today)), "update-request")
    if due is None:
        assert found == []
        assert "other_offers" in draft_warnings(notes, "update-request", None, D(today))[0]
    else:
        [step] = found
        assert (step.to, step.due) == (HM, D(due))
        assert "another offer can prompt a decision" in step.why


def test_update_request_once_asked(make_notes: Callable[..., Notes]) -> None:
    history = [*thanked_everyone(), sent("2026-12-01", "update-request")]
    notes = make_notes(other_offers=[("Globex", D("2026-12-04")), ("Initech", D("2026-12-20"))], history=history)
    assert steps_of(make_plan(notes, D("2026-12-02")), "update-request") == []


# --------------------------------------------------------------------------- the plan as a whole


def test_steps_sorted_by_due_then_kind(make_notes: Callable[..., Notes]) -> None:
    notes = make_notes(
        time="15:00",
        referrer="Tomás Herrera",
        decision={"expected_by": D("2026-11-20"), "follow_up_ok_after": D("2026-11-19")},
    )
    plan = make_plan(notes, ROUND)
    assert [(s.due.isoformat(), s.kind, s.to) for s in plan.steps] == [
        ("2026-11-19", "check-in", HM),
        ("2026-11-19", "referrer-update", "Tomás Herrera"),
        ("2026-11-19", "thank-you", HM),
        ("2026-11-19", "thank-you", LENA),
    ]


def test_to_json(make_notes: Callable[..., Notes]) -> None:
    notes = make_notes(time="9:00", decision={"expected_by": D("2026-11-27")})
    data = to_json(make_plan(notes, D("2026-11-19")), D("2026-11-19"))
    assert json.loads(json.dumps(data)) == data
    assert list(data) == ["steps", "expected_decision", "move_on", "warnings"]
    assert data["expected_decision"] == "2026-12-06"
    assert data["move_on"] is False and data["warnings"] == []
    assert [list(step) for step in data["steps"]] == [["kind", "to", "due", "overdue", "why"]] * 3
    assert [(s["kind"], s["to"], s["due"], s["overdue"]) for s in data["steps"]] == [
        ("thank-you", HM, "2026-11-18", True),
        ("thank-you", LENA, "2026-11-18", True),
        ("check-in", HM, "2026-12-01", False),
    ]
    assert to_json(make_plan(make_notes(), ROUND), ROUND)["expected_decision"] is None


def test_step_overdue() -> None:
    step = Step("check-in", HM, D("2026-12-01"), "They asked.")
    assert (step.overdue(D("2026-11-30")), step.overdue(D("2026-12-01")), step.overdue(D("2026-12-02"))) == (
        False,
        False,
        True,
    )


# --------------------------------------------------------------------------- draft warnings


def test_draft_warnings_not_yet_due(make_notes: Callable[..., Notes]) -> None:
    notes = make_notes(decision={"expected_by": D("2026-11-27")}, history=thanked_everyone())
    assert draft_warnings(notes, "check-in", HM, D("2026-11-20")) == [
        "Not due yet: the check-in e-mail to Marcus Okafor is due on 2026-12-01. They expected to decide by "
        "2026-11-27; checking in a couple of business days after that date passes is fine."
    ]
    assert draft_warnings(notes, "check-in", HM, D("2026-12-01")) == []
    assert draft_warnings(notes, "check-in", HM, D("2026-12-05")) == []


def test_draft_warnings_already_sent_and_out_of_place(make_notes: Callable[..., Notes]) -> None:
    notes = make_notes(history=thanked_everyone())
    today = D("2026-11-20")
    assert draft_warnings(notes, "thank-you", LENA, today) == [
        "Already sent: your thank-you note to Lena Vogt went out on 2026-11-18, according to the history."
    ]
    assert draft_warnings(notes, "thank-you-anyway", None, today) == [
        "A thank-you-anyway letter follows a rejection, and the notes record none."
    ]
    assert "send the check-in first" in draft_warnings(notes, "call-script", None, today)[0]
    assert draft_warnings(notes, "linkedin-invite", LENA, today) == []
    assert draft_warnings(make_notes(), "thank-you", LENA, ROUND) == []


def test_draft_warning_after_a_negative_reply_names_it(make_notes: Callable[..., Notes]) -> None:
    notes = make_notes(history=[*thanked_everyone(), reply("2026-11-24", "negative")])
    [warning] = draft_warnings(notes, "check-in", None, D("2026-11-25"))
    assert "their reply of 2026-11-24 was a no" in warning and "thank-you-anyway" in warning
    assert draft_warnings(notes, "thank-you-anyway", None, D("2026-11-25")) == []


def test_every_why_is_one_plain_sentence(make_notes: Callable[..., Notes]) -> None:
    notes = make_notes(
        round_date=LONG_ROUND,
        referrer="Tomás Herrera",
        articles=ARTICLES,
        other_offers=[("Globex", D("2026-11-30"))],
        history=[sent("2026-10-20", "check-in")],
    )
    plan = make_plan(notes, D("2026-11-25"))
    assert {s.kind for s in plan.steps} == {"thank-you", "referrer-update", "call", "update-request", "article-share"}
    for step in plan.steps:
        assert step.why[0].isupper() and step.why.endswith(".") and "\n" not in step.why
        assert step.why.count(". ") == 0, step.why


# --------------------------------------------------------------------------- properties

KINDS = ["thank-you", "check-in", "call", "voicemail", "reply", "article-share", "update-request", "thank-you-anyway"]


@st.composite
def random_notes(draw: st.DrawFn) -> tuple[str, date]:
    """A valid notes file with a random history, and a day to plan on."""
    round_date = draw(st.dates(D("2024-01-01"), D("2028-12-31")))
    offset = st.integers(-10, 150).map(lambda n: round_date + timedelta(days=n))
    history = []
    for when in sorted(draw(st.lists(offset, max_size=8))):
        kind = draw(st.sampled_from(KINDS))
        entry: dict[str, Any] = {"date": when, "kind": kind}
        if kind == "reply":
            entry.update({"from": HM, "tone": draw(st.sampled_from(["positive", "neutral", "negative"]))})
        else:
            entry["to"] = draw(st.sampled_from([HM, LENA]))
        if kind == "call":
            entry["outcome"] = draw(st.sampled_from(["voicemail", "spoke", "no-answer"]))
        if kind == "article-share":
            entry["url"] = draw(st.sampled_from([a["url"] for a in ARTICLES]))
        history.append(entry)
    decision = {}
    if draw(st.booleans()):
        decision["expected_by"] = draw(offset)
    if draw(st.booleans()):
        decision["follow_up_ok_after"] = draw(offset)
    text = notes_yaml(
        round_date=round_date,
        time=draw(st.sampled_from([None, "8:00", "12:00", "17:30"])),
        decision=decision,
        status=draw(st.sampled_from(["waiting", "waiting", "on-hold", "rejected", "offer", "withdrawn"])),
        country=draw(st.sampled_from([None, "US", "ES-MD"])),
        referrer=draw(st.sampled_from([None, "Tomás Herrera"])),
        articles=draw(st.sampled_from([[], ARTICLES])),
        other_offers=[("Globex", d) for d in draw(st.lists(offset, max_size=2))],
        history=history,
    )
    return text, draw(st.integers(-5, 200).map(lambda n: round_date + timedelta(days=n)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_notes())
def test_plan_properties(case: tuple[str, date]) -> None:
    text, today = case
    notes = notes_module.parse(text, Path("random.yaml"))
    plan = make_plan(notes, today)
    replies = [e for e in notes.history if e.kind == "reply" and e.date <= today]  # later entries are ignored
    rejected = notes.status == "rejected" or (replies and replies[-1].tone == "negative")
    kinds = {s.kind for s in plan.steps}
    if rejected or plan.move_on or notes.status in ("offer", "withdrawn"):
        assert not kinds & {"check-in", "call", "article-share", "update-request"}
    if notes.status == "on-hold":
        assert not kinds & {"check-in", "call", "update-request"}
    if notes.status in ("offer", "withdrawn"):
        assert plan.steps == []
    if not rejected:
        assert "thank-you-anyway" not in kinds
        if notes.status != "on-hold":
            assert "keep-in-touch" not in kinds
    else:
        assert plan.expected_decision is None
    workdays = Workdays(notes.company.country)
    for step in plan.steps:  # rule 13: follow-ups only on business days
        if step.kind not in ("thank-you", "referrer-update", "thank-you-anyway"):
            assert workdays.is_business_day(step.due), step
    assert plan.steps == sorted(plan.steps, key=lambda s: (s.due, s.kind))
    data = to_json(plan, today)
    for step, shown in zip(plan.steps, data["steps"], strict=True):
        assert type(step.due) is date and D(shown["due"]) == step.due
        assert shown["overdue"] is (step.due < today)
        assert step.why.endswith(".") and step.to
    assert len({(s.kind, s.to.casefold()) for s in plan.steps}) == len(plan.steps)  # one event per kind and person
    assert make_plan(notes, today) == plan  # pure: same notes and day, same plan
    for kind in ("thank-you", "check-in", "call-script", "article-share", "update-request", "keep-in-touch"):
        assert all(isinstance(w, str) and w for w in draft_warnings(notes, kind, None, today))
