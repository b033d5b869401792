"""Templating: the Jinja machinery every pack renders with, and the built-in pack's own environment.

Every environment loads templates through `_Loader` (the pack's folder, and `builtin/...`
from the built-in pack; nothing else), keeps compiled templates in a bytecode cache whose
failures never fail a draft, and reports errors at the template's file and line.

The built-in pack is ours, so it renders in `Trusted`: a plain Jinja environment with the
same loader, filters, strict undefined names and output rules as the sandbox, without the
sandbox's per-operation checks (`followup.sandbox` is what renders every other pack).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from followup.errors import TemplateError
from followup.packs import BUILTIN_PREFIX, builtin_root, cache_dir, inside

if TYPE_CHECKING:
    from followup.packs import Pack

MAX_OUTPUT_CHARS = 1024 * 1024
MAX_TEMPLATE_BYTES = 256 * 1024
_SAFE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")

_CODE_VERSION = 3  # bump when the sandbox compiles differently (the cache is also keyed by Jinja's version)


def _usable_cache_folder(folder: Path) -> bool:
    """A folder we own that nobody else can write to (else another user could plant compiled code)."""
    import stat

    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
        return False
    return os.access(folder, os.W_OK | os.X_OK)


class _QuietCache(jinja2.FileSystemBytecodeCache):
    """The bytecode cache, where any failure to read or write means no cache, never a failed draft."""

    def load_bytecode(self, bucket: Any) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a truncated, foreign or unreadable cache file: compile afresh
            bucket.reset()

    def dump_bytecode(self, bucket: Any) -> None:
        with contextlib.suppress(Exception):  # a full disk or an unwritable folder: no cache this run
            super().dump_bytecode(bucket)


def _bytecode_cache(kind: str = "") -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs (keyed by source checksum, our code and Jinja's version),
    if the cache folder is usable. Each kind of environment (the sandbox, "trusted") compiles templates
    differently, so each has its own folder."""
    version = jinja2.__version__.replace("/", "_").replace(os.sep, "_")
    folder = cache_dir() / f"templates-{_CODE_VERSION}-{kind + '-' if kind else ''}jinja-{version}"
    if not _usable_cache_folder(folder):
        return None
    return _QuietCache(str(folder))


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
        if not all(_safe_name(piece) for piece in pieces):
            raise _Refused(f"{template[:60]!r} (template names are letters, digits, _ . and -)")
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


def _safe_name(piece: str) -> bool:
    """One part of a template name: letters, digits, `_`, `.` and `-`, not starting with `.` or `-`."""
    return 0 < len(piece) <= 128 and piece[0] not in ".-" and _SAFE_CHARS.issuperset(piece)


class _Refused(jinja2.TemplateNotFound):
    """A template the pack holds but may not use (a symlink out of it, or too large)."""


class RenderLimit(BaseException):
    """A template went over its time or size budget (BaseException: templates cannot swallow it)."""


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


def _whole(text: str) -> str:
    """text with any lone surrogate (which no file or terminal can take) replaced by U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)
    return text


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


def template_error(
    err: BaseException, template: jinja2.Template, message: str, display_names: set[str]
) -> TemplateError:
    """A TemplateError at the innermost template line the traceback passed through."""
    where, line = template.filename or template.name or "?", None
    tb = err.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename in display_names:
            # a traceback Jinja did not rewrite (RenderLimit is a BaseException) holds lines of the
            # compiled Python module: map them back to template lines
            compiled = tb.tb_frame.f_globals.get("__jinja_template__")
            where = filename
            line = compiled.get_corresponding_lineno(tb.tb_lineno) if compiled else tb.tb_lineno
        tb = tb.tb_next
    return TemplateError(where, line, message)


def load_template(environment: jinja2.Environment, name: str) -> jinja2.Template:
    """Compile a template of a pack; syntax errors and missing files become TemplateError."""
    try:
        return environment.get_template(name)
    except jinja2.TemplateSyntaxError as err:
        raise _syntax_error(err, name) from None
    except jinja2.TemplateNotFound as err:
        raise TemplateError(name, None, f"template not found: {err.message}") from None


class Trusted(jinja2.Environment):
    """The built-in pack's environment: the sandbox's loader, filters, undefined names and output rules,
    without its checks on every attribute, call and operator (our own templates need none)."""

    trusted = True

    def __init__(self, pack: Pack) -> None:
        self.template_loader = _Loader(pack)
        self.pack_root = pack.root
        super().__init__(**environment_options(self.template_loader, _bytecode_cache("trusted")))
        self.filters.update(pack.language.filters())

    _DICT_NAMES = frozenset(dir(dict))

    def getattr(self, obj: Any, attribute: str) -> Any:
        """`obj.attribute` as Jinja has it (an attribute, else an item), without raising and catching an
        AttributeError for each key of the context's dicts (`recipient.name`): a dict's attributes are known."""
        if type(obj) is dict and attribute not in self._DICT_NAMES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def load(self, name: str) -> jinja2.Template:
        """Compile a template of the pack; syntax errors and missing files become TemplateError."""
        return load_template(self, name)

    def render_bounded(self, template: jinja2.Template, context: dict[str, Any]) -> str:
        """Render within the output limit; raises TemplateError naming file and line, as the sandbox does.

        Rendered in one go; a render that fails or comes out too long is done again piece by piece
        (templates are deterministic), which finds the error and its line as the sandbox does.
        """
        try:
            text = template.render(context)
        except (Exception, RenderLimit):
            return self._render_in_pieces(template, context)
        if len(text) > MAX_OUTPUT_CHARS:
            return self._render_in_pieces(template, context)
        return _whole(text)

    def _render_in_pieces(self, template: jinja2.Template, context: dict[str, Any]) -> str:
        return render_in_pieces(self, template, context)

    def template_error(self, err: BaseException, template: jinja2.Template, message: str) -> TemplateError:
        """A TemplateError at the innermost template line the traceback passed through."""
        return template_error(err, template, message, self.template_loader.display_names)


def environment(pack: Pack) -> Any:
    """The Jinja environment a pack renders in, made once per pack: for the built-in pack (ours) the trusted
    environment; for any other the sandbox (`followup.sandbox`), which also bounds time and memory.

    Packs know nothing of rendering: this module depends on `packs`, never the other way round.
    """
    made = pack.__dict__.get("_environment")
    if made is None:
        if pack.is_builtin:
            made = Trusted(pack)
        else:
            from followup.sandbox import Sandbox

            made = Sandbox(pack)
        pack.__dict__["_environment"] = made
    return made


def render_in_pieces(
    env: Any, template: jinja2.Template, context: dict[str, Any], tick: Callable[[], None] | None = None
) -> str:
    """Render piece by piece within the output limit (calling `tick` after each piece: the sandbox's clock);
    every failure becomes a TemplateError at the template's file and line. `env` has `template_error`."""
    chunks: list[str] = []
    size = 0
    try:
        rendering = template.generate(context)
        for chunk in rendering:
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                where, line = _suspended_at(rendering) or (template.filename or template.name or "?", None)
                message = f"stopped: the template produced more than {MAX_OUTPUT_CHARS // 1024} KiB of text"
                raise TemplateError(where, line, message)
            chunks.append(chunk)
            if tick is not None:
                tick()
    except RenderLimit as err:
        raise env.template_error(err, template, f"stopped: the template {err}") from None
    except jinja2.UndefinedError as err:
        raise env.template_error(err, template, f"undefined: {err.message}") from None
    except jinja2.TemplateNotFound as err:
        raise env.template_error(err, template, f"template not found: {err.message}") from None
    except jinja2.TemplateSyntaxError as err:
        raise _syntax_error(err, template.name or "?") from None
    except RecursionError as err:
        raise env.template_error(err, template, "recursion too deep (a macro calling itself?)") from None
    except (jinja2.TemplateError, ArithmeticError, TypeError, ValueError, LookupError, AttributeError) as err:
        # the sandbox's refusals (jinja2.sandbox.SecurityError) are told as such
        what = "not allowed in a template" if type(err).__name__ == "SecurityError" else type(err).__name__
        raise env.template_error(err, template, f"{what}: {err}") from None
    return _whole("".join(chunks))


def environment_options(loader: jinja2.BaseLoader, cache: jinja2.BytecodeCache | None) -> dict[str, Any]:
    """How every pack's templates are read and rendered, trusted or sandboxed alike (so both give the same text):
    strict about undefined names, whitespace as a letter wants it, no autoescaping, compiled once."""
    return {
        "loader": loader,
        "undefined": jinja2.StrictUndefined,
        "autoescape": False,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": False,
        "auto_reload": False,
        "cache_size": -1,
        "bytecode_cache": cache,
        "finalize": _finalize,
    }
