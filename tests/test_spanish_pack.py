"""The Spanish sample pack, through the real CLI: every kind on every sample, panels that are
not near-copies in any tone, no English of its own, the rejection answered, dates in Spanish."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from tests.conftest import ROOT, SAMPLE_FILES

PACK = ROOT / "samples" / "packs" / "es"
DATA = ROOT / "tests" / "data"
MADRID = ROOT / "samples" / "packs" / "es" / "notas" / "estudio-madrid.yaml"  # a panel of three, notes in Spanish
VALENCIA = DATA / "rechazo-valencia.yaml"  # a no from the recruiter, with its reason and an invitation
BARCELONA = DATA / "fintech-barcelona.yaml"  # "Escríbeme el lunes 30"
SEVILLA = DATA / "en-espera-sevilla.yaml"  # on hold, a phone round, no phone number
SPANISH_NOTES = [MADRID, VALENCIA, BARCELONA, SEVILLA]
ALL_NOTES = [*SAMPLE_FILES, *SPANISH_NOTES]
KINDS = [
    "thank-you",
    "check-in",
    "thank-you-anyway",
    "article-share",
    "referrer-update",
    "linkedin-invite",
    "update-request",
    "call-script",
    "voicemail",
    "keep-in-touch",
]
TONES = ["warm", "formal", "brief"]
TODAY = "2026-11-23"
RULE = "\n" + "-" * 72 + "\n"  # between drafts
LEFTOVERS = re.compile(r"\bNone\b|\[\]|\{\{|\}\}|\{%|%\}|\bUndefined\b|  |\n |\.\.(?!\.)| ,| \.|\bde el\b|\ba el\b")
ENGLISH = re.compile(
    r"\b(the|and|you|your|with|for|to|of|is|are|Thank|Thanks|Dear|Hi|Hello|Best|regards|Sincerely|Kind|Warm|"
    r"interview|role|team|today|yesterday|on Monday|next steps?|January|February|March|April|May|June|July|"
    r"August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
Run = Callable[..., Result]


def draft(run: Run, kind: str, notes: Path, *args: str) -> Result:
    return run("draft", kind, notes, "--pack", PACK, "--today", TODAY, *args)


def drafts_of(result: Result) -> list[str]:
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    return [one.strip("\n") for one in result.stdout.split(RULE)]


def body(text: str, kind: str) -> str:
    """The sentences that should differ between panelists: between greeting and sign-off."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    if paragraphs[0].startswith("Subject: "):
        paragraphs = paragraphs[1:]
    return "\n\n".join(paragraphs if kind == "linkedin-invite" else paragraphs[1:-1])


def sentences(text: str, names: list[str]) -> set[str]:
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, "NAME")
    pieces = re.split(r"(?<=[.!?»])\s+|\n\n", text)
    return {" ".join(p.split()).lower() for p in pieces if p.strip()}


def names_in(path: Path) -> list[str]:
    """Every interviewer's full and first name in a notes file (masked before comparing drafts)."""
    found = re.findall(r"- name: (.+)", path.read_text(encoding="utf-8"))
    found += re.findall(r"first_name: ([^#\n]+)", path.read_text(encoding="utf-8"))
    return [n.strip() for n in found] + [n.split()[0] for n in found if n.split()[0].rstrip(".") not in ("Dr", "Chef")]


# --------------------------------------------------------------------------- every kind, every sample


def test_pack_check_passes_on_the_samples_and_the_spanish_notes(run: Run) -> None:
    result = run("pack", "check", PACK, "--notes", MADRID, "--notes", VALENCIA,
                 "--notes", BARCELONA, "--notes", SEVILLA, "--today", TODAY)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert re.fullmatch(r"es: \d+ drafts rendered \(10 kinds, 10 notes files\), 0 problems\n", result.stdout)


def test_the_pack_offers_every_kind_and_three_thank_you_tones(run: Run) -> None:
    result = run("kinds", "--pack", PACK)
    assert result.exit_code == 0, result.stderr
    for kind in KINDS:
        assert re.search(rf"^{kind}\b", result.stdout, re.M), kind
    assert not (PACK / "_text.txt.j2").exists()  # no macro partial: the context has the facts ready
    for tone in TONES[1:]:
        assert (PACK / f"thank-you.{tone}.txt.j2").is_file()


@pytest.mark.parametrize("notes", ALL_NOTES, ids=lambda p: p.stem)
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_renders_in_spanish_for_every_sample(run: Run, kind: str, notes: Path) -> None:
    text = notes.read_text(encoding="utf-8")
    result = draft(run, kind, notes)
    if kind == "referrer-update" and "\nreferrer:" not in text:
        assert result.exit_code == 1
        assert result.stderr.startswith(f"Error: {notes}: no `referrer`")
        return
    if kind == "article-share" and "\narticles:" not in text:
        assert result.exit_code == 1
        assert result.stderr.startswith(f"Error: {notes}: ")
        return
    for one in drafts_of(result):
        assert not LEFTOVERS.search(one), (LEFTOVERS.search(one), one)
        subject = re.match(r"Subject: (.*)\n\n", one)
        if kind in ("linkedin-invite", "call-script", "voicemail"):
            assert subject is None
        else:
            assert subject and len(subject[1]) <= 60
            assert re.search(r"^(Hola|Buenos días), [^\n]+:$", one, re.M)  # a Spanish greeting, with its colon
        assert re.search(r"\b(que|de|el|por)\b", one)  # Spanish words, not only names


# --------------------------------------------------------------------------- panels


PANELS = [MADRID, BARCELONA, VALENCIA, *(SAMPLE_FILES)]


@pytest.mark.parametrize("tone", TONES)
@pytest.mark.parametrize("notes", PANELS, ids=lambda p: p.stem)
def test_panel_thank_yous_share_at_most_one_body_sentence(run: Run, notes: Path, tone: str) -> None:
    texts = drafts_of(draft(run, "thank-you", notes, "--tone", tone))
    bodies = [sentences(body(t, "thank-you"), names_in(notes)) for t in texts]
    for i in range(len(bodies)):
        for j in range(i + 1, len(bodies)):
            assert len(bodies[i] & bodies[j]) <= 1, (notes.name, tone, bodies[i] & bodies[j])


@pytest.mark.parametrize("notes", PANELS, ids=lambda p: p.stem)
def test_panel_linkedin_notes_share_at_most_one_sentence(run: Run, notes: Path) -> None:
    texts = drafts_of(draft(run, "linkedin-invite", notes))
    bodies = [sentences(body(t, "linkedin-invite"), names_in(notes)) for t in texts]
    for i in range(len(bodies)):
        for j in range(i + 1, len(bodies)):
            assert len(bodies[i] & bodies[j]) <= 1, (notes.name, bodies[i] & bodies[j])
    assert all(len(t) <= 200 for t in texts)


def six_alike(with_notes: bool) -> str:
    """A round of six people whose notes have the same shape, so only the pack's wording can differ."""
    people = []
    for n, name in enumerate(["Ana Ruiz", "Bruno Sáez", "Carla Gil", "David Mora", "Eva Pons", "Félix Vera"]):
        person = f"      - name: {name}\n        title: Arquitecta\n"
        if n == 0:
            person += "        hiring_manager: true\n"
        if with_notes:
            person += (
                f"        discussed:\n          - el proyecto número {n}\n          - la obra número {n}\n"
                f"        connection: los dos vivimos en el barrio {n}\n        add: dirigí la obra {n}\n"
            )
        people.append(person)
    return (
        "candidate:\n  name: Marta Gil\n  email: marta@example.org\ncompany:\n  name: Estudio Sur\n"
        "role: Arquitecta BIM\ninterviews:\n  - date: 2026-11-23\n    time: 9:00\n    format: onsite\n"
        "    interviewers:\n" + "".join(people)
    )


@pytest.mark.parametrize("tone", TONES)
@pytest.mark.parametrize("with_notes", [True, False], ids=["same-shaped-notes", "no-notes"])
def test_six_alike_panelists_get_six_different_notes(
    run: Run, write_notes: Callable[..., Path], tone: str, with_notes: bool
) -> None:
    notes = write_notes(six_alike(with_notes))
    texts = drafts_of(draft(run, "thank-you", notes, "--tone", tone))
    assert len(texts) == 6
    names = names_in(notes)
    bodies = [sentences(body(t, "thank-you"), names) for t in texts]
    for i in range(6):
        for j in range(i + 1, 6):
            assert len(bodies[i] & bodies[j]) <= 1, (tone, i, j, bodies[i] & bodies[j])
    if with_notes:
        assert all("hoy" in t for t in texts)  # the interview was this morning


# --------------------------------------------------------------------------- Spanish, and only Spanish


@pytest.mark.parametrize("notes", SPANISH_NOTES, ids=lambda p: p.stem)
@pytest.mark.parametrize("today", ["2026-11-19", "2026-11-30", "2027-03-01"])
def test_no_english_leaks_from_the_pack(run: Run, notes: Path, today: str) -> None:
    """The notes are in Spanish, so any English word in a draft would be the pack's own."""
    for kind in KINDS:
        for tone in TONES if kind == "thank-you" else ["warm"]:
            result = run("draft", kind, notes, "--pack", PACK, "--today", today, "--tone", tone)
            if result.exit_code == 1 and kind in ("referrer-update", "article-share"):
                continue  # nobody to update, or no article left: the CLI said so
            for one in drafts_of(result):
                text = one.removeprefix("Subject: ")
                for url in re.findall(r"https?://\S+|\S+@\S+", text):
                    text = text.replace(url, "")
                # the notes' own words are Spanish, but some names and titles are not ("Head of Data")
                text = text.replace("Head of Data", "").replace("Talent Acquisition", "").replace("Data Engineer", "")
                assert not ENGLISH.search(text), (kind, tone, ENGLISH.search(text), one)


def test_dates_are_spanish(run: Run) -> None:
    [check_in] = drafts_of(draft(run, "check-in", MADRID, "--today", "2026-12-01"))
    assert "tras mi entrevista del 18 de noviembre" in check_in
    assert "hacia el 27 de noviembre" in check_in  # their relative words have gone stale: the date instead
    assert "semana que viene" not in check_in
    [referrer] = drafts_of(draft(run, "referrer-update", MADRID, "--today", "2026-11-19"))
    assert "una videollamada con Lucía Prieto Ramos el 10 de noviembre" in referrer
    assert "como tarde el viernes 27 de noviembre" in referrer
    [offer] = drafts_of(draft(run, "update-request", MADRID, "--today", "2026-11-20"))
    assert "como tarde el viernes 4 de diciembre" in offer
    [keep] = drafts_of(draft(run, "keep-in-touch", SEVILLA))
    assert "desde que hablamos en agosto" in keep


@pytest.mark.parametrize(
    ("today", "when"),
    [
        ("2026-11-18", "hoy"),
        ("2026-11-19", "ayer"),
        ("2026-11-23", "el miércoles"),
        ("2026-12-02", "el 18 de noviembre"),
    ],
)
def test_thank_you_says_when_the_way_spanish_does(run: Run, today: str, when: str) -> None:
    texts = drafts_of(run("draft", "thank-you", MADRID, "--pack", PACK, "--today", today, "--to", "Elena"))
    assert f"por dedicarme tu tiempo {when} para hablar del puesto" in texts[0]


def test_no_today_or_yesterday_before_the_interview(run: Run) -> None:
    for tone in TONES:
        for text in drafts_of(
            run("draft", "thank-you", MADRID, "--pack", PACK, "--today", "2026-11-17", "--tone", tone)
        ):
            assert not re.search(r"\b(hoy|ayer)\b", text), text
            assert "18 de noviembre" in text


def test_notes_words_start_lower_case_mid_sentence(run: Run) -> None:
    [elena] = drafts_of(draft(run, "thank-you", MADRID, "--to", "Elena"))
    assert "sobre la ampliación del centro de salud de Vallecas" in elena  # "La ampliación" in the notes
    [inaki] = drafts_of(draft(run, "thank-you", MADRID, "--to", "Iñaki"))
    assert "sobre las revisiones de modelo de los lunes" in inaki  # "Las revisiones" in the notes
    [article] = drafts_of(draft(run, "article-share", MADRID, "--today", "2026-12-20"))
    assert "me acordé de ti: habla justo de los requisitos BIM" in article


def test_private_notes_stay_out(run: Run) -> None:
    for kind in ("thank-you", "linkedin-invite"):
        for text in drafts_of(run("draft", kind, MADRID, "--pack", PACK, "--today", "2026-11-10", "--to", "Lucía")):
            assert "38" not in text and "expectativas" not in text


# --------------------------------------------------------------------------- the same behaviour as the English


def test_rejection_answers_ruth_in_spanish(run: Run) -> None:
    """Ruth gave her reason and hoped Aisha would apply again: the note thanks her for the one and
    accepts the other; it does not ask for feedback it already has."""
    [note] = drafts_of(draft(run, "thank-you-anyway", ROOT / "samples" / "rejection.yaml"))
    assert note.startswith("Subject: Gracias por tu respuesta\n\nHola, Ruth:\n")
    assert "Gracias por comunicarme la decisión" in note and "personalmente" in note
    assert "Gracias también por explicarme el motivo" in note
    assert "Acepto con gusto tu invitación" in note
    assert "comentario" not in note and "qué podría haber hecho mejor" not in note
    assert "me dedicasteis Dev y tú" in note
    assert "me da pena" not in note.lower()


def test_a_no_from_the_recruiter_in_spanish_is_answered(run: Run) -> None:
    [note] = drafts_of(draft(run, "thank-you-anyway", VALENCIA))
    assert "\nHola, Isabel:\n" in note  # whoever said no
    assert "Gracias también por explicarme el motivo" in note  # "con más experiencia en auditorías IFS"
    assert "Acepto con gusto tu invitación" in note  # "te tendremos en cuenta para futuras vacantes"
    assert "me dedicasteis Carmen y tú" in note
    assert "qué podría haber hecho mejor" not in note


def test_a_rejection_without_reason_asks_for_feedback(run: Run, write_notes: Callable[..., Path]) -> None:
    text = VALENCIA.read_text(encoding="utf-8").replace(
        "Gracias por tu paciencia. Hemos decidido seguir con otra persona con más experiencia\n"
        "      en auditorías IFS, pero nos gustó mucho tu perfil y te tendremos en cuenta para\n"
        "      futuras vacantes.",
        "Gracias por tu paciencia. Lo siento, pero hemos decidido seguir con otra candidatura.",
    )
    assert text != VALENCIA.read_text(encoding="utf-8")
    [note] = drafts_of(draft(run, "thank-you-anyway", write_notes(text)))
    assert note.startswith("Subject: Gracias, y una petición de comentarios\n")
    assert "qué podría haber hecho mejor" in note
    assert "Me encantaría que me tuvierais en cuenta para futuras vacantes" in note


def test_check_in_on_the_asked_day_does_not_also_quote_the_request(run: Run) -> None:
    """Asked to write on Monday the 30th: the check-in says it does, and doesn't quote "escríbeme el lunes 30"."""
    for notes in (BARCELONA, ROOT / "samples" / "follow-up-on-date.yaml"):
        [note] = drafts_of(run("draft", "check-in", notes, "--pack", PACK, "--today", "2026-11-30"))
        assert "Me pediste que te escribiera el lunes 30 de noviembre, así que aquí estoy." in note
        assert "Escríbeme" not in note and "Write to me" not in note
        assert "«" not in note


def test_native_speaker_fixes(run: Run) -> None:
    texts = [
        *drafts_of(draft(run, "check-in", MADRID, "--today", "2026-12-01")),
        *drafts_of(draft(run, "keep-in-touch", VALENCIA, "--today", "2027-02-11")),
        *drafts_of(draft(run, "thank-you-anyway", VALENCIA)),
        *drafts_of(draft(run, "thank-you", MADRID)),
    ]
    joined = "\n".join(texts)
    assert "estés teniendo una buena semana" not in joined
    assert "Espero que te haya ido muy bien desde que nos conocimos en octubre" in joined
    assert "me da pena" not in joined.lower()
    for text in texts:
        assert len(re.findall(r"\bmuch[oa]s?\b", text, re.I)) <= 3, text
        assert not re.search(r"\b(interesad|encantad|estimad)[oa]\b", text, re.I), text  # no guessed gender


def test_formal_tone_is_usted_throughout_and_warm_is_tu(run: Run) -> None:
    for text in drafts_of(draft(run, "thank-you", MADRID, "--tone", "formal")):
        assert text.split("\n\n")[1].startswith("Buenos días, ")
        assert "Atentamente," in text
        assert not re.search(r"\b(tu|tus|te|contigo|ti|necesitas|dímelo)\b", body(text, "thank-you")), text
    for text in drafts_of(draft(run, "thank-you", MADRID)):
        assert not re.search(r"\b(usted|le agradezco|su disposición)\b", text, re.I), text
