"""Logbook: add one entry to a notes file's `history`, leaving every other byte as it was.

The user's notes are hand-written, with comments, their own indentation and maybe
CRLF line ends, so the file is never re-serialised: the new entry is inserted as text,
at a place found from PyYAML's node positions, in the file's own style. An absent
`history`, or an empty one (`history:`, `history: ~`, `history: []`), gets a block
list; an existing block list gets one more item after its last; a flow list
(`[{...}]`) gets one more flow item. The result is validated as notes before it is
returned; writing it (atomically, without newline translation) is the caller's job.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from followup import notes
from followup.errors import NotesError, Problem

_FIRST_KEYS = ("date", "kind", "to", "from")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_UNSAFE_IN_QUOTES = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")
_FLOW_INDICATORS = set(",[]{}:#")
_LINE_BREAK = re.compile(r"\r\n|\n|\r")
_NULLS = {"", "~", "null", "Null", "NULL"}


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
    notes.load(path)  # a missing, unreadable or invalid file: its problems, at their own positions
    text = path.read_bytes().decode("utf-8")  # as it is: byte-order mark and line ends included
    root = yaml.compose(text, Loader=yaml.SafeLoader)
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
    elif _is_empty(value):
        key_node = next(k for k, v in root.value if v is value)
        block = _block_item(pairs, key_node.start_mark.column + offsets[0], offsets[1], nl)
        new_text = _replace_empty(text, value.start_mark.index, value.end_mark.index, block, nl)
    elif isinstance(value, yaml.SequenceNode) and value.flow_style:
        close = text.rindex("]", 0, value.end_mark.index)
        item = "{" + ", ".join(f"{k}: {yaml_scalar(v, flow=True)}" for k, v in pairs) + "}"
        items = text[:close].rstrip()
        comma = " " if items.endswith(",") else ", "
        new_text = f"{items}{comma}{item}{text[len(items) : close]}{text[close:]}"
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
    notes.parse(new_text, path)
    return new_text


def _is_empty(node: yaml.Node) -> bool:
    """`history:`, `history: ~` or `history: []`."""
    if isinstance(node, yaml.ScalarNode):
        return node.style is None and node.value in _NULLS
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
