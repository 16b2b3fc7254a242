"""Course pages in any layout and language: key/value fields (front matter of any schema, key/value tables,
'Label: value' lines), a title such as 'CODE - Name (5 hp)', outcome and content sections, embedded records."""

from __future__ import annotations

import re
from typing import Any

from rdflib import Literal, URIRef

from currigraph.convert.curriculum import write_credits
from currigraph.convert.embedded import convert_embedded
from currigraph.convert.facts import FactWriter
from currigraph.convert.units import credits_in
from currigraph.iris import slugify
from currigraph.sources.kinds import course_records
from currigraph.sources.model import DocumentModel, Field, ListItem
from currigraph.sources.page_lexicon import Lexicon, norm, page_lexicon
from currigraph.sources.text import language_tag
from currigraph.vocab import CG, SCHEMA, XSD

_TITLE = re.compile(r"^(?P<code>[A-Z0-9][A-Z0-9 .-]{2,12}?)\s*[-–—:]\s+(?P<name>.+)$")
_PLACEHOLDER = re.compile(r"\[%|\{\{|\{%|\?\?")
_TRUE = {"yes", "true", "ja", "si", "sí", "oui", "x", "1", "y", "j"}
_FALSE = {"no", "false", "nein", "non", "nej", "0", "n"}
_PEOPLE_SPLIT = re.compile(r"\s*(?:;|,|\s&\s|\s(?:and|und|y|e|et|en|och|og)\s)\s*")


def convert_course_fields(writer: FactWriter) -> URIRef:
    """Convert one course page of any layout into its course."""
    model = writer.document.model
    lexicon = page_lexicon()
    fields = _fields_by_role(model, lexicon)
    name, code, credits_text = _identity(model, fields)
    course = writer.entity(writer.minter.course(slugify(name or writer.document.stem)), CG.Course, name or None)
    if code:
        writer.add(course, CG.courseCode, Literal(code))
    credits = []
    if "credits" in fields:
        item = fields["credits"]
        credits = credits_in(str(item.value)) or credits_in(str(item.value), item.key)
        writer.note_line(course, CG.credits, item.line)
    if not credits and credits_text:
        credits = credits_in(credits_text)
    if credits:
        item = fields.get("credits")
        write_credits(writer, course, credits, f"{item.key}: {item.value}" if item else credits_text, item.line if item else None)
    _periods(writer, course, fields, lexicon)
    _status(writer, course, fields, lexicon)
    if "language" in fields:
        for part in re.split(r"[,/;]| and | und ", str(fields["language"].value)):
            tag = language_tag(part) if part.strip() else None
            if tag:
                writer.add(course, SCHEMA.inLanguage, Literal(tag))
    if "programme" in fields:
        writer.add(course, CG.courseOf, writer.minter.programme(slugify(str(fields["programme"].value))))
    _people(writer, course, fields, lexicon)
    _sections(writer, course, model, lexicon)
    for value, line in model.script_data:
        for record in course_records(value):
            _record(writer, record, lexicon, line)
    convert_embedded(writer)
    used = {id(f) for f in fields.values()}
    for item in model.fields:
        if id(item) not in used and item.origin != "line":
            writer.report.not_understood(f"key '{item.key}'")
    writer.report.read(f"{len(fields)} course fields ({', '.join(f.key for f in fields.values())})")
    return course


def _fields_by_role(model: DocumentModel, lexicon: Lexicon) -> dict[str, Field]:
    """The first field of each role whose value is filled in (placeholders such as '??' or '[]' are not values)."""
    found: dict[str, Field] = {}
    for item in model.fields:
        role = lexicon.key_role(item.key)
        value = item.value
        if role and role not in found and value is not None and str(value).strip() and not _PLACEHOLDER.search(str(value)) \
                and str(value).strip() not in ("[]", "-", "–", "{}"):
            found[role] = item
    return found


def _identity(model: DocumentModel, fields: dict[str, Field]) -> tuple[str, str, str]:
    """Name, code and credits text: from fields first, else from a title written 'CODE - Name (5 hp)'."""
    title = "" if _PLACEHOLDER.search(model.title or "") else " ".join(model.title.split())
    code = str(fields["code"].value).strip() if "code" in fields and len(str(fields["code"].value)) <= 20 else ""
    name = " ".join(str(fields["name"].value).split()) if "name" in fields else ""
    credits_text = ""
    match = _TITLE.match(title)
    if match and any(ch.isdigit() for ch in match.group("code")):
        code = code or match.group("code").strip()
        title = match.group("name").strip()
    paren = re.match(r"^(?P<name>.*?)\s*\((?P<credits>[^()]*\d[^()]*)\)\s*$", title)
    if paren and credits_in(paren.group("credits")):
        title, credits_text = paren.group("name").strip(), paren.group("credits")
    if not name and title and not page_lexicon().section_role(title) and norm(title) not in ("syllabus", "course description"):
        name = title
    return name, code, credits_text


def _periods(writer: FactWriter, course: URIRef, fields: dict[str, Field], lexicon: Lexicon) -> None:
    for role in ("year", "semester"):
        if role not in fields:
            continue
        value = str(fields[role].value).strip()
        number = lexicon.number(value) if re.fullmatch(r"\d{1,2}\.?", value) else None
        if number:
            prop = CG.studyYear if role == "year" else CG.semesterNumber
            writer.add(course, prop, Literal(number, datatype=XSD.integer))
            writer.note_line(course, prop, fields[role].line)
        elif lexicon.term_of(value):
            writer.add(course, CG["term"], Literal(value))  # "Winter": a term, not a semester number
    if "term" in fields:
        value = " ".join(str(fields["term"].value).split())
        if re.search(r"[^\W\d_]", value):
            writer.add(course, CG["term"], Literal(value))


def _status(writer: FactWriter, course: URIRef, fields: dict[str, Field], lexicon: Lexicon) -> None:
    if "status" not in fields:
        return
    item = fields["status"]
    value = norm(str(item.value))
    key_status = lexicon.status_of(item.key)
    if key_status and (value in _TRUE or value in _FALSE):  # "Mandatory: Yes"
        flag = (value in _TRUE) == (key_status == "mandatory")
    else:
        status = lexicon.status_of(str(item.value))
        if status is None:
            return
        flag = status == "mandatory"
    writer.add(course, CG.mandatory, Literal(flag))
    writer.note_line(course, CG.mandatory, item.line)


def _people(writer: FactWriter, course: URIRef, fields: dict[str, Field], lexicon: Lexicon) -> None:
    """People named in a teachers/examiner field, with an honorific kept apart ('Dra.'); the key is their role."""
    item = fields.get("people")
    if item is None:
        return
    from currigraph.sources.lexicon import load_prose_lexicons

    honorifics = {norm(h) for language in load_prose_lexicons() for key in ("honorific_prefixes", "honorific_suffixes")
                  for h in language.words.get(key, [])}
    parts = [p for p in _PEOPLE_SPLIT.split(" ".join(str(item.value).split())) if p]
    for part in parts:
        words = part.split()
        prefix = []
        while words and (norm(words[0]) in honorifics or re.fullmatch(r"[A-Z][a-z]{0,4}\.", words[0])):
            prefix.append(words.pop(0))
        if not 2 <= len(words) <= 4 or not all(w[:1].isupper() for w in words if len(w) > 3):
            writer.report.not_understood(f"people in '{item.key}': {part}")
            continue
        person_name = " ".join(words)
        person = writer.entity(writer.minter.person(person_name), CG.Person, person_name)
        for honorific in prefix:
            writer.add(person, SCHEMA.honorificPrefix, Literal(honorific))
        if len(parts) == 1:
            role = writer.entity(writer.minter.role(person_name, item.key.strip(), course), CG.RoleAssignment)
            writer.add(person, CG.hasRole, role)
            writer.add(role, CG.roleTitle, Literal(item.key.strip()))
            writer.add(role, CG.roleIn, course)


def _sections(writer: FactWriter, course: URIRef, model: DocumentModel, lexicon: Lexicon) -> None:
    """List items of outcome sections become cg:endGoal, of content sections cg:theme (one per item)."""
    blocks = model.blocks
    for index, block in enumerate(blocks):
        if not isinstance(block, ListItem) or not block.headings:
            continue
        roles = [lexicon.section_role(h.text) for h in block.headings if h.level > 1 or h.pseudo]  # not the page title
        role = next((r for r in reversed(roles) if r), None)
        if role not in ("outcomes", "contents"):
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if isinstance(following, ListItem) and following.depth > block.depth:
            continue  # a group label ("Knowledge and understanding") over the outcomes themselves
        text = " ".join(block.text.split())
        writer.add(course, CG.endGoal if role == "outcomes" else CG.theme, Literal(text))
    for heading in model.headings():
        if not lexicon.section_role(heading.text) and heading.level > 1 and not heading.pseudo:
            writer.report.not_understood(f"section '{heading.text}'")


def _record(writer: FactWriter, record: dict[str, Any], lexicon: Lexicon, line: int) -> None:
    """A course described by a JSON record inside a script (keys the lexicon knows: name, language, semester...)."""
    by_role = {lexicon.key_role(str(k)): v for k, v in record.items()}
    name = " ".join(str(by_role.get("name") or "").split())
    if not name:
        return
    course = writer.entity(writer.minter.course(slugify(name)), CG.Course, name)
    writer.note_line(course, SCHEMA.name, line)
    language = by_role.get("language")
    tag = language_tag(str(language)) if isinstance(language, str) else None
    if tag:
        writer.add(course, SCHEMA.inLanguage, Literal(tag))
    for role in ("semester", "term"):
        value = by_role.get(role)
        if isinstance(value, str) and lexicon.term_of(value):
            writer.add(course, CG["term"], Literal(value))
    code = by_role.get("code")
    if isinstance(code, str | int) and str(code).strip():
        writer.add(course, CG.courseCode, Literal(str(code)))
    credits = by_role.get("credits")
    if isinstance(credits, int | float | str) and (found := credits_in(str(credits), "")):
        write_credits(writer, course, found)
    writer.report.read(f"a course record in a script's JSON ({name})")
