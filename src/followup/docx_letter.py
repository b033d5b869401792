"""DOCX letters without python-docx: a letter package built once per run, two small parts per letter.

A `LetterPackage` holds every part of a letter but its text: content types, relationships,
styles and settings (ours, or a pack letterhead's with its header, footer, images, page size
and margins), each compressed once. A letter then costs one `word/document.xml` and one
`docProps/core.xml`, zipped in a fixed order with fixed timestamps, so the same letter always
gives the same bytes.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from followup.errors import PackError, Problem

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
CORE_PROPERTIES = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
CORE_TYPE = "application/vnd.openxmlformats-package.core-properties+xml"
STYLES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"
DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
TEMPLATE_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"

# The letter's own paragraph styles: name, space before (points), keep with the next paragraph.
LETTER_STYLES: tuple[tuple[str, int, bool], ...] = (
    ("Sender", 0, False),
    ("Letter Date", 12, False),
    ("Closing", 6, True),  # the closing stays on the page with the signature
    ("Signature", 30, False),
)
# A pack's two-letter language, as the region-qualified tag Word's proofing tools expect.
LANGUAGE_TAGS = {"en": "en-US", "es": "es-ES", "fr": "fr-FR", "de": "de-DE", "pt": "pt-PT", "it": "it-IT"}

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;"})
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01, the earliest a zip can say: no clock in the bytes
_BODY_MARK = "FOLLOWUP-LETTER-BODY-9f2c4e"


class Paragraph(NamedTuple):
    """One paragraph of a letter: a style name (None for the default) and its lines."""

    style: str | None
    lines: Sequence[str]


class Properties(NamedTuple):
    """A letter's core properties: its title, author and date."""

    title: str | None = None
    author: str | None = None
    day: date | None = None


def language_tag(language: str) -> str:
    """A pack's language as a document language: "en" -> "en-US", "es" -> "es-ES"; "en-GB" stays."""
    return LANGUAGE_TAGS.get(language.lower(), language)


def xml_text(text: str) -> str:
    """Text made safe for XML: characters XML cannot hold become U+FFFD, markup is escaped."""
    return _NOT_XML.sub("\ufffd", text).translate(_ESCAPES)


# --------------------------------------------------------------------------- the zip


@dataclass(frozen=True)
class _Entry:
    """One part of the package, compressed once: its name, CRC, sizes and deflated bytes."""

    name: str
    crc: int
    size: int
    data: bytes

    @classmethod
    def of(cls, name: str, content: bytes) -> _Entry:
        deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
        data = deflate.compress(content) + deflate.flush()
        return cls(name, zlib.crc32(content), len(content), data)


def _zip(entries: Iterable[_Entry]) -> bytes:
    """A zip archive of entries as they are, in order, dated 1980-01-01 (deterministic bytes)."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    count = 0
    for entry in entries:
        name = entry.name.encode("utf-8")
        flags = 0x800 if not entry.name.isascii() else 0  # bit 11: the name is UTF-8
        fields = (20, flags, 8, 0, _DOS_DATE, entry.crc, len(entry.data), entry.size, len(name))
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + name
        central.append(
            struct.pack("<IH", 0x02014B50, 20) + struct.pack("<HHHHHIIIHHHHHII", *fields, 0, 0, 0, 0, 0, offset) + name
        )
        out += (local, entry.data)
        offset += len(local) + len(entry.data)
        count += 1
    directory = b"".join(central)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), offset, 0)
    return b"".join(out) + directory + end


# --------------------------------------------------------------------------- the package


@dataclass(frozen=True)
class LetterPackage:
    """Everything of a letter but its text, ready to be zipped around each letter's two parts."""

    parts: tuple[_Entry | str, ...]  # a str is the name of a part made per letter (document or core)
    document_name: str
    core_name: str
    document_head: str  # the document part up to its body's content
    document_tail: str  # the body's section properties (page, margins, header, footer) and the end
    paragraph_tag: str  # "<w:p>", declaring w: where the document part binds it to something else
    style_ids: dict[str, str]  # style name -> style id, for the letter's styles
    language: str  # e.g. "en-US"

    def letter(self, paragraphs: Iterable[Paragraph], properties: Properties) -> bytes:
        """The bytes of one .docx letter."""
        document = self.document_head + "".join(map(self._paragraph, paragraphs)) + self.document_tail
        made = {self.document_name: document.encode("utf-8"), self.core_name: _core_xml(properties, self.language)}
        return _zip(part if isinstance(part, _Entry) else _Entry.of(part, made[part]) for part in self.parts)

    def _paragraph(self, paragraph: Paragraph) -> str:
        properties = ""
        if paragraph.style is not None and paragraph.style in self.style_ids:
            properties = f'<w:pStyle w:val="{xml_text(self.style_ids[paragraph.style])}"/>'
        if paragraph.style == "Closing":  # also when a letterhead brings its own Closing style
            properties += "<w:keepNext/><w:keepLines/>"
        elif paragraph.style == "Signature":
            properties += "<w:keepLines/>"
        runs: list[str] = []
        for i, line in enumerate(paragraph.lines):
            if i:
                runs.append("<w:br/>")
            for j, part in enumerate(line.split("\t")):
                if j:
                    runs.append("<w:tab/>")
                if part:
                    runs.append(f'<w:t xml:space="preserve">{xml_text(part)}</w:t>')
        head = f"{self.paragraph_tag}<w:pPr>{properties}</w:pPr>" if properties else self.paragraph_tag
        return f'{head}<w:r><w:rPr><w:lang w:val="{xml_text(self.language)}"/></w:rPr>{"".join(runs)}</w:r></w:p>'


def package(letterhead: Path | None, language: str) -> LetterPackage:
    """The letter package for a letterhead (or our own) and a pack language, built once per run."""
    if letterhead is None:
        return _own_package(language_tag(language))
    stat = letterhead.stat()
    return _letterhead_package(letterhead, stat.st_mtime_ns, stat.st_size, language_tag(language))


def _core_xml(properties: Properties, language: str) -> bytes:
    items = []
    if properties.title:
        items.append(f"<dc:title>{xml_text(properties.title)}</dc:title>")
    if properties.author:
        author = xml_text(properties.author)
        items.append(f"<dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy>")
    items.append(f"<dc:language>{xml_text(language)}</dc:language>")
    if properties.day is not None:
        # Noon UTC: the letter's day in every time zone a reader might be in.
        when = f"{properties.day.isoformat()}T12:00:00Z"
        for name in ("created", "modified"):
            items.append(f'<dcterms:{name} xsi:type="dcterms:W3CDTF">{when}</dcterms:{name}>')
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
        ' xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"{''.join(items)}</cp:coreProperties>"
    ).encode()


def _letter_style(style_id: str, name: str, based_on: str, space_before: int, keep: bool) -> str:
    """One of the letter's paragraph styles, as a w:style element (the w: prefix bound by the caller)."""
    keeps = "<w:keepNext/><w:keepLines/>" if keep else ""
    return (
        f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{xml_text(style_id)}"><w:name w:val="{name}"/>'
        f'<w:basedOn w:val="{xml_text(based_on)}"/>'
        f'<w:pPr>{keeps}<w:spacing w:before="{space_before * 20}"/></w:pPr></w:style>'
    )


# --------------------------------------------------------------------------- our own letter template

_XML = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
_OWN_CONTENT_TYPES = (
    f'{_XML}<Types xmlns="{CONTENT_TYPES}">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{DOCUMENT_TYPE}"/>'
    f'<Override PartName="/word/styles.xml" ContentType="{STYLES_TYPE}"/>'
    '<Override PartName="/word/settings.xml"'
    ' ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    f'<Override PartName="/docProps/core.xml" ContentType="{CORE_TYPE}"/>'
    "</Types>"
)
_OWN_RELS = (
    f'{_XML}<Relationships xmlns="{PKG_RELS}">'
    f'<Relationship Id="rId1" Type="{OFFICE_DOCUMENT}" Target="word/document.xml"/>'
    f'<Relationship Id="rId2" Type="{CORE_PROPERTIES}" Target="docProps/core.xml"/>'
    "</Relationships>"
)
_OWN_DOCUMENT_RELS = (
    f'{_XML}<Relationships xmlns="{PKG_RELS}">'
    f'<Relationship Id="rId1" Type="{STYLES}" Target="styles.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings"'
    ' Target="settings.xml"/>'
    "</Relationships>"
)
_OWN_SETTINGS = (
    f'{_XML}<w:settings xmlns:w="{W}"><w:defaultTabStop w:val="720"/>'
    '<w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode"'
    ' w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>'
)
_GEORGIA = '<w:rFonts w:ascii="Georgia" w:hAnsi="Georgia" w:cs="Georgia"/><w:sz w:val="22"/><w:szCs w:val="22"/>'
_SPACING = '<w:spacing w:after="200" w:line="276" w:lineRule="auto"/>'  # 10 pt after, 1.15 lines
# US Letter with 2.5 cm (1417 twips) margins all round, as python-docx's default page had.
_OWN_SECTION = (
    '<w:sectPr><w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1417" w:right="1417" w:bottom="1417"'
    ' w:left="1417" w:header="720" w:footer="720" w:gutter="0"/><w:cols w:space="720"/>'
    '<w:docGrid w:linePitch="360"/></w:sectPr>'
)


def _own_styles(language: str) -> str:
    language = xml_text(language)
    letter_styles = "".join(
        _letter_style(name.replace(" ", ""), name, "Normal", before, keep) for name, before, keep in LETTER_STYLES
    )
    return (
        f'{_XML}<w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault><w:rPr>{_GEORGIA}'
        f'<w:lang w:val="{language}" w:eastAsia="{language}" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        f"<w:pPrDefault><w:pPr>{_SPACING}</w:pPr></w:pPrDefault></w:docDefaults>"
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
        f"<w:pPr>{_SPACING}</w:pPr><w:rPr>{_GEORGIA}</w:rPr></w:style>"
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/>'
        f"</w:style>{letter_styles}</w:styles>"
    )


@lru_cache(maxsize=8)
def _own_package(language: str) -> LetterPackage:
    parts: list[_Entry | str] = [
        _Entry.of("[Content_Types].xml", _OWN_CONTENT_TYPES.encode()),
        _Entry.of("_rels/.rels", _OWN_RELS.encode()),
        "docProps/core.xml",
        "word/document.xml",
        _Entry.of("word/_rels/document.xml.rels", _OWN_DOCUMENT_RELS.encode()),
        _Entry.of("word/styles.xml", _own_styles(language).encode()),
        _Entry.of("word/settings.xml", _OWN_SETTINGS.encode()),
    ]
    return LetterPackage(
        parts=tuple(parts),
        document_name="word/document.xml",
        core_name="docProps/core.xml",
        document_head=f'{_XML}<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>',
        document_tail=f"{_OWN_SECTION}</w:body></w:document>",
        paragraph_tag="<w:p>",
        style_ids={name: name.replace(" ", "") for name, _, _ in LETTER_STYLES},
        language=language,
    )


# --------------------------------------------------------------------------- a pack's letterhead


@lru_cache(maxsize=8)
def _letterhead_package(path: Path, mtime_ns: int, size: int, language: str) -> LetterPackage:
    """A letterhead's package: its parts as they are, its body dropped, the letter styles added."""
    import zipfile

    from lxml import etree  # type: ignore[import-untyped]

    try:
        with zipfile.ZipFile(path) as archive:
            names = [info.filename for info in archive.infolist() if not info.is_dir()]
            content = {name: archive.read(name) for name in names}
        return _read_letterhead(names, content, language)
    except KeyError as err:
        raise PackError(path, [Problem(f"not a usable DOCX letterhead: it has no {err.args[0]}")]) from err
    except (OSError, zipfile.BadZipFile, ValueError, etree.LxmlError) as err:
        raise PackError(path, [Problem(f"not a usable DOCX letterhead: {err}")]) from err


def _read_letterhead(names: list[str], content: dict[str, bytes], language: str) -> LetterPackage:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)

    def parse(name: str) -> Any:
        return etree.fromstring(content[name], parser)

    def serialize(root: Any) -> bytes:
        return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))

    types, package_rels = parse("[Content_Types].xml"), parse("_rels/.rels")
    document_name = _target(package_rels, OFFICE_DOCUMENT, "")
    if document_name is None or document_name not in content:
        raise ValueError("it has no main document")
    _as_a_document(types, document_name)
    content["[Content_Types].xml"] = serialize(types)
    folder, _, base = document_name.rpartition("/")
    rels_name = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
    document_rels = parse(rels_name) if rels_name in content else etree.Element(f"{{{PKG_RELS}}}Relationships")

    core_name = _target(package_rels, CORE_PROPERTIES, "")
    if core_name is None:  # a letterhead without core properties: give it some
        core_name = "docProps/core.xml"
        _add(package_rels, "Relationship", Id=_free_id(package_rels), Type=CORE_PROPERTIES, Target=core_name)
        content["_rels/.rels"] = serialize(package_rels)
    if not _has_override(types, core_name):
        _add(types, "Override", PartName="/" + core_name, ContentType=CORE_TYPE)
        content["[Content_Types].xml"] = serialize(types)

    styles_name = _target(document_rels, STYLES, folder)
    if styles_name is None:  # no styles part: bring ours
        styles_name = f"{folder}/styles.xml" if folder else "styles.xml"
        target = styles_name[len(folder) + 1 :] if folder else styles_name
        _add(document_rels, "Relationship", Id=_free_id(document_rels), Type=STYLES, Target=target)
        content[rels_name] = serialize(document_rels)
    if styles_name not in content:
        if not _has_override(types, styles_name):
            _add(types, "Override", PartName="/" + styles_name, ContentType=STYLES_TYPE)
            content["[Content_Types].xml"] = serialize(types)
        content[styles_name] = _own_styles(language).encode()
    styles = parse(styles_name)
    style_ids = _letter_style_ids(styles, language)
    content[styles_name] = serialize(styles)

    document = parse(document_name)
    body = document.find(f"{{{W}}}body")
    if body is None:
        raise ValueError("its document has no body")
    section = body[-1] if len(body) and body[-1].tag == f"{{{W}}}sectPr" else None
    for child in list(body):  # keep page size, margins, header and footer; drop the body
        if child is not section:
            body.remove(child)
    body.text = _BODY_MARK
    text = serialize(document).decode("utf-8")
    head, _, tail = text.partition(_BODY_MARK)
    binds_w = document.nsmap.get("w") == W

    added = (n for n in (core_name, rels_name, styles_name) if n not in names and (n == core_name or n in content))
    ordered = [*names, *added]
    ordered.sort(key=lambda name: name != "[Content_Types].xml")  # readers look for it first
    parts = [name if name in (document_name, core_name) else _Entry.of(name, content[name]) for name in ordered]
    return LetterPackage(
        parts=tuple(parts),
        document_name=document_name,
        core_name=core_name,
        document_head=head,
        document_tail=tail,
        paragraph_tag="<w:p>" if binds_w else f'<w:p xmlns:w="{W}">',
        style_ids=style_ids,
        language=language,
    )


def _as_a_document(types: Any, document_name: str) -> None:
    """Check that the main part is a Word document; a letterhead saved as a template (.dotx) becomes one."""
    for override in types.iter(f"{{{CONTENT_TYPES}}}Override"):
        if (override.get("PartName") or "").lower() == "/" + document_name.lower():
            kind = override.get("ContentType")
            if kind == TEMPLATE_TYPE:
                override.set("ContentType", DOCUMENT_TYPE)
            elif kind != DOCUMENT_TYPE:
                raise ValueError(f"its main part is {kind}, not a Word document (save it as .docx, without macros)")
            return
    raise ValueError("its main part has no content type")


def _letter_style_ids(styles: Any, language: str) -> dict[str, str]:
    """The ids of the letter's styles in a letterhead's styles part, adding those it lacks (in place)."""
    from lxml import etree

    w = f"{{{W}}}"
    paragraph_styles: dict[str, str] = {}
    taken: set[str] = set()
    default = "Normal"
    for style in styles.iter(f"{w}style"):
        style_id = style.get(f"{w}styleId") or ""
        taken.add(style_id)
        name = style.find(f"{w}name")
        if style.get(f"{w}type") == "paragraph":
            if name is not None and name.get(f"{w}val"):
                paragraph_styles.setdefault(name.get(f"{w}val"), style_id)
            if style.get(f"{w}default") in ("1", "true", "on"):
                default = style_id
    ids: dict[str, str] = {}
    for name, before, keep in LETTER_STYLES:
        if name in paragraph_styles:  # a letterhead may define its own
            ids[name] = paragraph_styles[name]
            continue
        style_id, n = name.replace(" ", ""), 1
        while style_id in taken:
            n += 1
            style_id = f"{name.replace(' ', '')}{n}"
        taken.add(style_id)
        xml = _letter_style(style_id, name, default, before, keep).replace("<w:style ", f'<w:style xmlns:w="{W}" ', 1)
        styles.append(etree.fromstring(xml))
        ids[name] = style_id
    r_pr = styles.find(f"{w}docDefaults/{w}rPrDefault/{w}rPr")
    if r_pr is not None:  # new text typed into the letter is in the pack's language too
        lang = r_pr.find(f"{w}lang")
        if lang is None:
            lang = etree.SubElement(r_pr, f"{w}lang")
        lang.set(f"{w}val", language)
    return ids


def _target(rels: Any, kind: str, folder: str) -> str | None:
    """The part a relationship of this kind points to, as a name inside the zip."""
    for rel in rels.iter(f"{{{PKG_RELS}}}Relationship"):
        if rel.get("Type") == kind and rel.get("TargetMode") != "External":
            target = str(rel.get("Target") or "")
            if target.startswith("/"):
                return target[1:]
            parts: list[str] = folder.split("/") if folder else []
            for piece in target.split("/"):
                if piece == "..":
                    if parts:
                        parts.pop()
                elif piece not in ("", "."):
                    parts.append(piece)
            return "/".join(parts)
    return None


def _has_override(types: Any, name: str) -> bool:
    wanted = "/" + name.lower()
    return any((o.get("PartName") or "").lower() == wanted for o in types.iter(f"{{{CONTENT_TYPES}}}Override"))


def _add(root: Any, tag: str, **attributes: str) -> None:
    from lxml import etree

    namespace = etree.QName(root).namespace
    etree.SubElement(root, f"{{{namespace}}}{tag}", attrib=attributes)


def _free_id(rels: Any) -> str:
    ids = {rel.get("Id") for rel in rels}
    n = 1
    while f"rIdFollowup{n}" in ids:
        n += 1
    return f"rIdFollowup{n}"
