"""Writers: a Draft as plain text, a DOCX letter or an .eml draft, written safely.

Every writer starts from the one rendered form of a Draft. Files are written atomically
(a temporary file in the same folder, then a rename or hard link), and an existing file
is never replaced unless the caller says `force`.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal

from followup.errors import OutputError, printable
from followup.filters import fold

if TYPE_CHECKING:
    from followup.packs import Pack
    from followup.render import Draft

Format = Literal["text", "docx", "eml"]
EXTENSIONS: dict[Format, str] = {"text": ".txt", "docx": ".docx", "eml": ".eml"}
RULE = "-" * 72
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def format_for(path: Path) -> Format | None:
    """The format a file name asks for by its extension, or None for a folder."""
    for fmt, ext in EXTENSIONS.items():
        if path.suffix.lower() == ext:
            return fmt
    return None


# --------------------------------------------------------------------------- text


def clean_text(text: str) -> str:
    """Text as printed: control characters other than tab and newline (escape sequences), and bidi
    overrides and isolates, are dropped (`followup.errors.printable`)."""
    return printable(text)


def text_of(drafts: Sequence[Draft]) -> str:
    """Drafts in their rendered form, separated by a rule line when there are several."""
    return f"\n{RULE}\n\n".join(clean_text(d.text) for d in drafts)


# --------------------------------------------------------------------------- docx


def docx_bytes(
    draft: Draft, *, letter_date: str, letterhead: Path | None = None, letter_day: date | None = None
) -> bytes:
    """A printable letter: sender, date, recipient, salutation, body, closing and signature.

    Kinds that are not e-mails (phone scripts, LinkedIn notes) become plain documents.
    Characters that XML cannot hold are replaced by U+FFFD; everything else is kept exactly.
    The candidate is the document's author, the Subject its title, `letter_day` its date and
    the pack's language its language. The same draft and date always give the same bytes.
    """
    from followup.docx_letter import Paragraph, Properties, package

    letter = draft.letter
    paragraphs = [Paragraph(None, text.split("\n")) for text in draft.paragraphs]
    if draft.channel == "email" and letter is not None:
        closing = paragraphs.pop().lines if len(paragraphs) > 1 else []
        paragraphs = [
            Paragraph("Sender", letter.sender_lines),
            Paragraph("Letter Date", [letter_date]),
            Paragraph(None, letter.recipient_lines),
            *paragraphs,
        ]
        if closing:
            paragraphs += [Paragraph("Closing", closing[:1]), Paragraph("Signature", closing[1:])]
    properties = Properties(
        title=draft.subject, author=letter.sender_name if letter is not None else None, day=letter_day
    )
    return package(letterhead, letter.language if letter is not None else "en").letter(paragraphs, properties)


# --------------------------------------------------------------------------- eml


def encode(draft: Draft, fmt: Format, pack: Pack, today: date) -> bytes:
    """A draft's bytes in a file format, as `followup draft` writes them (dated `today`)."""
    if fmt == "docx":
        letterhead = pack.letterhead  # checked (and its letter package built) once per run: both are cached
        return docx_bytes(draft, letter_date=pack.language.format_date(today), letterhead=letterhead, letter_day=today)
    if fmt == "eml":
        from datetime import time

        when = datetime.now().astimezone() if today == date.today() else datetime.combine(today, time(9))
        return eml_bytes(draft, when=when.astimezone())
    return text_of([draft]).encode("utf-8")


def eml_bytes(draft: Draft, *, when: datetime) -> bytes:
    """An unsent e-mail draft (RFC 5322, UTF-8) that Outlook, Apple Mail and Thunderbird open as a draft."""
    from email.message import EmailMessage
    from email.policy import SMTP
    from email.utils import format_datetime

    from followup.identity import message_id

    letter, recipient = draft.letter, draft.recipient
    assert letter is not None, "render() gives every draft its letter facts"
    message = EmailMessage(policy=SMTP)
    message["From"] = _address(letter.sender_name, letter.sender_email)
    message["To"] = _address(recipient.name, recipient.email)
    if draft.subject:  # the one header a template sets: recipients and copies come from the notes only
        message["Subject"] = printable(draft.subject, one_line=True)
    message["Date"] = format_datetime(when)
    message["Message-ID"] = message_id(draft.key, letter.sender_email)  # stable: a second push leaves one copy
    message["X-Unsent"] = "1"  # Outlook: open as a draft, ready to send
    message["X-Uniform-Type-Identifier"] = "com.apple.mail-draft"  # Apple Mail
    message["X-Mozilla-Draft-Info"] = "internal/draft; vcard=0; receipt=0; DSN=0; uuencode=0"  # Thunderbird
    message.set_content(clean_text(draft.body) + "\n", charset="utf-8")
    return message.as_bytes()


def _address(name: str, email: str | None) -> str:
    """A mailbox with its display name always quoted, so no name can become an address of its own;
    without an address, an empty group named for the person (`"Name":;`)."""
    display = printable(name, one_line=True).replace("\\", "\\\\").replace('"', '\\"')
    if not email:
        return f'"{display}":;'
    address = printable(email, one_line=True)
    if any(c in address for c in '<>,;:" ') or address.count("@") != 1:
        raise OutputError(f"{name}: {address!r} is not a plain e-mail address")
    return f'"{display}" <{address}>'


# --------------------------------------------------------------------------- files


def slug(text: str, limit: int = 60) -> str:
    """A safe, portable file-name part: ASCII letters, digits and single hyphens."""
    ascii_text = fold(text).encode("ascii", "ignore").decode()  # "Søren Kjærgaard" -> "soren kjaergaard"
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if not words and text.strip():  # a name in a script with no ASCII spelling: keep names distinct
        import hashlib

        words = "u" + hashlib.sha256(text.strip().encode()).hexdigest()[:8]
    words = words[:limit].rstrip("-") or "x"
    return f"{words}-file" if words in _RESERVED else words


class FileNames:
    """Distinct file-name stems handed out in order: NOTES-KIND-RECIPIENT, then -2, -3... on a clash."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def take(self, notes_stem: str, kind: str, recipient: str) -> str:
        stem = "-".join(slug(part) for part in (notes_stem, kind, recipient))
        name, n = stem, 1
        while name in self.taken:
            n += 1
            name = f"{stem}-{n}"
        self.taken.add(name)
        return name


def make_folder(folder: Path) -> None:
    """Create a folder for output (and its parents), or say clearly why it cannot be."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"{folder}: cannot create this folder: {err.strerror}") from err


def refuse_existing(paths: Iterable[Path], option: str = "-o") -> None:
    """Raise OutputError naming every path that already exists (checked before writing anything)."""
    existing = [str(p) for p in paths if p.exists() or p.is_symlink()]
    if existing:
        more = f" and {len(existing) - 3} more" if len(existing) > 3 else ""
        verb = "already exists" if len(existing) == 1 else "already exist"
        raise OutputError(f"{', '.join(existing[:3])}{more} {verb}; use --force to replace, or another {option}")


def write_atomic(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write a file so that it is either complete or absent; never replace one unless force."""
    with atomic_file(path, force=force) as out:
        out.write(data)


@contextlib.contextmanager
def atomic_file(path: Path, *, force: bool = False) -> Iterator[BinaryIO]:
    """A file written piece by piece that takes its name only once complete, and only if the block ends
    without an exception (never half-written); it replaces an existing file only if force."""
    tmp, handle = _temporary(path.parent, name=path, prefix=f".{path.name}.")
    try:
        with handle:
            try:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            except OSError as err:
                raise OutputError(f"{path}: cannot write: {err.strerror}") from err
        commit(tmp, path, force=force)
    finally:
        tmp.unlink(missing_ok=True)


def stage(folder: Path, data: bytes, *, name: Path, prefix: str = ".followup-") -> Path:
    """Half of an atomic write: data in a new temporary file in folder, flushed to disk; `commit` names it.

    `name` is the file the data is meant for (named in errors, and its permissions kept).
    """
    tmp, handle = _temporary(folder, name=name, prefix=prefix)
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"{name}: cannot write: {err.strerror}") from err
    return tmp


def _temporary(folder: Path, *, name: Path, prefix: str) -> tuple[Path, BinaryIO]:
    """A new private temporary file in folder, with the permissions `name` will have, open for writing."""
    import tempfile

    try:
        fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    except OSError as err:
        raise OutputError(f"{name}: cannot write in {name.parent}: {err.strerror}") from err
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, _mode_for(name))
    except OSError as err:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise OutputError(f"{name}: cannot write: {err.strerror}") from err
    return tmp, os.fdopen(fd, "wb")


def commit(tmp: Path, path: Path, *, force: bool = False) -> None:
    """The other half of an atomic write: a staged file takes its name, replacing a file there only if force."""
    try:
        if force:
            os.chmod(tmp, _mode_for(path))  # a replaced file keeps its permissions
            os.replace(tmp, path)
        else:
            _link_new(tmp, path)
    except FileExistsError as err:
        raise OutputError(f"{path} already exists; use --force to replace it") from err
    except OSError as err:
        raise OutputError(f"{path}: cannot write: {err.strerror}") from err


def _mode_for(path: Path) -> int:
    """The permissions a file should get: those of the file it replaces, else the usual for a new file."""
    import stat

    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _link_new(tmp: Path, path: Path) -> None:
    """Give tmp the name path only if nothing has that name (atomically, where links exist)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: check, then rename
        if path.exists() or path.is_symlink():
            raise FileExistsError(path) from None
        os.replace(tmp, path)
