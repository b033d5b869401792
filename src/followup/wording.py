"""Reading the user's words with care: notes are written about people, drafts speak to them.

Notes are written fast, in the third person ("she prefers idempotent pipelines", "his work
on Bayesian adaptive designs"); a draft speaks to that person. The functions here take one
piece of the notes and return the wording fit for a draft, or nothing when it must be left
out, with findings that say why (for `check` and for draft warnings):

- `topic`: a `discussed` item, to read after "our conversation about ...";
- `clause`: a `connection`, an `add` or a piece of news, to read after "to find that ...";
- `about_company`: company `news`, where "they" is the company ("you opened a Lisbon office");
- `is_private` and `placeholder`: what must never reach a draft;
- `read_timing`: what their words about timing mean on a given day;
- `shared_sentences` and `guess_language`: checks over whole drafts.

Everything is a pure function of its arguments: no I/O, no heavy imports, and each call
costs microseconds (it runs for every topic of every draft of batches of thousands).

The rules are deliberately conservative. A change is made only where it is unambiguous:
pronouns of one gender (or "they" with no plural noun before it that it could point to),
no other person named, nothing in quotes. Otherwise the words stay as written and a finding
suggests a wording; a topic that would read wrong in a letter to that person is left out.

How a caller uses it (the Situation layer): for each recipient, `Person.named(name, first_name)`;
`topic()` over their `discussed`, keeping the `text`s that are not None; `clause()` over
`connection` (and `add`, with `phrase_ok=True` where the wording is "... mention: {add}");
`about_company()` over `news`; `read_timing()` over `decision.said` with the round's date
(how a draft says when you met is the `when` template filter, `filters.Language.relative_day`). Every
`Finding.message` is a
sentence about the user's words, ready to be prefixed with FILE:LINE by `check` and by draft
warnings. English rules; notes in another language (`guess_language`) pass through unchanged
except for `is_private`, which also knows pay and confidentiality words in es, fr, de, pt and it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from functools import cache, lru_cache
from typing import Literal, NamedTuple

from followup.filters import first_name as _first_name
from followup.filters import last_name as _last_name

FindingKind = Literal["third-person", "sentence", "private", "placeholder", "timing"]


class Finding(NamedTuple):
    """Something about the user's words worth telling them: what it says, and what drafts do with it."""

    what: FindingKind
    message: str


class Phrase(NamedTuple):
    """Wording fit for a draft (mid-sentence form), or None when it must be left out, and why."""

    text: str | None
    findings: tuple[Finding, ...] = ()


class Person(NamedTuple):
    """The person a draft speaks to, as the notes name them."""

    name: str
    first_name: str
    last_name: str

    @classmethod
    def named(cls, name: str, first_name: str | None = None) -> Person:
        """A person from a full name ("Dr. Helen Park"), with the first name the notes give, if any."""
        return cls(name=name.strip(), first_name=(first_name or _first_name(name)).strip(), last_name=_last_name(name))


# --- words -------------------------------------------------------------------------------


def _split(words: str) -> list[str]:
    return words.split()


_TOKEN = r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*['\u2019]?|\d[\w.,%/:-]*|\S"  # compiled on first use

_MALE = frozenset({"he", "him", "his", "himself", "he's", "he'd", "he'll"})
_FEMALE = frozenset({"she", "her", "hers", "herself", "she's", "she'd", "she'll"})
_PLURAL = frozenset(
    {"they", "them", "their", "theirs", "themselves", "themself", "they're", "they've", "they'd", "they'll"}
)
_THIRD = _MALE | _FEMALE | _PLURAL
_SIMPLE = {
    "he": "you",
    "she": "you",
    "they": "you",
    "him": "you",
    "them": "you",
    "their": "your",
    "hers": "yours",
    "theirs": "yours",
    "himself": "yourself",
    "herself": "yourself",
    "themself": "yourself",
    "themselves": "yourselves",
    "he'd": "you'd",
    "she'd": "you'd",
    "they'd": "you'd",
    "he'll": "you'll",
    "she'll": "you'll",
    "they'll": "you'll",
    "they're": "you're",
    "they've": "you've",
}
_SUBJECTS = frozenset({"he", "she"})

_ADVERBS = frozenset(
    _split(
        "also still always never really just already recently actually clearly often usually even only probably "
        "definitely mostly now too currently personally strongly genuinely obviously apparently both all sometimes "
        "rarely seldom especially particularly certainly simply openly quietly honestly frankly once again"
    )
)
_FUNCTION = frozenset(
    _split(
        "a an the this that these those some any each every no about and or but nor so yet for to of in on at by with "
        "from into onto over under after before since during until as than if whether because while when where why how "
        "what who whom which up out back down off away again too also is are was were be been am it its there here "
        "not very more most less much many few i we you me us"
    )
)
_DOUBLE_OBJECT = frozenset(
    _split(
        "ask asked asks give gave gives given show showed shows shown tell told tells send sent sends offer offered "
        "offers teach taught teaches bring brought brings owe owed buy bought promise promised hand handed email "
        "emailed lend lent pass passed"
    )
)
_IRREGULAR_BASE = {
    "is": "are",
    "was": "were",
    "has": "have",
    "does": "do",
    "goes": "go",
    "isn't": "aren't",
    "wasn't": "weren't",
    "hasn't": "haven't",
    "doesn't": "don't",
    "focuses": "focus",
    "buses": "bus",
}
_NOT_VERBS = frozenset(
    _split(
        "always perhaps its this us yes less thus across plus as his hers yours ours theirs towards afterwards "
        "sometimes whereas news series"
    )
)
_PERFECT_AFTER_S = frozenset(
    _split(
        "been got gotten done seen had made built run led taken given known grown written shown become come gone "
        "won lost spent kept held taught brought bought thought sold told said heard met left"
    )
)
_ADJECTIVAL = frozenset(
    _split(
        "based located interested excited married involved committed tired convinced obsessed retired qualified "
        "pleased thrilled focused scheduled booked used supposed expected set allowed required responsible "
        "engaged connected related dedicated determined worried concerned bored"
    )
)
_PERSON_NOUNS = frozenset(
    _split(
        "boss manager vp ceo cto cfo coo cio director head lead recruiter founder cofounder co-founder wife husband "
        "partner son daughter kid colleague predecessor successor mentor principal chair dean chief supervisor "
        "mother father mom dad brother sister friend coworker teammate report counterpart owner president"
    )
)
_SAYING = frozenset(
    _split(
        "said says told tells mentioned mentions thinks thought asked asks wants wanted agreed agrees joined joins "
        "reported explained suggested hired believes feels felt noted added replied wrote called prefers preferred "
        "insisted warned admitted promised"
    )
)
_HONORIFICS = frozenset(_split("dr mr mrs ms mx miss prof professor sir dame rev"))


class _Tok(NamedTuple):
    start: int
    end: int
    text: str

    @property
    def low(self) -> str:
        return self.text.lower().replace("\u2019", "'")


def _tokens(text: str) -> list[_Tok]:
    return [_Tok(m.start(), m.end(), m.group()) for m in re.finditer(_TOKEN, text)]


def _is_word(tok: _Tok | None) -> bool:
    return tok is not None and (tok.text[:1].isalpha())


def _like_case(word: str, model: str) -> str:
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


def _base_verb(word: str) -> str | None:
    """The form of a third-person verb after "you" ("prefers" -> "prefer"), or None if it is not one."""
    low = word.lower().replace("\u2019", "'")
    if low in _IRREGULAR_BASE:
        base = _IRREGULAR_BASE[low]
        return _like_case(base if "\u2019" not in word else base.replace("'", "\u2019"), word)
    if len(low) < 3 or not low.endswith("s") or low.endswith(("ss", "us", "is", "'s")) or low in _NOT_VERBS:
        return None
    if not low.isalpha():
        return None
    if low.endswith("ies") and len(low) > 4:
        return word[:-3] + "y"
    if low.endswith(("ches", "shes", "xes", "zes", "sses", "oes")):
        return word[:-2]
    return word[:-1]


def _verbish(tok: _Tok) -> bool:
    low = tok.low
    return (
        low in _AUX
        or low in _IRREGULAR_BASE
        or low in _PAST
        or low in _SAYING
        or low in _ADVERBS
        or low in ("and", "or")
        or low.endswith("ed")
        or _base_verb(tok.text) is not None
    )


def _a_word_not_a_name(prev: _Tok | None, nxt: _Tok | None) -> bool:
    """Whether a bare first name reads as an ordinary word: a plain word after it, no verb or preposition before."""
    if nxt is None or not nxt.text[:1].islower() or _verbish(nxt):
        return False
    return prev is None or not (prev.low in _FUNCTION or prev.low in _DOUBLE_OBJECT or prev.low.endswith("ed"))


def _noun_follows(toks: list[_Tok], i: int) -> bool:
    """Whether the word after toks[i] is a plain noun ("mentoring circle"), not an object ("hiring a designer")."""
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    return nxt is not None and nxt.text[:1].islower() and nxt.low not in _FUNCTION and nxt.low not in _OBJECT_START


def _contraction_s(following: _Tok | None) -> str:
    """Whether "he's" means "he has" ("she's been") or "he is" ("he's also a"), as the word after says."""
    if following is None:
        return "'re"
    low = following.low
    if low in _PERFECT_AFTER_S or (low.endswith("ed") and len(low) > 3 and low not in _ADJECTIVAL):
        return "'ve"
    return "'re"


# --- third person -> second person ---------------------------------------------------------


class _Converted(NamedTuple):
    text: str
    changed: bool  # some third-person wording was turned to the second person
    ambiguous: str | None  # why it was left as written, if it was
    suggestion: str  # the text with every third-person form turned (what the user might write)
    gendered_left: bool  # "he"/"she" forms remain in `text`


@lru_cache(maxsize=2048)
def _name_forms(person: Person) -> tuple[str, ...]:
    """The ways notes may name a person (full name, without honorific, first, last, title and last), longest first."""
    words = person.name.replace(",", " ").split()
    while len(words) > 1 and words[0].rstrip(".").lower() in _HONORIFICS:
        words.pop(0)
    plain = " ".join(words)
    forms = {person.name, plain, person.first_name, person.last_name}
    title = person.name.split()[0] if person.name.split() else ""
    if title.rstrip(".").lower() in _HONORIFICS and person.last_name:
        forms |= {f"{title} {person.last_name}", f"{title.rstrip('.')} {person.last_name}"}
    return tuple(sorted((f for f in forms if len(f) >= 2 and f[:1].isupper()), key=len, reverse=True))


@lru_cache(maxsize=2048)
def _name_pattern(forms: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(f) for f in forms)
    titles = r"(?:(?:Dr|Mr|Mrs|Ms|Mx|Miss|Prof|Professor)\.?\s+)?"
    return re.compile(rf"(?<![\w.]){titles}(?:{alternatives})(?:['\u2019]s)?(?![\w])")


def _name_spans(text: str, person: Person | None) -> list[tuple[int, int, bool]]:
    """Where the recipient is named: (start, end, possessive)."""
    if person is None:
        return []
    forms = _name_forms(person)
    if not any(form in text for form in forms):  # (nearly always: the pattern is then never compiled)
        return []
    spans = []
    for m in _name_pattern(forms).finditer(text):
        before = text[: m.start()].rstrip()
        prev = before.split()[-1] if before.split() else ""
        # "Central Park": a capitalised word before a bare surname makes it another name.
        if (
            prev[:1].isupper()
            and prev.rstrip(".").lower() not in _HONORIFICS
            and " " not in m.group()
            and not before.endswith((".", "!", "?", ":", ";", ",", "("))
        ):
            continue
        spans.append((m.start(), m.end(), m.group().endswith(("'s", "\u2019s"))))
    return spans


def _next_word(toks: list[_Tok], i: int) -> tuple[int, _Tok | None]:
    """The first token after index i that is not an adverb ("she also prefers" -> "prefers")."""
    j = i + 1
    while j < len(toks) and (toks[j].low in _ADVERBS or (toks[j].low.endswith("ly") and len(toks[j].low) > 4)):
        j += 1
    return j, (toks[j] if j < len(toks) else None)


def _her(toks: list[_Tok], i: int) -> str | None:
    """ "her" as a possessive ("your") or an object ("you"); None when it can't be told."""
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if nxt is None or not _is_word(nxt) or nxt.low in _FUNCTION or nxt.low in _THIRD:
        return "you"
    if nxt.low.endswith("ly") and len(nxt.low) > 4:
        after = toks[i + 2] if i + 2 < len(toks) else None
        return "your" if _is_word(after) and after is not None and after.low not in _FUNCTION else "you"
    prev = toks[i - 1] if i > 0 else None
    if prev is not None and prev.low in _DOUBLE_OBJECT and nxt.low not in _PERSON_NOUNS:
        return None  # "I sent her slides": her slides, or slides to her?
    return "your"


def _plural_before(toks: list[_Tok], i: int, verbs: set[int]) -> bool:
    for j in range(i):
        t = toks[j]
        low = t.low
        if (
            len(low) >= 4
            and low.isalpha()
            and low.endswith("s")
            and not low.endswith(("ss", "us", "is"))
            and low not in _NOT_VERBS
            and low not in _THIRD
            and not t.text[:1].isupper()
            and j not in verbs
        ):
            return True
    return False


def _quoted(text: str) -> bool:
    return bool(
        re.search(r"[\"\u201c\u201d\u00ab\u00bb\u201e]|(?:^|[\s(])['\u2018][^'\u2019]+['\u2019](?=$|[\s,.;:!?)])", text)
    )


def _other_person(toks: list[_Tok], names: list[tuple[int, int, bool]]) -> str | None:
    """Someone else named who a "he" or "she" could mean: "Rachel said", "Mr. Stone", "the CFO"."""
    named = [(s, e) for s, e, _ in names]

    def is_recipient(t: _Tok) -> bool:
        return any(s <= t.start < e for s, e in named)

    for k, t in enumerate(toks):
        if not _is_word(t) or is_recipient(t):
            continue
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        prev = toks[k - 1] if k > 0 else None
        if t.low in _PERSON_NOUNS:
            # "her manager wants her to ..." could mean the manager; a bare "her manager" is fine.
            later = [u for u in toks[k + 1 :] if u.low in _MALE | _FEMALE]
            if later:
                return f'"{t.text}" could be who "{later[0].text}" means'
            continue
        if not t.text[:1].isupper() or t.text.isupper() or t.low == "i" or t.low in _THIRD:
            continue
        capital = t.text.rstrip("'s\u2019")
        if prev is not None and prev.low.rstrip(".") in _HONORIFICS:
            return f'"{prev.text} {capital}" is named too'
        if t.low.endswith(("'s", "'")) and k > 0:
            if (prev is not None and prev.low in ("the", "a", "an")) or (nxt is not None and nxt.text[:1].isupper()):
                continue  # "the Seamen's Church Institute", "St. Jude's Hospital": a place, not a person
            return f'"{capital}" is named too'
        if nxt is not None and nxt.low in _SAYING:
            return f'"{capital}" is named too'
    return None


def _convert(text: str, person: Person | None, *, force: bool = False) -> _Converted:
    """Turn third-person wording about the recipient into the second person, where unambiguous."""
    toks = _tokens(text)
    names = _name_spans(text, person)
    lows = [t.low for t in toks]
    has_male = any(w in _MALE for w in lows)
    has_female = any(w in _FEMALE for w in lows)
    has_plural = any(w in _PLURAL for w in lows)
    if not (has_male or has_female or has_plural or names):
        return _Converted(text, False, None, text, False)

    edits: list[tuple[int, int, str]] = []
    ambiguous: list[str] = []
    verbs: set[int] = set()

    def agree(i: int) -> None:
        """After a subject turned to "you": "prefers" -> "prefer", "is" -> "are"."""
        j, nxt = _next_word(toks, i)
        if nxt is None or not nxt.text[:1].islower():
            return
        base = _base_verb(nxt.text)
        if base is not None:
            edits.append((nxt.start, nxt.end, base))
            verbs.add(j)

    def is_name(t: _Tok) -> tuple[int, int, bool] | None:
        for s, e, poss in names:
            if s == t.start:
                return s, e, poss
        return None

    def capital(word: str, start: int) -> str:
        """A name is capitalised anyway: "You" only where a sentence starts."""
        return word[:1].upper() + word[1:] if not text[:start].strip() or text[:start].rstrip()[-1] in ".!?" else word

    # With "he", "she" or the name about the reader, "they" is someone else: "she gave them more autonomy".
    singular = has_male or has_female or bool(names)
    i = 0
    while i < len(toks):
        t = toks[i]
        low = t.low
        span = is_name(t)
        if span is not None:
            s, e, poss = span
            last = i
            while last + 1 < len(toks) and toks[last + 1].start < e:
                last += 1
            nxt = toks[last + 1] if last + 1 < len(toks) else None
            prev = toks[i - 1] if i > 0 else None
            if not poss and _a_word_not_a_name(prev, nxt):
                i = last + 1  # "Grace period", "Will power": the name is an ordinary word here
                continue
            if poss:
                _, after = _next_word(toks, last)
                is_contraction = after is not None and (
                    after.low in _PERFECT_AFTER_S
                    or after.low in ("a", "an", "the", "not", "going")
                    or (after.low.endswith("ing") and not _noun_follows(toks, toks.index(after)))
                    or after is not nxt
                )
                word = "you" + _contraction_s(after) if is_contraction else "your"
                edits.append((s, e, capital(word, s)))
            else:
                joint = (
                    nxt is not None and nxt.low == "and" and last + 2 < len(toks) and toks[last + 2].low.endswith("'s")
                )
                edits.append((s, e, capital("your" if joint else "you", s)))  # "Helen and Sunil's disagreement"
                if (
                    not joint
                    and nxt is not None
                    and (last == len(toks) - 1 or _base_verb(nxt.text) or nxt.low in _IRREGULAR_BASE)
                ):
                    agree(last)
            i = last + 1
            continue
        if low in _SUBJECTS:
            edits.append((t.start, t.end, _like_case("you", t.text)))
            agree(i)
        elif low in ("he's", "she's"):
            _, after = _next_word(toks, i)
            edits.append((t.start, t.end, _like_case("you" + _contraction_s(after), t.text)))
        elif low in _SIMPLE and not (singular and low in _PLURAL):
            edits.append((t.start, t.end, _like_case(_SIMPLE[low], t.text)))
        elif low == "his":
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            possessive = _is_word(nxt) and nxt is not None and nxt.low not in _FUNCTION
            edits.append((t.start, t.end, _like_case("your" if possessive else "yours", t.text)))
        elif low == "her":
            her = _her(toks, i)
            if her is None:
                ambiguous.append(f'"{toks[i - 1].text} her {toks[i + 1].text}" can be read two ways')
                her = "your"
            edits.append((t.start, t.end, _like_case(her, t.text)))
        i += 1

    if has_male and has_female:
        ambiguous.append('it says both "he" and "she" (which one is the reader?)')
    if (has_male or has_female) and not ambiguous:
        other = _other_person(toks, names)
        if other:
            ambiguous.append(other)
    if has_plural and not singular:
        for k, w in enumerate(lows):
            if w in _PLURAL and _plural_before(toks, k, verbs):
                ambiguous.append(f'"{toks[k].text}" may mean something named before it')
                break
    if _quoted(text):
        ambiguous.append("it quotes someone")

    converted = _apply(text, edits)
    if ambiguous and not force:
        return _Converted(text, False, "; ".join(ambiguous), converted, has_male or has_female)
    return _Converted(converted, converted != text, None, converted, False)


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    out = text
    for start, end, new in sorted(set(edits), reverse=True):
        out = out[:start] + new + out[end:]
    return out


# --- mid-sentence form ---------------------------------------------------------------------

_ORDINARY = frozenset(
    _split(
        "the a an this that these those there their they it its we our my your you his her some one two three four "
        "five last next after before in on at for with about from both each every all most more why how what when "
        "where who whether which if being having getting making moving building hiring running working using "
        "helping managing leading teaching learning designing testing replacing migrating scaling reducing cutting "
        "he she him them us me our ours yours no not any many much several other another new old how whose"
    )
)
# Articles of the other languages packs come in (es, fr, pt, it): notes in those languages start with them.
_ARTICLES = frozenset(_split("el la los las un una unos unas le les des du il lo gli uno os as um uma"))
_ABBREVIATIONS = ("etc.", "inc.", "ltd.", "co.", "corp.", "jr.", "sr.", "a.m.", "p.m.", "u.s.", "e.g.", "i.e.", "vs.")
_SUFFIXES = ("ing", "tion", "sion", "ment", "ness", "ity", "ance", "ence", "ism", "ship")


def mid(text: str) -> str:
    """Text for use mid-sentence: trimmed, no closing full stop, first letter lowered only for an ordinary word.

    "The team's roadmap." -> "the team's roadmap"; "Replacing batch loads" -> "replacing batch loads";
    names ("Kubernetes", "Solstice announced ..."), acronyms ("CDC"), "I" and mixed-case words ("iOS",
    "PyCon") keep their letters. Abbreviations that end in a full stop ("etc.", "Inc.") keep it.
    """
    text = " ".join(text.split())
    while text.endswith(".") and not text.endswith("..") and not text.lower().endswith(_ABBREVIATIONS):
        text = text[:-1].rstrip()
    if not text:
        return text
    first = text.split()[0]
    word = first.strip(",;:'\"()\u2018\u2019\u201c\u201d")
    core = word.split("'")[0].split("\u2019")[0].split("-")[0]
    if not core[:1].isupper() or (len(core) > 1 and not core[1:].islower()):
        return text
    low = core.lower()
    if low in _ARTICLES:  # "El programa ..." -> "el programa ...", but "Las Vegas", "Le Monde" stay
        second = text.split()[1] if len(text.split()) > 1 else ""
        if second[:1].isupper():
            return text
    if low in _ORDINARY or low in _ARTICLES or (len(low) > 5 and low.endswith(_SUFFIXES)):
        index = text.index(core[:1])
        return text[:index] + core[:1].lower() + text[index + 1 :]
    return text


# --- sentence shape ------------------------------------------------------------------------

_SUBJECT_PRONOUNS = frozenset(_split("i we you he she they it"))
_CONTRACTED_SUBJECTS = frozenset(
    _split("i'm i've i'd i'll we're we've we'd we'll you're you've you'd you'll it's it'll they're they've")
)
_WH = frozenset(_split("how why what whether when where who which whose"))
_AUX = frozenset(
    _split(
        "is are was were has have had will would can could should shall may might must does do did isn't aren't "
        "wasn't weren't hasn't haven't hadn't won't wouldn't can't couldn't shouldn't doesn't don't didn't"
    )
)
_STOP_SCAN = frozenset(_split("that which who whom whose where when what how why whether if because while"))
_S_VERBS = frozenset(
    _split(
        "uses needs wants plans runs makes takes gets sees thinks likes loves prefers hates relies depends struggles "
        "spends handles owns manages builds ships hires expects hopes seems looks feels works lacks keeps covers "
        "includes involves means requires supports faces gives goes comes reports sits lives meets rotates grows "
        "loses deals serves sells buys moves tracks tests publishes releases deploys trains teaches treats "
        "believes knows wins plays starts ends opens closes pays gets"
    )
)
_PAST = frozenset(
    _split(
        "went took gave ran grew began became chose fell wrote drove rose saw knew threw broke spoke forgot said told "
        "got came won"
    )
)
_DETERMINERS = frozenset(_split("the a an this that these those our your my their his her its some every each no"))
_FRONTED = frozenset(
    _split("at in on during after before since last this when once while with for from as recently yesterday back")
)
_MOTION = frozenset(
    _split("moved switched migrated shifted went grew changed transitioned pivoted came returned expanded shrank")
)
_BASE_VERBS = frozenset(
    _split(
        "go live play work love like run attend know want need use have do share study teach coach grew went "
        "volunteer race ride swim climb cycle sing train belong follow support"
    )
)
_OBJECT_START = _DETERMINERS | frozenset(
    _split(
        "to into off away out up back over from one two three four five six seven eight nine ten me us you them it "
        "him her"
    )
)


def is_sentence(text: str) -> bool:
    """Whether the words make a clause with its own subject and verb ("the team is hiring"), not a noun phrase."""
    toks = [t for t in _tokens(text) if _is_word(t) or t.text[:1].isdigit()]
    if not toks:
        return False
    first = toks[0].low
    if first in _CONTRACTED_SUBJECTS:
        return True
    if first in _SUBJECT_PRONOUNS:
        j, second = _next_word(toks, 0)
        if second is not None and second.low in ("and", "or") and j + 1 < len(toks):
            return toks[j + 1].low in _SUBJECT_PRONOUNS | {"me", "my"} or toks[j + 1].text[:1].isupper()
        return second is not None
    if first in _WH or (first == "that" and len(toks) > 1 and toks[1].low not in _DETERMINERS):
        return False
    if first.endswith("ing"):
        return False
    fronted = first in _FRONTED
    for k in range(1, len(toks)):
        low = toks[k].low
        prev = toks[k - 1].low
        nxt = toks[k + 1].low if k + 1 < len(toks) else None
        if low in _SUBJECT_PRONOUNS | _CONTRACTED_SUBJECTS and (fronted or prev == ","):
            return True  # "at Fabrikam I cut ...", "last spring, we ..."
        if low in _STOP_SCAN or (low in _SUBJECT_PRONOUNS | _CONTRACTED_SUBJECTS and low not in ("it", "it's")):
            return False  # "the migration they are planning", "the conference they're hosting"
        if low in _DETERMINERS and prev not in _FUNCTION and prev not in _DETERMINERS and not prev.endswith("ing"):
            return False  # "the reasons the last hire didn't work out"
        if low in _AUX or low in _PAST:
            return True
        if (
            low.endswith(("'s", "'re"))
            and nxt is not None
            and (
                nxt in _PERFECT_AFTER_S
                or (nxt.endswith("ing") and not _noun_follows(toks, k + 1))
                or nxt in _ADVERBS
                or nxt in ("a", "an", "the", "not")
            )
        ):
            return True
        takes_object = nxt is not None and (
            nxt in _OBJECT_START - {"from"} or nxt[:1].isdigit() or toks[k + 1].text[:1].isupper()
        )
        noun_phrase_before = k >= 2 and toks[k - 2].low in _DETERMINERS and not prev.endswith("s")
        if low in _S_VERBS and (takes_object or noun_phrase_before) and not prev.endswith("s") and k <= 4:
            return True  # "the team uses Airflow"; not "Central Park runs before work"
        if (
            low in _BASE_VERBS
            and (prev.endswith("s") and prev not in _NOT_VERBS and k <= 4)
            and not prev.endswith(("'s", "\u2019s"))  # "the firm's work with ...": a possessive, then its noun
            and nxt is not None
        ):
            return True  # "his kids go to Lincoln Elementary"
        if low.endswith("ed") and k == 1 and toks[0].text[:1].isupper() and takes_object:
            return True  # "Marcus mentioned the reorg"
        if low in _MOTION and nxt in ("from", "to", "into", "off", "away", "back"):
            return True  # "the team moved from three data centers ..."
        if (
            low.endswith("ed")
            and len(low) > 4
            and k >= 2
            and prev not in _DETERMINERS
            and takes_object
            and toks[0].low in _DETERMINERS
            and k <= 4
        ):
            return True
    return False


_ABBREV_DOT = r"\b(?:dr|mr|mrs|ms|prof|st|vs|etc|inc|ltd|co|corp|jr|sr|e\.g|i\.e|u\.s|a\.m|p\.m|approx|no)\.$"


def _sentences(text: str) -> list[str]:
    """Split on . ! ? ; followed by a space, not after an abbreviation or a decimal point."""
    parts: list[str] = []
    start = 0
    for m in re.finditer(r"[.!?;]+(?=\s+\S)", text):
        if m.group().startswith(".") and re.search(_ABBREV_DOT, text[start : m.end()], re.IGNORECASE):
            continue
        parts.append(text[start : m.end()].strip())
        start = m.end()
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def _short(text: str, limit: int = 12) -> str:
    """A shorter form of a long topic: up to a natural break within `limit` words."""
    words = text.split()
    for k in range(3, min(len(words), limit + 1)):
        w = words[k].lower()
        if words[k - 1].endswith((",", ":", ";", "\u2014")) or w in ("because", "which", "so", "since", "while"):
            return " ".join(words[:k]).rstrip(",:;\u2014 ")
    return " ".join(words[:limit]).rstrip(",:;\u2014 ")


# --- private matters -------------------------------------------------------------------------

# Domain words that follow a pay or benefits word when it is the work, not the candidate's deal:
# "benefits administration", "compensation benchmarking", "pension fund", "wage theft".
_WORK = (
    r"(?:team|teams|admin|administration|platform|system|systems|software|analyst|analysts|broker"
    r"|brokers|enrollment|tech|vendor|vendors|data|operations|ops|consult\w*|benchmark\w*|committee"
    r"|survey|surveys|strategy|design|law|laws|accounting|expense|expenses|reporting|funds?|risk"
    r"|liabilit\w+|investing|investment|actuar\w+|clinic|filings?|processing|cases?|theft|gap|growth"
    r"|studies|education|history"
    r")\b"
)

_PRIVATE_RULES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    # (reason, triggers, pattern), matched without regard to case. The triggers are words one of which the
    # pattern needs: a rule is compiled and tried only when one of them is in the text (start-up costs nothing).
    # Each pattern names the candidate's own deal or
    # a secret; the lookarounds keep out the same words used for the work itself (see is_private).
    ("salary", ("salar",), r"\bsalar(?:y|ies)\b(?!\s+(?:bands?\s+)?(?:survey|surveys|benchmark\w*|data)\b)"),
    (  # the same in the languages packs come in: es, fr, de, pt, it
        "salary",
        (
            "salari",
            "salário",
            "sueldo",
            "salaire",
            "gehalt",
            "stipendio",
            "retribu",
            "rémun",
            "remun",
            "vergütung",
            "vergutung",
        ),
        r"\b(?:salario|sueldo|salaire|gehalt|sal[áa]rio|stipendio|retribuci[oó]n|r[ée]mun[ée]ration|verg[üu]tung"
        r"|remunera[çc][ãa]o|retribuzione|banda\s+salarial)\b",
    ),
    (
        "something confidential",
        ("confiden", "vertraulich", "riservat", "sigilo"),
        r"\b(?:confidencial|confidentiel\w*|vertraulich\w*|riservat[oa]|confidenziale|sigilo)\b",
    ),
    (
        "pay",
        ("pay", "paid"),
        r"\b(?:pay|paid)\b(?!-(?:as|per)\b|\s+(?:down|off|attention|back|it\s+forward|close\s+attention|per|for\s+the)\b)"
        r"(?<!\bpaid\s)(?<!\bpaid)(?!\s+(?:search|media|social|ads?|acquisition|leave|internships?)\b)",
    ),
    (
        "pay",
        ("pay", "take-home", "take home"),
        # "take-home" is pay only where the words say so ("take-home pay", "my take-home is 3.1k"): a take-home
        # exercise is part of the interview
        r"\b(?:pay\s*(?:band|range|scale|grade|cut|rise|raise|bump)|paycheck|payslip)\b"
        r"|\btake[- ]home\b(?=\s+(?:pay|salary|income|wages?)\b|\s+(?:is|was|would\s+be|of|around|about)\s+[$€£]?\d)",
    ),
    (
        "compensation",
        ("comp",),
        r"(?<!stock-based\s)(?<!share-based\s)(?<!executive\s)(?<!workers'\s)(?<!workers\s)(?<!deferred\s)"
        r"\b(?:compensation|comp)\b(?!\s*(?:sci|science|lit|literature|time)\b)(?!\s+" + _WORK + r")",
    ),
    # apart from the rule above: "ote" is in "note" and "remote", which should not cost compiling that one
    ("compensation", ("ote", "on-target"), r"\bote\b|\bon-target\s+earnings\b"),
    ("pay", ("wage",), r"\bwages?\b(?!\s+" + _WORK + r")(?<!minimum\swage)(?<!living\swage)"),
    ("pay", ("rate",), r"\b(?:hourly|day|daily|bill|billing)\s+rate\b|\brate\s+of\s+pay\b"),
    (
        "pay",
        ("rate",),
        r"\b(?:my|our|their|your|his|her)\s+rates?\b|\b(?:contract|contractor|consulting)\s+rate\b(?!\s+(?:for|of)\b)",
    ),
    (
        "pay",
        (
            "expect",
            "ask",
            "base",
            "offer",
            "range",
            "band",
            "hour",
            "/h",
            "/yr",
            "a year plus",
        ),  # a figure is pay only where the words say so: "asked for 85k", "$40 an hour"; not "saved $2M"
        r"^(?=.*\b(?:expect\w*|asked\s+for|ask\s+for|asking|base|offer\w*|range|band|hourly|per\s+hour|an\s+hour"
        r"|a\s+year\s+plus|/h|/hr|/yr)(?:\b|$)).*?(?:[$€£]\s?\d[\d,.]*\s?[km]?\b|\b\d{2,3}(?:[.,]\d)?\s?k\b)",
    ),
    (  # "a nice bonus", "the bonus round" are figures of speech
        "a bonus",
        ("bonus",),
        r"(?<!\ba\s)(?<!\ban\s)(?<!\bnice\s)(?<!\badded\s)(?<!\bextra\s)(?<!\bbig\s)"
        r"\bbonus(?:es)?\b(?!\s+(?:points?|round|track|feature|content|question|level|stage)\b)",
    ),
    (
        "commission",
        ("commission",),
        r"\bcommissions?\b(?=\s+(?:on|rates?|structure|plan|split|checks?|cap|only))|\d\s*%\s+commission"
        r"|\bcommission-only\b",
    ),
    (
        "equity",
        ("equity",),
        r"(?<!\bhealth\s)(?<!\bracial\s)(?<!\bgender\s)(?<!\bsocial\s)(?<!\beducational\s)(?<!\bdiversity,\s)"
        r"(?<!\bdiversity\s)(?<!\bbrand\s)(?<!\bhome\s)(?<!\bprivate\s)(?<!\bdigital\s)(?<!\bpay\s)"
        r"\bequity\b(?!\s+(?:research|analyst|analysts|analysis|markets?|trading|funds?|capital|desk|and\s+inclusion|in\b|"
        r"for\b|across|lens|gap|audit|work|team|lending|loans?|index|indices|portfolio|valuation))",
    ),
    (
        "stock options",
        ("stock", "share", "espp", "vest", "sign-on", "signing", "sign on"),
        r"\bstock\s+options?\b(?!\s+(?:pricing|trading|market|desk|data))|\bshare\s+options?\b"
        r"|\bespp\b|\bvest(?:ing|ed|s)?\b|\bsign(?:ing|-on)\s+bonus\b",
    ),
    ("stock options", ("rsu",), r"\brsus?\b(?!\s+(?:accounting|expense))"),  # apart: "rsu" is in "versus"
    (
        "something confidential",
        (
            "confidential",
            "public",
            "announced",
            "nda",
            "record",
            "internal",
            "share",
            "mention",
            "repeat",
            "tell",
            "spread",
            "keep",
            "between",
            "hush",
            "embargo",
            "stealth",
            "secret",
        ),
        r"\bconfidential\w*|(?:\bnot|n't|n\u2019t)\s+(?:yet\s+)?(?:public|announced)\b|\bunannounced\b"
        r"|\bunder\s+(?:an?\s+)?nda\b|\bnda\b(?!\s+(?:process|template|templates|review|workflow|tool|tooling)\b)"
        r"|\boff\s+the\s+record\b|\binternal[- ]only\b|\binternal\s+use\s+only\b"
        r"|\b(?:do\s+not|don't|don\u2019t|please\s+don't|not\s+to)\s+(?:share|mention|repeat|tell|spread)\b"
        r"|\bkeep\s+(?:it|this|that)\s+(?:quiet|private|between\s+us|to\s+(?:myself|yourself))\b"
        r"|\bbetween\s+(?:you\s+and\s+me|us)\b(?!\s+and\b)|\bhush[- ]hush\b|\bembargo(?:ed)?\b|\bin\s+stealth\b"
        r"|\bsecret\b(?!\s+(?:santa|sauce|manager|management|store|scanning|rotation))",
    ),
    (
        "a personal matter (health)",
        (
            "pregnan",
            "expecting",
            "ivf",
            "miscarriage",
            "health",
            "doctor",
            "medical",
            "illness",
            "condition",
            "surgery",
            "diagnosis",
            "treatment",
            "therapy",
            "disability",
            "chemo",
            "cancer",
            "sick",
        ),
        r"\b(?:(?:is|was|am|i'm|she's|got|be|being)\s+pregnant|pregnant\s+with|expecting\s+(?:a\s+)?(?:baby|twins)"
        r"|ivf|miscarriage|(?:my|his|her|their)\s+(?:health|doctor|medical|mental\s+health|illness|condition"
        r"|surgery|diagnosis|treatment|therapy|disability|pregnancy|chemo\w*|cancer)"
        r"|health\s+(?:issues?|problems?|scare|condition)|medical\s+(?:condition|history|appointment|issues?)"
        r"|sick\s+(?:kid|child|parent|mother|father|mom|dad|husband|wife)|on\s+medical\s+leave)\b",
    ),
    (
        "a personal matter (family)",
        ("divorc", "separat", "funeral", "passed", "bereave", "custody", "childcare", "partner's job", "wedding"),
        r"\b(?:divorc\w+|separat(?:ed|ion)\s+from|funeral|passed\s+away|bereavement"
        r"|custody\s+(?:battle|arrangement|schedule)|childcare|(?:my|his|her)\s+(?:partner's\s+job|wedding))\b",
    ),
    (
        "a personal matter (age)",
        (" age", "age discrimination", " old", " young", *"0123456789"),
        r"\b(?:(?:my|his|her|their)\s+age|how\s+old|too\s+(?:old|young)|age\s+discrimination"
        r"|(?:i'm|i\s+am|she's|he's|she\s+is|he\s+is)\s+\d{2}\b|\d{2}\s+years\s+old\b(?=[^.]*\b(?:i|she|he|my|her|his)\b))",
    ),
    (
        "a personal matter (religion)",
        (
            "church",
            "mosque",
            "synagogue",
            "temple",
            "faith",
            "parish",
            "congregation",
            "religio",
            "pray",
            "bible",
            "ramadan",
            "sabbath",
            "shabbat",
            "catholic",
            "muslim",
            "jewish",
            "mormon",
            "hindu",
            "buddhist",
            "christian",
            "evangelical",
            "atheist",
        ),
        r"\b(?:(?:my|his|her|their|our|same)\s+(?:church|mosque|synagogue|temple|faith|parish|congregation|religion)"
        r"|religious\b(?!\s+(?:studies|education|history|literacy))|(?:attend\w*|go\s+to|goes\s+to)\s+(?:[\w'.]+\s+){0,3}(?:church|mosque|synagogue|temple)|pray|praying|prayer\s+group|bible\s+study"
        r"|ramadan|sabbath|shabbat|(?:is|are|i'm|she's|he's)\s+(?:catholic|muslim|jewish|mormon|hindu|buddhist"
        r"|christian|evangelical|atheist))\b",
    ),
    (
        "politics",
        ("politic", "voted", "democrat", "republican", "trump", "biden", "maga"),
        r"\b(?:political\s+(?:views?|party|leanings?)|voted\s+for|democrat|republican|trump|biden|maga)\b",
    ),
    (
        "benefits",
        ("benefits",),
        r"(?<!cost[- ])(?<!cost\s)\bbenefits\b(?!\s+(?:of|to|for|from|that|it|we|our|a|an)\b)(?!\s+" + _WORK + r")",
    ),
    (
        "benefits",
        ("benefit", "health", "dental"),
        r"\bbenefits?\s+(?:package|plan|coverage)\b|\bhealth\s+(?:insurance|plan|coverage)\b|\bdental\b(?!\s+"
        + _WORK
        + r"|\s+(?:hygien\w+|assistants?|office|practice|school|clinic|care)\b)",
    ),
    (
        "a pension",
        ("pension", "401", "retirement"),
        r"\bpensions?\b(?!\s+" + _WORK + r")|\b401\s?\(?k\)?|\bretirement\s+(?:plan|match|contribution)s?\b"
        r"(?!\s+" + _WORK + r")",
    ),
    (
        "time off",
        ("pto", "vacation", "leave", "holiday", "days off", "paid"),
        r"\bpto\b|\bvacation\s+(?:days?|time|policy|allowance)\b|\bannual\s+leave\b|\bsick\s+(?:leave|days?)\b"
        r"|\b(?:parental|maternity|paternity|medical|family)\s+leave\b|\bholiday\s+allowance\b|\bdays\s+off\b|\b(?:un)?paid\s+(?:time\s+off|leave|holidays?)\b",
    ),
    (
        "relocation",
        ("relocat",),
        r"\brelocation\s+(?:package|assistance|budget|support|bonus|costs?|allowance|help)\b|\brelocat\w+\s+me\b"
        r"|\b(?:my|our)\s+relocation\b",
    ),
    (
        "a visa",
        ("visa", "permit", "green card", "immigration", "h-1b", "h1b"),
        r"\b(?:my|his|her|their|our)\s+(?:visa|work\s+permit|green\s+card|immigration\s+status|h-?1b|residence\s+permit)"
        r"|\bvisa\s+(?:status|sponsorship|transfer|expir\w+|situation|renewal|issues?|requirements?)\b"
        r"|\b(?:need|needs|require|requires|on\s+an?|hold|holds|get)\s+(?:a\s+)?(?:visa|h-?1b|work\s+permit|green\s+card)\b",
    ),
    (
        "sponsorship",
        ("sponsor",),
        r"\bsponsor(?:ship)?\b(?=[^.]*\b(?:visa|h-?1b|immigration|permit|green\s+card)\b)(?![^.]*\bfilings?\b)"
        r"|\b(?:need|needs|require|requires|without)\s+(?:visa\s+)?sponsorship\b|\bsponsor\s+(?:me|my)\b",
    ),
)


@cache
def _private_rule(index: int) -> re.Pattern[str]:
    return re.compile(_PRIVATE_RULES[index][2], re.IGNORECASE)


@lru_cache(maxsize=8192)  # the same words come back for every kind and tone of a case
def is_private(text: str) -> str | None:
    """Why these words must stay out of every draft ("it mentions salary"), or None.

    The rule: words about the candidate's own deal, a secret, or someone's private life are left out.
    - pay: salary, pay, compensation/comp/OTE, wages, rates (hourly, day, "my rate"), commission,
      bonus, equity, stock options/RSUs/vesting, and figures where the words make them pay ("asked
      for 85k", "$40 an hour");
    - benefits: benefits, health insurance, pension/401(k), time off, relocation, visas and sponsorship;
    - secrets: confidential, not (yet) public/announced, NDA, off the record, internal only, "don't
      share", "between us", embargoed, in stealth (also in es, fr, de, pt, it);
    - private life: health, pregnancy, family (divorce, bereavement), age, religion, politics.
    The same words are kept where they are the work: "the benefits of CDC", "the benefits team",
    "compensation benchmarking", "pension fund", "wage theft cases", "equity research", "health equity",
    "cost-benefit", "rate limiting", "paying down tech debt", "paid search", "50k rows", "saved $2M",
    "immigration law clinic", "a pregnant patient protocol", "the Temple Street clinic", "a nice bonus".
    """
    if not text or not text.strip():
        return None
    lowered = text.lower()
    for index, (reason, triggers, _) in enumerate(_PRIVATE_RULES):
        if any(word in lowered for word in triggers) and _private_rule(index).search(text):
            if reason == "something confidential":
                return "it is marked confidential"
            return f"it mentions {reason}"
    return None


# --- placeholders ----------------------------------------------------------------------------

_PLACEHOLDERS = frozenset(
    " ".join(p.lower().split())
    for p in (
        "Your Name",
        "Company Name",
        "Job Title",
        "Interviewer Name",
        "Their Name",
        "Other Company",
        "Your Company",
        "Role",
        "Name",
        "you@example.org",
        "you@example.com",
        "helen@example.com",
        "them@example.com",
        "name@example.com",
        "+1 555 555 0100",
        "https://www.linkedin.example/in/your-name",
        "https://www.linkedin.example/in/their-name",
        "https://example.com/jobs/123",
        "https://example.org/article",
        "An article they would find useful",
        "why it made you think of them",
        "the thing you didn't get to say, worth a line in your thank-you",
        "the migration they are planning for next year",
        "TBD",
        "TODO",
        "XXX",
        "FIXME",
        "N/A",
        "Lorem ipsum",
    )
)


def placeholder(text: str) -> bool:
    """Whether a value is one of the starter file's placeholders ("Company Name", "you@example.org", ...).

    The comparison ignores case and spacing but is otherwise exact: "Company Name Inc" is a name.
    """
    return " ".join(str(text).lower().replace("\u2019", "'").split()).strip(" .") in _PLACEHOLDERS


# --- the three kinds of words ----------------------------------------------------------------


def _quote(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return f'"{text}"' if len(text) <= limit else f'"{text[: limit - 1].rstrip()}\u2026"'


def _who(person: Person | None) -> str:
    return person.first_name or person.name if person is not None else "them"


def _guard(text: str) -> Phrase | None:
    """Left out before anything else: empty, a placeholder, or private."""
    if not text or not text.strip():
        return Phrase(None, ())
    if placeholder(text) or placeholder(text.strip().rstrip(".")):
        return Phrase(None, (Finding("placeholder", f"{_quote(text)} is the starter file's example: replace it"),))
    reason = is_private(text)
    if reason is not None:
        return Phrase(None, (Finding("private", f"{_quote(text)} is left out of every draft: {reason}"),))
    return None


def _checked(text: str, wording: str, findings: list[Finding]) -> Phrase:
    """The wording, unless turning it to the second person made it private ("Helen's rate" -> "your rate").

    Every caller has passed `text` through `_guard`: wording that is the text itself needs no second look.
    """
    reason = None if wording == text else is_private(wording)
    if reason is not None:
        return Phrase(None, (Finding("private", f"{_quote(text)} is left out of every draft: {reason}"),))
    return Phrase(wording, tuple(findings))


def _person_finding(text: str, conv: _Converted, person: Person | None, *, left_out: bool) -> Finding | None:
    if conv.ambiguous is not None:
        fate = "it is left out of the drafts" if left_out else "the drafts use it as written"
        # no suggestion where "they" may be what came before it ("new graduates in their first year"): the
        # words may well be right as they are
        guess = "both" in conv.ambiguous or "named before" in conv.ambiguous
        example = "" if guess else f", e.g. {_quote(mid(conv.suggestion), 90)}"
        return Finding(
            "third-person",
            f"{_quote(text)} is written in the third person, but {conv.ambiguous}: {fate}; "
            f"write it as you would say it to {_who(person)}{example}",
        )
    if conv.changed:
        return Finding(
            "third-person",
            f"{_quote(text)} is about {_who(person)} in the third person: the drafts say {_quote(mid(conv.text), 90)}",
        )
    return None


@lru_cache(maxsize=8192)  # the same words come back for every kind and tone of a case
def topic(text: str, *, person: Person | None) -> Phrase:
    """A `discussed` item as wording that reads after "our conversation about ...", or None to leave it out.

    Third person becomes second ("his work on X" -> "your work on X"); a clause is framed ("the
    team is hiring" -> "how the team is hiring"); a question, several sentences, or a pronoun that
    can't be resolved is left out with a finding; over 25 words is kept with a finding.
    """
    guarded = _guard(text)
    if guarded is not None:
        return guarded
    clean = " ".join(text.split())
    conv = _convert(clean, person)
    findings: list[Finding] = []
    parts = _sentences(clean)
    if clean.rstrip().endswith("?") or (len(parts) > 1 and any(p.endswith("?") for p in parts)):
        suggestion = _frame(_convert(parts[0].rstrip("?"), person, force=True).text)
        return Phrase(
            None,
            (
                Finding(
                    "sentence",
                    f'{_quote(text)} is a question, which doesn\'t read after "our conversation about": it is left '
                    f'out; write the topic instead, e.g. "{_as_topic_suggestion(suggestion)}"',
                ),
            ),
        )
    if len(parts) > 1:
        first = _frame(mid(_convert(parts[0], person, force=True).text))
        return Phrase(
            None,
            (
                Finding(
                    "sentence",
                    f'{_quote(text)} is {len(parts)} sentences, which don\'t read after "our conversation about": '
                    f"it is left out; keep one topic, e.g. {_quote(first, 90)}",
                ),
            ),
        )
    aside = _aside(clean)
    if aside is not None:  # "the put wall they installed, still working out the kinks": a topic, then a remark
        findings.append(
            Finding(
                "sentence",
                f"{_quote(text)}: the words after the comma ({_quote(aside[1], 50)}) read as a note to yourself, so "
                f"the drafts leave them out and say {_quote(mid(_convert(aside[0], person).text), 90)}",
            )
        )
        clean = aside[0]
        conv = _convert(clean, person)
    left_out = conv.gendered_left
    person_finding = _person_finding(clean, conv, person, left_out=left_out)
    if person_finding is not None:
        findings.append(person_finding)
    if left_out:
        return Phrase(None, tuple(findings))
    reported = re.match(r"you (?:said|mentioned|told me|explained)(?: that)? (\S.*)", conv.text)
    if reported and conv.changed:  # "she said my research section was thin" -> "your point that my research ..."
        return _checked(text, f"your point that {reported[1]}", findings)
    wording = _frame(mid(conv.text))
    if re.match(r"\d[\w/:.-]*\s+[a-z]+(?<!s)(?:\s|$)", wording) and wording.split()[1] not in _FUNCTION:
        wording = "the " + wording  # "4x10 schedule" -> "our conversation about the 4x10 schedule"
    if wording.startswith("how ") and not mid(conv.text).startswith("how ") and not conv.changed:
        findings.append(
            Finding("sentence", f'{_quote(text)} is a sentence: the drafts say "our conversation about {wording}"')
        )
    if len(wording.split()) > 25:
        findings.append(
            Finding(
                "sentence",
                f"{_quote(text)} is long for a topic ({len(wording.split())} words): the drafts use it, but a "
                f"shorter one reads better, e.g. {_quote(_short(wording), 90)}",
            )
        )
    return _checked(text, wording, findings)


# A remark after a comma is kept when these words start it: it carries on the topic ("..., and why").
_CARRIES_ON = frozenset(
    _split(
        "and or but nor which who whom whose where when while whether including especially such plus then not so "
        "because since than from to with for in on at of by like as both either e.g. i.e. etc"
    )
)


def _aside(text: str) -> tuple[str, str] | None:
    """A topic with a remark after its one comma: (the topic, the remark); None for a list ("A, B and C"),
    a clause that carries on ("X, which ..."), or a comma inside brackets."""
    depth = 0
    cuts = []
    for m in re.finditer(r"[()\[\]]|,\s", text):
        if m.group() in "([":
            depth += 1
        elif m.group() in ")]":
            depth -= 1
        elif depth == 0:
            cuts.append(m.start())
    if not cuts:
        return None
    items = [p for p in re.split(r",\s|\s(?:and|or)\s", text) if p.strip()]
    if len(items) >= 3 and all(len(p.split()) <= 3 for p in items):
        return None  # "Python, SQL and dbt"
    head, rest = text[: cuts[0]].strip(), text[cuts[0] + 1 :].strip()
    first = rest.split()[0].lower() if rest.split() else ""
    if len(head.split()) < 2 or first in _CARRIES_ON or first.rstrip(",") in _CARRIES_ON:
        return None
    return head, rest


def _as_topic_suggestion(question: str) -> str:
    words = question.split()
    aux = {"do", "does", "did", "is", "are", "was", "were", "can", "could", "should", "would", "will"}
    if words and words[0].lower() in aux and len(words) > 2:
        size = 2 if words[1].lower() in _DETERMINERS and len(words) > 3 else 1
        verb = words[0].lower() if words[0].lower() not in ("do", "does", "did") else ""
        return mid(" ".join(w for w in ["whether", *words[1 : 1 + size], verb, *words[1 + size :]] if w))
    return mid(question)


def _frame(text: str) -> str:
    """A clause made to read after "about": "the team is hiring" -> "how the team is hiring"."""
    words = text.split()
    if not words:
        return text
    first = words[0].lower()
    if first == "if":
        return "whether " + " ".join(words[1:])
    if first == "that" and len(words) > 1 and words[1].lower() in _DETERMINERS | _SUBJECT_PRONOUNS:
        return "how " + " ".join(words[1:])
    if is_sentence(text):
        return "how " + text
    return text


@lru_cache(maxsize=8192)  # the same words come back for every kind and tone of a case
def clause(text: str, *, person: Person | None, phrase_ok: bool = False) -> Phrase:
    """A `connection`, `add` or piece of news as wording that reads after "to find that ..." / "mention that ...".

    Third person becomes second ("he's also a Timbers season-ticket holder" -> "you're also a
    Timbers season-ticket holder"). A noun phrase ("a shared love of sourdough") doesn't read
    there: it is left out with a finding, unless the caller's wording takes one (`phrase_ok`,
    e.g. "One thing I didn't get to mention: ..."). Several sentences are joined with semicolons.
    """
    guarded = _guard(text)
    if guarded is not None:
        return guarded
    clean = " ".join(text.split())
    findings: list[Finding] = []
    parts = _sentences(clean)
    if len(parts) > 1:
        joined = "; ".join(mid(p.rstrip(".;")) if k else p.rstrip(".;") for k, p in enumerate(parts))
        findings.append(
            Finding("sentence", f"{_quote(text)} is {len(parts)} sentences: the drafts join them with semicolons")
        )
        clean = joined
    conv = _convert(clean, person)
    person_finding = _person_finding(clean, conv, person, left_out=False)
    if person_finding is not None:
        findings.append(person_finding)
    wording = mid(conv.text)
    if not phrase_ok and not is_sentence(wording) and not wording.lower().startswith(("both of us", "neither of us")):
        findings.append(
            Finding(
                "sentence",
                f'{_quote(text)} is not a sentence, so it doesn\'t read after "to find that": it is left out; '
                f'write it as one, e.g. "we both ..." or "I ..."',
            )
        )
        return Phrase(None, tuple(findings))
    return _checked(text, wording, findings)


_LEGAL = frozenset(_split("inc inc. llc ltd ltd. limited gmbh ag sa s.a. sl s.l. co co. corp corp. plc bv b.v. srl"))


@lru_cache(maxsize=1024)
def _company_pattern(company: str) -> re.Pattern[str] | None:
    words = company.split()
    forms = {company}
    while words and words[-1].lower().strip(",") in _LEGAL:
        words = words[:-1]
    if words:
        forms.add(" ".join(words).rstrip(","))
        if len(words[0]) >= 4 and words[0][:1].isupper():
            forms.add(words[0])
    forms = {f for f in forms if f}
    if not forms:
        return None
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{alternatives})['\u2019]s(?![\w])")


# --- who the company is to the candidate ---------------------------------------------------------

_AGENCY_NAME = (
    r"\b(?:recruit\w*|staffing|talent|search|headhunt\w*|resourcing|personnel|placements?|employment\s+agency"
    r"|selecci[oó]n\s+de\s+personal|reclutamiento)\b"
)
_AGENCY_WORDS = (
    "recruit",
    "staffing",
    "talent",
    "search",
    "headhunt",
    "resourcing",
    "personnel",
    "placement",
    "employment",
    "selecci",
    "reclutamiento",
)  # a word of _AGENCY_NAME must hold one of these
_FOR_A_CLIENT = (
    r"\b(?:the|their|your|our|a|its)\s+client(?:'s|\u2019s|s)?\b|\bclient\s+company\b"
    r"|\b(?:el|su|tu|nuestro|un)\s+cliente\b"
)
_INTERNAL = r"\binternal(?:ly)?\s+(?:transfer|move|candidate|applicant|application|vacancy|role|mobility|posting)\b"
# Shared mail domains: a candidate writing from one says nothing about where they work.
_SHARED_MAIL = frozenset(
    _split(
        "gmail.com googlemail.com outlook.com hotmail.com hotmail.co.uk live.com msn.com yahoo.com yahoo.co.uk "
        "icloud.com me.com aol.com proton.me protonmail.com gmx.com gmx.de web.de mail.com zoho.com fastmail.com "
        "example.com example.org example.net example.edu example.co.uk"
    )
)


def company_kind(
    *, company: str, about_the_job: Iterable[str], candidate_email: str | None, interviewer_emails: Iterable[str | None]
) -> str:
    """Who the company of the notes is to the candidate: "agency" (a recruiter placing them with a client, never
    the employer), "internal" (they already work there: their e-mail is at the interviewers' domain, or the notes
    say it is an internal move), else "direct". `about_the_job`: the role and what was said about the decision."""
    job = " ".join(about_the_job)
    name, lowered = company.lower(), job.lower()  # quick checks keep the patterns off the words they cannot match
    if (any(word in name for word in _AGENCY_WORDS) and re.search(_AGENCY_NAME, company, re.IGNORECASE)) or (
        "client" in lowered and re.search(_FOR_A_CLIENT, job, re.IGNORECASE)
    ):
        return "agency"
    domain = (candidate_email or "").rpartition("@")[2].strip().lower()
    theirs = {(e or "").rpartition("@")[2].strip().lower() for e in interviewer_emails}
    if domain and domain not in _SHARED_MAIL and domain in theirs:
        return "internal"
    if "internal" in lowered and re.search(_INTERNAL, job, re.IGNORECASE):
        return "internal"
    return "direct"


@lru_cache(maxsize=8192)  # the same words come back for every kind and tone of a case
def about_company(text: str, *, company: str) -> Phrase:
    """Company `news` said to someone who works there: "they opened a Lisbon office" -> "you opened a Lisbon office".

    "they/them/their" and "<Company>'s" become "you/your"; "it" opening the news ("it opened ...") too.
    The company named as the subject stays ("Solstice announced ..." reads well in a letter). News about
    a person ("she was promoted") is kept as written, with a finding.
    """
    guarded = _guard(text)
    if guarded is not None:
        return guarded
    clean = " ".join(text.split()).rstrip(".")
    findings: list[Finding] = []
    pattern = _company_pattern(company.strip())
    if pattern is not None:
        clean = pattern.sub(lambda m: _like_case("your", m.group()), clean)
    toks = _tokens(clean)
    edits: list[tuple[int, int, str]] = []
    if toks and toks[0].low == "it":
        edits.append((toks[0].start, toks[0].end, _like_case("you", toks[0].text)))
        _, nxt = _next_word(toks, 0)
        if nxt is not None and nxt.text[:1].islower():
            base = _base_verb(nxt.text)
            if base is not None:
                edits.append((nxt.start, nxt.end, base))
    elif toks and toks[0].low in ("it's", "it\u2019s"):
        _, after = _next_word(toks, 0)
        edits.append((toks[0].start, toks[0].end, _like_case("you" + _contraction_s(after), toks[0].text)))
    for t in toks:
        if t.low in _PLURAL:
            edits.append((t.start, t.end, _like_case(_SIMPLE.get(t.low, "you"), t.text)))
    wording = _apply(clean, edits)
    if any(t.low in _MALE | _FEMALE for t in toks):
        findings.append(
            Finding(
                "third-person",
                f"{_quote(text)} is about a person: the drafts use it as written; if it is about the person you "
                "write to, say it to them",
            )
        )
    if wording != " ".join(text.split()).rstrip("."):
        findings.append(
            Finding("third-person", f"{_quote(text)} is said to {company}: the drafts say {_quote(mid(wording), 90)}")
        )
    return _checked(text, mid(wording), findings)


# --- timing ----------------------------------------------------------------------------------


class Timing(NamedTuple):
    """What their words about timing mean on a given day."""

    quote: str | None  # their words, only while they still mean what they meant
    by: date | None  # the date they point to (from the words, else expected_by)
    phrase: str  # how a draft says it today: "by the end of next week", "by Friday, November 27", or ""
    passed: bool  # `by` is before today
    asks_check_in: bool  # the words ask the candidate to write or call
    findings: tuple[Finding, ...] = ()
    check_in_on: date | None = None  # the day they asked to hear from the candidate ("write to me on the 30th")


# English names, not the process locale's (the calendar module's follow LC_TIME).
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = {name.lower(): k for k, name in enumerate(_MONTHS, start=1)}
_MONTH_NAMES.update({name[:3].lower(): k for k, name in enumerate(_MONTHS, start=1)})
_MONTH_NAMES["sept"] = 9
_WEEKDAY_NAMES = {name.lower(): k for k, name in enumerate(_DAYS)}
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
    "a few": 3,
    "few": 3,
    "several": 3,
}
_MONTH_RE = "|".join(sorted(_MONTH_NAMES, key=len, reverse=True))
_NUM_RE = r"\d+|a couple of|a couple|couple of|a few|few|several|an?|one|two|three|four|five|six|seven|eight|nine|ten"
_ORD = r"(\d{1,2})(?:st|nd|rd|th)?"

# Patterns used on some calls only are kept as text: `re` compiles and caches them on first use.
_CHECK_IN = (
    r"\b(?:(?:write|e-?mail|call|ring|ping|text|message|nudge|contact|phone)\s+(?:to\s+)?(?:me|us)\b"
    r"|(?:check|circle|come)\s+back\b|check\s+in\b|follow(?:\s+|-)?up\b|reach\s+out\b|get\s+back\s+to\s+(?:me|us)\b"
    r"|touch\s+base\b|drop\s+(?:me|us)\s+(?:a|an)\s+(?:line|note|e-?mail)|give\s+(?:me|us)\s+a\s+(?:call|ring|shout))"
)


_CHECK_IN_WORDS = (
    *("write", "mail", "call", "ring", "ping", "text", "message", "nudge", "contact", "phone"),
    *("back", "check", "follow", "reach", "touch", "drop", "give"),
)


def _asks_check_in(said: str) -> bool:
    if not _has(said.lower(), *_CHECK_IN_WORDS):
        return False
    for m in re.finditer(_CHECK_IN, said, re.IGNORECASE):
        before = said[: m.start()]
        if re.search(
            r"\b(?:we|i|they|he|she)(?:['\u2019](?:ll|d)|\s+will|\s+would|\s+shall|\s+can)?\s*(?:\w+ly\s+)?$",
            before,
            re.I,
        ):
            continue  # "we'll follow up": they will, not you
        will = re.search(
            r"\b(\w+)(?:['\u2019](?:ll|d)|\s+(?:will|would|shall|is\s+going\s+to))\s*(?:\w+ly\s+)?$", before, re.I
        )
        if will and will[1].lower() != "you":
            continue  # "HR will reach out", "the recruiter'll call"
        if re.search(r"\b(?:to|with)\s+you\b", said[m.end() : m.end() + 10], re.I):
            continue
        return True
    return False


def _end_of_week(day: date) -> date:
    return (
        day + timedelta(days=(4 - day.weekday()) % 7)
        if day.weekday() <= 4
        else day + timedelta(days=11 - day.weekday())
    )


def _days_in(year: int, month: int) -> int:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return (following - timedelta(days=1)).day


def _quarter_end(year: int, quarter: int) -> date:
    return _month_end(year, quarter * 3)


def _month_end(year: int, month: int) -> date:
    return date(year, month, _days_in(year, month))


def _add_months(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _thanksgiving(year: int) -> date:
    first = date(year, 11, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 21)


def _next_date(month: int, day: int, after: date) -> date | None:
    for year in (after.year, after.year + 1):
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if found >= after - timedelta(days=7):
            return found
    return None


class _Reading(NamedTuple):
    by: date
    frame: str  # "absolute", "day", "week", "month", "quarter" or "year": how long a relative reading holds
    words: str  # the words that say it, as they read after "decide ..."
    exact: bool = True  # a day ("December 4"), not a stretch of days ("early January")


def _resolve(said: str, on: date) -> _Reading | None:
    """The first date the words point to, how long that reading holds, and the words that say it."""
    s = " ".join(said.lower().replace("\u2019", "'").split())
    # Each pattern is tried only when a word it needs is there: most are then never compiled.
    digits = any(c.isdigit() for c in s)
    month_named = any(name in s for name in _MONTH_NAMES if len(name) == 3)
    m = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", s) if digits and "-" in s else None
    if m:
        try:
            return _Reading(date(int(m[1]), int(m[2]), int(m[3])), "absolute", m.group())
        except ValueError:
            pass
    m = (
        re.search(rf"\b(?:(?:{'|'.join(_WEEKDAY_NAMES)}),?\s+)?(?:the\s+)?{_ORD}\s+(?:of\s+)?({_MONTH_RE})\b\.?", s)
        if digits and month_named
        else None
    )
    if m is None:
        m2 = re.search(rf"\b({_MONTH_RE})\.?\s+{_ORD}\b", s) if digits and month_named else None
        if m2 is not None:
            found = _next_date(_MONTH_NAMES[m2[1]], int(m2[2]), on)
            if found:
                return _Reading(found, "absolute", _prep(s, m2.start()) + _said_slice(said, m2))
    else:
        found = _next_date(_MONTH_NAMES[m[2]], int(m[1]), on)
        if found:
            return _Reading(found, "absolute", _prep(s, m.start()) + _said_slice(said, m))
    m = re.search(rf"\b(week\s+of\s+)?(?:(?:{'|'.join(_WEEKDAY_NAMES)})\s+)?the\s+{_ORD}\b", s) if digits else None
    if m:
        day = int(m[2])
        for months in (0, 1):
            year, month = _add_months(on, months)
            if day <= _days_in(year, month) and date(year, month, day) >= on:
                found = date(year, month, day)
                if m[1]:  # "the week of the 7th": that week
                    words = _prep(s, m.start()) or "in the "
                    return _Reading(_end_of_week(found), "absolute", words + _said_slice(said, m), False)
                return _Reading(found, "absolute", _prep(s, m.start()) + _said_slice(said, m))
    m = (
        re.search(
            r"\b(early|mid|late|end of|the end of|beginning of|start of)[\s-]+(?:(this|next)\s+month|("
            + _MONTH_RE
            + r"))\b",
            s,
        )
        if _has(s, "early", "mid", "late", "end of", "beginning of", "start of")
        else None
    )
    if m:
        prep = _prep(s, m.start())
        if m[3]:
            month = _MONTH_NAMES[m[3]]
            year = on.year if month >= on.month else on.year + 1
            frame = "absolute"
            prep = prep or "in "  # "in mid-December"
        else:
            year, month = _add_months(on, 1 if m[2] == "next" else 0)
            frame = "month"
        part = m[1]
        day = 10 if part in ("early", "beginning of", "start of") else 15 if part == "mid" else _days_in(year, month)
        exact = part in ("end of", "the end of")
        return _Reading(date(year, month, day), frame, prep + _said_slice(said, m), exact)
    m = re.search(r"\b(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?month\b", s) if "month" in s else None
    if m:
        return _Reading(_month_end(on.year, on.month), "month", _prep(s, m.start()) + _said_slice(said, m))
    m = (
        re.search(
            r"\b(?:(?:the\s+)?end\s+of\s+(the\s+|this\s+|next\s+)?week|(eow)|(eod)(?!\s+(?:on\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day))\b",
            s,
        )
        if _has(s, "week", "eow", "eod")
        else None
    )
    if m:
        if m[3]:
            return _Reading(on, "day", _prep(s, m.start()) + _said_slice(said, m))
        monday = on - timedelta(days=on.weekday())
        friday = _end_of_week(on) if (m[1] or "").strip() != "next" else _end_of_week(monday) + timedelta(days=7)
        return _Reading(friday, "week", _prep(s, m.start()) + _said_slice(said, m))
    m = (
        re.search(r"\b(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(quarter|year)|(year)[- ]end|(eoy)|(eoq))\b", s)
        if _has(s, "quarter", "year", "eoy", "eoq")
        else None
    )
    if m:
        if (m[1] or m[2] or "") == "year" or m[3]:
            return _Reading(date(on.year, 12, 31), "year", _prep(s, m.start()) + _said_slice(said, m))
        return _Reading(
            _quarter_end(on.year, (on.month - 1) // 3 + 1), "quarter", _prep(s, m.start()) + _said_slice(said, m)
        )
    m = re.search(r"\b(?:(next|this)\s+quarter|q([1-4]))\b", s) if "quarter" in s or (digits and "q" in s) else None
    if m:
        if m[2]:
            quarter, year = int(m[2]), on.year
            if _quarter_end(year, quarter) < on:
                year += 1
            return _Reading(_quarter_end(year, quarter), "absolute", _prep(s, m.start()) + _said_slice(said, m), False)
        quarter = (on.month - 1) // 3 + 1 + (1 if m[1] == "next" else 0)
        year = on.year + (quarter - 1) // 4
        by = _quarter_end(year, (quarter - 1) % 4 + 1)
        return _Reading(by, "quarter", _prep(s, m.start()) + _said_slice(said, m), False)
    m = (
        re.search(rf"\b(first|second|third|fourth|last)\s+week\s+of\s+({_MONTH_RE}|next\s+month)\b", s)
        if "week of" in s
        else None
    )
    if m:
        if m[2].startswith("next"):
            year, month = _add_months(on, 1)
            frame = "month"
        else:
            month = _MONTH_NAMES[m[2]]
            year = on.year if month >= on.month else on.year + 1
            frame = "absolute"
        day = {"first": 7, "second": 14, "third": 21, "fourth": 28}.get(m[1], _days_in(year, month))
        return _Reading(
            date(year, month, min(day, _days_in(year, month))), frame, _prep(s, m.start()) + _said_slice(said, m), False
        )
    m = (
        re.search(
            rf"\b(?:in|within|under|about|around)?\s*(?:{_NUM_RE})(?:\s*(?:-|\u2013|or|to)\s*({_NUM_RE}))?"
            r"\s+(business\s+days?|days?|weeks?|months?)(?:\s+or\s+(?:" + _NUM_RE + r")\b)?",
            s,
        )
        if _has(s, "day", "week", "month")
        else None
    )
    if m is None:
        m = re.search(r"\b(a\s+fortnight)\b", s) if "fortnight" in s else None
        if m:
            return _Reading(on + timedelta(days=14), "week", _prep(s, m.start()) + _said_slice(said, m))
    if m:
        counts = re.findall(rf"\b(?:{_NUM_RE})\b", s[m.start() : m.end()])
        numbers = [c for c in counts if c != "a" or c == counts[-1]]  # "a week or two": two
        count = max((int(c) if c.isdigit() else _NUMBERS.get(c, 1)) for c in numbers or ["1"])
        unit = m[2]
        if unit.startswith("business"):
            by = on
            left = count
            while left:
                by += timedelta(days=1)
                if by.weekday() < 5:
                    left -= 1
            return _Reading(by, "week", _prep(s, m.start()) + _said_slice(said, m).strip())
        if unit.startswith("month"):
            year, month = _add_months(on, count)
            by = date(year, month, min(on.day, _days_in(year, month)))
            return _Reading(by, "month", _prep(s, m.start()) + _said_slice(said, m).strip())
        days = count * (7 if unit.startswith("week") else 1)
        return _Reading(on + timedelta(days=days), "week", _prep(s, m.start()) + _said_slice(said, m).strip())
    m = re.search(r"\b(next|this)\s+week\b", s) if "week" in s else None
    if m:
        friday = _end_of_week(on - timedelta(days=on.weekday())) + timedelta(days=7 if m[1] == "next" else 0)
        return _Reading(friday, "week", _prep(s, m.start()) + _said_slice(said, m))
    m = re.search(r"\bnext\s+month\b", s) if "month" in s else None
    if m:
        year, month = _add_months(on, 1)
        return _Reading(_month_end(year, month), "month", _prep(s, m.start()) + _said_slice(said, m))
    m = re.search(rf"\b(?:(next|this|on|by|before|until)\s+)?({'|'.join(_WEEKDAY_NAMES)})\b", s) if "day" in s else None
    if m:
        target = _WEEKDAY_NAMES[m[2]]
        ahead = (target - on.weekday()) % 7 or 7
        by = on + timedelta(days=ahead)
        if m[1] == "next" and (by - on).days < 7 and by.isocalendar()[1] == on.isocalendar()[1]:
            by += timedelta(days=7)
        return _Reading(by, "week", _prep(s, m.start()) + _said_slice(said, m))
    m = re.search(r"\b(tomorrow|today|tonight)\b", s) if _has(s, "tomorrow", "today", "tonight") else None
    if m:
        return _Reading(
            on + timedelta(days=1 if m[1] == "tomorrow" else 0), "day", _prep(s, m.start()) + _said_slice(said, m)
        )
    m = (
        re.search(
            r"\b(after|before|by|around|in|over)\s+(thanksgiving|christmas|the\s+holidays|(?:the\s+)?new\s+year'?s?)\b",
            s,
        )
        if _has(s, "thanksgiving", "christmas", "holiday", "new year")
        else None
    )
    if m:
        holiday = m[2]
        if holiday == "thanksgiving":
            feast = _thanksgiving(on.year)
            by = feast + timedelta(days=1) if m[1] == "after" else feast
        elif holiday == "christmas":
            by = date(on.year, 12, 26 if m[1] == "after" else 24)
        else:
            by = date(on.year + (1 if on.month > 1 else 0), 1, 2)
        return _Reading(by, "absolute", _said_slice(said, m), False)
    return None


def _has(text: str, *words: str) -> bool:
    return any(word in text for word in words)


def _said_slice(said: str, m: re.Match[str]) -> str:
    """The user's own words for a match found in the normalised text (same length when spacing is single)."""
    norm = " ".join(said.split())
    return (
        norm[m.start() : m.end()]
        if len(norm) == len(" ".join(said.lower().replace("\u2019", "'").split()))
        else m.group()
    )


def _prep(s: str, start: int) -> str:
    """The preposition before a timing phrase ("by", "within"), if the words have one."""
    m = re.search(
        r"(?:\b(?:later|sometime|early|late)\s+)?(?:\b(?:by|within|in|before|on|until|around|after|toward|towards)\s+)?$",
        s[:start],
    )
    return m.group() if m else ""


_VAGUE = r"\b(?:soon|shortly|asap|coming\s+(?:days|weeks)|few\s+days|this\s+week|right\s+away|any\s+day)\b"
_TIMING_START = (
    "tomorrow",
    "today",
    "by ",
    "within ",
    "in ",
    "before ",
    "on ",
    "until ",
    "around ",
    "after ",
    "toward",
    "early ",
    "mid",
    "late ",
    "next ",
    "this ",
    "sometime",
    "later ",
    "soon",
    "shortly",
)


def _long_date(day: date, today: date) -> str:
    text = f"{_DAYS[day.weekday()]}, {_MONTHS[day.month - 1]} {day.day}"
    return text if day.year == today.year else f"{text}, {day.year}"


def _in_frame(reading: _Reading, said_on: date, today: date) -> bool:
    """Whether relative words still mean today what they meant the day they were said."""
    if reading.frame == "absolute":
        return True
    if reading.by < today:
        return False
    if reading.frame == "day":
        return today == said_on
    if reading.frame == "week":
        return today.isocalendar()[:2] == said_on.isocalendar()[:2]
    if reading.frame == "quarter":
        return (today.year, (today.month - 1) // 3) == (said_on.year, (said_on.month - 1) // 3)
    if reading.frame == "year":
        return today.year == said_on.year
    return (today.year, today.month) == (said_on.year, said_on.month)


def read_timing(said: str | None, *, said_on: date, today: date, expected_by: date | None) -> Timing:
    """What their words about timing ("by the end of next week") mean today.

    `said_on` is the day they said it (the round's date). Relative words are quoted back only while
    today is in the frame they were said in (the same week for week words and weekday names, the same
    month for month words, the same day for "today"/"tomorrow") and their date has not passed; absolute
    dates are always quotable. Otherwise drafts name the date: "by Friday, November 27".

    Words that ask the candidate to write ("Write to me on Monday the 30th") give `check_in_on`, not
    the decision date. `by` is `expected_by` when the notes give it (the candidate's own reading of their
    words), else the date the words point to, else the day they asked to be written to.
    """
    text = " ".join((said or "").split())
    decision: _Reading | None = None
    check_in: _Reading | None = None
    readings: list[_Reading] = []
    for part in _sentences(text) if text else []:
        found = _resolve(part, said_on)
        if found is None:
            continue
        readings.append(found)
        if _asks_check_in(part):
            check_in = check_in or found
        else:
            decision = decision or found
    by = expected_by if expected_by else decision.by if decision else check_in.by if check_in else None
    passed = by is not None and by < today
    findings: list[Finding] = []
    if not readings:
        vague = bool(re.search(_VAGUE, text, re.IGNORECASE))
        same_week = today.isocalendar()[:2] == said_on.isocalendar()[:2]
        quotable = bool(text) and not passed and (same_week or not vague)
        if text and vague and expected_by is None:
            findings.append(
                Finding("timing", f"{_quote(text)} names no date: add `decision.expected_by` so check-ins can be timed")
            )
    else:
        quotable = all(_in_frame(r, said_on, today) for r in readings)
        if decision is not None and expected_by is not None and abs((expected_by - decision.by).days) > 3:
            findings.append(
                Finding(
                    "timing",
                    f"{_quote(text)} points to {_long_date(decision.by, today)}, but `decision.expected_by` is "
                    f"{_long_date(expected_by, today)}: the drafts go by `expected_by` when they name a date",
                )
            )
        if not quotable and by is not None:
            findings.append(
                Finding(
                    "timing",
                    f"{_quote(text)} was said on {_long_date(said_on, today)} and no longer means what it meant: "
                    f'the drafts say "by {_long_date(by, today)}"',
                )
            )
    reading = decision
    if quotable and reading is not None and (reading.frame != "absolute" or not reading.exact):
        words = reading.words
        article = "the " if words.lower().startswith(("first ", "second ", "third ", "fourth ", "last ")) else ""
        phrase = (
            words if words.lower().startswith(_TIMING_START) else (f"in {article}{words}" if not reading.exact else "")
        )
        phrase = phrase or f"by {_long_date(by or reading.by, today)}"
    elif quotable and not readings and text.lower().startswith(_TIMING_START):
        phrase = mid(text)
    elif by is not None:
        phrase = f"by {_long_date(by, today)}"
    else:
        phrase = ""
    return Timing(
        quote=text if quotable and text else None,
        by=by,
        phrase=phrase,
        passed=passed,
        asks_check_in=_asks_check_in(text),
        findings=tuple(findings),
        check_in_on=check_in.by if check_in else None,
    )


# --- whole drafts ----------------------------------------------------------------------------


def _sentence_set(text: str, names: Sequence[str]) -> set[str]:
    masked = text
    for name in sorted({n for n in names if n and n.strip()}, key=len, reverse=True):
        masked = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", "\u2063NAME\u2063", masked, flags=re.IGNORECASE)
    out = set()
    for block in re.split(r"\n\s*\n", masked):
        # a sentence ends at . ! or ? before blanks; splitting there with the mark captured (not with a
        # look-behind, which the regex engine would try at every character) keeps the mark with its sentence
        parts = re.split(r"([.!?])\s+", block)  # sentence, its mark, sentence, its mark, ..., the rest
        for i in range(0, len(parts), 2):
            piece = parts[i] + parts[i + 1] if i + 1 < len(parts) else parts[i]
            norm = " ".join(piece.lower().split())
            if norm:
                out.add(norm)
    return out


def sentence_set(text: str) -> set[str]:
    """A body's sentences as `shared_sentences` compares them (no names masked): to compare many bodies,
    each read once."""
    return _sentence_set(text, ())


def shared_sentences(a: str, b: str, *, names: Iterable[str] = ()) -> int:
    """How many body sentences two drafts share, ignoring case, spacing and the recipients' names.

    `names` are the names to mask (each recipient's full name, first name and surname), so that
    "Thank you, Helen." and "Thank you, Sunil." count as one shared sentence. Pass bodies only:
    a shared greeting or signature would count.
    """
    masks = []
    for name in names:
        person = Person.named(name)
        masks.extend([person.name, person.first_name, person.last_name])
    return len(_sentence_set(a, masks) & _sentence_set(b, masks))


_STOPWORDS = {
    "en": _split("the and of to in is that it for with was on as you have be are this we our your at by i my not"),
    "es": _split("el la de que y en los las del se por un una con para es su al lo como más pero sus le ya muy nos"),
    "fr": _split("le la les de des et est en du un une que qui pour dans pas sur au avec ce vous nous sont je mais"),
    "de": _split("der die das und ist nicht den mit von zu ein eine auf für sich dem des im wir ich sie es auch"),
    "pt": _split("o a os as de do da dos das que e em um uma para com não por se ao mais como você nos é foi"),
    "it": _split("il lo la gli le di che e un una per con non è sono del della dei nel alla anche ma come più ci"),
}
_STOP_LOOKUP: dict[str, dict[str, int]] = {}
for _lang, _words in _STOPWORDS.items():
    for _w in _words:
        _STOP_LOOKUP.setdefault(_w, {})[_lang] = 1
_WORDS = r"[^\W\d_]+"


def guess_language(texts: Iterable[str]) -> str | None:
    """The language of the words ("en", "es", "fr", "de", "pt", "it") by their commonest words; None if unclear.

    Needs at least eight stopwords in all and a clear lead (half again the runner-up's count).
    """
    counts = dict.fromkeys(_STOPWORDS, 0)
    total = 0
    for word in re.findall(_WORDS, "\n".join(texts).lower()):  # no word runs across a line break
        hit = _STOP_LOOKUP.get(word)
        if hit:
            total += 1
            for lang in hit:
                counts[lang] += 1
    ranked = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)
    best, runner = ranked[0], ranked[1]
    if total < 8 or best[1] < 6 or best[1] < 1.5 * runner[1]:
        return None
    return best[0]
