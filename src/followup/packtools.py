"""Pack tools: start a pack from a complete copy (`pack init`) and check one (`pack check`)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from followup.errors import FollowupError, OutputError, SelectionError
from followup.notes import Notes, load
from followup.packs import (
    BUILTIN_PREFIX,
    MAX_LETTERHEAD_BYTES,
    TEMPLATE_SUFFIX,
    Pack,
    builtin_root,
    find_pack,
    inside,
    shipped,
)
from followup.render import render
from followup.templating import environment

PACK_README = """\
# {name}: a followup template pack

Started with `followup pack init` from the `{source}` pack. Edit any template, then run
`followup pack check {folder}` to render every kind against the sample notes (and your own,
with `--notes FILE`), and `followup draft thank-you NOTES --pack {folder}` to use it.

## Files
- `pack.yaml`: name, version, description, language (dates are written in it), tone, and per
  kind: `file`, `description`, `to` (each-interviewer, hiring-manager, referrer,
  article-reader), `channel` (email, linkedin, phone) and `max_chars`.
- `KIND.txt.j2`: one template per kind; `KIND.TONE.txt.j2`: a tone variant (`--tone TONE`).
- `_signature.txt.j2` and other files starting with `_`: partials, shared with `{{% include %}}`.
- `letterhead.docx` (optional): DOCX letters start from it (styles, header, footer, margins).
Delete a template to fall back to the built-in one; `{{% extends "builtin/KIND.txt.j2" %}}`
reuses a built-in template and overrides one block (subject, greeting, opening, body,
closing, signature).

## What a template renders
Header lines (`Subject: ...`), a blank line, then the body: paragraphs separated by blank
lines. E-mail kinds need a Subject (60 characters at most); LinkedIn and phone kinds have none.

## What a template sees
{context}

## Filters
{filters}

Undefined names are errors, never empty text: test optional values with `{{% if %}}`.
Templates render in a sandbox: no file outside the pack, at most 5 seconds and 1 MiB each.
"""

from followup.situation import CONTEXT_DOCS as CONTEXT  # noqa: E402 - documented beside what builds it

FILTERS = {
    "date": 'a date in the pack\'s language; `date("{weekday} {day} {month}")` for another pattern',
    "when": 'a day as said today, in the pack\'s language: `met.date | when(today)` -> "today", "yesterday", '
    '"on Tuesday", "on November 18" (never "today" for a day still to come)',
    "weekday": "the day's name",
    "clock": "a time as HH:MM",
    "join_and": '["a", "b", "c"] -> "a, b and c" (in the pack\'s language)',
    "mid": "text for use mid-sentence: no closing full stop, an ordinary first word in lower case",
    "sentence": "capital first letter and a full stop",
    "clause": "no closing full stop (for use inside a sentence)",
    "lowerfirst": "first letter lowered unless the word is an acronym or I",
    "first_name": '"Dr. Helen Park" -> "Helen"',
    "last_name": '"Dr. Helen Park" -> "Park"',
}


def pack_readme(name: str, source: str, folder: str) -> str:
    """The README written into a new pack: its files and everything a template can use."""
    context = "\n".join(f"- `{key}`: {text}" for key, text in CONTEXT.items())
    filters = "\n".join(f"- `{key}`: {text}" for key, text in FILTERS.items())
    return PACK_README.format(name=name, source=source, folder=folder, context=context, filters=filters)


def init_pack(folder: Path, source: str | None = None) -> list[Path]:
    """Copy a complete pack (the built-in one by default) into a new folder; never overwrites."""
    pack = find_pack(source)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise OutputError(f"{folder} already exists and is not empty; pack init never overwrites")
    name = re.sub(r"[^\w.-]+", "-", folder.resolve().name) or "mine"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    roots = [builtin_root()] if pack.is_builtin else [builtin_root(), pack.root]
    used = {name for kind in pack.kinds.values() for name in kind.tones.values()}
    for root in roots:  # the pack's own files win over the built-in ones they replace
        for path in sorted(root.iterdir()):
            if root != pack.root and _is_tone_variant(path.name) and BUILTIN_PREFIX + path.name not in used:
                continue  # a built-in tone of a kind the pack rewrote: the copy must offer what the pack offers
            if not inside(path, root):
                continue  # a symlink out of the pack: never copy what it points at
            if path.is_file() and path.name != "pack.yaml" and path.stat().st_size <= MAX_LETTERHEAD_BYTES:
                shutil.copyfile(path, folder / path.name)
                written.append(folder / path.name)
    manifest = (pack.root / "pack.yaml").read_text(encoding="utf-8")
    manifest = re.sub(r"(?m)^name:.*$", f"name: {name}", manifest, count=1)
    manifest = re.sub(r"(?m)^version:.*$", "version: 0.1.0", manifest, count=1)
    manifest = re.sub(
        r"(?m)^description:.*$", f"description: My own wording, started from the {pack.name} pack.", manifest, count=1
    )
    manifest = re.sub(r"(?m)^author:.*\n", "", manifest, count=1)
    manifest = re.sub(
        r"\A(#.*\n)+", f"# {name}: a pack started with `followup pack init` from the {pack.name} pack.\n", manifest
    )
    (folder / "pack.yaml").write_text(manifest, encoding="utf-8")
    (folder / "README.md").write_text(pack_readme(name, pack.name, str(folder)), encoding="utf-8")
    return sorted({*written, folder / "pack.yaml", folder / "README.md"})


def _is_tone_variant(name: str) -> bool:
    return name.endswith(TEMPLATE_SUFFIX) and "." in name.removesuffix(TEMPLATE_SUFFIX)


def sample_notes() -> list[Path]:
    """The sample notes shipped with followup (in the wheel, or samples/ in a checkout)."""
    folder = shipped("samples")
    return sorted(folder.glob("*.yaml")) if folder else []


def check_pack(pack: Pack, notes_files: Iterable[Path], today: date) -> tuple[int, list[str]]:
    """Render every kind and tone of a pack against notes files; return drafts rendered and problems."""
    problems: list[str] = []
    notes: list[Notes] = []
    for path in notes_files:
        try:
            notes.append(load(path))
        except FollowupError as err:
            problems.extend(str(err).splitlines())
    try:
        pack.letterhead  # noqa: B018 - checked as draft checks it: by building a letter on it
    except FollowupError as err:
        problems.extend(str(err).splitlines())
    rendered = 0
    for kind in pack.kinds.values():
        for tone in sorted(kind.tones):
            for one in notes:
                try:
                    drafts = render(pack, kind.name, one, today=today, tone=tone)
                except SelectionError:
                    continue  # e.g. no referrer in these notes: nothing to check
                except FollowupError as err:
                    problems.append(f"{err} ({kind.name}, tone {tone}, notes {one.path})")
                    break  # the same template error would repeat for every notes file; on to the next tone
                shown = environment(pack).load(kind.tones[tone]).filename  # as errors show it: the pack's path
                for draft in drafts:
                    rendered += 1
                    where = f"{shown} ({kind.name}, tone {tone}, to {draft.recipient.name}, notes {one.path})"
                    problems.extend(f"{where}: {warning}" for warning in draft.warnings)
    return rendered, problems
