"""TEMPORARY shim (replaced by the words branch)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Literal, NamedTuple


class Finding(NamedTuple):
    what: Literal["third-person", "sentence", "private", "placeholder", "timing"]
    message: str


class Phrase(NamedTuple):
    text: str | None
    findings: tuple[Finding, ...]


class Person(NamedTuple):
    name: str
    first_name: str
    last_name: str


class Timing(NamedTuple):
    quote: str | None
    by: date | None
    phrase: str
    passed: bool
    asks_check_in: bool


def mid(text: str) -> str:
    t = text.strip().rstrip(".")
    w = t.split()[0] if t.split() else ""
    return t[:1].lower() + t[1:] if w.lower() in ("the", "a", "an", "how", "our", "their") or w.endswith("ing") else t


def topic(text: str, *, person: Person | None) -> Phrase:
    if is_private(text):
        return Phrase(None, (Finding("private", "left out: private"),))
    return Phrase(mid(text), ())


def clause(text: str, *, person: Person | None) -> Phrase:
    return topic(text, person=person)


def about_company(text: str, *, company: str) -> Phrase:
    return topic(text, person=None)


def is_private(text: str) -> str | None:
    return "mentions salary" if "salary" in text.lower() or "confidential" in text.lower() else None


def placeholder(text: str) -> bool:
    return text.strip().casefold() in {"your name", "company name", "job title", "interviewer name"}


def read_timing(said: str, *, said_on: date, today: date, expected_by: date | None) -> Timing:
    return Timing(
        said or None, expected_by, said, bool(expected_by and expected_by < today), "write to me" in said.lower()
    )


def shared_sentences(a: str, b: str) -> int:
    import re

    sa = {x.strip().lower() for x in re.split(r"(?<=[.!?])\s+", a) if x.strip()}
    sb = {x.strip().lower() for x in re.split(r"(?<=[.!?])\s+", b) if x.strip()}
    return len(sa & sb)


def guess_language(texts: Iterable[str]) -> str | None:
    return None
