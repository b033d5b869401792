"""The floor and the peers' side of the benchmark: run by bench.py with the benchmark venv's Python.

    work.py floor-text NOTES_DIR              notes -> thank-you text on stdout
    work.py floor-files NOTES_DIR OUT         notes -> one text file per draft
    work.py floor-docx NOTES_DIR OUT          notes -> one python-docx letter per draft
    work.py floor-ics NOTES_DIR OUT.ics       notes -> one calendar of thank-you dates
    work.py docxtpl TEMPLATE.docx NOTES_DIR OUT   notes -> one docxtpl letter per draft
    work.py docxtpl-template OUT.docx         make docxtpl's letter template
    work.py mailmerge-data NOTES_DIR OUT_DIR  mailmerge's template and CSV (one row per draft)

The floor is CSafeLoader plus one compiled Jinja template, with no validation: the least a
tool could do for the same output.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import yaml

SUBJECT = "Thank you for the {{ role }} interview"
BODY = """\
Dear {{ first_name }},

Thank you for taking the time to speak with me today about the {{ role }} role at {{ company }}. \
I especially enjoyed our conversation about {{ topic }}.

It was also a pleasant surprise to find that {{ connection }}.

I'm excited about everything I heard and would welcome the next step. Please let me know if there \
is anything else I can send you in the meantime.

Warm regards,
{{ candidate }}
{{ email }}"""
TEXT = jinja2.Environment(autoescape=False).from_string(f"Subject: {SUBJECT}\n\n{BODY}\n")


def drafts(folder: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(file stem, template values) for each interviewer of each notes file's latest round."""
    for path in sorted(folder.glob("*.yaml")):
        notes = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        round_ = notes["interviews"][-1]
        for person in round_["interviewers"]:
            yield (
                f"{path.stem}-{person['name'].split()[-1].lower()}",
                {
                    "first_name": person["name"].split()[0],
                    "name": person["name"],
                    "title": person.get("title", ""),
                    "role": notes["role"],
                    "company": notes["company"]["name"],
                    "topic": (person.get("discussed") or ["the role"])[0],
                    "connection": person.get("connection", "we share interests"),
                    "candidate": notes["candidate"]["name"],
                    "email": notes["candidate"].get("email", ""),
                    "address": notes["candidate"].get("address", ""),
                    "date": str(round_["date"]),
                },
            )


def floor_text(folder: Path) -> None:
    out = sys.stdout
    for _, values in drafts(folder):
        out.write(TEXT.render(values))
        out.write("\n" + "-" * 72 + "\n\n")


def floor_files(folder: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for stem, values in drafts(folder):
        (out / f"{stem}.txt").write_text(TEXT.render(values), encoding="utf-8")


def floor_docx(folder: Path, out: Path) -> None:
    import docx

    out.mkdir(parents=True, exist_ok=True)
    for stem, values in drafts(folder):
        document = docx.Document()
        for paragraph in TEXT.render(values).split("\n\n")[1:]:
            document.add_paragraph(paragraph)
        document.save(str(out / f"{stem}.docx"))


def floor_ics(folder: Path, out: Path) -> None:
    events = []
    for stem, values in drafts(folder):
        day = values["date"].replace("-", "")
        events.append(
            f"BEGIN:VEVENT\r\nUID:{stem}@bench\r\nDTSTAMP:{day}T090000Z\r\nDTSTART;VALUE=DATE:{day}\r\n"
            f"SUMMARY:thank-you to {values['name']}\r\nEND:VEVENT\r\n"
        )
    calendar = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//floor//EN\r\n" + "".join(events) + "END:VCALENDAR\r\n"
    )
    out.write_text(calendar, encoding="utf-8", newline="")


def docxtpl_template(out: Path) -> None:
    import docx

    document = docx.Document()
    for text in ("{{ candidate }}\n{{ address }}\n{{ email }}", "{{ date }}", "{{ name }}\n{{ title }}\n{{ company }}"):
        document.add_paragraph(text)
    for paragraph in BODY.split("\n\n"):
        document.add_paragraph(paragraph)
    document.save(str(out))


def docxtpl_letters(template: Path, folder: Path, out: Path) -> None:
    from docxtpl import DocxTemplate

    out.mkdir(parents=True, exist_ok=True)
    for stem, values in drafts(folder):  # one letter per draft, as docxtpl is used
        letter = DocxTemplate(str(template))
        letter.render(values)
        letter.save(str(out / f"{stem}.docx"))


def mailmerge_data(folder: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    rows = [values for _, values in drafts(folder)]
    with (out / "database.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    header = (
        f"TO: {{{{ name }}}} <person@example.org>\nSUBJECT: {SUBJECT}\nFROM: {{{{ candidate }}}} <{{{{ email }}}}>\n\n"
    )
    (out / "template.txt").write_text(header + BODY + "\n", encoding="utf-8")
    (out / "server.conf").write_text("[smtp_server]\nhost = localhost\nport = 25\n", encoding="utf-8")


def main() -> None:
    command, *args = sys.argv[1:]
    paths = [Path(a) for a in args]
    {
        "floor-text": floor_text,
        "floor-files": floor_files,
        "floor-docx": floor_docx,
        "floor-ics": floor_ics,
        "docxtpl": docxtpl_letters,
        "docxtpl-template": docxtpl_template,
        "mailmerge-data": mailmerge_data,
    }[command](*paths)


if __name__ == "__main__":
    main()
