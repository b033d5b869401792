"""The command line: thin glue over the library (notes, packs, render, writers, plan)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from followup import __version__
from followup.errors import FollowupError, OutputError, SelectionError, printable

if TYPE_CHECKING:
    from followup.notes import Notes
from followup.writers import EXTENSIONS, Format, make_folder

# --------------------------------------------------------------------------- plumbing


class _Failure(click.ClickException):
    """A FollowupError on its way out: `Error: ...` on stderr, one line per problem, exit 1."""

    def __init__(self, err: FollowupError) -> None:
        super().__init__(str(err))
        self.err = err

    def show(self, file: Any = None) -> None:
        report(self.err)


def report(err: FollowupError) -> None:
    """Print an error as `Error: ...` lines on stderr."""
    for line in str(err).splitlines():
        click.echo(f"Error: {printable(line)}", err=True)


def warn(where: object, message: str) -> None:
    click.echo(printable(f"Warning: {where}: {message}"), err=True)


def fail_on_errors(function: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the library's errors into exit code 1 with a clear message, never a traceback."""
    import functools

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except FollowupError as err:
            raise _Failure(err) from err

    return wrapper


class _Date(click.ParamType):  # type: ignore[type-arg]  # generic only in newer click
    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        from followup.yamlcheck import year_problem

        try:
            parsed = date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date; write YYYY-MM-DD, e.g. 2026-11-18", param, ctx)
        problem = year_problem(parsed)
        if problem:
            self.fail(problem, param, ctx)
        return parsed


DATE = _Date()
today_option = click.option(
    "--today", type=DATE, default=None, help="Pretend today is this date (YYYY-MM-DD); default: the real today."
)
jobs_option = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 1024),
    default=None,
    help="Processes for a batch of notes files (default: one per core; small batches run in one).",
)
pack_option = click.option(
    "--pack", "pack_spec", metavar="PACK", help="A template pack: a folder, or the name of one of your packs."
)


def expand_notes(paths: tuple[str, ...]) -> Iterator[Path]:
    """Each NOTES argument as files: a folder stands for every *.yaml (and *.yml) inside, sorted."""
    for text in paths:
        path = Path(text)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
            if not found:
                raise SelectionError(f"{path}: no *.yaml notes files in this folder")
            yield from found
        else:
            yield path


def load_all(paths: tuple[str, ...]) -> tuple[list[Notes], bool]:
    """Load every notes file named (folders expanded); report the bad ones and say whether any was."""
    from followup.batch import collect_garbage
    from followup.notes import load

    collect_garbage()
    loaded, failed = [], False
    for text in paths:
        try:
            files = list(expand_notes((text,)))
        except FollowupError as err:
            report(err)
            failed = True
            continue
        for path in files:
            try:
                loaded.append(load(path))
            except FollowupError as err:
                report(err)
                failed = True
    return loaded, failed


def exit_code(failed: bool) -> None:
    if failed:
        raise click.exceptions.Exit(1)


# --------------------------------------------------------------------------- commands


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="followup")
def main() -> None:
    """Draft the messages of the weeks after a job interview from your YAML notes.

    Start with `followup new notes.yaml`, fill it in, then `followup draft thank-you
    notes.yaml`. `followup plan notes.yaml` tells you what to send when.
    """


@main.command()
@click.argument("kind")
@click.argument("notes", nargs=-1, required=True)
@click.option("--to", "to", metavar="NAME", help="Only the draft to this person (full name or first name).")
@click.option("--format", "fmt", type=click.Choice(list(EXTENSIONS)), default=None, help="text (default), docx or eml.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="A .txt/.docx/.eml file, or a folder for one file per draft.",
)
@pack_option
@click.option("--tone", metavar="TONE", help="A tone variant, e.g. warm, formal or brief (thank-you).")
@click.option(
    "--max-chars",
    type=click.IntRange(20, 100_000),
    help="Length limit for the message, e.g. 300 for linkedin-invite from a paid account (default 200).",
)
@today_option
@click.option(
    "--within",
    type=click.IntRange(0, 366),
    metavar="DAYS",
    help="With `draft due`: also draft the steps due in the next DAYS days.",
)
@click.option("--force", is_flag=True, help="Replace files that already exist.")
@jobs_option
@click.option(
    "--anyway",
    is_flag=True,
    help="In a batch, also write the drafts the plan advises against (after a rejection, once written off...).",
)
@fail_on_errors
def draft(
    kind: str,
    notes: tuple[str, ...],
    to: str | None,
    fmt: Format | None,
    output: Path | None,
    pack_spec: str | None,
    tone: str | None,
    max_chars: int | None,
    today: date | None,
    within: int | None,
    force: bool,
    jobs: int | None,
    anyway: bool,
) -> None:
    """Draft KIND messages from one or more NOTES files (or folders of them).

    Prints text to stdout, or writes files with -o. Per-person kinds (thank-you) make one
    draft per interviewer of the latest round; `followup kinds` lists the kinds.
    `followup draft due NOTES... -o OUTBOX` drafts every step the plan says is due.
    """
    if kind == "due":
        if to or tone or max_chars:
            raise click.UsageError("draft due drafts each due step for its own recipient: --to, --tone, --max-chars")
        return _draft_due(notes, fmt, output, pack_spec, today or date.today(), within or 0, force, jobs)
    if within is not None:
        raise click.UsageError("--within goes with `followup draft due`")
    from followup import batch
    from followup.packs import find_pack
    from followup.writers import format_for

    file_format = format_for(output) if output is not None else None
    if fmt and file_format and fmt != file_format:
        raise click.UsageError(f"--format {fmt} does not match the file name {output}")
    fmt = fmt or file_format or "text"
    if fmt != "text" and output is None:
        raise click.UsageError(f"--format {fmt} needs -o FILE.{EXTENSIONS[fmt][1:]} or -o FOLDER")
    if to is not None and not to.strip():
        raise click.UsageError("--to needs a name")
    today = today or date.today()
    pack = find_pack(pack_spec)
    channel = pack.kind(kind).channel  # an unknown kind is an error before any notes are read
    if fmt == "eml" and channel != "email":
        raise click.UsageError(f"{kind} is a {channel} message, not an e-mail: draft it as text (or docx)")
    items = batch.expand(notes)
    where = "stdout" if output is None else "file" if file_format is not None else "folder"
    staging, created = None, False
    if where == "folder":
        assert output is not None
        if output.exists() and not output.is_dir():
            raise click.UsageError(f"{output} is a file; -o needs a .txt/.docx/.eml name or a folder")
        created = not output.exists()
        make_folder(output)
        staging = batch.staging_folder(output)
    job = batch.DraftJob(kind, pack_spec, today, fmt, where, staging, to, tone, max_chars, anyway, batch=len(items) > 1)
    try:
        _draft_batch(items, job, output, force, jobs)
    finally:
        batch.remove_staging(staging, created=created)


def _draft_batch(items: list[Any], job: Any, output: Path | None, force: bool, jobs: int | None) -> None:
    """Draft every notes file (in a pool for a long batch), printing and naming the drafts in order."""
    from followup import batch
    from followup.writers import RULE, FileNames, commit, refuse_existing, write_atomic

    failed = False
    drafts = skipped = 0
    names = FileNames()
    staged: list[tuple[str, str]] = []  # (staged file, its name): names only, so a long batch stays small
    single: list[batch.Made] = []
    for result in batch.each_file(
        items, batch.draft_file, jobs=jobs, setup=batch.setup_draft, job=job, label="drafting"
    ):
        if isinstance(result, batch.Item):
            assert result.error is not None
            report(result.error)
            failed = True
            continue
        for _, line in result.lines:
            click.echo(line, err=True)
        if result.fatal is not None:
            raise batch.Relayed(result.fatal)  # the same template would fail for every notes file
        failed |= result.failed
        skipped += result.skipped
        for one in result.made:
            if job.output == "stdout":
                click.echo(f"\n{RULE}\n\n{one.text}" if drafts else one.text, nl=False)
            elif job.output == "file":
                single.append(one)
            else:
                assert one.staged is not None
                staged.append((one.staged.name, names.take(*one.name) + EXTENSIONS[job.fmt]))
            drafts += 1
    if skipped:
        click.echo(
            f"Skipped {skipped} draft{'s' if skipped > 1 else ''} the plan advises against; "
            "add --anyway to write them too.",
            err=True,
        )
    if single:
        assert output is not None
        if len(single) > 1:
            names_given = ", ".join(d.recipient for d in single)
            raise click.UsageError(
                f"{len(single)} drafts ({names_given}) cannot go into one file {output}: use --to NAME, or -o FOLDER"
            )
        if not force:
            refuse_existing([output])
        assert single[0].data is not None
        write_atomic(output, single[0].data, force=force)
        click.echo(f"wrote {output}", err=True)
    elif staged:
        assert output is not None and job.stage_in is not None
        if not force:
            refuse_existing(output / name for _, name in staged)
        for tmp, name in staged:
            commit(job.stage_in / tmp, output / name, force=force)
        click.echo(f"wrote {len(staged)} file{'s' if len(staged) != 1 else ''} in {output}", err=True)
    exit_code(failed or (not drafts and not skipped))


def _draft_due(
    notes: tuple[str, ...],
    fmt: Format | None,
    output: Path | None,
    pack_spec: str | None,
    today: date,
    within: int,
    force: bool,
    jobs: int | None,
) -> None:
    """`draft due`: every step the plan says is due, drafted; a summary line per draft and per skip."""
    from followup import batch
    from followup.packs import find_pack
    from followup.writers import format_for

    if output is None and fmt not in (None, "text"):
        raise click.UsageError(f"--format {fmt} needs -o OUTBOX (a folder)")
    if output is not None and format_for(output) is not None:
        raise click.UsageError(f"draft due writes one file per draft: -o needs a folder, not {output}")
    find_pack(pack_spec)  # a broken pack is an error before any notes are read
    staging = None
    if output is not None:
        if output.exists() and not output.is_dir():
            raise OutputError(f"{output} is a file; draft due writes one file per draft into a folder")
        make_folder(output)
        staging = batch.staging_folder(output)
    items = batch.expand(notes)
    job = batch.DraftJob("due", pack_spec, today, fmt, "stdout" if output is None else "folder", staging, within=within)
    try:
        _due_batch(items, job, output, force, jobs)
    finally:
        batch.remove_staging(staging)


def _due_batch(items: list[Any], job: Any, output: Path | None, force: bool, jobs: int | None) -> None:
    from followup import batch
    from followup.writers import EXTENSIONS, RULE, FileNames, commit

    say = click.echo if output is not None else lambda line: click.echo(line, err=True)
    failed = False
    skipped = later = written = kept = 0
    names = FileNames()
    summaries: list[str] = []  # said after every notes file's own lines, as the batch's summary
    for result in batch.each_file(items, batch.due_file, jobs=jobs, setup=batch.setup_draft, job=job, label="drafting"):
        if isinstance(result, batch.Item):
            assert result.error is not None
            report(result.error)
            failed = True
            continue
        for to_stdout, line in result.lines:
            click.echo(line, err=not to_stdout)
        if result.fatal is not None:
            raise batch.Relayed(result.fatal)
        failed |= result.failed
        skipped += result.skipped
        later += result.later
        for one in result.made:
            stem = names.take(*one.name)
            if output is None:
                summaries.append(f"drafted {one.summary}")
                click.echo(f"\n{RULE}\n\n{one.text}" if written else one.text, nl=False)
                written += 1
                continue
            assert one.staged is not None
            path = output / (stem + EXTENSIONS[one.fmt])
            if not force and (path.exists() or path.is_symlink()):
                summaries.append(f"already drafted {path}: {one.summary}")
                kept += 1
                continue
            commit(one.staged, path, force=force)
            summaries.append(f"drafted {path}: {one.summary}")
            written += 1
    for line in summaries:
        say(line)
    horizon = "today" if not job.within else f"within {job.within} day{'s' if job.within != 1 else ''}"
    where = f" in {output}" if output is not None else ""
    say(
        f"{written} drafted{where}, {kept} already there; {later} later step{'s' if later != 1 else ''} not due "
        f"{horizon} (`followup plan` lists them); {skipped} skipped"
    )
    exit_code(failed)


@main.command()
@click.argument("notes", nargs=-1, required=True)
@today_option
@fail_on_errors
def check(notes: tuple[str, ...], today: date | None) -> None:
    """Validate NOTES files and print advice on what would make the drafts better."""
    from followup.advice import notes_advice
    from followup.situation import Situation

    all_notes, failed = load_all(notes)
    for loaded in all_notes:
        tips = notes_advice(Situation(loaded, today or date.today()))
        click.echo(
            f"{loaded.path}: valid" + (f", {len(tips)} suggestion{'s' if len(tips) > 1 else ''}" if tips else "")
        )
        for tip in tips:
            click.echo(f"  - {tip}")
    exit_code(failed)


@main.command()
@click.argument("notes", type=click.Path(path_type=Path))
@today_option
@fail_on_errors
def new(notes: Path, today: date | None) -> None:
    """Write a commented starter NOTES file to fill in (never replaces a file)."""
    from followup.writers import write_atomic

    starter = (Path(__file__).parent / "starter.yaml").read_text(encoding="utf-8")
    text = starter.replace("{{TODAY}}", (today or date.today()).isoformat())
    if notes.exists():
        raise click.ClickException(f"{notes} already exists; pick another name (new never replaces a file)")
    make_folder(notes.parent)
    write_atomic(notes, text.encode("utf-8"))
    click.echo(f"wrote {notes}: fill it in, then run `followup check {notes}`", err=True)


@main.command()
@pack_option
@fail_on_errors
def kinds(pack_spec: str | None) -> None:
    """List the kinds of message a pack offers, one per line."""
    from followup.packs import find_pack

    pack = find_pack(pack_spec)
    width = max(map(len, pack.kinds))
    for kind in pack.kinds.values():
        tones = f" (tones: {', '.join(sorted(kind.tones))})" if len(kind.tones) > 1 else ""
        click.echo(f"{kind.name:<{width}}  {printable(kind.description + tones, one_line=True)}")


@main.command()
def schema() -> None:
    """Print the JSON Schema of the notes format (for editors' YAML support)."""
    import json

    from followup.notes import json_schema

    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


@main.command()
@click.argument("notes", nargs=-1, required=True)
@today_option
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON (an array when there are several files).")
@click.option("--ics", type=click.Path(path_type=Path), help="Also write the steps to this calendar file (.ics).")
@click.option("--force", is_flag=True, help="Replace the calendar file if it exists.")
@jobs_option
@fail_on_errors
def plan(
    notes: tuple[str, ...], today: date | None, as_json: bool, ics: Path | None, force: bool, jobs: int | None
) -> None:
    """Show what to send when, from the cadence rules, for one or more NOTES files."""
    import contextlib
    import json
    import tempfile

    from followup import batch
    from followup.writers import atomic_file, refuse_existing

    today = today or date.today()
    if ics is not None and not force:
        refuse_existing([ics], option="--ics")
    items = batch.expand(notes)
    job = batch.PlanJob(today, table=not as_json, as_json=as_json, ics=ics is not None)
    one_object = as_json and len(notes) == 1 and not Path(notes[0]).is_dir()  # else a JSON array
    failed, count = False, 0
    agenda: list[tuple[date, str, str]] = []
    with contextlib.ExitStack() as stack:
        # Nothing of a plan is kept once it is out: the tables wait (after the agenda) in a file that
        # stays in memory while small, and the calendar is written as the plans come.
        tables = stack.enter_context(tempfile.SpooledTemporaryFile(8 << 20, "w+", encoding="utf-8", newline=""))
        calendar = None
        if ics is not None:
            from followup.ics import CalendarWriter

            calendar = CalendarWriter(stack.enter_context(atomic_file(ics, force=force)), today)
        for result in batch.each_file(
            items, batch.plan_file, jobs=jobs, setup=batch.setup_plan, job=job, label="planning"
        ):
            if isinstance(result, batch.Item):
                assert result.error is not None
                report(result.error)
                failed = True
                continue
            if result.errors:
                for line in result.errors:
                    click.echo(line, err=True)
                failed = True
                continue
            count += 1
            if as_json and one_object:
                click.echo(json.dumps(result.json, indent=2, ensure_ascii=False))
            elif as_json:  # each object as an item of the array json.dumps(..., indent=2) would print
                text = json.dumps({**(result.json or {}), "notes": result.path}, indent=2, ensure_ascii=False)
                click.echo(
                    ("[\n" if count == 1 else ",\n") + "\n".join("  " + line for line in text.splitlines()), nl=False
                )
            else:
                agenda.extend(result.agenda)
                tables.write(result.table + "\n")
            if calendar is not None:
                calendar.add(result.candidate, result.events)
        if as_json and (count == 0 or not one_object):  # (a single file's object that failed: as an empty array)
            click.echo("\n]" if count else "[]")
        if not as_json:
            from followup.planview import agenda_of

            if count > 1:
                click.echo(agenda_of(agenda, today))
            tables.seek(0)
            while chunk := tables.read(1 << 20):
                click.echo(chunk, nl=False)
        if calendar is not None:
            calendar.close()
    if ics is not None:
        click.echo(f"wrote {ics}", err=True)
    exit_code(failed)


@main.command()
@click.argument("notes", type=click.Path(path_type=Path))
@click.option("--kind", required=True, help="What happened: a draft kind (thank-you, check-in, ...), call or reply.")
@click.option("--to", "to", metavar="NAME", help="Who you sent it to or called.")
@click.option("--from", "from_", metavar="NAME", help="Who replied (with --kind reply).")
@click.option("--date", "when", type=DATE, help="When (YYYY-MM-DD); default: today.")
@click.option("--tone", type=click.Choice(["positive", "neutral", "negative"]), help="How their reply read.")
@click.option("--said", help="What they said, in their words.")
@click.option("--url", help="Which article you shared.")
@click.option("--outcome", type=click.Choice(["voicemail", "spoke", "no-answer"]), help="How a call went.")
@fail_on_errors
def log(
    notes: Path,
    kind: str,
    to: str | None,
    from_: str | None,
    when: date | None,
    tone: str | None,
    said: str | None,
    url: str | None,
    outcome: str | None,
) -> None:
    """Record in NOTES' history what you sent or heard back (comments and layout kept)."""

    from followup.logbook import EntryError, history_entry, log_entry
    from followup.notes import load
    from followup.packs import find_pack
    from followup.situation import Situation

    loaded = load(notes)  # validate first: never write into a file that does not load
    day = when or date.today()
    try:
        entry, warnings = history_entry(
            Situation(loaded, day),
            kind=kind,
            day=day,
            to=to,
            from_=from_,
            tone=tone,
            said=said,
            url=url,
            outcome=outcome,
            known_kinds=find_pack(None).kinds,
        )
    except EntryError as err:
        raise click.UsageError(str(err)) from err
    for message in warnings:
        warn(notes, message)
    log_entry(notes, entry)  # locked, re-read, then replaced atomically (through a symlink, to the real file)
    who = f" to {entry['to']}" if "to" in entry else f" from {entry['from']}" if "from" in entry else ""
    click.echo(f"logged {entry['date']} {kind}{who} in {notes}", err=True)


@main.group()
def pack() -> None:
    """Template packs: your own wording, tone, language and letterhead."""


@pack.command("list")
@fail_on_errors
def pack_list() -> None:
    """List the built-in pack and your packs (in the user packs folder)."""
    from followup.packs import list_packs, user_packs_dir

    for item in list_packs():
        if isinstance(item, FollowupError):
            click.echo(printable(f"{item.path.parent.name}  (broken: {str(item).splitlines()[0]})", one_line=True))
            continue
        m = item.manifest
        where = "built in" if item.is_builtin else str(item.root)
        fields = (m.name, m.version, f"[{m.language}]", m.description, f"({where})")
        click.echo("  ".join(printable(x, one_line=True) for x in fields if x))
    click.echo(f"Your packs live in {user_packs_dir()} (set FOLLOWUP_CONFIG_DIR to move it).", err=True)


@pack.command("init")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--from", "source", metavar="PACK", help="Copy this pack instead of the built-in one.")
@fail_on_errors
def pack_init(folder: Path, source: str | None) -> None:
    """Start a pack in FOLDER: a complete, editable copy with a README for pack authors."""
    from followup.packtools import init_pack

    written = init_pack(folder, source)
    click.echo(f"wrote {len(written)} files in {folder}; edit them, then run `followup pack check {folder}`", err=True)


@pack.command("check")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--notes", "notes_files", multiple=True, help="Also render against these notes files (or folders).")
@today_option
@fail_on_errors
def pack_check(folder: Path, notes_files: tuple[str, ...], today: date | None) -> None:
    """Render every kind and tone of the pack in FOLDER against the sample notes, strictly.

    Reports undefined variables and syntax errors with template file and line, subjects
    over 60 characters, bodies over max_chars and leftovers such as "None". Exit 1 on any.
    """
    from followup.batch import collect_garbage
    from followup.packs import find_pack
    from followup.packtools import check_pack, sample_notes

    collect_garbage()
    pack = find_pack(str(folder))
    files = [*sample_notes(), *expand_notes(notes_files)]
    rendered, problems = check_pack(pack, files, today or date.today())
    for problem in problems:
        click.echo(f"Error: {problem}", err=True)
    kinds = len(pack.kinds)
    click.echo(
        f"{pack.name}: {rendered} drafts rendered ({kinds} kinds, {len(files)} notes files), {len(problems)} problems"
    )
    exit_code(bool(problems))


@main.command("import")
@click.argument("spreadsheet", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="The folder for the notes files.")
@click.option("--force", is_flag=True, help="Replace the notes files of the same candidate, company and role.")
@fail_on_errors
def import_(spreadsheet: Path, output: Path, force: bool) -> None:
    """Turn a SPREADSHEET of interviews (.csv or .xlsx) into one notes file per process.

    One row per interviewer per round; the columns are the notes' keys in dotted form
    (candidate.name, company.name, role, interview.date, interviewer.name, ...). Rows with
    the same candidate, company and role make one file. Any problem: nothing is written.
    """
    from followup.batch import collect_garbage
    from followup.importer import import_spreadsheet

    collect_garbage()
    written = import_spreadsheet(spreadsheet, output, force=force)
    for _, path in written:
        click.echo(str(path))
    rows = sum(len(case.rows) for case, _ in written)
    files = f"{len(written)} notes file{'s' if len(written) != 1 else ''}"
    click.echo(f"wrote {files} in {output} from {rows} row{'s' if rows != 1 else ''} of {spreadsheet}", err=True)


@main.command("report")
@click.argument("notes", nargs=-1, required=True)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="The HTML page to write, e.g. report.html."
)
@click.option("--csv", "csv_path", type=click.Path(path_type=Path), help="Also write the table as CSV.")
@today_option
@click.option("--force", is_flag=True, help="Replace the page (and CSV) if they exist.")
@jobs_option
@fail_on_errors
def report_command(
    notes: tuple[str, ...], output: Path, csv_path: Path | None, today: date | None, force: bool, jobs: int | None
) -> None:
    """A cohort report of NOTES files (or folders): one row per process, as a page for a browser.

    Shows each case's last contact out and in, next step and whether it is overdue, with
    counts of who is due, who thanked within a day and who heard back; sortable and
    filterable, printable, and with no network access. --csv writes the same table.
    """
    from followup import batch
    from followup.report import csv_text, html_page
    from followup.writers import refuse_existing, write_atomic

    today = today or date.today()
    targets = [output] if csv_path is None else [output, csv_path]
    if csv_path is not None and csv_path.resolve() == output.resolve():
        raise click.UsageError("-o and --csv name the same file")
    if not force:
        refuse_existing(targets)
    rows, problems = [], []
    items = batch.expand(notes)
    for result in batch.each_file(
        items, batch.report_file, jobs=jobs, setup=batch.setup_report, job=today, label="reading"
    ):
        if isinstance(result, batch.Item):
            assert result.error is not None
            report(result.error)
            problems.append(str(result.error))
        elif isinstance(result, list):  # the error's lines
            for line in result:
                click.echo(line, err=True)
            problems.append("\n".join(line.removeprefix("Error: ") for line in result))
        else:
            rows.append(result)
    write_atomic(output, html_page(rows, today, problems=problems).encode("utf-8"), force=force)
    if csv_path is not None:
        write_atomic(csv_path, csv_text(rows).encode("utf-8-sig"), force=force)  # the BOM tells Excel it is UTF-8
    overdue = sum(1 for r in rows if r.overdue)
    click.echo(f"wrote {' and '.join(map(str, targets))}: {len(rows)} cases, {overdue} overdue", err=True)
    exit_code(bool(problems))


@main.command()
@click.argument("drafts", nargs=-1, required=True, metavar="OUTBOX_OR_EML...")
@click.option(
    "--imap",
    "url",
    required=True,
    metavar="URL",
    help="imaps://USER@HOST[:PORT][/MAILBOX] (TLS), or imap://... (STARTTLS when offered).",
)
@fail_on_errors
def push(drafts: tuple[str, ...], url: str) -> None:
    """Put .eml drafts (files, or folders of them) in your Drafts mailbox over IMAP; nothing is sent.

    The password comes from FOLLOWUP_IMAP_PASSWORD, else ~/.netrc (machine HOST login USER
    password ...), else a hidden prompt. A draft already in the mailbox (same Message-ID) is
    not added again. FOLLOWUP_IMAP_CAFILE names an extra CA file for a self-hosted server.
    """
    import os
    import sys

    from followup import push as pushing
    from followup.batch import collect_garbage

    collect_garbage()
    try:
        account = pushing.parse_url(url)
    except pushing.UrlError as err:
        raise click.BadParameter(str(err), param_hint="--imap") from err
    emls = pushing.find_eml(drafts)
    prompt = None
    if sys.stdin.isatty():
        import getpass

        prompt = getpass.getpass
    password = pushing.password_for(account, prompt=prompt)

    def show(result: pushing.Pushed) -> None:
        what = "appended to" if result.appended else "already in"
        click.echo(f"{what} {result.mailbox}: {result.eml.path} ({result.eml.subject})")

    results = pushing.push(
        emls,
        account,
        password,
        cafile=os.environ.get(pushing.CAFILE_ENV) or None,
        warn=lambda message: warn(url, message),
        report=show,
    )
    added = sum(r.appended for r in results)
    mailbox = results[0].mailbox if results else "Drafts"
    click.echo(
        f"{added} draft{'s' if added != 1 else ''} appended, {len(results) - added} already there, "
        f"in {mailbox} of {account.where}; nothing was sent"
    )
