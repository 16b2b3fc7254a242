"""Course pages: front matter (title, semester, credits, pillar, tracks, ...) and body (description, goal, themes)."""

import re
from typing import Any

from rdflib import Literal, URIRef

from currigraph.convert.facts import FactWriter
from currigraph.convert.programme_page import add_pillar
from currigraph.iris import slugify
from currigraph.sources.markdown import blocks
from currigraph.sources.page_lexicon import page_lexicon
from currigraph.sources.text import language_tag
from currigraph.vocab import CG, SCHEMA, XSD

_GOAL = re.compile(r"\b(goal|objective|outcome|aim)s?\b", re.I)
_THEMES = re.compile(r"\b(theme|topic|content|syllabus)s?\b", re.I)
_TRUE = {"true", "yes", "1", "on"}


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _number(value: Any, datatype: URIRef) -> Literal:
    """A numeric literal when the value is a number; otherwise the text as written, for the shapes to report."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return Literal(str(value))
    text = str(value).strip().replace(",", ".") if isinstance(value, str) else str(value)
    pattern = r"-?\d+" if datatype == XSD.integer else r"-?\d+(?:\.\d+)?"
    return Literal(text, datatype=datatype) if re.fullmatch(pattern, text) else Literal(str(value))


def _field(metadata: dict[str, Any], *names: str) -> Any:
    lowered = {k.lower(): v for k, v in metadata.items()}
    return next((lowered[n] for n in names if n in lowered), None)


def _line(writer: FactWriter, *names: str) -> int | None:
    lines = {k.lower(): v for k, v in writer.document.metadata_lines.items()}
    return next((lines[n] for n in names if n in lines), None)


def convert_course_page(writer: FactWriter) -> URIRef:
    """Convert a course page into its course, linked to pillar, tracks, programmes and alternates."""
    doc, minter = writer.document, writer.minter
    meta = doc.metadata
    title = _field(meta, "title", "name")
    name = " ".join(str(title).split()) if title is not None else ""
    course = writer.entity(minter.course(slugify(name or doc.stem)), CG.Course, name or None)
    writer.note_line(course, SCHEMA.name, _line(writer, "title", "name"))
    scalar_fields: list[tuple[tuple[str, ...], URIRef, URIRef]] = [
        (("semester",), CG.semesterNumber, XSD.integer),
        (("studycredits", "credits", "ects"), CG.credits, XSD.decimal),
        (("option",), CG.choiceGroup, XSD.integer),
        (("weight",), CG.weight, XSD.integer),
    ]
    for names, prop, datatype in scalar_fields:
        value = _field(meta, *names)
        if prop == CG.semesterNumber and isinstance(value, str) and page_lexicon().term_of(value):
            writer.add(course, CG["term"], Literal(value.strip()))  # "Winter" is a term, not a semester number
            continue
        if value is not None:
            writer.add(course, prop, _number(value, datatype))
            writer.note_line(course, prop, _line(writer, *names))
    for tag in _as_list(_field(meta, "tags", "keywords")):
        writer.add(course, CG.tag, Literal(str(tag)))
    for pillar in _as_list(_field(meta, "pillar", "pillars")):
        add_pillar(writer, course, str(pillar))
    writer.note_line(course, CG.pillar, _line(writer, "pillar", "pillars"))
    for key in ("tracks", "track", "programme", "programmes", "program", "programs"):
        writer.note_line(course, CG.inTrack if key.startswith("track") else CG.courseOf, _line(writer, key))
    for track in _as_list(_field(meta, "tracks", "track")):
        iri = writer.entity(minter.track(slugify(str(track))), CG.Track, str(track))
        writer.add(course, CG.inTrack, iri)
    for programme in _as_list(_field(meta, "programme", "programmes", "program", "programs")):
        ref = str(programme)
        target = URIRef(ref) if re.match(r"^https?://", ref) else minter.programme(slugify(ref))
        writer.add(course, CG.courseOf, target)
    for alternate in _as_list(_field(meta, "alternates", "alternate")):
        writer.add(course, CG.alternateRef, Literal(str(alternate)))
        writer.add(course, CG.alternate, minter.course(slugify(str(alternate).rstrip("/").split("/")[-1])))
    english_only = _field(meta, "english-only", "english_only")
    if english_only is not None:
        flag = str(english_only).lower() in _TRUE
        writer.add(course, CG.englishOnly, Literal(flag))
        if flag:
            writer.add(course, SCHEMA.inLanguage, Literal("en"))
    for language in _as_list(_field(meta, "language", "languages", "lang", "inlanguage")):
        # A language name in any language becomes its BCP 47 tag ("English" -> "en"); what is none stays as written.
        writer.add(course, SCHEMA.inLanguage, Literal(language_tag(str(language)) or str(language)))
    writer.note_line(course, SCHEMA.inLanguage, _line(writer, "language", "languages", "lang", "inlanguage"))
    _add_body(writer, course)
    return course


def _add_body(writer: FactWriter, course: URIRef) -> None:
    description: list[str] = []
    goal: list[str] = []
    for block in blocks(writer.document.body, writer.document.body_line):
        heading = block.headings[-1] if block.headings else ""
        if not heading:
            description.append(block.text)
        elif _THEMES.search(heading) and block.in_list:
            writer.add(course, CG.theme, Literal(" ".join(block.text.split())))
        elif _GOAL.search(heading):
            goal.append(block.text)
    if description:
        writer.add(course, SCHEMA.description, Literal(" ".join(" ".join(description).split())))
    if goal:
        writer.add(course, CG.endGoal, Literal(" ".join(" ".join(goal).split())))
