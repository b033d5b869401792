"""Advice: what the notes lack that would make the drafts better, in the guidance's words.

Advice never stops anything: `followup check` prints it, and `followup draft` prints the
part that concerns the drafts it writes, as warnings on stderr.
"""

from __future__ import annotations

from followup.notes import Notes


def notes_advice(notes: Notes) -> list[str]:
    """Everything worth adding to a notes file, most important first."""
    advice = []
    decision = notes.decision
    if not (decision.said or decision.expected_by or decision.follow_up_ok_after):
        advice.append(
            "no decision timeline: ask when they expect to decide, then fill in `decision.said` and"
            " `decision.expected_by` (check-ins quote it back, and the plan times them from it)"
        )
    for person in notes.latest_interview.interviewers:
        advice.extend(person_advice(notes, person.name))
    if not notes.candidate.email:
        advice.append("no `candidate.email`: e-mail drafts will have no From address")
    if notes.status == "waiting" and not notes.articles and not notes.news and not notes.kudos:
        advice.append(
            "nothing under `articles`, `news` or `kudos`: if the wait runs long, an article or a piece of"
            " news gives you a reason to write that isn't just asking for an answer"
        )
    return advice


def person_advice(notes: Notes, name: str) -> list[str]:
    """What a thank-you to this interviewer would miss."""
    for person in notes.latest_interview.interviewers:
        if person.name == name and not person.discussed:
            return [
                f"nothing under `discussed` for {person.name}: the note will be generic; add what you talked"
                " about (the memorable detail is what makes a thank-you count)"
            ]
    return []


def draft_advice(notes: Notes, kind: str, recipient: str, output_format: str = "text") -> list[str]:
    """Advice that concerns one draft about to be written."""
    advice = []
    if kind in ("voicemail", "call-script") and not notes.candidate.phone:
        advice.append("no `candidate.phone`: a voicemail should leave your number; the draft gives your e-mail")
    if output_format == "eml":
        person = next((p for p in notes.people() if p.name == recipient), notes.referrer)
        if person is None or person.name != recipient or not person.email:
            advice.append(f"no e-mail address for {recipient} in the notes: fill in the To of the draft by hand")
        if not notes.candidate.email:
            advice.append("no `candidate.email`: the draft has no From address")
    if kind == "thank-you":
        advice.extend(person_advice(notes, recipient))
    if kind in ("check-in", "update-request", "call-script") and not (
        notes.decision.said or notes.decision.expected_by
    ):
        advice.append("no decision timeline in the notes: the message cannot quote their timeline back")
    return advice
