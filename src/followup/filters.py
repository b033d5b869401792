"""Template filters: dates and lists written the way a pack's language writes them.

Dates never go through the process locale (which differs from machine to machine);
each language below names its months and weekdays, and a pack may override them in
its manifest (`months`, `weekdays`, `date_format`, `and_word`).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from datetime import date, time
from typing import NamedTuple

_MONTHS = {
    "en": "January February March April May June July August September October November December",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
}
_WEEKDAYS = {
    "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
    "es": "lunes martes miércoles jueves viernes sábado domingo",
    "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche",
    "de": "Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag",
    "pt": "segunda-feira terça-feira quarta-feira quinta-feira sexta-feira sábado domingo",
    "it": "lunedì martedì mercoledì giovedì venerdì sabato domenica",
}
_DATE_FORMATS = {
    "en": "{month} {day}, {year}",
    "es": "{day} de {month} de {year}",
    "fr": "{day} {month} {year}",
    "de": "{day}. {month} {year}",
    "pt": "{day} de {month} de {year}",
    "it": "{day} {month} {year}",
}
_SHORT_DATES = {
    "en": "{month} {day}",
    "es": "{day} de {month}",
    "fr": "{day} {month}",
    "de": "{day}. {month}",
    "pt": "{day} de {month}",
    "it": "{day} {month}",
}
# How a day relative to today is said: today, yesterday, on a weekday this week, on a date.
_RELATIVE = {
    "en": ("today", "yesterday", "on {weekday}", "on {date}"),
    "es": ("hoy", "ayer", "el {weekday}", "el {date}"),
    "fr": ("aujourd'hui", "hier", "{weekday}", "le {date}"),
    "de": ("heute", "gestern", "am {weekday}", "am {date}"),
    "pt": ("hoje", "ontem", "na {weekday}", "em {date}"),
    "it": ("oggi", "ieri", "{weekday}", "il {date}"),
}
KNOWN_LANGUAGES = ("en", "es", "fr", "de", "pt", "it")
_AND = {"en": "and", "es": "y", "fr": "et", "de": "und", "pt": "e", "it": "e"}


class Language(NamedTuple):
    """How one language writes dates and lists."""

    code: str
    months: tuple[str, ...]
    weekdays: tuple[str, ...]
    date_format: str
    and_word: str

    @staticmethod
    def knows(code: str) -> bool:
        """Whether dates and lists in this language code ("es", "en-GB") are known without help."""
        return code.split("-")[0].split("_")[0].lower() in _MONTHS

    @classmethod
    def named(
        cls,
        code: str,
        *,
        months: list[str] | None = None,
        weekdays: list[str] | None = None,
        date_format: str | None = None,
        and_word: str | None = None,
    ) -> Language:
        """The language for a code like "es" or "en-GB", with any of its words overridden."""
        base = code.split("-")[0].split("_")[0].lower()
        if base not in _MONTHS:
            base = "en"
        return cls(
            code=code,
            months=tuple(months or _MONTHS[base].split()),
            weekdays=tuple(weekdays or _WEEKDAYS[base].split()),
            date_format=date_format or ("{day} {month} {year}" if code.lower() == "en-gb" else _DATE_FORMATS[base]),
            and_word=and_word or _AND[base],
        )

    def format_date(self, value: date, pattern: str | None = None) -> str:
        """Write a date with a pattern of {day} {month} {year} {weekday} {mm} {dd}."""
        return (pattern or self.date_format).format(
            day=value.day,
            dd=f"{value.day:02d}",
            month=self.months[value.month - 1],
            mm=f"{value.month:02d}",
            year=value.year,
            weekday=self.weekdays[value.weekday()],
        )

    @property
    def base(self) -> str:
        base = self.code.split("-")[0].split("_")[0].lower()
        return base if base in _MONTHS else "en"

    def relative_day(self, value: date, today: date) -> str:
        """A day as said on `today`: "today", "yesterday", "on Tuesday" within a week, else "on November 18".

        A day still to come is never "today" or "yesterday": it is named by its date.
        """
        words = _RELATIVE[self.base]
        days = (today - value).days
        if days == 0:
            return words[0]
        if days == 1:
            return words[1]
        if 1 < days < 7:
            return words[2].format(weekday=self.weekdays[value.weekday()])
        pattern = _SHORT_DATES[self.base] if value.year == today.year else self.date_format
        return words[3].format(date=self.format_date(value, pattern))

    def filters(self) -> dict[str, object]:
        """The filters templates use, bound to this language."""

        def when(value: date, today: date) -> str:
            return self.relative_day(value, today)

        def date_filter(value: date, pattern: str | None = None) -> str:
            return self.format_date(value, pattern)

        def weekday(value: date) -> str:
            return self.weekdays[value.weekday()]

        def join_and(items: Iterable[object], last: str | None = None) -> str:
            words = [str(i) for i in items]
            if last is None and self.base == "es" and words and _SPANISH_E.match(words[-1]):
                return join_words(words, "e")  # "Marta e Isabel", not "Marta y Isabel"
            return join_words(words, last or self.and_word)

        return {
            "date": date_filter,
            "when": when,
            "mid": mid_es if self.base == "es" else mid,
            "weekday": weekday,
            "join_and": join_and,
            "clock": clock,
            "sentence": sentence,
            "lowerfirst": lowerfirst,
            "clause": clause,
            "first_name": first_name,
            "last_name": last_name,
        }


def mid(text: str) -> str:
    """Text for use mid-sentence: trimmed, no closing full stop, an ordinary first word in lower case."""
    from followup.wording import mid as words_mid

    return words_mid(text)


# Spanish words that are lowered mid-sentence when they start a note: articles, determiners,
# prepositions, pronouns, question words and the verbs that open a note on an article
# ("Habla justo de…"). Anything else (names such as "Valdebebas",
# "Revit", "Ruiz & Asociados") keeps its capital.
_SPANISH_ORDINARY_WORDS = """
    el la los las lo un una unos unas mi mis tu tus su sus nuestro nuestra nuestros nuestras vuestro vuestra
    vuestros vuestras este esta estos estas ese esa esos esas aquel aquella aquellos aquellas cómo como qué que
    por para con en de del al a y o sobre cuándo cuando dónde donde quién quiénes cuál cuáles cada todo toda
    todos todas ambos ambas dos tres cuatro cinco seis algunos algunas otro otra otros otras tras desde hasta
    entre he hemos ha han se me nos le les ya si sí no cuánto cuántos cuánta cuántas mucho mucha muchos muchas
    poco poca pocos pocas habla trata explica compara cuenta recoge analiza resume menciona describe repasa
    incluye propone muestra plantea es son tiene está
"""
_SPANISH_ORDINARY = frozenset(_SPANISH_ORDINARY_WORDS.split())
_SPANISH_NOUN_ENDINGS = ("ción", "sión", "miento", "idad", "ando", "iendo", "yendo")
_SPANISH_DETERMINER_WORDS = "el la los las lo un una unos unas a al de del con en su sus mi mis tu tus"
_SPANISH_DETERMINERS = frozenset(_SPANISH_DETERMINER_WORDS.split())
_SPANISH_E = re.compile(r"(?i)h?i(?!e)")  # "y" becomes "e" before an /i/ sound: "e Isabel", "e historia"


def mid_es(text: str) -> str:
    """Spanish text for use mid-sentence: `mid`, and an ordinary Spanish first word lowered.

    "La ampliación del hospital." -> "la ampliación del hospital"; "Migrar el estudio a BIM" ->
    "migrar el estudio a BIM"; "Valdebebas", "Revit" and "BIM" keep their capitals.
    """
    text = mid(text)
    words = text.split()
    if not words:
        return text
    first = words[0].strip(",;:'\"()¿¡«»\u201c\u201d")
    if not first[:1].isupper() or (len(first) > 1 and not first[1:].islower()):
        return text
    low = first.lower()
    following = words[1].lower() if len(words) > 1 else ""
    ordinary = (
        low in _SPANISH_ORDINARY
        or (len(low) > 5 and low.endswith(_SPANISH_NOUN_ENDINGS))
        or (len(low) > 3 and low.endswith(("ar", "er", "ir")) and following in _SPANISH_DETERMINERS)
    )
    if not ordinary:
        return text
    index = text.index(first[:1])
    return text[:index] + first[:1].lower() + text[index + 1 :]


def join_words(items: list[str], and_word: str = "and") -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {and_word} {items[-1]}"


def clock(value: time) -> str:
    """A time as 24-hour HH:MM."""
    return f"{value.hour:02d}:{value.minute:02d}"


def sentence(text: str) -> str:
    """Text as a sentence: a capital first letter and a closing full stop if it has none."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?…" else text + "."


def lowerfirst(text: str) -> str:
    """Text with its first letter lowered, for use mid-sentence ("Replacing" -> "replacing").

    Words written in capitals (acronyms such as "CDC") are left alone.
    """
    text = text.strip()
    if (len(text) > 1 and text[1].isupper()) or text == "I" or text.startswith(("I ", "I'", "I\u2019")):
        return text
    return text[:1].lower() + text[1:]


def clause(text: str) -> str:
    """Text for use inside a sentence: trimmed, with no closing full stop."""
    return text.strip().rstrip(".").rstrip()


_SPELL_OUT = str.maketrans(
    {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "đ": "d", "Đ": "D"}
    | {"þ": "th", "Þ": "Th", "ð": "d", "Ð": "D", "\u0131": "i"}
)


def fold(text: str) -> str:
    """Text for comparing names: accents and special letters spelled out in ASCII, case folded."""
    if text.isascii():
        return text.casefold()
    import unicodedata  # only for text with accents: it costs a few milliseconds to import

    text = unicodedata.normalize("NFKD", text.translate(_SPELL_OUT))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def first_name(full_name: str) -> str:
    """The given name in a full name: "Dr. Helen Park" -> "Helen"."""
    words = full_name.replace(",", " ").split()
    titles = []
    while len(words) > 1 and words[0].rstrip(".").lower() in HONORIFICS:
        titles.append(words.pop(0))
    if titles and len(words) == 1:  # "Mr. Okonkwo": a family name only, so keep the title
        return " ".join([*titles, *words])
    return words[0] if words else full_name


def last_name(full_name: str) -> str:
    """The family name in a full name: "Dr. Helen Park" -> "Park"; suffixes are skipped."""
    words = [w for w in full_name.replace(",", " ").split() if w.rstrip(".").lower() not in SUFFIXES]
    return words[-1] if words else full_name


# English, Spanish, Portuguese, French, German and Italian titles, and job titles used as such.
HONORIFICS = {
    *("dr", "mr", "mrs", "ms", "mx", "miss", "prof", "professor", "sir", "dame", "rev", "fr", "lord", "lady"),
    *("capt", "col", "gen", "sr", "sra", "srta", "don", "doña", "dra", "profa", "ing", "lic", "arq"),
    *("sre", "srª", "dona", "m", "mme", "mlle", "me", "pr", "herr", "frau", "sig", "sig.ra", "dott"),
    *("dott.ssa", "avv", "chef"),
}
SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "phd", "md"}


DATE_PATTERN_RULE = "can use {day}, {dd}, {month}, {mm}, {year} and {weekday} only (no widths or attributes)"


def is_plain_date_pattern(pattern: str) -> bool:
    """Whether a date pattern uses plain fields only: str.format would otherwise allow `{day.__class__}`
    (a sandbox escape) and `{day:>999999999}` (a memory bomb)."""
    allowed = {"day", "dd", "month", "mm", "year", "weekday"}
    try:
        fields = list(string.Formatter().parse(str(pattern)))
    except ValueError:
        return False
    return all(f is None or (f in allowed and not spec and not conv) for _, f, spec, conv in fields)
