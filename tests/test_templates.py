"""The built-in wording: every kind renders on every sample with no leftovers and within limits."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from tests.conftest import SAMPLE_FILES, SAMPLES

from followup import notes, packs, render
from followup.errors import SelectionError
from followup.situation import Situation

TODAY = date(2026, 11, 21)
LEFTOVERS = re.compile(r"\bNone\b|\[\]|\{\{|\}\}|\{%|%\}|\bUndefined\b|  |\n |\.\.(?!\.)| ,| \.")


def all_drafts(path: Path, kind: str) -> list[render.Draft]:
    return render.render(packs.builtin_pack(), kind, notes.load(path), today=TODAY)


def nobody_to_draft_for(path: Path, kind: str) -> str | None:
    """Why a kind has no recipient in a sample (the CLI explains it as an error), or None if it has one."""
    loaded = notes.load(path)
    if kind == "referrer-update" and loaded.referrer is None:
        return "no `referrer` in these notes"
    if kind == "article-share" and not Situation(loaded, TODAY).unshared_articles:
        return "to share next"
    return None


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("kind", sorted(packs.builtin_pack().kinds))
def test_every_kind_on_every_sample_is_clean(path: Path, kind: str) -> None:
    reason = nobody_to_draft_for(path, kind)
    if reason is not None:
        with pytest.raises(SelectionError, match=re.escape(reason)):
            all_drafts(path, kind)
        return
    drafts = all_drafts(path, kind)
    assert drafts
    for draft in drafts:
        text = draft.text
        assert not LEFTOVERS.search(text), (kind, path.name, LEFTOVERS.search(text))
        assert draft.warnings == ()
        if draft.channel == "email":
            assert draft.subject and len(draft.subject) <= 60
        for paragraph in draft.paragraphs:
            assert paragraph == paragraph.strip()
        for paragraph in draft.paragraphs[1:-1] if draft.channel == "email" else ():  # between greeting and sign-off
            assert re.search(r"[.!?:)\"]$|https?://\S+$", paragraph), f"dangling: {paragraph!r}"


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.stem)
def test_thank_you_length_is_60_to_200_words(path: Path) -> None:
    for draft in all_drafts(path, "thank-you"):
        words = len(draft.body.split())
        assert 60 <= words <= 200, (draft.recipient.name, words)  # short and specific beats long


def test_thank_you_names_discussed_connection_and_addition() -> None:
    drafts = {d.recipient.name: d.body for d in all_drafts(SAMPLES / "panel-with-referrer.yaml", "thank-you")}
    marcus, helen = drafts["Marcus Okafor"], drafts["Dr. Helen Park"]
    assert "change-data-capture" in marcus
    assert "Chicago half marathon" in marcus  # the connection
    assert "6 hours to 9 minutes" in helen  # what she didn't get to say
    assert "late-arriving truck GPS pings" in helen


def test_panel_notes_differ_in_more_than_the_name() -> None:
    drafts = all_drafts(SAMPLES / "panel-with-referrer.yaml", "thank-you")
    assert len(drafts) == 3
    bodies = []
    for draft in drafts:
        body = draft.body
        for name in (draft.recipient.name, draft.recipient.first_name):
            body = body.replace(name, "NAME")
        bodies.append(body)
    assert len(set(bodies)) == 3


def test_panel_notes_differ_even_without_details(tmp_path: Path) -> None:
    path = tmp_path / "bare.yaml"
    path.write_text(
        "candidate: {name: Sam Lee}\ncompany: {name: Acme}\nrole: Analyst\ninterviews:\n"
        "  - date: 2026-11-20\n    interviewers:\n      - name: Ann Cho\n      - name: Bo Diaz\n",
        encoding="utf-8",
    )
    a, b = render.render(packs.builtin_pack(), "thank-you", notes.load(path), today=TODAY)
    assert a.body.replace("Ann", "X") != b.body.replace("Bo", "X")
    assert not LEFTOVERS.search(a.text + b.text)


def test_check_in_quotes_their_timeline_back() -> None:
    (draft,) = all_drafts(SAMPLES / "panel-with-referrer.yaml", "check-in")
    loaded = notes.load(SAMPLES / "panel-with-referrer.yaml")
    assert loaded.decision.said and loaded.decision.said in draft.body


def test_thank_you_anyway_answers_their_reply_and_keeps_the_door_open() -> None:
    # Ruth's no named its reason and asked Aisha to apply again: the note answers that, and does not
    # ask what experience was missing
    (draft,) = all_drafts(SAMPLES / "rejection.yaml", "thank-you-anyway")
    body = draft.body.lower()
    assert draft.recipient.name == "Ruth Calloway"
    assert "feedback" not in body and "stronger candidate" not in body
    assert "explaining the reasoning" in body and "as you suggested" in body and "future openings" in body
    for bitter in ("unfortunately", "unfair", "mistake", "surprised", "disappointing decision"):
        assert bitter not in body


def test_article_share_gives_title_link_and_reason() -> None:
    loaded = notes.load(SAMPLES / "long-wait-articles.yaml")
    (draft,) = all_drafts(SAMPLES / "long-wait-articles.yaml", "article-share")
    article = Situation(loaded, TODAY).unshared_articles[0]
    assert article.title in draft.body
    assert article.url and article.url in draft.body
    assert article.note and render.split_message(article.note)[1][0].rstrip(".")[:30] in draft.body


def test_every_article_shared_is_a_clear_error(tmp_path: Path) -> None:
    text = (SAMPLES / "long-wait-articles.yaml").read_text(encoding="utf-8")
    loaded = notes.parse(text, tmp_path / "n.yaml")
    urls = [a.url for a in Situation(loaded, TODAY).unshared_articles]
    assert urls and all(urls)
    shares = "".join(f"  - {{date: 2026-11-20, kind: article-share, to: Owen McAllister, url: {u}}}\n" for u in urls)
    exhausted = notes.parse(text.rstrip("\n") + "\n" + shares, tmp_path / "n.yaml")
    with pytest.raises(SelectionError, match="every article in `articles` has been shared; add one"):
        render.render(packs.builtin_pack(), "article-share", exhausted, today=TODAY)
    none_at_all = notes.parse(re.sub(r"(?m)^articles:\n(  .*\n|\n)*", "", text), tmp_path / "n.yaml")
    with pytest.raises(SelectionError, match="there is nothing under `articles`; add one"):
        render.render(packs.builtin_pack(), "article-share", none_at_all, today=TODAY)


def test_plan_and_draft_pick_the_same_next_article(tmp_path: Path) -> None:
    from followup.plan import make_plan

    text = (
        "candidate: {name: Sam Lee}\ncompany: {name: Acme}\nrole: Analyst\nstatus: waiting\n"
        "interviews:\n  - date: 2026-09-01\n    interviewers:\n      - {name: Ann Cho, hiring_manager: true}\n"
        "articles:\n  - title: First, no link\n  - title: Second, no link\n  - {title: Third, url: https://x.example/3}\n"
        "history:\n  - {date: 2026-09-20, kind: article-share, to: Ann Cho}\n"
    )
    loaded = notes.parse(text, tmp_path / "n.yaml")
    assert [a.title for a in Situation(loaded, TODAY).unshared_articles] == ["Second, no link", "Third"]
    (step,) = [s for s in make_plan(loaded, TODAY).steps if s.kind == "article-share"]
    assert "Second, no link" in step.why
    (draft,) = render.render(packs.builtin_pack(), "article-share", loaded, today=TODAY)
    assert '"Second, no link"' in draft.body
