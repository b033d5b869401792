"""Plan: the cadence rules of DESIGN.md as pure functions of the notes and a date.

`make_plan(notes, today)` answers "what do I send, to whom, when, and why?"; every
step's `why` is one sentence naming the advice behind it. `draft_warnings` says what
is premature or unwise about drafting a kind today. Nothing here reads files, prints
or looks at the clock: the caller passes `today`.

Where DESIGN.md's rules leave room, this module decides as follows.

- Names are matched case-insensitively, ignoring extra spaces ("marcus  OKAFOR" is
  Marcus Okafor). History entries without `to` never count for a per-person kind
  (thank-you); for company kinds (check-in, call, update-request, thank-you-anyway,
  keep-in-touch, referrer-update) the recipient of a logged entry does not matter.
- History is read oldest first: entries are ordered by date, and entries of the same
  date keep the order they were written in.
- A reply (kind `reply`) from anyone at the company counts as a reply, and so does a
  call whose outcome is `spoke`. Calls are history entries of kind `call`, or of the
  draft kinds `call-script` and `voicemail`; any other outcome (or none) is an
  unanswered call.
- Follow-ups counted by the don't-pester and move-on rules (5, 6) are check-ins and
  unanswered calls after the last reply. While either rule holds, no follow-up of any
  kind is suggested: no check-in, call, article-share or update-request.
- A check-in "after the latest round" is one dated on or after that round's date.
- Rule 4's call is listed as soon as the latest check-in of the round has no reply
  and no call after it, due when the 5 business days are up (or on `expected_by`,
  if later); a reply that arrives later still cancels it.
- Rule 6 sets `move_on` when the latest unanswered call, or the second of the
  unanswered follow-ups, is 7 or more days old. `move_on` is only ever true while the
  status is waiting and no rejection was heard.
- Rule 7 doubles the wait from the latest round to `expected_by`; an `expected_by`
  before the latest round is stale, so there is no expected decision (and a warning).
- Rule 8 counts "the last outbound entry" as the latest history entry that is not a
  reply, or the latest round's date if that is later (the interview is contact too).
  Articles are offered in the order listed; an article with a url is shared once an
  article-share entry records that url; articles without a url are used up, in order,
  by article-share entries without a url. An article `for` someone who is not among
  the interviewers goes to the hiring manager, with a warning.
- Rule 9: the process counts as rejected when the status is `rejected` or the latest
  reply is negative (a later friendly reply means they re-engaged). The thank-you-anyway
  is due the day after the latest negative reply, else today; it counts as sent once any
  thank-you-anyway is in history, and one keep-in-touch note follows 90 days after it.
  Update-requests stop too (asking where things stand after a no is a follow-up), but
  thank-you notes (rule 1) and the referrer update (rule 2) still apply.
- Rule 10: with status offer or withdrawn the plan is empty.
- Rule 11 treats an expected decision that has already passed as none (their estimate,
  even doubled, is void), so any deadline still ahead qualifies; a deadline already
  past is ignored (that choice is made). One update-request is proposed at a time, for
  the earliest qualifying deadline; an offer is covered once an update-request was sent
  on or after the latest round and on or before its deadline.
- Business days step over Saturdays and Sundays only (no public holidays), starting
  from the day after (or, counting back, before) the given date.
- `draft_warnings` names one reason at most: an offer/withdrawal or a rejection (for
  follow-up kinds), else the don't-pester or move-on limit, else "not due yet" (the
  earliest planned step of that kind and recipient lies after today), else a hint for
  a planned kind the plan does not list (already sent this round, no rejection to
  answer, no deadline forcing an update request, no check-in to call about).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any, NamedTuple

from followup.notes import HistoryEntry, Interview, Notes

CALL_KINDS = frozenset({"call", "call-script", "voicemail"})
"""History kinds that record a phone call; the draft kinds call-script and voicemail plan as `call`."""

FOLLOW_UP_KINDS = frozenset({"check-in", "call", "call-script", "voicemail", "article-share", "update-request"})
"""Kinds that chase a decision: never after a rejection, an offer or a withdrawal, nor past the pester limit."""

KIND_LABELS = {
    "thank-you": "thank-you note",
    "check-in": "check-in e-mail",
    "call": "phone call",
    "call-script": "phone call",
    "voicemail": "phone call",
    "thank-you-anyway": "thank-you-anyway letter",
    "article-share": "article to share",
    "referrer-update": "referrer update",
    "linkedin-invite": "LinkedIn invitation",
    "update-request": "update request",
    "keep-in-touch": "keep-in-touch note",
}

THANK_YOU_NOON = 12
WEEK = 7
PESTER_LIMIT = 2
CALL_AFTER_BUSINESS_DAYS = 5
CHECK_IN_AFTER_BUSINESS_DAYS = 2
LONG_WAIT_DAYS = 21
ARTICLE_EVERY_DAYS = 28
KEEP_IN_TOUCH_DAYS = 90
UPDATE_REQUEST_BUSINESS_DAYS = 3


def label(kind: str) -> str:
    """A readable name for a kind, e.g. "check-in e-mail"; unknown kinds are spelled out."""
    return KIND_LABELS.get(kind, kind.replace("-", " "))


def describe(kind: str, to: str) -> str:
    """A kind and its recipient in words: "thank-you note to Marcus Okafor", "article to share with Lena Vogt"."""
    return f"{label(kind)} {'with' if kind == 'article-share' else 'to'} {to}"


def _a(text: str, *, capital: bool = False) -> str:
    article = "an" if text[:1].lower() in "aeiou" else "a"
    return f"{article.capitalize() if capital else article} {text}"


class Step(NamedTuple):
    """One message to send: its kind, recipient, due date and the advice behind it."""

    kind: str
    to: str
    due: date
    why: str

    def overdue(self, today: date) -> bool:
        """True when the step was due before today."""
        return self.due < today


class Plan(NamedTuple):
    """What to send when for one notes file, as of one day."""

    steps: list[Step]
    expected_decision: date | None
    move_on: bool
    warnings: list[str]


# --------------------------------------------------------------------------- dates


def add_business_days(day: date, count: int) -> date:
    """The date `count` business days (Monday-Friday) after `day`, or before it if count < 0."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    while remaining:
        day += timedelta(days=step)
        if day.weekday() < 5:
            remaining -= 1
    return day


def expected_decision(notes: Notes) -> date | None:
    """Rule 7: the latest round plus twice the stated wait, or None without a usable `expected_by`."""
    expected_by = notes.decision.expected_by
    held = notes.latest_interview.date
    if expected_by is None or expected_by < held:
        return None
    return held + 2 * (expected_by - held)


# --------------------------------------------------------------------------- reading the history


def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _is_response(entry: HistoryEntry) -> bool:
    return entry.kind == "reply" or (entry.kind in CALL_KINDS and entry.outcome == "spoke")


def _is_follow_up(entry: HistoryEntry) -> bool:
    return entry.kind == "check-in" or (entry.kind in CALL_KINDS and entry.outcome != "spoke")


def _of_kind(entries: Iterable[HistoryEntry], *kinds: str, since: date | None = None) -> list[HistoryEntry]:
    return [e for e in entries if e.kind in kinds and (since is None or e.date >= since)]


class _Situation(NamedTuple):
    """Facts derived once from the notes and today, shared by the rules."""

    notes: Notes
    today: date
    round: Interview
    history: list[HistoryEntry]
    unanswered: list[HistoryEntry]
    rejected: bool
    negative_reply: HistoryEntry | None
    pester: bool
    move_on_since: HistoryEntry | None

    @property
    def move_on(self) -> bool:
        return self.move_on_since is not None

    @property
    def closed(self) -> bool:
        return self.notes.status in ("offer", "withdrawn")

    @property
    def chasing_allowed(self) -> bool:
        """Whether a follow-up may be suggested at all (rules 5, 6, 9, 10)."""
        return not (self.closed or self.rejected or self.pester or self.move_on)

    @property
    def hiring_manager(self) -> str:
        return self.notes.hiring_manager.name


def _situation(notes: Notes, today: date) -> _Situation:
    history = sorted(notes.history, key=lambda e: e.date)  # stable: same-day entries keep their order
    last_response = max((i for i, e in enumerate(history) if _is_response(e)), default=-1)
    unanswered = [e for e in history[last_response + 1 :] if _is_follow_up(e)]
    replies = [e for e in history if e.kind == "reply"]
    negatives = [e for e in replies if e.tone == "negative"]
    rejected = notes.status == "rejected" or (bool(replies) and replies[-1].tone == "negative")
    waiting = notes.status == "waiting" and not rejected
    pester = waiting and len(unanswered) >= PESTER_LIMIT
    move_on_since = None
    if waiting:
        calls = [e for e in unanswered if e.kind in CALL_KINDS]
        old = today - timedelta(days=WEEK)
        if calls and calls[-1].date <= old:
            move_on_since = calls[-1]
        elif len(unanswered) >= PESTER_LIMIT and unanswered[1].date <= old:
            move_on_since = unanswered[1]
    return _Situation(
        notes=notes,
        today=today,
        round=notes.latest_interview,
        history=history,
        unanswered=unanswered,
        rejected=rejected,
        negative_reply=negatives[-1] if negatives else None,
        pester=pester,
        move_on_since=move_on_since,
    )


# --------------------------------------------------------------------------- the rules


def _thank_yous(s: _Situation) -> list[Step]:
    """Rule 1: one thank-you per interviewer of the latest round not yet thanked."""
    started = s.round.time
    if started is None:
        due = s.round.date
        why = "Thank-you notes go out within a day; with no start time noted, send this one on the interview day."
    elif started.hour < THANK_YOU_NOON:
        due = s.round.date
        why = "Thank-you notes go out within a day; this morning interview's note is due the same afternoon."
    else:
        due = s.round.date + timedelta(days=1)
        why = (
            "Thank-you notes go out within a day; after an afternoon interview the note goes out first thing next day."
        )
    sent = _of_kind(s.history, "thank-you", since=s.round.date)
    return [
        Step("thank-you", person.name, due, why)
        for person in s.round.interviewers
        if not any(_same(e.to, person.name) for e in sent)
    ]


def _referrer_update(s: _Situation) -> list[Step]:
    """Rule 2: the referrer hears how it went the day after the latest round."""
    referrer = s.notes.referrer
    if referrer is None or _of_kind(s.history, "referrer-update", since=s.round.date):
        return []
    why = (
        "Update the person who referred you the day after the interview: thank them and say how it went, "
        "without asking them to chase it."
    )
    return [Step("referrer-update", referrer.name, s.round.date + timedelta(days=1), why)]


def _check_in(s: _Situation) -> list[Step]:
    """Rule 3: one check-in per round, on the day they named or after their date has passed."""
    decision = s.notes.decision
    ok_after = decision.follow_up_ok_after
    sent = _of_kind(s.history, "check-in", since=s.round.date)
    if sent:
        if ok_after is None or ok_after <= sent[-1].date:
            return []
        why = f"They asked you to check in on {ok_after.isoformat()}, after your last check-in, so do exactly that."
        return [Step("check-in", s.hiring_manager, ok_after, why)]
    if ok_after is not None:
        due = ok_after
        why = f"They asked you to check in on {ok_after.isoformat()}, so do exactly that."
    elif decision.expected_by is not None:
        due = add_business_days(decision.expected_by, CHECK_IN_AFTER_BUSINESS_DAYS)
        why = (
            f"They expected to decide by {decision.expected_by.isoformat()}; checking in a couple of business days "
            "after that date passes is fine."
        )
    else:
        due = s.round.date + timedelta(days=WEEK)
        why = "No decision date was given, so wait no more than a week after the interview, then follow up."
    return [Step("check-in", s.hiring_manager, due, why)]


def _call(s: _Situation) -> list[Step]:
    """Rule 4: one phone call when the round's latest check-in got no reply within 5 business days."""
    indices = [i for i, e in enumerate(s.history) if e.kind == "check-in" and e.date >= s.round.date]
    if not indices:
        return []
    check_in = s.history[indices[-1]]
    if any(_is_response(e) or e.kind in CALL_KINDS for e in s.history[indices[-1] + 1 :]):
        return []
    due = add_business_days(check_in.date, CALL_AFTER_BUSINESS_DAYS)
    expected_by = s.notes.decision.expected_by
    if expected_by is not None and expected_by > due:
        due = expected_by
    why = (
        f"With no reply to your check-in of {check_in.date.isoformat()} within 5 business days, make one phone call "
        "timed to their decision date, leaving a short voicemail if they don't pick up."
    )
    return [Step("call", s.hiring_manager, due, why)]


def _article_share(s: _Situation, warnings: list[str] | None) -> list[Step]:
    """Rule 8 without its 21-day threshold: the next article to share, 28 days after the last message."""
    article = next(iter(s.notes.unshared_articles()), None)
    if article is None:
        if warnings is not None:
            have = "every article in `articles` has been shared" if s.notes.articles else "`articles` is empty"
            warnings.append(
                f"A long wait calls for a varied nudge, but {have}: add one (or note company `news` or your own "
                "`kudos`) to keep in view without just asking again."
            )
        return []
    outbound = [e.date for e in s.history if e.kind != "reply"]
    last_contact = max([s.round.date, *outbound])
    due = last_contact + timedelta(days=ARTICLE_EVERY_DAYS)
    to = s.hiring_manager
    if article.for_:
        person = next((p for p in s.notes.people() if _same(p.name, article.for_)), None)
        if person is not None:
            to = person.name
        elif warnings is not None:
            warnings.append(
                f'The article "{article.title}" is `for` {article.for_}, who is not among the interviewers; '
                f"it goes to the hiring manager, {to}, instead."
            )
    why = (
        f'In a long wait, vary your messages: share "{article.title}", 28 days after your last message, '
        "rather than asking for news again."
    )
    return [Step("article-share", to, due, why)]


def _rejection(s: _Situation) -> list[Step]:
    """Rule 9: a gracious last note after a rejection, then one keep-in-touch note 90 days later."""
    steps: list[Step] = []
    sent = _of_kind(s.history, "thank-you-anyway")
    if sent:
        base = sent[-1].date
        about = f"your thank-you-anyway of {base.isoformat()}"
    else:
        if s.negative_reply is not None:
            base = s.negative_reply.date + timedelta(days=1)
            why = (
                "After a rejection, send one last gracious note the next day: thank them, ask for feedback and say "
                "you would welcome future roles, never bitter."
            )
        else:
            base = s.today
            why = (
                "After a rejection, send one last gracious note now: thank them, ask for feedback and say you would "
                "welcome future roles, never bitter."
            )
        steps.append(Step("thank-you-anyway", s.hiring_manager, base, why))
        about = "your thank-you-anyway"
    if not _of_kind(s.history, "keep-in-touch", since=base if sent else None):
        why = (
            f"Companies often keep their second choice in mind, so stay in touch about 90 days after {about}; "
            "a hiring manager met is a contact for the future."
        )
        steps.append(Step("keep-in-touch", s.hiring_manager, base + timedelta(days=KEEP_IN_TOUCH_DAYS), why))
    return steps


def _update_request(s: _Situation) -> list[Step]:
    """Rule 11: ask where things stand 3 business days before another offer's deadline."""
    decision = expected_decision(s.notes)
    if decision is not None and decision < s.today:
        decision = None  # their estimate, even doubled, has passed: any deadline now comes first
    asked = [e.date for e in _of_kind(s.history, "update-request", since=s.round.date)]
    pending = sorted(
        (offer.deadline, offer.company)
        for offer in s.notes.other_offers
        if offer.deadline is not None
        and offer.deadline >= s.today
        and (decision is None or offer.deadline < decision)
        and not any(day <= offer.deadline for day in asked)
    )
    if not pending:
        return []
    deadline, company = pending[0]
    due = max(add_business_days(deadline, -UPDATE_REQUEST_BUSINESS_DAYS), s.today)
    if decision is None:
        reason = "with no decision from them in sight"
    else:
        reason = f"before their likely decision ({decision.isoformat()}, the stated wait doubled)"
    why = (
        f"{company} wants your answer by {deadline.isoformat()}, {reason}, so politely ask where things stand "
        "3 business days ahead; mentioning other offers can prompt a decision."
    )
    return [Step("update-request", s.hiring_manager, due, why)]


def _stale_dates(s: _Situation) -> list[str]:
    decision = s.notes.decision
    held = s.round.date.isoformat()
    return [
        f"`decision.{key}` ({value.isoformat()}) is before the latest round ({held}): ask about their new timeline "
        "and update it."
        for key, value in (("expected_by", decision.expected_by), ("follow_up_ok_after", decision.follow_up_ok_after))
        if value is not None and value < s.round.date
    ]


def _limit_reason(s: _Situation) -> str:
    """Why rules 5 and 6 stop the follow-ups, starting in lower case."""
    if s.move_on_since is not None:
        since = f"your {label(s.move_on_since.kind)} of {s.move_on_since.date.isoformat()}"
        return (
            f"no reply in the 7 days since {since}: write this one off and move on; "
            "silence usually means something changed inside the company."
        )
    dates = " and ".join(e.date.isoformat() for e in s.unanswered[:PESTER_LIMIT])
    return (
        f"your follow-ups of {dates} have had no reply, and checking in too often reads as desperate, "
        "so no further one is suggested."
    )


def make_plan(notes: Notes, today: date) -> Plan:
    """Apply cadence rules 1-11 to the notes as of `today`."""
    s = _situation(notes, today)
    if s.closed:
        return Plan(steps=[], expected_decision=expected_decision(notes), move_on=False, warnings=[])
    steps = _thank_yous(s) + _referrer_update(s)
    warnings: list[str] = []
    if s.rejected:
        steps += _rejection(s)
    else:
        warnings += _stale_dates(s)
        if s.pester or s.move_on:
            reason = _limit_reason(s)
            warnings.append(reason[0].upper() + reason[1:])
        if s.chasing_allowed:
            steps += _check_in(s) + _call(s) + _update_request(s)
            if (today - s.round.date).days >= LONG_WAIT_DAYS:
                steps += _article_share(s, warnings)
    steps.sort(key=lambda st: (st.due, st.kind))  # stable: people stay in the order they were met
    return Plan(steps=steps, expected_decision=expected_decision(notes), move_on=s.move_on, warnings=warnings)


def to_json(plan: Plan, today: date) -> dict[str, Any]:
    """The plan as the JSON object `followup plan --json` prints."""
    return {
        "steps": [
            {"kind": st.kind, "to": st.to, "due": st.due.isoformat(), "overdue": st.overdue(today), "why": st.why}
            for st in plan.steps
        ],
        "expected_decision": plan.expected_decision.isoformat() if plan.expected_decision else None,
        "move_on": plan.move_on,
        "warnings": list(plan.warnings),
    }


# --------------------------------------------------------------------------- drafting warnings

_PLANNED_KINDS = frozenset(
    {
        "thank-you",
        "referrer-update",
        "check-in",
        "call",
        "article-share",
        "update-request",
        "thank-you-anyway",
        "keep-in-touch",
    }
)


_PER_PERSON_KINDS = frozenset({"thank-you", "linkedin-invite"})


def draft_warnings(notes: Notes, kind: str, to: str | None, today: date) -> list[str]:
    """Why drafting `kind` (to `to`, or its usual recipient) today may be premature or unwise."""
    s = _situation(notes, today)
    planned = "call" if kind in CALL_KINDS else kind
    what = _a(label(kind))
    if kind in FOLLOW_UP_KINDS:
        if s.closed:
            return [f"The status is {notes.status}: nothing further follows an offer or a withdrawal, not even {what}."]
        if s.rejected:
            if notes.status == "rejected" or s.negative_reply is None:
                heard = "the status is rejected"
            else:
                heard = f"their reply of {s.negative_reply.date.isoformat()} was a no"
            return [
                f"Not after a rejection: {heard}, and {what} would not change it; send a gracious thank-you-anyway "
                "and keep in touch instead."
            ]
        if s.pester or s.move_on:
            return [f"{'Time to move on' if s.move_on else 'Do not pester'}: {_limit_reason(s)}"]
    per_person = planned in _PER_PERSON_KINDS
    steps = [
        st
        for st in make_plan(notes, today).steps
        if st.kind == planned and (not per_person or to is None or _same(st.to, to))
    ]
    if steps:
        first = min(steps, key=lambda st: st.due)
        if first.due > today:
            return [f"Not due yet: the {describe(planned, first.to)} is due on {first.due.isoformat()}. {first.why}"]
        return []
    return _unplanned(s, planned, to) if planned in _PLANNED_KINDS else []


def _unplanned(s: _Situation, kind: str, to: str | None) -> list[str]:
    """Warnings for a planned kind that the plan does not list today."""
    if kind == "article-share" and s.chasing_allowed:
        early = _article_share(s, None)
        if early and early[0].due > s.today:
            return [
                f"Not due yet: the {describe(kind, early[0].to)} is due on {early[0].due.isoformat()}. {early[0].why}"
            ]
    kinds: Sequence[str] = sorted(CALL_KINDS) if kind == "call" else (kind,)
    since = None if kind in ("thank-you-anyway", "keep-in-touch") else s.round.date
    per_person = kind in _PER_PERSON_KINDS
    sent = [e for e in _of_kind(s.history, *kinds, since=since) if not per_person or to is None or _same(e.to, to)]
    if sent:
        last = sent[-1]
        done = describe(kind, last.to) if last.to else label(kind)
        return [f"Already sent: your {done} went out on {last.date.isoformat()}, according to the history."]
    if kind in ("thank-you-anyway", "keep-in-touch") and not s.rejected:
        return [f"{_a(label(kind), capital=True)} follows a rejection, and the notes record none."]
    if kind == "update-request":
        return [
            f"{_a(label(kind), capital=True)} fits when another offer's deadline comes before their likely decision; "
            "no entry of `other_offers` has one still ahead."
        ]
    if kind == "call":
        check_ins = _of_kind(s.history, "check-in", since=s.round.date)
        if not check_ins:
            return [f"{_a(label(kind), capital=True)} follows a check-in that got no reply; send the check-in first."]
        return [
            f"{_a(label(kind), capital=True)} is for a check-in that got no reply, and they answered yours of "
            f"{check_ins[-1].date.isoformat()}."
        ]
    return []
