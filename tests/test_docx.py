"""The lean DOCX writer: the same letters as the python-docx writer it replaced, deterministic bytes,
a pack's letterhead carried over, core properties and language, and the closing kept with the signature."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import Result
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Cm, Mm, Pt
from tests.conftest import SAMPLE_FILES, SAMPLES

from followup import notes, packs, render
from followup.errors import SelectionError

Run = Callable[..., Result]
TODAY = date(2026, 12, 15)
SPANISH = SAMPLES / "packs" / "es"
BUILTIN_KINDS = sorted(packs.builtin_pack().kinds)


# --------------------------------------------------------------------------- the writer it replaced


def reference_docx(draft: render.Draft, *, letter_date: str, letterhead: Path | None = None) -> bytes:
    """The python-docx writer as it was before the lean one, kept here to compare against."""
    _NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
    if letterhead is not None:
        doc = docx.Document(str(letterhead))
        body = doc.element.body
        for child in list(body):
            if not child.tag.endswith("}sectPr"):
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
        if name not in styles:
            style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = doc.styles["Normal"]
            style.paragraph_format.space_before = Pt(space_before)

    def paragraph(lines: Iterable[str], style: str | None = None) -> None:
        run = doc.add_paragraph(style=style).add_run()
        for i, line in enumerate(lines):
            if i:
                run.add_break()
            for j, part in enumerate(_NOT_XML.sub("\ufffd", line).split("\t")):
                if j:
                    run.add_tab()
                if part:
                    run.add_text(part)

    paragraphs = list(draft.paragraphs)
    letter = draft.letter
    if draft.channel == "email" and letter is not None:
        paragraph(letter.sender_lines, style="Sender")
        paragraph([letter_date], style="Letter Date")
        paragraph(letter.recipient_lines)
        closing = paragraphs.pop().split("\n") if len(paragraphs) > 1 else []
        for text in paragraphs:
            paragraph(text.split("\n"))
        if closing:
            paragraph(closing[:1], style="Closing")
            paragraph(closing[1:], style="Signature")
    else:
        for text in paragraphs:
            paragraph(text.split("\n"))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def structure(document: Any) -> dict[str, Any]:
    """What a reader sees of a letter: paragraphs (style, text, runs), the page, and the letter's styles."""
    section = document.sections[0]
    styles = {s.name: s for s in document.styles}
    return {
        "paragraphs": [(p.style.name, p.text, len(p.runs)) for p in document.paragraphs],
        # python-docx rounds 2.5 cm to whole twips: compare the page to the twip
        "page": [
            round(x / 635)
            for x in (
                section.page_width,
                section.page_height,
                section.top_margin,
                section.bottom_margin,
                section.left_margin,
                section.right_margin,
            )
        ],
        "header": [p.text for p in section.header.paragraphs] if not section.header.is_linked_to_previous else None,
        "footer": [p.text for p in section.footer.paragraphs] if not section.footer.is_linked_to_previous else None,
        "normal": (
            styles["Normal"].font.name,
            styles["Normal"].font.size,
            styles["Normal"].paragraph_format.space_after,
            styles["Normal"].paragraph_format.line_spacing,
        ),
        "letter styles": {
            name: (getattr(styles[name].base_style, "name", None), styles[name].paragraph_format.space_before)
            for name in ("Sender", "Letter Date", "Closing", "Signature")
        },
        "sections": len(document.sections),
    }


def rendered(pack: packs.Pack, kind: str, notes_path: Path) -> list[render.Draft] | None:
    """The drafts the CLI makes for kind from notes_path, or None when this kind does not apply to them."""
    try:
        return render.render(pack, kind, notes.load(notes_path), today=TODAY, output_format="docx")
    except SelectionError:
        return None


def compare_with_reference(
    run: Run, tmp_path: Path, pack_option: list[str], pack: packs.Pack, sample: Path
) -> tuple[int, set[str]]:
    """Draft every kind as DOCX through the CLI; compare each letter with the old writer's. (letters, kinds skipped)"""
    compared, skipped = 0, set()
    for kind in sorted(pack.kinds):
        drafts = rendered(pack, kind, sample)
        out = tmp_path / kind
        result = run("draft", kind, sample, *pack_option, "--format", "docx", "-o", out, "--today", TODAY.isoformat())
        if drafts is None:  # e.g. no referrer: the CLI says so too, and writes nothing
            assert result.exit_code == 1 and result.stderr.startswith("Error: "), (kind, result.stderr)
            assert not out.exists() or not any(out.iterdir())
            skipped.add(kind)
            continue
        assert result.exit_code == 0, (kind, result.stderr)
        letter_date = pack.language.format_date(TODAY)
        lean = sorted(repr(structure(docx.Document(str(file)))) for file in out.iterdir())
        old = sorted(
            repr(
                structure(
                    docx.Document(io.BytesIO(reference_docx(d, letter_date=letter_date, letterhead=pack.letterhead)))
                )
            )
            for d in drafts
        )
        assert lean == old, kind  # the same letters, whatever the files are called
        compared += len(drafts)
    return compared, skipped


# --------------------------------------------------------------------------- the same letters as before


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=[p.stem for p in SAMPLE_FILES])
def test_every_kind_on_every_sample_matches_the_old_writer(run: Run, tmp_path: Path, sample: Path) -> None:
    compared, skipped = compare_with_reference(run, tmp_path, [], packs.builtin_pack(), sample)
    assert skipped <= {"referrer-update", "article-share"}  # no referrer, or no article, in these notes
    assert compared >= len(BUILTIN_KINDS) - len(skipped)


def test_the_spanish_pack_matches_the_old_writer(run: Run, tmp_path: Path) -> None:
    sample = SAMPLES / "panel-with-referrer.yaml"
    pack = packs.find_pack(str(SPANISH))
    compared, skipped = compare_with_reference(run, tmp_path, ["--pack", str(SPANISH)], pack, sample)
    assert compared >= 12 and skipped <= {"article-share"}  # this sample shared its only article


def write_letterhead(path: Path, *, closing_style: bool = False) -> None:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Cm(4), Cm(3)
    section.left_margin, section.right_margin = Cm(3.5), Cm(2)
    section.header.paragraphs[0].text = "ACME LETTERHEAD"
    section.footer.paragraphs[0].text = "ACME Ltd - 1 Road Runner Way"
    document.styles["Normal"].font.name = "Courier New"
    if closing_style:  # a letterhead with its own Closing style: it is used, not replaced
        style = document.styles.add_style("Closing", WD_STYLE_TYPE.PARAGRAPH)
        style.paragraph_format.space_before = Pt(18)
    document.add_paragraph("Placeholder body text from the letterhead")
    document.save(str(path))


@pytest.mark.parametrize("closing_style", [False, True])
def test_a_letterhead_gives_the_same_letter_as_the_old_writer(
    run: Run, tmp_path: Path, closing_style: bool, make_pack: Callable[[Path], Path]
) -> None:
    pack_dir = make_pack(tmp_path / "mypack")
    write_letterhead(pack_dir / "letterhead.docx", closing_style=closing_style)
    pack = packs.find_pack(str(pack_dir))
    sample = SAMPLES / "panel-with-referrer.yaml"
    compared, skipped = compare_with_reference(run, tmp_path / "out", ["--pack", str(pack_dir)], pack, sample)
    assert compared >= 12 and skipped <= {"article-share"}  # this sample shared its only article
    letter = docx.Document(str(next((tmp_path / "out" / "thank-you").iterdir())))
    section = letter.sections[0]
    assert [p.text for p in section.header.paragraphs] == ["ACME LETTERHEAD"]
    assert [p.text for p in section.footer.paragraphs] == ["ACME Ltd - 1 Road Runner Way"]
    assert [round(x / 635) for x in (section.page_width, section.left_margin)] == [
        round(Mm(210) / 635),
        round(Cm(3.5) / 635),
    ]
    assert letter.styles["Normal"].font.name == "Courier New"
    assert letter.styles["Closing"].paragraph_format.space_before == Pt(18 if closing_style else 6)
    assert not any("Placeholder" in p.text for p in letter.paragraphs)


@pytest.fixture
def make_pack() -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        folder.mkdir(parents=True)
        (folder / "pack.yaml").write_text("name: mine\nversion: 0.1.0\n", encoding="utf-8")
        return folder

    return make


# --------------------------------------------------------------------------- bytes, properties, language


def test_the_same_notes_and_date_give_the_same_bytes(run: Run, tmp_path: Path) -> None:
    sample = SAMPLES / "panel-with-referrer.yaml"
    for out in (tmp_path / "a", tmp_path / "b"):
        result = run("draft", "thank-you", sample, "--format", "docx", "-o", out, "--today", "2026-11-18")
        assert result.exit_code == 0, result.stderr
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert len(files) == 3
    for name in files:
        data = (tmp_path / "a" / name).read_bytes()
        assert data == (tmp_path / "b" / name).read_bytes(), name
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert archive.testzip() is None
            infos = archive.infolist()
            assert infos[0].filename == "[Content_Types].xml"
            assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
            assert not any(b"python-docx" in archive.read(info) for info in infos)
    later = run("draft", "thank-you", sample, "--format", "docx", "-o", tmp_path / "c", "--today", "2026-11-19")
    assert later.exit_code == 0
    assert (tmp_path / "c" / files[0]).read_bytes() != (tmp_path / "a" / files[0]).read_bytes()  # the date is in it


def test_core_properties_name_the_candidate_the_date_and_the_subject(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "letter.docx"
    result = run("draft", "thank-you-anyway", SAMPLES / "rejection.yaml", "-o", out, "--today", "2026-11-17")
    assert result.exit_code == 0, result.stderr
    properties = docx.Document(str(out)).core_properties
    assert properties.author == properties.last_modified_by == "Aisha Bello"
    assert properties.created == properties.modified == datetime(2026, 11, 17, 12, 0, tzinfo=timezone.utc)
    assert properties.title == "Thank you for letting me know"  # Ruth gave her reason: no request for feedback
    assert properties.language == "en-US"
    assert "python-docx" not in (properties.comments or "") + (properties.author or "")


def languages(path: Path) -> tuple[set[str], set[str]]:
    """The w:lang values of a letter's styles part and of its document part."""
    with zipfile.ZipFile(path) as archive:
        found = [
            set(re.findall(r'<w:lang w:val="([^"]+)"', archive.read(part).decode()))
            for part in ("word/styles.xml", "word/document.xml")
        ]
    return found[0], found[1]


def test_the_packs_language_is_the_documents_language(run: Run, tmp_path: Path) -> None:
    sample = SAMPLES / "panel-with-referrer.yaml"
    spanish, english = tmp_path / "es.docx", tmp_path / "en.docx"
    result = run("draft", "check-in", sample, "--pack", SPANISH, "-o", spanish, "--today", "2026-12-02")
    assert result.exit_code == 0, result.stderr
    assert run("draft", "check-in", sample, "-o", english, "--today", "2026-12-02").exit_code == 0
    assert languages(spanish) == ({"es-ES"}, {"es-ES"})
    assert languages(english) == ({"en-US"}, {"en-US"})
    assert docx.Document(str(spanish)).core_properties.language == "es-ES"


def test_a_letterheads_own_language_is_replaced_by_the_packs(run: Run, tmp_path: Path) -> None:
    pack_dir = tmp_path / "mypack"
    pack_dir.mkdir()
    (pack_dir / "pack.yaml").write_text("name: mine\nversion: 0.1.0\nlanguage: en-GB\n", encoding="utf-8")
    write_letterhead(pack_dir / "letterhead.docx")
    out = tmp_path / "x.docx"
    result = run("draft", "check-in", SAMPLES / "panel-with-referrer.yaml", "--pack", pack_dir, "-o", out)
    assert result.exit_code == 0, result.stderr
    styles, document = languages(out)
    assert "en-GB" in styles and document == {"en-GB"}


def test_the_closing_stays_on_the_page_with_the_signature(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "letter.docx"
    assert run("draft", "check-in", SAMPLES / "panel-with-referrer.yaml", "-o", out).exit_code == 0
    paragraphs = docx.Document(str(out)).paragraphs
    closing, signature = paragraphs[-2], paragraphs[-1]
    assert (closing.style.name, signature.style.name) == ("Closing", "Signature")
    assert closing.paragraph_format.keep_with_next and closing.paragraph_format.keep_together
    assert closing.style.paragraph_format.keep_with_next  # in the style too, for lines the user adds
    assert signature.paragraph_format.keep_together


def test_the_company_is_not_named_twice_when_its_address_starts_with_it(
    run: Run, write_notes: Callable[..., Path], tmp_path: Path
) -> None:
    notes_path = write_notes(
        """\
        candidate: {name: Priya Raman}
        company:
          name: Northwind Logistics
          address: |
            Northwind Logistics
            1 Harbour Road
            Chicago, IL 60601
        role: Data Platform Engineer
        interviews:
          - date: 2026-11-18
            interviewers:
              - name: Marcus Okafor
                title: Director of Data Engineering
        """
    )
    out = tmp_path / "letter.docx"
    result = run("draft", "check-in", notes_path, "-o", out, "--today", "2026-12-01")
    assert result.exit_code == 0, result.stderr
    recipient = docx.Document(str(out)).paragraphs[2].text
    assert (
        recipient
        == "Marcus Okafor\nDirector of Data Engineering\nNorthwind Logistics\n1 Harbour Road\nChicago, IL 60601"
    )


def test_phone_and_linkedin_kinds_stay_plain_documents(run: Run, tmp_path: Path) -> None:
    for kind in ("voicemail", "linkedin-invite"):
        out = tmp_path / f"{kind}.docx"
        result = run("draft", kind, SAMPLES / "panel-with-referrer.yaml", "--to", "Marcus", "-o", out)
        assert result.exit_code == 0, result.stderr
        paragraphs = docx.Document(str(out)).paragraphs
        assert {p.style.name for p in paragraphs} == {"Normal"}
        assert "Marcus" in paragraphs[0].text


# --------------------------------------------------------------------------- unusual letterheads


@pytest.mark.parametrize("missing", ["docProps/core.xml", "word/styles.xml"])
def test_a_letterhead_without_core_properties_or_styles_gets_them(run: Run, tmp_path: Path, missing: str) -> None:
    pack_dir = tmp_path / "mypack"
    pack_dir.mkdir()
    (pack_dir / "pack.yaml").write_text("name: mine\nversion: 0.1.0\n", encoding="utf-8")
    write_letterhead(tmp_path / "full.docx")
    word = Path(missing).stem.encode()  # "core" or "styles": its relationship and content type go too
    with zipfile.ZipFile(tmp_path / "full.docx") as source, zipfile.ZipFile(pack_dir / "letterhead.docx", "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == missing:
                continue
            if info.filename.endswith(".rels") or info.filename == "[Content_Types].xml":
                data = re.sub(rb'<(Relationship|Override)[^>]*"[^"]*/' + word + rb'(\.xml)?"[^>]*/>', b"", data)
            out.writestr(info, data)
    letter = tmp_path / "x.docx"
    result = run("draft", "check-in", SAMPLES / "panel-with-referrer.yaml", "--pack", pack_dir, "-o", letter)
    assert result.exit_code == 0, result.stderr
    document = docx.Document(str(letter))
    assert document.core_properties.author == "Priya Raman"
    assert document.sections[0].header.paragraphs[0].text == "ACME LETTERHEAD"
    assert [p.style.name for p in document.paragraphs][:2] == ["Sender", "Letter Date"]
    with zipfile.ZipFile(pack_dir / "letterhead.docx") as archive:
        assert missing not in archive.namelist() and b"/" + word + b".xml" not in archive.read("[Content_Types].xml")
    with zipfile.ZipFile(letter) as archive:
        assert missing in archive.namelist()
    assert run("pack", "check", pack_dir).exit_code == 0


def test_a_zip_that_is_no_word_document_is_a_clear_error(run: Run, tmp_path: Path) -> None:
    pack_dir = tmp_path / "mypack"
    pack_dir.mkdir()
    (pack_dir / "pack.yaml").write_text("name: mine\nversion: 0.1.0\n", encoding="utf-8")
    with zipfile.ZipFile(pack_dir / "letterhead.docx", "w") as archive:
        archive.writestr("hello.txt", "not a letter")
    out = tmp_path / "x.docx"
    result = run("draft", "check-in", SAMPLES / "panel-with-referrer.yaml", "--pack", pack_dir, "-o", out)
    assert result.exit_code == 1
    error = f"Error: {pack_dir / 'letterhead.docx'}: not a usable DOCX letterhead: it has no [Content_Types].xml\n"
    assert result.stderr.endswith(error)
    assert "Traceback" not in result.stderr
    assert not out.exists()
    check = run("pack", "check", pack_dir)
    assert check.exit_code == 1
    assert "not a usable DOCX letterhead" in check.stderr


def test_a_letterhead_saved_as_a_template_makes_documents_and_one_with_macros_is_refused(
    run: Run, tmp_path: Path
) -> None:
    document_type = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    for suffix, main_type, works in (
        ("dotx", b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml", True),
        ("docm", b"application/vnd.ms-word.document.macroEnabled.main+xml", False),
    ):
        pack_dir = tmp_path / suffix
        pack_dir.mkdir()
        (pack_dir / "pack.yaml").write_text("name: mine\nversion: 0.1.0\n", encoding="utf-8")
        write_letterhead(tmp_path / "full.docx")
        with (
            zipfile.ZipFile(tmp_path / "full.docx") as source,
            zipfile.ZipFile(pack_dir / "letterhead.docx", "w") as out,
        ):
            for info in source.infolist():
                data = source.read(info)
                if info.filename == "[Content_Types].xml":
                    data = data.replace(document_type, main_type)
                    assert document_type not in data
                out.writestr(info, data)
        letter = tmp_path / f"{suffix}.docx"
        result = run("draft", "check-in", SAMPLES / "panel-with-referrer.yaml", "--pack", pack_dir, "-o", letter)
        if works:
            assert result.exit_code == 0, result.stderr
            assert docx.Document(str(letter)).sections[0].header.paragraphs[0].text == "ACME LETTERHEAD"
        else:
            assert result.exit_code == 1
            assert "not a Word document (save it as .docx, without macros)" in result.stderr
            assert not letter.exists()
