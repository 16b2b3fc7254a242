"""Facts of the intake scorer: normalised values, the fact kinds, and how an expected fact matches an extracted one.

A fact is a kind, a scope (the programme it belongs to, or None) and a tuple of parts. Every part is a frozenset
of normalised alternatives: an expected name written "Long Name (LN)" may be matched as either, and an extracted
node with several names (schema:name, schema:alternateName) offers all of them. docs/intake-scoring.md is the
reference for the rules here.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import langcodes
import yaml

UNITS_FILE = Path(__file__).resolve().parent / "intake_units.yaml"

# Part types. The matching of each type is in `parts_match`.
NAME, PERSON, CODE, NUMBER, UNIT = "name", "person", "code", "number", "unit"
LANG, STATUS, TEXT, CHOICE = "lang", "status", "text", "choice"

# Every fact kind and the types of its parts. Programme and course kinds are scoped to a programme; the others
# (organisations, people) are not. Kept in one table so the docs, the tests and the report list the same kinds.
KINDS: dict[str, tuple[str, ...]] = {
    "programme": (NAME,),
    "programme-degree": (NAME,),
    "programme-provider": (NAME,),
    "programme-language": (LANG,),
    "programme-credits": (NUMBER, UNIT),
    "programme-semesters": (NUMBER,),
    "programme-years": (NUMBER,),
    "programme-code": (CODE,),
    "programme-track": (NAME,),
    "requirement": (TEXT,),
    "requirement-choice": (CHOICE,),
    "course": (NAME,),
    "course-code": (NAME, CODE),
    "course-credits": (NAME, NUMBER, UNIT),
    "course-year": (NAME, NUMBER),
    "course-semester": (NAME, NUMBER),
    "course-term": (NAME, NAME),
    "course-status": (NAME, STATUS),
    "course-language": (NAME, LANG),
    "course-provider": (NAME, NAME),
    "course-track": (NAME, NAME),
    "course-topic": (NAME, TEXT),
    "course-outcome": (NAME, TEXT),
    "organisation": (NAME,),
    "organisation-parent": (NAME, NAME),
    "person": (PERSON,),
    "person-honorific": (PERSON, NAME),
    "person-role": (PERSON, NAME),
    "person-role-in": (PERSON, NAME, NAME),
}
UNSCOPED = {"organisation", "organisation-parent", "person", "person-honorific", "person-role", "person-role-in"}

# Free texts (requirements, topics, outcomes) match when their word sets overlap this much (Dice coefficient):
# a converter keeps the document's sentence while the expected file may shorten it.
TEXT_MATCH = 0.6

Parts = tuple[frozenset[str], ...]


@dataclass(frozen=True)
class Fact:
    """One normalised fact: kind, programme scope (None: not scoped), parts, and a readable form for reports."""

    kind: str
    scope: str | None
    parts: Parts
    shown: str = field(default="", compare=False)
    unsure: bool = field(default=False, compare=False)

    @property
    def key(self) -> tuple[str, str | None, Parts]:
        """What makes two facts the same fact (sets of facts collapse repeats)."""
        return (self.kind, self.scope, self.parts)


# ---------------------------------------------------------------------------------------------------------
# Text normalisation
# ---------------------------------------------------------------------------------------------------------

_APOSTROPHES = "'\u2019\u02bc`\u00b4"
_LEADING_ARTICLE = re.compile(r"^the\s+")
_TRAILING_PARENS = re.compile(r"^(.*\S)\s*\(([^()]+)\)\s*$")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W_]+")


def fold(text: str) -> str:
    """NFKC, case folding and no diacritics: the common ground of every comparison."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def norm(text: str) -> str:
    """A name compared: folded, apostrophes dropped, other punctuation and symbols as spaces, a leading 'the' dropped."""
    text = fold(text)
    text = "".join("" if c in _APOSTROPHES else " " if unicodedata.category(c)[0] in "PSZC" else c for c in text)
    return _LEADING_ARTICLE.sub("", " ".join(text.split()))


SHORT = "~"  # marks the short form of 'Long (Short)'; never in a normalised form (symbols become spaces)


def name_forms(text: str) -> frozenset[str]:
    """A name and, when written 'Long (Short)', also Long and (marked) Short: documents refer to it either way."""
    text = " ".join(str(text).split())
    forms = {norm(text)}
    match = _TRAILING_PARENS.match(text)
    if match:
        forms.add(norm(match.group(1)))
        if norm(match.group(2)):
            forms.add(SHORT + norm(match.group(2)))
    return frozenset(f for f in forms if f and f != SHORT)


def bare(form: str) -> str:
    """A form without its short-form mark."""
    return form[len(SHORT):] if form.startswith(SHORT) else form


def names_meet(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two sets of name forms name the same thing: a form in common, where at most one side's is a short form.

    'Kungliga Tekniska Högskolan (KTH)' meets 'KTH'; 'Data Science (LM)' does not meet 'Fisica (LM)'.
    """
    full_a = {f for f in a if not f.startswith(SHORT)}
    full_b = {f for f in b if not f.startswith(SHORT)}
    return bool(full_a & full_b or full_a & {bare(f) for f in b - full_b} or {bare(f) for f in a - full_a} & full_b)


def person_forms(text: str) -> frozenset[str]:
    """A person's name without single-letter initials ('Zsófia L. Bárány' = 'Zsófia Bárány')."""
    words = [w for w in norm(text).split() if len(w) > 1]
    return frozenset({" ".join(words)} if words else set())


def code_form(text: str) -> frozenset[str]:
    """A code compared without case, spaces or punctuation ('ECBS 6001' = 'ecbs6001')."""
    value = "".join(norm(text).split())
    return frozenset({value} if value else set())


def tokens(text: str) -> frozenset[str]:
    """The words and numbers of a text (numbers keep their decimal point: '6.5')."""
    return frozenset(t.replace(",", ".") for t in _TOKEN.findall(fold(text)))


def text_forms(text: str) -> frozenset[str]:
    """A free text as one normalised string (its words joined by spaces)."""
    words = _TOKEN.findall(fold(text))
    return frozenset({" ".join(w.replace(",", ".") for w in words)} if words else set())


def texts_match(a: str, b: str) -> bool:
    """Two free texts are the same fact when their word sets overlap by at least TEXT_MATCH (Dice)."""
    ta, tb = frozenset(a.split()), frozenset(b.split())
    if not ta or not tb:
        return False
    return 2 * len(ta & tb) / (len(ta) + len(tb)) >= TEXT_MATCH


# ---------------------------------------------------------------------------------------------------------
# Numbers, units, languages, statuses
# ---------------------------------------------------------------------------------------------------------

_RANGE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*[-\u2013\u2014]\s*(\d+(?:[.,]\d+)?)\s*$")


def _decimal(text: str) -> str | None:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    # Canonical: no exponent, no trailing zeros ("7,50" = "7.5", "120.0" = "120").
    return format(value.normalize(), "f") if value != value.to_integral() else str(int(value))


def number_form(value: Any) -> frozenset[str]:
    """A number compared numerically ('7,5' = 7.5 = '7.50'); a range '4-8' as its two canonical ends."""
    if isinstance(value, bool) or value is None:
        return frozenset()
    text = str(value)
    single = _decimal(text)
    if single is not None:
        return frozenset({single})
    match = _RANGE.match(text)
    if match:
        low, high = _decimal(match.group(1)), _decimal(match.group(2))
        return frozenset({f"{low}-{high}"})
    return frozenset()


@cache
def tables(path: Path = UNITS_FILE) -> dict[str, Any]:
    """The scorer's data tables (credit units, status words, language aliases), normalised for lookup."""
    data = yaml.safe_load(path.read_text("utf-8"))
    units = {norm(form): canonical for canonical, forms in data["credit_units"].items() for form in [canonical, *forms]}
    words = {status: {norm(w) for w in ws} for status, ws in data["status_words"].items()}
    aliases = {fold(k): v for k, v in data.get("language_aliases", {}).items()}
    return {"units": units, "status": words, "languages": aliases}


def unit_form(unit: Any) -> frozenset[str]:
    """A credit unit through the table ('högskolepoäng' -> hp); an unknown unit as written (normalised)."""
    if unit is None or not str(unit).strip():
        return frozenset()
    key = norm(str(unit))
    return frozenset({tables()["units"].get(key, key)})


def language_form(value: Any) -> frozenset[str]:
    """The primary BCP 47 language subtag of a tag or a language name in any language ('EN', 'englisch' -> en)."""
    if value is None:
        return frozenset()
    text = str(value).strip()
    if not text or len(text) > 40:  # a sentence about languages, not a language
        return frozenset()
    aliases = tables()["languages"]
    if fold(text) in aliases:
        return frozenset({aliases[fold(text)]})
    if re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*", text):
        try:
            language = langcodes.Language.get(text.replace("_", "-"))
            if language.is_valid() and language.language:
                return frozenset({language.language})
        except (ValueError, LookupError):
            pass
    try:
        return frozenset({langcodes.find(text).language})
    except LookupError:
        return frozenset()


def status_form(value: Any) -> frozenset[str]:
    """Mandatory or elective from true/false or from words (see status_words in the units file); else nothing."""
    if isinstance(value, bool):
        return frozenset({"mandatory" if value else "elective"})
    if value is None:
        return frozenset()
    words = set(norm(str(value)).split())
    lists = tables()["status"]
    if words & lists.get("conditional", set()):
        return frozenset()
    hits = [status for status in ("mandatory", "elective") if words & lists[status]]
    return frozenset(hits) if len(hits) == 1 else frozenset()


# ---------------------------------------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------------------------------------


def _choice_match(expected: frozenset[str], extracted: frozenset[str]) -> bool:
    # A choice is its set of options; both sides must have as many options, each paired with a distinct one.
    if len(expected) != len(extracted):
        return False
    left = list(extracted)
    for option in sorted(expected):
        partner = next((x for x in left if texts_match(option, x)), None)
        if partner is None:
            return False
        left.remove(partner)
    return True


def part_matches(kind: str, index: int, expected: frozenset[str], extracted: frozenset[str]) -> bool:
    """Whether one part of an expected fact accepts the same part of an extracted fact."""
    part_type = KINDS[kind][index]
    if part_type == UNIT and not expected:
        return True  # the expected file gives no unit: only the number is scored
    if part_type == TEXT:
        return any(texts_match(e, x) for e in expected for x in extracted)
    if part_type == CHOICE:
        return _choice_match(expected, extracted)
    if part_type == NAME:
        return names_meet(expected, extracted)
    return bool(expected & extracted)


def facts_match(expected: Fact, extracted: Fact) -> bool:
    """An extracted fact is the expected one: same kind, a compatible scope and every part accepted.

    An expected fact with no scope (a course page's course, a document-level list) accepts any programme;
    a scoped one only the programme it was aligned with.
    """
    if expected.kind != extracted.kind:
        return False
    if expected.scope is not None and expected.scope != extracted.scope:
        return False
    return all(part_matches(expected.kind, i, e, x) for i, (e, x) in enumerate(zip(expected.parts, extracted.parts, strict=True)))


def subject_matches(expected: Fact, extracted: Fact) -> bool:
    """Whether two facts of a kind are about the same thing (their first parts match, scopes compatible)."""
    if expected.kind != extracted.kind or (expected.scope is not None and expected.scope != extracted.scope):
        return False
    return part_matches(expected.kind, 0, expected.parts[0], extracted.parts[0])


class FactIndex:
    """Expected facts indexed by kind and by the exact forms of their first part, for fast lookups."""

    def __init__(self, facts: Iterable[Fact]) -> None:
        self.by_kind: dict[str, list[Fact]] = {}
        self.by_first: dict[tuple[str, str], list[Fact]] = {}
        for fact in facts:
            self.by_kind.setdefault(fact.kind, []).append(fact)
            if KINDS[fact.kind][0] not in (TEXT, CHOICE):
                for form in fact.parts[0]:
                    self.by_first.setdefault((fact.kind, bare(form)), []).append(fact)

    def candidates(self, extracted: Fact) -> list[Fact]:
        """Expected facts that may match an extracted one (same kind; same first part when it is exact)."""
        if KINDS[extracted.kind][0] in (TEXT, CHOICE):
            return self.by_kind.get(extracted.kind, [])
        seen: dict[int, Fact] = {}
        for form in extracted.parts[0]:
            for fact in self.by_first.get((extracted.kind, bare(form)), []):
                seen[id(fact)] = fact
        return list(seen.values())
