"""Notes: the user's interview notes, loaded strictly from YAML with source positions.

The records below *are* the notes format (a contract with users): the loader, the
JSON Schema and the template context are all derived from them, so a key is declared
exactly once. The strict YAML machinery lives in `yamlcheck`.

Loading is strict on purpose. YAML 1.1's guesses do not apply (every plain scalar is
text until a field's type says otherwise: `10:30` is a time, `NO` is "NO", `01234`
is "01234"), duplicate keys, anchors and aliases are refused, and every problem is
reported with its line and column.
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from typing import Any, Literal

from followup.errors import NotesError, Problem
from followup.yamlcheck import Checker, Record, compose, key, read_text, schema_of

InterviewFormat = Literal["onsite", "video", "phone"]
Status = Literal["waiting", "on-hold", "offer", "rejected", "withdrawn"]
CallOutcome = Literal["voicemail", "spoke", "no-answer"]
ReplyTone = Literal["positive", "neutral", "negative"]
CompanyKind = Literal["direct", "agency", "internal"]


class Candidate(Record):
    name: str = key("Your full name, as you sign letters.", required=True)
    email: str | None = key("Your e-mail address (the From of e-mail drafts).", fmt="email", default=None)
    phone: str | None = key('Your phone number, quoted: "+1 415 555 0142".', default=None)
    linkedin: str | None = key("Your LinkedIn profile URL.", fmt="url", default=None)
    address: str | None = key(
        "Your postal address, for printed letters (use `|` for several lines).", multiline=True, default=None
    )


class Company(Record):
    name: str = key("The company's name.", required=True)
    address: str | None = key("The company's postal address, for printed letters.", multiline=True, default=None)
    posting_url: str | None = key("The job posting's URL.", fmt="url", default=None)
    country: str | None = key(
        "Where the company is, as an ISO 3166 code (US, GB, ES, or US-CA): its public holidays are not business days.",
        fmt="country",
        default=None,
    )
    kind: CompanyKind | None = key(
        "What the company is to you: direct (you would work for it), agency (a recruiter placing you with its"
        " client) or internal (your employer: a move inside it). Left out, the notes' words tell.",
        default=None,
    )


class Interviewer(Record):
    name: str = key("Their full name, e.g. Dr. Helen Park.", required=True)
    first_name: str | None = key("What you call them, if not the first word of their name.", default=None)
    title: str | None = key("Their job title.", default=None)
    email: str | None = key("Their e-mail address.", fmt="email", default=None)
    hiring_manager: bool = key("true for the person who decides (company-wide messages go to them).", default=False)
    discussed: list[str] = key("What you talked about: the memorable details.", default=[])
    connection: str | None = key("Common ground you found (a shared client, a cause, a race).", default=None)
    add: str | None = key("What you didn't get to say and want to add.", default=None)
    linkedin: str | None = key("Their LinkedIn profile URL.", fmt="url", default=None)
    private: list[str] = key(
        "For you alone (pay, what they told you in confidence): never quoted in a draft.", default=[]
    )


class Interview(Record):
    date: date = key("The day of this round (YYYY-MM-DD).", required=True)
    time: time | None = key("When it started, 24-hour HH:MM (10:30 works unquoted).", default=None)
    format: InterviewFormat | None = key("onsite, video or phone.", default=None)
    interviewers: list[Interviewer] = key("Everyone you met in this round.", required=True, min_items=1, default=[])


class Decision(Record):
    said: str | None = key("Their words about timing, quoted back in check-ins.", default=None)
    expected_by: date | None = key("The date they expect to decide by (YYYY-MM-DD).", default=None)
    next_steps: str | None = key("What they said comes next.", default=None)
    follow_up_ok_after: date | None = key("The day they asked you to check in (YYYY-MM-DD).", default=None)


class Referrer(Record):
    name: str = key("Who referred you.", required=True)
    first_name: str | None = key("What you call them, if not the first word of their name.", default=None)
    email: str | None = key("Their e-mail address.", fmt="email", default=None)
    relationship: str | None = key("How you know them, e.g. former teammate at Fabrikam.", default=None)


class Article(Record):
    title: str = key("The article's title.", required=True)
    url: str | None = key("Its link (recorded in history once shared).", fmt="url", default=None)
    note: str | None = key("Why it made you think of them.", default=None)
    for_: str | None = key("Which interviewer it suits (by name).", yaml_key="for", default=None)


class OtherOffer(Record):
    company: str = key("The other company.", required=True)
    deadline: date | None = key("When you must answer them (YYYY-MM-DD).", default=None)
    received: date | None = key("When that offer came in (YYYY-MM-DD).", default=None)


class HistoryEntry(Record):
    date: date = key("When it was sent or received (YYYY-MM-DD).", required=True)
    kind: str = key("A draft kind (thank-you, check-in, ...), or call or reply.", required=True, fmt="kind")
    to: str | None = key("Who it went to (by name).", default=None)
    from_: str | None = key("For a reply: who it came from.", yaml_key="from", default=None)
    url: str | None = key("For an article-share: which article went out.", fmt="url", default=None)
    outcome: CallOutcome | None = key("For a call: voicemail, spoke or no-answer.", default=None)
    tone: ReplyTone | None = key("For a reply: positive, neutral or negative.", default=None)
    said: str | None = key("For a reply or call: what they said.", default=None)


class Notes(Record):
    candidate: Candidate = key("You.", required=True)
    company: Company = key("The employer.", required=True)
    role: str = key("The job title you interviewed for.", required=True)
    interviews: list[Interview] = key("One entry per round, at least one.", required=True, min_items=1, default=[])
    decision: Decision = key("What they told you about timing.", default=Decision)
    referrer: Referrer | None = key("Who referred you, if anyone.", default=None)
    status: Status = key(
        'waiting, on-hold ("no opening now; we\'ll contact you"), offer, rejected or withdrawn.', default="waiting"
    )
    articles: list[Article] = key("Articles to share during a long wait.", default=[])
    other_offers: list[OtherOffer] = key("Other processes that may force your hand.", default=[])
    news: str | None = key("Company news you noticed since the interview.", default=None)
    kudos: str | None = key("Your own news worth sharing.", default=None)
    history: list[HistoryEntry] = key("What was sent and received, oldest first.", default=[])
    path: Path | None = key("The file the notes were read from.", internal=True)
    lines: dict[str, int] = key("The line of each value, by its dotted path.", internal=True, default={})

    def as_context(self) -> dict[str, Any]:
        """The notes' top-level keys under their own names, values as loaded (for templates)."""
        return {key: self[key] for key in self.keys()}

    def line(self, where: str) -> str:
        """FILE:LINE for a value's dotted path ("interviews[1].interviewers[2].discussed[1]"), or FILE."""
        number = self.lines.get(where)
        name = str(self.path) if self.path else "notes"
        return f"{name}:{number}" if number else name


def load(path: str | Path) -> Notes:
    """Load and validate one notes file; raise NotesError listing every problem found."""
    path = Path(path)
    return parse(read_text(path, NotesError, "notes"), path)


def parse(text: str, path: Path) -> Notes:
    """Validate notes given as YAML text (path is used in messages and kept on the result)."""
    node = compose(text, path, NotesError)
    checker = notes_checker()
    value = checker.record(node, Notes, "")
    if checker.problems:
        raise NotesError(path, checker.problems)
    assert isinstance(value, Notes)
    if value.company.country and not known_country(value.company.country):
        where = checker.lines.get("company.country")
        raise NotesError(
            path,
            [
                Problem(
                    f"`company.country` {value.company.country!r} is not a country followup "
                    "knows the holidays of; use an ISO 3166 code such as US, GB, ES or US-CA",
                    where,
                )
            ],
        )
    return value.replace(path=path, lines=checker.lines)


def notes_checker() -> Checker:
    """The checker of notes values: the loader's rules, placeholders ("Company Name", "TBD") refused too."""
    from followup.wording import placeholder

    return Checker(placeholder=placeholder)


def known_country(code: str) -> bool:
    """Whether the `holidays` package knows this country ("US" in "US-CA"; an unknown region falls back to the
    country's national holidays, with a warning from the Situation)."""
    import holidays  # only when a country is given: it costs some 50 ms to import

    return code.partition("-")[0] in holidays.list_supported_countries()


def json_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of the notes format, for editors' YAML support."""
    schema = schema_of(Notes)
    schema.update(
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://followup.invalid/notes.schema.json",
            "title": "followup interview notes",
        }
    )
    return schema
