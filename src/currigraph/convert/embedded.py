"""schema.org data embedded in pages (JSON-LD, microdata, RDFa, read by extruct) taken as facts and aligned with
the ontology: schema:Course -> cg:Course, schema:EducationalOccupationalProgram -> cg:Programme,
schema:Organization/CollegeOrUniversity -> cg:Organisation/cg:University, schema:Person -> cg:Person."""

from __future__ import annotations

from typing import Any

from rdflib import Literal, URIRef

from currigraph.convert.facts import FactWriter
from currigraph.convert.units import credits_in
from currigraph.iris import slugify
from currigraph.sources.text import language_tag
from currigraph.vocab import CG, SCHEMA

_CLASSES = {"Course": CG.Course, "CourseInstance": CG.Course, "EducationalOccupationalProgram": CG.Programme,
            "Organization": CG.Organisation, "CollegeOrUniversity": CG.University, "EducationalOrganization": CG.Organisation,
            "Person": CG.Person}


def convert_embedded(writer: FactWriter) -> list[URIRef]:
    """Every embedded schema.org item of a known type, as ontology terms; returns the nodes made."""
    made: list[URIRef] = []
    for item in writer.document.model.embedded:
        node = _item(writer, item)
        if node is not None:
            made.append(node)
    if made:
        writer.report.read(f"{len(made)} embedded schema.org items")
    return made


def _type(item: dict[str, Any]) -> str:
    kinds = item.get("@type") or []
    kinds = kinds if isinstance(kinds, list) else [kinds]
    names = [str(k).rsplit("/", 1)[-1] for k in kinds]
    return next((n for n in names if n in _CLASSES), "")


def _text(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or ""
    return " ".join(str(value).split()) if value is not None else ""


def _item(writer: FactWriter, item: dict[str, Any]) -> URIRef | None:
    kind = _type(item)
    name = _text(item.get("name"))
    if not kind or not name:
        return None
    minter = writer.minter
    if _CLASSES[kind] == CG.Course:
        node = writer.entity(minter.course(slugify(name)), CG.Course, name)
        code = _text(item.get("courseCode"))
        if code:
            writer.add(node, CG.courseCode, Literal(code))
        credits = item.get("numberOfCredits")
        number = _text(credits.get("value") if isinstance(credits, dict) else credits)
        if number and (found := credits_in(number, "ECTS" if isinstance(credits, int | float) else "")):
            from currigraph.convert.curriculum import write_credits

            write_credits(writer, node, found)
    elif _CLASSES[kind] == CG.Programme:
        node = writer.entity(minter.programme(slugify(name)), CG.Programme, name)
        for course in _list(item.get("hasCourse")):
            if isinstance(course, dict) and (child := _item(writer, {"@type": "Course", **course})) is not None:
                writer.add(node, CG.hasCourse, child)
    elif _CLASSES[kind] == CG.Person:
        node = writer.entity(minter.person(name), CG.Person, name)
        return node
    else:
        return writer.entity(minter.organisation(name), _CLASSES[kind], name)
    description = _text(item.get("description"))
    if description:
        writer.add(node, SCHEMA.description, Literal(description))
    for language in _list(item.get("inLanguage")):
        tag = language_tag(_text(language))
        if tag:
            writer.add(node, SCHEMA.inLanguage, Literal(tag))
    for provider in _list(item.get("provider")):
        org_name = _text(provider)
        if org_name:
            kind_of = _type(provider) if isinstance(provider, dict) else ""
            org = writer.entity(minter.organisation(org_name), _CLASSES.get(kind_of, CG.Organisation), org_name)
            writer.add(node, SCHEMA.provider, org)
    return node


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
