"""Template packs: finding them, reading their manifests, and the sandbox they render in.

A pack is a folder with a `pack.yaml` manifest and one `KIND.txt.j2` template per kind
(plus `KIND.TONE.txt.j2` variants, shared partials and an optional `letterhead.docx`).
Kinds a pack lacks come from the built-in pack, which templates may also extend as
`builtin/KIND.txt.j2`. Packs are untrusted: they render in a sandboxed Jinja
environment that cannot read outside the pack and is bounded in time and output size.
"""

from __future__ import annotations

import functools
import os
import re
import signal
import string
import sys
import time
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, NamedTuple

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

from followup.errors import PackError, Problem, TemplateError
from followup.filters import Language
from followup.yamlcheck import Checker, Record, compose, key, read_text

Audience = Literal["each-interviewer", "hiring-manager", "referrer", "article-reader"]
Channel = Literal["email", "linkedin", "phone"]

TEMPLATE_SUFFIX = ".txt.j2"
BUILTIN_PREFIX = "builtin/"
MAX_RENDER_SECONDS = 5.0
MAX_OUTPUT_CHARS = 1024 * 1024
MAX_TEMPLATE_BYTES = 256 * 1024
CONFIG_ENV = "FOLLOWUP_CONFIG_DIR"
_KIND_NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")  # partials start with "_", tone variants hold a "."


# --------------------------------------------------------------------------- manifest


class KindEntry(Record):
    file: str | None = key("The template, relative to the pack (default: KIND.txt.j2).", default=None)
    description: str | None = key("One line saying what the message does, shown by `followup kinds`.", default=None)
    to: Audience | None = key(
        "Who it goes to: each-interviewer, hiring-manager, referrer or article-reader.", default=None
    )
    channel: Channel | None = key("email (also printable as a letter), linkedin or phone (no Subject).", default=None)
    max_chars: int | None = key("Warn when the message body is longer than this many characters.", default=None)


_NO_ENTRY = KindEntry(file=None, description=None, to=None, channel=None, max_chars=None)


class Manifest(Record):
    name: str = key("The pack's name.", required=True)
    version: str = key("The pack's version, e.g. 0.1.0.", required=True)
    description: str | None = key("What the pack is for.", default=None)
    language: str = key("Language code of its wording (en, es, fr, de, pt, it, en-GB...).", default="en")
    author: str | None = key("Who wrote it.", default=None)
    tone: str = key("The tone of the main templates; variants are KIND.TONE.txt.j2.", default="warm")
    date_format: str | None = key("How dates are written, e.g. '{day} de {month} de {year}'.", default=None)
    months: list[str] = key("The twelve month names, if the language's defaults don't suit.", default=[])
    weekdays: list[str] = key("The seven weekday names, Monday first.", default=[])
    and_word: str | None = key("The word joining the last two items of a list ('and', 'y').", default=None)
    kinds: dict[str, KindEntry] = key("Per kind: file, description, to, channel, max_chars.", default={})


class Kind(NamedTuple):
    """One message kind as a pack offers it."""

    name: str
    template: str  # the Jinja name: "thank-you.txt.j2" or "builtin/thank-you.txt.j2"
    to: Audience
    channel: Channel
    description: str
    max_chars: int | None
    tones: dict[str, str]  # tone -> Jinja name, the default tone included

    @property
    def per_person(self) -> bool:
        return self.to == "each-interviewer"


class Pack:
    """A template pack, resolved: its kinds include those it inherits from the built-in pack."""

    def __init__(self, manifest: Manifest, root: Path, kinds: dict[str, Kind], *, is_builtin: bool = False) -> None:
        self.manifest = manifest
        self.root = root
        self.kinds = kinds
        self.is_builtin = is_builtin

    @property
    def name(self) -> str:
        return self.manifest.name

    @property
    def letterhead(self) -> Path | None:
        """The pack's letterhead.docx, checked to be inside the pack and of sane size, if it has one."""
        path = self.root / "letterhead.docx"
        if not path.is_file():
            return None
        if not _inside(path, self.root):
            raise PackError(path, [Problem("points outside the pack (a symlink); packs must be self-contained")])
        _check_zip_size(path)
        return path

    @cached_property
    def language(self) -> Language:
        m = self.manifest
        return Language.named(
            m.language, months=m.months, weekdays=m.weekdays, date_format=m.date_format, and_word=m.and_word
        )

    @cached_property
    def environment(self) -> Sandbox:
        return Sandbox(self)

    def kind(self, name: str) -> Kind:
        """The kind called name, or a PackError listing the kinds there are."""
        if name not in self.kinds:
            raise PackError(self.root, [Problem(f"no kind `{name}` in pack {self.name}; try: {', '.join(self.kinds)}")])
        return self.kinds[name]


MAX_LETTERHEAD_BYTES = 5 * 1024 * 1024
MAX_LETTERHEAD_UNPACKED = 50 * 1024 * 1024


def _check_zip_size(path: Path) -> None:
    """Refuse a letterhead that is too large, or that would unpack to far more than it weighs."""
    import zipfile

    try:
        if path.stat().st_size > MAX_LETTERHEAD_BYTES:
            raise PackError(path, [Problem("a letterhead over 5 MiB is refused")])
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (OSError, zipfile.BadZipFile) as err:
        raise PackError(path, [Problem(f"not a DOCX file: {err}")]) from err
    if unpacked > MAX_LETTERHEAD_UNPACKED:
        raise PackError(path, [Problem("the letterhead unpacks to over 50 MiB; refused")])


def builtin_root() -> Path:
    """The built-in pack's folder: inside the installed package, or templates/ in a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent.parent / "templates"):
        if (candidate / "pack.yaml").is_file():
            return candidate
    raise PackError(here / "templates", [Problem("the built-in templates are missing; reinstall followup")])


def config_dir() -> Path:
    """Where user settings and packs live: $FOLLOWUP_CONFIG_DIR, else the platform's config folder."""
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV])
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / "followup"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "followup"
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "followup"


def cache_dir() -> Path:
    """Where compiled templates are cached: $FOLLOWUP_CACHE_DIR, else the platform's cache folder."""
    if os.environ.get("FOLLOWUP_CACHE_DIR"):
        return Path(os.environ["FOLLOWUP_CACHE_DIR"])
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / "followup" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "followup"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "followup"


_CODE_VERSION = 2  # the cache is keyed by template source only: bump when the sandbox compiles differently


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs (keyed by source checksum), if the cache folder is usable."""
    folder = cache_dir() / f"templates-{_CODE_VERSION}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def user_packs_dir() -> Path:
    return config_dir() / "packs"


_BUILTIN: Pack | None = None


def builtin_pack() -> Pack:
    """The built-in pack (read once per process)."""
    global _BUILTIN
    if _BUILTIN is None:
        _BUILTIN = _read_pack(builtin_root(), None)
    return _BUILTIN


def find_pack(spec: str | os.PathLike[str] | None) -> Pack:
    """The pack a --pack value names: a folder path, a user pack's name, or None/"builtin"."""
    if spec is None or str(spec) == "builtin":
        return builtin_pack()
    text = str(spec)
    path = Path(text).expanduser()
    named = user_packs_dir() / text
    if not path.exists() and re.fullmatch(r"[\w.-]+", text) and named.is_dir():
        path = named
    if not path.is_dir():
        where = f"; user packs live in {user_packs_dir()}" if os.sep not in text else ""
        raise PackError(path, [Problem(f"no such pack folder{where}")])
    return _read_pack(path, builtin_pack())


def list_packs() -> Iterator[Pack | PackError]:
    """The built-in pack and every pack in the user packs folder (broken ones as their error)."""
    yield builtin_pack()
    folder = user_packs_dir()
    if folder.is_dir():
        for path in sorted(p for p in folder.iterdir() if p.is_dir()):
            try:
                yield _read_pack(path, builtin_pack())
            except PackError as err:
                yield err


def read_manifest(root: Path) -> Manifest:
    """Read and validate a pack's pack.yaml, reporting problems with file, line and column."""
    path = root / "pack.yaml"
    if not path.is_file():
        raise PackError(path, [Problem("no pack.yaml here: a pack needs one with at least `name` and `version`")])
    if not _inside(path, root):
        raise PackError(path, [Problem("pack.yaml points outside the pack (a symlink); packs must be self-contained")])
    node = compose(read_text(path, PackError, "pack manifest"), path, PackError)
    checker = Checker()
    manifest = checker.record(node, Manifest, "")
    if isinstance(manifest, Manifest):
        _check_language(node, manifest, checker)
    if checker.problems:
        raise PackError(path, checker.problems)
    assert isinstance(manifest, Manifest)
    return manifest


def _check_language(node: Any, manifest: Manifest, checker: Checker) -> None:
    """Month and weekday lists of the right length, and a date_format that formats a date."""
    where = {k.value: v for k, v in node.value if hasattr(k, "value") and isinstance(k.value, str)}
    for name, count in (("months", 12), ("weekdays", 7)):
        given = getattr(manifest, name)
        if given and len(given) != count:
            checker.problem(where[name], f"`{name}` needs exactly {count} names, not {len(given)}")
    if manifest.date_format and not _plain_date_pattern(manifest.date_format):
        checker.problem(where["date_format"], f"`date_format` {_DATE_PATTERN_RULE}")


_DATE_PATTERN_RULE = "can use {day}, {dd}, {month}, {mm}, {year} and {weekday} only (no widths or attributes)"


def _plain_date_pattern(pattern: str) -> bool:
    """Whether a date pattern uses plain fields only: str.format would otherwise allow `{day.__class__}`
    (a sandbox escape) and `{day:>999999999}` (a memory bomb)."""
    allowed = {"day", "dd", "month", "mm", "year", "weekday"}
    try:
        fields = list(string.Formatter().parse(str(pattern)))
    except ValueError:
        return False
    return all(f is None or (f in allowed and not spec and not conv) for _, f, spec, conv in fields)


def _bounded_date_filter(date_filter: Any) -> Any:
    def bounded(value: Any, pattern: str | None = None) -> Any:
        if pattern is not None and not _plain_date_pattern(pattern):
            raise SecurityError(f"a date pattern {_DATE_PATTERN_RULE}")
        return date_filter(value, pattern)

    return bounded


def _read_pack(root: Path, base: Pack | None) -> Pack:
    manifest = read_manifest(root)
    for name in _files(root) if base else []:  # never fall back silently from a template leading out of the pack
        if name.endswith(".j2") and not _inside(root / name, root):
            raise PackError(root / name, [Problem("points outside the pack (a symlink); packs must be self-contained")])
    kinds: dict[str, Kind] = dict(base.kinds) if base else {}
    problems: list[Problem] = []
    names = set(manifest.kinds) | {
        name.removesuffix(TEMPLATE_SUFFIX).split(".")[0]  # KIND.txt.j2, or a tone variant KIND.TONE.txt.j2
        for name in _files(root)
        if name.endswith(TEMPLATE_SUFFIX) and _KIND_NAME.fullmatch(name.removesuffix(TEMPLATE_SUFFIX).split(".")[0])
    }
    for name in sorted(names):
        entry = manifest.kinds.get(name) or _NO_ENTRY
        inherited = kinds.get(name)
        file = entry.file or f"{name}{TEMPLATE_SUFFIX}"
        if not (root / file).is_file() or not _inside(root / file, root):
            if entry.file or inherited is None:
                problems.append(Problem(f"kind `{name}`: template file {file} is missing from the pack"))
                continue
            inherited = _as_inherited(inherited) if base and inherited is base.kinds.get(name) else inherited
            template = inherited.template  # the manifest only retunes a built-in kind, or adds tones to it
            own = {t: f for t, f in _tones(root, name, manifest.tone, file).items() if f != file}
            tones = {**inherited.tones, **own}
        else:
            template = file
            tones = _tones(root, name, manifest.tone, file)
        kinds[name] = Kind(
            name=name,
            template=template,
            to=entry.to or (inherited.to if inherited else "hiring-manager"),
            channel=entry.channel or (inherited.channel if inherited else "email"),
            description=entry.description or (inherited.description if inherited else f"{name} (from {manifest.name})"),
            max_chars=entry.max_chars if entry.max_chars is not None else (inherited.max_chars if inherited else None),
            tones=tones,
        )
    if problems:
        raise PackError(root / "pack.yaml", problems)
    if base:  # inherited kinds render through this pack's loader, which maps builtin/ to the built-in pack
        for name, kind in kinds.items():
            if kind is base.kinds.get(name):
                kinds[name] = _as_inherited(kind)
    return Pack(manifest=manifest, root=root, kinds=kinds, is_builtin=base is None)


def _as_inherited(kind: Kind) -> Kind:
    def prefix(name: str) -> str:
        return name if name.startswith(BUILTIN_PREFIX) else BUILTIN_PREFIX + name

    tones = {tone: prefix(name) for tone, name in kind.tones.items()}
    return Kind(kind.name, prefix(kind.template), kind.to, kind.channel, kind.description, kind.max_chars, tones)


def _files(root: Path) -> list[str]:
    try:
        return sorted(p.name for p in root.iterdir() if p.is_file())
    except OSError:
        return []


def _tones(root: Path, kind: str, default_tone: str, main: str) -> dict[str, str]:
    tones = {default_tone: main}
    for name in _files(root):
        stem = name.removesuffix(TEMPLATE_SUFFIX)
        if name.endswith(TEMPLATE_SUFFIX) and stem.startswith(kind + ".") and _inside(root / name, root):
            tones[stem[len(kind) + 1 :]] = name
    return tones


def _inside(path: Path, root: Path) -> bool:
    """Whether path, with every symlink followed, stays inside root."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return False


# --------------------------------------------------------------------------- sandbox


class _Loader(jinja2.BaseLoader):
    """Loads templates from the pack, and `builtin/...` from the built-in pack; nothing else."""

    def __init__(self, pack: Pack) -> None:
        self.roots = {"": pack.root.resolve(), BUILTIN_PREFIX: builtin_root()}
        self.labels = {"": "builtin" if pack.is_builtin else str(pack.root), BUILTIN_PREFIX: "builtin"}
        self.display_names: set[str] = set()

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        # `builtin/NAME` is always the built-in pack's; a plain NAME is the pack's own, else the built-in one
        # (so a pack can override a shared partial such as _signature.txt.j2 for every kind).
        if template.startswith(BUILTIN_PREFIX):
            return self._read(BUILTIN_PREFIX, template[len(BUILTIN_PREFIX) :], template)
        try:
            return self._read("", template, template)
        except _Refused:
            raise  # the pack has this file but may not use it: never fall back to the built-in one silently
        except jinja2.TemplateNotFound:
            if self.roots[""] == self.roots[BUILTIN_PREFIX]:
                raise
            return self._read(BUILTIN_PREFIX, template, template)

    def _read(self, prefix: str, name: str, template: str) -> tuple[str, str, Callable[[], bool]]:
        root = self.roots[prefix]
        pieces = jinja2.loaders.split_template_path(name)  # refuses ".." and absolute paths
        path = root.joinpath(*pieces)
        if not _inside(path, root):
            raise _Refused(f"{template} (outside the pack: not allowed)")
        try:
            size = path.stat().st_size
        except OSError as err:
            raise jinja2.TemplateNotFound(template) from err
        if size > MAX_TEMPLATE_BYTES:  # (outside the try: TemplateNotFound is an OSError)
            raise _Refused(f"{template} (over {MAX_TEMPLATE_BYTES // 1024} KiB: not allowed)")
        try:
            source = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as err:
            raise _Refused(f"{template} (not UTF-8 text: {err.reason})") from err
        except OSError as err:
            raise jinja2.TemplateNotFound(template) from err
        display = f"{self.labels[prefix]}/{'/'.join(pieces)}"
        self.display_names.add(display)
        return source, display, lambda: True


class _Refused(jinja2.TemplateNotFound):
    """A template the pack holds but may not use (a symlink out of it, or too large)."""


class _BoundedCodeGenerator(CodeGenerator):
    """Compiles `~` concatenation through a size check, so doubling strings cannot exhaust memory."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.bounded_join((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class RenderLimit(BaseException):
    """A template went over its time or size budget (BaseException: templates cannot swallow it)."""


class Sandbox(ImmutableSandboxedEnvironment):
    """The Jinja environment a pack renders in: sandboxed, strict about undefined names, bounded."""

    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, pack: Pack) -> None:
        self.template_loader = _Loader(pack)
        super().__init__(
            loader=self.template_loader,
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            auto_reload=False,
            cache_size=-1,
            bytecode_cache=_bytecode_cache(),
            finalize=_finalize,
        )
        self.deadline = float("inf")
        self.filters.update(pack.language.filters())
        self.filters.update(center=_bounded_center, indent=_bounded_indent, format=_bounded_format)
        self.filters["join"] = _bounded_join_filter(self.filters["join"])
        self.filters["date"] = _bounded_date_filter(self.filters["date"])
        self.filters.update({name: _weighed_filter(f) for name, f in self.filters.items()})
        self.filters["replace"] = _bounded_replace_filter(self.filters["replace"])
        self.globals["range"] = self.bounded_range
        self.globals["namespace"] = _BoundedNamespace

    # -- bounds on the operations that can grow without limit
    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise RenderLimit(f"took longer than {MAX_RENDER_SECONDS:g} seconds")

    def bounded_range(self, *args: int) -> Iterator[int]:
        numbers = range(*args)
        if len(numbers) > 100_000:
            raise SecurityError("range() is limited to 100,000 items in templates")
        for n in numbers:
            self.check_time()
            yield n

    def bounded_join(self, parts: tuple[Any, ...]) -> str:
        _check_size(sum(_weight(p) for p in parts))  # weighed before str(): a list may hold one big text many times
        return "".join(str(p) for p in parts)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self.check_time()
        if operator == "*" and isinstance(right, int) and isinstance(left, str | list | tuple):
            _check_size(_weight(left) * right)
        elif operator == "*" and isinstance(left, int) and isinstance(right, str | list | tuple):
            _check_size(_weight(right) * left)
        elif operator == "*" and isinstance(left, int) and isinstance(right, int):
            if left.bit_length() + right.bit_length() > 100_000:  # squaring in a loop doubles the digits each time
                raise SecurityError("that product is too large for a template")
        elif operator == "**" and isinstance(left, int) and isinstance(right, int):
            if right > 0 and max(left.bit_length(), 1) * right > 10_000:
                raise SecurityError("that power is too large for a template")
        elif operator == "+" and isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple):
            _check_size(_weight(left) + _weight(right))
        elif operator == "%" and isinstance(left, str):
            if _WIDE_FORMAT.search(left):
                raise SecurityError("format widths over 9999 are not allowed in templates")
            _check_size(_weight(left) + _weight(right))
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        __self.check_time()
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str | list | tuple) and not callable(owner):
            sizes = [_weight(a) for a in (*args, *kwargs.values()) if isinstance(a, _SIZED)]
            numbers = [a for a in (*args, *kwargs.values()) if isinstance(a, int)]
            _check_size((_weight(owner) + 1) * (1 + sum(sizes)) + sum(n for n in numbers if n > 0))
        for value in (*args, *kwargs.values()):
            if isinstance(value, _SIZED):
                _check_size(_weight(value))
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.check_time()
        return super().getattr(obj, attribute)

    def render_bounded(self, template: jinja2.Template, context: dict[str, Any]) -> str:
        """Render within the time and size limits; raises TemplateError naming file and line."""
        chunks: list[str] = []
        size = 0
        self.deadline = time.monotonic() + MAX_RENDER_SECONDS
        with _alarm(MAX_RENDER_SECONDS + 0.5):
            try:
                rendering = template.generate(context)
                for chunk in rendering:
                    size += len(chunk)
                    if size > MAX_OUTPUT_CHARS:
                        where, line = _suspended_at(rendering) or (template.filename or template.name or "?", None)
                        message = f"stopped: the template produced more than {MAX_OUTPUT_CHARS // 1024} KiB of text"
                        raise TemplateError(where, line, message)
                    chunks.append(chunk)
                    self.check_time()
            except RenderLimit as err:
                raise self.template_error(err, template, f"stopped: the template {err}") from None
            except SecurityError as err:
                raise self.template_error(err, template, f"not allowed in a template: {err}") from None
            except jinja2.UndefinedError as err:
                raise self.template_error(err, template, f"undefined: {err.message}") from None
            except jinja2.TemplateNotFound as err:
                raise self.template_error(err, template, f"template not found: {err.message}") from None
            except jinja2.TemplateSyntaxError as err:
                raise _syntax_error(err, template.name or "?") from None
            except RecursionError as err:
                raise self.template_error(err, template, "recursion too deep (a macro calling itself?)") from None
            except (jinja2.TemplateError, ArithmeticError, TypeError, ValueError, LookupError, AttributeError) as err:
                raise self.template_error(err, template, f"{type(err).__name__}: {err}") from None
            finally:
                self.deadline = float("inf")
        return "".join(chunks)

    def load(self, name: str) -> jinja2.Template:
        """Compile a template of this pack; syntax errors and missing files become TemplateError."""
        try:
            return self.get_template(name)
        except jinja2.TemplateSyntaxError as err:
            raise _syntax_error(err, name) from None
        except jinja2.TemplateNotFound as err:
            raise TemplateError(name, None, f"template not found: {err.message}") from None

    def template_error(self, err: BaseException, template: jinja2.Template, message: str) -> TemplateError:
        """A TemplateError at the innermost template line the traceback passed through."""
        where, line = template.filename or template.name or "?", None
        tb = err.__traceback__
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if filename in self.template_loader.display_names:
                # a traceback Jinja did not rewrite (RenderLimit is a BaseException) holds lines of the
                # compiled Python module: map them back to template lines
                compiled = tb.tb_frame.f_globals.get("__jinja_template__")
                where = filename
                line = compiled.get_corresponding_lineno(tb.tb_lineno) if compiled else tb.tb_lineno
            tb = tb.tb_next
        return TemplateError(where, line, message)


def _suspended_at(generator: Any) -> tuple[str, int] | None:
    """The innermost template file and line a paused render is at (includes and blocks followed)."""
    found = None
    for _ in range(1000):
        frame = getattr(generator, "gi_frame", None)
        if frame is None:
            break
        compiled = frame.f_globals.get("__jinja_template__")
        if compiled is not None and frame.f_code.co_filename == compiled.filename:
            found = (compiled.filename, compiled.get_corresponding_lineno(frame.f_lineno))
        inner = generator.gi_yieldfrom or frame.f_locals.get("gen")  # `gen`: how an include is iterated
        generator = inner if hasattr(inner, "gi_frame") else None
    return found


def _syntax_error(err: jinja2.TemplateSyntaxError, name: str) -> TemplateError:
    return TemplateError(err.filename or err.name or name, err.lineno, f"syntax error: {err.message}")


_WIDE_FORMAT = re.compile(r"%[-+ #0]*(\*|\d{5,})|%[-+ #0]*\d*\.(\*|\d{5,})")


def _check_size(size: int) -> None:
    if size > MAX_OUTPUT_CHARS:
        raise RenderLimit(f"built a value over {MAX_OUTPUT_CHARS // 1024} KiB")


_SIZED = (str, list, tuple, dict, set, frozenset)


def _weight(value: Any) -> int:
    """About how many characters value prints as, counted without building that text.

    A list can hold the same 1 MiB text a thousand times; str() of it would need a GiB.
    The count stops a little past the limit, so it costs at most about a million steps.
    """
    total, stack = 0, [value]
    while stack and total <= MAX_OUTPUT_CHARS:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, list | tuple | set | frozenset):
            total += 2 + len(item)
            stack.extend(item)
        elif isinstance(item, dict):
            total += 2 + 2 * len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        else:
            total += 1
    return total


def _finalize(value: Any) -> Any:
    """What `{{ value }}` prints, refused before str() when it would be over the size limit."""
    if isinstance(value, _SIZED) and not isinstance(value, str):
        _check_size(_weight(value))
    return value


def _weighed_filter(function: Any) -> Any:
    """A filter that refuses a list or mapping (input or argument) that would print as more than the size
    limit: most filters turn their input into text first (`upper`, `string`, `pprint`, `tojson`...)."""
    skip = 1 if getattr(function, "jinja_pass_arg", None) else 0

    @functools.wraps(function)
    def weighed(*args: Any, **kwargs: Any) -> Any:
        for value in (*args[skip:], *kwargs.values()):
            if isinstance(value, _SIZED) and not isinstance(value, str):
                _check_size(_weight(value))
        return function(*args, **kwargs)

    return weighed


class _BoundedNamespace(Namespace):
    def __setitem__(self, name: str, value: Any) -> None:
        if isinstance(value, _SIZED):
            _check_size(_weight(value))
        super().__setitem__(name, value)


def _bounded_center(value: str, width: int = 80) -> str:
    _check_size(width)
    return str(value).center(width)


def _bounded_indent(value: str, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    text = str(value)
    pad = width if isinstance(width, str) else " " * min(int(width), 1000)
    _check_size(len(text) + len(pad) * (text.count("\n") + 1))
    lines = text.split("\n")
    out = [(pad + ln if (i or first) and (ln.strip() or blank) else ln) for i, ln in enumerate(lines)]
    return "\n".join(out)


def _bounded_format(value: str, *args: Any, **kwargs: Any) -> str:
    if _WIDE_FORMAT.search(str(value)):
        raise SecurityError("format widths over 9999 are not allowed in templates")
    return str(value) % (kwargs or args)


def _bounded_join_filter(join: Any) -> Any:
    def bounded(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> Any:
        items = list(value)
        _check_size(sum(len(str(i)) for i in items) + len(d) * len(items))
        return join(eval_ctx, items, d, attribute)

    bounded.jinja_pass_arg = join.jinja_pass_arg  # type: ignore[attr-defined]
    return bounded


def _bounded_replace_filter(replace: Any) -> Any:
    def bounded(eval_ctx: Any, s: str, old: str, new: str, count: int | None = None) -> Any:
        _check_size((len(str(s)) + 1) * max(len(str(new)), 1))
        return replace(eval_ctx, s, old, new, count)

    bounded.jinja_pass_arg = replace.jinja_pass_arg  # type: ignore[attr-defined]
    return bounded


class _alarm:
    """SIGALRM after a number of seconds, where signals can be had (the main thread on Unix).

    It backs up the cooperative deadline checks: a template stuck in one long operation is
    interrupted all the same. Elsewhere the cooperative checks alone apply.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.active = hasattr(signal, "setitimer")
        self.previous: Any = None

    def __enter__(self) -> None:
        if self.active:
            try:
                self.previous = signal.signal(signal.SIGALRM, self._fire)
            except ValueError:  # not the main thread: the cooperative checks alone apply
                self.active = False
                return
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc: object) -> None:
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)

    @staticmethod
    def _fire(signum: int, frame: Any) -> None:
        raise RenderLimit(f"took longer than {MAX_RENDER_SECONDS:g} seconds")
