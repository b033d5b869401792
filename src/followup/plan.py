"""Plan: the cadence rules of DESIGN.md, read off a Situation.

`make_plan(notes, today)` answers "what do I send, to whom, when, and why?"; every step's
`why` says truly why its date is what it is. `advise(...)` says what is premature or
unwise about drafting a kind today, and whether the plan advises against it (rule 15: a
batch never writes such a draft unless asked). Nothing here reads files, prints or looks
at the clock: the caller passes `today`. The facts (who is who, replies, the state, the
business days) come from `followup.situation`; this module only applies the rules.

Where DESIGN.md's rules leave room, this module decides as follows.

- A reply from anyone counts as a reply, and so does a call whose outcome is `spoke`;
  any other call is unanswered. Follow-ups counted by rules 5 and 6 are check-ins and
  unanswered calls after the last reply.
- A check-in "after the latest round" is one dated on or after that round's date.
- Rule 4's call is listed as soon as the round's latest check-in has no reply and no call
  after it; a reply that arrives later still cancels it.
- Rule 8 counts the last outbound entry as the latest history entry that is not a reply,
  or the latest round's date if that is later (the interview is contact too).
- Rule 9: rejected means status `rejected` or a latest reply that is negative (a later
  friendly reply means they re-engaged). Thank-you notes and the referrer update still apply.
- Rule 11 treats an expected decision already past as none, so any deadline still ahead
  qualifies; one update request is proposed at a time, for the earliest deadline.
- Rule 12: on hold, the long-wait article-shares of rule 8 continue while articles remain
  (from 21 days after the latest round); after the last one, one keep-in-touch note 90
  days after the last outbound entry.
- Rule 13 moves a due date forward to the next business day; rule 11's cap (3 business
  days before the deadline) is already one.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Literal, NamedTuple

from followup.notes import Notes
from followup.situation import CALL_KINDS, PESTER_LIMIT, WEEK, Situation, recorded_as

THANK_YOU_NOON = 12
CALL_AFTER_BUSINESS_DAYS = 5
CHECK_IN_AFTER_BUSINESS_DAYS = 2
LONG_WAIT_DAYS = 21
ARTICLE_EVERY_DAYS = 28
KEEP_IN_TOUCH_DAYS = 90
UPDATE_REQUEST_BUSINESS_DAYS = 3


class KindRule(NamedTuple):
    """How the plan treats a kind of message (the pack says who it goes to and by which channel)."""

    label: str  # "check-in e-mail"
    planned_as: str | None  # the plan step that drafts it ("call" for call-script and voicemail), None if unplanned
    chases: bool  # asks about the decision: never after a no, an offer, a withdrawal, on hold or past the limits
    per_person: bool  # one per interviewer: the recipient matters when matching history and steps


KIND_RULES: dict[str, KindRule] = {
    "thank-you": KindRule("thank-you note", "thank-you", False, True),
    "referrer-update": KindRule("referrer update", "referrer-update", False, False),
    "check-in": KindRule("check-in e-mail", "check-in", True, False),
    "call": KindRule("phone call", "call", True, False),
    "call-script": KindRule("phone call", "call", True, False),
    "voicemail": KindRule("phone call", "call", True, False),
    "update-request": KindRule("update request", "update-request", True, False),
    "article-share": KindRule("article to share", "article-share", False, False),
    "thank-you-anyway": KindRule("thank-you-anyway letter", "thank-you-anyway", False, False),
    "keep-in-touch": KindRule("keep-in-touch note", "keep-in-touch", False, False),
    "linkedin-invite": KindRule("LinkedIn invitation", None, False, True),
}
"""The planning rule of each built-in kind; a pack's own kinds are unplanned (drafted on request only)."""

DRAFTS_OF_STEP = {"call": ("call-script", "voicemail")}
"""The kinds a plan step is drafted as, where they differ from the step's own kind."""


def rule_of(kind: str) -> KindRule:
    return KIND_RULES.get(kind) or KindRule(kind.replace("-", " "), None, False, False)


def label(kind: str) -> str:
    """A readable name for a kind, e.g. "check-in e-mail"; unknown kinds are spelled out."""
    return rule_of(kind).label


def describe(kind: str, to: str) -> str:
    """A kind and its recipient in words: "thank-you note to Marcus Okafor", "article to share with Lena Vogt"."""
    return f"{label(kind)} {'with' if kind == 'article-share' else 'to'} {to}"


def a_or_an(text: str, *, capital: bool = False) -> str:
    """ "a check-in", "an article": the article a phrase takes."""
    article = "an" if text[:1].lower() in "aeiou" else "a"
    return f"{article.capitalize() if capital else article} {text}"


def _day(day: date) -> str:
    return f"{day.strftime('%A')} {day.isoformat()}"


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


# --------------------------------------------------------------------------- business days


def _business(s: Situation, due: date, why: str) -> tuple[date, str]:
    """Rule 13: a follow-up is never due on a weekend or public holiday; the reason says when it moved."""
    moved = s.workdays.on_or_after(due)
    if moved == due:
        return due, why
    return moved, f"{why.rstrip('.')}; {due.isoformat()} is {s.workdays.why_moved(due)}, so it moves to {_day(moved)}."


# --------------------------------------------------------------------------- the rules


def _thank_yous(s: Situation) -> list[Step]:
    """Rule 1: one thank-you per interviewer of the latest round not yet thanked."""
    held = s.round.date
    started = s.round.time
    if started is None:
        due = held
        why = "Thank-you notes go out within a day; with no start time noted, send this one on the interview day."
    elif started.hour < THANK_YOU_NOON:
        due = held
        why = "Thank-you notes go out within a day; this morning interview's note is due the same afternoon."
    else:
        due = held + timedelta(days=1)
        why = (
            "Thank-you notes go out within a day; after an afternoon interview the note goes out first thing next day."
        )
        if not s.workdays.is_business_day(due):
            why = (
                f"{why.rstrip('.')}; {due.isoformat()} is {s.workdays.why_moved(due)}, so write it then and schedule "
                f"it for {_day(s.workdays.on_or_after(due))} morning if you prefer."
            )
    return [
        Step("thank-you", person.name, due, why) for person in s.panel if not s.sent("thank-you", since=held, to=person)
    ]


def _referrer_update(s: Situation) -> list[Step]:
    """Rule 2: the referrer hears how it went the day after the latest round."""
    if s.referrer is None or s.sent("referrer-update", since=s.round.date):
        return []
    why = (
        "Update the person who referred you the day after the interview: thank them and say how it went, "
        "without asking them to chase it."
    )
    return [Step("referrer-update", s.referrer.name, s.round.date + timedelta(days=1), why)]


def _check_in(s: Situation) -> list[Step]:
    """Rule 3: one check-in per round, on the day they named or after their date has passed."""
    decision = s.notes.decision
    ok_after = decision.follow_up_ok_after
    sent = s.sent("check-in", since=s.round.date)
    if sent:
        if ok_after is None or ok_after <= sent[-1].date:
            return []
        due, why = (
            ok_after,
            f"They asked you to check in on {ok_after.isoformat()}, after your last check-in, so do exactly that.",
        )
    elif ok_after is not None:
        due, why = ok_after, f"They asked you to check in on {ok_after.isoformat()}, so do exactly that."
    elif decision.expected_by is not None:
        due = s.workdays.add(decision.expected_by, CHECK_IN_AFTER_BUSINESS_DAYS)
        why = (
            f"They expected to decide by {decision.expected_by.isoformat()}; checking in a couple of business days "
            "after that date passes is fine."
        )
    else:
        due = s.round.date + timedelta(days=WEEK)
        why = "No decision date was given, so wait no more than a week after the interview, then follow up."
    due, why = _business(s, due, why)
    return [Step("check-in", s.hiring_manager.name, due, why)]


def _call(s: Situation) -> list[Step]:
    """Rule 4: one phone call when the round's latest check-in got no reply within 5 business days."""
    indices = [i for i, e in enumerate(s.history) if e.kind == "check-in" and e.date >= s.round.date]
    if not indices:
        return []
    check_in = s.history[indices[-1]]
    if any(s.is_response(e) or e.kind in CALL_KINDS for e in s.history[indices[-1] + 1 :]):
        return []
    after_check_in = s.workdays.add(check_in.date, CALL_AFTER_BUSINESS_DAYS)
    expected_by = s.notes.decision.expected_by
    no_reply = f"With no reply to your check-in of {check_in.date.isoformat()}"
    if expected_by is not None and expected_by > after_check_in:
        due = expected_by
        why = (
            f"{no_reply}, make one phone call, timed to their decision date ({expected_by.isoformat()}, later than "
            f"5 business days after the check-in); leave a short voicemail if they don't pick up."
        )
    else:
        due = after_check_in
        timed = (
            f" (their decision date, {expected_by.isoformat()}, has come already)" if expected_by is not None else ""
        )
        why = (
            f"{no_reply} within 5 business days{timed}, make one phone call; leave a short voicemail if they don't "
            "pick up."
        )
    due, why = _business(s, due, why)
    return [Step("call", s.hiring_manager.name, due, why)]


def _article_share(s: Situation, warnings: list[str] | None) -> list[Step]:
    """Rule 8 (and 12) without the 21-day threshold: the next article to share, 28 days after the last message."""
    if s.next_article is None:
        if warnings is not None:
            have = "every article in `articles` has been shared" if s.notes.articles else "`articles` is empty"
            warnings.append(
                f"A long wait calls for a varied nudge, but {have}: add one (or note company `news` or your own "
                "`kudos`) to keep in view without just asking again."
            )
        return []
    article, reader = s.next_article
    if warnings is not None and article.for_ and s.match(article.for_, s.interviewers) is None:
        warnings.append(
            f'The article "{article.title}" is `for` {article.for_}, who is not among the interviewers; '
            f"it goes to the hiring manager, {reader.name}, instead."
        )
    last = s.last_outbound
    due = last + timedelta(days=ARTICLE_EVERY_DAYS)
    why = (
        f'In a long wait, vary your messages: share "{article.title}" 28 days after your last message '
        f"({last.isoformat()}), rather than asking for news again."
    )
    due, why = _business(s, due, why)
    return [Step("article-share", reader.name, due, why)]


def _rejection(s: Situation) -> list[Step]:
    """Rule 9: a gracious last note after a rejection, then one keep-in-touch note 90 days later."""
    steps: list[Step] = []
    sent = s.sent("thank-you-anyway")
    to = s.company_contact("thank-you-anyway")
    if sent:
        base = sent[-1].date
        about = f"your thank-you-anyway of {base.isoformat()}"
    else:
        reply = s.rejection
        if reply is not None:
            base = reply.day + timedelta(days=1)
            who = f"{reply.sender.name}'s" if reply.sender else "their"
            why = (
                f"After {who} no of {reply.day.isoformat()}, send one last gracious note the next day: thank them"
                + (", answer what they said" if reply.gave_reason or reply.invited_contact else ", ask for feedback")
                + " and say you would welcome future roles, never bitter."
            )
        else:
            base = s.today
            why = (
                "After a rejection, send one last gracious note now: thank them, ask for feedback and say you would "
                "welcome future roles, never bitter."
            )
        steps.append(Step("thank-you-anyway", to.name, base, why))
        about = f"the thank-you-anyway (due {base.isoformat()})"
    if not s.sent("keep-in-touch", since=base if sent else None):
        why = (
            f"Companies often keep their second choice in mind, so stay in touch 90 days after {about}; "
            "a hiring manager met is a contact for the future."
        )
        due, why = _business(s, base + timedelta(days=KEEP_IN_TOUCH_DAYS), why)
        steps.append(Step("keep-in-touch", s.hiring_manager.name, due, why))
    return steps


def _on_hold(s: Situation, warnings: list[str]) -> list[Step]:
    """Rule 12: no chasing; stay in view with articles while they last, then a keep-in-touch note."""
    if s.next_article is not None:
        if (s.today - s.round.date).days >= LONG_WAIT_DAYS:
            return _article_share(s, warnings)
        return []
    last = s.last_outbound
    if s.sent("keep-in-touch", since=last) and last > s.round.date:
        return []
    why = (
        f"They have no opening now and said they would be in touch; stay in view 90 days after your last message "
        f"({last.isoformat()}) with a short, warm note."
    )
    due, why = _business(s, last + timedelta(days=KEEP_IN_TOUCH_DAYS), why)
    return [Step("keep-in-touch", s.hiring_manager.name, due, why)]


def _update_request(s: Situation) -> list[Step]:
    """Rule 11: ask where things stand as soon as another offer's deadline is known to come first."""
    offer = s.pressing_offer
    if offer is None or offer.deadline is None:
        return []
    deadline = offer.deadline
    latest = s.workdays.add(deadline, -UPDATE_REQUEST_BUSINESS_DAYS)
    decision = s.expected_decision
    first = f"{offer.company} wants your answer by {deadline.isoformat()}, " + (
        "with no decision from them in sight"
        if decision is None or decision < s.today
        else f"before their likely decision ({decision.isoformat()}, the stated wait doubled)"
    )
    if offer.received is not None:
        due = offer.received
        when = f"ask where things stand as soon as you know (the offer came in on {offer.received.isoformat()})"
    else:
        due = s.workdays.add(s.round.date, 1)
        when = "ask where things stand as soon as you can (the business day after the interview)"
    why = f"{first}, so {when}; mentioning another offer can prompt a decision."
    if decision is not None and decision < s.today and deadline >= decision and due <= decision:
        # it only presses since their (doubled) estimate passed without a word: from the day after
        due = decision + timedelta(days=1)
        why = (
            f"{offer.company} wants your answer by {deadline.isoformat()}, and their likely decision "
            f"({decision.isoformat()}, the stated wait doubled) has passed without one, so ask where things stand; "
            "mentioning another offer can prompt a decision."
        )
    due, why = _business(s, due, why)
    if due > latest:
        due = latest
        why = (
            f"{first}, so ask where things stand no later than 3 business days before it; "
            "mentioning another offer can prompt a decision."
        )
    return [Step("update-request", s.hiring_manager.name, due, why)]


def _stale_dates(s: Situation) -> list[str]:
    decision = s.notes.decision
    held = s.round.date.isoformat()
    return [
        f"`decision.{key}` ({value.isoformat()}) is before the latest round ({held}): ask about their new timeline "
        "and update it."
        for key, value in (("expected_by", decision.expected_by), ("follow_up_ok_after", decision.follow_up_ok_after))
        if value is not None and value < s.round.date
    ]


def limit_reason(s: Situation) -> str:
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


def plan_situation(s: Situation) -> Plan:
    """Apply cadence rules 1-15 to a situation, once: the plan is kept with the situation, since advice, the
    outbox and every draft of the case ask for it."""
    plan = s.__dict__.get("_plan")
    if plan is None:
        plan = s.__dict__["_plan"] = _apply_rules(s)
    return plan


def _apply_rules(s: Situation) -> Plan:
    warnings = list(s.warnings)
    if s.closed:
        return Plan(steps=[], expected_decision=None, move_on=False, warnings=warnings)
    steps = _thank_yous(s) + _referrer_update(s)
    if s.rejected:
        steps += _rejection(s)
    elif s.on_hold:
        steps += _on_hold(s, warnings)
    else:
        warnings += _stale_dates(s)
        if s.used_up or s.written_off:
            reason = limit_reason(s)
            warnings.append(reason[0].upper() + reason[1:])
        if s.chasing_allowed:
            steps += _check_in(s) + _call(s) + _update_request(s)
            if (s.today - s.round.date).days >= LONG_WAIT_DAYS and (s.last_reply is None or not s.last_reply.negative):
                steps += _article_share(s, warnings)
    steps.sort(key=lambda st: (st.due, st.kind))  # stable: people stay in the order they were met
    return Plan(steps=steps, expected_decision=s.expected_decision, move_on=s.written_off, warnings=warnings)


def make_plan(notes: Notes, today: date) -> Plan:
    """Apply cadence rules 1-15 to the notes as of `today`."""
    return plan_situation(Situation(notes, today))


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


# --------------------------------------------------------------------------- drafting advice


class Advice(NamedTuple):
    """What the plan says about drafting one kind for one person today."""

    message: str
    level: Literal["against", "early", "sent", "unplanned"]

    @property
    def against(self) -> bool:
        """Rule 15: the plan advises against this draft (a batch skips it unless asked)."""
        return self.level == "against"


def advise(s: Situation, kind: str, to: str | None = None) -> Advice | None:
    """Why drafting `kind` (to `to`, or its usual recipient) today may be premature or unwise; None if it is due."""
    rule = rule_of(kind)
    what = a_or_an(rule.label)
    chases = rule.chases or kind == "article-share"
    if (chases or kind in ("thank-you-anyway", "keep-in-touch")) and s.closed:
        return Advice(
            f"The status is {s.notes.status}: nothing further follows an offer or a withdrawal, not even {what}.",
            "against",
        )
    if chases and s.rejected:
        reply = s.rejection
        heard = (
            f"their reply of {reply.day.isoformat()} was a no"
            if reply is not None and s.notes.status != "rejected"
            else "the status is rejected"
        )
        return Advice(
            f"Not after a rejection: {heard}, and {what} would not change it; send a gracious thank-you-anyway "
            "and keep in touch instead.",
            "against",
        )
    if rule.chases and s.on_hold:
        return Advice(
            f"On hold: they have no opening now and said they would be in touch, so {what} would only press them; "
            "stay in view with an article or a keep-in-touch note instead.",
            "against",
        )
    if chases and (s.used_up or s.written_off):
        return Advice(f"{'Time to move on' if s.written_off else 'Do not pester'}: {limit_reason(s)}", "against")
    planned = rule.planned_as
    if planned is None:
        return None
    steps = [
        st
        for st in plan_situation(s).steps
        if st.kind == planned
        and (to is None or not (rule.per_person or planned == "article-share") or s.same(to, s.person(st.to)))
    ]
    if steps:
        first = min(steps, key=lambda st: st.due)
        if first.due > s.today:
            return Advice(
                f"Not due yet: the {describe(planned, first.to)} is due on {first.due.isoformat()}. {first.why}",
                "early",
            )
        return None
    return _unplanned(s, planned, to)


def draft_warnings(notes: Notes, kind: str, to: str | None, today: date) -> list[str]:
    """Why drafting `kind` today may be premature or unwise (at most one reason)."""
    advice = advise(Situation(notes, today), kind, to)
    return [advice.message] if advice else []


def _unplanned(s: Situation, kind: str, to: str | None) -> Advice | None:
    """Advice for a planned kind that the plan does not list today."""
    if kind == "article-share" and (s.chasing_allowed or s.on_hold):
        early = _article_share(s, None)
        if early and early[0].due > s.today:
            step = early[0]
            return Advice(
                f"Not due yet: the {describe(kind, step.to)} is due on {step.due.isoformat()}. {step.why}", "early"
            )
    since = None if kind in ("thank-you-anyway", "keep-in-touch") else s.round.date
    person = s.person(to) if to and rule_of(kind).per_person else None
    sent = s.sent(*recorded_as(kind), since=since, to=person)
    if sent:
        last = sent[-1]
        done = describe(kind, last.to) if last.to else label(kind)
        return Advice(
            f"Already sent: your {done} went out on {last.date.isoformat()}, according to the history.", "sent"
        )
    if kind == "thank-you-anyway" and not s.rejected:
        return Advice(
            f"{a_or_an(label(kind), capital=True)} follows a rejection, and the notes record none.", "unplanned"
        )
    if kind == "keep-in-touch" and not (s.rejected or s.on_hold):
        return Advice(
            f'{a_or_an(label(kind), capital=True)} follows a rejection or a "no opening now" (status on-hold), '
            "and the notes record neither.",
            "unplanned",
        )
    if kind == "update-request":
        return Advice(
            f"{a_or_an(label(kind), capital=True)} fits when another offer's deadline comes before their likely "
            "decision; no entry of `other_offers` has one still ahead.",
            "unplanned",
        )
    if kind == "call":
        check_ins = s.sent("check-in", since=s.round.date)
        if not check_ins:
            return Advice(
                f"{a_or_an(label(kind), capital=True)} follows a check-in that got no reply; send the check-in first.",
                "unplanned",
            )
        return Advice(
            f"{a_or_an(label(kind), capital=True)} is for a check-in that got no reply, and they answered yours of "
            f"{check_ins[-1].date.isoformat()}.",
            "unplanned",
        )
    return None
