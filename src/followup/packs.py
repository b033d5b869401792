"""Template packs: finding them and reading their manifests.

A pack is a folder with a `pack.yaml` manifest and one `KIND.txt.j2` template per kind
(plus `KIND.TONE.txt.j2` variants, shared partials and an optional `letterhead.docx`).
Kinds a pack lacks come from the built-in pack, which templates may also extend as
`builtin/KIND.txt.j2`. Packs are untrusted: they render in the sandbox of `followup.sandbox`.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, NamedTuple

from followup.errors import PackError, Problem, SelectionError
from followup.filters import DATE_PATTERN_RULE, KNOWN_LANGUAGES, Language, is_plain_date_pattern
from followup.yamlcheck import Checker, Record, compose, key, read_text

Audience = Literal["each-interviewer", "hiring-manager", "referrer", "article-reader"]
Channel = Literal["email", "linkedin", "phone"]

TEMPLATE_SUFFIX = ".txt.j2"
BUILTIN_PREFIX = "builtin/"
CONFIG_ENV = "FOLLOWUP_CONFIG_DIR"
_KIND_NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")  # partials start with "_", tone variants hold a "."


# --------------------------------------------------------------------------- manifest


class KindEntry(Record):
    file: str | None = key("The template, relative to the pack (default: KIND.txt.j2).", fmt="file", default=None)
    description: str | None = key("One line saying what the message does, shown by `followup kinds`.", default=None)
    to: Audience | None = key(
        "Who it goes to: each-interviewer, hiring-manager, referrer or article-reader.", default=None
    )
    channel: Channel | None = key("email (also printable as a letter), linkedin or phone (no Subject).", default=None)
    max_chars: int | None = key(
        "Warn when the message body is longer than this many characters (1 to 100000).",
        minimum=1,
        maximum=100_000,
        default=None,
    )


_NO_ENTRY = KindEntry(file=None, description=None, to=None, channel=None, max_chars=None)


class Manifest(Record):
    name: str = key("The pack's name.", required=True)
    version: str = key("The pack's version, e.g. 0.1.0.", required=True)
    description: str | None = key("What the pack is for.", default=None)
    language: str = key(
        "Language code of its wording (en, es, fr, de, pt, it, en-GB...).", fmt="language", default="en"
    )
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

    untranslated: frozenset[str] = frozenset()  # built-in kinds a pack in another language lacks

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
        """The pack's letterhead.docx, if it has one: inside the pack, of sane size, and usable by the DOCX
        writer (checked by building a letter on it: `draft` and `pack check` both come here)."""
        path = self.root / "letterhead.docx"
        if not path.is_file():
            return None
        if not inside(path, self.root):
            raise PackError(path, [Problem("points outside the pack (a symlink); packs must be self-contained")])
        _check_zip_size(path)
        _check_letterhead(path)
        return path

    @cached_property
    def language(self) -> Language:
        m = self.manifest
        return Language.named(
            m.language, months=m.months, weekdays=m.weekdays, date_format=m.date_format, and_word=m.and_word
        )

    def kind(self, name: str) -> Kind:
        """The kind called name, or a SelectionError listing the kinds there are."""
        if name in self.untranslated:
            raise SelectionError(
                f"the {self.name} pack ({self.manifest.language}) has no {name} template, and the built-in one is "
                f"in English: add {name}{TEMPLATE_SUFFIX} to {self.root} (`followup pack init DIR --from "
                f"{self.root}` copies the rest), or draft {name} with --pack builtin"
            )
        if name not in self.kinds:
            import difflib

            close = difflib.get_close_matches(name, list(self.kinds), n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            kinds = ", ".join(sorted(self.kinds))
            raise SelectionError(f"no kind `{name}` in the {self.name} pack{hint}; the kinds are: {kinds}")
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


def _check_letterhead(path: Path) -> None:
    """Refuse a letterhead a DOCX letter cannot be built on (the writer's own package step: same check,
    same error, for `draft` and `pack check`)."""
    from followup.docx_letter import package

    package(path, "en")


def shipped(folder: str) -> Path | None:
    """A folder shipped with followup: inside the installed package, or at the top of a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / folder, here.parent.parent / folder):
        if candidate.is_dir():
            return candidate
    return None


def builtin_root() -> Path:
    """The built-in pack's folder (templates/)."""
    root = shipped("templates")
    if root is None or not (root / "pack.yaml").is_file():
        where = Path(__file__).resolve().parent / "templates"
        raise PackError(where, [Problem("the built-in templates are missing; reinstall followup")])
    return root


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


def _builtin_manifest(root: Path) -> Manifest:
    """The built-in pack's manifest, read without the checker: it is ours, and the test suite checks it
    as `read_manifest` checks every other pack's."""
    import yaml

    data = yaml.load(
        (root / "pack.yaml").read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    )
    kinds = {name: KindEntry(**entry) for name, entry in data.pop("kinds", {}).items()}
    return Manifest(**data, kinds=kinds)


def read_manifest(root: Path) -> Manifest:
    """Read and validate a pack's pack.yaml, reporting problems with file, line and column."""
    path = root / "pack.yaml"
    if not path.is_file():
        raise PackError(path, [Problem("no pack.yaml here: a pack needs one with at least `name` and `version`")])
    if not inside(path, root):
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
    if manifest.date_format and not is_plain_date_pattern(manifest.date_format):
        checker.problem(where["date_format"], f"`date_format` {DATE_PATTERN_RULE}")
    if not Language.knows(manifest.language) and not (manifest.months and manifest.weekdays):
        known = ", ".join(KNOWN_LANGUAGES)
        checker.problem(
            where["language"],
            f"followup does not know how `{manifest.language}` writes dates ({known}); give `months`, `weekdays`"
            " and `date_format` for it",
        )


def _read_pack(root: Path, base: Pack | None) -> Pack:
    trusted = base is None  # the built-in pack: ours, and checked by the test suite rather than at every start
    manifest = _builtin_manifest(root) if trusted else read_manifest(root)
    files = _files(root)
    for name in [] if trusted else files:  # never fall back silently from a template leading out of the pack
        if name.endswith(".j2") and not inside(root / name, root):
            raise PackError(root / name, [Problem("points outside the pack (a symlink); packs must be self-contained")])

    def usable(file: str) -> bool:
        return (root / file).is_file() and (trusted or inside(root / file, root))

    kinds: dict[str, Kind] = dict(base.kinds) if base else {}
    problems: list[Problem] = []
    names = set(manifest.kinds) | {
        name.removesuffix(TEMPLATE_SUFFIX).split(".")[0]  # KIND.txt.j2, or a tone variant KIND.TONE.txt.j2
        for name in files
        if name.endswith(TEMPLATE_SUFFIX) and _KIND_NAME.fullmatch(name.removesuffix(TEMPLATE_SUFFIX).split(".")[0])
    }
    for name in sorted(names):
        entry = manifest.kinds.get(name) or _NO_ENTRY
        inherited = kinds.get(name)
        file = entry.file or f"{name}{TEMPLATE_SUFFIX}"
        if not usable(file):
            if entry.file or inherited is None:
                problems.append(Problem(f"kind `{name}`: template file {file} is missing from the pack"))
                continue
            inherited = _as_inherited(inherited) if base and inherited is base.kinds.get(name) else inherited
            template = inherited.template  # the manifest only retunes a built-in kind, or adds tones to it
            own = {t: f for t, f in _tones(files, name, manifest.tone, file).items() if f != file}
            tones = {**inherited.tones, **own}
        else:
            template = file
            tones = _tones(files, name, manifest.tone, file)
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
    untranslated: set[str] = set()
    if base:  # inherited kinds render through this pack's loader, which maps builtin/ to the built-in pack
        foreign = _base_language(manifest.language) != _base_language(base.manifest.language)
        for name, kind in list(kinds.items()):
            if kind is base.kinds.get(name):
                if foreign:  # never an English letter from a Spanish pack without being told
                    untranslated.add(name)
                    del kinds[name]
                else:
                    kinds[name] = _as_inherited(kind)
    pack = Pack(manifest=manifest, root=root, kinds=kinds, is_builtin=base is None)
    pack.untranslated = frozenset(untranslated)
    return pack


def _base_language(code: str) -> str:
    return code.split("-")[0].split("_")[0].lower()


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


def _tones(files: list[str], kind: str, default_tone: str, main: str) -> dict[str, str]:
    """A kind's templates by tone: the main one, and each KIND.TONE.txt.j2 among the pack's files."""
    tones = {default_tone: main}
    for name in files:
        stem = name.removesuffix(TEMPLATE_SUFFIX)
        if name.endswith(TEMPLATE_SUFFIX) and stem.startswith(kind + "."):
            tones[stem[len(kind) + 1 :]] = name
    return tones


def inside(path: Path, root: Path) -> bool:
    """Whether path, with every symlink followed, stays inside root."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return False
