"""Programme pages: front matter plus Markdown sections (overview, requirements, semesters, partners, funding)."""

import re

from rdflib import Literal, URIRef

from currigraph.convert.facts import FactWriter
from currigraph.convert.requirements import add_requirements
from currigraph.iris import slugify
from currigraph.sources.markdown import Block, blocks, leading_emphasis
from currigraph.sources.text import enumeration, language_tag, number_word, sentences, strip_article
from currigraph.vocab import CG, RDF, SCHEMA, SKOS, XSD

# Heading words that name a section's role; generic English, not the words of one page.
_MANDATORY = re.compile(r"\b(mandatory|compulsory|required|core|obligatory)\b", re.I)
_ELECTIVE = re.compile(r"\b(elective|optional|choice|selection)\b", re.I)
_REQUIREMENTS = re.compile(r"\b(admission|requirement|prerequisite|entry)", re.I)
_PARTNERS = re.compile(r"\b(partner|consortium|universities)", re.I)
_FUNDING = re.compile(r"\b(support|fund|financ|sponsor|grant)", re.I)
_OVERVIEW = re.compile(r"\b(overview|about|introduction)\b", re.I)
_SEMESTER = re.compile(r"\b(?:(\w+)\s+semester|semester\s+(\d+))\b", re.I)
_CREDITS = re.compile(r"\b(\d+(?:[.,]\d+)?)\s*(?:ECTS|credits?|CP|SP)\b", re.I)
_TITLE_ABBREVIATION = re.compile(r"^(?P<name>.*?)\s*\((?P<abbr>[^()\s]{2,15})\)\s*$")
_COUNTRY_HINT = re.compile(r"^(?P<name>.+?)\s*\((?P<hint>[^()]{1,20})\)$")


def programme_identity(title: str) -> tuple[str, str, str | None]:
    """Slug, name and abbreviation of a programme from its title ('Long Name (ABBR)')."""
    match = _TITLE_ABBREVIATION.match(title)
    if match:
        return slugify(match.group("abbr")), title, match.group("abbr")
    return slugify(title), title, None


def convert_programme_page(writer: FactWriter) -> URIRef:
    """Convert a programme page into its programme, semesters, courses, requirements, partners and funding."""
    doc = writer.document
    title = str(doc.metadata.get("title") or doc.stem).strip()
    slug, name, abbreviation = programme_identity(title)
    programme = writer.entity(writer.minter.programme(slug), CG.Programme, name)
    if abbreviation:
        writer.add(programme, SCHEMA.alternateName, Literal(abbreviation))
    all_blocks = list(blocks(doc.body, doc.body_line))
    overview = [b.text for b in all_blocks if b.headings and _OVERVIEW.search(b.headings[0])]
    if overview:
        writer.add(programme, SCHEMA.description, Literal(" ".join(" ".join(overview).split())))
    _add_courses(writer, programme, slug, all_blocks)
    add_requirements(writer, programme, slug, [b for b in all_blocks if _section(b, _REQUIREMENTS)])
    _add_partners(writer, programme, slug, [b for b in all_blocks if _section(b, _PARTNERS)])
    _add_funding(writer, programme, slug, [b for b in all_blocks if _section(b, _FUNDING)])
    for block in all_blocks:
        if not leading_emphasis(block)[0]:
            _add_sentence_facts(writer, programme, slug, block)
    return programme


def _section(block: Block, pattern: re.Pattern[str]) -> bool:
    return bool(block.headings) and bool(pattern.search(block.headings[0]))


def _semester_number(headings: tuple[str, ...]) -> int | None:
    for heading in headings:
        match = _SEMESTER.search(heading)
        if match:
            number = number_word(match.group(1) or match.group(2))
            if number:
                return number
    return None


def _semester(writer: FactWriter, programme: URIRef, slug: str, number: int) -> URIRef:
    semester = writer.entity(writer.minter.semester(slug, number), CG.Semester, f"Semester {number}")
    writer.add(semester, CG.semesterNumber, Literal(number, datatype=XSD.integer))
    writer.add(programme, CG.hasSemester, semester)
    return semester


def _add_courses(writer: FactWriter, programme: URIRef, slug: str, all_blocks: list[Block]) -> None:
    for block in all_blocks:
        course_name, note, description = leading_emphasis(block)
        number = _semester_number(block.headings)
        if not course_name or number is None:
            continue
        mandatory = any(_MANDATORY.search(h) for h in block.headings[1:])
        elective = any(_ELECTIVE.search(h) for h in block.headings[1:])
        if mandatory == elective:
            continue  # a bold line outside a mandatory/elective list is not a course entry
        _add_course(writer, programme, slug, number, mandatory, course_name, note, description)


def _add_course(
    writer: FactWriter,
    programme: URIRef,
    slug: str,
    number: int,
    mandatory: bool,
    name: str,
    note: str | None,
    description: str,
) -> None:
    minter = writer.minter
    course_slug = slugify(name)
    course = writer.entity(minter.course(course_slug, slug), CG.Course, name)
    if description:
        writer.add(course, SCHEMA.description, Literal(" ".join(description.split())))
    semester = _semester(writer, programme, slug, number)
    offering = writer.entity(minter.offering(slug, number, course_slug), CG.CourseOffering)
    writer.add(programme, CG.hasOffering, offering)
    writer.add(offering, CG.offeredCourse, course)
    writer.add(offering, CG.inSemester, semester)
    writer.add(offering, CG.semesterNumber, Literal(number, datatype=XSD.integer))
    writer.add(offering, CG.status, CG.Mandatory if mandatory else CG.Elective)
    writer.add(programme, CG.hasMandatoryCourse if mandatory else CG.hasElectiveCourse, course)
    for part in re.split(r"[;,]", note or ""):
        credits = _CREDITS.search(part)
        if credits:
            writer.add(course, CG.credits, Literal(credits.group(1).replace(",", "."), datatype=XSD.decimal))
        elif part.strip():
            add_pillar(writer, course, part.strip())


def add_pillar(writer: FactWriter, course: URIRef, label: str) -> URIRef:
    """Link a course to the pillar of that label, declaring the pillar in the pillar scheme."""
    minter = writer.minter
    pillar = writer.entity(minter.pillar(slugify(label)), CG.Pillar, label)
    scheme = minter.pillar_scheme()
    writer.add(pillar, SKOS.prefLabel, Literal(label))
    writer.add(pillar, SKOS.inScheme, scheme)
    writer.add(scheme, RDF.type, SKOS.ConceptScheme)
    writer.add(scheme, SKOS.prefLabel, Literal("Curriculum pillars"))
    writer.add(course, CG.pillar, pillar)
    return pillar


def organisation(writer: FactWriter, name: str) -> URIRef:
    """Declare an organisation by name, as a university when its name says so."""
    kind = CG.University if re.search(r"\b(universit|college)", name, re.I) else CG.Organisation
    return writer.entity(writer.minter.organisation(name), kind, name)


def _add_partners(writer: FactWriter, programme: URIRef, slug: str, section: list[Block]) -> None:
    for block in section:
        offset = 0
        for offset, sentence in sentences(block.text):
            line = block.line + block.text.count("\n", 0, offset)
            coordinated = re.search(r"\bcoordinated by\s+(.+?)(?:\s+and\s+(?:includes?|comprises?)\b|[.;]|$)", sentence)
            members = re.search(r"\b(?:includes?|comprises?|partners? (?:are|is)|members? (?:are|is))\s+(.+?)\.?$", sentence)
            if coordinated:
                _add_partner(writer, programme, slug, coordinated.group(1), True, sentence, line)
            if members:
                for item in enumeration(members.group(1)):
                    _add_partner(writer, programme, slug, item, False, sentence, line)
            if block.in_list and not (coordinated or members):
                coordinator = bool(re.search(r"\bcoordinat", sentence, re.I))
                item = re.split(r"\s+[-–—:]\s+|,\s*coordinat", sentence)[0]
                _add_partner(writer, programme, slug, item, coordinator, sentence, line)
                break


def _add_partner(
    writer: FactWriter, programme: URIRef, slug: str, text: str, coordinator: bool, sentence: str, line: int
) -> None:
    text = strip_article(text)
    hint_match = _COUNTRY_HINT.match(text)
    name = strip_article(hint_match.group("name")) if hint_match else text
    org = organisation(writer, name)
    partner = writer.entity(writer.minter.partner(slug, slugify(name)), CG.Partner)
    writer.add(programme, CG.hasPartner, partner)
    writer.add(partner, CG.partnerOrganisation, org)
    writer.fact(partner, CG.partnerRole, CG.CoordinatorRole if coordinator else CG.MemberRole, sentence, line)
    writer.fact(programme, CG.coordinator if coordinator else CG.partnerInstitution, org, sentence, line)
    if hint_match:
        # The source's own text is kept; "D" or "SL" are not ISO codes, so nothing is mapped here.
        writer.fact(partner, CG.countryHint, Literal(hint_match.group("hint").strip()), sentence, line)


def _add_funding(writer: FactWriter, programme: URIRef, slug: str, section: list[Block]) -> None:
    number = 0
    for block in section:
        for offset, sentence in sentences(block.text):
            line = block.line + block.text.count("\n", 0, offset)
            action = re.search(r"\bAction\s+(?:No\.?|Nr\.?|number|#)\s*([A-Z0-9][\w/.-]*\w)", sentence, re.I)
            grant = re.search(
                r"\b(?:GA|grant agreement)\s+(?:nr\.?|no\.?|number|#)?\s*([A-Z0-9][\w/.-]*\w)", sentence, re.I
            )
            funder = re.search(r"\b(?:co-)?(?:financed|funded|supported|sponsored) by\s+(.+?)(?:\s+under\b|[,.;]|$)", sentence)
            if not (action or grant or funder):
                continue
            number += 1
            funding = writer.entity(writer.minter.funding(slug, number), CG.Funding)
            writer.fact(programme, CG.hasFunding, funding, sentence, line)
            writer.add(funding, SCHEMA.description, Literal(sentence))
            if action:
                writer.fact(funding, CG.actionNumber, Literal(action.group(1)), sentence, line)
            if grant:
                writer.fact(funding, CG.grantAgreementNumber, Literal(grant.group(1)), sentence, line)
            if funder:
                org = writer.entity(writer.minter.organisation(strip_article(funder.group(1))), CG.Funder,
                                    strip_article(funder.group(1)))
                writer.fact(funding, SCHEMA.funder, org, sentence, line)


def _add_sentence_facts(writer: FactWriter, programme: URIRef, slug: str, block: Block) -> None:
    """Facts stated in running text anywhere on the page: semester count, thesis semester, teaching language."""
    for offset, sentence in sentences(block.text):
        line = block.line + block.text.count("\n", 0, offset)
        count = re.search(r"\b(?:consists? of|comprises?|lasts?|has)\s+(\w+)\s+semesters\b", sentence, re.I)
        if count and number_word(count.group(1)):
            value = Literal(number_word(count.group(1)), datatype=XSD.integer)
            writer.fact(programme, CG.numberOfSemesters, value, sentence, line)
        thesis = re.search(r"\b(\w+)\s+semester\s+is\s+(?:dedicated|devoted|reserved)\s+to\s+(.*\bthesis\b[^.]*)", sentence, re.I)
        if thesis and number_word(thesis.group(1)):
            semester = _semester(writer, programme, slug, number_word(thesis.group(1)) or 0)
            writer.add(semester, RDF.type, CG.ThesisSemester)
            writer.fact(semester, CG.focus, Literal(thesis.group(2).strip()), sentence, line)
        language = re.search(
            r"\b(?:language of (?:instruction|teaching)|teaching language)\s+is\s+(\w+)|\btaught (?:entirely )?in\s+(\w+)",
            sentence,
            re.I,
        )
        tag = language_tag(language.group(1) or language.group(2)) if language else None
        if tag:
            writer.fact(programme, SCHEMA.inLanguage, Literal(tag), sentence, line)
