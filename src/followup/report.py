"""Report: a cohort's state on one page, for a career office (HTML in a browser, or CSV).

One row per notes file: who, where, the latest round, the last message out and in, the
next step of the plan (kind, to whom, due, why), whether it is overdue, follow-ups used,
written off, replied. Above the table, the counts a counsellor asks first: due today or
overdue, thanked within a day, heard back.

The page is self-contained: inline CSS and a few lines of inline script (sort by any
column, filter by text and state), no network (its Content-Security-Policy allows none),
readable when printed. Everything from the notes is escaped. The facts of a case come
from its Situation and plan (`case_row`); nothing here reads the history itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from html import escape
from typing import NamedTuple

from followup.notes import HistoryEntry, Notes
from followup.plan import Step, plan_situation
from followup.situation import PESTER_LIMIT, Situation


class CaseRow(NamedTuple):
    """One process as the report shows it."""

    notes: str
    candidate: str
    company: str
    role: str
    status: str
    latest_round: date
    last_out: HistoryEntry | None
    last_in: HistoryEntry | None
    next_step: Step | None
    due_now: int  # steps due today or earlier
    overdue_days: int  # how late the most overdue step is (0: none)
    follow_ups_used: int
    written_off: bool
    replied: bool
    thanked_within_a_day: bool

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0

    def tags(self) -> list[str]:
        """The states the page filters by."""
        tags = [self.status.split(" ")[0]]
        if self.due_now:
            tags.append("due")
        if self.overdue:
            tags.append("overdue")
        if self.written_off:
            tags.append("written-off")
        if self.replied:
            tags.append("replied")
        return tags


class Summary(NamedTuple):
    """The counts above the table."""

    cases: int
    due_now: int
    overdue: int
    thanked_within_a_day: int
    heard_back: int
    written_off: int


def case_row(notes: Notes, today: date) -> CaseRow:
    """The facts of one case as of today: the plan's next step, and what the Situation says of the history."""
    s = Situation(notes, today)
    plan = plan_situation(s)
    outbound = [e for e in s.history if e.kind != "reply"]
    responses = [e for e in s.history if s.is_response(e)]
    held = s.round.date
    thanked_in_time = [e for e in s.sent("thank-you", since=held) if e.date <= held + timedelta(days=1)]
    due = [step for step in plan.steps if step.due <= today]
    return CaseRow(
        notes=str(notes.path) if notes.path else "",
        candidate=notes.candidate.name,
        company=notes.company.name,
        role=notes.role,
        status=s.state if s.state != "rejected" or notes.status == "rejected" else "rejected (their reply)",
        latest_round=held,
        last_out=outbound[-1] if outbound else None,
        last_in=responses[-1] if responses else None,
        next_step=plan.steps[0] if plan.steps else None,
        due_now=len(due),
        overdue_days=max(((today - step.due).days for step in due), default=0),
        follow_ups_used=len(s.unanswered),
        written_off=s.written_off,
        replied=bool(s.replies),
        thanked_within_a_day=all(any(s.same(e.to, p) for e in thanked_in_time) for p in s.panel),
    )


def summarise(rows: Sequence[CaseRow]) -> Summary:
    """The counts of the summary line."""
    return Summary(
        cases=len(rows),
        due_now=sum(1 for r in rows if r.due_now),
        overdue=sum(1 for r in rows if r.overdue),
        thanked_within_a_day=sum(1 for r in rows if r.thanked_within_a_day),
        heard_back=sum(1 for r in rows if r.replied),
        written_off=sum(1 for r in rows if r.written_off),
    )


# --------------------------------------------------------------------------- the table, as text cells

COLUMNS = (
    "Candidate",
    "Company",
    "Role",
    "Status",
    "Latest round",
    "Last sent",
    "Last heard",
    "Next step",
    "To",
    "Due",
    "Overdue",
    "Why",
    "Follow-ups used",
    "Written off",
    "Replied",
    "Thanked within a day",
    "Notes file",
)


def _sent(entry: HistoryEntry | None) -> str:
    if entry is None:
        return ""
    to = f" to {entry.to}" if entry.to else ""
    return f"{entry.date.isoformat()} {entry.kind}{to}"


def _heard(entry: HistoryEntry | None) -> str:
    if entry is None:
        return ""
    who = entry.from_ or entry.to
    tone = f" ({entry.tone})" if entry.tone else ""
    kind = "reply" if entry.kind == "reply" else "call"
    return f"{entry.date.isoformat()} {kind}{f' from {who}' if who else ''}{tone}"


def cells(row: CaseRow) -> list[str]:
    """The row's cells as text, in the order of COLUMNS (the CSV's and the page's)."""
    step = row.next_step
    overdue = f"overdue {row.overdue_days} day{'s' if row.overdue_days != 1 else ''}" if row.overdue else ""
    if not overdue and row.due_now:
        overdue = "due today"
    return [
        row.candidate,
        row.company,
        row.role,
        row.status,
        row.latest_round.isoformat(),
        _sent(row.last_out),
        _heard(row.last_in),
        step.kind if step else "",
        step.to if step else "",
        step.due.isoformat() if step else "",
        overdue,
        step.why if step else "",
        f"{row.follow_ups_used} of {PESTER_LIMIT}",
        "yes" if row.written_off else "no",
        "yes" if row.replied else "no",
        "yes" if row.thanked_within_a_day else "no",
        row.notes,
    ]


def csv_text(rows: Sequence[CaseRow]) -> str:
    """The table as CSV (a header row, then one row per notes file)."""
    import csv
    import io

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(cells(row))
    return buffer.getvalue()


# --------------------------------------------------------------------------- the page

_CSS = """
:root { --ink: #1d1d1f; --muted: #5f6368; --line: #d0d4d9; --late: #b3261e; --late-bg: #fce8e6; --due-bg: #fff4d6; }
* { box-sizing: border-box; }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 1.5rem; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
.sub { color: var(--muted); margin: 0 0 1rem; }
.summary { display: flex; flex-wrap: wrap; gap: .75rem; margin: 0 0 1rem; padding: 0; list-style: none; }
.summary li { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .8rem; min-width: 9rem; }
.summary b { display: block; font-size: 1.5rem; }
.summary .late b { color: var(--late); }
.controls { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; margin: 0 0 .75rem; }
.controls input, .controls select { font: inherit; padding: .3rem .5rem; }
.controls input { min-width: 18rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f4f6; position: sticky; top: 0; white-space: nowrap; }
th button { all: unset; cursor: pointer; font-weight: 600; }
th button:focus-visible { outline: 2px solid #1a73e8; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; }
th[aria-sort="descending"] button::after { content: " \\25BC"; }
.day { white-space: nowrap; }
td.why { color: var(--muted); font-size: .9em; min-width: 16rem; }
td.file { font-size: .85em; color: var(--muted); word-break: break-all; min-width: 14rem; }
tr.written-off td { color: var(--muted); }
tr.due td { background: var(--due-bg); }
tr.overdue td { background: var(--late-bg); }
tr.overdue td:first-child { box-shadow: inset 4px 0 0 var(--late); }
.flag { font-weight: 700; white-space: nowrap; }
tr.overdue .flag { color: var(--late); }
.problems { border: 1px solid var(--late); background: var(--late-bg); padding: .5rem 1rem; }
@media print {
  body { margin: 0; font-size: 9pt; }
  .controls { display: none; }
  th { position: static; }
  th button::after { content: "" !important; }
  tr { break-inside: avoid; }
  tr.overdue td, tr.due td, .summary li { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  tr[hidden] { display: table-row !important; }
}
"""

_SCRIPT = """
const tbody = document.querySelector("#cases tbody"), heads = [...document.querySelectorAll("#cases th")];
const text = document.querySelector("#filter"), state = document.querySelector("#state");
heads.forEach((th, i) => th.querySelector("button").addEventListener("click", () => {
  const up = th.getAttribute("aria-sort") !== "ascending";
  heads.forEach(h => h.removeAttribute("aria-sort"));
  th.setAttribute("aria-sort", up ? "ascending" : "descending");
  const key = r => r.cells[i].dataset.sort ?? r.cells[i].textContent.trim().toLowerCase();
  const rows = [...tbody.rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * (up ? 1 : -1));
  tbody.append(...rows);
}));
function filter() {
  const words = text.value.trim().toLowerCase(), tag = state.value;
  let shown = 0;
  for (const r of tbody.rows) {
    const fits = !words || r.textContent.toLowerCase().includes(words);
    r.hidden = !(fits && (!tag || r.dataset.tags.split(" ").includes(tag)));
    if (!r.hidden) shown++;
  }
  document.querySelector("#shown").textContent = shown;
}
text.addEventListener("input", filter);
state.addEventListener("change", filter);
"""

_STATES = (
    ("", "every case"),
    ("due", "due today or overdue"),
    ("overdue", "overdue"),
    ("waiting", "waiting"),
    ("on-hold", "on hold"),
    ("offer", "offer"),
    ("rejected", "rejected"),
    ("withdrawn", "withdrawn"),
    ("written-off", "written off"),
    ("replied", "heard back"),
)


def html_page(rows: Sequence[CaseRow], today: date, *, problems: Sequence[str] = ()) -> str:
    """The report as one self-contained HTML page."""
    s = summarise(rows)
    e = escape
    n = s.cases
    summary = [
        ("late" if s.due_now else "", s.due_now, "due today or overdue"),
        ("late" if s.overdue else "", s.overdue, "overdue"),
        ("", f"{s.thanked_within_a_day} of {n}", "thanked within a day"),
        ("", f"{s.heard_back} of {n}", "heard back"),
        ("", s.written_off, "written off"),
    ]
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'\">",
        f"<title>Follow-ups: {n} case{'s' if n != 1 else ''}, {today.isoformat()}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>Follow-ups of the cohort, {today.isoformat()}</h1>",
        f'<p class="sub">{n} notes file{"s" if n != 1 else ""}; made by <code>followup report</code>. '
        "Click a column's name to sort; the next step is the earliest in each plan.</p>",
        '<ul class="summary">',
        *(f'<li class="{cls}"><b>{e(str(value))}</b>{e(label)}</li>' for cls, value, label in summary),
        "</ul>",
    ]
    if problems:
        out.append(f'<div class="problems"><p><b>{len(problems)} notes file(s) could not be read:</b></p><ul>')
        out.extend(f"<li>{e(p)}</li>" for p in problems)
        out.append("</ul></div>")
    options = "".join(f'<option value="{v}">{e(label)}</option>' for v, label in _STATES)
    out += [
        '<div class="controls">',
        '<label>Filter <input id="filter" type="search" placeholder="name, company, kind..."></label>',
        f'<label>Show <select id="state">{options}</select></label>',
        f'<span><span id="shown">{n}</span> of {n} shown</span>',
        "</div>",
        '<table id="cases">',
        "<thead><tr>",
        *(f'<th scope="col"><button type="button">{e(name)}</button></th>' for name in COLUMNS),
        "</tr></thead>",
        "<tbody>",
    ]
    for row in rows:
        out.append(_html_row(row))
    out += ["</tbody>", "</table>", f"<script>{_SCRIPT}</script>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


def _html_row(row: CaseRow) -> str:
    texts = cells(row)
    classes = "overdue" if row.overdue else "due" if row.due_now else "written-off" if row.written_off else ""
    sort_keys = {COLUMNS.index("Overdue"): f"{row.overdue_days:06d}{row.due_now:06d}"}
    tds = []
    for i, text in enumerate(texts):
        attrs = ""
        if i in sort_keys:
            attrs += f' data-sort="{sort_keys[i]}"'
        name = COLUMNS[i]
        if name == "Why":
            attrs += ' class="why"'
        elif name == "Notes file":
            attrs += ' class="file"'
        content = escape(text)
        if name in ("Latest round", "Due"):
            attrs += ' class="day"'
        elif name in ("Last sent", "Last heard") and text:
            day, _, rest = text.partition(" ")  # the date on one line, what happened after it
            content = f'<span class="day">{escape(day)}</span> {escape(rest)}'
        if name == "Overdue" and text:
            content = f'<span class="flag">{"&#9888; " if row.overdue else ""}{content}</span>'
        tds.append(f"<td{attrs}>{content}</td>")
    cls = f' class="{classes}"' if classes else ""
    return f'<tr{cls} data-tags="{escape(" ".join(row.tags()))}">{"".join(tds)}</tr>'
