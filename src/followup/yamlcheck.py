"""Strict YAML: typed records declared as dataclasses, loaded with positions in every error.

Notes files and pack manifests are both read through this module. A dataclass deriving
from `Record` declares a format; `Checker` walks a YAML node tree along it, converting
values and collecting every problem with its line and column; `schema_of` derives a
JSON Schema from the same declaration. YAML 1.1's guesses do not apply: every plain
scalar is text until a field's type says otherwise.
"""

from __future__ import annotations

import os
import re
import sys
import types
import typing
from collections.abc import Callable
from datetime import date, time
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import yaml
from yaml.composer import Composer, ComposerError
from yaml.resolver import BaseResolver

from followup.errors import InputError, NotesError, Problem

if TYPE_CHECKING:
    from typing_extensions import Self, dataclass_transform
else:  # only type checkers need these; at run time they are no-ops

    def dataclass_transform(**kwargs: Any) -> Callable[[type], type]:
        return lambda cls: cls

    Self = Any

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 32  # nested lists and mappings: notes need about 7
MIN_YEAR, MAX_YEAR = 1900, 2999  # dates outside are typos, and date arithmetic near year 9999 would overflow
YEARS = f"dates from {MIN_YEAR}-01-01 to {MAX_YEAR}-12-31"
MAX_NUMBER = 999_999_999


class Key:
    """One declared key of a format: its help text, how it is checked and its default."""

    __slots__ = (
        "doc",
        "factory",
        "fmt",
        "internal",
        "maximum",
        "min_items",
        "minimum",
        "multiline",
        "name",
        "required",
        "value",
        "yaml_key",
    )

    def __init__(self, doc: str, **options: Any) -> None:
        self.doc = doc
        self.name = ""
        self.required: bool = options.get("required", False)
        self.yaml_key: str | None = options.get("yaml_key")
        self.fmt: str | None = options.get("fmt")
        self.min_items: int = options.get("min_items", 0)
        self.multiline: bool = options.get("multiline", False)
        self.internal: bool = options.get("internal", False)
        self.minimum: int = options.get("minimum", 0)
        self.maximum: int = options.get("maximum", MAX_NUMBER)
        default = options.get("default")
        self.factory: Callable[[], Any] | None = type(default) if isinstance(default, list | dict) else None
        if isinstance(default, type):
            self.factory = default
        self.value = None if self.factory else default

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @property
    def key(self) -> str:
        """The key as written in YAML (`for`, `from`), which may differ from the Python name."""
        return self.yaml_key or self.name

    def default(self) -> Any:
        return self.factory() if self.factory else self.value


def key(
    doc: str,
    *,
    required: bool = False,
    yaml_key: str | None = None,
    fmt: str | None = None,
    min_items: int = 0,
    multiline: bool = False,
    internal: bool = False,
    minimum: int = 0,
    maximum: int = MAX_NUMBER,
    default: Any = None,
) -> Any:
    """Declare one key of a format (used like dataclasses.field in a Record class body)."""
    return Key(
        doc,
        required=required,
        yaml_key=yaml_key,
        fmt=fmt,
        min_items=min_items,
        multiline=multiline,
        internal=internal,
        minimum=minimum,
        maximum=maximum,
        default=default,
    )


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(key,))
class Record:
    """A frozen record declared by its keys, with item access by YAML key (for templates and tools).

    Like a frozen, keyword-only dataclass, but defined without generating code: records are
    declared at import time, and a command should start fast.
    """

    _keys: ClassVar[tuple[Key, ...]] = ()
    _by_key: ClassVar[dict[str, str]] = {}  # YAML key -> attribute, for the keys templates and tools see

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._keys = (*cls._keys, *(v for v in vars(cls).values() if isinstance(v, Key)))
        cls._by_key = {k.key: k.name for k in cls._keys if not k.internal}
        cls._fill = tuple((k.name, k.required, k.factory, k.value) for k in cls._keys)

    _fill: ClassVar[tuple[tuple[str, bool, Callable[[], Any] | None, Any], ...]] = ()

    def __init__(self, **values: Any) -> None:
        attributes = {}
        for name, required, factory, default in self._fill:
            if name in values:
                attributes[name] = values.pop(name)
            elif required:
                raise TypeError(f"{type(self).__name__}: missing required {name!r}")
            else:
                attributes[name] = factory() if factory else default
        if values:
            raise TypeError(f"{type(self).__name__}: unknown {', '.join(map(repr, values))}")
        self.__dict__.update(attributes)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only; use .replace()")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, k.name) == getattr(other, k.name) for k in self._keys if not k.internal)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        fields = ", ".join(f"{k.name}={getattr(self, k.name)!r}" for k in self._keys)
        return f"{type(self).__name__}({fields})"

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its class and values (the worker process that renders packs receives records)."""
        return (_rebuild, (type(self), {k.name: getattr(self, k.name) for k in self._keys}))

    def replace(self, **changes: Any) -> Self:
        """A copy with some values changed."""
        values = {k.name: getattr(self, k.name) for k in self._keys}
        if not changes.keys() <= values.keys():
            return type(self)(**values | changes)  # the error __init__ gives for an unknown key
        copy = object.__new__(type(self))  # every key has its value already: no defaults to fill in
        copy.__dict__.update(values)
        copy.__dict__.update(changes)
        return copy

    def __getitem__(self, name: str) -> Any:
        try:
            attribute = self._by_key[name]
        except KeyError:
            raise KeyError(name) from None
        return getattr(self, attribute)

    def keys(self) -> list[str]:
        return list(self._by_key)

    def as_dict(self) -> dict[str, Any]:
        """The record as plain data keyed as in YAML (nested records and lists included)."""
        return {name: _plain(getattr(self, attribute)) for name, attribute in self._by_key.items()}


def _rebuild(cls: type[Record], values: dict[str, Any]) -> Record:
    return cls(**values)


_ITEM = Key("an item of a list", required=True)
_ENTRY = Key("an entry of a mapping")


def _plain(value: Any) -> Any:
    if isinstance(value, Record):
        return value.as_dict()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class _StrictComposer(Composer):
    """Composes YAML events into nodes, refusing anchors and aliases (no "billion laughs")."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(event.start_mark, "aliases (*name) are not allowed; write the value out")
        if getattr(event, "anchor", None) is not None:
            raise _Refused(event.start_mark, "anchors (&name) are not allowed; write the value out")
        if self.depth >= MAX_DEPTH:
            raise _Refused(event.start_mark, f"nested more than {MAX_DEPTH} levels deep; notes need far fewer")
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


try:  # libyaml's parser is about ten times faster than the pure-Python one; both give the same events
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _PureParser(Reader, Scanner, Parser):
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)

    _Parser = _PureParser  # type: ignore[assignment,misc]


class StrictLoader(_StrictComposer, _Parser, BaseResolver):
    """Parses YAML into nodes with no implicit typing: every plain scalar is text until a field types it."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 - PyYAML reads it per class

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        _StrictComposer.__init__(self)
        BaseResolver.__init__(self)


class _QuickLoader(_Parser):
    """libyaml's own composer, in C, for text that `_quick_composer_fits` clears (no anchors, shallow).

    It gives StrictLoader's nodes, tags and marks: no implicit resolver applies there either, so
    a node without a tag (or with `!`) gets its kind's default tag, here without Python's resolver.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return _SCALAR_TAG
        return _SEQUENCE_TAG if kind is yaml.SequenceNode else _MAPPING_TAG

    def descend_resolver(self, parent: Any, index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


class _Refused(Exception):
    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


def read_text(path: Path, error: type[InputError] = NotesError, what: str = "notes") -> str:
    """Read a small UTF-8 text file, refusing what is missing, not a regular file, too large, binary or empty.

    A FIFO, a device or a socket is refused before a byte is read (never a hang, never an
    endless read), and the size limit holds while reading, whatever the file claims.
    """
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError as err:
        raise error(path, [Problem("no such file")]) from err
    except IsADirectoryError as err:
        raise error(path, [Problem("is a folder, not a file")]) from err
    except OSError as err:
        raise error(path, [Problem(f"cannot read the file: {err.strerror}")]) from err
    with os.fdopen(fd, "rb") as handle:
        try:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                raise error(path, [Problem("is a folder, not a file")])
            if not stat.S_ISREG(info.st_mode):
                raise error(path, [Problem(f"is not a regular file (a pipe, device or socket); {what} must be a file")])
            if info.st_size > MAX_FILE_BYTES:
                raise error(path, [Problem(f"the file is {info.st_size:,} bytes; {what} files over 1 MiB are refused")])
            data = handle.read(min(info.st_size, MAX_FILE_BYTES) + 1)  # not a 1 MiB buffer for a small file
            if len(data) > info.st_size:  # longer than it said (a file still growing): read on, within the limit
                data += handle.read(MAX_FILE_BYTES + 1 - len(data))
        except OSError as err:
            raise error(path, [Problem(f"cannot read the file: {err.strerror}")]) from err
    if len(data) > MAX_FILE_BYTES:
        raise error(path, [Problem(f"the file is over 1 MiB; {what} files over 1 MiB are refused")])
    if b"\0" in data:
        raise error(path, [Problem(f"this is a binary file, not {what} in YAML text")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise error(path, [Problem(f"not UTF-8 text (byte {err.start}); save the file as UTF-8")]) from err
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        hint = "; run `followup new FILE` for a starter" if what == "notes" else ""
        raise error(path, [Problem(f"the file is empty{hint}")])
    return text


def year_problem(value: date) -> str | None:
    """Why a date is refused (outside MIN_YEAR..MAX_YEAR), or None when it is fine."""
    if MIN_YEAR <= value.year <= MAX_YEAR:
        return None
    return f"{value.isoformat()} is out of range: followup takes {YEARS}"


def compose(text: str, path: Path, error: type[InputError] = NotesError) -> yaml.Node:
    """Parse YAML text into a node tree with positions, or raise with the position of the fault."""
    quick = _quick_composer_fits(text)
    loader: Any = _QuickLoader(text) if quick else StrictLoader(text)
    try:
        node = loader.get_single_node() if quick else _compose(loader)
    except _Refused as err:
        raise error(path, [problem_at(err.mark, err.message)]) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        message = err.problem or err.context or "invalid YAML"
        raise error(path, [problem_at(mark, f"invalid YAML: {message}")]) from None
    except yaml.YAMLError as err:
        raise error(path, [Problem(f"invalid YAML: {err}")]) from None
    finally:
        loader.dispose()
    if node is None:
        raise error(path, [Problem("the file is empty")])
    return node


def _quick_composer_fits(text: str) -> bool:
    """Whether libyaml's composer may build this text's tree: it certainly has no anchor or alias and nests
    fewer than MAX_DEPTH levels, so the careful loop (`_compose`) would refuse nothing and give the same tree.

    An anchor or alias is a token, and a token never starts right after a letter or digit ("R&D" is one
    plain scalar); nor is `&` or `*` before a space one (a name cannot be empty).

    libyaml's composer recurses in C, so depth must be bounded before it starts (a deep enough text would
    crash it). The bound: a block collection starts at a column where a line's indentation, or one of the
    `- `, `? `, `: ` indicators it begins with, ends or stands; along any path from the root, each column
    holds at most two block collections (a mapping and the sequence written at its indentation as a value);
    flow collections add at most one level per `[` or `{`. Other line breaks than \\n (\\r alone, NEL,
    LS, PS) and a byte order mark inside the text could hide columns: such text takes the careful loop.
    """
    if not _C_COMPOSER:
        return False
    if ("&" in text or "*" in text) and re.search(r"(?<![0-9A-Za-z])[&*][^ \t\r\n]", text):
        return False  # perhaps an anchor or alias: "R&D" and "Ruiz & Asociados" are not, "&a" and "*a" may be
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return False
    if "\x85" in text or "\u2028" in text or "\u2029" in text or "\ufeff" in text:
        return False
    columns: set[int] = set()
    for found in set(re.findall(r"\n[ \t?:-]*", "\n" + text)):  # each line's distinct beginnings
        prefix = found[1:]
        columns.add(len(prefix))
        columns.update(i for i, c in enumerate(prefix) if c in "?:-")
    return 2 * len(columns) + text.count("[") + text.count("{") < MAX_DEPTH


_C_COMPOSER = hasattr(_QuickLoader, "get_single_node")  # False where PyYAML was built without libyaml

_SCALAR_TAG = BaseResolver.DEFAULT_SCALAR_TAG
_SEQUENCE_TAG = BaseResolver.DEFAULT_SEQUENCE_TAG
_MAPPING_TAG = BaseResolver.DEFAULT_MAPPING_TAG


def _compose(loader: StrictLoader) -> yaml.Node | None:
    """The document's node tree, as `_StrictComposer.get_single_node` makes it, in one loop over the events.

    The same nodes, tags, marks and errors, found in the same order, without a Python call per
    node: every plain scalar is text (no implicit resolvers), anchors, aliases and nesting past
    MAX_DEPTH are refused at the event that brings them.
    """
    get: Any = loader.get_event
    check: Any = loader.check_event
    get()  # STREAM-START
    if check(yaml.StreamEndEvent):
        get()
        return None
    get()  # DOCUMENT-START
    scalar_event, sequence_event = yaml.ScalarEvent, yaml.SequenceStartEvent
    scalar_node, mapping_node, sequence_node = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode
    stack: list[Any] = []  # open collections: [node, pending mapping key or None]
    node: Any = None
    opened: Any = None
    while True:
        event: Any = get()
        kind = type(event)
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            done = stack.pop()[0]
            done.end_mark = event.end_mark
            node = done
        else:
            if kind is yaml.AliasEvent:
                raise _Refused(event.start_mark, "aliases (*name) are not allowed; write the value out")
            if event.anchor is not None:
                raise _Refused(event.start_mark, "anchors (&name) are not allowed; write the value out")
            if len(stack) >= MAX_DEPTH:
                raise _Refused(event.start_mark, f"nested more than {MAX_DEPTH} levels deep; notes need far fewer")
            tag = event.tag
            if kind is scalar_event:
                if tag is None or tag == "!":
                    tag = _SCALAR_TAG
                node = scalar_node(tag, event.value, event.start_mark, event.end_mark, style=event.style)
            else:
                if kind is sequence_event:
                    if tag is None or tag == "!":
                        tag = _SEQUENCE_TAG
                    opened = sequence_node(tag, [], event.start_mark, None, flow_style=event.flow_style)
                else:
                    if tag is None or tag == "!":
                        tag = _MAPPING_TAG
                    opened = mapping_node(tag, [], event.start_mark, None, flow_style=event.flow_style)
                stack.append([opened, None])
                continue
        if not stack:
            break
        top = stack[-1]
        parent = top[0]
        if type(parent) is sequence_node:
            parent.value.append(node)
        elif top[1] is None:
            top[1] = node
        else:
            parent.value.append((top[1], node))
            top[1] = None
    get()  # DOCUMENT-END
    if not check(yaml.StreamEndEvent):
        event = get()
        raise ComposerError(
            "expected a single document in the stream", node.start_mark, "but found another document", event.start_mark
        )
    get()  # STREAM-END
    return node  # type: ignore[no-any-return]


def problem_at(mark: Any, message: str) -> Problem:
    if mark is None:
        return Problem(message)
    return Problem(message, mark.line + 1, mark.column + 1)


_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "yes", "on"}
_FALSE = {"false", "no", "off"}
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NUMBER = r"[0-9]{1,9}"  # patterns used only now and then stay text: re compiles them on first use
_NUMBER_START = frozenset("tTfF+-.0123456789")
# what YAML 1.2's core schema (the one editors use) reads as true/false or a number rather than text
YAML12_NOT_TEXT = (
    r"true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
)
_WORDS_NOT_TEXT = frozenset({"true", "false", ".inf", "+.inf", "-.inf", ".nan"})


def _has_digit(text: str) -> bool:
    return any(c in "0123456789" for c in text)


_FILE = r"(?!.*(^|/)\.\.?(/|$))[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*"
_LANGUAGE = r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,3}"
MAX_FILE_NAME = 128
_TIME = re.compile(r"(?P<h>[0-9]{1,2})(?::(?P<m>[0-9]{2}))?(?::(?P<s>[0-9]{2}))?\s*(?P<ampm>[ap]\.?m\.?)?", re.I)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_URL = re.compile(r"(https?://)?[^\s/]+\.[^\s]+", re.I)


def is_web_address(text: str) -> bool:
    """Whether text looks like a link (example.org/page or https://...)."""
    return bool(_URL.fullmatch(text))


_KIND = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
_COUNTRY = re.compile(r"[A-Z]{2}(-[A-Z0-9]{1,3})?")
_MAX_PROBLEMS = 25


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: Any) -> dict[str, Any]:
    """The resolved types of a record class's keys (resolved once, then cached).

    Each annotation is evaluated in its own module's names only: a key named `date` must
    not hide the type `date`. (Cheaper than typing.get_type_hints, which a command pays at start-up.)
    """
    if cls not in _HINTS:
        names = {k.name for k in cls._keys}
        hints: dict[str, Any] = {}
        for klass in reversed(cls.__mro__):
            module = vars(sys.modules[klass.__module__])
            for name, annotation in vars(klass).get("__annotations__", {}).items():
                if name in names:
                    hints[name] = _evaluate(annotation, klass.__module__, module)
        _HINTS[cls] = hints
    return _HINTS[cls]


_FIELDS: dict[type, dict[str, Key]] = {}


def _fields(cls: type[Record]) -> dict[str, Key]:
    """A record class's keys by their YAML name (worked out once per class)."""
    if cls not in _FIELDS:
        _FIELDS[cls] = {k.key: k for k in cls._keys if not k.internal}
    return _FIELDS[cls]


_RECORD_PLANS: dict[type, tuple[dict[str, tuple[Key, Any]], tuple[tuple[str, str], ...]]] = {}


def _record_plan(cls: type[Record]) -> tuple[dict[str, tuple[Key, Any]], tuple[tuple[str, str], ...]]:
    """A record class's keys by YAML name with their types, and its required keys as (YAML key, attribute):
    what checking a mapping of this class needs, worked out once per class."""
    plan = _RECORD_PLANS.get(cls)
    if plan is None:
        hints = _hints(cls)
        keys = {key: (f, hints[f.name]) for key, f in _fields(cls).items()}
        plan = _RECORD_PLANS[cls] = (keys, tuple((key, f.name) for key, f in _fields(cls).items() if f.required))
    return plan


def _yaml12_not_text(raw: str) -> bool:
    """Whether YAML 1.2 (the schema editors use) reads this plain scalar as a number or true/false."""
    if not _has_digit(raw) and raw.lower() not in _WORDS_NOT_TEXT:
        return False  # cannot match
    return re.fullmatch(YAML12_NOT_TEXT, raw) is not None


_PLANS: dict[Any, tuple[Any, Any, tuple[Any, ...]]] = {}


def _plan(hint: Any) -> tuple[Any, Any, tuple[Any, ...]]:
    """A key's type without its `| None`, with its origin and arguments (worked out once per type)."""
    if hint not in _PLANS:
        bare = _strip_optional(hint)
        _PLANS[hint] = (bare, typing.get_origin(bare), typing.get_args(bare))
    return _PLANS[hint]


_EVALUATED: dict[tuple[str, str], Any] = {}


def _evaluate(annotation: Any, module_name: str, module: dict[str, Any]) -> Any:
    """An annotation as a type, each distinct text evaluated once per module ("str | None" comes back often)."""
    if not isinstance(annotation, str):
        return annotation
    if (module_name, annotation) not in _EVALUATED:
        _EVALUATED[module_name, annotation] = eval(annotation, module)
    return _EVALUATED[module_name, annotation]


def _strip_optional(hint: Any) -> Any:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return hint


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping (key: value lines)"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f'"{node.value}"'


class Checker:
    """Walks a node tree along the dataclasses, converting values and collecting problems."""

    def __init__(self, placeholder: Callable[[str], bool] | None = None) -> None:
        self.problems: list[Problem] = []
        self.lines: dict[str, int] = {}  # "interviews[1].interviewers[2].discussed[1]" -> its line
        self.placeholder = placeholder  # text values that are a starter file's examples, not the user's

    def problem(self, node: yaml.Node, message: str) -> None:
        if len(self.problems) < _MAX_PROBLEMS:
            self.problems.append(problem_at(node.start_mark, message))

    def record(self, node: yaml.Node, cls: type[Record], where: str) -> Record | None:
        if not isinstance(node, yaml.MappingNode):
            what = f"`{where}`" if where else "the file"
            self.problem(node, f"{what} should be a mapping of `key: value` lines, not {_describe(node)}")
            return None
        keys, required = _record_plan(cls)
        values: dict[str, Any] = {}
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, f"{where or 'top level'}: keys must be plain words")
                continue
            key = key_node.value
            if key in seen:
                self.problem(
                    key_node, f"duplicate key `{f'{where}.{key}' if where else key}`: keep one and delete the other"
                )
                continue
            seen.add(key)
            found = keys.get(key)
            if found is None:
                self.problem(key_node, _unknown_key(key, list(keys), where))
                continue
            f, hint = found
            converted = self.value(value_node, hint, f, f"{where}.{key}" if where else key)
            if converted is not None:
                values[f.name] = converted
        missing = False
        for key, name in required:
            if name not in values:
                missing = True
                if key not in seen:
                    self.problem(node, f"missing required key `{f'{where}.{key}' if where else key}`")
        return None if missing else cls(**values)

    def value(self, node: yaml.Node, hint: Any, meta: Key, path: str) -> Any:
        hint, origin, args = _plan(hint)
        scalar = isinstance(node, yaml.ScalarNode)
        style: str | None = getattr(node, "style", None)  # a scalar's quoting: "" when plain
        if scalar and (not node.value.strip() or (not style and node.value in _NULLS)):
            if meta.required:  # `name:`, `name: ~` and `name: ""` all leave a required key without a value
                self.problem(node, f"`{path}` is required; give it a value")
            return None
        if node.tag not in _PLAIN_TAGS:
            self.problem(node, f"`{path}`: YAML tags like {node.tag} are not allowed; remove it")
            return None
        if origin is not None and origin is not Literal:
            if origin is list:
                return self.items(node, args[0], meta, path)
            if origin is dict:
                return self.table(node, args[1], path)
        elif hint is not str and isinstance(hint, type) and issubclass(hint, Record):
            return self.record(node, hint, path)
        if not scalar:
            self.problem(node, f"`{path}` should be a single value, not {_describe(node)}")
            return None
        raw: str = node.value
        # a lone surrogate can only come from an escape ("\\ud83d"), which only double quotes read
        text = (_whole_characters(raw) if style == '"' else raw).strip()
        if node.start_mark is not None:
            self.lines[path] = node.start_mark.line + 1
        if hint is not str:
            if origin is Literal:
                choices = args
                if text.isascii() and text.lower() in choices:
                    return text.lower()
                self.problem(
                    node, f"`{path}` is {_describe(node)}; use one of: {', '.join(choices)}{_suggest(text, choices)}"
                )
                return None
            if hint is bool:
                if text.isascii() and text.lower() in _TRUE | _FALSE:
                    return text.lower() in _TRUE
                self.problem(node, f"`{path}` should be true or false, not {_describe(node)}")
                return None
            if hint is int:
                if re.fullmatch(_NUMBER, text) and meta.minimum <= int(text) <= meta.maximum:
                    return int(text)
                span = f" from {meta.minimum} to {meta.maximum}" if meta.maximum < MAX_NUMBER else ""
                self.problem(node, f"`{path}` should be a whole number{span} (digits 0-9), not {_describe(node)}")
                return None
            if hint is date:
                return self.date(node, text, path)
            if hint is time:
                return self.time(node, text, path)
        if meta.fmt and not style and raw[:1] in _NUMBER_START and _yaml12_not_text(raw):
            # editors read YAML 1.2, where this is a number or true/false: agree with the schema they show
            self.problem(node, f"`{path}`: YAML reads {raw} as a number or true/false, not a {meta.fmt}")
            return None
        if not meta.multiline:
            text = " ".join(text.split())  # a value inside a sentence keeps no line breaks
        return self.text(node, text, meta.fmt, path)

    def items(self, node: yaml.Node, item_hint: Any, meta: Key, path: str) -> list[Any] | None:
        if isinstance(node, yaml.ScalarNode) and item_hint is str:
            nodes = [node]  # `discussed: one thing` is a list of one
        elif not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"`{path}` should be a list (lines starting with `- `), not {_describe(node)}")
            return None
        else:
            nodes = node.value
        out = []
        for i, item in enumerate(nodes):
            value = self.value(item, item_hint, _ITEM, f"{path}[{i + 1}]")
            if value is not None:
                out.append(value)
        if len(nodes) < meta.min_items:
            self.problem(node, f"`{path}` needs at least {meta.min_items} entry")
        return out

    def table(self, node: yaml.Node, value_hint: Any, path: str) -> dict[str, Any] | None:
        """A mapping whose keys are names the user chooses (such as kinds) and values all alike."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"`{path}` should be a mapping of `name: ...` entries, not {_describe(node)}")
            return None
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            name = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
            if not _KIND.fullmatch(name):
                self.problem(key_node, f"`{path}`: {_describe(key_node)} is not a name (lowercase words joined by -)")
            elif name in out:
                self.problem(key_node, f"duplicate key `{path}.{name}`: keep one and delete the other")
            else:
                value = self.value(value_node, value_hint, _ENTRY, f"{path}.{name}")
                if value is not None:
                    out[name] = value
        return out

    def date(self, node: yaml.Node, text: str, path: str) -> date | None:
        if _DATE.fullmatch(text):
            try:
                value = date.fromisoformat(text)
            except ValueError:
                pass
            else:
                problem = year_problem(value)
                if problem is None:
                    return value
                self.problem(node, f"`{path}`: {problem}")
                return None
        self.problem(node, f"`{path}` is not a valid date: {_describe(node)}; write YYYY-MM-DD, e.g. 2026-11-18")
        return None

    def time(self, node: yaml.Node, text: str, path: str) -> time | None:
        match = _TIME.fullmatch(text)
        if match:
            hour, minute, second = int(match["h"]), int(match["m"] or 0), int(match["s"] or 0)
            ampm = (match["ampm"] or "").lower().replace(".", "")
            if ampm and 1 <= hour <= 12:
                hour = hour % 12 + (12 if ampm == "pm" else 0)
            elif ampm or match["m"] is None:
                hour = 99  # "14pm" or a bare number: not a time
            if hour < 24 and minute < 60 and second < 60:
                return time(hour, minute, second)
        self.problem(node, f"`{path}` is not a valid time: {_describe(node)}; write 24-hour HH:MM, e.g. 14:30")
        return None

    def text(self, node: yaml.Node, text: str, fmt: str | None, path: str) -> str | None:
        if not text:
            return None
        if self.placeholder is not None and self.placeholder(text):
            self.problem(node, f"`{path}` is a placeholder ({text!r}), not your notes: write the real value")
            return None
        if fmt == "email" and not _EMAIL.fullmatch(text):
            self.problem(node, f"`{path}` is not an e-mail address: {_describe(node)}")
            return None
        if fmt == "url" and not is_web_address(text):
            self.problem(node, f"`{path}` is not a web address: {_describe(node)}")
            return None
        if fmt == "country":
            text = text.upper()
            if not _COUNTRY.fullmatch(text):
                self.problem(node, f"`{path}` should be an ISO 3166 country code such as US, GB or ES (or US-CA)")
                return None
        if fmt == "kind" and not _KIND.fullmatch(text):
            self.problem(node, f"`{path}` should be a kind such as thank-you, check-in, call or reply")
            return None
        if fmt == "file" and (len(text) > MAX_FILE_NAME or not re.fullmatch(_FILE, text)):
            self.problem(
                node,
                f"`{path}` should be a file in the pack: at most {MAX_FILE_NAME} letters, digits, `_`, `.`, `-`"
                " (and `/` between folders)",
            )
            return None
        if fmt == "language" and not re.fullmatch(_LANGUAGE, text):
            self.problem(node, f"`{path}` should be a language code such as en, es, pt-BR or en-GB")
            return None
        return text


_SURROGATES = re.compile("[\ud800-\udfff]")


def _whole_characters(text: str) -> str:
    """Join UTF-16 surrogate pairs written as escapes ("\\ud83d\\ude00"); lone halves become U+FFFD."""
    if not _SURROGATES.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


def _suggest(word: str, choices: typing.Sequence[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word.lower(), list(choices), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def _unknown_key(key: str, known: list[str], where: str) -> str:
    place = f"under `{where}`" if where else "at the top level"
    hint = _suggest(key, known)
    if not hint:
        hint = f" (known keys: {', '.join(known)})"
    return f"unknown key `{key}` {place}{hint}"


def schema_of(cls: Any, *, nullable: bool = False) -> dict[str, Any]:
    """A JSON Schema object for a record class, with every key's help text.

    It accepts exactly what the loader accepts, read as YAML 1.2 the way editors read it:
    text keys take numbers and true/false too (the loader reads them as text), a key that
    is not required may be null or blank, a list of text may be one text, and formats
    (e-mail, web address, kind, dates, times, choices) are patterns, not advisory formats.
    """
    hints = _hints(cls)
    props: dict[str, Any] = {}
    required: list[str] = []
    for f in cls._keys:
        if f.internal:
            continue
        key = f.key
        prop = _schema_type(hints[f.name], f, required=f.required)
        prop["description"] = f.doc
        props[key] = prop
        if f.required:
            required.append(key)
    kinds = ["object", "null"] if nullable else "object"
    return {"type": kinds, "properties": props, "required": required, "additionalProperties": False}


def _any_case(word: str) -> str:
    """A regular expression matching word in any letter case (JSON Schema patterns have no flags)."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)


_LEAP = r"(19|2[0-9])(0[48]|[2468][048]|[13579][26])|2000|2400|2800"
_SCHEMA_PATTERNS = {
    "date": (
        r"(19|2[0-9])[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)"
        rf"|02-(0[1-9]|1[0-9]|2[0-8]))|({_LEAP})-02-29"
    ),
    "time": r"([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?|(0?[1-9]|1[0-2])(:[0-5][0-9]){0,2}\s*[aApP]\.?[mM]\.?",
    "email": r"[^@\s]+@[^@\s]+\.[^@\s]+",
    "url": r"([hH][tT][tT][pP][sS]?://)?[^\s/]+\.\S+",
    "kind": r"[a-z][a-z0-9]*(-[a-z0-9]+)*",
    "language": r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,3}",
}


def _country_pattern() -> str:
    import holidays  # only for the schema

    codes = "|".join(_any_case(code) for code in sorted(holidays.list_supported_countries()))
    return rf"({codes})(-[A-Za-z0-9]{{1,3}})?"


def _pattern(body: str, *, required: bool) -> str:
    """Surrounding blanks allowed (the loader strips them); a blank value too where the key may be left out."""
    return rf"^\s*({body})\s*$" if required else rf"^\s*({body})?\s*$"


def _schema_type(hint: Any, meta: Key, *, required: bool) -> dict[str, Any]:
    hint = _strip_optional(hint)
    origin = typing.get_origin(hint)
    null = [] if required else ["null"]
    out: dict[str, Any]
    if origin is list:
        item_hint = typing.get_args(hint)[0]
        out = {"type": ["array", *null], "items": _schema_type(item_hint, _ITEM, required=True)}
        if item_hint is str:  # `discussed: one thing` is a list of one (a blank one: no list)
            out["type"] = ["array", "string", "number", "boolean", *null]
        if meta.min_items:
            out["minItems"] = meta.min_items
    elif origin is dict:
        out = {
            "type": ["object", *null],
            "propertyNames": {"pattern": f"^{_SCHEMA_PATTERNS['kind']}$"},
            "additionalProperties": _schema_type(typing.get_args(hint)[1], _ENTRY, required=False),
        }
    elif isinstance(hint, type) and issubclass(hint, Record):
        out = schema_of(hint, nullable=not required)
    elif origin is Literal:
        choices = "|".join(_any_case(c) for c in typing.get_args(hint))
        out = {"type": ["string", *null], "pattern": _pattern(choices, required=required)}
        out["examples"] = list(typing.get_args(hint))
    elif hint is bool:
        words = "|".join(_any_case(w) for w in sorted(_TRUE | _FALSE))
        out = {"type": ["boolean", "string", *null], "pattern": _pattern(words, required=required)}
    elif hint is int:
        out = {"type": ["integer", *null], "minimum": meta.minimum, "maximum": meta.maximum}
    elif hint in (date, time):
        out = {"type": ["string", *null], "pattern": _pattern(_SCHEMA_PATTERNS[hint.__name__], required=required)}
    elif meta.fmt == "country":  # the countries whose holidays are known; any region code after them
        out = {"type": ["string", *null], "pattern": _pattern(_country_pattern(), required=required)}
    elif meta.fmt in _SCHEMA_PATTERNS:
        out = {"type": ["string", *null], "pattern": _pattern(_SCHEMA_PATTERNS[meta.fmt], required=required)}
    else:  # text: numbers and true/false are read as text too
        out = {"type": ["string", "number", "boolean", *null]}
        if required:
            out["pattern"] = r"\S"
    return out
