"""Render: one kind of message, for the right people, from notes through a pack's template.

A template renders a message the way an e-mail is written: header lines (`Subject: ...`),
a blank line, then the body, paragraphs separated by blank lines. `render` turns that
text into a `Draft` that every writer (text, DOCX, .eml) starts from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import NamedTuple

from followup import wording
from followup.errors import SelectionError, TemplateError
from followup.filters import fold
from followup.identity import message_key
from followup.notes import Notes
from followup.packs import Channel, Kind, Pack
from followup.plan import Advice, advise
from followup.situation import Person, Situation
from followup.templating import environment

MAX_SUBJECT_CHARS = 60
HEADER_NAMES = ("Subject",)  # the one header a template sets: recipients, copies and replies come from the notes
_HEADER = re.compile(r"(?P<name>[A-Za-z][A-Za-z0-9-]*):[ \t]*(?P<value>.*)")  # how any header line looks
_MAIL_HEADERS = frozenset(
    [
        "subject",
        "to",
        "cc",
        "bcc",
        "from",
        "sender",
        "reply-to",
        "date",
        "message-id",
        "in-reply-to",
        "references",
        "return-path",
        "mime-version",
        "followup-to",
        "mail-followup-to",
        "disposition-notification-to",
        "importance",
        "priority",
    ]
)
_MAIL_HEADER_PREFIXES = ("content-", "resent-", "list-", "x-", "delivered-", "received", "arc-", "dkim-", "auth")
_LEFTOVER = re.compile(r"\bNone\b|\[\]|\{\}|\{\{|\}\}|\{%|%\}|\{#|#\}|\bUndefined\b|\[['\"]")
_SPACES = re.compile(r"(?<=\S)[ \t]{2,}")
_DOUBLE_STOP = re.compile(r"(?<=\w\.)\.(?=\s|$)")  # "Acme & Co." + "." -> one full stop; "..." and "0..9" stay


class Letter(NamedTuple):
    """What a writer needs beyond the message itself: the parties, worked out once from the notes."""

    sender_name: str
    sender_email: str | None
    sender_lines: tuple[str, ...]  # name, postal address lines, phone, e-mail, LinkedIn
    recipient_lines: tuple[str, ...]  # name, title, then the company and its address (its name not doubled)
    language: str  # the pack's language code, e.g. "en" or "es"

    @classmethod
    def of(
        cls, notes: Notes, recipient: Person, language: str = "en", parts: tuple[Lines, Lines] | None = None
    ) -> Letter:
        """The letter to one recipient; `parts` are `letter_parts(notes)` when several letters share them."""
        sender, company = parts or letter_parts(notes)
        to = (recipient.name, *([recipient.title] if recipient.title else []), *company)
        return cls(notes.candidate.name, notes.candidate.email, sender, to, language)


Lines = tuple[str, ...]


def letter_parts(notes: Notes) -> tuple[Lines, Lines]:
    """The lines of a case's letters that are the same for every recipient: the sender's (name, postal address,
    phone, e-mail, LinkedIn) and the company's (its name, not doubled when the address starts with it)."""
    candidate = notes.candidate
    sender = [candidate.name, *(candidate.address or "").splitlines()]
    sender += [x for x in (candidate.phone, candidate.email, candidate.linkedin) if x]
    address = [line.strip() for line in (notes.company.address or "").splitlines() if line.strip()]
    named = bool(address) and fold(address[0]).startswith(fold(notes.company.name))  # "Acme, Inc." names Acme
    company = address if named else [notes.company.name, *address]
    return tuple(sender), tuple(company)


class Draft(NamedTuple):
    """One rendered message, ready for a writer: writers read this and nothing else."""

    kind: str
    channel: Channel
    recipient: Person
    headers: dict[str, str]
    paragraphs: tuple[str, ...]
    warnings: tuple[str, ...] = ()  # about the wording the template made: limits crossed, near-copies
    letter: Letter | None = None
    source: Path | None = None  # the notes file it was drafted from
    case: tuple[str, str, str] = ("", "", "")  # candidate, company and role, as the notes write them
    key: tuple[str, ...] = ()  # what names this message across runs (identity.message_key): its Message-ID
    advice: Advice | None = None  # what the plan says about sending it today
    word_warnings: tuple[tuple[str, str], ...] = ()  # (FILE:LINE, message) about the notes' words: left out, or kept
    # as written with a doubt

    @property
    def subject(self) -> str | None:
        return self.headers.get("Subject")

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def text(self) -> str:
        """The rendered form: header lines, a blank line, the body."""
        head = "".join(f"{name}: {value}\n" for name, value in self.headers.items())
        return f"{head}\n{self.body}\n" if head else f"{self.body}\n"


def render(
    pack: Pack,
    kind_name: str,
    notes: Notes,
    *,
    today: date,
    to: str | None = None,
    tone: str | None = None,
    output_format: str = "text",
    max_chars: int | None = None,
    situation: Situation | None = None,
) -> list[Draft]:
    """Every draft of one kind for one notes file: one per interviewer, or one to the right person."""
    kind = pack.kind(kind_name)
    if max_chars is not None:  # e.g. 300 for a paid LinkedIn account
        kind = kind._replace(max_chars=max_chars)
    s = situation or Situation(notes, today)
    template_name = _template_for(pack, kind, tone)
    env = environment(pack)
    template = env.load(template_name)
    shown = template.filename or template_name
    case = (notes.candidate.name, notes.company.name, notes.role)
    drafts = []
    mixed = _mixed_languages(s, pack)
    parts = letter_parts(notes)
    for person, article in s.recipients(kind, to):
        context = s.context(person, kind=kind, article=article, tone=tone or "", output_format=output_format)
        text = env.render_bounded(template, context)
        headers, paragraphs = _parts(kind, text, shown)
        warnings = check_draft(kind, headers.get("Subject"), paragraphs)
        drafts.append(
            Draft(
                kind.name,
                kind.channel,
                person,
                headers,
                tuple(paragraphs),
                tuple(warnings),
                letter=Letter.of(notes, person, pack.manifest.language, parts),
                source=notes.path,
                case=case,
                key=message_key(s, kind.name, person),
                advice=advise(s, kind.name, person.name),
                word_warnings=(*_word_warnings(s, person), *mixed),
            )
        )
    _check_near_copies(drafts)
    return drafts


def _template_for(pack: Pack, kind: Kind, tone: str | None) -> str:
    if tone is None:
        return kind.template
    if tone not in kind.tones:
        raise SelectionError(
            f"pack {pack.name} has no `{tone}` tone for {kind.name}; it offers: {', '.join(sorted(kind.tones))}"
        )
    return kind.tones[tone]


def _word_warnings(s: Situation, person: Person) -> list[tuple[str, str]]:
    """What the notes' words made the draft leave out or keep as written, at FILE:LINE."""
    if person.role != "interviewer":
        return []
    return [(note.where, note.finding.message) for note in s.words_of(person).findings if note.in_drafts]


_LANGUAGES = {"en": "English", "es": "Spanish", "fr": "French", "de": "German", "pt": "Portuguese", "it": "Italian"}


def _mixed_languages(s: Situation, pack: Pack) -> tuple[tuple[str, str], ...]:
    """A warning when the notes are written in one language and the pack writes in another."""
    notes, drafts = s.language, pack.manifest.language.split("-")[0].lower()
    if notes is None or notes == drafts:
        return ()
    message = (
        f"the notes are in {_LANGUAGES.get(notes, notes)} but the {pack.name} pack writes "
        f"{_LANGUAGES.get(drafts, drafts)}: their words will be quoted in the wrong language; use a pack in "
        f"{_LANGUAGES.get(notes, notes)} (`followup pack list`), or translate what the drafts quote"
    )
    return ((str(s.path or "notes"), message),)


def _check_near_copies(drafts: list[Draft]) -> None:
    """Notes to several people of one round should not be near-copies: panelists compare notes."""
    if len(drafts) < 2:
        return
    bodies = [wording.sentence_set(_body_sentences(d)) for d in drafts]  # each body read once, not once a pair
    for i in range(len(drafts)):
        for j in range(i + 1, len(drafts)):
            shared = len(bodies[i] & bodies[j])
            if shared > 1:
                a, b = drafts[i], drafts[j]
                note = (
                    f"the notes to {a.recipient.name} and {b.recipient.name} share {shared} sentences word for "
                    "word; panelists compare notes, so vary one of them"
                )
                drafts[j] = b._replace(warnings=(*b.warnings, note))


def _body_sentences(draft: Draft) -> str:
    """The body without its greeting and sign-off: the sentences that should differ between panelists."""
    paragraphs = draft.paragraphs[1:-1] if len(draft.paragraphs) > 2 else draft.paragraphs
    return "\n\n".join(paragraphs)


# --------------------------------------------------------------------------- parsing


def split_message(text: str, template: str = "template") -> tuple[dict[str, str], list[str]]:
    """Split rendered text into header lines and body paragraphs, tidying whitespace.

    The header block is the first block when every line of it looks like `Name: value` and
    one names an e-mail header. Only `Subject:` may appear there: any other header (To, Cc,
    Bcc, Reply-To, X-...) is a TemplateError at its line, never a header of the draft.
    """
    blocks: list[list[tuple[int, str]]] = []
    block: list[tuple[int, str]] = []
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        line = _tidy(line)
        if line:  # tidied, a line has no trailing blanks: it is empty or holds something
            block.append((number, line))
        elif block:
            blocks.append(block)
            block = []
    if block:
        blocks.append(block)
    headers: dict[str, str] = {}
    if blocks and _is_header_block(blocks[0]):
        for number, line in blocks.pop(0):
            match = _HEADER.fullmatch(line)
            assert match is not None
            name = match["name"]
            if name.lower() != "subject":
                raise TemplateError(
                    template,
                    number,
                    f"`{name}:` is not a header a template may set; only `Subject:` (recipients, copies and"
                    " reply addresses come from the notes)",
                )
            if "Subject" in headers:
                raise TemplateError(template, number, "a second `Subject:` line; a message has one subject")
            headers["Subject"] = match["value"].strip()
    return headers, ["\n".join(line for _, line in block) for block in blocks]


def _is_header_block(block: list[tuple[int, str]]) -> bool:
    matches = [_HEADER.fullmatch(line) for _, line in block]
    names = [m["name"].lower() for m in matches if m is not None]
    return len(names) == len(matches) and any(n in _MAIL_HEADERS or n.startswith(_MAIL_HEADER_PREFIXES) for n in names)


def _tidy(line: str) -> str:
    """A line without trailing space, runs of spaces inside it made one, and a doubled full stop made one.

    The quick checks keep the regexes off the lines they cannot change (nearly all of them).
    """
    line = line.rstrip()
    if "  " in line or "\t" in line:
        line = _SPACES.sub(" ", line)
    if ".." in line:
        line = _DOUBLE_STOP.sub("", line)
    return line


def _parts(kind: Kind, text: str, template: str) -> tuple[dict[str, str], list[str]]:
    headers, paragraphs = split_message(text, template)
    if not paragraphs:
        raise TemplateError(template, None, f"the {kind.name} message came out empty")
    if kind.channel == "email" and not headers.get("Subject"):
        raise TemplateError(template, 1, "an e-mail kind must start with a `Subject: ...` line, then a blank line")
    return headers, paragraphs


def check_draft(kind: Kind, subject: str | None, paragraphs: Sequence[str]) -> list[str]:
    """Limits and leftovers: a draft over a limit is still produced, with a warning naming it."""
    warnings = []
    if subject and len(subject) > MAX_SUBJECT_CHARS:
        warnings.append(f"the subject is {len(subject)} characters; keep it to {MAX_SUBJECT_CHARS} or fewer")
    body = "\n\n".join(paragraphs)
    if kind.max_chars and len(body) > kind.max_chars:
        warnings.append(f"the {kind.name} message is {len(body)} characters; the limit is {kind.max_chars}")
    text = f"{subject or ''}\n{body}"
    if "None" not in text and "Undefined" not in text and "[" not in text and "{" not in text and "}" not in text:
        return warnings  # nothing _LEFTOVER could find
    for match in _LEFTOVER.finditer(text):
        warnings.append(f"the draft contains {match.group()!r}: a template printed an empty or unfinished value")
        break
    return warnings
