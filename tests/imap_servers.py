"""Real IMAP servers on 127.0.0.1 for the push tests: pymap (from PyPI) and Dovecot (Debian's package).

Each server gets free ports chosen at run time, is waited for with a bound, and is stopped
at the end. pymap is a test dependency (Python 3.11+); Dovecot is installed by `.ci/run`
(`dovecot-imapd`) and gives what pymap lacks: implicit TLS (imaps), STARTTLS, RFC 6154
special-use mailboxes and quotas. Where Dovecot is missing the tests that need it skip,
except on CI (CI=true), where a missing server is a failure.
"""

from __future__ import annotations

import contextlib
import imaplib
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

USER, PASSWORD = "priya", "correct horse battery"
WAIT = 15.0  # seconds: the longest any server may take to answer its first greeting


def outward_address() -> str | None:
    """This machine's address on its network (not loopback), or None if it has none."""
    import ipaddress

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
            address = str(sock.getsockname()[0])
    except OSError:
        return None
    return None if ipaddress.ip_address(address).is_loopback or address == "0.0.0.0" else address


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_greeting(port: int, process: subprocess.Popen[bytes], log: Path, host: str = "127.0.0.1") -> None:
    """Until the server greets on the port (bounded by WAIT), or fail with its log."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the IMAP server exited ({process.returncode}):\n{log.read_text(errors='replace')}")
        try:
            with socket.create_connection((host, port), timeout=1) as sock:
                sock.settimeout(2)
                if sock.recv(64).startswith(b"* OK"):
                    return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"the IMAP server did not answer on port {port} within {WAIT} s:\n{log.read_text(errors='replace')}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server this test started, by its own process id, within a bounded wait."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@dataclass
class Server:
    """A running server: where it listens, and how to look inside as a mail client would."""

    host: str
    port: int
    tls_port: int | None = None
    cafile: Path | None = None
    users: dict[str, str] = field(default_factory=lambda: {USER: PASSWORD})

    def url(self, scheme: str = "imap", user: str = USER, mailbox: str = "") -> str:
        port = self.tls_port if scheme == "imaps" else self.port
        return f"{scheme}://{user}@{self.host}:{port}" + (f"/{mailbox}" if mailbox else "")

    @contextlib.contextmanager
    def client(self, user: str = USER) -> Iterator[imaplib.IMAP4]:
        """A logged-in imaplib client (STARTTLS first when the server offers it)."""
        client = imaplib.IMAP4(self.host, self.port, timeout=WAIT)
        try:
            if "STARTTLS" in client.capabilities:
                client.starttls(ssl.create_default_context(cafile=str(self.cafile) if self.cafile else None))
            client.login(user, self.users[user])
            yield client
        finally:
            client.logout()

    def mailboxes(self, user: str = USER) -> dict[str, set[str]]:
        """Every mailbox's name and its attributes (as LIST shows them)."""
        with self.client(user) as client:
            typ, data = client.list()
            assert typ == "OK"
        found = {}
        for line in data:
            assert isinstance(line, bytes)
            flags, _, rest = line.decode().partition(") ")
            name = rest.split(" ", 1)[1].strip('"')
            found[name] = set(flags.lstrip("(").split())
        return found

    def messages(self, mailbox: str, user: str = USER) -> list[tuple[set[str], bytes]]:
        """The flags and full bytes of every message in a mailbox, oldest first."""
        with self.client(user) as client:
            typ, count = client.select(f'"{mailbox}"', readonly=True)
            assert typ == "OK", mailbox
            if count[0] == b"0":
                client.close()
                return []
            typ, data = client.fetch("1:*", "(FLAGS BODY.PEEK[])")
            assert typ == "OK"
            client.close()
        found = []
        for item in data:
            if isinstance(item, tuple):
                head = item[0].decode()
                flags = set(head.split("FLAGS (", 1)[1].split(")", 1)[0].split())
                found.append((flags, item[1]))
        return found


# --------------------------------------------------------------------------- pymap


def pymap_available() -> bool:
    try:
        import pymap  # noqa: F401
    except ImportError:
        return False
    return True


@contextlib.contextmanager
def pymap_server(tmp_path: Path, host: str = "127.0.0.1") -> Iterator[Server]:
    """pymap's in-memory backend with one user and only an INBOX (no Drafts mailbox), plain IMAP on loopback."""
    if not pymap_available():
        pytest.skip("pymap needs Python 3.11 or newer")
    port = free_port()
    log = tmp_path / "pymap.log"
    code = "import sys; from pymap.main import main; sys.argv[0] = 'pymap'; sys.exit(main())"
    args = ["--host", host, "--port", str(port), "--no-tls", "dict"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", code, *args, "--demo-user", USER, "--demo-password", PASSWORD],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        wait_for_greeting(port, process, log, host)
        yield Server(host, port)
    finally:
        stop(process)


# --------------------------------------------------------------------------- Dovecot

DOVECOT_CONF = """\
base_dir = {root}/run
state_dir = {root}/state
instance_name = followup-test-{port}
protocols = imap
listen = 127.0.0.1
log_path = {root}/dovecot.log
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%u
first_valid_uid = {uid}
mail_uid = {user}
mail_gid = {group}
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {root}/passwd
}}
userdb {{
  driver = passwd-file
  args = {root}/passwd
  default_fields = uid={user} gid={group} home={root}/mail/%u
}}
service auth {{
  user = {auth_user}
}}
service auth-worker {{
  user = {auth_user}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
namespace inbox {{
  inbox = yes
  separator = .
  mailbox "My Drafts" {{
    special_use = \\Drafts
    auto = subscribe
  }}
  mailbox Sent {{
    special_use = \\Sent
    auto = subscribe
  }}
}}
mail_plugins = quota
plugin {{
  quota = maildir:User quota
}}
protocol imap {{
  mail_plugins = $mail_plugins imap_quota
}}
"""


def dovecot_binary() -> str:
    found = shutil.which("dovecot") or next(
        (p for p in ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot") if os.access(p, os.X_OK)), None
    )
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("Dovecot is not installed; .ci/run installs it (apt-get install dovecot-imapd)")
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd)")
    return found


@contextlib.contextmanager
def dovecot_server() -> Iterator[Server]:
    """Dovecot on loopback: STARTTLS and imaps with a certificate from a test CA, a `My Drafts` mailbox marked
    \\Drafts, a user `full` whose quota is used up and a user `small` who may store no message over 1 KiB."""
    binary = dovecot_binary()
    import pwd

    import trustme

    root = Path(tempfile.mkdtemp(prefix="followup-dovecot-"))
    try:
        if os.geteuid() == 0:  # Dovecot drops privileges: its own users must reach the mail folder
            user = group = internal_user = internal_group = "dovecot"
            login_user, auth_user = "dovenull", "root"
            uid = pwd.getpwnam("dovecot").pw_uid
            os.chmod(root, 0o711)
        else:  # as an ordinary user, every Dovecot process runs as that user
            me = pwd.getpwuid(os.geteuid())
            user = internal_user = login_user = auth_user = me.pw_name
            group = internal_group = str(os.getegid())
            uid = me.pw_uid
        (root / "mail").mkdir()
        if os.geteuid() == 0:
            shutil.chown(root / "mail", "dovecot", "dovecot")
        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1", "localhost")
        cert.private_key_pem.write_to_path(str(root / "key.pem"))
        (root / "cert.pem").write_bytes(b"".join(blob.bytes() for blob in cert.cert_chain_pems))
        ca.cert_pem.write_to_path(str(root / "ca.pem"))
        users = {USER: PASSWORD, "full": "full-secret", "small": "small-secret"}
        (root / "passwd").write_text(
            f"{USER}:{{PLAIN}}{PASSWORD}::::::\n"
            "full:{PLAIN}full-secret::::::userdb_quota_rule=*:storage=1\n"
            "small:{PLAIN}small-secret::::::userdb_quota_max_mail_size=1k\n"
        )
        port, tls_port = free_port(), free_port()
        conf = root / "dovecot.conf"
        conf.write_text(
            DOVECOT_CONF.format(
                root=root,
                port=port,
                tls_port=tls_port,
                uid=uid,
                user=user,
                group=group,
                internal_user=internal_user,
                internal_group=internal_group,
                login_user=login_user,
                auth_user=auth_user,
            )
        )
        log = root / "dovecot.log"
        with log.open("ab") as errors:
            process = subprocess.Popen(
                [binary, "-F", "-c", str(conf)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors
            )
        try:
            wait_for_greeting(port, process, log)
            yield Server("127.0.0.1", port, tls_port=tls_port, cafile=root / "ca.pem", users=users)
        finally:
            stop(process)
    finally:
        shutil.rmtree(root, ignore_errors=True)
