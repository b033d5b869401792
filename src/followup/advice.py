"""Advice: what the notes lack, or say in a way drafts cannot use, in the guidance's words.

Advice never stops anything: `followup check` prints it, and `followup draft` prints the
part that concerns the drafts it writes, as warnings on stderr.
"""

from __future__ import annotations

from followup.situation import Person, Situation


def notes_advice(s: Situation) -> list[str]:
    """Everything worth adding to or rewording in a notes file, most important first."""
    advice = list(s.warnings)
    decision = s.notes.decision
    if not (decision.said or decision.expected_by or decision.follow_up_ok_after):
        advice.append(
            "no decision timeline: ask when they expect to decide, then fill in `decision.said` and"
            " `decision.expected_by` (check-ins quote it back, and the plan times them from it)"
        )
    for person in s.panel:
        advice.extend(person_advice(s, person))
    advice.extend(f"{note.where}: {note.finding.message}" for note in s.findings)
    if not s.notes.candidate.email:
        advice.append("no `candidate.email`: e-mail drafts will have no From address")
    if s.notes.status == "waiting" and not s.notes.articles and not s.notes.news and not s.notes.kudos:
        advice.append(
            "nothing under `articles`, `news` or `kudos`: if the wait runs long, an article or a piece of"
            " news gives you a reason to write that isn't just asking for an answer"
        )
    return advice


def person_advice(s: Situation, person: Person) -> list[str]:
    """What a thank-you to this interviewer would miss."""
    if person.role == "interviewer" and not s.words_of(person).topics:
        record = person.record
        had = bool(record is not None and getattr(record, "discussed", None))
        why = "what is there is left out (see below)" if had else "add what you talked about"
        return [
            f"nothing usable under `discussed` for {person.name}: the note will be generic; {why}"
            " (the memorable detail is what makes a thank-you count)"
        ]
    return []


def draft_advice(s: Situation, kind: str, person: Person, output_format: str = "text") -> list[str]:
    """Advice that concerns one draft about to be written."""
    advice = []
    if kind in ("voicemail", "call-script") and not s.notes.candidate.phone:
        advice.append("no `candidate.phone`: a voicemail should leave your number; the draft gives your e-mail")
    if output_format == "eml":
        if not person.email:
            advice.append(f"no e-mail address for {person.name} in the notes: fill in the To of the draft by hand")
        if not s.notes.candidate.email:
            advice.append("no `candidate.email`: the draft has no From address")
    if kind == "thank-you":
        advice.extend(person_advice(s, person))
    advice.extend(_maybe_sent(s, kind, person))
    if kind in ("check-in", "update-request", "call-script", "voicemail"):
        advice.extend(_offers_passed(s))
    if kind in ("check-in", "update-request", "call-script") and not (
        s.notes.decision.said or s.notes.decision.expected_by
    ):
        advice.append("no decision timeline in the notes: the message cannot quote their timeline back")
    return advice


LATE_DAYS = 3


def _maybe_sent(s: Situation, kind: str, person: Person) -> list[str]:
    """Steps overdue for days may well have gone out unrecorded: say how to record them, so the plan moves on
    (this draft's own step, and any other message to the company the plan still waits for)."""
    from followup.plan import a_or_an, describe, plan_situation, rule_of

    planned = rule_of(kind).planned_as
    path = s.path or "NOTES"
    found = []
    for step in plan_situation(s).steps:
        if (s.today - step.due).days < LATE_DAYS:
            continue
        mine = step.kind == planned and s.same(step.to, person)
        if mine or (step.kind != planned and step.kind not in ("thank-you", "referrer-update")):
            lead = (
                f"this {rule_of(step.kind).label} was due on {step.due.isoformat()}"
                if mine
                else f"the plan still waits for {a_or_an(describe(step.kind, step.to))}, due on {step.due.isoformat()}"
            )
            found.append(
                f"{lead}: if it went out, record it (`followup log {path} --kind {step.kind} "
                f'--to "{step.to}" --date YYYY-MM-DD`) and the plan moves on'
            )
    return found


def _offers_passed(s: Situation) -> list[str]:
    """Another offer whose deadline passed lately: the message should not read as if it never existed."""
    return [
        f"the deadline of the {offer.company} offer ({offer.deadline.isoformat()}) has passed: if you told them about "
        "it, say what you decided in this message, and update `other_offers` (remove it, or log their reply)"
        for offer in s.notes.other_offers
        if offer.deadline is not None and 0 < (s.today - offer.deadline).days <= 30
    ]
