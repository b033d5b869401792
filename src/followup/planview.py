"""Plan view: the plan as a person reads it, one table per notes file and an agenda across many."""

from __future__ import annotations

from datetime import date, timedelta

from followup.notes import Notes
from followup.plan import Plan, Step, describe


def table(notes: Notes, plan: Plan, today: date) -> str:
    """One notes file's plan: a heading, then one line per step sorted by date, with the reason."""
    lines = [f"{notes.company.name}: {notes.role} ({notes.path})"]
    facts = []
    if plan.expected_decision:
        facts.append(f"expect a decision around {plan.expected_decision.isoformat()} (their estimate, doubled)")
    if plan.move_on:
        facts.append("time to move on: no answer after your follow-ups")
    if notes.status != "waiting":
        facts.append(f"status: {notes.status}")
    if facts:
        lines.append("  " + "; ".join(facts))
    if not plan.steps:
        lines.append("  nothing to send now")
    for step in plan.steps:
        marker = "overdue" if step.due < today else "today" if step.due == today else ""
        lines.append(f"  {step.due.isoformat()}  {marker:<7}  {step.kind:<16}  {step.to}")
        lines.append(f"  {'':<10}  {step.why}")
    lines.extend(f"  note: {warning}" for warning in plan.warnings)
    return "\n".join(lines) + "\n"


def agenda(plans: list[tuple[Notes, Plan]], today: date) -> str:
    """Across many notes files: what is overdue, due today and due this week, naming each company."""
    week_end = today + timedelta(days=7)
    groups: dict[str, list[tuple[Step, Notes]]] = {"Overdue": [], "Today": [], "This week": []}
    for notes, plan in plans:
        for step in plan.steps:
            if step.due < today:
                groups["Overdue"].append((step, notes))
            elif step.due == today:
                groups["Today"].append((step, notes))
            elif step.due <= week_end:
                groups["This week"].append((step, notes))
    lines = []
    for title, items in groups.items():
        lines.append(f"{title} ({len(items)})")
        for step, notes in sorted(items, key=lambda item: (item[0].due, item[1].company.name)):
            who = f"{notes.candidate.name} at {notes.company.name}"
            lines.append(f"  {step.due.isoformat()}  {who}: {describe(step.kind, step.to)}")
        if not items:
            lines.append("  nothing")
    return "\n".join(lines) + "\n"
