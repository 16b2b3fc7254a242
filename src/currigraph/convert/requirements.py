"""Admission requirements: alternatives ("one of the following") kept apart from those that all apply."""

import re

from rdflib import Literal, URIRef

from currigraph.convert.facts import FactWriter
from currigraph.sources.markdown import Block
from currigraph.sources.text import enumeration, language_tag
from currigraph.vocab import CG, SCHEMA

_CHOICE_INTRO = re.compile(r"\b(one of|either|any of|at least one)\b", re.I)
_DEGREE = re.compile(
    r"^(?P<level>[A-Z][\w’'.]*?)(?:’s|'s)?\s+(?:degree|diploma)\s+in\s+(?P<fields>.+?)(?:,\s*alternatively\b.*)?$", re.I
)
_RELATED = re.compile(r"^(?:a\s+)?(?:closely\s+)?related (?:subject|field|discipline)s?$", re.I)
_CEFR = re.compile(r"\b([ABC][12])\b")
_LANGUAGE = re.compile(r"\b(?:knowledge of|proficiency in|command of)\s+(?:the\s+)?(\w+)(?:\s+language)?", re.I)


def add_requirements(writer: FactWriter, programme: URIRef, slug: str, section: list[Block]) -> None:
    """Turn a requirements section into requirements: intro lines decide whether list items are alternatives."""
    number = 0
    choice: URIRef | None = None
    options = 0
    for block in section:
        if not block.in_list:
            choice = None
            if _CHOICE_INTRO.search(block.text):
                number += 1
                choice = writer.entity(writer.minter.requirement(slug, number), CG.RequirementChoice)
                writer.add(choice, SCHEMA.description, Literal(block.text.rstrip(":").strip()))
                writer.fact(programme, CG.hasRequirement, choice, block.text, block.line)
                options = 0
            continue
        if choice is not None:
            options += 1
            requirement = requirement_node(writer, writer.minter.requirement(slug, number, options), block.text)
            writer.fact(choice, CG.option, requirement, block.text, block.line)
        else:
            number += 1
            requirement = requirement_node(writer, writer.minter.requirement(slug, number), block.text)
            writer.fact(programme, CG.hasRequirement, requirement, block.text, block.line)


def requirement_node(writer: FactWriter, iri: URIRef, text: str) -> URIRef:
    """Declare one requirement, typed and structured where its text allows."""
    text = " ".join(text.split())
    degree = _DEGREE.match(text)
    cefr = _CEFR.search(text)
    language = _LANGUAGE.search(text)
    if degree:
        writer.entity(iri, CG.DegreeRequirement)
        writer.add(iri, CG.degreeLevel, Literal(degree.group("level")))
        for field in enumeration(degree.group("fields")):
            if _RELATED.match(field):
                writer.add(iri, CG.relatedFieldsAccepted, Literal(True))
            else:
                writer.add(iri, CG.degreeField, Literal(field))
    elif cefr or language:
        writer.entity(iri, CG.LanguageRequirement)
        tag = language_tag(language.group(1)) if language else None
        if tag:
            writer.add(iri, CG.requiredLanguage, Literal(tag))
        if cefr:
            writer.add(iri, CG.cefrLevel, Literal(cefr.group(1)))
    else:
        writer.entity(iri, CG.Requirement)
    writer.add(iri, SCHEMA.description, Literal(text))
    return iri
