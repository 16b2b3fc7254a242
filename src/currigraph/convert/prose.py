"""Prose (news articles, guides): rule-based extraction of programmes, institutions, people, areas, prerequisites.

Every fact is added with the sentence it came from and its line. The rules read the shape of English
sentences ("established by X and Y", "said NAME, TITLE", "N key areas including ..."), never the
content of one document; the words they are built from are in data/lexicon/prose.yaml.
"""

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Literal, URIRef

from currigraph.convert.facts import FactWriter
from currigraph.convert.programme_page import organisation
from currigraph.iris import slugify
from currigraph.sources.lexicon import load_prose_lexicon, prose_lexicon_path
from currigraph.sources.text import enumeration, number_word, sentences, strip_article
from currigraph.vocab import CG, SCHEMA

_CAPITALISED = r"[A-Z][\w’'&-]*(?:\s+(?:in|of|for|and|&)?\s*[A-Z][\w’'&-]*)*"
_SAID = re.compile(r"\bsaid\s+(?P<name>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)+?),\s+(?P<rest>.+?)\.?\s*$")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[•*\-–]|\d+[.)])[ \t]+(?P<name>[^:\n]{3,90}?):[ \t]+(?P<rest>.+)$", re.M)


def _alternatives(words: list[str]) -> str:
    """A regex alternation of literal words, longest first (so 'M.Sc.' is tried before 'M.S.')."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class Patterns:
    """The sentence patterns, built from the words of the prose lexicon (data/lexicon/prose.yaml)."""

    programme: re.Pattern[str]
    established: re.Pattern[str]
    collaboration: re.Pattern[str]
    grouped_units: re.Pattern[str]
    honorific: re.Pattern[str]
    role_head: re.Pattern[str]
    org_words: re.Pattern[str]
    key_areas: re.Pattern[str]
    prerequisite: re.Pattern[str]
    singular_units: dict[str, str]


def _patterns() -> Patterns:
    """The patterns of the active lexicon."""
    return _build_patterns(prose_lexicon_path())


@lru_cache(maxsize=4)
def _build_patterns(path: Path) -> Patterns:
    """Compile the patterns of a lexicon file once."""
    w = load_prose_lexicon(path)
    a = {name: _alternatives(w[name]) for name in w if isinstance(w[name], list)}
    units = {k.lower(): v for k, v in w["organisational_units"].items()}
    patterns = Patterns(
        programme=re.compile(rf"(?P<degree>{a['degrees']})(?:\s+degree)?\s+(?:in|of)\s+(?P<subject>{_CAPITALISED})"),
        established=re.compile(rf"\b(?:{a['providing_verbs']})(?:\s+\w+ly)?\s+by\s+"
                               r"(?P<orgs>.+?)(?:,\s+(?!and\b|the\b)[a-z]|\s+(?:is|was)\b|[;]|\.$|$)"),
        collaboration=re.compile(rf"\bin (?:{a['collaboration_nouns']}) with\s+(?P<orgs>.+?)(?:[;]|\.$|$)"),
        grouped_units=re.compile(rf"^(?P<prefix>.*?)\s*\b(?P<kind>{_alternatives(list(units))})\s+of\s+(?P<list>.+)$", re.I),
        honorific=re.compile(rf"^(?:{a['honorifics']})$"),
        role_head=re.compile(rf"(?P<role>(?:(?:{a['role_modifiers']})\s+)*(?:{a['role_titles']}))\b", re.I),
        org_words=re.compile(rf"\b({a['organisation_words']})\b"),
        key_areas=re.compile(rf"\b(?P<count>\w+)\s+(?:{a['area_qualifiers']})\s+areas?\s*(?:,\s*)?"
                             rf"(?:{a['area_introducers']}|:)?\s+(?P<list>.+?)\.?$"),
        prerequisite=re.compile(rf"\b(?:{a['applicant_words']})\s+who\s+have\s+(?:{a['completion_verbs']})\s+"
                                rf"(?:the\s+|a\s+|an\s+)?(?P<credential>{_CAPITALISED})"),
        singular_units=units,
    )
    return patterns


@dataclass(frozen=True)
class Sentence:
    """A sentence of the body with its 1-based line in the file."""

    text: str
    line: int


class ProseReader:
    """Extraction state for one prose document: its sentences, the programmes and organisations found so far."""

    def __init__(self, writer: FactWriter) -> None:
        self.writer = writer
        body = writer.document.body
        self.sentences = [Sentence(text, writer.document.line_of(offset)) for offset, text in sentences(body)]
        self.programmes: dict[str, URIRef] = {}
        self.organisations: dict[str, URIRef] = {}

    def organisation(self, name: str) -> URIRef:
        """Declare (once) an organisation named in the text; a shortened name already seen is the same one."""
        name = strip_article(name)
        known = self.known_organisation(name)
        if known is not None:
            return known
        if name not in self.organisations:
            self.organisations[name] = organisation(self.writer, name)
        return self.organisations[name]

    def known_organisation(self, phrase: str) -> URIRef | None:
        """An organisation already named, matched by name or by the acronym of its name."""
        phrase = strip_article(phrase)
        for name, iri in self.organisations.items():
            if phrase == name or phrase == acronym(name):
                return iri
            # "Smith Institute for X" after "Jane A. Smith Institute for X": the same institute.
            if len(phrase.split()) >= 3 and name.endswith(" " + phrase):
                return iri
        return None


def acronym(name: str) -> str:
    """Initials of the capitalised words of a name, skipping single-letter initials ('Jane A. Smith ...')."""
    words = [w for w in re.findall(r"[A-Z][\w’'-]+", name)]
    return "".join(w[0] for w in words)


def split_organisations(text: str) -> list[str]:
    """Split 'the A and the B, the C' into names; 'and' inside a name ('Arts and Sciences') is kept."""
    parts = re.split(r",\s*(?:and\s+)?(?=the\s)|\s+and\s+(?=the\s)", text.strip().rstrip(".,;"))
    return [strip_article(p) for p in parts if p.strip()]


def convert_prose(writer: FactWriter) -> None:
    """Extract programmes, institutions, people, key areas, prerequisites and listed universities from prose."""
    reader = ProseReader(writer)
    main = _find_programmes(reader)
    for sentence in reader.sentences:
        _providers(reader, sentence)
    for sentence in reader.sentences:
        programme = _programme_in(reader, sentence.text) or main
        if programme is not None:
            _collaborators(reader, programme, sentence)
            _key_areas(reader, programme, sentence)
            _prerequisite(reader, programme, sentence)
        _people(reader, sentence)
    _listed_organisations(reader)


def _programme_key(match: re.Match[str]) -> str:
    return f"{match.group('degree')} in {match.group('subject')}"


def _find_programmes(reader: ProseReader) -> URIRef | None:
    """Programmes the text introduces: a degree in a named subject mentioned twice, or with its providers."""
    counts: Counter[str] = Counter()
    introduced: set[str] = set()
    first: dict[str, tuple[re.Match[str], Sentence]] = {}
    for sentence in reader.sentences:
        for match in _patterns().programme.finditer(sentence.text):
            key = _programme_key(match)
            counts[key] += 1
            first.setdefault(key, (match, sentence))
            if _patterns().established.search(sentence.text):
                introduced.add(key)
    for key in [k for k in counts if counts[k] >= 2 or k in introduced]:
        match, sentence = first[key]
        writer = reader.writer
        programme = writer.entity(writer.minter.programme(slugify(key)), CG.Programme, key)
        writer.fact(programme, CG.degree, Literal(match.group("degree")), sentence.text, sentence.line)
        subject = match.group("subject")
        if re.fullmatch(r"[A-Z]{2,8}", subject):
            writer.fact(programme, SCHEMA.alternateName, Literal(subject), sentence.text, sentence.line)
        reader.programmes[key] = programme
    if not reader.programmes:
        return None
    return reader.programmes[max(reader.programmes, key=lambda k: counts[k])]


def _programme_in(reader: ProseReader, text: str) -> URIRef | None:
    for match in _patterns().programme.finditer(text):
        if _programme_key(match) in reader.programmes:
            return reader.programmes[_programme_key(match)]
    return None


def _providers(reader: ProseReader, sentence: Sentence) -> None:
    programme = _programme_in(reader, sentence.text)
    established = _patterns().established.search(sentence.text)
    if programme is None or not established:
        return
    for name in split_organisations(established.group("orgs")):
        if _patterns().org_words.search(name):
            reader.writer.fact(programme, CG.providedBy, reader.organisation(name), sentence.text, sentence.line)


def _collaborators(reader: ProseReader, programme: URIRef, sentence: Sentence) -> None:
    match = _patterns().collaboration.search(sentence.text)
    if not match:
        return
    for part in split_organisations(match.group("orgs")):
        grouped = _patterns().grouped_units.match(part)
        if grouped:
            # "the X schools of A, B and C" names three schools: "X School of A", ...
            singular = _patterns().singular_units[grouped.group("kind").lower()]
            prefix = strip_article(grouped.group("prefix"))
            names = [f"{prefix} {singular} of {unit}".strip() for unit in enumeration(grouped.group("list"))]
        else:
            names = [part]
        for name in names:
            org = reader.known_organisation(name) or reader.organisation(name)
            reader.writer.fact(programme, CG.collaboratingOrganisation, org, sentence.text, sentence.line)


def _key_areas(reader: ProseReader, programme: URIRef, sentence: Sentence) -> None:
    match = _patterns().key_areas.search(sentence.text)
    if not match:
        return
    areas = enumeration(match.group("list"))
    expected = number_word(match.group("count"))
    if expected and len(areas) != expected:
        return  # the list did not split as the text counts it: better no areas than wrong ones
    for area in areas:
        reader.writer.fact(programme, CG.keyArea, Literal(area), sentence.text, sentence.line)


def _prerequisite(reader: ProseReader, programme: URIRef, sentence: Sentence) -> None:
    match = _patterns().prerequisite.search(sentence.text)
    if not match:
        return
    writer = reader.writer
    existing = list(writer.graph.objects(programme, CG.hasRequirement))
    requirement = writer.minter.requirement(str(programme).rsplit("/", 1)[-1], len(existing) + 1)
    writer.entity(requirement, CG.CredentialRequirement)
    clause = sentence.text[match.start() :].rstrip(".")
    writer.add(requirement, SCHEMA.description, Literal(clause[0].upper() + clause[1:]))
    writer.fact(requirement, CG.credentialName, Literal(match.group("credential")), sentence.text, sentence.line)
    writer.fact(programme, CG.hasRequirement, requirement, sentence.text, sentence.line)


def _people(reader: ProseReader, sentence: Sentence) -> None:
    match = _SAID.search(sentence.text)
    if not match:
        return
    writer = reader.writer
    name = match.group("name")
    parts = [p.strip() for p in match.group("rest").split(",")]
    honorifics = []
    while parts and _patterns().honorific.match(parts[0]):
        honorifics.append(parts.pop(0))
    title = ", ".join(parts).strip()
    if not title or not _patterns().role_head.search(title):
        return
    person = writer.entity(writer.minter.person(name), CG.Person, name)
    for honorific in honorifics:
        writer.fact(person, SCHEMA.honorificSuffix, Literal(honorific), sentence.text, sentence.line)
    writer.fact(person, SCHEMA.jobTitle, Literal(title), sentence.text, sentence.line)
    for number, role_text in enumerate(_split_roles(title), start=1):
        _role(reader, person, name, number, role_text, sentence)


def _split_roles(title: str) -> list[str]:
    """'dean of X and executive director in Y' -> two roles; an 'and' inside one role's object stays."""
    roles: list[str] = []
    for piece in re.split(r"\s+and\s+", title):
        if roles and not _patterns().role_head.search(piece):
            roles[-1] += f" and {piece}"
        else:
            roles.append(piece)
    return roles


def _role(reader: ProseReader, person: URIRef, name: str, number: int, text: str, sentence: Sentence) -> None:
    writer = reader.writer
    head = _patterns().role_head.search(text)
    if head is None:
        return
    role_name = re.sub(r"\bprogram\b", "programme", head.group("role").lower())
    role = writer.entity(writer.minter.role(name, number), CG.RoleAssignment, text)
    writer.add(person, CG.hasRole, role)
    writer.fact(role, CG.roleName, Literal(role_name), sentence.text, sentence.line)
    writer.add(role, CG.roleTitle, Literal(text))
    programme = _programme_in(reader, text)
    if programme is not None and role_name.endswith("director"):
        writer.fact(programme, CG.programmeDirector, person, sentence.text, sentence.line)
        writer.fact(role, CG.roleIn, programme, sentence.text, sentence.line)
        return
    target = _role_organisation(reader, text)
    if target is not None:
        writer.fact(role, CG.roleIn, target, sentence.text, sentence.line)


def _role_organisation(reader: ProseReader, text: str) -> URIRef | None:
    """The organisation a role is held in: the last 'of/in/at <Name>' that is an organisation."""
    candidates = re.findall(rf"\b(?:of|in|at)\s+(?:the\s+)?({_CAPITALISED})", text)
    for phrase in reversed(candidates):
        known = reader.known_organisation(phrase)
        if known is not None:
            return known
        if _patterns().org_words.search(phrase):
            return reader.organisation(phrase)
    return None


def _listed_organisations(reader: ProseReader) -> None:
    """List items 'Name: description' whose name is an organisation: the document lists them."""
    writer = reader.writer
    body = writer.document.body
    for match in _LIST_ITEM.finditer(body):
        name = re.sub(r"\s*\([^)]*\)\s*$", "", match.group("name")).strip()
        if not _patterns().org_words.search(name) or len(name.split()) > 8:
            continue
        org = reader.organisation(name)
        abbreviation = re.search(r"\(([A-Z]{2,8})\)\s*$", match.group("name"))
        if abbreviation:
            writer.add(org, SCHEMA.alternateName, Literal(abbreviation.group(1)))
        first_sentence = sentences(match.group(0).strip())[0][1]
        writer.fact(writer.source, CG.mentionsOrganisation, org, first_sentence, writer.document.line_of(match.start()))
