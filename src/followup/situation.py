"""Situation: the facts of one case, worked out once from the notes and a date.

Everything downstream reads these facts and works none of them out again: the plan's
cadence rules, who a draft goes to, the warnings and advice, and the template context.

- **People**: one rule for names. Honorifics and suffixes are dropped, accents and
  special letters folded ("Søren Kjærgaard" is `soren kjaergaard`), so `--to Soren`,
  `--to kjaergaard`, `--to "Dr. Okonkwo-Reyes"` and a history entry `to: Gloria Hayes`
  (for the interviewer `Mrs. Gloria Hayes`) all find their person.
- **Rounds**: the interviews by date; each person knows the rounds they were in.
- **History**: oldest first, entries dated after today set aside (with a warning).
- **Replies and state**: the latest reply and its sender; waiting, on hold, rejected,
  offer, withdrawn, written off, or follow-ups used up.
- **Timing**: what they said about timing, as it reads today.
- **Words**: each person's notes read with care (`followup.wording`): third person
  turned to the second, private matters left out, with FILE:LINE findings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Generic, Literal, NamedTuple, TypeVar, overload

from followup import wording
from followup.errors import SelectionError
from followup.filters import HONORIFICS, SUFFIXES, first_name, fold, last_name
from followup.notes import Article, HistoryEntry, Interview, Interviewer, Notes, OtherOffer, Referrer

if TYPE_CHECKING:
    from followup.packs import Kind

State = Literal["waiting", "on-hold", "rejected", "offer", "withdrawn", "written-off", "used-up"]

CALL_KINDS = frozenset({"call", "call-script", "voicemail"})
"""History kinds that record a phone call; the draft kinds call-script and voicemail plan as `call`."""


def recorded_as(kind: str) -> tuple[str, ...]:
    """The history kinds that record a message of this kind: a call is any of call, call-script, voicemail."""
    return tuple(sorted(CALL_KINDS)) if kind in CALL_KINDS else (kind,)


PESTER_LIMIT = 2
WEEK = 7

T = TypeVar("T")


class cached_property(Generic[T]):  # a drop-in for functools.cached_property
    """functools.cached_property without the lock Python 3.11 takes on each first access (3.12 dropped it):
    a Situation belongs to one thread, and a batch reads some 25 facts of every case."""

    def __init__(self, function: Callable[[Any], T]) -> None:
        self.function = function
        self.name = function.__name__
        self.__doc__ = function.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type) -> cached_property[T]: ...
    @overload
    def __get__(self, instance: object, owner: type) -> T: ...
    def __get__(self, instance: object, owner: type) -> T | cached_property[T]:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.function(instance)
        return value


# --------------------------------------------------------------------------- names

_NOT_NAME = re.compile(r"[^\w'\-]+")


@lru_cache(maxsize=4096)
def name_words(name: str) -> tuple[str, ...]:
    """The folded words of a name, without honorifics or suffixes: "Dr. Helen Park, PhD" -> ("helen", "park")."""
    words = [w.strip("'-") for w in _NOT_NAME.split(fold(name).replace("\u2019", "'"))]
    words = [w for w in words if w]
    while len(words) > 1 and words[0].rstrip(".") in HONORIFICS:
        words.pop(0)
    while len(words) > 1 and words[-1].rstrip(".") in SUFFIXES:
        words.pop()
    return tuple(words)


class Person(NamedTuple):
    """Someone in the notes: an interviewer, the referrer, or a contact named only in the history."""

    name: str
    first_name: str
    last_name: str
    words: tuple[str, ...]
    record: Interviewer | Referrer | None
    rounds: tuple[int, ...]  # the rounds (0-based, by date) they were in
    role: Literal["interviewer", "referrer", "contact"]

    @classmethod
    def of(
        cls,
        name: str,
        record: Interviewer | Referrer | None,
        rounds: tuple[int, ...] = (),
        role: Literal["interviewer", "referrer", "contact"] = "contact",
    ) -> Person:
        given = (record.first_name if record is not None else None) or first_name(name)
        return cls(name, given, last_name(name), name_words(name), record, rounds, role)

    @property
    def email(self) -> str | None:
        return self.record.email if self.record is not None else None

    @property
    def title(self) -> str | None:
        return self.record.title if isinstance(self.record, Interviewer) else None

    @property
    def is_hiring_manager(self) -> bool:
        return isinstance(self.record, Interviewer) and self.record.hiring_manager

    def score(self, query: str) -> int:
        """How well a name as someone typed it names this person: 3 exactly, 2 by first name, 1 in part, 0 not."""
        wanted = name_words(query)
        if not wanted:
            return 0
        if wanted == self.words:
            return 3
        if wanted == name_words(self.first_name) or (len(wanted) == 1 and wanted[0] == self.words[0]):
            return 2
        parts = [*self.words, *(p for w in self.words if "-" in w for p in w.split("-"))]
        return 1 if all(w in parts for w in wanted) else 0


# --------------------------------------------------------------------------- business days


class Workdays:
    """Monday to Friday, less the public holidays of a country (`company.country`) when one is given."""

    def __init__(self, country: str | None) -> None:
        self.country = country
        self._years: dict[int, dict[date, str]] = {}

    def holiday(self, day: date) -> str | None:
        """The name of the public holiday on this day, if any."""
        if self.country is None:
            return None
        if day.year not in self._years:
            import holidays  # only when a country is given

            country, _, region = self.country.partition("-")
            if region not in holidays.list_supported_countries().get(country, []):
                region = ""  # a region the holidays package does not know: the country's national holidays
            table = holidays.country_holidays(country, subdiv=region or None, years=day.year)
            self._years[day.year] = {d: str(n) for d, n in table.items()}
        return self._years[day.year].get(day)

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and self.holiday(day) is None

    def add(self, day: date, count: int) -> date:
        """The date `count` business days after `day` (before it if count < 0)."""
        step = timedelta(days=1 if count >= 0 else -1)
        remaining = abs(count)
        while remaining:
            day += step
            if self.is_business_day(day):
                remaining -= 1
        return day

    def on_or_after(self, day: date) -> date:
        """The day itself if it is a business day, else the next one."""
        while not self.is_business_day(day):
            day += timedelta(days=1)
        return day

    def why_moved(self, day: date) -> str:
        """Why a day is not a business day, in words: "a Saturday", "Thanksgiving Day"."""
        name = self.holiday(day)
        if name:
            return f"a public holiday ({name})"
        return f"a {('Saturday', 'Sunday')[day.weekday() - 5]}" if day.weekday() >= 5 else "a business day"


# --------------------------------------------------------------------------- replies


_REASON = (  # patterns compiled on first use (re caches them): a case without a reply needs none
    r"\b(because|as we|since we|due to|reason|more experience|less experience|experience (with|in)|"
    r"stronger|closer match|better match|better fit|more closely|looking for someone|went with|chose|"
    r"(gone|going|go) (ahead )?with|more \w+ experience|"
    r"decided to (go|move) (forward|ahead) with|internal candidate|budget|headcount|seniority|too (senior|junior))\b"
)
_INVITED = (
    r"\b(stay|keep) in (touch|contact)|\b(future|other|upcoming) (roles?|openings?|positions?|opportunit)|"
    r"\bapply again|\breapply|\bon file\b|\breach out\b|\bconnect on linkedin|\bkeep you in mind|"
    r"\bkeep your (resume|cv|details)|\bdoor (is )?open|\b(keep|stay) talking|\bapply (again|next year)\b"
)
# The same in Spanish, for notes written in Spanish ("con más experiencia en obra pública",
# "te tendremos en cuenta para futuras vacantes").
_REASON_ES = (
    r"\b(porque|debido a|ya que|dado que|motivo|razón|más experiencia|menos experiencia|experiencia (en|con|de)|"
    r"encaja(ba)? mejor|se ajusta(ba)? mejor|perfil más|candidat[oa] intern[oa]|promoción interna|presupuesto|"
    r"demasiado (s[eé]nior|j[uú]nior))\b"
)
_INVITED_ES = (
    r"\b(seguir|mantener(nos)?|estar|sigamos|mantengamos) en contacto|\bfutur[oa]s? (vacantes?|oportunidad|procesos?|"
    r"puestos?|posicion)|\bvuelvas a presentarte|\bvolver a presentarte|\btendremos en cuenta|\btenerte en cuenta|"
    r"\bguardamos tu (cv|currículum|candidatura)|\bpuerta (está |queda )?abierta|\bconectar en linkedin"
)


class Reply(NamedTuple):
    """A reply from the company, and who sent it."""

    entry: HistoryEntry
    sender: Person | None

    @property
    def day(self) -> date:
        return self.entry.date

    @property
    def negative(self) -> bool:
        return self.entry.tone == "negative"

    @property
    def gave_reason(self) -> bool:
        """Whether the reply named its reason (so a note does not ask for it again)."""
        said = self.entry.said
        return bool(said and (re.search(_REASON, said, re.I) or re.search(_REASON_ES, said, re.I)))

    @property
    def invited_contact(self) -> bool:
        """Whether the reply invited them to stay in touch or apply again (a note answers that)."""
        said = self.entry.said
        return bool(said and (re.search(_INVITED, said, re.I) or re.search(_INVITED_ES, said, re.I)))


# --------------------------------------------------------------------------- the situation


class Situation:
    """The facts of one case (one notes file) as of one day."""

    def __init__(self, notes: Notes, today: date) -> None:
        self.notes = notes
        self.today = today
        self.path = notes.path
        self.workdays = Workdays(notes.company.country)
        self.rounds: tuple[Interview, ...] = tuple(sorted(notes.interviews, key=lambda i: i.date))
        self.round = self.rounds[-1]  # the latest round
        self.warnings: list[str] = []
        if notes.company.country and "-" in notes.company.country:
            self._check_region(notes.company.country)
        dated = sorted(notes.history, key=lambda e: e.date)  # stable: same-day entries keep their order
        self.history: list[HistoryEntry] = [e for e in dated if e.date <= today]
        future = [e for e in dated if e.date > today]
        if future:
            first = future[0]
            self.warnings.append(
                f"{len(future)} history entr{'ies are' if len(future) > 1 else 'y is'} dated after today "
                f"({first.date.isoformat()}, {first.kind}); the plan ignores {'them' if len(future) > 1 else 'it'} "
                "until that day: check the date"
            )

    def _check_region(self, code: str) -> None:
        import holidays

        country, _, region = code.partition("-")
        if region not in holidays.list_supported_countries().get(country, []):
            self.warnings.append(
                f"`company.country` {code}: no public holidays are known for the region {region} of {country}, "
                f"so {country}'s national holidays are used"
            )

    # ----------------------------------------------------------------- people

    @cached_property
    def people(self) -> list[Person]:
        """Every interviewer (latest round first, each once) and the referrer."""
        rounds_of: dict[tuple[str, ...], list[int]] = {}
        records: dict[tuple[str, ...], Interviewer] = {}
        for index, interview in enumerate(self.rounds):
            for person in interview.interviewers:
                words = name_words(person.name)
                rounds_of.setdefault(words, []).append(index)
                records[words] = person  # the latest round's record of them wins
        order = sorted(rounds_of, key=lambda w: -rounds_of[w][-1])  # stable: within a round, as listed
        people = [Person.of(records[w].name, records[w], tuple(rounds_of[w]), "interviewer") for w in order]
        if self.notes.referrer is not None:
            people.append(Person.of(self.notes.referrer.name, self.notes.referrer, (), "referrer"))
        return people

    @cached_property
    def interviewers(self) -> list[Person]:
        return [p for p in self.people if p.role == "interviewer"]

    @cached_property
    def panel(self) -> list[Person]:
        """The people of the latest round, in the order they were listed."""
        return [self.interviewer(p) for p in self.round.interviewers]

    @cached_property
    def referrer(self) -> Person | None:
        return next((p for p in self.people if p.role == "referrer"), None)

    @cached_property
    def hiring_manager(self) -> Person:
        """The interviewer marked hiring_manager (latest round first), else the first one met last."""
        marked = [p for p in self.interviewers if p.is_hiring_manager]
        return marked[0] if marked else self.panel[0]

    def interviewer(self, record: Interviewer) -> Person:
        """The person an interviewer entry of the notes is (the same person in every round they were in)."""
        by_words = self.__dict__.get("_by_words")
        if by_words is None:  # asked for each person of each draft: a dict, made once
            by_words = self.__dict__["_by_words"] = {p.words: p for p in reversed(self.interviewers)}
        return by_words[name_words(record.name)]  # type: ignore[no-any-return]

    def person(self, name: str) -> Person:
        """The person a name from the notes or the history stands for (a contact if nobody matches)."""
        return self.match(name) or Person.of(name, None)

    def match(self, name: str, people: Sequence[Person] | None = None) -> Person | None:
        """The one person a name names best, or None (also when two people match equally well)."""
        if people is None:  # names from the notes come back many times: each is matched once
            matches = self.__dict__.setdefault("_matches", {})
            if name not in matches:
                matches[name] = self.match(name, self.people)
            return matches[name]  # type: ignore[no-any-return]
        scored = [(p.score(name), p) for p in people]
        best = max((s for s, _ in scored), default=0)
        found = [p for s, p in scored if s == best and s > 0]
        return found[0] if len(found) == 1 else None

    def find(self, name: str) -> Person:
        """The person a --to value names: full name, first name, surname or part; a clear error otherwise."""
        scored = [(p.score(name), p) for p in self.people]
        best = max((s for s, _ in scored), default=0)
        found = [p for s, p in scored if s == best and s > 0]
        if len(found) == 1:
            return found[0]
        if found:
            raise SelectionError(f"{self.path}: --to {name!r} matches {', '.join(p.name for p in found)}; be precise")
        known = ", ".join(p.name for p in self.people)
        raise SelectionError(f"{self.path}: nobody called {name!r} in these notes; people here: {known}")

    def same(self, a: str | None, b: Person) -> bool:
        """Whether a name written in the history (`to`, `from`, `for`) stands for this person."""
        return a is not None and self.match(a) == b

    def round_of(self, person: Person) -> Interview:
        """The latest round this person was in (the latest round for anyone else)."""
        return self.rounds[person.rounds[-1]] if person.rounds else self.round

    # ----------------------------------------------------------------- history and replies

    def sent(self, *kinds: str, since: date | None = None, to: Person | None = None) -> list[HistoryEntry]:
        """Entries of these kinds (on or after `since`; to this person), oldest first."""
        return [
            e
            for e in self.history
            if e.kind in kinds and (since is None or e.date >= since) and (to is None or self.same(e.to, to))
        ]

    @staticmethod
    def is_response(entry: HistoryEntry) -> bool:
        """A reply, or a call in which they spoke with you."""
        return entry.kind == "reply" or (entry.kind in CALL_KINDS and entry.outcome == "spoke")

    @staticmethod
    def is_follow_up(entry: HistoryEntry) -> bool:
        """A check-in, or a call that did not reach them."""
        return entry.kind == "check-in" or (entry.kind in CALL_KINDS and entry.outcome != "spoke")

    @cached_property
    def replies(self) -> list[Reply]:
        return [Reply(e, self.person(e.from_) if e.from_ else None) for e in self.history if e.kind == "reply"]

    @cached_property
    def last_reply(self) -> Reply | None:
        return self.replies[-1] if self.replies else None

    @cached_property
    def rejection(self) -> Reply | None:
        """The reply that said no: the latest reply when it is negative, else (status rejected) the latest negative."""
        last = self.last_reply
        if last is not None and last.negative:
            return last
        if self.notes.status == "rejected":
            negatives = [r for r in self.replies if r.negative]
            return negatives[-1] if negatives else None
        return None

    @cached_property
    def rejected(self) -> bool:
        return self.notes.status == "rejected" or self.rejection is not None

    @cached_property
    def unanswered(self) -> list[HistoryEntry]:
        """Follow-ups (check-ins, unanswered calls) since the last response."""
        last = max((i for i, e in enumerate(self.history) if self.is_response(e)), default=-1)
        return [e for e in self.history[last + 1 :] if self.is_follow_up(e)]

    @cached_property
    def unanswered_check_in(self) -> date | None:
        """The day of the latest check-in after the latest round, if nothing answered it."""
        check_ins = [e for e in self.unanswered if e.kind == "check-in" and e.date >= self.round.date]
        return check_ins[-1].date if check_ins else None

    @cached_property
    def last_outbound(self) -> date:
        """The day of the last thing sent (calls included), or of the latest round if that is later."""
        return max([self.round.date, *(e.date for e in self.history if e.kind != "reply")])

    @cached_property
    def last_inbound(self) -> date | None:
        responses = [e.date for e in self.history if self.is_response(e)]
        return responses[-1] if responses else None

    # ----------------------------------------------------------------- state

    @cached_property
    def closed(self) -> bool:
        """An offer or a withdrawal: nothing further follows."""
        return self.notes.status in ("offer", "withdrawn")

    @cached_property
    def on_hold(self) -> bool:
        """No opening now; they will be in touch (and no rejection since)."""
        return self.notes.status == "on-hold" and not self.rejected

    @cached_property
    def waiting(self) -> bool:
        return self.notes.status == "waiting" and not self.rejected

    @cached_property
    def used_up(self) -> bool:
        """Rule 5: two unanswered follow-ups since the last reply."""
        return self.waiting and len(self.unanswered) >= PESTER_LIMIT

    @cached_property
    def move_on_since(self) -> HistoryEntry | None:
        """Rule 6: the unanswered follow-up whose week of silence says to move on, if any."""
        if not self.waiting:
            return None
        old = self.today - timedelta(days=WEEK)
        calls = [e for e in self.unanswered if e.kind in CALL_KINDS]
        if calls and calls[-1].date <= old:
            return calls[-1]
        if len(self.unanswered) >= PESTER_LIMIT and self.unanswered[1].date <= old:
            return self.unanswered[1]
        return None

    @property
    def written_off(self) -> bool:
        return self.move_on_since is not None

    @cached_property
    def state(self) -> State:
        if self.closed:
            return self.notes.status
        if self.rejected:
            return "rejected"
        if self.on_hold:
            return "on-hold"
        if self.written_off:
            return "written-off"
        if self.used_up:
            return "used-up"
        return "waiting"

    @property
    def chasing_allowed(self) -> bool:
        """Whether asking about the decision may be suggested at all (rules 5, 6, 9, 10, 12)."""
        return self.state == "waiting"

    @cached_property
    def company_kind(self) -> str:
        """What the company is to the candidate: `company.kind`, else what the notes' words say (an agency's
        name or "the client", an e-mail at the interviewers' domain or "internal move"), else "direct"."""
        notes = self.notes
        return notes.company.kind or wording.company_kind(
            company=notes.company.name,
            about_the_job=[notes.role, notes.decision.said or "", notes.decision.next_steps or ""],
            candidate_email=notes.candidate.email,
            interviewer_emails=[p.email for p in self.interviewers],
        )

    @cached_property
    def expected_decision(self) -> date | None:
        """Rule 7: the latest round plus twice the stated wait; none after a rejection or without a usable date."""
        expected_by = self.notes.decision.expected_by
        held = self.round.date
        if expected_by is None or expected_by < held or self.rejected or self.closed or self.on_hold:
            return None
        return held + 2 * (expected_by - held)

    # ----------------------------------------------------------------- timing

    @cached_property
    def named_in_timing(self) -> list[Person]:
        """The interviewers the words on timing name, as in "Lauren said we'd hear by Friday"."""
        said = self.notes.decision.said or ""
        return [
            p
            for p in self.interviewers
            if p.first_name in said and re.search(rf"\b{re.escape(p.first_name)}\b", said)  # (most name nobody)
        ]

    @cached_property
    def timing(self) -> wording.Timing:
        """What they said about timing, as it reads today."""
        decision = self.notes.decision
        return wording.read_timing(
            decision.said or "", said_on=self.round.date, today=self.today, expected_by=decision.expected_by
        )

    # ----------------------------------------------------------------- articles and offers

    @cached_property
    def unshared_articles(self) -> list[Article]:
        """Articles not yet shared, in the order listed: history records each share's url; a share without
        a url uses up the first article without one."""
        shares = self.sent("article-share")
        urls = {e.url.strip() for e in shares if e.url}
        url_less = sum(1 for e in shares if not e.url)
        unshared = []
        for article in self.notes.articles:
            if article.url:
                if article.url.strip() not in urls:
                    unshared.append(article)
            elif url_less:
                url_less -= 1
            else:
                unshared.append(article)
        return unshared

    def reader_of(self, article: Article) -> Person:
        """Who an article goes to: its `for` person, else the hiring manager."""
        if article.for_:
            found = self.match(article.for_, self.interviewers)
            if found is not None:
                return found
        return self.hiring_manager

    @cached_property
    def next_article(self) -> tuple[Article, Person] | None:
        """The next article to share and its reader."""
        if not self.unshared_articles:
            return None
        article = self.unshared_articles[0]
        return article, self.reader_of(article)

    def article_for(self, person: Person) -> Article | None:
        """The article to share with a person someone chose: theirs, else one for anyone, else the next."""
        articles = self.unshared_articles
        mine = [a for a in articles if a.for_ and self.same(a.for_, person)]
        anyone = [a for a in articles if not a.for_]
        found = mine or anyone or articles
        return found[0] if found else None

    @cached_property
    def pressing_offer(self) -> OtherOffer | None:
        """Rule 11: the earliest other offer whose deadline comes before their likely decision and is still ahead,
        not yet raised with them."""
        decision = self.expected_decision
        if decision is not None and decision < self.today:
            decision = None  # their estimate, even doubled, has passed: any deadline now comes first
        asked = [e.date for e in self.sent("update-request", since=self.round.date)]
        pending = [
            offer
            for offer in self.notes.other_offers
            if offer.deadline is not None
            and offer.deadline >= self.today
            and (decision is None or offer.deadline < decision)
            and not any(day <= offer.deadline for day in asked)
        ]
        return min(pending, key=lambda o: o.deadline or self.today) if pending else None

    # ----------------------------------------------------------------- recipients

    def recipients(self, kind: Kind, to: str | None = None) -> list[tuple[Person, Article | None]]:
        """Who gets a draft of this kind (and, for an article-share, which article)."""
        if kind.to == "referrer":
            if self.referrer is None:
                raise SelectionError(f"{self.path}: no `referrer` in these notes, so there is nobody to update")
            if to and self.referrer.score(to) == 0:
                raise SelectionError(f"{self.path}: the referrer is {self.referrer.name}, not {to}")
            return [(self.referrer, None)]
        if kind.to == "article-reader":
            if not self.unshared_articles:
                what = (
                    "every article in `articles` has been shared"
                    if self.notes.articles
                    else "there is nothing under `articles`"
                )
                raise SelectionError(
                    f"{self.path}: {what}; add one (title, url and why it made you think of them) to share next"
                )
            if to:
                reader = self.find(to)
                return [(reader, self.article_for(reader))]
            assert self.next_article is not None
            article, reader = self.next_article
            return [(reader, article)]
        if to:
            return [(self.find(to), None)]
        if kind.to == "each-interviewer":
            return [(p, None) for p in self.panel]
        return [(self.company_contact(kind.name), None)]

    def company_contact(self, kind: str) -> Person:
        """Who a company kind goes to: the person who said no for a thank-you-anyway, else the hiring manager."""
        if kind == "thank-you-anyway" and self.rejection is not None and self.rejection.sender is not None:
            return self.rejection.sender
        return self.hiring_manager

    # ----------------------------------------------------------------- the user's words

    @cached_property
    def words(self) -> dict[tuple[int, int], PersonWords]:
        """Each interviewer's notes read with care, by (round, place) as listed in the file."""
        out: dict[tuple[int, int], PersonWords] = {}
        for r, interview in enumerate(self.notes.interviews):
            for i, record in enumerate(interview.interviewers):
                where = f"interviews[{r + 1}].interviewers[{i + 1}]"
                out[r, i] = PersonWords.read(self, record, self.interviewer(record), where)
        return out

    @cached_property
    def _latest_words(self) -> dict[tuple[str, ...], PersonWords]:
        """Each person's words as noted in the latest round they were in, by their name words."""
        latest: dict[tuple[str, ...], PersonWords] = {}
        for r, interview in sorted(enumerate(self.notes.interviews), key=lambda ri: ri[1].date):
            for i, record in enumerate(interview.interviewers):
                latest[name_words(record.name)] = self.words[r, i]
        return latest

    def words_of(self, person: Person) -> PersonWords:
        """A person's words as noted in the latest round they were in."""
        return self._latest_words.get(person.words) or PersonWords.empty()

    @cached_property
    def findings(self) -> list[WordNote]:
        """Every finding about the notes' words, with its FILE:LINE, in the file's order."""
        found = [note for w in self.words.values() for note in w.findings]
        for where, (text, phrase) in self._other_words.items():
            found += WordNote.of(self.notes.line(where), text, phrase)
        return found

    @cached_property
    def _other_words(self) -> dict[str, tuple[str, wording.Phrase]]:
        """`news`, `kudos` and each article's note, read once: (as written, as drafts say it), by dotted path."""
        n = self.notes
        texts = {
            "news": n.news,
            "kudos": n.kudos,
            **{f"articles[{i + 1}].note": a.note for i, a in enumerate(n.articles)},
        }
        # an article's note speaks to its reader ("which Dr. Solberg asked about" -> "which you asked about")
        readers = {f"articles[{i + 1}].note": _wording_person(self.reader_of(a)) for i, a in enumerate(n.articles)}
        return {
            where: (text, self.read(text, person=readers.get(where), about_company=where == "news"))
            for where, text in texts.items()
            if text
        }

    def read(
        self,
        text: str,
        *,
        person: wording.Person | None = None,
        topic: bool = False,
        phrase_ok: bool = False,
        about_company: bool = False,
    ) -> wording.Phrase:
        """One piece of the notes' words as a draft may say it: a topic ("our conversation about ..."), news about
        the company, or a clause; by the English rules for notes in English, else as written unless private."""
        if not self.english:
            return self.as_written(text)
        if topic:
            return wording.topic(text, person=person)
        if about_company:
            return wording.about_company(text, company=self.notes.company.name)
        return wording.clause(text, person=person, phrase_ok=phrase_ok)

    @cached_property
    def language(self) -> str | None:
        """The language the notes are written in ("en", "es", ...), when their words make it clear."""
        n = self.notes
        texts = [n.role, n.decision.said or "", n.decision.next_steps or "", n.news or "", n.kudos or ""]
        for interview in n.interviews:
            for p in interview.interviewers:
                texts += [*p.discussed, p.connection or "", p.add or ""]
        texts += [e.said for e in n.history if e.said]
        return wording.guess_language(texts)

    @property
    def english(self) -> bool:
        """Whether the notes' words can be read by the English rules (third person, sentences); else only
        private matters are left out, and the rest is used as written."""
        return self.language in (None, "en")

    @staticmethod
    def as_written(text: str) -> wording.Phrase:
        """Words in a language the rules do not read: as written, unless private."""
        reason = wording.is_private(text)
        if reason is not None:
            return wording.Phrase(None, (wording.Finding("private", f'"{text}" is left out of every draft: {reason}'),))
        return wording.Phrase(wording.mid(text))

    @cached_property
    def safe_notes(self) -> Notes:
        """The notes as templates see them: each person's words read with care, private matters left out."""
        interviews = [
            interview.replace(interviewers=[self.words[r, i].apply(p) for i, p in enumerate(interview.interviewers)])
            for r, interview in enumerate(self.notes.interviews)
        ]
        other = {where: phrase.text for where, (_, phrase) in self._other_words.items()}
        articles = [a.replace(note=other.get(f"articles[{i + 1}].note")) for i, a in enumerate(self.notes.articles)]
        return self.notes.replace(
            interviews=interviews, news=other.get("news"), kudos=other.get("kudos"), articles=articles
        )

    # ----------------------------------------------------------------- the template context

    def _as_drafted(self, article: Article | None) -> Article | None:
        """An article as templates see it: its note read with care."""
        return None if article is None else self.safe_notes.articles[self.notes.articles.index(article)]

    def context(
        self,
        person: Person,
        *,
        kind: Kind,
        article: Article | None = None,
        tone: str = "",
        output_format: str = "text",
    ) -> dict[str, Any]:
        """What a template sees (a contract with pack authors, documented in the README)."""
        as_noted = self.__dict__.get("_as_context")
        if as_noted is None:  # the same for every draft of the case
            as_noted = self.__dict__["_as_context"] = self.safe_notes.as_context()
        met = self.round_of(person)
        same_round = self.panel if met is self.round else [self.interviewer(p) for p in met.interviewers]
        colleagues = [p.name for p in same_round if p != person]
        others = [p.first_name for p in self.interviewers if p != person]
        position = next((i + 1 for i, p in enumerate(self.panel) if p == person), 0)
        variant = next((i for i, p in enumerate(same_round) if p == person), 0)
        words = self.words_of(person)
        record = person.record.as_dict() if person.record is not None else {}
        recipient = {
            **_EVERY_PERSON_KEY,
            **record,
            "discussed": list(words.topics),
            "connection": words.connection,
            "add": words.add,
            "private": [],
            "name": person.name,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "position": position,
            "variant": variant,
            "formal_name": formal_name(person.name),
            "greeting_name": greeting_name(person),
            "round": met,
            "met": person.role == "interviewer",
            "in_latest_round": met is self.round,
            "is_referrer": person.role == "referrer",
            "hiring_manager": person.is_hiring_manager,
        }
        hm = self.hiring_manager
        rejection = self.rejection
        offer = self.pressing_offer
        return {
            **as_noted,
            "interview": self.round,
            "recipient": recipient,
            "article": self._as_drafted(article),
            "colleagues": colleagues,
            "others_met": others,
            "hiring_manager": {
                "name": hm.name,
                "first_name": hm.first_name,
                "is_recipient": hm == person,
                # in a letter to someone else, no topic turned to the second person ("your team's move to R")
                "topic": next(
                    (t for t in self.words_of(hm).topics if hm == person or not re.search(r"\byou(r|rs|'re)?\b", t)),
                    None,
                ),
            },
            "rounds": list(self.rounds),
            "next_article": self._as_drafted(self.article_for(person)),
            "last_check_in": self.unanswered_check_in,
            "last_reply": None
            if self.last_reply is None or self.last_reply.day < self.round.date or self.last_reply.negative
            else {"date": self.last_reply.day, "said": self.last_reply.entry.said, "tone": self.last_reply.entry.tone},
            "timing": _Later(lambda: self._timing_context(person)),  # read by few kinds, and the words take a while
            "state": self.state,
            "company_kind": self.company_kind,
            "rejection": None
            if rejection is None
            else {
                "by": rejection.sender.name if rejection.sender else None,
                "by_first_name": rejection.sender.first_name if rejection.sender else None,
                "by_recipient": rejection.sender == person,
                "said": rejection.entry.said,
                "date": rejection.day,
                "gave_reason": rejection.gave_reason,
                "invited": rejection.invited_contact,
            },
            "offer": offer,
            "follow_ups": len(self.unanswered),
            "expected_decision": self.expected_decision,
            "today": self.today,
            "kind": kind.name,
            "channel": kind.channel,
            "tone": tone,
            "format": output_format,
            "max_chars": kind.max_chars,
        }

    def _timing_context(self, person: Person) -> dict[str, Any]:
        timing = self.timing
        return {
            "said": self.notes.decision.said,
            "quote": timing.quote,
            "by": timing.by,
            "phrase": timing.phrase,
            "passed": timing.passed,
            "asks_check_in": timing.asks_check_in,
            # they were in the latest round, and the words name nobody else as saying it ("Lauren said ...")
            "told_by_recipient": len(self.rounds) - 1 in person.rounds
            and not any(p != person for p in self.named_in_timing),
        }


class _Later(Mapping[str, Any]):
    """A part of the template context worked out only if the template reads it. Only the built-in pack's
    templates see one: the sandbox's worker receives it pickled, as the dict it stands for."""

    def __init__(self, make: Callable[[], dict[str, Any]]) -> None:
        self._make = make
        self._values: dict[str, Any] | None = None

    def _got(self) -> dict[str, Any]:
        if self._values is None:
            self._values = self._make()
        return self._values

    def __getitem__(self, key: str) -> Any:
        return self._got()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._got())

    def __len__(self) -> int:
        return len(self._got())

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (self._got(),))


CONTEXT_DOCS = {
    "candidate": "you: name, email, phone, linkedin, address",
    "company": "name, address, posting_url, country, kind (as the notes give it; `company_kind` always has one)",
    "role": "the job title",
    "interviews": "every round as listed: date, time, format, interviewers (their words read with care, "
    "nothing private)",
    "interview": "the latest round",
    "rounds": "every round, oldest first",
    "decision": "said, expected_by, next_steps, follow_up_ok_after (each may be empty)",
    "referrer": "name, first_name, email, relationship; or empty",
    "status": "waiting, on-hold, offer, rejected or withdrawn, as the notes say",
    "state": "the case as it stands today: waiting, on-hold, rejected (the status, or a negative reply), offer, "
    "withdrawn, written-off (no reply after the last follow-up), used-up (two follow-ups unanswered)",
    "articles": "title, url, note and `for` (write `a['for']`) of each article",
    "other_offers": "company, deadline and received of each",
    "news": 'company news you noticed, read with care ("they opened..." -> "you opened..."), or empty',
    "kudos": "your own news, or empty",
    "history": "what was sent and received: date, kind, to, from, url, outcome, tone, said",
    "recipient": "who this draft goes to: name, first_name, last_name, greeting_name (their `first_name` if the "
    'notes give one, else "Dr. Park" when the notes write a title before the name, else the first name), '
    'formal_name ("Dr. Park"), title, email, '
    "hiring_manager, linkedin, relationship (a referrer), and their words read with care: discussed (topics that "
    'read after "our conversation about"), connection and add (in the second person, private matters left out); '
    "round (the latest round they were in), met (false for a contact named only in the history), "
    "in_latest_round, variant (their place in their round: pick wording with it so panelists get different "
    "notes), position (1-based in the latest round, 0 if not in it), is_referrer",
    "hiring_manager": "name, first_name, is_recipient, topic (the first thing you discussed with them)",
    "colleagues": "names of the others in the recipient's round",
    "others_met": "first names of everyone else you met, each once",
    "timing": "their words on timing as they read today: said (as noted), quote (their words, only while they still "
    'mean what they meant), by (the date they point to), phrase (how to say it today: "by the end of next week", '
    'later "by November 27"), passed, asks_check_in (the words ask you to write), told_by_recipient',
    "expected_decision": "the likely decision date (their estimate doubled), or empty",
    "company_kind": '`company.kind` when the notes give it, else read from them: "agency" (a recruiter placing you '
    'with its client: never write as if you would join it), "internal" (you already work there: your e-mail is at '
    'the interviewers\' domain, or the notes say it is an internal move) or "direct"',
    "rejection": "after a no: by, by_first_name, by_recipient, said, date, gave_reason (don't ask for it again), "
    "invited (they asked to stay in touch); else empty",
    "offer": "the other offer that presses (company, deadline, received), or empty",
    "follow_ups": "follow-ups sent since their last reply",
    "last_check_in": "the day of your check-in still unanswered, or empty",
    "last_reply": "their latest reply since the latest round, unless it was a no: date, said, tone; or empty",
    "article": "for article-share: the article chosen (title, url, note); else empty",
    "next_article": "the next article not yet shared that suits the recipient, or empty",
    "today": "today's date",
    "kind": "the kind being drafted",
    "channel": "email, linkedin or phone",
    "tone": "the --tone asked for, or empty",
    "format": "text, docx or eml: what the draft will become",
    "max_chars": "the kind's character limit (pack.yaml, or --max-chars), or empty",
}
"""Every name a template sees, documented for pack authors (the README's table is made from this)."""


def context_table() -> str:
    """The README's table of what a template sees."""
    rows = "".join(f"| `{name}` | {text} |\n" for name, text in CONTEXT_DOCS.items())
    return f"| name | what it is |\n|---|---|\n{rows}"


def greeting_name(person: Person) -> str:
    """The name to greet someone by: what the notes say you call them (`first_name`), else "Dr. Lowell" where
    the notes write a title before their name, else their first name."""
    if person.record is not None and person.record.first_name:
        return person.first_name
    formal = formal_name(person.name)
    return formal if formal != person.name else person.first_name


def formal_name(name: str) -> str:
    """How a formal letter addresses someone: "Dr. Helen Park" -> "Dr. Park"; no honorific -> the full name."""
    words = name.split()
    titles = []
    while len(words) > 1 and fold(words[0]).rstrip(".") in HONORIFICS:
        titles.append(words.pop(0))
    if titles and len(words) > 1:
        return f"{titles[0]} {' '.join(words[1:])}"
    return name


def _wording_person(person: Person | None) -> wording.Person | None:
    if person is None:
        return None
    return wording.Person(person.name, person.first_name, person.last_name)


# Every recipient carries every person key (empty when it does not apply), so that a template
# written for interviewers still renders for the referrer, and the other way round.
_EVERY_PERSON_KEY: dict[str, Any] = {
    **Interviewer(name="").as_dict(),
    **Referrer(name="").as_dict(),
    "first_name": None,
}


class WordNote(NamedTuple):
    """A finding about the notes' words, where it is, and whether a draft should mention it."""

    where: str  # FILE:LINE
    finding: wording.Finding
    in_drafts: bool  # left out, or kept as written with a doubt (not: turned to the second person, framed)

    @classmethod
    def of(cls, where: str, text: str, phrase: wording.Phrase) -> list[WordNote]:
        kept_as_is = phrase.text is None or phrase.text == wording.mid(text)
        return [cls(where, f, kept_as_is) for f in phrase.findings]


class PersonWords(NamedTuple):
    """One person's notes read with care: what drafts may say, and what was found."""

    topics: tuple[str, ...]
    connection: str | None
    add: str | None
    findings: tuple[WordNote, ...]

    @classmethod
    def empty(cls) -> PersonWords:
        return cls((), None, None, ())

    @classmethod
    def read(cls, s: Situation, record: Interviewer, person: Person, where: str) -> PersonWords:
        who = _wording_person(person)
        findings: list[WordNote] = []
        topics = []
        for i, item in enumerate(record.discussed):
            phrase = s.read(item, person=who, topic=True)
            findings += WordNote.of(s.notes.line(f"{where}.discussed[{i + 1}]"), item, phrase)
            if phrase.text:
                topics.append(phrase.text)
        out: dict[str, str | None] = {}
        for key in ("connection", "add"):  # `add` may be a topic too: "One thing I didn't mention: my thesis on X"
            text = record[key]
            out[key] = None
            if text:
                phrase = s.read(text, person=who, phrase_ok=key == "add")
                findings += WordNote.of(s.notes.line(f"{where}.{key}"), text, phrase)
                out[key] = phrase.text
        return cls(tuple(topics), out["connection"], out["add"], tuple(findings))

    def apply(self, record: Interviewer) -> Interviewer:
        """The interviewer as templates see them: words read with care, nothing private."""
        return record.replace(discussed=list(self.topics), connection=self.connection, add=self.add, private=[])
