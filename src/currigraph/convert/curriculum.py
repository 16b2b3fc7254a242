"""Programme pages in any layout and language: the programme, its course entries (sources.curriculum), its tracks,
duration and total credits, written as RDF with the line each value came from."""

from __future__ import annotations

import re
from decimal import Decimal

from rdflib import Literal, URIRef

from currigraph.convert.facts import FactWriter
from currigraph.convert.units import Credits, credits_in
from currigraph.iris import slugify
from currigraph.sources.curriculum import Entry, Reader
from currigraph.sources.model import DocumentModel, Heading, Paragraph
from currigraph.sources.page_lexicon import Lexicon, norm, page_lexicon
from currigraph.vocab import CG, SCHEMA, XSD

_TITLE_CREDITS = re.compile(r"^(?P<name>.+?)[,;:–-]\s*(?P<credits>\d[\d.,]*\s*\S+)\s*$")


def convert_curriculum(writer: FactWriter) -> URIRef:
    """Convert a programme page of any layout: the programme, its courses in context, tracks and duration."""
    model = writer.document.model
    lexicon = page_lexicon()
    curriculum = Reader(lexicon).read(model)
    writer.report.read(f"{len(curriculum.entries)} course entries")
    name, total = _programme_name(model, lexicon)
    slug = slugify(name or writer.document.stem)
    programme = writer.entity(writer.minter.programme(slug), CG.Programme, name or None)
    writer.note_line(programme, SCHEMA.name, model.title_line)
    for credits in total:
        _total_credits(writer, programme, credits)
    _programme_fields(writer, programme, model, lexicon)
    if len(curriculum.years) > 1:
        writer.add(programme, CG.durationYears, Literal(max(curriculum.years), datatype=XSD.integer))
    if len(curriculum.semesters) > 1 or len({n for k, n, _, _ in curriculum.period_credits if k == "semester"}) > 1:
        semesters = curriculum.semesters | {n for k, n, _, _ in curriculum.period_credits if k == "semester"}
        writer.add(programme, CG.numberOfSemesters, Literal(max(semesters), datatype=XSD.integer))
    _duration_sentences(writer, programme, model, lexicon)
    tracks: dict[str, URIRef] = {}
    for track_name, _line in curriculum.tracks:
        tracks[track_name] = _track(writer, programme, track_name)
    for entry in curriculum.entries:
        if entry.track and entry.track not in tracks:
            tracks[entry.track] = _track(writer, programme, entry.track)
    _courses(writer, programme, slug, curriculum.entries, tracks)
    for column in sorted(curriculum.columns_unread):
        writer.report.not_understood(f"table column '{column}'")
    return programme


def _programme_name(model: DocumentModel, lexicon: Lexicon) -> tuple[str, list[Credits]]:
    """The programme's name from the title (credits written after it taken apart), '' when the title only names
    a section ('Curriculum')."""
    title = " ".join(model.title.split())
    credits: list[Credits] = []
    match = _TITLE_CREDITS.match(title)
    if match and (found := credits_in(match.group("credits"))):
        title, credits = match.group("name").strip(), found
    h1 = next((h.text for h in model.headings() if h.level == 1 and not h.pseudo), "")
    for candidate in (title, h1):
        if candidate and not lexicon.section_role(candidate) and norm(candidate) not in ("curriculum",):
            return candidate, credits
    return "", credits


def _total_credits(writer: FactWriter, programme: URIRef, credits: Credits) -> None:
    writer.add(programme, CG.totalCredits, Literal(credits.number, datatype=XSD.decimal))
    if credits.unit:
        writer.add(programme, CG.creditUnit, Literal(credits.unit))


def _programme_fields(writer: FactWriter, programme: URIRef, model: DocumentModel, lexicon: Lexicon) -> None:
    """Label/value facts of a fact file: code, degree, duration, total credits."""
    seen: set[str] = set()
    for item in model.fields:
        role = lexicon.key_role(item.key)
        value = " ".join(str(item.value).split()) if item.value is not None else ""
        if not role or not value or role in seen or len(value) > 120:
            continue
        if role == "code" and re.fullmatch(r"[\w./-]{2,20}", value):
            writer.add(programme, CG.courseCode, Literal(value))
        elif role == "qualification" and len(value.split()) <= 8:
            writer.add(programme, CG.degree, Literal(value))
        elif role == "duration":
            years = _count(value, lexicon, "year")
            if years:
                writer.add(programme, CG.durationYears, Literal(years, datatype=XSD.integer))
        elif role == "total_credits":
            for credits in credits_in(value)[:1]:
                _total_credits(writer, programme, credits)
        else:
            continue
        seen.add(role)
        writer.note_line(programme, CG.courseCode, item.line)


def _count(text: str, lexicon: Lexicon, kind: str) -> int | None:
    """'3 years full-time' -> 3; 'vier Semester' -> 4: a number word right before a period word of that kind."""
    words = norm(text).split()
    for start, _count_words, value in lexicon.periods.find(text):
        if value == kind and start > 0:
            number = lexicon.number(words[start - 1])
            if number:
                return number
    return None


def _duration_sentences(writer: FactWriter, programme: URIRef, model: DocumentModel, lexicon: Lexicon) -> None:
    """A section named for the duration ('Regelstudienzeit', 'Duration') whose text gives a number of semesters/years."""
    for block in model.blocks:
        if not isinstance(block, Paragraph) or not block.headings:
            continue
        heading = re.sub(r"^(?:§\s*\d+\w*|\d+(?:\.\d+)*\.?)\s+", "", block.headings[-1].text)
        if lexicon.key_role(heading) != "duration":
            continue
        for kind, prop in (("semester", CG.numberOfSemesters), ("year", CG.durationYears)):
            number = _count(block.text, lexicon, kind)
            if number:
                writer.fact(programme, prop, Literal(number, datatype=XSD.integer), block.text, block.line)
                return


def _track(writer: FactWriter, programme: URIRef, name: str) -> URIRef:
    track = writer.entity(writer.minter.track(slugify(name)), CG.Track, name)
    writer.add(programme, CG.hasTrack, track)
    return track


def _courses(writer: FactWriter, programme: URIRef, slug: str, entries: list[Entry], tracks: dict[str, URIRef]) -> None:
    """One course per distinct entry: a name met again with another code or other credits is another course."""
    made: dict[str, tuple[Entry, URIRef]] = {}
    for entry in entries:
        credits = credits_in(entry.credits_text, entry.credits_unit) if entry.credits_text else []
        key = slugify(entry.name)
        previous = made.get(key)
        if previous and _differs(previous[0], entry, credits):
            key = f"{key}-{slugify(entry.code)}" if entry.code else f"{key}-{len(made) + 1}"
            previous = made.get(key)
        if previous:
            _add_track(writer, previous[1], entry, tracks)
            continue
        course = writer.entity(writer.minter.course(key, slug), CG.Course, entry.name)
        writer.note_line(course, SCHEMA.name, entry.line)
        made[key] = (entry, course)
        link = {"mandatory": CG.hasMandatoryCourse, "elective": CG.hasElectiveCourse}.get(entry.status or "", CG.hasCourse)
        writer.fact(programme, link, course, entry.evidence, entry.line)
        if entry.code:
            writer.add(course, CG.courseCode, Literal(entry.code))
        if credits:
            write_credits(writer, course, credits, entry.evidence, entry.line)
        if entry.year:
            writer.add(course, CG.studyYear, Literal(entry.year, datatype=XSD.integer))
        if entry.semester:
            writer.add(course, CG.semesterNumber, Literal(entry.semester, datatype=XSD.integer))
        if entry.term:
            writer.add(course, CG["term"], Literal(entry.term))
        _add_track(writer, course, entry, tracks)


def _differs(first: Entry, second: Entry, credits: list[Credits]) -> bool:
    if first.code and second.code and first.code != second.code:
        return True
    before = credits_in(first.credits_text, first.credits_unit) if first.credits_text else []
    return bool(before and credits and before[0].number != credits[0].number)


def _add_track(writer: FactWriter, course: URIRef, entry: Entry, tracks: dict[str, URIRef]) -> None:
    if entry.track and entry.track in tracks:
        writer.add(course, CG.inTrack, tracks[entry.track])


def write_credits(writer: FactWriter, course: URIRef, credits: list[Credits], evidence: str = "", line: int | None = None) -> None:
    """The first statement as the course's credits (number and unit as written), and the ECTS value: an equivalent
    the document states beside it keeps its words as evidence; one converted through units.yaml has none."""
    first = credits[0]
    writer.add(course, CG.credits, Literal(first.number, datatype=XSD.decimal))
    if first.unit:
        writer.add(course, CG.creditUnit, Literal(first.unit))
    stated = next((c for c in credits[1:] if c.system == "ECTS"), None)
    if stated is not None:
        writer.fact(course, CG.ectsCredits, Literal(stated.number, datatype=XSD.decimal), evidence or str(stated.number), line)
        return
    ects: Decimal | None = first.ects
    if ects is not None and first.system != "ECTS":
        writer.add(course, CG.ectsCredits, Literal(ects, datatype=XSD.decimal))


__all__ = ["Heading", "convert_curriculum", "write_credits"]
