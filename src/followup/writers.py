"""Writers: a Draft as plain text, a DOCX letter or an .eml draft, written safely.

Every writer starts from the one rendered form of a Draft. Files are written atomically
(a temporary file in the same folder, then a rename or hard link), and an existing file
is never replaced unless the caller says `force`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from followup.errors import OutputError

if TYPE_CHECKING:  # python-docx is imported only when a DOCX is written
    from docx.document import Document as DocxDocument

    from followup.render import Draft

Format = Literal["text", "docx", "eml"]
EXTENSIONS: dict[Format, str] = {"text": ".txt", "docx": ".docx", "eml": ".eml"}
RULE = "-" * 72
_C0 = re.compile(r"[\x00-\x08\x0b-\x1f]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPELL_OUT = str.maketrans(
    {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "đ": "d", "Đ": "D"}
    | {"þ": "th", "Þ": "Th", "ð": "d", "Ð": "D", "\u0131": "i"}
)
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def format_for(path: Path) -> Format | None:
    """The format a file name asks for by its extension, or None for a folder."""
    for fmt, ext in EXTENSIONS.items():
        if path.suffix.lower() == ext:
            return fmt
    return None


# --------------------------------------------------------------------------- text


def clean_text(text: str) -> str:
    """Text as printed: C0 control characters other than tab and newline are dropped."""
    return _C0.sub("", text)


def text_of(drafts: Sequence[Draft]) -> str:
    """Drafts in their rendered form, separated by a rule line when there are several."""
    return f"\n{RULE}\n\n".join(clean_text(d.text) for d in drafts)


# --------------------------------------------------------------------------- docx


def docx_bytes(draft: Draft, *, letter_date: str, letterhead: Path | None = None) -> bytes:
    """A printable letter: sender, date, recipient, salutation, body, closing and signature.

    Kinds that are not e-mails (phone scripts, LinkedIn notes) become plain documents.
    Characters that XML cannot hold are replaced by U+FFFD; everything else is kept exactly.
    """
    import io

    doc = _new_document(letterhead)
    paragraphs = list(draft.paragraphs)
    letter = draft.letter
    if draft.channel == "email" and letter is not None:
        _paragraph(doc, letter.sender_lines, style="Sender")
        _paragraph(doc, [letter_date], style="Letter Date")
        _paragraph(doc, letter.recipient_lines)
        closing = paragraphs.pop().split("\n") if len(paragraphs) > 1 else []
        for text in paragraphs:
            _paragraph(doc, text.split("\n"))
        if closing:
            _paragraph(doc, closing[:1], style="Closing")
            _paragraph(doc, closing[1:], style="Signature")
    else:
        for text in paragraphs:
            _paragraph(doc, text.split("\n"))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _new_document(letterhead: Path | None) -> DocxDocument:
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Cm, Pt

    if letterhead is not None:
        doc = docx.Document(str(letterhead))
        body = doc.element.body
        for child in list(body):
            if not child.tag.endswith("}sectPr"):  # keep page size, margins, header and footer
                body.remove(child)
    else:
        doc = docx.Document()
        for section in doc.sections:
            section.top_margin = section.bottom_margin = Cm(2.5)
            section.left_margin = section.right_margin = Cm(2.5)
        normal = doc.styles["Normal"]
        normal.font.name = "Georgia"
        normal.font.size = Pt(11)
        normal.paragraph_format.space_after = Pt(10)
        normal.paragraph_format.line_spacing = 1.15
    styles = {s.name for s in doc.styles}
    for name, space_before in (("Sender", 0), ("Letter Date", 12), ("Closing", 6), ("Signature", 30)):
        if name not in styles:  # a letterhead may define its own
            style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = doc.styles["Normal"]
            style.paragraph_format.space_before = Pt(space_before)
    return doc


def _paragraph(doc: DocxDocument, lines: Iterable[str], style: str | None = None) -> None:
    paragraph = doc.add_paragraph(style=style)
    run = paragraph.add_run()
    for i, line in enumerate(lines):
        if i:
            run.add_break()
        parts = _NOT_XML.sub("\ufffd", line).split("\t")
        for j, part in enumerate(parts):
            if j:
                run.add_tab()
            if part:
                run.add_text(part)


# --------------------------------------------------------------------------- eml


def eml_bytes(draft: Draft, *, when: datetime) -> bytes:
    """An unsent e-mail draft (RFC 5322, UTF-8) that Outlook, Apple Mail and Thunderbird open as a draft."""
    from email.message import EmailMessage
    from email.policy import SMTP
    from email.utils import format_datetime, formataddr

    from followup.identity import message_id

    letter, recipient = draft.letter, draft.recipient
    assert letter is not None, "render() gives every draft its letter facts"
    message = EmailMessage(policy=SMTP)
    message["From"] = (
        formataddr((letter.sender_name, letter.sender_email)) if letter.sender_email else letter.sender_name + ":;"
    )
    message["To"] = formataddr((recipient.name, recipient.email)) if recipient.email else recipient.name + ":;"
    for name, value in draft.headers.items():
        if name not in ("From", "To"):
            message[name] = clean_text(value).replace("\n", " ")
    message["Date"] = format_datetime(when)
    message["Message-ID"] = message_id(draft.key, letter.sender_email)  # stable: a second push leaves one copy
    message["X-Unsent"] = "1"  # Outlook: open as a draft, ready to send
    message["X-Uniform-Type-Identifier"] = "com.apple.mail-draft"  # Apple Mail
    message["X-Mozilla-Draft-Info"] = "internal/draft; vcard=0; receipt=0; DSN=0; uuencode=0"  # Thunderbird
    message.set_content(clean_text(draft.body) + "\n", charset="utf-8")
    return message.as_bytes()


# --------------------------------------------------------------------------- files


def slug(text: str, limit: int = 60) -> str:
    """A safe, portable file-name part: ASCII letters, digits and single hyphens."""
    import unicodedata

    spelled = text.translate(_SPELL_OUT)
    ascii_text = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if not words and text.strip():  # a name in a script with no ASCII spelling: keep names distinct
        import hashlib

        words = "u" + hashlib.sha256(text.strip().encode()).hexdigest()[:8]
    words = words[:limit].rstrip("-") or "x"
    return f"{words}-file" if words in _RESERVED else words


def draft_file_names(drafts: Sequence[Draft], fmt: Format) -> list[str]:
    """One distinct, safe file name per draft: NOTES-KIND-RECIPIENT.EXT, numbered if they clash."""
    names = FileNames()
    return [
        names.take(draft.source.stem if draft.source else "notes", draft.kind, draft.recipient.name) + EXTENSIONS[fmt]
        for draft in drafts
    ]


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


def refuse_existing(paths: Iterable[Path], option: str = "-o") -> None:
    """Raise OutputError naming every path that already exists (checked before writing anything)."""
    existing = [str(p) for p in paths if p.exists() or p.is_symlink()]
    if existing:
        more = f" and {len(existing) - 3} more" if len(existing) > 3 else ""
        verb = "already exists" if len(existing) == 1 else "already exist"
        raise OutputError(f"{', '.join(existing[:3])}{more} {verb}; use --force to replace, or another {option}")


def write_atomic(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write a file so that it is either complete or absent; never replace one unless force."""
    tmp = stage(path.parent, data, name=path, prefix=f".{path.name}.")
    try:
        commit(tmp, path, force=force)
    finally:
        tmp.unlink(missing_ok=True)


def stage(folder: Path, data: bytes, *, name: Path, prefix: str = ".followup-") -> Path:
    """Half of an atomic write: data in a new temporary file in folder, flushed to disk; `commit` names it.

    `name` is the file the data is meant for (named in errors, and its permissions kept).
    """
    import tempfile

    try:
        fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    except OSError as err:
        raise OutputError(f"{name}: cannot write in {name.parent}: {err.strerror}") from err
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.chmod(tmp, _mode_for(name))
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"{name}: cannot write: {err.strerror}") from err
    return tmp


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
