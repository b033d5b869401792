"""The sandbox: the Jinja environment a pack renders in, bounded in what it can reach and build.

Templates cannot read outside their pack (symlinks included), cannot reach Python internals
(Jinja's sandbox, with `str.format`, `format_map`, bytes and `Record.replace` out of reach),
and each draft is limited in time and size: every operation that can grow a value without
limit (`*`, `+`, `~`, `%`, set blocks, string methods and filters) is checked before it runs,
a cooperative deadline is checked as the template runs, and a SIGALRM backs it up.

Those checks cannot reach inside one C-level call, so user packs (untrusted) render in a
worker process (`followup.sandbox.serve`) under OS limits: its address space may grow by
256 MB at most (`RLIMIT_AS`), its CPU time is capped (`RLIMIT_CPU`), and the parent kills it
at the 5-second deadline. One worker serves a whole run (started on the first untrusted
render, started again after a kill). The built-in pack is trusted and renders in-process.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import re
import signal
import sys
import time
import types
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range
from jinja2.utils import Namespace

from followup.errors import FollowupError, TemplateError
from followup.filters import DATE_PATTERN_RULE, is_plain_date_pattern
from followup.templating import (
    _CODE_VERSION,
    _SIZED,
    MAX_OUTPUT_CHARS,
    MAX_TEMPLATE_BYTES,
    RenderLimit,
    _bytecode_cache,
    _check_size,
    _Loader,
    _QuietCache,
    _weight,
    environment_options,
    load_template,
    render_in_pieces,
    template_error,
)
from followup.yamlcheck import Record

if TYPE_CHECKING:
    from followup.packs import Pack

MAX_RENDER_SECONDS = 5.0  # wall time of one untrusted render, worker included; the parent kills at this deadline
MAX_MEMORY_BYTES = 256 * 1024 * 1024  # how far a worker's address space may grow beyond its size when ready
MAX_BLOCK_DEPTH = 12  # nested {% for %}, {% if %}, {% macro %}... (Python refuses 20 nested blocks)
MAX_NODE_DEPTH = 60  # nested expressions and statements in all
MAX_BRACKET_DEPTH = 30  # nested (, [ and {
MIN_JINJA = (3, 1, 6)  # CVE-2024-56201 and CVE-2025-27516 are fixed from 3.1.6 on
_WORKER_SECONDS = MAX_RENDER_SECONDS - 1.0  # the worker's own deadline: it reports a line before the kill
__all__ = ["MAX_OUTPUT_CHARS", "MAX_TEMPLATE_BYTES", "_CODE_VERSION", "RenderLimit", "Sandbox", "_QuietCache"]


def jinja_version() -> tuple[int, ...]:
    """The installed Jinja's version as numbers (3, 1, 6); a part that is not a number counts as 0."""
    return tuple(int(p) if p.isdigit() else 0 for p in jinja2.__version__.split(".")[:3])


def _bounded_date_filter(date_filter: Any) -> Any:
    def bounded(value: Any, pattern: str | None = None) -> Any:
        if pattern is not None and not is_plain_date_pattern(pattern):
            raise SecurityError(f"a date pattern {DATE_PATTERN_RULE}")
        return date_filter(value, pattern)

    return bounded


class _BoundedCodeGenerator(CodeGenerator):
    """Compiles `~` concatenation through a size check, so doubling strings cannot exhaust memory."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.bounded_join((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


_SERIALS = itertools.count(1)
_UNSAFE_ANYWHERE = frozenset({"fromkeys", "to_bytes", "encode", "mro"})


class Sandbox(ImmutableSandboxedEnvironment):
    """The Jinja environment a pack renders in: sandboxed, strict about undefined names, bounded."""

    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, pack: Pack, *, in_worker: bool = False) -> None:
        self.template_loader = _Loader(pack)
        self.trusted = pack.is_builtin
        self.in_worker = in_worker
        self.pack_root = pack.root
        self.serial = next(_SERIALS)  # names this environment to the worker, which keeps its own copy
        super().__init__(**environment_options(self.template_loader, _bytecode_cache()))
        self.deadline = float("inf")
        self.filters.update(pack.language.filters())
        self.filters.update(center=_bounded_center, indent=_bounded_indent, format=_bounded_format)
        self.filters["join"] = _bounded_join_filter(self.filters["join"])
        self.filters["date"] = _bounded_date_filter(self.filters["date"])
        self.filters["wordwrap"] = _bounded_wordwrap_filter(self.filters["wordwrap"])
        self.filters["tojson"] = _bounded_tojson_filter(self.filters["tojson"])
        self.filters.update({name: _weighed_filter(f) for name, f in self.filters.items()})
        self.filters["replace"] = _bounded_replace_filter(self.filters["replace"])
        self.globals["range"] = self.bounded_range
        self.globals["namespace"] = _BoundedNamespace

    # -- what a template may reach
    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Jinja's rules, and no str.format/format_map (CVE-2025-27516), bytes, Record.replace or fromkeys."""
        if attr in ("format", "format_map") and isinstance(obj, str):
            return False
        if attr in _UNSAFE_ANYWHERE or (attr == "replace" and isinstance(obj, Record)):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def wrap_str_format(self, value: Any) -> None:
        """No sandboxed str.format either: is_safe_attribute refuses the attribute itself."""
        return None

    # -- compile-time limits: deep nesting is a clear error, never a SyntaxError or RecursionError
    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        if not self.trusted:
            self._check_brackets(source, name, filename)
        try:
            tree = super()._parse(source, name, filename)
        except RecursionError:
            raise jinja2.TemplateSyntaxError("nested too deeply to read", 1, name, filename) from None
        _check_nesting(tree, name, filename)
        return tree

    def _check_brackets(self, source: str, name: str | None, filename: str | None) -> None:
        """Refuse brackets nested past MAX_BRACKET_DEPTH before the parser recurses into them."""
        depth = 0
        for line, kind, value in self.lex(source, name, filename):
            if kind != "operator":
                continue
            if value in ("(", "[", "{"):
                depth += 1
                if depth > MAX_BRACKET_DEPTH:
                    message = f"nested too deeply (more than {MAX_BRACKET_DEPTH} brackets); simplify it"
                    raise jinja2.TemplateSyntaxError(message, line, name, filename)
            elif value in (")", "]", "}"):
                depth -= 1

    def _generate(
        self, source: nodes.Template, name: str | None, filename: str | None, defer_init: bool = False
    ) -> str:
        try:
            return super()._generate(source, name, filename, defer_init)
        except RecursionError:
            raise jinja2.TemplateSyntaxError("nested too deeply to compile", 1, name, filename) from None

    def _compile(self, source: str, filename: str) -> Any:
        try:
            return super()._compile(source, filename)
        except (SyntaxError, RecursionError, MemoryError) as err:
            message = f"nested too deeply to compile ({type(err).__name__})"
            raise jinja2.TemplateSyntaxError(message, 1, None, filename) from None

    # -- bounds on the operations that can grow without limit
    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise RenderLimit(f"took longer than {MAX_RENDER_SECONDS:g} seconds")

    def bounded_range(self, *args: int) -> Iterator[int]:
        try:
            numbers = safe_range(*args)  # Jinja's own limit: 100,000 items
        except OverflowError:
            raise SecurityError("range() is limited to 100,000 items in templates") from None
        for n in numbers:
            self.check_time()
            yield n

    def bounded_join(self, parts: tuple[Any, ...]) -> str:
        _check_size(sum(_weight(p) for p in parts))  # weighed before str(): a list may hold one big text many times
        return "".join(str(p) for p in parts)

    def concat(self, parts: Iterable[str]) -> str:
        """Joins a block's output (`{% set %}...{% endset %}`, macros, call blocks) within the size limit."""
        pieces = list(parts)
        _check_size(sum(len(p) for p in pieces))
        return "".join(pieces)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self.check_time()
        if operator == "*" and isinstance(right, int) and isinstance(left, str | list | tuple | bytes):
            _check_size(_weight(left) * right)
        elif operator == "*" and isinstance(left, int) and isinstance(right, str | list | tuple | bytes):
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
            _check_percent(left, right)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        __self.check_time()
        owner = getattr(__obj, "__self__", None)
        numbers = [a for a in (*args, *kwargs.values()) if isinstance(a, int) and not isinstance(a, bool)]
        if isinstance(__obj, types.BuiltinMethodType) and any(abs(n) > MAX_OUTPUT_CHARS for n in numbers):
            raise RenderLimit(f"built a value over {MAX_OUTPUT_CHARS // 1024} KiB")  # widths, counts, sizes
        if isinstance(owner, str | list | tuple | bytes) and not callable(owner):
            sizes = [_weight(a) for a in (*args, *kwargs.values()) if isinstance(a, _SIZED)]
            _check_size((_weight(owner) + 1) * (1 + sum(sizes)) + sum(n for n in numbers if n > 0))
            if getattr(__obj, "__name__", "") == "expandtabs" and isinstance(owner, str):
                tab = numbers[0] if numbers else 8
                _check_size(len(owner) + owner.count("\t") * max(tab, 0))
        for value in (*args, *kwargs.values()):
            if isinstance(value, _SIZED):
                _check_size(_weight(value))
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.check_time()
        return super().getattr(obj, attribute)

    def render_bounded(self, template: jinja2.Template, context: dict[str, Any]) -> str:
        """Render within the time, size and memory limits; raises TemplateError naming file and line.

        The built-in pack renders here; any other pack in the worker process (context: plain,
        picklable data such as str, int, date, lists, dicts, named tuples and Records).
        """
        if self.trusted or self.in_worker or sys.platform == "win32":  # Windows: no worker, the in-process limits
            return self.render_here(
                template, context, seconds=_WORKER_SECONDS if self.in_worker else MAX_RENDER_SECONDS
            )
        _require_safe_jinja(template.filename or template.name or "?")
        return _worker().render(self, template, context)

    def render_here(self, template: jinja2.Template, context: dict[str, Any], *, seconds: float) -> str:
        """Render in this process, with the cooperative deadline and the alarm as the time limits."""
        self.deadline = time.monotonic() + seconds
        with _alarm(seconds + 0.5):
            try:
                return render_in_pieces(self, template, context, self.check_time)
            finally:
                self.deadline = float("inf")

    def load(self, name: str) -> jinja2.Template:
        """Compile a template of this pack; syntax errors and missing files become TemplateError."""
        if not self.trusted:
            _require_safe_jinja(name)
        return load_template(self, name)

    def template_error(self, err: BaseException, template: jinja2.Template, message: str) -> TemplateError:
        """A TemplateError at the innermost template line the traceback passed through."""
        return template_error(err, template, message, self.template_loader.display_names)


_WIDE_FORMAT = re.compile(r"%(\([^)]*\))?[-+ #0]*(\*|\d{5,})|%(\([^)]*\))?[-+ #0]*\d*\.(\*|\d{5,})")
_WIDTH = r"%(?:\([^)]*\))?[-+ #0]*(\d*)(?:\.(\d*))?"  # compiled when a template first uses `%`
_BLOCKS = (nodes.For, nodes.If, nodes.Macro, nodes.CallBlock, nodes.FilterBlock, nodes.With, nodes.AssignBlock)


def _check_percent(pattern: str, values: Any) -> None:
    """`pattern % values` within the limits: widths of 9999 at most, and every conversion counted
    (`'%(a)s' * 1000 % {'a': big}` prints big a thousand times)."""
    if _WIDE_FORMAT.search(pattern):
        raise SecurityError("format widths over 9999 are not allowed in templates")
    widths = [int(w or 0) + int(p or 0) for w, p in re.findall(_WIDTH, pattern)]
    _check_size(len(pattern) + sum(_weight(values) + w for w in widths))


def _check_nesting(tree: nodes.Node, name: str | None, filename: str | None) -> None:
    """Refuse templates nested deeper than Python can compile, naming the line where it goes too deep."""
    stack: list[tuple[nodes.Node, int, int]] = [(tree, 0, 0)]
    while stack:
        node, depth, blocks = stack.pop()
        if isinstance(node, _BLOCKS):
            blocks += 1
        if blocks > MAX_BLOCK_DEPTH or depth > MAX_NODE_DEPTH:
            what = f"more than {MAX_BLOCK_DEPTH} nested blocks" if blocks > MAX_BLOCK_DEPTH else "expressions"
            line = getattr(node, "lineno", 1) or 1
            raise jinja2.TemplateSyntaxError(f"nested too deeply ({what}); simplify it", line, name, filename)
        stack.extend((child, depth + 1, blocks) for child in node.iter_child_nodes())


def _require_safe_jinja(template: str) -> None:
    """Packs render only on a Jinja without the known sandbox escapes, whatever is installed."""
    if jinja_version() < MIN_JINJA:
        need = ".".join(map(str, MIN_JINJA))
        raise TemplateError(
            template,
            None,
            f"template packs need Jinja2 {need} or newer (this is {jinja2.__version__}, which has known sandbox"
            f" escapes); run: pip install 'Jinja2>={need},<3.2'",
        )


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
    values = kwargs or args
    _check_percent(str(value), values)
    return str(value) % values


def _bounded_join_filter(join: Any) -> Any:
    def bounded(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> Any:
        items = list(value)
        _check_size(sum(len(str(i)) for i in items) + len(d) * len(items))
        return join(eval_ctx, items, d, attribute)

    bounded.jinja_pass_arg = join.jinja_pass_arg  # type: ignore[attr-defined]
    return bounded


def _bounded_wordwrap_filter(wordwrap: Any) -> Any:
    def bounded(
        environment: Any,
        s: str,
        width: int = 79,
        break_long_words: bool = True,
        wrapstring: str | None = None,
        break_on_hyphens: bool = True,
    ) -> Any:
        text, joint = str(s), str(wrapstring if wrapstring is not None else environment.newline_sequence)
        _check_size(len(text) + (len(text) // max(int(width), 1) + 1) * len(joint))
        return wordwrap(environment, text, width, break_long_words, wrapstring, break_on_hyphens)

    bounded.jinja_pass_arg = wordwrap.jinja_pass_arg  # type: ignore[attr-defined]
    return bounded


def _bounded_tojson_filter(tojson: Any) -> Any:
    def bounded(eval_ctx: Any, value: Any, indent: int | None = None) -> Any:
        if indent is not None and not 0 <= int(indent) <= 16:
            raise SecurityError("tojson indents by 16 spaces at most in templates")
        return tojson(eval_ctx, value, indent)

    bounded.jinja_pass_arg = tojson.jinja_pass_arg  # type: ignore[attr-defined]
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


# --------------------------------------------------------------------------- the worker process
#
# Requests go to the worker as length-prefixed pickles (from us: trusted); answers come back
# as length-prefixed JSON, so nothing a template does can make the parent run code.


class _Worker:
    """A process that renders untrusted templates under OS limits; killed and restarted when over time."""

    def __init__(self) -> None:
        self.process: Any = None

    def start(self) -> None:
        import subprocess

        package_parent = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH", "")) if p)
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from followup.sandbox import serve; serve()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        if _read_message(self.process.stdout, time.monotonic() + 30) != {"ready": True}:
            self.stop()
            raise TemplateError("sandbox", None, "the template worker process did not start")

    def stop(self) -> None:
        """End the worker: kill it, then reap it so that no zombie is left behind."""
        process, self.process = self.process, None
        if process is None:
            return
        with contextlib.suppress(OSError):
            process.kill()
        for stream in (process.stdin, process.stdout):
            with contextlib.suppress(OSError):
                stream.close()
        process.wait()

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def render(self, sandbox: Sandbox, template: jinja2.Template, context: dict[str, Any]) -> str:
        """Render a template of sandbox's pack in the worker; within MAX_RENDER_SECONDS or it is killed."""
        import pickle

        where = template.filename or template.name or "?"
        request = pickle.dumps((sandbox.serial, str(sandbox.pack_root), template.name, context), protocol=5)
        if self.process is None or self.process.poll() is not None:
            self.stop()
            self.start()
        deadline = time.monotonic() + MAX_RENDER_SECONDS
        try:
            stdin = self.process.stdin
            stdin.write(len(request).to_bytes(8, "big") + request)
            stdin.flush()
            answer = _read_message(self.process.stdout, deadline)
        except OSError:
            answer = None
        if answer is None:  # over time (killed now), or the OS ended it (CPU or memory limit)
            overtime = time.monotonic() >= deadline
            self.stop()
            if overtime:
                raise TemplateError(
                    where, None, f"stopped: the template took longer than {MAX_RENDER_SECONDS:g} seconds"
                )
            budget = f"{MAX_MEMORY_BYTES // 2**20} MB of memory or {MAX_RENDER_SECONDS:g} seconds of CPU"
            raise TemplateError(where, None, f"stopped: the template went over its budget ({budget})")
        if "text" in answer:
            return str(answer["text"])
        raise TemplateError(answer.get("template") or where, answer.get("line"), str(answer.get("message")))


_WORKER: _Worker | None = None


def _worker() -> _Worker:
    """The one worker of this process (made on first use; stopped when the process exits)."""
    global _WORKER
    if _WORKER is None:
        import atexit

        _WORKER = _Worker()
        atexit.register(_WORKER.stop)
    return _WORKER


def start_worker() -> None:
    """Start the template worker now rather than on the first untrusted render (its start-up is not
    part of any render's 5 seconds, but a caller timing renders may want it out of the way)."""
    worker = _worker()
    if worker.process is None or worker.process.poll() is not None:
        worker.stop()
        worker.start()


def worker_pid() -> int | None:
    """The process id of the running template worker, if there is one (for tests and measurements)."""
    return _WORKER.pid if _WORKER is not None else None


def _read_message(stream: BinaryIO, deadline: float) -> Any:
    """One length-prefixed JSON message from the worker, or None at EOF or when the deadline passes."""
    import json
    import select

    data = b""
    size: int | None = None
    fd = stream.fileno()
    while size is None or len(data) < size + 8:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return None
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return None
        data += chunk
        if size is None and len(data) >= 8:
            size = int.from_bytes(data[:8], "big")
            if size > 4 * MAX_OUTPUT_CHARS + 4096:  # 1 MiB of text is at most 4 MiB as UTF-8 JSON
                return None
    return json.loads(data[8 : size + 8].decode("utf-8"))


def _limit_resources() -> None:
    """Cap this process's address space at its present size plus the memory budget (where the OS can)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows: only the deadline applies
        return
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            present = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        present = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    limit = present + MAX_MEMORY_BYTES
    with contextlib.suppress(ValueError, OSError):  # no core file when the OS ends the worker (SIGXCPU)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    with contextlib.suppress(ValueError, OSError):  # a platform that does not enforce it
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _limit_cpu(seconds: float) -> None:
    """Allow this process `seconds` more CPU time: past it the OS ends it (SIGXCPU)."""
    try:
        import resource
    except ImportError:  # pragma: no cover
        return
    used = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(used.ru_utime + used.ru_stime + seconds) + 1
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def serve() -> None:
    """The worker's loop: read a request, render it in its pack's sandbox, answer; until stdin closes."""
    import json
    import pickle

    from followup.packs import find_pack

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing a library prints may corrupt the answers

    def answer(message: dict[str, Any]) -> None:
        data = json.dumps(message).encode("utf-8")
        stdout.write(len(data).to_bytes(8, "big") + data)
        stdout.flush()

    sandboxes: dict[int, Sandbox] = {}
    _limit_resources()
    answer({"ready": True})
    while True:
        head = stdin.read(8)
        if len(head) < 8:
            return
        serial, root, name, context = pickle.loads(stdin.read(int.from_bytes(head, "big")))
        _limit_cpu(MAX_RENDER_SECONDS)
        try:
            if serial not in sandboxes:
                for old in list(sandboxes)[:-3]:  # keep a few packs ready, not every pack of a long run
                    del sandboxes[old]
                sandboxes[serial] = Sandbox(find_pack(root), in_worker=True)
            sandbox = sandboxes[serial]
            template = sandbox.load(name)
            answer({"text": sandbox.render_bounded(template, context)})
        except TemplateError as err:
            answer({"template": err.template, "line": err.line, "message": str(err).split(": ", 1)[-1]})
        except FollowupError as err:
            answer({"template": name, "line": None, "message": str(err)})
        except MemoryError:
            message = f"stopped: the template used more than {MAX_MEMORY_BYTES // 2**20} MB of memory"
            answer({"template": name, "line": None, "message": message})
