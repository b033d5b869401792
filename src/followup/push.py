"""Push: .eml drafts into the Drafts mailbox of an IMAP account, where the user's mail client finds them.

Nothing is ever sent: each draft is APPENDed (RFC 3501) with the `\\Draft` and `\\Seen` flags
to the mailbox marked `\\Drafts` (RFC 6154 special use), else one named Drafts, else a new
one. A draft whose Message-ID is already in that mailbox is not appended again, so pushing
an outbox twice leaves one copy of each draft. Only the standard library is used
(`imaplib`, `ssl`, `netrc`); it is imported when a push happens.

The account is a URL: `imaps://USER@HOST[:PORT][/MAILBOX]` (TLS from the first byte,
certificates verified; `FOLLOWUP_IMAP_CAFILE` adds a CA for a self-hosted server) or
`imap://...` (STARTTLS whenever the server offers it; plain text otherwise, with a warning
for any host but this machine). The password comes from `FOLLOWUP_IMAP_PASSWORD`, else
`~/.netrc`, else a hidden prompt; it is never printed or stored.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from followup.errors import FollowupError

if TYPE_CHECKING:
    import imaplib
    import ssl

PASSWORD_ENV = "FOLLOWUP_IMAP_PASSWORD"
CAFILE_ENV = "FOLLOWUP_IMAP_CAFILE"
TIMEOUT = 30.0
"""Seconds to wait for the server before giving up (connecting, and each answer)."""
FLAGS = r"(\Draft \Seen)"
_MAX_EML_BYTES = 50 * 1024 * 1024


class PushError(FollowupError):
    """A push that cannot go on: a bad URL, no drafts, no password, or the server said no."""


class UrlError(PushError):
    """An --imap URL that is not imaps://USER@HOST[:PORT][/MAILBOX] or imap://..."""


@dataclass(frozen=True)
class Account:
    """Where to push: scheme, user, host, port and (optionally) the mailbox to use."""

    scheme: Literal["imap", "imaps"]
    user: str
    host: str
    port: int
    mailbox: str | None = None

    @property
    def where(self) -> str:
        """USER@HOST:PORT, for messages (never the password)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.user}@{host}:{self.port}"

    @property
    def loopback(self) -> bool:
        """True for this machine (localhost, 127.0.0.0/8, ::1)."""
        import ipaddress

        if self.host.casefold() == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


def parse_url(url: str) -> Account:
    """Read imaps://USER@HOST[:PORT][/MAILBOX] or imap://...; USER may hold an @ (or %40)."""
    from urllib.parse import unquote, urlsplit

    shape = "write imaps://USER@HOST[:PORT][/MAILBOX], e.g. imaps://priya@example.org@imap.example.org"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as err:
        raise UrlError(f"{url!r} is not an IMAP URL ({err}); {shape}") from err
    scheme = parts.scheme.lower()
    if scheme not in ("imap", "imaps"):
        raise UrlError(f"{url!r} is not an IMAP URL; {shape}")
    if parts.password is not None:
        raise UrlError(
            f"{scheme}:// URLs here carry no password (it would end up in your shell history); "
            f"set {PASSWORD_ENV}, put it in ~/.netrc, or type it when asked"
        )
    if not parts.username:
        raise UrlError(f"{url!r} names no user; {shape}")
    if not parts.hostname:
        raise UrlError(f"{url!r} names no host; {shape}")
    if parts.query or parts.fragment:
        raise UrlError(f"{url!r}: an IMAP URL here has no ?query or #fragment; {shape}")
    mailbox = unquote(parts.path.strip("/")) or None
    return Account(
        scheme="imaps" if scheme == "imaps" else "imap",
        user=unquote(parts.username),
        host=parts.hostname,
        port=port or (993 if scheme == "imaps" else 143),
        mailbox=mailbox,
    )


# --------------------------------------------------------------------------- drafts


class EmlFile(NamedTuple):
    """One draft to push: its file, its bytes and the Message-ID that identifies it."""

    path: Path
    data: bytes
    message_id: str
    subject: str


def find_eml(paths: Sequence[str | Path]) -> list[EmlFile]:
    """The .eml drafts named: files as given, folders for every *.eml inside (sorted)."""
    files: list[Path] = []
    for text in paths:
        path = Path(text)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() == ".eml" and p.is_file())
            if not found:
                raise PushError(f"{path}: no .eml files in this folder (draft some with `followup draft due -o`)")
            files += found
        elif not path.exists():
            raise PushError(f"{path}: no such file or folder")
        elif path.suffix.lower() != ".eml":
            raise PushError(f"{path}: not an .eml file (push takes e-mail drafts: *.eml files or folders of them)")
        else:
            files.append(path)
    if not files:
        raise PushError("no .eml files to push")
    return [_read_eml(p) for p in files]


def _read_eml(path: Path) -> EmlFile:
    import hashlib
    from email.parser import BytesHeaderParser
    from email.policy import default

    try:
        if not path.is_file():
            raise PushError(f"{path}: not a regular file")
        with path.open("rb") as handle:
            data = handle.read(_MAX_EML_BYTES + 1)
    except OSError as err:
        raise PushError(f"{path}: cannot read: {err.strerror}") from err
    if len(data) > _MAX_EML_BYTES:
        raise PushError(f"{path}: over {_MAX_EML_BYTES // 2**20} MiB; not an e-mail draft")
    head, sep, _ = data.replace(b"\r\n", b"\n").partition(b"\n\n")
    if not sep or b"\0" in head or not re.match(rb"[!-9;-~]+:", head):
        raise PushError(f"{path}: not an .eml draft (no header lines, then a blank line, then the message)")
    headers = BytesHeaderParser(policy=default).parsebytes(head + b"\n\n")
    if headers["From"] is None and headers["Subject"] is None:
        raise PushError(f"{path}: not an .eml draft (it has neither From nor Subject)")
    message_id = str(headers["Message-ID"] or "").strip()
    if not message_id:  # not one of ours: identify it by its content, so a second push still finds it
        message_id = f"<{hashlib.sha256(data).hexdigest()[:32]}.followup@followup.invalid>"
        data = f"Message-ID: {message_id}\r\n".encode("ascii") + data
    return EmlFile(path, data, message_id, str(headers["Subject"] or ""))


# --------------------------------------------------------------------------- password


def password_for(
    account: Account,
    *,
    environ: dict[str, str] | None = None,
    netrc_file: Path | None = None,
    prompt: Callable[[str], str] | None = None,
) -> str:
    """The account's password: $FOLLOWUP_IMAP_PASSWORD, else ~/.netrc (machine HOST), else the prompt."""
    environ = dict(os.environ) if environ is None else environ
    if environ.get(PASSWORD_ENV):
        return environ[PASSWORD_ENV]
    from_netrc = _netrc_password(account, netrc_file or Path(environ.get("NETRC") or Path.home() / ".netrc"))
    if from_netrc is not None:
        return from_netrc
    if prompt is not None:
        return prompt(f"IMAP password for {account.where}: ")
    raise PushError(
        f"no password for {account.where}: set {PASSWORD_ENV}, add `machine {account.host} login {account.user} "
        "password ...` to ~/.netrc, or run push in a terminal to be asked"
    )


def _netrc_password(account: Account, path: Path) -> str | None:
    import netrc

    if not path.is_file():
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(account.host)
    except (netrc.NetrcParseError, OSError) as err:
        raise PushError(f"{path}: cannot read it: {getattr(err, 'msg', None) or err}") from err
    if entry is None:
        return None
    login, _, password = entry
    if login and login != account.user:
        return None  # another account on the same host
    return password or None


# --------------------------------------------------------------------------- the server


class Pushed(NamedTuple):
    """What became of one draft: appended, or already in the mailbox."""

    eml: EmlFile
    mailbox: str
    appended: bool


def push(
    drafts: Iterable[EmlFile],
    account: Account,
    password: str,
    *,
    cafile: str | None = None,
    warn: Callable[[str], None] = lambda message: None,
    report: Callable[[Pushed], None] = lambda result: None,
) -> list[Pushed]:
    """Append each draft (flags \\Draft \\Seen) to the account's Drafts mailbox unless its Message-ID is there."""
    import imaplib
    import ssl

    drafts = list(drafts)
    results: list[Pushed] = []
    client = _connect(account, cafile, warn)
    try:
        _login(client, account, password)
        mailbox = _drafts_mailbox(client, account, warn)
        limit = _append_limit(client)
        for eml in drafts:
            if _already_there(client, mailbox, eml):
                result = Pushed(eml, _display(mailbox), appended=False)
            else:
                if limit is not None and len(eml.data) > limit:
                    raise PushError(
                        f"{eml.path}: {len(eml.data)} bytes, over the server's limit of {limit} bytes per message "
                        "(APPENDLIMIT); nothing more was pushed"
                    )
                _append(client, mailbox, eml)
                result = Pushed(eml, _display(mailbox), appended=True)
            results.append(result)
            report(result)
    except (imaplib.IMAP4.abort, OSError, EOFError) as err:
        if isinstance(err, ssl.SSLError):
            raise PushError(f"{account.where}: TLS failed: {err}") from err
        raise PushError(f"{account.where}: the connection broke: {err}") from err
    except imaplib.IMAP4.error as err:
        raise PushError(f"{account.where}: the server refused: {_said(err)}") from err
    finally:
        _close(client)
    return results


def _tls_context(cafile: str | None) -> ssl.SSLContext:
    import ssl

    context = ssl.create_default_context()
    if cafile:
        try:
            context.load_verify_locations(cafile=cafile)
        except (OSError, ssl.SSLError) as err:
            raise PushError(f"{CAFILE_ENV}={cafile}: not a readable CA file ({err})") from err
    return context


def _connect(account: Account, cafile: str | None, warn: Callable[[str], None]) -> imaplib.IMAP4:
    import imaplib
    import socket
    import ssl

    context = _tls_context(cafile)
    where = f"{account.host}:{account.port}"
    try:
        if account.scheme == "imaps":
            client: imaplib.IMAP4 = imaplib.IMAP4_SSL(account.host, account.port, ssl_context=context, timeout=TIMEOUT)
        else:
            client = imaplib.IMAP4(account.host, account.port, timeout=TIMEOUT)
            if "STARTTLS" in client.capabilities:
                client.starttls(context)
            elif not account.loopback:
                warn(
                    f"{where} offers no STARTTLS: your password and drafts cross the network unencrypted; "
                    "use imaps:// if the server has it"
                )
    except ssl.SSLCertVerificationError as err:
        raise PushError(
            f"{where}: TLS failed: the server's certificate is not trusted ({err.verify_message}); "
            f"for a self-hosted server, set {CAFILE_ENV} to the file of the CA that signed it"
        ) from err
    except ssl.SSLError as err:
        hint = ""
        if err.reason == "WRONG_VERSION_NUMBER":
            hint = " (the server did not answer in TLS: is this its imaps port? a plain IMAP port wants imap://)"
        raise PushError(f"{where}: TLS failed: {err.reason or err}{hint}") from err
    except ConnectionRefusedError as err:
        raise PushError(
            f"{where}: connection refused (is the server running, and is {account.port} its port?)"
        ) from err
    except socket.gaierror as err:
        raise PushError(f"{where}: unknown host ({err.strerror})") from err
    except TimeoutError as err:
        raise PushError(f"{where}: no answer within {TIMEOUT:g} seconds") from err
    except (imaplib.IMAP4.error, OSError, EOFError) as err:
        raise PushError(f"{where}: cannot connect: {err}") from err
    return client


def _login(client: imaplib.IMAP4, account: Account, password: str) -> None:
    import imaplib

    if "LOGINDISABLED" in client.capabilities:
        raise PushError(f"{account.where}: the server refuses to log in without TLS; use imaps://")
    try:
        if all(ch.isascii() for ch in account.user + password) or "AUTH=PLAIN" not in client.capabilities:
            client.login(account.user, password)
        else:  # LOGIN cannot carry non-ASCII; SASL PLAIN takes UTF-8
            client.authenticate("PLAIN", lambda _: f"\0{account.user}\0{password}".encode())
        typ, data = client.capability()  # servers say more once you are logged in (SPECIAL-USE, APPENDLIMIT)
        if typ == "OK" and data and isinstance(data[-1], bytes):
            client.capabilities = tuple(data[-1].decode("ascii", "replace").upper().split())
    except imaplib.IMAP4.error as err:
        said = _said(err)
        if "UNAVAILABLE" in said.upper():
            raise PushError(f"{account.where}: the server cannot log you in right now: {said}") from err
        raise PushError(
            f"{account.where}: login failed: wrong user name or password (the server said: {said})"
        ) from err


def _said(err: BaseException) -> str:
    text = str(err.args[0] if err.args else err)
    if text.startswith(("b'", 'b"')):
        text = text[2:-1]
    return text.strip()


# --------------------------------------------------------------------------- mailboxes

_LIST_LINE = re.compile(rb'\((?P<flags>[^)]*)\)\s+(?P<delim>"(?:[^"\\]|\\.)*"|NIL)\s+(?P<name>.*)', re.I)


class Mailbox(NamedTuple):
    """A mailbox as LIST shows it: its name (modified UTF-7, quoted as needed), flags and delimiter."""

    name: bytes
    flags: frozenset[str]
    delimiter: str | None


def _list(client: imaplib.IMAP4) -> list[Mailbox]:
    capabilities = client.capabilities
    if "SPECIAL-USE" in capabilities or "LIST-EXTENDED" in capabilities:
        typ, data = client.list('""', '"*" RETURN (SPECIAL-USE)')
    elif "XLIST" in capabilities:  # older Gmail: special use through XLIST
        typ, _ = client.xatom("XLIST", '""', '"*"')
        data = client.response("XLIST")[1]
    else:
        typ, data = client.list()
    if typ != "OK":
        raise PushError(f"the server would not list its mailboxes: {_text(data)}")
    mailboxes = []
    for item in data:
        if item is None:
            continue
        if isinstance(item, tuple):  # the name came as a literal
            line, name = item[0], b'"' + _escape(item[1]) + b'"'
            match = _LIST_LINE.match(line.rsplit(b"{", 1)[0] + b"X")
        else:
            match = _LIST_LINE.match(item)
            name = match["name"].strip() if match else b""
        if not match:
            continue
        delim = match["delim"]
        delimiter = None if delim.upper() == b"NIL" else delim[1:-1].replace(b"\\", b"").decode("ascii", "replace")
        flags = frozenset(flag.casefold() for flag in match["flags"].decode("ascii", "replace").split())
        mailboxes.append(Mailbox(name, flags, delimiter))
    return mailboxes


def _escape(raw: bytes) -> bytes:
    return raw.replace(b"\\", b"\\\\").replace(b'"', b'\\"')


def _unquoted(name: bytes) -> str:
    if name.startswith(b'"') and name.endswith(b'"') and len(name) >= 2:
        name = re.sub(rb"\\(.)", rb"\1", name[1:-1])
    return name.decode("ascii", "replace")


def _quoted(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _display(mailbox: str) -> str:
    return decode_mailbox(_unquoted(mailbox.encode("ascii")))


def _drafts_mailbox(client: imaplib.IMAP4, account: Account, warn: Callable[[str], None]) -> str:
    """The mailbox to push into, quoted for a command: the URL's, else \\Drafts, else Drafts, else a new Drafts."""
    mailboxes = _list(client)
    if account.mailbox:
        wanted = encode_mailbox(account.mailbox)
        if not any(_unquoted(m.name) == wanted for m in mailboxes):
            _create(client, wanted)
        return _quoted(wanted)
    special = [m for m in mailboxes if "\\drafts" in m.flags]
    if special:
        return _quoted(_unquoted(special[0].name))
    for mailbox in mailboxes:
        name = _unquoted(mailbox.name)
        last = name.rsplit(mailbox.delimiter, 1)[-1] if mailbox.delimiter else name
        if last.casefold() == "drafts" and "\\noselect" not in mailbox.flags:
            return _quoted(name)
    prefix = _personal_prefix(client)
    name = prefix + "Drafts"
    _create(client, name)
    warn(f"no Drafts mailbox on the server; created {decode_mailbox(name)}")
    return _quoted(name)


def _personal_prefix(client: imaplib.IMAP4) -> str:
    """The personal namespace's prefix (e.g. "INBOX." on some servers), where new mailboxes belong."""
    if "NAMESPACE" not in client.capabilities:
        return ""
    typ, data = client.namespace()
    if typ != "OK" or not data or not isinstance(data[0], bytes):
        return ""
    match = re.match(rb'\(\("((?:[^"\\]|\\.)*)"', data[0])
    return match[1].decode("ascii", "replace") if match else ""


def _create(client: imaplib.IMAP4, name: str) -> None:
    typ, data = client.create(_quoted(name))
    if typ != "OK":
        raise PushError(f"cannot create the mailbox {decode_mailbox(name)}: {_text(data)}")
    client.subscribe(_quoted(name))  # so that clients showing subscribed mailboxes only list it


def _text(data: Sequence[object]) -> str:
    return " ".join(x.decode("utf-8", "replace") if isinstance(x, bytes) else str(x) for x in data if x)


def _append_limit(client: imaplib.IMAP4) -> int | None:
    for capability in client.capabilities:
        if capability.upper().startswith("APPENDLIMIT="):
            value = capability.split("=", 1)[1]
            return int(value) if value.isdigit() and value.isascii() else None
    return None


def _already_there(client: imaplib.IMAP4, mailbox: str, eml: EmlFile) -> bool:
    typ, data = client.select(mailbox, readonly=True)
    if typ != "OK":
        raise PushError(f"cannot open the mailbox {_display(mailbox)}: {_text(data)}")
    typ, data = client.search(None, "HEADER", "Message-ID", _quoted(eml.message_id))
    if typ != "OK":
        raise PushError(f"the server cannot search {_display(mailbox)}: {_text(data)}")
    return bool(data and data[0] and data[0].split())


def _append(client: imaplib.IMAP4, mailbox: str, eml: EmlFile) -> None:
    import imaplib
    from email.parser import BytesHeaderParser
    from email.utils import parsedate_to_datetime

    when = None
    date_header = BytesHeaderParser().parsebytes(eml.data)["Date"]
    if date_header:
        try:
            when = imaplib.Time2Internaldate(parsedate_to_datetime(str(date_header)))
        except (TypeError, ValueError):
            when = None
    typ, data = client.append(mailbox, FLAGS, when, eml.data)
    if typ != "OK":
        said = _text(data)
        upper = said.upper()
        if "[OVERQUOTA]" in upper or "QUOTA" in upper:
            raise PushError(f"{eml.path}: the mailbox is full (the server said: {said}); nothing more was pushed")
        if "[TOOBIG]" in upper or "[LIMIT]" in upper:
            raise PushError(f"{eml.path}: too big for the server (the server said: {said}); nothing more was pushed")
        raise PushError(f"{eml.path}: the server refused it: {said}")


def _close(client: imaplib.IMAP4) -> None:
    import contextlib

    try:
        if client.state == "SELECTED":
            client.close()
        client.logout()
    except Exception:  # already failing, or done: a clean goodbye is a courtesy
        with contextlib.suppress(Exception):
            client.shutdown()


# --------------------------------------------------------------------------- mailbox names (RFC 3501 5.1.3)


def encode_mailbox(name: str) -> str:
    """A mailbox name in IMAP's modified UTF-7 ("Entwürfe" -> "Entw&APw-rfe")."""
    import base64

    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            raw = "".join(pending).encode("utf-16-be")
            out.append("&" + base64.b64encode(raw).decode("ascii").rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for ch in name:
        if " " <= ch <= "~":
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            pending.append(ch)
    flush()
    return "".join(out)


def decode_mailbox(name: str) -> str:
    """A mailbox name from modified UTF-7 back to text (names that are not valid stay as they are)."""
    import base64
    import binascii

    def one(match: re.Match[str]) -> str:
        body = match[1]
        if not body:
            return "&"
        padded = body.replace(",", "/") + "=" * (-len(body) % 4)
        try:
            return base64.b64decode(padded).decode("utf-16-be")
        except (binascii.Error, UnicodeDecodeError):
            return match[0]

    return re.sub(r"&([A-Za-z0-9+,]*)-", one, name)
