"""The sandbox: the Jinja environment a pack renders in, bounded in what it can reach and build.

Templates cannot read outside their pack (symlinks included), cannot reach Python internals
(Jinja's sandbox), and each draft is limited in time and size: every operation that can grow
a value without limit (`*`, `+`, `~`, `%`, string methods and filters) is checked before it
runs, a cooperative deadline is checked as the template runs, and a SIGALRM backs it up.
"""

from __future__ import annotations

import functools
import re
import signal
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

from followup.errors import TemplateError
from followup.filters import DATE_PATTERN_RULE, is_plain_date_pattern
from followup.packs import BUILTIN_PREFIX, builtin_root, cache_dir, inside

if TYPE_CHECKING:
    from followup.packs import Pack

MAX_RENDER_SECONDS = 5.0
MAX_OUTPUT_CHARS = 1024 * 1024
MAX_TEMPLATE_BYTES = 256 * 1024


_CODE_VERSION = 2  # the cache is keyed by template source only: bump when the sandbox compiles differently


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs (keyed by source checksum), if the cache folder is usable."""
    folder = cache_dir() / f"templates-{_CODE_VERSION}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def _bounded_date_filter(date_filter: Any) -> Any:
    def bounded(value: Any, pattern: str | None = None) -> Any:
        if pattern is not None and not is_plain_date_pattern(pattern):
            raise SecurityError(f"a date pattern {DATE_PATTERN_RULE}")
        return date_filter(value, pattern)

    return bounded


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
        if not inside(path, root):
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
