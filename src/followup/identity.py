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
    from followup.render import Draft

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


def round_key(notes: Notes) -> str:
    """The round a message belongs to: the latest interview's date."""
    return notes.latest_interview.date.isoformat()


PER_PERSON_KINDS = frozenset({"thank-you", "linkedin-invite"})
"""Kinds sent to each person separately: only the messages to the same person count for them."""
CALL_KINDS = frozenset({"call", "call-script", "voicemail"})


def sequence(notes: Notes, kind: str, to: str) -> int:
    """How many messages of this kind the history records in the latest round (for per-person kinds: to this
    person): the next one is a new message. Logging one person's thank-you leaves the others' IDs as they were."""
    kinds = CALL_KINDS if kind in CALL_KINDS else {kind}
    since = notes.latest_interview.date
    who = _norm(to)
    return sum(
        1
        for entry in notes.history
        if entry.kind in kinds
        and entry.date >= since
        and (kind not in PER_PERSON_KINDS or _norm(entry.to or "") == who)
    )


def message_id(draft: Draft) -> str:
    """The draft's Message-ID, `<HEX.followup@DOMAIN>`: the same for the same case, kind, recipient and round,
    until the history records that one went out (then the next is a new message)."""
    notes = draft.notes
    key = digest(
        *case_key(notes),
        draft.kind,
        _norm(draft.recipient.name),
        round_key(notes),
        str(sequence(notes, draft.kind, draft.recipient.name)),
    )
    email = notes.candidate.email or ""
    domain = email.rpartition("@")[2].strip().strip("<>[]") if "@" in email else ""
    return f"<{key}.followup@{domain or DOMAIN}>"
