"""E-mail drafts parsed back with the standard library, and LinkedIn notes within their limit."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Callable
from datetime import date
from pathlib import Path

from click.testing import Result
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import SAMPLES

from followup import notes, packs, render

Run = Callable[..., Result]
PANEL = SAMPLES / "panel-with-referrer.yaml"


def read_eml(path: Path) -> email.message.EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, email.message.EmailMessage)
    return message


def test_eml_draft_has_headers_and_utf8_body(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "marcus.eml"
    result = run("draft", "thank-you", PANEL, "--to", "Marcus", "-o", path, "--today", "2026-11-18")
    assert result.exit_code == 0, result.stderr
    message = read_eml(path)
    assert message["From"] == "Priya Raman <priya.raman@example.org>"
    assert message["To"] == "Marcus Okafor <marcus.okafor@northwind.example>"
    assert message["Subject"] == "Thank you for the Data Platform Engineer interview"
    assert message["Date"].datetime.date() == date(2026, 11, 18)
    assert message["X-Unsent"] == "1"
    body = message.get_body(("plain",))
    assert body is not None and body.get_content_charset() == "utf-8"
    text = body.get_content().replace("\r\n", "\n")  # RFC 5322 line ends
    assert text.startswith("Dear Marcus,\n\n")
    assert "Subject:" not in text


def test_eml_keeps_accents_and_warns_without_address(
    run: Run, write_notes: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_notes(
        "candidate: {name: José Núñez, email: jose@example.org}\ncompany: {name: Ruiz & Asociados}\nrole: Analista\n"
        "interviews:\n  - date: 2026-11-20\n    interviewers:\n      - name: Mª Ángeles Ruiz\n"
        "        discussed: [el programa de mentoría]\n"
    )
    out = tmp_path / "out"
    result = run("draft", "thank-you", path, "--format", "eml", "-o", out, "--today", "2026-11-20")
    assert result.exit_code == 0, result.stderr
    assert "no e-mail address for Mª Ángeles Ruiz" in result.stderr
    (file,) = out.glob("*.eml")
    message = read_eml(file)
    assert message["From"] == "José Núñez <jose@example.org>"
    assert "Mª Ángeles Ruiz" in str(message["To"])
    assert "Dear Mª," in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]


@settings(max_examples=80, deadline=None)
@given(
    name=st.text(st.characters(categories=("L",)), min_size=1, max_size=60),
    title=st.text(st.characters(categories=("L", "Zs")), max_size=120),
    company=st.text(st.characters(categories=("L", "Zs", "P")), min_size=1, max_size=120).filter(str.strip),
    topic=st.text(st.characters(categories=("L", "Zs")), max_size=200),
)
def test_linkedin_invites_fit_200_characters(name: str, title: str, company: str, topic: str) -> None:
    loaded = notes.Notes(
        candidate=notes.Candidate(name="Alexandra Konstantinopoulou-Vandermeer"),
        company=notes.Company(name=company.strip()),
        role="Senior Principal Staff Software Engineering Manager, Platform Infrastructure",
        interviews=[
            notes.Interview(
                date=date(2026, 11, 20),
                interviewers=[
                    notes.Interviewer(
                        name=name, title=title.strip() or None, discussed=[topic] if topic.strip() else []
                    )
                ],
            )
        ],
    )
    (draft,) = render.render(packs.builtin_pack(), "linkedin-invite", loaded, today=date(2026, 11, 21))
    assert len(draft.body) <= 200, draft.body
    assert not [w for w in draft.warnings if "characters" in w]  # no limit crossed (a topic may be left out)
    assert draft.subject is None


def test_linkedin_paid_limit_allows_300(run: Run) -> None:
    free = run("draft", "linkedin-invite", PANEL, "--to", "Marcus", "--today", "2026-11-19")
    paid = run("draft", "linkedin-invite", PANEL, "--to", "Marcus", "--today", "2026-11-19", "--max-chars", "300")
    assert free.exit_code == paid.exit_code == 0
    assert len(free.stdout.strip()) <= 200 < len(paid.stdout.strip()) <= 300
