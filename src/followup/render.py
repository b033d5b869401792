"""Render: one kind of message, for the right people, from notes through a pack's template.

A template renders a message the way an e-mail is written: header lines (`Subject: ...`),
a blank line, then the body, paragraphs separated by blank lines. `render` turns that
text into a `Draft` that every writer (text, DOCX, .eml) starts from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, NamedTuple

from followup.errors import SelectionError, TemplateError
from followup.filters import first_name, last_name
from followup.notes import Article, Interviewer, Notes, Referrer
from followup.packs import Channel, Kind, Pack

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


class Recipient(NamedTuple):
    """Who a draft goes to: a person from the notes (an interviewer or the referrer)."""

    name: str
    person: Interviewer | Referrer | None = None

    @property
    def first_name(self) -> str:
        return (self.person.first_name if self.person else None) or first_name(self.name)

    @property
    def email(self) -> str | None:
        return self.person.email if self.person else None

    @property
    def title(self) -> str | None:
        return self.person.title if isinstance(self.person, Interviewer) else None

    def context(self) -> dict[str, Any]:
        """The template's `recipient`: the person's keys, plus name, first_name and last_name."""
        keys = {**_EVERY_PERSON_KEY, **(self.person.as_dict() if self.person else {})}
        return {**keys, "name": self.name, "first_name": self.first_name, "last_name": last_name(self.name)}


# Every recipient carries every person key (empty when it does not apply), so that a template
# written for interviewers still renders for the referrer, and the other way round.
_EVERY_PERSON_KEY: dict[str, Any] = {
    **Interviewer(name="").as_dict(),
    **Referrer(name="").as_dict(),
    "first_name": None,
}


class Letter(NamedTuple):
    """What a writer needs beyond the message itself: the parties, worked out once from the notes."""

    sender_name: str
    sender_email: str | None
    sender_lines: tuple[str, ...]  # name, postal address lines, phone, e-mail, LinkedIn
    recipient_lines: tuple[str, ...]  # name, title, then the company and its address (its name not doubled)
    language: str  # the pack's language code, e.g. "en" or "es"

    @classmethod
    def of(cls, notes: Notes, recipient: Recipient, language: str = "en") -> Letter:
        candidate = notes.candidate
        sender = [candidate.name, *(candidate.address or "").splitlines()]
        sender += [x for x in (candidate.phone, candidate.email, candidate.linkedin) if x]
        address = [line for line in (notes.company.address or "").splitlines() if line.strip()]
        company = address if address and address[0].strip() == notes.company.name else [notes.company.name, *address]
        to = [recipient.name, *([recipient.title] if recipient.title else []), *company]
        return cls(candidate.name, candidate.email, tuple(sender), tuple(to), language)


class Draft(NamedTuple):
    """One rendered message, ready for a writer: writers read this and nothing else."""

    kind: str
    channel: Channel
    notes: Notes
    recipient: Recipient
    headers: dict[str, str]
    paragraphs: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    letter: Letter | None = None

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
) -> list[Draft]:
    """Every draft of one kind for one notes file: one per interviewer, or one to the right person."""
    kind = pack.kind(kind_name)
    if max_chars is not None:  # e.g. 300 for a paid LinkedIn account
        kind = kind._replace(max_chars=max_chars)
    template_name = _template_for(pack, kind, tone)
    template = pack.environment.load(template_name)
    drafts = []
    for recipient, article in choose_recipients(notes, kind, to):
        context = template_context(
            notes, recipient, article=article, today=today, kind=kind, tone=tone or "", output_format=output_format
        )
        text = pack.environment.render_bounded(template, context)
        one = _draft(kind, notes, recipient, text, template.filename or template_name)
        drafts.append(one._replace(letter=Letter.of(notes, recipient, pack.manifest.language)))
    return drafts


def _template_for(pack: Pack, kind: Kind, tone: str | None) -> str:
    if tone is None:
        return kind.template
    if tone not in kind.tones:
        raise SelectionError(
            f"pack {pack.name} has no `{tone}` tone for {kind.name}; it offers: {', '.join(sorted(kind.tones))}"
        )
    return kind.tones[tone]


def template_context(
    notes: Notes,
    recipient: Recipient,
    *,
    article: Article | None,
    today: date,
    kind: Kind,
    tone: str,
    output_format: str = "text",
) -> dict[str, Any]:
    """What a template sees (a contract with pack authors, documented in the README)."""
    interview = notes.latest_interview
    names = [p.name for p in interview.interviewers]
    colleagues = [name for name in names if name != recipient.name]
    position = names.index(recipient.name) + 1 if recipient.name in names else 0
    return {
        **notes.as_context(),
        "interview": interview,
        "recipient": {**recipient.context(), "position": position},
        "article": article,
        "colleagues": colleagues,
        "today": today,
        "kind": kind.name,
        "channel": kind.channel,
        "tone": tone,
        "format": output_format,
        "max_chars": kind.max_chars,
    }


# --------------------------------------------------------------------------- recipients


def choose_recipients(notes: Notes, kind: Kind, to: str | None) -> list[tuple[Recipient, Article | None]]:
    """Who gets a draft of this kind (and, for article-share, which article)."""
    if kind.to == "referrer":
        if notes.referrer is None:
            raise SelectionError(f"{notes.path}: no `referrer` in these notes, so there is nobody to update")
        if to and not _same_person(to, notes.referrer.name):
            raise SelectionError(f"{notes.path}: the referrer is {notes.referrer.name}, not {to}")
        return [(Recipient(notes.referrer.name, notes.referrer), None)]
    if kind.to == "article-reader":
        return [_article_and_reader(notes, to)]
    if to:
        return [(find_person(notes, to), None)]
    if kind.to == "each-interviewer":
        return [(Recipient(p.name, p), None) for p in notes.latest_interview.interviewers]
    manager = notes.hiring_manager
    return [(Recipient(manager.name, manager), None)]


def find_person(notes: Notes, name: str) -> Recipient:
    """The interviewer (any round) or referrer a --to value names: full name, first name or part."""
    people: list[Interviewer | Referrer] = list(notes.people())
    if notes.referrer:
        people.append(notes.referrer)
    wanted = " ".join(name.split()).casefold()
    tests: list[Callable[[Interviewer | Referrer], bool]] = [
        lambda p: p.name.casefold() == wanted,
        lambda p: (p.first_name or first_name(p.name)).casefold() == wanted,
        lambda p: wanted in p.name.casefold(),
    ]
    for test in tests:
        found = [p for p in people if test(p)]
        if len(found) == 1:
            return Recipient(found[0].name, found[0])
        if len(found) > 1:
            raise SelectionError(f"{notes.path}: --to {name!r} matches {', '.join(p.name for p in found)}; be precise")
    known = ", ".join(p.name for p in people)
    raise SelectionError(f"{notes.path}: nobody called {name!r} in these notes; people here: {known}")


def _same_person(a: str, b: str) -> bool:
    a, b = " ".join(a.split()).casefold(), " ".join(b.split()).casefold()
    return a == b or a == first_name(b).casefold()


def _article_and_reader(notes: Notes, to: str | None) -> tuple[Recipient, Article]:
    articles = notes.unshared_articles()
    if not articles:
        what = "every article in `articles` has been shared" if notes.articles else "there is nothing under `articles`"
        raise SelectionError(
            f"{notes.path}: {what}; add one (title, url and why it made you think of them) to share next"
        )
    if to:
        reader = find_person(notes, to)
        for_reader = [a for a in articles if a.for_ and _same_person(a.for_, reader.name)]
        for_anyone = [a for a in articles if not a.for_]
        return reader, (for_reader or for_anyone or articles)[0]
    article = articles[0]
    if article.for_:
        try:
            return find_person(notes, article.for_), article
        except SelectionError:
            pass  # `for` names someone not in the notes: fall back to the hiring manager
    manager = notes.hiring_manager
    return Recipient(manager.name, manager), article


# --------------------------------------------------------------------------- parsing


def split_message(text: str, template: str = "template") -> tuple[dict[str, str], list[str]]:
    """Split rendered text into header lines and body paragraphs, tidying whitespace.

    The header block is the first block when every line of it looks like `Name: value` and
    one names an e-mail header. Only `Subject:` may appear there: any other header (To, Cc,
    Bcc, Reply-To, X-...) is a TemplateError at its line, never a header of the draft.
    """
    lines = [
        _DOUBLE_STOP.sub("", _SPACES.sub(" ", line.rstrip()))
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    ]
    blocks: list[list[tuple[int, str]]] = [[]]
    for number, line in enumerate(lines, start=1):
        if line.strip():
            blocks[-1].append((number, line))
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
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


def _draft(kind: Kind, notes: Notes, recipient: Recipient, text: str, template: str) -> Draft:
    headers, paragraphs = split_message(text, template)
    if not paragraphs:
        raise TemplateError(template, None, f"the {kind.name} message came out empty")
    subject = headers.get("Subject")
    if kind.channel == "email" and not subject:
        raise TemplateError(template, 1, "an e-mail kind must start with a `Subject: ...` line, then a blank line")
    warnings = check_draft(kind, subject, paragraphs)
    return Draft(kind.name, kind.channel, notes, recipient, headers, tuple(paragraphs), tuple(warnings))


def check_draft(kind: Kind, subject: str | None, paragraphs: Sequence[str]) -> list[str]:
    """Limits and leftovers: a draft over a limit is still produced, with a warning naming it."""
    warnings = []
    if subject and len(subject) > MAX_SUBJECT_CHARS:
        warnings.append(f"the subject is {len(subject)} characters; keep it to {MAX_SUBJECT_CHARS} or fewer")
    body = "\n\n".join(paragraphs)
    if kind.max_chars and len(body) > kind.max_chars:
        warnings.append(f"the {kind.name} message is {len(body)} characters; the limit is {kind.max_chars}")
    for match in _LEFTOVER.finditer(f"{subject or ''}\n{body}"):
        warnings.append(f"the draft contains {match.group()!r}: a template printed an empty or unfinished value")
        break
    return warnings
