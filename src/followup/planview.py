"""Plan view: the plan as a person reads it, one table per notes file and an agenda across many."""

from __future__ import annotations

from datetime import date, timedelta

from followup.notes import Notes
from followup.plan import Plan, describe


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
    return agenda_of([item for notes, plan in plans for item in agenda_items(notes, plan, today)], today)


def agenda_items(notes: Notes, plan: Plan, today: date) -> list[tuple[date, str, str]]:
    """One notes file's part of the agenda: (due, company, line) for each step due within the week."""
    week_end = today + timedelta(days=7)
    who = f"{notes.candidate.name} at {notes.company.name}"
    return [
        (step.due, notes.company.name, f"  {step.due.isoformat()}  {who}: {describe(step.kind, step.to)}")
        for step in plan.steps
        if step.due <= week_end
    ]


def agenda_of(items: list[tuple[date, str, str]], today: date) -> str:
    """The agenda of many notes files from their items (`agenda_items`), in the files' order."""
    groups: dict[str, list[tuple[date, str, str]]] = {"Overdue": [], "Today": [], "This week": []}
    for item in items:
        due = item[0]
        groups["Overdue" if due < today else "Today" if due == today else "This week"].append(item)
    lines = []
    for title, found in groups.items():
        lines.append(f"{title} ({len(found)})")
        lines.extend(line for _, _, line in sorted(found, key=lambda item: (item[0], item[1])))
        if not found:
            lines.append("  nothing")
    return "\n".join(lines) + "\n"
