"""`followup push` against real IMAP servers on 127.0.0.1: drafts land in Drafts, once, and nothing is sent."""

from __future__ import annotations

import email
from collections.abc import Callable, Iterator
from email.policy import default
from pathlib import Path

import pytest
from click.testing import Result
from tests.conftest import SAMPLES
from tests.imap_servers import PASSWORD, USER, Server, dovecot_server, free_port, outward_address, pymap_server

from followup.push import Account, decode_mailbox, encode_mailbox, parse_url

Run = Callable[..., Result]
TODAY = "2026-11-21"  # the samples then have 6 e-mail drafts due (thank-yous, a referrer update, an update
# request, a thank-you-anyway)


@pytest.fixture
def outbox(run: Run, tmp_path: Path) -> list[Path]:
    """The .eml drafts `draft due` writes for the sample cohort."""
    result = run("draft", "due", SAMPLES, "-o", tmp_path / "outbox", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 6
    return files


@pytest.fixture
def pymap(tmp_path: Path) -> Iterator[Server]:
    with pymap_server(tmp_path) as server:
        yield server


@pytest.fixture
def dovecot() -> Iterator[Server]:
    with dovecot_server() as server:
        yield server


@pytest.fixture
def password(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FOLLOWUP_IMAP_PASSWORD", PASSWORD)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # no ~/.netrc of the real user
    monkeypatch.delenv("NETRC", raising=False)
    monkeypatch.delenv("FOLLOWUP_IMAP_CAFILE", raising=False)


def message_ids(messages: list[tuple[set[str], bytes]]) -> list[str]:
    return sorted(str(email.message_from_bytes(data, policy=default)["Message-ID"]) for _, data in messages)


def file_ids(files: list[Path]) -> list[str]:
    return sorted(str(email.message_from_bytes(f.read_bytes(), policy=default)["Message-ID"]) for f in files)


def no_secret(result: Result) -> None:
    assert PASSWORD not in result.output and PASSWORD not in result.stderr
    assert "Traceback" not in result.output + result.stderr


@pytest.mark.usefixtures("password")
def test_n_drafts_land_in_drafts_once(run: Run, pymap: Server, outbox: list[Path]) -> None:
    n = len(outbox)
    assert "Drafts" not in pymap.mailboxes()  # pymap starts with an INBOX only
    first = run("push", outbox[0].parent, "--imap", pymap.url())
    assert first.exit_code == 0, first.stderr
    no_secret(first)
    assert first.stderr.startswith("Warning: ") and "created Drafts" in first.stderr
    lines = first.stdout.splitlines()
    assert lines[:n] == [
        f"appended to Drafts: {path} ({email.message_from_bytes(path.read_bytes(), policy=default)['Subject']})"
        for path in outbox
    ]
    assert (
        lines[n]
        == f"{n} drafts appended, 0 already there, in Drafts of {USER}@127.0.0.1:{pymap.port}; nothing was sent"
    )

    stored = pymap.messages("Drafts")
    assert len(stored) == n
    assert all({"\\Draft", "\\Seen"} <= flags for flags, _ in stored)
    assert message_ids(stored) == file_ids(outbox)
    by_id = {str(email.message_from_bytes(data, policy=default)["Message-ID"]): data for _, data in stored}
    for path in outbox:  # the bytes on the server are the file's (line ends aside)
        sent = email.message_from_bytes(path.read_bytes(), policy=default)
        assert by_id[str(sent["Message-ID"])].replace(b"\r\n", b"\n") == path.read_bytes().replace(b"\r\n", b"\n")
    assert pymap.messages("INBOX") == []  # nothing was delivered anywhere else

    second = run("push", *outbox, "--imap", pymap.url())
    assert second.exit_code == 0, second.stderr
    assert second.stderr == ""
    assert second.stdout.splitlines()[:n] == [line.replace("appended to", "already in") for line in lines[:n]]
    assert second.stdout.splitlines()[n].startswith(f"0 drafts appended, {n} already there, in Drafts")
    assert len(pymap.messages("Drafts")) == n


@pytest.mark.usefixtures("password")
def test_drafting_again_gives_the_same_message_ids(run: Run, pymap: Server, outbox: list[Path], tmp_path: Path) -> None:
    n = len(outbox)
    """Re-drafting the same steps elsewhere (another folder, --force) makes drafts push recognises as already there."""
    again = run("draft", "due", SAMPLES, "-o", tmp_path / "again", "--today", TODAY)
    assert again.exit_code == 0, again.stderr
    redrafted = sorted((tmp_path / "again").glob("*.eml"))
    assert file_ids(redrafted) == file_ids(outbox)
    assert run("push", *outbox, "--imap", pymap.url()).exit_code == 0
    result = run("push", tmp_path / "again", "--imap", pymap.url())
    assert result.exit_code == 0
    assert f"0 drafts appended, {n} already there" in result.stdout
    assert len(pymap.messages("Drafts")) == n


@pytest.mark.usefixtures("password")
def test_an_existing_drafts_mailbox_is_found_by_name_in_any_case_and_hierarchy(
    run: Run, pymap: Server, outbox: list[Path]
) -> None:
    with pymap.client() as client:
        assert client.create('"Work"')[0] == "OK"
        assert client.create('"Work/drafts"')[0] == "OK"
    result = run("push", outbox[0], "--imap", pymap.url())
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("appended to Work/drafts: ")
    assert "Drafts" not in pymap.mailboxes()
    assert len(pymap.messages("Work/drafts")) == 1


@pytest.mark.usefixtures("password")
def test_a_mailbox_named_in_the_url_is_used_and_created(run: Run, pymap: Server, outbox: list[Path]) -> None:
    result = run("push", outbox[0], "--imap", pymap.url(mailbox="Entw%C3%BCrfe"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("appended to Entwürfe: ")
    assert "Entw&APw-rfe" in pymap.mailboxes()
    assert len(pymap.messages("Entw&APw-rfe")) == 1


def test_wrong_password_is_one_line(
    run: Run, pymap: Server, outbox: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FOLLOWUP_IMAP_PASSWORD", "not the password")
    result = run("push", outbox[0].parent, "--imap", pymap.url())
    assert result.exit_code == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"Error: {USER}@127.0.0.1:{pymap.port}: login failed: wrong user name or password")
    assert "not the password" not in result.stderr
    assert "Drafts" not in pymap.mailboxes()


@pytest.mark.usefixtures("password")
def test_a_closed_port_is_one_line(run: Run, outbox: list[Path]) -> None:
    port = free_port()
    result = run("push", outbox[0], "--imap", f"imap://{USER}@127.0.0.1:{port}")
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: 127.0.0.1:{port}: connection refused (is the server running, and is {port} its port?)\n"
    )


def test_password_from_netrc(
    run: Run, pymap: Server, outbox: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FOLLOWUP_IMAP_PASSWORD", raising=False)
    monkeypatch.delenv("NETRC", raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    netrc = home / ".netrc"
    netrc.write_text(
        f'machine other.example login {USER} password nope\nmachine 127.0.0.1 login {USER} password "{PASSWORD}"\n'
    )
    netrc.chmod(0o600)
    result = run("push", outbox[0], "--imap", pymap.url())
    assert result.exit_code == 0, result.stderr
    no_secret(result)
    assert len(pymap.messages("Drafts")) == 1


def test_no_password_anywhere_is_an_error_without_a_prompt(
    run: Run, outbox: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FOLLOWUP_IMAP_PASSWORD", raising=False)
    monkeypatch.delenv("NETRC", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    result = run("push", outbox[0], "--imap", "imap://priya@127.0.0.1:1")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no password for priya@127.0.0.1:1: set FOLLOWUP_IMAP_PASSWORD, add ")


@pytest.mark.usefixtures("password")
def test_what_is_not_an_eml_is_refused_before_connecting(run: Run, tmp_path: Path, outbox: list[Path]) -> None:
    url = f"imap://{USER}@127.0.0.1:1"  # nothing listens there: these fail before any connection
    text = tmp_path / "note.txt"
    text.write_text("Subject: hi\n\nhello\n")
    fake = tmp_path / "photo.eml"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    empty = tmp_path / "empty"
    empty.mkdir()
    cases = {
        text: f"Error: {text}: not an .eml file (push takes e-mail drafts: *.eml files or folders of them)\n",
        fake: f"Error: {fake}: not an .eml draft (no header lines, then a blank line, then the message)\n",
        empty: f"Error: {empty}: no .eml files in this folder (draft some with `followup draft due -o`)\n",
        tmp_path / "missing.eml": f"Error: {tmp_path / 'missing.eml'}: no such file or folder\n",
    }
    for path, expected in cases.items():
        result = run("push", outbox[0], path, "--imap", url)
        assert (result.exit_code, result.stderr) == (1, expected), path


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://priya@example.org", "is not an IMAP URL"),
        ("imaps://example.org", "names no user"),
        ("imaps://priya:hunter2@example.org", "carry no password"),
        ("imaps://priya@example.org:99999", "is not an IMAP URL"),
    ],
)
def test_bad_urls_are_usage_errors(run: Run, outbox: list[Path], url: str, message: str) -> None:
    result = run("push", outbox[0], "--imap", url)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "hunter2" not in result.stderr


def test_urls() -> None:
    assert parse_url("imaps://priya@example.org@imap.example.org") == Account(
        "imaps", "priya@example.org", "imap.example.org", 993
    )
    assert parse_url("imap://priya%40example.org@localhost:1143/INBOX.Drafts") == Account(
        "imap", "priya@example.org", "localhost", 1143, "INBOX.Drafts"
    )
    assert parse_url("imap://p@[::1]").loopback and parse_url("imap://p@127.0.0.2").loopback
    assert not parse_url("imap://p@192.0.2.1").loopback
    for name in ("Entwürfe", "Brouillons & notes", "下書き", "Drafts"):
        assert decode_mailbox(encode_mailbox(name)) == name
    assert encode_mailbox("Entwürfe") == "Entw&APw-rfe" and encode_mailbox("a&b") == "a&-b"


# --------------------------------------------------------------------------- Dovecot: TLS, special use, quota


@pytest.mark.usefixtures("password")
def test_special_use_drafts_under_another_name(
    run: Run, dovecot: Server, outbox: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    n = len(outbox)
    monkeypatch.setenv("FOLLOWUP_IMAP_CAFILE", str(dovecot.cafile))
    assert dovecot.mailboxes()["My Drafts"] >= {"\\Drafts"}
    result = run("push", outbox[0].parent, "--imap", dovecot.url("imaps"))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.splitlines()[-1].startswith(f"{n} drafts appended, 0 already there, in My Drafts of ")
    assert set(dovecot.mailboxes()) == {"INBOX", "My Drafts", "Sent"}  # no new Drafts mailbox
    stored = dovecot.messages("My Drafts")
    assert len(stored) == n and all({"\\Draft", "\\Seen"} <= flags for flags, _ in stored)
    assert message_ids(stored) == file_ids(outbox)
    assert (
        run("push", outbox[0].parent, "--imap", dovecot.url("imaps"))
        .stdout.splitlines()[-1]
        .startswith(f"0 drafts appended, {n} already there")
    )
    assert len(dovecot.messages("My Drafts")) == n


@pytest.mark.usefixtures("password")
@pytest.mark.parametrize("scheme", ["imaps", "imap"])  # TLS from the start, and STARTTLS on the plain port
def test_an_untrusted_certificate_is_refused_unless_trusted(
    run: Run, dovecot: Server, outbox: list[Path], monkeypatch: pytest.MonkeyPatch, scheme: str
) -> None:
    refused = run("push", outbox[0], "--imap", dovecot.url(scheme))
    assert refused.exit_code == 1
    [line] = refused.stderr.splitlines()
    port = dovecot.tls_port if scheme == "imaps" else dovecot.port
    assert line.startswith(f"Error: 127.0.0.1:{port}: TLS failed: the server's certificate is not trusted (")
    assert line.endswith("for a self-hosted server, set FOLLOWUP_IMAP_CAFILE to the file of the CA that signed it")
    assert dovecot.messages("My Drafts") == []

    monkeypatch.setenv("FOLLOWUP_IMAP_CAFILE", str(dovecot.cafile))
    trusted = run("push", outbox[0], "--imap", dovecot.url(scheme))
    assert trusted.exit_code == 0, trusted.stderr
    assert len(dovecot.messages("My Drafts")) == 1


@pytest.mark.usefixtures("password")
def test_a_full_mailbox_is_one_line(
    run: Run, dovecot: Server, outbox: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FOLLOWUP_IMAP_CAFILE", str(dovecot.cafile))
    monkeypatch.setenv("FOLLOWUP_IMAP_PASSWORD", dovecot.users["full"])
    big = max(outbox, key=lambda p: p.stat().st_size)  # over the 1 KiB the user has
    assert big.stat().st_size > 1024
    result = run("push", big, *outbox, "--imap", dovecot.url("imaps", user="full"))
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"Error: {big}: the mailbox is full (the server said: [OVERQUOTA] ")
    assert line.endswith("; nothing more was pushed")
    assert dovecot.messages("My Drafts", user="full") == []


@pytest.mark.usefixtures("password")
def test_a_message_over_the_servers_size_limit_is_one_line(
    run: Run, dovecot: Server, outbox: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FOLLOWUP_IMAP_CAFILE", str(dovecot.cafile))
    monkeypatch.setenv("FOLLOWUP_IMAP_PASSWORD", dovecot.users["small"])
    big = max(outbox, key=lambda p: p.stat().st_size)  # over the 1 KiB a message may have
    assert big.stat().st_size > 1024
    result = run("push", big, *outbox, "--imap", dovecot.url("imap", user="small"))
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"Error: {big}: too big for the server (the server said: [LIMIT] ")
    assert dovecot.messages("My Drafts", user="small") == []


@pytest.mark.usefixtures("password")
def test_plain_imap_beyond_this_machine_warns(run: Run, outbox: list[Path], tmp_path: Path) -> None:
    address = outward_address()
    if address is None:
        pytest.skip("this machine has no network address other than loopback")
    with pymap_server(tmp_path, host=address) as server:
        result = run("push", outbox[0], "--imap", server.url())
        assert result.exit_code == 0, result.stderr
        assert result.stderr.splitlines()[0] == (
            f"Warning: {server.url()}: {address}:{server.port} offers no STARTTLS: your password and drafts cross "
            "the network unencrypted; use imaps:// if the server has it"
        )
        assert len(server.messages("Drafts")) == 1


def test_the_password_is_asked_for_hidden_in_a_terminal(pymap: Server, outbox: list[Path], tmp_path: Path) -> None:
    """With no password set anywhere, push asks on the terminal (without echo) and never shows it."""
    import os
    import select
    import sys
    import time

    pty = pytest.importorskip("pty")  # POSIX terminals

    env = {k: v for k, v in os.environ.items() if k not in ("FOLLOWUP_IMAP_PASSWORD", "NETRC")}
    env["HOME"] = str(tmp_path)
    pid, fd = pty.fork()
    if pid == 0:  # the child: followup on a terminal of its own
        os.execve(
            sys.executable, [sys.executable, "-m", "followup", "push", str(outbox[0]), "--imap", pymap.url()], env
        )
    seen = b""
    deadline = time.monotonic() + 30
    answered = False
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # the child closed the terminal: it has finished
            break
        if not chunk:
            break
        seen += chunk
        if not answered and b"IMAP password for" in seen:
            os.write(fd, PASSWORD.encode() + b"\n")
            answered = True
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    text = seen.decode("utf-8", "replace")
    assert os.waitstatus_to_exitcode(status) == 0, text
    assert f"IMAP password for {USER}@127.0.0.1:{pymap.port}: " in text
    assert PASSWORD not in text  # not echoed, not printed
    assert "1 draft appended, 0 already there" in text
    assert len(pymap.messages("Drafts")) == 1


@pytest.mark.usefixtures("password")
def test_imaps_to_a_plain_port_is_a_tls_failure(run: Run, pymap: Server, outbox: list[Path]) -> None:
    result = run("push", outbox[0], "--imap", f"imaps://{USER}@127.0.0.1:{pymap.port}")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: 127.0.0.1:{pymap.port}: TLS failed: WRONG_VERSION_NUMBER (the server did not answer in TLS: "
        "is this its imaps port? a plain IMAP port wants imap://)\n"
    )
