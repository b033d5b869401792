"""Importer: a spreadsheet of interviews (CSV or XLSX) becomes one notes file per process.

A career office keeps one row per interviewer per round. Its columns are the notes' keys
in dotted form (`candidate.name`, `interview.date`, `interviewer.discussed`, ...; the
full list is `COLUMNS`, derived from the notes format itself, so a key the loader knows
is a column the importer knows). Rows with the same candidate, company and role make
one notes file; within it, rows with different interview dates make separate rounds.

Every cell is checked by the notes loader's own `Checker`, with the type and rules of
the key it fills, and every document written is parsed again by `notes.parse`; any
problem, from either, is reported as `FILE:ROW: column: problem` (ROW as a spreadsheet
program numbers it: the header is row 1). All or nothing: if there is any problem, no
file is written. Existing files are never replaced without `force`, and then only the
file that holds the same candidate, company and role.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Literal, NamedTuple

import yaml

from followup import notes as notes_module
from followup.errors import FollowupError, InputError
from followup.yamlcheck import Key, Record, _hints

MAX_SPREADSHEET_BYTES = 50 * 1024 * 1024
MAX_PROBLEMS = 200
LIST_SEPARATOR = ";"

Level = Literal["case", "round", "person"]


class Column(NamedTuple):
    """One column the importer understands: where its value goes in the notes, and how it is checked."""

    name: str  # dotted, as in the spreadsheet's header: "interviewer.discussed"
    level: Level  # one value per notes file, per round, or per interviewer
    section: str  # the notes key it lives under ("" for top-level keys such as role)
    key: Key  # the notes format's declaration of the key (type, format, required)
    hint: Any  # its type

    @property
    def is_list(self) -> bool:
        return typing.get_origin(_strip_optional(self.hint)) is list


class RowProblem(NamedTuple):
    """One problem, at a spreadsheet row (the header is row 1) and column when known."""

    message: str
    row: int | None = None
    column: str | None = None

    def format(self, path: str | Path) -> str:
        where = f"{path}:{self.row}" if self.row is not None else str(path)
        return f"{where}: {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


class SpreadsheetError(FollowupError):
    """A spreadsheet that cannot be imported, with every problem found (nothing was written)."""

    def __init__(self, path: str | Path, problems: Sequence[RowProblem]) -> None:
        self.path = Path(path)
        self.problems = list(problems)
        lines = [p.format(path) for p in self.problems[:MAX_PROBLEMS]]
        if len(self.problems) > MAX_PROBLEMS:
            lines.append(f"{path}: ... and {len(self.problems) - MAX_PROBLEMS} more problems")
        super().__init__("\n".join(lines))


# --------------------------------------------------------------------------- columns


def _strip_optional(hint: Any) -> Any:
    """`X | None` as X."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and len(args) == 1:
        return args[0]
    return hint


def _simple(hint: Any) -> bool:
    """Whether a key holds one value or a list of texts (what one cell can say)."""
    hint = _strip_optional(hint)
    if typing.get_origin(hint) is list:
        return typing.get_args(hint)[0] is str
    return not (isinstance(hint, type) and issubclass(hint, Record))


def _columns() -> dict[str, Column]:
    """Every column, from the notes format's own declarations (a key the loader knows is a column)."""
    n = notes_module
    sections: list[tuple[str, type[Record], Level]] = [
        ("candidate", n.Candidate, "case"),
        ("company", n.Company, "case"),
        ("interview", n.Interview, "round"),
        ("interviewer", n.Interviewer, "person"),
        ("decision", n.Decision, "case"),
        ("referrer", n.Referrer, "case"),
    ]
    columns: dict[str, Column] = {}
    top = _hints(n.Notes)
    for k in n.Notes._keys:
        if not k.internal and _simple(top[k.name]) and typing.get_origin(_strip_optional(top[k.name])) is not list:
            columns[k.key] = Column(k.key, "case", "", k, top[k.name])
    for section, record, level in sections:
        hints = _hints(record)
        for k in record._keys:
            if not k.internal and _simple(hints[k.name]):
                name = f"{section}.{k.key}"
                columns[name] = Column(name, level, section, k, hints[k.name])
    order = ["candidate", "company", "role", "interview", "interviewer", "decision", "referrer"]
    rank = {name: (order.index(name.split(".")[0]) if name.split(".")[0] in order else len(order)) for name in columns}
    return {name: columns[name] for name in sorted(columns, key=rank.__getitem__)}  # stable: keys in declared order


COLUMNS = _columns()
CASE_KEY = ("candidate.name", "company.name", "role")
"""Rows agreeing on these (ignoring case and extra spaces) are one process: one notes file."""
REQUIRED = ("candidate.name", "company.name", "role", "interview.date", "interviewer.name")


# --------------------------------------------------------------------------- reading


class Sheet(NamedTuple):
    """A spreadsheet's cells as text: the header row and the data rows with their row numbers."""

    header: list[str]
    rows: list[tuple[int, list[str]]]


def read_sheet(path: Path) -> Sheet:
    """Read a CSV (UTF-8 with or without a byte-order mark, or UTF-16; comma, semicolon or tab) or an XLSX."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise SpreadsheetError(path, [RowProblem("is a folder, not a spreadsheet")])
    except FileNotFoundError as err:
        raise SpreadsheetError(path, [RowProblem("no such file")]) from err
    except OSError as err:
        raise SpreadsheetError(path, [RowProblem(f"cannot read the file: {err.strerror}")]) from err
    if size > MAX_SPREADSHEET_BYTES:
        raise SpreadsheetError(path, [RowProblem(f"the file is {size:,} bytes; spreadsheets over 50 MiB are refused")])
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".xls", ".ods", ".numbers"):
        raise SpreadsheetError(path, [RowProblem(f"{suffix} files are not read: save it as .xlsx or as CSV UTF-8")])
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        raise SpreadsheetError(path, [RowProblem("this is an Excel workbook (or another zip file): name it .xlsx")])
    return _read_csv(path, data)


def _read_csv(path: Path, data: bytes) -> Sheet:
    import csv
    import io

    try:
        utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))  # Excel's "Unicode Text"
        text = data.decode("utf-16") if utf16 else data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise SpreadsheetError(
            path, [RowProblem(f"not UTF-8 text (byte {err.start}): save it as CSV UTF-8 (Excel) or as .xlsx")]
        ) from err
    if "\0" in text:
        raise SpreadsheetError(path, [RowProblem("this is a binary file, not CSV text")])
    first, _, rest = text.partition("\n")
    hint = re.fullmatch(r'"?sep=(.)"?\r?', first)  # Excel's optional first line naming the separator
    if hint:
        delimiter, text = hint[1], rest
    else:  # the header line is column names: the separator is the character it has most of
        delimiter = max(",;\t", key=first.count)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as err:
        raise SpreadsheetError(path, [RowProblem(f"not readable as CSV: {err}")]) from err
    if not records or not any(cell.strip() for cell in records[0]):
        raise SpreadsheetError(path, [RowProblem("the spreadsheet is empty: the first row should name the columns")])
    return Sheet(records[0], [(number, row) for number, row in enumerate(records[1:], start=2)])


def _read_xlsx(path: Path) -> Sheet:
    import zipfile

    try:
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException
    except ImportError as err:  # pragma: no cover - a declared dependency
        raise SpreadsheetError(path, [RowProblem("reading .xlsx needs openpyxl: pip install openpyxl")]) from err
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        raise SpreadsheetError(path, [RowProblem(f"not a readable .xlsx workbook ({err})")]) from err
    try:
        sheet = book.worksheets[0]
        rows = [[_cell_text(v) for v in values] for values in sheet.iter_rows(min_row=1, values_only=True)]
    finally:
        book.close()
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise SpreadsheetError(path, [RowProblem("the first sheet is empty: its first row should name the columns")])
    return Sheet(rows[0], [(number, row) for number, row in enumerate(rows[1:], start=2)])


_EXCEL_EPOCHS = {date(1899, 12, 30), date(1899, 12, 31), date(1900, 1, 1)}


def _cell_text(value: object) -> str:
    """A workbook cell as the text a person would type: dates ISO, times HH:MM, whole numbers without .0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        if value.date() in _EXCEL_EPOCHS:  # a time of day that Excel stored as a date-time
            return _clock(value.time())
        return value.isoformat(" ", "minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return _clock(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _clock(value: time) -> str:
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


# --------------------------------------------------------------------------- grouping


@dataclass
class _Person:
    row: int
    values: dict[str, Any]


@dataclass
class _Round:
    row: int
    values: dict[str, tuple[Any, int]] = field(default_factory=dict)
    people: dict[str, _Person] = field(default_factory=dict)


@dataclass
class Case:
    """One process (candidate, company, role): the rows it came from and the notes text made from them."""

    key: tuple[str, str, str]
    rows: list[int] = field(default_factory=list)
    values: dict[str, tuple[Any, int]] = field(default_factory=dict)
    rounds: dict[date, _Round] = field(default_factory=dict)
    text: str = ""
    lines: list[tuple[int, str | None]] = field(default_factory=list)  # per YAML line: its row and column

    @property
    def candidate(self) -> str:
        return str(self.values["candidate.name"][0])

    @property
    def company(self) -> str:
        return str(self.values["company.name"][0])

    @property
    def role(self) -> str:
        return str(self.values["role"][0])

    def describe(self) -> str:
        return f"{self.candidate}'s notes for {self.company} ({self.role}; {_rows(self.rows)} here)"


def _rows(rows: Sequence[int]) -> str:
    if len(rows) == 1:
        return f"row {rows[0]}"
    if list(rows) == list(range(rows[0], rows[0] + len(rows))):
        return f"rows {rows[0]}-{rows[-1]}"
    return "rows " + ", ".join(map(str, rows))


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _suggest(name: str) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(COLUMNS), n=1, cutoff=0.6)
    if close:
        return f"unknown column (did you mean `{close[0]}`?)"
    return "unknown column; the columns are the notes' keys in dotted form, listed in the README"


def _read_header(header: list[str], rows: list[tuple[int, list[str]]]) -> tuple[list[Column | None], list[RowProblem]]:
    problems: list[RowProblem] = []
    columns: list[Column | None] = []
    seen: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = re.sub(r"\s*\.\s*", ".", cell.strip()).lower()
        if name.startswith("#"):  # the office's own column (an ID, a remark): not for the notes
            columns.append(None)
            continue
        if not name:
            has_data = any(index < len(row) and row[index].strip() for _, row in rows)
            if has_data:
                problems.append(RowProblem(f"column {index + 1} has values but no name in the header row", 1))
            columns.append(None)
            continue
        if name not in COLUMNS:
            problems.append(RowProblem(_suggest(name), 1, cell.strip()))
            columns.append(None)
            continue
        if name in seen:
            problems.append(RowProblem(f"appears twice in the header (columns {seen[name]} and {index + 1})", 1, name))
            columns.append(None)
            continue
        seen[name] = index + 1
        columns.append(COLUMNS[name])
    for name in REQUIRED:
        if name not in seen:
            problems.append(RowProblem(f"the header row has no `{name}` column; it is required", 1))
    return columns, problems


def _check_cell(text: str, column: Column) -> tuple[Any, str | None]:
    """The cell's value as the notes loader reads it for this key, or the loader's complaint."""
    if not text.strip():  # an empty cell says nothing; required columns are checked per row
        return None, None
    tag = "tag:yaml.org,2002:str"
    node: yaml.Node
    if column.is_list:
        items = [item.strip() for item in text.split(LIST_SEPARATOR)]
        node = yaml.SequenceNode("tag:yaml.org,2002:seq", [yaml.ScalarNode(tag, i, style='"') for i in items if i])
        if not node.value:
            return None, None
    else:
        node = yaml.ScalarNode(tag, text, style='"')  # as if quoted: a cell saying "null" is that text
    checker = notes_module.notes_checker()
    value = checker.value(node, column.hint, column.key, column.name)
    if checker.problems:
        message = checker.problems[0].message
        for prefix in (f"`{column.name}` is ", f"`{column.name}` "):
            if message.startswith(prefix):
                message = message[len(prefix) :]
                break
        return None, message
    return value, None


def _differs(column: str, row: int, new: Any, old: tuple[Any, int], what: str) -> RowProblem:
    message = f"{_show(new)} here, but {_show(old[0])} in row {old[1]} ({what}); give one value"
    return RowProblem(message, row, column)


def _typed(value: Any) -> str | None:
    """A true/false, time or date value as the notes write it; None for text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, time):
        return _clock(value)
    if isinstance(value, date):
        return value.isoformat()
    return None


def _show(value: Any) -> str:
    if isinstance(value, list):
        return '"' + "; ".join(value) + '"'
    return _typed(value) or f'"{value}"'


def group_rows(sheet: Sheet) -> tuple[list[Case], list[RowProblem]]:
    """The sheet's rows grouped into processes, each cell checked; and every problem found."""
    columns, problems = _read_header(sheet.header, sheet.rows)
    if any(p.row == 1 and p.column is None and "required" in p.message for p in problems):
        return [], problems  # without the key columns the rows cannot be grouped
    cases: dict[tuple[str, str, str], Case] = {}
    for number, cells in sheet.rows:
        if not any(cell.strip() for cell in cells):
            continue  # blank rows are allowed (between groups, at the end)
        if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns) :]):
            problems.append(RowProblem(f"has {len(cells)} cells but the header names {len(columns)}", number))
        values: dict[str, Any] = {}
        bad = False
        for column, cell in zip(columns, cells, strict=False):
            if column is None:
                continue
            value, message = _check_cell(cell, column)
            if message:
                problems.append(RowProblem(message, number, column.name))
                bad = True
            elif value is not None:
                values[column.name] = value
        for name in REQUIRED:  # a short row (fewer cells than columns) leaves required cells out
            if name not in values and not any(p.row == number and p.column == name for p in problems):
                problems.append(RowProblem("is required; give it a value", number, name))
                bad = True
        if bad:
            continue
        key = tuple(_fold(values[name]) for name in CASE_KEY)
        case = cases.setdefault(key, Case(key))  # type: ignore[arg-type]
        case.rows.append(number)
        problems.extend(_merge(case, number, values))
    place = {c.name: i for i, c in enumerate(columns) if c is not None}  # a row's problems in column order
    return list(cases.values()), sorted(problems, key=lambda p: (p.row or 0, place.get(p.column or "", -1)))


def _merge(case: Case, number: int, values: dict[str, Any]) -> list[RowProblem]:
    problems: list[RowProblem] = []
    same = "the same candidate, company and role"
    person: dict[str, Any] = {}
    round_values: dict[str, Any] = {}
    for name, value in values.items():
        column = COLUMNS[name]
        if column.level == "person":
            person[column.key.key] = value
        elif column.level == "round":
            round_values[name] = value
    for name, value in case_values(values):
        if name in case.values and case.values[name][0] != value and name not in CASE_KEY:
            problems.append(_differs(name, number, value, case.values[name], same))
        elif name not in case.values:
            case.values[name] = (value, number)
    day: date = values["interview.date"]
    one_round = case.rounds.setdefault(day, _Round(number))
    for name, value in round_values.items():
        if name in one_round.values and one_round.values[name][0] != value:
            problems.append(_differs(name, number, value, one_round.values[name], f"the round of {day.isoformat()}"))
        elif name not in one_round.values:
            one_round.values[name] = (value, number)
    who = _fold(person["name"])
    if who in one_round.people:
        earlier = one_round.people[who]
        if earlier.values != person:
            problems.append(
                RowProblem(
                    f"{person['name']} is already in the round of {day.isoformat()} (row {earlier.row}) with other "
                    "values; one row per interviewer per round",
                    number,
                    "interviewer.name",
                )
            )
    else:
        one_round.people[who] = _Person(number, person)
    return problems


def case_values(values: dict[str, Any]) -> Iterable[tuple[str, Any]]:
    """The values of a row that belong to the whole process (one per notes file)."""
    return ((name, value) for name, value in values.items() if COLUMNS[name].level == "case")


# --------------------------------------------------------------------------- writing the notes


_COMMENTS = {
    "candidate": "the student",
    "interviews": "one entry per round, oldest first",
    "interviewers": "everyone met in this round: each gets their own thank-you",
    "hiring_manager": "the person who decides; check-ins go to them",
    "discussed": "the memorable details: what makes a thank-you personal",
    "private": "never quoted in any draft",
    "history": "what was sent and received, oldest first; `followup log` adds to it",
}


def _status_comment() -> str:
    choices: tuple[str, ...] = typing.get_args(_strip_optional(_hints(notes_module.Notes)["status"]))
    return ", ".join(choices[:-1]) + " or " + choices[-1]


class _Writer:
    """Builds a notes document line by line, remembering which row and column each line came from."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.origin: list[tuple[int, str | None]] = []
        self.said: set[str] = set()

    def line(self, text: str, row: int, column: str | None, comment: str = "") -> None:
        if comment in self.said:  # each explanation once per file
            comment = ""
        if comment:
            self.said.add(comment)
            text = f"{text:<31} # {comment}" if len(text) < 31 else f"{text}  # {comment}"
        self.lines.append(text)
        self.origin.append((row, column))

    def value(self, indent: str, key: str, value: Any, row: int, column: str, multiline: bool = False) -> None:
        from followup.logbook import yaml_scalar

        comment = _COMMENTS.get(key, "")
        if key == "status":
            comment = _status_comment()
        if isinstance(value, list):
            self.line(f"{indent}{key}:", row, column, comment)
            for item in value:
                self.line(f"{indent}  - {yaml_scalar(item)}", row, column)
        elif isinstance(value, str) and multiline and "\n" in value and _block_safe(value):
            self.line(f"{indent}{key}: |-", row, column, comment)
            for text in value.split("\n"):
                self.line(f"{indent}  {text}" if text else "", row, column)
        else:
            self.line(f"{indent}{key}: {_yaml_value(value)}", row, column, comment)


def _block_safe(text: str) -> bool:
    return not text[:1].isspace() and all(line.isprintable() and line == line.rstrip() for line in text.split("\n"))


def _yaml_value(value: Any) -> str:
    from followup.logbook import yaml_scalar

    return _typed(value) or yaml_scalar(str(value))


def notes_text(case: Case, source: str) -> tuple[str, list[tuple[int, str | None]]]:
    """The notes file for one process, commented, with the row and column each line came from."""
    w = _Writer()
    first = case.rows[0]
    w.line(f"# Interview notes for `followup`, imported from {source} ({_rows(case.rows)}).", first, None)
    w.line("# Yours to edit: importing again will not replace this file unless you add --force.", first, None)
    w.line("# `followup check` validates it, `followup plan` says what to send when,", first, None)
    w.line("# and `followup log` records what you send and hear back.", first, None)
    sections = ("candidate", "company")
    for section in sections:
        w.line("", first, None)
        w.line(f"{section}:", first, f"{section}.name", _COMMENTS.get(section, ""))
        _section_values(w, case, section, "  ")
    w.line("", first, None)
    w.line(f"role: {_yaml_value(case.role)}", case.values["role"][1], "role")
    w.line("", first, None)
    w.line("interviews:", first, "interview.date", _COMMENTS["interviews"])
    for day in sorted(case.rounds):
        one = case.rounds[day]
        w.line(f"  - date: {day.isoformat()}", one.row, "interview.date")
        for column in _columns_of("interview"):
            if column.name in one.values and column.key.key != "date":
                value, row = one.values[column.name]
                w.value("    ", column.key.key, value, row, column.name)
        w.line("    interviewers:", one.row, "interviewer.name", _COMMENTS["interviewers"])
        for person in one.people.values():
            w.line(f"      - name: {_yaml_value(person.values['name'])}", person.row, "interviewer.name")
            for column in _columns_of("interviewer"):
                key = column.key.key
                if key != "name" and key in person.values:
                    w.value("        ", key, person.values[key], person.row, column.name)
    w.line("", first, None)
    if any(c.name in case.values for c in _columns_of("decision")):
        w.line("decision:", first, "decision.said", "what they said about timing")
        _section_values(w, case, "decision", "  ")
    else:
        w.line("decision:", first, None, 'ask them: "When do you expect to decide? What comes next?"')
        w.line("  # said: by the end of next week   # their words, quoted back when you check in", first, None)
        w.line("  # expected_by: YYYY-MM-DD         # the date that means", first, None)
    if any(c.name in case.values for c in _columns_of("referrer")):
        w.line("", first, None)
        w.line("referrer:", first, "referrer.name", "gets an update the day after the interview")
        _section_values(w, case, "referrer", "  ")
    w.line("", first, None)
    for column in COLUMNS.values():
        if column.section == "" and column.name not in CASE_KEY:
            if column.name in case.values:
                value, row = case.values[column.name]
                w.value("", column.name, value, row, column.name)
            elif column.name == "status":
                w.value("", "status", "waiting", first, "status")
    w.line("", first, None)
    if not any(c.name in case.values for c in (COLUMNS.get("news"), COLUMNS.get("kudos")) if c):
        w.line("# articles:                     # for a long wait: something they would find useful", first, None)
        w.line("#   - title: An article's title", first, None)
        w.line("#     url: https://example.org/article", first, None)
        w.line("# news: company news you noticed since the interview", first, None)
        w.line("# kudos: your own news worth sharing", first, None)
        w.line("", first, None)
    w.line("history:", first, None, _COMMENTS["history"])
    return "\n".join(w.lines) + "\n", w.origin


def _columns_of(section: str) -> list[Column]:
    return [c for c in COLUMNS.values() if c.section == section]


def _section_values(w: _Writer, case: Case, section: str, indent: str) -> None:
    for column in _columns_of(section):
        if column.name in case.values:
            value, row = case.values[column.name]
            w.value(indent, column.key.key, value, row, column.name, multiline=column.key.multiline)


def _loader_problems(case: Case, path: Path) -> list[RowProblem]:
    """Run the notes loader over the document; its problems, mapped back to rows and columns."""
    try:
        notes_module.parse(case.text, path)
    except InputError as err:
        out = []
        for problem in err.problems:
            row, column = case.lines[problem.line - 1] if problem.line else (case.rows[0], None)
            out.append(RowProblem(problem.message, row, column))
        return out
    return []


# --------------------------------------------------------------------------- files


def file_names(cases: Sequence[Case]) -> list[str]:
    """A safe, distinct name per process: CANDIDATE-COMPANY.yaml, with the role (then a number) when they clash."""
    from followup.writers import slug

    base = [f"{slug(c.candidate, 40)}-{slug(c.company, 40)}" for c in cases]
    names: list[str] = []
    taken: set[str] = set()
    for case, stem in zip(cases, base, strict=True):
        if base.count(stem) > 1:
            stem = f"{stem}-{slug(case.role, 40)}"
        name, n = stem, 1
        while name in taken:
            n += 1
            name = f"{stem}-{n}"
        taken.add(name)
        names.append(name)
    return names


def _existing_processes(folder: Path) -> dict[tuple[str, str, str], Path]:
    """The notes files already in the folder, by process (files that do not load are left alone)."""
    found: dict[tuple[str, str, str], Path] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.y*ml")):
        try:
            loaded = notes_module.load(path)
        except FollowupError:
            continue
        found.setdefault((_fold(loaded.candidate.name), _fold(loaded.company.name), _fold(loaded.role)), path)
    return found


def plan_import(spreadsheet: Path, folder: Path) -> list[tuple[Case, Path]]:
    """Read and check the whole spreadsheet; each process with the file it goes to. Writes nothing."""
    sheet = read_sheet(spreadsheet)
    cases, problems = group_rows(sheet)
    if not problems and not cases:
        problems.append(RowProblem("no rows of interviews below the header"))
    if problems:
        raise SpreadsheetError(spreadsheet, problems)
    existing = _existing_processes(folder)
    targets: list[tuple[Case, Path]] = []
    taken: set[Path] = set()
    for case, stem in zip(cases, file_names(cases), strict=True):
        path = existing.get(case.key)
        if path is None:
            path, n = folder / f"{stem}.yaml", 1
            while path in taken or path.exists() or path.is_symlink():  # another process's file: a new name
                n += 1
                path = folder / f"{stem}-{n}.yaml"
        taken.add(path)
        case.text, case.lines = notes_text(case, spreadsheet.name)
        problems.extend(_loader_problems(case, path))
        targets.append((case, path))
    if problems:
        raise SpreadsheetError(spreadsheet, sorted(problems, key=lambda p: p.row or 0))
    return targets


def import_spreadsheet(spreadsheet: Path, folder: Path, *, force: bool = False) -> list[tuple[Case, Path]]:
    """Write one notes file per process in the spreadsheet into folder: all of them, or none."""
    from followup.errors import OutputError
    from followup.writers import make_folder, write_atomic

    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} is a file; -o needs a folder for the notes files")
    targets = plan_import(spreadsheet, folder)
    held = [(case, path) for case, path in targets if path.exists() or path.is_symlink()]
    if held and not force:
        lines = [f"{path} already holds {case.describe()}" for case, path in held[:10]]
        if len(held) > 10:
            lines.append(f"... and {len(held) - 10} more")
        lines.append("nothing was written; use --force to replace them (what was logged in them since would be lost)")
        raise OutputError("\n".join(lines))
    make_folder(folder)
    created: list[Path] = []
    try:
        for case, path in targets:
            new = not path.exists()
            write_atomic(path, case.text.encode("utf-8"), force=force)
            if new:
                created.append(path)
    except FollowupError:
        for path in created:  # all or nothing: take back the files this import added
            path.unlink(missing_ok=True)
        raise
    return targets
