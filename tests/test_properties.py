"""Property tests: any text survives the loader, the text writer and the DOCX writer."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.test_plan import random_notes

from followup import docx_letter, notes, packs, render, wording, writers
from followup.errors import SelectionError
from followup.situation import Person, Situation

TODAY = date(2026, 11, 21)
# Any Unicode text a user might paste, control characters and emoji included (no surrogates: not encodable).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=80).filter(lambda t: t.strip())


def quoted(text: str) -> str:
    """A YAML double-quoted scalar carrying any character (escaped when not plain ASCII)."""
    body = "".join("\\" + c if c in '"\\' else c if 0x20 <= ord(c) < 0x7F else f"\\U{ord(c):08x}" for c in text)
    return f'"{body}"'


def notes_with(name: str, topic: str, tmp: Path) -> notes.Notes:
    text = (
        "candidate: {name: Sam Lee}\n"
        'company: {name: "Acme & Sons <Ltd>"}\n'
        "role: Analyst\n"
        f"interviews: [{{date: 2026-11-20, interviewers: [{{name: {quoted(name)}, discussed: [{quoted(topic)}]}}]}}]\n"
    )
    return notes.parse(text, tmp / "n.yaml")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=TEXT.filter(lambda t: not wording.placeholder(t)), topic=TEXT.filter(lambda t: not wording.placeholder(t)))
def test_any_text_survives_loading_and_the_text_writer(tmp_path: Path, name: str, topic: str) -> None:
    loaded = notes_with(name, topic, tmp_path)
    person = loaded.interviews[-1].interviewers[0]
    assert person.name == " ".join(name.split()) and person.discussed == [" ".join(topic.split())]
    (draft,) = render.render(packs.builtin_pack(), "thank-you", loaded, today=TODAY)
    text = writers.text_of([draft])
    s = Situation(loaded, TODAY)
    words = s.words_of(s.panel[0])
    if words.topics:  # the topic as read with care is in the draft...
        assert writers.clean_text(words.topics[0]) in text
    else:  # ...or the draft says why it was left out
        assert [m for _, m in draft.word_warnings if "left out" in m] or not person.discussed[0].strip(" .")
    assert not any(ord(c) < 32 and c not in "\t\n" for c in text)


@settings(max_examples=60, deadline=None)
@given(lines=st.lists(TEXT, min_size=1, max_size=4))
def test_any_text_survives_the_docx_writer(lines: list[str]) -> None:
    loaded = notes.Notes(
        candidate=notes.Candidate(name=lines[0]),
        company=notes.Company(name="Acme"),
        role="Analyst",
        interviews=[notes.Interview(date=TODAY, interviewers=[notes.Interviewer(name="Ann Cho")])],
    )
    recipient = Person.of("Ann Cho", loaded.interviews[0].interviewers[0])
    paragraphs = ("Dear Ann,", *lines, "Regards,\nSam")
    letter = render.Letter.of(loaded, recipient)
    subject = lines[-1]
    draft = render.Draft("thank-you", "email", recipient, {"Subject": subject}, paragraphs, letter=letter)
    data = writers.docx_bytes(draft, letter_date="November 21, 2026", letter_day=TODAY)
    assert data == writers.docx_bytes(draft, letter_date="November 21, 2026", letter_day=TODAY)
    document = docx.Document(io.BytesIO(data))
    read = [p.text for p in document.paragraphs]
    for line in lines:
        expected = docx_letter._NOT_XML.sub("\ufffd", line)
        assert expected in read, (line, read)
    assert document.core_properties.author == docx_letter._NOT_XML.sub("\ufffd", lines[0])
    assert document.core_properties.title == docx_letter._NOT_XML.sub("\ufffd", subject)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=random_notes())
def test_every_kind_drafts_or_says_why_not_for_any_case(case: tuple[str, date]) -> None:
    """Whatever the history and the day, each built-in kind drafts cleanly or names why there is nobody to
    draft for; no other failure, no leftover, and nothing private."""
    text, today = case
    loaded = notes.parse(text, Path("random.yaml"))
    pack = packs.builtin_pack()
    for kind in pack.kinds.values():
        for tone in kind.tones:
            try:
                drafts = render.render(pack, kind.name, loaded, today=today, tone=tone)
            except SelectionError as err:
                assert "referrer" in str(err) or "articles" in str(err), err
                continue
            assert drafts
            for draft in drafts:
                assert not [w for w in draft.warnings if "contains" in w], (kind.name, draft.warnings)
                assert "None" not in draft.body.split() and "{{" not in draft.body
