"""Outbox: every step the plan says is due, drafted in the format it will be sent in.

`due_steps(situation, within)` picks the plan's steps due by today (or within N days);
`draft_due` renders each one for its own recipient (a phone call gives a call script and
a voicemail); `followup.batch` writes them to a folder, one file per draft, never
replacing a file that is there: running it twice writes nothing new. Only the plan's
steps are drafted, so nothing the plan advises against is; `advised_against` says what
was held back and why.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from followup.plan import DRAFTS_OF_STEP, Step, plan_situation

if TYPE_CHECKING:
    from followup.packs import Pack
    from followup.render import Draft
    from followup.situation import Situation
    from followup.writers import Format


class DueDraft(NamedTuple):
    """One draft of a due step, and the format it goes out in."""

    step: Step
    draft: Draft
    fmt: Format


def due_steps(s: Situation, within: int = 0) -> list[Step]:
    """The plan's steps due by today, or within `within` days of it (overdue ones included)."""
    horizon = s.today + timedelta(days=within)
    return [step for step in plan_situation(s).steps if step.due <= horizon]


def later_steps(s: Situation, within: int = 0) -> list[Step]:
    """The plan's steps due after the horizon: left for another day."""
    horizon = s.today + timedelta(days=within)
    return [step for step in plan_situation(s).steps if step.due > horizon]


def advised_against(s: Situation) -> list[tuple[str, str]]:
    """What the plan holds back for these notes, and why: (what, reason) pairs, e.g. follow-ups after a rejection.

    The plan itself never lists these steps; this only says so, in the plan's own words (rule 15).
    """
    from followup.plan import advise

    if s.closed:
        status = s.notes.status
        return [("every message", f"the status is {status}: nothing further follows an offer or a withdrawal.")]
    advice = advise(s, "check-in")
    return [("follow-ups", advice.message)] if advice is not None and advice.against else []


def natural_format(channel: str, requested: Format | None) -> Format:
    """The format a draft goes out in: .eml for e-mail kinds, text for LinkedIn and phone; docx or text if asked."""
    if requested in ("docx", "text"):
        return requested
    return "eml" if channel == "email" else "text"


def draft_due(
    pack: Pack, s: Situation, *, within: int = 0, requested: Format | None = None, printing: bool = False
) -> list[DueDraft]:
    """Every due step of one notes file, rendered for its recipient (format "text" when printing)."""
    from followup.render import render

    drafts = []
    for step in due_steps(s, within):
        for kind in DRAFTS_OF_STEP.get(step.kind, (step.kind,)):
            fmt: Format = "text" if printing else natural_format(pack.kind(kind).channel, requested)
            for one in render(pack, kind, s.notes, today=s.today, to=step.to, output_format=fmt, situation=s):
                drafts.append(DueDraft(step, one, fmt))
    return drafts


def summary(due: DueDraft, today: date) -> str:
    """For whom, which kind, due when and why, in one line."""
    step, draft = due.step, due.draft
    candidate, company, _ = draft.case
    when = f"due {step.due.isoformat()}" + (", overdue" if step.overdue(today) else "")
    return f"{draft.kind} to {draft.recipient.name} for {candidate} ({company}), {when}: {step.why}"
