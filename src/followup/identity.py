"""Identity: stable names for a case and for what is sent in it, never from how a path was typed.

A calendar event's UID and an e-mail draft's Message-ID must stay the same when the same
step is planned or drafted again (from another folder, on another machine, after the plan
moved its date), so that re-importing a calendar updates its events and pushing a draft
twice leaves one copy. Both are derived here from the case (candidate, company, role) and
the message (kind, recipient, the round it belongs to, and how many of its kind went out before).
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from followup.notes import Notes
    from followup.situation import Person, Situation

DOMAIN = "followup.invalid"
"""The right-hand side of IDs when the candidate has no e-mail address (RFC 6761 reserves .invalid)."""


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def case_key(notes: Notes) -> tuple[str, str, str]:
    """Who is applying where for what: the facts that name one interview process."""
    return (_norm(notes.candidate.name), _norm(notes.company.name), _norm(notes.role))


def digest(*parts: str, length: int = 32) -> str:
    """A hex digest of the parts (joined unambiguously)."""
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:length]


def message_key(s: Situation, kind: str, person: Person) -> tuple[str, ...]:
    """What names one message: the case, the kind, the recipient, the round it belongs to (the latest round's
    date), and how many of its kind the history records in that round (for per-person kinds: to this person).
    Logging one person's thank-you leaves the others' keys as they were; a second check-in they asked for
    is a new message."""
    from followup.plan import rule_of
    from followup.situation import recorded_as

    to = person if rule_of(kind).per_person else None
    sent = len(s.sent(*recorded_as(kind), since=s.round.date, to=to))
    case = s.__dict__.get("_case_key")
    if case is None:  # the same for every message of the case
        case = s.__dict__["_case_key"] = case_key(s.notes)
    return (*case, kind, " ".join(person.words), s.round.date.isoformat(), str(sent))


def message_id(key: tuple[str, ...], sender_email: str | None) -> str:
    """A Message-ID, `<HEX.followup@DOMAIN>`, from a message key (the sender's mail domain, else .invalid)."""
    email = sender_email or ""
    domain = email.rpartition("@")[2].strip().strip("<>[]") if "@" in email else ""
    return f"<{digest(*key)}.followup@{domain or DOMAIN}>"
