"""ICS: the plan's steps as an RFC 5545 calendar, one all-day event per step.

Each event says what to send to whom, why, and the command that drafts it. Its UID is
derived from the notes path, the kind and the recipient, so importing a newer plan
updates the events already in a calendar instead of adding duplicates; DTSTAMP comes
from `today`, so the same plan gives the same bytes. `icalendar` is imported only when
a calendar is made.
"""

from __future__ import annotations

import hashlib
import shlex
from datetime import date, datetime, time, timedelta, timezone

from followup.notes import Notes
from followup.plan import Plan, Step, describe

PRODID = "-//followup//EN"
_DRAFT_KIND = {"call": "call-script"}


def draft_command(notes: Notes, step: Step) -> str:
    """The shell command that drafts a step, with the path and name quoted for a POSIX shell."""
    kind = _DRAFT_KIND.get(step.kind, step.kind)
    return f"followup draft {kind} {shlex.quote(_path(notes))} --to {shlex.quote(step.to)}"


def event_uid(notes: Notes, step: Step) -> str:
    """A UID that stays the same for one notes path, kind and recipient."""
    key = "\0".join((_path(notes), step.kind, " ".join(step.to.split()).casefold()))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + "@followup"


def _path(notes: Notes) -> str:
    return str(notes.path) if notes.path is not None else "NOTES"


def calendar_bytes(plans: list[tuple[Notes, Plan]], today: date) -> bytes:
    """An iCalendar file with one all-day event per step of every plan."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "followup")
    stamp = datetime.combine(today, time(0, 0), tzinfo=timezone.utc)
    for notes, plan in plans:
        for step in plan.steps:
            summary = describe(step.kind, step.to)
            event = Event()
            event.add("uid", event_uid(notes, step))
            event.add("dtstamp", stamp)
            event.add("dtstart", step.due)
            event.add("dtend", step.due + timedelta(days=1))
            event.add("summary", f"{summary[0].upper()}{summary[1:]} ({notes.company.name})")
            event.add("description", f"{step.why}\n{draft_command(notes, step)}")
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data
