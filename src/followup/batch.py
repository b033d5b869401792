"""Batches: many notes files through one command, in a pool of processes when that pays, in order.

Each notes file is one job: load it, work out what the command makes of it, and hand back
only what the command prints or writes (text, or the name of a staged file), then forget
it. So memory stays flat however long the batch, and the output is the same bytes
whether the jobs ran here one after another or in several processes: results come back
in the order of the files, and everything that depends on the whole batch (file names
made distinct, whether a file is there already) is decided here, in that order, before
any file takes its final name.

Small batches run here, in this process: starting processes costs more than it saves.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple, TypeVar

from followup.errors import FollowupError, TemplateError

if TYPE_CHECKING:
    from followup.writers import Format

T = TypeVar("T")
R = TypeVar("R")

SERIAL_BELOW = 8
"""Batches of fewer notes files than this run in this process."""

PROGRESS_FROM = 100
"""A progress bar (on a terminal only) for batches of at least this many notes files."""


def default_jobs() -> int:
    """How many processes a batch may use: the cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


class Relayed(FollowupError):
    """An error raised in a worker process, passed on as its message (the message is all the CLI shows)."""


def error_lines(err: FollowupError) -> list[str]:
    """An error as the CLI prints it: `Error: ...`, one line per problem."""
    return [f"Error: {line}" for line in str(err).splitlines()]


# --------------------------------------------------------------------------- the pool


def collect_garbage() -> None:
    """Turn the cyclic garbage collector on if start-up left it off (the `followup` command starts
    without it), so that each notes file's garbage is collected and memory stays flat. What start-up
    made is set aside first: never scanned again, and left shared by forked processes."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


_setup_done: Any = None


def _setup(setup: Callable[[Any], None] | None, job: Any) -> None:
    global _setup_done
    if setup is not None and _setup_done is not job:
        setup(job)
    _setup_done = job


def run(
    function: Callable[[T], R],
    items: Sequence[T],
    *,
    jobs: int | None = None,
    setup: Callable[[Any], None] | None = None,
    job: Any = None,
    label: str = "",
) -> Iterator[R]:
    """function(item) for each item, in order: here for small batches or jobs=1, else in `jobs` processes.

    `setup(job)` runs once in each process first (and here, for a batch run here). A progress
    bar shows on stderr for long batches when stderr is a terminal.
    """
    jobs = min(jobs or default_jobs(), len(items))
    if jobs <= 1 or len(items) < SERIAL_BELOW:
        _setup(setup, job)
        collect_garbage()
        yield from _progress(map(function, items), len(items), label)
        return
    if FORK:
        _setup(setup, job)  # once here: the processes start with what it read and compiled
        collect_garbage()
        yield from _progress(_forked(function, items, jobs), len(items), label)
        return
    import multiprocessing

    context = multiprocessing.get_context()
    if context.get_start_method() == "fork":
        _setup(setup, job)  # once here: the processes start with what it read and compiled
    collect_garbage()
    chunk = max(1, min(16, len(items) // (jobs * 8)))
    with context.Pool(jobs, initializer=_setup, initargs=(setup, job)) as pool:
        yield from _progress(pool.imap(function, items, chunksize=chunk), len(items), label)


FORK = sys.platform.startswith("linux") and hasattr(os, "fork")
"""Batches fork their processes directly (no pool to import and start); elsewhere a multiprocessing pool."""


class _Failed(NamedTuple):
    """What a forked process sends instead of a result when the function raised."""

    error: BaseException


def _forked(function: Callable[[T], R], items: Sequence[T], jobs: int) -> Iterator[R]:
    """function(item) for each item, in `jobs` forked processes (item i in process i % jobs), results in order.

    Each process sends its results through its own pipe as it goes; reading them in turn gives
    them back in the order of the items. An exception is raised here as the function raised it.
    """
    import pickle

    sys.stdout.flush()  # nothing buffered here may be written again by a process at its end
    sys.stderr.flush()
    children: list[tuple[int, BinaryIO]] = []
    done = False
    try:
        for index in range(jobs):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the process forked (coverage does not follow it)
                os.close(read)
                _serve(function, items[index::jobs], write)
            os.close(write)
            children.append((pid, os.fdopen(read, "rb")))
        for i in range(len(items)):
            try:
                result = pickle.load(children[i % jobs][1])
            except EOFError:
                raise FollowupError("a process of the batch ended before its work was done") from None
            if isinstance(result, _Failed):
                raise result.error
            yield result
        done = True
    finally:
        for pid, stream in children:
            stream.close()
            if not done:
                with contextlib.suppress(OSError):
                    os.kill(pid, 9)
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)


def _serve(function: Callable[[T], R], items: Sequence[T], write: int) -> None:  # pragma: no cover - forked
    """A forked process: each item's result (or what it raised) into the pipe, then exit at once."""
    import pickle

    code = 0
    try:
        with os.fdopen(write, "wb") as out:
            for item in items:
                try:
                    result: Any = function(item)
                except Exception as err:
                    result = _Failed(err)
                try:
                    data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
                except Exception as err:  # an exception that cannot be pickled: its words
                    data = pickle.dumps(_Failed(RuntimeError(f"{type(err).__name__}: {err}")))
                out.write(data)
                out.flush()
    except BaseException:  # interrupted, or the reader is gone: stop here
        code = 1
    finally:
        os._exit(code)  # never back into the caller's code, no exit handlers, no buffers written twice


def _progress(results: Iterator[R], count: int, label: str) -> Iterator[R]:
    if count < PROGRESS_FROM or not sys.stderr.isatty():
        yield from results
        return
    import click

    with click.progressbar(length=count, label=label, file=sys.stderr) as bar:
        for result in results:
            yield result
            bar.update(1)


class Item(NamedTuple):
    """One NOTES argument expanded: a notes file, or the error that a folder gave instead."""

    path: Path | None
    error: FollowupError | None = None


def expand(arguments: Iterable[str]) -> list[Item]:
    """Each NOTES argument as notes files, in order (a folder: its *.yaml files, sorted); errors in their place."""
    items = []
    for text in arguments:
        path = Path(text)
        if path.is_dir():
            with os.scandir(path) as entries:  # a directory entry knows a regular file without a stat call
                names = sorted(e.name for e in entries if _yaml_suffix(e.name) and e.is_file())
            found = [path / name for name in names]  # (in one folder, paths sort as their names do)
            if not found:
                from followup.errors import SelectionError

                items.append(Item(None, SelectionError(f"{path}: no *.yaml notes files in this folder")))
            items.extend(Item(p) for p in found)
        else:
            items.append(Item(path))
    return items


def _yaml_suffix(name: str) -> bool:
    """Whether a file name's suffix (as pathlib has it: not a dot file's name) is .yaml or .yml."""
    return name.endswith((".yaml", ".yml")) and name not in (".yaml", ".yml")


def each_file(
    items: Sequence[Item],
    function: Callable[[Path], R],
    *,
    jobs: int | None,
    setup: Callable[[Any], None] | None = None,
    job: Any = None,
    label: str = "",
) -> Iterator[Item | R]:
    """function(path) for every notes file, in order; a folder's error comes back in its place, as its Item."""
    paths = [item.path for item in items if item.path is not None]
    results = run(function, paths, jobs=jobs, setup=setup, job=job, label=label)
    for item in items:
        yield item if item.path is None else next(results)


# --------------------------------------------------------------------------- draft and draft due


class DraftJob(NamedTuple):
    """What every notes file of a `draft` batch is drafted with (sent once to each process)."""

    kind: str
    pack_spec: str | None
    today: date
    fmt: Format | None  # None: draft due picks each draft's natural format
    output: str  # "stdout", "file" (the bytes come back) or "folder" (staged there)
    stage_in: Path | None = None  # where staged files wait for their names
    to: str | None = None
    tone: str | None = None
    max_chars: int | None = None
    anyway: bool = False
    batch: bool = False  # several notes files: drafts the plan advises against are skipped
    within: int = 0  # draft due


class Made(NamedTuple):
    """One draft as a batch hands it back: what names it, and its text, bytes or staged file."""

    name: tuple[str, str, str]  # notes file stem, kind, recipient: its file name, made distinct later
    recipient: str
    text: str | None = None  # for stdout
    data: bytes | None = None  # for one output file
    staged: Path | None = None  # for a folder
    fmt: Format = "text"
    summary: str = ""  # draft due: the line that says what and why


class Drafted(NamedTuple):
    """What one notes file gave: lines for stderr (and stdout, with True), drafts, and what went wrong."""

    lines: list[tuple[bool, str]]  # (to stdout?, line), in order
    made: list[Made]
    failed: bool = False
    skipped: int = 0
    later: int = 0
    fatal: str | None = None  # a template error: the same template fails for every file, so the batch stops


class _Worker:
    job: DraftJob
    pack: Any


_worker = _Worker()


def setup_draft(job: DraftJob) -> None:
    """Read the pack once per process, and compile the kind's template."""
    from followup import advice, render  # noqa: F401  (imported once, before the processes start)

    if job.fmt is None:  # draft due
        from followup import outbox  # noqa: F401
    from followup.packs import find_pack
    from followup.templating import environment

    _worker.job = job
    _worker.pack = find_pack(job.pack_spec)
    if job.kind in _worker.pack.kinds:
        environment(_worker.pack).load(_worker.pack.kind(job.kind).template)


def _made(draft: Any, fmt: Format, summary: str = "") -> Made:
    from followup.writers import clean_text, encode, stage

    job, pack = _worker.job, _worker.pack
    source = draft.source.stem if draft.source else "notes"
    made = Made((source, draft.kind, draft.recipient.name), draft.recipient.name, fmt=fmt, summary=summary)
    if job.output == "stdout":
        return made._replace(text=clean_text(draft.text))
    data = encode(draft, fmt, pack, job.today)
    if job.output == "file":
        return made._replace(data=data)
    assert job.stage_in is not None
    return made._replace(staged=stage(job.stage_in, data, name=job.stage_in / "draft"))


def draft_file(path: Path) -> Drafted:
    """`followup draft KIND` for one notes file."""
    from followup import advice
    from followup.notes import load
    from followup.render import render
    from followup.situation import Situation

    job, pack = _worker.job, _worker.pack
    assert job.fmt is not None
    lines: list[tuple[bool, str]] = []
    try:
        loaded = load(path)
        s = Situation(loaded, job.today)
        made = render(
            pack,
            job.kind,
            loaded,
            today=job.today,
            to=job.to,
            tone=job.tone,
            output_format=job.fmt,
            max_chars=job.max_chars,
            situation=s,
        )
    except TemplateError as err:
        return Drafted(lines, [], fatal=str(err))
    except FollowupError as err:
        return Drafted([(False, line) for line in error_lines(err)], [], failed=True)
    out, skipped = [], 0
    said: set[str] = set(s.warnings)
    lines += [(False, f"Warning: {loaded.path}: {message}") for message in s.warnings]  # e.g. history after today
    for one in made:
        if job.batch and one.advice is not None and one.advice.against and not job.anyway:
            skipped += 1
            lines.append((False, f"Skipped: {loaded.path}: {job.kind} to {one.recipient.name}: {one.advice.message}"))
            continue
        out.append(_made(one, job.fmt))
        about = f"{job.kind} to {one.recipient.name}"
        for where, message in one.word_warnings:  # at the line of the notes they are about
            lines.append((False, f"Warning: {where}: {about}: {message}"))
        for message in (*advice.draft_advice(s, job.kind, one.recipient, job.fmt), *one.warnings):
            lines.append((False, f"Warning: {loaded.path}: {about}: {message}"))
        if one.advice is not None and one.advice.message not in said:
            said.add(one.advice.message)
            lines.append((False, f"Warning: {loaded.path}: {one.advice.message}"))
    return Drafted(lines, out, skipped=skipped)


def due_file(path: Path) -> Drafted:
    """`followup draft due` for one notes file: what is held back, and each due step drafted."""
    from followup import outbox
    from followup.notes import load
    from followup.situation import Situation

    job, pack = _worker.job, _worker.pack
    to_stdout = job.output != "stdout"  # with an outbox the summary goes to stdout, else to stderr
    lines: list[tuple[bool, str]] = []
    try:
        loaded = load(path)
    except FollowupError as err:
        return Drafted([(False, line) for line in error_lines(err)], [], failed=True)
    s = Situation(loaded, job.today)  # one for everything this file's drafts need
    for what, reason in outbox.advised_against(s):
        lines.append(
            (to_stdout, f"skipped {what} for {loaded.candidate.name} ({loaded.company.name}, {loaded.path}): {reason}")
        )
    skipped = len(lines)
    try:
        found = outbox.draft_due(pack, s, within=job.within, requested=job.fmt, printing=job.output == "stdout")
    except TemplateError as err:
        return Drafted(lines, [], fatal=str(err))
    except FollowupError as err:
        return Drafted(lines + [(False, line) for line in error_lines(err)], [], failed=True, skipped=skipped)
    made = []
    for one in found:
        about = f"{one.draft.kind} to {one.draft.recipient.name}"
        for where, message in one.draft.word_warnings:
            lines.append((False, f"Warning: {where}: {about}: {message}"))
        for message in one.draft.warnings:
            lines.append((False, f"Warning: {loaded.path}: {about}: {message}"))
        made.append(_made(one.draft, one.fmt, summary=outbox.summary(one, job.today)))
    later = len(outbox.later_steps(s, job.within))
    return Drafted(lines, made, skipped=skipped, later=later)


def staging_folder(output: Path) -> Path:
    """A private folder inside the output folder where drafts wait for their names (removed at the end)."""
    import tempfile

    from followup.errors import OutputError

    try:
        return Path(tempfile.mkdtemp(prefix=".followup-", dir=output))
    except OSError as err:
        raise OutputError(f"{output}: cannot write in this folder: {err.strerror}") from err


def remove_staging(folder: Path | None, *, created: bool = False) -> None:
    """Remove the staging folder, and the output folder too if this run made it and left it empty."""
    if folder is not None:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
        if created:
            with contextlib.suppress(OSError):  # not empty: drafts were written
                folder.parent.rmdir()


# --------------------------------------------------------------------------- plan and report


class PlanJob(NamedTuple):
    today: date
    table: bool = False
    as_json: bool = False
    ics: bool = False


class Planned(NamedTuple):
    """What one notes file's plan gives each output of `followup plan`."""

    errors: list[str]
    path: str = ""
    table: str = ""
    agenda: tuple[tuple[date, str, str], ...] = ()  # (due, company, line) of each step
    json: dict[str, Any] | None = None
    candidate: tuple[str, ...] = ()  # the candidate's name words: a calendar of several candidates names them
    events: tuple[Any, ...] = ()  # ics.EventFacts


_plan_job: PlanJob | None = None


def setup_plan(job: PlanJob) -> None:
    """Import what planning needs once per process (before the processes start, where they fork)."""
    from followup import ics, notes, plan, planview, situation  # noqa: F401

    global _plan_job
    _plan_job = job


def plan_file(path: Path) -> Planned:
    """`followup plan` for one notes file: its table, agenda lines, JSON object and calendar events."""
    from followup.notes import load
    from followup.plan import plan_situation, to_json
    from followup.situation import Situation, name_words

    job = _plan_job
    assert job is not None
    try:
        loaded = load(path)
    except FollowupError as err:
        return Planned(error_lines(err))
    s = Situation(loaded, job.today)
    plan = plan_situation(s)
    out = Planned([], str(loaded.path), candidate=name_words(loaded.candidate.name))
    if job.table:
        from followup.planview import agenda_items, table

        out = out._replace(table=table(loaded, plan, job.today), agenda=tuple(agenda_items(loaded, plan, job.today)))
    if job.as_json:
        out = out._replace(json=to_json(plan, job.today))
    if job.ics:
        from followup.ics import case_events

        out = out._replace(events=tuple(case_events(s, plan, job.today)))
    return out


_report_today: date | None = None


def setup_report(today: date) -> None:
    """Import what a report row needs once per process."""
    from followup import notes, report  # noqa: F401

    global _report_today
    _report_today = today


def report_file(path: Path) -> Any:
    """`followup report` for one notes file: its row, or the lines of its error."""
    from followup.notes import load
    from followup.report import case_row

    assert _report_today is not None
    try:
        return case_row(load(path), _report_today)
    except FollowupError as err:
        return error_lines(err)
