"""ICS: the plan's steps as an RFC 5545 calendar, one all-day event per step, each with a reminder.

Each event says what to send to whom, why, and the command that drafts it, and rings a
morning reminder (09:00) on its day. A step already overdue is put on `today`, not left
in the past where nobody looks, and its summary says since when it is overdue. UIDs come
from the case (candidate, company, role) and the step (kind, recipient, round, how many of
its kind went out before), never from how a path was typed, so importing a newer plan
updates the events already in a calendar instead of adding duplicates. DTSTAMP comes from
`today`, so the same plan gives the same bytes. In a calendar of several candidates (a
cohort), each summary starts with the candidate's name. `icalendar` is imported only when
a calendar is made.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable
from datetime import date, timedelta
from typing import BinaryIO, NamedTuple

from followup.notes import Notes
from followup.plan import Plan, Step, describe
from followup.situation import Situation, name_words

PRODID = "-//followup//EN"
_DRAFT_KIND = {"call": "call-script"}


def draft_command(notes: Notes, step: Step) -> str:
    """The shell command that drafts a step, with the path and name quoted for a POSIX shell."""
    kind = _DRAFT_KIND.get(step.kind, step.kind)
    return f"followup draft {kind} {shlex.quote(_path(notes))} --to {shlex.quote(step.to)}"


def event_uid(s: Situation, step: Step, occurrence: int = 0) -> str:
    """A UID that stays the same for one case and step, wherever the notes file lives and whenever it is due."""
    from followup.identity import digest, message_key

    return digest(*message_key(s, step.kind, s.person(step.to)), str(occurrence)) + "@followup"


REMINDER = timedelta(hours=9)
"""When the reminder rings: this long after the start of the (all-day) event's day."""


def _path(notes: Notes) -> str:
    return str(notes.path) if notes.path is not None else "NOTES"


class EventFacts(NamedTuple):
    """One step as a calendar event, worked out from its case alone (the calendar decides `cohort`)."""

    uid: str
    day: date
    summary: str  # "Thank-you note to Marcus Okafor (Northwind Logistics)"
    candidate: str  # put first in a calendar of several candidates
    overdue: str  # ", overdue since DATE", or ""
    description: str

    def summary_in(self, cohort: bool) -> str:
        return f"{self.candidate}: {self.summary}{self.overdue}" if cohort else f"{self.summary}{self.overdue}"


def case_events(s: Situation, plan: Plan, today: date) -> list[EventFacts]:
    """The events of one case's plan, in the plan's order."""
    notes = s.notes
    counts: dict[tuple[str, str], int] = {}
    events = []
    for step in plan.steps:
        key = (step.kind, step.to)
        uid = event_uid(s, step, counts.get(key, 0))
        counts[key] = counts.get(key, 0) + 1
        described = describe(step.kind, step.to)
        events.append(
            EventFacts(
                uid=uid,
                day=max(step.due, today),
                summary=f"{described[0].upper()}{described[1:]} ({notes.company.name})",
                candidate=notes.candidate.name,
                overdue=f", overdue since {step.due.isoformat()}" if step.overdue(today) else "",
                description=f"{step.why}\n{draft_command(notes, step)}",
            )
        )
    return events


def calendar_bytes(plans: list[tuple[Notes, Plan]], today: date) -> bytes:
    """An iCalendar file with one all-day event (and a morning reminder) per step of every plan."""
    import io

    out = io.BytesIO()
    calendar = CalendarWriter(out, today)
    for notes, plan in plans:
        calendar.add(name_words(notes.candidate.name), case_events(Situation(notes, today), plan, today))
    calendar.close()
    return out.getvalue()


class CalendarWriter:
    """A calendar written as its cases come, one event per UID (the same case twice, as a copied notes
    file, is one event), so that a calendar of 10,000 cases is never held in memory.

    In a calendar of several candidates (a cohort) every summary starts with the candidate's name.
    That is known once a second candidate comes: until then the events are held back.
    The calendar's own lines come from icalendar; each event is written as icalendar writes it (the
    same properties in the same order, escaped and folded by icalendar's own functions) without
    building an object per property, which made a calendar of 10,000 cases slow and large.
    """

    def __init__(self, out: BinaryIO, today: date) -> None:
        self.out = out
        self.stamp = f"{today:%Y%m%d}T000000Z"
        self.seen: set[str] = set()
        self.first: tuple[str, ...] | None = None  # the candidate, while there has been only one
        self.cohort = False
        self.held: list[EventFacts] = []
        out.write(_calendar_head().encode("utf-8"))

    def add(self, candidate: tuple[str, ...], events: Iterable[EventFacts]) -> None:
        """One case's events; candidate is its candidate's name words (`name_words`)."""
        if not self.cohort and candidate != (self.first or candidate):
            self.cohort = True
            self._write(self.held)
            self.held = []
        self.first = self.first or candidate
        fresh = [facts for facts in events if facts.uid not in self.seen]
        self.seen.update(facts.uid for facts in fresh)
        if self.cohort:
            self._write(fresh)
        else:
            self.held.extend(fresh)

    def close(self) -> None:
        """The events still held back, and the calendar's end."""
        self._write(self.held)
        self.held = []
        self.out.write(b"END:VCALENDAR\r\n")

    def _write(self, events: list[EventFacts]) -> None:
        from icalendar.parser.string import _escape_char, _foldline

        def line(text: str) -> str:
            return text + "\r\n" if len(text) < 75 and text.isascii() else _foldline(text) + "\r\n"

        trigger = f"TRIGGER;RELATED=START:PT{REMINDER.seconds // 3600}H"
        for facts in events:
            summary = _escape_char(facts.summary_in(self.cohort))
            event = (
                "BEGIN:VEVENT\r\n",
                line(f"SUMMARY:{summary}"),
                f"DTSTART;VALUE=DATE:{facts.day:%Y%m%d}\r\n",
                f"DTEND;VALUE=DATE:{facts.day + timedelta(days=1):%Y%m%d}\r\n",
                f"DTSTAMP:{self.stamp}\r\n",
                line(f"UID:{_escape_char(facts.uid)}"),
                line(f"DESCRIPTION:{_escape_char(facts.description)}"),
                "TRANSP:TRANSPARENT\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\n",
                line(f"DESCRIPTION:{summary}"),
                f"{trigger}\r\nEND:VALARM\r\nEND:VEVENT\r\n",
            )
            self.out.write("".join(event).encode("utf-8"))


def _calendar_head() -> str:
    """The calendar's lines before its events, as icalendar writes them."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "followup")
    text: str = calendar.to_ical().decode("utf-8")
    return text.removesuffix("END:VCALENDAR\r\n")


def event_summary(notes: Notes, step: Step, today: date, *, cohort: bool = False) -> str:
    """ "Thank-you note to Marcus Okafor (Northwind Logistics)", with the candidate first in a cohort's calendar
    and ", overdue since DATE" for a step whose day has passed."""
    described = describe(step.kind, step.to)
    summary = f"{described[0].upper()}{described[1:]} ({notes.company.name})"
    if cohort:
        summary = f"{notes.candidate.name}: {summary}"
    if step.overdue(today):
        summary += f", overdue since {step.due.isoformat()}"
    return summary
