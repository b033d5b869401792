"""Logbook: add one entry to a notes file's `history`, leaving every other byte as it was.

The user's notes are hand-written, with comments, their own indentation and maybe
CRLF line ends, so the file is never re-serialised: the new entry is inserted as text,
at a place found from PyYAML's node positions, in the file's own style. An absent
`history`, or an empty one (`history:`, `history: ~`, `history: []`), gets a block
list; an existing block list gets one more item after its last; a flow list
(`[{...}]`) gets one more flow item right after its last item (before any comment), and an
empty flow list holding a comment gets its item inside the brackets, the comment kept.
The file is parsed with the parser `check` uses (libyaml through `followup.yamlcheck`), and
the result must load as the same notes with exactly one more history entry, else nothing
is written.

`log_entry` does the whole job safely for concurrent runs: an exclusive lock on the file,
the file re-read under the lock, then an atomic replace keeping its permissions (or, for a
file with several hard links, a rewrite in place under the lock, so every link sees it).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from followup import notes
from followup.errors import NotesError, OutputError, Problem
from followup.yamlcheck import compose

if TYPE_CHECKING:
    from followup.situation import Situation

_FIRST_KEYS = ("date", "kind", "to", "from")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_UNSAFE_IN_QUOTES = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")
_FLOW_INDICATORS = set(",[]{}:#")
_LINE_BREAK = re.compile(r"\r\n|\n|\r")
_NULLS = {"", "~", "null", "Null", "NULL"}


class EntryError(ValueError):
    """A history entry whose options contradict each other (the CLI shows it as a usage error)."""


def history_entry(
    s: Situation,
    *,
    kind: str,
    day: date,
    to: str | None = None,
    from_: str | None = None,
    tone: str | None = None,
    said: str | None = None,
    url: str | None = None,
    outcome: str | None = None,
    known_kinds: Iterable[str] = (),
) -> tuple[dict[str, str], list[str]]:
    """The history entry to record, names written as the notes write them, and warnings about it."""
    from followup.situation import CALL_KINDS
    from followup.yamlcheck import is_web_address

    if to and from_:
        raise EntryError("give --to (what you sent) or --from (a reply), not both")
    if kind == "reply" and not from_:
        raise EntryError("a reply needs --from NAME")
    if kind != "reply" and (from_ or tone):
        raise EntryError("--from and --tone describe a reply: use them with --kind reply")
    if outcome and kind not in CALL_KINDS:
        raise EntryError("--outcome describes a call: use it with --kind call")
    if url and not is_web_address(url):
        raise EntryError(f"--url {url!r} is not a web address")
    warnings = []
    if kind not in (*known_kinds, "call", "reply"):
        warnings.append(f"`{kind}` is not a kind followup knows (see `followup kinds`); recorded as written")
    if kind != "reply" and not to:
        warnings.append("no --to: the plan cannot tell who this went to")
    names = {}
    for option, name in (("to", to), ("from", from_)):
        if name:
            person = s.match(name)
            names[option] = person.name if person is not None else name
            if person is None:
                warnings.append(f"{name} is not among the people in these notes; recorded as written")
    entry = {"date": day.isoformat(), "kind": kind, **names}
    entry.update({k: v for k, v in (("tone", tone), ("said", said), ("url", url), ("outcome", outcome)) if v})
    return entry, warnings


def yaml_scalar(value: str, *, flow: bool = False) -> str:
    """The value as YAML text: plain when it reads back as the same string, else double-quoted."""
    if _ISO_DATE.fullmatch(value):
        return value
    if not (flow and _FLOW_INDICATORS & set(value)):
        try:
            if value.isprintable() and yaml.safe_load(value) == value:
                return value
        except yaml.YAMLError:
            pass
    quoted = json.dumps(value, ensure_ascii=False)
    return _UNSAFE_IN_QUOTES.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def append_history(path: Path, entry: dict[str, str]) -> str:
    """The text of the notes file at `path` with `entry` added at the end of its history."""
    old = notes.load(path)  # a missing, unreadable or invalid file: its problems, at their own positions
    raw = path.read_bytes().decode("utf-8")  # as it is: byte-order mark and line ends included
    bom = "\ufeff" if raw.startswith("\ufeff") else ""
    new_text = bom + _inserted(path, raw[len(bom) :], entry)
    new = notes.parse(new_text[len(bom) :], path)
    if len(new.history) != len(old.history) + 1 or new.history[:-1] != old.history:
        problem = Problem("the new history entry could not be placed safely; the file is unchanged (add it by hand)")
        raise NotesError(path, [problem])
    return new_text


def _inserted(path: Path, text: str, entry: dict[str, str]) -> str:
    """text with entry inserted as the last item of its history (positions from the parser `check` uses)."""
    root = compose(text, path, NotesError)
    assert isinstance(root, yaml.MappingNode)  # load() accepted it
    if root.flow_style:
        raise NotesError(path, [_at(root, "the notes are one {...} mapping; write them as `key: value` lines")])
    pairs = _ordered(entry)
    nl = _newline(text)
    offsets = _indents(root)
    value = next((v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "history"), None)
    if value is None:
        key_column = root.value[0][0].start_mark.column
        block = _block_item(pairs, key_column + offsets[0], offsets[1], nl)
        head = text if not text or text.endswith(("\n", "\r")) else text + nl
        new_text = f"{head}{' ' * key_column}history:{nl}{block}"
    elif isinstance(value, yaml.SequenceNode) and value.flow_style and not value.value and _holds_comment(text, value):
        opening = value.start_mark.index + 1  # `[  # a comment`: the item goes inside, before the comment
        new_text = f"{text[:opening]}{_flow_item(pairs)}{text[opening:]}"
    elif _is_empty(value):
        key_node = next(k for k, v in root.value if v is value)
        block = _block_item(pairs, key_node.start_mark.column + offsets[0], offsets[1], nl)
        new_text = _replace_empty(text, value.start_mark.index, value.end_mark.index, block, nl)
    elif isinstance(value, yaml.SequenceNode) and value.flow_style:
        after = value.value[-1].end_mark.index  # right after the last item: never inside a comment after it
        spaces = len(text[after:]) - len(text[after:].lstrip(" \t"))
        if text.startswith(",", after + spaces):  # a trailing comma: the new item takes its place after it
            after += spaces + 1
            new_text = f"{text[:after]} {_flow_item(pairs)}{text[after:]}"
        else:
            new_text = f"{text[:after]}, {_flow_item(pairs)}{text[after:]}"
    elif isinstance(value, yaml.SequenceNode):
        first = value.value[0]
        item_offset = first.start_mark.column - value.start_mark.column if isinstance(first, yaml.MappingNode) else 2
        block = _block_item(pairs, value.start_mark.column, max(item_offset, 2), nl)
        at = _after_line(text, _last_mark(value))
        if at == len(text) and not text.endswith(("\n", "\r")):
            block = nl + block
        new_text = text[:at] + block + text[at:]
    else:  # parse() has already refused a `history` that is not a list
        raise NotesError(path, [_at(value, "`history` should be a list")])
    return new_text


def _flow_item(pairs: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{k}: {yaml_scalar(v, flow=True)}" for k, v in pairs) + "}"


def _holds_comment(text: str, node: yaml.Node) -> bool:
    return "#" in text[node.start_mark.index : node.end_mark.index]


def log_entry(path: Path, entry: dict[str, str]) -> str:
    """Add entry to the history of the notes file at path (symlinks followed), safely against other
    `followup log` runs: exclusive lock, re-read under it, atomic replace or in-place rewrite. Returns the text."""
    real = path.resolve()
    for _ in range(100):
        try:
            fd = os.open(real, os.O_RDWR | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            notes.load(real)  # the clear error for a missing, unreadable or odd file
            raise
        with os.fdopen(fd, "r+b") as handle:
            _lock(fd)
            held = os.fstat(fd)
            try:
                now = os.stat(real)
            except FileNotFoundError:
                continue
            if (now.st_dev, now.st_ino) != (held.st_dev, held.st_ino):
                continue  # another run replaced the file while we waited: lock the new one
            text = append_history(real, entry)
            data = text.encode("utf-8")
            if held.st_nlink > 1:  # a rename would cut this name off from its other links
                handle.seek(0)
                handle.write(data)
                handle.truncate()
                handle.flush()
                os.fsync(fd)
            else:
                _replace(real, data, held)
            return text
    raise OutputError(f"{path}: the file kept changing under other writers; try again")


def _lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks, the atomic replace alone
        return
    fcntl.flock(fd, fcntl.LOCK_EX)


def _replace(path: Path, data: bytes, held: os.stat_result) -> None:
    """Replace path by a complete new file with the same permissions (and owner, where we may)."""
    import tempfile

    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), held.st_mode & 0o7777)
            if hasattr(os, "fchown") and (held.st_uid, held.st_gid) != (os.getuid(), os.getgid()):
                with contextlib.suppress(OSError):  # not ours to give away: it keeps its mode all the same
                    os.fchown(out.fileno(), held.st_uid, held.st_gid)
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp_name, path)
    except OSError as err:
        raise OutputError(f"{path}: cannot write: {err.strerror}") from err
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)


def _is_empty(node: yaml.Node) -> bool:
    """`history:`, `history: ~` or `history: []`."""
    if isinstance(node, yaml.ScalarNode):
        return not node.style and node.value in _NULLS
    return isinstance(node, yaml.SequenceNode) and bool(node.flow_style) and not node.value


def _at(node: yaml.Node, message: str) -> Problem:
    return Problem(message, node.start_mark.line + 1, node.start_mark.column + 1)


def _ordered(entry: dict[str, str]) -> list[tuple[str, str]]:
    """The entry's non-empty values, keyed in the order date, kind, to, from, then as given."""
    keys = [k for k in _FIRST_KEYS if k in entry] + [k for k in entry if k not in _FIRST_KEYS]
    return [(k, entry[k]) for k in keys if entry[k] != ""]


def _newline(text: str) -> str:
    """The file's line break: that of its first line, else a plain newline."""
    match = _LINE_BREAK.search(text)
    return match.group() if match else "\n"


def _indents(root: yaml.MappingNode) -> tuple[int, int]:
    """How this file indents a block list under its key, and a mapping's keys after each `- `."""
    for node in _walk(root):
        if not isinstance(node, yaml.MappingNode) or node.flow_style:
            continue
        for key, value in node.value:
            if isinstance(value, yaml.SequenceNode) and not value.flow_style and value.value:
                first = value.value[0]
                if isinstance(first, yaml.MappingNode) and not first.flow_style:
                    under = value.start_mark.column - key.start_mark.column
                    return max(under, 0), max(first.start_mark.column - value.start_mark.column, 2)
    return 2, 2


def _walk(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [node] + [n for pair in node.value for child in pair for n in _walk(child)]
    if isinstance(node, yaml.SequenceNode):
        return [node] + [n for child in node.value for n in _walk(child)]
    return [node]


def _block_item(pairs: list[tuple[str, str]], dash_column: int, key_offset: int, nl: str) -> str:
    """One block list item, `- key: value` then aligned `key: value` lines, each ending in `nl`."""
    lines = []
    for i, (key, value) in enumerate(pairs):
        lead = " " * dash_column + ("-" + " " * (key_offset - 1) if i == 0 else " " * key_offset)
        lines.append(f"{lead}{key}: {yaml_scalar(value)}{nl}")
    return "".join(lines)


def _last_mark(node: yaml.Node) -> yaml.Mark:
    """Where the last value inside a block node ends (block collections end at the next token)."""
    while not getattr(node, "flow_style", True) and node.value:
        node = node.value[-1][1] if isinstance(node, yaml.MappingNode) else node.value[-1]
    return node.end_mark


def _after_line(text: str, mark: yaml.Mark) -> int:
    """The index just past the line that `mark` ends on (itself, if it is at a line's start)."""
    if mark.column == 0 and mark.index > 0:
        return mark.index
    match = _LINE_BREAK.search(text, mark.index)
    return match.end() if match else len(text)


def _replace_empty(text: str, start: int, end: int, block: str, nl: str) -> str:
    """Drop an empty value (`~`, `[]`, nothing) and put the block list on the lines after its key."""
    line_end = _LINE_BREAK.search(text, end)
    stop, after = (line_end.start(), line_end.end()) if line_end else (len(text), len(text))
    rest = text[end:stop]
    tail = rest if rest.strip() else ""  # a comment after the value stays on the key's line
    newline = line_end.group() if line_end else nl
    head = text[:start].rstrip(" \t")
    return f"{head}{tail}{newline}{block}{text[after:]}"
